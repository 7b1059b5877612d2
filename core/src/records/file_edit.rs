//! Editing a petitioner file's editable fields from several phones, offline.
//!
//! Each field is merged on its own. An edit carries the value its author saw (`base`) and a
//! hybrid-logical-clock stamp. An edit made on top of the current value simply applies. Two edits
//! made from the same starting value are concurrent: the newer stamp wins and the other value is
//! kept in the file's conflict list, so a supervisor can see what was overwritten and by whom.

use crate::base::hlc::Hlc;
use crate::base::ids::RecordId;
use crate::records::file::PetitionerFile;
use serde::{Deserialize, Serialize};

labeled_enum!(
    /// The parts of a file cadres may change from their phones.
    EditableField {
        Phone = "phone" => ("联系电话", "Phone"),
        Address = "address" => ("住址", "Address"),
        Household = "household" => ("家庭情况", "Household situation"),
        Tags = "tags" => ("标签", "Tags"),
        IdNumber = "id_number" => ("公民身份号码", "ID number"),
    }
);

/// A change of one field, as recorded on the phone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileEdit {
    pub field: EditableField,
    /// The value the author saw when editing.
    pub base: String,
    pub value: String,
    pub stamp: Hlc,
}

/// A field's current value and the edit that set it (`None`: as registered, never edited).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Register {
    pub value: String,
    pub set_by: Option<SetBy>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SetBy {
    pub record: RecordId,
    pub stamp: Hlc,
}

/// What merging one edit into a register does.
#[derive(Debug, Clone, PartialEq)]
pub struct Merge {
    /// The register afterwards.
    pub register: Register,
    /// A concurrent value that lost, to keep in the conflict list.
    pub lost: Option<Lost>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Lost {
    pub value: String,
    /// The edit record that proposed it, when it came from one.
    pub record: Option<RecordId>,
}

/// Merges `edit` (stored as record `record`) into the field's register. Values are compared in
/// their normal form, so "低保户、独居" and "低保户, 独居" are the same tags.
pub fn merge(current: &Register, edit: &FileEdit, record: RecordId) -> Merge {
    let edit = &FileEdit {
        base: edit.field.normalize(&edit.base),
        value: edit.field.normalize(&edit.value),
        ..edit.clone()
    };
    let applied = Register {
        value: edit.value.clone(),
        set_by: Some(SetBy {
            record,
            stamp: edit.stamp,
        }),
    };
    let current_value = edit.field.normalize(&current.value);
    if edit.base == current_value {
        // Made on top of what is there: a plain sequential edit, whatever the clocks say.
        return Merge {
            register: applied,
            lost: None,
        };
    }
    let newer = current.set_by.as_ref().is_none_or(|s| edit.stamp > s.stamp);
    if newer {
        let lost = (current_value != edit.value).then(|| Lost {
            value: current.value.clone(),
            record: current.set_by.as_ref().map(|s| s.record),
        });
        Merge {
            register: applied,
            lost,
        }
    } else {
        let lost = (current_value != edit.value).then(|| Lost {
            value: edit.value.clone(),
            record: Some(record),
        });
        Merge {
            register: current.clone(),
            lost,
        }
    }
}

/// Tags travel as one text, separated by "、".
const TAG_SEPARATOR: &str = "、";

impl EditableField {
    /// The form a value is stored and compared in.
    pub fn normalize(self, value: &str) -> String {
        match self {
            EditableField::Tags => split_tags(value).join(TAG_SEPARATOR),
            EditableField::IdNumber => crate::records::id_number::normalize(value),
            _ => value.trim().to_owned(),
        }
    }
}

impl EditableField {
    /// A value as anyone but the file's editor sees it: the ID number masked, the rest as is.
    pub fn shown(self, value: &str) -> String {
        match self {
            EditableField::IdNumber => crate::records::id_number::mask(value),
            _ => value.to_owned(),
        }
    }
}

fn split_tags(value: &str) -> Vec<String> {
    value
        .split(['、', '，', ',', ' '])
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A value that lost to a concurrent edit, as a supervisor sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileConflict {
    pub field: EditableField,
    /// The value the file kept.
    pub kept: String,
    pub lost: String,
    /// The edit that proposed the lost value, when there was one.
    pub lost_record: Option<RecordId>,
    /// The edit whose arrival made the conflict.
    pub decided_by: RecordId,
    #[serde(deserialize_with = "crate::base::dates::wire::date_time")]
    pub at: chrono::DateTime<chrono::Utc>,
}

impl PetitionerFile {
    /// The file as the phone shows it: the server's state with the phone's own edits that have
    /// not been merged yet laid on top, oldest stamp first.
    pub fn with_edits<'a>(&self, edits: impl IntoIterator<Item = &'a FileEdit>) -> PetitionerFile {
        let mut edits: Vec<&FileEdit> = edits.into_iter().collect();
        edits.sort_by_key(|e| e.stamp);
        let mut shown = self.clone();
        for e in edits {
            shown.set_field(e.field, &e.value);
        }
        shown
    }

    pub fn field_value(&self, field: EditableField) -> String {
        match field {
            EditableField::Phone => self.phone.clone().unwrap_or_default(),
            EditableField::Address => self.address.clone(),
            EditableField::Household => self.household.clone(),
            EditableField::Tags => self.tags.join(TAG_SEPARATOR),
            EditableField::IdNumber => self.id_number.clone().unwrap_or_default(),
        }
    }

    pub fn set_field(&mut self, field: EditableField, value: &str) {
        let value = value.trim();
        match field {
            EditableField::Phone => {
                self.phone = (!value.is_empty()).then(|| value.to_owned());
            }
            EditableField::Address => self.address = value.to_owned(),
            EditableField::Household => self.household = value.to_owned(),
            EditableField::Tags => self.tags = split_tags(value),
            EditableField::IdNumber => {
                let id = crate::records::id_number::normalize(value);
                self.id_number = (!id.is_empty()).then_some(id);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::ids::DeviceId;

    fn stamp(wall_ms: i64) -> Hlc {
        Hlc {
            wall_ms,
            counter: 0,
            device: DeviceId(uuid::Uuid::nil()),
        }
    }

    fn edit(base: &str, value: &str, wall_ms: i64) -> FileEdit {
        FileEdit {
            field: EditableField::Phone,
            base: base.into(),
            value: value.into(),
            stamp: stamp(wall_ms),
        }
    }

    fn registered(value: &str) -> Register {
        Register {
            value: value.into(),
            set_by: None,
        }
    }

    #[test]
    fn an_edit_on_top_of_the_current_value_applies_even_with_an_older_clock() {
        let r1 = RecordId::new_random();
        let first = merge(&registered("1"), &edit("1", "2", 100), r1);
        assert_eq!(first.register.value, "2");
        assert_eq!(first.lost, None);
        let second = merge(&first.register, &edit("2", "3", 50), RecordId::new_random());
        assert_eq!(second.register.value, "3");
        assert_eq!(second.lost, None);
    }

    #[test]
    fn concurrent_edits_converge_on_the_newer_and_keep_the_other_in_either_order() {
        let (a, b) = (RecordId::new_random(), RecordId::new_random());
        let (ea, eb) = (edit("0", "a", 100), edit("0", "b", 200));
        let ab = merge(&merge(&registered("0"), &ea, a).register, &eb, b);
        let ba = merge(&merge(&registered("0"), &eb, b).register, &ea, a);
        assert_eq!(ab.register.value, "b");
        assert_eq!(ba.register.value, "b");
        let lost = Lost {
            value: "a".into(),
            record: Some(a),
        };
        assert_eq!(ab.lost.as_ref(), Some(&lost));
        assert_eq!(ba.lost.as_ref(), Some(&lost));
    }

    #[test]
    fn stray_spaces_in_a_registered_value_do_not_make_a_conflict() {
        let merged = merge(
            &registered(" 1 "),
            &edit("1", "2", 100),
            RecordId::new_random(),
        );
        assert_eq!((merged.register.value.as_str(), merged.lost), ("2", None));
    }

    #[test]
    fn the_same_value_from_two_phones_is_no_conflict() {
        let first = merge(
            &registered("0"),
            &edit("0", "x", 100),
            RecordId::new_random(),
        );
        let second = merge(&first.register, &edit("0", "x", 50), RecordId::new_random());
        assert_eq!(second.register.value, "x");
        assert_eq!(second.lost, None);
    }

    #[test]
    fn differently_typed_but_equal_tags_are_no_conflict() {
        let tags = |base: &str, value: &str| FileEdit {
            field: EditableField::Tags,
            ..edit(base, value, 100)
        };
        let first = merge(
            &registered("低保户、独居"),
            &tags("低保户, 独居", "低保户、独居、残疾"),
            RecordId::new_random(),
        );
        assert_eq!(first.register.value, "低保户、独居、残疾");
        assert_eq!(first.lost, None, "the base was the same tags");
    }

    #[test]
    fn pending_edits_show_on_top_in_stamp_order() {
        let file = crate::fixtures::file("f1");
        let late = FileEdit {
            field: EditableField::Address,
            ..edit("", "新址", 300)
        };
        let early = FileEdit {
            field: EditableField::Address,
            ..edit("", "旧址", 100)
        };
        let phone = edit("", "13700000000", 200);
        let shown = file.with_edits([&late, &phone, &early]);
        assert_eq!(shown.address, "新址");
        assert_eq!(shown.phone.as_deref(), Some("13700000000"));
        assert_eq!(file.with_edits([]), file);
    }

    #[test]
    fn fields_read_and_write_through_the_file() {
        let mut file = crate::fixtures::file("f1");
        file.set_field(EditableField::Tags, "低保户、 独居老人,,残疾");
        assert_eq!(file.tags, vec!["低保户", "独居老人", "残疾"]);
        assert_eq!(
            file.field_value(EditableField::Tags),
            "低保户、独居老人、残疾"
        );
        file.set_field(EditableField::Phone, "  ");
        assert_eq!(file.phone, None);
        assert_eq!(file.field_value(EditableField::Phone), "");
    }
}

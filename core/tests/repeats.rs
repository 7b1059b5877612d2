//! The petitioner's ID number (GB 11643: 18 characters, a real birth date, the check character)
//! and who is the same person (重复访): the same ID number, or — when either file lacks one — the
//! same name and phone. The ID numbers here are made up (region 330199 does not exist).

use xiafang_core::file_edit::EditableField;
use xiafang_core::id_number::{IdNumberError, mask, parse};
use xiafang_core::repeats::{
    RepeatRules, normalize_phone, other_files, people_with_several_files, same_person,
};
use xiafang_core::{Field, FieldError, PetitionerFile, Problem, fixtures};

/// Valid: the check characters worked out by hand from the GB 11643 weights.
const A: &str = "330199195603120017";
const B: &str = "33019919620708002X";

#[test]
fn id_numbers_are_normalised_and_checked() {
    let table: &[(&str, Result<&str, IdNumberError>)] = &[
        (A, Ok(A)),
        (B, Ok(B)),
        // Lower-case x and spaces (also a full-width one) are the same number.
        ("330199 19620708 002x", Ok(B)),
        ("330199\u{3000}196207080 02X ", Ok(B)),
        // 17 or 19 characters, letters, X anywhere but last.
        ("33019919560312001", Err(IdNumberError::Format)),
        ("3301991956031200170", Err(IdNumberError::Format)),
        ("33019919560312001A", Err(IdNumberError::Format)),
        ("3301991956031200X7", Err(IdNumberError::Format)),
        ("", Err(IdNumberError::Format)),
        // 31 February, month 13, year 1850: no real birth date.
        ("330199195602310010", Err(IdNumberError::BirthDate)),
        ("330199195613120010", Err(IdNumberError::BirthDate)),
        ("330199185603120010", Err(IdNumberError::BirthDate)),
        // One digit mistyped, or the check character changed.
        ("330199195603120027", Err(IdNumberError::CheckDigit)),
        ("330199195603120018", Err(IdNumberError::CheckDigit)),
        ("330199196207080020", Err(IdNumberError::CheckDigit)),
    ];
    for (typed, expected) in table {
        assert_eq!(
            parse(typed).as_deref().map_err(|e| *e),
            *expected,
            "{typed:?}"
        );
    }
}

#[test]
fn an_id_number_is_shown_masked() {
    assert_eq!(mask(A), "3301**********0017");
    assert_eq!(mask(B), "3301**********002X");
    assert_eq!(EditableField::IdNumber.shown(B), "3301**********002X");
    assert_eq!(EditableField::Phone.shown("13800000001"), "13800000001");
    assert_eq!(mask("12345"), "*****", "too short to show any of it");
}

#[test]
fn a_file_edit_with_a_bad_id_number_is_refused_with_its_reason() {
    let stamp = xiafang_core::hlc::Hlc {
        wall_ms: 0,
        counter: 0,
        device: xiafang_core::DeviceId::new_random(),
    };
    let edit = |value: &str| {
        fixtures::file_edit("f1", "u1", EditableField::IdNumber, "", value, stamp).validate()
    };
    let refused = |problem| Err(vec![FieldError::new(Field::IdNumber, problem)]);
    assert_eq!(edit(B), Ok(()));
    assert_eq!(edit("330199 19620708 002x"), Ok(()));
    assert_eq!(edit(""), Ok(()), "clearing is allowed");
    assert_eq!(edit("3301991962"), refused(Problem::IdNumberFormat));
    assert_eq!(
        edit("330199195602310010"),
        refused(Problem::IdNumberBirthDate)
    );
    assert_eq!(
        edit("330199195603120027"),
        refused(Problem::IdNumberCheckDigit)
    );
    let message = FieldError::new(Field::IdNumber, Problem::IdNumberCheckDigit)
        .message(xiafang_core::Lang::Zh);
    assert_eq!(message, "公民身份号码校验位不符，请逐位核对是否输错");
}

#[test]
fn an_edit_sets_the_id_number_in_its_normal_form() {
    let mut file = fixtures::file("f1");
    file.set_field(EditableField::IdNumber, " 330199 19620708 002x ");
    assert_eq!(file.id_number.as_deref(), Some(B));
    assert_eq!(file.field_value(EditableField::IdNumber), B);
    file.set_field(EditableField::IdNumber, "  ");
    assert_eq!(file.id_number, None);
}

#[test]
fn files_without_an_id_number_still_read_and_write_as_before() {
    let file = fixtures::file("f1");
    let json = serde_json::to_string(&file).unwrap();
    assert!(!json.contains("id_number"), "{json}");
    let back: PetitionerFile = serde_json::from_str(&json).unwrap();
    assert_eq!(back, file);
}

#[test]
fn phones_are_compared_by_their_digits_without_the_country_code() {
    let table = [
        ("13800000001", "13800000001"),
        ("138 0000 0001", "13800000001"),
        ("138-0000-0001", "13800000001"),
        ("+86 138 0000 0001", "13800000001"),
        ("+8613800000001", "13800000001"),
        ("0086 13800000001", "13800000001"),
        ("8613800000001", "13800000001"),
        // A landline with its area code keeps it; 86 inside a number stays.
        ("0571-86000000", "057186000000"),
        ("86000000", "86000000"),
        ("", ""),
    ];
    for (typed, compared) in table {
        assert_eq!(normalize_phone(typed), compared, "{typed:?}");
    }
}

fn person(id: &str, name: &str, phone: Option<&str>, id_number: Option<&str>) -> PetitionerFile {
    let mut f = fixtures::file(id);
    f.name = name.into();
    f.phone = phone.map(str::to_owned);
    f.id_number = id_number.map(str::to_owned);
    f
}

#[test]
fn the_same_person_by_id_number_or_by_name_and_phone() {
    let rules = RepeatRules::default();
    let guo = person("f1", "郭先生", Some("13800000001"), None);
    let table: &[(&str, PetitionerFile, PetitionerFile, bool)] = &[
        (
            "same name and phone, neither has an ID number",
            guo.clone(),
            person("f2", "郭 先生", Some("+86 138-0000-0001"), None),
            true,
        ),
        (
            "same name and phone, one has an ID number",
            guo.clone(),
            person("f2", "郭先生", Some("13800000001"), Some(A)),
            true,
        ),
        (
            "same name, different phone",
            guo.clone(),
            person("f2", "郭先生", Some("13800000002"), None),
            false,
        ),
        (
            "same phone, different name (a relative's phone)",
            guo.clone(),
            person("f2", "郭小红", Some("13800000001"), None),
            false,
        ),
        (
            "same name, neither has a phone",
            person("f1", "郭先生", None, None),
            person("f2", "郭先生", None, None),
            false,
        ),
        (
            "same ID number, different name and phone (renamed, new phone)",
            person("f1", "郭先生", Some("13800000001"), Some(B)),
            person(
                "f2",
                "郭明",
                Some("13900000009"),
                Some("330199 19620708 002x"),
            ),
            true,
        ),
        (
            "different ID numbers override the same name and phone",
            person("f1", "郭先生", Some("13800000001"), Some(A)),
            person("f2", "郭先生", Some("13800000001"), Some(B)),
            false,
        ),
    ];
    for (what, a, b, same) in table {
        assert_eq!(same_person(a, b, &rules), *same, "{what}");
        assert_eq!(same_person(b, a, &rules), *same, "{what}, the other way");
    }
    let by_id_only = RepeatRules {
        name_and_phone: false,
        ..RepeatRules::default()
    };
    assert!(!same_person(&table[0].1, &table[0].2, &by_id_only));
    assert!(same_person(&table[5].1, &table[5].2, &by_id_only));
}

#[test]
fn other_files_and_people_with_several_files() {
    let rules = RepeatRules::default();
    let files = vec![
        person("f1", "郭先生", Some("13800000001"), None),
        person("f2", "李女士", Some("13900000002"), Some(A)),
        person("f3", "郭先生", Some("+86 13800000001"), None),
        person("f4", "李女士", None, Some(A)),
        person("f5", "张大爷", Some("13800000001"), None),
    ];
    let ids = |found: Vec<&PetitionerFile>| -> Vec<String> {
        found.iter().map(|f| f.id.0.clone()).collect()
    };
    assert_eq!(ids(other_files(&files[0], &files, &rules)), ["f3"]);
    assert_eq!(ids(other_files(&files[1], &files, &rules)), ["f4"]);
    assert!(other_files(&files[4], &files, &rules).is_empty());
    let groups: Vec<Vec<String>> = people_with_several_files(&files, &rules)
        .into_iter()
        .map(ids)
        .collect();
    // Ordered by name: 李 before 郭 in code-point order (李 U+674E, 郭 U+90ED).
    assert_eq!(groups, [vec!["f2", "f4"], vec!["f1", "f3"]]);
}

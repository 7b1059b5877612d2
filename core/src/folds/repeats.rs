//! 重复访: the same petitioner coming again. A person may have several files (registered twice,
//! in two villages, before and after a move); they are the same person when their ID numbers
//! agree, or — when either file lacks one — their names and phone numbers agree. Two different ID
//! numbers are two people whatever the names and phones say. Nothing here merges files: it only
//! says which files belong together, for the file page, the console and the 重复访 figure.

use crate::base::ids::RecordId;
use crate::records::file::PetitionerFile;
use crate::records::id_number;
use crate::records::record::{Record, RecordBody};
use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

/// How a county matches people and counts a reception as a repeat.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RepeatRules {
    /// Whether name + phone matches files of which one lacks an ID number (some counties
    /// match by ID number only).
    pub name_and_phone: bool,
    /// Whether a matter registered before the reception's day makes it a repeat (otherwise only
    /// an earlier reception does).
    pub earlier_matter: bool,
    /// Only contacts at most this many days before count (`None`: any time before).
    pub within_days: Option<u32>,
}

impl Default for RepeatRules {
    fn default() -> Self {
        Self {
            name_and_phone: true,
            earlier_matter: true,
            within_days: None,
        }
    }
}

/// A phone number as compared: digits only, without the country code (+86, 0086).
pub fn normalize_phone(typed: &str) -> String {
    let digits: String = typed.chars().filter(char::is_ascii_digit).collect();
    if let Some(rest) = digits.strip_prefix("0086") {
        return rest.to_owned();
    }
    let international = typed.trim_start().starts_with('+');
    // 86 before a mobile number (13 digits in all) is the country code even without a "+".
    let mobile_with_code = digits.len() == 13 && digits.starts_with("861");
    match digits.strip_prefix("86") {
        Some(rest) if international || mobile_with_code => rest.to_owned(),
        _ => digits,
    }
}

/// A name as compared: without any spaces.
fn normalize_name(name: &str) -> String {
    name.chars().filter(|c| !c.is_whitespace()).collect()
}

fn id_of(file: &PetitionerFile) -> Option<String> {
    file.id_number
        .as_deref()
        .map(id_number::normalize)
        .filter(|id| !id.is_empty())
}

fn phone_of(file: &PetitionerFile) -> Option<String> {
    file.phone
        .as_deref()
        .map(normalize_phone)
        .filter(|p| !p.is_empty())
}

/// Whether two files are the same person: the same ID number; or, when either lacks one, the
/// same name and the same phone (with `rules.name_and_phone`). A file is its own person.
pub fn same_person(a: &PetitionerFile, b: &PetitionerFile, rules: &RepeatRules) -> bool {
    if a.id == b.id {
        return true;
    }
    match (id_of(a), id_of(b)) {
        (Some(x), Some(y)) => x == y,
        _ => {
            rules.name_and_phone
                && normalize_name(&a.name) == normalize_name(&b.name)
                && phone_of(a).is_some_and(|p| phone_of(b) == Some(p))
        }
    }
}

/// The other files of `file`'s person among `among`, in the order given.
pub fn other_files<'a>(
    file: &PetitionerFile,
    among: &'a [PetitionerFile],
    rules: &RepeatRules,
) -> Vec<&'a PetitionerFile> {
    among
        .iter()
        .filter(|other| other.id != file.id && same_person(file, other, rules))
        .collect()
}

/// Files indexed by the keys that can make two of them the same person — the ID number, or
/// name and phone — so a file is compared with the files sharing one of its keys, not with
/// every file: a county's 20,000 files are not 400 million comparisons.
struct People<'a> {
    files: Vec<&'a PetitionerFile>,
    sharing: HashMap<String, Vec<usize>>,
}

impl<'a> People<'a> {
    fn keys(file: &PetitionerFile) -> impl Iterator<Item = String> + use<> {
        let id = id_of(file).map(|id| format!("id {id}"));
        let name_phone =
            phone_of(file).map(|p| format!("np {}\u{0}{p}", normalize_name(&file.name)));
        [id, name_phone].into_iter().flatten()
    }

    fn of(files: impl IntoIterator<Item = &'a PetitionerFile>) -> Self {
        let files: Vec<&PetitionerFile> = files.into_iter().collect();
        let mut sharing: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, file) in files.iter().enumerate() {
            for key in Self::keys(file) {
                sharing.entry(key).or_default().push(i);
            }
        }
        People { files, sharing }
    }

    /// The files that are `file`'s person, itself always among them (a file with neither an ID
    /// number nor a phone shares no key, and is still its own person).
    fn same_as(&self, file: &'a PetitionerFile, rules: &RepeatRules) -> Vec<&'a PetitionerFile> {
        let mut candidates: Vec<usize> = Self::keys(file)
            .filter_map(|key| self.sharing.get(&key))
            .flatten()
            .copied()
            .collect();
        candidates.sort_unstable();
        candidates.dedup();
        let mut same: Vec<&PetitionerFile> = candidates
            .into_iter()
            .map(|i| self.files[i])
            .filter(|other| other.id != file.id && same_person(file, other, rules))
            .collect();
        same.push(file);
        same
    }
}

/// The people with more than one file among `files`: each group the files of one person (a
/// file and every file the same person as it), ordered by name, then by first file id.
pub fn people_with_several_files<'a>(
    files: &'a [PetitionerFile],
    rules: &RepeatRules,
) -> Vec<Vec<&'a PetitionerFile>> {
    let people = People::of(files);
    let mut seen: HashSet<Vec<&str>> = HashSet::new();
    let mut groups: Vec<Vec<&PetitionerFile>> = Vec::new();
    for file in files {
        let mut group = people.same_as(file, rules);
        group.sort_by(|a, b| a.id.0.cmp(&b.id.0));
        if group.len() > 1 && seen.insert(group.iter().map(|f| f.id.0.as_str()).collect()) {
            groups.push(group);
        }
    }
    groups.sort_by(|a, b| (&a[0].name, &a[0].id.0).cmp(&(&b[0].name, &b[0].id.0)));
    groups
}

/// A reception as the repeat rule sees it.
struct Contact<'a> {
    file: &'a PetitionerFile,
    at: NaiveDateTime,
    id: RecordId,
}

/// The receptions (接访) among `data` (each file with the records that count) that are 重复访:
/// the same person, on any of their files, already had a matter registered before the
/// reception's day (with `rules.earlier_matter`) or an earlier reception — within
/// `rules.within_days` when set.
pub fn repeat_receptions(
    data: &[(&PetitionerFile, Vec<&Record>)],
    rules: &RepeatRules,
) -> Vec<RecordId> {
    let contacts: Vec<Contact> = data
        .iter()
        .flat_map(|(file, records)| {
            records
                .iter()
                .filter(|r| matches!(r.body, RecordBody::Reception(_)))
                .map(move |r| Contact {
                    file,
                    at: r.occurred_at,
                    id: r.id,
                })
        })
        .collect();
    let recent = |before: NaiveDate, day: NaiveDate| {
        day < before
            && rules
                .within_days
                .is_none_or(|n| (before - day).num_days() <= i64::from(n))
    };
    let people = People::of(data.iter().map(|(f, _)| *f));
    let mut by_file: HashMap<&str, Vec<&Contact>> = HashMap::new();
    for c in &contacts {
        by_file.entry(c.file.id.0.as_str()).or_default().push(c);
    }
    contacts
        .iter()
        .filter(|c| {
            let day = c.at.date();
            let same = people.same_as(c.file, rules);
            let matter_before =
                rules.earlier_matter && same.iter().any(|f| recent(day, f.matter.since));
            let reception_before = same
                .iter()
                .filter_map(|f| by_file.get(f.id.0.as_str()))
                .flatten()
                .any(|o| {
                    (o.at, o.id) < (c.at, c.id) && (o.at.date() == day || recent(day, o.at.date()))
                });
            matter_before || reception_before
        })
        .map(|c| c.id)
        .collect()
}

//! Searching petitioner files by what a user types (`GET /api/search?q=…`): which terms are
//! accepted and what counts as a match. The server narrows the candidates in SQL and then applies
//! `matched_fields`, so the rule is the same on SQLite and PostgreSQL.

use crate::base::ids::FileId;
use crate::records::file::PetitionerFile;
use serde::{Deserialize, Serialize};

/// Longest search term, in characters: a name, a village or a few words of a request.
pub const MAX_SEARCH_CHARS: usize = 50;
/// Most files one search returns; a user who needs more types a longer term.
pub const MAX_SEARCH_HITS: usize = 50;

labeled_enum!(
    /// A part of a file a search looks in.
    MatchedField {
        Name = "name" => ("姓名", "Name"),
        Village = "village" => ("村（社区）", "Village"),
        Address = "address" => ("住址", "Address"),
        Summary = "summary" => ("诉求", "Request"),
    }
);

/// One file found by a search: enough to pick it from a list, nothing sensitive.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchHit {
    pub file_id: FileId,
    pub name: String,
    /// The name of the file's village (the place, as the jurisdiction tree names it).
    pub village: String,
    /// Where the term was found, in the order of `MatchedField::ALL`.
    pub matched: Vec<MatchedField>,
}

/// The term to search for, trimmed, or `None` when it is empty or longer than
/// `MAX_SEARCH_CHARS`.
pub fn search_term(raw: &str) -> Option<&str> {
    let term = raw.trim();
    let chars = term.chars().count();
    (1..=MAX_SEARCH_CHARS).contains(&chars).then_some(term)
}

/// The case folding searches use: ASCII letters only. Chinese has no case, and SQLite's
/// `LOWER` folds only ASCII, so this is the rule both databases can agree on.
pub fn fold(text: &str) -> String {
    text.to_ascii_lowercase()
}

/// Where `term` (already accepted by `search_term`) occurs in the file, ignoring ASCII case.
/// `village` is the name of the file's village place. Empty: the file does not match.
pub fn matched_fields(file: &PetitionerFile, village: &str, term: &str) -> Vec<MatchedField> {
    let term = fold(term);
    MatchedField::ALL
        .iter()
        .copied()
        .filter(|field| {
            let text = match field {
                MatchedField::Name => &file.name,
                MatchedField::Village => village,
                MatchedField::Address => &file.address,
                MatchedField::Summary => &file.matter.summary,
            };
            fold(text).contains(&term)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Category;
    use crate::Sex;
    use crate::records::file::{Channel, Classification, Level, Matter, Resolution};

    fn file(name: &str, address: &str, summary: &str) -> PetitionerFile {
        PetitionerFile {
            id: "f1".into(),
            name: name.into(),
            sex: Sex::Male,
            birth_year: None,
            phone: Some("13800000000".into()),
            township: "南滨街道".into(),
            village: "阁一村".into(),
            group: String::new(),
            address: address.into(),
            household: "独居老人".into(),
            tags: vec!["低保户".into()],
            matter: Matter {
                summary: summary.into(),
                category: Category::CollectiveAssets,
                since: chrono::NaiveDate::from_ymd_opt(2014, 3, 1).unwrap(),
                channel: Channel::Visit,
                classification: Classification::Grievance,
                level_reached: Level::County,
                flags: vec![],
                resolution: Resolution::InProgress,
                case_leader: None,
                visits_before_app: 0,
                accused: vec![],
            },
            id_number: None,
        }
    }

    #[test]
    fn a_term_is_trimmed_and_must_have_one_to_fifty_characters() {
        assert_eq!(search_term("  郭先生 "), Some("郭先生"));
        assert_eq!(search_term(""), None);
        assert_eq!(search_term(" \t "), None);
        // Characters, not bytes: fifty Chinese characters are 150 bytes and still fine.
        assert!(search_term(&"村".repeat(50)).is_some());
        assert_eq!(search_term(&"村".repeat(51)), None);
    }

    #[test]
    fn name_village_address_and_request_match_ignoring_ascii_case() {
        let f = file("Guo 郭先生", "阁一村3组", "要求分配集体资产款 100%到位");
        assert_eq!(matched_fields(&f, "阁一村", "郭"), vec![MatchedField::Name]);
        assert_eq!(
            matched_fields(&f, "阁一村", "gUO"),
            vec![MatchedField::Name]
        );
        assert_eq!(
            matched_fields(&f, "阁一村", "阁一"),
            vec![MatchedField::Village, MatchedField::Address]
        );
        assert_eq!(
            matched_fields(&f, "阁一村", "100%"),
            vec![MatchedField::Summary]
        );
    }

    #[test]
    fn other_fields_and_wildcards_do_not_match() {
        let f = file("郭先生", "阁一村3组", "集体资产");
        // Phone, household and tags are not searched: they are not what a file is found by.
        for term in ["13800000000", "独居", "低保户", "%", "_", "*"] {
            assert!(matched_fields(&f, "阁一村", term).is_empty(), "{term}");
        }
    }
}

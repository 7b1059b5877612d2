//! How the records of a file combine: an amendment takes the place of the record it amends, a
//! void withdraws its target, and both the original and the correction stay in the timeline.

use crate::base::ids::RecordId;
use crate::records::file::PetitionerFile;
use crate::records::record::{Record, RecordBody};
use std::collections::HashMap;

/// Where an earlier record stands after the corrections that followed it.
#[derive(Debug, Clone, PartialEq)]
pub enum Standing {
    /// Counts as written.
    Current,
    /// Replaced by a later record; that one counts instead.
    Amended { by: RecordId },
    /// Withdrawn; it no longer counts.
    Voided { by: RecordId, reason: String },
}

/// The standing of every record that was corrected; records not in the map are `Current`.
/// When several corrections name one record, a void wins over an amendment (withdrawn is
/// withdrawn), and among the same kind the first in `records` order wins.
pub fn standings(records: &[Record]) -> HashMap<RecordId, Standing> {
    let mut out: HashMap<RecordId, Standing> = HashMap::new();
    for r in records {
        if let RecordBody::Void(v) = &r.body {
            out.entry(v.target).or_insert_with(|| Standing::Voided {
                by: r.id,
                reason: v.reason.clone(),
            });
        }
    }
    for r in records {
        if let Some(target) = r.amends {
            out.entry(target).or_insert(Standing::Amended { by: r.id });
        }
    }
    out
}

/// The records that count: not amended, not voided, and not themselves a void.
pub fn effective(records: &[Record]) -> Vec<&Record> {
    let standing = standings(records);
    records
        .iter()
        .filter(|r| !matches!(r.body, RecordBody::Void(_)))
        .filter(|r| !standing.contains_key(&r.id))
        .collect()
}

impl PetitionerFile {
    /// How many visits the petitioner has had: the paper ones plus those in the timeline. An
    /// amended visit counts once and a voided one not at all.
    pub fn visit_count<'a>(&self, records: impl IntoIterator<Item = &'a Record>) -> u32 {
        let mine: Vec<Record> = records
            .into_iter()
            .filter(|r| r.file_id == self.id)
            .cloned()
            .collect();
        let logged = crate::folds::ledger::effective(&mine)
            .into_iter()
            .filter(|r| matches!(r.body, RecordBody::Visit(_)))
            .count();
        self.matter.visits_before_app + u32::try_from(logged).unwrap_or(u32::MAX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures;

    #[test]
    fn an_amendment_counts_instead_of_the_original_and_both_stay() {
        let visit = fixtures::visit("f1", "u1");
        let fixed = fixtures::amendment(&visit, fixtures::visit("f1", "u1").body);
        let records = vec![visit.clone(), fixed.clone()];
        assert_eq!(
            standings(&records).get(&visit.id),
            Some(&Standing::Amended { by: fixed.id })
        );
        let counted: Vec<_> = effective(&records).iter().map(|r| r.id).collect();
        assert_eq!(counted, vec![fixed.id]);
    }

    #[test]
    fn a_voided_record_and_the_void_itself_do_not_count() {
        let note = fixtures::note("f1", "u1");
        let void = fixtures::void(&note, "记错了档案");
        let other = fixtures::note("f1", "u1");
        let records = vec![note.clone(), void.clone(), other.clone()];
        assert_eq!(
            standings(&records).get(&note.id),
            Some(&Standing::Voided {
                by: void.id,
                reason: "记错了档案".into()
            })
        );
        let counted: Vec<_> = effective(&records).iter().map(|r| r.id).collect();
        assert_eq!(counted, vec![other.id]);
    }

    #[test]
    fn voiding_an_amended_record_withdraws_it() {
        let visit = fixtures::visit("f1", "u1");
        let fixed = fixtures::amendment(&visit, visit.body.clone());
        let void = fixtures::void(&visit, "重复录入");
        let records = vec![visit.clone(), fixed.clone(), void.clone()];
        assert!(matches!(
            standings(&records).get(&visit.id),
            Some(Standing::Voided { .. })
        ));
        // The amendment itself still counts until it is voided too.
        let counted: Vec<_> = effective(&records).iter().map(|r| r.id).collect();
        assert_eq!(counted, vec![fixed.id]);
    }
}

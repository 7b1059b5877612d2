//! Which cadre records wait for a supervisor, and what was decided about the others.
//!
//! Visits and assistance actions are reviewed: DOMAIN.md has supervisors review visit logs, and
//! assistance spends public money. Conversation notes are not: they hold what was said in
//! confidence, and reading them is not needed to supervise the work (PIPL: only what the task
//! needs). Supervisors read what was done; nothing here counts or ranks people.

use crate::base::ids::{RecordId, UserId};
use crate::folds::ledger::{Standing, standings};
use crate::records::kinds::needs_review;
use crate::records::record::{Record, RecordBody};
use crate::records::supervision::ReviewDecision;
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// A supervisor's decision as it reached the record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Decision {
    pub review: RecordId,
    pub decision: ReviewDecision,
    pub comment: String,
    pub by: UserId,
    pub by_name: String,
    #[serde(deserialize_with = "crate::base::dates::wire::naive_date_time")]
    pub at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum ReviewState {
    Pending,
    Approved {
        decision: Decision,
    },
    /// Waiting for the cadre to amend it.
    Returned {
        decision: Decision,
    },
    /// Returned and then amended: answered; the amendment has its own state.
    Answered {
        returned: Decision,
        amendment: RecordId,
    },
    /// Amended without having been returned: the amendment is what is reviewed now.
    Superseded {
        by: RecordId,
    },
    /// Voided: nothing left to review.
    Withdrawn,
}

impl ReviewState {
    pub fn is_pending(&self) -> bool {
        matches!(self, ReviewState::Pending)
    }
}

/// A record that needs review and where it stands.
#[derive(Debug, Clone, PartialEq)]
pub struct Reviewed<'a> {
    pub record: &'a Record,
    pub state: ReviewState,
}

/// The review state of every record in `records` that needs review, in `records` order. The
/// latest review of a record wins; a voided review does not count, an amended one counts as
/// amended; a review by the record's own author does not count (nobody approves their own work).
pub fn review_states(records: &[Record]) -> Vec<Reviewed<'_>> {
    let standing = standings(records);
    let authors: HashMap<RecordId, &UserId> = records.iter().map(|r| (r.id, &r.author)).collect();
    let mut reviews: Vec<&Record> = crate::folds::ledger::effective(records)
        .into_iter()
        .filter(|r| matches!(r.body, RecordBody::Review(_)))
        .collect();
    reviews.sort_by_key(|r| (r.occurred_at, r.saved_at));
    let mut latest: HashMap<RecordId, Decision> = HashMap::new();
    for r in reviews {
        let RecordBody::Review(review) = &r.body else {
            continue;
        };
        if authors.get(&review.of) == Some(&&r.author) {
            continue;
        }
        latest.insert(
            review.of,
            Decision {
                review: r.id,
                decision: review.decision,
                comment: review.comment.clone(),
                by: r.author.clone(),
                by_name: r.author_name.clone(),
                at: r.occurred_at,
            },
        );
    }
    records
        .iter()
        .filter(|r| needs_review(&r.body))
        .map(|record| {
            let decision = latest.remove(&record.id);
            let returned = decision
                .as_ref()
                .is_some_and(|d| d.decision == ReviewDecision::Return);
            let state = match (standing.get(&record.id), decision) {
                (Some(Standing::Voided { .. }), _) => ReviewState::Withdrawn,
                (Some(Standing::Amended { by }), Some(d)) if returned => ReviewState::Answered {
                    returned: d,
                    amendment: *by,
                },
                (Some(Standing::Amended { by }), _) => ReviewState::Superseded { by: *by },
                (Some(Standing::Current) | None, None) => ReviewState::Pending,
                (Some(Standing::Current) | None, Some(d)) if returned => {
                    ReviewState::Returned { decision: d }
                }
                (Some(Standing::Current) | None, Some(d)) => ReviewState::Approved { decision: d },
            };
            Reviewed { record, state }
        })
        .collect()
}

/// The records waiting for a supervisor's decision, in `records` order.
pub fn pending(records: &[Record]) -> Vec<&Record> {
    review_states(records)
        .into_iter()
        .filter(|r| r.state.is_pending())
        .map(|r| r.record)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::targets::review_target_problem;
    use crate::checks::verdict::Rejection;
    use crate::fixtures;
    use crate::records::supervision::ReviewDecision::{Approve, Return};

    fn state_of(records: &[Record], id: RecordId) -> ReviewState {
        review_states(records)
            .into_iter()
            .find(|r| r.record.id == id)
            .map(|r| r.state)
            .expect("needs review")
    }

    #[test]
    fn visits_and_assistance_wait_for_review_notes_do_not() {
        let visit = fixtures::visit("f1", "u1");
        let help = fixtures::assistance("f1", "u1");
        let note = fixtures::note("f1", "u1");
        let records = vec![visit.clone(), help.clone(), note];
        let waiting: Vec<_> = pending(&records).iter().map(|r| r.id).collect();
        assert_eq!(waiting, vec![visit.id, help.id]);
    }

    #[test]
    fn the_latest_review_wins() {
        let visit = fixtures::visit("f1", "u1");
        let back = fixtures::review(&visit, "s1", Return, "请补充参加人员职务");
        let mut ok = fixtures::review(&visit, "s1", Approve, "");
        ok.occurred_at += chrono::Duration::hours(2);
        let records = vec![visit.clone(), ok.clone(), back];
        assert!(matches!(
            state_of(&records, visit.id),
            ReviewState::Approved { decision } if decision.review == ok.id && decision.by_name == "张督查"
        ));
    }

    #[test]
    fn a_returned_record_says_why_and_who() {
        let visit = fixtures::visit("f1", "u1");
        let back = fixtures::review(&visit, "s1", Return, "请补充参加人员职务");
        let records = vec![visit.clone(), back.clone()];
        let ReviewState::Returned { decision } = state_of(&records, visit.id) else {
            panic!("returned")
        };
        assert_eq!(decision.comment, "请补充参加人员职务");
        assert_eq!(decision.by, UserId::from("s1"));
        assert_eq!(decision.at, back.occurred_at);
        assert!(pending(&records).is_empty());
    }

    #[test]
    fn an_amended_returned_record_is_answered_and_its_amendment_waits() {
        let visit = fixtures::visit("f1", "u1");
        let back = fixtures::review(&visit, "s1", Return, "请补充参加人员职务");
        let fixed = fixtures::amendment(&visit, visit.body.clone());
        let records = vec![visit.clone(), back, fixed.clone()];
        assert!(matches!(
            state_of(&records, visit.id),
            ReviewState::Answered { amendment, .. } if amendment == fixed.id
        ));
        assert_eq!(state_of(&records, fixed.id), ReviewState::Pending);
    }

    #[test]
    fn amended_unreturned_voided_and_self_reviewed_records() {
        let visit = fixtures::visit("f1", "u1");
        let fixed = fixtures::amendment(&visit, visit.body.clone());
        let help = fixtures::assistance("f1", "u1");
        let void = fixtures::void(&help, "记错了档案");
        let own = fixtures::visit("f1", "u1");
        let self_ok = fixtures::review(&own, "u1", Approve, "");
        let records = vec![
            visit.clone(),
            fixed.clone(),
            help.clone(),
            void,
            own.clone(),
            self_ok,
        ];
        assert_eq!(
            state_of(&records, visit.id),
            ReviewState::Superseded { by: fixed.id }
        );
        assert_eq!(state_of(&records, help.id), ReviewState::Withdrawn);
        assert_eq!(state_of(&records, own.id), ReviewState::Pending);
    }

    #[test]
    fn a_review_names_another_authors_visit_or_assistance_of_its_own_file() {
        let visit = fixtures::visit("f1", "u1");
        let help = fixtures::assistance("f1", "u1");
        let ok = fixtures::review(&visit, "s1", Approve, "");
        assert_eq!(review_target_problem(&ok, Some(&visit)), None);
        let ok_help = fixtures::review(&help, "s1", Return, "请补签收单");
        assert_eq!(review_target_problem(&ok_help, Some(&help)), None);

        let refused = Some(Rejection::NotReviewable);
        assert_eq!(review_target_problem(&ok, None), refused, "nothing named");
        let elsewhere = fixtures::visit("f2", "u1");
        let cross = fixtures::review(&elsewhere, "s1", Approve, "");
        let cross = Record {
            file_id: visit.file_id.clone(),
            ..cross
        };
        assert_eq!(
            review_target_problem(&cross, Some(&elsewhere)),
            refused,
            "another file's record"
        );
        let note = fixtures::note("f1", "u1");
        let of_note = fixtures::review(&note, "s1", Approve, "");
        assert_eq!(review_target_problem(&of_note, Some(&note)), refused);
        let listing = fixtures::listed("f1", "s2");
        let of_listing = fixtures::review(&listing, "s1", Approve, "");
        assert_eq!(review_target_problem(&of_listing, Some(&listing)), refused);
        let own = fixtures::review(&visit, "u1", Approve, "");
        assert_eq!(
            review_target_problem(&own, Some(&visit)),
            refused,
            "own record"
        );
        assert_eq!(review_target_problem(&visit, None), None, "not a review");
    }

    #[test]
    fn a_voided_review_no_longer_counts() {
        let visit = fixtures::visit("f1", "u1");
        let back = fixtures::review(&visit, "s1", Return, "地点不清");
        let withdrawn = fixtures::void(&back, "审错了记录");
        let records = vec![visit.clone(), back, withdrawn];
        assert_eq!(state_of(&records, visit.id), ReviewState::Pending);
    }
}

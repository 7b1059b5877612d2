//! The exactly-once upload rules as pure functions, so the server and the phone run the same code
//! and a property test (`tests/protocol_model.rs`) can drive them through a lossy network.
//!
//! The server remembers an outcome per (device, seq) and stores each record once by its own id;
//! the phone keeps an operation in its outbox until an acknowledgement of exactly that operation
//! arrives. Together a lost response, a retried or duplicated request, or an old copy arriving
//! late never stores anything twice and never loses a record.

use crate::base::ids::RecordId;
use crate::checks::verdict::{Outcome, Rejection};
use crate::records::record::Record;
use crate::wire::upload::{Ack, Op};

/// What the server already holds when an operation arrives.
#[derive(Debug, Clone)]
pub struct Prior<'a> {
    /// The (record id, outcome) stored for this (device, seq), if the op was seen before.
    pub seen: Option<(RecordId, &'a Outcome)>,
    /// The record already stored under the op's record id, if any.
    pub existing: Option<&'a Record>,
    /// Why this account may not store this record (author mismatch, invalid, not permitted), if so.
    pub refusal: Option<Rejection>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Decision {
    /// A repeat of an operation already applied: answer with the stored outcome, change nothing.
    Repeat(Outcome),
    /// Store the record and remember the outcome `Stored` for (device, seq).
    Insert,
    /// Store nothing new; remember this outcome for (device, seq) and answer it.
    Record(Outcome),
}

impl Decision {
    /// The outcome to answer the phone with.
    pub fn outcome(&self) -> Outcome {
        match self {
            Decision::Repeat(outcome) | Decision::Record(outcome) => outcome.clone(),
            Decision::Insert => Outcome::Stored,
        }
    }
}

/// What the server does with one operation.
///
/// A (device, seq) seen before with another record id — a phone whose storage was wiped but
/// kept its device id, say — is not a repeat: the record is judged and stored by its own id as
/// usual, but the server keeps the first mark for (device, seq) (insert it "if absent"), so an
/// old copy of the first operation is still answered with its own outcome.
pub fn decide(op: &Op, prior: Prior<'_>) -> Decision {
    if let Some((record_id, outcome)) = prior.seen
        && record_id == op.record.id
    {
        return Decision::Repeat(outcome.clone());
    }
    // Refusal comes first: a record another account stored must not be confirmed to this one.
    if let Some(reason) = prior.refusal {
        return Decision::Record(Outcome::Rejected { reason });
    }
    match prior.existing {
        Some(stored) if *stored == op.record => Decision::Record(Outcome::Stored),
        Some(_) => Decision::Record(Outcome::Rejected {
            reason: Rejection::IdConflict,
        }),
        None => Decision::Insert,
    }
}

/// Whether an acknowledgement ends this operation's life in the outbox: only one for exactly
/// this operation (seq and record id) does, so an answer meant for an earlier outbox that
/// reused the number cannot settle a record the server never saw.
pub fn settles(op: &Op, ack: &Ack) -> bool {
    op.seq == ack.seq && op.record.id == ack.record_id
}

/// The next operations to send: the oldest `max`, so records reach the server in the order they
/// were saved. `outbox` must be in seq order, as the phone's store keeps it.
pub fn next_batch(outbox: &[Op], max: usize) -> &[Op] {
    debug_assert!(
        outbox.is_sorted_by_key(|op| op.seq),
        "outbox out of seq order"
    );
    &outbox[..max.min(outbox.len())]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures;

    fn op(seq: u64, record: &Record) -> Op {
        Op {
            seq,
            record: record.clone(),
        }
    }

    #[test]
    fn each_prior_state_gets_its_decision() {
        let record = fixtures::visit("f1", "u1");
        let mut edited = record.clone();
        edited.author_name = "李四".into();
        let other_id = RecordId::new_random();
        let stored = Outcome::Stored;
        let invalid = Outcome::Rejected {
            reason: Rejection::Invalid { errors: vec![] },
        };
        let rejected = |reason| Decision::Record(Outcome::Rejected { reason });
        #[rustfmt::skip]
        let cases: Vec<(&str, Prior, Decision)> = vec![
            ("new record is inserted",
             Prior { seen: None, existing: None, refusal: None }, Decision::Insert),
            ("repeat answers the stored outcome",
             Prior { seen: Some((record.id, &stored)), existing: Some(&record), refusal: None },
             Decision::Repeat(Outcome::Stored)),
            ("repeat of a rejection stays rejected, even if now allowed",
             Prior { seen: Some((record.id, &invalid)), existing: None, refusal: None },
             Decision::Repeat(invalid.clone())),
            ("repeat wins over a refusal judged now",
             Prior { seen: Some((record.id, &stored)), existing: Some(&record),
                     refusal: Some(Rejection::NotPermitted) },
             Decision::Repeat(Outcome::Stored)),
            ("refused record is rejected",
             Prior { seen: None, existing: None, refusal: Some(Rejection::AuthorMismatch) },
             rejected(Rejection::AuthorMismatch)),
            ("refusal wins over an equal stored record",
             Prior { seen: None, existing: Some(&record), refusal: Some(Rejection::NotPermitted) },
             rejected(Rejection::NotPermitted)),
            ("same record via another op is stored, not inserted",
             Prior { seen: None, existing: Some(&record), refusal: None },
             Decision::Record(Outcome::Stored)),
            ("other content under the same id is a conflict",
             Prior { seen: None, existing: Some(&edited), refusal: None },
             rejected(Rejection::IdConflict)),
            ("reused seq with another record is judged as new",
             Prior { seen: Some((other_id, &stored)), existing: None, refusal: None },
             Decision::Insert),
            ("reused seq with another record can still be refused",
             Prior { seen: Some((other_id, &stored)), existing: None,
                     refusal: Some(Rejection::NotPermitted) },
             rejected(Rejection::NotPermitted)),
        ];
        for (name, prior, expected) in cases {
            assert_eq!(decide(&op(7, &record), prior), expected, "{name}");
        }
    }

    #[test]
    fn only_an_ack_of_this_very_op_settles_it() {
        let record = fixtures::note("f1", "u1");
        let sent = op(3, &record);
        let ack = |seq, record_id| Ack {
            seq,
            record_id,
            outcome: Outcome::Stored,
        };
        let cases = [
            ("same seq and record", ack(3, record.id), true),
            ("another seq", ack(4, record.id), false),
            (
                "same seq, another record",
                ack(3, RecordId::new_random()),
                false,
            ),
        ];
        for (name, ack, expected) in cases {
            assert_eq!(settles(&sent, &ack), expected, "{name}");
        }
    }

    #[test]
    fn batches_take_the_oldest_ops_first() {
        let outbox: Vec<Op> = (1..=5)
            .map(|seq| op(seq, &fixtures::note("f1", "u1")))
            .collect();
        let seqs = |ops: &[Op]| ops.iter().map(|op| op.seq).collect::<Vec<_>>();
        let cases: [(&[Op], usize, Vec<u64>); 4] = [
            (&outbox, 2, vec![1, 2]),
            (&outbox, 50, vec![1, 2, 3, 4, 5]),
            (&outbox[3..], 50, vec![4, 5]),
            (&[], 50, vec![]),
        ];
        for (ops, max, expected) in cases {
            assert_eq!(seqs(next_batch(ops, max)), expected, "max {max}");
        }
    }
}

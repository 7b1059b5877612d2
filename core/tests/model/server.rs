//! The server as maps: what `server/src/db/upload.rs` does in one transaction, the acks it
//! answers and an empty change feed.

use chrono::{DateTime, Utc};
use std::collections::HashMap;
use xiafang_core::protocol::{Decision, Prior, decide};
use xiafang_core::{DeviceId, Record, RecordId, UserId};
use xiafang_core::{
    feed::{Cursor, PullResponse},
    upload::{Ack, AcksQuery, MAX_BATCH_OPS, Op, PushRequest, PushResponse},
    verdict::{Outcome, Rejection},
};

#[derive(Default)]
pub struct Server {
    device_ops: HashMap<(DeviceId, u64), (RecordId, Outcome)>,
    pub records: HashMap<RecordId, Record>,
    /// Record ids in the order they were stored.
    pub ledger: Vec<RecordId>,
}

impl Server {
    pub fn push(&mut self, account: &UserId, request: &PushRequest) -> PushResponse {
        let acks = request
            .ops
            .iter()
            .map(|op| Ack {
                seq: op.seq,
                record_id: op.record.id,
                outcome: self.apply(account, request.device_id, op),
            })
            .collect();
        PushResponse { acks, erase: false }
    }

    pub fn acks(&self, query: &AcksQuery) -> PushResponse {
        let mut acks: Vec<Ack> = self
            .device_ops
            .iter()
            .filter(|((device, seq), _)| *device == query.device_id && *seq > query.after)
            .map(|((_, seq), (record_id, outcome))| Ack {
                seq: *seq,
                record_id: *record_id,
                outcome: outcome.clone(),
            })
            .collect();
        acks.sort_by_key(|a| a.seq);
        acks.truncate(MAX_BATCH_OPS);
        PushResponse { acks, erase: false }
    }

    pub fn pull(&self, now: DateTime<Utc>) -> PullResponse {
        PullResponse {
            resend: false,
            reset: false,
            files: vec![],
            records: vec![],
            cursor: Cursor(self.ledger.len().to_string()),
            more: false,
            server_time: now,
        }
    }

    /// Whether the server already answered exactly this operation.
    pub fn acknowledged(&self, device: DeviceId, op: &Op) -> bool {
        self.device_ops
            .get(&(device, op.seq))
            .is_some_and(|(id, _)| *id == op.record.id)
    }

    fn apply(&mut self, account: &UserId, device: DeviceId, op: &Op) -> Outcome {
        let refusal = if op.record.author != *account {
            Some(Rejection::AuthorMismatch)
        } else {
            op.record
                .validate()
                .err()
                .map(|errors| Rejection::Invalid { errors })
        };
        let key = (device, op.seq);
        let prior = Prior {
            seen: self
                .device_ops
                .get(&key)
                .map(|(id, outcome)| (*id, outcome)),
            existing: self.records.get(&op.record.id),
            refusal,
        };
        let decision = decide(op, prior);
        let outcome = decision.outcome();
        match decision {
            Decision::Repeat(_) => return outcome,
            Decision::Insert => {
                self.records.insert(op.record.id, op.record.clone());
                self.ledger.push(op.record.id);
            }
            Decision::Record(_) => {}
        }
        self.device_ops
            .entry(key)
            .or_insert((op.record.id, outcome.clone()));
        outcome
    }
}

//! Uploading: a phone numbers every record it saves with an increasing `seq` and keeps it in
//! an outbox until the server acknowledges exactly that operation; the server stores each
//! operation once (by device and seq, and by the record's own id) and answers a repeat with
//! the outcome it gave the first time, so a retry or a duplicated request stores nothing twice.

use crate::base::ids::{DeviceId, RecordId};
use crate::checks::verdict::{Outcome, Rejection};
use crate::records::record::Record;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Operations per upload request: small enough for a weak 2G link to finish one request.
pub const MAX_BATCH_OPS: usize = 50;
/// Largest request body the server accepts (a full batch of long visit logs fits easily).
pub const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;

/// One record waiting in a phone's outbox.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Op {
    pub seq: u64,
    pub record: Record,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PushRequest {
    pub device_id: DeviceId,
    pub ops: Vec<Op>,
    /// The phone's clock when it sent the batch. Never used to order anything: the server only
    /// compares it with its own clock so a supervisor can see that a device's clock was off.
    #[serde(deserialize_with = "crate::base::dates::wire::date_time")]
    pub device_time: DateTime<Utc>,
}

/// `GET /api/sync/acks?device_id=…&after=N`: the outcomes the server already stored for this
/// device's operations numbered above `after`, oldest first, at most `MAX_BATCH_OPS`. A phone
/// whose last upload got no answer asks this first, so it never resends what already arrived.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AcksQuery {
    pub device_id: DeviceId,
    pub after: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PushResponse {
    /// One acknowledgement per operation of the request, in the same order.
    pub acks: Vec<Ack>,
    /// This device was revoked (a lost phone): what it sent is in quarantine, and it must now
    /// erase its local copy of everyone's data.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub erase: bool,
}

/// Written flat (`{"seq", "record_id", "outcome", "reason"?}`) through `#[serde(flatten)]`;
/// read by hand (below).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ack {
    pub seq: u64,
    pub record_id: RecordId,
    #[serde(flatten)]
    pub outcome: Outcome,
}

/// The derived reader of a flattened, internally tagged enum buffers the object in serde's
/// `Content` first; a plain struct reads the same text with less code in the phone's wasm
/// (issue 17). `core/tests/wire_golden.rs` holds every shape to the text the derive read.
impl<'de> Deserialize<'de> for Ack {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Flat {
            seq: u64,
            record_id: RecordId,
            outcome: String,
            #[serde(default)]
            reason: Option<Rejection>,
        }
        use serde::de::Error;
        let flat = Flat::deserialize(deserializer)?;
        let outcome = match (flat.outcome.as_str(), flat.reason) {
            ("stored", _) => Outcome::Stored,
            ("quarantined", _) => Outcome::Quarantined,
            ("rejected", Some(reason)) => Outcome::Rejected { reason },
            ("rejected", None) => return Err(D::Error::missing_field("reason")),
            (other, _) => return Err(D::Error::unknown_variant(other, &[])),
        };
        Ok(Self {
            seq: flat.seq,
            record_id: flat.record_id,
            outcome,
        })
    }
}

/// Where a record on the phone stands with the server. Kept on the phone as
/// `{"state", "reason"?}`; read by hand (below), like `Ack`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum SyncState {
    /// Saved on the phone, waiting in the outbox.
    Pending,
    /// Acknowledged by the server.
    Uploaded,
    Rejected {
        reason: Rejection,
    },
}

impl<'de> Deserialize<'de> for SyncState {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Flat {
            state: String,
            #[serde(default)]
            reason: Option<Rejection>,
        }
        use serde::de::Error;
        let flat = Flat::deserialize(deserializer)?;
        Ok(match (flat.state.as_str(), flat.reason) {
            ("pending", _) => SyncState::Pending,
            ("uploaded", _) => SyncState::Uploaded,
            ("rejected", Some(reason)) => SyncState::Rejected { reason },
            ("rejected", None) => return Err(D::Error::missing_field("reason")),
            (other, _) => return Err(D::Error::unknown_variant(other, &[])),
        })
    }
}

impl From<&Outcome> for SyncState {
    fn from(outcome: &Outcome) -> Self {
        match outcome {
            // The server holds it either way; a revoked phone erases its copy right after.
            Outcome::Stored | Outcome::Quarantined => SyncState::Uploaded,
            Outcome::Rejected { reason } => SyncState::Rejected {
                reason: reason.clone(),
            },
        }
    }
}

//! What a phone asks and tells about files' hash chains (issue 19): the heads of the files it
//! may read, one file's chain as stored with the latest signed statement covering it, and the
//! report of what did not match its own copy.

use crate::base::ids::FileId;
use crate::folds::chain::{ChainHash, FileHead};
use crate::folds::held_chain::{Mismatch, StatedLink};
use crate::folds::roots::{RootStatement, SignatureAlgorithm};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// `GET /api/chain/heads`: each readable file's chain as stored (length and last link). A phone
/// asks for one file's whole chain only where this differs from what it accepted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainHeads {
    pub heads: Vec<FileHead>,
}

/// `GET /api/files/{id}/chain`: the file's records in the server's order, each with its stored
/// link and the hash of its content as stored now, and the latest signed statement that covers
/// the file with the proof that its head is in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileChain {
    pub file: FileId,
    pub links: Vec<StatedLink>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statement: Option<StatementProof>,
}

/// A signed daily statement and where one file's head stands in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementProof {
    pub statement: RootStatement,
    /// Which scheme signed it (the deployment's choice), and, hex, the public key and its
    /// signature of `statement.statement_bytes()`.
    #[serde(default)]
    pub algorithm: SignatureAlgorithm,
    pub public_key: String,
    pub signature: String,
    /// The file's leaf, its index among the statement's sorted leaves, and its audit path.
    pub head: FileHead,
    pub index: u64,
    pub path: Vec<ChainHash>,
}

/// The most mismatches one report carries: more is a file rewritten wholesale, and the first
/// ones say so.
pub const MAX_REPORT_MISMATCHES: usize = 100;

/// `POST /api/chain/reports`: a phone's copy of a file no longer matches the server's. Sent
/// again until acknowledged; `id` (made on the phone) keeps a repeat from counting twice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainReport {
    pub id: Uuid,
    pub file: FileId,
    pub mismatches: Vec<Mismatch>,
    /// The last day (China time) the phone found the file as it held it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(deserialize_with = "crate::base::dates::wire::naive_date_opt")]
    pub last_matched: Option<NaiveDate>,
}

/// A report as supervisors read it (`GET /api/files/{id}/chain/reports`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceivedReport {
    pub report: ChainReport,
    pub account: crate::base::ids::UserId,
    #[serde(deserialize_with = "crate::base::dates::wire::date_time")]
    pub received_at: chrono::DateTime<chrono::Utc>,
}

/// A position no file's chain reaches: beyond it a report is garbage.
const MAX_POSITION: u64 = 1_000_000;

impl ChainReport {
    /// Why the server refuses this report (in Chinese), `None` when it may be kept. `today` is
    /// the server's China day.
    pub fn refusal(&self, today: NaiveDate) -> Option<&'static str> {
        if self.mismatches.is_empty() {
            return Some("报告中没有不一致的记录");
        }
        if self.mismatches.len() > MAX_REPORT_MISMATCHES {
            return Some("一份报告最多列出 100 条不一致的记录");
        }
        if self.mismatches.iter().any(|m| m.position() > MAX_POSITION) {
            return Some("记录的位置超出范围");
        }
        if self.last_matched.is_some_and(|d| d > today) {
            return Some("最后一致的日期不能晚于今天");
        }
        None
    }
}

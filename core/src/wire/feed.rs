//! Downloading: the change feed a phone pulls, page by page, from its cursor.

use crate::records::file::PetitionerFile;
use crate::records::record::Record;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Records and file changes per download page: a phone on 2G finishes one page in seconds.
pub const MAX_PULL_ITEMS: usize = 500;

/// Where a phone stands in the server's change feed. Opaque to the phone: it stores the string
/// it was given and sends it back (`GET /api/sync/pull?cursor=…`). The server puts the feed
/// position and a fingerprint of the files the account may read into it, so a cursor from
/// another scope (a new assignment, a different account) or from the future (a database restored
/// from a backup) is recognised as stale and answered with a reset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Cursor(pub String);

/// One page of the change feed for the signed-in account's files.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PullResponse {
    /// When true the phone first forgets every file and uploaded record it downloaded before
    /// (never its own pending or rejected records), then applies this page: the feed restarts
    /// from the beginning of the account's scope.
    pub reset: bool,
    /// Files created or changed since the cursor, in their current state.
    pub files: Vec<PetitionerFile>,
    /// Records stored since the cursor.
    pub records: Vec<Record>,
    /// Store with this page's contents, in the same storage transaction.
    pub cursor: Cursor,
    /// More pages wait: pull again at once with the new cursor.
    pub more: bool,
    #[serde(deserialize_with = "crate::base::dates::wire::date_time")]
    pub server_time: DateTime<Utc>,
    /// The server no longer holds everything it acknowledged to this phone (it was restored from
    /// a backup): comes with `reset`. The phone queues every record it saved for upload again;
    /// the server stores each one it lacks and answers the others as already there, so nothing
    /// is stored twice.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub resend: bool,
}

/// What a phone says about itself when it pulls: where it stands in the feed, and the last of
/// its own upload operations the server acknowledged (`&acked=N`). A server that lost that
/// operation, or the records up to the cursor, lost history the phone holds: it answers with
/// `resend`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Standing {
    pub cursor: Option<Cursor>,
    pub acked: Option<u64>,
}

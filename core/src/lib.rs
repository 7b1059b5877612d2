//! Xiafang's domain and sync protocol, shared by the PWA and the case server.
//!
//! No I/O lives here: every rule about what a record means, whether it is valid and how it travels
//! between a phone and the server is a pure function, so it is tested natively in milliseconds.
//!
//! The modules stand in layers, each using only those below it (`tests/layers.rs` keeps it so):
//!
//! ```text
//! engine    the phone's upload and download engine: events in, commands out, no I/O
//! judge     what the server does with an upload, and what a phone offers to record on a file
//! wire      what travels between phone and server: uploads, the feed, sessions, admin, errors
//! reports   what supervisors are judged by: figures, ledgers, exports
//! folds     what a file's records add up to: the ledger, the case, deadlines, reviews, search
//! checks    whether a record may be stored: validation, permissions, targets, the verdict
//! records   what cadres, legal teams and supervisors write: files, records and their parts
//! base      ids, clocks, languages, money, problems with a typed value, ciphers, PINs
//! ```
//!
//! Other crates name a module by its own name (`xiafang_core::record`); inside `core` the layer
//! is always spelled out (`crate::records::record`), so a reader sees which way a `use` points.

#[macro_use]
pub mod base;
pub mod checks;
pub mod engine;
pub mod folds;
pub mod judge;
pub mod records;
pub mod reports;
pub mod wire;

#[cfg(any(test, feature = "fixtures"))]
pub mod fixtures;

pub use base::{cipher, dates, hlc, ids, lang, money, pin, problem};
pub use checks::{permissions, targets, validation, verdict};
pub use folds::{
    calendar, case, chain, deadlines, held_chain, ledger, repeats, review, roots, search,
    signatures, tasks, team, todo, warnings,
};
pub use records::leader_accounts;
pub use records::{
    account, attachment, canonical, case_step, file, file_edit, id_number, kinds, legal, ownership,
    reception, record, supervision, tasking, warning,
};
pub use reports::task_ledger;
pub use reports::{export, figures, ledger_chain, ledgers, receptions};
// 矛盾纠纷排查: the record (on a place's screening ledger) and its rhythm.
pub use folds::screenings;
pub use records::screening;
pub use wire::{
    admin, api_error, audit, chain_check, feed, ledger_import, protocol, retry, session, upload,
    verify,
};

pub use base::ids::{DeviceId, FileId, RecordId, UserId};
pub use base::labeled::Labeled;
pub use base::lang::Lang;
pub use base::problem::{Field, FieldError, Problem};
pub use records::file::{Category, FileSummary, Matter, PetitionerFile, Sex};
pub use records::record::{
    Assistance, AssistanceKind, AssistanceStatus, Mood, Note, Record, RecordBody, RiskLevel, Visit,
    VisitKind,
};

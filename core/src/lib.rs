//! Xiafang's domain and sync protocol, shared by the PWA and the case server.
//!
//! No I/O lives here: every rule about what a record means, whether it is valid and how it travels
//! between a phone and the server is a pure function, so it is tested natively in milliseconds.

#[macro_use]
mod labeled;
pub mod attachment;
pub mod case;
pub mod case_step;
pub mod cipher;
pub mod deadlines;
pub mod engine;
pub mod export;
pub mod figures;
pub mod file;
pub mod file_edit;
#[cfg(any(test, feature = "fixtures"))]
pub mod fixtures;
pub mod hlc;
pub mod ids;
pub mod lang;
pub mod ledger;
pub mod ledgers;
pub mod legal;
pub mod money;
mod names;
pub mod permissions;
pub mod pin;
pub mod protocol;
pub mod record;
pub mod review;
pub mod search;
pub mod supervision;
pub mod sync;
pub mod validation;

pub use file::{Category, Matter, PetitionerFile, Sex};
pub use ids::{DeviceId, FileId, RecordId, UserId};
pub use labeled::Labeled;
pub use lang::Lang;
pub use record::{
    Assistance, AssistanceKind, AssistanceStatus, Mood, Note, Record, RecordBody, RiskLevel, Visit,
    VisitKind,
};
pub use validation::{Field, FieldError, Problem};

//! Whether a record may be stored: its fields are valid, its author may write it on this file,
//! and what it names exists; and the verdict the server answers with.

mod names;
pub mod permissions;
pub mod targets;
pub mod validation;
pub mod verdict;

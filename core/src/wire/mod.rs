//! What travels between a phone and the case server, and the exactly-once rules it obeys.

pub mod admin;
pub mod api_error;
pub mod audit;
pub mod chain_check;
pub mod feed;
pub mod ledger_import;
pub mod protocol;
pub mod retry;
pub mod session;
pub mod upload;
pub mod verify;

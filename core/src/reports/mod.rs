//! What supervisors read and are judged by: figures over many files, the ledgers and exports.

pub mod export;
pub mod figures;
pub mod ledger_chain;
pub mod ledgers;
pub mod receptions;
pub mod task_ledger;

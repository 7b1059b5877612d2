//! What people write: a petitioner's file and the records kept against it (visits, assistance,
//! notes, case steps, legal work, supervision, signatures and photos), as data.

pub mod account;
pub mod attachment;
pub mod canonical;
pub mod case_step;
pub mod file;
pub mod file_edit;
pub mod id_number;
pub mod kinds;
pub mod labelled;
pub mod leader_accounts;
pub mod legal;
pub mod ownership;
pub mod readers;
pub mod reception;
pub mod record;
pub mod screening;
pub mod supervision;
pub mod tasking;
pub mod warning;

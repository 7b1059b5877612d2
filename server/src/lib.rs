//! The Xiafang case server: stores what phones upload, exactly once, and serves the PWA.

pub mod auth;
pub mod backup;
pub mod chain_key;
pub mod cli;
pub mod config;
pub mod db;
pub mod demo;
pub mod http;
pub mod import;
pub mod ledger_check;
pub mod limits;
pub mod logs;
pub mod metrics;
pub mod moving;
pub mod proof;
pub mod shutdown;
pub mod xlsx;

pub use http::{AppState, app};

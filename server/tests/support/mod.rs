//! Pieces of the fault-injection and restore tests (`tests/faults.rs`, `tests/restore.rs`): a
//! bare HTTP/1.1 client, a proxy that mistreats requests, the real server binary as a child
//! process that can be killed, phones running the shipping sync engine, and what the server holds.

pub mod faults;
pub mod fleet;
pub mod holdings;
pub mod http;
pub mod instances;
pub mod phone;
pub mod process;
pub mod proxy;

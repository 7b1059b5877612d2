//! Pieces of the fault-injection test (`tests/faults.rs`): a bare HTTP/1.1 client, a proxy that
//! mistreats requests, and the real server binary as a child process that can be killed.

pub mod http;
pub mod phone;
pub mod process;
pub mod proxy;

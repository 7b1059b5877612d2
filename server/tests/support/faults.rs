//! What the fault tests share (`tests/faults.rs`, `tests/instances.rs`): killing a server
//! process mid-upload and starting it again, and collecting finished phones.

use super::phone::{Phone, PhoneStats};
use super::process::ServerProcess;
use super::proxy::Proxy;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::task::JoinError;

pub fn finished(done: Result<Phone, JoinError>) -> Phone {
    match done {
        Ok(phone) => phone,
        Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
        Err(e) => panic!("phone task: {e}"),
    }
}

/// The phones' statistics added up.
pub fn totals(phones: &[Phone]) -> PhoneStats {
    phones
        .iter()
        .fold(PhoneStats::default(), |sum, p| sum.add(&p.stats))
}

/// How many requests went through the proxy, and how many met each fault (`name=n …`).
pub fn requests_by_fault(proxy: &Proxy) -> (u64, String) {
    let counts = proxy.counts();
    let requests = counts.iter().map(|(_, n)| n).sum();
    let per_fault: Vec<String> = counts
        .iter()
        .map(|(fault, n)| format!("{}={n}", fault.name()))
        .collect();
    (requests, per_fault.join(" "))
}

#[derive(Debug, Default)]
pub struct Kills {
    pub total: u32,
    /// Kills while the proxy was waiting for a server's answer to an upload.
    pub mid_upload: u32,
}

/// SIGKILLs the server `times` times at random moments, preferably while an upload is at a
/// server, and starts it again on the same port and data after a short pause.
pub async fn kill_and_restart(
    server: Arc<tokio::sync::Mutex<ServerProcess>>,
    proxy: Arc<Proxy>,
    seed: u64,
    times: u32,
) -> Kills {
    let mut rng = StdRng::seed_from_u64(seed.rotate_left(17));
    let mut kills = Kills::default();
    for _ in 0..times {
        tokio::time::sleep(Duration::from_millis(rng.gen_range(150..600))).await;
        // Wait for an upload at the server, then kill somewhere inside it: between or within
        // its operations' transactions. If none comes, kill anyway.
        let waiting = Instant::now();
        let mid_upload = loop {
            if proxy.pushes_in_flight() > 0 {
                tokio::time::sleep(Duration::from_millis(rng.gen_range(0..4))).await;
                if proxy.pushes_in_flight() > 0 {
                    break true;
                }
            }
            if waiting.elapsed() > Duration::from_secs(3) {
                break false;
            }
            tokio::time::sleep(Duration::from_millis(1)).await;
        };
        let mut server = server.lock().await;
        server.kill().await;
        kills.total += 1;
        kills.mid_upload += u32::from(mid_upload);
        tokio::time::sleep(Duration::from_millis(rng.gen_range(50..300))).await;
        server.restart().await;
    }
    kills
}

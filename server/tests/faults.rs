//! Phones — the shipping sync engine (`xiafang_core::engine`), its commands carried out natively
//! over HTTP by `support/phone.rs` — upload through a network that drops, duplicates, delays and
//! cuts requests, to the real server binary, which is killed with SIGKILL in the middle of uploads
//! and started again.
//! Afterwards the server holds exactly the records the phones saved: none lost, none twice, each
//! as it was saved.

mod common;
#[allow(dead_code)] // each test uses a part of the support code
mod support;

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};
use support::faults::{finished, kill_and_restart, requests_by_fault, totals};
use support::holdings::{CADRES, check_server_holds_exactly_what_phones_saved, timelines};
use support::phone::{Board, Phone, RECORDS_PER_PHONE};
use support::process::ServerProcess;
use support::proxy::Proxy;
use tokio::task::JoinSet;

const PHONES_PER_CADRE: usize = 2;
const KILLS: u32 = 3;
/// Once the network is good again and the server stays up, every outbox must empty this fast.
const DRAIN_LIMIT: Duration = Duration::from_secs(60);
/// A bound on the phase with faults, in case something hangs instead of failing.
const FAULT_PHASE_LIMIT: Duration = Duration::from_secs(120);

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn saved_records_reach_the_server_exactly_once_through_network_faults_and_crashes() {
    let seed = match std::env::var("XIAFANG_FAULT_SEED") {
        Ok(s) => s
            .parse()
            .unwrap_or_else(|e| panic!("XIAFANG_FAULT_SEED={s}: {e}")),
        Err(_) => rand::random(),
    };
    println!(
        "fault seed {seed} (XIAFANG_FAULT_SEED={seed} repeats the random choices; timing still varies)"
    );
    for db in common::fresh_databases().await {
        // SQLite: the server's own file in its data directory. PostgreSQL: the fresh database.
        let url = (db.backend == "postgres").then_some(db.url.as_str());
        run(seed, db.backend, url).await;
    }
}

async fn run(seed: u64, backend: &str, database_url: Option<&str>) {
    let started = Instant::now();
    let data_dir = tempfile::tempdir().expect("temp dir");
    let server = ServerProcess::start(data_dir.path(), database_url).await;
    let direct = server.addr();
    let demo_records = timelines(direct).await;
    let proxy = Arc::new(Proxy::start(direct, seed).await);
    let server = Arc::new(tokio::sync::Mutex::new(server));

    let phone_count = CADRES.len() * PHONES_PER_CADRE;
    let board = Arc::new(Board::new(phone_count));
    let mut running = JoinSet::new();
    for index in 0..phone_count {
        let phone = Phone::new(index, &CADRES[index / PHONES_PER_CADRE], seed);
        running.spawn(phone.run(Arc::clone(&proxy), Arc::clone(&board)));
    }
    let killer = tokio::spawn(kill_and_restart(
        Arc::clone(&server),
        Arc::clone(&proxy),
        seed,
        KILLS,
    ));

    // Faults and kills go on until every phone has saved all its records and the last restart
    // is done; phones that emptied their outbox meanwhile are finished.
    let mut phones = Vec::new();
    while board.saved.load(Ordering::SeqCst) < phone_count * RECORDS_PER_PHONE
        || !killer.is_finished()
    {
        while let Some(done) = running.try_join_next() {
            phones.push(finished(done));
        }
        assert!(
            started.elapsed() < FAULT_PHASE_LIMIT,
            "[{backend}] the phase with faults did not end within {FAULT_PHASE_LIMIT:?}: {}",
            board.describe()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let kills = killer.await.expect("kill-and-restart task");
    proxy.stop_faults();
    let faults_stopped = Instant::now();
    let drained = tokio::time::timeout(DRAIN_LIMIT, async {
        while let Some(done) = running.join_next().await {
            phones.push(finished(done));
        }
    })
    .await;
    assert!(
        drained.is_ok(),
        "[{backend}] outboxes not empty {DRAIN_LIMIT:?} after the faults stopped: {}",
        board.describe()
    );
    let drain_time = faults_stopped.elapsed();
    phones.sort_by_key(|p| p.index);

    let stored = timelines(direct).await;
    check_server_holds_exactly_what_phones_saved(&demo_records, &stored, &phones);

    let total = totals(&phones);
    let (requests, per_fault) = requests_by_fault(&proxy);
    println!(
        "faults[{backend}] seed={seed} requests={requests} ({}) kills={} ({} mid-upload) \
         engine runs={} pushes={} unanswered={} acks_calls={} pulls={} logins={} signed_out={} \
         resent_after_ack={} (after an acks call that knew: {}) \
         settled_by_acks_without_answer={} records={} \
         drained {:.1}s after faults stopped, took {:.1}s",
        per_fault,
        kills.total,
        kills.mid_upload,
        total.runs,
        total.pushes,
        total.unanswered,
        total.acks_calls,
        total.pulls,
        total.logins,
        total.signed_out,
        total.resent_after_ack,
        total.resent_after_known_ack,
        total.settled_unanswered,
        phones.iter().map(|p| p.saved.len()).sum::<usize>(),
        drain_time.as_secs_f64(),
        started.elapsed().as_secs_f64(),
    );
    assert_eq!(
        total.resent_after_known_ack, 0,
        "[{backend}] phones resent operations the acks call should have settled"
    );
    assert_eq!(
        total.signed_out, 0,
        "[{backend}] phones were signed out: sessions did not survive a server restart"
    );
    server.lock().await.kill().await;
}

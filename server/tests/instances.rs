//! Two server processes share one PostgreSQL database behind a load balancer with no stickiness
//! (`support::proxy`, round-robin per request): whatever one instance stored or counted, the
//! other answers by. Phones upload through the balancer while one instance is SIGKILLed
//! mid-upload and started again; afterwards the server holds exactly what the phones saved.
//! PostgreSQL only (SQLite is one process's file); like every test, it fails rather than skips
//! when PostgreSQL is not configured, unless XIAFANG_TEST_SQLITE_ONLY=1 says so.

mod common;
#[allow(dead_code)] // each test uses a part of the support code
mod support;

use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};
use support::faults::{requests_by_fault, totals};
use support::holdings::{CADRES, check_server_holds_exactly_what_phones_saved, timelines};
use support::instances::{send, sign_in, sign_in_body, two_instances};
use support::phone::{Board, DEMO_PASSWORD, Phone, RECORDS_PER_PHONE};
use support::process::ServerProcess;
use support::proxy::Proxy;
use tokio::task::JoinSet;

const PHONES_PER_CADRE: usize = 2;
const KILLS: u32 = 2;
const PHASE_LIMIT: Duration = Duration::from_secs(120);

/// The fresh PostgreSQL database, or `None` when the run left PostgreSQL out on purpose.
async fn postgres() -> Option<common::TestDb> {
    common::fresh_databases()
        .await
        .into_iter()
        .find(|db| db.backend == "postgres")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sessions_sign_in_limits_and_image_pieces_hold_across_instances() {
    let Some(db) = postgres().await else { return };
    let dir = tempfile::tempdir().expect("temp dir");
    let instances = two_instances(dir.path(), &db.url).await;
    let [a, b] = [instances[0].addr(), instances[1].addr()];
    let balancer = Proxy::round_robin(vec![a, b], 0).await;
    balancer.stop_faults();
    let lb = balancer.addr();

    // A session made on one instance is good on the other, and signing out on one ends it on both.
    let token = sign_in(lb, "wangjg").await;
    for _ in 0..4 {
        let me = send(lb, "GET", "/api/me", Some(&token), None).await;
        assert_eq!(
            me.status, 200,
            "a session made on one instance refused by the other"
        );
    }
    let out = send(lb, "POST", "/api/logout", Some(&token), None).await;
    assert!(out.status < 300, "sign out: {}", out.status);
    for at in [a, b] {
        let me = send(at, "GET", "/api/me", Some(&token), None).await;
        assert_eq!(
            me.status, 401,
            "a session signed out on one instance still works at {at}"
        );
    }

    // Wrong passwords spread over both instances lock the name as they would on one.
    let wrong = sign_in_body("lixm", "not-the-password");
    for attempt in 0..xiafang_server::limits::MAX_ATTEMPTS {
        let r = send(lb, "POST", "/api/login", None, Some(&wrong)).await;
        assert_eq!(r.status, 401, "wrong password {attempt}: {}", r.status);
    }
    for at in [a, b] {
        let r = send(
            at,
            "POST",
            "/api/login",
            None,
            Some(&sign_in_body("lixm", DEMO_PASSWORD)),
        )
        .await;
        assert_eq!(
            r.status,
            429,
            "after {} wrong passwords over two instances, {at} still checked the right one",
            xiafang_server::limits::MAX_ATTEMPTS
        );
    }

    // An image sent in pieces, each piece to the next instance, completes once on both.
    let token = sign_in(lb, "wangjg").await;
    let image: Vec<u8> = (0..40 * 1024u32).map(|i| (i * 7 % 251) as u8).collect();
    let sha = hex::encode(Sha256::digest(&image));
    let piece = 16 * 1024;
    for (n, chunk) in image.chunks(piece).enumerate() {
        let path = format!(
            "/api/blobs/{sha}?offset={}&size={}&mime=image/jpeg",
            n * piece,
            image.len()
        );
        let r = send(lb, "PUT", &path, Some(&token), Some(chunk)).await;
        assert!(
            r.status < 300,
            "piece {n} refused ({}): {}",
            r.status,
            String::from_utf8_lossy(&r.body)
        );
    }
    for at in [a, b] {
        let r = send(
            at,
            "GET",
            &format!("/api/blobs/{sha}/upload"),
            Some(&token),
            None,
        )
        .await;
        assert_eq!(r.status, 200, "upload status at {at}");
        let status: Value = serde_json::from_slice(&r.body).expect("upload status");
        assert_eq!(
            status["complete"], true,
            "image incomplete at {at}: {status}"
        );
        let r = send(at, "GET", &format!("/api/blobs/{sha}"), Some(&token), None).await;
        assert_eq!(r.status, 200, "download at {at}");
        assert!(r.body == image, "{at} gave other bytes than were uploaded");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn phones_upload_exactly_once_through_two_instances_while_one_is_killed() {
    let Some(db) = postgres().await else { return };
    let seed: u64 = match std::env::var("XIAFANG_FAULT_SEED") {
        Ok(s) => s
            .parse()
            .unwrap_or_else(|e| panic!("XIAFANG_FAULT_SEED={s}: {e}")),
        Err(_) => rand::random(),
    };
    println!("fault seed {seed}");
    let started = Instant::now();
    let dir = tempfile::tempdir().expect("temp dir");
    let [a, b] = two_instances(dir.path(), &db.url).await;
    let survivor = b.addr();
    let demo_records = timelines(survivor).await;
    let balancer = Arc::new(Proxy::round_robin(vec![a.addr(), b.addr()], seed).await);
    let victim = Arc::new(tokio::sync::Mutex::new(a));

    let phone_count = CADRES.len() * PHONES_PER_CADRE;
    let board = Arc::new(Board::new(phone_count));
    let mut running = JoinSet::new();
    for index in 0..phone_count {
        let phone = Phone::new(index, &CADRES[index / PHONES_PER_CADRE], seed);
        running.spawn(phone.run(Arc::clone(&balancer), Arc::clone(&board)));
    }
    let killer = tokio::spawn(support::faults::kill_and_restart(
        Arc::clone(&victim),
        Arc::clone(&balancer),
        seed,
        KILLS,
    ));
    let mut phones = Vec::new();
    while board.saved.load(Ordering::SeqCst) < phone_count * RECORDS_PER_PHONE
        || !killer.is_finished()
    {
        while let Some(done) = running.try_join_next() {
            phones.push(support::faults::finished(done));
        }
        assert!(
            started.elapsed() < PHASE_LIMIT,
            "the phase with kills did not end within {PHASE_LIMIT:?}: {}",
            board.describe()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let kills = killer.await.expect("kill-and-restart task");
    balancer.stop_faults();
    let drained = tokio::time::timeout(PHASE_LIMIT, async {
        while let Some(done) = running.join_next().await {
            phones.push(support::faults::finished(done));
        }
    })
    .await;
    assert!(drained.is_ok(), "outboxes not empty: {}", board.describe());
    phones.sort_by_key(|p| p.index);

    // Read from each instance: both hold exactly what the phones saved.
    for at in [survivor, victim.lock().await.addr()] {
        let stored = timelines(at).await;
        check_server_holds_exactly_what_phones_saved(&demo_records, &stored, &phones);
    }
    let total = totals(&phones);
    let (requests, per_fault) = requests_by_fault(&balancer);
    // Duplicates: none, or the holdings check above would have failed.
    println!(
        "instances seed={seed} requests={requests} ({}) kills={} ({} mid-upload) pushes={} \
         unanswered={} pulls={} logins={} signed_out={} records={} duplicates=0 took {:.1}s",
        per_fault,
        kills.total,
        kills.mid_upload,
        total.pushes,
        total.unanswered,
        total.pulls,
        total.logins,
        total.signed_out,
        phones.iter().map(|p| p.saved.len()).sum::<usize>(),
        started.elapsed().as_secs_f64(),
    );
    assert_eq!(
        total.signed_out, 0,
        "phones were signed out: a session did not hold across instances"
    );
}

/// Every instance runs the daily publisher: however many publish at the same moment, the
/// statements form one unbroken sequence, with one statement for the day.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn instances_publishing_the_day_at_once_keep_one_sequence_and_one_statement() {
    let Some(db) = postgres().await else { return };
    let dir = tempfile::tempdir().expect("temp dir");
    let key = Arc::new(
        xiafang_server::chain_key::ChainKey::load_or_create(&dir.path().join("chain.key"))
            .expect("chain key"),
    );
    // Each `Db` is its own pool, as each process has.
    let (first, second) = tokio::join!(
        xiafang_server::db::Db::connect(&db.url),
        xiafang_server::db::Db::connect(&db.url)
    );
    let instances = [
        Arc::new(first.expect("instance one connects")),
        Arc::new(second.expect("instance two connects")),
    ];
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 5).expect("day");
    let mut publishing = JoinSet::new();
    for round in 0..8 {
        let db = Arc::clone(&instances[round % 2]);
        let key = Arc::clone(&key);
        publishing.spawn(async move { db.publish_root_if_due(&key, today).await });
    }
    let mut published = 0;
    while let Some(done) = publishing.join_next().await {
        let outcome = done
            .expect("publishing task")
            .expect("publish or find it done");
        published += usize::from(outcome.is_some());
    }
    let roots = instances[0].roots().await.expect("statements");
    let seqs: Vec<u64> = roots.iter().map(|r| r.statement.seq).collect();
    assert_eq!(
        seqs,
        vec![1],
        "statements for one day from two instances: {seqs:?}"
    );
    assert_eq!(published, 1, "more than one publisher said it published");
    assert_eq!(instances[1].verify_roots().await.expect("verify"), vec![]);
}

/// A lost phone's hand-over stored by one instance is reviewed on the other, and the record it
/// lets in is read on both.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_handover_quarantined_by_one_instance_is_reviewed_on_the_other() {
    let Some(db) = postgres().await else { return };
    let dir = tempfile::tempdir().expect("temp dir");
    let instances = two_instances(dir.path(), &db.url).await;
    let [a, b] = [instances[0].addr(), instances[1].addr()];

    // wang's phone signs in on one instance and is revoked on the other.
    let phone = xiafang_core::DeviceId::new_random();
    let login = json!({"username": "wangjg", "password": DEMO_PASSWORD, "device_id": phone});
    let r = send(
        a,
        "POST",
        "/api/login",
        None,
        Some(login.to_string().as_bytes()),
    )
    .await;
    assert_eq!(r.status, 200, "sign in from the phone");
    let wang: Value = serde_json::from_slice(&r.body).expect("login answer");
    let wang = wang["token"].as_str().expect("token").to_owned();
    let admin = sign_in(b, "admin").await;
    let revoke = format!("/api/admin/devices/{phone}/revoke");
    let r = send(b, "POST", &revoke, Some(&admin), Some(b"{}")).await;
    assert!(r.status < 300, "revoke on instance b: {}", r.status);

    // The hand-over reaches instance a, which quarantines it.
    let note = xiafang_core::fixtures::note("file-guo", "u-wangjg");
    let push = serde_json::to_vec(&common::batch(phone, 1, std::slice::from_ref(&note)))
        .expect("push body");
    let r = send(a, "POST", "/api/sync/push", Some(&wang), Some(&push)).await;
    assert_eq!(
        r.status,
        200,
        "hand-over: {}",
        String::from_utf8_lossy(&r.body)
    );
    let answer: xiafang_core::upload::PushResponse =
        serde_json::from_slice(&r.body).expect("push answer");
    assert_eq!(
        answer.acks.first().map(|ack| &ack.outcome),
        Some(&xiafang_core::verdict::Outcome::Quarantined)
    );

    // The supervisor sees it on instance b and accepts it there; both instances then show it.
    let supervisor = sign_in(b, "zhaoxf").await;
    let r = send(b, "GET", "/api/quarantine", Some(&supervisor), None).await;
    assert_eq!(r.status, 200, "quarantine list on b");
    let id = note.id.to_string();
    assert!(
        String::from_utf8_lossy(&r.body).contains(&id),
        "instance b does not list the hand-over instance a quarantined"
    );
    let accept = format!("/api/quarantine/{phone}/{id}/accept");
    let r = send(b, "POST", &accept, Some(&supervisor), Some(b"{}")).await;
    assert!(
        r.status < 300,
        "accept on b: {} {}",
        r.status,
        String::from_utf8_lossy(&r.body)
    );
    for at in [a, b] {
        let r = send(
            at,
            "GET",
            "/api/files/file-guo/records",
            Some(&supervisor),
            None,
        )
        .await;
        assert_eq!(r.status, 200, "records at {at}");
        let records: Vec<xiafang_core::Record> = serde_json::from_slice(&r.body).expect("records");
        assert_eq!(
            records.iter().filter(|r| r.id == note.id).count(),
            1,
            "the accepted hand-over is not there once at {at}"
        );
    }
}

/// A province starts its instances together on a new database: each comes up, and the first
/// start's data is loaded once.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn instances_started_at_once_on_an_empty_database_all_come_up() {
    let Some(db) = postgres().await else { return };
    let dir = tempfile::tempdir().expect("temp dir");
    let key = dir.path().join("chain-key");
    let key = key.to_str().expect("temp path is text");
    let env = [("XIAFANG_CHAIN_KEY_FILE", key)];
    let dirs: Vec<_> = (0..3).map(|i| dir.path().join(format!("i{i}"))).collect();
    for d in &dirs {
        std::fs::create_dir_all(d).expect("data dir");
    }
    let (x, y, z) = tokio::join!(
        ServerProcess::start_with_env(&dirs[0], Some(&db.url), &env),
        ServerProcess::start_with_env(&dirs[1], Some(&db.url), &env),
        ServerProcess::start_with_env(&dirs[2], Some(&db.url), &env),
    );
    let timelines_at: Vec<_> = [x.addr(), y.addr(), z.addr()].into_iter().collect();
    let first = timelines(timelines_at[0]).await;
    for at in &timelines_at[1..] {
        let other = timelines(*at).await;
        for (file, records) in &first {
            assert_eq!(
                other[file].len(),
                records.len(),
                "{file} differs between instances"
            );
        }
    }
    let accounts = send(
        timelines_at[0],
        "POST",
        "/api/login",
        None,
        Some(&sign_in_body("admin", DEMO_PASSWORD)),
    )
    .await;
    assert_eq!(accounts.status, 200, "the demo's administrator signs in");
}

/// An administrator's chain check reads every record, so one runs at a time in the whole
/// deployment: while one instance's runs, every instance answers "busy".
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_chain_check_at_a_time_across_instances() {
    let Some(db) = postgres().await else { return };
    let dir = tempfile::tempdir().expect("temp dir");
    let instances = two_instances(dir.path(), &db.url).await;
    let [a, b] = [instances[0].addr(), instances[1].addr()];
    let admin = sign_in(a, "admin").await;
    // A third instance (this test's own connection to the database) is running a check.
    let third = xiafang_server::db::Db::connect(&db.url)
        .await
        .expect("third instance connects");
    let running = third
        .try_verify_turn()
        .await
        .expect("ask for the turn")
        .expect("no check is running yet");
    for at in [a, b] {
        let r = send(at, "POST", "/api/admin/verify", Some(&admin), Some(b"{}")).await;
        assert_eq!(
            r.status, 503,
            "{at} started a second check while another ran"
        );
    }
    running.end().await.expect("the check ends");
    for at in [a, b] {
        let r = send(at, "POST", "/api/admin/verify", Some(&admin), Some(b"{}")).await;
        assert_eq!(r.status, 200, "{at}: {}", String::from_utf8_lossy(&r.body));
    }
}

//! The real `xiafang-server` binary as a service manager runs it (issue #18, "Operable"): JSON
//! log lines when asked, one per request, naming no file, account or token; and on SIGTERM it
//! stops accepting, answers the upload still arriving, and exits 0, the upload stored exactly
//! once; an upload that does not finish within the grace period is cut off and, sent again, stored
//! once. On both databases.

mod common;
#[allow(dead_code)]
mod support;

use std::net::SocketAddr;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};
use support::http;
use support::process::free_addr;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::process::{Child, Command};
use xiafang_core::feed::PullResponse;
use xiafang_core::session::LoginResponse;
use xiafang_core::upload::{Op, PushRequest, PushResponse};
use xiafang_core::verdict::Outcome;
use xiafang_core::{DeviceId, Record, RecordId, fixtures};

const METRICS_TOKEN: &str = "ops-test-metrics-token-42";
/// A bound on each wait below, in case something hangs instead of failing.
const LIMIT: Duration = Duration::from_secs(60);
const RECORDS: usize = 20;

/// Starts the binary on `addr` over `data` (and `url`), its standard output into `stdout`.
async fn start(
    addr: SocketAddr,
    data: &Path,
    url: Option<&str>,
    json: bool,
    stdout: &Path,
    extra: &[&str],
) -> Child {
    let mut command = Command::new(env!("CARGO_BIN_EXE_xiafang-server"));
    command
        .args([
            "--addr",
            &addr.to_string(),
            "--data-dir",
            &data.display().to_string(),
        ])
        .args(["--dist", &data.join("no-dist").display().to_string()])
        .args(url.map(|u| ["--database-url", u]).into_iter().flatten())
        .args(extra)
        .env_remove("RUST_LOG")
        .env_remove("XIAFANG_NO_DEMO")
        .env_remove("XIAFANG_METRICS_TOKEN_FILE")
        .env("XIAFANG_METRICS_TOKEN", METRICS_TOKEN)
        .env("XIAFANG_LOG_FORMAT", if json { "json" } else { "text" })
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(stdout).expect("stdout file"))
        .stderr(std::fs::File::create(data.join("stderr.log")).expect("stderr file"))
        .kill_on_drop(true);
    let mut child = command.spawn().expect("start xiafang-server");
    let started = Instant::now();
    loop {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the server exited at start"
        );
        let health = http::send(
            addr,
            "GET",
            "/api/health",
            None,
            None,
            Duration::from_secs(1),
        )
        .await;
        if health.is_ok_and(|r| r.status == 200) {
            return child;
        }
        assert!(started.elapsed() < LIMIT, "the server did not start");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn sign_in(addr: SocketAddr) -> String {
    let body = serde_json::json!({"username": "wangjg", "password": common::DEMO_PASSWORD});
    let res = http::send(
        addr,
        "POST",
        "/api/login",
        None,
        Some(body.to_string().as_bytes()),
        LIMIT,
    )
    .await
    .expect("sign in");
    assert_eq!(res.status, 200, "{}", String::from_utf8_lossy(&res.body));
    serde_json::from_slice::<LoginResponse>(&res.body)
        .unwrap()
        .token
}

/// Waits until `/metrics` shows `series` at `want`.
async fn until_metric(addr: SocketAddr, series: &str, want: &str) {
    let started = Instant::now();
    loop {
        let raw = format!(
            "GET /metrics HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {METRICS_TOKEN}\r\n\
             Connection: close\r\n\r\n"
        );
        let mut stream = TcpStream::connect(addr).await.expect("connect");
        stream.write_all(raw.as_bytes()).await.unwrap();
        let mut answer = Vec::new();
        stream.read_to_end(&mut answer).await.unwrap();
        let text = String::from_utf8_lossy(&answer);
        if text.lines().any(|l| l == format!("{series} {want}")) {
            return;
        }
        assert!(
            started.elapsed() < LIMIT,
            "{series} never reached {want}:\n{text}"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// `RECORDS` new notes by the demo cadre 王建国 on his file, as one upload from a new phone.
fn upload() -> (Vec<Record>, Vec<u8>) {
    let records: Vec<_> = (0..RECORDS)
        .map(|_| fixtures::note("file-guo", "u-wangjg"))
        .collect();
    let push = PushRequest {
        device_id: DeviceId::new_random(),
        ops: records
            .iter()
            .enumerate()
            .map(|(i, r)| Op {
                seq: 1 + i as u64,
                record: r.clone(),
            })
            .collect(),
        device_time: chrono::Utc::now(),
    };
    (records, serde_json::to_vec(&push).unwrap())
}

/// Sends all of the upload `body` but its last bytes, as over a slow link, and waits until the
/// server is answering it; returns the connection and the bytes still to send.
async fn begin_upload(addr: SocketAddr, token: &str, body: &[u8]) -> (TcpStream, Vec<u8>) {
    let raw = http::request("POST", addr, "/api/sync/push", Some(token), Some(body));
    let (head, tail) = raw.split_at(raw.len() - 64);
    let mut upload = TcpStream::connect(addr).await.expect("connect");
    upload.write_all(head).await.unwrap();
    let in_flight = r#"xiafang_http_requests_in_flight{method="POST",route="/api/sync/push"}"#;
    until_metric(addr, in_flight, "1").await;
    (upload, tail.to_vec())
}

fn terminate(server: &Child) {
    let pid = server.id().expect("running").to_string();
    let sent = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap();
    assert!(sent.success());
}

/// How many times each of `records` is in the change feed of the server at `addr`.
async fn copies(addr: SocketAddr, records: &[Record]) -> Vec<usize> {
    let token = sign_in(addr).await;
    let mut seen: Vec<RecordId> = Vec::new();
    let mut cursor = None;
    loop {
        let path = match &cursor {
            Some(xiafang_core::feed::Cursor(c)) => format!("/api/sync/pull?cursor={c}"),
            None => "/api/sync/pull".to_owned(),
        };
        let res = http::send(addr, "GET", &path, Some(&token), None, LIMIT)
            .await
            .unwrap();
        assert_eq!(res.status, 200);
        let page: PullResponse = serde_json::from_slice(&res.body).unwrap();
        seen.extend(page.records.iter().map(|r| r.id));
        cursor = Some(page.cursor);
        if !page.more {
            break;
        }
    }
    records
        .iter()
        .map(|r| seen.iter().filter(|id| **id == r.id).count())
        .collect()
}

/// The server's answer to a whole upload: every record stored.
fn all_stored(answer: &[u8]) {
    let res = http::parse_response(answer).expect("a whole response");
    assert_eq!(res.status, 200, "{}", String::from_utf8_lossy(&res.body));
    let acks: PushResponse = serde_json::from_slice(&res.body).unwrap();
    assert_eq!(acks.acks.len(), RECORDS);
    assert!(
        acks.acks.iter().all(|a| a.outcome == Outcome::Stored),
        "{:?}",
        acks.acks
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_sigterm_the_upload_under_way_is_answered_and_stored_once_and_logs_are_json() {
    for db in common::fresh_databases().await {
        eprintln!("-- on {}", db.backend);
        let url = (db.backend == "postgres").then_some(db.url.as_str());
        let dir = tempfile::tempdir().unwrap();
        let addr = free_addr();
        let json_log = dir.path().join("stdout.json");
        let mut server = start(addr, dir.path(), url, true, &json_log, &[]).await;
        let token = sign_in(addr).await;
        let (records, body) = upload();
        let (mut upload, tail) = begin_upload(addr, &token, &body).await;

        terminate(&server);
        // It stops accepting…
        let started = Instant::now();
        while TcpStream::connect(addr).await.is_ok() {
            assert!(started.elapsed() < LIMIT, "still accepting after SIGTERM");
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        // …but the upload under way is answered in full.
        upload.write_all(&tail).await.unwrap();
        let mut answer = Vec::new();
        upload.read_to_end(&mut answer).await.unwrap();
        all_stored(&answer);
        let exit = tokio::time::timeout(LIMIT, server.wait())
            .await
            .expect("exits")
            .unwrap();
        assert!(exit.success(), "exit status {exit}");

        // Every line of standard output is JSON; a request's line has its route template.
        let log = std::fs::read_to_string(&json_log).unwrap();
        let lines: Vec<serde_json::Value> = log
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
            .collect();
        let pushed = lines
            .iter()
            .find(|l| l["route"] == "/api/sync/push")
            .unwrap_or_else(|| panic!("no line for the upload:\n{log}"));
        assert_eq!(pushed["method"], "POST");
        assert_eq!(pushed["status"], 200);
        assert!(
            pushed["latency_ms"].as_f64().is_some_and(|ms| ms > 0.0),
            "{pushed}"
        );
        for secret in [
            token.as_str(),
            METRICS_TOKEN,
            common::DEMO_PASSWORD,
            "wangjg",
            "file-guo",
            "谈及父亲",
        ] {
            assert!(!log.contains(secret), "{secret} in the log:\n{log}");
        }

        // Started again over the same data: each record is there exactly once.
        let stdout = dir.path().join("stdout.txt");
        let mut server = start(addr, dir.path(), url, false, &stdout, &[]).await;
        assert_eq!(copies(addr, &records).await, vec![1; RECORDS]);
        server.start_kill().ok();
        server.wait().await.ok();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_upload_that_does_not_finish_in_the_grace_period_is_cut_off_and_sent_again_once() {
    for db in common::fresh_databases().await {
        eprintln!("-- on {}", db.backend);
        let url = (db.backend == "postgres").then_some(db.url.as_str());
        let dir = tempfile::tempdir().unwrap();
        let addr = free_addr();
        let stdout = dir.path().join("stdout.txt");
        let grace = ["--shutdown-grace", "1"];
        let mut server = start(addr, dir.path(), url, false, &stdout, &grace).await;
        let token = sign_in(addr).await;
        let (records, body) = upload();
        // The rest of the upload never comes (the phone went out of signal).
        let (mut stalled, _) = begin_upload(addr, &token, &body).await;
        terminate(&server);
        let exit = tokio::time::timeout(LIMIT, server.wait())
            .await
            .expect("exits once the grace period is over")
            .unwrap();
        assert!(exit.success(), "exit status {exit}");
        let mut answer = Vec::new();
        stalled.read_to_end(&mut answer).await.ok();
        assert!(
            http::parse_response(&answer).is_err(),
            "the cut-off upload has no answer"
        );

        let mut server = start(addr, dir.path(), url, false, &stdout, &[]).await;
        assert_eq!(copies(addr, &records).await, vec![0; RECORDS]);
        // The phone, having heard nothing, sends the same upload again.
        let res = http::send(
            addr,
            "POST",
            "/api/sync/push",
            Some(&token),
            Some(&body),
            LIMIT,
        )
        .await
        .unwrap();
        assert_eq!(res.status, 200, "{}", String::from_utf8_lossy(&res.body));
        assert_eq!(copies(addr, &records).await, vec![1; RECORDS]);
        server.start_kill().ok();
        server.wait().await.ok();
    }
}

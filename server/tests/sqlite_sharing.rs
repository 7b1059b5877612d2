//! The embedded SQLite file stays whole when another process writes it while the server runs
//! (an operator's tool, `xiafang-server verify`, a backup): the server must never open and close
//! a second descriptor of the file, which drops every POSIX lock it holds on it
//! (sqlite.org/howtocorrupt.html §2.2). Readiness once did exactly that to check the file, and
//! the bench's insert loop beside the running server then found "database disk image is
//! malformed".

mod common;
#[allow(dead_code)] // this test uses a part of the support code
mod support;

use std::time::Duration;
use support::http;
use support::phone::{Cadre, Reply, call, login_body};
use support::process::ServerProcess;
use xiafang_core::session::LoginResponse;
use xiafang_core::upload::{Op, PushRequest, PushResponse};
use xiafang_core::verdict::Outcome;
use xiafang_core::{DeviceId, fixtures};

const WANG: Cadre = Cadre {
    username: "wangjg",
    id: "u-wangjg",
    name: "王建国",
    files: ["file-guo", "file-pan", "file-zhou"],
};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_process_writing_the_file_beside_the_server_corrupts_nothing() {
    sqlx::any::install_default_drivers();
    let dir = tempfile::tempdir().expect("dir");
    let server = ServerProcess::start(dir.path(), None).await;
    let addr = server.addr();
    let Reply::Ok(login) =
        call::<LoginResponse>(addr, "POST", "/api/login", None, Some(login_body(&WANG))).await
    else {
        panic!("sign-in failed");
    };
    let url = xiafang_server::db::sqlite_url(&dir.path().join("xiafang.db"));
    let device = DeviceId::new_random();
    let mut stored = 0;
    for round in 0..6u64 {
        // Readiness checks the file (once by opening it).
        let ready = http::send(
            addr,
            "GET",
            "/api/ready",
            None,
            None,
            Duration::from_secs(10),
        )
        .await
        .expect("ready answers");
        assert_eq!(ready.status, 200, "round {round}");
        // The server writes...
        let records: Vec<_> = (0..20)
            .map(|_| fixtures::note("file-guo", "u-wangjg"))
            .collect();
        let ops: Vec<Op> = records
            .iter()
            .enumerate()
            .map(|(i, r)| Op {
                seq: round * 20 + i as u64 + 1,
                record: r.clone(),
            })
            .collect();
        let body = serde_json::to_vec(&PushRequest {
            device_id: device,
            ops,
            device_time: chrono::Utc::now(),
        })
        .expect("json");
        let Reply::Ok(answer) = call::<PushResponse>(
            addr,
            "POST",
            "/api/sync/push",
            Some(&login.token),
            Some(body),
        )
        .await
        else {
            panic!("round {round}: the upload got no answer");
        };
        stored += answer
            .acks
            .iter()
            .filter(|a| a.outcome == Outcome::Stored)
            .count();
        // ...and another process writes the same file, then lets go of it (its last connection
        // checkpoints and would remove the log the server still writes into).
        let pool = sqlx::AnyPool::connect(&url)
            .await
            .expect("second writer connects");
        sqlx::query("CREATE TABLE IF NOT EXISTS beside (round BIGINT, n BIGINT)")
            .execute(&pool)
            .await
            .expect("create");
        for n in 0..200i64 {
            sqlx::query("INSERT INTO beside (round, n) VALUES ($1, $2)")
                .bind(round as i64)
                .bind(n)
                .execute(&pool)
                .await
                .expect("second writer writes");
        }
        pool.close().await;
    }
    drop(server);
    let pool = sqlx::AnyPool::connect(&url).await.expect("reopen");
    let (check,): (String,) = sqlx::query_as("PRAGMA integrity_check")
        .fetch_one(&pool)
        .await
        .expect("integrity check runs");
    assert_eq!(check, "ok");
    let (notes,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM records WHERE kind = 'note' AND device_id = $1")
            .bind(device.to_string())
            .fetch_one(&pool)
            .await
            .expect("count");
    assert_eq!((stored, notes), (120, 120));
}

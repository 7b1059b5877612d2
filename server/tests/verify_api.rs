//! The administrator's chain check over HTTP (`POST /api/admin/verify`, issue 19), on SQLite
//! and PostgreSQL: a record rewritten in SQL is named with its file, position, kind, day and the
//! day its file last matched a signed statement; a file outside the administrator's area is
//! counted, not named; cadres and supervisors are refused; one check runs at a time.

mod common;

use axum::http::StatusCode;
use chrono::NaiveDate;
use common::{TestServer, batch, parse, small_world, sql_behind};
use xiafang_core::verify::{Finding, VerifyReport};
use xiafang_core::{DeviceId, FileId, fixtures};
use xiafang_server::chain_key::ChainKey;

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, d).expect("day")
}

async fn verify(server: &TestServer, token: &str) -> (StatusCode, serde_json::Value) {
    server
        .post("/api/admin/verify", Some(token), &serde_json::json!({}))
        .await
}

#[tokio::test]
async fn a_record_rewritten_in_sql_is_named_to_the_administrator_with_file_and_position() {
    for server in TestServer::each(&small_world()).await {
        let url = server.db.as_ref().expect("own database").url.clone();
        let dir = tempfile::tempdir().expect("dir");
        let key = ChainKey::load_or_create(&dir.path().join("chain.key")).expect("key");
        let db = &server.state.db;
        let (wang, li) = (server.login("wang").await, server.login("li").await);
        let device = DeviceId::new_random();
        server
            .push(&wang, &batch(device, 1, &[fixtures::visit("f-a1", "wang")]))
            .await;
        let other = fixtures::note("f-b1", "li");
        server
            .push(
                &li,
                &batch(DeviceId::new_random(), 1, std::slice::from_ref(&other)),
            )
            .await;
        db.publish_root(&key, day(20)).await.expect("publish");
        let note = fixtures::note("f-a1", "wang");
        server
            .push(&wang, &batch(device, 2, std::slice::from_ref(&note)))
            .await;
        db.publish_root(&key, day(21)).await.expect("publish");

        let admin = server.login("admin-a").await;
        let (status, body) = verify(&server, &admin).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let report: VerifyReport = parse(body);
        assert_eq!(
            (report.chains, report.records, report.statements),
            (2, 3, 2)
        );
        assert!(report.all_match(), "{report:?}");

        // The note's words changed behind the server's back.
        sql_behind(
            &url,
            "UPDATE records SET body = REPLACE(body, '情绪平稳', '情绪激动') WHERE id = $1",
            &[&note.id.to_string()],
        )
        .await;
        let (status, body) = verify(&server, &admin).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let report: VerifyReport = parse(body);
        let named = Finding::Record {
            file: FileId::from("f-a1"),
            position: 1,
            record: note.id.to_string(),
            kind: "note".into(),
            occurred_on: Some(day(20)),
            last_matched: Some(day(20)),
        };
        assert!(report.findings.contains(&named), "{report:?}");
        assert!(
            report.findings.contains(&Finding::FileRewritten {
                file: FileId::from("f-a1"),
                seq: 2,
                day: day(21),
                last_matched: Some(day(20)),
            }),
            "{report:?}"
        );
        assert_eq!(report.elsewhere, 0);
        assert!(named.text(xiafang_core::Lang::Zh).starts_with(&format!(
            "档案 f-a1 第 2 条记录（{}）：谈心记录，2026-11-20。",
            note.id
        )),);

        // A file of another township: counted for admin-a, never named.
        sql_behind(
            &url,
            "UPDATE records SET body = REPLACE(body, '情绪平稳', '情绪激动') WHERE id = $1",
            &[&other.id.to_string()],
        )
        .await;
        let (_, body) = verify(&server, &admin).await;
        let report: VerifyReport = parse(body);
        assert!(
            report
                .findings
                .iter()
                .all(|f| f.file().is_none_or(|f| f.0 == "f-a1")),
            "{report:?}"
        );
        assert!(report.elsewhere >= 1, "{report:?}");
    }
}

#[tokio::test]
async fn cadres_and_supervisors_are_refused_and_one_check_runs_at_a_time() {
    for server in TestServer::each(&small_world()).await {
        for who in ["wang", "sup-a", "sup-county", "law"] {
            let token = server.login(who).await;
            let (status, body) = verify(&server, &token).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{who}: {body}");
        }
        let admin = server.login("admin-a").await;
        let running = server.state.verifying.clone();
        let held = running.lock().await;
        let (status, body) = verify(&server, &admin).await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
        assert_eq!(body["code"], "busy");
        drop(held);
        let (status, _) = verify(&server, &admin).await;
        assert_eq!(status, StatusCode::OK);
    }
}

//! The audit log, tried as a hostile user who knows the code: reads that left no line, a
//! looping client, and the office's export of the log, which must not tell an accused official
//! about the accusation.

mod common;

use axum::http::{StatusCode, header};
use common::{TestServer, account, file, parse, small_world};
use xiafang_core::attachment::{BlobRef, sha256_hex};
use xiafang_core::file::{Accused, Classification};
use xiafang_core::{DeviceId, RecordBody, UserId, fixtures};
use xiafang_core::{
    account::Role,
    admin::QuarantinedRecord,
    audit::{AuditAction, AuditEntry},
    verdict::Outcome,
};

/// The lines of `file`'s log by `who` with `action`, as the county supervisor reads them.
async fn lines(server: &TestServer, file: &str, who: &str, action: AuditAction) -> Vec<AuditEntry> {
    let county = server.login("sup-county").await;
    let (code, body) = server
        .get(&format!("/api/files/{file}/audit"), Some(&county))
        .await;
    assert_eq!(code, StatusCode::OK, "{body}");
    parse::<Vec<AuditEntry>>(body)
        .into_iter()
        .filter(|e| e.account.0 == who && e.action == action)
        .collect()
}

#[tokio::test]
async fn reading_a_files_lost_edits_leaves_an_audit_line() {
    for server in TestServer::each(&small_world()).await {
        let wang = server.login("wang").await;
        let (code, body) = server.get("/api/files/f-a1/conflicts", Some(&wang)).await;
        assert_eq!(code, StatusCode::OK, "{body}");
        assert_eq!(
            lines(&server, "f-a1", "wang", AuditAction::Read)
                .await
                .len(),
            1
        );
    }
}

#[tokio::test]
async fn listing_what_a_lost_phone_handed_over_leaves_an_audit_line() {
    for server in TestServer::each(&small_world()).await {
        let phone = DeviceId::new_random();
        let login = serde_json::json!({"username": "wang", "password": common::PASSWORD, "device_id": phone});
        let (code, body) = server.post("/api/login", None, &login).await;
        assert_eq!(code, StatusCode::OK, "{body}");
        let wang = body["token"].as_str().unwrap().to_owned();
        let admin = server.login("admin-a").await;
        let revoke = format!("/api/admin/devices/{phone}/revoke");
        assert_eq!(
            server.post(&revoke, Some(&admin), &()).await.0,
            StatusCode::NO_CONTENT
        );
        let note = fixtures::note("f-a1", "wang");
        let res = server.push(&wang, &common::batch(phone, 1, &[note])).await;
        assert_eq!(res.acks[0].outcome, Outcome::Quarantined);

        let sup = server.login("sup-a").await;
        let (code, body) = server.get("/api/quarantine", Some(&sup)).await;
        assert_eq!(code, StatusCode::OK, "{body}");
        assert_eq!(parse::<Vec<QuarantinedRecord>>(body).len(), 1);
        assert_eq!(
            lines(&server, "f-a1", "sup-a", AuditAction::Read)
                .await
                .len(),
            1
        );
    }
}

#[tokio::test]
async fn asking_about_a_files_photo_leaves_an_audit_line() {
    for server in TestServer::each(&small_world()).await {
        let wang = server.login("wang").await;
        let bytes = b"a small photo".to_vec();
        let visit = fixtures::visit("f-a1", "wang");
        let mut photo = fixtures::photo(&visit, "wang");
        let RecordBody::Photo(p) = &mut photo.body else {
            unreachable!("a photo")
        };
        p.image = BlobRef {
            sha256: sha256_hex(&bytes),
            size: bytes.len() as u64,
            mime: "image/jpeg".into(),
        };
        let res = server
            .push(
                &wang,
                &common::batch(DeviceId::new_random(), 1, &[visit, photo.clone()]),
            )
            .await;
        assert!(res.acks.iter().all(|a| a.outcome == Outcome::Stored));

        let sup = server.login("sup-a").await;
        let path = format!("/api/blobs/{}/upload", sha256_hex(&bytes));
        assert_eq!(server.get(&path, Some(&sup)).await.0, StatusCode::OK);
        let read = lines(&server, "f-a1", "sup-a", AuditAction::Read).await;
        assert_eq!(read.len(), 1, "{read:?}");
        assert_eq!(read[0].record, Some(photo.id));
    }
}

#[tokio::test]
async fn every_one_of_many_concurrent_reads_leaves_its_line() {
    const READS: usize = 40;
    for server in TestServer::each(&small_world()).await {
        let sup = server.login("sup-a").await;
        let commits_before = server.state.db.audit_commits();
        let mut reads = tokio::task::JoinSet::new();
        for _ in 0..READS {
            let other = TestServer::over(server.state.clone());
            let sup = sup.clone();
            reads.spawn(async move { other.get("/api/files/f-a1/records", Some(&sup)).await.0 });
        }
        while let Some(code) = reads.join_next().await {
            assert_eq!(code.expect("task"), StatusCode::OK);
        }
        let commits = server.state.db.audit_commits() - commits_before;
        assert_eq!(
            lines(&server, "f-a1", "sup-a", AuditAction::Read)
                .await
                .len(),
            READS
        );
        // Reads waiting together share a commit, so a looping client cannot make every read
        // cost a flush under the writer's turn.
        assert!(
            commits < READS as u64,
            "{commits} commits for {READS} reads"
        );
    }
}

/// Today's date in China (UTC+8), the day the office's export is asked for.
fn today() -> chrono::NaiveDate {
    let china = chrono::FixedOffset::east_opt(8 * 3600).unwrap();
    chrono::Utc::now().with_timezone(&china).date_naive()
}

/// The export for `token` from yesterday to tomorrow: status, content type and text.
async fn export(server: &TestServer, token: &str) -> (StatusCode, String, String) {
    let day = chrono::Days::new(1);
    let path = format!(
        "/api/audit/export?from={}&to={}",
        today() - day,
        today() + day
    );
    let (code, headers, bytes) = server.get_bytes(&path, token).await;
    let kind = headers
        .get(header::CONTENT_TYPE)
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (code, kind, String::from_utf8(bytes).expect("UTF-8"))
}

#[tokio::test]
async fn the_office_exports_the_log_of_its_own_files_for_excel() {
    let mut world = small_world();
    // A display name made to run as a formula when the office opens the export.
    let mut sly = account("sly", Role::Supervisor, "ta");
    sly.display_name = "=HYPERLINK(\"http://x\")".into();
    world.accounts.push(sly);
    for server in TestServer::each(&world).await {
        for (who, file) in [("wang", "f-a1"), ("li", "f-b1"), ("sly", "f-a1")] {
            let token = server.login(who).await;
            let path = format!("/api/files/{file}/records");
            assert_eq!(server.get(&path, Some(&token)).await.0, StatusCode::OK);
        }
        let sup = server.login("sup-a").await;
        let (code, kind, csv) = export(&server, &sup).await;
        assert_eq!(code, StatusCode::OK, "{csv}");
        assert_eq!(kind, "text/csv; charset=utf-8");
        let csv = csv.strip_prefix('\u{feff}').expect("a BOM, for Excel");
        let rows: Vec<&str> = csv.split("\r\n").filter(|r| !r.is_empty()).collect();
        assert_eq!(rows[0], "时间,账号,姓名,设备,操作,档案编号,记录编号");
        assert!(
            rows.iter()
                .any(|r| r.contains("wang") && r.contains("f-a1"))
        );
        assert!(!csv.contains("f-b1"), "township tb is not sup-a's: {csv}");
        assert!(csv.contains("\"'=HYPERLINK(\"\"http://x\"\")\""), "{csv}");
        assert!(!csv.contains(",=HYPERLINK"), "{csv}");

        // The export itself is in the log.
        let exported = lines(&server, "f-a1", "sup-a", AuditAction::AuditExport).await;
        assert_eq!(exported.len(), 1);

        // Cadres do not export the log; dates must be dates, in order.
        let wang = server.login("wang").await;
        assert_eq!(export(&server, &wang).await.0, StatusCode::FORBIDDEN);
        for query in [
            "from=2026-12-01",
            "from=yesterday&to=2026-12-01",
            "from=2026-12-02&to=2026-12-01",
        ] {
            let (code, _, _) = server
                .get_bytes(&format!("/api/audit/export?{query}"), &sup)
                .await;
            assert_eq!(code, StatusCode::BAD_REQUEST, "{query}");
        }
    }
}

#[tokio::test]
async fn an_accused_supervisors_export_holds_no_line_of_the_accusation() {
    let mut world = small_world();
    let mut acc = file("f-acc", "a1", &["wang"]);
    acc.file.matter.classification = Classification::Accusation;
    acc.file.matter.accused = vec![Accused {
        name: "乡镇督查人员".into(),
        account: Some(UserId::from("sup-a")),
        place: None,
    }];
    world.files.push(acc);
    for server in TestServer::each(&world).await {
        let wang = server.login("wang").await;
        for file in ["f-acc", "f-a1"] {
            let path = format!("/api/files/{file}/records");
            assert_eq!(server.get(&path, Some(&wang)).await.0, StatusCode::OK);
        }
        let sup = server.login("sup-a").await;
        let (code, _, csv) = export(&server, &sup).await;
        assert_eq!(code, StatusCode::OK);
        assert!(csv.contains("f-a1") && !csv.contains("f-acc"), "{csv}");
        let county = server.login("sup-county").await;
        let (code, _, csv) = export(&server, &county).await;
        assert_eq!(code, StatusCode::OK);
        assert!(csv.contains("f-acc"), "the level above reads it: {csv}");
    }
}

/// An audit line dated `days` ago, as if written then.
async fn old_line(server: &TestServer, days: i64) {
    let url = &server.db.as_ref().expect("owns its database").url;
    let pool = sqlx::AnyPool::connect(url).await.expect("connects");
    let at = chrono::Utc::now() - chrono::Duration::days(days);
    sqlx::query(
        "INSERT INTO audit_log (id, at, account_id, action, file_id) \
         VALUES ($1, $2, 'wang', 'read', 'f-a1')",
    )
    .bind(uuid::Uuid::new_v4().to_string())
    .bind(at.to_rfc3339())
    .execute(&pool)
    .await
    .expect("an insert is allowed");
    pool.close().await;
}

#[tokio::test]
async fn only_lines_past_the_retention_are_pruned_and_only_by_the_explicit_command() {
    use xiafang_server::db::AUDIT_RETENTION_DAYS;
    for server in TestServer::each(&small_world()).await {
        let retention = i64::from(AUDIT_RETENTION_DAYS);
        old_line(&server, retention + 30).await;
        old_line(&server, retention - 30).await;
        let db = &server.state.db;
        let now = chrono::Utc::now();
        let too_recent = (now - chrono::Duration::days(retention - 60)).date_naive();
        assert!(db.prune_audit(too_recent, now).await.is_err(), "refused");
        let past = (now - chrono::Duration::days(retention)).date_naive();
        assert_eq!(db.prune_audit(past, now).await.expect("pruned"), 1);
        assert_eq!(
            lines(&server, "f-a1", "wang", AuditAction::Read)
                .await
                .len(),
            1
        );

        // Ordinary SQL still cannot delete a line afterwards.
        let url = &server.db.as_ref().expect("owns its database").url;
        let pool = sqlx::AnyPool::connect(url).await.expect("connects");
        let deleted = sqlx::query("DELETE FROM audit_log").execute(&pool).await;
        assert!(deleted.is_err(), "the append-only guard is back");
        pool.close().await;
    }
}

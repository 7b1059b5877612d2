//! The audit log: every write and read of a file leaves a line that supervisors of its place can
//! read and nobody can change through the API.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::{TestServer, parse, small_world};
use xiafang_core::audit::{AuditAction, AuditEntry};
use xiafang_core::file_edit::EditableField;
use xiafang_core::hlc::Hlc;
use xiafang_core::{DeviceId, fixtures};

#[tokio::test]
async fn writes_and_reads_are_logged_for_the_supervisor_only() {
    for server in TestServer::each(&small_world()).await {
        let wang = server.login("wang").await;
        let device = DeviceId::new_random();
        let note = fixtures::note("f-a1", "wang");
        let stamp = Hlc {
            wall_ms: 1,
            counter: 0,
            device,
        };
        let records = [
            note.clone(),
            fixtures::amendment(&note, note.body.clone()),
            fixtures::void(&note, "重复"),
            fixtures::file_edit(
                "f-a1",
                "wang",
                EditableField::Address,
                "村口",
                "新址",
                stamp,
            ),
        ];
        server
            .push(&wang, &common::batch(device, 1, &records))
            .await;
        let pull = format!("/api/sync/pull?device_id={device}");
        assert_eq!(server.get(&pull, Some(&wang)).await.0, StatusCode::OK);
        let sup = server.login("sup-a").await;
        let (status, _) = server.get("/api/files/f-a1/records", Some(&sup)).await;
        assert_eq!(status, StatusCode::OK);

        let (status, body) = server.get("/api/files/f-a1/audit", Some(&sup)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let log: Vec<AuditEntry> = parse(body);
        let mut actions: Vec<_> = log.iter().map(|e| e.action).collect();
        actions.sort_by_key(|a| a.key());
        let mut expected = vec![
            AuditAction::Create,
            AuditAction::Amend,
            AuditAction::Void,
            AuditAction::Edit,
            AuditAction::Download,
            AuditAction::Read,
        ];
        expected.sort_by_key(|a| a.key());
        assert_eq!(actions, expected);
        let writes: Vec<_> = log.iter().filter(|e| e.record.is_some()).collect();
        assert_eq!(writes.len(), 4);
        assert!(
            writes
                .iter()
                .all(|e| e.device == Some(device) && e.account.0 == "wang")
        );
        let download = log
            .iter()
            .find(|e| e.action == AuditAction::Download)
            .unwrap();
        assert_eq!(download.device, Some(device));
        let read = log.iter().find(|e| e.action == AuditAction::Read).unwrap();
        assert_eq!(read.account.0, "sup-a");

        // Cadres do not read the log, and nobody can change it through the API.
        let (status, _) = server.get("/api/files/f-a1/audit", Some(&wang)).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        for method in ["PUT", "DELETE", "POST", "PATCH"] {
            let req = common::authorised(
                Request::builder()
                    .method(method)
                    .uri("/api/files/f-a1/audit"),
                &sup,
            )
            .body(Body::empty())
            .unwrap();
            let status = server.raw(req).await.status();
            assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED, "{method}");
        }
        let (_, body) = server.get("/api/files/f-a1/audit", Some(&sup)).await;
        assert_eq!(
            parse::<Vec<AuditEntry>>(body).len(),
            log.len(),
            "reading the log is not itself a file read"
        );
    }
}

/// Not even SQL run directly against the database rewrites the log: UPDATE and DELETE are
/// refused by a trigger on both backends, and the lines stay as they were.
#[tokio::test]
async fn the_database_itself_refuses_to_change_the_log() {
    for server in TestServer::each(&small_world()).await {
        let wang = server.login("wang").await;
        let (status, _) = server.get("/api/files/f-a1/records", Some(&wang)).await;
        assert_eq!(status, StatusCode::OK, "a read leaves a line");
        let url = &server.db.as_ref().expect("owns its database").url;
        let pool = sqlx::AnyPool::connect(url).await.expect("connects");
        let count = || async {
            sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM audit_log")
                .fetch_one(&pool)
                .await
                .unwrap()
        };
        let before = count().await;
        assert!(before > 0);
        for sql in [
            "UPDATE audit_log SET account_id = 'li'",
            "DELETE FROM audit_log",
        ] {
            let refused = sqlx::query(sql).execute(&pool).await.unwrap_err();
            assert!(
                refused.to_string().contains("append-only"),
                "{sql}: {refused}"
            );
        }
        assert_eq!(count().await, before);
        let (_, body) = server
            .get("/api/files/f-a1/audit", Some(&server.login("sup-a").await))
            .await;
        assert!(body.to_string().contains("wang"));
    }
}

//! What a county's IT office watches (issue #18, "Operable"), through the real router over both
//! databases: liveness, readiness that follows the database, and `/metrics` behind its token,
//! counting exactly what happened and naming no file or account.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{TestServer, batch, small_world};
use http_body_util::BodyExt;
use xiafang_core::DeviceId;
use xiafang_core::fixtures;
use xiafang_server::metrics::MetricsToken;

const TOKEN: &str = "scrape-token-0123456789";

async fn text(server: &TestServer, req: Request<Body>) -> (StatusCode, String) {
    let res = server.raw(req).await;
    let status = res.status();
    let bytes = res.into_body().collect().await.expect("body").to_bytes();
    (status, String::from_utf8_lossy(&bytes).into_owned())
}

async fn get_text(server: &TestServer, path: &str) -> (StatusCode, String) {
    text(server, Request::get(path).body(Body::empty()).unwrap()).await
}

async fn scrape(server: &TestServer, bearer: Option<&str>) -> (StatusCode, String) {
    let mut req = Request::get("/metrics");
    if let Some(t) = bearer {
        req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    text(server, req.body(Body::empty()).unwrap()).await
}

/// The value of the series written exactly as `series` (name and labels), 0 when absent.
fn value(text: &str, series: &str) -> f64 {
    text.lines()
        .find_map(|line| line.strip_prefix(series)?.strip_prefix(' '))
        .map_or(0.0, |v| {
            v.split(' ').next().unwrap().parse().expect("a number")
        })
}

#[tokio::test]
async fn readiness_answers_only_while_the_database_does() {
    for server in TestServer::each(&small_world()).await {
        assert_eq!(
            get_text(&server, "/api/health").await,
            (StatusCode::OK, "ok".into())
        );
        assert_eq!(
            get_text(&server, "/api/ready").await,
            (StatusCode::OK, "ready".into())
        );
        let db = server.db.as_ref().unwrap();
        if db.backend == "sqlite" {
            // The file is moved away under the running server, whose connections would go on
            // writing into it unseen, then put back.
            let path = db
                .url
                .strip_prefix("sqlite://")
                .unwrap()
                .split('?')
                .next()
                .unwrap();
            let moved = format!("{path}.moved");
            std::fs::rename(path, &moved).unwrap();
            let (status, body) = get_text(&server, "/api/ready").await;
            assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
            assert_eq!(body, "database unavailable", "a short reason, no internals");
            std::fs::rename(&moved, path).unwrap();
            assert_eq!(
                get_text(&server, "/api/ready").await,
                (StatusCode::OK, "ready".into())
            );
            continue;
        }
        // The database goes away under the running server: its connections end, its name is gone.
        let admin_url = std::env::var("XIAFANG_TEST_POSTGRES").unwrap();
        let name = db.url.rsplit_once('/').unwrap().1.to_owned();
        let gone = format!("{name}_gone");
        rename(&admin_url, &name, &gone).await;
        let (status, body) = get_text(&server, "/api/ready").await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
        assert_eq!(body, "database unavailable", "a short reason, no internals");
        // Liveness is not readiness: the process itself is fine.
        assert_eq!(get_text(&server, "/api/health").await.0, StatusCode::OK);
        rename(&admin_url, &gone, &name).await;
        assert_eq!(
            get_text(&server, "/api/ready").await,
            (StatusCode::OK, "ready".into())
        );
    }
}

/// Renames database `from`, ending the sessions on it first (PostgreSQL refuses otherwise).
async fn rename(admin_url: &str, from: &str, to: &str) {
    use sqlx::{Connection, Executor};
    let mut admin = sqlx::PgConnection::connect(admin_url).await.expect("admin");
    for _ in 0..20 {
        admin
            .execute(
                format!(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
                     WHERE datname = '{from}' AND pid <> pg_backend_pid()"
                )
                .as_str(),
            )
            .await
            .expect("end sessions");
        let renamed = admin
            .execute(format!("ALTER DATABASE {from} RENAME TO {to}").as_str())
            .await;
        if renamed.is_ok() {
            return;
        }
    }
    panic!("could not rename {from} to {to}");
}

#[tokio::test]
async fn metrics_are_there_only_for_the_token_and_count_exactly_what_happened() {
    for unconfigured in TestServer::each(&small_world()).await {
        assert_eq!(
            scrape(&unconfigured, Some(TOKEN)).await.0,
            StatusCode::NOT_FOUND
        );
        let mut server = unconfigured;
        server.state = server
            .state
            .clone()
            .with_metrics_token(Some(MetricsToken::new(TOKEN)));
        assert_eq!(scrape(&server, None).await.0, StatusCode::UNAUTHORIZED);
        let wrong = format!("{TOKEN}x");
        assert_eq!(
            scrape(&server, Some(&wrong)).await.0,
            StatusCode::UNAUTHORIZED
        );
        let (status, before) = scrape(&server, Some(TOKEN)).await;
        assert_eq!(status, StatusCode::OK, "{before}");

        let wang = server.login("wang").await;
        // One record wang may write (his file) and one he may not (another township's file).
        let mine = fixtures::note("f-a1", "wang");
        let not_mine = fixtures::note("f-b1", "wang");
        let acks = server
            .push(&wang, &batch(DeviceId::new_random(), 1, &[mine, not_mine]))
            .await;
        assert_eq!(acks.acks.len(), 2);
        let (status, _) = server.get("/api/files/f-a1/records", Some(&wang)).await;
        assert_eq!(status, StatusCode::OK);
        // The first piece of a photo: an upload under way.
        let sha = "ab".repeat(32);
        let (status, body) = server
            .put_bytes(
                &format!("/api/blobs/{sha}?offset=0&size=40000&mime=image/jpeg"),
                &wang,
                vec![7; 20_000],
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");

        let (status, after) = scrape(&server, Some(TOKEN)).await;
        assert_eq!(status, StatusCode::OK);
        let moved = |series: &str| value(&after, series) - value(&before, series);
        assert_eq!(
            moved(r#"xiafang_uploaded_records_total{outcome="stored"}"#),
            1.0,
            "{after}"
        );
        assert_eq!(
            moved(r#"xiafang_uploaded_records_total{outcome="rejected"}"#),
            1.0
        );
        assert_eq!(
            moved(r#"xiafang_uploaded_records_total{outcome="quarantined"}"#),
            0.0
        );
        let push = r#"method="POST",route="/api/sync/push""#;
        assert_eq!(
            moved(&format!(
                "xiafang_http_requests_total{{{push},status=\"200\"}}"
            )),
            1.0
        );
        assert_eq!(
            moved(&format!(
                "xiafang_http_request_duration_seconds_count{{{push}}}"
            )),
            1.0
        );
        let records = r#"method="GET",route="/api/files/{id}/records",status="200""#;
        assert_eq!(
            moved(&format!("xiafang_http_requests_total{{{records}}}")),
            1.0,
            "{after}"
        );
        assert_eq!(moved("xiafang_pending_image_uploads"), 1.0);
        assert_eq!(moved("xiafang_pending_image_bytes"), 20_000.0);
        assert!(
            after.contains(r#"xiafang_db_pool_connections{state="idle"}"#),
            "{after}"
        );
        assert!(after.contains(r#"xiafang_db_pool_connections{state="in_use"}"#));
        for personal in ["f-a1", "f-b1", "wang", &sha, &wang, TOKEN] {
            assert!(
                !after.contains(personal),
                "{personal} in the metrics:\n{after}"
            );
        }
    }
}

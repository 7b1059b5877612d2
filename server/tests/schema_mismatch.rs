//! A stored value of the wrong type (a migration gone wrong, a hand edit of the database) is an
//! error the server answers and logs, never a panic that drops the connection.

mod common;

use axum::http::StatusCode;
use common::*;
use sqlx::Connection;
use xiafang_core::{DeviceId, fixtures};

#[tokio::test]
async fn a_value_of_the_wrong_type_is_an_error_and_the_next_request_is_served() {
    for server in TestServer::each(&small_world()).await {
        let wang = server.login("wang").await;
        let note = fixtures::note("f-a1", "wang");
        server
            .push(&wang, &batch(DeviceId::new_random(), 1, &[note]))
            .await;
        let sup = server.login("sup-a").await;
        let (status, body) = server.get("/api/devices", Some(&sup)).await;
        assert_eq!(status, StatusCode::OK, "{body}");

        // The phone's clock offset, a number the supervisors' device list reads, becomes text.
        let db = server.db.as_ref().expect("own database");
        let mut conn = sqlx::AnyConnection::connect(&db.url)
            .await
            .expect("connect");
        if db.backend == "postgres" {
            sqlx::query("ALTER TABLE devices ALTER COLUMN clock_skew_ms TYPE TEXT")
                .execute(&mut conn)
                .await
                .expect("alter column");
        }
        sqlx::query("UPDATE devices SET clock_skew_ms = 'far off'")
            .execute(&mut conn)
            .await
            .expect("store text");

        let (status, body) = server.get("/api/devices", Some(&sup)).await;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR, "{body}");
        assert_eq!(body["code"], "internal", "{body}");
        // The same server goes on serving what it can read.
        let (status, body) = server.get("/api/files/f-a1/records", Some(&sup)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
}

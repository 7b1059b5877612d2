//! A lost phone: once an administrator revokes it, it can only hand over what it had not
//! uploaded — into quarantine, for a supervisor — and is told to erase its copy.

mod common;

use axum::http::StatusCode;
use common::{PASSWORD, TestServer, parse, small_world};
use serde_json::json;
use xiafang_core::{DeviceId, Record, fixtures};
use xiafang_core::{admin::QuarantinedRecord, upload::PushResponse, verdict::Outcome};

async fn login_from(server: &TestServer, name: &str, device: DeviceId) -> (StatusCode, String) {
    let body = json!({"username": name, "password": PASSWORD, "device_id": device});
    let (status, body) = server.post("/api/login", None, &body).await;
    (
        status,
        body["token"].as_str().unwrap_or_default().to_owned(),
    )
}

async fn push(
    server: &TestServer,
    token: &str,
    device: DeviceId,
    first: u64,
    records: &[Record],
) -> PushResponse {
    server
        .push(token, &common::batch(device, first, records))
        .await
}

async fn timeline_ids(server: &TestServer, token: &str) -> Vec<String> {
    let (_, body) = server.get("/api/files/f-a1/records", Some(token)).await;
    parse::<Vec<Record>>(body)
        .into_iter()
        .map(|r| r.id.to_string())
        .collect()
}

#[tokio::test]
async fn a_revoked_phone_hands_over_into_quarantine_and_is_refused_everything_else() {
    for server in TestServer::each(&small_world()).await {
        let phone = DeviceId::new_random();
        let (status, wang) = login_from(&server, "wang", phone).await;
        assert_eq!(status, StatusCode::OK);
        let first = fixtures::visit("f-a1", "wang");
        let res = push(&server, &wang, phone, 1, std::slice::from_ref(&first)).await;
        assert_eq!(
            (res.acks[0].outcome.clone(), res.erase),
            (Outcome::Stored, false)
        );

        // Only an administrator of the phone owner's place may revoke it.
        let path = format!("/api/admin/devices/{phone}/revoke");
        let sup = server.login("sup-a").await;
        assert_eq!(
            server.post(&path, Some(&sup), &()).await.0,
            StatusCode::FORBIDDEN
        );
        let admin = server.login("admin-a").await;
        assert_eq!(
            server.post(&path, Some(&admin), &()).await.0,
            StatusCode::NO_CONTENT
        );

        for call in ["/api/sync/pull", "/api/me", "/api/files/f-a1/records"] {
            let (status, body) = server.get(call, Some(&wang)).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{call}");
            assert_eq!(body["code"], "device_revoked");
        }
        let (status, _) = login_from(&server, "wang", phone).await;
        assert_eq!(
            status,
            StatusCode::FORBIDDEN,
            "no new session for the lost phone"
        );

        let pending = [
            fixtures::note("f-a1", "wang"),
            fixtures::assistance("f-a1", "wang"),
        ];
        for _ in 0..2 {
            let res = push(&server, &wang, phone, 2, &pending).await;
            assert!(res.erase, "the phone is told to erase its copy");
            assert!(res.acks.iter().all(|a| a.outcome == Outcome::Quarantined));
        }
        let stored = timeline_ids(&server, &sup).await;
        assert_eq!(
            stored,
            vec![first.id.to_string()],
            "nothing enters the file unreviewed"
        );

        let (status, body) = server.get("/api/quarantine", Some(&sup)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let waiting: Vec<QuarantinedRecord> = parse(body);
        assert_eq!(waiting.len(), 2, "a repeat is kept once");
        let cadre = server.login("li").await;
        assert_eq!(
            server.get("/api/quarantine", Some(&cadre)).await.0,
            StatusCode::FORBIDDEN
        );

        let accept = format!("/api/quarantine/{phone}/{}/accept", pending[0].id);
        let (status, body) = server.post(&accept, Some(&sup), &()).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(parse::<Outcome>(body), Outcome::Stored);
        let reject = format!("/api/quarantine/{phone}/{}/reject", pending[1].id);
        assert_eq!(
            server.post(&reject, Some(&sup), &()).await.0,
            StatusCode::NO_CONTENT
        );
        assert_eq!(
            server.post(&accept, Some(&sup), &()).await.0,
            StatusCode::NOT_FOUND
        );

        let mut stored = timeline_ids(&server, &sup).await;
        stored.sort();
        let mut expected = vec![first.id.to_string(), pending[0].id.to_string()];
        expected.sort();
        assert_eq!(stored, expected);
        let (_, body) = server.get("/api/quarantine", Some(&sup)).await;
        assert!(parse::<Vec<QuarantinedRecord>>(body).is_empty());

        // Another phone of the same cadre keeps working.
        let (status, other) = login_from(&server, "wang", DeviceId::new_random()).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            server.get("/api/sync/pull", Some(&other)).await.0,
            StatusCode::OK
        );
    }
}

/// The secret that opens a phone's data after a PIN lockout comes only with a password sign-in
/// from that phone, is the same each time for that phone and account, differs for any other
/// phone or account, and is never handed to a revoked phone.
#[tokio::test]
async fn the_phone_unlock_secret_needs_a_password_and_dies_with_the_phone() {
    for server in TestServer::each(&small_world()).await {
        let phone = DeviceId::new_random();
        let secret_for = |name: &'static str, device: DeviceId| {
            let server = &server;
            async move {
                let body = json!({"username": name, "password": PASSWORD, "device_id": device});
                let (status, body) = server.post("/api/login", None, &body).await;
                assert_eq!(status, StatusCode::OK);
                assert_eq!(
                    body["device_cipher"], "aes-256-gcm",
                    "the default phone cipher"
                );
                body["device_secret"].as_str().map(str::to_owned)
            }
        };
        let first = secret_for("wang", phone)
            .await
            .expect("a secret for the phone");
        assert_eq!(first.len(), 44, "32 random bytes in base64: {first}");
        assert_eq!(secret_for("wang", phone).await.as_deref(), Some(&*first));
        assert_ne!(secret_for("li", phone).await.as_deref(), Some(&*first));
        let wangs_own = DeviceId::new_random();
        let other_phone = secret_for("wang", wangs_own).await;
        assert_ne!(other_phone.as_deref(), Some(&*first));

        // A session token alone never yields it, on any path that answers a token.
        let (_, token) = login_from(&server, "wang", phone).await;
        let (_, me) = server.get("/api/me", Some(&token)).await;
        assert!(!me.to_string().contains(&first));
        let (_, pull) = server.get("/api/sync/pull", Some(&token)).await;
        assert!(!pull.to_string().contains(&first));
        // Without a device id, a sign-in gets no secret at all.
        let body = json!({"username": "wang", "password": PASSWORD});
        let (_, answer) = server.post("/api/login", None, &body).await;
        assert!(answer.get("device_secret").is_none());

        let admin = server.login("admin-a").await;
        let path = format!("/api/admin/devices/{wangs_own}/revoke");
        assert_eq!(
            server.post(&path, Some(&admin), &()).await.0,
            StatusCode::NO_CONTENT
        );
        let body = json!({"username": "wang", "password": PASSWORD, "device_id": wangs_own});
        let (status, answer) = server.post("/api/login", None, &body).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert!(answer.get("device_secret").is_none());

        // A phone handed from wang to li is li's now: wang's administrator may not revoke it.
        let handed = DeviceId::new_random();
        secret_for("wang", handed).await;
        secret_for("li", handed).await;
        let path = format!("/api/admin/devices/{handed}/revoke");
        assert_eq!(
            server.post(&path, Some(&admin), &()).await.0,
            StatusCode::FORBIDDEN
        );
    }
}

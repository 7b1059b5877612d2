//! An administrator cannot read an accusation through an account it controls: the accounts it
//! creates, resets, enables or gives legal villages never reach a file it may not read itself,
//! and a peer administrator is managed only from above.

mod common;

use axum::http::StatusCode;
use common::{PASSWORD, TestServer, account, file, small_world};
use serde_json::json;
use xiafang_core::file::{Accused, Classification};
use xiafang_core::{DeviceId, UserId, fixtures};
use xiafang_core::{account::Role, verdict::Outcome};

/// `f-acc` (village a1) accuses township ta, admin-a's place, and is assigned to cadre `cun` of
/// a1; `f-acc2` accuses admin-a by name, so supervisor sup-a of ta reads it and admin-a does not.
fn world() -> xiafang_server::demo::Demo {
    let mut world = small_world();
    world.accounts.extend([
        account("admin-a2", Role::Admin, "ta"),
        account("admin-county", Role::Admin, "county"),
        account("cun", Role::Cadre, "a1"),
        account("law-a1", Role::Legal, "a1"),
    ]);
    let mut acc = file("f-acc", "a1", &["cun"]);
    acc.file.matter.classification = Classification::Accusation;
    acc.file.matter.accused = vec![Accused {
        name: "某镇政府".into(),
        account: None,
        place: Some("ta".into()),
    }];
    let mut acc2 = file("f-acc2", "a1", &[]);
    acc2.file.matter.classification = Classification::Accusation;
    acc2.file.matter.accused = vec![Accused {
        name: "某管理员".into(),
        account: Some(UserId::from("admin-a")),
        place: None,
    }];
    world.files.extend([acc, acc2]);
    world
}

/// A refusal that says why in Chinese and names no file.
fn refused(status: StatusCode, body: &serde_json::Value) {
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let message = body["message"].as_str().unwrap_or_default();
    assert!(message.contains("管理员"), "{message}");
    assert!(!body.to_string().contains("f-acc"), "{body}");
}

async fn can_log_in(server: &TestServer, name: &str, password: &str) -> bool {
    let body = json!({"username": name, "password": password});
    server.post("/api/login", None, &body).await.0 == StatusCode::OK
}

#[tokio::test]
async fn an_administrator_cannot_create_an_account_that_reads_what_it_may_not() {
    for server in TestServer::each(&world()).await {
        let admin = server.login("admin-a").await;
        let new = |name: &str, role: Role, place: &str| {
            json!({"username": name, "display_name": "新账号", "role": role,
                   "place_id": place, "password": PASSWORD})
        };
        // A supervisor of the village reads f-acc; one of the township reads f-acc2.
        for (name, place) in [("spy-v", "a1"), ("spy-t", "ta")] {
            let body = new(name, Role::Supervisor, place);
            let (status, body) = server
                .post("/api/admin/accounts", Some(&admin), &body)
                .await;
            refused(status, &body);
            assert!(
                !can_log_in(&server, name, PASSWORD).await,
                "{name} not created"
            );
        }
        let body = new("new-cadre", Role::Cadre, "a1");
        let (status, body) = server
            .post("/api/admin/accounts", Some(&admin), &body)
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
}

#[tokio::test]
async fn an_administrator_cannot_reset_or_enable_an_account_that_reads_what_it_may_not() {
    for server in TestServer::each(&world()).await {
        let admin = server.login("admin-a").await;
        let reset = json!({"password": "a-new-password-1"});
        for name in ["sup-a", "cun"] {
            let path = format!("/api/admin/accounts/{name}/password");
            let (status, body) = server.post(&path, Some(&admin), &reset).await;
            refused(status, &body);
            assert!(
                can_log_in(&server, name, PASSWORD).await,
                "{name} unchanged"
            );
        }
        // Switching off is allowed; switching back on would hand the access back.
        let path = "/api/admin/accounts/cun/disable";
        assert_eq!(
            server.post(path, Some(&admin), &()).await.0,
            StatusCode::NO_CONTENT
        );
        let (status, body) = server
            .post("/api/admin/accounts/cun/enable", Some(&admin), &())
            .await;
        refused(status, &body);
        // An account that reads only what the administrator reads is reset as before.
        let (status, _) = server
            .post("/api/admin/accounts/wang/password", Some(&admin), &reset)
            .await;
        assert_eq!(status, StatusCode::NO_CONTENT);
    }
}

#[tokio::test]
async fn legal_villages_never_open_a_file_the_administrator_may_not_read() {
    for server in TestServer::each(&world()).await {
        let cun = server.login("cun").await;
        let referral = fixtures::referral("f-acc", "cun", "law-a1");
        let req = common::batch(DeviceId::new_random(), 1, std::slice::from_ref(&referral));
        assert_eq!(
            server.push(&cun, &req).await.acks[0].outcome,
            Outcome::Stored
        );

        let serve = json!({"account_id": "law-a1", "village_id": "a1"});
        let admin = server.login("admin-a").await;
        let (status, body) = server
            .post("/api/admin/legal-villages", Some(&admin), &serve)
            .await;
        refused(status, &body);
        let law = server.login("law-a1").await;
        assert!(server.pull(&law, None).await.files.is_empty());
        // The county's administrator reads the accusation and may open it to the member.
        let county = server.login("admin-county").await;
        let (status, _) = server
            .post("/api/admin/legal-villages", Some(&county), &serve)
            .await;
        assert_eq!(status, StatusCode::NO_CONTENT);
    }
}

#[tokio::test]
async fn a_peer_administrator_is_managed_only_from_above() {
    for server in TestServer::each(&world()).await {
        let admin = server.login("admin-a").await;
        let reset = json!({"password": "a-new-password-1"});
        let (status, body) = server
            .post(
                "/api/admin/accounts/admin-a2/password",
                Some(&admin),
                &reset,
            )
            .await;
        refused(status, &body);
        for action in ["disable", "enable"] {
            let path = format!("/api/admin/accounts/admin-a2/{action}");
            let (status, body) = server.post(&path, Some(&admin), &()).await;
            refused(status, &body);
        }
        assert!(can_log_in(&server, "admin-a2", PASSWORD).await);
        let county = server.login("admin-county").await;
        let (status, _) = server
            .post(
                "/api/admin/accounts/admin-a2/password",
                Some(&county),
                &reset,
            )
            .await;
        assert_eq!(status, StatusCode::NO_CONTENT);
    }
}

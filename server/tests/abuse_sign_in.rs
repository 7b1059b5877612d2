//! Password guessing, tried as a hostile user who knows the code: many guesses at once, a
//! restart, a second server over the same database, a flood of sign-ins with random names. The
//! lock must hold in all of them, yet never keep the owner of a name out for ever.

mod common;

use axum::http::StatusCode;
use common::{PASSWORD, TestServer, small_world};
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use xiafang_core::DeviceId;
use xiafang_server::AppState;

/// A sign-in as `name` with `password`, from `device` if given.
async fn sign_in(
    server: &TestServer,
    name: &str,
    password: &str,
    device: Option<DeviceId>,
) -> (StatusCode, Value) {
    let mut body = json!({"username": name, "password": password});
    if let Some(d) = device {
        body["device_id"] = json!(d);
    }
    server.post("/api/login", None, &body).await
}

/// Five wrong guesses at `name`, each answered "wrong password".
async fn lock(server: &TestServer, name: &str) {
    for i in 0..5 {
        let (code, body) = sign_in(server, name, "guess", None).await;
        assert_eq!(code, StatusCode::UNAUTHORIZED, "guess {i}: {body}");
    }
    assert_locked(server, name, None).await;
}

/// Even the right password is refused for `name` (from `device`).
async fn assert_locked(server: &TestServer, name: &str, device: Option<DeviceId>) {
    let (code, body) = sign_in(server, name, PASSWORD, device).await;
    assert_eq!(code, StatusCode::TOO_MANY_REQUESTS, "{body}");
    assert_eq!(body["code"], "too_many_attempts");
}

#[tokio::test]
async fn sixty_guesses_at_once_get_exactly_five_answers() {
    for server in TestServer::each(&small_world()).await {
        let mut guesses = tokio::task::JoinSet::new();
        for n in 0..60 {
            let other = TestServer::over(server.state.clone());
            guesses
                .spawn(async move { sign_in(&other, "wang", &format!("guess {n}"), None).await });
        }
        let (mut wrong, mut locked) = (0, 0);
        while let Some(answer) = guesses.join_next().await {
            let (code, body) = answer.expect("sign-in task");
            match code {
                StatusCode::UNAUTHORIZED => wrong += 1,
                StatusCode::TOO_MANY_REQUESTS => locked += 1,
                other => panic!("{other}: {body}"),
            }
        }
        assert_eq!(
            (wrong, locked),
            (5, 55),
            "wrong password / too many attempts"
        );
    }
}

#[tokio::test]
async fn a_locked_name_stays_locked_after_a_restart_and_on_a_second_server() {
    for server in TestServer::each(&small_world()).await {
        lock(&server, "wang").await;
        let server = server.restart().await;
        assert_locked(&server, "wang", None).await;

        // A second server process over the same database sees the same lock.
        let second_db = server.db.as_ref().expect("owns its database").open().await;
        let second = TestServer::over(AppState::new(second_db, None));
        lock(&second, "li").await;
        assert_locked(&server, "li", None).await;
        assert_locked(&second, "wang", None).await;
    }
}

#[tokio::test]
async fn the_owner_gets_in_from_a_known_phone_and_a_stranger_stays_locked() {
    for server in TestServer::each(&small_world()).await {
        let phone = DeviceId::new_random();
        let (code, body) = sign_in(&server, "wang", PASSWORD, Some(phone)).await;
        assert_eq!(code, StatusCode::OK, "{body}");
        lock(&server, "wang").await;
        // A phone this account never signed in from is a stranger's.
        assert_locked(&server, "wang", Some(DeviceId::new_random())).await;

        let (code, body) = sign_in(&server, "wang", PASSWORD, Some(phone)).await;
        assert_eq!(code, StatusCode::OK, "the owner's own phone: {body}");
        let (code, body) = sign_in(&server, "wang", PASSWORD, None).await;
        assert_eq!(code, StatusCode::OK, "the lock is cleared: {body}");

        // A thief holding the phone has its own five guesses, no more.
        for i in 0..5 {
            let (code, body) = sign_in(&server, "wang", "guess", Some(phone)).await;
            assert_eq!(code, StatusCode::UNAUTHORIZED, "guess {i}: {body}");
        }
        assert_locked(&server, "wang", Some(phone)).await;
    }
}

#[tokio::test]
async fn an_administrator_unlocks_a_name_of_their_place_only() {
    for server in TestServer::each(&small_world()).await {
        let admin = server.login("admin-a").await;
        lock(&server, "wang").await;
        lock(&server, "li").await;

        let (code, body) = server
            .post("/api/admin/accounts/wang/unlock", Some(&admin), &json!({}))
            .await;
        assert_eq!(code, StatusCode::NO_CONTENT, "{body}");
        assert_eq!(
            sign_in(&server, "wang", PASSWORD, None).await.0,
            StatusCode::OK
        );

        // li belongs to township tb, outside admin-a's place.
        let (code, body) = server
            .post("/api/admin/accounts/li/unlock", Some(&admin), &json!({}))
            .await;
        assert_eq!(code, StatusCode::FORBIDDEN, "{body}");
        assert_eq!(body["code"], "not_allowed");
        assert_locked(&server, "li", None).await;
        let cadre = server.login("wang").await;
        let (code, _) = server
            .post("/api/admin/accounts/wang/unlock", Some(&cadre), &json!({}))
            .await;
        assert_eq!(code, StatusCode::FORBIDDEN, "only administrators unlock");

        // A new password set by the administrator opens the name too.
        lock(&server, "wang").await;
        let (code, body) = server
            .post(
                "/api/admin/accounts/wang/password",
                Some(&admin),
                &json!({"password": "new-password-2026"}),
            )
            .await;
        assert_eq!(code, StatusCode::NO_CONTENT, "{body}");
        let (code, body) = sign_in(&server, "wang", "new-password-2026", None).await;
        assert_eq!(code, StatusCode::OK, "{body}");
    }
}

/// A current-thread runtime, as a busy server's worker is: a sign-in that hashes on it holds up
/// every other request.
#[tokio::test(flavor = "current_thread")]
async fn a_flood_of_sign_ins_does_not_hold_up_other_requests() {
    const FLOOD: usize = 16;
    for server in TestServer::each(&small_world()).await {
        let wang = server.login("wang").await;
        let answered = Arc::new(AtomicUsize::new(0));
        let mut flood = tokio::task::JoinSet::new();
        for n in 0..FLOOD {
            let other = TestServer::over(server.state.clone());
            let answered = answered.clone();
            flood.spawn(async move {
                let name = format!("nobody-{n}-{}", uuid::Uuid::new_v4().simple());
                let (code, body) = sign_in(&other, &name, "guess", None).await;
                answered.fetch_add(1, Ordering::SeqCst);
                (code, body)
            });
        }
        // Once the flood is being answered, the cadre's phone asks who is signed in.
        let first = flood.join_next().await.expect("a sign-in").expect("task");
        assert_eq!(first.0, StatusCode::UNAUTHORIZED, "{}", first.1);
        let (code, body) = server.get("/api/me", Some(&wang)).await;
        let before_me = answered.load(Ordering::SeqCst);
        assert_eq!(code, StatusCode::OK, "{body}");
        while let Some(answer) = flood.join_next().await {
            let (code, body) = answer.expect("task");
            assert_eq!(code, StatusCode::UNAUTHORIZED, "{body}");
        }
        assert!(
            before_me < FLOOD / 2,
            "/api/me waited for {before_me} of {FLOOD} sign-ins"
        );
    }
}

#[tokio::test]
async fn names_differing_in_case_or_spaces_share_one_lock() {
    for server in TestServer::each(&small_world()).await {
        for name in ["wang", "WANG", " wang ", "Wang", "wAng"] {
            let (code, _) = sign_in(&server, name, "guess", None).await;
            assert_eq!(code, StatusCode::UNAUTHORIZED, "{name}");
        }
        assert_locked(&server, "wang", None).await;
    }
}

//! A session token alone opens nothing: every signed-in request must carry a fresh signature by
//! the key the phone made when it signed in (`X-Xiafang-Proof`), so a token copied off a phone —
//! or out of a browser profile — is useless without that phone. Sign-out ends the session.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{
    PASSWORD, TestServer, new_phone_key as new_key, proof, public_key as public, small_world,
};
use p256::ecdsa::SigningKey;
use serde_json::json;

const PROOF: &str = xiafang_core::session::PROOF_HEADER;

/// A sign-in sent as is (`TestServer::post` would add a key of its own when there is none).
async fn login_as_is(
    server: &TestServer,
    body: serde_json::Value,
) -> (StatusCode, serde_json::Value) {
    let req = Request::post("/api/login")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .unwrap();
    server.send(req).await
}

async fn sign_in(server: &TestServer, key: &SigningKey) -> String {
    let body = json!({"username": "wang", "password": PASSWORD, "device_key": public(key)});
    let (status, body) = login_as_is(server, body).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["token"].as_str().unwrap().to_owned()
}

/// `method path` with `token` as bearer and, if given, `proof` as the proof header.
async fn call(
    server: &TestServer,
    method: &str,
    path: &str,
    token: &str,
    proof: Option<String>,
) -> (StatusCode, serde_json::Value) {
    let mut req = Request::builder()
        .method(method)
        .uri(path)
        .header(header::AUTHORIZATION, format!("Bearer {token}"));
    if let Some(p) = proof {
        req = req.header(PROOF, p);
    }
    server.send(req.body(Body::empty()).unwrap()).await
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

#[tokio::test]
async fn a_token_without_its_phones_proof_is_refused_and_serves_nothing() {
    for server in TestServer::each(&small_world()).await {
        let phone = new_key();
        let token = sign_in(&server, &phone).await;
        let path = "/api/files/f-a1/records";

        let (status, body) = call(&server, "GET", path, &token, None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "no proof: {body}");
        assert_eq!(body["code"], "unauthorized");

        let thief = new_key();
        let (status, body) = call(
            &server,
            "GET",
            path,
            &token,
            Some(proof(&thief, "GET", path, now())),
        )
        .await;
        assert_eq!(
            status,
            StatusCode::UNAUTHORIZED,
            "another key's proof: {body}"
        );

        let other = "/api/sync/pull";
        let (status, body) = call(
            &server,
            "GET",
            path,
            &token,
            Some(proof(&phone, "GET", other, now())),
        )
        .await;
        assert_eq!(
            status,
            StatusCode::UNAUTHORIZED,
            "a proof for another path: {body}"
        );
        let (status, body) = call(
            &server,
            "GET",
            path,
            &token,
            Some(proof(&phone, "POST", path, now())),
        )
        .await;
        assert_eq!(
            status,
            StatusCode::UNAUTHORIZED,
            "a proof for another method: {body}"
        );
        let (status, body) = call(&server, "GET", path, &token, Some("garbage".into())).await;
        assert_eq!(
            status,
            StatusCode::UNAUTHORIZED,
            "a malformed proof: {body}"
        );

        // A proof made 20 minutes ago (or a phone clock 20 minutes off) is stale, and says so
        // with its own code so the phone can correct its clock and try once more.
        let stale = now() - 20 * 60;
        let (status, body) = call(
            &server,
            "GET",
            path,
            &token,
            Some(proof(&phone, "GET", path, stale)),
        )
        .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "a stale proof: {body}");
        assert_eq!(body["code"], "proof_stale");

        // A phone clock a few minutes off is still accepted.
        let skewed = now() + 7 * 60;
        let (status, body) = call(
            &server,
            "GET",
            path,
            &token,
            Some(proof(&phone, "GET", path, skewed)),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "a clock 7 minutes fast: {body}");
        let (status, body) = call(
            &server,
            "GET",
            path,
            &token,
            Some(proof(&phone, "GET", path, now())),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert!(body.as_array().is_some(), "{body}");

        // The query string is signed too: a proof for the page without it does not open it.
        let paged = "/api/sync/pull?device_id=00000000-0000-4000-8000-000000000001";
        let (status, _) = call(
            &server,
            "GET",
            paged,
            &token,
            Some(proof(&phone, "GET", "/api/sync/pull", now())),
        )
        .await;
        assert_eq!(
            status,
            StatusCode::UNAUTHORIZED,
            "a proof without the query"
        );
    }
}

#[tokio::test]
async fn a_sign_in_without_a_phone_key_is_refused() {
    for server in TestServer::each(&small_world()).await {
        let body = json!({"username": "wang", "password": PASSWORD});
        let (status, body) = login_as_is(&server, body).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        let body = json!({"username": "wang", "password": PASSWORD, "device_key": "bm90IGEga2V5"});
        let (status, body) = login_as_is(&server, body).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    }
}

#[tokio::test]
async fn sign_out_ends_the_session_on_the_server() {
    for server in TestServer::each(&small_world()).await {
        let phone = new_key();
        let token = sign_in(&server, &phone).await;
        let path = "/api/me";
        let (status, _) = call(
            &server,
            "GET",
            path,
            &token,
            Some(proof(&phone, "GET", path, now())),
        )
        .await;
        assert_eq!(status, StatusCode::OK);

        // Signing out takes the proof too: a copied token cannot end (or probe) the session.
        let out = "/api/logout";
        let (status, _) = call(&server, "POST", out, &token, None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        let (status, _) = call(
            &server,
            "POST",
            out,
            &token,
            Some(proof(&phone, "POST", out, now())),
        )
        .await;
        assert_eq!(status, StatusCode::NO_CONTENT);

        let (status, body) = call(
            &server,
            "GET",
            path,
            &token,
            Some(proof(&phone, "GET", path, now())),
        )
        .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    }
}

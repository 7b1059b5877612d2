//! Signing in, and what the API answers to bad requests.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{TestServer, small_world};
use xiafang_core::upload::MAX_BATCH_OPS;
use xiafang_core::{DeviceId, fixtures};

#[tokio::test]
async fn wrong_password_and_unknown_user_get_the_same_answer() {
    for server in TestServer::each(&small_world()).await {
        for (user, password) in [("wang", "wrong"), ("nobody", "test-password")] {
            let (status, body) = server
                .post(
                    "/api/login",
                    None,
                    &serde_json::json!({"username": user, "password": password}),
                )
                .await;
            assert_eq!(status, StatusCode::UNAUTHORIZED);
            assert_eq!(body["code"], "bad_credentials");
            assert_eq!(body["message"], "用户名或密码不正确");
        }
    }
}

#[tokio::test]
async fn every_data_call_needs_a_valid_session() {
    for server in TestServer::each(&small_world()).await {
        for token in [None, Some("not-a-token")] {
            let (status, body) = server.get("/api/sync/pull", token).await;
            assert_eq!(status, StatusCode::UNAUTHORIZED);
            assert_eq!(body["code"], "unauthorized");
            let (status, _) = server.get("/api/files/f-a1/records", token).await;
            assert_eq!(status, StatusCode::UNAUTHORIZED);
        }
        let token = server.login("wang").await;
        let (status, me) = server.get("/api/me", Some(&token)).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(me["username"], "wang");
    }
}

#[tokio::test]
async fn malformed_and_oversized_uploads_get_clear_errors_and_change_nothing() {
    for server in TestServer::each(&small_world()).await {
        let token = server.login("wang").await;
        let req = common::authorised(Request::post("/api/sync/push"), &token)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(r#"{"device_id": "x", "ops": 5}"#))
            .unwrap();
        let (status, body) = server.send(req).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(body["code"], "bad_request");

        let ops: Vec<_> = (0..=MAX_BATCH_OPS as u64)
            .map(|seq| serde_json::json!({"seq": seq, "record": fixtures::note("f-a1", "wang")}))
            .collect();
        let too_many = serde_json::json!({"device_id": DeviceId::new_random(), "ops": ops});
        let (status, _) = server.post("/api/sync/push", Some(&token), &too_many).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);

        let huge = serde_json::json!({"device_id": DeviceId::new_random(), "ops": [], "pad": "x".repeat(3 << 20)});
        let (status, body) = server.post("/api/sync/push", Some(&token), &huge).await;
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(body["code"], "too_large");

        let (_, records) = server.get("/api/files/f-a1/records", Some(&token)).await;
        assert_eq!(records.as_array().map(Vec::len), Some(0));
    }
}

#[tokio::test]
async fn unknown_api_paths_are_json_404s() {
    for server in TestServer::each(&small_world()).await {
        let (status, body) = server.get("/api/nothing", None).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_eq!(body["code"], "not_found");
    }
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    for server in TestServer::each(&small_world()).await {
        let res = server
            .raw(Request::get("/api/health").body(Body::empty()).unwrap())
            .await;
        let headers = res.headers();
        let csp = headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
        assert!(csp.starts_with("default-src 'none'"), "{csp}");
        assert!(csp.contains("frame-ancestors 'none'"));
        assert!(!csp.contains("'unsafe-inline'") && !csp.contains("'unsafe-eval'"));
        assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        assert_eq!(headers[header::X_FRAME_OPTIONS], "DENY");
        assert_eq!(headers[header::REFERRER_POLICY], "no-referrer");
        assert_eq!(headers[header::CACHE_CONTROL], "no-store");
    }
}

#[tokio::test]
async fn repeated_wrong_passwords_lock_the_name_even_for_the_right_one() {
    for server in TestServer::each(&small_world()).await {
        let attempt = async |password: &str| {
            let body = serde_json::json!({"username": "wang", "password": password});
            server.post("/api/login", None, &body).await
        };
        for _ in 0..xiafang_server::limits::MAX_ATTEMPTS {
            assert_eq!(attempt("guess").await.0, StatusCode::UNAUTHORIZED);
        }
        let (status, body) = attempt(common::PASSWORD).await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(body["code"], "too_many_attempts");
        assert_eq!(body["message"], "登录失败次数过多，请 15 分钟后再试");
        // Another account is not affected.
        server.login("li").await;
    }
}

#[tokio::test]
async fn sessions_end_on_sign_out_and_when_they_expire() {
    for server in TestServer::each(&small_world()).await {
        let token = server.login("wang").await;
        let logout = common::authorised(Request::post("/api/logout"), &token)
            .body(Body::empty())
            .unwrap();
        assert_eq!(server.raw(logout).await.status(), StatusCode::NO_CONTENT);
        let (status, _) = server.get("/api/me", Some(&token)).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);

        let (old, old_hash) = xiafang_server::auth::new_token();
        let long_ago = chrono::Utc::now() - chrono::Duration::days(31);
        server
            .state
            .db
            .create_session(
                &old_hash,
                &xiafang_core::UserId::from("wang"),
                long_ago,
                long_ago + chrono::Duration::days(xiafang_server::auth::SESSION_DAYS),
            )
            .await
            .unwrap();
        let (status, body) = server.get("/api/sync/pull", Some(&old)).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(body["message"], "登录已失效，请重新登录");
    }
}

/// Phones compute deadlines and figures with the county's own rules, which the server hands to
/// any signed-in account (and to nobody else).
#[tokio::test]
async fn phones_get_the_countys_rules() {
    use xiafang_core::figures::FigureRules;
    for server in TestServer::each(&common::small_world()).await {
        let wang = server.login("wang").await;
        let (status, body) = server.get("/api/rules", Some(&wang)).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(common::parse::<FigureRules>(body), FigureRules::default());
        let (status, _) = server.get("/api/rules", None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);

        let mut strict = FigureRules::default();
        strict.case.due_soon_days = 7;
        strict.satisfied.truncate(1);
        let county = TestServer::over(server.state.clone().with_rules(strict.clone()));
        let (_, body) = county.get("/api/rules", Some(&wang)).await;
        assert_eq!(common::parse::<FigureRules>(body), strict);
    }
}

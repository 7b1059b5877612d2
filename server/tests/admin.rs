//! Administrators manage accounts and assignments in the app, within their own place.

mod common;

use axum::http::StatusCode;
use common::{TestServer, parse, small_world};
use serde_json::json;
use xiafang_core::{admin::AccountSummary, feed::PullResponse};

#[tokio::test]
async fn an_administrator_creates_disables_and_resets_accounts() {
    for server in TestServer::each(&small_world()).await {
        let admin = server.login("admin-a").await;
        let new = json!({"username": "zhaolei", "display_name": "赵磊", "role": "cadre",
                         "place_id": "a1", "password": "first-password"});
        let (status, body) = server.post("/api/admin/accounts", Some(&admin), &new).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        let (status, body) = server.post("/api/admin/accounts", Some(&admin), &new).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(body["message"], "请求格式有误：用户名已存在");
        let bad = json!({"username": "X y", "display_name": " ", "role": "cadre",
                         "place_id": "a1", "password": "short"});
        let (status, body) = server.post("/api/admin/accounts", Some(&admin), &bad).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        let message = body["message"].as_str().unwrap();
        assert!(
            message.contains("用户名须为") && message.contains("请填写姓名"),
            "{message}"
        );
        assert!(message.contains("密码至少 10 位"), "{message}");
        let elsewhere = json!({"username": "other", "display_name": "外乡", "role": "cadre",
                               "place_id": "b1", "password": "first-password"});
        let (status, _) = server
            .post("/api/admin/accounts", Some(&admin), &elsewhere)
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);

        let login = |password: &'static str| json!({"username": "zhaolei", "password": password});
        let (status, body) = server
            .post("/api/login", None, &login("first-password"))
            .await;
        assert_eq!(status, StatusCode::OK);
        let token = body["token"].as_str().unwrap().to_owned();

        // A password reset ends the sessions signed in with the old one.
        let reset = json!({"password": "second-password"});
        let path = "/api/admin/accounts/u-zhaolei/password";
        assert_eq!(
            server.post(path, Some(&admin), &reset).await.0,
            StatusCode::NO_CONTENT
        );
        assert_eq!(
            server.get("/api/me", Some(&token)).await.0,
            StatusCode::UNAUTHORIZED
        );
        let (status, body) = server
            .post("/api/login", None, &login("second-password"))
            .await;
        assert_eq!(status, StatusCode::OK);
        let token = body["token"].as_str().unwrap().to_owned();

        // Disabling ends sessions at once and refuses sign-in.
        let path = "/api/admin/accounts/u-zhaolei/disable";
        assert_eq!(
            server.post(path, Some(&admin), &()).await.0,
            StatusCode::NO_CONTENT
        );
        assert_eq!(
            server.get("/api/me", Some(&token)).await.0,
            StatusCode::UNAUTHORIZED
        );
        let (status, _) = server
            .post("/api/login", None, &login("second-password"))
            .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        let (_, body) = server.get("/api/admin/accounts", Some(&admin)).await;
        let listed: Vec<AccountSummary> = parse(body);
        assert!(
            listed
                .iter()
                .any(|a| a.account.username == "zhaolei" && a.disabled)
        );
        assert!(
            !listed.iter().any(|a| a.account.username == "li"),
            "tb is not admin-a's"
        );
    }
}

#[tokio::test]
async fn an_assignment_reaches_the_cadres_phone_and_villages_go_to_legal_members_only() {
    for server in TestServer::each(&small_world()).await {
        let admin = server.login("admin-a").await;
        let sup = json!({"file_id": "f-a1", "account_id": "sup-a"});
        assert_eq!(
            server
                .post("/api/admin/assignments", Some(&admin), &sup)
                .await
                .0,
            StatusCode::NO_CONTENT
        );
        let law = server.login("law").await;
        let (_, body) = server.get("/api/sync/pull", Some(&law)).await;
        assert!(parse::<PullResponse>(body).files.is_empty());
        let give_law = json!({"file_id": "f-a1", "account_id": "law"});
        server
            .post("/api/admin/assignments", Some(&admin), &give_law)
            .await;
        let (_, body) = server.get("/api/sync/pull", Some(&law)).await;
        assert_eq!(parse::<PullResponse>(body).files.len(), 1);

        let village = json!({"account_id": "law", "village_id": "a1"});
        let (status, _) = server
            .post("/api/admin/legal-villages", Some(&admin), &village)
            .await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        let not_legal = json!({"account_id": "wang", "village_id": "a1"});
        let (status, body) = server
            .post("/api/admin/legal-villages", Some(&admin), &not_legal)
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(
            body["message"],
            "请求格式有误：只能为法律服务团队成员指定包联村"
        );
        let outside = json!({"account_id": "law", "village_id": "b1"});
        let (status, _) = server
            .post("/api/admin/legal-villages", Some(&admin), &outside)
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let villages = server
            .state
            .db
            .legal_villages(&xiafang_core::UserId::from("law"))
            .await
            .unwrap();
        assert_eq!(villages, vec!["a1"]);
    }
}

#[tokio::test]
async fn legal_team_members_need_their_title_and_nobody_else_has_one() {
    for server in TestServer::each(&small_world()).await {
        let admin = server.login("admin-a").await;
        let mut new = json!({"username": "judge.li", "display_name": "李法官", "role": "legal",
                             "place_id": "a1", "password": "first-password"});
        let (status, body) = server.post("/api/admin/accounts", Some(&admin), &new).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(
            body["message"].as_str().unwrap().contains("须选择身份"),
            "{body}"
        );
        new["legal_title"] = "judge".into();
        let (status, body) = server.post("/api/admin/accounts", Some(&admin), &new).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        let mut cadre = json!({"username": "cadre.x", "display_name": "某干部", "role": "cadre",
                               "place_id": "a1", "password": "first-password",
                               "legal_title": "police"});
        let (status, _) = server
            .post("/api/admin/accounts", Some(&admin), &cadre)
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        cadre.as_object_mut().unwrap().remove("legal_title");
        let (status, _) = server
            .post("/api/admin/accounts", Some(&admin), &cadre)
            .await;
        assert_eq!(status, StatusCode::CREATED);

        let login = json!({"username": "judge.li", "password": "first-password"});
        let (_, body) = server.post("/api/login", None, &login).await;
        assert_eq!(body["account"]["legal_title"], "judge");
        let (_, body) = server.get("/api/admin/accounts", Some(&admin)).await;
        let listed: Vec<AccountSummary> = parse(body);
        let titles: Vec<_> = listed
            .iter()
            .filter(|a| ["judge.li", "cadre.x"].contains(&a.account.username.as_str()))
            .map(|a| a.account.legal_title.map(|t| t.key()))
            .collect();
        assert_eq!(
            titles,
            vec![None, Some("judge")],
            "cadre.x sorts before judge.li"
        );
    }
}

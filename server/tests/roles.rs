//! Who may call what: every role against every kind of call, including guessing another
//! township's file ids. The server decides; a hidden button is not protection.

mod common;

use axum::http::StatusCode;
use common::{TestServer, small_world};
use xiafang_core::admin::{FileSummary, PlaceKind, PlaceSummary};

/// (path, [wang, li, sup-a, sup-county, admin-a, law]) — the status each account gets. A file
/// one may not read is "not found", like a file that does not exist (f-a2).
const MATRIX: &[(&str, [u16; 6])] = &[
    ("/api/files/f-a1/records", [200, 404, 200, 200, 200, 404]),
    ("/api/files/f-b1/records", [404, 200, 404, 200, 404, 404]),
    ("/api/files/f-a2/records", [404, 404, 404, 404, 404, 404]),
    ("/api/files/f-a1/conflicts", [200, 404, 200, 200, 200, 404]),
    ("/api/files/f-a1/export", [200, 404, 200, 200, 200, 404]),
    ("/api/files/f-b1/export", [404, 200, 404, 200, 404, 404]),
    ("/api/files/f-a2/export", [404, 404, 404, 404, 404, 404]),
    ("/api/files/f-a1/audit", [403, 403, 200, 200, 200, 403]),
    ("/api/files/f-b1/audit", [403, 403, 404, 200, 404, 403]),
    ("/api/devices", [403, 403, 200, 200, 200, 403]),
    ("/api/admin/accounts", [403, 403, 403, 403, 200, 403]),
    ("/api/admin/places", [403, 403, 403, 403, 200, 403]),
    ("/api/admin/files", [403, 403, 403, 403, 200, 403]),
    ("/api/search?q=f-", [200, 200, 200, 200, 200, 200]),
    ("/api/sync/pull", [200, 200, 200, 200, 200, 200]),
    ("/api/me", [200, 200, 200, 200, 200, 200]),
];

const ACCOUNTS: [&str; 6] = ["wang", "li", "sup-a", "sup-county", "admin-a", "law"];

#[tokio::test]
async fn each_role_gets_exactly_its_calls() {
    for server in TestServer::each(&small_world()).await {
        let mut tokens = Vec::new();
        for name in ACCOUNTS {
            tokens.push(server.login(name).await);
        }
        let mut wrong = Vec::new();
        for (path, expected) in MATRIX {
            for (i, token) in tokens.iter().enumerate() {
                let (status, _) = server.get(path, Some(token)).await;
                if status.as_u16() != expected[i] {
                    wrong.push(format!(
                        "{} GET {path}: {status}, expected {}",
                        ACCOUNTS[i], expected[i]
                    ));
                }
            }
            let (status, _) = server.get(path, None).await;
            if *path != "/api/health" && status != StatusCode::UNAUTHORIZED {
                wrong.push(format!("anonymous GET {path}: {status}"));
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }
}

/// A search never reaches past what the account could open: the term every file shares finds,
/// for each account, exactly the files it reads.
#[tokio::test]
async fn a_search_finds_exactly_the_files_each_account_may_read() {
    for server in TestServer::each(&small_world()).await {
        let expected: [&[&str]; 6] = [
            &["f-a1"],
            &["f-b1"],
            &["f-a1"],
            &["f-a1", "f-b1"],
            &["f-a1"],
            &[],
        ];
        for (name, files) in ACCOUNTS.iter().zip(expected) {
            let token = server.login(name).await;
            assert_eq!(server.found(&token, "信访人").await, files, "{name}");
            // Naming another township's file or village outright finds nothing either.
            if !files.contains(&"f-b1") {
                assert!(server.found(&token, "f-b1").await.is_empty(), "{name}");
                assert!(server.found(&token, "b1").await.is_empty(), "{name}");
            }
        }
    }
}

#[tokio::test]
async fn an_administrator_lists_only_the_places_and_files_of_its_township() {
    for server in TestServer::each(&small_world()).await {
        let admin = server.login("admin-a").await;
        let (status, body) = server.get("/api/admin/places", Some(&admin)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let places: Vec<PlaceSummary> = common::parse(body);
        let summary: Vec<(&str, PlaceKind, Option<&str>)> = places
            .iter()
            .map(|p| (p.id.as_str(), p.kind, p.parent_id.as_deref()))
            .collect();
        assert_eq!(
            summary,
            vec![
                ("ta", PlaceKind::Township, Some("county")),
                ("a1", PlaceKind::Village, Some("ta")),
            ]
        );
        let (status, body) = server.get("/api/admin/files", Some(&admin)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let files: Vec<FileSummary> = common::parse(body);
        assert_eq!(
            files,
            vec![FileSummary {
                id: "f-a1".into(),
                name: "f-a1 信访人".into(),
                village_id: "a1".into(),
                assigned: vec!["wang".into()],
            }]
        );
    }
}

#[tokio::test]
async fn only_an_administrator_of_the_place_changes_accounts_and_assignments() {
    for server in TestServer::each(&small_world()).await {
        let assign_li_to_a1 = serde_json::json!({"file_id": "f-a1", "account_id": "li"});
        for name in ["wang", "sup-a", "sup-county", "law"] {
            let token = server.login(name).await;
            let (status, _) = server
                .post("/api/admin/assignments", Some(&token), &assign_li_to_a1)
                .await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{name}");
            let (status, _) = server
                .post("/api/admin/accounts/wang/disable", Some(&token), &())
                .await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{name}");
        }
        let admin = server.login("admin-a").await;
        // li belongs to township tb, outside admin-a's township.
        let (status, _) = server
            .post("/api/admin/assignments", Some(&admin), &assign_li_to_a1)
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, _) = server
            .post("/api/admin/accounts/li/disable", Some(&admin), &())
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }
}

#[tokio::test]
async fn a_refused_action_says_so_in_words_that_fit_it() {
    for server in TestServer::each(&small_world()).await {
        let wang = server.login("wang").await;
        let (status, body) = server.get("/api/admin/accounts", Some(&wang)).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert_eq!(body["code"], "not_allowed");
        assert_eq!(body["message"], "您的账号无权进行此操作");
        // A file one may not read is not there at all.
        let (_, body) = server.get("/api/files/f-b1/records", Some(&wang)).await;
        assert_eq!(body["message"], "找不到该内容");
    }
}

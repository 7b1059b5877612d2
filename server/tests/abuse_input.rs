//! Abuse suite, input side: every endpoint of the API, fed no credentials, hostile path values,
//! malformed, oversized or mistyped bodies and queries, answers a clear error of its own (a JSON
//! `ApiError` with a Chinese message, never a server error, never a crash) and stores nothing.
//! The endpoint table below must name every route of `server/src/http/mod.rs`: a new route that
//! is not listed fails `every_route_is_in_the_abuse_table`.

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use common::{TestServer, authorised, small_world};
use std::io::Write;

/// Every route: method, path with `{…}` placeholders, whether it reads a JSON body.
const ROUTES: &[(&str, &str, bool)] = &[
    ("POST", "/api/login", true),
    ("GET", "/api/me", false),
    ("POST", "/api/logout", false),
    ("GET", "/api/sync/pull", false),
    ("POST", "/api/sync/push", true),
    ("GET", "/api/sync/acks", false),
    ("GET", "/api/devices", false),
    ("GET", "/api/files/{id}/records", false),
    ("GET", "/api/files/{id}/conflicts", false),
    ("GET", "/api/files/{id}/audit", false),
    ("GET", "/api/files/{id}/export", false),
    ("GET", "/api/chain/heads", false),
    ("GET", "/api/files/{id}/chain", false),
    ("GET", "/api/files/{id}/chain/reports", false),
    ("POST", "/api/files/{id}/chain/reports", true),
    ("GET", "/api/audit/export", false),
    ("GET", "/api/search", false),
    ("GET", "/api/blobs/{sha256}", false),
    ("PUT", "/api/blobs/{sha256}", false),
    ("GET", "/api/blobs/{sha256}/upload", false),
    ("GET", "/api/rules", false),
    ("GET", "/api/team", false),
    ("GET", "/api/screening/places", false),
    ("GET", "/api/ledgers/{kind}", false),
    ("GET", "/api/admin/places", false),
    ("GET", "/api/admin/files", false),
    ("GET", "/api/admin/accounts", false),
    ("POST", "/api/admin/accounts", true),
    ("POST", "/api/admin/accounts/{id}/disable", false),
    ("POST", "/api/admin/accounts/{id}/enable", false),
    ("POST", "/api/admin/accounts/{id}/password", true),
    ("POST", "/api/admin/accounts/{id}/unlock", false),
    ("POST", "/api/admin/devices/{id}/revoke", false),
    ("POST", "/api/admin/verify", false),
    // The office's workbook or a CSV sheet as raw bytes (xlsx, UTF-8 or GB18030 text).
    ("POST", "/api/admin/import", true),
    ("GET", "/api/quarantine", false),
    ("POST", "/api/quarantine/{device}/{record}/accept", false),
    ("POST", "/api/quarantine/{device}/{record}/reject", false),
    ("POST", "/api/admin/assignments", true),
    ("DELETE", "/api/admin/assignments", true),
    ("POST", "/api/admin/legal-villages", true),
    ("DELETE", "/api/admin/legal-villages", true),
];

/// Routes anyone may call without signing in.
const PUBLIC: &[&str] = &["/api/login", "/api/health", "/api/ready"];

/// Path values an attacker tries: traversal, injection, markup, a huge id, odd Unicode and
/// broken percent-encoding.
const HOSTILE: &[&str] = &[
    "..%2F..%2Fetc%2Fpasswd",
    "f-a1'%20OR%20'1'%3D'1",
    "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "%E5%BC%A0%E4%B8%89%F0%A0%80%80",
    "%00",
    "%E0%A4%A",
    "-1",
    "99999999999999999999999999",
];

fn fill(path: &str, value: &str) -> String {
    ["{id}", "{sha256}", "{kind}", "{device}", "{record}"]
        .iter()
        .fold(path.to_owned(), |p, hole| p.replace(hole, value))
}

fn request(method: &str, uri: &str, token: Option<&str>) -> axum::http::request::Builder {
    let builder = Request::builder()
        .method(Method::from_bytes(method.as_bytes()).expect("method"))
        .uri(uri);
    match token {
        Some(t) => authorised(builder, t),
        None => builder,
    }
}

/// The error answer every refusal must be: a 4xx with `{code, message}`, the message in Chinese.
fn assert_clear_refusal(what: &str, status: StatusCode, body: &serde_json::Value) {
    assert!(status.is_client_error(), "{what}: {status} {body}");
    let code = body["code"].as_str().unwrap_or_default();
    let message = body["message"].as_str().unwrap_or_default();
    assert!(!code.is_empty(), "{what}: no error code in {body}");
    assert!(
        message
            .chars()
            .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
        "{what}: the message must say in Chinese what is wrong: {body}"
    );
}

/// How many rows the tables a write could touch hold: nothing an attacker sends may change it.
async fn stored(server: &TestServer) -> Vec<(String, i64)> {
    let url = &server.db.as_ref().expect("owns its database").url;
    let pool = sqlx::AnyPool::connect(url).await.expect("connects");
    let mut counts = Vec::new();
    for table in [
        "records",
        "files",
        "accounts",
        "assignments",
        "legal_villages",
        "referrals",
        "quarantine",
        "revoked_devices",
        "device_ops",
        "blobs",
        "chain_reports",
    ] {
        let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
            .fetch_one(&pool)
            .await
            .unwrap_or_else(|e| panic!("{table}: {e}"));
        counts.push((table.to_owned(), n));
    }
    pool.close().await;
    counts
}

#[test]
fn every_route_is_in_the_abuse_table() {
    let router = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/src/http/mod.rs"))
        .expect("router source");
    // `.route("/path", …)`, also with the path on the next line as rustfmt writes long ones.
    for piece in router.split(".route(").skip(1) {
        let rest = piece.trim_start();
        let Some(rest) = rest.strip_prefix('"') else {
            continue;
        };
        let path = format!("/api{}", &rest[..rest.find('"').expect("closing quote")]);
        assert!(
            PUBLIC.contains(&path.as_str()) || ROUTES.iter().any(|(_, p, _)| *p == path),
            "{path} is served but not in the abuse table"
        );
    }
}

#[tokio::test]
async fn no_route_serves_anything_without_a_live_session() {
    for server in TestServer::each(&small_world()).await {
        let before = stored(&server).await;
        for &(method, path, _) in ROUTES.iter().filter(|(_, p, _)| !PUBLIC.contains(p)) {
            let uri = fill(path, "f-a1");
            for token in [None, Some("0".repeat(64)), Some("not-a-token".into())] {
                let req = match &token {
                    Some(t) => request(method, &uri, None)
                        .header(header::AUTHORIZATION, format!("Bearer {t}")),
                    None => request(method, &uri, None),
                };
                let (status, body) = server.send(req.body(Body::empty()).unwrap()).await;
                let what = format!("{method} {uri} with {token:?}");
                assert_eq!(status, StatusCode::UNAUTHORIZED, "{what}: {body}");
                assert_clear_refusal(&what, status, &body);
            }
        }
        assert_eq!(stored(&server).await, before, "nothing stored");
    }
}

#[tokio::test]
async fn hostile_path_values_get_a_clear_refusal_from_every_route() {
    for server in TestServer::each(&small_world()).await {
        let before = stored(&server).await;
        let tokens = [
            server.login("wang").await,
            server.login("sup-county").await,
            server.login("admin-a").await,
        ];
        for &(method, path, _) in ROUTES.iter().filter(|(_, p, _)| p.contains('{')) {
            for value in HOSTILE {
                for token in &tokens {
                    let uri = fill(path, value);
                    let req = request(method, &uri, Some(token))
                        .header(header::CONTENT_TYPE, "application/json")
                        .body(Body::from("{}"))
                        .unwrap();
                    let (status, body) = server.send(req).await;
                    assert_clear_refusal(&format!("{method} {uri}"), status, &body);
                }
            }
        }
        // A path far longer than any id is refused as well, not looked up.
        let long = "a".repeat(20_000);
        let (status, body) = server
            .get(&format!("/api/files/{long}/records"), Some(&tokens[1]))
            .await;
        assert_clear_refusal("a 20,000-character file id", status, &body);
        assert_eq!(stored(&server).await, before, "nothing stored");
    }
}

/// Bodies an attacker sends: broken JSON, the wrong shape, text where numbers belong, a body past
/// the 2 MiB limit, and a small gzip that inflates past it.
fn hostile_bodies() -> Vec<(&'static str, Vec<u8>, Option<&'static str>)> {
    let mut bomb = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    bomb.write_all(&vec![b' '; 8 * 1024 * 1024]).unwrap();
    let bomb = bomb.finish().unwrap();
    let mut big = b"{\"pad\": \"".to_vec();
    big.extend(std::iter::repeat_n(b'x', 3 * 1024 * 1024));
    big.extend(b"\"}");
    vec![
        ("broken JSON", b"{\"username\": ".to_vec(), None),
        ("wrong shape", b"[1, 2, 3]".to_vec(), None),
        (
            "wrong types",
            br#"{"username": 5, "password": [], "device_id": {}, "ops": "x", "file_id": 1, "account_id": null, "role": "root", "place_id": 7}"#.to_vec(),
            None,
        ),
        ("not UTF-8", vec![0xff, 0xfe, 0x00, 0x7b], None),
        ("3 MiB", big, None),
        ("gzip bomb", bomb, Some("gzip")),
    ]
}

#[tokio::test]
async fn malformed_and_oversized_bodies_are_refused_and_store_nothing() {
    for server in TestServer::each(&small_world()).await {
        let before = stored(&server).await;
        let admin = server.login("admin-a").await;
        let wang = server.login("wang").await;
        for &(method, path, _) in ROUTES.iter().filter(|(_, _, json)| *json) {
            let token = if path.starts_with("/api/admin") {
                &admin
            } else {
                &wang
            };
            let uri = fill(path, "wang");
            for (what, bytes, encoding) in hostile_bodies() {
                let mut req = request(method, &uri, (path != "/api/login").then_some(token))
                    .header(header::CONTENT_TYPE, "application/json");
                if let Some(encoding) = encoding {
                    req = req.header(header::CONTENT_ENCODING, encoding);
                }
                let (status, body) = server.send(req.body(Body::from(bytes)).unwrap()).await;
                assert_clear_refusal(&format!("{method} {uri}, {what}"), status, &body);
            }
        }
        assert_eq!(stored(&server).await, before, "nothing stored");
    }
}

#[tokio::test]
async fn hostile_queries_are_refused_and_reveal_nothing() {
    for server in TestServer::each(&small_world()).await {
        let before = stored(&server).await;
        let wang = server.login("wang").await;
        let sup = server.login("sup-county").await;
        let long = "9".repeat(60_000);
        for (uri, token) in [
            ("/api/sync/pull?device_id=%27%3B--".to_owned(), &wang),
            ("/api/search?q=%00%01".to_owned(), &sup),
            ("/api/ledgers/visits?place=%00".to_owned(), &sup),
            ("/api/sync/acks?device_id=x&after=1".to_owned(), &wang),
            (
                "/api/sync/acks?device_id=00000000-0000-4000-8000-000000000000&after=-1".to_owned(),
                &wang,
            ),
            ("/api/sync/acks".to_owned(), &wang),
            (format!("/api/search?q={long}"), &sup),
            ("/api/search?q=".to_owned(), &sup),
            ("/api/ledgers/visits?from=2026-13-45".to_owned(), &sup),
            ("/api/ledgers/visits?format=exe".to_owned(), &sup),
            (
                "/api/audit/export?from=2026-01-01&to=2029-01-01".to_owned(),
                &sup,
            ),
            ("/api/audit/export?from=yesterday".to_owned(), &sup),
            ("/api/blobs/abc/upload".to_owned(), &wang),
            (
                format!(
                    "/api/blobs/{}?offset=-5&size=x&mime=text/html",
                    "0".repeat(64)
                ),
                &wang,
            ),
        ] {
            let method = if uri.starts_with("/api/blobs/0") {
                "PUT"
            } else {
                "GET"
            };
            let req = request(method, &uri, Some(token))
                .body(Body::from("x"))
                .unwrap();
            let (status, body) = server.send(req).await;
            assert_clear_refusal(&format!("{method} {uri:.80}"), status, &body);
        }
        assert_eq!(stored(&server).await, before, "nothing stored");
    }
}

/// Another account's cursor, or one the server cannot read (damaged, forged, far too long), is
/// not an error: the phone is told to rebuild its copy, and gets exactly the files it may read.
#[tokio::test]
async fn a_forged_cursor_only_restarts_the_callers_own_download() {
    for server in TestServer::each(&small_world()).await {
        let wang = server.login("wang").await;
        let li = server.login("li").await;
        let li_cursor = server.pull(&li, None).await.cursor.0;
        let long = "9".repeat(60_000);
        for cursor in [
            li_cursor.as_str(),
            "garbage",
            "v1.999999999.0000000000000000",
            long.as_str(),
        ] {
            let (status, body) = server
                .get(&format!("/api/sync/pull?cursor={cursor}"), Some(&wang))
                .await;
            let what = format!("cursor {cursor:.40}");
            if status.is_client_error() {
                assert_clear_refusal(&what, status, &body);
                continue;
            }
            assert_eq!(status, StatusCode::OK, "{what}: {body}");
            let page: xiafang_core::feed::PullResponse = common::parse(body);
            assert!(page.reset, "{what}: the phone rebuilds its copy");
            let files: Vec<&str> = page.files.iter().map(|f| f.id.0.as_str()).collect();
            assert_eq!(files, ["f-a1"], "{what}: only wang's own file");
        }
    }
}

/// A NUL or other control character anywhere a client writes text (PostgreSQL refuses NUL in
/// text outright) is refused with a clear answer, never a server error, and stores nothing.
#[tokio::test]
async fn control_characters_in_text_are_refused_not_a_server_error() {
    for server in TestServer::each(&small_world()).await {
        let before = stored(&server).await;
        let (status, body) = server
            .post(
                "/api/login",
                None,
                &serde_json::json!({"username": "wang\u{0}", "password": "x\u{0}"}),
            )
            .await;
        assert_clear_refusal("a NUL in a sign-in", status, &body);
        let wang = server.login("wang").await;
        let mut note = xiafang_core::fixtures::note("f-a1", "wang");
        if let xiafang_core::RecordBody::Note(n) = &mut note.body {
            n.text = "谈心\u{0}记录\u{1b}[31m".into();
        }
        let req = common::batch(xiafang_core::DeviceId::new_random(), 1, &[note]);
        let (status, body) = server.post("/api/sync/push", Some(&wang), &req).await;
        if status == StatusCode::OK {
            let answer: xiafang_core::upload::PushResponse = common::parse(body);
            assert!(
                matches!(
                    answer.acks[0].outcome,
                    xiafang_core::verdict::Outcome::Rejected { .. }
                ),
                "{answer:?}"
            );
        } else {
            assert_clear_refusal("a NUL in a note", status, &body);
        }
        let admin = server.login("admin-a").await;
        let (status, body) = server
            .post(
                "/api/admin/accounts",
                Some(&admin),
                &serde_json::json!({"username": "new\u{0}", "display_name": "新\u{0}人",
                    "role": "cadre", "place_id": "a1", "password": "long-enough-password-1"}),
            )
            .await;
        assert_clear_refusal("a NUL in a new account", status, &body);
        assert_eq!(stored(&server).await, before, "nothing stored");
    }
}

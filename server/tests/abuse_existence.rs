//! A hostile account guessing ids learns nothing: a file it may not read answers exactly like a
//! file that never existed — same status, same body, byte for byte — on every path that takes a
//! file id, and guessed record ids open nothing.

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use common::{TestServer, authorised, small_world};
use http_body_util::BodyExt;
use xiafang_core::supervision::ReviewDecision;
use xiafang_core::verdict::Outcome;
use xiafang_core::{DeviceId, RecordBody, RecordId, fixtures};

/// Status and raw body of a request, with `token`'s credentials and an optional JSON body.
async fn answer(
    server: &TestServer,
    method: Method,
    path: &str,
    token: &str,
    body: Option<serde_json::Value>,
) -> (StatusCode, Vec<u8>) {
    let builder = authorised(Request::builder().method(method).uri(path), token)
        .header(header::CONTENT_TYPE, "application/json");
    let body = body.map_or_else(Body::empty, |b| Body::from(b.to_string()));
    let res = server.raw(builder.body(body).unwrap()).await;
    let status = res.status();
    let bytes = res.into_body().collect().await.expect("body").to_bytes();
    (status, bytes.to_vec())
}

/// Every request that names a file, for file `id`, with the account that makes it.
fn requests(id: &str) -> Vec<(&'static str, Method, String, Option<serde_json::Value>)> {
    let assignment = serde_json::json!({"file_id": id, "account_id": "wang"});
    vec![
        (
            "wang",
            Method::GET,
            format!("/api/files/{id}/records"),
            None,
        ),
        (
            "wang",
            Method::GET,
            format!("/api/files/{id}/conflicts"),
            None,
        ),
        ("wang", Method::GET, format!("/api/files/{id}/export"), None),
        (
            "sup-a",
            Method::GET,
            format!("/api/files/{id}/records"),
            None,
        ),
        ("sup-a", Method::GET, format!("/api/files/{id}/audit"), None),
        (
            "sup-a",
            Method::GET,
            format!("/api/files/{id}/export"),
            None,
        ),
        (
            "admin-a",
            Method::POST,
            "/api/admin/assignments".into(),
            Some(assignment.clone()),
        ),
        (
            "admin-a",
            Method::DELETE,
            "/api/admin/assignments".into(),
            Some(assignment),
        ),
    ]
}

#[tokio::test]
async fn another_townships_file_answers_exactly_like_a_file_that_never_existed() {
    for server in TestServer::each(&small_world()).await {
        // f-b1 lies in township tb: none of these accounts of township ta may read it.
        for ((who, method, path, body), (_, _, missing_path, missing_body)) in
            requests("f-b1").into_iter().zip(requests("f-never"))
        {
            let token = server.login(who).await;
            let unreadable = answer(&server, method.clone(), &path, &token, body).await;
            let missing =
                answer(&server, method.clone(), &missing_path, &token, missing_body).await;
            assert_eq!(
                (unreadable.0, String::from_utf8_lossy(&unreadable.1)),
                (missing.0, String::from_utf8_lossy(&missing.1)),
                "{who} {method} {path}"
            );
            assert_eq!(unreadable.0, StatusCode::NOT_FOUND, "{who} {method} {path}");
        }
    }
}

/// Writing to another township's file is refused exactly as writing to one that never existed.
#[tokio::test]
async fn writing_to_another_townships_file_is_refused_like_writing_to_no_file() {
    for server in TestServer::each(&small_world()).await {
        for (who, make) in [
            (
                "wang",
                fixtures::note as fn(&str, &str) -> xiafang_core::Record,
            ),
            ("sup-a", fixtures::listed),
        ] {
            let token = server.login(who).await;
            let mut outcomes = Vec::new();
            for file in ["f-b1", "f-never"] {
                let req = common::batch(DeviceId::new_random(), 1, &[make(file, who)]);
                outcomes.push(server.push(&token, &req).await.acks[0].outcome.clone());
            }
            assert_eq!(outcomes[0], outcomes[1], "{who}");
            assert!(matches!(outcomes[0], Outcome::Rejected { .. }), "{who}");
        }
    }
}

#[tokio::test]
async fn guessed_file_ids_give_nothing_away() {
    for server in TestServer::each(&small_world()).await {
        let wang = server.login("wang").await;
        let (_, _, never) = server.get_bytes("/api/files/f-zz9/records", &wang).await;
        // Sequential and random guesses, some of them real files of another township.
        let guesses = ["f-b1", "f-b2", "f-a2", "f-1", "1", "f-zz9", "..%2Ff-b1"];
        for guess in guesses {
            let (status, _, body) = server
                .get_bytes(&format!("/api/files/{guess}/records"), &wang)
                .await;
            assert_eq!(
                (status, String::from_utf8_lossy(&body)),
                (StatusCode::NOT_FOUND, String::from_utf8_lossy(&never)),
                "{guess}"
            );
        }
    }
}

/// A correction, a review or a signature naming a record of a file the writer may not read is
/// refused exactly as one naming a record that does not exist.
#[tokio::test]
async fn guessed_record_ids_give_nothing_away() {
    for server in TestServer::each(&small_world()).await {
        let li = server.login("li").await;
        let theirs = fixtures::visit("f-b1", "li");
        let req = common::batch(DeviceId::new_random(), 1, std::slice::from_ref(&theirs));
        assert_eq!(
            server.push(&li, &req).await.acks[0].outcome,
            Outcome::Stored
        );
        let mut never = theirs.clone();
        never.id = RecordId::new_random();

        let sup = server.login("sup-a").await;
        let wang = server.login("wang").await;
        let own = fixtures::visit("f-a1", "wang");
        let req = common::batch(DeviceId::new_random(), 1, std::slice::from_ref(&own));
        assert_eq!(
            server.push(&wang, &req).await.acks[0].outcome,
            Outcome::Stored
        );
        let mut outcomes = Vec::new();
        for target in [&theirs, &never] {
            // Aimed from wang's own file at the guessed record.
            let mut aimed = target.clone();
            aimed.file_id = own.file_id.clone();
            aimed.author = own.author.clone();
            let void = fixtures::void(&aimed, "写错了");
            let review = fixtures::review(&aimed, "sup-a", ReviewDecision::Approve, "");
            let signature = {
                let mut s = fixtures::signature(&own, "wang");
                if let RecordBody::Signature(sig) = &mut s.body {
                    sig.of = target.id;
                }
                s
            };
            let mut answers = Vec::new();
            for (token, record) in [(&wang, void), (&sup, review), (&wang, signature)] {
                let req = common::batch(DeviceId::new_random(), 1, std::slice::from_ref(&record));
                answers.push(server.push(token, &req).await.acks[0].outcome.clone());
            }
            assert!(
                answers
                    .iter()
                    .all(|o| matches!(o, Outcome::Rejected { .. }))
            );
            outcomes.push(answers);
        }
        assert_eq!(
            outcomes[0], outcomes[1],
            "an unreadable record is a missing one"
        );
    }
}

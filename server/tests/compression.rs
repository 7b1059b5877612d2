//! Compressed bodies both ways: a phone may gzip its upload, the server answers in brotli or
//! gzip, and the body limit holds for what a gzip inflates to, not for its size on the wire.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{TestServer, batch, parse, small_world};
use flate2::Compression;
use flate2::write::GzEncoder;
use http_body_util::BodyExt;
use std::io::Write;
use xiafang_core::{DeviceId, fixtures};
use xiafang_core::{
    upload::{MAX_BODY_BYTES, PushResponse},
    verdict::Outcome,
};

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
    encoder.write_all(bytes).expect("gzip in memory");
    encoder.finish().expect("gzip in memory")
}

fn gzipped_push(token: &str, body: Vec<u8>) -> Request<Body> {
    common::authorised(Request::post("/api/sync/push"), token)
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::CONTENT_ENCODING, "gzip")
        .body(Body::from(body))
        .expect("request")
}

#[tokio::test]
async fn gzipped_upload_is_stored() {
    for server in TestServer::each(&small_world()).await {
        let token = server.login("wang").await;
        let records = vec![
            fixtures::visit("f-a1", "wang"),
            fixtures::note("f-a1", "wang"),
        ];
        let req = batch(DeviceId::new_random(), 1, &records);
        let json = serde_json::to_vec(&req).expect("json");
        let (status, body) = server.send(gzipped_push(&token, gzip(&json))).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let res: PushResponse = parse(body);
        assert_eq!(res.acks.len(), 2);
        assert!(res.acks.iter().all(|a| a.outcome == Outcome::Stored));
    }
}

#[tokio::test]
async fn small_gzip_inflating_past_the_limit_is_refused_as_too_large() {
    for server in TestServer::each(&small_world()).await {
        let token = server.login("wang").await;
        // A few KiB on the wire, more than the limit once inflated.
        let bomb = gzip(&vec![b' '; MAX_BODY_BYTES + 1024]);
        assert!(bomb.len() < MAX_BODY_BYTES / 100, "{} bytes", bomb.len());
        let (status, _) = server.send(gzipped_push(&token, bomb)).await;
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    }
}

#[tokio::test]
async fn upload_in_an_encoding_the_server_does_not_read_is_refused() {
    for server in TestServer::each(&small_world()).await {
        let token = server.login("wang").await;
        let req = batch(
            DeviceId::new_random(),
            1,
            &[fixtures::visit("f-a1", "wang")],
        );
        let mut request = gzipped_push(&token, serde_json::to_vec(&req).expect("json"));
        request.headers_mut().insert(
            header::CONTENT_ENCODING,
            "compress".parse().expect("header"),
        );
        let (status, _) = server.send(request).await;
        assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    }
}

/// The `Content-Encoding` of a download asked for with this `Accept-Encoding`.
async fn answered_encoding(server: &TestServer, token: &str, accept: &str) -> Option<String> {
    let res = server
        .raw(
            common::authorised(Request::get("/api/sync/pull"), token)
                .header(header::ACCEPT_ENCODING, accept)
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let encoding = res
        .headers()
        .get(header::CONTENT_ENCODING)
        .map(|v| v.to_str().expect("ascii").to_owned());
    let bytes = res.into_body().collect().await.expect("body").to_bytes();
    assert!(!bytes.is_empty());
    encoding
}

#[tokio::test]
async fn downloads_are_brotli_for_browsers_that_take_it_and_gzip_otherwise() {
    for server in TestServer::each(&small_world()).await {
        let token = server.login("wang").await;
        let records: Vec<_> = (0..10).map(|_| fixtures::visit("f-a1", "wang")).collect();
        server
            .push(&token, &batch(DeviceId::new_random(), 1, &records))
            .await;
        assert_eq!(
            answered_encoding(&server, &token, "br").await.as_deref(),
            Some("br")
        );
        assert_eq!(
            answered_encoding(&server, &token, "gzip").await.as_deref(),
            Some("gzip")
        );
        assert_eq!(answered_encoding(&server, &token, "identity").await, None);
    }
}

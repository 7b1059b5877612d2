//! Photos and signatures uploaded over a bad link: pieces that resume where the server's copy
//! ends, are stored exactly once whatever is lost, replayed or cut off, are checked against
//! their SHA-256, and are downloaded only by whoever may see the record that shows them.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{TestServer, batch, parse, small_world};
use rand::RngCore;
use serde_json::{Value, json};
use tokio::io::AsyncWriteExt;
use xiafang_core::attachment::{BlobRef, sha256_hex};
use xiafang_core::{DeviceId, Record, RecordBody, fixtures};
use xiafang_core::{
    audit::{AuditAction, AuditEntry},
    verdict::Outcome,
};
use xiafang_server::demo::Demo;

const PIECE: usize = 256 * 1024;

/// The small world with wang's visit on `f-a1`, for photos to attach to.
fn world() -> (Demo, Record) {
    let mut w = small_world();
    let visit = fixtures::visit("f-a1", "wang");
    w.records.push(visit.clone());
    (w, visit)
}

fn random_bytes(len: usize) -> Vec<u8> {
    let mut bytes = vec![0; len];
    rand::thread_rng().fill_bytes(&mut bytes);
    bytes
}

/// Bytes to upload, with the name and type they go by.
struct Blob {
    sha: String,
    mime: &'static str,
    bytes: Vec<u8>,
}

impl Blob {
    fn jpeg(len: usize) -> Self {
        let bytes = random_bytes(len);
        Blob {
            sha: sha256_hex(&bytes),
            mime: "image/jpeg",
            bytes,
        }
    }

    fn path(&self, offset: usize) -> String {
        format!(
            "/api/blobs/{}?offset={offset}&size={}&mime={}",
            self.sha,
            self.bytes.len(),
            self.mime
        )
    }

    fn piece(&self, offset: usize) -> Vec<u8> {
        self.bytes[offset..(offset + PIECE).min(self.bytes.len())].to_vec()
    }
}

async fn put(server: &TestServer, token: &str, path: &str, body: Vec<u8>) -> (StatusCode, Value) {
    let req = common::authorised(Request::put(path), token)
        .body(Body::from(body))
        .unwrap();
    server.send(req).await
}

/// Sends the pieces of `blob` from `from` up to (not including) `until`, each answered 200.
async fn upload(server: &TestServer, token: &str, blob: &Blob, from: usize, until: usize) -> Value {
    let mut offset = from;
    let mut last = Value::Null;
    while offset < until {
        let piece = blob.piece(offset);
        let (status, body) = put(server, token, &blob.path(offset), piece.clone()).await;
        assert_eq!(status, StatusCode::OK, "piece at {offset}: {body}");
        offset += piece.len();
        assert_eq!(body["received"], offset);
        last = body;
    }
    last
}

async fn upload_status(server: &TestServer, token: &str, sha: &str) -> Value {
    let (status, body) = server
        .get(&format!("/api/blobs/{sha}/upload"), Some(token))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

/// How many pieces and bytes the database holds for `sha`.
async fn stored(server: &TestServer, sha: &str) -> (i64, i64) {
    let url = &server.db.as_ref().expect("owns its database").url;
    let pool = sqlx::AnyPool::connect(url).await.expect("connects");
    let row: (i64, i64) = sqlx::query_as(
        "SELECT CAST(COUNT(*) AS BIGINT), CAST(COALESCE(SUM(length(data)), 0) AS BIGINT) \
         FROM blob_parts WHERE sha256 = $1",
    )
    .bind(sha)
    .fetch_one(&pool)
    .await
    .unwrap();
    pool.close().await;
    row
}

/// `who`'s photo of `of` showing `blob`, uploaded as a record: it is stored before the blob is.
async fn photo_record(server: &TestServer, token: &str, of: &Record, blob: &Blob) -> Record {
    let mut photo = fixtures::photo(of, "wang");
    let RecordBody::Photo(p) = &mut photo.body else {
        unreachable!("a photo")
    };
    p.image = BlobRef {
        sha256: blob.sha.clone(),
        size: blob.bytes.len() as u64,
        mime: blob.mime.into(),
    };
    let res = server
        .push(token, &batch(DeviceId::new_random(), 1, &[photo.clone()]))
        .await;
    assert_eq!(res.acks[0].outcome, Outcome::Stored);
    photo
}

#[tokio::test]
async fn a_photo_resumes_after_an_interruption_and_downloads_byte_identical() {
    let (world, _) = world();
    for server in TestServer::each(&world).await {
        let wang = server.login("wang").await;
        let blob = Blob::jpeg(3 * 1024 * 1024 + 12_345);
        let size = blob.bytes.len();
        assert_eq!(
            upload_status(&server, &wang, &blob.sha).await,
            json!({"received": 0, "size": null, "complete": false})
        );
        // Five pieces get through, then the link goes: the phone asks where to go on.
        upload(&server, &wang, &blob, 0, 5 * PIECE).await;
        let status = upload_status(&server, &wang, &blob.sha).await;
        assert_eq!(
            status,
            json!({"received": 5 * PIECE, "size": size, "complete": false})
        );
        let (code, _) = server
            .get(&format!("/api/blobs/{}", blob.sha), Some(&wang))
            .await;
        assert_eq!(
            code,
            StatusCode::NOT_FOUND,
            "an incomplete blob is not served"
        );
        let resume = status["received"].as_u64().unwrap() as usize;
        let last = upload(&server, &wang, &blob, resume, size).await;
        assert_eq!(
            last,
            json!({"received": size, "size": size, "complete": true})
        );
        assert_eq!(stored(&server, &blob.sha).await, (13, size as i64));

        let (code, headers, bytes) = server
            .get_bytes(&format!("/api/blobs/{}", blob.sha), &wang)
            .await;
        assert_eq!(code, StatusCode::OK);
        assert_eq!(headers[header::CONTENT_TYPE], "image/jpeg");
        assert_eq!(headers[header::CACHE_CONTROL], "no-store");
        assert!(bytes == blob.bytes, "the very bytes uploaded");
    }
}

#[tokio::test]
async fn a_wrong_offset_or_a_replayed_piece_stores_nothing() {
    let (world, _) = world();
    for server in TestServer::each(&world).await {
        let wang = server.login("wang").await;
        let blob = Blob::jpeg(2 * PIECE + 100);
        let size = blob.bytes.len();
        // Nothing is held yet: a piece from the middle is refused and creates nothing.
        let (code, body) = put(&server, &wang, &blob.path(PIECE), blob.piece(PIECE)).await;
        assert_eq!(code, StatusCode::CONFLICT);
        assert_eq!(body["code"], "offset_mismatch");
        assert_eq!(
            (&body["received"], &body["size"]),
            (&json!(0), &Value::Null)
        );

        upload(&server, &wang, &blob, 0, PIECE).await;
        // The first piece again (its answer was lost), and a piece skipping ahead.
        for offset in [0, 2 * PIECE] {
            let (code, body) = put(&server, &wang, &blob.path(offset), blob.piece(offset)).await;
            assert_eq!(code, StatusCode::CONFLICT, "offset {offset}");
            assert_eq!(body["code"], "offset_mismatch");
            assert_eq!(body["received"], PIECE);
            assert_eq!(body["size"], size);
            assert_eq!(body["complete"], false);
        }
        assert_eq!(stored(&server, &blob.sha).await, (1, PIECE as i64));

        // Another size or type than the upload began with is a conflict, not a second blob.
        let other_size = format!(
            "/api/blobs/{}?offset={PIECE}&size=999999&mime=image/jpeg",
            blob.sha
        );
        let other_type = blob.path(PIECE).replace("image/jpeg", "image/png");
        for path in [other_size, other_type] {
            let (code, body) = put(&server, &wang, &path, blob.piece(PIECE)).await;
            assert_eq!(code, StatusCode::CONFLICT, "{path}");
            assert_eq!(body["code"], "blob_differs");
        }

        upload(&server, &wang, &blob, PIECE, size).await;
        // A replay of any piece of a complete blob is answered as done and stores nothing.
        for offset in [0, 2 * PIECE] {
            let (code, body) = put(&server, &wang, &blob.path(offset), blob.piece(offset)).await;
            assert_eq!(code, StatusCode::OK);
            assert_eq!(
                body,
                json!({"received": size, "size": size, "complete": true})
            );
        }
        assert_eq!(stored(&server, &blob.sha).await, (3, size as i64));
    }
}

#[tokio::test]
async fn two_phones_sending_the_same_piece_at_once_store_it_once() {
    let (world, _) = world();
    for server in TestServer::each(&world).await {
        let wang = server.login("wang").await;
        let other_phone = server.login("wang").await;
        let blob = Blob::jpeg(3 * PIECE);
        for offset in [0, PIECE, 2 * PIECE] {
            let path = blob.path(offset);
            let (a, b) = tokio::join!(
                put(&server, &wang, &path, blob.piece(offset)),
                put(&server, &other_phone, &path, blob.piece(offset)),
            );
            let mut codes = [a.0, b.0];
            codes.sort();
            let expected = if offset + PIECE == blob.bytes.len() {
                // Once complete, the later copy is told so.
                [StatusCode::OK, StatusCode::OK]
            } else {
                [StatusCode::OK, StatusCode::CONFLICT]
            };
            assert_eq!(codes, expected, "{a:?} {b:?}");
        }
        assert_eq!(stored(&server, &blob.sha).await, (3, 3 * PIECE as i64));
        assert_eq!(
            upload_status(&server, &wang, &blob.sha).await["complete"],
            true
        );
    }
}

#[tokio::test]
async fn content_not_matching_its_name_is_refused_and_forgotten() {
    let (world, _) = world();
    for server in TestServer::each(&world).await {
        let wang = server.login("wang").await;
        let mut blob = Blob::jpeg(2 * PIECE);
        upload(&server, &wang, &blob, 0, PIECE).await;
        // The phone's copy changed under it (or a bit flipped on the way).
        blob.bytes[PIECE + 7] ^= 1;
        let (code, body) = put(&server, &wang, &blob.path(PIECE), blob.piece(PIECE)).await;
        assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(body["code"], "hash_mismatch");
        assert_eq!(
            upload_status(&server, &wang, &blob.sha).await,
            json!({"received": 0, "size": null, "complete": false})
        );
        assert_eq!(stored(&server, &blob.sha).await, (0, 0));
    }
}

#[tokio::test]
async fn a_piece_cut_off_mid_way_stores_nothing() {
    let (world, _) = world();
    for server in TestServer::each(&world).await {
        let wang = server.login("wang").await;
        let blob = Blob::jpeg(2 * PIECE);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let app = xiafang_server::app(server.state.clone());
        let serving = tokio::spawn(async move { axum::serve(listener, app).await });

        // Announces a whole piece, sends half of it, and the connection drops.
        let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
        let proof = common::proof_for(&wang, "PUT", &blob.path(0)).expect("signed in here");
        let head = format!(
            "PUT {} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {wang}\r\n\
             X-Xiafang-Proof: {proof}\r\nContent-Length: {PIECE}\r\n\r\n",
            blob.path(0)
        );
        stream.write_all(head.as_bytes()).await.unwrap();
        stream.write_all(&blob.piece(0)[..PIECE / 2]).await.unwrap();
        stream.flush().await.unwrap();
        drop(stream);
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        serving.abort();

        assert_eq!(
            upload_status(&server, &wang, &blob.sha).await["received"],
            0
        );
        // The whole piece, sent again, is the one and only copy.
        upload(&server, &wang, &blob, 0, blob.bytes.len()).await;
        assert_eq!(stored(&server, &blob.sha).await, (2, 2 * PIECE as i64));
    }
}

#[tokio::test]
async fn only_the_uploader_and_readers_of_the_file_download_a_photo() {
    let (world, visit) = world();
    for server in TestServer::each(&world).await {
        let wang = server.login("wang").await;
        let blob = Blob::jpeg(PIECE + 1);
        // The record goes first, over the slow link; its photo follows.
        let photo = photo_record(&server, &wang, &visit, &blob).await;
        upload(&server, &wang, &blob, 0, blob.bytes.len()).await;
        let path = format!("/api/blobs/{}", blob.sha);

        // li's file is elsewhere; the legal member has no referral: for both it does not exist.
        for who in ["li", "law"] {
            let (code, body) = server.get(&path, Some(&server.login(who).await)).await;
            assert_eq!(code, StatusCode::NOT_FOUND, "{who}");
            assert_eq!(body["code"], "not_found");
        }
        let unknown = format!("/api/blobs/{}", sha256_hex(b"never uploaded"));
        assert_eq!(
            server.get(&unknown, Some(&wang)).await.0,
            StatusCode::NOT_FOUND
        );

        // The township's supervisor reads f-a1, so sees its photo, and that lands in the log.
        let sup = server.login("sup-a").await;
        let (code, headers, bytes) = server.get_bytes(&path, &sup).await;
        assert_eq!(code, StatusCode::OK);
        assert_eq!(headers[header::CONTENT_TYPE], "image/jpeg");
        assert!(bytes == blob.bytes);
        let (_, log) = server.get("/api/files/f-a1/audit", Some(&sup)).await;
        let log: Vec<AuditEntry> = parse(log);
        assert!(
            log.iter().any(|e| e.account.0 == "sup-a"
                && e.action == AuditAction::Read
                && e.record == Some(photo.id)),
            "{log:?}"
        );

        // Once the photo is voided (the wrong document, say), readers no longer get it.
        let void = fixtures::void(&photo, "拍错了材料");
        let res = server
            .push(&wang, &batch(DeviceId::new_random(), 1, &[void]))
            .await;
        assert_eq!(res.acks[0].outcome, Outcome::Stored);
        assert_eq!(server.get(&path, Some(&sup)).await.0, StatusCode::NOT_FOUND);
        assert_eq!(server.get_bytes(&path, &wang).await.0, StatusCode::OK);

        // A blob no record shows yet is its uploader's alone.
        let li = server.login("li").await;
        let own = Blob::jpeg(100);
        upload(&server, &li, &own, 0, own.bytes.len()).await;
        let own_path = format!("/api/blobs/{}", own.sha);
        assert_eq!(server.get_bytes(&own_path, &li).await.0, StatusCode::OK);
        assert_eq!(
            server.get(&own_path, Some(&wang)).await.0,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            server.get(&own_path, None).await.0,
            StatusCode::UNAUTHORIZED
        );
    }
}

#[tokio::test]
async fn malformed_names_sizes_types_and_pieces_are_refused() {
    let (world, _) = world();
    for server in TestServer::each(&world).await {
        let wang = server.login("wang").await;
        let sha = sha256_hex(b"x");
        let long = sha.clone() + "0";
        let upper = sha.to_uppercase();
        let not_hex = format!("{}g", &sha[..63]);
        for name in [&sha[..63], &long, &upper, &not_hex] {
            for path in [
                format!("/api/blobs/{name}/upload"),
                format!("/api/blobs/{name}"),
            ] {
                let (code, body) = server.get(&path, Some(&wang)).await;
                assert_eq!(code, StatusCode::BAD_REQUEST, "{path}");
                assert_eq!(body["code"], "bad_request");
            }
            let path = format!("/api/blobs/{name}?offset=0&size=1&mime=image/png");
            assert_eq!(
                put(&server, &wang, &path, vec![1]).await.0,
                StatusCode::BAD_REQUEST
            );
        }
        let too_big = 8 * 1024 * 1024 + 1;
        for (query, body) in [
            ("offset=0&size=0&mime=image/png".to_owned(), vec![1]),
            (format!("offset=0&size={too_big}&mime=image/png"), vec![1]),
            ("offset=0&size=ten&mime=image/png".to_owned(), vec![1]),
            ("offset=0&mime=image/png".to_owned(), vec![1]),
            ("offset=0&size=1&mime=image/gif".to_owned(), vec![1]),
            ("offset=0&size=1&mime=text/html".to_owned(), vec![1]),
            ("offset=0&size=1".to_owned(), vec![1]),
            ("size=1&mime=image/png".to_owned(), vec![1]),
            ("offset=-1&size=1&mime=image/png".to_owned(), vec![1]),
            // Empty, past the declared size, and a tiny piece that is not the last.
            ("offset=0&size=1&mime=image/png".to_owned(), vec![]),
            ("offset=0&size=1&mime=image/png".to_owned(), vec![1, 2]),
            (
                "offset=0&size=100000&mime=image/png".to_owned(),
                vec![1; 100],
            ),
        ] {
            let (code, answer) =
                put(&server, &wang, &format!("/api/blobs/{sha}?{query}"), body).await;
            assert_eq!(code, StatusCode::BAD_REQUEST, "{query}: {answer}");
            assert_eq!(answer["code"], "bad_request");
            assert!(
                answer["message"]
                    .as_str()
                    .unwrap()
                    .starts_with("请求格式有误：")
            );
        }
        let path = format!("/api/blobs/{sha}?offset=0&size=1000000&mime=image/png");
        let (code, answer) = put(&server, &wang, &path, vec![0; 512 * 1024 + 1]).await;
        assert_eq!(code, StatusCode::PAYLOAD_TOO_LARGE, "{answer}");
        assert_eq!(answer["code"], "too_large");
        assert_eq!(
            stored(&server, &sha).await,
            (0, 0),
            "nothing refused was kept"
        );
        let (code, _) = put(&server, &wang, &path, vec![0; 512 * 1024]).await;
        assert_eq!(code, StatusCode::OK, "512 KiB is allowed");
        assert_eq!(stored(&server, &sha).await, (1, 512 * 1024));
    }
}

/// The first piece of an 8 MiB photo, numbered `n`.
async fn start_big_photo(server: &TestServer, token: &str, n: usize) -> (StatusCode, Value) {
    let sha = sha256_hex(format!("photo {n}").as_bytes());
    let path = format!("/api/blobs/{sha}?offset=0&size=8388608&mime=image/jpeg");
    put(server, token, &path, vec![0; 16 * 1024]).await
}

#[tokio::test]
async fn an_account_cannot_fill_the_disk_with_unfinished_uploads() {
    let (world, _) = world();
    for server in TestServer::each(&world).await {
        let wang = server.login("wang").await;
        // Sixteen unfinished 8 MiB photos reach the 128 MiB an account may have under way.
        for n in 0..16 {
            assert_eq!(
                start_big_photo(&server, &wang, n).await.0,
                StatusCode::OK,
                "{n}"
            );
        }
        let (code, body) = start_big_photo(&server, &wang, 16).await;
        assert_eq!(code, StatusCode::TOO_MANY_REQUESTS, "{body}");
        assert_eq!(body["code"], "too_many_uploads");
        // Not even a small one more.
        let small = Blob::jpeg(100);
        assert_eq!(
            put(&server, &wang, &small.path(0), small.bytes.clone())
                .await
                .0,
            StatusCode::TOO_MANY_REQUESTS
        );
        // Another account is not held back, up to 64 uploads however small; a finished one
        // no record shows counts too, until a record shows it or it is cleaned up.
        let li = server.login("li").await;
        let done = Blob::jpeg(100);
        upload(&server, &li, &done, 0, 100).await;
        for n in 0..65 {
            let sha = sha256_hex(format!("signature {n}").as_bytes());
            let path = format!("/api/blobs/{sha}?offset=0&size=32768&mime=image/png");
            let (code, body) = put(&server, &li, &path, vec![0; 16 * 1024]).await;
            let expected = if n < 63 {
                StatusCode::OK
            } else {
                StatusCode::TOO_MANY_REQUESTS
            };
            assert_eq!(code, expected, "{n}: {body}");
        }
    }
}

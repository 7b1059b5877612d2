//! Photos, tried as a hostile user who knows the code: squatting a record's image hash with a
//! wrong size, asking about other people's images, and filling the disk with finished images no
//! record shows.

mod common;

use axum::http::StatusCode;
use common::{TestServer, batch, small_world};
use rand::RngCore;
use serde_json::{Value, json};
use xiafang_core::attachment::{BlobRef, sha256_hex};
use xiafang_core::verdict::Outcome;
use xiafang_core::{DeviceId, Record, RecordBody, fixtures};

const PIECE: usize = 256 * 1024;

/// Random bytes taken for a JPEG, and their name.
struct Photo {
    sha: String,
    bytes: Vec<u8>,
}

impl Photo {
    fn new(len: usize) -> Self {
        let mut bytes = vec![0; len];
        rand::thread_rng().fill_bytes(&mut bytes);
        Photo {
            sha: sha256_hex(&bytes),
            bytes,
        }
    }

    fn path(&self, offset: usize, size: usize) -> String {
        format!(
            "/api/blobs/{}?offset={offset}&size={size}&mime=image/jpeg",
            self.sha
        )
    }
}

async fn put(server: &TestServer, token: &str, path: &str, body: Vec<u8>) -> (StatusCode, Value) {
    server.put_bytes(path, token, body).await
}

/// The whole photo from `token`'s phone, piece by piece, each answered 200.
async fn upload_all(server: &TestServer, token: &str, photo: &Photo) -> Value {
    let size = photo.bytes.len();
    let mut offset = 0;
    let mut last = Value::Null;
    while offset < size {
        let end = (offset + PIECE).min(size);
        let path = photo.path(offset, size);
        let (code, body) = put(server, token, &path, photo.bytes[offset..end].to_vec()).await;
        assert_eq!(code, StatusCode::OK, "piece at {offset}: {body}");
        offset = end;
        last = body;
    }
    last
}

async fn upload_status(server: &TestServer, token: &str, sha: &str) -> Value {
    let (code, body) = server
        .get(&format!("/api/blobs/{sha}/upload"), Some(token))
        .await;
    assert_eq!(code, StatusCode::OK, "{body}");
    body
}

/// wang's photo record on his visit of `f-a1`, showing `photo`; records go up before images.
async fn photo_record(server: &TestServer, token: &str, photo: &Photo) -> Record {
    let visit = fixtures::visit("f-a1", "wang");
    let mut record = fixtures::photo(&visit, "wang");
    let RecordBody::Photo(p) = &mut record.body else {
        unreachable!("a photo")
    };
    p.image = BlobRef {
        sha256: photo.sha.clone(),
        size: photo.bytes.len() as u64,
        mime: "image/jpeg".into(),
    };
    let res = server
        .push(
            token,
            &batch(DeviceId::new_random(), 1, &[visit, record.clone()]),
        )
        .await;
    assert!(
        res.acks.iter().all(|a| a.outcome == Outcome::Stored),
        "{res:?}"
    );
    record
}

const NOTHING: fn() -> Value = || json!({"received": 0, "size": null, "complete": false});

#[tokio::test]
async fn a_stranger_starting_a_photo_with_a_wrong_size_cannot_block_its_upload() {
    for server in TestServer::each(&small_world()).await {
        let wang = server.login("wang").await;
        let li = server.login("li").await;
        let photo = Photo::new(PIECE + 1000);
        photo_record(&server, &wang, &photo).await;

        // li learnt the hash and starts "its" upload first, with a wrong size and junk bytes.
        let squat = photo.path(0, 999_999);
        let (code, body) = put(&server, &li, &squat, vec![7; 16 * 1024]).await;
        assert_eq!(code, StatusCode::OK, "{body}");
        // wang's phone asks where its upload stands: nowhere yet, whatever li did.
        assert_eq!(upload_status(&server, &wang, &photo.sha).await, NOTHING());

        let done = upload_all(&server, &wang, &photo).await;
        let size = photo.bytes.len();
        assert_eq!(
            done,
            json!({"received": size, "size": size, "complete": true})
        );
        let (code, _, bytes) = server
            .get_bytes(&format!("/api/blobs/{}", photo.sha), &wang)
            .await;
        assert_eq!(code, StatusCode::OK);
        assert!(bytes == photo.bytes, "the real photo, not li's bytes");
        // The squatter's half upload neither became the photo nor lets it download it.
        let (code, _) = server
            .get(&format!("/api/blobs/{}", photo.sha), Some(&li))
            .await;
        assert_eq!(code, StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn asking_about_someone_elses_photo_reveals_nothing() {
    for server in TestServer::each(&small_world()).await {
        let wang = server.login("wang").await;
        let photo = Photo::new(PIECE + 10);
        photo_record(&server, &wang, &photo).await;
        upload_all(&server, &wang, &photo).await;
        let size = photo.bytes.len();
        let complete = json!({"received": size, "size": size, "complete": true});

        // li may not read f-a1: to li the photo does not exist, finished or not.
        let li = server.login("li").await;
        assert_eq!(upload_status(&server, &li, &photo.sha).await, NOTHING());
        // The township's supervisor reads f-a1, so may know the photo is there.
        let sup = server.login("sup-a").await;
        assert_eq!(upload_status(&server, &sup, &photo.sha).await, complete);

        // li's own upload of the very same bytes is li's: its progress, then one stored copy.
        put(
            &server,
            &li,
            &photo.path(0, size),
            photo.bytes[..PIECE].to_vec(),
        )
        .await;
        assert_eq!(
            upload_status(&server, &li, &photo.sha).await,
            json!({"received": PIECE, "size": size, "complete": false})
        );
        let rest = photo.bytes[PIECE..].to_vec();
        let (code, body) = put(&server, &li, &photo.path(PIECE, size), rest).await;
        assert_eq!((code, body), (StatusCode::OK, complete.clone()));
        assert_eq!(upload_status(&server, &li, &photo.sha).await, complete);
        let (code, _, bytes) = server
            .get_bytes(&format!("/api/blobs/{}", photo.sha), &li)
            .await;
        assert_eq!(code, StatusCode::OK, "li uploaded it, so li has it");
        assert!(bytes == photo.bytes, "kept once, not twice concatenated");
    }
}

#[tokio::test]
async fn finished_photos_no_record_shows_count_against_the_uploader_until_removed() {
    for server in TestServer::each(&small_world()).await {
        let li = server.login("li").await;
        // 64 finished images no record shows: the most an account may keep under way.
        let mut orphans = Vec::new();
        for _ in 0..64 {
            let photo = Photo::new(100);
            upload_all(&server, &li, &photo).await;
            orphans.push(photo);
        }
        let one_more = Photo::new(100);
        let (code, body) = put(&server, &li, &one_more.path(0, 100), one_more.bytes.clone()).await;
        assert_eq!(code, StatusCode::TOO_MANY_REQUESTS, "{body}");
        assert_eq!(body["code"], "too_many_uploads");

        // wang's photo is shown by his record, finished the same day.
        let wang = server.login("wang").await;
        let shown = Photo::new(100);
        photo_record(&server, &wang, &shown).await;
        upload_all(&server, &wang, &shown).await;

        // The server's sweep, a day after the grace period: the orphans are gone, the shown
        // photo stays, and li may upload again.
        let later =
            chrono::Utc::now() + chrono::Duration::days(xiafang_server::db::ORPHAN_GRACE_DAYS + 1);
        let gone = server.state.db.sweep_blobs(later).await.expect("sweep");
        assert_eq!(gone, 64);
        for photo in &orphans {
            assert_eq!(upload_status(&server, &li, &photo.sha).await, NOTHING());
        }
        let (code, _, bytes) = server
            .get_bytes(&format!("/api/blobs/{}", shown.sha), &wang)
            .await;
        assert_eq!(code, StatusCode::OK);
        assert!(bytes == shown.bytes);
        let (code, body) = put(&server, &li, &one_more.path(0, 100), one_more.bytes.clone()).await;
        assert_eq!(code, StatusCode::OK, "{body}");
    }
}

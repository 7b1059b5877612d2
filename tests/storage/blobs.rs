//! Photos and signatures on the phone: sealed at rest like records, read back checked against
//! their hash, waiting for their record before they go up, listed once when a downloaded record
//! shows an image the phone lacks, and a database from before images upgrades without loss.

use super::download::{await_request, create_version_1};
use super::*;
use xiafang_core::RecordBody;
use xiafang_core::attachment::{BlobRef, Photo, PhotoSubject, Signature, SignerRole, sha256_hex};

/// Something that looks like a PNG to anyone reading the disk: the signature bytes, a chunk
/// name and a readable marker.
fn png_bytes(marker: &str) -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    bytes.extend_from_slice(marker.as_bytes());
    bytes.extend(std::iter::repeat_n(0x5a, 4096));
    bytes
}

fn image_of(bytes: &[u8], mime: &str) -> BlobRef {
    BlobRef {
        sha256: sha256_hex(bytes),
        size: bytes.len() as u64,
        mime: mime.into(),
    }
}

/// A signature record of `file` for `of`, showing `image`.
fn signature(file: &str, of: &Record, image: &BlobRef) -> Record {
    let mut record = fixtures::note(file, "u1");
    record.body = RecordBody::Signature(Signature {
        of: of.id,
        signer: "郭某".into(),
        signer_role: SignerRole::Petitioner,
        text_hash: sha256_hex(b"text"),
        image: image.clone(),
    });
    record
}

fn photo(file: &str, of: &Record, image: &BlobRef) -> Record {
    let mut record = fixtures::note(file, "u2");
    record.body = RecordBody::Photo(Photo {
        of: of.id,
        subject: PhotoSubject::Receipt,
        caption: String::new(),
        image: image.clone(),
    });
    record
}

/// The bytes of each sealed row of the image store, as the browser keeps them.
async fn sealed_images(store: &Store) -> Vec<Vec<u8>> {
    let mut sealed = Vec::new();
    for row in store.raw_rows("blobs").await.unwrap() {
        let value = js_sys::Reflect::get(&row, &"sealed".into()).unwrap();
        sealed.push(value.unchecked_into::<js_sys::Uint8Array>().to_vec());
    }
    sealed
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[wasm_bindgen_test]
async fn an_image_is_kept_sealed_and_read_back_whole() {
    let (_, store) = fresh_store().await;
    let bytes = png_bytes("签名图像内容");
    let image = image_of(&bytes, "image/png");
    let visit = fixtures::visit("f1", "u1");
    assert!(store.keep_blob(&image, &bytes, visit.id).await.unwrap());
    assert!(
        !store.keep_blob(&image, &bytes, visit.id).await.unwrap(),
        "the same image is kept once"
    );
    let sealed = sealed_images(&store).await;
    assert_eq!(sealed.len(), 1);
    assert!(
        !contains(&sealed[0], b"\x89PNG"),
        "the PNG header is on disk"
    );
    assert!(!contains(&sealed[0], "签名图像内容".as_bytes()));
    assert_eq!(store.blob(&image.sha256).await.unwrap(), Some(bytes));
    assert_eq!(store.blob(&sha256_hex(b"other")).await.unwrap(), None);
    // Clearing the phone's data (another account's key) takes the images too.
    store.clear_all().await.unwrap();
    assert!(store.raw_rows("blobs").await.unwrap().is_empty());
}

#[wasm_bindgen_test]
async fn an_image_that_does_not_match_its_reference_is_not_kept() {
    let (_, store) = fresh_store().await;
    let bytes = png_bytes("a");
    let mut image = image_of(&bytes, "image/png");
    image.size += 1;
    assert!(
        store
            .keep_blob(&image, &bytes, RecordId::new_random())
            .await
            .is_err()
    );
    let wrong_hash = image_of(b"something else", "image/png");
    assert!(
        store
            .keep_blob(&wrong_hash, &bytes, RecordId::new_random())
            .await
            .is_err()
    );
    assert!(store.raw_rows("blobs").await.unwrap().is_empty());
}

#[wasm_bindgen_test]
async fn an_image_goes_up_only_once_its_record_is_accepted() {
    let (_, store) = fresh_store().await;
    let visit = fixtures::visit("f1", "u1");
    store.save_new(&visit).await.unwrap();
    let bytes = png_bytes("b");
    let image = image_of(&bytes, "image/png");
    let signed = signature("f1", &visit, &image);
    store.keep_blob(&image, &bytes, signed.id).await.unwrap();
    store.save_new(&signed).await.unwrap();
    let waiting = store.blobs_to_upload().await.unwrap();
    assert_eq!(waiting.len(), 1);
    assert!(!waiting[0].ready, "the record has not reached the server");
    settle_first(&store, Outcome::Stored).await; // the visit
    settle_first(&store, Outcome::Stored).await; // the signature
    let waiting = store.blobs_to_upload().await.unwrap();
    assert_eq!(
        (waiting[0].image.clone(), waiting[0].ready),
        (image.clone(), true)
    );
    store.mark_blob_uploaded(&image.sha256).await.unwrap();
    assert!(store.blobs_to_upload().await.unwrap().is_empty());
    // Uploaded, the image stays on the phone to be shown.
    assert_eq!(store.blob(&image.sha256).await.unwrap(), Some(bytes));
}

#[wasm_bindgen_test]
async fn the_image_of_a_refused_or_unsaved_record_never_goes_up() {
    let (_, store) = fresh_store().await;
    let visit = fixtures::visit("f1", "u1");
    let refused_bytes = png_bytes("refused");
    let refused_image = image_of(&refused_bytes, "image/png");
    let refused = signature("f1", &visit, &refused_image);
    store
        .keep_blob(&refused_image, &refused_bytes, refused.id)
        .await
        .unwrap();
    store.save_new(&refused).await.unwrap();
    settle_first(
        &store,
        Outcome::Rejected {
            reason: Rejection::NotAttachable,
        },
    )
    .await;
    // Kept for a record whose save then failed: dropped again, and never listed.
    let orphan_bytes = png_bytes("orphan");
    let orphan = image_of(&orphan_bytes, "image/png");
    store
        .keep_blob(&orphan, &orphan_bytes, RecordId::new_random())
        .await
        .unwrap();
    assert!(store.blobs_to_upload().await.unwrap().is_empty());
    store.forget_blob(&orphan.sha256).await.unwrap();
    assert_eq!(store.blob(&orphan.sha256).await.unwrap(), None);
}

#[wasm_bindgen_test]
async fn images_of_downloaded_records_are_missing_until_fetched() {
    let (_, store) = fresh_store().await;
    let visit = fixtures::visit("f1", "u1");
    let bytes = vec![0xff, 0xd8, 0xff, 0xe0, 1, 2, 3];
    let image = image_of(&bytes, "image/jpeg");
    let other = image_of(b"\xff\xd8other", "image/jpeg");
    let records = vec![
        visit.clone(),
        photo("f1", &visit, &image),
        // The same photo attached twice is fetched once.
        photo("f1", &visit, &image),
        photo("f1", &visit, &other),
    ];
    store
        .apply_pull(&page(true, vec![file("f1", "郭先生")], records, "c1"))
        .await
        .unwrap();
    let mut missing = store.missing_blobs().await.unwrap();
    missing.sort_by(|a, b| a.sha256.cmp(&b.sha256));
    let mut expected = vec![image.clone(), other.clone()];
    expected.sort_by(|a, b| a.sha256.cmp(&b.sha256));
    assert_eq!(missing, expected);
    store.keep_downloaded_blob(&image, &bytes).await.unwrap();
    assert_eq!(store.missing_blobs().await.unwrap(), vec![other]);
    assert!(
        store.blobs_to_upload().await.unwrap().is_empty(),
        "a downloaded image is not sent back"
    );
    // Downloaded means the server has it: a record's failed save never drops it.
    store.forget_blob(&image.sha256).await.unwrap();
    assert_eq!(store.blob(&image.sha256).await.unwrap(), Some(bytes));
}

#[wasm_bindgen_test]
async fn upgrading_from_version_2_keeps_records_and_the_cursor_and_adds_images() {
    let name = format!("xiafang-test-{}", uuid::Uuid::new_v4());
    let pending = fixtures::visit("f1", "u1");
    create_version_1(&name, &file("f1", "郭先生"), &pending, SyncState::Pending).await;
    create_version_2_cursor(&name, "c-before").await;
    let store = Store::open(&name).await.expect("upgrades");
    let _ = fresh_store().await; // the data key open, as after a sign-in
    let timeline = store.timeline(&FileId::from("f1")).await.unwrap();
    assert_eq!(timeline.len(), 1);
    assert_eq!(timeline[0].record, pending);
    assert_eq!(store.outbox(50).await.unwrap()[0].record, pending);
    assert_eq!(
        store.cursor().await.unwrap(),
        Some(Cursor("c-before".into()))
    );
    let bytes = png_bytes("after upgrade");
    let image = image_of(&bytes, "image/png");
    store.keep_blob(&image, &bytes, pending.id).await.unwrap();
    assert_eq!(store.blob(&image.sha256).await.unwrap(), Some(bytes));
}

/// Takes a version-1 database to version 2 the way that version did (adding `meta`), with a
/// download cursor in it.
async fn create_version_2_cursor(name: &str, cursor: &str) {
    let factory = web_sys::window().unwrap().indexed_db().unwrap().unwrap();
    let open = factory.open_with_u32(name, 2).unwrap();
    let upgrading = open.clone();
    let on_upgrade = Closure::once_into_js(move |_: web_sys::Event| {
        let db: web_sys::IdbDatabase = upgrading.result().unwrap().dyn_into().unwrap();
        db.create_object_store("meta").unwrap();
    });
    open.set_onupgradeneeded(Some(on_upgrade.unchecked_ref()));
    let db: web_sys::IdbDatabase = await_request(&open).await.dyn_into().unwrap();
    let tx = db
        .transaction_with_str_and_mode("meta", web_sys::IdbTransactionMode::Readwrite)
        .unwrap();
    tx.object_store("meta")
        .unwrap()
        .put_with_key(&cursor.into(), &"pull_cursor".into())
        .unwrap();
    let done = js_sys::Promise::new(&mut |res, _| tx.set_oncomplete(Some(&res)));
    wasm_bindgen_futures::JsFuture::from(done).await.unwrap();
    db.close();
}

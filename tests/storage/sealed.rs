//! Encryption at rest, wired into the store: what the phone keeps shows no name, phone number or
//! note text in its stored bytes; the PIN reopens it; wrong PINs lock it until a password
//! sign-in; another account's data that waits for upload is never thrown away.

use super::*;
use xiafang::store::StoreError;
use xiafang::store::crypto::CipherKind;
use xiafang::store::vault::{SignedInWith, Status, UnlockError};

const NAME: &str = "郭秘密";
const PHONE: &str = "13912345678";
const NOTE: &str = "谈心内容：家中困难不愿外人知道";
const PIN: &str = "246810";
const OTHER_SECRET: &str = "b3RoZXItc2VjcmV0LW9mLTMyLWJ5dGVzLWZvci10aGU=";

/// Everything the database holds, as text: strings as they are, byte arrays decoded as UTF-8
/// (lossily), so plain text anywhere — sealed or not — would show.
async fn stored_text(name: &str) -> String {
    let store = Store::open(name).await.unwrap();
    let mut text = String::new();
    for table in ["records", "outbox", "files", "meta"] {
        for row in store.raw_rows(table).await.unwrap() {
            collect_text(&row, &mut text);
        }
    }
    store.close();
    text
}

fn collect_text(value: &JsValue, out: &mut String) {
    if let Some(s) = value.as_string() {
        out.push_str(&s);
    } else if let Some(bytes) = value.dyn_ref::<js_sys::Uint8Array>() {
        out.push_str(&String::from_utf8_lossy(&bytes.to_vec()));
    } else if value.is_object() {
        for key in js_sys::Object::keys(value.unchecked_ref::<js_sys::Object>()).iter() {
            out.push_str(&key.as_string().unwrap_or_default());
            collect_text(&js_sys::Reflect::get(value, &key).unwrap(), out);
        }
    }
    out.push('\n');
}

fn secret_file() -> PetitionerFile {
    let mut f = file("f-secret", NAME);
    f.phone = Some(PHONE.into());
    f
}

async fn note_on(store: &Store, owner: &str) -> Record {
    let mut note = fixtures::note("f-secret", owner);
    if let xiafang_core::RecordBody::Note(n) = &mut note.body {
        n.text = NOTE.into();
    }
    store.save_new(&note).await.unwrap();
    note
}

async fn sign_in(store: &Store, owner: &str, secret: &str) -> Result<SignedInWith, UnlockError> {
    vault::open_with_sign_in(store, &UserId(owner.into()), secret, CipherKind::default()).await
}

/// The cipher byte of each sealed row of `table` (see `DeviceCipher`'s sealed format).
async fn cipher_tags(store: &Store, table: &str) -> Vec<u8> {
    let mut tags = Vec::new();
    for row in store.raw_rows(table).await.unwrap() {
        let sealed = js_sys::Reflect::get(&row, &"sealed".into()).unwrap();
        tags.push(sealed.unchecked_into::<js_sys::Uint8Array>().to_vec()[1]);
    }
    tags
}

#[wasm_bindgen_test]
async fn a_deployment_that_switches_to_sm4_still_reads_what_aes_sealed() {
    let (_, store) = fresh_store().await;
    let before = note_on(&store, "tester").await;
    assert_eq!(
        cipher_tags(&store, "records").await,
        vec![CipherKind::Aes256Gcm.tag()]
    );
    vault::lock();
    let national = CipherKind::Sm4Gcm;
    vault::open_with_sign_in(&store, &UserId("tester".into()), TEST_SECRET, national)
        .await
        .unwrap();
    let after = note_on(&store, "tester").await;
    let mut tags = cipher_tags(&store, "outbox").await;
    tags.sort();
    assert_eq!(tags, vec![CipherKind::Aes256Gcm.tag(), national.tag()]);
    let ops = store.outbox(10).await.unwrap();
    assert_eq!(
        ops.iter().map(|o| o.record.id).collect::<Vec<_>>(),
        vec![before.id, after.id]
    );
    // Back to the default for the other tests.
    vault::lock();
    sign_in(&store, "tester", TEST_SECRET).await.unwrap();
}

#[wasm_bindgen_test]
async fn stored_bytes_show_no_name_phone_or_note_and_need_the_key() {
    let (name, store) = fresh_store().await;
    store
        .apply_pull(&page(true, vec![secret_file()], vec![], "c1"))
        .await
        .unwrap();
    note_on(&store, "tester").await;
    let stored = stored_text(&name).await;
    assert!(
        stored.contains("f-secret"),
        "the dump reads the rows: {stored}"
    );
    for secret in [NAME, PHONE, NOTE, "南滨街道阁一村三组"] {
        assert!(!stored.contains(secret), "{secret} in the stored bytes");
    }

    vault::lock();
    assert_eq!(store.files().await, Err(StoreError::Locked));
    assert_eq!(
        store.timeline(&FileId::from("f-secret")).await,
        Err(StoreError::Locked)
    );
    // Counting what waits needs no key: the status bar shows it while locked.
    assert_eq!(store.pending_count().await.unwrap(), 1);
    assert_eq!(
        sign_in(&store, "tester", TEST_SECRET).await,
        Ok(SignedInWith::Existing)
    );
    assert_eq!(store.files().await.unwrap()[0].name, NAME);
}

#[wasm_bindgen_test]
async fn the_pin_reopens_and_wrong_pins_lock_until_a_password_sign_in() {
    vault::forget();
    let (_, store) = fresh_store().await;
    note_on(&store, "tester").await;
    assert_eq!(vault::status(), Status::Open { has_pin: false });
    assert_eq!(
        vault::set_pin("123456").await,
        Err(UnlockError::BadPin(
            xiafang::store::crypto::PinProblem::TooSimple
        ))
    );
    vault::set_pin(PIN).await.unwrap();
    vault::lock();
    assert_eq!(vault::status(), Status::PinLocked { tries_left: 5 });
    vault::open_with_pin(PIN).await.unwrap();
    assert_eq!(
        store.timeline(&FileId::from("f-secret")).await.unwrap()[0]
            .record
            .body
            .kind_key(),
        "note"
    );

    vault::lock();
    for left in (1..5).rev() {
        assert_eq!(
            vault::open_with_pin("135792").await,
            Err(UnlockError::WrongPin { tries_left: left })
        );
    }
    assert_eq!(
        vault::open_with_pin("135792").await,
        Err(UnlockError::LockedOut)
    );
    assert_eq!(vault::status(), Status::SignInLocked);
    // The PIN-wrapped key is gone: even the right PIN opens nothing now.
    assert_eq!(vault::open_with_pin(PIN).await, Err(UnlockError::LockedOut));
    assert_eq!(store.files().await, Err(StoreError::Locked));

    // A password sign-in (the server's secret) opens the same data again; a PIN must be set anew.
    assert_eq!(
        sign_in(&store, "tester", TEST_SECRET).await,
        Ok(SignedInWith::Existing)
    );
    assert_eq!(vault::status(), Status::Open { has_pin: false });
    assert_eq!(store.pending_count().await.unwrap(), 1);
    assert_eq!(
        store
            .timeline(&FileId::from("f-secret"))
            .await
            .unwrap()
            .len(),
        1
    );
}

#[wasm_bindgen_test]
async fn another_account_cannot_sign_in_over_records_that_wait_for_upload() {
    vault::forget();
    let (name, store) = fresh_store().await;
    note_on(&store, "tester").await;
    vault::lock();
    assert_eq!(
        sign_in(&store, "someone-else", OTHER_SECRET).await,
        Err(UnlockError::OthersPending { pending: 1 })
    );
    // Refused without changing anything: the owner still opens the note.
    sign_in(&store, "tester", TEST_SECRET).await.unwrap();
    assert_eq!(store.pending_count().await.unwrap(), 1);
    settle_first(&store, Outcome::Stored).await;

    // Uploaded, so nothing is lost: the other account starts afresh on this phone.
    vault::lock();
    assert_eq!(
        sign_in(&store, "someone-else", OTHER_SECRET).await,
        Ok(SignedInWith::NewKey)
    );
    assert!(
        store
            .timeline(&FileId::from("f-secret"))
            .await
            .unwrap()
            .is_empty()
    );
    assert!(!stored_text(&name).await.contains("f-secret"));
    vault::forget();
}

//! Test phones' signing keys: every signed-in request carries a proof signed by the key its
//! session's sign-in sent (`X-Xiafang-Proof`). Shared by the router-level helpers (`common`)
//! and the raw-socket client (`support::http`), each with its own map of tokens to keys.

#![allow(dead_code)]

use p256::ecdsa::SigningKey;
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

/// The phone keys of the sessions this test process signed in, by token.
fn phone_keys() -> &'static Mutex<HashMap<String, SigningKey>> {
    static KEYS: OnceLock<Mutex<HashMap<String, SigningKey>>> = OnceLock::new();
    KEYS.get_or_init(Default::default)
}

/// A new phone key: the private half stays with the test, as on a phone.
pub fn new_phone_key() -> SigningKey {
    SigningKey::random(&mut rand::rngs::OsRng)
}

/// The public half as a phone sends it at sign-in (uncompressed SEC1 point, base64url).
pub fn public_key(key: &SigningKey) -> String {
    use base64::Engine;
    let point = key.verifying_key().to_encoded_point(false);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(point.as_bytes())
}

/// Adds a new phone key to a sign-in body that has none; the key, if one was added.
pub fn with_phone_key(body: &mut serde_json::Value) -> Option<SigningKey> {
    let fields = body.as_object_mut()?;
    if fields.contains_key("device_key") {
        return None;
    }
    let key = new_phone_key();
    fields.insert("device_key".into(), public_key(&key).into());
    Some(key)
}

/// Remembers which key signs for `token` (a sign-in that did not go through `post`).
pub fn remember_key(token: &str, key: SigningKey) {
    phone_keys()
        .lock()
        .expect("keys")
        .insert(token.to_owned(), key);
}

/// The proof header value `key` makes for `method path` at unix time `at`.
pub fn proof(key: &SigningKey, method: &str, path: &str, at: i64) -> String {
    use base64::Engine;
    use p256::ecdsa::signature::Signer;
    let message = xiafang_core::session::proof_message(method, path, at);
    let signature: p256::ecdsa::Signature = key.sign(message.as_bytes());
    let encoded = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(signature.to_bytes());
    format!("{at}.{encoded}")
}

/// The proof for `token`'s request now, if this process signed in for it.
pub fn proof_for(token: &str, method: &str, path: &str) -> Option<String> {
    let keys = phone_keys().lock().expect("keys");
    let key = keys.get(token)?;
    Some(proof(key, method, path, chrono::Utc::now().timestamp()))
}

/// For a sign-in body about to be sent: adds a phone key if it has none, and returns what to
/// call with the answer's JSON so the token is remembered with that key.
pub fn remember_sign_in(body: &mut serde_json::Value) -> impl FnOnce(&serde_json::Value) + use<> {
    let key = with_phone_key(body);
    move |answer| {
        if let (Some(key), Some(token)) = (key, answer["token"].as_str()) {
            remember_key(token, key);
        }
    }
}

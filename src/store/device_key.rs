//! This phone's own keys, made once by Web Crypto as non-extractable and kept as `CryptoKey`s in
//! their own IndexedDB database (a `CryptoKey` is structured-cloneable, so IndexedDB stores the
//! key without the page ever seeing its bytes):
//! - the ECDSA P-256 pair whose public half the server binds the session to at sign-in, and
//!   whose private half signs every signed-in request (`X-Xiafang-Proof`);
//! - the HMAC-SHA256 "pepper" mixed into the PIN-derived key (`crypto::keys`), so the PIN-wrapped
//!   data key cannot be guessed at from its stored bytes alone: each guess needs this key.
//!
//! Separate from the data's database so erasing or upgrading that never touches them.

use super::idb;
use super::{StoreError, crypto::CryptoError};
use base64::Engine;
use js_sys::{Array, Object, Reflect, Uint8Array};
use std::cell::RefCell;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{CryptoKey, IdbDatabase, IdbOpenDbRequest, IdbTransactionMode};

const DB: &str = "xiafang-keys";
const KEYS: &str = "keys";
/// The ECDSA pair that proves requests come from this phone.
const PROOF_KEY: &str = "proof";
/// The HMAC key that peppers PIN-derived keys.
const PIN_PEPPER: &str = "pin-pepper";

/// Why a key of this phone could not be made, kept or used.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum KeyError {
    #[error("{0}")]
    Storage(#[from] StoreError),
    #[error("{0}")]
    Crypto(#[from] CryptoError),
}

thread_local! {
    /// The proof pair once loaded: the private half cannot be read out of it, only used.
    static PROOF: RefCell<Option<(CryptoKey, CryptoKey)>> = const { RefCell::new(None) };
    static PEPPER: RefCell<Option<CryptoKey>> = const { RefCell::new(None) };
}

fn js(e: JsValue) -> CryptoError {
    CryptoError::Js(crate::js_error::text(&e))
}

fn subtle() -> Result<web_sys::SubtleCrypto, CryptoError> {
    let subtle = web_sys::window()
        .ok_or_else(|| CryptoError::Unavailable("no window".into()))?
        .crypto()
        .map_err(js)?
        .subtle();
    if subtle.is_undefined() {
        return Err(CryptoError::Unavailable("crypto.subtle".into()));
    }
    Ok(subtle)
}

async fn open_db() -> Result<IdbDatabase, StoreError> {
    let factory = web_sys::window()
        .ok_or_else(|| StoreError::Unavailable("no window".into()))?
        .indexed_db()
        .map_err(|e| StoreError::Unavailable(crate::js_error::text(&e)))?
        .ok_or_else(|| StoreError::Unavailable("IndexedDB is disabled".into()))?;
    let open: IdbOpenDbRequest = factory.open_with_u32(DB, 1).map_err(StoreError::from_js)?;
    let upgrading = open.clone();
    let on_upgrade = Closure::once_into_js(move |_: web_sys::IdbVersionChangeEvent| {
        let made = upgrading
            .result()
            .and_then(|db| db.dyn_into::<IdbDatabase>())
            .and_then(|db| db.create_object_store(KEYS).map(drop));
        if let Err(e) = made {
            web_sys::console::error_1(&e);
        }
    });
    open.set_onupgradeneeded(Some(on_upgrade.unchecked_ref()));
    idb::request(&open)
        .await?
        .dyn_into()
        .map_err(|_| StoreError::Unavailable("open did not return a database".into()))
}

/// The value stored under `name`, if any.
pub(crate) async fn load(name: &str) -> Result<Option<JsValue>, StoreError> {
    let db = open_db().await?;
    let tx = idb::transaction(&db, &[KEYS], IdbTransactionMode::Readonly)?;
    let store = tx.object_store(KEYS).map_err(StoreError::from_js)?;
    let req = store
        .get(&JsValue::from_str(name))
        .map_err(StoreError::from_js)?;
    let value = idb::request(&req).await?;
    db.close();
    Ok((!value.is_undefined()).then_some(value))
}

/// Stores `value` under `name` unless something is there already (another tab made the key
/// first); either way returns what is stored now, so every tab uses the same key.
pub(crate) async fn keep_first(name: &str, value: &JsValue) -> Result<JsValue, StoreError> {
    let db = open_db().await?;
    let tx = idb::transaction(&db, &[KEYS], IdbTransactionMode::Readwrite)?;
    let store = tx.object_store(KEYS).map_err(StoreError::from_js)?;
    let key = JsValue::from_str(name);
    let found = idb::request(&store.get(&key).map_err(StoreError::from_js)?).await?;
    let kept = if found.is_undefined() {
        store
            .put_with_key(value, &key)
            .map_err(StoreError::from_js)?;
        value.clone()
    } else {
        found
    };
    idb::committed(&tx).await?;
    db.close();
    Ok(kept)
}

fn field(obj: &JsValue, name: &str) -> Result<CryptoKey, CryptoError> {
    Reflect::get(obj, &name.into())
        .ok()
        .and_then(|v| v.dyn_into().ok())
        .ok_or_else(|| CryptoError::Js(format!("stored key pair has no {name}")))
}

fn algorithm(fields: &[(&str, &str)]) -> Object {
    let obj = Object::new();
    for (k, v) in fields {
        let _ = Reflect::set(&obj, &(*k).into(), &(*v).into());
    }
    obj
}

/// The phone's proof pair, made on first use (the private half non-extractable).
async fn proof_pair() -> Result<(CryptoKey, CryptoKey), KeyError> {
    if let Some(pair) = PROOF.with(|p| p.borrow().clone()) {
        return Ok(pair);
    }
    let stored = match load(PROOF_KEY).await? {
        Some(pair) => pair,
        None => {
            let params = algorithm(&[("name", "ECDSA"), ("namedCurve", "P-256")]);
            let uses: Array = ["sign", "verify"]
                .iter()
                .map(|u| JsValue::from_str(u))
                .collect();
            let made = JsFuture::from(
                subtle()?
                    .generate_key_with_object(&params, false, &uses)
                    .map_err(js)?,
            )
            .await
            .map_err(js)?;
            keep_first(PROOF_KEY, &made).await?
        }
    };
    let pair = (field(&stored, "privateKey")?, field(&stored, "publicKey")?);
    PROOF.with(|p| *p.borrow_mut() = Some(pair.clone()));
    Ok(pair)
}

/// The public half as the server takes it at sign-in: the uncompressed point, base64url.
pub async fn proof_public_key() -> Result<String, KeyError> {
    let (_, public) = proof_pair().await?;
    let raw = JsFuture::from(subtle()?.export_key("raw", &public).map_err(js)?)
        .await
        .map_err(js)?;
    let bytes = Uint8Array::new(&raw).to_vec();
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
}

/// `message` signed by the private half (ECDSA with SHA-256, `r‖s` as Web Crypto gives it).
pub async fn sign(message: &[u8]) -> Result<Vec<u8>, KeyError> {
    let (private, _) = proof_pair().await?;
    let params = algorithm(&[("name", "ECDSA"), ("hash", "SHA-256")]);
    let signature = JsFuture::from(
        subtle()?
            .sign_with_object_and_u8_array(&params, &private, message)
            .map_err(js)?,
    )
    .await
    .map_err(js)?;
    Ok(Uint8Array::new(&signature).to_vec())
}

/// Reads the pepper key into memory while the PIN screen waits for the cadre, so the PIN
/// derivation's last step does not wait on IndexedDB. Never makes one: a failure here is only
/// logged, and the derivation reads (and reports) again.
pub fn load_pepper_ahead() {
    wasm_bindgen_futures::spawn_local(async {
        if let Err(e) = pepper_key(false).await {
            web_sys::console::warn_1(&format!("pepper key not read ahead: {e}").into());
        }
    });
}

/// The phone's PIN pepper key, made on first use when `create`; `None` if it has none and
/// `create` is false (a wrapping made with it can then not be opened on this browser).
async fn pepper_key(create: bool) -> Result<Option<CryptoKey>, KeyError> {
    if let Some(key) = PEPPER.with(|p| p.borrow().clone()) {
        return Ok(Some(key));
    }
    let stored = match load(PIN_PEPPER).await? {
        Some(key) => key,
        None if !create => return Ok(None),
        None => {
            let params = algorithm(&[("name", "HMAC"), ("hash", "SHA-256")]);
            let _ = Reflect::set(&params, &"length".into(), &JsValue::from(256));
            let uses: Array = std::iter::once(JsValue::from_str("sign")).collect();
            let made = JsFuture::from(
                subtle()?
                    .generate_key_with_object(&params, false, &uses)
                    .map_err(js)?,
            )
            .await
            .map_err(js)?;
            keep_first(PIN_PEPPER, &made).await?
        }
    };
    let key: CryptoKey = stored
        .dyn_into()
        .map_err(|_| CryptoError::Js("stored pepper is not a key".into()))?;
    PEPPER.with(|p| *p.borrow_mut() = Some(key.clone()));
    Ok(Some(key))
}

/// HMAC-SHA256 of `bytes` under the phone's pepper key (made on first use when `create`).
/// `Ok(None)`: this browser has no pepper key, so nothing peppered on it can be opened here.
pub async fn pepper(bytes: &[u8], create: bool) -> Result<Option<Vec<u8>>, KeyError> {
    let Some(key) = pepper_key(create).await? else {
        return Ok(None);
    };
    let mac = JsFuture::from(
        subtle()?
            .sign_with_str_and_u8_array("HMAC", &key, bytes)
            .map_err(js)?,
    )
    .await
    .map_err(js)?;
    Ok(Some(Uint8Array::new(&mac).to_vec()))
}

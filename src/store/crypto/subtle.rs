//! Thin async wrappers over the browser's Web Crypto (`crypto.getRandomValues`,
//! `crypto.subtle`): random bytes, AES-GCM, PBKDF2 and HKDF with SHA-256.

use super::CryptoError;
use js_sys::{Array, ArrayBuffer, Uint8Array};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AesGcmParams, Crypto, CryptoKey, HkdfParams, Pbkdf2Params, SubtleCrypto};

fn crypto() -> Result<Crypto, CryptoError> {
    web_sys::window()
        .ok_or_else(|| CryptoError::Unavailable("no window".into()))?
        .crypto()
        .map_err(|e| CryptoError::Unavailable(crate::js_error::text(&e)))
}

fn subtle() -> Result<SubtleCrypto, CryptoError> {
    let subtle = crypto()?.subtle();
    // Browsers leave `crypto.subtle` undefined outside a secure context (plain http).
    if subtle.is_undefined() {
        return Err(CryptoError::Unavailable(
            "crypto.subtle (needs https or localhost)".into(),
        ));
    }
    Ok(subtle)
}

fn js_error(value: JsValue) -> CryptoError {
    CryptoError::Js(crate::js_error::text(&value))
}

/// `N` bytes from the browser's cryptographic random source.
pub fn random<const N: usize>() -> Result<[u8; N], CryptoError> {
    let mut bytes = [0u8; N];
    crypto()?
        .get_random_values_with_u8_array(&mut bytes)
        .map_err(js_error)?;
    Ok(bytes)
}

fn usages(names: &[&str]) -> Array {
    names.iter().map(|n| JsValue::from_str(n)).collect()
}

async fn resolve(promise: Result<js_sys::Promise, JsValue>) -> Result<JsValue, CryptoError> {
    JsFuture::from(promise.map_err(js_error)?)
        .await
        .map_err(js_error)
}

async fn bytes_of(promise: Result<js_sys::Promise, JsValue>) -> Result<Vec<u8>, CryptoError> {
    let buffer: ArrayBuffer = resolve(promise)
        .await?
        .dyn_into()
        .map_err(|_| CryptoError::Js("expected an ArrayBuffer".into()))?;
    Ok(Uint8Array::new(&buffer).to_vec())
}

/// Imports raw key bytes as a non-extractable key for `algorithm` (e.g. "AES-GCM", "PBKDF2").
async fn import_raw(raw: &[u8], algorithm: &str, uses: &[&str]) -> Result<CryptoKey, CryptoError> {
    let key = resolve(subtle()?.import_key_with_str(
        "raw",
        &Uint8Array::from(raw),
        algorithm,
        false,
        &usages(uses),
    ))
    .await?;
    key.dyn_into()
        .map_err(|_| CryptoError::Js("importKey did not return a key".into()))
}

pub async fn import_aes_gcm(raw: &[u8]) -> Result<CryptoKey, CryptoError> {
    import_raw(raw, "AES-GCM", &["encrypt", "decrypt"]).await
}

fn gcm_params(nonce: &[u8], aad: &[u8]) -> AesGcmParams {
    let params = AesGcmParams::new("AES-GCM", &Uint8Array::from(nonce));
    params.set_additional_data(&Uint8Array::from(aad));
    params
}

/// AES-GCM with a 128-bit tag: the ciphertext with the tag appended.
pub async fn aes_gcm_encrypt(
    key: &CryptoKey,
    nonce: &[u8],
    aad: &[u8],
    plaintext: &[u8],
) -> Result<Vec<u8>, CryptoError> {
    let params = gcm_params(nonce, aad);
    bytes_of(subtle()?.encrypt_with_object_and_u8_array(&params, key, plaintext)).await
}

pub async fn aes_gcm_decrypt(
    key: &CryptoKey,
    nonce: &[u8],
    aad: &[u8],
    sealed: &[u8],
) -> Result<Vec<u8>, CryptoError> {
    let params = gcm_params(nonce, aad);
    let promise = subtle()?
        .decrypt_with_object_and_u8_array(&params, key, sealed)
        .map_err(js_error)?;
    // Web Crypto rejects a failed tag check with an `OperationError` and says nothing more.
    match JsFuture::from(promise).await {
        Ok(buffer) => Ok(Uint8Array::new(&buffer).to_vec()),
        Err(e) => match e.dyn_ref::<web_sys::DomException>() {
            Some(dom) if dom.name() == "OperationError" => Err(CryptoError::Tampered),
            _ => Err(js_error(e)),
        },
    }
}

/// PBKDF2-HMAC-SHA256 of `secret` over `salt`, `bits` long.
pub async fn pbkdf2_sha256(
    secret: &[u8],
    salt: &[u8],
    iterations: u32,
    bits: u32,
) -> Result<Vec<u8>, CryptoError> {
    let base = import_raw(secret, "PBKDF2", &["deriveBits"]).await?;
    let params =
        Pbkdf2Params::new_with_str("PBKDF2", "SHA-256", iterations, &Uint8Array::from(salt));
    bytes_of(subtle()?.derive_bits_with_object(&params, &base, bits)).await
}

/// HKDF-SHA256 of a uniformly random key (so no salt), separated by `info`, `bits` long.
pub async fn hkdf_sha256(ikm: &[u8], info: &[u8], bits: u32) -> Result<Vec<u8>, CryptoError> {
    let base = import_raw(ikm, "HKDF", &["deriveBits"]).await?;
    let params = HkdfParams::new_with_str(
        "HKDF",
        "SHA-256",
        &Uint8Array::from(info),
        &Uint8Array::new_with_length(0),
    );
    bytes_of(subtle()?.derive_bits_with_object(&params, &base, bits)).await
}

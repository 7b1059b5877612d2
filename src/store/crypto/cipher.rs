//! `DeviceCipher`: seals and opens byte strings with the deployment's cipher, and opens what any
//! known cipher sealed.
//!
//! Sealed format, version 1:
//! `[version = 1][cipher tag][96-bit random nonce][ciphertext ‖ 128-bit GCM tag]`.
//! The version and cipher bytes are authenticated too (prefixed to the caller's associated data).

use super::keys::DataKey;
use super::{CipherKind, CryptoError, subtle};
use aes_gcm::aead::consts::U12;
use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{AesGcm, Nonce};
use web_sys::CryptoKey;
use zeroize::Zeroize;

/// The first byte of everything `seal` writes.
pub const SEALED_VERSION: u8 = 1;
const NONCE_LEN: usize = 12;
const TAG_LEN: usize = 16;
const HEADER_LEN: usize = 2 + NONCE_LEN;

/// SM4-GCM (RFC 8998): RustCrypto's generic GCM over the SM4 block cipher, 96-bit nonces.
pub type Sm4Gcm = AesGcm<sm4::Sm4, U12>;

// Each cipher gets its own subkey of the data key (HKDF-SHA256, distinct `info`), so one data key
// is never used directly by two algorithms — the same key opens data sealed before and after a
// deployment switches its default. SM4 takes a 128-bit subkey.
const INFO_AES: &[u8] = b"xiafang/device-store/aes-256-gcm/v1";
const INFO_SM4: &[u8] = b"xiafang/device-store/sm4-gcm/v1";

/// Seals with the deployment's default cipher; opens with whichever cipher sealed.
pub struct DeviceCipher {
    default: CipherKind,
    /// Non-extractable: the AES subkey stays inside the browser's Web Crypto.
    aes: CryptoKey,
    sm4: Sm4Gcm,
}

impl DeviceCipher {
    pub async fn new(key: &DataKey, default: CipherKind) -> Result<Self, CryptoError> {
        let mut aes_key = subtle::hkdf_sha256(key.bytes(), INFO_AES, 256).await?;
        let aes = subtle::import_aes_gcm(&aes_key).await;
        aes_key.zeroize();
        let mut sm4_key = subtle::hkdf_sha256(key.bytes(), INFO_SM4, 128).await?;
        let sm4 = Sm4Gcm::new_from_slice(&sm4_key);
        sm4_key.zeroize();
        Ok(DeviceCipher {
            default,
            aes: aes?,
            sm4: sm4.map_err(|_| CryptoError::Js("SM4 subkey of the wrong length".into()))?,
        })
    }

    /// The cipher `seal` uses.
    pub fn kind(&self) -> CipherKind {
        self.default
    }

    /// Encrypts `plaintext` under a fresh random nonce; `aad` (for instance the record's id) is
    /// authenticated but not stored, so `open` needs the same `aad`.
    pub async fn seal(&self, plaintext: &[u8], aad: &[u8]) -> Result<Vec<u8>, CryptoError> {
        let kind = self.default;
        let nonce: [u8; NONCE_LEN] = subtle::random()?;
        let header = [SEALED_VERSION, kind.tag()];
        let full_aad = [&header[..], aad].concat();
        let body = match kind {
            CipherKind::Aes256Gcm => {
                subtle::aes_gcm_encrypt(&self.aes, &nonce, &full_aad, plaintext).await?
            }
            CipherKind::Sm4Gcm => self
                .sm4
                .encrypt(
                    Nonce::from_slice(&nonce),
                    Payload {
                        msg: plaintext,
                        aad: &full_aad,
                    },
                )
                .map_err(|_| CryptoError::Js("SM4-GCM refused to encrypt".into()))?,
        };
        let mut sealed = Vec::with_capacity(HEADER_LEN + body.len());
        sealed.extend_from_slice(&header);
        sealed.extend_from_slice(&nonce);
        sealed.extend_from_slice(&body);
        Ok(sealed)
    }

    /// Decrypts what `seal` produced with any known cipher, whatever the current default.
    pub async fn open(&self, sealed: &[u8], aad: &[u8]) -> Result<Vec<u8>, CryptoError> {
        if sealed.len() < HEADER_LEN + TAG_LEN {
            return Err(CryptoError::Malformed("too short"));
        }
        if sealed[0] != SEALED_VERSION {
            return Err(CryptoError::Malformed("unknown format version"));
        }
        let kind = CipherKind::from_tag(sealed[1]).ok_or(CryptoError::UnknownCipher(sealed[1]))?;
        let nonce = &sealed[2..HEADER_LEN];
        let body = &sealed[HEADER_LEN..];
        let full_aad = [&sealed[..2], aad].concat();
        match kind {
            CipherKind::Aes256Gcm => {
                subtle::aes_gcm_decrypt(&self.aes, nonce, &full_aad, body).await
            }
            CipherKind::Sm4Gcm => self
                .sm4
                .decrypt(
                    Nonce::from_slice(nonce),
                    Payload {
                        msg: body,
                        aad: &full_aad,
                    },
                )
                .map_err(|_| CryptoError::Tampered),
        }
    }
}

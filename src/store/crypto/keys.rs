//! The data key that seals the phone's records, and its PIN-wrapped form: the only form of the
//! key that may be stored. Neither the PIN nor the data key is ever stored in the clear.

use super::cipher::DeviceCipher;
use super::{CipherKind, CryptoError, subtle};
use xiafang_core::pin::check_pin;
use zeroize::Zeroize;

/// PBKDF2-HMAC-SHA256 rounds for a new wrapping. One unwrap (almost all of it this derivation)
/// took 41 ms in headless Chromium 156 on an AMD EPYC build server (`pbkdf2_cost_is_reported`,
/// run with `--nocapture`); a cheap phone's core is perhaps 5–10× slower, so about 0.2–0.4 s
/// there — not yet measured on a phone. Stored in each `WrappedKey`, so raising it later still
/// unwraps older keys.
///
/// A 6-digit PIN has only 10⁶ values: this count slows an attacker who copied the browser's
/// storage, it does not stop one with a GPU. What protects against that must come from outside
/// the PIN (see the `WrappedKey` docs).
pub const PBKDF2_ITERATIONS: u32 = 210_000;

const KEY_LEN: usize = 32;
const SALT_LEN: usize = 16;
const WRAP_AAD: &[u8] = b"xiafang/data-key/v1";

/// A random 256-bit key. Lives only in memory (zeroed when dropped); stored only wrapped.
#[derive(PartialEq, Eq)]
pub struct DataKey([u8; KEY_LEN]);

impl DataKey {
    pub fn generate() -> Result<Self, CryptoError> {
        Ok(DataKey(subtle::random()?))
    }

    pub(super) fn bytes(&self) -> &[u8] {
        &self.0
    }
}

impl Drop for DataKey {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl std::fmt::Debug for DataKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DataKey(…)")
    }
}

/// The data key sealed under a key derived from the PIN: safe to keep in plain storage.
///
/// Limits, for whoever wires it in: the wrong-PIN count kept beside it can be reset by anyone
/// who can edit the browser's storage, and 10⁶ PINs can be tried offline. A lockout that holds
/// against that needs a second copy of the data key that only an online sign-in can open (for
/// instance wrapped by a key the server hands out), so the PIN-wrapped copy can be deleted when
/// `PinGuard` locks.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct WrappedKey {
    pub salt: [u8; SALT_LEN],
    pub iterations: u32,
    /// `DeviceCipher::seal` output of the data key, bound to `salt` and `iterations`.
    pub sealed_key: Vec<u8>,
    /// The cipher that sealed it (also named inside `sealed_key`).
    pub cipher: CipherKind,
}

impl WrappedKey {
    /// Wraps `key` under `pin` with a fresh salt. Refuses a PIN that breaks `check_pin`.
    pub async fn wrap(key: &DataKey, pin: &str, cipher: CipherKind) -> Result<Self, CryptoError> {
        check_pin(pin).map_err(CryptoError::Pin)?;
        let salt: [u8; SALT_LEN] = subtle::random()?;
        let kek = key_from_pin(pin, &salt, PBKDF2_ITERATIONS, cipher).await?;
        let sealed_key = kek
            .seal(&key.0, &wrap_aad(&salt, PBKDF2_ITERATIONS))
            .await?;
        Ok(WrappedKey {
            salt,
            iterations: PBKDF2_ITERATIONS,
            sealed_key,
            cipher,
        })
    }

    /// The data key, if `pin` is the one it was wrapped with; otherwise `WrongPin`.
    pub async fn unwrap(&self, pin: &str) -> Result<DataKey, CryptoError> {
        let kek = key_from_pin(pin, &self.salt, self.iterations, self.cipher).await?;
        let mut raw = match kek
            .open(&self.sealed_key, &wrap_aad(&self.salt, self.iterations))
            .await
        {
            Ok(raw) => raw,
            Err(CryptoError::Tampered) => return Err(CryptoError::WrongPin),
            Err(e) => return Err(e),
        };
        let key = <[u8; KEY_LEN]>::try_from(raw.as_slice())
            .map(DataKey)
            .map_err(|_| CryptoError::Malformed("wrapped key of the wrong length"));
        raw.zeroize();
        key
    }
}

async fn key_from_pin(
    pin: &str,
    salt: &[u8],
    iterations: u32,
    cipher: CipherKind,
) -> Result<DeviceCipher, CryptoError> {
    let bits = subtle::pbkdf2_sha256(pin.as_bytes(), salt, iterations, 8 * KEY_LEN as u32).await?;
    let kek = <[u8; KEY_LEN]>::try_from(bits.as_slice())
        .map(DataKey)
        .map_err(|_| CryptoError::Js("PBKDF2 returned the wrong length".into()))?;
    DeviceCipher::new(&kek, cipher).await
}

fn wrap_aad(salt: &[u8], iterations: u32) -> Vec<u8> {
    [WRAP_AAD, salt, &iterations.to_be_bytes()].concat()
}

/// The data key sealed under a secret the server hands out only with a password sign-in from
/// this phone (`LoginResponse::device_secret`). It is what still opens the data after wrong PINs
/// locked it and the PIN-wrapped copy was deleted; the secret itself is never stored.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct EscrowedKey {
    pub sealed_key: Vec<u8>,
}

const ESCROW_AAD: &[u8] = b"xiafang/data-key/escrow/v1";

impl EscrowedKey {
    pub async fn wrap(
        key: &DataKey,
        secret: &[u8],
        cipher: CipherKind,
    ) -> Result<Self, CryptoError> {
        let kek = key_from_secret(secret, cipher).await?;
        Ok(EscrowedKey {
            sealed_key: kek.seal(&key.0, ESCROW_AAD).await?,
        })
    }

    /// The data key, if `secret` is the one it was wrapped with; `Tampered` otherwise (another
    /// account's or phone's secret).
    pub async fn unwrap(&self, secret: &[u8]) -> Result<DataKey, CryptoError> {
        // The sealed bytes name their cipher, so the default passed here does not matter.
        let kek = key_from_secret(secret, CipherKind::default()).await?;
        let mut raw = kek.open(&self.sealed_key, ESCROW_AAD).await?;
        let key = <[u8; KEY_LEN]>::try_from(raw.as_slice())
            .map(DataKey)
            .map_err(|_| CryptoError::Malformed("escrowed key of the wrong length"));
        raw.zeroize();
        key
    }
}

async fn key_from_secret(secret: &[u8], cipher: CipherKind) -> Result<DeviceCipher, CryptoError> {
    let kek = <[u8; KEY_LEN]>::try_from(secret)
        .map(DataKey)
        .map_err(|_| CryptoError::Malformed("server secret of the wrong length"))?;
    DeviceCipher::new(&kek, cipher).await
}

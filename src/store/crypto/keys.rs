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

/// Argon2id cost of a new wrapping (version 2), shared with the benches that measure it.
/// Stored in each `WrappedKey`, so changing them later still opens older wrappings.
pub use xiafang_core::pin::{ARGON2_M_KIB, ARGON2_P, ARGON2_T};

const KEY_LEN: usize = 32;
const SALT_LEN: usize = 16;
const WRAP_AAD: &[u8] = b"xiafang/data-key/v1";
const WRAP_AAD_V2: &[u8] = b"xiafang/data-key/v2";

/// How the key that wraps the data key is derived from the PIN.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PinKdf {
    /// Version 1 (what earlier versions wrote, without this field): PBKDF2-HMAC-SHA256 with
    /// `WrappedKey::iterations` rounds. Opened, then wrapped again as version 2.
    #[default]
    Pbkdf2,
    /// Version 2: argon2id of the PIN (memory-hard), then HMAC-SHA256 under this phone's own
    /// non-extractable pepper key (`store::device_key`): a guess needs that key, i.e. this
    /// browser profile, not only the stored bytes.
    Argon2idPeppered { m_kib: u32, t: u32, p: u32 },
}

impl PinKdf {
    /// What a new wrapping uses.
    pub const CURRENT: PinKdf = PinKdf::Argon2idPeppered {
        m_kib: ARGON2_M_KIB,
        t: ARGON2_T,
        p: ARGON2_P,
    };
}

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
    /// Absent in what version 1 wrote.
    #[serde(default)]
    pub kdf: PinKdf,
}

impl WrappedKey {
    /// Wraps `key` under `pin` with a fresh salt, the current way (`PinKdf::CURRENT`). Refuses
    /// a PIN that breaks `check_pin`.
    pub async fn wrap(key: &DataKey, pin: &str, cipher: CipherKind) -> Result<Self, CryptoError> {
        Self::wrap_with(key, pin, cipher, PinKdf::CURRENT).await
    }

    /// Wraps the way version 1 did (PBKDF2 alone): only for tests that prove older phones'
    /// keys still open.
    #[doc(hidden)]
    pub async fn wrap_v1(
        key: &DataKey,
        pin: &str,
        cipher: CipherKind,
    ) -> Result<Self, CryptoError> {
        Self::wrap_with(key, pin, cipher, PinKdf::Pbkdf2).await
    }

    async fn wrap_with(
        key: &DataKey,
        pin: &str,
        cipher: CipherKind,
        kdf: PinKdf,
    ) -> Result<Self, CryptoError> {
        check_pin(pin).map_err(CryptoError::Pin)?;
        let salt: [u8; SALT_LEN] = subtle::random()?;
        let iterations = match kdf {
            PinKdf::Pbkdf2 => PBKDF2_ITERATIONS,
            PinKdf::Argon2idPeppered { .. } => 0,
        };
        let wrapped = WrappedKey {
            salt,
            iterations,
            sealed_key: Vec::new(),
            cipher,
            kdf,
        };
        let kek = wrapped.key_from_pin(pin, true).await?;
        let sealed_key = kek.seal(&key.0, &wrapped.aad()).await?;
        Ok(WrappedKey {
            sealed_key,
            ..wrapped
        })
    }

    /// Whether this was wrapped the current way; if not, the vault wraps it again after the
    /// next right PIN.
    pub fn is_current(&self) -> bool {
        self.kdf == PinKdf::CURRENT
    }

    /// The data key, if `pin` is the one it was wrapped with; otherwise `WrongPin`.
    pub async fn unwrap(&self, pin: &str) -> Result<DataKey, CryptoError> {
        let kek = self.key_from_pin(pin, false).await?;
        let mut raw = match kek.open(&self.sealed_key, &self.aad()).await {
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

impl WrappedKey {
    /// The key that wraps the data key, derived from `pin` as `self.kdf` says. Creating the
    /// pepper key is allowed only when wrapping: opening on a browser without it is `WrongPin`
    /// (nothing there can open it).
    async fn key_from_pin(&self, pin: &str, wrapping: bool) -> Result<DeviceCipher, CryptoError> {
        let mut bits = match self.kdf {
            PinKdf::Pbkdf2 => {
                subtle::pbkdf2_sha256(
                    pin.as_bytes(),
                    &self.salt,
                    self.iterations,
                    8 * KEY_LEN as u32,
                )
                .await?
            }
            PinKdf::Argon2idPeppered { m_kib, t, p } => {
                let mut stretched = argon2id(pin, &self.salt, m_kib, t, p)?;
                let peppered = crate::store::device_key::pepper(&stretched, wrapping).await;
                stretched.zeroize();
                match peppered {
                    Ok(Some(bits)) => bits,
                    Ok(None) => return Err(CryptoError::WrongPin),
                    Err(e) => return Err(CryptoError::Unavailable(e.to_string())),
                }
            }
        };
        let kek = <[u8; KEY_LEN]>::try_from(bits.as_slice())
            .map(DataKey)
            .map_err(|_| CryptoError::Js("PIN derivation returned the wrong length".into()));
        bits.zeroize();
        DeviceCipher::new(&kek?, self.cipher).await
    }

    /// Binds the sealed key to how it was derived, so a lowered cost is no shortcut.
    fn aad(&self) -> Vec<u8> {
        match self.kdf {
            PinKdf::Pbkdf2 => [WRAP_AAD, &self.salt, &self.iterations.to_be_bytes()].concat(),
            PinKdf::Argon2idPeppered { m_kib, t, p } => [
                WRAP_AAD_V2,
                &self.salt[..],
                &m_kib.to_be_bytes(),
                &t.to_be_bytes(),
                &p.to_be_bytes(),
            ]
            .concat(),
        }
    }
}

/// Argon2id (version 0x13) of `pin` over `salt`, 32 bytes, at the given cost, in the memory
/// `pin_memory` prepared while the PIN screen waited (or in fresh memory).
pub fn argon2id(
    pin: &str,
    salt: &[u8],
    m_kib: u32,
    t: u32,
    p: u32,
) -> Result<Vec<u8>, CryptoError> {
    let params = argon2::Params::new(m_kib, t, p, Some(KEY_LEN))
        .map_err(|_| CryptoError::Malformed("argon2 parameters out of range"))?;
    let mut out = vec![0u8; KEY_LEN];
    let memory = super::pin_memory::take(params.block_count());
    argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params)
        .hash_password_into_with_memory(pin.as_bytes(), salt, &mut out, memory)
        .map_err(|_| CryptoError::Malformed("argon2 refused its input"))?;
    Ok(out)
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

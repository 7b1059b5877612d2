//! Encryption at rest for what the phone keeps: one small cipher interface (`DeviceCipher`,
//! AES-256-GCM by default, SM4-GCM for deployments assessed against GB/T 39786), the data key and
//! its PIN-wrapped form, and the pure rules for PINs, wrong-PIN lockout and auto-lock.
//!
//! Nothing here reads or writes storage: `store::vault` keeps the wrapped keys and the open
//! cipher, and the store seals every row through it.

mod cipher;
mod keys;
pub mod pin_memory;
mod subtle;

pub use cipher::{DeviceCipher, SEALED_VERSION, Sm4Gcm};
pub use keys::{
    ARGON2_M_KIB, ARGON2_P, ARGON2_T, DataKey, EscrowedKey, PBKDF2_ITERATIONS, PinKdf, WrappedKey,
    argon2id,
};
pub use xiafang_core::cipher::CipherKind;
pub use xiafang_core::pin::{
    AUTO_LOCK_AFTER_MS, PinGuard, PinProblem, WRONG_PIN_LIMIT, check_pin, should_lock,
};

/// Why sealing, opening or unwrapping failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CryptoError {
    /// The bytes were altered, the associated data differs, or they were sealed under another
    /// key: GCM cannot tell these apart, and none of them may be shown to the user as data.
    #[error("wrong key or tampered data")]
    Tampered,
    /// The PIN does not unwrap the data key. The caller counts it (`PinGuard::failed`).
    #[error("wrong PIN")]
    WrongPin,
    /// A new PIN breaks the PIN rules; nothing was wrapped.
    #[error("PIN refused: {}", .0.message(xiafang_core::Lang::En))]
    Pin(PinProblem),
    /// Not something `DeviceCipher::seal` produced (too short, unknown format version).
    #[error("not sealed data: {0}")]
    Malformed(&'static str),
    /// Sealed by a cipher this version of the app does not know.
    #[error("sealed with an unknown cipher (tag {0})")]
    UnknownCipher(u8),
    /// No Web Crypto here (no window, or `crypto.subtle` missing outside a secure context).
    #[error("Web Crypto unavailable: {0}")]
    Unavailable(String),
    /// Web Crypto refused an operation for another reason.
    #[error("Web Crypto error: {0}")]
    Js(String),
}

//! The phone's data key: kept only wrapped (by the PIN, and by the server's secret for this
//! phone and account), opened into memory by a PIN or a password sign-in, dropped again when the
//! app locks. Every row the store writes is sealed through `seal` and read through `open`.
//!
//! Why two wrapped copies: the wrong-PIN count lives in the same browser storage as the
//! PIN-wrapped key, so whoever copies that storage could try all 10⁶ PINs. When the count runs
//! out the PIN-wrapped copy is deleted, and what is left opens only with the server's secret,
//! which the server hands out only for a password (never for a session token, never to a
//! revoked phone).

use super::crypto::{
    CipherKind, CryptoError, DataKey, DeviceCipher, EscrowedKey, PinGuard, PinKdf, PinProblem,
    WrappedKey, check_pin,
};
use super::{Store, StoreError};
use base64::Engine;
use gloo_storage::{LocalStorage, Storage};
use js_sys::Uint8Array;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::{JsCast, JsValue};
use xiafang_core::UserId;

const KEYRING: &str = "xiafang.keyring";
/// The session token, sealed under the data key (base64): whoever copies the browser's storage
/// cannot use it without the PIN, and even then not without this phone's signing key.
const SEALED_TOKEN: &str = "xiafang.session_token";

/// What the phone keeps about its data key, in plain storage: nothing here opens the data
/// without the PIN or the server's secret.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
struct KeyRing {
    /// The account whose sign-in made the key: only its secret opens `escrow`.
    owner: UserId,
    cipher: CipherKind,
    /// Absent before the first PIN is set and after wrong PINs locked the data.
    pin: Option<WrappedKey>,
    escrow: EscrowedKey,
    guard: PinGuard,
}

/// Where the phone's data stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// No data key yet: nothing sealed on this phone (first sign-in, or after an erase).
    Fresh,
    /// Sealed; the PIN opens it, with this many wrong tries left.
    PinLocked { tries_left: u32 },
    /// Sealed, and only a password sign-in opens it (wrong PINs ran out, or no PIN was set).
    SignInLocked,
    /// Open in this tab; `has_pin` says whether a PIN can reopen it after a lock.
    Open { has_pin: bool },
}

/// Why the data did not open, or a PIN was not set.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum UnlockError {
    #[error("wrong PIN, {tries_left} tries left")]
    WrongPin { tries_left: u32 },
    /// Too many wrong PINs: only a password sign-in opens the data now.
    #[error("locked until the next online sign-in")]
    LockedOut,
    /// The data on this phone belongs to another account's key (or a key the server no longer
    /// knows) and still holds records that account has not uploaded.
    #[error("{pending} records of another sign-in wait for upload")]
    OthersPending { pending: u32 },
    #[error("PIN refused: {}", .0.message(xiafang_core::Lang::En))]
    BadPin(PinProblem),
    #[error("the data is not open")]
    NotOpen,
    #[error("{0}")]
    Crypto(CryptoError),
    #[error("{0}")]
    Storage(String),
}

impl From<CryptoError> for UnlockError {
    fn from(e: CryptoError) -> Self {
        UnlockError::Crypto(e)
    }
}

/// The data key and the cipher made from it, while the data is open. The key stays so a new
/// PIN can wrap it; both are dropped (and the key zeroed) when the app locks.
struct Opened {
    key: DataKey,
    cipher: Rc<DeviceCipher>,
}

thread_local! {
    static OPEN: RefCell<Option<Rc<Opened>>> = const { RefCell::new(None) };
    /// The session token, opened with the data and dropped with it: a locked phone has no
    /// token, so it makes no signed-in request.
    static TOKEN: RefCell<Option<String>> = const { RefCell::new(None) };
}

fn keyring() -> Option<KeyRing> {
    LocalStorage::get(KEYRING).ok()
}

fn save(ring: &KeyRing) -> Result<(), UnlockError> {
    LocalStorage::set(KEYRING, ring).map_err(|e| UnlockError::Storage(e.to_string()))
}

pub fn status() -> Status {
    let ring = keyring();
    if OPEN.with(|o| o.borrow().is_some()) {
        return Status::Open {
            has_pin: ring.is_some_and(|r| r.pin.is_some()),
        };
    }
    match ring {
        None => Status::Fresh,
        Some(KeyRing {
            pin: Some(_),
            guard,
            ..
        }) if !guard.locked() => Status::PinLocked {
            tries_left: guard.remaining(),
        },
        Some(_) => Status::SignInLocked,
    }
}

pub fn is_open() -> bool {
    OPEN.with(|o| o.borrow().is_some())
}

/// Drops the key (and the session token) from memory; the data stays sealed on the phone.
pub fn lock() {
    OPEN.with(|o| o.borrow_mut().take());
    TOKEN.with(|t| t.borrow_mut().take());
}

async fn open_with(key: DataKey, cipher: CipherKind) -> Result<(), CryptoError> {
    // Opened another way (a password sign-in) while the PIN screen had prepared a derivation's
    // memory: give those 40 MiB back to the allocator.
    super::crypto::pin_memory::release();
    let cipher = Rc::new(DeviceCipher::new(&key, cipher).await?);
    OPEN.with(|o| *o.borrow_mut() = Some(Rc::new(Opened { key, cipher })));
    open_token().await;
    Ok(())
}

const TOKEN_AAD: &[u8] = SEALED_TOKEN.as_bytes();

/// Opens the kept session token into memory. One that does not open (sealed under a key this
/// phone replaced) is dropped: a password sign-in gives a new one.
async fn open_token() {
    let Ok(sealed) = LocalStorage::get::<String>(SEALED_TOKEN) else {
        return;
    };
    let opened = match (
        base64::engine::general_purpose::STANDARD.decode(sealed),
        cipher(),
    ) {
        (Ok(bytes), Ok(cipher)) => cipher.open(&bytes, TOKEN_AAD).await.ok(),
        _ => None,
    };
    match opened.and_then(|bytes| String::from_utf8(bytes).ok()) {
        Some(token) => TOKEN.with(|t| *t.borrow_mut() = Some(token)),
        None => {
            web_sys::console::warn_1(&"kept session token does not open; dropped".into());
            LocalStorage::delete(SEALED_TOKEN);
        }
    }
}

/// Keeps a new session token, sealed under the open data key; the data must be open.
pub async fn keep_token(token: &str) -> Result<(), UnlockError> {
    let sealed = cipher()
        .map_err(|_| UnlockError::NotOpen)?
        .seal(token.as_bytes(), TOKEN_AAD)
        .await?;
    let encoded = base64::engine::general_purpose::STANDARD.encode(sealed);
    LocalStorage::set(SEALED_TOKEN, encoded).map_err(|e| UnlockError::Storage(e.to_string()))?;
    TOKEN.with(|t| *t.borrow_mut() = Some(token.to_owned()));
    Ok(())
}

/// The session token, only while the data is open.
pub fn token() -> Option<String> {
    TOKEN.with(|t| t.borrow().clone())
}

/// Forgets the session token, sealed copy and all (sign-out).
pub fn forget_token() {
    TOKEN.with(|t| t.borrow_mut().take());
    LocalStorage::delete(SEALED_TOKEN);
}

/// What a signed-in request needs: the token and whose it is. Only while the data is open.
#[derive(Debug, Clone, PartialEq)]
pub struct Credentials {
    pub token: String,
    pub account: xiafang_core::account::Account,
}

pub fn credentials() -> Option<Credentials> {
    Some(Credentials {
        token: token()?,
        account: super::settings::session()?.account,
    })
}

/// Makes this phone's PIN derivation ready while the PIN screen waits for the cadre: its memory
/// (`crypto::pin_memory`) and its pepper key. The wait after "解锁" is then the derivation.
pub fn prepare_unlock() {
    let wrapped = keyring().and_then(|ring| ring.pin);
    if let Some(WrappedKey {
        kdf: PinKdf::Argon2idPeppered { m_kib, .. },
        ..
    }) = wrapped
    {
        super::crypto::pin_memory::prepare(m_kib);
        super::device_key::load_pepper_ahead();
    }
}

/// Opens the data with the PIN. A wrong PIN is counted (and stored) before it is reported; the
/// last allowed wrong PIN deletes the PIN-wrapped key.
pub async fn open_with_pin(pin: &str) -> Result<(), UnlockError> {
    let mut ring = keyring().ok_or(UnlockError::LockedOut)?;
    let wrapped = match &ring.pin {
        Some(w) if !ring.guard.locked() => w.clone(),
        _ => return Err(UnlockError::LockedOut),
    };
    match wrapped.unwrap(pin).await {
        Ok(key) => {
            ring.guard.succeeded();
            if !wrapped.is_current() {
                // Wrapped by an earlier version (PBKDF2 alone): wrapped again the current way
                // now that the PIN is known. Should that fail, the old wrapping still opens.
                match WrappedKey::wrap(&key, pin, ring.cipher).await {
                    Ok(rewrapped) => ring.pin = Some(rewrapped),
                    Err(e) => web_sys::console::warn_1(&format!("PIN key not renewed: {e}").into()),
                }
            }
            save(&ring)?;
            open_with(key, ring.cipher).await?;
            Ok(())
        }
        Err(CryptoError::WrongPin) => {
            ring.guard.failed();
            if ring.guard.locked() {
                ring.pin = None;
            }
            save(&ring)?;
            if ring.guard.locked() {
                Err(UnlockError::LockedOut)
            } else {
                Err(UnlockError::WrongPin {
                    tries_left: ring.guard.remaining(),
                })
            }
        }
        Err(e) => Err(e.into()),
    }
}

/// What a password sign-in found on the phone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignedInWith {
    /// The phone's existing data opened.
    Existing,
    /// A new data key: the phone held no data of this account (or held nothing that waited).
    NewKey,
}

/// Opens (or first creates) the data key with the server's secret from a password sign-in.
/// Data sealed under another account's key (or under a key the server's secret no longer opens)
/// is cleared first, but only when nothing of it waits for upload; otherwise the sign-in is
/// refused and nothing changes. Rows kept in the clear by an older version get sealed.
///
/// `cipher` is the deployment's current choice: what is sealed from now on uses it, and what was
/// sealed under another still opens (each sealed value names its cipher).
pub async fn open_with_sign_in(
    store: &Store,
    owner: &UserId,
    secret_b64: &str,
    cipher: CipherKind,
) -> Result<SignedInWith, UnlockError> {
    let opened = open_or_replace(store, owner, secret_b64, cipher).await?;
    store
        .seal_plain_rows()
        .await
        .map_err(|e| UnlockError::Storage(e.to_string()))?;
    Ok(opened)
}

async fn open_or_replace(
    store: &Store,
    owner: &UserId,
    secret_b64: &str,
    cipher: CipherKind,
) -> Result<SignedInWith, UnlockError> {
    let storage = |e: StoreError| UnlockError::Storage(e.to_string());
    let secret = base64::engine::general_purpose::STANDARD
        .decode(secret_b64)
        .map_err(|_| UnlockError::Crypto(CryptoError::Malformed("server secret not base64")))?;
    if let Some(mut ring) = keyring() {
        if &ring.owner == owner
            && let Ok(key) = ring.escrow.unwrap(&secret).await
        {
            ring.guard.reset_after_online_sign_in();
            ring.cipher = cipher;
            save(&ring)?;
            open_with(key, ring.cipher).await?;
            return Ok(SignedInWith::Existing);
        }
        let pending = store.pending_count().await.map_err(storage)?;
        if pending > 0 {
            return Err(UnlockError::OthersPending { pending });
        }
        lock();
        store.clear_all().await.map_err(storage)?;
    }
    let key = DataKey::generate()?;
    let escrow = EscrowedKey::wrap(&key, &secret, cipher).await?;
    let ring = KeyRing {
        owner: owner.clone(),
        cipher,
        pin: None,
        escrow,
        guard: PinGuard::default(),
    };
    save(&ring)?;
    open_with(key, cipher).await?;
    Ok(SignedInWith::NewKey)
}

/// Sets (or replaces) the PIN that reopens the data; the data must be open.
pub async fn set_pin(pin: &str) -> Result<(), UnlockError> {
    check_pin(pin).map_err(UnlockError::BadPin)?;
    let mut ring = keyring().ok_or(UnlockError::NotOpen)?;
    let opened = OPEN
        .with(|o| o.borrow().clone())
        .ok_or(UnlockError::NotOpen)?;
    ring.pin = Some(
        WrappedKey::wrap(&opened.key, pin, ring.cipher)
            .await
            .map_err(|e| match e {
                CryptoError::Pin(p) => UnlockError::BadPin(p),
                e => UnlockError::Crypto(e),
            })?,
    );
    ring.guard = PinGuard::default();
    save(&ring)
}

/// Forgets the key ring: called when the phone's database is erased.
pub fn forget() {
    lock();
    forget_token();
    LocalStorage::delete(KEYRING);
}

pub(crate) fn cipher() -> Result<Rc<DeviceCipher>, StoreError> {
    OPEN.with(|o| o.borrow().as_ref().map(|o| o.cipher.clone()))
        .ok_or(StoreError::Locked)
}

/// `value` as JSON, sealed under the open key and bound to `aad` (the row's key), as the bytes
/// IndexedDB stores.
pub(crate) async fn seal<T: serde::Serialize>(value: &T, aad: &str) -> Result<JsValue, StoreError> {
    let json = serde_json::to_vec(value).map_err(|e| StoreError::Other(e.to_string()))?;
    let sealed = cipher()?
        .seal(&json, aad.as_bytes())
        .await
        .map_err(|e| StoreError::Other(e.to_string()))?;
    Ok(Uint8Array::from(sealed.as_slice()).into())
}

/// Opens what `seal` stored under the same `aad`.
pub(crate) async fn open<T: serde::de::DeserializeOwned>(
    sealed: &JsValue,
    aad: &str,
) -> Result<T, StoreError> {
    let bytes = sealed
        .dyn_ref::<Uint8Array>()
        .map(Uint8Array::to_vec)
        .ok_or_else(|| StoreError::Corrupt("sealed value is not bytes".into()))?;
    let json = cipher()?
        .open(&bytes, aad.as_bytes())
        .await
        .map_err(|e| StoreError::Corrupt(e.to_string()))?;
    // Read as text, like every API answer (gloo's `Response::json`): serde's code for each type
    // is then instantiated for one reader only, not for both `StrRead` and `SliceRead`.
    let text = std::str::from_utf8(&json).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt(e.to_string()))
}

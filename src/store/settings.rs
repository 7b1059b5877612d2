//! Small things kept in localStorage: the session, this device's identity, the language and the
//! time of the last successful upload.

use chrono::{DateTime, Utc};
use gloo_storage::{LocalStorage, Storage};
use xiafang_core::sync::Account;
use xiafang_core::{DeviceId, Lang};

const SESSION: &str = "xiafang.session";
const DEVICE: &str = "xiafang.device";
const LANG: &str = "xiafang.lang";
const LAST_UPLOAD: &str = "xiafang.last_upload";

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Session {
    pub token: String,
    pub account: Account,
}

pub fn session() -> Option<Session> {
    LocalStorage::get(SESSION).ok()
}

pub fn save_session(session: &Session) -> Result<(), gloo_storage::errors::StorageError> {
    LocalStorage::set(SESSION, session)
}

/// Signing out forgets only the session: records not yet uploaded stay on the phone.
pub fn clear_session() {
    LocalStorage::delete(SESSION);
}

/// This browser's device id, created on first use.
pub fn device_id() -> DeviceId {
    if let Ok(id) = LocalStorage::get::<DeviceId>(DEVICE) {
        return id;
    }
    let id = DeviceId::new_random();
    if let Err(e) = LocalStorage::set(DEVICE, id) {
        // Without a stored id the next start makes a new one; uploads stay exactly-once because
        // the server also recognises each record by its own id.
        web_sys::console::warn_1(&format!("device id not stored: {e}").into());
    }
    id
}

pub(super) fn forget_device_id() {
    LocalStorage::delete(DEVICE);
}

pub fn lang() -> Lang {
    LocalStorage::get(LANG).unwrap_or_default()
}

pub fn save_lang(lang: Lang) -> Result<(), gloo_storage::errors::StorageError> {
    LocalStorage::set(LANG, lang)
}

pub fn last_upload() -> Option<DateTime<Utc>> {
    LocalStorage::get(LAST_UPLOAD).ok()
}

pub fn save_last_upload(at: DateTime<Utc>) -> Result<(), gloo_storage::errors::StorageError> {
    LocalStorage::set(LAST_UPLOAD, at)
}

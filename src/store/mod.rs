//! The phone's storage. Records, the upload queue (outbox) and the assigned files live in
//! IndexedDB (large, transactional); small settings and the session in localStorage
//! (`settings`). Views use only this module's typed functions, never `web_sys` storage.

mod blobs;
mod chains;
pub mod crypto;
pub mod device_key;
mod file_list;
mod idb;
mod overview;
mod persist;
mod records;
mod resend;
mod seal;
pub mod settings;
pub mod vault;

pub use blobs::WaitingBlob;
pub use chains::{FileChainState, SeenStatement};
pub use persist::{Persistence, ensure_persistent};
pub use records::{FileOnPhone, LocalRecord, counted};

use std::cell::RefCell;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{IdbDatabase, IdbObjectStoreParameters, IdbOpenDbRequest};

/// The database the app uses; tests open others by name.
pub const DB_NAME: &str = "xiafang";
/// 1: records, outbox, files. 2: `meta` (the pull cursor). 3: `blobs` (photos, signatures).
const DB_VERSION: u32 = 3;

pub(crate) const RECORDS: &str = "records";
pub(crate) const OUTBOX: &str = "outbox";
pub(crate) const FILES: &str = "files";
pub(crate) const BY_FILE: &str = "by_file";
/// Small values keyed by name, written in the same transactions as the data they describe.
pub(crate) const META: &str = "meta";
/// Images (photos, signatures) keyed by their SHA-256.
pub(crate) const BLOBS: &str = "blobs";

/// Why the phone's storage refused something.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum StoreError {
    /// The browser is out of room for this site.
    #[error("storage quota exceeded")]
    Quota,
    /// IndexedDB cannot be opened (private mode, disabled, old browser).
    #[error("storage unavailable: {0}")]
    Unavailable(String),
    /// The data is sealed and the app is locked: the PIN or a sign-in opens it.
    #[error("the phone's data is locked")]
    Locked,
    /// A stored value could not be read back.
    #[error("stored data unreadable: {0}")]
    Corrupt(String),
    #[error("storage error: {0}")]
    Other(String),
}

impl StoreError {
    pub(crate) fn from_js(value: JsValue) -> Self {
        if let Some(dom) = value.dyn_ref::<web_sys::DomException>()
            && dom.name() == "QuotaExceededError"
        {
            return StoreError::Quota;
        }
        StoreError::Other(crate::js_error::text(&value))
    }
}

/// An open handle on the phone's database.
#[derive(Clone)]
pub struct Store {
    db: IdbDatabase,
}

thread_local! {
    static SHARED: RefCell<Option<Store>> = const { RefCell::new(None) };
}

/// The app's database, opened on first use.
pub async fn shared() -> Result<Store, StoreError> {
    if let Some(store) = SHARED.with(|s| s.borrow().clone()) {
        return Ok(store);
    }
    let store = Store::open(DB_NAME).await?;
    SHARED.with(|s| *s.borrow_mut() = Some(store.clone()));
    Ok(store)
}

/// Erases the app's database from this browser: a revoked (lost) phone's copy of everyone's
/// data. Called only once the server holds everything that waited in the outbox.
pub async fn erase_all() -> Result<(), StoreError> {
    if let Some(store) = SHARED.with(|s| s.borrow_mut().take()) {
        store.close();
    }
    let factory = web_sys::window()
        .ok_or_else(|| StoreError::Unavailable("no window".into()))?
        .indexed_db()
        .map_err(|e| StoreError::Unavailable(crate::js_error::text(&e)))?
        .ok_or_else(|| StoreError::Unavailable("IndexedDB is disabled".into()))?;
    let request = factory
        .delete_database(DB_NAME)
        .map_err(StoreError::from_js)?;
    idb::request(&request).await.map(|_| ())
}

impl Store {
    pub async fn open(name: &str) -> Result<Store, StoreError> {
        let factory = web_sys::window()
            .ok_or_else(|| StoreError::Unavailable("no window".into()))?
            .indexed_db()
            .map_err(|e| StoreError::Unavailable(crate::js_error::text(&e)))?
            .ok_or_else(|| StoreError::Unavailable("IndexedDB is disabled".into()))?;
        let open: IdbOpenDbRequest = factory
            .open_with_u32(name, DB_VERSION)
            .map_err(StoreError::from_js)?;
        let upgrading = open.clone();
        let on_upgrade = Closure::once_into_js(move |event: web_sys::IdbVersionChangeEvent| {
            if let Err(e) = create_schema(&upgrading, event.old_version()) {
                web_sys::console::error_1(&e);
            }
        });
        open.set_onupgradeneeded(Some(on_upgrade.unchecked_ref()));
        let db = idb::request(&open).await?;
        let db: IdbDatabase = db
            .dyn_into()
            .map_err(|_| StoreError::Unavailable("open did not return a database".into()))?;
        // A newer version of the app opened in another tab must not wait for this one to
        // close: step aside, and the next use here reopens the database.
        let closing = db.clone();
        let on_version_change = Closure::once_into_js(move || {
            closing.close();
            SHARED.with(|s| s.borrow_mut().take());
        });
        db.set_onversionchange(Some(on_version_change.unchecked_ref()));
        Ok(Store { db })
    }

    /// Closes this handle; the data stays. Used where a fresh start is simulated.
    pub fn close(&self) {
        self.db.close();
    }
}

fn create_schema(open: &IdbOpenDbRequest, old_version: f64) -> Result<(), JsValue> {
    let db: IdbDatabase = open.result()?.dyn_into()?;
    if old_version < 1.0 {
        // A brand-new database restarts the outbox numbering, so it must also be a new device
        // to the server: otherwise the server would answer new records with old outcomes.
        settings::forget_device_id();
        let records = db.create_object_store_with_optional_parameters(RECORDS, &keyed_by("id"))?;
        records.create_index_with_str(BY_FILE, "file_id")?;
        let outbox = keyed_by("seq");
        outbox.set_auto_increment(true);
        db.create_object_store_with_optional_parameters(OUTBOX, &outbox)?;
        db.create_object_store_with_optional_parameters(FILES, &keyed_by("id"))?;
    }
    if old_version < 2.0 {
        // Only adds a store: what version 1 kept stays. Without a cursor the next download
        // starts the feed from the beginning, which replaces the files downloaded before.
        db.create_object_store(META)?;
    }
    if old_version < 3.0 {
        // Only adds a store: records made before it had no images.
        let blobs = db.create_object_store_with_optional_parameters(BLOBS, &keyed_by("sha256"))?;
        blobs.create_index_with_str(blobs::BY_STATE, "state")?;
    }
    Ok(())
}

fn keyed_by(path: &str) -> IdbObjectStoreParameters {
    let params = IdbObjectStoreParameters::new();
    params.set_key_path(&JsValue::from_str(path));
    params
}

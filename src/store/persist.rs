//! Asking the browser to keep this site's storage when the phone runs short of room
//! (`navigator.storage.persist()`): otherwise it may clear records that are not uploaded yet.

use super::settings;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

/// What the browser said about keeping the phone's storage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Persistence {
    /// The browser keeps the storage until the user clears it.
    Granted,
    /// The browser may clear the storage when space runs low.
    Refused,
    /// The browser cannot be asked (an old browser, or the API is blocked).
    Unsupported,
}

/// Asks once per phone; later calls only look whether the browser has granted it since
/// (installing the app to the home screen can), without asking again.
pub async fn ensure_persistent() -> Persistence {
    let Some(storage) = storage_manager() else {
        return Persistence::Unsupported;
    };
    let asked = settings::persistence_asked();
    let promise = if asked {
        storage.persisted()
    } else {
        storage.persist()
    };
    let granted = match promise {
        Ok(p) => JsFuture::from(p).await.ok().and_then(|v| v.as_bool()),
        Err(_) => None,
    };
    let Some(granted) = granted else {
        return Persistence::Unsupported;
    };
    if !asked && let Err(e) = settings::save_persistence_asked() {
        // Only costs asking again at the next start.
        web_sys::console::warn_1(&format!("storage persistence answer not kept: {e}").into());
    }
    if granted {
        Persistence::Granted
    } else {
        Persistence::Refused
    }
}

fn storage_manager() -> Option<web_sys::StorageManager> {
    let navigator = web_sys::window()?.navigator();
    let storage = js_sys::Reflect::get(&navigator, &JsValue::from_str("storage")).ok()?;
    if storage.is_undefined() || storage.is_null() {
        return None;
    }
    Some(navigator.storage())
}

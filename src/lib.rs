//! Xiafang's PWA: an offline-first field app for cadres who visit petitioners at home.
//!
//! Everything a cadre saves goes to the phone's storage first (`store`) and reaches the case
//! server through the upload engine (`sync`); pages only render and call those two.

pub mod api;
mod app;
pub mod changes;
mod components;
mod crash;
mod fetched;
mod first_paint;
pub mod i18n;
pub mod js_error;
mod later;
pub mod lock;
pub mod nav;
mod pages;
pub mod probe;
pub mod store;
pub mod sync;

pub use app::App;

/// Mounts the app and registers the service worker that keeps it working offline.
pub fn start() {
    crash::expose_trigger();
    register_service_worker();
    probe::expose();
    leptos::mount::mount_to_body(App);
}

fn register_service_worker() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let container = window.navigator().service_worker();
    // The promise's failure is only logged: the app works online without a service worker.
    let promise = container.register("/sw.js");
    wasm_bindgen_futures::spawn_local(async move {
        if let Err(e) = wasm_bindgen_futures::JsFuture::from(promise).await {
            web_sys::console::warn_2(&"service worker not registered".into(), &e);
        }
    });
}

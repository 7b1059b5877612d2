//! What an office screen (审核, 案件期限, 统计, 台账, administration, print, 督办) is in the field
//! bundle: the download of the office bundle. A cadre's phone never opens one, so it never pays
//! for them; a supervisor's phone fetches the office bundle once, here, and from then on starts
//! with it (the start-up script in index.html picks the bundle, `cargo xtask build` writes it).
//!
//! The start-up script's `__xiafang_office()` stores the office files in the service worker's
//! cache (so they open offline from then on), marks the phone and reloads at the same address.
//! The reload drops the data key from memory, so the unlock page asks for the PIN once
//! (`OFFICE_JUST_LOADED` tells it why).

use super::unlock::OFFICE_JUST_LOADED;
use crate::app::{NotFound, SignedIn};
use crate::i18n::{Msg, use_i18n};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use xiafang_core::account::Role;

#[derive(Clone, Copy, PartialEq)]
enum State {
    Loading,
    Failed,
}

#[component]
pub fn OfficeScreen() -> impl IntoView {
    let role = expect_context::<SignedIn>()
        .0
        .get_untracked()
        .map(|s| s.account.role);
    // Only the office's accounts have office screens: anyone else's phone downloads nothing.
    match role {
        Some(Role::Supervisor | Role::Admin) => view! { <Download /> }.into_any(),
        _ => view! { <NotFound /> }.into_any(),
    }
}

#[component]
fn Download() -> impl IntoView {
    let i18n = use_i18n();
    let state = RwSignal::new(State::Loading);
    let fetch = move || {
        state.set(State::Loading);
        leptos::task::spawn_local(async move {
            if let Err(e) = fetch_office().await {
                web_sys::console::warn_2(&"office screens not downloaded".into(), &e);
                state.set(State::Failed);
            }
        });
    };
    fetch();
    view! {
        <section class="card" data-testid="office-loading" aria-live="polite">
            {move || match state.get() {
                State::Loading => view! { <p>{i18n.t(Msg::OfficeLoading)}</p> }.into_any(),
                State::Failed => view! {
                    <p class="error" role="alert" data-testid="office-offline">{i18n.t(Msg::OfficeNeedsNetwork)}</p>
                    <button class="primary" on:click=move |_| fetch()>{i18n.t(Msg::Retry)}</button>
                }.into_any(),
            }}
        </section>
    }
}

/// Calls the start-up script's `__xiafang_office`; it reloads the page when it succeeds.
async fn fetch_office() -> Result<(), wasm_bindgen::JsValue> {
    let window = web_sys::window().ok_or("no window")?;
    let load = js_sys::Reflect::get(&window, &"__xiafang_office".into())?
        .dyn_into::<js_sys::Function>()
        .map_err(|_| "the start-up script has no __xiafang_office (a development build?)")?;
    if let Ok(Some(session)) = window.session_storage() {
        let _ = session.set_item(OFFICE_JUST_LOADED, "1");
    }
    let promise = load.call0(&window)?.dyn_into::<js_sys::Promise>()?;
    let done = JsFuture::from(promise).await;
    if done.is_err()
        && let Ok(Some(session)) = window.session_storage()
    {
        let _ = session.remove_item(OFFICE_JUST_LOADED);
    }
    done.map(|_| ())
}

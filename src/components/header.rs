//! The top bar: app name, the signed-in cadre, language switch, 锁定 (the PIN opens it again)
//! and sign-out; under them, a row with the supervisor's console or the administrator's 管理.

use crate::api::{self, ApiFailure};
use crate::app::{DataLock, SignedIn};
use crate::i18n::{Msg, use_i18n};
use crate::nav::current;
use crate::store::vault::Status;
use crate::store::{self, settings};
use leptos::prelude::*;
use leptos::task::spawn_local;
use xiafang_core::Lang;
use xiafang_core::account::Role;

#[component]
pub fn Header() -> impl IntoView {
    let i18n = use_i18n();
    let SignedIn(session) = expect_context::<SignedIn>();
    let lock = expect_context::<DataLock>();
    let nav = crate::nav::use_nav();
    let switch_language = move |_| {
        let next = match i18n.lang() {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        };
        i18n.set_lang(next);
        if let Err(e) = settings::save_lang(next) {
            web_sys::console::warn_1(&format!("language not kept: {e}").into());
        }
    };
    let sign_out = move |_| {
        spawn_local(async move {
            // The server ends the session first, so its token opens nothing any more; a phone
            // offline (or locked, with no token) forgets it anyway and says how long the server
            // keeps it: usable only with this phone's key, until it expires.
            let ended = match store::vault::token() {
                Some(token) => match api::logout(&token).await {
                    Ok(()) | Err(ApiFailure::Refused { .. }) => true,
                    Err(
                        ApiFailure::Offline | ApiFailure::Unreadable(_) | ApiFailure::Device(_),
                    ) => false,
                },
                None => false,
            };
            if !ended {
                settings::note_signed_out_offline(
                    session.with_untracked(|s| s.as_ref().and_then(|s| s.expires)),
                );
            }
            // The data stays on the phone, sealed: records not yet uploaded are never deleted.
            store::vault::forget_token();
            lock.lock();
            settings::clear_session();
            session.set(None);
            nav.go("/login");
        });
    };
    // Only a convenience: the server refuses administration to everyone else anyway.
    let is_admin =
        move || session.with(|s| s.as_ref().is_some_and(|s| s.account.role == Role::Admin));
    let is_supervisor = move || {
        session.with(|s| {
            s.as_ref()
                .is_some_and(|s| s.account.role == Role::Supervisor)
        })
    };
    view! {
        <header class="top">
            <a href="/" class="brand">{move || i18n.t(Msg::AppName)}</a>
            <span class="who">
                {move || session.get().map(|s| s.account.display_name)}
            </span>
            <button class="link" on:click=switch_language>
                {move || i18n.t(Msg::SwitchLanguage)}
            </button>
            <Show when=move || lock.status() == (Status::Open { has_pin: true })>
                <button class="link" on:click=move |_| lock.lock()>{move || i18n.t(Msg::Lock)}</button>
            </Show>
            <Show when=move || session.get().is_some()>
                <button class="link" on:click=sign_out>{move || i18n.t(Msg::SignOut)}</button>
            </Show>
            // The role's own screens take a row of their own under the rest (last in the markup,
            // so the keyboard and a screen reader meet them where they are seen): on a 360 px
            // phone one row cannot hold them beside the name and the buttons without breaking words.
            <Show when=is_supervisor>
                <nav class="console" data-testid="console-nav">
                    <a href="/review" class="link" aria-current=current("/review")>{move || i18n.t(Msg::NavReview)}</a>
                    <a href="/cases" class="link" aria-current=current("/cases")>{move || i18n.t(Msg::NavCases)}</a>
                    <a href="/tasks" class="link" aria-current=current("/tasks")>{move || i18n.t(Msg::NavTasks)}</a>
                    <a href="/figures" class="link" aria-current=current("/figures")>{move || i18n.t(Msg::NavFigures)}</a>
                    <a href="/ledgers" class="link" aria-current=current("/ledgers")>{move || i18n.t(Msg::NavLedgers)}</a>
                </nav>
            </Show>
            <Show when=is_admin>
                <nav class="console">
                    <a href="/admin" class="link" aria-current=current("/admin")>{move || i18n.t(Msg::Admin)}</a>
                </nav>
            </Show>
        </header>
    }
}

//! 登录: the one step that needs a connection; afterwards the phone works offline.

use crate::api::{self, ApiFailure};
use crate::app::SignedIn;
use crate::i18n::{Msg, use_i18n};
use crate::store::settings::{self, Session};
use crate::sync::SyncStatus;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;

#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    let SignedIn(session) = expect_context::<SignedIn>();
    let sync = expect_context::<SyncStatus>();
    let navigate = use_navigate();
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    // A phone erased on an administrator's order says so once, on the page it lands on.
    let erased = settings::take_erased().then(|| i18n.t(Msg::DeviceErased).to_owned());
    let error = RwSignal::new(erased);
    let busy = RwSignal::new(false);

    if session.get_untracked().is_some() {
        navigate("/", Default::default());
    }

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (user, pass) = (username.get(), password.get());
        if user.trim().is_empty() || pass.is_empty() {
            error.set(Some(i18n.t(Msg::FillUsernamePassword).to_owned()));
            return;
        }
        busy.set(true);
        error.set(None);
        let navigate = navigate.clone();
        spawn_local(async move {
            let result = api::login(&user, &pass).await;
            busy.set(false);
            let lang = i18n.lang();
            match result {
                Ok(res) => {
                    let signed_in = Session {
                        token: res.token,
                        account: res.account,
                    };
                    if let Err(e) = settings::save_session(&signed_in) {
                        error.set(Some(format!("{}：{e}", Msg::StorageProblem.text(lang))));
                        return;
                    }
                    session.set(Some(signed_in));
                    password.set(String::new());
                    sync.problem.set(None);
                    sync.check_storage_persistence();
                    sync.upload_now();
                    navigate("/", Default::default());
                }
                Err(ApiFailure::Offline) => {
                    error.set(Some(Msg::SignInNeedsNetwork.text(lang).to_owned()))
                }
                Err(ApiFailure::Refused { code, .. }) => {
                    error.set(Some(code.label(lang).to_owned()))
                }
                Err(ApiFailure::Unreadable(_)) => {
                    error.set(Some(Msg::SignInFailed.text(lang).to_owned()))
                }
            }
        });
    };

    view! {
        <form class="card login" on:submit=submit>
            <h1>{move || i18n.t(Msg::SignInTitle)}</h1>
            <label class="field">
                <span class="label">{move || i18n.t(Msg::Username)}</span>
                <input
                    name="username"
                    autocomplete="username"
                    autocapitalize="off"
                    prop:value=move || username.get()
                    on:input:target=move |ev| username.set(ev.target().value())
                />
            </label>
            <label class="field">
                <span class="label">{move || i18n.t(Msg::Password)}</span>
                <input
                    name="password"
                    type="password"
                    autocomplete="current-password"
                    prop:value=move || password.get()
                    on:input:target=move |ev| password.set(ev.target().value())
                />
            </label>
            {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            <button type="submit" class="primary" disabled=move || busy.get()>
                {move || if busy.get() { i18n.t(Msg::SigningIn) } else { i18n.t(Msg::SignIn) }}
            </button>
        </form>
    }
}

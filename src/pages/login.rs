//! 登录: the one step that needs a connection; afterwards the phone works offline. A password
//! sign-in also opens (or first creates) the phone's encrypted data with the server's secret
//! for this phone, so it is what opens the data after wrong PINs locked it.

use crate::api::{self, ApiFailure};
use crate::app::{DataLock, SignedIn};
use crate::components::PlainField;
use crate::i18n::{Msg, use_i18n};
use crate::pages::unlock::explain;
use crate::store::settings::{self, Session};
use crate::store::{self, vault};
use crate::sync::SyncStatus;
use leptos::prelude::*;
use leptos::task::spawn_local;
use xiafang_core::dates::DayMinute;
use xiafang_core::session::LoginResponse;

#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    let SignedIn(session) = expect_context::<SignedIn>();
    let sync = expect_context::<SyncStatus>();
    let lock = expect_context::<DataLock>();
    let nav = crate::nav::use_nav();
    // Shown in place of a page while the data is sealed: the cadre signed in before.
    let known = session.get_untracked().map(|s| s.account.username);
    let username = RwSignal::new(known.clone().unwrap_or_default());
    let password = RwSignal::new(String::new());
    // A phone erased on an administrator's order says so once, on the page it lands on.
    let erased = settings::take_erased().then(|| i18n.t(Msg::DeviceErased).to_owned());
    // A sign-out that could not reach the server says how long the server keeps the session.
    let erased = erased.or_else(|| {
        settings::take_signed_out_offline().map(|until| {
            let until = until.map_or_else(
                || i18n.t(Msg::SessionDaysLeft).to_owned(),
                |at| DayMinute(at.with_timezone(&chrono::Local)).to_string(),
            );
            format!("{}{until}", i18n.t(Msg::SignedOutOffline))
        })
    });
    let why = match vault::status() {
        vault::Status::SignInLocked if known.is_some() => Some(Msg::SignInToUnlock),
        _ => None,
    };
    let error = RwSignal::new(erased.or(why.map(|m| i18n.t(m).to_owned())));
    let busy = RwSignal::new(false);

    crate::first_paint::hand_over();
    if session.get_untracked().is_some() && vault::is_open() {
        // After this screen is built: entering an address builds the screen it names.
        queue_microtask(move || nav.go("/"));
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
        spawn_local(async move {
            let result = match api::login(&user, &pass).await {
                Ok(res) => open_data(&res).await.map(|()| res),
                Err(ApiFailure::Device(why)) => Err(Failed::Data(Box::new(move |lang| {
                    format!("{}：{why}", Msg::DeviceKeyProblem.text(lang))
                }))),
                Err(e) => Err(Failed::Api(e)),
            };
            busy.set(false);
            lock.refresh();
            let lang = i18n.lang();
            let result = match result {
                Err(Failed::Data(why)) => {
                    error.set(Some(why(lang)));
                    return;
                }
                Err(Failed::Api(e)) => Err(e),
                Ok(res) => Ok(res),
            };
            match result {
                Ok(res) => {
                    let signed_in = Session {
                        account: res.account,
                        expires: Some(
                            chrono::Utc::now()
                                + chrono::Duration::days(xiafang_core::session::SESSION_DAYS),
                        ),
                    };
                    // Sealed with the data, never in the clear (the data was opened above).
                    let kept = match vault::keep_token(&res.token).await {
                        Ok(()) => settings::save_session(&signed_in).map_err(|e| e.to_string()),
                        Err(e) => Err(e.to_string()),
                    };
                    if let Err(e) = kept {
                        error.set(Some(format!("{}：{e}", Msg::StorageProblem.text(lang))));
                        return;
                    }
                    session.set(Some(signed_in));
                    password.set(String::new());
                    sync.problem.set(None);
                    sync.check_storage_persistence();
                    sync.upload_now();
                    if nav.pathname_untracked() == "/login" {
                        nav.go("/");
                    }
                }
                Err(ApiFailure::Offline) => {
                    error.set(Some(Msg::SignInNeedsNetwork.text(lang).to_owned()))
                }
                Err(ApiFailure::Refused { code, .. }) => {
                    error.set(Some(code.label(lang).to_owned()))
                }
                Err(ApiFailure::Unreadable(_) | ApiFailure::Device(_)) => {
                    error.set(Some(Msg::SignInFailed.text(lang).to_owned()))
                }
            }
        });
    };

    view! {
        <form class="card login" on:submit=submit>
            <h1>{move || i18n.t(Msg::SignInTitle)}</h1>
            <PlainField name="username" label=Msg::Username value=username autocomplete="username" />
            <PlainField
                name="password"
                label=Msg::Password
                value=password
                input_type="password"
                autocomplete="current-password"
            />
            {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            <button type="submit" class="primary" disabled=move || busy.get()>
                {move || if busy.get() { i18n.t(Msg::SigningIn) } else { i18n.t(Msg::SignIn) }}
            </button>
        </form>
    }
}

/// Why a sign-in the server accepted still did not get through.
enum Failed {
    Api(ApiFailure),
    /// The phone's data could not be opened: the message, in the user's language.
    Data(Box<dyn Fn(xiafang_core::Lang) -> String>),
}

/// Opens the phone's encrypted data with the server's secret from this sign-in (creating the
/// data key on the first one). Nothing is kept of a sign-in whose data did not open.
async fn open_data(res: &LoginResponse) -> Result<(), Failed> {
    let Some(secret) = res.device_secret.as_deref() else {
        return Err(Failed::Data(Box::new(|lang| {
            Msg::NoDeviceSecret.text(lang).to_owned()
        })));
    };
    let store = store::shared().await.map_err(|e| {
        Failed::Data(Box::new(move |lang| {
            format!("{}：{e}", Msg::StorageProblem.text(lang))
        }))
    })?;
    let cipher = res.device_cipher.unwrap_or_default();
    vault::open_with_sign_in(&store, &res.account.id, secret, cipher)
        .await
        .map(drop)
        .map_err(|e| Failed::Data(Box::new(move |lang| explain(&e, lang))))
}

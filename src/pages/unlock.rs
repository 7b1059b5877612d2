//! 解锁: the PIN that opens the phone's encrypted data offline, and setting it after a sign-in.
//! Shown in place of whatever page was open, which comes back once the data is open.

use crate::app::DataLock;
use crate::components::PlainField;
use crate::i18n::{Msg, use_i18n};
use crate::store::vault::{self, UnlockError};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// What an unlock or PIN error says to the cadre.
pub fn explain(e: &UnlockError, lang: xiafang_core::Lang) -> String {
    match e {
        UnlockError::WrongPin { tries_left } => format!("{}{tries_left}", Msg::PinWrong.text(lang)),
        UnlockError::LockedOut => Msg::PinLockedSignInOnline.text(lang).to_owned(),
        UnlockError::BadPin(problem) => problem.message(lang).to_owned(),
        UnlockError::OthersPending { pending } => {
            format!("{}{pending}", Msg::OthersPending.text(lang))
        }
        UnlockError::NotOpen => Msg::SignInToUnlock.text(lang).to_owned(),
        UnlockError::Crypto(_) => Msg::CryptoFailed.text(lang).to_owned(),
        UnlockError::Storage(why) => format!("{}：{why}", Msg::StorageProblem.text(lang)),
    }
}

#[component]
pub fn UnlockPage() -> impl IntoView {
    let i18n = use_i18n();
    let lock = expect_context::<DataLock>();
    crate::first_paint::hand_over();
    vault::prepare_unlock();
    let pin = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        spawn_local(async move {
            let result = vault::open_with_pin(&pin.get_untracked()).await;
            busy.set(false);
            pin.set(String::new());
            match result {
                Ok(()) => error.set(None),
                Err(e) => {
                    error.set(Some(explain(&e, i18n.lang())));
                    // Still on this screen for another try (a lockout moves to sign-in).
                    vault::prepare_unlock();
                }
            }
            // Opened: the screen shows the app and the sync engine starts (`DataLock::refresh`).
            // A lockout changes the screen to the sign-in page, which says why.
            lock.refresh();
        });
    };
    let use_password = move |_| lock.require_sign_in();
    view! {
        <form class="card login" on:submit=submit>
            <h1>{move || i18n.t(Msg::UnlockTitle)}</h1>
            <p class="hint">{move || i18n.t(Msg::UnlockExplain)}</p>
            <PlainField name="pin" label=Msg::Pin value=pin input_type="password" inputmode="numeric" />
            {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            <button type="submit" class="primary" disabled=move || busy.get()>
                {move || if busy.get() { i18n.t(Msg::Unlocking) } else { i18n.t(Msg::Unlock) }}
            </button>
            <button type="button" class="link" on:click=use_password>
                {move || i18n.t(Msg::UsePassword)}
            </button>
        </form>
    }
}

#[component]
pub fn SetPinPage() -> impl IntoView {
    let i18n = use_i18n();
    let lock = expect_context::<DataLock>();
    crate::first_paint::hand_over();
    let pin = RwSignal::new(String::new());
    let again = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (first, second) = (pin.get_untracked(), again.get_untracked());
        if first != second {
            error.set(Some(i18n.t(Msg::PinsDiffer).to_owned()));
            return;
        }
        busy.set(true);
        spawn_local(async move {
            let result = vault::set_pin(&first).await;
            busy.set(false);
            match result {
                Ok(()) => error.set(None),
                Err(e) => error.set(Some(explain(&e, i18n.lang()))),
            }
            lock.refresh();
        });
    };
    view! {
        <form class="card login" on:submit=submit>
            <h1>{move || i18n.t(Msg::SetPinTitle)}</h1>
            <p class="hint">{move || i18n.t(Msg::SetPinExplain)}</p>
            <PlainField name="new-pin" label=Msg::Pin value=pin input_type="password" inputmode="numeric" />
            <PlainField name="new-pin-again" label=Msg::PinAgain value=again input_type="password" inputmode="numeric" />
            {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            <button type="submit" class="primary" disabled=move || busy.get()>
                {move || i18n.t(Msg::SavePin)}
            </button>
        </form>
    }
}

//! The accounts of the administrator's area: the list (with disable / enable), a new account,
//! and a password reset.

use super::links::{AccountSelect, PlaceSelect};
use super::{AdminCtx, Outcome, OutcomeLine, SubmitButton};
use crate::api;
use crate::components::Choice;
use crate::components::PlainField;
use crate::i18n::{Msg, use_i18n};
use leptos::prelude::*;
use xiafang_core::UserId;
use xiafang_core::{
    account::{LegalTitle, Role},
    admin::{AccountSummary, NewAccount, PasswordReset},
};

#[component]
pub(super) fn AccountList() -> impl IntoView {
    let i18n = use_i18n();
    let admin = expect_context::<AdminCtx>();
    let outcome = Outcome::new();
    view! {
        <section class="card">
            <h2>{move || i18n.t(Msg::Accounts)}</h2>
            <Show
                when=move || !admin.list().is_empty()
                fallback=move || view! { <p class="muted">{i18n.t(Msg::NoAccounts)}</p> }
            >
                <ul class="accounts" data-testid="accounts">
                    <For
                        each=move || admin.list()
                        key=|a| (a.account.id.clone(), a.disabled, a.account.display_name.clone())
                        let:summary
                    >
                        <AccountRow summary outcome />
                    </For>
                </ul>
            </Show>
            <OutcomeLine outcome />
        </section>
    }
}

#[component]
fn AccountRow(summary: AccountSummary, outcome: Outcome) -> impl IntoView {
    let i18n = use_i18n();
    let admin = expect_context::<AdminCtx>();
    let me = admin.is_me(&summary);
    let AccountSummary {
        account,
        place_id,
        disabled,
    } = summary;
    let id = account.id.clone();
    let toggle = move |_| {
        let (token, id) = (admin.token(), id.clone());
        let done = if disabled {
            Msg::AccountEnabled
        } else {
            Msg::AccountDisabled
        };
        outcome.run(
            async move { api::set_account_disabled(&token, &id, !disabled).await },
            done,
            move || admin.reload(),
        );
    };
    view! {
        <li data-username=account.username.clone() class:disabled=disabled>
            <div class="who">
                <strong>{account.display_name.clone()}</strong>
                <span class="muted">{account.username.clone()}</span>
                <span class="muted small">
                    {move || format!("{} · {place_id}", account.role.label(i18n.lang()))}
                </span>
                {disabled
                    .then(|| view! { <span class="badge">{move || i18n.t(Msg::DisabledBadge)}</span> })}
            </div>
            {(!me)
                .then(|| {
                    view! {
                        <button class="small" on:click=toggle disabled=move || outcome.busy.get()>
                            {move || i18n.t(if disabled { Msg::Enable } else { Msg::Disable })}
                        </button>
                    }
                })}
        </li>
    }
}

#[component]
pub(super) fn NewAccountForm() -> impl IntoView {
    let i18n = use_i18n();
    let admin = expect_context::<AdminCtx>();
    let outcome = Outcome::new();
    let username = RwSignal::new(String::new());
    let display_name = RwSignal::new(String::new());
    let role = RwSignal::new(Role::Cadre);
    let title = RwSignal::new(LegalTitle::Lawyer);
    let place_id = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let new = NewAccount {
            username: username.get().trim().to_owned(),
            display_name: display_name.get().trim().to_owned(),
            role: role.get(),
            legal_title: (role.get() == Role::Legal).then(|| title.get()),
            place_id: place_id.get().trim().to_owned(),
            password: password.get(),
        };
        let token = admin.token();
        outcome.run(
            async move { api::create_account(&token, &new).await.map(drop) },
            Msg::AccountCreated,
            move || {
                for field in [username, display_name, place_id, password] {
                    field.set(String::new());
                }
                admin.reload();
            },
        );
    };
    view! {
        <form class="card" data-testid="new-account" on:submit=submit novalidate>
            <h2>{move || i18n.t(Msg::NewAccountTitle)}</h2>
            <PlainField name="new-username" label=Msg::Username value=username hint=Msg::UsernameHint />
            <PlainField name="new-display-name" label=Msg::DisplayName value=display_name />
            <Choice name="new-role" label=Msg::RoleLabel value=role />
            <Show when=move || role.get() == Role::Legal>
                <Choice name="new-legal-title" label=Msg::LegalTitleLabel value=title />
            </Show>
            <PlaceSelect name="new-place" label=Msg::PlaceLabel value=place_id />
            <PlainField
                name="new-password"
                label=Msg::FirstPassword
                value=password
                hint=Msg::PasswordHint
                input_type="password"
                autocomplete="new-password"
            />
            <OutcomeLine outcome />
            <SubmitButton outcome label=Msg::CreateAccount />
        </form>
    }
}

#[component]
pub(super) fn PasswordForm() -> impl IntoView {
    let i18n = use_i18n();
    let admin = expect_context::<AdminCtx>();
    let outcome = Outcome::new();
    let account = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (token, id) = (admin.token(), UserId(account.get()));
        let reset = PasswordReset {
            password: password.get(),
        };
        outcome.run(
            async move { api::reset_password(&token, &id, &reset).await },
            Msg::PasswordWasReset,
            move || password.set(String::new()),
        );
    };
    view! {
        <form class="card" data-testid="reset-password" on:submit=submit novalidate>
            <h2>{move || i18n.t(Msg::ResetPasswordTitle)}</h2>
            <AccountSelect name="reset-account" value=account />
            <PlainField
                name="reset-password"
                label=Msg::NewPassword
                value=password
                hint=Msg::PasswordHint
                input_type="password"
                autocomplete="new-password"
            />
            <OutcomeLine outcome />
            <SubmitButton outcome label=Msg::ResetPasswordTitle />
        </form>
    }
}

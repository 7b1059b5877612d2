//! Picking a case-owning leader (包案领导) from the accounts the supervisor may name, kept on the
//! phone since the last sync (`settings::team().leaders`), so it works offline. The first choice
//! is a leader without an account, typed by name and post (未开通账号).

use crate::i18n::{Msg, use_i18n};
use crate::store::settings;
use leptos::prelude::*;
use xiafang_core::UserId;
use xiafang_core::leader_accounts::LeaderAccount;

#[component]
pub fn LeaderPick(account: RwSignal<Option<UserId>>, name: RwSignal<String>) -> impl IntoView {
    let i18n = use_i18n();
    let mut choices: Vec<LeaderAccount> = settings::team().leaders;
    // An amendment keeps the account it named, even if the list no longer has it.
    if let Some(id) = account.get_untracked()
        && !choices.iter().any(|c| c.id == id)
    {
        choices.push(LeaderAccount {
            id,
            name: name.get_untracked(),
            place: String::new(),
        });
    }
    let options = choices
        .iter()
        .map(|c| {
            let id = c.id.clone();
            let label = match c.place.as_str() {
                "" => c.name.clone(),
                place => format!("{}（{place}）", c.name),
            };
            view! {
                <option value=id.0.clone() selected=move || account.get().as_ref() == Some(&id)>
                    {label}
                </option>
            }
        })
        .collect_view();
    let pick = move |key: String| {
        let chosen = choices.iter().find(|c| c.id.0 == key);
        account.set(chosen.map(|c| c.id.clone()));
        if let Some(c) = chosen {
            name.set(c.name.clone());
        }
    };
    view! {
        <label class="field">
            <span class="label">{move || i18n.t(Msg::LeaderAccountLabel)}</span>
            <select name="leader_account" on:change:target=move |ev| pick(ev.target().value())>
                <option value="" selected=move || account.get().is_none()>
                    {move || i18n.t(Msg::LeaderNoAccount)}
                </option>
                {options}
            </select>
        </label>
    }
}

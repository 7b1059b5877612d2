//! What ties accounts to work: files assigned to an account, villages a legal team member
//! serves, and the phones an account signed in from (revoked when lost).

use super::{AdminCtx, Outcome, OutcomeLine, PlainField, SubmitButton};
use crate::api;
use crate::i18n::{Msg, use_i18n};
use leptos::prelude::*;
use xiafang_core::{FileId, UserId};
use xiafang_core::{
    account::Role,
    admin::{Assignment, LegalVillage, PlaceKind},
};

/// A drop-down of the area's accounts (only those of role `only`, when given); its value is the
/// chosen account's id, empty until one is chosen.
#[component]
pub(super) fn AccountSelect(
    name: &'static str,
    value: RwSignal<String>,
    #[prop(optional)] only: Option<Role>,
) -> impl IntoView {
    let i18n = use_i18n();
    let admin = expect_context::<AdminCtx>();
    let options = move || {
        admin
            .list()
            .into_iter()
            .filter(|a| only.is_none_or(|role| a.account.role == role))
            .map(|a| {
                let id = a.account.id.0;
                let label = format!("{}（{}）", a.account.display_name, a.account.username);
                view! {
                    <option value=id.clone() selected=move || value.get() == id>
                        {label}
                    </option>
                }
            })
            .collect_view()
    };
    view! {
        <label class="field">
            <span class="label">{move || i18n.t(Msg::AccountLabel)}</span>
            <select name=name on:change:target=move |ev| value.set(ev.target().value())>
                <option value="" selected=move || value.get().is_empty()>
                    {move || i18n.t(Msg::ChooseAccount)}
                </option>
                {options}
            </select>
        </label>
    }
}

/// A drop-down of the area's places (only villages when `villages_only`), named with the place
/// above them; its value is the chosen place's id, empty until one is chosen.
#[component]
pub(super) fn PlaceSelect(
    name: &'static str,
    label: Msg,
    value: RwSignal<String>,
    #[prop(optional)] villages_only: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let admin = expect_context::<AdminCtx>();
    let options = move || {
        let places = admin.places();
        let name_of = |id: &Option<String>| {
            places
                .iter()
                .find(|p| Some(&p.id) == id.as_ref())
                .map(|p| p.name.clone())
        };
        places
            .iter()
            .filter(|p| !villages_only || p.kind == PlaceKind::Village)
            .map(|p| {
                let above = name_of(&p.parent_id)
                    .map(|n| format!(" · {n}"))
                    .unwrap_or_default();
                let label = format!("{}（{}{above}）", p.name, p.kind.label(i18n.lang()));
                let id = p.id.clone();
                view! {
                    <option value=id.clone() selected=move || value.get() == id>{label}</option>
                }
            })
            .collect_view()
    };
    view! {
        <label class="field">
            <span class="label">{move || i18n.t(label)}</span>
            <select name=name on:change:target=move |ev| value.set(ev.target().value())>
                <option value="" selected=move || value.get().is_empty()>
                    {move || i18n.t(Msg::ChoosePlace)}
                </option>
                {options}
            </select>
        </label>
    }
}

/// A drop-down of the area's files by petitioner and village.
#[component]
fn FileSelect(name: &'static str, value: RwSignal<String>) -> impl IntoView {
    let i18n = use_i18n();
    let admin = expect_context::<AdminCtx>();
    let options = move || {
        let places = admin.places();
        admin
            .files()
            .into_iter()
            .map(|f| {
                let village = places
                    .iter()
                    .find(|p| p.id == f.village_id)
                    .map_or(f.village_id.clone(), |p| p.name.clone());
                let label = format!("{}（{village}）", f.name);
                let id = f.id.0;
                view! {
                    <option value=id.clone() selected=move || value.get() == id>{label}</option>
                }
            })
            .collect_view()
    };
    view! {
        <label class="field">
            <span class="label">{move || i18n.t(Msg::FileLabel)}</span>
            <select name=name on:change:target=move |ev| value.set(ev.target().value())>
                <option value="" selected=move || value.get().is_empty()>
                    {move || i18n.t(Msg::ChooseFile)}
                </option>
                {options}
            </select>
        </label>
    }
}

/// A "do" and an "undo" button side by side, e.g. 分配 / 取消分配; `act(true)` does.
fn on_off_buttons(
    outcome: Outcome,
    on: Msg,
    off: Msg,
    act: impl Fn(bool) + Copy + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="form-actions">
            <button type="button" class="primary" disabled=move || outcome.busy.get() on:click=move |_| act(true)>
                {move || i18n.t(on)}
            </button>
            <button type="button" disabled=move || outcome.busy.get() on:click=move |_| act(false)>
                {move || i18n.t(off)}
            </button>
        </div>
    }
}

#[component]
pub(super) fn AssignmentForm() -> impl IntoView {
    let i18n = use_i18n();
    let admin = expect_context::<AdminCtx>();
    let outcome = Outcome::new();
    let account = RwSignal::new(String::new());
    let file = RwSignal::new(String::new());
    let act = move |assigned: bool| {
        let token = admin.token();
        let assignment = Assignment {
            file_id: FileId(file.get().trim().to_owned()),
            account_id: UserId(account.get()),
        };
        let done = if assigned {
            Msg::Assigned
        } else {
            Msg::Unassigned
        };
        outcome.run(
            async move { api::set_assignment(&token, &assignment, assigned).await },
            done,
            || {},
        );
    };
    view! {
        <section class="card" data-testid="assignments">
            <h2>{move || i18n.t(Msg::AssignTitle)}</h2>
            <AccountSelect name="assign-account" value=account />
            <FileSelect name="assign-file" value=file />
            <OutcomeLine outcome />
            {on_off_buttons(outcome, Msg::Assign, Msg::Unassign, act)}
        </section>
    }
}

#[component]
pub(super) fn LegalVillageForm() -> impl IntoView {
    let i18n = use_i18n();
    let admin = expect_context::<AdminCtx>();
    let outcome = Outcome::new();
    let account = RwSignal::new(String::new());
    let village = RwSignal::new(String::new());
    let act = move |serves: bool| {
        let token = admin.token();
        let lv = LegalVillage {
            account_id: UserId(account.get()),
            village_id: village.get().trim().to_owned(),
        };
        let done = if serves {
            Msg::VillageGiven
        } else {
            Msg::VillageTaken
        };
        outcome.run(
            async move { api::set_legal_village(&token, &lv, serves).await },
            done,
            || {},
        );
    };
    view! {
        <section class="card" data-testid="legal-villages">
            <h2>{move || i18n.t(Msg::LegalTitle)}</h2>
            <AccountSelect name="legal-account" value=account only=Role::Legal />
            <PlaceSelect name="legal-village" label=Msg::VillageLabel value=village villages_only=true />
            <OutcomeLine outcome />
            {on_off_buttons(outcome, Msg::GiveVillage, Msg::TakeVillage, act)}
        </section>
    }
}

#[component]
pub(super) fn RevokeDeviceForm() -> impl IntoView {
    let i18n = use_i18n();
    let admin = expect_context::<AdminCtx>();
    let outcome = Outcome::new();
    let device = RwSignal::new(String::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (token, id) = (admin.token(), device.get());
        outcome.run(
            async move { api::revoke_device(&token, &id).await },
            Msg::DeviceRevoked,
            move || device.set(String::new()),
        );
    };
    view! {
        <form class="card" data-testid="revoke-device" on:submit=submit novalidate>
            <h2>{move || i18n.t(Msg::RevokeTitle)}</h2>
            <p class="muted small">{move || i18n.t(Msg::RevokeExplain)}</p>
            <PlainField name="revoke-device" label=Msg::DeviceId value=device hint=Msg::DeviceIdHint />
            <OutcomeLine outcome />
            <SubmitButton outcome label=Msg::Revoke />
        </form>
    }
}

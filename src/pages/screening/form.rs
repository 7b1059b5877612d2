//! 记录排查: one 矛盾纠纷排查 of a place — at village level or, where the county uses them, one
//! villager group at a time — saved on the phone like every record (offline), on the place's
//! screening ledger, and uploaded by itself.

use super::records_at;
use crate::app::SignedIn;
use crate::components::{Check, RequireSession, TextField};
use crate::i18n::{Msg, use_i18n};
use crate::pages::forms::draft::{Draft, DraftActions, WhenField};
use crate::store::settings;
use leptos::prelude::*;
use xiafang_core::account::Role;
use xiafang_core::screening::{
    Finding, LedgerPlace, MAX_COVERED, PlaceLevel, Screening, ScreeningLevel,
};
use xiafang_core::{Field, FieldError, FileId, Problem, RecordBody, Visit};

#[component]
pub fn ScreeningFormPage() -> impl IntoView {
    let i18n = use_i18n();
    let ledger = FileId(crate::nav::use_param("ledger")());
    let place = settings::screening_places()
        .into_iter()
        .find(|p| p.ledger == ledger);
    let place = StoredValue::new(place);
    view! {
        <RequireSession>
            <h1>{move || i18n.t(Msg::ScreeningRecord)}</h1>
            {move || match place.get_value() {
                Some(place) => view! { <ScreeningForm place /> }.into_any(),
                None => view! { <p class="card muted">{move || i18n.t(Msg::ScreeningUnknownPlace)}</p> }
                    .into_any(),
            }}
        </RequireSession>
    }
}

#[component]
fn ScreeningForm(place: LedgerPlace) -> impl IntoView {
    let i18n = use_i18n();
    let account = expect_context::<SignedIn>()
        .0
        .get_untracked()
        .map(|s| s.account);
    let role = account.as_ref().map_or(Role::Cadre, |a| a.role);
    let me = account.map(|a| a.display_name).unwrap_or_default();
    // A cadre came from the 待办 on the home screen; a supervisor from the 排查 view.
    let back = if role == Role::Cadre {
        "/"
    } else {
        "/screening"
    };
    let draft = Draft::new(place.ledger.clone(), None).returning_to(back);
    let group = RwSignal::new(String::new());
    let participants = RwSignal::new(me);
    let scope = RwSignal::new(String::new());
    let covered = RwSignal::new(String::new());
    let nothing_new = RwSignal::new(false);
    let findings = RwSignal::new(String::new());
    let errors = draft.errors;
    let groups = place.groups.clone();
    let heading = match place.parent.as_str() {
        "" => place.name.clone(),
        parent => format!("{} · {parent}", place.name),
    };
    let may = records_at(role, place.level);
    let place = StoredValue::new(place);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let place = place.get_value();
        let mut problems = Vec::new();
        let count = covered
            .get_untracked()
            .trim()
            .parse::<u32>()
            .unwrap_or_else(|_| {
                problems.push(FieldError::new(
                    Field::Covered,
                    Problem::CountOutOfRange { max: MAX_COVERED },
                ));
                1
            });
        let group = group.get_untracked();
        let level = match (place.level, group.is_empty()) {
            (PlaceLevel::Village, false) => ScreeningLevel::Group,
            (PlaceLevel::Village, true) => ScreeningLevel::Village,
            (PlaceLevel::Township, _) => ScreeningLevel::Township,
            (PlaceLevel::County, _) => ScreeningLevel::County,
        };
        let findings = findings
            .get_untracked()
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(|what| Finding {
                what: what.to_owned(),
                file: None,
                warning: None,
            })
            .collect();
        let screening = Screening {
            level,
            place: place.place.clone(),
            place_name: place.name.clone(),
            group,
            participants: Visit::split_participants(&participants.get_untracked()),
            scope: scope.get_untracked().trim().to_owned(),
            covered: count,
            nothing_new: nothing_new.get_untracked(),
            findings,
        };
        draft.save(RecordBody::Screening(screening), problems);
    };
    let group_field = (!groups.is_empty()).then(|| {
        let options = groups
            .into_iter()
            .map(|g| view! { <option value=g.clone()>{g.clone()}</option> })
            .collect_view();
        view! {
            <label class="field">
                <span class="label">{move || Field::VillagerGroup.label(i18n.lang())}</span>
                <select name="villager_group" on:change:target=move |ev| group.set(ev.target().value())>
                    <option value="" selected=true>{move || i18n.t(Msg::ScreeningWholeVillage)}</option>
                    {options}
                </select>
                {move || errors.message_for(Field::VillagerGroup).map(|e| view! { <span class="error" role="alert">{e}</span> })}
            </label>
        }
    });
    view! {
        <form class="card record-form" on:submit=submit novalidate data-testid="screening-form">
            <p class="place"><strong>{heading}</strong></p>
            {(!may).then(|| view! { <p class="error">{move || i18n.t(Msg::ScreeningNotYours)}</p> })}
            <WhenField draft />
            {group_field}
            <TextField field=Field::Participants value=participants errors hint=Msg::ScreeningParticipantsHint />
            <TextField field=Field::ScreeningScope value=scope errors multiline=true />
            <TextField field=Field::Covered value=covered errors input_type="number" inputmode="numeric" />
            <Check name="nothing_new" label=Msg::ScreeningNothingNew value=nothing_new />
            <TextField field=Field::Findings value=findings errors multiline=true hint=Msg::ScreeningFindingsHint />
            {move || errors.message_for(Field::File).map(|e| view! { <p class="error" role="alert">{e}</p> })}
            <DraftActions draft />
        </form>
    }
}

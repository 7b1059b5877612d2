//! 走访记录: a home visit with what the petitioner asked, their state and what was done.

use super::draft::{Draft, DraftActions, WhenField, parse_optional_date};
use crate::app::SignedIn;
use crate::components::{Choice, TextField};
use crate::i18n::{Msg, use_i18n};
use leptos::prelude::*;
use xiafang_core::{Field, Mood, PetitionerFile, RecordBody, RiskLevel, Visit, VisitKind};

#[component]
pub fn VisitForm(file: PetitionerFile) -> impl IntoView {
    let i18n = use_i18n();
    let draft = Draft::new(file.id.clone());
    let me = expect_context::<SignedIn>()
        .0
        .get_untracked()
        .map(|s| s.account.display_name)
        .unwrap_or_default();
    let kind = RwSignal::new(VisitKind::Home);
    let place = RwSignal::new(file.address.clone());
    let participants = RwSignal::new(me);
    let requests = RwSignal::new(String::new());
    let mood = RwSignal::new(Mood::Calm);
    let risk = RwSignal::new(RiskLevel::Ordinary);
    let explained = RwSignal::new(String::new());
    let measures = RwSignal::new(String::new());
    let next_step = RwSignal::new(String::new());
    let next_due = RwSignal::new(String::new());
    let errors = draft.errors;

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut problems = Vec::new();
        let due = parse_optional_date(&next_due.get(), Field::NextDue, &mut problems);
        let visit = Visit {
            kind: kind.get(),
            place: place.get(),
            participants: Visit::split_participants(&participants.get()),
            requests: requests.get(),
            mood: mood.get(),
            risk: risk.get(),
            explained: explained.get(),
            measures: measures.get(),
            next_step: next_step.get(),
            next_due: due,
            // Location is never collected unless a cadre chooses to (not offered yet).
            location: None,
        };
        draft.save(RecordBody::Visit(visit), problems);
    };

    view! {
        <form class="card record-form" on:submit=submit novalidate>
            <Choice name="visit_kind" label=Msg::VisitKindLabel value=kind />
            <WhenField draft />
            <TextField field=Field::Place value=place errors />
            <TextField field=Field::Participants value=participants errors hint=Msg::ParticipantsHint />
            <TextField field=Field::Requests value=requests errors multiline=true />
            <Choice name="mood" label=Msg::MoodLabel value=mood />
            <Choice name="risk" label=Msg::RiskLabel value=risk />
            <TextField field=Field::Explained value=explained errors multiline=true />
            <TextField field=Field::Measures value=measures errors multiline=true />
            <TextField field=Field::NextStep value=next_step errors multiline=true />
            <TextField field=Field::NextDue value=next_due errors input_type="date" />
            <p class="muted small">{move || i18n.t(Msg::LocationOff)}</p>
            <DraftActions draft />
        </form>
    }
}

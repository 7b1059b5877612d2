//! 走访记录: a home visit with what the petitioner asked, their state and what was done.

use super::draft::{Draft, DraftActions, WhenField, parse_optional_date};
use crate::app::SignedIn;
use crate::components::{Choice, TextField};
use crate::i18n::{Msg, use_i18n};
use leptos::prelude::*;
use xiafang_core::{Field, Mood, PetitionerFile, Record, RecordBody, RiskLevel, Visit, VisitKind};

#[component]
pub fn VisitForm(
    file: PetitionerFile,
    /// The visit this form amends: its values fill the form, and the save amends it.
    #[prop(optional_no_strip)]
    original: Option<Record>,
) -> impl IntoView {
    let i18n = use_i18n();
    let draft = Draft::new(file.id.clone(), original.as_ref());
    let me = expect_context::<SignedIn>()
        .0
        .get_untracked()
        .map(|s| s.account.display_name)
        .unwrap_or_default();
    let before = original.and_then(|r| match r.body {
        RecordBody::Visit(v) => Some(v),
        _ => None,
    });
    let start = before.unwrap_or_else(|| Visit {
        kind: VisitKind::Home,
        place: file.address.clone(),
        participants: vec![me],
        requests: String::new(),
        mood: Mood::Calm,
        risk: RiskLevel::Ordinary,
        explained: String::new(),
        measures: String::new(),
        next_step: String::new(),
        next_due: None,
        location: None,
        joined: Vec::new(),
        evaluation: None,
    });
    let kind = RwSignal::new(start.kind);
    let place = RwSignal::new(start.place);
    let participants = RwSignal::new(start.participants.join("、"));
    let requests = RwSignal::new(start.requests);
    let mood = RwSignal::new(start.mood);
    let risk = RwSignal::new(start.risk);
    let explained = RwSignal::new(start.explained);
    let measures = RwSignal::new(start.measures);
    let next_step = RwSignal::new(start.next_step);
    let next_due = RwSignal::new(
        start
            .next_due
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default(),
    );
    // Location is never collected unless a cadre chooses to (not offered yet); an amendment
    // keeps what the original recorded.
    let location = start.location;
    let joined = start.joined;
    let evaluation = start.evaluation;
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
            location,
            joined: joined.clone(),
            evaluation: evaluation.clone(),
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

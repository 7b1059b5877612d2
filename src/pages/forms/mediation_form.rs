//! 人民调解: the parties, the dispute, the facts they confirm (signed afterwards on the screen as
//! the 事实确认书), the sessions held and how it ended; a failed mediation says which legal
//! channel the parties were pointed to.

use super::draft::{Draft, DraftActions, WhenField, parse_optional_date};
use crate::components::{Choice, TextField};
use crate::i18n::{Msg, use_i18n};
use chrono::{Local, NaiveDate};
use leptos::prelude::*;
use xiafang_core::case_step::LegalRoute;
use xiafang_core::dates::Day;
use xiafang_core::legal::{Mediation, MediationOutcome};
use xiafang_core::{Field, FieldError, PetitionerFile, Record, RecordBody, Visit};

#[component]
pub fn MediationForm(
    file: PetitionerFile,
    #[prop(optional_no_strip)] original: Option<Record>,
) -> impl IntoView {
    let i18n = use_i18n();
    let draft = Draft::new(file.id.clone(), original.as_ref());
    let start = original.and_then(|r| match r.body {
        RecordBody::Mediation(m) => Some(m),
        _ => None,
    });
    let start = start.unwrap_or_else(|| Mediation {
        parties: vec![file.name.clone()],
        dispute: file.matter.summary.clone(),
        facts: String::new(),
        sessions: vec![Local::now().date_naive()],
        outcome: MediationOutcome::Agreement,
        terms: String::new(),
        channel: None,
    });
    let parties = RwSignal::new(start.parties.join("、"));
    let dispute = RwSignal::new(start.dispute);
    let facts = RwSignal::new(start.facts);
    let sessions = RwSignal::new(
        start
            .sessions
            .iter()
            .map(|d| Day(*d).to_string())
            .collect::<Vec<_>>()
            .join("，"),
    );
    let outcome = RwSignal::new(start.outcome);
    let terms = RwSignal::new(start.terms);
    let channel = RwSignal::new(start.channel.unwrap_or(LegalRoute::Litigation));
    let errors = draft.errors;
    let failed = move || outcome.get() == MediationOutcome::Failed;
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut problems = Vec::new();
        let days = parse_dates(&sessions.get(), &mut problems);
        let body = Mediation {
            parties: Visit::split_participants(&parties.get()),
            dispute: dispute.get(),
            facts: facts.get(),
            sessions: days,
            outcome: outcome.get(),
            terms: if failed() { String::new() } else { terms.get() },
            channel: failed().then(|| channel.get()),
        };
        draft.save(RecordBody::Mediation(body), problems);
    };
    view! {
        <form class="card record-form" on:submit=submit novalidate>
            <WhenField draft />
            <TextField field=Field::Parties value=parties errors hint=Msg::ParticipantsHint />
            <TextField field=Field::Dispute value=dispute errors multiline=true />
            <TextField field=Field::ConfirmedFacts value=facts errors multiline=true hint=Msg::ConfirmedFactsHint />
            <TextField field=Field::Sessions value=sessions errors hint=Msg::SessionsHint />
            <Choice name="outcome" label=Msg::OutcomeLabel value=outcome />
            {move || if failed() {
                view! { <Choice name="mediation_channel" label=Msg::MediationChannelLabel value=channel /> }.into_any()
            } else {
                view! { <TextField field=Field::Terms value=terms errors multiline=true /> }.into_any()
            }}
            <p class="muted small">{move || i18n.t(Msg::SignAfterSaving)}</p>
            <DraftActions draft />
        </form>
    }
}

/// Session days typed as "2026-11-13，2026-11-20" (any common separator); an unreadable one is
/// reported against the sessions field.
fn parse_dates(text: &str, problems: &mut Vec<FieldError>) -> Vec<NaiveDate> {
    Visit::split_participants(&text.replace([' ', '/'], "，"))
        .iter()
        .filter_map(|day| parse_optional_date(day, Field::Sessions, problems))
        .collect()
}

//! How the legal team's records read in a timeline: an opinion with the law it cites and the
//! channel it recommends, a mediation with its parties, confirmed facts and outcome.

use crate::i18n::Msg;
use leptos::prelude::*;
use xiafang_core::dates::Day;
use xiafang_core::legal::{LegalOpinion, Mediation, MediationOutcome};
use xiafang_core::{Field, Lang};

/// One labelled line, left out when empty.
pub(super) fn line(label: &'static str, text: String) -> impl IntoView {
    (!text.trim().is_empty()).then(|| {
        view! {
            <p>
                <span class="label">{label}"："</span>
                {text}
            </p>
        }
    })
}

pub(super) fn opinion(o: &LegalOpinion, lang: Lang) -> AnyView {
    view! {
        {line(Field::Question.label(lang), o.question.clone())}
        {line(Field::Facts.label(lang), o.facts.clone())}
        {line(Field::LawCited.label(lang), o.law.clone())}
        {line(Field::Opinion.label(lang), o.opinion.clone())}
        <p class="channel" data-testid="channel">
            <span class="label">{Msg::ChannelLabel.text(lang)}"："</span>
            {o.channel.label(lang)}
        </p>
    }
    .into_any()
}

pub(super) fn mediation(m: &Mediation, lang: Lang) -> AnyView {
    let sessions: Vec<String> = m.sessions.iter().map(|d| Day(*d).to_string()).collect();
    let ending = match (m.outcome, m.channel) {
        (MediationOutcome::Failed, Some(route)) => line(
            Field::MediationChannel.label(lang),
            route.label(lang).to_owned(),
        )
        .into_any(),
        _ => line(Field::Terms.label(lang), m.terms.clone()).into_any(),
    };
    view! {
        {line(Field::Parties.label(lang), m.parties.join("、"))}
        {line(Field::Dispute.label(lang), m.dispute.clone())}
        {line(Field::ConfirmedFacts.label(lang), m.facts.clone())}
        {line(Field::Sessions.label(lang), sessions.join("、"))}
        <p class="outcome" data-testid="outcome">{m.outcome.label(lang)}</p>
        {ending}
    }
    .into_any()
}

//! A file's timeline: each record with what matters at a glance and whether it reached the
//! server.

use crate::i18n::{Msg, use_i18n};
use crate::store::LocalRecord;
use leptos::prelude::*;
use xiafang_core::money::format_yuan;
use xiafang_core::sync::SyncState;
use xiafang_core::{Field, Lang, RecordBody};

#[component]
pub fn Timeline(records: Vec<LocalRecord>) -> impl IntoView {
    let i18n = use_i18n();
    if records.is_empty() {
        return view! { <p class="muted">{i18n.t(Msg::EmptyTimeline)}</p> }.into_any();
    }
    view! {
        <ol class="timeline" data-testid="timeline">
            {records.into_iter().map(|r| view! { <Entry local=r /> }).collect_view()}
        </ol>
    }
    .into_any()
}

#[component]
fn Entry(local: LocalRecord) -> impl IntoView {
    let i18n = use_i18n();
    let lang = i18n.lang();
    let r = &local.record;
    let (state_class, state_text) = match &local.state {
        SyncState::Pending => ("pending", i18n.t(Msg::StatePending).to_owned()),
        SyncState::Uploaded => ("uploaded", i18n.t(Msg::StateUploaded).to_owned()),
        SyncState::Rejected { reason } => (
            "rejected",
            format!("{}：{}", i18n.t(Msg::StateRejected), reason.message(lang)),
        ),
    };
    let kind = match r.body {
        RecordBody::Visit(_) => "visit",
        RecordBody::Assistance(_) => "assistance",
        RecordBody::Note(_) => "note",
    };
    view! {
        <li class=format!("entry {kind}") data-record-id=r.id.to_string() data-state=state_class>
            <header>
                <strong>{r.body.kind_label(lang)}</strong>
                <time>{r.occurred_at.format("%Y-%m-%d %H:%M").to_string()}</time>
                <span class="muted">{format!("{}：{}", i18n.t(Msg::Recorder), r.author_name)}</span>
            </header>
            {details(&r.body, lang)}
            <p class=format!("state {state_class}") data-testid="state">{state_text}</p>
        </li>
    }
}

fn line(label: &'static str, text: String) -> impl IntoView {
    (!text.trim().is_empty()).then(|| {
        view! {
            <p>
                <span class="label">{label}"："</span>
                {text}
            </p>
        }
    })
}

fn details(body: &RecordBody, lang: Lang) -> AnyView {
    match body {
        RecordBody::Visit(v) => {
            let due = v
                .next_due
                .map(|d| format!("（{}）", d.format("%Y-%m-%d")))
                .unwrap_or_default();
            view! {
                {line(Field::Place.label(lang), v.place.clone())}
                {line(Field::Participants.label(lang), v.participants.join("、"))}
                {line(Field::Requests.label(lang), v.requests.clone())}
                <p class="assessment">
                    {v.mood.label(lang)} " · " <span class=format!("risk {}", v.risk.key())>{v.risk.label(lang)}</span>
                </p>
                {line(Field::Explained.label(lang), v.explained.clone())}
                {line(Field::Measures.label(lang), v.measures.clone())}
                {line(Field::NextStep.label(lang), format!("{}{due}", v.next_step))}
            }
            .into_any()
        }
        RecordBody::Assistance(a) => {
            let amount = a
                .amount_fen
                .map(|fen| format!("{} {}", format_yuan(fen), Msg::Yuan.text(lang)))
                .unwrap_or_default();
            view! {
                <p class="assistance-kind">{a.kind.label(lang)} " · " {a.status.label(lang)}</p>
                {line(Field::Amount.label(lang), amount)}
                {line(Field::Items.label(lang), a.items.clone())}
                {line(Field::FundingSource.label(lang), a.funding_source.clone())}
            }
            .into_any()
        }
        RecordBody::Note(n) => view! {
            {line(Field::Speaker.label(lang), n.speaker.clone())}
            <p class="note-text">{n.text.clone()}</p>
        }
        .into_any(),
    }
}

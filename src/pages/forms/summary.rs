//! Which record a form corrects or adds to: its kind, time and first words (also the review
//! queue's excerpt).

use crate::i18n::{Msg, use_i18n};
use leptos::prelude::*;
use xiafang_core::dates::DayMinute;
use xiafang_core::money::format_yuan;
use xiafang_core::{Lang, Record, RecordBody};

/// Which record is being corrected: its kind, time and the start of what it says.
#[component]
pub fn RecordSummary(record: Record) -> impl IntoView {
    let lang = use_i18n().lang();
    view! {
        <section class="card record-summary" data-testid="record-summary">
            <strong>{record.body.kind_label(lang)}</strong>
            " "
            <time>{DayMinute(record.occurred_at).to_string()}</time>
            <p class="excerpt">{excerpt(&record.body, lang)}</p>
        </section>
    }
}

/// The first words of what a record says, enough to recognise it (here and in the review queue).
pub fn excerpt(body: &RecordBody, lang: Lang) -> String {
    const LENGTH: usize = 40;
    let text = match body {
        RecordBody::Visit(v) if v.was_refused() => {
            let refused: Vec<&str> = v.refused.iter().map(|r| r.label(lang)).collect();
            refused.join("、")
        }
        RecordBody::Visit(v) => v.requests.clone(),
        RecordBody::Assistance(a) => match a.amount_fen {
            Some(fen) => format!("{} {} {}", format_yuan(fen), Msg::Yuan.text(lang), a.items),
            None => a.items.clone(),
        },
        RecordBody::Note(n) => n.text.clone(),
        RecordBody::Void(v) => v.reason.clone(),
        RecordBody::FileEdit(e) => e.field.shown(&e.value),
        RecordBody::CaseStep(_)
        | RecordBody::Review(_)
        | RecordBody::Supervision(_)
        | RecordBody::Referral(_)
        | RecordBody::LegalOpinion(_)
        | RecordBody::Mediation(_)
        | RecordBody::VisitPart(_)
        | RecordBody::Signature(_)
        | RecordBody::Photo(_)
        | RecordBody::Reception(_)
        | RecordBody::Warning(_)
        | RecordBody::Tasking(_)
        | RecordBody::Screening(_) => body.summary(lang),
    };
    let text = text.trim();
    match text.char_indices().nth(LENGTH) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

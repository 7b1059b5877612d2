//! Reviewing one record: the record, where its review stands, the file's whole history beside it,
//! and 通过 / 退回 with a comment. The decision is a `Review` record saved on the phone like any
//! other and uploaded by the sync engine; a returned record reaches the cadre's phone with the
//! comment on the next download.

use super::excerpt;
use crate::app::SignedIn;
use crate::components::{
    RequireSession, TextField, Timeline, file_from_address, loaded, record_id_from_address,
};
use crate::i18n::{Msg, use_i18n};
use crate::pages::forms::draft::Draft;
use crate::store::{FileOnPhone, LocalRecord};
use leptos::prelude::*;
use xiafang_core::review::review_states;
use xiafang_core::supervision::{Review, ReviewDecision};
use xiafang_core::{Field, Record, RecordBody};

#[component]
pub fn ReviewRecordPage() -> impl IntoView {
    let i18n = use_i18n();
    let (_, data) = file_from_address();
    let record_id = record_id_from_address("record");
    view! {
        <RequireSession>
            <a href="/review" class="back">{move || format!("‹ {}", i18n.t(Msg::ReviewQueueTitle))}</a>
            {loaded(data, move |shown: Option<FileOnPhone>| {
                let found = shown.and_then(|shown| {
                    let target = record_id()?;
                    let record = shown.timeline.iter().find(|l| l.record.id == target)?.clone();
                    Some((shown, record))
                });
                match found {
                    None => view! { <p class="card problem">{i18n.t(Msg::RecordMissing)}</p> }.into_any(),
                    Some((shown, record)) => view! { <Decide shown record /> }.into_any(),
                }
            })}
        </RequireSession>
    }
}

#[component]
fn Decide(shown: FileOnPhone, record: LocalRecord) -> impl IntoView {
    let i18n = use_i18n();
    let lang = i18n.lang();
    let me = expect_context::<SignedIn>()
        .0
        .get_untracked()
        .map(|s| s.account.id);
    let all: Vec<Record> = shown.timeline.iter().map(|l| l.record.clone()).collect();
    let pending = review_states(&all)
        .into_iter()
        .any(|r| r.record.id == record.record.id && r.state.is_pending());
    let own = me.as_ref() == Some(&record.record.author);
    let draft = Draft::new(shown.file.id.clone(), None).returning_to("/review");
    let comment = RwSignal::new(String::new());
    let errors = draft.errors;
    let target = record.record.id;
    let decide = move |decision: ReviewDecision| {
        let review = Review {
            of: target,
            decision,
            comment: comment.get_untracked().trim().to_owned(),
        };
        draft.save(RecordBody::Review(review), Vec::new());
    };
    let form = (pending && !own).then(|| {
        view! {
            <form class="card record-form" data-testid="review-form" on:submit=|ev| ev.prevent_default() novalidate>
                <TextField field=Field::ReviewComment value=comment errors multiline=true />
                <p class="hint small">{i18n.t(Msg::ReviewCommentHint)}</p>
                {move || {
                    draft.failure().map(|m| view! { <p class="error form-error" role="alert">{i18n.t(m)}</p> })
                }}
                <div class="form-actions">
                    <button type="button" class="primary" disabled=move || draft.is_saving()
                        on:click=move |_| decide(ReviewDecision::Approve)>
                        {i18n.t(Msg::Approve)}
                    </button>
                    <button type="button" disabled=move || draft.is_saving()
                        on:click=move |_| decide(ReviewDecision::Return)>
                        {i18n.t(Msg::ReturnIt)}
                    </button>
                </div>
            </form>
        }
    });
    let not_pending = (!pending || own).then(|| {
        let why = if own {
            Msg::ReviewNotOwn
        } else {
            Msg::ReviewNotPending
        };
        view! { <p class="card muted" data-testid="review-closed">{i18n.t(why)}</p> }
    });
    view! {
        <h1>{format!("{} · {}", shown.file.name, record.record.body.kind_label(lang))}</h1>
        <p class="muted">{excerpt(&record.record.body, lang)}</p>
        <div class="review-layout">
            <section class="review-record">
                <Timeline records=vec![record] />
                {form}
                {not_pending}
            </section>
            <section class="review-history">
                <h2>{i18n.t(Msg::FileHistory)}</h2>
                <Timeline records=shown.timeline />
            </section>
        </div>
    }
}

//! 审核: the supervisor's review queue. Visit logs and assistance actions that cadres of the
//! jurisdiction uploaded wait here until a supervisor approves or returns them; everything is
//! read from the phone (a supervisor's phone holds its jurisdiction after sync), so the queue and
//! the decisions work offline too. Nothing here counts or ranks cadres.

mod decide;

pub use decide::ReviewRecordPage;

use crate::app::SignedIn;
use crate::changes::use_changes;
use crate::components::{RequireSession, loaded};
use crate::i18n::{Msg, use_i18n};
use crate::store;
use leptos::prelude::*;
use xiafang_core::dates::DayMinute;
use xiafang_core::review::review_states;
use xiafang_core::{PetitionerFile, Record, UserId};

/// One file's records that wait for review, newest first.
#[derive(Clone)]
struct Waiting {
    file: PetitionerFile,
    records: Vec<Record>,
}

/// The records of others that wait for `me`'s review, by file; files with the oldest waiting
/// record first, so nothing sits at the bottom for ever.
fn queue(overview: Vec<(PetitionerFile, Vec<Record>)>, me: &UserId) -> Vec<Waiting> {
    let mut out: Vec<Waiting> = overview
        .into_iter()
        .filter_map(|(file, records)| {
            let mut waiting: Vec<Record> = review_states(&records)
                .into_iter()
                .filter(|r| r.state.is_pending() && &r.record.author != me)
                .map(|r| r.record.clone())
                .collect();
            if waiting.is_empty() {
                return None;
            }
            waiting.sort_by_key(|r| std::cmp::Reverse(r.occurred_at));
            Some(Waiting {
                file,
                records: waiting,
            })
        })
        .collect();
    let oldest = |w: &Waiting| w.records.iter().map(|r| r.occurred_at).min();
    out.sort_by_key(oldest);
    out
}

pub(super) use super::forms::summary::excerpt;

#[component]
pub fn ReviewQueuePage() -> impl IntoView {
    let i18n = use_i18n();
    let changes = use_changes();
    let SignedIn(session) = expect_context::<SignedIn>();
    let data = crate::fetched::Fetched::new(move || {
        changes.any();
        async move {
            let overview = store::shared().await?.overview().await?;
            Ok(overview
                .into_iter()
                .map(|(f, records)| (f, records.into_iter().map(|l| l.record).collect()))
                .collect::<Vec<_>>())
        }
    });
    view! {
        <RequireSession>
            <h1>{move || i18n.t(Msg::ReviewQueueTitle)}</h1>
            <p class="muted small">{move || i18n.t(Msg::ReviewQueueExplain)}</p>
            {loaded(data, move |overview| {
                let me = session.get_untracked().map(|s| s.account.id).unwrap_or(UserId(String::new()));
                let waiting = queue(overview, &me);
                if waiting.is_empty() {
                    return view! { <p class="card muted" data-testid="queue-empty">{i18n.t(Msg::ReviewQueueEmpty)}</p> }.into_any();
                }
                view! {
                    <ul class="queue" data-testid="review-queue">
                        {waiting.into_iter().map(|w| view! { <WaitingFile waiting=w /> }).collect_view()}
                    </ul>
                }
                .into_any()
            })}
        </RequireSession>
    }
}

#[component]
fn WaitingFile(waiting: Waiting) -> impl IntoView {
    let i18n = use_i18n();
    let lang = i18n.lang();
    let Waiting { file, records } = waiting;
    view! {
        <li class="card queue-file">
            <h2>
                <a href=format!("/files/{}", file.id)>{file.name.clone()}</a>
                <span class="muted small">" " {file.township.clone()} " " {file.village.clone()}</span>
            </h2>
            <ul>
                {records
                    .into_iter()
                    .map(|r| {
                        let href = format!("/review/{}/{}", r.file_id, r.id);
                        view! {
                            <li class="queue-item" data-record-id=r.id.to_string()>
                                <a href=href class="button">{i18n.t(Msg::ReviewIt)}</a>
                                <strong>{r.body.kind_label(lang)}</strong>
                                " " <time>{DayMinute(r.occurred_at).to_string()}</time>
                                " · " {r.author_name.clone()}
                                <p class="muted">{excerpt(&r.body, lang)}</p>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </li>
    }
}

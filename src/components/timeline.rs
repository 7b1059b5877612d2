//! A file's timeline: each record with what matters at a glance, whether it reached the server,
//! and for the cadre's own records that still count, the links to amend or void them.

use super::attachment::{AttachLinks, Attachment, provide_shown_records};
use super::legal_details::{self, line};
use crate::app::SignedIn;
use crate::i18n::{Msg, use_i18n};
use crate::store::LocalRecord;
use leptos::prelude::*;
use std::collections::HashMap;
use xiafang_core::dates::{Day, DayMinute};
use xiafang_core::judge::{may_attach, phone_reach};
use xiafang_core::ledger::{Standing, standings};
use xiafang_core::money::format_yuan;
use xiafang_core::review::{ReviewState, review_states};
use xiafang_core::upload::SyncState;
use xiafang_core::{Field, Lang, Record, RecordBody, RecordId};

#[component]
pub fn Timeline(records: Vec<LocalRecord>) -> impl IntoView {
    let i18n = use_i18n();
    if records.is_empty() {
        return view! { <p class="muted">{i18n.t(Msg::EmptyTimeline)}</p> }.into_any();
    }
    // Corrections are records too: both the original and the correction stay in the timeline,
    // and the original says it no longer counts.
    let all: Vec<Record> = records.iter().map(|r| r.record.clone()).collect();
    let standing = standings(&all);
    provide_shown_records(&all);
    let reviews: HashMap<RecordId, ReviewState> = review_states(&all)
        .into_iter()
        .map(|r| (r.record.id, r.state))
        .collect();
    let account = expect_context::<SignedIn>()
        .0
        .get_untracked()
        .map(|s| s.account);
    let adds_parts = account
        .as_ref()
        .is_some_and(|a| may_attach(a.role, phone_reach(a.role)));
    // The newest entries first, a page at a time: a file with hundreds of records would take
    // seconds to draw on a cheap phone each time it is opened, and the old ones are rarely read.
    let shown = RwSignal::new(TIMELINE_PAGE);
    let total = records.len();
    let records = StoredValue::new(records);
    let entries = move || {
        records.with_value(|records| {
            records
                .iter()
                .take(shown.get())
                .map(|r| {
                    let standing = standing
                        .get(&r.record.id)
                        .cloned()
                        .unwrap_or(Standing::Current);
                    let correctable = account
                        .as_ref()
                        .is_some_and(|me| r.correctable_by(me, &standing));
                    let review = reviews.get(&r.record.id).cloned();
                    view! { <Entry local=r.clone() standing correctable review adds_parts /> }
                })
                .collect_view()
        })
    };
    let earlier = move || total.saturating_sub(shown.get());
    view! {
        <ol class="timeline" data-testid="timeline">{entries}</ol>
        <Show when=move || { earlier() > 0 }>
            <button
                class="more"
                data-testid="earlier-records"
                on:click=move |_| shown.update(|n| *n += TIMELINE_PAGE)
            >
                {move || format!("{}（{}）", i18n.t(Msg::EarlierRecords), earlier())}
            </button>
        </Show>
    }
    .into_any()
}

/// How many timeline entries are drawn at first, and added by each 显示更早的记录.
const TIMELINE_PAGE: usize = 30;

#[component]
fn Entry(
    local: LocalRecord,
    standing: Standing,
    correctable: bool,
    review: Option<ReviewState>,
    /// The reader may add their own part to visits (cadres and legal team members).
    adds_parts: bool,
) -> impl IntoView {
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
    let kind = r.body.kind_key();
    let (standing_class, standing_text) = match &standing {
        Standing::Current => ("current", None),
        Standing::Amended { .. } => ("amended", Some(i18n.t(Msg::StandingAmended).to_owned())),
        Standing::Voided { reason, .. } => (
            "voided",
            Some(format!("{}：{reason}", i18n.t(Msg::StandingVoided))),
        ),
    };
    let amends = r
        .amends
        .map(|_| view! { <p class="correction">{i18n.t(Msg::AmendsEarlier)}</p> });
    let href = |what: &str| format!("/files/{}/{what}/{}", r.file_id, r.id);
    // A signature or photo is voided and taken again, never amended.
    let amendable = r.body.is_amendable();
    let corrections = correctable.then(|| {
        view! {
            {amendable.then(|| view! { <a href=href("amend") class="button">{i18n.t(Msg::Amend)}</a> })}
            <a href=href("void") class="button">{i18n.t(Msg::Void)}</a>
        }
    });
    // Each participant adds their own part of a visit that still counts (a joint visit).
    let part =
        (adds_parts && standing == Standing::Current && matches!(r.body, RecordBody::Visit(_)))
            .then(|| {
                view! { <a href=href("part") class="button">{i18n.t(Msg::AddVisitPart)}</a> }
            });
    let actions = (corrections.is_some() || part.is_some())
        .then(|| view! { <nav class="entry-actions">{corrections}{part}</nav> });
    view! {
        <li
            class=format!("entry {kind} {standing_class}")
            data-record-id=r.id.to_string()
            data-state=state_class
            data-standing=standing_class
        >
            <header>
                <strong>{r.body.kind_label(lang)}</strong>
                <time>{DayMinute(r.occurred_at).to_string()}</time>
                <span class="muted">{format!("{}：{}", i18n.t(Msg::Recorder), r.author_name)}</span>
            </header>
            {standing_text.map(|t| view! { <p class="standing" data-testid="standing">{t}</p> })}
            {amends}
            {details(&r.body, lang)}
            <p class=format!("state {state_class}") data-testid="state">{state_text}</p>
            {review_line(review, &local.state, lang)}
            {actions}
            <AttachLinks local=local.clone() standing=standing.clone() />
        </li>
    }
}

/// Where a supervisor's review of the record stands; a returned record says what to fix, by whom.
fn review_line(review: Option<ReviewState>, sync: &SyncState, lang: Lang) -> Option<AnyView> {
    let (class, text) = match review? {
        // Not reviewable before the server has it.
        ReviewState::Pending if *sync == SyncState::Uploaded => {
            ("pending", Msg::ReviewPending.text(lang).to_owned())
        }
        ReviewState::Pending => return None,
        ReviewState::Approved { decision } => (
            "approved",
            format!("{}（{}）", Msg::ReviewApproved.text(lang), decision.by_name),
        ),
        ReviewState::Returned { decision } => (
            "returned",
            format!(
                "{}：{}（{}）",
                Msg::ReviewReturned.text(lang),
                decision.comment,
                decision.by_name
            ),
        ),
        ReviewState::Answered { .. } => ("answered", Msg::ReviewAnswered.text(lang).to_owned()),
        ReviewState::Superseded { .. } | ReviewState::Withdrawn => return None,
    };
    Some(
        view! { <p class=format!("review {class}") data-testid="review" data-review=class>{text}</p> }
            .into_any(),
    )
}

fn details(body: &RecordBody, lang: Lang) -> AnyView {
    match body {
        RecordBody::Visit(v) => {
            let joined: Vec<&str> = v.joined.iter().map(|m| m.name.as_str()).collect();
            let joined = joined.join("、");
            let due = v.next_due.map(|d| Day(d).to_string()).unwrap_or_default();
            view! {
                {line(Field::Place.label(lang), v.place.clone())}
                {line(Field::Participants.label(lang), v.participants.join("、"))}
                {line(Field::Requests.label(lang), v.requests.clone())}
                // Named as the form names the two choices.
                <p class="assessment">
                    <span class="label">{Msg::MoodLabel.text(lang)}"："</span>{v.mood.label(lang)} " · "
                    <span class="label">{Msg::RiskLabel.text(lang)}"："</span>
                    <span class=format!("risk {}", v.risk.key())>{v.risk.label(lang)}</span>
                </p>
                {line(Field::Explained.label(lang), v.explained.clone())}
                {line(Field::Measures.label(lang), v.measures.clone())}
                {line(Field::NextStep.label(lang), v.next_step.clone())}
                {line(Field::NextDue.label(lang), due)}
                {line(Field::Joined.label(lang), joined)}
                {v.evaluation.as_ref().map(|e| view! {
                    <p class="evaluation" data-testid="evaluation">
                        <span class="label">{Msg::EvaluationLabel.text(lang)}"："</span>
                        {e.rating.label(lang)}
                    </p>
                    {line(Field::EvaluationComment.label(lang), e.comment.clone())}
                })}
                {line(Field::PetitionerView.label(lang), v.petitioner_view.clone())}
                {(!v.refused.is_empty()).then(|| {
                    let refused: Vec<&str> = v.refused.iter().map(|r| r.label(lang)).collect();
                    view! {
                        <p class="refused" data-testid="refused">
                            <span class="label">{Field::Refused.label(lang)}"："</span>
                            {refused.join("、")}
                        </p>
                    }
                })}
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
        RecordBody::Void(v) => view! {
            <p class="correction">{Msg::VoidsEarlier.text(lang)}</p>
            {line(Field::Reason.label(lang), v.reason.clone())}
        }
        .into_any(),
        RecordBody::FileEdit(e) => {
            let change = if e.value.trim().is_empty() {
                Msg::FieldCleared.text(lang).to_owned()
            } else {
                format!(
                    "{}「{}」",
                    Msg::FieldChangedTo.text(lang),
                    e.field.shown(&e.value)
                )
            };
            view! { <p class="file-edit">{e.field.label(lang)} " " {change}</p> }.into_any()
        }
        RecordBody::LegalOpinion(o) => legal_details::opinion(o, lang),
        RecordBody::Mediation(m) => legal_details::mediation(m, lang),
        RecordBody::Signature(_) | RecordBody::Photo(_) => {
            view! { <Attachment body=body.clone() /> }.into_any()
        }
        RecordBody::Reception(r) => {
            let people = format!("{}（{}）", r.headcount, r.representatives.join("、"));
            let people = people.trim_end_matches("（）").to_owned();
            view! {
                {line(Field::ReceptionLeader.label(lang), r.leader.clone())}
                {line(Field::ReceptionPlace.label(lang), r.place.clone())}
                {line(Field::Headcount.label(lang), people)}
                {line(Field::Requests.label(lang), r.requests.clone())}
                {line(Field::ReceptionResponse.label(lang), r.response.clone())}
            }
            .into_any()
        }
        RecordBody::CaseStep(_)
        | RecordBody::Review(_)
        | RecordBody::Supervision(_)
        | RecordBody::Referral(_)
        | RecordBody::VisitPart(_)
        | RecordBody::Warning(_)
        | RecordBody::Tasking(_) => {
            view! { <p class="case-record">{body.summary(lang)}</p> }.into_any()
        }
        RecordBody::Screening(s) => {
            let found: Vec<&str> = s.findings.iter().map(|f| f.what.as_str()).collect();
            view! {
                <p class="case-record">{body.summary(lang)}</p>
                {line(Field::Participants.label(lang), s.participants.join("、"))}
                {line(Field::ScreeningScope.label(lang), s.scope.clone())}
                {line(Field::Findings.label(lang), found.join("；"))}
            }
            .into_any()
        }
    }
}

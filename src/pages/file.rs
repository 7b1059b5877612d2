//! One petitioner's file: the person (with the phone's own edits not uploaded yet), the matter,
//! the fields that lost to concurrent edits, and every record, newest first.

use crate::app::SignedIn;
use crate::components::{
    CaseCard, ChainWarning, Conflicts, RequireSession, SamePerson, TaskCard, Timeline,
    conflicts_of, file_from_address, loaded,
};
use crate::i18n::{Msg, use_i18n};
use crate::store::FileOnPhone;
use chrono::{Datelike, Local};
use leptos::prelude::*;
use xiafang_core::Field;
use xiafang_core::dates::Day;
use xiafang_core::file_edit::FileConflict;
use xiafang_core::judge::{Offer, offers, phone_reach, tasking_actions};
use xiafang_core::tasking::TaskingAction;

#[component]
pub fn FilePage() -> impl IntoView {
    let i18n = use_i18n();
    let (id, data) = file_from_address();
    // Outside the file's view, so reloading the file does not read the conflicts again.
    let conflicts = conflicts_of(id);
    view! {
        <RequireSession>
            <a href="/" class="back">{move || format!("‹ {}", i18n.t(Msg::MyFiles))}</a>
            {loaded(data, move |shown: Option<FileOnPhone>| {
                match shown {
                    None => view! { <p class="card problem">{i18n.t(Msg::FileMissing)}</p> }.into_any(),
                    Some(shown) => view! { <FileView shown conflicts /> }.into_any(),
                }
            })}
        </RequireSession>
    }
}

#[component]
fn FileView(
    shown: FileOnPhone,
    conflicts: crate::fetched::Fetched<Vec<FileConflict>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let lang = i18n.lang();
    let FileOnPhone {
        file,
        edited,
        timeline: records,
        chain,
    } = shown;
    let today = Local::now().date_naive();
    let visits = file.visit_count(records.iter().map(|r| &r.record));
    let m = &file.matter;
    let years = today.year() - m.since.year();
    let age = file
        .age(today)
        .map(|a| format!("{a}{}", i18n.t(Msg::YearsOld)));
    let new_link = |kind: &str| format!("/files/{}/new/{kind}", file.id);
    // Offered only what the judge would take from this account (`core::judge::offers`); the
    // server decides in the end.
    let role = expect_context::<SignedIn>()
        .0
        .get_untracked()
        .map(|s| s.account.role);
    let offered = role
        .map(|role| offers(role, phone_reach(role)))
        .unwrap_or_default();
    let edits_file = offered.contains(&Offer::EditFile);
    // Whoever may only enter the unit's report (the cadre on the file) is offered it while a
    // task assigned on the file is not yet signed off.
    let reports_only = role
        .is_some_and(|role| tasking_actions(role, phone_reach(role)) == [TaskingAction::Reported]);
    let task_open = xiafang_core::tasks::tasks(
        &records.iter().map(|l| l.record.clone()).collect::<Vec<_>>(),
        &xiafang_core::tasks::TaskingRules::default(),
        &xiafang_core::calendar::Calendar::default(),
        today,
    )
    .rounds
    .last()
    .is_some_and(|t| t.signed_off.is_none());
    let buttons = offered
        .into_iter()
        .filter(|offer| *offer != Offer::Tasking || !reports_only || task_open)
        .filter_map(|offer| {
            let (kind, msg) = match offer {
                Offer::Tasking if reports_only => ("tasking", Msg::AddUnitReport),
                _ => new_record_link(offer)?,
            };
            let class = if offer == Offer::Visit {
                "button primary"
            } else {
                "button"
            };
            Some(view! { <a href=new_link(kind) class=class>{i18n.t(msg)}</a> })
        })
        .collect_view();
    let all: Vec<xiafang_core::Record> = records.iter().map(|l| l.record.clone()).collect();
    view! {
        <ChainWarning chain records=records.clone() />
        <section class="card person">
            <div class="card-head">
                <h1>{file.name.clone()}</h1>
                {edits_file.then(|| view! {
                    <a href=format!("/files/{}/edit", file.id) class="button">{i18n.t(Msg::EditFile)}</a>
                })}
            </div>
            <p class="muted">
                {file.sex.label(lang)} " " {age} " · " {file.township.clone()} " " {file.village.clone()} " " {file.group.clone()}
            </p>
            <dl>
                <dt>{Field::Address.label(lang)}</dt>
                <dd>{file.address.clone()}</dd>
                {file.phone.clone().map(|p| view! { <dt>{Field::Phone.label(lang)}</dt><dd data-testid="phone">{p}</dd> })}
                // Sensitive: masked here; in full only in the edit form.
                {file.id_number.as_deref().map(xiafang_core::id_number::mask).map(|id| view! { <dt>{Field::IdNumber.label(lang)}</dt><dd data-testid="id-number">{id}</dd> })}
                <dt>{Field::Household.label(lang)}</dt>
                <dd>{file.household.clone()}</dd>
            </dl>
            <p class="tags">
                {file.tags.iter().map(|t| view! { <span class="tag">{t.clone()}</span> }).collect_view()}
            </p>
            {edited.then(|| view! { <p class="state pending" data-testid="edits-pending">{i18n.t(Msg::PendingEdits)}</p> })}
        </section>
        <Conflicts list=conflicts />
        <SamePerson file=file.clone() />
        <section class="card matter">
            <h2>{i18n.t(Msg::Matter)} " · " {m.category.label(lang)}</h2>
            <p class="summary">{m.summary.clone()}</p>
            <dl>
                <dt>{i18n.t(Msg::Since)}</dt>
                <dd>{format!("{}（{years} {}）", Day(m.since), i18n.t(Msg::YearsAgo))}</dd>
                <dt>{i18n.t(Msg::LevelReached)}</dt>
                <dd>{m.level_reached.label(lang)} " · " {m.channel.label(lang)} " · " {m.classification.label(lang)}</dd>
                <dt>{i18n.t(Msg::Resolution)}</dt>
                <dd>{m.resolution.label(lang)}</dd>
                {m.case_leader.clone().map(|l| view! { <dt>{i18n.t(Msg::CaseLeader)}</dt><dd>{l}</dd> })}
                <dt>{i18n.t(Msg::VisitCount)}</dt>
                <dd data-testid="visit-count">{visits}</dd>
            </dl>
            <p class="flags">{m.flags.iter().map(|f| f.label(lang)).collect::<Vec<_>>().join("、")}</p>
        </section>
        <CaseCard file=file.clone() records=all.clone() />
        <TaskCard records=all />
        <nav class="actions">{buttons}</nav>
        <a href=format!("/files/{}/print", file.id) class="print-link">{i18n.t(Msg::PrintFile)}</a>
        <h2>{i18n.t(Msg::Timeline)}</h2>
        <Timeline records />
    }
}

/// The address part and the label of the button that starts a new record of `offer`'s kind;
/// editing the file is a button of its own, beside the name.
fn new_record_link(offer: Offer) -> Option<(&'static str, Msg)> {
    Some(match offer {
        Offer::Visit => ("visit", Msg::AddVisit),
        Offer::Assistance => ("assistance", Msg::AddAssistance),
        Offer::Note => ("note", Msg::AddNote),
        Offer::CaseStep => ("case_step", Msg::AddStep),
        Offer::Supervision => ("supervision", Msg::AddSupervision),
        Offer::Referral => ("referral", Msg::AddReferral),
        Offer::LegalOpinion => ("legal_opinion", Msg::AddOpinion),
        Offer::Mediation => ("mediation", Msg::AddMediation),
        Offer::Reception => ("reception", Msg::AddReception),
        Offer::Warning => ("warning", Msg::AddWarning),
        Offer::Tasking => ("tasking", Msg::AddTasking),
        Offer::EditFile => return None,
    })
}

//! 案件期限: what is overdue or due soon, what is under supervision, which early signs (苗头) are
//! open and how high they were reported, which follow-ups and visits are due — computed on the phone from the case load, grouped by place, cadre or leader.
//! Counts per cadre are for planning work and ordered by name: nobody is ranked.

use super::{CaseLoad, case_load, today, with_n};
use crate::components::CaseTabs;
use crate::components::{RequireSession, loaded};
use crate::i18n::{Msg, use_i18n};
use crate::store::settings;
use chrono::NaiveDate;
use leptos::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use xiafang_core::case::{CaseStatus, DeadlineKind, DeadlineStatus, case_status};
use xiafang_core::file::MatterFlag;
use xiafang_core::warnings::{WarningState, warning_state};
use xiafang_core::{Lang, PetitionerFile, RecordBody};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Grouping {
    Township,
    Village,
    Cadre,
    Leader,
}

impl Grouping {
    const ALL: [(Grouping, &'static str, Msg); 4] = [
        (Grouping::Township, "township", Msg::GroupTownship),
        (Grouping::Village, "village", Msg::GroupVillage),
        (Grouping::Cadre, "cadre", Msg::GroupCadre),
        (Grouping::Leader, "leader", Msg::GroupLeader),
    ];
}

/// One file as this page sees it.
#[derive(Clone)]
struct Case {
    file: PetitionerFile,
    status: CaseStatus,
    /// The file's latest early sign, open or settled.
    warning: Option<WarningState>,
    /// Who wrote its visits, assistance and notes: the cadres working on it.
    cadres: BTreeSet<String>,
}

impl Case {
    fn groups(&self, by: Grouping, lang: Lang) -> Vec<String> {
        match by {
            Grouping::Township => vec![self.file.township.clone()],
            Grouping::Village => vec![format!("{} {}", self.file.township, self.file.village)],
            Grouping::Cadre if self.cadres.is_empty() => vec![Msg::NoCadre.text(lang).into()],
            Grouping::Cadre => self.cadres.iter().cloned().collect(),
            Grouping::Leader if self.status.leaders.is_empty() => {
                vec![Msg::NoLeader.text(lang).into()]
            }
            Grouping::Leader => self.status.leaders.iter().map(|l| l.name.clone()).collect(),
        }
    }
}

fn cases(load: &CaseLoad, today: NaiveDate) -> Vec<Case> {
    let rules = settings::rules().case;
    load.iter()
        .map(|(file, records)| Case {
            status: case_status(file, records, &rules, today),
            warning: warning_state(records, today),
            cadres: records
                .iter()
                .filter(|r| {
                    matches!(
                        r.body,
                        RecordBody::Visit(_) | RecordBody::Assistance(_) | RecordBody::Note(_)
                    )
                })
                .map(|r| r.author_name.clone())
                .collect(),
            file: file.clone(),
        })
        .collect()
}

/// The page's sections, in the order a supervisor works through them.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Section {
    Overdue,
    DueSoon,
    Supervised,
    Warnings,
    FollowUp,
    NoVisit,
}

impl Section {
    const ALL: [Section; 6] = [
        Section::Overdue,
        Section::DueSoon,
        Section::Supervised,
        Section::Warnings,
        Section::FollowUp,
        Section::NoVisit,
    ];

    fn id(self) -> &'static str {
        match self {
            Section::Overdue => "overdue",
            Section::DueSoon => "due-soon",
            Section::Supervised => "supervised",
            Section::Warnings => "warnings",
            Section::FollowUp => "follow-up",
            Section::NoVisit => "no-visit",
        }
    }

    fn title(self, lang: Lang) -> String {
        match self {
            Section::Overdue => Msg::SectionOverdue.text(lang).into(),
            Section::DueSoon => Msg::SectionDueSoon.text(lang).into(),
            Section::Supervised => Msg::SectionSupervised.text(lang).into(),
            Section::Warnings => Msg::SectionWarnings.text(lang).into(),
            Section::FollowUp => Msg::SectionFollowUp.text(lang).into(),
            Section::NoVisit => with_n(
                Msg::SectionNoVisit,
                lang,
                settings::rules().case.no_visit_days,
            ),
        }
    }
}

/// One line of a section: a file and what is due on it.
#[derive(Clone)]
struct Item {
    case: usize,
    /// What is due, e.g. 告知 or 督办期限 · 书面督办.
    what: String,
    /// The day it falls due, or for a quiet file the last visit.
    day: Option<NaiveDate>,
    /// Extra text: the supervision's reason, or which calendar counted the deadline.
    note: Option<String>,
}

fn items(cases: &[Case], section: Section, lang: Lang) -> Vec<Item> {
    let mut out = Vec::new();
    for (i, c) in cases.iter().enumerate() {
        let s = &c.status;
        let deadline = |kind| s.deadline(kind).map(|d| d.due);
        let mut push = |what: String, day, note| {
            out.push(Item {
                case: i,
                what,
                day,
                note,
            })
        };
        match section {
            Section::Overdue | Section::DueSoon => {
                let wanted = match section {
                    Section::Overdue => DeadlineStatus::Overdue,
                    _ => DeadlineStatus::DueSoon,
                };
                for d in s.deadlines.iter().filter(|d| d.status == wanted) {
                    // Which calendar counted it, when that matters (a last day moved off a
                    // holiday, working days, a year whose holidays are not published).
                    let calendar = d.calendar.as_ref().map(|c| c.describe(lang));
                    push(d.kind.label(lang).into(), Some(d.due), calendar);
                }
            }
            Section::Supervised => {
                if let Some(sup) = s.supervision.as_ref().filter(|s| s.lifted.is_none()) {
                    let what = format!(
                        "{} · {}",
                        DeadlineKind::Supervision.label(lang),
                        sup.mode.label(lang)
                    );
                    push(what, Some(sup.deadline), Some(sup.reason.clone()));
                }
            }
            Section::FollowUp if s.follow_up_due => {
                push(
                    DeadlineKind::FollowUp.label(lang).into(),
                    deadline(DeadlineKind::FollowUp),
                    None,
                );
            }
            Section::Warnings => {
                if let Some(w) = c.warning.as_ref().filter(|w| w.is_open()) {
                    let what = format!(
                        "{} · {}{}",
                        w.sign.label(lang),
                        Msg::ReportedTo.text(lang),
                        w.level.label(lang)
                    );
                    push(what, Some(w.since), Some(w.what.clone()));
                }
            }
            Section::NoVisit if s.needs_visit => push(String::new(), s.last_visit, None),
            Section::FollowUp | Section::NoVisit => {}
        }
    }
    out.sort_by_key(|item| (item.day, cases[item.case].file.name.clone()));
    out
}

/// Items by group name; a file with several cadres or leaders is listed under each of them.
fn grouped(
    cases: &[Case],
    items: Vec<Item>,
    by: Grouping,
    lang: Lang,
) -> BTreeMap<String, Vec<Item>> {
    let mut groups: BTreeMap<String, Vec<Item>> = BTreeMap::new();
    for item in items {
        for g in cases[item.case].groups(by, lang) {
            groups.entry(g).or_default().push(item.clone());
        }
    }
    groups
}

#[component]
pub fn CasesPage() -> impl IntoView {
    let i18n = use_i18n();
    let load = case_load();
    let by = RwSignal::new(Grouping::Township);
    view! {
        <RequireSession>
            <section class="console">
                <h1>{move || i18n.t(Msg::NavCases)}</h1>
                <CaseTabs />
                <p class="muted small">{move || i18n.t(Msg::ComputedOnPhone)}</p>
                <label class="field grouping">
                    <span class="label">{move || i18n.t(Msg::GroupBy)}</span>
                    <select
                        name="group"
                        on:change:target=move |ev| {
                            let key = ev.target().value();
                            if let Some((g, _, _)) = Grouping::ALL.iter().find(|(_, k, _)| *k == key) {
                                by.set(*g);
                            }
                        }
                    >
                        {Grouping::ALL
                            .iter()
                            .map(|&(g, key, label)| {
                                view! {
                                    <option value=key selected=move || by.get() == g>
                                        {move || i18n.t(label)}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </label>
                {loaded(load, move |load: CaseLoad| {
                    let cases = cases(&load, today());
                    move || {
                        let lang = i18n.lang();
                        let by = by.get();
                        if cases.is_empty() {
                            return view! { <p class="muted">{i18n.t(Msg::NoFilesYet)}</p> }.into_any();
                        }
                        view! {
                            {Section::ALL
                                .iter()
                                .map(|&section| {
                                    let groups = grouped(&cases, items(&cases, section, lang), by, lang);
                                    view! { <CaseSection section groups cases=cases.clone() /> }
                                })
                                .collect_view()}
                            <Workload cases=cases.clone() by />
                        }
                            .into_any()
                    }
                })}
            </section>
        </RequireSession>
    }
}

#[component]
fn CaseSection(
    section: Section,
    groups: BTreeMap<String, Vec<Item>>,
    cases: Vec<Case>,
) -> impl IntoView {
    let i18n = use_i18n();
    let lang = i18n.lang();
    let total: BTreeSet<usize> = groups.values().flatten().map(|i| i.case).collect();
    let body = if groups.is_empty() {
        view! { <p class="muted">{i18n.t(Msg::NothingDue)}</p> }.into_any()
    } else {
        groups
            .into_iter()
            .map(|(group, items)| {
                view! {
                    <h3 class="group">{group} <span class="count">{items.len()}</span></h3>
                    <ul class="due-list">
                        {items.into_iter().map(|item| { let case = cases[item.case].clone(); view! { <DueRow item case section /> } }).collect_view()}
                    </ul>
                }
            })
            .collect_view()
            .into_any()
    };
    view! {
        <section class=format!("card due {}", section.id()) data-testid=format!("section-{}", section.id())>
            <h2>{section.title(lang)} <span class="count">{total.len()}</span></h2>
            {body}
        </section>
    }
}

/// How a day stands against today: "逾期 3 天", "还剩 2 天", "今天到期", or for a quiet file how
/// long since the last visit.
fn when(section: Section, day: Option<NaiveDate>, lang: Lang) -> (String, &'static str) {
    let today = today();
    match (section, day) {
        (Section::NoVisit, Some(last)) => (
            with_n(Msg::DaysSinceVisit, lang, (today - last).num_days()),
            "late",
        ),
        (Section::NoVisit, None) => (Msg::NeverVisited.text(lang).into(), "late"),
        (Section::Warnings, Some(since)) => (
            with_n(Msg::DaysSinceReported, lang, (today - since).num_days()),
            "late",
        ),
        (_, None) => (String::new(), ""),
        (_, Some(due)) => match (due - today).num_days() {
            0 => (Msg::DueToday.text(lang).into(), "soon"),
            n if n < 0 => (with_n(Msg::DaysOverdue, lang, -n), "late"),
            n => (
                with_n(Msg::DaysLeft, lang, n),
                if n <= 3 { "soon" } else { "" },
            ),
        },
    }
}

fn flags(case: &Case, lang: Lang) -> Vec<String> {
    let f = &case.status.flags;
    let mut out = Vec::new();
    for (on, flag) in [
        (f.urgent, MatterFlag::Urgent),
        (f.repeat, MatterFlag::Repeat),
        (f.skip_level, MatterFlag::SkipLevel),
        (f.collective, MatterFlag::Collective),
    ] {
        if on {
            out.push(flag.label(lang).to_owned());
        }
    }
    if let Some(years) = f.backlog_years {
        out.push(with_n(Msg::BacklogYears, lang, years));
    }
    if case.status.unreceived {
        out.push(Msg::Unreceived.text(lang).to_owned());
    }
    for document in &case.status.unserved {
        out.push(format!(
            "{}{}",
            document.label(lang),
            Msg::Unserved.text(lang)
        ));
    }
    out
}

#[component]
fn DueRow(item: Item, case: Case, section: Section) -> impl IntoView {
    let i18n = use_i18n();
    let lang = i18n.lang();
    let (left, class) = when(section, item.day, lang);
    let flags = flags(&case, lang);
    let file = case.file;
    let day = item.day.map(|d| match section {
        Section::NoVisit => format!("{} {d}", i18n.t(Msg::LastVisit)),
        _ => format!("{} {d}", i18n.t(Msg::Due)),
    });
    view! {
        <li>
            <a href=format!("/files/{}", file.id)>
                <span class="line">
                    <strong class="name">{file.name.clone()}</strong>
                    <span class=format!("left {class}")>{left}</span>
                </span>
                <span class="place">{format!("{} · {}", file.township, file.village)}</span>
                <span class="what">{item.what} {day.map(|d| view! { " " <time>{d}</time> })}</span>
                {item.note.map(|n| view! { <span class="note">{n}</span> })}
                {(!flags.is_empty()).then(|| view! { <span class="flags">{flags.join("、")}</span> })}
            </a>
        </li>
    }
}

/// The workload table's columns: files, then each section.
const COLUMNS: usize = Section::ALL.len() + 1;

/// Plain counts per group for planning who does what next, ordered by name.
#[component]
fn Workload(cases: Vec<Case>, by: Grouping) -> impl IntoView {
    let i18n = use_i18n();
    let lang = i18n.lang();
    // The file count, then one column per section.
    let mut rows: BTreeMap<String, [usize; COLUMNS]> = BTreeMap::new();
    for (i, c) in cases.iter().enumerate() {
        let one = &cases[i..=i];
        let mut counts = [0; COLUMNS];
        counts[0] = 1;
        for (slot, section) in Section::ALL.iter().enumerate() {
            counts[slot + 1] = items(one, *section, lang).len();
        }
        for g in c.groups(by, lang) {
            let row = rows.entry(g).or_default();
            for (total, n) in row.iter_mut().zip(counts) {
                *total += n;
            }
        }
    }
    let head: [Msg; COLUMNS] = [
        Msg::FilesCount,
        Msg::SectionOverdue,
        Msg::SectionDueSoon,
        Msg::SectionSupervised,
        Msg::ShortWarnings,
        Msg::SectionFollowUp,
        Msg::ShortNoVisit,
    ];
    view! {
        <section class="card workload" data-testid="workload">
            <h2>{i18n.t(Msg::Workload)}</h2>
            <p class="muted small">{i18n.t(Msg::WorkloadExplain)}</p>
            // Wider than the phone: it scrolls sideways, so the keyboard must reach it too.
            <div class="table-wrap" tabindex="0" role="region" aria-label=i18n.t(Msg::Workload)>
                <table>
                    <thead>
                        <tr>
                            <th></th>
                            {head.iter().map(|m| view! { <th>{i18n.t(*m)}</th> }).collect_view()}
                        </tr>
                    </thead>
                    <tbody>
                        {rows
                            .into_iter()
                            .map(|(group, counts)| {
                                view! {
                                    <tr>
                                        <th scope="row">{group}</th>
                                        {counts.iter().map(|n| view! { <td>{*n}</td> }).collect_view()}
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

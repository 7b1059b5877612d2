//! 交办: every matter assigned to a handling unit on the phone's case load, folded with
//! `core::tasks` (offline too). Open ones first, overdue at the top, those within the reminder
//! window marked 提醒（电话催办）; then the reports awaiting 审核销号; then what was signed off.

use super::{CaseLoad, case_load, today, with_n};
use crate::components::{RequireSession, loaded};
use crate::i18n::{Msg, use_i18n};
use crate::store::settings;
use leptos::prelude::*;
use xiafang_core::tasks::{Task, TaskState, tasks};
use xiafang_core::{Field, Lang, PetitionerFile};

/// One assignment with its file.
#[derive(Clone)]
struct Row {
    file: PetitionerFile,
    task: Task,
}

/// The page's tables: the state order puts overdue first.
const GROUPS: [(Msg, &str, &[TaskState]); 3] = [
    (
        Msg::TasksOpen,
        "tasks-open",
        &[
            TaskState::Overdue,
            TaskState::DueSoon,
            TaskState::SentBack,
            TaskState::Open,
        ],
    ),
    (Msg::TasksAwaiting, "tasks-reported", &[TaskState::Reported]),
    (Msg::TasksDone, "tasks-signed-off", &[TaskState::SignedOff]),
];

fn rows(load: &CaseLoad) -> Vec<Row> {
    let rules = settings::rules();
    let today = today();
    let mut out: Vec<Row> = load
        .iter()
        .flat_map(|(file, records)| {
            tasks(records, &rules.tasking, &rules.case.limits.calendar, today)
                .rounds
                .into_iter()
                .map(|task| Row {
                    file: file.clone(),
                    task,
                })
        })
        .collect();
    out.sort_by(|a, b| (a.task.report_by, &a.file.name).cmp(&(b.task.report_by, &b.file.name)));
    out
}

fn left(task: &Task, lang: Lang) -> (String, &'static str) {
    match (task.state, task.days_left) {
        (TaskState::Reported | TaskState::SignedOff, _) => (String::new(), ""),
        (_, 0) => (Msg::DueToday.text(lang).into(), "soon"),
        (_, n) if n < 0 => (with_n(Msg::DaysOverdue, lang, -n), "late"),
        (TaskState::DueSoon, n) => (with_n(Msg::DaysLeft, lang, n), "soon"),
        (_, n) => (with_n(Msg::DaysLeft, lang, n), ""),
    }
}

#[component]
pub fn TasksPage() -> impl IntoView {
    let i18n = use_i18n();
    let load = case_load();
    view! {
        <RequireSession>
            <section class="console">
                <h1>{move || i18n.t(Msg::NavTasks)}</h1>
                <p class="muted small">{move || i18n.t(Msg::TasksExplain)}</p>
                {loaded(load, move |load: CaseLoad| {
                    let all = rows(&load);
                    move || {
                        GROUPS
                            .iter()
                            .map(|&(title, id, states)| {
                                let mut here: Vec<Row> = all
                                    .iter()
                                    .filter(|r| states.contains(&r.task.state))
                                    .cloned()
                                    .collect();
                                // Overdue before due soon before the rest; by deadline within.
                                here.sort_by_key(|r| {
                                    states.iter().position(|s| *s == r.task.state)
                                });
                                view! { <TaskTable title id rows=here /> }
                            })
                            .collect_view()
                    }
                })}
            </section>
        </RequireSession>
    }
}

#[component]
fn TaskTable(title: Msg, id: &'static str, rows: Vec<Row>) -> impl IntoView {
    let i18n = use_i18n();
    let lang = i18n.lang();
    let heading = format!("{id}-title");
    let head = [
        Msg::ColFile.text(lang),
        Msg::ColUnit.text(lang),
        // The form's own words for the field (one label per field).
        Field::ReportBy.label(lang),
        Msg::ColLeft.text(lang),
        Msg::ColUrged.text(lang),
        Msg::ColState.text(lang),
    ];
    let body = if rows.is_empty() {
        view! { <p class="muted">{i18n.t(Msg::TasksNone)}</p> }.into_any()
    } else {
        view! {
            <div class="table-wrap" tabindex="0" role="region" aria-labelledby=heading.clone()>
                <table>
                    <thead>
                        <tr>{head.iter().map(|h| view! { <th scope="col">{*h}</th> }).collect_view()}</tr>
                    </thead>
                    <tbody>
                        {rows
                            .into_iter()
                            .map(|r| {
                                let (left, class) = left(&r.task, lang);
                                let state = r.task.state;
                                let remind = (state == TaskState::DueSoon)
                                    .then(|| view! { <span class="remind">{i18n.t(Msg::TaskRemind)}</span> });
                                let late = r.task.ever_late().then(|| view! { " · " {i18n.t(Msg::TaskLate)} });
                                view! {
                                    <tr data-state=state.key()>
                                        <th scope="row">
                                            <a href=format!("/files/{}", r.file.id)>{r.file.name.clone()}</a>
                                        </th>
                                        <td>{r.task.unit.clone()}</td>
                                        <td><time>{r.task.report_by.to_string()}</time></td>
                                        <td class=format!("left {class}")>{left}</td>
                                        <td>{r.task.urged}</td>
                                        <td class="state">{state.label(lang)}{late} {remind}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! {
        <section class="card tasks" data-testid=id>
            <h2 id=heading>{i18n.t(title)}</h2>
            {body}
        </section>
    }
}

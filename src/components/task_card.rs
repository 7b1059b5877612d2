//! The file's 交办 rounds on its page: which unit, the report deadline and how it stands (a
//! reminder to phone the unit before it, overdue after it), the 催办 made, a late report, a
//! sign-off. Folded on the phone (`core::tasks`), so it reads offline.

use crate::i18n::{Msg, use_i18n};
use crate::store::settings;
use leptos::prelude::*;
use xiafang_core::tasks::{TaskState, tasks};
use xiafang_core::{Field, Record};

#[component]
pub fn TaskCard(records: Vec<Record>) -> impl IntoView {
    let i18n = use_i18n();
    let lang = i18n.lang();
    let rules = settings::rules();
    let today = chrono::Local::now().date_naive();
    let folded = tasks(&records, &rules.tasking, &rules.case.limits.calendar, today);
    if folded.rounds.is_empty() && folded.problems.is_empty() {
        return None;
    }
    let n = |msg: Msg, n: i64| msg.text(lang).replace("{n}", &n.to_string());
    let rounds = folded
        .rounds
        .iter()
        .map(|t| {
            let mut parts = vec![
                format!("{} {}", Field::ReportBy.label(lang), t.report_by),
                t.state.label(lang).to_owned(),
            ];
            if matches!(
                t.state,
                TaskState::Open | TaskState::DueSoon | TaskState::SentBack
            ) {
                parts.push(match t.days_left {
                    0 => Msg::DueToday.text(lang).to_owned(),
                    d => n(Msg::DaysLeft, d),
                });
            }
            if t.state == TaskState::Overdue {
                parts.push(n(Msg::DaysOverdue, -t.days_left));
            }
            if t.urged > 0 {
                parts.push(n(Msg::TaskUrged, i64::from(t.urged)));
            }
            if t.ever_late() {
                parts.push(Msg::TaskLate.text(lang).to_owned());
            }
            view! {
                <li class=format!("task {}", t.state.key()) data-state=t.state.key()>
                    <strong>{t.unit.clone()}</strong>
                    " · " {parts.join(" · ")}
                    <span class="note">{t.task.clone()}</span>
                </li>
            }
        })
        .collect_view();
    let problems = folded
        .problems
        .iter()
        .map(|p| view! { <li class="problem">{p.kind.label(lang)}</li> })
        .collect_view();
    Some(view! {
        <section class="card tasks" data-testid="tasks">
            <h2>{i18n.t(Msg::TaskTitle)}</h2>
            <ul class="deadlines">{rounds}{problems}</ul>
        </section>
    })
}

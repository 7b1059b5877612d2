//! 待办: what falls due on a cadre's own files — the next step a visit promised and its date,
//! the matter's open deadlines (the follow-up visit after closure among them), the handling
//! unit's report on an assigned matter (交办), the 包案 plan's milestones not yet met, and files
//! not visited for
//! `CaseRules::no_visit_days` — overdue first, then soonest due.
//!
//! The phone keeps each file's items and works out again only the files that changed, so what
//! an item holds does not depend on the day it is read: an item has a due day, and whether it
//! is overdue or near is for the day it is shown (`Todo::standing`).

use crate::base::ids::FileId;
use crate::folds::case::{CaseRules, CaseStatus, DeadlineKind, DeadlineStatus, case_status};
use crate::folds::ledger::effective;
use crate::folds::screenings::{Rhythm, ScreeningRules, place_rhythm};
use crate::folds::tasks::{TaskState, TaskingRules, tasks};
use crate::records::file::PetitionerFile;
use crate::records::record::{Record, RecordBody};
use crate::records::screening::{LedgerPlace, PlaceLevel};
use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

/// How far ahead the home screen looks: items due later are not yet to do.
pub const AHEAD_DAYS: u64 = 14;

/// What is to be done.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "todo", rename_all = "snake_case")]
pub enum TodoKind {
    /// The 下一步 of the file's latest visit, with the date it set.
    NextStep { step: String },
    /// An open deadline of the matter (a window of the petitioner's is not the cadre's to do).
    Deadline { kind: DeadlineKind },
    /// The handling unit's 办结报告 on a matter assigned to it, not yet reported.
    Report { unit: String },
    /// A milestone of the case's 化解方案 (包案) not yet met.
    Milestone { what: String },
    /// The file is due a visit: `last` is the latest one, if any was logged in the app.
    Visit {
        #[serde(default, deserialize_with = "crate::base::dates::wire::naive_date_opt")]
        last: Option<NaiveDate>,
    },
    /// The place's 矛盾纠纷排查 of the current period is not recorded yet; the item's `file` is
    /// the place's screening ledger, its `name` the place's, its `due` the period's last day.
    Screening { rhythm: Rhythm },
}

/// One thing to do on one file, by `due`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Todo {
    pub file: FileId,
    /// The petitioner's name, so the list reads without opening the file.
    pub name: String,
    pub kind: TodoKind,
    #[serde(deserialize_with = "crate::base::dates::wire::naive_date")]
    pub due: NaiveDate,
}

/// Where an item stands on the day it is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    Overdue,
    /// Due today or within `CaseRules::due_soon_days`.
    DueSoon,
    Ahead,
}

impl Todo {
    pub fn standing(&self, today: NaiveDate, rules: &CaseRules) -> Standing {
        let days = (self.due - today).num_days();
        if days < 0 {
            Standing::Overdue
        } else if days <= i64::from(rules.due_soon_days) {
            Standing::DueSoon
        } else {
            Standing::Ahead
        }
    }
}

/// The items of one file as of `today` (the day only decides which records have happened).
pub fn file_todos(
    file: &PetitionerFile,
    records: &[Record],
    rules: &CaseRules,
    tasking: &TaskingRules,
    today: NaiveDate,
) -> Vec<Todo> {
    let status = case_status(file, records, rules, today);
    let item = |kind, due| Todo {
        file: file.id.clone(),
        name: file.name.clone(),
        kind,
        due,
    };
    let mut items: Vec<Todo> = Vec::new();
    if let Some((step, due)) = next_step(file, records, today) {
        items.push(item(TodoKind::NextStep { step }, due));
    }
    items.extend(open_deadlines(&status).map(|(kind, due)| item(TodoKind::Deadline { kind }, due)));
    if let Some(plan) = &status.plan {
        items.extend(plan.open().into_iter().map(|m| {
            let what = m.what.clone();
            item(TodoKind::Milestone { what }, m.due)
        }));
    }
    let rounds = tasks(records, tasking, &rules.limits.calendar, today).rounds;
    items.extend(
        rounds
            .into_iter()
            .filter(|t| {
                matches!(
                    t.state,
                    TaskState::Open | TaskState::DueSoon | TaskState::Overdue | TaskState::SentBack
                )
            })
            .map(|t| item(TodoKind::Report { unit: t.unit }, t.report_by)),
    );
    let visit_due = match status.last_visit {
        Some(last) => last.checked_add_days(Days::new(u64::from(rules.no_visit_days))),
        // Never visited in the app: due since the matter began.
        None => Some(file.matter.since),
    };
    if let Some(due) = visit_due {
        let last = status.last_visit;
        items.push(item(TodoKind::Visit { last }, due));
    }
    items
}

/// The items to show on `today`: everything overdue and what falls due within `AHEAD_DAYS`,
/// overdue first (the longest overdue at the top), then soonest due.
pub fn to_do(items: impl IntoIterator<Item = Todo>, today: NaiveDate) -> Vec<Todo> {
    let horizon = today
        .checked_add_days(Days::new(AHEAD_DAYS))
        .unwrap_or(today);
    let mut shown: Vec<Todo> = items.into_iter().filter(|t| t.due <= horizon).collect();
    shown.sort_by(|a, b| {
        (a.due, rank(&a.kind), &a.name, &a.file).cmp(&(b.due, rank(&b.kind), &b.name, &b.file))
    });
    shown
}

/// Of items due the same day, a promise made to the petitioner first, then the law's deadlines.
fn rank(kind: &TodoKind) -> u8 {
    match kind {
        TodoKind::NextStep { .. } => 0,
        TodoKind::Deadline { .. } | TodoKind::Report { .. } | TodoKind::Milestone { .. } => 1,
        TodoKind::Visit { .. } => 2,
        TodoKind::Screening { .. } => 1,
    }
}

/// The next step the latest visit (that counts, and has happened) set, with its date. A later
/// visit without one means the step was taken or dropped: nothing is left to do.
fn next_step(
    file: &PetitionerFile,
    records: &[Record],
    today: NaiveDate,
) -> Option<(String, NaiveDate)> {
    let mut visits: Vec<&Record> = effective(records)
        .into_iter()
        .filter(|r| r.file_id == file.id && r.occurred_at.date() <= today)
        .filter(|r| matches!(r.body, RecordBody::Visit(_)))
        .collect();
    visits.sort_by_key(|r| (r.occurred_at, r.saved_at));
    let RecordBody::Visit(v) = &visits.last()?.body else {
        return None;
    };
    let step = v.next_step.trim();
    (!step.is_empty()).then_some(())?;
    Some((step.to_owned(), v.next_due?))
}

fn open_deadlines(status: &CaseStatus) -> impl Iterator<Item = (DeadlineKind, NaiveDate)> + '_ {
    status
        .deadlines
        .iter()
        .filter(|d| !d.kind.is_window())
        .filter(|d| {
            matches!(
                d.status,
                DeadlineStatus::Open | DeadlineStatus::DueSoon | DeadlineStatus::Overdue
            )
        })
        .map(|d| (d.kind, d.due))
}

/// 本周排查: the village's screening for the current period, when it is not recorded yet
/// (`records` are the place's ledger's). A township's or county's screening is the office's, not
/// a cadre's to-do, so only villages give one.
pub fn screening_todo(
    place: &LedgerPlace,
    records: &[Record],
    rules: &ScreeningRules,
    today: NaiveDate,
) -> Option<Todo> {
    (place.level == PlaceLevel::Village).then_some(())?;
    let now = place_rhythm(place.level, records, rules, today, today);
    (!now.screened_now()).then(|| Todo {
        file: place.ledger.clone(),
        name: place.name.clone(),
        kind: TodoKind::Screening { rhythm: now.rhythm },
        due: now.current.to,
    })
}

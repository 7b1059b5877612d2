//! What a file's 交办 records add up to as of a day: each assignment round to a handling unit,
//! its report deadline and how it stands (a reminder to phone the unit a few days before it,
//! overdue after it), the 催办 made, the unit's 办结报告 (late stays late, entered late is shown),
//! and whether the office signed it off (审核销号) or sent it back (退回重办). Corrections count as
//! the ledger says: a voided record does not count, an amended one counts as amended.

use crate::base::ids::RecordId;
use crate::folds::calendar::Calendar;
use crate::folds::case::china_date;
use crate::folds::ledger::effective;
use crate::records::record::{Record, RecordBody};
use crate::records::tasking::{Tasking, UrgeMethod};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// What a county may define its own way about 交办.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TaskingRules {
    /// An open task whose report falls due within this many days is due soon: the office phones
    /// the unit before the deadline (提醒).
    pub remind_days: u32,
    /// Count `remind_days` in working days of the case calendar instead of calendar days.
    pub remind_working_days: bool,
    /// What counts as done for 上级交办案件办结率.
    pub closure: Closure,
}

impl Default for TaskingRules {
    fn default() -> Self {
        Self {
            remind_days: 3,
            remind_working_days: false,
            closure: Closure::SignedOffByDeadline,
        }
    }
}

labeled_enum!(
    /// When an assigned matter counts as done in time: signed off (审核销号) by its first report
    /// deadline, or reported by it and signed off by the period's end (the office's own review
    /// time not held against the unit).
    Closure {
        SignedOffByDeadline = "signed_off_by_deadline" => ("限期内审核销号", "signed off by the report deadline"),
        ReportedInTime = "reported_in_time" => ("限期内报告且期末前已审核销号", "reported by the deadline and signed off by the period's end"),
    }
);

labeled_enum!(
    /// Where an assignment round stands. `DueSoon` is the reminder: phone the unit.
    TaskState {
        Open = "open" => ("办理中", "Open"),
        DueSoon = "due_soon" => ("即将到期，请电话催办", "Due soon: phone the unit"),
        Overdue = "overdue" => ("逾期未报告", "Report overdue"),
        SentBack = "sent_back" => ("退回重办", "Sent back"),
        Reported = "reported" => ("已报告，待审核销号", "Reported, awaiting sign-off"),
        SignedOff = "signed_off" => ("已销号", "Signed off"),
    }
);

labeled_enum!(
    /// `RecordedLate`: dated by the deadline, but entered after it had passed; shown, and never
    /// counted as on time.
    ReportTiming {
        OnTime = "on_time" => ("按期报告", "On time"),
        RecordedLate = "recorded_late" => ("逾期补录", "Recorded after the deadline"),
        Late = "late" => ("逾期报告", "Late"),
    }
);

labeled_enum!(
    /// A 交办 record that does not fit where it stands; shown to the office, not counted.
    TaskProblemKind {
        NoTask = "no_task" => ("尚未交办", "Nothing assigned to act on"),
        SignedOffWithoutReport = "signed_off_without_report" => ("未收到办结报告即销号，不予计入", "Signed off without a report: not counted"),
        AfterSignOff = "after_sign_off" => ("已销号后的记录", "Recorded after the sign-off"),
    }
);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskProblem {
    pub record: RecordId,
    pub kind: TaskProblemKind,
}

/// A dated record of the round: when its fact happened, when it was entered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub record: RecordId,
    #[serde(deserialize_with = "crate::base::dates::wire::naive_date")]
    pub on: NaiveDate,
    #[serde(deserialize_with = "crate::base::dates::wire::naive_date")]
    pub recorded: NaiveDate,
}

/// One 办结报告.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitReport {
    pub entry: Entry,
    pub timing: ReportTiming,
    pub resolved: bool,
}

/// One assignment to a handling unit, as of the day asked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Task {
    pub assigned: Entry,
    pub unit: String,
    pub task: String,
    /// The deadline first set; the figure counts by it, so a new date given when sending the
    /// report back does not make a late matter look on time.
    #[serde(deserialize_with = "crate::base::dates::wire::naive_date")]
    pub first_report_by: NaiveDate,
    /// The deadline in force (a send-back may set a new one).
    #[serde(deserialize_with = "crate::base::dates::wire::naive_date")]
    pub report_by: NaiveDate,
    /// Days from the day asked to `report_by`; negative when overdue.
    pub days_left: i64,
    pub urged: u32,
    pub last_urged: Option<(Entry, UrgeMethod)>,
    /// Every report of the round, oldest first; the last counts unless sent back after it.
    pub reports: Vec<UnitReport>,
    pub sent_back: u32,
    /// The 审核销号 and the records it rests on.
    pub signed_off: Option<(Entry, Vec<RecordId>)>,
    pub state: TaskState,
}

impl Task {
    /// The report awaiting or given sign-off: the last one, unless the round was sent back
    /// after it.
    pub fn report(&self) -> Option<&UnitReport> {
        self.reports.last().filter(|_| self.has_report())
    }

    /// A report came in after the last send-back.
    fn has_report(&self) -> bool {
        self.reports.len() > self.sent_back as usize
    }

    /// Any report of the round came late or was entered late: it stays so after a send-back.
    pub fn ever_late(&self) -> bool {
        self.reports
            .iter()
            .any(|r| r.timing != ReportTiming::OnTime)
    }
}

/// A file's assignment rounds and the records that did not fit.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tasks {
    pub rounds: Vec<Task>,
    pub problems: Vec<TaskProblem>,
}

/// The 交办 rounds of one file's `records` dated on or before `today`.
pub fn tasks(
    records: &[Record],
    rules: &TaskingRules,
    calendar: &Calendar,
    today: NaiveDate,
) -> Tasks {
    let mut counted: Vec<&Record> = effective(records)
        .into_iter()
        .filter(|r| r.occurred_at.date() <= today)
        .collect();
    counted.sort_by_key(|r| (r.occurred_at, r.saved_at));
    let mut out = Tasks::default();
    for r in counted {
        let RecordBody::Tasking(t) = &r.body else {
            continue;
        };
        let entry = Entry {
            record: r.id,
            on: r.occurred_at.date(),
            recorded: china_date(r.saved_at),
        };
        if let Tasking::Assigned {
            unit,
            task,
            report_by,
        } = t
        {
            out.rounds.push(Task {
                assigned: entry,
                unit: unit.clone(),
                task: task.clone(),
                first_report_by: *report_by,
                report_by: *report_by,
                days_left: 0,
                urged: 0,
                last_urged: None,
                reports: Vec::new(),
                sent_back: 0,
                signed_off: None,
                state: TaskState::Open,
            });
            continue;
        }
        let problem = |kind| TaskProblem { record: r.id, kind };
        let Some(round) = out.rounds.last_mut() else {
            out.problems.push(problem(TaskProblemKind::NoTask));
            continue;
        };
        if round.signed_off.is_some() {
            out.problems.push(problem(TaskProblemKind::AfterSignOff));
            continue;
        }
        match t {
            Tasking::Assigned { .. } => {}
            Tasking::Urged { how, .. } => {
                round.urged += 1;
                round.last_urged = Some((entry, *how));
            }
            Tasking::Reported { resolved, .. } => {
                let timing = if entry.on > round.report_by {
                    ReportTiming::Late
                } else if entry.recorded > round.report_by {
                    ReportTiming::RecordedLate
                } else {
                    ReportTiming::OnTime
                };
                round.reports.push(UnitReport {
                    entry,
                    timing,
                    resolved: *resolved,
                });
            }
            Tasking::SignedOff { evidence, .. } => {
                if round.has_report() {
                    round.signed_off = Some((entry, evidence.clone()));
                } else {
                    out.problems
                        .push(problem(TaskProblemKind::SignedOffWithoutReport));
                }
            }
            Tasking::SentBack { report_by, .. } => {
                // A send-back answers the report in hand; each one asks for one more report.
                round.sent_back = u32::try_from(round.reports.len()).unwrap_or(u32::MAX);
                if let Some(day) = report_by {
                    round.report_by = *day;
                }
            }
        }
    }
    for round in &mut out.rounds {
        round.days_left = (round.report_by - today).num_days();
        round.state = state(round, rules, calendar, today);
    }
    out
}

fn state(round: &Task, rules: &TaskingRules, calendar: &Calendar, today: NaiveDate) -> TaskState {
    if round.signed_off.is_some() {
        TaskState::SignedOff
    } else if round.has_report() {
        TaskState::Reported
    } else if today > round.report_by {
        TaskState::Overdue
    } else if reminds(round.report_by, rules, calendar, today) {
        TaskState::DueSoon
    } else if round.sent_back > 0 {
        TaskState::SentBack
    } else {
        TaskState::Open
    }
}

/// Whether `report_by` (not yet passed) lies within the reminder window from `today`.
fn reminds(
    report_by: NaiveDate,
    rules: &TaskingRules,
    calendar: &Calendar,
    today: NaiveDate,
) -> bool {
    match rules.remind_working_days {
        true => calendar.add_working_days(today, rules.remind_days) >= report_by,
        false => (report_by - today).num_days() <= i64::from(rules.remind_days),
    }
}

/// Whether `round` counts as done in time under `closure`, as the fold saw it at the period's
/// end: signed off, and by its first deadline (dated and entered) or reported by it.
pub fn closed_in_time(round: &Task, closure: Closure) -> bool {
    let Some((signed, _)) = &round.signed_off else {
        return false;
    };
    match closure {
        Closure::SignedOffByDeadline => {
            signed.on <= round.first_report_by && signed.recorded <= round.first_report_by
        }
        Closure::ReportedInTime => round.report().is_some_and(|r| {
            r.timing == ReportTiming::OnTime && r.entry.on <= round.first_report_by
        }),
    }
}

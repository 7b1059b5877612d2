//! 交办台账: one row per assignment round to a handling unit (挂牌销号's register: "逐件登记挂号，
//! 实行动态管理、审核销号") — to whom, what, by when, how often the office pressed, when the
//! unit reported and whether late, and the 审核销号 with the records it rests on, or 退回重办.
//! The rounds are `folds::tasks`'s, as they stood on the period's last day; nothing here works
//! a state out again.

use crate::base::lang::Lang;
use crate::base::problem::Field;
use crate::folds::calendar::Calendar;
use crate::folds::tasks::{ReportTiming, Task, TaskState, TaskingRules, tasks};
use crate::records::file::PetitionerFile;
use crate::records::record::Record;
use crate::records::tasking::TaskingAction;
use crate::reports::ledgers::{Cell, ENTERED, Ledger, LedgerKind, RowSource};
use chrono::NaiveDate;

/// The 交办 ledger of `files`: the rounds assigned within `[from, to]`, as of `to`, oldest first.
pub fn task_ledger(
    files: &[(PetitionerFile, Vec<Record>)],
    from: NaiveDate,
    to: NaiveDate,
    rules: &TaskingRules,
    calendar: &Calendar,
) -> Ledger {
    let mut rounds: Vec<(&PetitionerFile, &[Record], Task)> = files
        .iter()
        .flat_map(|(file, records)| {
            tasks(records, rules, calendar, to)
                .rounds
                .into_iter()
                .filter(|t| (from..=to).contains(&t.assigned.on))
                .map(move |t| (file, records.as_slice(), t))
        })
        .collect();
    rounds.sort_by(|a, b| {
        (a.2.assigned.on, &a.0.township, &a.0.village, &a.0.name).cmp(&(
            b.2.assigned.on,
            &b.0.township,
            &b.0.village,
            &b.0.name,
        ))
    });
    let zh = Lang::Zh;
    Ledger {
        kind: LedgerKind::Tasks,
        headers: vec![
            "交办日期",
            "乡镇（街道）",
            "村（社区）",
            "信访人",
            Field::TaskUnit.label(zh),
            Field::Task.label(zh),
            Field::ReportBy.label(zh),
            "催办次数",
            "最后催办",
            "办结报告日期",
            "是否逾期报告",
            "办理状态",
            "审核销号日期",
            TaskingAction::SentBack.label(zh),
            Field::Evidence.label(zh),
            ENTERED,
        ],
        sources: rounds
            .iter()
            .map(|(file, _, _)| RowSource::File(file.id.clone()))
            .collect(),
        rows: rounds
            .into_iter()
            .map(|(file, records, t)| row(file, records, &t))
            .collect(),
        footer: Vec::new(),
    }
}

fn row(file: &PetitionerFile, records: &[Record], t: &Task) -> Vec<Cell> {
    let zh = Lang::Zh;
    let last_report = t.reports.last();
    vec![
        Cell::Date(t.assigned.on),
        Cell::text(&file.township),
        Cell::text(&file.village),
        Cell::text(&file.name),
        Cell::text(&t.unit),
        Cell::text(&t.task),
        Cell::Date(t.first_report_by),
        Cell::Count(i64::from(t.urged)),
        t.last_urged.as_ref().map_or(Cell::Empty, |(e, how)| {
            Cell::text(format!("{} {}", e.on, how.label(zh)))
        }),
        last_report.map_or(Cell::Empty, |r| Cell::Date(r.entry.on)),
        Cell::text(lateness(t)),
        Cell::text(t.state.label(zh)),
        t.signed_off
            .as_ref()
            .map_or(Cell::Empty, |(e, _)| Cell::Date(e.on)),
        Cell::text(sent_back(t)),
        Cell::text(evidence(records, t)),
        Cell::Date(t.assigned.recorded),
    ]
}

/// 逾期报告 or 逾期补录 if any report of the round was (it stays so after a send-back), 逾期未报告
/// while none is in and the deadline passed, 否 otherwise; empty while nothing is due yet.
fn lateness(t: &Task) -> &'static str {
    let zh = Lang::Zh;
    let worst = t
        .reports
        .iter()
        .map(|r| r.timing)
        .find(|&timing| timing == ReportTiming::Late)
        .or_else(|| {
            t.reports
                .iter()
                .map(|r| r.timing)
                .find(|&timing| timing == ReportTiming::RecordedLate)
        });
    match worst {
        Some(timing) => timing.label(zh),
        None if t.state == TaskState::Overdue => TaskState::Overdue.label(zh),
        None if t.reports.is_empty() => "",
        None => "否",
    }
}

/// How often the round was sent back, and the new deadline if one was set.
fn sent_back(t: &Task) -> String {
    match (t.sent_back, t.report_by != t.first_report_by) {
        (0, _) => String::new(),
        (n, false) => format!("{n} 次"),
        (n, true) => format!("{n} 次，重新限期 {}", t.report_by),
    }
}

/// The records a sign-off rests on, by kind and date ("办结报告 2026-11-20、上门走访 2026-11-21");
/// one voided since is named as such.
fn evidence(records: &[Record], t: &Task) -> String {
    let Some((_, ids)) = &t.signed_off else {
        return String::new();
    };
    let counting = crate::folds::ledger::effective(records);
    ids.iter()
        .map(|id| {
            match counting
                .iter()
                .find(|r| r.id == *id || r.amends == Some(*id))
            {
                Some(r) => format!("{} {}", r.body.kind_label(Lang::Zh), r.occurred_at.date()),
                None => "已作废的记录".to_owned(),
            }
        })
        .collect::<Vec<_>>()
        .join("、")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures;
    use crate::records::tasking::{Tasking, UrgeMethod};

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    fn assigned(report_by: NaiveDate, on: NaiveDate) -> Record {
        fixtures::on(
            fixtures::tasking(
                "f1",
                "o1",
                Tasking::Assigned {
                    unit: "县住建局".into(),
                    task: "核实附属房屋评估价并书面答复".into(),
                    report_by,
                },
            ),
            on,
        )
    }

    fn urged(on: NaiveDate) -> Record {
        fixtures::on(
            fixtures::tasking(
                "f1",
                "o1",
                Tasking::Urged {
                    how: UrgeMethod::Phone,
                    note: String::new(),
                },
            ),
            on,
        )
    }

    fn column(ledger: &Ledger, name: &str) -> usize {
        ledger
            .headers
            .iter()
            .position(|h| *h == name)
            .unwrap_or_else(|| panic!("no column {name}: {:?}", ledger.headers))
    }

    #[test]
    fn each_round_is_a_row_late_reports_stay_late_and_voided_urging_does_not_count() {
        // Round 1: assigned 11-02, report by 11-10; phoned 11-08 and 11-09 (the second voided:
        // entered on the wrong file), the report comes 11-12 (late), sent back with a new date
        // 11-25, a second report 11-20, signed off 11-21 on that report and a visit.
        let first = assigned(day(11, 10), day(11, 2));
        let phoned = urged(day(11, 8));
        let wrong = urged(day(11, 9));
        let void = fixtures::void(&wrong, "记错了档案");
        let late = fixtures::on(fixtures::unit_report("f1", "o1"), day(11, 12));
        let back = fixtures::on(
            fixtures::tasking(
                "f1",
                "o1",
                Tasking::SentBack {
                    reason: "未附评估报告".into(),
                    report_by: Some(day(11, 25)),
                },
            ),
            day(11, 14),
        );
        let again = fixtures::on(fixtures::unit_report("f1", "o1"), day(11, 20));
        let visit = fixtures::on(fixtures::visit("f1", "u1"), day(11, 21));
        let signed = fixtures::on(fixtures::signed_off(&[&again, &visit], "o1"), day(11, 21));
        // Round 2: assigned 11-22 (entered 11-26), report by 11-24, nothing came: overdue on 11-30.
        let second =
            fixtures::entered(assigned(day(11, 24), day(11, 22)), day(11, 22), day(11, 26));
        // A round assigned after the period is not in it.
        let after = assigned(day(12, 20), day(12, 3));
        let records = vec![
            first, phoned, wrong, void, late, back, again, visit, signed, second, after,
        ];
        let files = vec![(fixtures::file("f1"), records)];
        let ledger = task_ledger(
            &files,
            day(11, 1),
            day(11, 30),
            &TaskingRules::default(),
            &Calendar::default(),
        );
        assert_eq!(ledger.title(), "交办台账");
        assert_eq!(ledger.rows.len(), 2, "one row per round of the period");
        assert!(ledger.rows.iter().all(|r| r.len() == ledger.headers.len()));
        let (one, two) = (&ledger.rows[0], &ledger.rows[1]);
        let at = |row: &Vec<Cell>, name: &str| row[column(&ledger, name)].clone();
        assert_eq!(at(one, "交办日期"), Cell::Date(day(11, 2)));
        assert_eq!(at(one, "承办单位"), Cell::Text("县住建局".into()));
        assert_eq!(at(one, "限期报告日期"), Cell::Date(day(11, 10)));
        assert_eq!(
            at(one, "催办次数"),
            Cell::Count(1),
            "the voided 催办 is not counted"
        );
        assert_eq!(
            at(one, "最后催办"),
            Cell::Text("2026-11-08 电话催办".into())
        );
        assert_eq!(at(one, "办结报告日期"), Cell::Date(day(11, 20)));
        assert_eq!(
            at(one, "是否逾期报告"),
            Cell::Text("逾期报告".into()),
            "the late first report stays late after the send-back"
        );
        assert_eq!(at(one, "审核销号日期"), Cell::Date(day(11, 21)));
        assert_eq!(
            at(one, "退回重办"),
            Cell::Text("1 次，重新限期 2026-11-25".into())
        );
        assert_eq!(
            at(one, "销号依据的记录"),
            Cell::Text("办结报告 2026-11-20、上门走访 2026-11-21".into())
        );
        assert_eq!(at(one, "办理状态"), Cell::Text("已销号".into()));
        assert_eq!(at(one, "录入日期"), Cell::Date(day(11, 2)));
        assert_eq!(at(two, "交办日期"), Cell::Date(day(11, 22)));
        assert_eq!(at(two, "是否逾期报告"), Cell::Text("逾期未报告".into()));
        assert_eq!(at(two, "催办次数"), Cell::Count(0));
        assert_eq!(at(two, "审核销号日期"), Cell::Empty);
        assert_eq!(
            at(two, "录入日期"),
            Cell::Date(day(11, 26)),
            "entered late shows"
        );
        let csv = ledger.csv();
        assert!(csv.contains(",县住建局,"), "{csv}");
        assert!(
            csv.contains(",1,2026-11-08 电话催办,"),
            "the count as a number: {csv}"
        );
    }

    #[test]
    fn a_report_dated_in_time_but_entered_after_the_deadline_shows_as_recorded_late() {
        let round = assigned(day(11, 10), day(11, 2));
        let report = fixtures::entered(fixtures::unit_report("f1", "o1"), day(11, 9), day(11, 12));
        let files = vec![(fixtures::file("f1"), vec![round, report])];
        let ledger = task_ledger(
            &files,
            day(11, 1),
            day(11, 30),
            &TaskingRules::default(),
            &Calendar::default(),
        );
        let row = &ledger.rows[0];
        assert_eq!(
            row[column(&ledger, "是否逾期报告")],
            Cell::Text("逾期补录".into())
        );
        assert_eq!(row[column(&ledger, "办结报告日期")], Cell::Date(day(11, 9)));
    }
}

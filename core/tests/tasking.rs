//! The 交办 loop folded as of a day: deadlines, the reminder before them, late reports that stay
//! late, sign-offs that need a report, send-backs. Dates are worked out by hand in the tables.

use chrono::NaiveDate;
use xiafang_core::calendar::Calendar;
use xiafang_core::tasking::{Tasking, UrgeMethod};
use xiafang_core::tasks::{
    Closure, ReportTiming, TaskProblemKind, TaskState, TaskingRules, closed_in_time, tasks,
};
use xiafang_core::{Record, fixtures};

fn d(text: &str) -> NaiveDate {
    text.parse().expect("test date")
}

fn on(t: Tasking, day: &str) -> Record {
    fixtures::on(fixtures::tasking("f1", "s1", t), d(day))
}

fn assigned(day: &str, report_by: &str) -> Record {
    on(
        Tasking::Assigned {
            unit: "县住建局".into(),
            task: "核实评估价".into(),
            report_by: d(report_by),
        },
        day,
    )
}

fn reported(day: &str) -> Record {
    on(
        Tasking::Reported {
            summary: "已答复".into(),
            resolved: true,
        },
        day,
    )
}

fn urged(day: &str) -> Record {
    on(
        Tasking::Urged {
            how: UrgeMethod::Phone,
            note: "电话提醒".into(),
        },
        day,
    )
}

fn signed(day: &str, evidence: &Record) -> Record {
    fixtures::on(fixtures::signed_off(&[evidence], "s1"), d(day))
}

fn sent_back(day: &str, report_by: Option<&str>) -> Record {
    on(
        Tasking::SentBack {
            reason: "未附答复书".into(),
            report_by: report_by.map(d),
        },
        day,
    )
}

fn fold(records: &[Record], today: &str) -> xiafang_core::tasks::Tasks {
    tasks(
        records,
        &TaskingRules::default(),
        &Calendar::default(),
        d(today),
    )
}

#[test]
fn a_round_moves_from_open_to_reminder_to_overdue_by_the_day() {
    // Assigned 2026-11-20, report by 2026-12-10; the reminder window is 3 calendar days.
    let a = assigned("2026-11-20", "2026-12-10");
    let table = [
        ("2026-11-20", TaskState::Open, 20),
        ("2026-12-06", TaskState::Open, 4),
        ("2026-12-07", TaskState::DueSoon, 3),
        ("2026-12-10", TaskState::DueSoon, 0),
        ("2026-12-11", TaskState::Overdue, -1),
    ];
    for (today, state, days_left) in table {
        let t = fold(std::slice::from_ref(&a), today);
        assert_eq!(t.rounds.len(), 1, "{today}");
        assert_eq!(t.rounds[0].state, state, "{today}");
        assert_eq!(t.rounds[0].days_left, days_left, "{today}");
    }
    // Nothing is assigned before the assignment's own date.
    assert!(fold(&[a], "2026-11-19").rounds.is_empty());
}

#[test]
fn the_reminder_may_count_working_days() {
    // Report by Monday 2026-12-14. Working days after Wednesday 12-09: Thu 10, Fri 11, Mon 14:
    // three, so on 12-09 it is due soon; on Tuesday 12-08 (Wed, Thu, Fri) it is not yet.
    let rules = TaskingRules {
        remind_working_days: true,
        ..TaskingRules::default()
    };
    let a = assigned("2026-11-20", "2026-12-14");
    let state = |today| {
        tasks(
            std::slice::from_ref(&a),
            &rules,
            &Calendar::default(),
            d(today),
        )
        .rounds[0]
            .state
    };
    assert_eq!(state("2026-12-08"), TaskState::Open);
    assert_eq!(state("2026-12-09"), TaskState::DueSoon);
    // In calendar days 12-09 is five days out: not yet.
    assert_eq!(
        fold(std::slice::from_ref(&a), "2026-12-09").rounds[0].state,
        TaskState::Open
    );
}

#[test]
fn reports_are_timed_against_the_deadline_in_force_and_late_stays_late() {
    let a = assigned("2026-11-20", "2026-12-10");
    let table: Vec<(&str, Vec<Record>, ReportTiming)> = vec![
        (
            "on the day",
            vec![reported("2026-12-10")],
            ReportTiming::OnTime,
        ),
        (
            "a day late",
            vec![reported("2026-12-11")],
            ReportTiming::Late,
        ),
        (
            "dated in time, entered after the deadline",
            vec![fixtures::entered(
                reported("2026-12-09"),
                d("2026-12-09"),
                d("2026-12-12"),
            )],
            ReportTiming::RecordedLate,
        ),
    ];
    for (name, extra, timing) in table {
        let mut records = vec![a.clone()];
        records.extend(extra);
        let t = fold(&records, "2026-12-20");
        let round = &t.rounds[0];
        assert_eq!(round.state, TaskState::Reported, "{name}");
        assert_eq!(round.report().map(|r| r.timing), Some(timing), "{name}");
    }
    // Late, sent back with a new date, reported again in time: the round was late and stays so.
    let first = reported("2026-12-12");
    let records = vec![
        a.clone(),
        first.clone(),
        sent_back("2026-12-13", Some("2026-12-20")),
        reported("2026-12-18"),
    ];
    let round = &fold(&records, "2026-12-19").rounds[0];
    assert_eq!(round.report().map(|r| r.timing), Some(ReportTiming::OnTime));
    assert!(round.ever_late());
    assert_eq!(round.first_report_by, d("2026-12-10"));
    assert_eq!(round.report_by, d("2026-12-20"));
}

#[test]
fn a_sign_off_needs_a_report_and_a_send_back_asks_for_another() {
    let a = assigned("2026-11-20", "2026-12-10");
    let report = reported("2026-12-05");
    // Signed off on nothing reported: a problem, not a 销号.
    let early = signed("2026-12-01", &a);
    let t = fold(&[a.clone(), early.clone()], "2026-12-02");
    assert_eq!(t.rounds[0].state, TaskState::Open);
    assert_eq!(t.problems.len(), 1);
    assert_eq!(t.problems[0].record, early.id);
    assert_eq!(t.problems[0].kind, TaskProblemKind::SignedOffWithoutReport);

    // Sent back with no new date: awaiting a report again (four days left: not yet the
    // reminder), from 12-07 due soon, after 12-10 overdue.
    let back = sent_back("2026-12-06", None);
    let records = [a.clone(), report.clone(), back.clone()];
    assert_eq!(
        fold(&records, "2026-12-06").rounds[0].state,
        TaskState::SentBack
    );
    assert_eq!(
        fold(&records, "2026-12-07").rounds[0].state,
        TaskState::DueSoon
    );
    assert_eq!(
        fold(&records, "2026-12-11").rounds[0].state,
        TaskState::Overdue
    );
    // A sign-off of the returned report is no sign-off either.
    let mut records = records.to_vec();
    records.push(signed("2026-12-07", &report));
    let t = fold(&records, "2026-12-07");
    assert_eq!(t.rounds[0].state, TaskState::DueSoon);
    assert_eq!(t.problems[0].kind, TaskProblemKind::SignedOffWithoutReport);
    // Reported again and signed off.
    let again = reported("2026-12-08");
    records.push(again.clone());
    records.push(signed("2026-12-09", &again));
    let t = fold(&records, "2026-12-09");
    let round = &t.rounds[0];
    assert_eq!(round.state, TaskState::SignedOff);
    assert_eq!(round.reports.len(), 2);
    assert_eq!(
        round.signed_off.as_ref().map(|(_, e)| e.clone()),
        Some(vec![again.id])
    );
    // After the sign-off, a 催办 is a problem shown, not counted.
    records.push(urged("2026-12-09"));
    let t = fold(&records, "2026-12-10");
    assert_eq!(t.rounds[0].urged, 0);
    assert_eq!(
        t.problems.last().map(|p| p.kind),
        Some(TaskProblemKind::AfterSignOff)
    );
}

#[test]
fn urgings_are_counted_and_voided_records_do_not_count() {
    let a = assigned("2026-11-20", "2026-12-10");
    let first = urged("2026-12-07");
    let second = urged("2026-12-09");
    let void = fixtures::void(&second, "记错档案");
    let t = fold(&[a.clone(), first.clone(), second.clone()], "2026-12-09");
    assert_eq!(t.rounds[0].urged, 2);
    assert_eq!(
        t.rounds[0].last_urged.as_ref().map(|(e, _)| e.on),
        Some(d("2026-12-09"))
    );
    let t = fold(&[a, first, second, void], "2026-12-09");
    assert_eq!(t.rounds[0].urged, 1);
    // A report with nothing assigned is a problem.
    let stray = reported("2026-12-01");
    let t = fold(std::slice::from_ref(&stray), "2026-12-02");
    assert!(t.rounds.is_empty());
    assert_eq!(t.problems[0].record, stray.id);
    assert_eq!(t.problems[0].kind, TaskProblemKind::NoTask);
}

#[test]
fn closure_in_time_follows_the_county_rule() {
    let a = assigned("2026-11-20", "2026-12-10");
    let in_time = reported("2026-12-08");
    let late = reported("2026-12-12");
    // (name, records, signed off by deadline?, reported in time and signed off?)
    let table: Vec<(&str, Vec<Record>, bool, bool)> = vec![
        (
            "reported and signed off in time",
            vec![in_time.clone(), signed("2026-12-10", &in_time)],
            true,
            true,
        ),
        (
            "reported in time, signed off after",
            vec![in_time.clone(), signed("2026-12-15", &in_time)],
            false,
            true,
        ),
        (
            "reported late",
            vec![late.clone(), signed("2026-12-13", &late)],
            false,
            false,
        ),
        (
            "reported in time, not signed off",
            vec![in_time.clone()],
            false,
            false,
        ),
        (
            "signed off in time but entered after the deadline",
            vec![
                in_time.clone(),
                fixtures::entered(
                    signed("2026-12-09", &in_time),
                    d("2026-12-09"),
                    d("2026-12-11"),
                ),
            ],
            false,
            true,
        ),
    ];
    for (name, extra, by_deadline, reported_in_time) in table {
        let mut records = vec![a.clone()];
        records.extend(extra);
        let t = fold(&records, "2026-12-31");
        let round = &t.rounds[0];
        assert_eq!(
            closed_in_time(round, Closure::SignedOffByDeadline),
            by_deadline,
            "{name}"
        );
        assert_eq!(
            closed_in_time(round, Closure::ReportedInTime),
            reported_in_time,
            "{name}"
        );
    }
}

#[test]
fn a_new_assignment_starts_a_new_round() {
    let first = assigned("2026-11-20", "2026-12-10");
    let report = reported("2026-12-01");
    let second = assigned("2026-12-02", "2026-12-30");
    let t = fold(
        &[
            first,
            report.clone(),
            signed("2026-12-02", &report),
            second,
            urged("2026-12-03"),
        ],
        "2026-12-03",
    );
    assert_eq!(t.rounds.len(), 2);
    assert_eq!(t.rounds[0].state, TaskState::SignedOff);
    assert_eq!(t.rounds[1].state, TaskState::Open);
    assert_eq!(t.rounds[1].urged, 1);
    assert_eq!(t.rounds[1].days_left, 27);
}

//! A cadre's 待办: what falls due on their files, overdue first, then soonest due. Every date
//! is worked out by hand in the comment next to it.

use chrono::NaiveDate;
use xiafang_core::case::{CaseRules, DeadlineKind};
use xiafang_core::case_step::Step;
use xiafang_core::record::RecordBody;
use xiafang_core::tasks::TaskingRules;
use xiafang_core::todo::{Standing, Todo, TodoKind, file_todos, to_do};
use xiafang_core::{PetitionerFile, Record, fixtures};

fn d(text: &str) -> NaiveDate {
    text.parse().expect("test date")
}

fn visit(file: &str, day: &str, next: Option<(&str, &str)>) -> Record {
    let mut v = fixtures::on(fixtures::visit(file, "u1"), d(day));
    if let RecordBody::Visit(body) = &mut v.body {
        body.next_step = next.map(|(s, _)| s.to_owned()).unwrap_or_default();
        body.next_due = next.map(|(_, due)| d(due));
    }
    v
}

fn file(id: &str, name: &str) -> PetitionerFile {
    let mut f = fixtures::file(id);
    f.name = name.into();
    f
}

/// (kind, due) of each item, in the order shown.
fn shown(items: &[Todo]) -> Vec<(String, TodoKind, NaiveDate)> {
    items
        .iter()
        .map(|t| (t.name.clone(), t.kind.clone(), t.due))
        .collect()
}

/// The file's items under the default 交办 rules.
fn todos(f: &PetitionerFile, records: &[Record], rules: &CaseRules, today: NaiveDate) -> Vec<Todo> {
    file_todos(f, records, rules, &TaskingRules::default(), today)
}

fn next(step: &str) -> TodoKind {
    TodoKind::NextStep { step: step.into() }
}

fn deadline(kind: DeadlineKind) -> TodoKind {
    TodoKind::Deadline { kind }
}

#[test]
fn a_cadres_files_fall_due_overdue_first_then_soonest() {
    let rules = CaseRules::default(); // no visit for 30 days: due one; due soon: 3 days
    let today = d("2026-12-01");
    // 郭: visited 20 Nov, promising the village meeting by 27 Nov → overdue; next visit due
    // 20 Nov + 30 = 20 Dec, beyond 1 Dec + 14 = 15 Dec: not shown yet.
    let guo = file("f1", "郭先生");
    let guo_records = vec![visit(
        "f1",
        "2026-11-20",
        Some(("召集村委会议", "2026-11-27")),
    )];
    // 陈: visited 1 Nov (due again 1 Dec: today); registered, received 25 Nov → routing and
    // notice both due 25 Nov + 15 = 10 Dec.
    let chen = file("f2", "陈女士");
    let chen_records = vec![
        visit("f2", "2026-11-01", None),
        fixtures::on(
            fixtures::case_step(
                "f2",
                "o1",
                Step::Registered {
                    received: d("2026-11-25"),
                },
            ),
            d("2026-11-25"),
        ),
    ];
    // 李: visited 28 Nov, next step set for 5 Dec; an earlier visit's step of 2 Nov is
    // superseded by the later visit.
    let li = file("f3", "李大爷");
    let li_records = vec![
        visit("f3", "2026-10-30", Some(("送低保申请表", "2026-11-02"))),
        visit("f3", "2026-11-28", Some(("陪同到医院复查", "2026-12-05"))),
    ];
    let mut items = Vec::new();
    for (f, r) in [
        (&guo, &guo_records),
        (&chen, &chen_records),
        (&li, &li_records),
    ] {
        items.extend(todos(f, r, &rules, today));
    }
    let list = to_do(items, today);
    let visit_due = |last: &str| TodoKind::Visit {
        last: Some(d(last)),
    };
    assert_eq!(
        shown(&list),
        vec![
            ("郭先生".into(), next("召集村委会议"), d("2026-11-27")),
            ("陈女士".into(), visit_due("2026-11-01"), d("2026-12-01")),
            ("李大爷".into(), next("陪同到医院复查"), d("2026-12-05")),
            (
                "陈女士".into(),
                deadline(DeadlineKind::Register),
                d("2026-12-10")
            ),
            (
                "陈女士".into(),
                deadline(DeadlineKind::Notify),
                d("2026-12-10")
            ),
        ]
    );
    let standings: Vec<Standing> = list.iter().map(|t| t.standing(today, &rules)).collect();
    assert_eq!(
        standings,
        vec![
            Standing::Overdue,
            Standing::DueSoon,
            Standing::Ahead,
            Standing::Ahead,
            Standing::Ahead
        ]
    );
    // Ten days on, 郭's next visit (20 Dec) comes into view (11 Dec + 14 = 25 Dec), 李's step
    // is overdue, and 李's next visit (28 Nov + 30 = 28 Dec) is still beyond the view.
    let later = d("2026-12-11");
    let mut items = Vec::new();
    for (f, r) in [(&guo, &guo_records), (&li, &li_records)] {
        items.extend(todos(f, r, &rules, later));
    }
    let list = to_do(items, later);
    assert_eq!(
        shown(&list),
        vec![
            ("郭先生".into(), next("召集村委会议"), d("2026-11-27")),
            ("李大爷".into(), next("陪同到医院复查"), d("2026-12-05")),
            ("郭先生".into(), visit_due("2026-11-20"), d("2026-12-20")),
        ]
    );
}

#[test]
fn a_later_visit_a_correction_or_a_met_deadline_takes_an_item_away() {
    let rules = CaseRules::default();
    let today = d("2026-12-01");
    let f = file("f1", "郭先生");
    let promised = visit("f1", "2026-11-20", Some(("召集村委会议", "2026-11-27")));
    let steps = |items: &[Todo]| -> Vec<TodoKind> {
        items
            .iter()
            .filter(|t| !matches!(t.kind, TodoKind::Visit { .. }))
            .map(|t| t.kind.clone())
            .collect()
    };
    // Went back on 29 Nov and set nothing further: the step is done.
    let back = visit("f1", "2026-11-29", None);
    let items = todos(&f, &[promised.clone(), back.clone()], &rules, today);
    assert_eq!(steps(&items), vec![]);
    // That later visit was voided (wrong file): the promise stands again.
    let void = fixtures::void(&back, "记错了档案");
    let items = todos(&f, &[promised.clone(), back, void], &rules, today);
    assert_eq!(steps(&items), vec![next("召集村委会议")]);
    // A visit dated in the future has not happened: it does not take the step away yet.
    let planned = visit("f1", "2026-12-03", None);
    let items = todos(&f, &[promised.clone(), planned], &rules, today);
    assert_eq!(steps(&items), vec![next("召集村委会议")]);
    // Routed and notified in time: only the handling deadline is left once accepted.
    let step = |day: &str, s: Step| fixtures::on(fixtures::case_step("f1", "o1", s), d(day));
    let records = vec![
        step(
            "2026-11-02",
            Step::Registered {
                received: d("2026-11-02"),
            },
        ),
        step(
            "2026-11-05",
            Step::Routed {
                route: xiafang_core::case_step::Route::Own,
                to: "南滨街道".into(),
            },
        ),
        step(
            "2026-11-06",
            Step::Notified {
                accepted: true,
                go_to: String::new(),
            },
        ),
        step("2026-11-06", Step::Accepted { simplified: false }),
    ];
    let items = todos(&f, &records, &rules, today);
    // Accepted 6 Nov: reply due 6 Nov + 60 = 5 Jan 2027.
    let deadlines: Vec<(TodoKind, NaiveDate)> = items
        .iter()
        .filter(|t| matches!(t.kind, TodoKind::Deadline { .. }))
        .map(|t| (t.kind.clone(), t.due))
        .collect();
    assert_eq!(
        deadlines,
        vec![(deadline(DeadlineKind::Handling), d("2027-01-05"))]
    );
    // …which is beyond the 14 days the home screen looks ahead.
    assert!(
        to_do(items, today)
            .iter()
            .all(|t| !matches!(t.kind, TodoKind::Deadline { .. }))
    );
}

#[test]
fn a_file_never_visited_in_the_app_is_due_a_visit_since_its_matter_began() {
    let rules = CaseRules::default();
    let f = file("f1", "郭先生"); // matter since 1 March 2014
    let items = todos(&f, &[], &rules, d("2026-12-01"));
    assert_eq!(
        shown(&items),
        vec![(
            "郭先生".into(),
            TodoKind::Visit { last: None },
            d("2014-03-01")
        )]
    );
}

#[test]
fn an_assigned_matter_waits_for_the_units_report_until_it_arrives() {
    let rules = CaseRules::default();
    let today = d("2026-12-01");
    let f = file("f1", "郭先生");
    // Assigned to 县住建局 on 20 Nov, report due 10 Dec.
    let assigned = fixtures::on(fixtures::assigned("f1", "s1"), d("2026-11-20"));
    let reports = |items: Vec<Todo>| -> Vec<(TodoKind, NaiveDate)> {
        items
            .into_iter()
            .filter(|t| matches!(t.kind, TodoKind::Report { .. }))
            .map(|t| (t.kind, t.due))
            .collect()
    };
    let unit = TodoKind::Report {
        unit: "县住建局".into(),
    };
    assert_eq!(
        reports(todos(&f, std::slice::from_ref(&assigned), &rules, today)),
        vec![(unit, d("2026-12-10"))]
    );
    // The unit reported on 5 Dec: nothing left for the cadre (the sign-off is the office's).
    let report = fixtures::on(fixtures::unit_report("f1", "u1"), d("2026-12-05"));
    assert_eq!(
        reports(todos(&f, &[assigned, report], &rules, d("2026-12-06"))),
        vec![]
    );
}

#[test]
fn the_plans_milestones_fall_due_until_met() {
    let rules = CaseRules::default();
    let f = file("f1", "郭先生");
    // A plan of 20 Nov: the villagers' meeting due 10 Dec, the payment due 31 Jan 2027.
    let plan = fixtures::on(fixtures::plan("f1", "s1"), d("2026-11-20"));
    let milestones = |items: Vec<Todo>| -> Vec<(TodoKind, NaiveDate)> {
        items
            .into_iter()
            .filter(|t| matches!(t.kind, TodoKind::Milestone { .. }))
            .map(|t| (t.kind, t.due))
            .collect()
    };
    let meeting = TodoKind::Milestone {
        what: "召开村民代表会议重新核算".into(),
    };
    let payment = TodoKind::Milestone {
        what: "兑现集体资产分配款".into(),
    };
    let today = d("2026-12-01");
    assert_eq!(
        milestones(todos(&f, std::slice::from_ref(&plan), &rules, today)),
        vec![
            (meeting.clone(), d("2026-12-10")),
            (payment.clone(), d("2027-01-31"))
        ]
    );
    // Only the meeting is within the two weeks the home screen looks ahead.
    let shown = to_do(todos(&f, std::slice::from_ref(&plan), &rules, today), today);
    assert_eq!(milestones(shown), vec![(meeting, d("2026-12-10"))]);
    // Met on 8 Dec: only the payment is left.
    let met = fixtures::on(
        fixtures::milestone_met("f1", "s1", "召开村民代表会议重新核算"),
        d("2026-12-08"),
    );
    assert_eq!(
        milestones(todos(&f, &[plan, met], &rules, d("2026-12-09"))),
        vec![(payment, d("2027-01-31"))]
    );
}

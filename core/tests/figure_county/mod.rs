//! The small hand-built county the figure tests share: four files in two villages,
//! November–December 2026, and the helpers that write its records. Every expected value is
//! worked out by hand in the comments of the tests that use it.
#![allow(dead_code, unused_imports)]

pub use chrono::NaiveDate;
pub use xiafang_core::case_step::{ApproverRole, Evaluation, ReplyOutcome, Step};
pub use xiafang_core::figures::*;
pub use xiafang_core::file::{Level, PetitionerFile, Resolution};
pub use xiafang_core::record::{AssistanceKind, AssistanceStatus, RecordBody, VisitKind};
pub use xiafang_core::supervision::{Supervision, SupervisionMode};
pub use xiafang_core::{Record, fixtures};

pub fn d(text: &str) -> NaiveDate {
    text.parse().expect("test date")
}

pub fn step(file: &str, day: &str, s: Step) -> Record {
    fixtures::on(fixtures::case_step(file, "o1", s), d(day))
}

pub fn registered(file: &str, day: &str, received: &str) -> Record {
    step(
        file,
        day,
        Step::Registered {
            received: d(received),
        },
    )
}

pub fn visit(file: &str, day: &str, kind: VisitKind) -> Record {
    let mut v = fixtures::on(fixtures::visit(file, "u1"), d(day));
    if let RecordBody::Visit(body) = &mut v.body {
        body.kind = kind;
        body.next_due = None;
    }
    v
}

pub fn help(
    file: &str,
    day: &str,
    kind: AssistanceKind,
    yuan: i64,
    status: AssistanceStatus,
) -> Record {
    let mut a = fixtures::on(fixtures::assistance(file, "u1"), d(day));
    if let RecordBody::Assistance(body) = &mut a.body {
        body.kind = kind;
        body.amount_fen = Some(yuan * 100);
        body.status = status;
    }
    a
}

pub fn rated(file: &str, day: &str, evaluation: Evaluation) -> Record {
    step(
        file,
        day,
        Step::Rated {
            evaluation,
            comment: String::new(),
        },
    )
}

pub fn replied(file: &str, day: &str) -> Record {
    step(
        file,
        day,
        Step::Replied {
            outcome: ReplyOutcome::Upheld,
        },
    )
}

pub fn file(id: &str, township: &str, village: &str) -> PetitionerFile {
    let mut f = fixtures::file(id);
    f.township = township.into();
    f.village = village.into();
    f.matter.flags.clear();
    f.matter.level_reached = Level::County;
    f
}

pub fn county() -> Vec<(PetitionerFile, Vec<Record>)> {
    use AssistanceKind::*;
    use AssistanceStatus::*;
    use VisitKind::*;
    // F1, 阁一村: a repeat matter owned by 王书记, handled in time, closed, followed up.
    let mut f1 = file("f1", "南滨街道", "阁一村");
    f1.matter.flags = vec![xiafang_core::file::MatterFlag::Repeat];
    f1.matter.case_leader = Some("王书记".into());
    let voided = visit("f1", "2026-11-25", Home);
    let first = visit("f1", "2026-12-01", Home);
    let r1 = vec![
        registered("f1", "2026-10-20", "2026-10-18"), // notice due 18 Oct + 15 = 2 Nov
        step(
            "f1",
            "2026-10-22",
            Step::Routed {
                route: xiafang_core::case_step::Route::Own,
                to: "南滨街道".into(),
            },
        ),
        step(
            "f1",
            "2026-10-25",
            Step::Notified {
                accepted: true,
                go_to: String::new(),
            },
        ),
        step("f1", "2026-10-25", Step::Accepted { simplified: false }), // reply due 24 Dec
        visit("f1", "2026-11-05", Home),
        help("f1", "2026-11-05", CondolenceMoney, 2_000, Delivered),
        visit("f1", "2026-11-20", Appointment),
        help("f1", "2026-11-20", Goods, 300, Planned),
        voided.clone(),
        fixtures::void(&voided, "记错了档案"),
        first.clone(),
        fixtures::amendment(&first, first.body.clone()),
        replied("f1", "2026-12-10"),
        rated("f1", "2026-12-12", Evaluation::Satisfied),
        step("f1", "2026-12-15", Step::Closed),
        step(
            "f1",
            "2026-12-15",
            Step::Resolution {
                resolution: Resolution::Resolved,
            },
        ),
        registered("f1", "2026-12-20", "2026-12-20"), // came again: a repeat petition
        visit("f1", "2026-12-28", FollowUp),
    ];
    // F2, 阁一村: owned by 李镇长, notified late, replied early, basically satisfied.
    let mut f2 = file("f2", "南滨街道", "阁一村");
    f2.matter.case_leader = Some("李镇长".into());
    let r2 = vec![
        registered("f2", "2026-11-10", "2026-11-09"), // notice due 24 Nov
        step(
            "f2",
            "2026-11-30",
            Step::Notified {
                accepted: true,
                go_to: String::new(),
            },
        ),
        step("f2", "2026-11-30", Step::Accepted { simplified: false }), // reply due 29 Jan 2027
        visit("f2", "2026-11-12", Home),
        visit("f2", "2026-12-03", Phone),
        help("f2", "2026-12-03", Medical, 500, Delivered),
        replied("f2", "2026-12-18"),
        rated("f2", "2026-12-20", Evaluation::BasicallySatisfied),
    ];
    // F3, 铁炉村: taken to the city (skip-level), extended, replied late, dissatisfied, stopped.
    let mut f3 = file("f3", "云周街道", "铁炉村");
    f3.matter.level_reached = Level::City;
    let r3 = vec![
        registered("f3", "2026-09-01", "2026-09-01"), // notice due 16 Sep: before the period
        step(
            "f3",
            "2026-09-05",
            Step::Notified {
                accepted: true,
                go_to: String::new(),
            },
        ),
        step("f3", "2026-09-05", Step::Accepted { simplified: false }), // 5 Sep + 60 = 4 Nov
        step(
            "f3",
            "2026-10-30",
            Step::Extended {
                days: 30,
                approver: "县信访局局长".into(),
                reason: "需现场核实".into(),
                approver_role: Some(ApproverRole::Head),
                reason_told: true,
            },
        ), // 4 Nov + 30 = 4 Dec
        fixtures::on(
            fixtures::supervision(
                "f3",
                "s1",
                Supervision::Listed {
                    deadline: d("2026-11-30"),
                    mode: SupervisionMode::OnSite,
                    reason: "越级上访".into(),
                },
            ),
            d("2026-11-01"),
        ),
        fixtures::on(
            fixtures::supervision(
                "f3",
                "s1",
                Supervision::Leader {
                    name: "陈副县长".into(),
                    account: None,
                    post: String::new(),
                    unit: String::new(),
                    responsible: String::new(),
                },
            ),
            d("2026-11-02"),
        ),
        visit("f3", "2026-11-03", Home),
        visit("f3", "2026-11-15", Appointment),
        help("f3", "2026-11-15", CondolenceMoney, 1_000, Delivered),
        help("f3", "2026-12-01", Housing, 2_000, Delivered),
        replied("f3", "2026-12-08"), // after 4 Dec: late
        rated("f3", "2026-12-09", Evaluation::Dissatisfied),
        step("f3", "2026-12-10", Step::Closed), // no follow-up
        step(
            "f3",
            "2026-12-10",
            Step::Resolution {
                resolution: Resolution::Stopped,
            },
        ),
        registered("f3", "2026-12-20", "2026-12-20"),
    ];
    // F4, 铁炉村: registered, never notified, replied without a rating, unresolved.
    let mut f4 = file("f4", "云周街道", "铁炉村");
    f4.matter.resolution = Resolution::Unresolved;
    let r4 = vec![
        visit("f4", "2026-10-15", Home),              // before the period
        registered("f4", "2026-11-20", "2026-11-20"), // notice due 5 Dec, never given
        step("f4", "2026-11-22", Step::Accepted { simplified: false }), // reply due 21 Jan 2027
        fixtures::on(fixtures::note("f4", "u1"), d("2026-11-21")),
        replied("f4", "2026-12-22"),
    ];
    vec![(f1, r1), (f2, r2), (f3, r3), (f4, r4)]
}

pub fn period() -> Period {
    Period::new(d("2026-11-01"), d("2026-12-31")).expect("in order")
}

pub fn fig(all: &Figures, key: FigureKey) -> (i64, Option<i64>, Option<f64>) {
    let f = all.get(key).expect("every key is computed");
    (f.numerator, f.denominator, f.value)
}

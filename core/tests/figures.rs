//! The figures of a small hand-built county: four files in two villages, November–December
//! 2026. Every expected value is worked out by hand in the comment next to it.

use chrono::NaiveDate;
use xiafang_core::case_step::{ApproverRole, Evaluation, ReplyOutcome, Step};
use xiafang_core::figures::*;
use xiafang_core::file::{Level, PetitionerFile, Resolution};
use xiafang_core::record::{AssistanceKind, AssistanceStatus, RecordBody, VisitKind};
use xiafang_core::supervision::{Supervision, SupervisionMode};
use xiafang_core::{Record, fixtures};

fn d(text: &str) -> NaiveDate {
    text.parse().expect("test date")
}

fn step(file: &str, day: &str, s: Step) -> Record {
    fixtures::on(fixtures::case_step(file, "o1", s), d(day))
}

fn registered(file: &str, day: &str, received: &str) -> Record {
    step(
        file,
        day,
        Step::Registered {
            received: d(received),
        },
    )
}

fn visit(file: &str, day: &str, kind: VisitKind) -> Record {
    let mut v = fixtures::on(fixtures::visit(file, "u1"), d(day));
    if let RecordBody::Visit(body) = &mut v.body {
        body.kind = kind;
        body.next_due = None;
    }
    v
}

fn help(
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

fn rated(file: &str, day: &str, evaluation: Evaluation) -> Record {
    step(
        file,
        day,
        Step::Rated {
            evaluation,
            comment: String::new(),
        },
    )
}

fn replied(file: &str, day: &str) -> Record {
    step(
        file,
        day,
        Step::Replied {
            outcome: ReplyOutcome::Upheld,
        },
    )
}

fn file(id: &str, township: &str, village: &str) -> PetitionerFile {
    let mut f = fixtures::file(id);
    f.township = township.into();
    f.village = village.into();
    f.matter.flags.clear();
    f.matter.level_reached = Level::County;
    f
}

fn county() -> Vec<(PetitionerFile, Vec<Record>)> {
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

fn period() -> Period {
    Period::new(d("2026-11-01"), d("2026-12-31")).expect("in order")
}

fn fig(all: &Figures, key: FigureKey) -> (i64, Option<i64>, Option<f64>) {
    let f = all.get(key).expect("every key is computed");
    (f.numerator, f.denominator, f.value)
}

#[test]
fn the_hand_built_county_is_valid() {
    for (_, records) in county() {
        for r in records {
            assert_eq!(r.validate(), Ok(()), "{r:?}");
        }
    }
}

#[test]
fn every_figure_of_the_hand_built_county() {
    use FigureKey::*;
    let all = figures(&county(), period(), &FigureRules::default());
    // f1: 5 Nov, 20 Nov, 1 Dec (amended: once), 28 Dec (25 Nov voided); f2: 2; f3: 2;
    // f4: 15 Oct is before the period → 4 + 2 + 2 = 8.
    assert_eq!(fig(&all, VisitsMade), (8, None, Some(8.0)));
    assert_eq!(fig(&all, FilesVisited), (3, None, Some(3.0))); // f1, f2, f3
    assert_eq!(fig(&all, MattersAccepted).0, 2); // f2 30 Nov, f4 22 Nov
    assert_eq!(fig(&all, MattersClosed).0, 2); // f1 15 Dec, f3 10 Dec
    // Notice due in the period: f1 2 Nov (met 25 Oct), f2 24 Nov (late, 30 Nov), f4 5 Dec
    // (never) → 1 of 3.
    assert_eq!(fig(&all, TimelyAcceptance), (1, Some(3), Some(1.0 / 3.0)));
    // Reply due in the period: f1 24 Dec (met 10 Dec), f3 4 Dec (replied 8 Dec) → 1 of 2.
    assert_eq!(fig(&all, OnTimeCompletion), (1, Some(2), Some(0.5)));
    // Replied in the period: f1, f2, f3 rated, f4 not → 3 of 4.
    assert_eq!(fig(&all, Participation), (3, Some(4), Some(0.75)));
    // Rated: 满意 (f1), 基本满意 (f2), 不满意 (f3) → 2 of 3.
    assert_eq!(fig(&all, Satisfaction), (2, Some(3), Some(2.0 / 3.0)));
    // Handled (a step, visit or assistance in the period): all four. Resolved at the end:
    // f1 已化解, f3 息诉罢访; f2 化解中, f4 未化解 → 2 of 4.
    assert_eq!(fig(&all, FigureKey::Resolution), (2, Some(4), Some(0.5)));
    // Leader-owned: f1 (王书记), f2 (李镇长), f3 (陈副县长, by a record) → f1, f3 of 3.
    assert_eq!(fig(&all, LeaderResolution), (2, Some(3), Some(2.0 / 3.0)));
    // Closed in the period: f1 (follow-up visit 28 Dec), f3 (none) → 1 of 2.
    assert_eq!(fig(&all, FollowUpVerification), (1, Some(2), Some(0.5)));
    // Registrations in the period: f1 20 Dec (flagged repeat), f3 20 Dec (its second),
    // f2 10 Nov and f4 20 Nov are first-time → 2.
    assert_eq!(fig(&all, RepeatPetitions).0, 2);
    // Only f3 reached the city: its 20 Dec registration → 1.
    assert_eq!(fig(&all, SkipLevelPetitions).0, 1);
    // Delivered: f1 2,000 (the planned goods do not count), f2 500, f3 1,000 + 2,000.
    assert_eq!(fig(&all, AssistanceDelivered).0, 4);
    assert_eq!(fig(&all, AssistanceAmount), (550_000, None, Some(5_500.0)));
    let by_kind: Vec<_> = all
        .assistance_by_kind
        .iter()
        .filter(|l| l.count > 0)
        .map(|l| (l.kind, l.count, l.fen))
        .collect();
    assert_eq!(
        by_kind,
        vec![
            (AssistanceKind::CondolenceMoney, 2, 300_000),
            (AssistanceKind::Medical, 1, 50_000),
            (AssistanceKind::Housing, 1, 200_000),
        ]
    );
}

#[test]
fn a_county_changes_what_counts_and_the_definition_says_so() {
    use FigureKey::*;
    let mut rules = FigureRules {
        satisfied: vec![Evaluation::Satisfied],
        resolved: vec![xiafang_core::file::Resolution::Resolved],
        ..FigureRules::default()
    };
    rules.case.limits.notify_days = 30;
    rules.visit_kinds.retain(|k| *k != VisitKind::Phone);
    let all = figures(&county(), period(), &rules);
    assert_eq!(fig(&all, Satisfaction).0, 1); // only f1's 满意
    assert_eq!(fig(&all, FigureKey::Resolution).0, 1); // only f1's 已化解
    // 30 days: f1 due 17 Nov (met), f2 9 Dec (met 30 Nov), f4 20 Dec (never) → 2 of 3.
    assert_eq!(fig(&all, TimelyAcceptance), (2, Some(3), Some(2.0 / 3.0)));
    assert_eq!(fig(&all, VisitsMade).0, 7); // f2's phone call is left out
    let satisfaction = all.get(Satisfaction).expect("computed");
    assert_eq!(
        satisfaction.definition.zh,
        "期内评价为满意的事项数 ÷ 期内评价的事项数"
    );
    assert!(
        all.get(TimelyAcceptance)
            .expect("computed")
            .definition
            .en
            .contains("within 30 days")
    );
    assert_eq!(satisfaction.label.get(xiafang_core::Lang::Zh), "满意率");
}

#[test]
fn a_rate_of_nothing_has_no_value() {
    let all = figures(&[], period(), &FigureRules::default());
    for f in &all.figures {
        assert_eq!(f.numerator, 0, "{:?}", f.key);
        match f.unit {
            Unit::Rate => assert_eq!((f.denominator, f.value), (Some(0), None), "{:?}", f.key),
            Unit::Count | Unit::Money => assert_eq!(f.value, Some(0.0)),
        }
    }
    assert_eq!(all.figures.len(), FigureKey::ALL.len());
}

#[test]
fn a_reversed_period_is_refused() {
    assert!(Period::new(d("2026-12-31"), d("2026-11-01")).is_err());
    assert!(Period::new(d("2026-12-31"), d("2026-12-31")).is_ok());
}

#[test]
fn months_have_bars_even_when_empty() {
    let p = Period::new(d("2026-10-16"), d("2027-01-31")).expect("in order");
    let months: Vec<_> = monthly(&county(), p, &FigureRules::default())
        .into_iter()
        .map(|m| (m.year, m.month, m.visits, m.assistance, m.assistance_fen))
        .collect();
    assert_eq!(
        months,
        vec![
            (2026, 10, 0, 0, 0), // f4's 15 Oct visit is before the 16th
            // f1 5 + 20 Nov, f2 12 Nov, f3 3 + 15 Nov; help f1 2,000 and f3 1,000.
            (2026, 11, 5, 2, 300_000),
            // f1 1 + 28 Dec, f2 3 Dec; help f2 500 and f3 2,000.
            (2026, 12, 3, 2, 250_000),
            (2027, 1, 0, 0, 0),
        ]
    );
}

#[test]
fn villages_are_listed_by_name_not_by_result() {
    let villages = by_village(&county(), period(), &FigureRules::default());
    let rows: Vec<_> = villages
        .iter()
        .map(|v| {
            let visits = fig(&v.figures, FigureKey::VisitsMade).0;
            let resolution = fig(&v.figures, FigureKey::Resolution);
            (v.township.as_str(), v.village.as_str(), visits, resolution)
        })
        .collect();
    assert_eq!(
        rows,
        vec![
            // 云 (U+4E91) sorts before 南 (U+5357). f3 resolved, f4 not → 1 of 2.
            ("云周街道", "铁炉村", 2, (1, Some(2), Some(0.5))),
            // f1 4 visits + f2 2; f1 resolved, f2 not → 1 of 2.
            ("南滨街道", "阁一村", 6, (1, Some(2), Some(0.5))),
        ]
    );
}

#[test]
fn an_evaluation_given_on_a_visit_counts_as_the_petitioners_latest_word() {
    use FigureKey::*;
    let mut county = county();
    // f3 rated 不满意 on 9 Dec; on a visit on 20 Dec the petitioner says 基本满意 → 3 of 3.
    let mut later = visit("f3", "2026-12-20", VisitKind::FollowUp);
    if let RecordBody::Visit(v) = &mut later.body {
        v.evaluation = Some(xiafang_core::record::VisitEvaluation {
            rating: Evaluation::BasicallySatisfied,
            comment: "补发款已到位".into(),
        });
    }
    assert_eq!(later.validate(), Ok(()));
    county[2].1.push(later);
    let all = figures(&county, period(), &FigureRules::default());
    assert_eq!(fig(&all, Satisfaction), (3, Some(3), Some(1.0)));
}

#[test]
fn the_seeds_figures_first_time_backlog_stopped_procedure_and_receptions() {
    use FigureKey::*;
    use xiafang_core::case_step::{Document, ServiceMethod};
    use xiafang_core::file::MatterFlag::{Backlog, FirstTime};
    let mut data = county();
    data[0].0.matter.flags.push(FirstTime);
    data[2].0.matter.flags.extend([FirstTime, Backlog]);
    data[3].0.matter.flags.push(Backlog);
    // f1's reply was served the day after it was written; f3's never was.
    data[0].1.push(step(
        "f1",
        "2026-12-11",
        Step::Served {
            document: Document::Reply,
            how: ServiceMethod::Direct,
        },
    ));
    let reception = |day: &str, headcount: u32| {
        let mut r = fixtures::on(fixtures::reception("f2", "s1"), d(day));
        if let RecordBody::Reception(rec) = &mut r.body {
            rec.headcount = headcount;
        }
        r
    };
    let wrong = reception("2026-11-20", 40);
    data[1].1.extend([
        reception("2026-10-30", 3), // before the period
        reception("2026-11-15", 8),
        reception("2026-12-05", 1),
        wrong.clone(),
        fixtures::void(&wrong, "记错了档案"),
    ]);
    // Early signs on f4: one reported in October and settled in November (not counted), one
    // reported on 3 Dec and escalated on 5 Dec (counted once).
    use xiafang_core::warning::ReportLevel::{County, Township};
    let sign =
        |day: &str, to, settled| fixtures::on(fixtures::warning("f4", "u1", to, settled), d(day));
    data[3].1.extend([
        sign("2026-10-20", Township, false),
        sign("2026-11-02", Township, true),
        sign("2026-12-03", Township, false),
        sign("2026-12-05", County, false),
    ]);
    let all = figures(&data, period(), &FigureRules::default());
    assert_eq!(fig(&all, EarlyWarnings), (1, None, Some(1.0)));
    // First-time with the reply due in the period: f1 (due 24 Dec, replied 10 Dec) and f3 (due
    // 4 Dec after its extension, replied 8 Dec) → 1 of 2.
    assert_eq!(fig(&all, FirstTimeOnTime), (1, Some(2), Some(0.5)));
    // Backlog cases handled in the period: f3 (息诉罢访 at the end) and f4 (未化解) → 1 of 2.
    assert_eq!(fig(&all, BacklogResolution), (1, Some(2), Some(0.5)));
    // Closed in the period: f1 (已化解) and f3 (息诉罢访) → only f3 stopped: 1 of 2.
    assert_eq!(fig(&all, StoppedPetitioning), (1, Some(2), Some(0.5)));
    // Closed in the period: f1 registered, routed, notified and replied in time and its reply
    // served; f3 replied late and its reply is not served → 1 of 2.
    assert_eq!(fig(&all, ProperHandling), (1, Some(2), Some(0.5)));
    // Receptions in the period: 15 Nov (8 people) and 5 Dec (1); 30 Oct is before it and the
    // 20 Nov one was voided → 2 batches, 9 person-visits.
    assert_eq!(fig(&all, ReceptionBatches), (2, None, Some(2.0)));
    assert_eq!(fig(&all, ReceptionPersons), (9, None, Some(9.0)));
    let definition = &all.get(ProperHandling).unwrap().definition.zh;
    assert!(definition.contains("文书均已送达"), "{definition}");

    // Without f1's service it would not have gone by the procedure.
    data[0].1.pop();
    let all = figures(&data, period(), &FigureRules::default());
    assert_eq!(fig(&all, ProperHandling), (0, Some(2), Some(0.0)));
    // A county that counts 已化解 as stopped too says so in the definition.
    let rules = FigureRules {
        stopped: vec![
            xiafang_core::file::Resolution::Resolved,
            xiafang_core::file::Resolution::Stopped,
        ],
        ..FigureRules::default()
    };
    let all = figures(&data, period(), &rules);
    assert_eq!(fig(&all, StoppedPetitioning), (2, Some(2), Some(1.0)));
    let definition = &all.get(StoppedPetitioning).unwrap().definition.zh;
    assert!(definition.contains("已化解、息诉罢访"), "{definition}");
}

/// 交办 on `file` with its report due `report_by`, and what followed, each (day, action).
fn assignment(file: &str, report_by: &str, then: &[(&str, &str)]) -> Vec<Record> {
    use xiafang_core::tasking::Tasking;
    let task = |day: &str, t: Tasking| fixtures::on(fixtures::tasking(file, "s1", t), d(day));
    let mut records = vec![task(
        "2026-11-01",
        Tasking::Assigned {
            unit: "县民政局".into(),
            task: "落实安居工程".into(),
            report_by: d(report_by),
        },
    )];
    for (day, action) in then {
        let t = match *action {
            "report" => Tasking::Reported {
                summary: "新房已建成".into(),
                resolved: true,
            },
            "sign" => Tasking::SignedOff {
                evidence: vec![records.last().expect("a record before").id],
                note: "核实属实".into(),
            },
            "back" => Tasking::SentBack {
                reason: "未附照片".into(),
                report_by: Some(d("2027-01-15")),
            },
            other => panic!("no action {other}"),
        };
        records.push(task(day, t));
    }
    records
}

#[test]
fn assigned_cases_closed_count_by_the_first_deadline() {
    use xiafang_core::tasks::Closure;
    let rounds = [
        // Reported 18 Nov, signed off 19 Nov, due 20 Nov: closed in time.
        (
            "t1",
            assignment(
                "t1",
                "2026-11-20",
                &[("2026-11-18", "report"), ("2026-11-19", "sign")],
            ),
        ),
        // Reported 12 Dec, two days after its deadline: late under either rule.
        (
            "t2",
            assignment(
                "t2",
                "2026-12-10",
                &[("2026-12-12", "report"), ("2026-12-13", "sign")],
            ),
        ),
        // Reported 15 Dec, due 20 Dec, signed off 28 Dec: only "reported in time" counts it.
        (
            "t3",
            assignment(
                "t3",
                "2026-12-20",
                &[("2026-12-15", "report"), ("2026-12-28", "sign")],
            ),
        ),
        // Due 10 Jan 2027: not in the period at all.
        ("t4", assignment("t4", "2027-01-10", &[])),
        // Signed off with no report (on the assignment itself): not a 销号.
        (
            "t5",
            assignment("t5", "2026-12-05", &[("2026-12-04", "sign")]),
        ),
        // Due 1 Dec, reported 30 Nov, sent back with a new date in January: still due in the period.
        (
            "t6",
            assignment(
                "t6",
                "2026-12-01",
                &[("2026-11-30", "report"), ("2026-12-02", "back")],
            ),
        ),
    ];
    let data: Vec<(PetitionerFile, Vec<Record>)> = rounds
        .into_iter()
        .map(|(id, records)| (file(id, "南滨街道", "阁一村"), records))
        .collect();
    // Due in the period: t1, t2, t3, t5, t6; signed off by the deadline: t1 → 1 of 5.
    let all = figures(&data, period(), &FigureRules::default());
    assert_eq!(
        fig(&all, FigureKey::AssignedClosure),
        (1, Some(5), Some(0.2))
    );
    let definition = &all
        .get(FigureKey::AssignedClosure)
        .expect("computed")
        .definition;
    assert!(
        definition
            .zh
            .starts_with("限期内审核销号的交办事项数 ÷ 限期报告日期在期内"),
        "{}",
        definition.zh
    );
    // Reported by the deadline and signed off by 31 Dec: t1, t3 → 2 of 5.
    let mut rules = FigureRules::default();
    rules.tasking.closure = Closure::ReportedInTime;
    let all = figures(&data, period(), &rules);
    assert_eq!(
        fig(&all, FigureKey::AssignedClosure),
        (2, Some(5), Some(0.4))
    );
    assert!(
        all.get(FigureKey::AssignedClosure)
            .expect("computed")
            .definition
            .en
            .contains("reported by the deadline")
    );
}

/// 重复访批次: receptions of a person who already had a matter registered before that day or an
/// earlier reception, on any of their files (the same ID number, or name + phone).
#[test]
fn repeat_receptions_count_the_same_person_across_files() {
    use FigureKey::RepeatReceptions;
    use xiafang_core::repeats::RepeatRules;
    let who = |id: &str, name: &str, phone: &str, id_number: Option<&str>, since: &str| {
        let mut f = file(id, "南滨街道", "阁一村");
        f.name = name.into();
        f.phone = Some(phone.into());
        f.id_number = id_number.map(str::to_owned);
        f.matter.since = d(since);
        f
    };
    let reception = |file: &str, day: &str| fixtures::on(fixtures::reception(file, "s1"), d(day));
    // g1 and g2 are 郭先生 by name and phone; g2's matter is registered on 10 Nov.
    // l1 and l2 are 李女士 by ID number, with different phones; l1's matter on 20 Nov.
    // z1 is 张大爷, whose ID number differs from l1's though the name and phone are not the same.
    let data = vec![
        (
            who("g1", "郭先生", "13800000001", None, "2026-11-03"),
            vec![reception("g1", "2026-11-03")],
        ),
        (
            who("g2", "郭先生", "+86 138 0000 0001", None, "2026-11-10"),
            vec![reception("g2", "2026-11-10")],
        ),
        (
            who(
                "l1",
                "李女士",
                "13900000002",
                Some("33019919620708002X"),
                "2026-11-20",
            ),
            vec![reception("l1", "2026-11-20"), reception("l1", "2026-12-24")],
        ),
        (
            who(
                "l2",
                "李女士",
                "13900000003",
                Some("330199 19620708 002x"),
                "2026-12-01",
            ),
            vec![],
        ),
        (
            who(
                "z1",
                "张大爷",
                "13900000002",
                Some("330199195603120017"),
                "2026-11-05",
            ),
            vec![reception("z1", "2026-11-05")],
        ),
    ];
    // g1 on 3 Nov: the day its own matter was registered, nothing earlier → first.
    // g2 on 10 Nov: 郭先生 had g1's matter (3 Nov) and a reception (3 Nov) → repeat.
    // l1 on 20 Nov: nothing of 李女士 before (l2's matter is registered 1 Dec) → first.
    // l1 on 24 Dec: her reception of 20 Nov and l2's matter of 1 Dec → repeat.
    // z1 on 5 Nov: the day of its own matter; same phone as l1 but another name → first.
    let all = figures(&data, period(), &FigureRules::default());
    assert_eq!(fig(&all, RepeatReceptions), (2, None, Some(2.0)));
    assert_eq!(fig(&all, FigureKey::ReceptionBatches), (5, None, Some(5.0)));
    let definition = &all.get(RepeatReceptions).unwrap().definition.zh;
    assert!(definition.contains("姓名和联系电话"), "{definition}");

    // Matched by ID number only: g2 is no longer 郭先生 of g1 → only l1's second reception.
    let by_id = FigureRules {
        repeats: RepeatRules {
            name_and_phone: false,
            ..RepeatRules::default()
        },
        ..FigureRules::default()
    };
    let all = figures(&data, period(), &by_id);
    assert_eq!(fig(&all, RepeatReceptions), (1, None, Some(1.0)));
    let definition = &all.get(RepeatReceptions).unwrap().definition.zh;
    assert!(!definition.contains("姓名"), "{definition}");

    // Within 30 days: l1's 24 Dec reception had l2's matter 23 days before → still a repeat;
    // within 7 days neither her 20 Nov reception nor l2's 1 Dec matter count, g2 still does.
    let within = |days| FigureRules {
        repeats: RepeatRules {
            within_days: Some(days),
            ..RepeatRules::default()
        },
        ..FigureRules::default()
    };
    assert_eq!(
        fig(&figures(&data, period(), &within(30)), RepeatReceptions).0,
        2
    );
    assert_eq!(
        fig(&figures(&data, period(), &within(7)), RepeatReceptions).0,
        1
    );
    assert!(
        figures(&data, period(), &within(7))
            .get(RepeatReceptions)
            .unwrap()
            .definition
            .zh
            .contains("7 日内")
    );

    // A reception later than the matter's registration on the same file is a repeat, and
    // rules that count only earlier receptions leave it out.
    let mut one = vec![data[4].clone()];
    one[0].1 = vec![reception("z1", "2026-11-06")];
    assert_eq!(
        fig(
            &figures(&one, period(), &FigureRules::default()),
            RepeatReceptions
        )
        .0,
        1
    );
    let receptions_only = FigureRules {
        repeats: RepeatRules {
            earlier_matter: false,
            ..RepeatRules::default()
        },
        ..FigureRules::default()
    };
    assert_eq!(
        fig(&figures(&one, period(), &receptions_only), RepeatReceptions).0,
        0
    );
}

/// A file with neither an ID number nor a phone is still its own person: its second reception,
/// and a reception after its own matter was registered, are repeats (matching by keys must not
/// lose the file itself).
#[test]
fn a_file_without_id_number_or_phone_repeats_on_its_own() {
    let mut quiet = file("q1", "南滨街道", "阁一村");
    quiet.phone = None;
    quiet.id_number = None;
    quiet.matter.since = d("2026-11-02");
    let reception = |day: &str| fixtures::on(fixtures::reception("q1", "s1"), d(day));
    // 2 Nov: the day its matter was registered → first; 9 Nov: after it → repeat;
    // 16 Nov: after it and after the 9 Nov reception → repeat.
    let data = vec![(
        quiet,
        vec![
            reception("2026-11-02"),
            reception("2026-11-09"),
            reception("2026-11-16"),
        ],
    )];
    let all = figures(&data, period(), &FigureRules::default());
    assert_eq!(fig(&all, FigureKey::RepeatReceptions), (2, None, Some(2.0)));
}

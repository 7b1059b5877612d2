//! The figures the seeds report on casework (初信初访到期办结率, 积案化解率, 息诉罢访率,
//! 规范办理率, 接访批次/人次, 上级交办案件办结率, 重复访批次), on the hand-built county of
//! `figure_county` and small worlds of their own. Every expected value is worked out by hand.

mod figure_county;
use figure_county::*;

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

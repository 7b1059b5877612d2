//! Deadlines nobody can game (issue 16): a record entered after a limit passed may be kept and
//! shown, but it never turns an overdue matter into one handled on time. Dates are computed by
//! hand in the comments.

use chrono::NaiveDate;
use proptest::prelude::*;
use xiafang_core::case::*;
use xiafang_core::case_step::{
    ApproverRole, Document, LegalRoute, ReplyOutcome, ReviewOutcome, Route, ServiceMethod, Step,
};
use xiafang_core::figures::{FigureKey, FigureRules, Period, figures};
use xiafang_core::file::{Level, MatterFlag, PetitionerFile};
use xiafang_core::{Record, fixtures};

fn d(text: &str) -> NaiveDate {
    text.parse().expect("test date")
}

/// A step done on `day` and entered the same day.
fn step(day: &str, s: Step) -> Record {
    fixtures::on(fixtures::case_step("f1", "o1", s), d(day))
}

/// A step dated `day` but entered into the app on `entered`.
fn late(day: &str, entered: &str, s: Step) -> Record {
    fixtures::entered(fixtures::case_step("f1", "o1", s), d(day), d(entered))
}

fn file() -> PetitionerFile {
    let mut f = fixtures::file("f1");
    f.matter.flags.clear();
    f.matter.level_reached = Level::Township;
    f
}

fn status(records: &[Record], today: &str) -> CaseStatus {
    case_status(&file(), records, &CaseRules::default(), d(today))
}

fn handling(s: &CaseStatus) -> (NaiveDate, DeadlineStatus) {
    let h = s
        .deadline(DeadlineKind::Handling)
        .expect("a handling deadline");
    (h.due, h.status)
}

fn problems(s: &CaseStatus) -> Vec<CaseProblemKind> {
    s.problems.iter().map(|p| p.kind).collect()
}

fn extended(days: u16) -> Step {
    Step::Extended {
        days,
        approver: "街道办事处主任".into(),
        reason: "需现场测量".into(),
        approver_role: Some(ApproverRole::Head),
        reason_told: true,
    }
}

fn replied() -> Step {
    Step::Replied {
        outcome: ReplyOutcome::Explained,
    }
}

/// Received 2 Nov 2026, registered 3 Nov, routed 5 Nov, accepted 10 Nov: the reply is due 60
/// days later, on 9 Jan 2027 (20 days left in November, 31 in December, 9 in January) — a
/// Saturday, so Monday 11 Jan.
fn accepted() -> Vec<Record> {
    vec![
        registered(),
        step(
            "2026-11-05",
            Step::Routed {
                route: Route::Own,
                to: "南滨街道信访办".into(),
            },
        ),
        step("2026-11-10", Step::Accepted { simplified: false }),
    ]
}

/// Received 2 Nov 2026, registered 3 Nov: the 15 days to route and to tell run to 17 Nov.
fn registered() -> Record {
    step(
        "2026-11-03",
        Step::Registered {
            received: d("2026-11-02"),
        },
    )
}

fn with(mut records: Vec<Record>, more: impl IntoIterator<Item = Record>) -> Vec<Record> {
    records.extend(more);
    records
}

#[test]
fn an_extension_approved_in_time_moves_the_deadline_by_its_days() {
    // 10 Nov + 90 days = Monday 8 Feb 2027.
    let s = status(
        &with(accepted(), [step("2027-01-05", extended(30))]),
        "2027-01-20",
    );
    assert_eq!(handling(&s), (d("2027-02-08"), DeadlineStatus::Open));
    assert!(s.problems.is_empty());
}

#[test]
fn an_extension_approved_after_the_period_ended_is_kept_shown_late_and_moves_nothing() {
    let s = status(
        &with(accepted(), [step("2027-01-12", extended(30))]),
        "2027-01-20",
    );
    assert_eq!(handling(&s), (d("2027-01-11"), DeadlineStatus::Overdue));
    assert_eq!(problems(&s), [CaseProblemKind::LateExtension]);
    assert!(s.extension.is_none());
}

#[test]
fn an_extension_dated_in_time_but_entered_after_the_period_ended_moves_nothing() {
    let s = status(
        &with(accepted(), [late("2027-01-05", "2027-01-12", extended(30))]),
        "2027-01-20",
    );
    assert_eq!(handling(&s), (d("2027-01-11"), DeadlineStatus::Overdue));
    assert_eq!(problems(&s), [CaseProblemKind::LateExtension]);
}

#[test]
fn only_the_body_s_head_extends_and_only_once_the_petitioner_is_told_why() {
    let by = |role: Option<ApproverRole>, told: bool| Step::Extended {
        days: 30,
        approver: "王某".into(),
        approver_role: role,
        reason: "需现场测量".into(),
        reason_told: told,
    };
    for (role, told, problem) in [
        (
            Some(ApproverRole::Officer),
            true,
            Some(CaseProblemKind::ExtensionNotByHead),
        ),
        (
            Some(ApproverRole::DepartmentHead),
            true,
            Some(CaseProblemKind::ExtensionNotByHead),
        ),
        (None, true, Some(CaseProblemKind::ExtensionNotByHead)),
        (
            Some(ApproverRole::Head),
            false,
            Some(CaseProblemKind::ExtensionReasonNotTold),
        ),
        (Some(ApproverRole::DeputyInCharge), true, None),
        (Some(ApproverRole::Head), true, None),
    ] {
        let s = status(
            &with(accepted(), [step("2027-01-05", by(role, told))]),
            "2027-01-06",
        );
        let due = if problem.is_some() {
            "2027-01-11"
        } else {
            "2027-02-08"
        };
        assert_eq!(handling(&s).0, d(due), "{role:?} told {told}");
        assert_eq!(
            problems(&s),
            problem.into_iter().collect::<Vec<_>>(),
            "{role:?}"
        );
    }
    // A refused extension leaves the one allowed extension unused.
    let s = status(
        &with(
            accepted(),
            [
                step("2027-01-04", by(Some(ApproverRole::Officer), true)),
                step("2027-01-05", by(Some(ApproverRole::Head), true)),
            ],
        ),
        "2027-01-06",
    );
    assert_eq!(handling(&s).0, d("2027-02-08"));
}

#[test]
fn an_extension_recorded_before_the_post_was_asked_for_does_not_count() {
    // What an older app version sent: no post, nothing about telling the petitioner.
    let old: Step = serde_json::from_str(
        r#"{"step": "extended", "days": 30, "approver": "李局长", "reason": "需补充调查"}"#,
    )
    .expect("an older record still reads");
    let s = status(&with(accepted(), [step("2027-01-05", old)]), "2027-01-06");
    assert_eq!(handling(&s).0, d("2027-01-11"));
    assert_eq!(problems(&s), [CaseProblemKind::ExtensionNotByHead]);
}

#[test]
fn an_extension_before_acceptance_extends_nothing() {
    let records = vec![
        registered(),
        step("2026-11-04", extended(30)),
        step("2026-11-10", Step::Accepted { simplified: false }),
    ];
    let s = status(&records, "2027-01-20");
    assert_eq!(handling(&s), (d("2027-01-11"), DeadlineStatus::Overdue));
    assert_eq!(problems(&s), [CaseProblemKind::LateExtension]);
}

#[test]
fn steering_to_a_legal_channel_in_time_leaves_the_procedure_without_a_handling_clock() {
    let s = status(
        &with(
            accepted(),
            [step(
                "2026-12-01",
                Step::LegalRoute {
                    route: LegalRoute::Litigation,
                },
            )],
        ),
        "2027-01-20",
    );
    assert!(s.deadline(DeadlineKind::Handling).is_none());
}

#[test]
fn steering_to_a_legal_channel_after_the_deadline_closes_the_matter_late_that_day() {
    let s = status(
        &with(
            accepted(),
            [step(
                "2027-01-15",
                Step::LegalRoute {
                    route: LegalRoute::Arbitration,
                },
            )],
        ),
        "2027-01-20",
    );
    let h = s
        .deadline(DeadlineKind::Handling)
        .expect("the deadline stands");
    assert_eq!(
        (h.due, h.met_on, h.status),
        (
            d("2027-01-11"),
            Some(d("2027-01-15")),
            DeadlineStatus::MetLate
        )
    );
}

#[test]
fn steering_dated_in_time_but_entered_after_the_deadline_is_shown_as_recorded_late() {
    let s = status(
        &with(
            accepted(),
            [late(
                "2026-12-01",
                "2027-01-15",
                Step::LegalRoute {
                    route: LegalRoute::Litigation,
                },
            )],
        ),
        "2027-01-20",
    );
    assert_eq!(
        handling(&s),
        (d("2027-01-11"), DeadlineStatus::MetRecordedLate)
    );
}

#[test]
fn a_reply_entered_after_the_deadline_is_shown_and_not_counted_on_time() {
    let records = with(accepted(), [late("2027-01-05", "2027-01-12", replied())]);
    let s = status(&records, "2027-01-20");
    let h = s.deadline(DeadlineKind::Handling).expect("handling");
    assert_eq!(h.status, DeadlineStatus::MetRecordedLate);
    assert_eq!(h.recorded_on, Some(d("2027-01-12")));
    // 按期办结率 for the period the deadline fell in: due, and not on time.
    let period = Period::new(d("2027-01-01"), d("2027-01-31")).expect("in order");
    let all = figures(
        &[(file(), records.clone())],
        period,
        &FigureRules::default(),
    );
    let on_time = all.get(FigureKey::OnTimeCompletion).expect("computed");
    assert_eq!((on_time.numerator, on_time.denominator), (0, Some(1)));
    // The same reply entered on the day counts.
    let in_time = with(accepted(), [step("2027-01-05", replied())]);
    let all = figures(&[(file(), in_time)], period, &FigureRules::default());
    let on_time = all.get(FigureKey::OnTimeCompletion).expect("computed");
    assert_eq!((on_time.numerator, on_time.denominator), (1, Some(1)));
}

#[test]
fn a_new_acceptance_date_entered_after_the_period_ended_does_not_move_it() {
    let s = status(
        &with(
            accepted(),
            [late(
                "2027-01-05",
                "2027-01-15",
                Step::Accepted { simplified: false },
            )],
        ),
        "2027-01-20",
    );
    assert_eq!(handling(&s), (d("2027-01-11"), DeadlineStatus::Overdue));
    assert_eq!(problems(&s), [CaseProblemKind::LateAcceptance]);
}

/// Replied 20 Dec 2026 (in time), review asked 5 Jan, decided "revoke and handle again" 20 Jan,
/// accepted again 25 Jan 2027.
fn sent_back(outcome_step: Step) -> Vec<Record> {
    with(
        accepted(),
        [
            step("2026-12-20", replied()),
            step(
                "2027-01-05",
                if matches!(outcome_step, Step::ReviewDecided { .. }) {
                    Step::ReviewRequested
                } else {
                    Step::ReReviewRequested
                },
            ),
            step("2027-01-20", outcome_step),
            step("2027-01-25", Step::Accepted { simplified: false }),
        ],
    )
}

#[test]
fn handling_again_after_review_starts_a_new_period_the_old_reply_does_not_meet() {
    let records = sent_back(Step::ReviewDecided {
        outcome: ReviewOutcome::Redo,
    });
    // 25 Jan + 60 days = 26 Mar 2027 (6 days left in January, 28 in February, 26 in March).
    let s = status(&records, "2027-02-01");
    assert_eq!(handling(&s), (d("2027-03-26"), DeadlineStatus::Open));
    assert!(s.reply.is_none());
    // The first round keeps its deadline, met by its reply.
    let all: Vec<_> = s
        .deadlines
        .iter()
        .filter(|d| d.kind == DeadlineKind::Handling)
        .map(|d| (d.due, d.status))
        .collect();
    assert_eq!(
        all,
        [
            (d("2027-03-26"), DeadlineStatus::Open),
            (d("2027-01-11"), DeadlineStatus::Met)
        ]
    );
    // The new period has its own one extension: 26 Mar + 30 = Sunday 25 Apr → Monday 26 Apr.
    let extended_again = with(records, [step("2027-02-10", extended(30))]);
    let s = status(&extended_again, "2027-02-11");
    assert_eq!(handling(&s), (d("2027-04-26"), DeadlineStatus::Open));
    assert!(s.problems.is_empty());
}

#[test]
fn a_re_review_that_sends_the_matter_back_lets_it_be_accepted_again() {
    let s = status(
        &sent_back(Step::ReReviewDecided {
            outcome: ReviewOutcome::Redo,
        }),
        "2027-02-01",
    );
    assert!(s.problems.is_empty(), "{:?}", s.problems);
    assert_eq!(handling(&s), (d("2027-03-26"), DeadlineStatus::Open));
    // Upheld, the same request is not accepted again.
    let s = status(
        &sent_back(Step::ReReviewDecided {
            outcome: ReviewOutcome::Upheld,
        }),
        "2027-02-01",
    );
    assert_eq!(problems(&s), [CaseProblemKind::AfterReReview]);
}

fn served(document: Document, how: ServiceMethod) -> Step {
    Step::Served { document, how }
}

#[test]
fn the_petitioner_s_windows_run_from_service_not_from_writing() {
    let written = with(accepted(), [step("2026-12-20", replied())]);
    // Not served yet: the window is not guessed, and the screen is told why.
    let s = status(&written, "2027-01-05");
    assert!(s.deadline(DeadlineKind::ReviewRequest).is_none());
    assert_eq!(s.unserved, [Document::Reply]);
    // Posted and received 28 Dec: 28 Dec + 30 = Wednesday 27 Jan 2027.
    let posted = with(
        written.clone(),
        [step(
            "2026-12-28",
            served(Document::Reply, ServiceMethod::Post),
        )],
    );
    let s = status(&posted, "2027-01-05");
    let window = s.deadline(DeadlineKind::ReviewRequest).expect("a window");
    assert_eq!(
        (window.due, window.status),
        (d("2027-01-27"), DeadlineStatus::Open)
    );
    assert!(s.unserved.is_empty());
    assert_eq!(
        s.reply_served.as_ref().map(|r| r.what),
        Some(ServiceMethod::Post)
    );
    // The review opinion, served in its turn, opens the re-review window: 1 Feb + 30 = 3 Mar.
    let reviewed = with(
        posted,
        [
            step("2027-01-10", Step::ReviewRequested),
            step(
                "2027-01-30",
                Step::ReviewDecided {
                    outcome: ReviewOutcome::Upheld,
                },
            ),
        ],
    );
    let s = status(&reviewed, "2027-02-02");
    assert_eq!(s.unserved, [Document::ReviewOpinion]);
    assert!(s.deadline(DeadlineKind::ReReviewRequest).is_none());
    let s = status(
        &with(
            reviewed,
            [step(
                "2027-02-01",
                served(Document::ReviewOpinion, ServiceMethod::Electronic),
            )],
        ),
        "2027-02-02",
    );
    assert_eq!(
        s.deadline(DeadlineKind::ReReviewRequest).map(|w| w.due),
        Some(d("2027-03-03"))
    );
}

#[test]
fn a_service_before_the_document_or_of_none_does_not_count() {
    let s = status(
        &with(
            accepted(),
            [
                step("2026-12-18", served(Document::Reply, ServiceMethod::Direct)),
                step("2026-12-20", replied()),
            ],
        ),
        "2027-01-05",
    );
    assert_eq!(problems(&s), [CaseProblemKind::NothingToServe]);
    assert_eq!(s.unserved, [Document::Reply]);
}

/// Received 2 Nov 2026, registered 3 Nov, forwarded 5 Nov to the land bureau.
fn forwarded() -> Vec<Record> {
    vec![
        registered(),
        step(
            "2026-11-05",
            Step::Routed {
                route: Route::Forwarded,
                to: "瑞安市自然资源和规划局".into(),
            },
        ),
    ]
}

#[test]
fn a_forwarded_matter_s_notice_and_objection_run_from_the_receiving_body_s_receipt() {
    // Until the bureau's receipt is recorded, its notice period is not guessed.
    let s = status(&forwarded(), "2026-11-06");
    assert!(s.unreceived);
    assert!(s.deadline(DeadlineKind::Notify).is_none());
    // The forwarding office's own 15 days: 2 Nov + 15 = 17 Nov, met by the forwarding.
    assert_eq!(
        s.deadline(DeadlineKind::Register)
            .map(|r| (r.due, r.status)),
        Some((d("2026-11-17"), DeadlineStatus::Met))
    );
    // Received Monday 9 Nov: notice by 9 + 15 = Tuesday 24 Nov; objections within 5 working
    // days, 10–13 and 16 Nov.
    let received = with(
        forwarded(),
        [step(
            "2026-11-09",
            Step::BodyReceived {
                body: "瑞安市自然资源和规划局".into(),
            },
        )],
    );
    let s = status(&received, "2026-11-10");
    assert!(!s.unreceived);
    assert_eq!(
        s.deadline(DeadlineKind::Notify).map(|n| n.due),
        Some(d("2026-11-24"))
    );
    let objection = s.deadline(DeadlineKind::Objection).expect("a window");
    assert_eq!(objection.due, d("2026-11-16"));
    assert!(objection.calendar.as_ref().is_some_and(|c| c.working_days));
    // Not used: the bureau has taken the matter as its own; nobody is late.
    assert_eq!(
        status(&received, "2026-11-20")
            .deadline(DeadlineKind::Objection)
            .map(|o| o.status),
        Some(DeadlineStatus::Lapsed)
    );
    let objected = with(
        received,
        [step(
            "2026-11-12",
            Step::Objected {
                reason: "属集体经济组织内部分配，不属本机关职权".into(),
            },
        )],
    );
    assert_eq!(
        status(&objected, "2026-11-20")
            .deadline(DeadlineKind::Objection)
            .map(|o| o.status),
        Some(DeadlineStatus::Met)
    );
}

#[test]
fn forwarding_after_the_notice_was_due_leaves_that_overdue_notice_in_place() {
    let records = vec![
        registered(),
        // 2 Nov + 15 = 17 Nov: forwarded on the 20th, the notice was already late.
        step(
            "2026-11-20",
            Step::Routed {
                route: Route::Forwarded,
                to: "瑞安市自然资源和规划局".into(),
            },
        ),
    ];
    let s = status(&records, "2026-11-25");
    assert_eq!(
        s.deadline(DeadlineKind::Notify).map(|n| (n.due, n.status)),
        Some((d("2026-11-17"), DeadlineStatus::Overdue))
    );
}

#[test]
fn a_major_or_urgent_matter_is_flagged_and_counted() {
    let mut urgent = file();
    urgent.matter.flags.push(MatterFlag::Urgent);
    let records = forwarded();
    let s = case_status(&urgent, &records, &CaseRules::default(), d("2026-11-10"));
    assert!(s.flags.urgent);
    let period = Period::new(d("2026-11-01"), d("2026-11-30")).expect("in order");
    let all = figures(
        &[(urgent, records.clone())],
        period,
        &FigureRules::default(),
    );
    assert_eq!(
        all.get(FigureKey::UrgentMatters).map(|f| f.numerator),
        Some(1)
    );
    let all = figures(&[(file(), records)], period, &FigureRules::default());
    assert_eq!(
        all.get(FigureKey::UrgentMatters).map(|f| f.numerator),
        Some(0)
    );
}

fn any_step() -> impl Strategy<Value = Step> {
    let outcome = prop_oneof![
        Just(ReviewOutcome::Upheld),
        Just(ReviewOutcome::Changed),
        Just(ReviewOutcome::Redo)
    ];
    prop_oneof![
        Just(Step::Routed {
            route: Route::Own,
            to: "镇信访办".into()
        }),
        Just(Step::Routed {
            route: Route::Forwarded,
            to: "县自然资源局".into()
        }),
        any::<bool>().prop_map(|accepted| Step::Notified {
            accepted,
            go_to: String::new()
        }),
        any::<bool>().prop_map(|simplified| Step::Accepted { simplified }),
        (1u16..90).prop_map(extended),
        Just(replied()),
        Just(served(Document::Reply, ServiceMethod::Direct)),
        Just(served(Document::ReviewOpinion, ServiceMethod::Post)),
        Just(Step::Closed),
        Just(Step::BodyReceived {
            body: "县自然资源局".into()
        }),
        Just(Step::Objected {
            reason: "不属本机关职权".into()
        }),
        Just(Step::ReviewRequested),
        outcome
            .clone()
            .prop_map(|outcome| Step::ReviewDecided { outcome }),
        Just(Step::ReReviewRequested),
        outcome.prop_map(|outcome| Step::ReReviewDecided { outcome }),
        Just(Step::LegalRoute {
            route: LegalRoute::Litigation
        }),
        (-80i64..0).prop_map(|days| Step::Registered {
            received: d("2026-11-02") + chrono::TimeDelta::days(days)
        }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2_000, ..ProptestConfig::default() })]

    /// Registered, not yet routed or told, accepted: on 11 Jan 2027 all three limits have
    /// passed. Whatever is entered afterwards, dated whenever, each stays visibly not met in
    /// time, and the on-time figure for the period does not improve.
    #[test]
    fn nothing_entered_after_a_deadline_passed_makes_it_met_in_time(
        entries in prop::collection::vec((any_step(), -80i64..30, 1i64..40), 0..12),
    ) {
        let base = vec![
            registered(),
            step("2026-11-10", Step::Accepted { simplified: false }),
        ];
        let last_due = d("2027-01-11");
        let before = status(&base, "2027-02-28");
        let overdue: Vec<DeadlineKind> = before
            .deadlines
            .iter()
            .filter(|d| d.status == DeadlineStatus::Overdue)
            .map(|d| d.kind)
            .collect();
        prop_assert_eq!(
            &overdue,
            &[DeadlineKind::Register, DeadlineKind::Notify, DeadlineKind::Handling]
        );
        let mut records = base;
        for (s, dated, entered) in entries {
            let on = last_due + chrono::TimeDelta::days(dated);
            let entered = last_due + chrono::TimeDelta::days(entered);
            records.push(fixtures::entered(
                fixtures::case_step("f1", "o1", s),
                on,
                entered.max(on),
            ));
        }
        let after = status(&records, "2027-02-28");
        for kind in overdue {
            let late_still_shown = after.deadlines.iter().any(|d| {
                d.kind == kind
                    && matches!(
                        d.status,
                        DeadlineStatus::Overdue
                            | DeadlineStatus::MetLate
                            | DeadlineStatus::MetRecordedLate
                    )
            });
            prop_assert!(late_still_shown, "{:?} no longer shows late: {:?}", kind, after.deadlines);
        }
        let period = Period::new(d("2026-11-01"), d("2027-02-28")).expect("in order");
        let all = figures(&[(file(), records)], period, &FigureRules::default());
        let on_time = all.get(FigureKey::OnTimeCompletion).expect("computed");
        prop_assert_eq!(on_time.numerator, 0);
    }
}

//! A matter's state folded from its records: stages, deadlines, supervision, flags.

use chrono::NaiveDate;
use xiafang_core::case::*;
use xiafang_core::case_step::{
    ApproverRole, Document, Evaluation, LegalRoute, ReplyOutcome, ReviewOutcome, Route,
    ServiceMethod, Step,
};
use xiafang_core::file::{Level, MatterFlag, PetitionerFile, Resolution};
use xiafang_core::record::{RecordBody, VisitKind};
use xiafang_core::supervision::{Supervision, SupervisionMode};
use xiafang_core::{Record, fixtures};

fn d(text: &str) -> NaiveDate {
    text.parse().expect("test date")
}

fn step(day: &str, s: Step) -> Record {
    fixtures::on(fixtures::case_step("f1", "o1", s), d(day))
}

fn sup(day: &str, s: Supervision) -> Record {
    fixtures::on(fixtures::supervision("f1", "s1", s), d(day))
}

fn visit(day: &str, kind: VisitKind) -> Record {
    let mut v = fixtures::on(fixtures::visit("f1", "u1"), d(day));
    if let RecordBody::Visit(body) = &mut v.body {
        body.kind = kind;
        body.next_due = None;
    }
    v
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

fn due(s: &CaseStatus, kind: DeadlineKind) -> (NaiveDate, DeadlineStatus) {
    let deadline = s.deadline(kind).expect("deadline present");
    (deadline.due, deadline.status)
}

/// Received 2 Nov, registered 3 Nov, routed 5, notified and accepted 10 Nov, replied and the
/// reply handed over 20 Dec, rated 22 Dec, closed 23 Dec 2026.
fn handled() -> Vec<Record> {
    vec![
        step(
            "2026-11-03",
            Step::Registered {
                received: d("2026-11-02"),
            },
        ),
        step(
            "2026-11-05",
            Step::Routed {
                route: Route::Own,
                to: "南滨街道信访办".into(),
            },
        ),
        step(
            "2026-11-10",
            Step::Notified {
                accepted: true,
                go_to: String::new(),
            },
        ),
        step("2026-11-10", Step::Accepted { simplified: false }),
        step(
            "2026-12-20",
            Step::Replied {
                outcome: ReplyOutcome::Upheld,
            },
        ),
        step(
            "2026-12-20",
            Step::Served {
                document: Document::Reply,
                how: ServiceMethod::Direct,
            },
        ),
        step(
            "2026-12-22",
            Step::Rated {
                evaluation: Evaluation::Satisfied,
                comment: String::new(),
            },
        ),
        step("2026-12-23", Step::Closed),
    ]
}

#[test]
fn a_matter_handled_in_time_is_closed_with_its_deadlines_met() {
    let s = status(&handled(), "2027-01-10");
    assert_eq!(s.stage, Some(Stage::Closed));
    assert_eq!(s.received, Some(d("2026-11-02")));
    // 2 Nov + 15 = 17 Nov for routing and for the notice.
    assert_eq!(
        due(&s, DeadlineKind::Register),
        (d("2026-11-17"), DeadlineStatus::Met)
    );
    assert_eq!(
        due(&s, DeadlineKind::Notify),
        (d("2026-11-17"), DeadlineStatus::Met)
    );
    // 10 Nov + 60 = 9 Jan 2027 (20 left in Nov + 31 Dec + 9), a Saturday: Monday 11 Jan.
    assert_eq!(
        due(&s, DeadlineKind::Handling),
        (d("2027-01-11"), DeadlineStatus::Met)
    );
    // The petitioner may ask for review until 20 Dec + 30 = 19 Jan: nine days away, open.
    assert_eq!(
        due(&s, DeadlineKind::ReviewRequest),
        (d("2027-01-19"), DeadlineStatus::Open)
    );
    // Follow-up 23 Dec + 30 = 22 Jan, not done yet.
    assert_eq!(
        due(&s, DeadlineKind::FollowUp),
        (d("2027-01-22"), DeadlineStatus::Open)
    );
    assert!(s.follow_up_due);
    assert_eq!(
        s.rating.as_ref().map(|r| r.what.0),
        Some(Evaluation::Satisfied)
    );
    assert!(s.problems.is_empty());
}

#[test]
fn deadlines_are_due_soon_then_overdue_and_a_lapsed_window_is_nobody_s_fault() {
    // Due Monday 11 Jan 2027 (9 Jan is a Saturday): due soon from three days before.
    let records = &handled()[..4];
    assert_eq!(
        due(&status(records, "2027-01-08"), DeadlineKind::Handling).1,
        DeadlineStatus::DueSoon
    );
    assert_eq!(
        due(&status(records, "2027-01-07"), DeadlineKind::Handling).1,
        DeadlineStatus::Open
    );
    assert_eq!(
        due(&status(records, "2027-01-12"), DeadlineKind::Handling).1,
        DeadlineStatus::Overdue
    );
    let s = status(&handled(), "2027-01-20");
    assert_eq!(
        due(&s, DeadlineKind::ReviewRequest).1,
        DeadlineStatus::Lapsed
    );
    // A reply after the limit is met late, not met.
    let mut late = handled()[..4].to_vec();
    late.push(step(
        "2027-01-12",
        Step::Replied {
            outcome: ReplyOutcome::NotUpheld,
        },
    ));
    assert_eq!(
        due(&status(&late, "2027-01-20"), DeadlineKind::Handling).1,
        DeadlineStatus::MetLate
    );
}

#[test]
fn one_extension_moves_the_reply_deadline_and_a_second_does_not_count() {
    let extend = |day: &str, days| {
        step(
            day,
            Step::Extended {
                days,
                approver: "李局长".into(),
                reason: "需补充调查".into(),
                approver_role: Some(ApproverRole::Head),
                reason_told: true,
            },
        )
    };
    let mut records = handled()[..4].to_vec();
    records.push(extend("2026-12-30", 30));
    records.push(extend("2027-01-30", 20));
    let s = status(&records, "2027-01-20");
    // 9 Jan + 30 = 8 Feb; the second extension is recorded as a problem and ignored.
    assert_eq!(
        due(&s, DeadlineKind::Handling),
        (d("2027-02-08"), DeadlineStatus::Open)
    );
    assert_eq!(s.extension.as_ref().map(|e| e.what.days), Some(30));
    let s = status(&records, "2027-02-01");
    assert_eq!(due(&s, DeadlineKind::Handling).0, d("2027-02-08"));
    assert_eq!(s.problems.len(), 1);
    assert_eq!(s.problems[0].kind, CaseProblemKind::SecondExtension);
    assert_eq!(s.problems[0].record, records[5].id);
}

#[test]
fn a_deployment_that_allows_less_extension_caps_it_and_says_so() {
    let mut rules = CaseRules::default();
    rules.limits.extension_max_days = 15;
    let mut records = handled()[..4].to_vec();
    records.push(step(
        "2026-12-30",
        Step::Extended {
            days: 30,
            approver: "李局长".into(),
            reason: "需补充调查".into(),
            approver_role: Some(ApproverRole::Head),
            reason_told: true,
        },
    ));
    let s = case_status(&file(), &records, &rules, d("2027-01-20"));
    // 9 Jan + 15 = Sunday 24 Jan → Monday 25 Jan.
    assert_eq!(due(&s, DeadlineKind::Handling).0, d("2027-01-25"));
    assert_eq!(s.problems[0].kind, CaseProblemKind::ExtensionTooLong);
}

#[test]
fn a_voided_reply_reopens_handling_and_an_amended_acceptance_moves_it() {
    let records = handled();
    let void = fixtures::void(&records[4], "答复录错了档案");
    let mut with_void = records.clone();
    with_void.push(void);
    let s = status(&with_void, "2026-12-30");
    assert_eq!(due(&s, DeadlineKind::Handling).1, DeadlineStatus::Open);
    assert!(s.reply.is_none());
    let moved = fixtures::on(
        fixtures::amendment(&records[3], records[3].body.clone()),
        d("2026-11-12"),
    );
    let s = status(&[records[..4].to_vec(), vec![moved]].concat(), "2026-12-01");
    assert_eq!(due(&s, DeadlineKind::Handling).0, d("2027-01-11"));
}

#[test]
fn simplified_handling_counts_ten_working_days() {
    let records = vec![
        step(
            "2026-11-20",
            Step::Registered {
                received: d("2026-11-20"),
            },
        ),
        step("2026-11-20", Step::Accepted { simplified: true }),
    ];
    // Fri 20 Nov + 10 working days = Fri 4 Dec.
    assert_eq!(
        due(&status(&records, "2026-11-25"), DeadlineKind::Handling).0,
        d("2026-12-04")
    );
}

#[test]
fn not_accepted_or_steered_to_a_legal_channel_has_no_handling_clock() {
    let not_accepted = vec![
        step(
            "2026-11-03",
            Step::Registered {
                received: d("2026-11-02"),
            },
        ),
        step(
            "2026-11-06",
            Step::Notified {
                accepted: false,
                go_to: "向区人民法院起诉".into(),
            },
        ),
    ];
    let s = status(&not_accepted, "2026-12-01");
    assert_eq!(s.stage, Some(Stage::NotAccepted));
    assert!(s.deadline(DeadlineKind::Handling).is_none());
    let mut steered = handled()[..4].to_vec();
    steered.push(step(
        "2026-11-15",
        Step::LegalRoute {
            route: LegalRoute::Arbitration,
        },
    ));
    let s = status(&steered, "2027-03-01");
    assert_eq!(
        s.legal_route.as_ref().map(|l| l.what),
        Some(LegalRoute::Arbitration)
    );
    assert!(s.deadline(DeadlineKind::Handling).is_none());
}

#[test]
fn review_and_re_review_then_nothing_is_accepted_again() {
    let mut records = handled();
    records.extend([
        step("2027-01-05", Step::ReviewRequested),
        step(
            "2027-02-01",
            Step::ReviewDecided {
                outcome: ReviewOutcome::Upheld,
            },
        ),
        step(
            "2027-02-01",
            Step::Served {
                document: Document::ReviewOpinion,
                how: ServiceMethod::Direct,
            },
        ),
        step("2027-02-20", Step::ReReviewRequested),
    ]);
    let s = status(&records, "2027-03-10");
    assert_eq!(s.stage, Some(Stage::InReReview));
    // Review asked 5 Jan (window to 19 Jan: met), decided 1 Feb (due 4 Feb: met).
    assert_eq!(due(&s, DeadlineKind::ReviewRequest).1, DeadlineStatus::Met);
    assert_eq!(
        due(&s, DeadlineKind::ReviewDecision),
        (d("2027-02-04"), DeadlineStatus::Met)
    );
    assert_eq!(
        due(&s, DeadlineKind::ReReviewRequest),
        (d("2027-03-03"), DeadlineStatus::Met)
    );
    // Re-review due 20 Feb + 30 = 22 Mar, twelve days off.
    assert_eq!(
        due(&s, DeadlineKind::ReReviewDecision),
        (d("2027-03-22"), DeadlineStatus::Open)
    );
    assert!(!s.is_closed_to_review());

    records.push(step(
        "2027-03-15",
        Step::ReReviewDecided {
            outcome: ReviewOutcome::Upheld,
        },
    ));
    let again = step("2027-04-01", Step::Accepted { simplified: false });
    let asked = step("2027-04-02", Step::ReviewRequested);
    records.extend([again.clone(), asked.clone()]);
    let s = status(&records, "2027-04-10");
    assert!(s.is_closed_to_review());
    assert_eq!(s.stage, Some(Stage::ReReviewed));
    assert_eq!(s.accepted.as_ref().map(|a| a.on), Some(d("2026-11-10")));
    let refused: Vec<_> = s.problems.iter().map(|p| (p.record, p.kind)).collect();
    assert_eq!(
        refused,
        vec![
            (again.id, CaseProblemKind::AfterReReview),
            (asked.id, CaseProblemKind::AfterReReview)
        ]
    );
    records.push(step("2027-04-20", Step::Final));
    assert_eq!(status(&records, "2027-04-20").stage, Some(Stage::Final));
}

#[test]
fn supervision_is_listed_owned_and_lifted() {
    let mut records = handled()[..4].to_vec();
    records.push(sup(
        "2026-11-15",
        Supervision::Listed {
            deadline: d("2026-12-15"),
            mode: SupervisionMode::Instruction,
            reason: "领导批示".into(),
        },
    ));
    records.push(sup(
        "2026-11-16",
        Supervision::Leader {
            name: "陈副县长".into(),
            account: None,
            post: String::new(),
            unit: String::new(),
            responsible: String::new(),
        },
    ));
    let s = status(&records, "2026-12-13");
    let listed = s.supervision.as_ref().expect("listed");
    assert_eq!(
        (listed.mode, listed.deadline),
        (SupervisionMode::Instruction, d("2026-12-15"))
    );
    assert!(listed.lifted.is_none());
    assert_eq!(
        due(&s, DeadlineKind::Supervision).1,
        DeadlineStatus::DueSoon
    );
    assert_eq!(
        s.leaders
            .iter()
            .map(|l| l.name.as_str())
            .collect::<Vec<_>>(),
        ["陈副县长"]
    );

    records.push(sup(
        "2026-12-10",
        Supervision::Lifted {
            note: "已化解".into(),
        },
    ));
    let s = status(&records, "2026-12-13");
    assert_eq!(
        s.supervision.and_then(|x| x.lifted).map(|l| l.on),
        Some(d("2026-12-10"))
    );
    assert_eq!(
        due(&status(&records, "2026-12-13"), DeadlineKind::Supervision).1,
        DeadlineStatus::Met
    );
}

#[test]
fn the_registered_leader_and_resolution_count_until_a_record_says_otherwise() {
    let mut f = file();
    f.matter.case_leader = Some("王书记".into());
    let rules = CaseRules::default();
    let s = case_status(&f, &[], &rules, d("2026-12-01"));
    assert_eq!(
        s.leaders
            .iter()
            .map(|l| l.name.as_str())
            .collect::<Vec<_>>(),
        ["王书记"]
    );
    assert_eq!(s.resolution, Some(Resolution::InProgress));
    assert_eq!(s.stage, None);
    let r = step(
        "2026-11-30",
        Step::Resolution {
            resolution: Resolution::Stopped,
        },
    );
    assert_eq!(
        case_status(&f, &[r], &rules, d("2026-12-01")).resolution,
        Some(Resolution::Stopped)
    );
}

#[test]
fn a_follow_up_visit_after_closure_is_the_follow_up() {
    let mut records = handled();
    records.push(visit("2026-12-01", VisitKind::FollowUp)); // before closure: does not count
    assert!(status(&records, "2027-01-30").follow_up_due);
    assert_eq!(
        due(&status(&records, "2027-01-30"), DeadlineKind::FollowUp).1,
        DeadlineStatus::Overdue
    );
    records.push(visit("2027-01-15", VisitKind::FollowUp));
    let s = status(&records, "2027-01-30");
    assert_eq!(s.follow_up_on.as_ref().map(|f| f.on), Some(d("2027-01-15")));
    assert!(!s.follow_up_due);
    assert_eq!(due(&s, DeadlineKind::FollowUp).1, DeadlineStatus::Met);
    let mut stepped = handled();
    stepped.push(step("2027-01-25", Step::FollowUpDone { carried_out: true }));
    assert_eq!(
        status(&stepped, "2027-01-30").follow_up_on.map(|f| f.on),
        Some(d("2027-01-25"))
    );
}

#[test]
fn a_file_needs_a_visit_after_thirty_quiet_days() {
    let records = vec![visit("2026-11-20", VisitKind::Home)];
    assert!(!status(&records, "2026-12-19").needs_visit); // 29 days
    assert!(status(&records, "2026-12-20").needs_visit); // 30 days
    assert!(
        status(&[], "2026-12-20").needs_visit,
        "never visited in the app"
    );
    assert_eq!(
        status(&records, "2026-12-20").last_visit,
        Some(d("2026-11-20"))
    );
}

#[test]
fn flags_repeat_skip_level_collective_and_backlog_age() {
    let mut f = file();
    f.matter.flags = vec![MatterFlag::Backlog, MatterFlag::Collective];
    let rules = CaseRules::default();
    // Since 1 Mar 2014: 11 whole years on 28 Feb 2026, 12 on 1 Mar 2026.
    let s = case_status(&f, &[], &rules, d("2026-02-28"));
    assert_eq!(s.flags.backlog_years, Some(11));
    assert!(s.flags.collective && !s.flags.repeat && !s.flags.skip_level);
    assert_eq!(
        case_status(&f, &[], &rules, d("2026-03-01"))
            .flags
            .backlog_years,
        Some(12)
    );
    f.matter.level_reached = Level::County;
    assert!(
        !case_status(&f, &[], &rules, d("2026-03-01"))
            .flags
            .skip_level,
        "one level up"
    );
    f.matter.level_reached = Level::City;
    assert!(
        case_status(&f, &[], &rules, d("2026-03-01"))
            .flags
            .skip_level
    );
    let twice = vec![
        step(
            "2026-11-03",
            Step::Registered {
                received: d("2026-11-02"),
            },
        ),
        step(
            "2027-02-03",
            Step::Registered {
                received: d("2027-02-02"),
            },
        ),
    ];
    let s = status(&twice, "2027-02-10");
    assert!(s.flags.repeat);
    assert_eq!(
        s.received,
        Some(d("2026-11-02")),
        "the clocks run from the first receipt"
    );
}

#[test]
fn records_dated_after_today_and_on_other_files_do_not_count() {
    let mut other = step("2026-11-03", Step::Closed);
    other.file_id = "f2".into();
    let later = step("2026-12-01", Step::Closed);
    let s = status(&[other, later], "2026-11-30");
    assert_eq!(s.stage, None);
}

//! Every record kind and variant the golden test pins, with optional fields present and
//! absent (`wire_golden_records.rs` reads and writes each against `record_bodies.txt`).

use chrono::NaiveDate;
use xiafang_core::case_step::*;
use xiafang_core::file::Resolution;
use xiafang_core::ownership::Milestone;
use xiafang_core::record::*;
use xiafang_core::supervision::*;
use xiafang_core::tasking::*;
use xiafang_core::{DeviceId, FileId, Record, RecordBody, RecordId, UserId, fixtures};

pub fn id(n: u8) -> RecordId {
    serde_json::from_value(serde_json::json!(format!(
        "0193a4b2-7c1d-7e3f-8a9b-0c1d2e3f4a{n:02x}"
    )))
    .unwrap()
}

pub fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// A fixture with a known id, so bodies that name it have a fixed text.
pub fn known(mut r: Record, n: u8) -> Record {
    r.id = id(n);
    r
}

pub fn step(step: Step, note: &str) -> RecordBody {
    RecordBody::CaseStep(CaseStep {
        step,
        note: note.into(),
    })
}

/// Every kind and variant, with optional fields present and absent, by name.
pub fn cases() -> Vec<(&'static str, RecordBody)> {
    let visit = known(fixtures::visit("f1", "u1"), 1);
    let assistance = known(fixtures::assistance("f1", "u1"), 2);
    let RecordBody::Visit(minimal_visit) = visit.body.clone() else {
        unreachable!()
    };
    let full_visit = Visit {
        location: Some(GeoPoint {
            lat: 27.993_1,
            lon: 120.699_5,
        }),
        joined: vec![TeamMember {
            id: UserId::from("law"),
            name: "李律师".into(),
        }],
        evaluation: Some(VisitEvaluation {
            rating: Evaluation::BasicallySatisfied,
            comment: "希望尽快兑现".into(),
        }),
        refused: vec![Refusal::Signature],
        petitioner_view: "同意再等一周".into(),
        ..minimal_visit.clone()
    };
    let refused_visit = Visit {
        requests: String::new(),
        next_due: None,
        evaluation: Some(VisitEvaluation {
            rating: Evaluation::Dissatisfied,
            comment: String::new(),
        }),
        refused: vec![Refusal::Visit, Refusal::Signature],
        ..minimal_visit
    };
    let mut no_amount = assistance.body.clone();
    if let RecordBody::Assistance(a) = &mut no_amount {
        a.amount_fen = None;
        a.kind = AssistanceKind::Goods;
        a.status = AssistanceStatus::Planned;
    }
    let stamp = xiafang_core::hlc::Hlc {
        wall_ms: 1_764_000_000_123,
        counter: 2,
        device: serde_json::from_value(serde_json::json!("0193a4b2-7c1d-7e3f-8a9b-0c1d2e3f4aff"))
            .unwrap(),
    };
    let _: DeviceId = stamp.device;
    let file_edit = fixtures::file_edit(
        "f1",
        "u1",
        xiafang_core::file_edit::EditableField::Tags,
        "低保户",
        "低保户、独居",
        stamp,
    );
    let mut failed_mediation = fixtures::mediation("f1", "law").body;
    if let RecordBody::Mediation(m) = &mut failed_mediation {
        m.outcome = xiafang_core::legal::MediationOutcome::Failed;
        m.terms = String::new();
        m.facts = String::new();
        m.channel = Some(LegalRoute::Litigation);
    }
    let mut referral_no_note = fixtures::referral("f1", "u1", "law").body;
    if let RecordBody::Referral(r) = &mut referral_no_note {
        r.note = String::new();
        r.need = xiafang_core::legal::ReferralNeed::Mediation;
    }
    let mut photo_no_caption = fixtures::photo(&assistance, "u1").body;
    if let RecordBody::Photo(p) = &mut photo_no_caption {
        p.caption = String::new();
    }
    let mut screening_found =
        fixtures::screening(xiafang_core::screening::ScreeningLevel::Group, "v1", "u1").body;
    if let RecordBody::Screening(s) = &mut screening_found {
        s.nothing_new = false;
        s.findings = vec![
            xiafang_core::screening::Finding {
                what: "宅基地边界纠纷".into(),
                file: Some(FileId::from("f1")),
                warning: Some(id(3)),
            },
            xiafang_core::screening::Finding {
                what: "邻里用水纠纷".into(),
                file: None,
                warning: None,
            },
        ];
    }
    let mut warning_plain = fixtures::warning(
        "f1",
        "u1",
        xiafang_core::warning::ReportLevel::Village,
        false,
    )
    .body;
    if let RecordBody::Warning(w) = &mut warning_plain {
        w.measures = String::new();
    }
    use Supervision as S;
    use Tasking as T;
    vec![
        ("visit", visit.body.clone()),
        ("visit_full", RecordBody::Visit(full_visit)),
        ("visit_refused", RecordBody::Visit(refused_visit)),
        ("assistance", assistance.body.clone()),
        ("assistance_no_amount", no_amount),
        ("note", fixtures::note("f1", "u1").body),
        ("void", fixtures::void(&visit, "录错档案").body),
        ("file_edit", file_edit.body),
        (
            "step_registered",
            step(
                Step::Registered {
                    received: day(2026, 11, 2),
                },
                "",
            ),
        ),
        (
            "step_routed",
            step(
                Step::Routed {
                    route: Route::Assigned,
                    to: "南滨街道".into(),
                },
                "限期十五日内报告",
            ),
        ),
        (
            "step_body_received",
            step(
                Step::BodyReceived {
                    body: "县住建局".into(),
                },
                "",
            ),
        ),
        (
            "step_objected",
            step(
                Step::Objected {
                    reason: "不属本机关职权".into(),
                },
                "",
            ),
        ),
        (
            "step_notified_accepted",
            step(
                Step::Notified {
                    accepted: true,
                    go_to: String::new(),
                },
                "已电话告知本人",
            ),
        ),
        (
            "step_notified_not_accepted",
            step(
                Step::Notified {
                    accepted: false,
                    go_to: "县人民法院".into(),
                },
                "",
            ),
        ),
        (
            "step_accepted",
            step(Step::Accepted { simplified: false }, ""),
        ),
        (
            "step_accepted_simplified",
            step(Step::Accepted { simplified: true }, ""),
        ),
        (
            "step_extended",
            step(
                Step::Extended {
                    days: 30,
                    approver: "张局长".into(),
                    approver_role: Some(ApproverRole::Head),
                    reason: "需补充调查".into(),
                    reason_told: true,
                },
                "",
            ),
        ),
        (
            "step_extended_old",
            step(
                Step::Extended {
                    days: 20,
                    approver: "张局长".into(),
                    approver_role: None,
                    reason: "需补充调查".into(),
                    reason_told: false,
                },
                "",
            ),
        ),
        (
            "step_replied",
            step(
                Step::Replied {
                    outcome: ReplyOutcome::NotUpheld,
                },
                "",
            ),
        ),
        (
            "step_served",
            step(
                Step::Served {
                    document: Document::ReviewOpinion,
                    how: ServiceMethod::Post,
                },
                "",
            ),
        ),
        (
            "step_rated",
            step(
                Step::Rated {
                    evaluation: Evaluation::Satisfied,
                    comment: "办得好".into(),
                },
                "",
            ),
        ),
        (
            "step_rated_no_comment",
            step(
                Step::Rated {
                    evaluation: Evaluation::BasicallySatisfied,
                    comment: String::new(),
                },
                "",
            ),
        ),
        ("step_closed", step(Step::Closed, "")),
        ("step_closed_note", step(Step::Closed, "材料已归档")),
        ("step_review_requested", step(Step::ReviewRequested, "")),
        (
            "step_review_decided",
            step(
                Step::ReviewDecided {
                    outcome: ReviewOutcome::Changed,
                },
                "",
            ),
        ),
        (
            "step_re_review_requested",
            step(Step::ReReviewRequested, ""),
        ),
        (
            "step_re_review_decided",
            step(
                Step::ReReviewDecided {
                    outcome: ReviewOutcome::Redo,
                },
                "",
            ),
        ),
        ("step_final", step(Step::Final, "")),
        (
            "step_follow_up_done",
            step(Step::FollowUpDone { carried_out: false }, ""),
        ),
        (
            "step_legal_route",
            step(
                Step::LegalRoute {
                    route: LegalRoute::AdministrativeReview,
                },
                "",
            ),
        ),
        (
            "step_resolution",
            step(
                Step::Resolution {
                    resolution: Resolution::Stopped,
                },
                "",
            ),
        ),
        (
            "review",
            fixtures::review(&visit, "sup", ReviewDecision::Return, "请补充诉求").body,
        ),
        (
            "review_approved",
            fixtures::review(&visit, "sup", ReviewDecision::Approve, "").body,
        ),
        ("supervision_listed", fixtures::listed("f1", "sup").body),
        (
            "supervision_leader",
            RecordBody::Supervision(S::Leader {
                name: "王副书记".into(),
                account: Some(UserId::from("leader-wang")),
                post: "南滨街道党工委副书记".into(),
                unit: "南滨街道办事处".into(),
                responsible: "王建国".into(),
            }),
        ),
        (
            "supervision_leader_old",
            RecordBody::Supervision(S::Leader {
                name: "王副书记".into(),
                account: None,
                post: String::new(),
                unit: String::new(),
                responsible: String::new(),
            }),
        ),
        (
            "supervision_lifted",
            RecordBody::Supervision(S::Lifted {
                note: "已化解".into(),
            }),
        ),
        ("supervision_plan", fixtures::plan("f1", "sup").body),
        (
            "supervision_plan_no_team",
            RecordBody::Supervision(S::Plan {
                plan: "依法核算".into(),
                milestones: vec![Milestone {
                    what: "召开会议".into(),
                    due: day(2026, 12, 10),
                }],
                team: vec![],
            }),
        ),
        (
            "supervision_milestone_met",
            fixtures::milestone_met("f1", "sup", "召开会议").body,
        ),
        (
            "supervision_milestone_met_no_note",
            RecordBody::Supervision(S::MilestoneMet {
                what: "召开会议".into(),
                note: String::new(),
            }),
        ),
        ("referral", fixtures::referral("f1", "u1", "law").body),
        ("referral_no_note", referral_no_note),
        ("legal_opinion", fixtures::legal_opinion("f1", "law").body),
        ("mediation", fixtures::mediation("f1", "law").body),
        ("mediation_failed", failed_mediation),
        ("visit_part", fixtures::visit_part(&visit, "law").body),
        ("signature", fixtures::signature(&visit, "u1").body),
        ("photo", fixtures::photo(&assistance, "u1").body),
        ("photo_no_caption", photo_no_caption),
        ("reception", fixtures::reception("f1", "u1").body),
        (
            "warning_settled",
            fixtures::warning("f1", "u1", xiafang_core::warning::ReportLevel::County, true).body,
        ),
        ("warning_plain", warning_plain),
        ("tasking_assigned", fixtures::assigned("f1", "sup").body),
        (
            "tasking_urged",
            RecordBody::Tasking(T::Urged {
                how: UrgeMethod::OnSite,
                note: "已超期三天".into(),
            }),
        ),
        (
            "tasking_urged_no_note",
            RecordBody::Tasking(T::Urged {
                how: UrgeMethod::Phone,
                note: String::new(),
            }),
        ),
        ("tasking_reported", fixtures::unit_report("f1", "u1").body),
        (
            "tasking_reported_unresolved",
            RecordBody::Tasking(T::Reported {
                summary: "已答复".into(),
                resolved: false,
            }),
        ),
        (
            "tasking_signed_off",
            fixtures::signed_off(&[&visit, &assistance], "sup").body,
        ),
        (
            "tasking_sent_back",
            RecordBody::Tasking(T::SentBack {
                reason: "报告未附证明".into(),
                report_by: Some(day(2026, 12, 24)),
            }),
        ),
        (
            "tasking_sent_back_no_date",
            RecordBody::Tasking(T::SentBack {
                reason: "报告未附证明".into(),
                report_by: None,
            }),
        ),
        (
            "screening",
            fixtures::screening(xiafang_core::screening::ScreeningLevel::Village, "v1", "u1").body,
        ),
        ("screening_found", screening_found),
    ]
}

//! Every record and sync message survives JSON both ways unchanged, and keeps its wire names
//! (the phone and the server may run different builds during a rollout).

use serde::{Serialize, de::DeserializeOwned};
use std::fmt::Debug;
use xiafang_core::{DeviceId, Field, FieldError, Problem, fixtures};
use xiafang_core::{account::*, api_error::*, feed::*, session::*, upload::*, verdict::*};

fn round_trip<T: Serialize + DeserializeOwned + PartialEq + Debug>(value: &T) -> serde_json::Value {
    let json = serde_json::to_string(value).expect("serialises");
    let back: T = serde_json::from_str(&json).expect("parses back");
    assert_eq!(&back, value);
    serde_json::from_str(&json).expect("is JSON")
}

#[test]
fn every_record_kind_round_trips() {
    for (record, tag) in [
        (fixtures::visit("f1", "u1"), "visit"),
        (fixtures::assistance("f1", "u1"), "assistance"),
        (fixtures::note("f1", "u1"), "note"),
        (
            fixtures::void(&fixtures::note("f1", "u1"), "重复录入"),
            "void",
        ),
        (
            fixtures::file_edit(
                "f1",
                "u1",
                xiafang_core::file_edit::EditableField::Phone,
                "13800000001",
                "13900000002",
                xiafang_core::hlc::Hlc {
                    wall_ms: 1,
                    counter: 2,
                    device: DeviceId::new_random(),
                },
            ),
            "file_edit",
        ),
        (fixtures::referral("f1", "u1", "law"), "referral"),
        (fixtures::legal_opinion("f1", "law"), "legal_opinion"),
        (fixtures::mediation("f1", "law"), "mediation"),
        (
            fixtures::visit_part(&fixtures::visit("f1", "u1"), "law"),
            "visit_part",
        ),
        (
            fixtures::signature(&fixtures::visit("f1", "u1"), "u1"),
            "signature",
        ),
        (
            fixtures::photo(&fixtures::assistance("f1", "u1"), "u1"),
            "photo",
        ),
    ] {
        assert_eq!(record.validate(), Ok(()), "{tag}");
        let json = round_trip(&record);
        assert_eq!(json["body"]["type"], tag);
        assert!(json.get("amends").is_none(), "absent unless it amends");
    }
    let visit = fixtures::visit("f1", "u1");
    let fixed = fixtures::amendment(&visit, visit.body.clone());
    assert_eq!(round_trip(&fixed)["amends"], visit.id.to_string());
}

#[test]
fn legal_team_records_keep_their_wire_names() {
    let referral = round_trip(&fixtures::referral("f1", "u1", "law"));
    assert_eq!(referral["body"]["to"], "law");
    assert_eq!(referral["body"]["need"], "legal_opinion");
    let opinion = round_trip(&fixtures::legal_opinion("f1", "law"));
    assert_eq!(opinion["body"]["channel"], "arbitration");
    let mediation = round_trip(&fixtures::mediation("f1", "law"));
    assert_eq!(mediation["body"]["outcome"], "agreement");
    assert_eq!(mediation["body"]["sessions"][0], "2026-11-13");
    assert!(
        mediation["body"].get("channel").is_none(),
        "absent unless failed"
    );
    let visit = fixtures::visit("f1", "u1");
    let part = round_trip(&fixtures::visit_part(&visit, "law"));
    assert_eq!(part["body"]["of"], visit.id.to_string());
    assert_eq!(part["body"]["role"], "律师");
    assert_eq!(round_trip(&Rejection::NoSuchVisit)["code"], "no_such_visit");
}

#[test]
fn attachments_and_visit_additions_keep_their_wire_names() {
    let visit = fixtures::visit("f1", "u1");
    let sig = round_trip(&fixtures::signature(&visit, "u1"));
    assert_eq!(sig["body"]["signer_role"], "petitioner");
    assert_eq!(sig["body"]["image"]["mime"], "image/png");
    assert_eq!(sig["body"]["text_hash"].as_str().map(str::len), Some(64));
    let photo = round_trip(&fixtures::photo(&visit, "u1"));
    assert_eq!(photo["body"]["subject"], "receipt");
    // A visit written by an older phone (no team, no evaluation) still reads, and a new one
    // leaves both out of the JSON when empty.
    let plain = round_trip(&visit);
    assert!(plain["body"].get("joined").is_none());
    assert!(plain["body"].get("evaluation").is_none());
    assert_eq!(
        round_trip(&Rejection::NotAttachable)["code"],
        "not_attachable"
    );
}

#[test]
fn every_case_step_review_and_supervision_round_trips_with_its_wire_names() {
    use chrono::NaiveDate;
    use xiafang_core::case_step::*;
    use xiafang_core::file::Resolution;
    use xiafang_core::supervision::*;
    let day = |d: u32| NaiveDate::from_ymd_opt(2026, 11, d).expect("date");
    let steps = [
        (Step::Registered { received: day(18) }, "registered"),
        (
            Step::Routed {
                route: Route::Assigned,
                to: "南滨街道办事处".into(),
            },
            "routed",
        ),
        (
            Step::Notified {
                accepted: false,
                go_to: "向区人民法院起诉".into(),
            },
            "notified",
        ),
        (Step::Accepted { simplified: true }, "accepted"),
        (
            Step::Extended {
                days: 30,
                approver: "李局长".into(),
                reason: "需补充调查".into(),
                approver_role: Some(ApproverRole::Head),
                reason_told: true,
            },
            "extended",
        ),
        (
            Step::Replied {
                outcome: ReplyOutcome::Explained,
            },
            "replied",
        ),
        (
            Step::Rated {
                evaluation: Evaluation::BasicallySatisfied,
                comment: "".into(),
            },
            "rated",
        ),
        (Step::Closed, "closed"),
        (Step::ReviewRequested, "review_requested"),
        (
            Step::ReviewDecided {
                outcome: ReviewOutcome::Upheld,
            },
            "review_decided",
        ),
        (Step::ReReviewRequested, "re_review_requested"),
        (
            Step::ReReviewDecided {
                outcome: ReviewOutcome::Redo,
            },
            "re_review_decided",
        ),
        (Step::Final, "final"),
        (Step::FollowUpDone { carried_out: true }, "follow_up_done"),
        (
            Step::LegalRoute {
                route: LegalRoute::AdministrativeReview,
            },
            "legal_route",
        ),
        (
            Step::Resolution {
                resolution: Resolution::Stopped,
            },
            "resolution",
        ),
    ];
    for (step, tag) in steps {
        let record = fixtures::case_step("f1", "o1", step);
        assert_eq!(record.validate(), Ok(()), "{tag}");
        let json = round_trip(&record);
        assert_eq!(json["body"]["type"], "case_step");
        assert_eq!(json["body"]["step"], tag);
        assert!(json["body"].get("note").is_none(), "absent when empty");
    }
    let mut noted = fixtures::case_step("f1", "o1", Step::Closed);
    if let xiafang_core::RecordBody::CaseStep(c) = &mut noted.body {
        c.note = "已电话告知本人".into();
    }
    assert_eq!(round_trip(&noted)["body"]["note"], "已电话告知本人");

    let visit = fixtures::visit("f1", "u1");
    let review = fixtures::review(&visit, "s1", ReviewDecision::Return, "请补充参加人员职务");
    let json = round_trip(&review);
    assert_eq!(json["body"]["type"], "review");
    assert_eq!(json["body"]["of"], visit.id.to_string());
    assert_eq!(json["body"]["decision"], "return");

    for (record, action) in [
        (fixtures::listed("f1", "s1"), "listed"),
        (
            fixtures::supervision(
                "f1",
                "s1",
                Supervision::Leader {
                    name: "陈副县长".into(),
                    account: Some("u9".into()),
                    post: String::new(),
                    unit: String::new(),
                    responsible: String::new(),
                },
            ),
            "leader",
        ),
        (
            fixtures::supervision(
                "f1",
                "s1",
                Supervision::Lifted {
                    note: "已化解，同意销号".into(),
                },
            ),
            "lifted",
        ),
    ] {
        assert_eq!(record.validate(), Ok(()), "{action}");
        let json = round_trip(&record);
        assert_eq!(json["body"]["type"], "supervision");
        assert_eq!(json["body"]["action"], action);
    }
    assert_eq!(
        round_trip(&fixtures::listed("f1", "s1"))["body"]["mode"],
        "on_site"
    );
}

#[test]
fn push_and_its_acknowledgements_round_trip() {
    let push = PushRequest {
        device_id: DeviceId::new_random(),
        ops: vec![
            Op {
                seq: 1,
                record: fixtures::visit("f1", "u1"),
            },
            Op {
                seq: 2,
                record: fixtures::note("f1", "u1"),
            },
        ],
        device_time: chrono::Utc::now(),
    };
    round_trip(&push);
    round_trip(&AcksQuery {
        device_id: push.device_id,
        after: 7,
    });
    let invalid = Rejection::Invalid {
        errors: vec![FieldError::new(Field::Place, Problem::Required)],
    };
    let response = PushResponse {
        acks: vec![
            Ack {
                seq: 1,
                record_id: push.ops[0].record.id,
                outcome: Outcome::Stored,
            },
            Ack {
                seq: 2,
                record_id: push.ops[1].record.id,
                outcome: Outcome::Rejected {
                    reason: invalid.clone(),
                },
            },
        ],
        erase: false,
    };
    let json = round_trip(&response);
    assert!(
        json.get("erase").is_none(),
        "only a revoked phone is told to erase"
    );
    let revoked = round_trip(&PushResponse {
        acks: vec![Ack {
            seq: 3,
            record_id: push.ops[0].record.id,
            outcome: Outcome::Quarantined,
        }],
        erase: true,
    });
    assert_eq!(revoked["erase"], true);
    assert_eq!(revoked["acks"][0]["outcome"], "quarantined");
    assert_eq!(json["acks"][0]["outcome"], "stored");
    assert_eq!(json["acks"][1]["reason"]["code"], "invalid");
    assert_eq!(json["acks"][1]["reason"]["errors"][0]["field"], "place");
    for state in [
        SyncState::Pending,
        SyncState::Uploaded,
        SyncState::Rejected { reason: invalid },
    ] {
        round_trip(&state);
    }
    for reason in [
        Rejection::NotPermitted,
        Rejection::AuthorMismatch,
        Rejection::IdConflict,
        Rejection::RoleNotAllowed,
        Rejection::NotReviewable,
        Rejection::NoSuchVisit,
        Rejection::NotLegalTeam,
    ] {
        round_trip(&reason);
    }
}

#[test]
fn session_pull_and_error_messages_round_trip() {
    let account = Account {
        id: "u1".into(),
        username: "wangjg".into(),
        display_name: "王建国".into(),
        role: Role::Cadre,
        place: "南滨街道".into(),
        legal_title: Some(LegalTitle::Lawyer),
    };
    round_trip(&LoginRequest {
        username: "wangjg".into(),
        password: "x".into(),
        device_id: Some(DeviceId::new_random()),
        device_key: Some("BAbc".into()),
    });
    round_trip(&LoginResponse {
        token: "t".into(),
        account,
        device_secret: Some("c2VjcmV0".into()),
        device_cipher: Some(xiafang_core::cipher::CipherKind::Sm4Gcm),
    });
    let pull = round_trip(&PullResponse {
        reset: true,
        files: vec![],
        records: vec![fixtures::visit("f1", "u1")],
        cursor: Cursor("v1.42.abc".into()),
        more: false,
        server_time: chrono::Utc::now(),
        resend: true,
    });
    assert_eq!(
        pull["cursor"], "v1.42.abc",
        "a cursor is a plain string on the wire"
    );
    assert_eq!(pull["resend"], true);
    // A phone of the release before reads pages without `resend`, and a server of that release
    // sends none: an ordinary page leaves it out, and reading one without it means false.
    let ordinary = PullResponse {
        resend: false,
        ..serde_json::from_value(pull.clone()).expect("read back")
    };
    let json = serde_json::to_value(&ordinary).expect("serialise");
    assert!(json.get("resend").is_none(), "{json}");
    let read: PullResponse = serde_json::from_value(json).expect("read without resend");
    assert!(!read.resend);
    let json = round_trip(&ApiError {
        code: ApiErrorCode::Forbidden,
        message: "x".into(),
    });
    assert_eq!(json["code"], "forbidden");
}

#[test]
fn rejection_reads_as_a_chinese_sentence() {
    let r = Rejection::Invalid {
        errors: vec![
            FieldError::new(Field::Place, Problem::Required),
            FieldError::new(Field::Requests, Problem::Required),
        ],
    };
    assert_eq!(
        r.message(xiafang_core::Lang::Zh),
        "内容有误：请填写走访地点；请填写诉求及反映的问题"
    );
}

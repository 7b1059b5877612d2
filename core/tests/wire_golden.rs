//! Golden JSON of the shapes read through `#[serde(flatten)]` (`FieldError`, `Ack`): the text
//! deployed servers and phones write today must keep reading to the same value, and writing must
//! keep giving the same text, whatever reads them (issue 17 replaces the derived readers).

use serde_json::json;
use xiafang_core::upload::{Ack, SyncState};
use xiafang_core::verdict::{Outcome, Rejection};
use xiafang_core::{Field, FieldError, Problem, RecordId};

/// Every problem, with the text a deployed server writes for it.
fn problems() -> Vec<(Problem, serde_json::Value)> {
    use Problem::*;
    let unit = |p: Problem, name: &str| (p, json!({"field": "place", "problem": name}));
    let max = |p: Problem, name: &str, max: u64| {
        (p, json!({"field": "place", "problem": name, "max": max}))
    };
    vec![
        unit(Required, "required"),
        max(TooLong { max: 2000 }, "too_long", 2000),
        max(TooMany { max: 50 }, "too_many", 50),
        unit(AmountFormat, "amount_format"),
        unit(AmountTooLarge, "amount_too_large"),
        unit(AmountNotPositive, "amount_not_positive"),
        unit(DateOutOfRange, "date_out_of_range"),
        unit(DueBeforeOccurred, "due_before_occurred"),
        unit(DueWithoutNextStep, "due_without_next_step"),
        unit(LocationOutOfRange, "location_out_of_range"),
        unit(PhoneFormat, "phone_format"),
        unit(Markup, "markup"),
        unit(ControlCharacter, "control_character"),
        unit(NotCorrectable, "not_correctable"),
        max(DaysOutOfRange { max: 30 }, "days_out_of_range", 30),
        unit(AfterRecordDate, "after_record_date"),
        unit(BeforeRecordDate, "before_record_date"),
        unit(SelfReference, "self_reference"),
        unit(ImageFormat, "image_format"),
        max(CountOutOfRange { max: 500 }, "count_out_of_range", 500),
        unit(GroupNeedsRepresentatives, "group_needs_representatives"),
        unit(Duplicate, "duplicate"),
        unit(IdNumberFormat, "id_number_format"),
        unit(IdNumberBirthDate, "id_number_birth_date"),
        unit(IdNumberCheckDigit, "id_number_check_digit"),
        unit(FindingsOrNothingNew, "findings_or_nothing_new"),
        unit(NothingNewWithFindings, "nothing_new_with_findings"),
        unit(OnlyAtGroupLevel, "only_at_group_level"),
        unit(WrongLedger, "wrong_ledger"),
        unit(LedgerOnlyScreenings, "ledger_only_screenings"),
    ]
}

#[test]
fn every_field_error_a_server_writes_reads_back_and_writes_the_same_text() {
    for (problem, golden) in problems() {
        let error = FieldError::new(Field::Place, problem);
        assert_eq!(serde_json::to_value(error).unwrap(), golden, "{problem:?}");
        let text = golden.to_string();
        assert_eq!(
            serde_json::from_str::<FieldError>(&text).unwrap(),
            error,
            "{text}"
        );
    }
    // Key order as serde_json writes it (fields in declaration order, the tag first).
    assert_eq!(
        serde_json::to_string(&FieldError::new(
            Field::Place,
            Problem::TooLong { max: 200 }
        ))
        .unwrap(),
        r#"{"field":"place","problem":"too_long","max":200}"#
    );
}

#[test]
fn field_errors_read_in_any_key_order_and_ignore_what_a_newer_server_adds() {
    let read = |text: &str| serde_json::from_str::<FieldError>(text);
    assert_eq!(
        read(r#"{"max":3,"problem":"too_many","field":"items"}"#).unwrap(),
        FieldError::new(Field::Items, Problem::TooMany { max: 3 })
    );
    assert_eq!(
        read(r#"{"field":"place","problem":"required","hint":"x","max":null}"#).unwrap(),
        FieldError::new(Field::Place, Problem::Required)
    );
    for wrong in [
        r#"{"field":"place"}"#,
        r#"{"problem":"required"}"#,
        r#"{"field":"place","problem":"too_long"}"#,
        r#"{"field":"place","problem":"too_long","max":-1}"#,
        r#"{"field":"place","problem":"days_out_of_range","max":70000}"#,
        r#"{"field":"place","problem":"no_such_problem"}"#,
        r#"{"field":"no_such_field","problem":"required"}"#,
    ] {
        assert!(read(wrong).is_err(), "{wrong} must not read");
    }
}

fn id() -> RecordId {
    serde_json::from_value(json!("0193a4b2-7c1d-7e3f-8a9b-0c1d2e3f4a5b")).unwrap()
}

#[test]
fn every_ack_a_server_writes_reads_back_and_writes_the_same_text() {
    let invalid = Rejection::Invalid {
        errors: vec![FieldError::new(Field::Amount, Problem::AmountTooLarge)],
    };
    let record = "0193a4b2-7c1d-7e3f-8a9b-0c1d2e3f4a5b";
    for (outcome, golden) in [
        (
            Outcome::Stored,
            json!({"seq": 1, "record_id": record, "outcome": "stored"}),
        ),
        (
            Outcome::Quarantined,
            json!({"seq": 1, "record_id": record, "outcome": "quarantined"}),
        ),
        (
            Outcome::Rejected {
                reason: Rejection::NotPermitted,
            },
            json!({"seq": 1, "record_id": record, "outcome": "rejected",
                   "reason": {"code": "not_permitted"}}),
        ),
        (
            Outcome::Rejected { reason: invalid },
            json!({"seq": 1, "record_id": record, "outcome": "rejected",
                   "reason": {"code": "invalid", "errors": [
                       {"field": "amount", "problem": "amount_too_large"}]}}),
        ),
    ] {
        let ack = Ack {
            seq: 1,
            record_id: id(),
            outcome,
        };
        assert_eq!(serde_json::to_value(&ack).unwrap(), golden, "{ack:?}");
        let text = golden.to_string();
        assert_eq!(serde_json::from_str::<Ack>(&text).unwrap(), ack, "{text}");
    }
    assert_eq!(
        serde_json::to_string(&Ack {
            seq: 9,
            record_id: id(),
            outcome: Outcome::Stored
        })
        .unwrap(),
        format!(r#"{{"seq":9,"record_id":"{record}","outcome":"stored"}}"#)
    );
}

#[test]
fn acks_read_in_any_key_order_and_refuse_what_is_not_an_ack() {
    let read = |text: String| serde_json::from_str::<Ack>(&text);
    let record = "0193a4b2-7c1d-7e3f-8a9b-0c1d2e3f4a5b";
    assert_eq!(
        read(format!(
            r#"{{"outcome":"stored","extra":[1],"record_id":"{record}","seq":4}}"#
        ))
        .unwrap(),
        Ack {
            seq: 4,
            record_id: id(),
            outcome: Outcome::Stored
        }
    );
    for wrong in [
        format!(r#"{{"seq":1,"record_id":"{record}"}}"#),
        r#"{"seq":1,"outcome":"stored"}"#.to_string(),
        format!(r#"{{"record_id":"{record}","outcome":"stored"}}"#),
        format!(r#"{{"seq":1,"record_id":"{record}","outcome":"rejected"}}"#),
        format!(r#"{{"seq":1,"record_id":"{record}","outcome":"lost"}}"#),
        format!(r#"{{"seq":-1,"record_id":"{record}","outcome":"stored"}}"#),
        r#"{"seq":1,"record_id":"nope","outcome":"stored"}"#.to_string(),
    ] {
        assert!(read(wrong.clone()).is_err(), "{wrong} must not read");
    }
}

/// Every rejection, with the text a deployed server writes and a phone keeps (in `SyncState`).
fn rejections() -> Vec<(Rejection, serde_json::Value)> {
    use Rejection::*;
    let unit = |r: Rejection, code: &str| (r, json!({ "code": code }));
    vec![
        (
            Invalid {
                errors: vec![
                    FieldError::new(Field::Place, Problem::Required),
                    FieldError::new(Field::Text, Problem::TooLong { max: 9 }),
                ],
            },
            json!({"code": "invalid", "errors": [
                {"field": "place", "problem": "required"},
                {"field": "text", "problem": "too_long", "max": 9}]}),
        ),
        (
            Invalid { errors: vec![] },
            json!({"code": "invalid", "errors": []}),
        ),
        unit(NotPermitted, "not_permitted"),
        unit(AuthorMismatch, "author_mismatch"),
        unit(IdConflict, "id_conflict"),
        unit(TargetMissing, "target_missing"),
        unit(TargetNotYours, "target_not_yours"),
        unit(TargetKindMismatch, "target_kind_mismatch"),
        unit(RoleNotAllowed, "role_not_allowed"),
        unit(NotReviewable, "not_reviewable"),
        unit(NoSuchVisit, "no_such_visit"),
        unit(NotLegalTeam, "not_legal_team"),
        unit(NotAttachable, "not_attachable"),
        unit(NoSuchEvidence, "no_such_evidence"),
        unit(NotALeader, "not_a_leader"),
    ]
}

#[test]
fn every_rejection_and_sync_state_a_phone_holds_reads_back_and_writes_the_same_text() {
    let states = [
        (SyncState::Pending, json!({"state": "pending"})),
        (SyncState::Uploaded, json!({"state": "uploaded"})),
    ];
    let rejected = rejections().into_iter().map(|(reason, golden)| {
        (
            SyncState::Rejected { reason },
            json!({"state": "rejected", "reason": golden}),
        )
    });
    for (reason, golden) in rejections() {
        assert_eq!(serde_json::to_value(&reason).unwrap(), golden, "{reason:?}");
        let text = golden.to_string();
        assert_eq!(serde_json::from_str::<Rejection>(&text).unwrap(), reason);
    }
    for (state, golden) in states.into_iter().chain(rejected) {
        assert_eq!(serde_json::to_value(&state).unwrap(), golden, "{state:?}");
        let text = golden.to_string();
        assert_eq!(serde_json::from_str::<SyncState>(&text).unwrap(), state);
    }
    assert_eq!(
        serde_json::to_string(&SyncState::Rejected {
            reason: Rejection::IdConflict
        })
        .unwrap(),
        r#"{"state":"rejected","reason":{"code":"id_conflict"}}"#
    );
}

#[test]
fn rejections_and_sync_states_refuse_what_no_server_or_phone_wrote() {
    assert_eq!(
        serde_json::from_str::<Rejection>(r#"{"errors":[],"code":"invalid","x":1}"#).unwrap(),
        Rejection::Invalid { errors: vec![] }
    );
    for wrong in [
        r#"{}"#,
        r#"{"code":"invalid"}"#,
        r#"{"code":"lost"}"#,
        r#"{"code":"invalid","errors":[{"field":"place"}]}"#,
    ] {
        assert!(
            serde_json::from_str::<Rejection>(wrong).is_err(),
            "{wrong} must not read"
        );
    }
    for wrong in [
        r#"{}"#,
        r#"{"state":"rejected"}"#,
        r#"{"state":"rejected","reason":{"code":"lost"}}"#,
        r#"{"state":"gone"}"#,
    ] {
        assert!(
            serde_json::from_str::<SyncState>(wrong).is_err(),
            "{wrong} must not read"
        );
    }
}

/// Every chain mismatch a phone keeps in a chain report and sends (`ChainReport::mismatches`).
#[test]
fn every_chain_mismatch_reads_back_and_writes_the_same_text() {
    use xiafang_core::held_chain::Mismatch::*;
    let record = "0193a4b2-7c1d-7e3f-8a9b-0c1d2e3f4a5b";
    for (mismatch, kind) in [
        (
            Changed {
                position: 0,
                id: id(),
            },
            "changed",
        ),
        (
            Vanished {
                position: 7,
                id: id(),
            },
            "vanished",
        ),
        (
            Moved {
                position: 12,
                id: id(),
            },
            "moved",
        ),
        (
            Inserted {
                position: 3,
                id: id(),
            },
            "inserted",
        ),
        (
            Relinked {
                position: 1,
                id: id(),
            },
            "relinked",
        ),
    ] {
        let position = match &mismatch {
            Changed { position, .. }
            | Vanished { position, .. }
            | Moved { position, .. }
            | Inserted { position, .. }
            | Relinked { position, .. } => *position,
        };
        let text = format!(r#"{{"kind":"{kind}","position":{position},"id":"{record}"}}"#);
        assert_eq!(serde_json::to_string(&mismatch).unwrap(), text);
        assert_eq!(
            serde_json::from_str::<xiafang_core::held_chain::Mismatch>(&text).unwrap(),
            mismatch
        );
        let reordered =
            format!(r#"{{"id":"{record}","x":[1],"position":{position},"kind":"{kind}"}}"#);
        assert_eq!(
            serde_json::from_str::<xiafang_core::held_chain::Mismatch>(&reordered).unwrap(),
            mismatch
        );
    }
    for wrong in [
        r#"{"kind":"lost","position":1,"id":"0193a4b2-7c1d-7e3f-8a9b-0c1d2e3f4a5b"}"#,
        r#"{"kind":"moved","id":"0193a4b2-7c1d-7e3f-8a9b-0c1d2e3f4a5b"}"#,
        r#"{"kind":"moved","position":-1,"id":"0193a4b2-7c1d-7e3f-8a9b-0c1d2e3f4a5b"}"#,
        r#"{"position":1,"id":"0193a4b2-7c1d-7e3f-8a9b-0c1d2e3f4a5b"}"#,
    ] {
        assert!(
            serde_json::from_str::<xiafang_core::held_chain::Mismatch>(wrong).is_err(),
            "{wrong} must not read"
        );
    }
}

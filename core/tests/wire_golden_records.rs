//! Golden JSON of every record kind and of every lifecycle step, supervision and tasking action:
//! the text phones and servers of the deployed release write must keep reading to the same value,
//! and writing must keep giving the same text, whatever reads them (issue 17 replaces the derived
//! readers of these internally tagged enums). The texts in `golden/record_bodies.txt` were
//! written by serde's derive before any reader changed.

#[path = "golden/cases.rs"]
mod cases;

use cases::*;
use xiafang_core::case_step::*;
use xiafang_core::record::{GeoPoint, Note};
use xiafang_core::supervision::*;
use xiafang_core::tasking::*;
use xiafang_core::{Record, RecordBody, fixtures};

/// `name<TAB>text` per line, as the derive wrote each case.
fn golden() -> Vec<(String, String)> {
    include_str!("golden/record_bodies.txt")
        .lines()
        .map(|line| {
            let (name, text) = line.split_once('\t').expect("name<TAB>text");
            (name.to_owned(), text.to_owned())
        })
        .collect()
}

#[test]
fn every_record_kind_and_variant_writes_and_reads_its_golden_text() {
    let golden = golden();
    let cases = cases();
    let names: Vec<&str> = cases.iter().map(|(n, _)| *n).collect();
    let golden_names: Vec<&str> = golden.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, golden_names, "one golden text per case, in order");
    for ((name, body), (_, text)) in cases.iter().zip(&golden) {
        assert_eq!(&serde_json::to_string(body).unwrap(), text, "{name} writes");
        assert_eq!(
            &serde_json::from_str::<RecordBody>(text).unwrap(),
            body,
            "{name} reads"
        );
    }
    // Every kind and every step, supervision and tasking variant is among them.
    let kinds: std::collections::BTreeSet<&str> = cases.iter().map(|(_, b)| b.kind_key()).collect();
    assert_eq!(kinds.len(), 18);
    let steps: std::collections::BTreeSet<&str> = cases
        .iter()
        .filter_map(|(_, b)| match b {
            RecordBody::CaseStep(c) => Some(c.step.kind().key()),
            _ => None,
        })
        .collect();
    assert_eq!(steps.len(), StepKind::ALL.len());
    let supervision = ["listed", "leader", "lifted", "plan", "milestone_met"];
    for action in
        supervision
            .iter()
            .chain(&["assigned", "urged", "reported", "signed_off", "sent_back"])
    {
        assert!(
            golden
                .iter()
                .any(|(_, t)| t.contains(&format!(r#""action":"{action}""#))),
            "{action}"
        );
    }
}

/// PostgreSQL's `jsonb` and `serde_json::Value` give keys in another order (the tag no longer
/// first), and a newer release may add keys: every text still reads to the same value.
#[test]
fn every_golden_text_reads_in_any_key_order_and_with_keys_a_newer_release_adds() {
    for ((name, body), (_, text)) in cases().iter().zip(golden()) {
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        let sorted = value.to_string();
        assert_ne!(sorted, text, "{name}: the key order differs");
        assert_eq!(
            &serde_json::from_str::<RecordBody>(&sorted).unwrap(),
            body,
            "{name} sorted"
        );
        let mut reversed = String::from("{");
        let map = value.as_object().unwrap();
        for (i, (k, v)) in map.iter().rev().enumerate() {
            if i > 0 {
                reversed.push(',');
            }
            reversed.push_str(&format!("{}:{v}", serde_json::Value::from(k.as_str())));
        }
        reversed.push_str(r#","zz_newer":{"a":[1,"x"]}}"#);
        assert_eq!(
            &serde_json::from_str::<RecordBody>(&reversed).unwrap(),
            body,
            "{name}: {reversed}"
        );
        // Read from a `Value` as well as from text.
        assert_eq!(
            &serde_json::from_value::<RecordBody>(value).unwrap(),
            body,
            "{name} value"
        );
    }
}

/// Texts of older releases, without the fields added since: each reads to its value, and the
/// defaults are what the code assumes.
#[test]
fn texts_older_releases_wrote_read_with_the_defaults() {
    let read = |text: &str| serde_json::from_str::<RecordBody>(text).unwrap();
    assert_eq!(
        read(r#"{"type":"case_step","step":"accepted"}"#),
        step(Step::Accepted { simplified: false }, "")
    );
    assert_eq!(
        read(r#"{"type":"case_step","step":"notified","accepted":true}"#),
        step(
            Step::Notified {
                accepted: true,
                go_to: String::new()
            },
            ""
        )
    );
    assert_eq!(
        read(
            r#"{"type":"case_step","step":"extended","days":20,"approver":"张局长","reason":"需补充调查"}"#
        ),
        step(
            Step::Extended {
                days: 20,
                approver: "张局长".into(),
                approver_role: None,
                reason: "需补充调查".into(),
                reason_told: false,
            },
            ""
        )
    );
    assert_eq!(
        read(r#"{"type":"tasking","action":"reported","summary":"已答复"}"#),
        RecordBody::Tasking(Tasking::Reported {
            summary: "已答复".into(),
            resolved: false
        })
    );
    assert_eq!(
        read(r#"{"type":"supervision","action":"leader","name":"王副书记"}"#),
        RecordBody::Supervision(Supervision::Leader {
            name: "王副书记".into(),
            account: None,
            post: String::new(),
            unit: String::new(),
            responsible: String::new(),
        })
    );
    assert_eq!(
        read(
            r#"{"type":"warning","sign":"skip_level","what":"扬言去市里上访","reported_to":"village"}"#
        ),
        {
            let RecordBody::Warning(mut w) =
                fixtures::warning("f", "u", xiafang_core::warning::ReportLevel::Village, false)
                    .body
            else {
                unreachable!()
            };
            w.measures = String::new();
            RecordBody::Warning(w)
        }
    );
    // Explicit nulls where an option is absent, as a hand-made or older client might send.
    let RecordBody::Visit(v) = read(
        r#"{"type":"visit","kind":"phone","place":"","participants":[],"requests":"r","mood":"calm","risk":"ordinary","explained":"","measures":"","next_step":"","next_due":null,"location":null,"evaluation":null}"#,
    ) else {
        panic!("a visit")
    };
    assert_eq!((v.next_due, v.location, v.evaluation), (None, None, None));
    // …or leaves them out altogether.
    let RecordBody::Visit(v) = read(
        r#"{"type":"visit","kind":"phone","place":"","participants":[],"requests":"r","mood":"calm","risk":"ordinary","explained":"","measures":"","next_step":""}"#,
    ) else {
        panic!("a visit")
    };
    assert_eq!((v.next_due, v.location), (None, None));
}

/// A whole record as a phone writes it, with and without `amends`, and the dates as other
/// writers give them (fractions of a second, an offset): the same moment reads.
#[test]
fn whole_records_and_their_dates_read_and_write_the_same_text() {
    let mut record = known(fixtures::note("f1", "u1"), 9);
    let text = r#"{"id":"0193a4b2-7c1d-7e3f-8a9b-0c1d2e3f4a09","file_id":"f1","author":"u1","author_name":"王建国","occurred_at":"2026-11-20T09:30:00","saved_at":"2026-11-20T02:00:00Z","body":{"type":"note","speaker":"王建国","text":"谈及父亲身体，情绪平稳，愿意接受调解"}}"#;
    assert_eq!(serde_json::to_string(&record).unwrap(), text);
    assert_eq!(serde_json::from_str::<Record>(text).unwrap(), record);
    record.amends = Some(id(8));
    let amended = text.replace(
        r#""body""#,
        r#""amends":"0193a4b2-7c1d-7e3f-8a9b-0c1d2e3f4a08","body""#,
    );
    assert_eq!(serde_json::to_string(&record).unwrap(), amended);
    assert_eq!(serde_json::from_str::<Record>(&amended).unwrap(), record);

    let at = |occurred: &str, saved: &str| {
        let t = text
            .replace("2026-11-20T09:30:00\"", &format!("{occurred}\""))
            .replace("2026-11-20T02:00:00Z", saved);
        serde_json::from_str::<Record>(&t).map(|r| (r.occurred_at, r.saved_at))
    };
    let (occurred, saved) = at(
        "2026-11-20T09:30:00.250",
        "2026-11-20T10:00:00.123456789+08:00",
    )
    .unwrap();
    assert_eq!(occurred.to_string(), "2026-11-20 09:30:00.250");
    assert_eq!(saved.to_rfc3339(), "2026-11-20T02:00:00.123456789+00:00");
    let mut fraction = record.clone();
    fraction.saved_at = saved;
    fraction.occurred_at = occurred;
    let written = serde_json::to_string(&fraction).unwrap();
    assert!(
        written.contains(
            r#""occurred_at":"2026-11-20T09:30:00.250","saved_at":"2026-11-20T02:00:00.123456789Z""#
        ),
        "{written}"
    );
    assert_eq!(serde_json::from_str::<Record>(&written).unwrap(), fraction);
    // Milliseconds as JavaScript's `toISOString` writes them, microseconds, an offset west.
    let (occurred, saved) = at(
        "2026-11-20T09:30:00.123456",
        "2026-11-19T21:00:00.123-05:00",
    )
    .unwrap();
    assert_eq!(occurred.to_string(), "2026-11-20 09:30:00.123456");
    assert_eq!(saved.to_rfc3339(), "2026-11-20T02:00:00.123+00:00");
    for wrong in [
        ("2026-13-45T09:00:00", "2026-11-20T02:00:00Z"),
        ("2026-11-20", "2026-11-20T02:00:00Z"),
        ("2026-11-20T09:30:00", "2026-11-20T02:00:00"),
        ("2026-11-20T09:30:00", "2026-02-30T02:00:00Z"),
        ("2026-11-20T25:30:00", "2026-11-20T02:00:00Z"),
    ] {
        assert!(at(wrong.0, wrong.1).is_err(), "{wrong:?} must not read");
    }
    let due = |d: &str| {
        serde_json::from_str::<RecordBody>(&format!(
            r#"{{"type":"tasking","action":"sent_back","reason":"r","report_by":"{d}"}}"#
        ))
    };
    assert!(due("2026-12-24").is_ok());
    for wrong in ["2026-02-30", "2026-12-24T00:00:00", "24.12.2026", ""] {
        assert!(due(wrong).is_err(), "{wrong} must not read");
    }
}

/// What a server answers for a record it cannot read names what is wrong: the unknown kind,
/// step or action, or the missing field.
#[test]
fn unreadable_bodies_are_refused_with_what_is_wrong_named() {
    let error = |text: &str| {
        serde_json::from_str::<RecordBody>(text)
            .expect_err(text)
            .to_string()
    };
    for (text, named) in [
        (r#"{"type":"teleport","x":1}"#, "unknown variant `teleport`"),
        (r#"{"speaker":"a","text":"b"}"#, "missing field `type`"),
        (r#"{"type":"note","speaker":"a"}"#, "missing field `text`"),
        (
            r#"{"type":"visit","kind":"home","participants":[],"requests":"","mood":"calm","risk":"key","explained":"","measures":"","next_step":"","next_due":null,"location":null}"#,
            "missing field `place`",
        ),
        (
            r#"{"type":"case_step","step":"jumped"}"#,
            "unknown variant `jumped`",
        ),
        (r#"{"type":"case_step","note":"x"}"#, "missing field `step`"),
        (
            r#"{"type":"case_step","step":"routed","to":"x"}"#,
            "missing field `route`",
        ),
        (
            r#"{"type":"case_step","step":"replied","outcome":"changed"}"#,
            "unknown variant `changed`",
        ),
        (
            r#"{"type":"supervision","action":"ignored"}"#,
            "unknown variant `ignored`",
        ),
        (
            r#"{"type":"supervision","name":"x"}"#,
            "missing field `action`",
        ),
        (
            r#"{"type":"tasking","action":"assigned","unit":"u","task":"t"}"#,
            "missing field `report_by`",
        ),
        (
            r#"{"type":"assistance","kind":"goods","amount_fen":"五百","items":"","funding_source":"","status":"planned"}"#,
            "invalid type: string \"五百\"",
        ),
    ] {
        let message = error(text);
        assert!(message.contains(named), "{text}: {message}");
    }
    for wrong in [r#"[]"#, r#""visit""#, r#"{"type":1}"#, r#"{"type":null}"#] {
        assert!(
            serde_json::from_str::<RecordBody>(wrong).is_err(),
            "{wrong}"
        );
    }
}

/// A struct is read from a JSON object only. serde_json also read it from an array of its fields
/// in order, which no writer produces; the workspace's serde_json is patched to refuse that
/// (patches/serde_json/PATCHED.md), so every derived reader is compiled once, not twice.
#[test]
fn a_struct_written_as_an_array_of_its_fields_is_refused() {
    let point: GeoPoint = serde_json::from_str(r#"{"lat":30.5,"lon":114.3}"#).expect("object");
    assert_eq!(
        point,
        GeoPoint {
            lat: 30.5,
            lon: 114.3
        }
    );
    let error = serde_json::from_str::<GeoPoint>("[30.5,114.3]").expect_err("array");
    assert!(
        error.to_string().contains("invalid type: sequence"),
        "{error}"
    );
    let error = serde_json::from_str::<Note>(r#"["村支书","谈了低保的事"]"#).expect_err("array");
    assert!(
        error.to_string().contains("invalid type: sequence"),
        "{error}"
    );
    assert!(serde_json::from_str::<RecordBody>(r#"["note","a","b"]"#).is_err());
}

/// Each enum is read through a copy of it (`records::readers`): a step or tasking action added
/// to the enum and not to its copy would read as an unknown variant.
#[test]
fn every_step_and_tasking_action_has_a_reader() {
    let known = |text: String| match serde_json::from_str::<RecordBody>(&text) {
        Ok(_) => true,
        Err(e) => !e.to_string().contains("unknown variant"),
    };
    for step in StepKind::ALL {
        let text = format!(r#"{{"type":"case_step","step":"{}"}}"#, step.key());
        assert!(known(text), "{step:?}");
    }
    for action in TaskingAction::ALL {
        let text = format!(r#"{{"type":"tasking","action":"{}"}}"#, action.key());
        assert!(known(text), "{action:?}");
    }
}

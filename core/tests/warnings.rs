//! Early signs (苗头) reported up the levels: where a file's sign stands on a given day.

use chrono::NaiveDate;
use xiafang_core::warning::ReportLevel::{County, Township, Village};
use xiafang_core::warnings::warning_state;
use xiafang_core::{Record, fixtures};

fn d(text: &str) -> NaiveDate {
    text.parse().expect("test date")
}

fn report(day: &str, to: xiafang_core::warning::ReportLevel, settled: bool) -> Record {
    fixtures::on(fixtures::warning("f1", "u1", to, settled), d(day))
}

#[test]
fn a_sign_rises_with_each_higher_report_and_ends_when_settled() {
    let village = report("2026-11-01", Township, false); // found in the village, told the township
    let county = report("2026-11-05", County, false); // the township escalates
    let again = report("2026-11-07", Township, false); // a later report lower down
    let settled = report("2026-11-10", Village, true);
    let fresh = report("2026-11-20", Village, false);
    let all = vec![
        village.clone(),
        county.clone(),
        again.clone(),
        settled.clone(),
        fresh.clone(),
    ];
    // (as of, open, level, since, escalated on, settled on)
    let cases = [
        ("2026-10-31", None),
        (
            "2026-11-01",
            Some((true, Township, "2026-11-01", "2026-11-01", None)),
        ),
        (
            "2026-11-06",
            Some((true, County, "2026-11-01", "2026-11-05", None)),
        ),
        // Reported lower again: it stays where it reached.
        (
            "2026-11-08",
            Some((true, County, "2026-11-01", "2026-11-05", None)),
        ),
        (
            "2026-11-15",
            Some((
                false,
                County,
                "2026-11-01",
                "2026-11-05",
                Some("2026-11-10"),
            )),
        ),
        // A new sign after the last was settled starts again at its own level.
        (
            "2026-11-21",
            Some((true, Village, "2026-11-20", "2026-11-20", None)),
        ),
    ];
    for (day, expected) in cases {
        let got = warning_state(&all, d(day)).map(|s| {
            (
                s.is_open(),
                s.level,
                s.since.to_string(),
                s.escalated_on.to_string(),
                s.settled_on.map(|x| x.to_string()),
            )
        });
        let expected = expected.map(|(open, level, since, up, settled)| {
            (
                open,
                level,
                since.to_owned(),
                up.to_owned(),
                settled.map(str::to_owned),
            )
        });
        assert_eq!(got, expected, "as of {day}");
    }
    // The escalation was entered on the wrong file and voided: the sign never reached the county.
    let void = fixtures::void(&county, "录错档案");
    let state = warning_state(&[village, county, void], d("2026-11-08")).expect("a sign");
    assert_eq!((state.level, state.is_open()), (Township, true));
}

#[test]
fn a_report_needs_what_was_seen() {
    use xiafang_core::{Field, Problem, RecordBody};
    let mut r = report("2026-11-01", Township, false);
    if let RecordBody::Warning(w) = &mut r.body {
        w.what = " ".into();
    }
    let problems: Vec<(Field, Problem)> = r
        .validate()
        .unwrap_err()
        .into_iter()
        .map(|e| (e.field, e.problem))
        .collect();
    assert_eq!(problems, vec![(Field::WarningWhat, Problem::Required)]);
}

//! The figures of a small hand-built county (`figure_county`): the common rates and counts, and
//! how a county's own rules change them. Every expected value is worked out by hand in the
//! comment next to it. The seeds' casework figures are in `figures_casework.rs`.

mod figure_county;
use figure_county::*;

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

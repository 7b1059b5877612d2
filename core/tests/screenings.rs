//! 矛盾纠纷排查: what a screening must say, who records it, and the rhythm it is read against
//! (periods worked out by hand: weeks start on Monday, days are China days).

use chrono::{NaiveDate, TimeZone, Utc};
use xiafang_core::account::Role;
use xiafang_core::fixtures;
use xiafang_core::folds::screenings::{
    OnTimeRate, PeriodState, Rhythm, ScreeningPeriod, ScreeningRules, on_time_definition,
    on_time_rates, place_rhythm,
};
use xiafang_core::permissions::{Reach, Writes, may_write};
use xiafang_core::records::screening::{Finding, PlaceLevel, ScreeningLevel, ledger_id};
use xiafang_core::verdict::Rejection;
use xiafang_core::{Field, FileId, Lang, Problem, Record, RecordBody};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

fn period(from: NaiveDate, to: NaiveDate) -> ScreeningPeriod {
    ScreeningPeriod { from, to }
}

fn problems(record: &Record) -> Vec<(Field, Problem)> {
    match record.validate() {
        Ok(()) => vec![],
        Err(errors) => errors.into_iter().map(|e| (e.field, e.problem)).collect(),
    }
}

fn village_screening() -> Record {
    fixtures::screening(ScreeningLevel::Village, "v-geyi", "u1")
}

fn body(r: &mut Record) -> &mut xiafang_core::records::screening::Screening {
    let RecordBody::Screening(s) = &mut r.body else {
        unreachable!()
    };
    s
}

#[test]
fn periods_by_hand() {
    #[rustfmt::skip]
    let table = [
        // Saturday 5 Dec 2026: the week from Monday 30 Nov.
        (Rhythm::Weekly, day(2026, 12, 5), period(day(2026, 11, 30), day(2026, 12, 6))),
        (Rhythm::Weekly, day(2026, 12, 6), period(day(2026, 11, 30), day(2026, 12, 6))),
        (Rhythm::Weekly, day(2026, 12, 7), period(day(2026, 12, 7), day(2026, 12, 13))),
        // Thursday 1 Jan 2026: the week across the new year.
        (Rhythm::Weekly, day(2026, 1, 1), period(day(2025, 12, 29), day(2026, 1, 4))),
        (Rhythm::HalfMonthly, day(2026, 12, 15), period(day(2026, 12, 1), day(2026, 12, 15))),
        (Rhythm::HalfMonthly, day(2026, 12, 16), period(day(2026, 12, 16), day(2026, 12, 31))),
        (Rhythm::HalfMonthly, day(2026, 2, 20), period(day(2026, 2, 16), day(2026, 2, 28))),
        (Rhythm::HalfMonthly, day(2028, 2, 20), period(day(2028, 2, 16), day(2028, 2, 29))),
        (Rhythm::Monthly, day(2026, 11, 30), period(day(2026, 11, 1), day(2026, 11, 30))),
        (Rhythm::Monthly, day(2026, 12, 31), period(day(2026, 12, 1), day(2026, 12, 31))),
    ];
    for (rhythm, on, expected) in table {
        assert_eq!(rhythm.period_of(on), expected, "{rhythm:?} {on}");
    }
    assert_eq!(
        Rhythm::HalfMonthly.periods(day(2026, 11, 10), day(2026, 12, 5)),
        vec![
            period(day(2026, 11, 1), day(2026, 11, 15)),
            period(day(2026, 11, 16), day(2026, 11, 30)),
            period(day(2026, 12, 1), day(2026, 12, 15)),
        ]
    );
}

#[test]
fn the_default_rhythm_is_the_seeds_and_a_county_may_change_it() {
    let rules = ScreeningRules::default();
    assert_eq!(rules.rhythm(PlaceLevel::Village), Rhythm::Weekly);
    assert_eq!(rules.rhythm(PlaceLevel::Township), Rhythm::HalfMonthly);
    assert_eq!(rules.rhythm(PlaceLevel::County), Rhythm::Monthly);
    // A county's rules file that only names villages keeps the rest.
    let county: xiafang_core::figures::FigureRules =
        serde_json::from_str(r#"{"screening": {"village": "half_monthly"}}"#).expect("rules");
    assert_eq!(county.screening.village, Rhythm::HalfMonthly);
    assert_eq!(county.screening.township, Rhythm::HalfMonthly);
    assert_eq!(county.screening.county, Rhythm::Monthly);
    let old: xiafang_core::figures::FigureRules = serde_json::from_str("{}").expect("rules");
    assert_eq!(old.screening, rules);
}

/// A screening on `on`, entered on `entered` (18:00 China time).
fn screened(on: NaiveDate, entered: NaiveDate) -> Record {
    fixtures::entered(village_screening(), on, entered)
}

#[test]
fn a_village_week_by_week() {
    let today = day(2026, 12, 5);
    let records = vec![
        screened(day(2026, 11, 18), day(2026, 11, 18)),
        // Screened on Wednesday, typed in the next Tuesday: 逾期补录.
        screened(day(2026, 11, 25), day(2026, 12, 1)),
    ];
    let r = place_rhythm(
        PlaceLevel::Village,
        &records,
        &ScreeningRules::default(),
        day(2026, 11, 9),
        today,
    );
    assert_eq!(r.current, period(day(2026, 11, 30), day(2026, 12, 6)));
    assert_eq!(r.current_state, PeriodState::Open);
    assert!(!r.screened_now());
    assert_eq!(
        r.periods,
        vec![
            (
                period(day(2026, 11, 9), day(2026, 11, 15)),
                PeriodState::Missed
            ),
            (
                period(day(2026, 11, 16), day(2026, 11, 22)),
                PeriodState::OnTime
            ),
            (
                period(day(2026, 11, 23), day(2026, 11, 29)),
                PeriodState::RecordedLate {
                    recorded: day(2026, 12, 1)
                }
            ),
            (
                period(day(2026, 11, 30), day(2026, 12, 6)),
                PeriodState::Open
            ),
        ]
    );
    assert_eq!(
        r.missed(),
        vec![period(day(2026, 11, 9), day(2026, 11, 15))]
    );
    assert_eq!(r.overdue(), 2);
    assert_eq!(
        PeriodState::RecordedLate {
            recorded: day(2026, 12, 1)
        }
        .label(Lang::Zh),
        "逾期补录"
    );

    // This week's screening recorded: the week is done.
    let mut now = records.clone();
    now.push(screened(day(2026, 12, 3), day(2026, 12, 3)));
    let r = place_rhythm(
        PlaceLevel::Village,
        &now,
        &ScreeningRules::default(),
        day(2026, 11, 9),
        today,
    );
    assert_eq!(r.current_state, PeriodState::OnTime);
    assert!(r.screened_now());
}

#[test]
fn the_entry_day_is_the_china_day() {
    let sunday = day(2026, 11, 29);
    let at = |h: u32, m: u32, s: u32| {
        let mut r = fixtures::on(village_screening(), sunday);
        // 15:59:59 UTC is 23:59:59 in China, still Sunday; 16:00 UTC is Monday.
        r.saved_at = Utc.with_ymd_and_hms(2026, 11, 29, h, m, s).unwrap();
        r
    };
    let state = |r: Record| {
        place_rhythm(
            PlaceLevel::Village,
            &[r],
            &ScreeningRules::default(),
            sunday,
            day(2026, 12, 5),
        )
        .periods[0]
            .1
    };
    assert_eq!(state(at(15, 59, 59)), PeriodState::OnTime);
    assert_eq!(
        state(at(16, 0, 0)),
        PeriodState::RecordedLate {
            recorded: day(2026, 11, 30)
        }
    );
}

#[test]
fn corrections_count_as_the_ledger_says() {
    let today = day(2026, 12, 5);
    let original = screened(day(2026, 11, 25), day(2026, 11, 25));
    // Amended a week later (a wrong household count): still entered on time.
    let mut amended = fixtures::amendment(&original, original.body.clone());
    amended.occurred_at = original.occurred_at;
    amended.saved_at = day(2026, 12, 2).and_hms_opt(10, 0, 0).unwrap().and_utc();
    let rules = ScreeningRules::default();
    let week = |records: &[Record]| {
        place_rhythm(
            PlaceLevel::Village,
            records,
            &rules,
            day(2026, 11, 23),
            today,
        )
        .periods[0]
            .1
    };
    assert_eq!(
        week(&[original.clone(), amended.clone()]),
        PeriodState::OnTime
    );
    // Voided (entered on the wrong village): the week was not screened.
    let void = fixtures::void(&original, "记错村");
    assert_eq!(week(&[original, void]), PeriodState::Missed);
}

#[test]
fn on_time_rate_per_level() {
    let today = day(2026, 12, 5);
    let rules = ScreeningRules::default();
    let on = |d: u32| screened(day(2026, 11, d), day(2026, 11, d));
    let late = |d: u32, entered: NaiveDate| screened(day(2026, 11, d), entered);
    // November's whole weeks: 2–8, 9–15, 16–22, 23–29 (26 Oct–1 Nov and 30 Nov–6 Dec reach out).
    let v1 = vec![on(3), on(10), on(17), on(24)];
    let v2 = vec![on(4), late(11, day(2026, 11, 20)), on(25)];
    // Half months 1–15 and 16–30: one on time, one entered in December.
    let township = vec![on(10), late(20, day(2026, 12, 2))];
    let county = vec![on(28)];
    let rates = on_time_rates(
        [
            (PlaceLevel::Village, v1.as_slice()),
            (PlaceLevel::Village, v2.as_slice()),
            (PlaceLevel::Township, township.as_slice()),
            (PlaceLevel::County, county.as_slice()),
        ],
        &rules,
        day(2026, 11, 1),
        day(2026, 11, 30),
        today,
    );
    assert_eq!(
        rates,
        vec![
            (PlaceLevel::Village, OnTimeRate { on_time: 6, due: 8 }),
            (PlaceLevel::Township, OnTimeRate { on_time: 1, due: 2 }),
            (PlaceLevel::County, OnTimeRate { on_time: 1, due: 1 }),
        ]
    );
    assert_eq!(rates[0].1.percent(), Some(75.0));
    assert_eq!(OnTimeRate::default().percent(), None);
    // The period still running is not due yet.
    let december = on_time_rates(
        [(PlaceLevel::Village, v1.as_slice())],
        &rules,
        day(2026, 12, 1),
        day(2026, 12, 31),
        today,
    );
    assert_eq!(december[0].1, OnTimeRate { on_time: 0, due: 0 });
    let definition = on_time_definition(&rules, Lang::Zh);
    assert!(definition.contains("村每周一排查"), "{definition}");
    assert!(definition.contains("乡镇每半月一排查"), "{definition}");
    assert!(definition.contains("逾期补录不计为按期"), "{definition}");
}

#[test]
fn a_screening_is_valid_at_each_level() {
    for level in ScreeningLevel::ALL {
        let r = fixtures::screening(*level, "v-geyi", "u1");
        assert_eq!(r.validate(), Ok(()), "{level:?}");
    }
    let group = fixtures::screening(ScreeningLevel::Group, "v-geyi", "u1");
    assert_eq!(group.file_id, ledger_id(PlaceLevel::Village, "v-geyi"));
}

#[test]
fn findings_or_nothing_new_said_explicitly() {
    let mut r = village_screening();
    body(&mut r).nothing_new = false;
    assert_eq!(
        problems(&r),
        vec![(Field::Findings, Problem::FindingsOrNothingNew)]
    );
    assert_eq!(
        r.validate().unwrap_err()[0].message(Lang::Zh),
        "请逐条填写排查发现的矛盾纠纷，或勾选“无新增矛盾”"
    );
    body(&mut r).findings = vec![Finding {
        what: "三组与四组之间灌溉用水纠纷".into(),
        file: Some(FileId::from("f-guo")),
        warning: None,
    }];
    assert_eq!(r.validate(), Ok(()));
    assert_eq!(body(&mut r).disputes(), 1);
    body(&mut r).nothing_new = true;
    assert_eq!(
        r.validate().unwrap_err()[0].message(Lang::Zh),
        "已勾选“无新增矛盾”，不能同时填写排查发现的矛盾纠纷"
    );
}

#[test]
fn each_field_has_its_chinese_message() {
    let mut r = village_screening();
    let s = body(&mut r);
    s.participants = vec![];
    s.scope = " ".into();
    s.covered = 0;
    s.group = "第三村民小组".into();
    let messages: Vec<String> = r
        .validate()
        .unwrap_err()
        .iter()
        .map(|e| e.message(Lang::Zh))
        .collect();
    assert_eq!(
        messages,
        vec![
            "只有按村民小组排查时才填写村民小组",
            "请填写参加人员",
            "请填写排查范围",
            "排查户数（单位数）应为 1 至 100000",
        ]
    );
    let mut g = fixtures::screening(ScreeningLevel::Group, "v-geyi", "u1");
    body(&mut g).group = String::new();
    assert_eq!(
        g.validate().unwrap_err()[0].message(Lang::Zh),
        "请填写村民小组"
    );
}

#[test]
fn a_screening_goes_on_its_own_places_ledger_and_nothing_else_does() {
    // Claims the township level on a village's ledger.
    let mut r = village_screening();
    body(&mut r).level = ScreeningLevel::Township;
    assert_eq!(problems(&r), vec![(Field::File, Problem::WrongLedger)]);
    assert_eq!(
        r.validate().unwrap_err()[0].message(Lang::Zh),
        "档案与排查地点和层级不符"
    );
    let mut elsewhere = village_screening();
    elsewhere.file_id = FileId::from("f-guo");
    assert_eq!(
        problems(&elsewhere),
        vec![(Field::File, Problem::WrongLedger)]
    );
    // A visit on a screening ledger.
    let visit = fixtures::visit(&ledger_id(PlaceLevel::Village, "v-geyi").0, "u1");
    assert_eq!(
        problems(&visit),
        vec![(Field::File, Problem::LedgerOnlyScreenings)]
    );
    // Its corrections do.
    let void = fixtures::void(&village_screening(), "记错日期");
    assert_eq!(void.validate(), Ok(()));
}

#[test]
fn who_records_a_screening() {
    let assigned = Reach {
        assigned: true,
        ..Reach::default()
    };
    let jurisdiction = Reach {
        in_jurisdiction: true,
        ..Reach::default()
    };
    #[rustfmt::skip]
    let table = [
        // A village's or its township's cadre: the server counts them assigned to the village's ledger.
        ("cadre of the village", Role::Cadre, assigned, Ok(())),
        ("cadre of another township", Role::Cadre, Reach::default(), Err(Rejection::NotPermitted)),
        ("supervisor of the place or above", Role::Supervisor, jurisdiction, Ok(())),
        ("supervisor elsewhere", Role::Supervisor, Reach::default(), Err(Rejection::NotPermitted)),
        // Legal team members take part (named among the participants); they do not record it.
        ("legal member", Role::Legal, assigned, Err(Rejection::RoleNotAllowed)),
        ("administrator of the place", Role::Admin, jurisdiction, Err(Rejection::RoleNotAllowed)),
    ];
    for (who, role, reach, expected) in table {
        assert_eq!(may_write(role, reach, Writes::Screening), expected, "{who}");
    }
    assert_eq!(Writes::of(&village_screening().body), Writes::Screening);
}

#[test]
fn a_village_not_screened_this_week_is_on_the_cadres_todo() {
    use xiafang_core::records::screening::LedgerPlace;
    use xiafang_core::todo::{TodoKind, screening_todo};
    let place = |level: PlaceLevel, id: &str| LedgerPlace {
        ledger: ledger_id(level, id),
        level,
        place: id.into(),
        name: "阁一村".into(),
        parent: "南滨街道".into(),
        groups: vec![],
    };
    let rules = ScreeningRules::default();
    let today = day(2026, 12, 5);
    let last_week = vec![screened(day(2026, 11, 27), day(2026, 11, 27))];
    let todo = screening_todo(
        &place(PlaceLevel::Village, "v-geyi"),
        &last_week,
        &rules,
        today,
    )
    .expect("due this week");
    assert_eq!(
        todo.kind,
        TodoKind::Screening {
            rhythm: Rhythm::Weekly
        }
    );
    assert_eq!(todo.due, day(2026, 12, 6));
    assert_eq!(todo.file, ledger_id(PlaceLevel::Village, "v-geyi"));
    assert_eq!(Rhythm::Weekly.this_period(Lang::Zh), "本周排查");
    // Monday's group screening counts for the village's week.
    let mut this_week = last_week.clone();
    this_week.push(fixtures::on(
        fixtures::screening(ScreeningLevel::Group, "v-geyi", "u1"),
        day(2026, 11, 30),
    ));
    assert_eq!(
        screening_todo(
            &place(PlaceLevel::Village, "v-geyi"),
            &this_week,
            &rules,
            today
        ),
        None
    );
    // A township's screening is the office's, not a cadre's to-do.
    assert_eq!(
        screening_todo(
            &place(PlaceLevel::Township, "tw-nanbin"),
            &[],
            &rules,
            today
        ),
        None
    );
    assert_eq!(Rhythm::Weekly.back(today, 4), day(2026, 11, 2));
    assert_eq!(Rhythm::HalfMonthly.back(today, 2), day(2026, 11, 1));
    assert_eq!(Rhythm::Monthly.back(today, 1), day(2026, 11, 1));
}

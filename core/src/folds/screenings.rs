//! The screening rhythm (排查): which period a place is in, whether it was screened in it, which
//! past periods went unscreened, and 排查按时率. Periods are China calendar days: a week runs
//! Monday to Sunday, a half month the 1st to the 15th and the 16th to the month's end, a month
//! the whole month. A screening counts for the period its day falls in; one entered (saved)
//! after that period ended stays in the ledger as 逾期补录 and is not on time — the same rule
//! as a deadline (`case::Dated::recorded`). Corrections count as the ledger says; an amended
//! screening keeps the day its first version was entered, so fixing a typo does not make it late.

use crate::folds::case::china_date;
use crate::folds::ledger::effective;
use crate::records::record::{Record, RecordBody};
use crate::records::screening::PlaceLevel;
use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

labeled_enum!(
    /// How often a place must be screened.
    Rhythm {
        Weekly = "weekly" => ("每周一排查", "weekly"),
        HalfMonthly = "half_monthly" => ("每半月一排查", "every half month"),
        Monthly = "monthly" => ("每月一排查", "monthly"),
    }
);

impl Rhythm {
    /// What the current period's screening is called on a to-do list: 本周排查, ….
    pub fn this_period(self, lang: crate::base::lang::Lang) -> &'static str {
        match self {
            Rhythm::Weekly => lang.pick("本周排查", "This week's screening"),
            Rhythm::HalfMonthly => lang.pick("本半月排查", "This half month's screening"),
            Rhythm::Monthly => lang.pick("本月排查", "This month's screening"),
        }
    }

    /// The first day of the period `n` periods before the one holding `today`: where the
    /// console starts looking for overdue periods.
    pub fn back(self, today: NaiveDate, n: usize) -> NaiveDate {
        let mut from = self.period_of(today).from;
        for _ in 0..n {
            match from.pred_opt() {
                Some(day) => from = self.period_of(day).from,
                None => break,
            }
        }
        from
    }
}

/// A county's screening rhythm per level (in `FigureRules`; `--rules` on the server).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ScreeningRules {
    pub village: Rhythm,
    pub township: Rhythm,
    pub county: Rhythm,
}

impl Default for ScreeningRules {
    /// The seed's rhythm: villages weekly, townships every half month, the county monthly.
    fn default() -> Self {
        Self {
            village: Rhythm::Weekly,
            township: Rhythm::HalfMonthly,
            county: Rhythm::Monthly,
        }
    }
}

impl ScreeningRules {
    pub fn rhythm(&self, level: PlaceLevel) -> Rhythm {
        match level {
            PlaceLevel::Village => self.village,
            PlaceLevel::Township => self.township,
            PlaceLevel::County => self.county,
        }
    }
}

/// One screening period: the days `from` to `to`, both included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ScreeningPeriod {
    #[serde(deserialize_with = "crate::base::dates::wire::naive_date")]
    pub from: NaiveDate,
    #[serde(deserialize_with = "crate::base::dates::wire::naive_date")]
    pub to: NaiveDate,
}

impl ScreeningPeriod {
    pub fn contains(&self, day: NaiveDate) -> bool {
        (self.from..=self.to).contains(&day)
    }
}

impl Rhythm {
    /// The period `day` falls in.
    pub fn period_of(self, day: NaiveDate) -> ScreeningPeriod {
        match self {
            Rhythm::Weekly => {
                let from = day.week(Weekday::Mon).first_day();
                ScreeningPeriod {
                    from,
                    to: from + Days::new(6),
                }
            }
            Rhythm::HalfMonthly if day.day() <= 15 => ScreeningPeriod {
                from: day.with_day(1).unwrap_or(day),
                to: day.with_day(15).unwrap_or(day),
            },
            Rhythm::HalfMonthly => ScreeningPeriod {
                from: day.with_day(16).unwrap_or(day),
                to: month_end(day),
            },
            Rhythm::Monthly => ScreeningPeriod {
                from: day.with_day(1).unwrap_or(day),
                to: month_end(day),
            },
        }
    }

    /// The periods from the one holding `from` to the one holding `to`, oldest first.
    pub fn periods(self, from: NaiveDate, to: NaiveDate) -> Vec<ScreeningPeriod> {
        let mut out = Vec::new();
        let mut day = from;
        while day <= to {
            let p = self.period_of(day);
            out.push(p);
            day = p.to + Days::new(1);
        }
        out
    }
}

fn month_end(day: NaiveDate) -> NaiveDate {
    let first = day.with_day(1).unwrap_or(day);
    let next = first
        .checked_add_months(chrono::Months::new(1))
        .unwrap_or(first);
    next.pred_opt().unwrap_or(day)
}

/// How a place stands in one period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum PeriodState {
    /// Screened and entered within the period.
    OnTime,
    /// Screened in the period but entered after it ended (逾期补录): shown, never on time.
    RecordedLate { recorded: NaiveDate },
    /// The period is still running and nothing is recorded yet (本期待排查).
    Open,
    /// The period ended with no screening recorded in it (逾期未排查).
    Missed,
}

impl PeriodState {
    pub fn label(self, lang: crate::base::lang::Lang) -> &'static str {
        match self {
            PeriodState::OnTime => lang.pick("已排查", "Screened"),
            PeriodState::RecordedLate { .. } => lang.pick("逾期补录", "Entered late"),
            PeriodState::Open => lang.pick("本期待排查", "Due this period"),
            PeriodState::Missed => lang.pick("逾期未排查", "Not screened"),
        }
    }
}

/// A place's screenings read against its rhythm, as of `today`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlaceRhythm {
    pub level: PlaceLevel,
    pub rhythm: Rhythm,
    /// The period `today` falls in and how it stands.
    pub current: ScreeningPeriod,
    pub current_state: PeriodState,
    /// Every period from `since` to today, oldest first, with its state.
    pub periods: Vec<(ScreeningPeriod, PeriodState)>,
}

impl PlaceRhythm {
    /// The ended periods with no screening at all, oldest first.
    pub fn missed(&self) -> Vec<ScreeningPeriod> {
        self.periods
            .iter()
            .filter(|(_, s)| *s == PeriodState::Missed)
            .map(|(p, _)| *p)
            .collect()
    }

    /// Ended periods neither screened on time (missed or entered late): what the console lists
    /// first.
    pub fn overdue(&self) -> usize {
        self.periods
            .iter()
            .filter(|(_, s)| matches!(s, PeriodState::Missed | PeriodState::RecordedLate { .. }))
            .count()
    }

    /// The current period is screened (on time or not): nothing left to do this period.
    pub fn screened_now(&self) -> bool {
        !matches!(self.current_state, PeriodState::Open | PeriodState::Missed)
    }
}

/// The days screenings on a ledger happened, each with the day its first version was entered
/// (China time), as the ledger's corrections leave them.
pub fn screening_days(records: &[Record]) -> Vec<(NaiveDate, NaiveDate)> {
    let by_id: HashMap<_, _> = records.iter().map(|r| (r.id, r)).collect();
    effective(records)
        .into_iter()
        .filter(|r| matches!(r.body, RecordBody::Screening(_)))
        .map(|r| {
            let mut entered = china_date(r.saved_at);
            let mut at = r;
            // An amendment keeps the entry day of what it amends (bounded: ids never repeat in
            // a chain that terminates; a cycle is cut by the length of the ledger).
            for _ in 0..records.len() {
                let Some(earlier) = at.amends.and_then(|id| by_id.get(&id)) else {
                    break;
                };
                entered = entered.min(china_date(earlier.saved_at));
                at = earlier;
            }
            (r.occurred_at.date(), entered)
        })
        .collect()
}

/// A place's periods from the one holding `since` to the one holding `today`, read from the
/// records of its ledger (`records`; screenings dated after `today` have not happened yet).
pub fn place_rhythm(
    level: PlaceLevel,
    records: &[Record],
    rules: &ScreeningRules,
    since: NaiveDate,
    today: NaiveDate,
) -> PlaceRhythm {
    let rhythm = rules.rhythm(level);
    let days = screening_days(records);
    let periods: Vec<(ScreeningPeriod, PeriodState)> = rhythm
        .periods(since.min(today), today)
        .into_iter()
        .map(|p| (p, state_in(p, &days, today)))
        .collect();
    let current = rhythm.period_of(today);
    let current_state = state_in(current, &days, today);
    PlaceRhythm {
        level,
        rhythm,
        current,
        current_state,
        periods,
    }
}

fn state_in(p: ScreeningPeriod, days: &[(NaiveDate, NaiveDate)], today: NaiveDate) -> PeriodState {
    let mut late: Option<NaiveDate> = None;
    for (_, entered) in days
        .iter()
        .filter(|(on, _)| p.contains(*on) && *on <= today)
    {
        if *entered <= p.to {
            return PeriodState::OnTime;
        }
        late = Some(late.map_or(*entered, |l| l.min(*entered)));
    }
    match late {
        Some(recorded) => PeriodState::RecordedLate { recorded },
        None if today <= p.to => PeriodState::Open,
        None => PeriodState::Missed,
    }
}

/// 排查按时率 of one level: periods screened on time ÷ periods due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct OnTimeRate {
    pub on_time: u32,
    pub due: u32,
}

impl OnTimeRate {
    /// The rate in percent, `None` when nothing was due.
    pub fn percent(&self) -> Option<f64> {
        (self.due > 0).then(|| f64::from(self.on_time) * 100.0 / f64::from(self.due))
    }
}

/// How 排查按时率 is counted, shown beside the figure.
pub fn on_time_definition(rules: &ScreeningRules, lang: crate::base::lang::Lang) -> String {
    match lang {
        crate::base::lang::Lang::Zh => format!(
            "排查按时率 = 按期排查的周期数 ÷ 应排查的周期数（统计期内已结束的周期；村{}、乡镇{}、县{}；村民小组的排查计入所在村；逾期补录不计为按期）",
            rules.village.label(lang),
            rules.township.label(lang),
            rules.county.label(lang)
        ),
        crate::base::lang::Lang::En => format!(
            "Screened on time = periods screened and entered within the period ÷ periods due (periods that ended within the range; villages {}, townships {}, the county {}; a villager group's screening counts for its village; entries made after the period are not on time)",
            rules.village.label(lang),
            rules.township.label(lang),
            rules.county.label(lang)
        ),
    }
}

/// 排查按时率 per level over the periods that ended between `from` and `to` (both China days),
/// as of `today`: `places` are each place's level and the records of its ledger.
pub fn on_time_rates<'a>(
    places: impl IntoIterator<Item = (PlaceLevel, &'a [Record])>,
    rules: &ScreeningRules,
    from: NaiveDate,
    to: NaiveDate,
    today: NaiveDate,
) -> Vec<(PlaceLevel, OnTimeRate)> {
    let mut rates: Vec<(PlaceLevel, OnTimeRate)> = PlaceLevel::ALL
        .iter()
        .map(|l| (*l, OnTimeRate::default()))
        .collect();
    for (level, records) in places {
        let days = screening_days(records);
        let Some((_, rate)) = rates.iter_mut().find(|(l, _)| *l == level) else {
            continue;
        };
        for p in rules.rhythm(level).periods(from, to) {
            // Only periods wholly inside the range that have ended are due.
            if p.from < from || p.to > to || p.to >= today {
                continue;
            }
            rate.due += 1;
            if state_in(p, &days, today) == PeriodState::OnTime {
                rate.on_time += 1;
            }
        }
    }
    rates
}

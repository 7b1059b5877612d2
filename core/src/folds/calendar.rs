//! Which days are working days: Monday to Friday, minus the public holidays, plus the weekend
//! days worked in exchange (调休) — the State Council's lists for each year (shipped as data in
//! `core/data/national_holidays.json`), with what a county's rules add. And the rule for a limit
//! counted in calendar days whose last day is a rest day: by national practice (民法典 §203) it
//! ends on the next working day; a county's rules may keep it where it falls.

use crate::base::dates::Day;
use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use std::sync::LazyLock;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Calendar {
    /// Count the State Council's published holidays and make-up working days.
    pub national: bool,
    /// Rest days the county's rules add (a local festival, a county's own arrangement).
    #[serde(deserialize_with = "crate::base::dates::wire::naive_dates")]
    pub holidays: Vec<NaiveDate>,
    /// Weekend days the county's rules make working days.
    #[serde(deserialize_with = "crate::base::dates::wire::naive_dates")]
    pub working_weekends: Vec<NaiveDate>,
    /// A limit in calendar days whose last day is a rest day ends on the next working day.
    pub extend_past_rest_days: bool,
}

impl Default for Calendar {
    fn default() -> Self {
        Self {
            national: true,
            holidays: Vec::new(),
            working_weekends: Vec::new(),
            extend_past_rest_days: true,
        }
    }
}

/// One year of the State Council's arrangement.
#[derive(Debug, Deserialize)]
struct Year {
    year: i32,
    source: String,
    /// First and last day of each holiday, inclusive.
    #[serde(deserialize_with = "crate::base::dates::wire::naive_date_pairs")]
    holidays: Vec<(NaiveDate, NaiveDate)>,
    #[serde(deserialize_with = "crate::base::dates::wire::naive_dates")]
    working_days: Vec<NaiveDate>,
}

#[derive(Debug, Deserialize)]
struct National {
    years: Vec<Year>,
}

static NATIONAL: LazyLock<National> = LazyLock::new(|| {
    serde_json::from_str(include_str!("../../data/national_holidays.json"))
        .expect("core/data/national_holidays.json is valid (tested)")
});

fn national_year(year: i32) -> Option<&'static Year> {
    NATIONAL.years.iter().find(|y| y.year == year)
}

/// The years whose national arrangement is shipped, oldest first.
pub fn published_years() -> Vec<i32> {
    NATIONAL.years.iter().map(|y| y.year).collect()
}

/// Where a year's arrangement comes from, if shipped.
pub fn source(year: i32) -> Option<&'static str> {
    national_year(year).map(|y| y.source.as_str())
}

/// How a deadline was counted, to say on screen.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarUse {
    /// Counted in working days.
    pub working_days: bool,
    /// The limit's own last day was a rest day; the deadline moved from it.
    #[serde(default, deserialize_with = "crate::base::dates::wire::naive_date_opt")]
    pub moved_from: Option<NaiveDate>,
    /// Years the count touched whose national arrangement is not published (not shipped yet):
    /// only weekends and the county's own days were known for them.
    pub unpublished: Vec<i32>,
    /// The county's rules added or removed days.
    pub county_days: bool,
}

impl Calendar {
    pub fn is_working_day(&self, day: NaiveDate) -> bool {
        if self.working_weekends.contains(&day) {
            return true;
        }
        if self.holidays.contains(&day) {
            return false;
        }
        if self.national
            && let Some(year) = national_year(day.year())
        {
            if year.working_days.contains(&day) {
                return true;
            }
            if year.holidays.iter().any(|(a, b)| (*a..=*b).contains(&day)) {
                return false;
            }
        }
        !matches!(day.weekday(), Weekday::Sat | Weekday::Sun)
    }

    /// The last day of "within `n` working days of `from`": the `n`th working day after it.
    pub fn add_working_days(&self, from: NaiveDate, n: u32) -> NaiveDate {
        let mut day = from;
        let mut left = n;
        while left > 0 {
            match day.succ_opt() {
                Some(next) => day = next,
                None => return NaiveDate::MAX,
            }
            if self.is_working_day(day) {
                left -= 1;
            }
        }
        day
    }

    /// The last day of a limit counted in calendar days that falls on `day`.
    pub fn last_day(&self, day: NaiveDate) -> NaiveDate {
        if !self.extend_past_rest_days || self.is_working_day(day) {
            return day;
        }
        self.add_working_days(day, 1)
    }

    /// How a count from `from` to `due` used this calendar; `raw` is the calendar-day limit's
    /// own last day (equal to `due` unless it moved), `None` for a count in working days.
    pub fn used(&self, from: NaiveDate, due: NaiveDate, raw: Option<NaiveDate>) -> CalendarUse {
        let unpublished = if self.national {
            (from.year()..=due.year())
                .filter(|y| national_year(*y).is_none())
                .collect()
        } else {
            Vec::new()
        };
        CalendarUse {
            working_days: raw.is_none(),
            moved_from: raw.filter(|r| *r != due),
            unpublished,
            county_days: !self.holidays.is_empty() || !self.working_weekends.is_empty(),
        }
    }
}

impl CalendarUse {
    /// Whether the calendar made a difference worth showing: a count in working days, a moved
    /// last day, or a year whose holidays were not known.
    pub fn matters(&self) -> bool {
        self.working_days || self.moved_from.is_some() || !self.unpublished.is_empty()
    }

    /// What the screen says under the deadline.
    pub fn describe(&self, lang: crate::base::lang::Lang) -> String {
        use crate::base::lang::Lang;
        let mut parts = Vec::new();
        let county = self.county_days;
        parts.push(match (lang, county) {
            (Lang::Zh, false) => "按国家法定节假日（含调休）计算".to_string(),
            (Lang::Zh, true) => "按国家法定节假日（含调休）及本县规定计算".to_string(),
            (Lang::En, false) => {
                "Counted with the national holidays and make-up working days".to_string()
            }
            (Lang::En, true) => {
                "Counted with the national holidays, make-up working days and the county's own days"
                    .to_string()
            }
        });
        if let Some(from) = self.moved_from {
            parts.push(match lang {
                Lang::Zh => format!("期限末日{}为休息日，顺延至下一个工作日", Day(from)),
                Lang::En => format!(
                    "the limit's last day, {}, is a rest day: moved to the next working day",
                    Day(from)
                ),
            });
        }
        if !self.unpublished.is_empty() {
            let years: Vec<String> = self.unpublished.iter().map(|y| y.to_string()).collect();
            parts.push(match lang {
                Lang::Zh => format!("{}年节假日安排尚未公布，仅按周末计算", years.join("、")),
                Lang::En => format!(
                    "holidays for {} not published yet: weekends only",
                    years.join(", ")
                ),
            });
        }
        let sep = match lang {
            Lang::Zh => "；",
            Lang::En => "; ",
        };
        parts.join(sep)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_arrangement_parses_and_each_year_names_its_source() {
        assert_eq!(published_years(), [2025, 2026]);
        for year in published_years() {
            let y = national_year(year).expect("shipped");
            assert!(y.source.contains("国务院办公厅"), "{year}");
            for (a, b) in &y.holidays {
                assert!(a <= b && a.year() == year && b.year() == year, "{a}–{b}");
            }
            for day in &y.working_days {
                // A make-up working day is always a weekend day.
                assert!(
                    matches!(day.weekday(), Weekday::Sat | Weekday::Sun),
                    "{day}"
                );
            }
        }
    }
}

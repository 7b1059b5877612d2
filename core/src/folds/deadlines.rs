//! The time limits of the petition procedure as data, and the date arithmetic behind them.
//! Defaults are the values of 信访工作条例 2022; a deployment may change them (a county's own
//! follow-up rule, simplified handling) without a new build.

use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

/// Every time limit of the procedure, in days unless the name says working days.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TimeLimits {
    /// Register and route (登记/分流) within this many days of receipt (§22).
    pub register_days: u32,
    /// Notice of receipt or acceptance within this many days of receipt (§23).
    pub notify_days: u32,
    /// A body that thinks a forwarded item is not its own objects within these working days.
    pub objection_working_days: u32,
    /// Handling from acceptance to the written reply (§34).
    pub handling_days: u32,
    /// The one extension allowed (§34).
    pub extension_max_days: u32,
    /// The petitioner asks for review within this many days of the reply (§35) …
    pub review_request_days: u32,
    /// … and the reviewing body decides within this many days.
    pub review_decide_days: u32,
    /// Re-review: asked within this many days of the review opinion (§36) …
    pub re_review_request_days: u32,
    /// … and decided within this many days (hearing time not counted: not modelled).
    pub re_review_decide_days: u32,
    /// Local practice: simplified handling (简易办理) of clear, small first-time matters.
    pub simplified_working_days: u32,
    /// Local rule: the return visit (回访) after closure.
    pub follow_up_days: u32,
    /// Which days are working days.
    pub calendar: Calendar,
}

impl Default for TimeLimits {
    fn default() -> Self {
        Self {
            register_days: 15,
            notify_days: 15,
            objection_working_days: 5,
            handling_days: 60,
            extension_max_days: 30,
            review_request_days: 30,
            review_decide_days: 30,
            re_review_request_days: 30,
            re_review_decide_days: 30,
            simplified_working_days: 10,
            follow_up_days: 30,
            calendar: Calendar::default(),
        }
    }
}

/// Working days are Monday to Friday, minus public holidays, plus the weekend days worked in
/// exchange (调休). The state council publishes both lists each year; they are data, not code.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Calendar {
    pub holidays: Vec<NaiveDate>,
    pub working_weekends: Vec<NaiveDate>,
}

impl Calendar {
    pub fn is_working_day(&self, day: NaiveDate) -> bool {
        if self.working_weekends.contains(&day) {
            return true;
        }
        let weekend = matches!(day.weekday(), Weekday::Sat | Weekday::Sun);
        !weekend && !self.holidays.contains(&day)
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
}

/// The last day of "within `n` days of `from`": day `from + n` (calendar days, DOMAIN.md).
pub fn within(from: NaiveDate, n: u32) -> NaiveDate {
    from.checked_add_days(Days::new(u64::from(n)))
        .unwrap_or(NaiveDate::MAX)
}

impl TimeLimits {
    pub fn register_due(&self, received: NaiveDate) -> NaiveDate {
        within(received, self.register_days)
    }

    pub fn notify_due(&self, received: NaiveDate) -> NaiveDate {
        within(received, self.notify_days)
    }

    pub fn objection_due(&self, routed: NaiveDate) -> NaiveDate {
        self.calendar
            .add_working_days(routed, self.objection_working_days)
    }

    /// The reply is due 60 days after acceptance (10 working days when simplified), plus the
    /// extension's days, which never exceed `extension_max_days`.
    pub fn handling_due(&self, accepted: NaiveDate, simplified: bool, extension: u32) -> NaiveDate {
        let base = if simplified {
            self.calendar
                .add_working_days(accepted, self.simplified_working_days)
        } else {
            within(accepted, self.handling_days)
        };
        within(base, extension.min(self.extension_max_days))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> NaiveDate {
        text.parse().expect("test date")
    }

    #[test]
    fn within_n_days_ends_on_day_x_plus_n() {
        let limits = TimeLimits::default();
        for (received, due) in [
            ("2026-11-20", "2026-12-05"), // 20 + 15 = 35 → 30 Nov + 5
            ("2026-01-31", "2026-02-15"), // month end: 31 Jan + 15
            ("2028-02-14", "2028-02-29"), // leap year: 14 + 15 = 29 Feb 2028
            ("2027-02-14", "2027-03-01"), // no 29 Feb in 2027
            ("2026-12-20", "2027-01-04"), // year boundary: 20 + 15 = 35 → 31 Dec + 4
        ] {
            assert_eq!(limits.notify_due(d(received)), d(due), "{received}");
            assert_eq!(limits.register_due(d(received)), d(due), "{received}");
        }
    }

    #[test]
    fn handling_runs_sixty_days_plus_one_extension_of_at_most_thirty() {
        let limits = TimeLimits::default();
        for (accepted, extension, due) in [
            ("2026-11-20", 0, "2027-01-19"), // 10 left in Nov + 31 Dec + 19 Jan = 60
            ("2026-11-20", 30, "2027-02-18"), // + 30: 12 left in Jan + 18 Feb
            ("2026-11-20", 45, "2027-02-18"), // more than 30 is cut to 30
            ("2027-12-31", 0, "2028-02-29"), // 31 Jan + 29 Feb (leap) = 60
            ("2028-01-01", 10, "2028-03-11"), // 30 Jan + 29 Feb + 1 Mar = 60 → 1 Mar, + 10
        ] {
            assert_eq!(
                limits.handling_due(d(accepted), false, extension),
                d(due),
                "{accepted} + {extension}"
            );
        }
    }

    #[test]
    fn working_days_skip_weekends_holidays_and_count_swapped_weekends() {
        let plain = Calendar::default();
        // A fictional golden week: 1–7 Oct 2026 off, Sunday 27 Sep and Saturday 10 Oct worked.
        let golden = Calendar {
            holidays: (1..=7).map(|day| d(&format!("2026-10-0{day}"))).collect(),
            working_weekends: vec![d("2026-09-27"), d("2026-10-10")],
        };
        for (calendar, from, n, due) in [
            (&plain, "2026-11-20", 5, "2026-11-27"), // Fri → next Fri
            (&plain, "2026-11-20", 1, "2026-11-23"), // Fri → Mon
            (&plain, "2026-11-21", 1, "2026-11-23"), // Sat → Mon
            (&plain, "2026-11-20", 0, "2026-11-20"),
            (&plain, "2026-12-25", 10, "2027-01-08"), // across the year: Fri → Fri two weeks on
            (&plain, "2028-02-25", 2, "2028-02-29"),  // Fri → Mon 28, Tue 29 Feb
            (&golden, "2026-09-30", 1, "2026-10-08"), // Wed → holidays to 7 Oct → Thu 8
            (&golden, "2026-09-30", 3, "2026-10-10"), // 8, 9, then Saturday 10 is worked
            (&golden, "2026-09-25", 1, "2026-09-27"), // Fri → the worked Sunday
        ] {
            assert_eq!(
                calendar.add_working_days(d(from), n),
                d(due),
                "{from} + {n}"
            );
        }
    }

    #[test]
    fn simplified_handling_and_objections_count_working_days() {
        let limits = TimeLimits::default();
        // Fri 20 Nov 2026 + 10 working days: 23–27 Nov, 30 Nov–4 Dec.
        assert_eq!(
            limits.handling_due(d("2026-11-20"), true, 0),
            d("2026-12-04")
        );
        assert_eq!(limits.objection_due(d("2026-11-20")), d("2026-11-27"));
    }

    #[test]
    fn a_deployment_changes_limits_through_json_and_keeps_the_rest() {
        let limits: TimeLimits = serde_json::from_str(
            r#"{"follow_up_days": 15, "calendar": {"holidays": ["2027-01-01"]}}"#,
        )
        .expect("parses");
        assert_eq!(limits.follow_up_days, 15);
        assert_eq!(limits.handling_days, 60);
        assert!(!limits.calendar.is_working_day(d("2027-01-01")));
    }
}

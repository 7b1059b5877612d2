//! The time limits of the petition procedure as data, and the date arithmetic behind them.
//! Defaults are the values of 信访工作条例 2022; a deployment may change them (a county's own
//! follow-up rule, simplified handling) without a new build.

use chrono::{Days, NaiveDate};
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

pub use super::calendar::{Calendar, CalendarUse};

/// A limit's last day, and how the calendar was used to find it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Due {
    #[serde(deserialize_with = "crate::base::dates::wire::naive_date")]
    pub day: NaiveDate,
    pub calendar: CalendarUse,
}

/// The last day of "within `n` days of `from`": day `from + n` (calendar days, DOMAIN.md).
pub fn within(from: NaiveDate, n: u32) -> NaiveDate {
    from.checked_add_days(Days::new(u64::from(n)))
        .unwrap_or(NaiveDate::MAX)
}

impl TimeLimits {
    /// "Within `n` days of `from`": day `from + n`, or the next working day when that is a rest
    /// day and the calendar says so.
    pub fn days_from(&self, from: NaiveDate, n: u32) -> Due {
        let raw = within(from, n);
        let day = self.calendar.last_day(raw);
        Due {
            day,
            calendar: self.calendar.used(from, day, Some(raw)),
        }
    }

    /// "Within `n` working days of `from`".
    pub fn working_days_from(&self, from: NaiveDate, n: u32) -> Due {
        let day = self.calendar.add_working_days(from, n);
        Due {
            day,
            calendar: self.calendar.used(from, day, None),
        }
    }

    pub fn register_due(&self, received: NaiveDate) -> NaiveDate {
        self.days_from(received, self.register_days).day
    }

    pub fn notify_due(&self, received: NaiveDate) -> NaiveDate {
        self.days_from(received, self.notify_days).day
    }

    pub fn objection_due(&self, routed: NaiveDate) -> NaiveDate {
        self.working_days_from(routed, self.objection_working_days)
            .day
    }

    /// The reply is due 60 days after acceptance (10 working days when simplified), plus the
    /// extension's days, which never exceed `extension_max_days`.
    pub fn handling_due(&self, accepted: NaiveDate, simplified: bool, extension: u32) -> NaiveDate {
        self.handling(accepted, simplified, extension).day
    }

    /// `handling_due` with how the calendar was used.
    pub fn handling(&self, accepted: NaiveDate, simplified: bool, extension: u32) -> Due {
        let extension = extension.min(self.extension_max_days);
        if simplified {
            let base = self
                .calendar
                .add_working_days(accepted, self.simplified_working_days);
            let raw = within(base, extension);
            let day = self.calendar.last_day(raw);
            let mut calendar = self.calendar.used(accepted, day, None);
            calendar.moved_from = Some(raw).filter(|r| *r != day);
            Due { day, calendar }
        } else {
            self.days_from(accepted, self.handling_days + extension)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::lang::Lang;

    fn d(text: &str) -> NaiveDate {
        text.parse().expect("test date")
    }

    /// Weekends only: no national arrangement, no county days.
    fn weekends_only() -> Calendar {
        Calendar {
            national: false,
            ..Calendar::default()
        }
    }

    #[test]
    fn within_n_days_ends_on_day_x_plus_n() {
        for (from, n, due) in [
            ("2026-11-20", 15, "2026-12-05"), // 20 + 15 = 35 → 30 Nov + 5
            ("2026-01-31", 15, "2026-02-15"), // month end: 31 Jan + 15
            ("2028-02-14", 15, "2028-02-29"), // leap year: 14 + 15 = 29 Feb 2028
            ("2027-02-14", 15, "2027-03-01"), // no 29 Feb in 2027
            ("2026-12-20", 15, "2027-01-04"), // year boundary: 20 + 15 = 35 → 31 Dec + 4
        ] {
            assert_eq!(within(d(from), n), d(due), "{from} + {n}");
        }
    }

    #[test]
    fn a_limit_ending_on_a_rest_day_ends_on_the_next_working_day() {
        let limits = TimeLimits::default();
        for (received, due) in [
            ("2026-11-20", "2026-12-07"), // 5 Dec is a Saturday → Monday 7 Dec
            ("2026-01-31", "2026-02-24"), // 15 Feb: Spring Festival, 15–23 Feb → Tue 24 Feb
            ("2026-09-16", "2026-10-08"), // 1 Oct: National Day, 1–7 Oct → Thu 8 Oct
            ("2026-09-05", "2026-09-20"), // Sunday 20 Sep is a make-up working day: stays
            ("2025-01-13", "2025-02-05"), // 28 Jan 2025: Spring Festival, 28 Jan–4 Feb → Wed 5 Feb
            ("2028-02-14", "2028-02-29"), // a Tuesday; 2028 not published: weekends only
            ("2027-02-14", "2027-03-01"), // a Monday
            ("2026-12-20", "2027-01-04"), // a Monday (2027 not published)
        ] {
            assert_eq!(limits.notify_due(d(received)), d(due), "{received}");
            assert_eq!(limits.register_due(d(received)), d(due), "{received}");
        }
        // A county whose rules keep the day where it falls.
        let kept = TimeLimits {
            calendar: Calendar {
                extend_past_rest_days: false,
                ..Calendar::default()
            },
            ..TimeLimits::default()
        };
        assert_eq!(kept.notify_due(d("2026-11-20")), d("2026-12-05"));
    }

    #[test]
    fn handling_runs_sixty_days_plus_one_extension_of_at_most_thirty() {
        let limits = TimeLimits::default();
        for (accepted, extension, due) in [
            ("2026-11-20", 0, "2027-01-19"), // 10 left in Nov + 31 Dec + 19 Jan = 60, a Tuesday
            ("2026-11-20", 30, "2027-02-18"), // + 30: 12 left in Jan + 18 Feb, a Thursday
            ("2026-11-20", 45, "2027-02-18"), // more than 30 is cut to 30
            ("2027-12-31", 0, "2028-02-29"), // 31 Jan + 29 Feb (leap) = 60, a Tuesday
            ("2028-01-01", 10, "2028-03-13"), // 1 Mar + 10 = Sat 11 Mar → Mon 13 Mar
            ("2026-08-02", 0, "2026-10-08"), // 29 Aug + 30 Sep + 1 Oct = 60 → after National Day
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
        let plain = weekends_only();
        // A county's own golden week, on a calendar without the national one: 1–7 Oct 2026 off,
        // Sunday 27 Sep and Saturday 10 Oct worked.
        let golden = Calendar {
            holidays: (1..=7).map(|day| d(&format!("2026-10-0{day}"))).collect(),
            working_weekends: vec![d("2026-09-27"), d("2026-10-10")],
            ..weekends_only()
        };
        let national = Calendar::default();
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
            (&national, "2026-09-30", 1, "2026-10-08"), // National Day 1–7 Oct 2026
            (&national, "2026-09-30", 3, "2026-10-10"), // Sat 10 Oct 2026 is a make-up day
            (&national, "2026-02-13", 1, "2026-02-14"), // Sat 14 Feb 2026 is a make-up day
            (&national, "2026-02-13", 2, "2026-02-24"), // then Spring Festival, 15–23 Feb
            (&national, "2025-12-31", 1, "2026-01-04"), // New Year 1–3 Jan; Sun 4 Jan worked
            (&national, "2025-01-24", 1, "2025-01-26"), // Sun 26 Jan 2025 is a make-up day
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
        let due = limits.handling(d("2026-11-20"), true, 0);
        assert_eq!(due.day, d("2026-12-04"));
        assert!(due.calendar.working_days && due.calendar.matters());
        assert_eq!(limits.objection_due(d("2026-11-20")), d("2026-11-27"));
        // Thu 24 Sep 2026 + 5 working days: Mid-Autumn Festival 25–27 Sep, then 28, 29, 30 Sep,
        // National Day 1–7 Oct, then 8 and 9 Oct.
        assert_eq!(limits.objection_due(d("2026-09-24")), d("2026-10-09"));
    }

    #[test]
    fn the_screen_says_which_calendar_a_deadline_used() {
        let limits = TimeLimits::default();
        let moved = limits.days_from(d("2026-11-20"), 15).calendar;
        assert_eq!(moved.moved_from, Some(d("2026-12-05")));
        assert_eq!(
            moved.describe(Lang::Zh),
            "按国家法定节假日（含调休）计算；期限末日2026-12-05为休息日，顺延至下一个工作日"
        );
        let unknown = limits.days_from(d("2026-12-20"), 15).calendar;
        assert_eq!(unknown.unpublished, [2027]);
        assert!(
            unknown
                .describe(Lang::Zh)
                .contains("2027年节假日安排尚未公布，仅按周末计算")
        );
        // A plain count on known working days needs no note.
        assert!(!limits.days_from(d("2026-11-02"), 15).calendar.matters());
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
        // The national arrangement still counts under the county's additions.
        assert!(limits.calendar.national && limits.calendar.extend_past_rest_days);
        assert!(!limits.calendar.is_working_day(d("2026-10-02")));
    }
}

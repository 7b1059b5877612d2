//! Dates and times as the screens, forms and exports write them ("2026-12-05",
//! "2026-12-05 14:30", "12-05", the `datetime-local` input's "2026-12-05T14:30"), the same
//! characters chrono's `format("%Y-%m-%d …")` gives, without chrono's format-string
//! interpreter, which was ≈ 9 KB of the field wasm (issue 17; `core/tests/dates.rs` holds every
//! writer to chrono's and every reader to `parse_from_str`).

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Timelike};
use std::fmt::{self, Display, Formatter};

/// `%Y-%m-%d`: four digits of year (with a sign outside 0..=9999, as chrono writes it).
fn day(f: &mut Formatter<'_>, d: &impl Datelike) -> fmt::Result {
    let year = d.year();
    if (0..10_000).contains(&year) {
        write!(f, "{year:04}")?;
    } else {
        write!(f, "{year:+05}")?;
    }
    write!(f, "-{:02}-{:02}", d.month(), d.day())
}

/// `%H:%M`.
fn minute(f: &mut Formatter<'_>, t: &impl Timelike) -> fmt::Result {
    write!(f, "{:02}:{:02}", t.hour(), t.minute())
}

/// `%Y-%m-%d`.
pub struct Day<T>(pub T);

impl<T: Datelike> Display for Day<T> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        day(f, &self.0)
    }
}

/// `%Y-%m-%d %H:%M`.
pub struct DayMinute<T>(pub T);

impl<T: Datelike + Timelike> Display for DayMinute<T> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        day(f, &self.0)?;
        f.write_str(" ")?;
        minute(f, &self.0)
    }
}

/// `%m-%d`.
pub struct MonthDay<T>(pub T);

impl<T: Datelike> Display for MonthDay<T> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}-{:02}", self.0.month(), self.0.day())
    }
}

/// `%m-%d %H:%M`.
pub struct MonthDayMinute<T>(pub T);

impl<T: Datelike + Timelike> Display for MonthDayMinute<T> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}-{:02} ", self.0.month(), self.0.day())?;
        minute(f, &self.0)
    }
}

/// `%H:%M`.
pub struct Minute<T>(pub T);

impl<T: Timelike> Display for Minute<T> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        minute(f, &self.0)
    }
}

/// What a `datetime-local` input holds: `%Y-%m-%dT%H:%M`.
pub fn input_minute(t: NaiveDateTime) -> String {
    format!("{}T{}", Day(t), Minute(t))
}

/// Reads a day as a `date` input holds it ("YYYY-MM-DD"; like chrono's `%Y-%m-%d`, a month or
/// day of one digit too); `None` for anything else or no such day.
pub fn parse_day(text: &str) -> Option<NaiveDate> {
    // chrono's `%Y` skipped leading spaces, and so do we: a form trims them anyway.
    let mut parts = text.trim_start().split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || y.len() > 4 || m.len() > 2 || d.len() > 2 {
        return None;
    }
    NaiveDate::from_ymd_opt(number(y)? as i32, number(m)?, number(d)?)
}

/// Reads a moment as a `datetime-local` input holds it ("YYYY-MM-DDTHH:MM", or with ":SS");
/// `None` for anything else or no such moment.
pub fn parse_input_minute(text: &str) -> Option<NaiveDateTime> {
    let (day, time) = text.split_once('T')?;
    let mut parts = time.split(':');
    let (h, m, s) = (parts.next()?, parts.next()?, parts.next().unwrap_or("00"));
    if parts.next().is_some() || [h, m, s].iter().any(|p| p.len() > 2) {
        return None;
    }
    let (h, m, s) = (number(h)?, number(m)?, number(s)?);
    // Second 60 is a leap second, as chrono reads it.
    let time = match s {
        60 => NaiveTime::from_hms_nano_opt(h, m, 59, 1_000_000_000)?,
        _ => NaiveTime::from_hms_opt(h, m, s)?,
    };
    Some(parse_day(day)?.and_time(time))
}

/// One or more ASCII digits as a number.
fn number(text: &str) -> Option<u32> {
    if text.is_empty() {
        return None;
    }
    text.bytes().try_fold(0u32, |n, c| {
        c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
    })
}

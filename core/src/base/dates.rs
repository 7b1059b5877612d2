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

/// Reads the dates and moments chrono's serde writes (`2026-12-05`, `2026-12-05T14:30:00.250`,
/// `2026-12-05T06:30:00Z`) for `#[serde(deserialize_with)]`, so chrono's format-string parser,
/// which its own `Deserialize` impls go through, is not in the phone's wasm (issue 17). Writing
/// stays chrono's. `core/tests/dates.rs` holds each to chrono's reader.
pub mod wire {
    use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, Utc};
    use serde::de::{self, Deserialize, Deserializer, Unexpected, Visitor};
    use std::fmt;

    /// `[+-]YYYY-MM-DD` at the start of `text` (a sign and more digits for a year outside
    /// 0..=9999, as chrono writes it), and what follows it.
    fn day_prefix(text: &str) -> Option<(NaiveDate, &str)> {
        let (sign, unsigned) = match text.as_bytes().first()? {
            b'+' => (1, &text[1..]),
            b'-' => (-1, &text[1..]),
            _ => (1, text),
        };
        let (year, rest) = unsigned.split_once('-')?;
        let (month, rest) = rest.split_once('-')?;
        let end = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        let (day, rest) = rest.split_at(end);
        let signed_ok = if sign == 1 && unsigned.len() == text.len() {
            (1..=4).contains(&year.len())
        } else {
            year.len() >= 4
        };
        if !signed_ok || !(1..=2).contains(&month.len()) || !(1..=2).contains(&day.len()) {
            return None;
        }
        let year = i32::try_from(super::number(year)?).ok()? * sign;
        Some((
            NaiveDate::from_ymd_opt(year, super::number(month)?, super::number(day)?)?,
            rest,
        ))
    }

    /// `HH:MM:SS` with an optional fraction of a second at the start of `text`, and what follows.
    fn time_prefix(text: &str) -> Option<(NaiveTime, &str)> {
        fn two(t: &str) -> Option<(u32, &str)> {
            Some((super::number(t.get(..2)?)?, &t[2..]))
        }
        let (h, rest) = two(text)?;
        let (m, rest) = two(rest.strip_prefix(':')?)?;
        let (s, mut rest) = two(rest.strip_prefix(':')?)?;
        let mut nano = 0;
        if let Some(fraction) = rest.strip_prefix('.') {
            let end = fraction
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(fraction.len());
            if end == 0 {
                return None;
            }
            // Nine digits are nanoseconds; chrono ignores any beyond them, and so do we.
            let digits = &fraction[..end.min(9)];
            nano = super::number(digits)? * 10u32.pow(9 - digits.len() as u32);
            rest = &fraction[end..];
        }
        // Second 60 is a leap second, as chrono reads it.
        let time = match s {
            60 => NaiveTime::from_hms_nano_opt(h, m, 59, 1_000_000_000 + nano)?,
            _ => NaiveTime::from_hms_nano_opt(h, m, s, nano)?,
        };
        Some((time, rest))
    }

    fn day(text: &str) -> Option<NaiveDate> {
        match day_prefix(text)? {
            (day, "") => Some(day),
            _ => None,
        }
    }

    fn moment(text: &str) -> Option<NaiveDateTime> {
        let (day, rest) = day_prefix(text)?;
        match time_prefix(rest.strip_prefix('T')?)? {
            (time, "") => Some(day.and_time(time)),
            _ => None,
        }
    }

    /// RFC 3339 (`T`, `t` or a space between day and time; `Z` or an offset).
    fn utc(text: &str) -> Option<DateTime<Utc>> {
        let (day, rest) = day_prefix(text)?;
        let rest = rest.strip_prefix(['T', 't', ' '])?;
        let (time, offset) = time_prefix(rest)?;
        // chrono's RFC 3339 reader allows spaces before the offset.
        let east = match offset.trim_start() {
            "Z" | "z" => 0,
            _ => {
                let offset = offset.trim_start();
                let (sign, hm) = match offset.as_bytes().first()? {
                    b'+' => (1, &offset[1..]),
                    b'-' => (-1, &offset[1..]),
                    _ => return None,
                };
                let (h, m) = hm.split_once(':').unwrap_or((hm.get(..2)?, hm.get(2..)?));
                if h.len() != 2 || m.len() != 2 {
                    return None;
                }
                let (h, m) = (super::number(h)?, super::number(m)?);
                if h > 23 || m > 59 {
                    return None;
                }
                sign * i64::from(h * 3600 + m * 60)
            }
        };
        let local = day.and_time(time);
        Some(
            local
                .checked_sub_signed(TimeDelta::seconds(east))?
                .and_utc(),
        )
    }

    /// A string read by `parse`, or the error serde gives for a value of the wrong form.
    struct Text<T>(fn(&str) -> Option<T>, &'static str);

    impl<T> Visitor<'_> for Text<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str(self.1)
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
            (self.0)(v).ok_or_else(|| E::invalid_value(Unexpected::Str(v), &self.1))
        }
    }

    struct Day(NaiveDate);

    impl<'de> Deserialize<'de> for Day {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            d.deserialize_str(Text(day, "a date (YYYY-MM-DD)")).map(Day)
        }
    }

    pub fn naive_date<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
        Day::deserialize(d).map(|day| day.0)
    }

    pub fn naive_date_opt<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
        Option::<Day>::deserialize(d).map(|day| day.map(|day| day.0))
    }

    pub fn naive_dates<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<NaiveDate>, D::Error> {
        Vec::<Day>::deserialize(d).map(|days| days.into_iter().map(|day| day.0).collect())
    }

    pub fn naive_date_pairs<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Vec<(NaiveDate, NaiveDate)>, D::Error> {
        Vec::<(Day, Day)>::deserialize(d).map(|v| v.into_iter().map(|(a, b)| (a.0, b.0)).collect())
    }

    pub fn naive_date_time<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDateTime, D::Error> {
        d.deserialize_str(Text(moment, "a date and time (YYYY-MM-DDTHH:MM:SS)"))
    }

    /// A `DateTime<Utc>` read from its RFC 3339 text, for where one is read whole (the phone's
    /// settings) rather than as a field.
    pub struct Utc3339(pub DateTime<Utc>);

    impl<'de> Deserialize<'de> for Utc3339 {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            d.deserialize_str(Text(utc, "an RFC 3339 date and time"))
                .map(Utc3339)
        }
    }

    pub fn date_time<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
        Utc3339::deserialize(d).map(|t| t.0)
    }

    pub fn date_time_opt<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<DateTime<Utc>>, D::Error> {
        Option::<Utc3339>::deserialize(d).map(|t| t.map(|t| t.0))
    }
}

//! `xiafang_core::dates` writes and reads dates exactly as chrono's format strings did
//! (`%Y-%m-%d`, `%Y-%m-%d %H:%M`, `%m-%d`, `%H:%M`, `%Y-%m-%dT%H:%M`): the screens, the text a
//! signer confirms and the exports must not change by a character.

use chrono::{Duration, NaiveDate, NaiveDateTime, Timelike};
use xiafang_core::dates::{
    Day, DayMinute, Minute, MonthDay, MonthDayMinute, input_minute, parse_day, parse_input_minute,
};

fn moments() -> Vec<NaiveDateTime> {
    let mut out = Vec::new();
    let start = NaiveDate::from_ymd_opt(2019, 12, 25)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap();
    // Every day of several years, each at another minute of the day.
    for n in 0..(366 * 8) {
        out.push(
            start + Duration::days(n) + Duration::minutes(n * 7 % 1440) + Duration::seconds(n % 60),
        );
    }
    // The years chrono writes with a sign or fewer digits.
    for y in [-10_000, -1, 0, 1, 99, 999, 1000, 9999, 10_000, 12_345] {
        out.push(
            NaiveDate::from_ymd_opt(y, 1, 9)
                .unwrap()
                .and_hms_opt(23, 59, 59)
                .unwrap(),
        );
    }
    out
}

#[test]
fn writers_give_chronos_characters() {
    for t in moments() {
        let d = t.date();
        assert_eq!(Day(d).to_string(), d.format("%Y-%m-%d").to_string());
        assert_eq!(Day(t).to_string(), t.format("%Y-%m-%d").to_string());
        assert_eq!(
            DayMinute(t).to_string(),
            t.format("%Y-%m-%d %H:%M").to_string()
        );
        assert_eq!(MonthDay(d).to_string(), d.format("%m-%d").to_string());
        assert_eq!(
            MonthDayMinute(t).to_string(),
            t.format("%m-%d %H:%M").to_string()
        );
        assert_eq!(Minute(t).to_string(), t.format("%H:%M").to_string());
        assert_eq!(input_minute(t), t.format("%Y-%m-%dT%H:%M").to_string());
        let utc = t.and_utc();
        assert_eq!(
            DayMinute(utc).to_string(),
            utc.format("%Y-%m-%d %H:%M").to_string()
        );
    }
}

#[test]
fn readers_read_what_the_writers_and_inputs_give() {
    for t in moments()
        .into_iter()
        .filter(|t| (0..10_000).contains(&chrono::Datelike::year(t)))
    {
        let d = t.date();
        assert_eq!(parse_day(&Day(d).to_string()), Some(d));
        let minute = t.with_second(0);
        assert_eq!(parse_input_minute(&input_minute(t)), minute);
        let with_seconds = t.format("%Y-%m-%dT%H:%M:%S").to_string();
        assert_eq!(parse_input_minute(&with_seconds), Some(t));
    }
}

trait WithSecond {
    fn with_second(self, s: u32) -> Option<NaiveDateTime>;
}
impl WithSecond for NaiveDateTime {
    fn with_second(self, s: u32) -> Option<NaiveDateTime> {
        chrono::Timelike::with_second(&self, s)
    }
}

/// What chrono's `parse_from_str` made of typed text, ours makes too.
#[test]
fn readers_agree_with_chrono_on_typed_text() {
    let days = [
        "2026-12-05",
        "2026-1-5",
        "2026-01-5",
        "2026-02-29",
        "2024-02-29",
        "2026-02-30",
        "2026-13-01",
        "2026-00-10",
        "2026-12-00",
        "2026-12-32",
        "",
        "2026",
        "2026-12",
        "2026-12-05x",
        "x2026-12-05",
        "2026/12/05",
        "2026-12-05-",
        "2026--12-05",
        "２０２６-12-05",
        "2026-12-05 ",
        " 2026-12-05",
        "2026-012-05",
        "2026-12-005",
        "0999-01-01",
        "999-01-01",
        "2026-+1-05",
        "2026-1a-05",
    ];
    for text in days {
        let chrono = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok();
        assert_eq!(parse_day(text), chrono, "{text:?}");
    }
    let moments = [
        "2026-12-05T14:30",
        "2026-12-05T14:30:59",
        "2026-12-05T4:30",
        "2026-12-05T14:3",
        "2026-12-05T24:00",
        "2026-12-05T23:60",
        "2026-12-05T14:30:60",
        "2026-12-05 14:30",
        "2026-12-05T14",
        "2026-12-05T",
        "2026-12-05T14:30:",
        "2026-12-05T14:30:5",
        "2026-12-05T14:30:59.5",
        "2026-12-05T14:30x",
        "2026-13-05T14:30",
        "T14:30",
    ];
    for text in moments {
        let chrono = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M")
            .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S"))
            .ok();
        assert_eq!(parse_input_minute(text), chrono, "{text:?}");
    }
}

#[derive(serde::Deserialize, Debug, PartialEq)]
struct Wire {
    #[serde(deserialize_with = "xiafang_core::dates::wire::naive_date")]
    day: NaiveDate,
    #[serde(deserialize_with = "xiafang_core::dates::wire::naive_date_time")]
    moment: NaiveDateTime,
    #[serde(deserialize_with = "xiafang_core::dates::wire::date_time")]
    utc: chrono::DateTime<chrono::Utc>,
}

#[derive(serde::Serialize, serde::Deserialize, Debug, PartialEq)]
struct Chrono {
    day: NaiveDate,
    moment: NaiveDateTime,
    utc: chrono::DateTime<chrono::Utc>,
}

/// The wire readers (`dates::wire`, what records and sync messages are read with) read every
/// date and moment chrono's serde writes, fractions of a second and signed years included.
#[test]
fn wire_readers_read_what_chronos_serde_writes() {
    for t in moments() {
        for nanos in [0, 5_000_000, 123_456_000, 123_456_789] {
            let t = t.with_nanosecond(nanos).unwrap();
            let value = Chrono {
                day: t.date(),
                moment: t,
                utc: t.and_utc(),
            };
            let text = serde_json::to_string(&value).unwrap();
            let read: Wire = serde_json::from_str(&text).unwrap();
            assert_eq!(
                (read.day, read.moment, read.utc),
                (value.day, value.moment, value.utc),
                "{text}"
            );
        }
    }
}

/// On hand-made text the wire readers accept what chrono's serde accepts.
#[test]
fn wire_readers_agree_with_chronos_serde_on_other_text() {
    let day = |t: &str| {
        let json = serde_json::Value::from(t);
        let ours: Result<NaiveDate, _> = xiafang_core::dates::wire::naive_date(&json);
        (ours.ok(), serde_json::from_value::<NaiveDate>(json).ok())
    };
    for text in [
        "2026-12-05",
        "2026-02-29",
        "2024-02-29",
        "2026-13-01",
        "2026-12-32",
        "",
        "2026-12",
        "2026-12-05x",
        "2026-12-05T00:00:00",
        "+12345-01-09",
        "-0001-01-09",
        "-10000-01-09",
        "2026/12/05",
        "24.12.2026",
    ] {
        let (ours, chrono) = day(text);
        assert_eq!(ours, chrono, "{text:?}");
    }
    let moment = |t: &str| {
        let json = serde_json::Value::from(t);
        let ours: Result<NaiveDateTime, _> = xiafang_core::dates::wire::naive_date_time(&json);
        (
            ours.ok(),
            serde_json::from_value::<NaiveDateTime>(json).ok(),
        )
    };
    for text in [
        "2026-12-05T14:30:00",
        "2026-12-05T14:30:59.5",
        "2026-12-05T14:30:59.1234567891",
        "2026-12-05T23:59:60",
        "2026-12-05T24:00:00",
        "2026-12-05T14:30",
        "2026-12-05 14:30:00",
        "2026-12-05",
        "2026-12-05T14:30:00Z",
        "2026-12-05T14:30:00.",
    ] {
        let (ours, chrono) = moment(text);
        assert_eq!(ours, chrono, "{text:?}");
    }
    let utc = |t: &str| {
        let json = serde_json::Value::from(t);
        let ours: Result<chrono::DateTime<chrono::Utc>, _> =
            xiafang_core::dates::wire::date_time(&json);
        (
            ours.ok(),
            serde_json::from_value::<chrono::DateTime<chrono::Utc>>(json).ok(),
        )
    };
    for text in [
        "2026-12-05T14:30:00Z",
        "2026-12-05t14:30:00z",
        "2026-12-05 14:30:00Z",
        "2026-12-05T14:30:00.123Z",
        "2026-12-05T14:30:00+08:00",
        "2026-12-05T14:30:00-05:30",
        "2026-12-05T00:30:00+08:00",
        "2026-12-05T14:30:00",
        "2026-12-05T14:30:00+24:00",
        "2026-12-05T14:30:00 Z",
        "2026-12-05",
        "",
    ] {
        let (ours, chrono) = utc(text);
        assert_eq!(ours, chrono, "{text:?}");
    }
}

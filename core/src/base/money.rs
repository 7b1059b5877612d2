//! Money is kept in fen (1/100 yuan) as an integer; people type yuan.

use crate::base::problem::Problem;

/// The largest single assistance amount accepted: 1,000,000 yuan. Larger figures are typing errors.
pub const MAX_FEN: i64 = 100_000_000;

/// Parses what a cadre typed ("200", "200.5", "1,200.00", "200元") into fen.
pub fn parse_yuan(input: &str) -> Result<i64, Problem> {
    let cleaned: String = input
        .trim()
        .trim_end_matches('元')
        .chars()
        .filter(|c| *c != ',' && *c != '，' && !c.is_whitespace())
        .collect();
    if cleaned.is_empty() {
        return Err(Problem::Required);
    }
    let (whole, frac) = match cleaned.split_once('.') {
        Some((w, f)) => (w, f),
        None => (cleaned.as_str(), ""),
    };
    let digits_only = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if whole.is_empty() || !digits_only(whole) || !digits_only(frac) || frac.len() > 2 {
        return Err(Problem::AmountFormat);
    }
    if whole.len() > 12 {
        return Err(Problem::AmountTooLarge);
    }
    let whole: i64 = whole.parse().map_err(|_| Problem::AmountFormat)?;
    let frac_fen: i64 = match frac.len() {
        0 => 0,
        1 => frac.parse::<i64>().map_err(|_| Problem::AmountFormat)? * 10,
        _ => frac.parse().map_err(|_| Problem::AmountFormat)?,
    };
    let fen = whole * 100 + frac_fen;
    if fen > MAX_FEN {
        return Err(Problem::AmountTooLarge);
    }
    Ok(fen)
}

/// Shows fen as yuan the way people write it: "2,000" or "2,000.50".
pub fn format_yuan(fen: i64) -> String {
    let whole = fen / 100;
    let cents = fen % 100;
    let digits = whole.to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    if cents == 0 {
        grouped
    } else {
        format!("{grouped}.{cents:02}")
    }
}

/// Fen as a plain yuan number for spreadsheets: "2000" or "2000.5" — no grouping commas, which
/// would make Excel read the cell as text.
pub fn plain_yuan(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let (whole, cents) = (fen.unsigned_abs() / 100, fen.unsigned_abs() % 100);
    match cents {
        0 => format!("{sign}{whole}"),
        c if c % 10 == 0 => format!("{sign}{whole}.{}", c / 10),
        c => format!("{sign}{whole}.{c:02}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_yuan_is_a_number_a_spreadsheet_reads() {
        for (fen, text) in [
            (0, "0"),
            (200_000, "2000"),
            (200_050, "2000.5"),
            (5, "0.05"),
            (123_456_789, "1234567.89"),
            (-150, "-1.5"),
        ] {
            assert_eq!(plain_yuan(fen), text, "{fen}");
        }
    }

    #[test]
    fn parses_what_cadres_type() {
        for (input, fen) in [
            ("200", 20_000),
            ("200.5", 20_050),
            ("200.05", 20_005),
            (" 1,200.00 ", 120_000),
            ("2000元", 200_000),
            ("0.01", 1),
        ] {
            assert_eq!(parse_yuan(input), Ok(fen), "{input}");
        }
    }

    #[test]
    fn rejects_what_is_not_an_amount() {
        assert_eq!(parse_yuan(""), Err(Problem::Required));
        for bad in ["abc", "-5", "1.234", ".5", "1.2.3", "五百"] {
            assert_eq!(parse_yuan(bad), Err(Problem::AmountFormat), "{bad}");
        }
        assert_eq!(parse_yuan("1000000.01"), Err(Problem::AmountTooLarge));
        assert_eq!(parse_yuan("99999999999999"), Err(Problem::AmountTooLarge));
    }

    #[test]
    fn formats_round_trip() {
        assert_eq!(format_yuan(200_000), "2,000");
        assert_eq!(format_yuan(26_000_000), "260,000");
        assert_eq!(format_yuan(20_050), "200.50");
        assert_eq!(format_yuan(5), "0.05");
        assert_eq!(parse_yuan(&format_yuan(12_345_678)), Ok(12_345_678));
    }
}

//! 公民身份号码 (GB 11643-1999): the petitioner's ID number. Sensitive personal information
//! under PIPL, so it is kept in one normal form (spaces gone, `x` as `X`), checked fully before it
//! is stored, and shown masked (`mask`) everywhere except the form where someone allowed to edit
//! the file changes it.

use chrono::NaiveDate;

/// Digits and the check character.
pub const ID_NUMBER_LEN: usize = 18;

/// Weights of the first 17 digits (GB 11643 §8.2, 2^(18-i) mod 11).
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/// The check character for each remainder of the weighted sum modulo 11.
const CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

/// Birth years an ID number of a living petitioner can carry.
const EARLIEST_BIRTH_YEAR: i32 = 1900;
const LATEST_BIRTH_YEAR: i32 = 2100;

/// What is wrong with a typed ID number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum IdNumberError {
    /// Not 17 digits followed by a digit or X.
    #[error("an ID number is 17 digits and a digit or X")]
    Format,
    /// Digits 7–14 are not a real date.
    #[error("the birth date in the ID number is not a real date")]
    BirthDate,
    /// The last character is not the one the first 17 digits give.
    #[error("the ID number's check character does not match")]
    CheckDigit,
}

/// The stored form of what was typed: whitespace (also full-width) removed, `x` as `X`.
pub fn normalize(typed: &str) -> String {
    typed
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// The check character the first 17 digits call for.
pub fn check_character(first17: &str) -> Option<char> {
    let digits: Vec<u32> = first17
        .chars()
        .map(|c| c.to_digit(10))
        .collect::<Option<_>>()?;
    if digits.len() != 17 {
        return None;
    }
    let sum: u32 = digits.iter().zip(WEIGHTS).map(|(d, w)| d * w).sum();
    Some(CHECK[(sum % 11) as usize])
}

/// The normalised ID number, when `typed` is a valid one.
pub fn parse(typed: &str) -> Result<String, IdNumberError> {
    let id = normalize(typed);
    let chars: Vec<char> = id.chars().collect();
    let shaped = chars.len() == ID_NUMBER_LEN
        && chars[..17].iter().all(char::is_ascii_digit)
        && (chars[17].is_ascii_digit() || chars[17] == 'X');
    if !shaped {
        return Err(IdNumberError::Format);
    }
    if birth_date(&id).is_none() {
        return Err(IdNumberError::BirthDate);
    }
    if check_character(&id[..17]) != Some(chars[17]) {
        return Err(IdNumberError::CheckDigit);
    }
    Ok(id)
}

/// The birth date in digits 7–14, when it is a real day in a plausible year.
pub fn birth_date(id: &str) -> Option<NaiveDate> {
    let part = id.get(6..14)?;
    let year: i32 = part.get(..4)?.parse().ok()?;
    let month: u32 = part.get(4..6)?.parse().ok()?;
    let day: u32 = part.get(6..)?.parse().ok()?;
    if !(EARLIEST_BIRTH_YEAR..=LATEST_BIRTH_YEAR).contains(&year) {
        return None;
    }
    NaiveDate::from_ymd_opt(year, month, day)
}

/// How an ID number is shown to anyone but its editor: the first four and the last four
/// characters, the rest starred ("3301**********123X"), so a cadre can tell two apart without
/// the birth date or the sequence being readable. Anything shorter than nine characters is
/// starred whole.
pub fn mask(id: &str) -> String {
    let chars: Vec<char> = normalize(id).chars().collect();
    if chars.len() < 9 {
        return "*".repeat(chars.len());
    }
    let n = chars.len();
    chars
        .iter()
        .enumerate()
        .map(|(i, c)| if i < 4 || i >= n - 4 { *c } else { '*' })
        .collect()
}

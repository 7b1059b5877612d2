//! Pure rules for the phone's PIN: what a new PIN must look like, when the data locks after too
//! many wrong PINs (until the next online sign-in), and when inactivity locks the app. The PWA
//! keeps the state and runs the timers; the rules live here so they are tested natively.

use crate::base::lang::Lang;

/// Wrong PINs in a row that lock the data until the next online sign-in.
pub const WRONG_PIN_LIMIT: u32 = 5;

/// Argon2id cost of the PIN's derivation on the phone (memory in KiB, passes, lanes), chosen by
/// measurement so one unlock stays under about a second on a 4×-throttled headless Chromium: at
/// 16 MiB a wrong PIN took 0.34 s there (December 2026, EPYC build server), so the memory was
/// raised to 40 MiB (about 2.5× that). The phone bench (`phone_pin_guess_ms`) and the native
/// bench (`pin_guess_native_ms`) measure one guess at exactly these (docs/SECURITY.md).
pub const ARGON2_M_KIB: u32 = 40 * 1024;
pub const ARGON2_T: u32 = 2;
pub const ARGON2_P: u32 = 1;
/// Inactivity after which the app locks and asks for the PIN again.
pub const AUTO_LOCK_AFTER_MS: i64 = 5 * 60 * 1000;

/// Counts wrong PINs. The caller persists it after every change, and should persist a failure
/// before telling the user, so closing the page does not undo it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PinGuard {
    failures: u32,
    limit: u32,
}

impl Default for PinGuard {
    fn default() -> Self {
        PinGuard::new(WRONG_PIN_LIMIT)
    }
}

impl PinGuard {
    /// A guard that locks after `limit` wrong PINs (at least one).
    pub fn new(limit: u32) -> Self {
        PinGuard {
            failures: 0,
            limit: limit.max(1),
        }
    }

    /// One more wrong PIN.
    pub fn failed(&mut self) {
        self.failures = self.failures.saturating_add(1);
    }

    /// A right PIN clears the count, unless the data is already locked: then only an online
    /// sign-in unlocks it.
    pub fn succeeded(&mut self) {
        if !self.locked() {
            self.failures = 0;
        }
    }

    pub fn locked(&self) -> bool {
        self.failures >= self.limit
    }

    /// Wrong PINs still allowed before the data locks.
    pub fn remaining(&self) -> u32 {
        self.limit.saturating_sub(self.failures)
    }

    pub fn reset_after_online_sign_in(&mut self) {
        self.failures = 0;
    }
}

/// Whether the app should lock now. A clock that went back (now before the last activity) locks
/// too: how long the phone lay idle is then unknown.
pub fn should_lock(last_activity_ms: i64, now_ms: i64, limit_ms: i64) -> bool {
    now_ms < last_activity_ms || now_ms.saturating_sub(last_activity_ms) >= limit_ms
}

/// Why a new PIN is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PinProblem {
    /// Not exactly six ASCII digits.
    SixDigits,
    /// All the same digit, or a straight run up or down (111111, 123456, 987654).
    TooSimple,
}

impl PinProblem {
    pub fn message(self, lang: Lang) -> &'static str {
        match self {
            PinProblem::SixDigits => lang.pick("解锁码须为 6 位数字", "The PIN must be 6 digits"),
            PinProblem::TooSimple => lang.pick(
                "解锁码太简单，不能全部相同或连续（如 111111、123456）",
                "The PIN is too simple: not all the same or in a row (like 111111 or 123456)",
            ),
        }
    }
}

/// The rule for a new PIN: six digits, not all the same and not a straight run.
pub fn check_pin(pin: &str) -> Result<(), PinProblem> {
    let digits: Vec<i8> = pin
        .bytes()
        .map(|b| {
            if b.is_ascii_digit() {
                (b - b'0') as i8
            } else {
                -1
            }
        })
        .collect();
    if digits.len() != 6 || digits.contains(&-1) {
        return Err(PinProblem::SixDigits);
    }
    let steps: Vec<i8> = digits.windows(2).map(|w| w[1] - w[0]).collect();
    if steps.iter().all(|&s| s == steps[0]) && matches!(steps[0], -1..=1) {
        return Err(PinProblem::TooSimple);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pins_are_six_digits_and_not_trivial() {
        for good in ["246810", "135790", "000001", "902184"] {
            assert_eq!(check_pin(good), Ok(()), "{good}");
        }
        for (bad, problem) in [
            ("", PinProblem::SixDigits),
            ("24681", PinProblem::SixDigits),
            ("24681a", PinProblem::SixDigits),
            ("２４６８１０", PinProblem::SixDigits),
            ("111111", PinProblem::TooSimple),
            ("123456", PinProblem::TooSimple),
            ("987654", PinProblem::TooSimple),
        ] {
            assert_eq!(check_pin(bad), Err(problem), "{bad:?}");
        }
        assert_eq!(
            PinProblem::SixDigits.message(Lang::Zh),
            "解锁码须为 6 位数字"
        );
    }

    #[test]
    fn wrong_pins_lock_until_an_online_sign_in() {
        let mut guard = PinGuard::new(3);
        guard.failed();
        guard.succeeded();
        assert_eq!(guard.remaining(), 3, "a right PIN clears earlier mistakes");
        for _ in 0..3 {
            guard.failed();
        }
        assert!(guard.locked());
        guard.succeeded();
        assert!(
            guard.locked(),
            "once locked, even the right PIN does not unlock"
        );
        guard.reset_after_online_sign_in();
        assert!(!guard.locked());
    }

    #[test]
    fn inactivity_and_a_clock_gone_back_lock_the_app() {
        assert!(!should_lock(
            1_000,
            1_000 + AUTO_LOCK_AFTER_MS - 1,
            AUTO_LOCK_AFTER_MS
        ));
        assert!(should_lock(
            1_000,
            1_000 + AUTO_LOCK_AFTER_MS,
            AUTO_LOCK_AFTER_MS
        ));
        assert!(should_lock(5_000, 4_000, AUTO_LOCK_AFTER_MS));
    }
}

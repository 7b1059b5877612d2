//! Pure rules for when the phone's data locks: too many wrong PINs (until the next online
//! sign-in), and inactivity. The caller keeps the state and runs the timers.

/// Wrong PINs in a row that lock the data until the next online sign-in.
pub const WRONG_PIN_LIMIT: u32 = 5;
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

//! Slowing down password guessing: after a few failed sign-ins an account name is refused for a
//! while, even with the right password, so guessing costs hours instead of seconds.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Failures allowed within `WINDOW` before the name is refused.
pub const MAX_FAILURES: usize = 5;
pub const WINDOW: Duration = Duration::from_secs(15 * 60);

#[derive(Default)]
pub struct LoginLimiter {
    failures: Mutex<HashMap<String, VecDeque<Instant>>>,
}

impl LoginLimiter {
    /// `Err(wait)` when `name` may not try now.
    pub fn check(&self, name: &str, now: Instant) -> Result<(), Duration> {
        let mut all = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        let Some(recent) = all.get_mut(&key(name)) else {
            return Ok(());
        };
        while recent
            .front()
            .is_some_and(|t| now.duration_since(*t) >= WINDOW)
        {
            recent.pop_front();
        }
        match recent.front() {
            Some(oldest) if recent.len() >= MAX_FAILURES => {
                Err(WINDOW.saturating_sub(now.duration_since(*oldest)))
            }
            _ => Ok(()),
        }
    }

    pub fn failed(&self, name: &str, now: Instant) {
        let mut all = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        // Forget names whose failures are all old, so the map cannot grow without bound.
        all.retain(|_, times| {
            times
                .back()
                .is_some_and(|t| now.duration_since(*t) < WINDOW)
        });
        let times = all.entry(key(name)).or_default();
        times.push_back(now);
        while times.len() > MAX_FAILURES {
            times.pop_front();
        }
    }

    pub fn succeeded(&self, name: &str) {
        let mut all = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        all.remove(&key(name));
    }
}

fn key(name: &str) -> String {
    name.trim().to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_is_refused_after_five_failures_until_the_window_passes() {
        let limiter = LoginLimiter::default();
        let t0 = Instant::now();
        for i in 0..MAX_FAILURES {
            assert!(limiter.check("WangJG", t0).is_ok(), "attempt {i}");
            limiter.failed("wangjg ", t0);
        }
        let wait = limiter
            .check("wangjg", t0 + Duration::from_secs(60))
            .unwrap_err();
        assert_eq!(wait, WINDOW - Duration::from_secs(60));
        assert!(
            limiter.check("lixm", t0).is_ok(),
            "other names are not affected"
        );
        assert!(limiter.check("wangjg", t0 + WINDOW).is_ok());
    }

    #[test]
    fn a_success_clears_the_failures() {
        let limiter = LoginLimiter::default();
        let t0 = Instant::now();
        for _ in 0..MAX_FAILURES - 1 {
            limiter.failed("lixm", t0);
        }
        limiter.succeeded("lixm");
        limiter.failed("lixm", t0);
        assert!(limiter.check("lixm", t0).is_ok());
    }
}

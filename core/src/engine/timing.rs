//! When the engine runs besides the events that ask for it: the minute tick (upload what waits,
//! pull every few minutes while the app is open, online and unlocked), retries with backoff after
//! a failure, and another look when another tab held the upload lock.

use super::{Command, Engine, Failure, Moment, Problem, Timer};
use crate::wire::retry::retry_delay_ms;
use chrono::TimeDelta;

/// The tick: while records wait and the link is up, try at least this often even without an event.
pub const TICK_MS: u64 = 60_000;
/// With nothing to upload, pull this often while the app is open, online and unlocked, so a
/// supervisor's 退回 or a lawyer's opinion shows without a tap.
pub const FRESH_EVERY_MS: u64 = 5 * 60_000;
/// Periodic pulls that keep failing space out up to `FRESH_EVERY_MS << MAX_FRESH_DOUBLINGS`.
const MAX_FRESH_DOUBLINGS: u32 = 3;
/// A tab that found another uploading looks again after about this long (with jitter).
pub const OTHER_TAB_RETRY_MS: u64 = 3_000;
/// A guard against a server that always answers "more": the rest waits for the next run.
pub const MAX_PAGES_PER_RUN: usize = 1_000;

impl Engine {
    pub(super) fn fired(&mut self, timer: Timer, at: Moment, out: &mut Vec<Command>) {
        self.armed.retain(|t| *t != timer);
        match timer {
            Timer::Retry | Timer::OtherTab => self.wake(out),
            Timer::Tick => {
                self.arm(Timer::Tick, TICK_MS, out);
                if !self.view.online {
                    return;
                }
                let waiting = self.view.pending > 0 || self.view.pending_images > 0;
                let fresh_due = self.visible
                    && !self.phone_locked
                    && self.fresh_due.is_none_or(|due| at.now >= due);
                if waiting || fresh_due {
                    self.wake(out);
                }
            }
        }
    }

    /// The next periodic pull, `FRESH_EVERY_MS` after this run, longer after failures.
    fn plan_fresh(&mut self, at: Moment) {
        let ms = FRESH_EVERY_MS << self.fresh_failures.min(MAX_FRESH_DOUBLINGS);
        self.fresh_due = Some(at.now + TimeDelta::milliseconds(ms as i64));
    }

    pub(super) fn succeeded(&mut self, at: Moment, out: &mut Vec<Command>) {
        self.failures = 0;
        self.fresh_failures = 0;
        self.view.problem = None;
        self.view.online = true;
        self.plan_fresh(at);
        self.ended(out);
        out.extend([
            Command::FetchMissingImages,
            Command::RefreshRules,
            Command::RefreshTeam,
        ]);
        if std::mem::take(&mut self.rerun) {
            self.wake(out);
        }
    }

    pub(super) fn failed(&mut self, failure: Failure, at: Moment, out: &mut Vec<Command>) {
        self.ended(out);
        // A rerun asked for meanwhile waits for the retry: running again at once would only
        // hammer a server that is down.
        self.rerun = false;
        match failure {
            Failure::SignedOut => {
                self.view.problem = Some(Problem::SignedOut);
                return;
            }
            Failure::Offline => {}
            Failure::Revoked | Failure::Server(_) => self.view.problem = Some(Problem::Server),
        }
        self.fresh_failures += 1;
        self.plan_fresh(at);
        if !self.armed.contains(&Timer::Retry) {
            let delay = retry_delay_ms(self.failures, at.random);
            self.failures += 1;
            self.arm(Timer::Retry, delay, out);
        }
    }

    /// The run is over: the lock goes, the counts are read again.
    pub(super) fn ended(&mut self, out: &mut Vec<Command>) {
        self.run = None;
        out.push(Command::EndRun);
        self.count(out);
    }
}

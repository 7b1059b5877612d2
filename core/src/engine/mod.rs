//! The phone's sync engine as a pure state machine: events come in (a save, the network, the
//! screen, the PIN lock, timers, and the answers to its own commands) and commands go out (take
//! the upload lock, read the outbox, push a batch, ask acks, settle, pull, wait, erase…). No I/O,
//! no clock and no randomness: time and jitter arrive with each event (`Moment`). The PWA
//! (`src/sync.rs`) carries the commands out against IndexedDB and HTTP and renders `View`; the
//! property test and the fault test carry them out natively, so they prove what ships.

mod images;
mod run;
mod timing;
mod types;

#[cfg(test)]
mod tests;

pub use images::{PIECE_BYTES, PieceAnswer, UploadStatus};
pub use timing::{FRESH_EVERY_MS, MAX_PAGES_PER_RUN, OTHER_TAB_RETRY_MS, TICK_MS};
pub use types::{Answer, Changed, Command, Event, Failure, Moment, Problem, Start, Timer, View};

use crate::base::ids::DeviceId;
use crate::wire::upload::MAX_BATCH_OPS;
use chrono::{DateTime, Utc};
use run::Run;

/// One phone's engine. Feed it with `handle`; carry out the commands it returns in order.
#[derive(Debug, Clone)]
pub struct Engine {
    device_id: DeviceId,
    /// Operations per push (`MAX_BATCH_OPS`; smaller in tests, to exercise batching).
    batch: usize,
    view: View,
    /// The run going on, if any: one at a time.
    run: Option<Run>,
    /// Something asked for a run while one was going; it may have come after that run read the
    /// outbox, so another run follows a good one.
    rerun: bool,
    /// Failed runs in a row: the exponent of the retry backoff.
    failures: u32,
    /// Timers waiting to fire, so none is set twice.
    armed: Vec<Timer>,
    /// The app is on screen (not a background tab).
    visible: bool,
    /// The phone was found locked (or signed out) at the last run's start: no periodic pulls.
    phone_locked: bool,
    /// When a pull with nothing to upload is due while the app stays open.
    fresh_due: Option<DateTime<Utc>>,
    /// Periodic pulls that failed in a row: their interval doubles, up to a bound.
    fresh_failures: u32,
    /// Pending-count reads issued and the newest applied: an older read never overwrites a newer.
    counts: (u64, u64),
}

impl Engine {
    /// An engine for this device (each run's start says which device the session speaks for);
    /// `last_upload` is what the phone remembered from before.
    pub fn new(device_id: DeviceId, last_upload: Option<DateTime<Utc>>) -> Engine {
        Engine {
            device_id,
            batch: MAX_BATCH_OPS,
            view: View {
                last_upload,
                ..View::default()
            },
            run: None,
            rerun: false,
            failures: 0,
            armed: Vec::new(),
            visible: true,
            phone_locked: false,
            fresh_due: None,
            fresh_failures: 0,
            counts: (0, 0),
        }
    }

    /// The same engine sending at most `batch` operations per push.
    pub fn with_batch(mut self, batch: usize) -> Engine {
        self.batch = batch.clamp(1, MAX_BATCH_OPS);
        self
    }

    /// What the status line shows.
    pub fn view(&self) -> &View {
        &self.view
    }

    /// Whether a run is going on and waits for an answer to one of its commands.
    pub fn is_running(&self) -> bool {
        self.run.is_some()
    }

    /// Takes one event and says what to do next, in order.
    pub fn handle(&mut self, event: Event, at: Moment) -> Vec<Command> {
        let mut out = Vec::new();
        match event {
            Event::Opened { online, visible } => {
                self.view.online = online;
                self.visible = visible;
                self.arm(Timer::Tick, TICK_MS, &mut out);
                self.count(&mut out);
                self.wake(&mut out);
            }
            // The saving view already told the views of its file (the shell's `saved`).
            Event::Saved => {
                self.count(&mut out);
                self.wake(&mut out);
            }
            Event::UploadNow => self.wake(&mut out),
            Event::Online => {
                self.view.online = true;
                // A new connection starts the backoff over.
                self.failures = 0;
                self.fresh_failures = 0;
                self.wake(&mut out);
            }
            Event::Offline => self.view.online = false,
            Event::Foreground => {
                self.visible = true;
                self.wake(&mut out);
            }
            Event::Background => self.visible = false,
            Event::Unlocked => {
                self.phone_locked = false;
                self.wake(&mut out);
            }
            Event::Locked => self.phone_locked = true,
            Event::OtherTab { last_upload } => {
                // Another tab uploaded or saved: show this phone's records as they are now.
                self.view.last_upload = last_upload.max(self.view.last_upload);
                out.push(Command::Changed(Changed::Everything));
                self.count(&mut out);
            }
            Event::Counted {
                ticket,
                records,
                images,
            } => self.counted(ticket, records, images, at, &mut out),
            Event::CountFailed(why) => {
                self.view.problem = Some(Problem::Storage(why.clone()));
                // A run that waited for the count (to erase) cannot go on.
                if self.run.as_ref().is_some_and(Run::counting) {
                    self.step(Event::StorageFailed(why), at, &mut out);
                }
            }
            Event::Timer(timer) => self.fired(timer, at, &mut out),
            answer => self.step(answer, at, &mut out),
        }
        self.view.busy = self.run.is_some();
        out
    }

    /// Asks for a run: starts one, or has one follow the run going on.
    fn wake(&mut self, out: &mut Vec<Command>) {
        if self.run.is_some() {
            self.rerun = true;
            return;
        }
        self.rerun = false;
        self.run = Some(Run::starting());
        out.push(Command::StartRun);
    }

    /// Asks for fresh pending counts.
    fn count(&mut self, out: &mut Vec<Command>) {
        self.counts.0 += 1;
        out.push(Command::CountPending {
            ticket: self.counts.0,
        });
    }

    fn counted(
        &mut self,
        ticket: u64,
        records: u32,
        images: u32,
        at: Moment,
        out: &mut Vec<Command>,
    ) {
        // The phone's storage runs reads in the order they were made, so a later read has seen
        // at least as much as an earlier one.
        if ticket > self.counts.1 {
            self.counts.1 = ticket;
            self.view.pending = records;
            self.view.pending_images = images;
        }
        self.step(
            Event::Counted {
                ticket,
                records,
                images,
            },
            at,
            out,
        );
    }

    fn arm(&mut self, timer: Timer, ms: u64, out: &mut Vec<Command>) {
        if !self.armed.contains(&timer) {
            self.armed.push(timer);
            out.push(Command::Wait { timer, ms });
        }
    }
}

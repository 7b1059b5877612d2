//! One run under the upload lock: settle what an unanswered push may have stored (asking acks),
//! push the outbox batch by batch, pull the change feed page by page, upload images; a revoked
//! phone hands its records over and erases once nothing waits.

use super::images::{ImageStep, Images};
use super::timing::{MAX_PAGES_PER_RUN, OTHER_TAB_RETRY_MS};
use super::{Answer, Changed, Command, Engine, Event, Failure, Moment, Problem, Start, Timer};
use crate::wire::feed::Standing;
use crate::wire::protocol::settles;
use crate::wire::upload::{AcksQuery, MAX_BATCH_OPS, Op, PushRequest, PushResponse};

#[derive(Debug, Clone)]
pub(super) struct Run {
    step: Step,
    /// The server kept a batch for review: this phone was revoked; the rest goes the same way.
    revoked: bool,
    /// The operation numbers to tell the feed, and whether a page asked for everything again.
    acked: Option<u64>,
    resend: Resend,
}

/// A restored server asks for the phone's records again (`PullResponse::resend`): once per run,
/// the run goes back to its outbox after the download, so they reach the server now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Resend {
    No,
    Asked,
    Done,
}

/// What the run waits for.
#[derive(Debug, Clone)]
enum Step {
    Starting,
    /// The outbox, to ask the server what an unanswered push stored.
    AcksOutbox,
    Acks(Vec<Op>),
    /// The acks settled; `more` when a full page may hide more behind it.
    AcksSettled {
        more: bool,
        files: Changed,
    },
    /// The outbox, to push its next batch.
    Outbox,
    Pushed(Vec<Op>),
    PushSettled(Changed),
    Cursor,
    Pulled {
        pages: usize,
    },
    PageApplied {
        next: Option<crate::wire::feed::Cursor>,
        pages: usize,
        changed: Changed,
    },
    Images(Images),
    /// How many records of any account still wait, before erasing.
    EraseCount {
        ticket: u64,
    },
    Erasing,
}

impl Run {
    pub(super) fn starting() -> Run {
        Run {
            step: Step::Starting,
            revoked: false,
            acked: None,
            resend: Resend::No,
        }
    }

    /// Whether the run waits for a count of what the phone still holds.
    pub(super) fn counting(&self) -> bool {
        matches!(self.step, Step::EraseCount { .. })
    }
}

/// How a step ended.
enum Next {
    Go(Step),
    Done,
    Fail(Failure),
    Storage(String),
    /// Revoked and everything handed over (or kept for another account): no retry.
    Stop,
    /// The run never got the lock or the credentials: nothing to release.
    NotStarted,
}

impl Engine {
    /// Feeds an answer to the run waiting for it. An answer nothing waits for (a late one) is
    /// dropped.
    pub(super) fn step(&mut self, event: Event, at: Moment, out: &mut Vec<Command>) {
        let Some(mut run) = self.run.take() else {
            return;
        };
        if matches!(event, Event::Answer(_)) {
            self.view.last_heard = Some(at.now);
        }
        let step = std::mem::replace(&mut run.step, Step::Starting);
        let next = match (step, event) {
            (_, Event::StorageFailed(why)) => Next::Storage(why),
            (Step::Starting, Event::RunStart(start)) => self.started(start, at, out),
            (Step::AcksOutbox, Event::Outbox(ops)) => match ops.first() {
                None => self.settled_unanswered(out),
                Some(first) => {
                    out.push(Command::AskAcks(AcksQuery {
                        device_id: self.device_id,
                        after: first.seq.saturating_sub(1),
                    }));
                    Next::Go(Step::Acks(ops))
                }
            },
            (Step::Acks(ops), Event::Answer(Answer::Acks(page))) => {
                let full = page.acks.len() >= MAX_BATCH_OPS;
                if let Some(files) = self.settle(&ops, &page, out) {
                    Next::Go(Step::AcksSettled { more: full, files })
                } else {
                    self.settled_unanswered(out)
                }
            }
            (Step::AcksSettled { more: true, files }, Event::Written) => {
                self.settled(at, files, out);
                // Each round settles at least one operation, so this ends.
                out.push(self.read_outbox());
                Next::Go(Step::AcksOutbox)
            }
            (Step::AcksSettled { files, .. }, Event::Written) => {
                self.settled(at, files, out);
                self.settled_unanswered(out)
            }
            (Step::Outbox, Event::Outbox(ops)) if ops.is_empty() => {
                if run.revoked {
                    self.count_before_erase(out)
                } else {
                    out.push(Command::ReadCursor);
                    Next::Go(Step::Cursor)
                }
            }
            (Step::Outbox, Event::Outbox(ops)) => {
                // Without the mark, an answer lost on the way would make the next run send this
                // batch again without asking first what the server stored.
                out.push(Command::MarkInFlight);
                out.push(Command::Push(PushRequest {
                    device_id: self.device_id,
                    ops: ops.clone(),
                    device_time: at.now,
                }));
                Next::Go(Step::Pushed(ops))
            }
            (Step::Pushed(ops), Event::Answer(Answer::Pushed(response))) => {
                if let Some(files) = self.settle(&ops, &response, out) {
                    run.revoked |= response.erase;
                    Next::Go(Step::PushSettled(files))
                } else {
                    // Sending the same batch again would get the same answer: wait and retry.
                    Next::Fail(Failure::Server(
                        "the server acknowledged none of the batch".into(),
                    ))
                }
            }
            (Step::PushSettled(files), Event::Written) => {
                self.settled(at, files, out);
                out.push(Command::ClearInFlight);
                out.push(self.read_outbox());
                Next::Go(Step::Outbox)
            }
            (Step::Cursor, Event::Cursor(standing)) => {
                run.acked = standing.acked;
                out.push(Command::Pull(standing));
                Next::Go(Step::Pulled { pages: 1 })
            }
            (Step::Pulled { pages }, Event::Answer(Answer::Pulled(page))) => {
                if page.resend && run.resend == Resend::No {
                    run.resend = Resend::Asked;
                }
                // A guard against a server that always answers "more": the rest waits.
                let next = (page.more && pages < MAX_PAGES_PER_RUN).then(|| page.cursor.clone());
                let changed = if page.reset {
                    Changed::Everything
                } else {
                    let files = page.files.iter().map(|f| &f.id);
                    Changed::files(files.chain(page.records.iter().map(|r| &r.file_id)))
                };
                out.push(Command::ApplyPull(page));
                Next::Go(Step::PageApplied {
                    next,
                    pages,
                    changed,
                })
            }
            (Step::Pulled { .. }, Event::Failed(Failure::Revoked)) => {
                run.revoked = true;
                out.push(self.read_outbox());
                Next::Go(Step::Outbox)
            }
            (
                Step::PageApplied {
                    next,
                    pages,
                    changed,
                },
                Event::Written,
            ) => {
                out.push(Command::Changed(changed));
                match next {
                    Some(cursor) => {
                        out.push(Command::Pull(Standing {
                            cursor: Some(cursor),
                            acked: run.acked,
                        }));
                        Next::Go(Step::Pulled { pages: pages + 1 })
                    }
                    None if run.resend == Resend::Asked => {
                        run.resend = Resend::Done;
                        out.push(self.read_outbox());
                        Next::Go(Step::Outbox)
                    }
                    None => {
                        out.push(Command::ListImages);
                        Next::Go(Step::Images(Images::listing()))
                    }
                }
            }
            (Step::Images(images), event) => {
                // Only marking an image uploaded writes: one fewer waits.
                if event == Event::Written {
                    self.count(out);
                }
                match images.on(event) {
                    ImageStep::Go(images, command) => {
                        out.push(command);
                        Next::Go(Step::Images(images))
                    }
                    ImageStep::Done => Next::Done,
                    ImageStep::Fail(failure) => Next::Fail(failure),
                }
            }
            (
                Step::EraseCount { ticket },
                Event::Counted {
                    ticket: t, records, ..
                },
            ) if t == ticket => {
                if records == 0 {
                    out.push(Command::Erase);
                    Next::Go(Step::Erasing)
                } else {
                    self.view.problem = Some(Problem::Revoked);
                    Next::Stop
                }
            }
            (Step::Erasing, Event::Written) => Next::Stop,
            (_, Event::Failed(failure)) => Next::Fail(failure),
            (step, _) => Next::Go(step),
        };
        match next {
            Next::Go(step) => {
                run.step = step;
                self.run = Some(run);
            }
            Next::Done => self.succeeded(at, out),
            Next::Fail(failure) => self.failed(failure, at, out),
            Next::Storage(why) => {
                self.view.problem = Some(Problem::Storage(why));
                self.ended(out);
            }
            Next::Stop => self.ended(out),
            Next::NotStarted => self.run = None,
        }
    }

    fn started(&mut self, start: Start, at: Moment, out: &mut Vec<Command>) -> Next {
        match start {
            Start::Ready {
                upload_in_flight,
                device_id,
            } => {
                self.phone_locked = false;
                self.device_id = device_id;
                out.push(self.read_outbox());
                Next::Go(if upload_in_flight {
                    Step::AcksOutbox
                } else {
                    Step::Outbox
                })
            }
            Start::OtherTab => {
                // Jittered, so two waiting tabs do not keep colliding.
                let ms = (OTHER_TAB_RETRY_MS as f64 * (0.5 + at.random)) as u64;
                self.arm(Timer::OtherTab, ms, out);
                Next::NotStarted
            }
            Start::PhoneLocked => {
                self.phone_locked = true;
                Next::NotStarted
            }
            Start::NoToken => {
                self.view.problem = Some(Problem::SignedOut);
                Next::NotStarted
            }
        }
    }

    fn read_outbox(&self) -> Command {
        Command::ReadOutbox { max: self.batch }
    }

    /// Whatever the unanswered push stored is settled now: push the rest.
    fn settled_unanswered(&self, out: &mut Vec<Command>) -> Next {
        out.push(Command::ClearInFlight);
        out.push(self.read_outbox());
        Next::Go(Step::Outbox)
    }

    /// Settles the acknowledgements of `ops` in `response`; the files they belong to, or `None`
    /// if none matched.
    fn settle(
        &self,
        ops: &[Op],
        response: &PushResponse,
        out: &mut Vec<Command>,
    ) -> Option<Changed> {
        let matched = response
            .acks
            .iter()
            .any(|ack| ops.iter().any(|op| settles(op, ack)));
        if !matched {
            return None;
        }
        out.push(Command::Settle {
            ops: ops.to_vec(),
            acks: response.acks.clone(),
        });
        Some(Changed::files(ops.iter().map(|op| &op.record.file_id)))
    }

    /// A settle committed: records changed state and the count changed.
    fn settled(&mut self, at: Moment, files: Changed, out: &mut Vec<Command>) {
        self.view.last_upload = Some(at.now);
        out.push(Command::KeepLastUpload(at.now));
        out.push(Command::Changed(files));
        self.count(out);
    }

    fn count_before_erase(&mut self, out: &mut Vec<Command>) -> Next {
        self.count(out);
        Next::Go(Step::EraseCount {
            ticket: self.counts.0,
        })
    }
}

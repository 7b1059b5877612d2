//! The engine in virtual time: which commands each event gives. Here when it runs (foreground,
//! the tick's periodic pulls and their backoff, another tab's lock); `run.rs` how a run recovers,
//! `images.rs` how images go up.

mod images;
mod run;

use super::*;
use crate::checks::verdict::Outcome;
use crate::fixtures;
use crate::records::attachment::BlobRef;
use crate::wire::feed::{Cursor, PullResponse, Standing};
use crate::wire::upload::{Ack, Op, PushResponse};
use chrono::{DateTime, TimeDelta, Utc};
fn at(ms: i64) -> Moment {
    let start = DateTime::<Utc>::from_timestamp(1_800_000_000, 0).expect("a valid time");
    Moment {
        now: start + TimeDelta::milliseconds(ms),
        random: 0.5,
    }
}

fn op(seq: u64) -> Op {
    Op {
        seq,
        record: fixtures::note("f1", "u1"),
    }
}

fn ack(op: &Op) -> Ack {
    Ack {
        seq: op.seq,
        record_id: op.record.id,
        outcome: Outcome::Stored,
    }
}

fn page(more: bool) -> PullResponse {
    PullResponse {
        reset: false,
        files: vec![],
        records: vec![],
        cursor: Cursor("c".into()),
        more,
        server_time: at(0).now,
        resend: false,
    }
}

/// The upload lock taken, for this test's device.
fn ready(upload_in_flight: bool) -> Start {
    Start::Ready {
        upload_in_flight,
        device_id: DEVICE,
    }
}

const DEVICE: DeviceId = DeviceId(uuid::Uuid::from_u128(7));

fn engine() -> Engine {
    Engine::new(DEVICE, None)
}

fn starts_run(commands: &[Command]) -> bool {
    commands.contains(&Command::StartRun)
}

/// Starts the run asked for at `ms` with nothing to upload, up to its pull.
fn at_pull(e: &mut Engine, ms: i64) -> Vec<Command> {
    e.handle(Event::RunStart(ready(false)), at(ms));
    e.handle(Event::Outbox(vec![]), at(ms));
    e.handle(Event::Cursor(Standing::default()), at(ms))
}

/// Carries a run with nothing to upload through to its end at `ms`, answering a pull.
fn good_run_at(e: &mut Engine, ms: i64) -> Vec<Command> {
    at_pull(e, ms);
    e.handle(Event::Answer(Answer::Pulled(page(false))), at(ms));
    e.handle(Event::Written, at(ms));
    e.handle(Event::Images(vec![]), at(ms))
}

fn opened() -> Engine {
    let mut e = engine();
    let out = e.handle(
        Event::Opened {
            online: true,
            visible: true,
        },
        at(0),
    );
    assert!(out.contains(&Command::Wait {
        timer: Timer::Tick,
        ms: TICK_MS
    }));
    assert!(starts_run(&out));
    let end = good_run_at(&mut e, 0);
    assert!(end.contains(&Command::EndRun), "{end:?}");
    assert!(!e.is_running());
    e
}

#[test]
fn returning_to_the_foreground_pulls_with_nothing_to_upload() {
    let mut e = opened();
    assert_eq!(e.view().last_heard, Some(at(0).now));
    e.handle(Event::Background, at(1_000));
    let out = e.handle(Event::Foreground, at(30_000));
    assert!(starts_run(&out), "{out:?}");
    e.handle(Event::RunStart(ready(false)), at(30_000));
    e.handle(Event::Outbox(vec![]), at(30_000));
    let standing = Standing {
        cursor: Some(Cursor("c".into())),
        acked: Some(4),
    };
    let out = e.handle(Event::Cursor(standing.clone()), at(30_000));
    assert_eq!(out, vec![Command::Pull(standing)]);
    e.handle(Event::Answer(Answer::Pulled(page(false))), at(31_000));
    assert_eq!(e.view().last_heard, Some(at(31_000).now));
}

#[test]
fn a_restored_server_gets_the_phones_records_again_in_the_same_run_once() {
    let mut e = opened();
    assert!(starts_run(&e.handle(Event::UploadNow, at(10_000))));
    at_pull(&mut e, 10_000);
    let restored = PullResponse {
        reset: true,
        resend: true,
        ..page(false)
    };
    e.handle(Event::Answer(Answer::Pulled(restored.clone())), at(10_000));
    let out = e.handle(Event::Written, at(10_000));
    assert!(
        out.iter().any(|c| matches!(c, Command::ReadOutbox { .. })),
        "the requeued records go up before the run ends: {out:?}"
    );
    // The store put them back in the outbox: they are pushed, then the feed is read again.
    let requeued = vec![op(1), op(2)];
    let out = e.handle(Event::Outbox(requeued.clone()), at(10_000));
    assert!(out.iter().any(|c| matches!(c, Command::Push(_))), "{out:?}");
    let acks: Vec<Ack> = requeued.iter().map(ack).collect();
    e.handle(
        Event::Answer(Answer::Pushed(PushResponse { acks, erase: false })),
        at(10_000),
    );
    e.handle(Event::Written, at(10_000));
    e.handle(Event::Outbox(vec![]), at(10_000));
    let standing = Standing {
        cursor: Some(Cursor("c".into())),
        acked: Some(2),
    };
    let out = e.handle(Event::Cursor(standing.clone()), at(10_000));
    assert_eq!(out, vec![Command::Pull(standing)]);
    // A server that keeps asking is not followed round in circles within one run.
    e.handle(Event::Answer(Answer::Pulled(restored)), at(10_000));
    let out = e.handle(Event::Written, at(10_000));
    assert!(out.contains(&Command::ListImages), "{out:?}");
}

#[test]
fn the_tick_pulls_every_few_minutes_only_while_open_online_and_unlocked() {
    let mut e = opened();
    let tick = |e: &mut Engine, ms: i64| starts_run(&e.handle(Event::Timer(Timer::Tick), at(ms)));
    assert!(
        !tick(&mut e, 60_000),
        "nothing waits and the last pull is fresh"
    );
    assert!(
        tick(&mut e, FRESH_EVERY_MS as i64),
        "due after a few minutes"
    );
    good_run_at(&mut e, FRESH_EVERY_MS as i64);

    let later = 2 * FRESH_EVERY_MS as i64;
    e.handle(Event::Background, at(later));
    assert!(!tick(&mut e, later), "not while in the background");
    e.handle(Event::Offline, at(later));
    e.handle(Event::Foreground, at(later));
    at_pull(&mut e, later);
    e.handle(Event::Failed(Failure::Offline), at(later));
    let even_later = 10 * FRESH_EVERY_MS as i64;
    assert!(!tick(&mut e, even_later), "not while offline");
    e.handle(Event::Online, at(even_later));
    e.handle(Event::RunStart(Start::PhoneLocked), at(even_later));
    assert!(!tick(&mut e, even_later + 60_000), "not while locked");
    let out = e.handle(Event::Unlocked, at(even_later + 70_000));
    assert!(starts_run(&out), "unlocking runs");
}

#[test]
fn periodic_pulls_back_off_while_they_fail_and_stay_bounded() {
    let mut e = opened();
    let mut now = 0;
    let mut gaps = Vec::new();
    for _ in 0..6 {
        // Wait for the next tick that starts a run, a minute at a time.
        let started = now;
        loop {
            now += TICK_MS as i64;
            if starts_run(&e.handle(Event::Timer(Timer::Tick), at(now))) {
                break;
            }
        }
        gaps.push((now - started) / 60_000);
        at_pull(&mut e, now);
        // The retry timer this sets is left unfired: only the tick's pulls are measured.
        e.handle(Event::Failed(Failure::Server("503".into())), at(now));
    }
    assert_eq!(
        gaps,
        vec![5, 10, 20, 40, 40, 40],
        "minutes between periodic pulls"
    );
    assert_eq!(e.view().problem, Some(Problem::Server));
}

#[test]
fn a_tab_that_finds_the_upload_lock_taken_looks_again_after_a_jittered_wait() {
    let mut e = engine();
    e.handle(Event::UploadNow, at(0));
    let out = e.handle(Event::RunStart(Start::OtherTab), at(0));
    assert_eq!(
        out,
        vec![Command::Wait {
            timer: Timer::OtherTab,
            ms: OTHER_TAB_RETRY_MS
        }]
    );
    assert!(!e.view().busy);
    e.handle(Event::UploadNow, at(10));
    let again = e.handle(Event::RunStart(Start::OtherTab), at(10));
    assert!(again.is_empty(), "one wait at a time: {again:?}");
    assert!(starts_run(
        &e.handle(Event::Timer(Timer::OtherTab), at(3_000))
    ));
}

fn retry(attempt: u32) -> u64 {
    crate::wire::retry::retry_delay_ms(attempt, 0.5)
}

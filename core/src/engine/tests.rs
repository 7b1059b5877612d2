//! The engine's timing and recovery, in virtual time: which commands each event gives.

use super::*;
use crate::checks::verdict::Outcome;
use crate::fixtures;
use crate::records::attachment::BlobRef;
use crate::wire::feed::{Cursor, PullResponse};
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
    e.handle(Event::Cursor(None), at(ms))
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
    let out = e.handle(Event::Cursor(Some(Cursor("c".into()))), at(30_000));
    assert_eq!(
        out,
        vec![Command::Pull {
            cursor: Some(Cursor("c".into()))
        }]
    );
    e.handle(Event::Answer(Answer::Pulled(page(false))), at(31_000));
    assert_eq!(e.view().last_heard, Some(at(31_000).now));
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

#[test]
fn an_unanswered_push_is_settled_through_acks_before_anything_is_resent() {
    let mut e = engine();
    let (first, second) = (op(1), op(2));
    e.handle(Event::UploadNow, at(0));
    let out = e.handle(Event::RunStart(ready(true)), at(0));
    assert_eq!(out, vec![Command::ReadOutbox { max: MAX_BATCH_OPS }]);
    let out = e.handle(Event::Outbox(vec![first.clone(), second.clone()]), at(0));
    assert!(
        matches!(&out[..], [Command::AskAcks(q)] if q.after == 0),
        "{out:?}"
    );
    let answer = PushResponse {
        acks: vec![ack(&first)],
        erase: false,
    };
    let out = e.handle(Event::Answer(Answer::Acks(answer)), at(0));
    assert!(matches!(&out[0], Command::Settle { acks, .. } if acks == &vec![ack(&first)]));
    assert_eq!(
        e.view().last_upload,
        None,
        "not settled before the write commits"
    );
    let out = e.handle(Event::Written, at(0));
    assert_eq!(
        out,
        vec![
            Command::KeepLastUpload(at(0).now),
            Command::Changed(Changed::files([
                &first.record.file_id,
                &second.record.file_id
            ])),
            Command::CountPending { ticket: 1 },
            Command::ClearInFlight,
            Command::ReadOutbox { max: MAX_BATCH_OPS }
        ]
    );
    let out = e.handle(Event::Outbox(vec![second.clone()]), at(0));
    assert_eq!(out[0], Command::MarkInFlight);
    assert!(matches!(&out[1], Command::Push(p) if p.ops == vec![second.clone()]));
}

#[test]
fn a_push_the_server_acknowledged_none_of_is_retried_later_not_at_once() {
    let mut e = engine();
    e.handle(Event::UploadNow, at(0));
    e.handle(Event::RunStart(ready(false)), at(0));
    e.handle(Event::Outbox(vec![op(1)]), at(0));
    let stranger = ack(&op(1));
    let out = e.handle(
        Event::Answer(Answer::Pushed(PushResponse {
            acks: vec![stranger],
            erase: false,
        })),
        at(0),
    );
    assert!(!out.iter().any(|c| matches!(c, Command::Settle { .. })));
    assert!(
        out.contains(&Command::Wait {
            timer: Timer::Retry,
            ms: retry(0)
        }),
        "{out:?}"
    );
    assert_eq!(e.view().problem, Some(Problem::Server));
    // Back online, the backoff starts over: the next failure waits the first delay again.
    e.handle(Event::Online, at(1));
    fail_a_run(&mut e, 1);
    let out = e.handle(Event::Timer(Timer::Retry), at(2));
    assert!(starts_run(&out));
    let out = fail_a_run(&mut e, 2);
    assert!(
        out.contains(&Command::Wait {
            timer: Timer::Retry,
            ms: retry(0)
        }),
        "{out:?}"
    );
}

/// A run (already asked for) that finds the link gone at its pull.
fn fail_a_run(e: &mut Engine, ms: i64) -> Vec<Command> {
    at_pull(e, ms);
    e.handle(Event::Failed(Failure::Offline), at(ms))
}

fn retry(attempt: u32) -> u64 {
    crate::wire::retry::retry_delay_ms(attempt, 0.5)
}

#[test]
fn a_save_during_a_run_makes_another_run_follow() {
    let mut e = engine();
    e.handle(Event::UploadNow, at(0));
    e.handle(Event::Saved, at(1));
    let end = good_run_at(&mut e, 2);
    assert!(starts_run(&end), "{end:?}");
}

#[test]
fn a_revoked_phone_hands_over_then_erases_only_when_nothing_waits() {
    for (left, erased) in [(0, true), (3, false)] {
        let mut e = engine();
        e.handle(Event::UploadNow, at(0));
        e.handle(Event::RunStart(ready(false)), at(0));
        let sent = op(1);
        e.handle(Event::Outbox(vec![sent.clone()]), at(0));
        let response = PushResponse {
            acks: vec![ack(&sent)],
            erase: true,
        };
        e.handle(Event::Answer(Answer::Pushed(response)), at(0));
        e.handle(Event::Written, at(0));
        let out = e.handle(Event::Outbox(vec![]), at(0));
        let Some(Command::CountPending { ticket }) = out.last().cloned() else {
            panic!("no count before erasing: {out:?}");
        };
        let out = e.handle(
            Event::Counted {
                ticket,
                records: left,
                images: 0,
            },
            at(0),
        );
        assert_eq!(
            out.contains(&Command::Erase),
            erased,
            "{left} left: {out:?}"
        );
        assert_eq!(e.view().problem == Some(Problem::Revoked), !erased);
    }
}

fn image(size: u64) -> BlobRef {
    BlobRef {
        sha256: "ab".repeat(32),
        mime: "image/jpeg".into(),
        size,
    }
}

fn status(received: u64, complete: bool) -> Event {
    Event::Answer(Answer::ImageStatus(UploadStatus {
        received,
        size: None,
        complete,
    }))
}

/// A run at the images step with one image of `size` bytes, the server holding `held`.
fn at_images(size: u64, held: u64) -> (Engine, Vec<Command>) {
    let mut e = engine();
    e.handle(Event::UploadNow, at(0));
    at_pull(&mut e, 0);
    e.handle(Event::Answer(Answer::Pulled(page(false))), at(0));
    e.handle(Event::Written, at(0));
    let out = e.handle(Event::Images(vec![image(size)]), at(0));
    assert_eq!(out, vec![Command::ReadImage(image(size))]);
    e.handle(Event::ImageRead { size: Some(size) }, at(0));
    let out = e.handle(status(held, false), at(0));
    (e, out)
}

#[test]
fn an_image_resumes_from_where_the_server_stands() {
    let size = 3 * PIECE_BYTES;
    let (mut e, out) = at_images(size, PIECE_BYTES + 10);
    assert_eq!(
        out,
        vec![Command::PutPiece {
            image: image(size),
            offset: PIECE_BYTES + 10,
            end: 2 * PIECE_BYTES + 10
        }]
    );
    // A dropped piece: ask again and go on.
    let out = e.handle(Event::Failed(Failure::Offline), at(1));
    assert!(matches!(&out[..], [Command::AskImageStatus { .. }]));
    let out = e.handle(status(2 * PIECE_BYTES, false), at(2));
    assert!(matches!(&out[..], [Command::PutPiece { offset, .. }] if *offset == 2 * PIECE_BYTES));
    let done = UploadStatus {
        received: size,
        size: Some(size),
        complete: true,
    };
    let out = e.handle(
        Event::Answer(Answer::Piece(PieceAnswer::Stored(done))),
        at(3),
    );
    assert!(
        matches!(out[0], Command::MarkImageUploaded { .. }),
        "{out:?}"
    );
    let out = e.handle(Event::Written, at(3));
    assert!(
        out.contains(&Command::EndRun) && e.view().problem.is_none(),
        "{out:?}"
    );
}

#[test]
fn an_image_gives_up_after_two_drops_in_a_row_and_is_retried_later() {
    let (mut e, _) = at_images(PIECE_BYTES * 2, 0);
    e.handle(Event::Failed(Failure::Offline), at(1));
    let out = e.handle(Event::Failed(Failure::Offline), at(2));
    assert!(out.contains(&Command::EndRun), "{out:?}");
    assert!(out.contains(&Command::Wait {
        timer: Timer::Retry,
        ms: retry(0)
    }));
    assert!(starts_run(&e.handle(Event::Timer(Timer::Retry), at(5_000))));
}

#[test]
fn a_damaged_image_is_sent_once_more_from_the_start_then_refused() {
    let (mut e, _) = at_images(10, 0);
    let out = e.handle(
        Event::Answer(Answer::Piece(PieceAnswer::HashMismatch)),
        at(1),
    );
    assert!(
        matches!(
            &out[..],
            [Command::PutPiece {
                offset: 0,
                end: 10,
                ..
            }]
        ),
        "{out:?}"
    );
    let out = e.handle(
        Event::Answer(Answer::Piece(PieceAnswer::HashMismatch)),
        at(2),
    );
    assert!(out.contains(&Command::EndRun));
    assert_eq!(e.view().problem, Some(Problem::Server));
}

#[test]
fn pulling_stops_at_the_page_bound_and_a_revoked_pull_hands_over() {
    let mut e = engine();
    e.handle(Event::UploadNow, at(0));
    at_pull(&mut e, 0);
    let mut pulls = 1;
    loop {
        e.handle(Event::Answer(Answer::Pulled(page(true))), at(0));
        let out = e.handle(Event::Written, at(0));
        if !out.iter().any(|c| matches!(c, Command::Pull { .. })) {
            assert!(out.contains(&Command::ListImages));
            break;
        }
        pulls += 1;
    }
    assert_eq!(pulls, MAX_PAGES_PER_RUN);

    let mut e = engine();
    e.handle(Event::UploadNow, at(0));
    at_pull(&mut e, 0);
    let out = e.handle(Event::Failed(Failure::Revoked), at(0));
    assert_eq!(out, vec![Command::ReadOutbox { max: MAX_BATCH_OPS }]);
}

#[test]
fn a_run_speaks_for_the_device_its_start_names() {
    // A sign-in after the app opened may have given the phone another device id.
    let mut e = engine();
    let signed_in = DeviceId(uuid::Uuid::from_u128(8));
    e.handle(Event::UploadNow, at(0));
    let start = Start::Ready {
        upload_in_flight: false,
        device_id: signed_in,
    };
    e.handle(Event::RunStart(start), at(0));
    let out = e.handle(Event::Outbox(vec![op(1)]), at(0));
    assert!(
        matches!(&out[1], Command::Push(p) if p.device_id == signed_in),
        "{out:?}"
    );
}

//! How a run recovers: acks after an unanswered push, a batch nobody acknowledged, a revoked
//! phone, the page bound, the device a run speaks for.

use super::*;

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

//! Images going up: resuming from the server's offset, giving up, retrying.

use super::*;

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

//! Images in a run: after the records went up and came down, each image of the phone's own goes up
//! in pieces from wherever the server stopped, so a link that drops every few hundred kilobytes
//! still gets a photo through and no byte the server holds is sent again.

use super::{Answer, Command, Event, Failure};
use crate::records::attachment::BlobRef;
use serde::Deserialize;

/// One request's worth of an image: a few seconds on a weak village link, so a drop costs little.
/// (The server takes pieces of up to 512 KiB.)
pub const PIECE_BYTES: u64 = 256 * 1024;

/// How much of an image the server holds (`GET /api/blobs/{sha256}/upload`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct UploadStatus {
    /// Bytes stored so far: where the next piece starts.
    pub received: u64,
    pub size: Option<u64>,
    /// Every byte arrived and hashed to the image's name.
    pub complete: bool,
}

/// The server's answer to one piece.
#[derive(Debug, Clone, PartialEq)]
pub enum PieceAnswer {
    Stored(UploadStatus),
    /// The server holds another amount than the piece assumed: go on from `received`.
    WrongOffset {
        received: u64,
    },
    /// The whole image did not hash to its name; the server discarded everything.
    HashMismatch,
}

/// The images still to go up in this run and the one going up now.
#[derive(Debug, Clone)]
pub(super) struct Images {
    queue: Vec<BlobRef>,
    current: Option<Sending>,
}

#[derive(Debug, Clone)]
struct Sending {
    image: BlobRef,
    size: u64,
    at: UploadStatus,
    /// The server found the image damaged once and it is being sent again from the start.
    restarted: bool,
    /// A piece got through since the last drop: a flaky link, not a gone one.
    got_through: bool,
    /// Every step stores a piece or resynchronises; this bound only stops a server that keeps
    /// answering without taking anything.
    steps_left: u64,
}

pub(super) enum ImageStep {
    Go(Images, Command),
    Done,
    Fail(Failure),
}

impl Images {
    pub(super) fn listing() -> Images {
        Images {
            queue: Vec::new(),
            current: None,
        }
    }

    pub(super) fn on(mut self, event: Event) -> ImageStep {
        match event {
            Event::Images(mut list) => {
                // Taken from the end: keep the phone's order.
                list.reverse();
                self.queue = list;
                self.next_image()
            }
            Event::ImageRead { size: None } => self.next_image(),
            Event::ImageRead { size: Some(size) } => {
                let Some(image) = self.queue.pop() else {
                    return ImageStep::Done;
                };
                let sha256 = image.sha256.clone();
                self.current = Some(Sending {
                    image,
                    size,
                    at: UploadStatus {
                        received: 0,
                        size: None,
                        complete: false,
                    },
                    restarted: false,
                    got_through: true,
                    steps_left: 4 * (size / PIECE_BYTES + 1) + 8,
                });
                ImageStep::Go(self, Command::AskImageStatus { sha256 })
            }
            Event::Answer(Answer::ImageStatus(status)) => self.with_current(|s| {
                s.at = status;
                Ok(())
            }),
            Event::Answer(Answer::Piece(answer)) => self.with_current(|s| s.piece(answer)),
            Event::Failed(Failure::Offline)
                if self.current.as_ref().is_some_and(|s| s.got_through) =>
            {
                // A dropped piece: ask where the server stands and go on at once. Two drops in
                // a row end the run; the usual backoff retries.
                let Some(sending) = self.current.as_mut() else {
                    return ImageStep::Done;
                };
                sending.got_through = false;
                let sha256 = sending.image.sha256.clone();
                ImageStep::Go(self, Command::AskImageStatus { sha256 })
            }
            Event::Failed(failure) => ImageStep::Fail(failure),
            Event::Written => {
                self.current = None;
                self.next_image()
            }
            _ => ImageStep::Fail(Failure::Server("unexpected answer during images".into())),
        }
    }

    fn next_image(self) -> ImageStep {
        match self.queue.last() {
            None => ImageStep::Done,
            Some(image) => {
                let command = Command::ReadImage(image.clone());
                ImageStep::Go(self, command)
            }
        }
    }

    /// Updates the image going up with an answer, then says what to send next.
    fn with_current(
        mut self,
        update: impl FnOnce(&mut Sending) -> Result<(), Failure>,
    ) -> ImageStep {
        let Some(sending) = self.current.as_mut() else {
            return ImageStep::Fail(Failure::Server("no image is going up".into()));
        };
        if let Err(failure) = update(sending) {
            return ImageStep::Fail(failure);
        }
        match sending.next() {
            Ok(command) => ImageStep::Go(self, command),
            Err(failure) => ImageStep::Fail(failure),
        }
    }
}

impl Sending {
    fn piece(&mut self, answer: PieceAnswer) -> Result<(), Failure> {
        match answer {
            PieceAnswer::Stored(now) => {
                self.got_through = true;
                self.at = now;
            }
            PieceAnswer::WrongOffset { received } => self.at.received = received,
            PieceAnswer::HashMismatch if !self.restarted => {
                // The phone hashed these very bytes, so this should not happen; once more from
                // the start, in case something on the way damaged a piece.
                self.restarted = true;
                self.at = UploadStatus {
                    received: 0,
                    size: None,
                    complete: false,
                };
            }
            PieceAnswer::HashMismatch => {
                return Err(Failure::Server(
                    "the server refuses the image's hash".into(),
                ));
            }
        }
        Ok(())
    }

    /// The next request for this image, or marking it uploaded once complete.
    fn next(&mut self) -> Result<Command, Failure> {
        if self.at.complete {
            return Ok(Command::MarkImageUploaded {
                sha256: self.image.sha256.clone(),
            });
        }
        self.steps_left = self
            .steps_left
            .checked_sub(1)
            .ok_or_else(|| Failure::Server("the server takes no more of the image".into()))?;
        let offset = self.at.received.min(self.size);
        let end = (offset + PIECE_BYTES).min(self.size);
        if offset == end {
            // All sent but not complete: ask again rather than send an empty piece.
            return Ok(Command::AskImageStatus {
                sha256: self.image.sha256.clone(),
            });
        }
        Ok(Command::PutPiece {
            image: self.image.clone(),
            offset,
            end,
        })
    }
}

//! The engine's vocabulary: the events it takes, the commands it gives and what it shows.

use super::images::{PieceAnswer, UploadStatus};
use crate::base::ids::{DeviceId, FileId};
use crate::records::attachment::BlobRef;
use crate::wire::feed::{PullResponse, Standing};
use crate::wire::upload::{Ack, AcksQuery, Op, PushRequest, PushResponse};
use chrono::{DateTime, Utc};

/// When an event happens, and a random number in [0, 1) for jitter: the engine reads no clock
/// and draws no randomness of its own.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Moment {
    pub now: DateTime<Utc>,
    pub random: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// The app started; the browser says whether it is online and on screen.
    Opened {
        online: bool,
        visible: bool,
    },
    /// A record (and its outbox entry) was saved on the phone.
    Saved,
    /// The user tapped 立即上传 (or signed in, or unlocked through a page that asks for a run).
    UploadNow,
    Online,
    Offline,
    /// The app came back on screen (`visibilitychange` to visible).
    Foreground,
    Background,
    /// The PIN opened the phone's data.
    Unlocked,
    /// The phone's data was locked (PIN lock, sign-out).
    Locked,
    /// Another tab of the app wrote its upload marks.
    OtherTab {
        last_upload: Option<DateTime<Utc>>,
    },
    /// A timer set by `Command::Wait` fired.
    Timer(Timer),
    /// The answer to `Command::StartRun`.
    RunStart(Start),
    /// The answer to `Command::ReadOutbox`: the signed-in account's oldest operations, in seq order.
    Outbox(Vec<Op>),
    /// The answer to `Command::ReadCursor`: the stored cursor and the last acknowledged
    /// operation.
    Cursor(Standing),
    /// The answer to `Command::ListImages`: the phone's images whose records the server accepted.
    Images(Vec<BlobRef>),
    /// The answer to `Command::ReadImage`: its size, or `None` if the phone no longer has it.
    ImageRead {
        size: Option<u64>,
    },
    /// The answer to `Command::CountPending`.
    Counted {
        ticket: u64,
        records: u32,
        images: u32,
    },
    /// `Command::CountPending` failed: the phone's storage cannot be read.
    CountFailed(String),
    /// A storage write (`Settle`, `ApplyPull`, `MarkImageUploaded`, `Erase`) committed.
    Written,
    /// A storage command failed; the message is shown.
    StorageFailed(String),
    /// The server answered a request.
    Answer(Answer),
    /// A request got no usable answer.
    Failed(Failure),
}

/// The server's answer to each kind of request.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    Pushed(PushResponse),
    Acks(PushResponse),
    Pulled(PullResponse),
    ImageStatus(UploadStatus),
    Piece(PieceAnswer),
}

/// Why a request got no usable answer.
#[derive(Debug, Clone, PartialEq)]
pub enum Failure {
    /// No connection, or no answer in time: the server may or may not have acted.
    Offline,
    /// The session ended (401).
    SignedOut,
    /// An administrator revoked this phone.
    Revoked,
    /// The server refused or answered something unreadable.
    Server(String),
}

/// What came of `Command::StartRun`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Start {
    /// The upload lock is held; `upload_in_flight` is the mark left by a push that never settled,
    /// `device_id` the phone the signed-in session speaks for (a sign-in may have changed it).
    Ready {
        upload_in_flight: bool,
        device_id: DeviceId,
    },
    /// Another tab holds the upload lock.
    OtherTab,
    /// No credentials: the phone is locked (the token is sealed) or nobody signed in.
    PhoneLocked,
    /// Open, but without a token (an upgraded phone): records wait for a password sign-in.
    NoToken,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Timer {
    /// Retry after a failed run (backoff with jitter).
    Retry,
    /// Look again after another tab held the upload lock.
    OtherTab,
    /// The minute tick: upload what waits, pull when due.
    Tick,
}

/// What the engine asks its shell to do.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// Check the credentials and take the upload lock; answer `RunStart`.
    StartRun,
    /// Release the upload lock: the run is over.
    EndRun,
    /// Read the oldest `max` operations of the signed-in account's outbox; answer `Outbox`.
    ReadOutbox {
        max: usize,
    },
    /// Keep the mark "a push may have arrived without its answer" (before `Push`).
    MarkInFlight,
    ClearInFlight,
    Push(PushRequest),
    AskAcks(AcksQuery),
    /// Settle these acknowledgements of these operations in one transaction; answer `Written`.
    Settle {
        ops: Vec<Op>,
        acks: Vec<Ack>,
    },
    /// Keep the time of the last upload (for other tabs and the next start).
    KeepLastUpload(DateTime<Utc>),
    ReadCursor,
    /// Ask the change feed after `cursor`; answer `Answer::Pulled`.
    Pull(Standing),
    /// Store the page and its cursor in one transaction; answer `Written`. A page with
    /// `resend` first puts every record the phone saved and the server acknowledged back into
    /// the outbox (still marked as saved on the phone), so none is dropped by the reset.
    ApplyPull(PullResponse),
    ListImages,
    /// Load the image's bytes for the pieces that follow; answer `ImageRead`.
    ReadImage(BlobRef),
    AskImageStatus {
        sha256: String,
    },
    /// Send the loaded image's bytes `offset..end`; answer `Answer::Piece`.
    PutPiece {
        image: BlobRef,
        offset: u64,
        end: u64,
    },
    MarkImageUploaded {
        sha256: String,
    },
    /// Count records and images waiting; answer `Counted` with the ticket.
    CountPending {
        ticket: u64,
    },
    /// Records or files on the phone changed: the views showing them read them again.
    Changed(Changed),
    /// Erase everything on the phone (a revoked phone that handed everything over).
    Erase,
    /// Background refreshes after a good run; their failures change nothing here.
    RefreshRules,
    RefreshTeam,
    FetchMissingImages,
    /// Fire `Event::Timer(timer)` after `ms` milliseconds.
    Wait {
        timer: Timer,
        ms: u64,
    },
}

/// Something the user has to know about the phone's sync.
#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    /// The session ended; records stay on the phone until the user signs in again.
    SignedOut,
    /// The server refused or failed; retried with backoff.
    Server,
    /// The phone's storage failed.
    Storage(String),
    /// This phone was revoked; records of other accounts still wait, so nothing was erased.
    Revoked,
}

/// The engine's state as the status line shows it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct View {
    pub online: bool,
    /// Records saved on the phone and not yet acknowledged by the server.
    pub pending: u32,
    /// The phone's own images not yet complete on the server.
    pub pending_images: u32,
    pub busy: bool,
    pub problem: Option<Problem>,
    pub last_upload: Option<DateTime<Utc>>,
    /// The last answer of any kind from the server.
    pub last_heard: Option<DateTime<Utc>>,
}

/// Which files' records changed on the phone, so only the views showing them read them again
/// (a change signal per file, not one bump that rebuilds every screen).
#[derive(Debug, Clone, PartialEq)]
pub enum Changed {
    Files(Vec<FileId>),
    /// A download that replaced the phone's copy, or another tab's writes: anything may differ.
    Everything,
}

impl Changed {
    /// The files of `ids`, each once, in first-seen order.
    pub fn files<'a>(ids: impl IntoIterator<Item = &'a FileId>) -> Changed {
        let mut files: Vec<FileId> = Vec::new();
        for id in ids {
            if !files.contains(id) {
                files.push(id.clone());
            }
        }
        Changed::Files(files)
    }
}

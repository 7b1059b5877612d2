//! Carries the engine's commands out: IndexedDB (`store`), HTTP (`api`), localStorage
//! (`settings`), the cross-tab upload lock and timers. Each answer goes back to the engine as an
//! event; nothing here decides what happens next.

use super::SyncStatus;
use crate::api::{self, ApiFailure, blobs};
use crate::lock::{self, Guard, Taken};
use crate::store::settings;
use crate::store::vault::{self, Credentials};
use crate::store::{self, Store, StoreError};
use leptos::task::spawn_local;
use std::cell::RefCell;
use std::time::Duration;
use xiafang_core::api_error::ApiErrorCode;
use xiafang_core::engine::{Answer, Changed, Command, Event, Failure, Start};
use xiafang_core::feed::Standing;

/// Every tab of the app shares one outbox; only the tab holding this lock uploads it.
const UPLOAD_LOCK: &str = "xiafang-upload";

/// What the shell keeps between the commands of one run.
#[derive(Default)]
struct Held {
    /// The session the run started with (a lock meanwhile does not cut a run short).
    credentials: Option<Credentials>,
    lock: Option<Guard>,
    /// The image whose pieces go up now.
    image: Option<Vec<u8>>,
}

thread_local! {
    static HELD: RefCell<Held> = RefCell::default();
}

fn token() -> Option<String> {
    HELD.with(|h| h.borrow().credentials.as_ref().map(|c| c.token.clone()))
}

impl SyncStatus {
    pub(super) fn execute(self, command: Command) {
        match command {
            Command::EndRun => HELD.with(|h| {
                let mut held = h.borrow_mut();
                held.lock = None;
                held.image = None;
            }),
            Command::MarkInFlight => {
                if let Err(e) = settings::mark_upload_in_flight() {
                    // Without the mark, an answer lost on the way makes the next run send this
                    // batch again; the server answers that with the outcomes it stored, once.
                    web_sys::console::warn_1(&format!("upload mark not kept: {e}").into());
                }
            }
            Command::ClearInFlight => settings::clear_upload_in_flight(),
            Command::KeepLastUpload(at) => {
                if let Err(e) = settings::save_last_upload(at) {
                    web_sys::console::warn_1(&format!("last upload time not kept: {e}").into());
                }
            }
            Command::Changed(Changed::Everything) => self.changes.changed_everything(),
            Command::Changed(Changed::Files(files)) => self.changes.changed_files(&files),
            Command::Wait { timer, ms } => crate::later::after(
                Duration::from_millis(ms),
                Box::new(move || self.handle(Event::Timer(timer))),
            ),
            Command::RefreshRules => spawn_local(refresh(
                "rules",
                |token| async move { api::rules(&token).await },
                settings::rules,
                settings::save_rules,
            )),
            Command::RefreshTeam => {
                spawn_local(refresh(
                    "team",
                    |token| async move { api::team(&token).await },
                    settings::team,
                    settings::save_team,
                ));
                let changes = self.changes;
                spawn_local(async move {
                    if refresh_screening_places().await {
                        // The 待办 and the 排查 view read the places: let them look again.
                        changes.changed_everything();
                    }
                });
            }
            Command::FetchMissingImages => {
                self.fetch_missing_images();
                // After a good run, like the images: the phone's copies against the chains.
                self.check_chains();
            }
            other => spawn_local(async move {
                let event = answer(other).await;
                self.handle(event);
            }),
        }
    }
}

/// Carries out a command that has an answer.
async fn answer(command: Command) -> Event {
    match command {
        Command::StartRun => start_run().await,
        Command::Push(batch) => ask(|token| async move { api::push(&token, &batch).await })
            .await
            .map_or_else(Event::Failed, |r| Event::Answer(Answer::Pushed(r))),
        Command::AskAcks(query) => ask(|token| async move { api::acks(&token, &query).await })
            .await
            .map_or_else(Event::Failed, |r| Event::Answer(Answer::Acks(r))),
        Command::Pull(standing) => {
            let device = settings::device_id();
            ask(|token| async move { api::pull(&token, &standing, device).await })
                .await
                .map_or_else(Event::Failed, |r| Event::Answer(Answer::Pulled(r)))
        }
        Command::AskImageStatus { sha256 } => {
            ask(|token| async move { blobs::upload_status(&token, &sha256).await })
                .await
                .map_or_else(Event::Failed, |r| Event::Answer(Answer::ImageStatus(r)))
        }
        Command::PutPiece { image, offset, end } => {
            let piece = HELD.with(|h| {
                h.borrow()
                    .image
                    .as_ref()
                    .and_then(|bytes| bytes.get(offset as usize..end as usize).map(<[u8]>::to_vec))
            });
            let Some(piece) = piece else {
                return Event::Failed(Failure::Server("the image is not loaded".into()));
            };
            ask(|token| async move { blobs::put_piece(&token, &image, offset, &piece).await })
                .await
                .map_or_else(Event::Failed, |r| Event::Answer(Answer::Piece(r)))
        }
        storage => from_storage(stored(storage).await),
    }
}

fn from_storage(result: Result<Event, StoreError>) -> Event {
    result.unwrap_or_else(|e| Event::StorageFailed(e.to_string()))
}

/// Checks the credentials, opens the storage and takes the upload lock.
async fn start_run() -> Event {
    // Sealed records cannot be read for upload, nor pages sealed for keeping, and the token is
    // sealed with them: a locked phone makes no signed-in request (unlocking starts a run).
    let Some(credentials) = vault::credentials() else {
        // Open but without a token: a phone upgraded from a version that kept it in the clear
        // (dropped, see `settings::session`). Records wait for a password sign-in.
        let start = if vault::is_open() && settings::session().is_some() {
            Start::NoToken
        } else {
            Start::PhoneLocked
        };
        return Event::RunStart(start);
    };
    if let Err(e) = store::shared().await {
        return Event::StorageFailed(e.to_string());
    }
    match lock::take(UPLOAD_LOCK).await {
        Taken::Busy => Event::RunStart(Start::OtherTab),
        Taken::Held(guard) => {
            HELD.with(|h| {
                *h.borrow_mut() = Held {
                    credentials: Some(credentials),
                    lock: Some(guard),
                    image: None,
                }
            });
            Event::RunStart(Start::Ready {
                upload_in_flight: settings::upload_in_flight(),
                device_id: settings::device_id(),
            })
        }
    }
}

/// A signed-in request with the run's token.
async fn ask<T, Fut>(request: impl FnOnce(String) -> Fut) -> Result<T, Failure>
where
    Fut: std::future::Future<Output = Result<T, ApiFailure>>,
{
    let token = token().ok_or(Failure::SignedOut)?;
    request(token).await.map_err(failure)
}

fn failure(failure: ApiFailure) -> Failure {
    match failure {
        ApiFailure::Offline => Failure::Offline,
        f if f.is_signed_out() => Failure::SignedOut,
        ApiFailure::Refused {
            code: ApiErrorCode::DeviceRevoked,
            ..
        } => Failure::Revoked,
        other => Failure::Server(other.to_string()),
    }
}

/// Carries out a storage command.
async fn stored(command: Command) -> Result<Event, StoreError> {
    let store: Store = store::shared().await?;
    Ok(match command {
        Command::ReadOutbox { max } => {
            let account = HELD.with(|h| {
                h.borrow()
                    .credentials
                    .as_ref()
                    .map(|c| c.account.id.clone())
            });
            let Some(account) = account else {
                return Ok(Event::Failed(Failure::SignedOut));
            };
            // Records another account saved on this phone wait for that account to sign in:
            // the server would refuse them under this session.
            Event::Outbox(store.outbox_of(&account, max).await?)
        }
        Command::Settle { ops, acks } => {
            store.settle(&ops, &acks).await?;
            Event::Written
        }
        Command::ReadCursor => Event::Cursor(Standing {
            cursor: store.cursor().await?,
            acked: store.acked().await?,
        }),
        Command::ApplyPull(page) => {
            if page.resend {
                // Before the reset below, which drops what the server sent before.
                let account = HELD.with(|h| {
                    h.borrow()
                        .credentials
                        .as_ref()
                        .map(|c| c.account.id.clone())
                });
                if let Some(account) = account {
                    store.requeue_own(&account).await?;
                }
            }
            store.apply_pull(&page).await?;
            Event::Written
        }
        Command::ListImages => Event::Images(
            store
                .blobs_to_upload()
                .await?
                .into_iter()
                .filter(|w| w.ready)
                .map(|w| w.image)
                .collect(),
        ),
        Command::ReadImage(image) => {
            let bytes = store.blob(&image.sha256).await?;
            let size = bytes.as_ref().map(|b| b.len() as u64);
            HELD.with(|h| h.borrow_mut().image = bytes);
            Event::ImageRead { size }
        }
        Command::MarkImageUploaded { sha256 } => {
            store.mark_blob_uploaded(&sha256).await?;
            Event::Written
        }
        Command::CountPending { ticket } => {
            let counted = async {
                let records = store.pending_count().await?;
                let images = store.blobs_to_upload().await?.len() as u32;
                Ok::<_, StoreError>((records, images))
            };
            match counted.await {
                Ok((records, images)) => Event::Counted {
                    ticket,
                    records,
                    images,
                },
                Err(e) => Event::CountFailed(e.to_string()),
            }
        }
        Command::Erase => {
            erase().await?;
            Event::Written
        }
        _ => {
            // Named, not printed with `{:?}`: printing the command kept the derived `Debug` of
            // every command, record and answer in the wasm (issue 17: the wasm's size).
            web_sys::console::error_1(&"not a storage command".into());
            Event::StorageFailed("unknown command".into())
        }
    })
}

/// A revoked phone that handed everything over erases its copy, then starts afresh at the
/// sign-in page, which says why.
async fn erase() -> Result<(), StoreError> {
    store::erase_all().await?;
    settings::erase_all();
    if let Some(w) = web_sys::window()
        && let Err(e) = w.location().assign("/login")
    {
        web_sys::console::error_2(&"reload after erase failed".into(), &e);
    }
    Ok(())
}

/// Keeps what the phone shows from the server's settings — the county's rules for deadlines and
/// figures, the legal team — up to date. A failure only means what was fetched before (or the
/// national defaults) stays in use until the next run.
async fn refresh<T, Fut>(
    what: &str,
    fetch: impl FnOnce(String) -> Fut,
    kept: fn() -> T,
    keep: fn(&T) -> Result<(), gloo_storage::errors::StorageError>,
) where
    T: PartialEq,
    Fut: std::future::Future<Output = Result<T, ApiFailure>>,
{
    let Some(token) = token() else { return };
    match fetch(token).await {
        Ok(fresh) if fresh != kept() => {
            if let Err(e) = keep(&fresh) {
                web_sys::console::warn_1(&format!("{what} not kept: {e}").into());
            }
        }
        Ok(_) => {}
        Err(e) => web_sys::console::warn_1(&format!("{what} not fetched: {e}").into()),
    }
}

/// Keeps the places whose screening ledgers the account reads (`GET /api/screening/places`) on
/// the phone, like the team; true when they changed.
async fn refresh_screening_places() -> bool {
    let Some(token) = token() else { return false };
    match api::screening_places(&token).await {
        Ok(fresh) if fresh != settings::screening_places() => {
            match settings::save_screening_places(&fresh) {
                Ok(()) => true,
                Err(e) => {
                    web_sys::console::warn_1(&format!("places not kept: {e}").into());
                    false
                }
            }
        }
        Ok(_) => false,
        Err(e) => {
            web_sys::console::warn_1(&format!("places not fetched: {e}").into());
            false
        }
    }
}

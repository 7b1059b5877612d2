//! The upload engine: sends the outbox to the server whenever there is a connection, settles
//! acknowledgements, then downloads the change feed. Views only read `SyncStatus` and call
//! `upload_now`; retries, backoff and the one-tab-at-a-time lock live here and nowhere else.

use crate::api::{self, ApiFailure};
use crate::changes::Changes;
use crate::lock::{self, Held};
use crate::store::settings;
use crate::store::vault::Credentials;
use crate::store::{self, Persistence};
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::time::Duration;
use xiafang_core::sync::{
    AcksQuery, ApiErrorCode, MAX_BATCH_OPS, Op, PushRequest, PushResponse, retry_delay_ms,
};
use xiafang_core::{DeviceId, protocol};

mod blobs;
pub use blobs::{ImageOnPhone, image_bytes};

/// Something the user has to know about the phone's sync.
#[derive(Debug, Clone, PartialEq)]
pub enum SyncProblem {
    /// The session ended; records stay on the phone until the user signs in again.
    SignedOut,
    /// The server refused or failed; retried with backoff.
    Server,
    /// The phone's storage failed.
    Storage(store::StoreError),
    /// This phone was revoked; records of other accounts still wait, so nothing was erased.
    Revoked,
}

/// The phone's sync state, shared with every view through context.
#[derive(Clone, Copy)]
pub struct SyncStatus {
    pub online: RwSignal<bool>,
    /// Records saved on the phone and not yet acknowledged by the server.
    pub pending: RwSignal<u32>,
    /// Images (photos, signatures) of the phone's own not yet complete on the server.
    pub pending_images: RwSignal<u32>,
    pub last_upload: RwSignal<Option<DateTime<Utc>>>,
    pub busy: RwSignal<bool>,
    pub problem: RwSignal<Option<SyncProblem>>,
    /// The browser refused to keep the phone's storage: clearing browser data (or the browser
    /// itself, when space runs low) may delete records not uploaded yet.
    pub storage_at_risk: RwSignal<bool>,
    /// Told which files changed, so the views showing them read them again.
    changes: Changes,
    failures: RwSignal<u32>,
    retry_scheduled: RwSignal<bool>,
    lock_retry_scheduled: RwSignal<bool>,
    /// Something asked for a run while one was going; it may have come after that run read the
    /// outbox, so another run follows.
    rerun: RwSignal<bool>,
    /// Pending-count reads issued and the newest applied: a slow older read never overwrites
    /// a newer count.
    count_reads: StoredValue<(u64, u64)>,
}

/// While records wait and the link is up, try at least this often even without an event.
const POLL: Duration = Duration::from_secs(60);
/// Every tab of the app shares one outbox; only the tab holding this lock uploads it.
const UPLOAD_LOCK: &str = "xiafang-upload";
/// A tab that found another uploading looks again after about this long (with jitter).
const LOCK_RETRY_MS: f64 = 3_000.0;
/// A guard against a server that always answers "more": the rest waits for the next run.
const MAX_PAGES_PER_RUN: usize = 1_000;

impl SyncStatus {
    /// Creates the status, provides it as context and starts listening for the network.
    pub fn install() -> SyncStatus {
        let status = SyncStatus {
            online: RwSignal::new(navigator_online()),
            pending: RwSignal::new(0),
            pending_images: RwSignal::new(0),
            last_upload: RwSignal::new(settings::last_upload()),
            busy: RwSignal::new(false),
            problem: RwSignal::new(None),
            storage_at_risk: RwSignal::new(false),
            changes: Changes::install(),
            failures: RwSignal::new(0),
            retry_scheduled: RwSignal::new(false),
            lock_retry_scheduled: RwSignal::new(false),
            rerun: RwSignal::new(false),
            count_reads: StoredValue::new((0, 0)),
        };
        provide_context(status);
        window_event_listener(leptos::ev::online, move |_| {
            status.online.set(true);
            // A new connection starts the backoff over.
            status.failures.set(0);
            status.upload_now();
        });
        window_event_listener(leptos::ev::offline, move |_| status.online.set(false));
        // Another tab of the app wrote its upload marks or time: it uploaded (or saved and is
        // about to), so show this phone's records and count as they are now.
        window_event_listener(leptos::ev::storage, move |_| {
            status.last_upload.set(settings::last_upload());
            status.changes.changed_everything();
            status.refresh_pending();
        });
        set_interval(
            move || {
                let waiting =
                    status.pending.get_untracked() > 0 || status.pending_images.get_untracked() > 0;
                if waiting && status.online.get_untracked() {
                    status.upload_now();
                }
            },
            POLL,
        );
        if settings::session().is_some() {
            status.check_storage_persistence();
        }
        status.refresh_pending();
        status.upload_now();
        status
    }

    /// Called after records of `file` were saved on the phone.
    pub fn saved(self, file: &xiafang_core::FileId) {
        self.changes.changed(file);
        self.refresh_pending();
        self.upload_now();
    }

    /// Asks the browser once to keep the phone's storage, and shows a warning while it has
    /// not. Called at start when signed in and after each sign-in.
    pub fn check_storage_persistence(self) {
        spawn_local(async move {
            let answer = store::ensure_persistent().await;
            self.storage_at_risk.set(answer == Persistence::Refused);
        });
    }

    /// Uploads what waits, then downloads. If a run is already going, another follows it.
    pub fn upload_now(self) {
        if self.busy.get_untracked() {
            self.rerun.set(true);
            return;
        }
        self.busy.set(true);
        spawn_local(async move {
            loop {
                self.rerun.set(false);
                let finished = self.run().await;
                self.update_pending().await;
                self.count_images().await;
                // After a failure a retry is already scheduled; running again at once would
                // only hammer a server that is down.
                if !(finished && self.rerun.get_untracked()) {
                    break;
                }
            }
            self.busy.set(false);
        });
    }

    fn refresh_pending(self) {
        spawn_local(self.update_pending());
    }

    async fn update_pending(self) {
        let ticket = self.count_reads.with_value(|(issued, _)| issued + 1);
        self.count_reads
            .update_value(|(issued, _)| *issued = ticket);
        let count = match store::shared().await {
            Ok(s) => s.pending_count().await,
            Err(e) => Err(e),
        };
        match count {
            Ok(n) => {
                // IndexedDB runs transactions in the order they were made, so a later read
                // has seen at least as much as an earlier one.
                if self
                    .count_reads
                    .with_value(|(_, applied)| ticket > *applied)
                {
                    self.count_reads
                        .update_value(|(_, applied)| *applied = ticket);
                    self.pending.set(n);
                }
            }
            Err(e) => self.problem.set(Some(SyncProblem::Storage(e))),
        }
    }

    /// One run; true when it got through to the end.
    async fn run(self) -> bool {
        // Sealed records cannot be read for upload, nor pages sealed for keeping, and the token
        // is sealed with them: a locked phone makes no signed-in request. The run waits for the
        // PIN (unlocking starts one).
        let Some(session) = store::vault::credentials() else {
            if store::vault::is_open() && settings::session().is_some() {
                // Open but without a token: a phone upgraded from a version that kept it in the
                // clear (dropped, see `settings::session`). Records wait for a password sign-in.
                self.problem.set(Some(SyncProblem::SignedOut));
            }
            return false;
        };
        let store = match store::shared().await {
            Ok(s) => s,
            Err(e) => {
                self.problem.set(Some(SyncProblem::Storage(e)));
                return false;
            }
        };
        let exchange = Exchange {
            status: self,
            store: &store,
            session: &session,
            device_id: settings::device_id(),
        };
        let outcome = lock::if_available(UPLOAD_LOCK, || exchange.run()).await;
        match outcome {
            Held::Ran(Ok(())) => {
                self.failures.set(0);
                self.problem.set(None);
                self.online.set(true);
                self.fetch_missing_images();
                refresh_rules(&session.token).await;
                refresh_team(&session.token).await;
                true
            }
            Held::Ran(Err(Failure::Api(f))) => {
                self.failed(f);
                false
            }
            Held::Ran(Err(Failure::Store(e))) => {
                self.problem.set(Some(SyncProblem::Storage(e)));
                false
            }
            Held::Ran(Err(Failure::Revoked)) => {
                self.erase(&store).await;
                false
            }
            Held::Busy => {
                // Another tab is uploading this same outbox; look again when it may be done.
                self.retry_when_lock_free();
                false
            }
        }
    }

    /// A revoked phone erases its copy once the server holds everything it had not uploaded,
    /// then starts afresh at the sign-in page, which says why.
    async fn erase(self, store: &store::Store) {
        match store.pending_count().await {
            Ok(0) => {
                if let Err(e) = store::erase_all().await {
                    self.problem.set(Some(SyncProblem::Storage(e)));
                    return;
                }
                settings::erase_all();
                if let Some(w) = web_sys::window()
                    && let Err(e) = w.location().assign("/login")
                {
                    web_sys::console::error_2(&"reload after erase failed".into(), &e);
                }
            }
            Ok(_) => self.problem.set(Some(SyncProblem::Revoked)),
            Err(e) => self.problem.set(Some(SyncProblem::Storage(e))),
        }
    }

    fn failed(self, failure: ApiFailure) {
        if failure.is_signed_out() {
            self.problem.set(Some(SyncProblem::SignedOut));
            return;
        }
        if failure != ApiFailure::Offline {
            self.problem.set(Some(SyncProblem::Server));
        }
        self.schedule_retry();
    }

    fn schedule_retry(self) {
        if self.retry_scheduled.get_untracked() {
            return;
        }
        let attempt = self.failures.get_untracked();
        self.failures.set(attempt + 1);
        self.retry_scheduled.set(true);
        let delay = retry_delay_ms(attempt, js_sys::Math::random());
        set_timeout(
            move || {
                self.retry_scheduled.set(false);
                self.upload_now();
            },
            Duration::from_millis(delay),
        );
    }

    fn retry_when_lock_free(self) {
        if self.lock_retry_scheduled.get_untracked() {
            return;
        }
        self.lock_retry_scheduled.set(true);
        // Jittered, so two waiting tabs do not keep colliding.
        let delay = LOCK_RETRY_MS * (0.5 + js_sys::Math::random());
        set_timeout(
            move || {
                self.lock_retry_scheduled.set(false);
                self.upload_now();
            },
            Duration::from_millis(delay as u64),
        );
    }
}

/// One run's conversation with the server, under the upload lock: the phone's storage, the
/// signed-in session and this device.
struct Exchange<'a> {
    status: SyncStatus,
    store: &'a store::Store,
    session: &'a Credentials,
    device_id: DeviceId,
}

impl Exchange<'_> {
    async fn run(&self) -> Result<(), Failure> {
        if settings::upload_in_flight() {
            self.settle_unanswered().await?;
        }
        self.upload_all().await?;
        self.download().await?;
        self.upload_images().await
    }

    /// The last upload was sent and never settled: the server may have stored it. Asks what it
    /// already acknowledged and settles that, so a retry never resends it.
    async fn settle_unanswered(&self) -> Result<(), Failure> {
        loop {
            let ops = self.next_batch().await?;
            let Some(first) = ops.first() else {
                break;
            };
            let query = AcksQuery {
                device_id: self.device_id,
                after: first.seq.saturating_sub(1),
            };
            let response = api::acks(&self.session.token, &query)
                .await
                .map_err(Failure::Api)?;
            let settled = self.settle(&ops, &response).await?;
            // A full page may hide more acknowledgements behind it; each round settles at
            // least one operation, so this ends.
            if !settled || response.acks.len() < MAX_BATCH_OPS {
                break;
            }
        }
        settings::clear_upload_in_flight();
        Ok(())
    }

    /// Sends the outbox in batches until it is empty. Each batch is settled in one storage
    /// transaction before the next is sent, so a crash between them loses nothing.
    async fn upload_all(&self) -> Result<(), Failure> {
        let mut revoked = false;
        loop {
            let ops = self.next_batch().await?;
            if ops.is_empty() {
                return if revoked {
                    Err(Failure::Revoked)
                } else {
                    Ok(())
                };
            }
            if let Err(e) = settings::mark_upload_in_flight() {
                // Without the mark, an answer lost on the way makes the next run send this
                // batch again; the server answers that with the outcomes it stored, once.
                web_sys::console::warn_1(&format!("upload mark not kept: {e}").into());
            }
            let batch = PushRequest {
                device_id: self.device_id,
                ops,
                device_time: Utc::now(),
            };
            let response = api::push(&self.session.token, &batch)
                .await
                .map_err(Failure::Api)?;
            if !self.settle(&batch.ops, &response).await? {
                // Sending the same batch again would get the same answer: wait and retry.
                return Err(Failure::Api(ApiFailure::Unreadable(
                    "the server acknowledged none of the batch".into(),
                )));
            }
            settings::clear_upload_in_flight();
            if response.erase {
                // The server kept this batch for review; hand over the rest the same way.
                revoked = true;
            }
        }
    }

    /// Settles the acknowledgements of `ops` in `response`; true if any matched.
    async fn settle(&self, ops: &[Op], response: &PushResponse) -> Result<bool, Failure> {
        let matched = response
            .acks
            .iter()
            .any(|ack| ops.iter().any(|op| protocol::settles(op, ack)));
        if !matched {
            return Ok(false);
        }
        self.store
            .settle(ops, &response.acks)
            .await
            .map_err(Failure::Store)?;
        let now = Utc::now();
        if let Err(e) = settings::save_last_upload(now) {
            web_sys::console::warn_1(&format!("last upload time not kept: {e}").into());
        }
        self.status.last_upload.set(Some(now));
        self.status
            .changes
            .changed_files(ops.iter().map(|op| &op.record.file_id));
        self.status.update_pending().await;
        Ok(true)
    }

    /// Pulls the change feed from the stored cursor, page after page while more wait. Each
    /// page is stored with its cursor in one transaction, so an interrupted download resumes
    /// where it stopped.
    async fn download(&self) -> Result<(), Failure> {
        let mut cursor = self.store.cursor().await.map_err(Failure::Store)?;
        for _ in 0..MAX_PAGES_PER_RUN {
            let page = api::pull(&self.session.token, cursor.as_ref(), self.device_id)
                .await
                .map_err(|f| match f {
                    ApiFailure::Refused {
                        code: ApiErrorCode::DeviceRevoked,
                        ..
                    } => Failure::Revoked,
                    other => Failure::Api(other),
                })?;
            self.store.apply_pull(&page).await.map_err(Failure::Store)?;
            if page.reset {
                self.status.changes.changed_everything();
            } else {
                let files = page.files.iter().map(|f| &f.id);
                let records = page.records.iter().map(|r| &r.file_id);
                self.status.changes.changed_files(files.chain(records));
            }
            if !page.more {
                break;
            }
            cursor = Some(page.cursor);
        }
        Ok(())
    }

    /// The next operations this session may upload, oldest first. Records another account
    /// saved on this phone wait for that account to sign in: the server would refuse them
    /// under this session.
    async fn next_batch(&self) -> Result<Vec<Op>, Failure> {
        self.store
            .outbox_of(&self.session.account.id, MAX_BATCH_OPS)
            .await
            .map_err(Failure::Store)
    }
}

enum Failure {
    Api(ApiFailure),
    Store(store::StoreError),
    /// An administrator revoked this phone; whatever it still held has been handed over.
    Revoked,
}

fn navigator_online() -> bool {
    web_sys::window().is_none_or(|w| w.navigator().on_line())
}

/// Keeps the county's rules for deadlines and figures up to date on the phone. A failure only
/// means the rules fetched before (or the national defaults) stay in use until the next run.
async fn refresh_rules(token: &str) {
    match api::rules(token).await {
        Ok(rules) if rules != settings::rules() => {
            if let Err(e) = settings::save_rules(&rules) {
                web_sys::console::warn_1(&format!("rules not kept: {e}").into());
            }
        }
        Ok(_) => {}
        Err(e) => web_sys::console::warn_1(&format!("rules not fetched: {e:?}").into()),
    }
}

async fn refresh_team(token: &str) {
    match api::team(token).await {
        Ok(team) if team != settings::team() => {
            if let Err(e) = settings::save_team(&team) {
                web_sys::console::warn_1(&format!("team not kept: {e}").into());
            }
        }
        Ok(_) => {}
        Err(e) => web_sys::console::warn_1(&format!("team not fetched: {e:?}").into()),
    }
}

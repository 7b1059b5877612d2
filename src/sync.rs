//! The upload engine: sends the outbox to the server whenever there is a connection, settles
//! acknowledgements, then downloads the files. Views only read `SyncStatus` and call
//! `upload_now`; retries and backoff live here and nowhere else.

use crate::api::{self, ApiFailure};
use crate::store;
use crate::store::settings::{self, Session};
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::time::Duration;
use xiafang_core::sync::{MAX_BATCH_OPS, PushRequest, retry_delay_ms};

/// Something the user has to know about the phone's sync.
#[derive(Debug, Clone, PartialEq)]
pub enum SyncProblem {
    /// The session ended; records stay on the phone until the user signs in again.
    SignedOut,
    /// The server refused or failed; retried with backoff.
    Server,
    /// The phone's storage failed.
    Storage(store::StoreError),
}

/// The phone's sync state, shared with every view through context.
#[derive(Clone, Copy)]
pub struct SyncStatus {
    pub online: RwSignal<bool>,
    /// Records saved on the phone and not yet acknowledged by the server.
    pub pending: RwSignal<u32>,
    pub last_upload: RwSignal<Option<DateTime<Utc>>>,
    pub busy: RwSignal<bool>,
    pub problem: RwSignal<Option<SyncProblem>>,
    /// Bumped whenever records or files on the phone change, so views reload them.
    pub data_version: RwSignal<u64>,
    failures: RwSignal<u32>,
    retry_scheduled: RwSignal<bool>,
}

/// While records wait and the link is up, try at least this often even without an event.
const POLL: Duration = Duration::from_secs(60);

impl SyncStatus {
    /// Creates the status, provides it as context and starts listening for the network.
    pub fn install() -> SyncStatus {
        let status = SyncStatus {
            online: RwSignal::new(navigator_online()),
            pending: RwSignal::new(0),
            last_upload: RwSignal::new(settings::last_upload()),
            busy: RwSignal::new(false),
            problem: RwSignal::new(None),
            data_version: RwSignal::new(0),
            failures: RwSignal::new(0),
            retry_scheduled: RwSignal::new(false),
        };
        provide_context(status);
        window_event_listener(leptos::ev::online, move |_| {
            status.online.set(true);
            status.upload_now();
        });
        window_event_listener(leptos::ev::offline, move |_| status.online.set(false));
        set_interval(
            move || {
                if status.pending.get_untracked() > 0 && status.online.get_untracked() {
                    status.upload_now();
                }
            },
            POLL,
        );
        status.refresh_pending();
        status.upload_now();
        status
    }

    /// Called after a record was saved on the phone.
    pub fn saved(self) {
        self.data_version.update(|v| *v += 1);
        self.upload_now();
    }

    /// Uploads what waits, then downloads; does nothing if a run is already going.
    pub fn upload_now(self) {
        if self.busy.get_untracked() {
            return;
        }
        self.busy.set(true);
        spawn_local(async move {
            self.run().await;
            self.busy.set(false);
            self.refresh_pending();
        });
    }

    fn refresh_pending(self) {
        spawn_local(async move {
            match store::shared().await {
                Ok(s) => match s.pending_count().await {
                    Ok(n) => self.pending.set(n),
                    Err(e) => self.problem.set(Some(SyncProblem::Storage(e))),
                },
                Err(e) => self.problem.set(Some(SyncProblem::Storage(e))),
            }
        });
    }

    async fn run(self) {
        let Some(session) = settings::session() else {
            return;
        };
        let store = match store::shared().await {
            Ok(s) => s,
            Err(e) => return self.problem.set(Some(SyncProblem::Storage(e))),
        };
        match self.upload_all(&store, &session).await {
            Ok(()) => {}
            Err(Failure::Api(f)) => return self.failed(f),
            Err(Failure::Store(e)) => return self.problem.set(Some(SyncProblem::Storage(e))),
        }
        match api::pull(&session.token).await {
            Ok(pull) => match store.apply_pull(&pull).await {
                Ok(()) => {
                    self.failures.set(0);
                    self.problem.set(None);
                    self.online.set(true);
                    self.data_version.update(|v| *v += 1);
                }
                Err(e) => self.problem.set(Some(SyncProblem::Storage(e))),
            },
            Err(f) => self.failed(f),
        }
    }

    /// Sends the outbox in batches until it is empty. Each batch is settled in one storage
    /// transaction before the next is sent, so a crash between them loses nothing.
    async fn upload_all(self, store: &store::Store, session: &Session) -> Result<(), Failure> {
        let device_id = settings::device_id();
        loop {
            let mut ops = store
                .outbox(MAX_BATCH_OPS as u32)
                .await
                .map_err(Failure::Store)?;
            // Records another account saved on this phone wait for that account to sign in:
            // the server would refuse them under this session.
            ops.retain(|op| op.record.author == session.account.id);
            if ops.is_empty() {
                return Ok(());
            }
            let batch = PushRequest { device_id, ops };
            let response = api::push(&session.token, &batch)
                .await
                .map_err(Failure::Api)?;
            store
                .settle(&batch.ops, &response.acks)
                .await
                .map_err(Failure::Store)?;
            let now = Utc::now();
            if let Err(e) = settings::save_last_upload(now) {
                web_sys::console::warn_1(&format!("last upload time not kept: {e}").into());
            }
            self.last_upload.set(Some(now));
            self.data_version.update(|v| *v += 1);
            self.refresh_pending();
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
}

enum Failure {
    Api(ApiFailure),
    Store(store::StoreError),
}

fn navigator_online() -> bool {
    web_sys::window().is_none_or(|w| w.navigator().on_line())
}

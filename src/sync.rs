//! The shell of the phone's sync engine (`xiafang_core::engine`): feeds it what happens — saves,
//! the network, the screen, timers, and the answers of storage and server — and renders its
//! state as `SyncStatus`. Every decision (when to run, batching, acks after an unanswered push,
//! backoff, paging, images, erasing) is the engine's; `shell.rs` carries its commands out.

use crate::changes::Changes;
use crate::store::settings;
use crate::store::{self, Persistence};
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::cell::RefCell;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use xiafang_core::engine::{Engine, Event, Moment, View};

mod blobs;
mod chains;
mod shell;
pub use blobs::{ImageOnPhone, image_bytes};
pub use xiafang_core::engine::Problem as SyncProblem;

/// The phone's sync state, shared with every view through context.
#[derive(Clone, Copy)]
pub struct SyncStatus {
    pub online: RwSignal<bool>,
    /// Records saved on the phone and not yet acknowledged by the server.
    pub pending: RwSignal<u32>,
    /// Images (photos, signatures) of the phone's own not yet complete on the server.
    pub pending_images: RwSignal<u32>,
    pub last_upload: RwSignal<Option<DateTime<Utc>>>,
    /// The last answer of any kind from the server.
    pub last_heard: RwSignal<Option<DateTime<Utc>>>,
    pub busy: RwSignal<bool>,
    pub problem: RwSignal<Option<SyncProblem>>,
    /// The browser refused to keep the phone's storage: clearing browser data (or the browser
    /// itself, when space runs low) may delete records not uploaded yet.
    pub storage_at_risk: RwSignal<bool>,
    /// Told which files changed, so the views showing them read them again.
    changes: Changes,
}

thread_local! {
    /// The one engine of this tab.
    static ENGINE: RefCell<Option<Engine>> = const { RefCell::new(None) };
}

impl SyncStatus {
    /// Creates the status, provides it as context and starts listening for the network and the
    /// screen.
    pub fn install() -> SyncStatus {
        let engine = Engine::new(settings::device_id(), settings::last_upload());
        let status = SyncStatus {
            online: RwSignal::new(navigator_online()),
            pending: RwSignal::new(0),
            pending_images: RwSignal::new(0),
            last_upload: RwSignal::new(engine.view().last_upload),
            last_heard: RwSignal::new(None),
            busy: RwSignal::new(false),
            problem: RwSignal::new(None),
            storage_at_risk: RwSignal::new(false),
            changes: Changes::install(),
        };
        ENGINE.with(|e| *e.borrow_mut() = Some(engine));
        provide_context(status);
        window_event_listener(leptos::ev::online, move |_| status.handle(Event::Online));
        window_event_listener(leptos::ev::offline, move |_| status.handle(Event::Offline));
        // Another tab of the app wrote its upload marks or time: it uploaded (or saved and is
        // about to), so show this phone's records and count as they are now.
        window_event_listener(leptos::ev::storage, move |_| {
            status.handle(Event::OtherTab {
                last_upload: settings::last_upload(),
            })
        });
        status.listen_to_visibility();
        if settings::session().is_some() {
            status.check_storage_persistence();
        }
        status.handle(Event::Opened {
            online: navigator_online(),
            visible: visible(),
        });
        status
    }

    /// Called after records of `file` were saved on the phone.
    pub fn saved(self, file: &xiafang_core::FileId) {
        self.changes.changed(file);
        self.handle(Event::Saved);
    }

    /// The phone's data was opened (a PIN, a sign-in) or locked in this tab.
    pub fn data_opened(self, open: bool) {
        self.handle(if open { Event::Unlocked } else { Event::Locked });
    }

    /// Uploads what waits, then downloads. If a run is already going, another follows it.
    pub fn upload_now(self) {
        self.handle(Event::UploadNow);
    }

    /// Asks the browser once to keep the phone's storage, and shows a warning while it has
    /// not. Called at start when signed in and after each sign-in.
    pub fn check_storage_persistence(self) {
        spawn_local(async move {
            let answer = store::ensure_persistent().await;
            self.storage_at_risk.set(answer == Persistence::Refused);
        });
    }

    /// Feeds one event to the engine, shows its state and carries out its commands.
    fn handle(self, event: Event) {
        let at = Moment {
            now: Utc::now(),
            random: js_sys::Math::random(),
        };
        let handled = ENGINE.with(|e| {
            e.borrow_mut()
                .as_mut()
                .map(|engine| (engine.handle(event, at), engine.view().clone()))
        });
        let Some((commands, view)) = handled else {
            return;
        };
        self.show(&view);
        for command in commands {
            self.execute(command);
        }
    }

    fn show(self, view: &View) {
        set_if_changed(self.online, view.online);
        set_if_changed(self.pending, view.pending);
        set_if_changed(self.pending_images, view.pending_images);
        set_if_changed(self.last_upload, view.last_upload);
        set_if_changed(self.last_heard, view.last_heard);
        set_if_changed(self.busy, view.busy);
        set_if_changed(self.problem, view.problem.clone());
    }

    /// `visibilitychange`: the app coming back on screen pulls at once.
    fn listen_to_visibility(self) {
        let Some(document) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        let on_change = Closure::<dyn Fn()>::new(move || {
            self.handle(if visible() {
                Event::Foreground
            } else {
                Event::Background
            })
        });
        if let Err(e) = document.add_event_listener_with_callback(
            "visibilitychange",
            on_change.as_ref().unchecked_ref(),
        ) {
            web_sys::console::warn_2(&"visibility not followed".into(), &e);
        }
        // Listens for the app's whole life.
        on_change.forget();
    }
}

/// Sets a signal only when the value changed, so views showing it are not rerun for nothing.
fn set_if_changed<T: PartialEq + Send + Sync + 'static>(signal: RwSignal<T>, value: T) {
    if signal.with_untracked(|now| *now != value) {
        signal.set(value);
    }
}

fn navigator_online() -> bool {
    web_sys::window().is_none_or(|w| w.navigator().on_line())
}

/// Whether the app is on screen: `document.visibilityState` (read by name, so a page that
/// overrides it is believed).
fn visible() -> bool {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return true;
    };
    js_sys::Reflect::get(&document, &"visibilityState".into())
        .ok()
        .and_then(|v| v.as_string())
        .is_none_or(|state| state != "hidden")
}

//! The app shell: language, session, the data lock, sync status, the header and the routes.

use crate::components::{Header, StatusBar};
use crate::i18n::{I18n, Msg, use_i18n};
use crate::nav::{self, Nav, Screen};
use crate::pages::{
    AmendPage, FileEditPage, FilePage, FilesPage, LoginPage, NewRecordPage, OfficePage, PrintPage,
    SetPinPage, UnlockPage, VisitPartPage, VoidPage, office,
};
use crate::pages::{PhotoPage, SignPage};
use crate::pages::{ScreeningFormPage, ScreeningPage};
use crate::store::settings::{self, Session};
use crate::store::vault::{self, Status};
use crate::sync::SyncStatus;
use leptos::prelude::*;
use xiafang_core::pin::{AUTO_LOCK_AFTER_MS, should_lock};

/// Who is signed in on this phone; `None` shows the sign-in page.
#[derive(Clone, Copy)]
pub struct SignedIn(pub RwSignal<Option<Session>>);

/// Whether the phone's encrypted data is open in this tab, and what opens it if not.
#[derive(Clone, Copy)]
pub struct DataLock {
    status: RwSignal<Status>,
    /// The cadre chose the password over the PIN.
    password_asked: RwSignal<bool>,
    /// Told when the data opens or locks: the engine neither uploads nor downloads while it is
    /// locked, and starts at once when it opens.
    sync: SyncStatus,
}

impl DataLock {
    /// Reads the vault's state again after it changed.
    pub fn refresh(self) {
        let was_open = matches!(self.status.get_untracked(), Status::Open { .. });
        self.status.set(vault::status());
        let open = matches!(self.status.get_untracked(), Status::Open { .. });
        if open {
            self.password_asked.set(false);
        }
        if open != was_open {
            self.sync.data_opened(open);
        }
    }

    pub fn require_sign_in(self) {
        self.password_asked.set(true);
    }

    /// Drops the data key from memory: the PIN (or a sign-in) opens the data again.
    pub fn lock(self) {
        vault::lock();
        self.refresh();
    }

    pub fn status(self) -> Status {
        self.status.get()
    }
}

/// What fills the screen: the app itself, or what must happen before its data can be shown.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Gate {
    App,
    Unlock,
    SetPin,
    SignIn,
}

fn gate(signed_in: bool, status: Status, password_asked: bool) -> Gate {
    if !signed_in {
        // The routes send every page to the sign-in page.
        return Gate::App;
    }
    match status {
        Status::Open { has_pin: true } => Gate::App,
        Status::Open { has_pin: false } => Gate::SetPin,
        Status::PinLocked { .. } if !password_asked => Gate::Unlock,
        Status::PinLocked { .. } | Status::SignInLocked | Status::Fresh => Gate::SignIn,
    }
}

/// Locks the data after `AUTO_LOCK_AFTER_MS` without a touch or key press, checked every few
/// seconds and whenever the app comes back to the foreground.
fn install_auto_lock(lock: DataLock) {
    let last_activity = StoredValue::new(js_sys::Date::now());
    let touched = move || last_activity.set_value(js_sys::Date::now());
    window_event_listener(leptos::ev::pointerdown, move |_| touched());
    window_event_listener(leptos::ev::keydown, move |_| touched());
    let check = move || {
        let idle = should_lock(
            last_activity.get_value() as i64,
            js_sys::Date::now() as i64,
            AUTO_LOCK_AFTER_MS,
        );
        if idle && lock.status.get_untracked() == (Status::Open { has_pin: true }) {
            lock.lock();
        }
    };
    window_event_listener(leptos::ev::visibilitychange, move |_| check());
    set_interval(check, std::time::Duration::from_secs(10));
}

#[component]
pub fn App() -> impl IntoView {
    I18n::install(settings::lang());
    let session = RwSignal::new(settings::session());
    provide_context(SignedIn(session));
    let lock = DataLock {
        status: RwSignal::new(vault::status()),
        password_asked: RwSignal::new(false),
        sync: SyncStatus::install(),
    };
    provide_context(lock);
    install_auto_lock(lock);
    Nav::install();
    let screen = Memo::new(move |_| {
        gate(
            session.with(Option::is_some),
            lock.status.get(),
            lock.password_asked.get(),
        )
    });
    view! {
        <Header />
        <StatusBar />
        <main>
            {move || match screen.get() {
                Gate::Unlock => view! { <UnlockPage /> }.into_any(),
                Gate::SetPin => view! { <SetPinPage /> }.into_any(),
                Gate::SignIn => view! { <LoginPage /> }.into_any(),
                Gate::App => view! { <AppRoutes /> }.into_any(),
            }}
        </main>
    }
}

/// The screens of a signed-in phone whose data is open, by address.
const SCREENS: &[Screen] = &[
    ("/login", || view! { <LoginPage /> }.into_any()),
    ("/", || view! { <FilesPage /> }.into_any()),
    ("/files/:id", || view! { <FilePage /> }.into_any()),
    ("/files/:id/new/:kind", || {
        view! { <NewRecordPage /> }.into_any()
    }),
    ("/files/:id/amend/:record", || {
        view! { <AmendPage /> }.into_any()
    }),
    ("/files/:id/void/:record", || {
        view! { <VoidPage /> }.into_any()
    }),
    ("/files/:id/part/:record", || {
        view! { <VisitPartPage /> }.into_any()
    }),
    ("/files/:id/records/:rid/sign", || {
        view! { <SignPage /> }.into_any()
    }),
    ("/files/:id/records/:rid/photo", || {
        view! { <PhotoPage /> }.into_any()
    }),
    ("/files/:id/edit", || view! { <FileEditPage /> }.into_any()),
    ("/files/:id/print", || view! { <PrintPage /> }.into_any()),
    ("/cases", || office(OfficePage::Cases).into_any()),
    ("/ownership", || office(OfficePage::Ownership).into_any()),
    ("/tasks", || office(OfficePage::Tasks).into_any()),
    ("/figures", || office(OfficePage::Figures).into_any()),
    ("/ledgers", || office(OfficePage::Ledgers).into_any()),
    ("/admin", || office(OfficePage::Admin).into_any()),
    ("/review", || office(OfficePage::ReviewQueue).into_any()),
    ("/review/:id/:record", || {
        office(OfficePage::ReviewRecord).into_any()
    }),
    ("/screening", || view! { <ScreeningPage /> }.into_any()),
    ("/screening/:ledger", || {
        view! { <ScreeningFormPage /> }.into_any()
    }),
];

#[component]
fn AppRoutes() -> impl IntoView {
    nav::screens(SCREENS, || view! { <NotFound /> }.into_any())
}

#[component]
pub(crate) fn NotFound() -> impl IntoView {
    let i18n = use_i18n();
    crate::first_paint::hand_over();
    view! {
        <section class="card">
            <p>{move || i18n.t(Msg::NotFound)}</p>
            <a href="/">{move || i18n.t(Msg::ToMyFiles)}</a>
        </section>
    }
}

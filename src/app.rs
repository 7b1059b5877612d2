//! The app shell: language, session, sync status, the header and the routes.

use crate::components::{Header, StatusBar};
use crate::i18n::{I18n, Msg, use_i18n};
use crate::pages::{
    AdminPage, AmendPage, FileEditPage, FilePage, FilesPage, LoginPage, NewRecordPage, VoidPage,
};
use crate::store::settings::{self, Session};
use crate::sync::SyncStatus;
use leptos::prelude::*;
use leptos_router::components::{A, Route, Router, Routes};
use leptos_router::path;

/// Who is signed in on this phone; `None` shows the sign-in page.
#[derive(Clone, Copy)]
pub struct SignedIn(pub RwSignal<Option<Session>>);

#[component]
pub fn App() -> impl IntoView {
    provide_context(I18n(RwSignal::new(settings::lang())));
    provide_context(SignedIn(RwSignal::new(settings::session())));
    SyncStatus::install();
    view! {
        <Router>
            <Header />
            <StatusBar />
            <main>
                <Routes fallback=NotFound>
                    <Route path=path!("/login") view=LoginPage />
                    <Route path=path!("/") view=FilesPage />
                    <Route path=path!("/files/:id") view=FilePage />
                    <Route path=path!("/files/:id/new/:kind") view=NewRecordPage />
                    <Route path=path!("/files/:id/amend/:record") view=AmendPage />
                    <Route path=path!("/files/:id/void/:record") view=VoidPage />
                    <Route path=path!("/files/:id/edit") view=FileEditPage />
                    <Route path=path!("/admin") view=AdminPage />
                </Routes>
            </main>
        </Router>
    }
}

#[component]
fn NotFound() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card">
            <p>{move || i18n.t(Msg::NotFound)}</p>
            <A href="/">{move || i18n.t(Msg::ToMyFiles)}</A>
        </section>
    }
}

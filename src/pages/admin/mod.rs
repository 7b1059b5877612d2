//! 管理: an administrator's accounts, passwords, assignments and lost phones. Everything here is
//! read from and sent straight to the server (nothing is kept on the phone), so it needs a
//! connection; the server decides who may do what and its refusals are shown as they come.

mod accounts;
mod import;
mod links;
mod verify;

use crate::api::{self, ApiFailure};
use crate::app::SignedIn;
use crate::components::{PlainField, RequireSession};
use crate::i18n::{Msg, use_i18n};
use crate::store::settings::Session;
use crate::sync::SyncStatus;
use accounts::{AccountList, NewAccountForm, PasswordForm};
use import::ImportLedgers;
use leptos::prelude::*;
use leptos::task::spawn_local;
use links::{AssignmentForm, LegalVillageForm, RevokeDeviceForm};
use std::future::Future;
use verify::VerifyChains;
use xiafang_core::Lang;
use xiafang_core::{
    admin::{AccountSummary, FileSummary, PlaceSummary},
    api_error::ApiErrorCode,
};

/// `/admin`.
#[component]
pub fn AdminPage() -> impl IntoView {
    view! {
        <RequireSession>
            <AdminScreen />
        </RequireSession>
    }
}

/// The places and files of the administrator's area, for the drop-downs.
type Area = (Vec<PlaceSummary>, Vec<FileSummary>);

/// What the administration forms share: the session, the list of accounts and the area.
#[derive(Clone, Copy)]
struct AdminCtx {
    session: RwSignal<Option<Session>>,
    accounts: crate::fetched::Fetched<Result<Vec<AccountSummary>, ApiFailure>>,
    area: crate::fetched::Fetched<Result<Area, ApiFailure>>,
}

impl AdminCtx {
    /// Without a token (locked) `api` sends nothing and answers "signed out".
    fn token(self) -> String {
        crate::store::vault::token().unwrap_or_default()
    }

    fn is_me(self, summary: &AccountSummary) -> bool {
        self.session.with(|s| {
            s.as_ref()
                .is_some_and(|s| s.account.id == summary.account.id)
        })
    }

    /// The accounts as last read; empty until they are.
    fn list(self) -> Vec<AccountSummary> {
        self.accounts.get().and_then(Result::ok).unwrap_or_default()
    }

    fn reload(self) {
        self.accounts.refetch();
    }

    /// The area's places, as last read; empty until they are.
    fn places(self) -> Vec<PlaceSummary> {
        self.area.get().and_then(Result::ok).unwrap_or_default().0
    }

    fn files(self) -> Vec<FileSummary> {
        self.area.get().and_then(Result::ok).unwrap_or_default().1
    }
}

#[component]
fn AdminScreen() -> impl IntoView {
    let i18n = use_i18n();
    let sync = expect_context::<SyncStatus>();
    let SignedIn(session) = expect_context::<SignedIn>();
    let accounts = crate::fetched::Fetched::new(move || {
        let online = sync.online.get();
        let token = crate::store::vault::token();
        async move {
            if !online {
                return Err(ApiFailure::Offline);
            }
            api::admin_accounts(&token.unwrap_or_default()).await
        }
    });
    let area = crate::fetched::Fetched::new(move || {
        let online = sync.online.get();
        let token = crate::store::vault::token();
        async move {
            if !online {
                return Err(ApiFailure::Offline);
            }
            let token = token.unwrap_or_default();
            Ok((
                api::admin_places(&token).await?,
                api::admin_files(&token).await?,
            ))
        }
    });
    provide_context(AdminCtx {
        session,
        accounts,
        area,
    });
    let state = move || match accounts.get() {
        None => view! { <p class="muted">{i18n.t(Msg::Loading)}</p> }.into_any(),
        Some(Ok(_)) => ().into_any(),
        Some(Err(failure)) => view! {
            <div class="card problem" role="alert" data-testid="admin-problem">
                <p>{failure_text(&failure, i18n.lang())}</p>
                <button on:click=move |_| accounts.refetch()>{i18n.t(Msg::Retry)}</button>
            </div>
        }
        .into_any(),
    };
    let ready = move || matches!(accounts.get(), Some(Ok(_)));
    view! {
        <h1>{move || i18n.t(Msg::AdminTitle)}</h1>
        <p class="muted small">{move || i18n.t(Msg::AdminExplain)}</p>
        {state}
        // Kept mounted while the list reloads, so what is typed in the forms stays.
        <Show when=ready>
            <div class="admin">
                <AccountList />
                <NewAccountForm />
                <PasswordForm />
                <AssignmentForm />
                <LegalVillageForm />
                <RevokeDeviceForm />
                <VerifyChains />
                <ImportLedgers />
            </div>
        </Show>
    }
}

/// Why an administrative request failed, for the user. The server's own message is shown when
/// it explains something the user can fix (a taken user name, a short password).
fn failure_text(failure: &ApiFailure, lang: Lang) -> String {
    let own = |msg: Msg| msg.text(lang).to_owned();
    match failure {
        ApiFailure::Offline => own(Msg::AdminNeedsNetwork),
        ApiFailure::Unreadable(_) => own(Msg::AdminUnreadable),
        ApiFailure::Device(why) => format!("{}：{why}", own(Msg::DeviceKeyProblem)),
        ApiFailure::Refused { code, message, .. } => match code {
            // The server's words for these are about petitioner files.
            ApiErrorCode::Forbidden | ApiErrorCode::NotAllowed => own(Msg::AdminForbidden),
            ApiErrorCode::NotFound => own(Msg::AdminNotFound),
            _ if message.is_empty() => code.label(lang).to_owned(),
            _ => match lang {
                Lang::Zh => message.clone(),
                Lang::En => format!("{} ({message})", code.label(lang)),
            },
        },
    }
}

/// What the last request of one form came to, shown under it.
#[derive(Clone, Copy)]
struct Outcome {
    busy: RwSignal<bool>,
    said: RwSignal<Option<Result<Msg, ApiFailure>>>,
}

impl Outcome {
    fn new() -> Self {
        Outcome {
            busy: RwSignal::new(false),
            said: RwSignal::new(None),
        }
    }

    /// Sends `request` unless one is still on its way; on success says `done` and runs `then`.
    fn run<F>(self, request: F, done: Msg, then: impl FnOnce() + 'static)
    where
        F: Future<Output = Result<(), ApiFailure>> + 'static,
    {
        if self.busy.get_untracked() {
            return;
        }
        self.busy.set(true);
        self.said.set(None);
        spawn_local(async move {
            let result = request.await;
            self.busy.set(false);
            if result.is_ok() {
                then();
            }
            self.said.set(Some(result.map(|()| done)));
        });
    }
}

#[component]
fn OutcomeLine(outcome: Outcome) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        if outcome.busy.get() {
            return Some(
                view! { <p class="muted" role="status">{i18n.t(Msg::Sending)}</p> }.into_any(),
            );
        }
        outcome.said.get().map(|said| match said {
            Ok(done) => view! { <p class="done" role="status">{i18n.t(done)}</p> }.into_any(),
            Err(failure) => view! {
                <p class="error" role="alert">{failure_text(&failure, i18n.lang())}</p>
            }
            .into_any(),
        })
    }
}

/// A form's submit button, unusable while its request is on its way.
#[component]
fn SubmitButton(outcome: Outcome, label: Msg) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <button type="submit" class="primary wide" disabled=move || outcome.busy.get()>
            {move || i18n.t(label)}
        </button>
    }
}

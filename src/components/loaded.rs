//! Loading and failure as part of the view: a read from the phone's storage shows a loading
//! line, an error in the user's language with a retry, or its content — never a blank screen.

use crate::app::SignedIn;
use crate::fetched::Fetched;
use crate::i18n::{Msg, use_i18n};
use crate::nav::Redirect;
use crate::store::StoreError;
use leptos::prelude::*;
use std::sync::Arc;

/// `content` of the value once it is read. Only the typed step (the value into a view) is
/// compiled for each use; the three states are drawn by `shown`, compiled once.
pub fn loaded<T, V>(
    resource: Fetched<Result<T, StoreError>>,
    content: impl Fn(T) -> V + Send + Sync + 'static,
) -> AnyView
where
    T: Clone + 'static,
    V: IntoView + 'static,
{
    shown(
        Box::new(move || match resource.get() {
            None => Shown::Loading,
            Some(Ok(value)) => Shown::Ready(content(value).into_any()),
            Some(Err(e)) => Shown::Failed(e),
        }),
        Arc::new(move || resource.refetch()),
    )
}

enum Shown {
    Loading,
    Ready(AnyView),
    Failed(StoreError),
}

fn shown(
    state: Box<dyn Fn() -> Shown + Send + Sync>,
    retry: Arc<dyn Fn() + Send + Sync>,
) -> AnyView {
    let i18n = use_i18n();
    (move || match state() {
        Shown::Loading => view! { <p class="muted">{i18n.t(Msg::Loading)}</p> }.into_any(),
        Shown::Ready(view) => view,
        Shown::Failed(error) => {
            let retry = Arc::clone(&retry);
            view! { <LoadFailed error=error retry=move || retry() /> }.into_any()
        }
    })
    .into_any()
}

/// A read from the phone's storage failed: why, in the user's language, and a retry.
#[component]
pub fn LoadFailed(error: StoreError, retry: impl Fn() + Send + Sync + 'static) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="card problem">
            <p>{format!("{}：{error}", i18n.t(Msg::StorageProblem))}</p>
            <button on:click=move |_| retry()>{i18n.t(Msg::Retry)}</button>
        </div>
    }
}

/// Shows its children only to a signed-in user; sends everyone else to the sign-in page.
#[component]
pub fn RequireSession(children: ChildrenFn) -> impl IntoView {
    let SignedIn(session) = expect_context::<SignedIn>();
    view! {
        <Show
            when=move || session.get().is_some()
            fallback=|| view! { <Redirect href="/login" /> }
        >
            // A signed-in screen first after a start takes the static first screen's place.
            {crate::first_paint::hand_over()}
            {children()}
        </Show>
    }
}

/// The file named by the address's `:id`, as the phone shows it, read again whenever the phone's
/// data changes (a save, a download). With the id, for links back to the file.
pub fn file_from_address() -> (
    impl Fn() -> xiafang_core::FileId + Copy + Send + Sync + 'static,
    Fetched<Result<Option<crate::store::FileOnPhone>, StoreError>>,
) {
    let changes = crate::changes::use_changes();
    let file = crate::nav::use_param("id");
    let id = move || xiafang_core::FileId(file());
    let data = Fetched::new(move || {
        let id = id();
        changes.file(&id);
        async move { crate::store::shared().await?.file_on_phone(&id).await }
    });
    (id, data)
}

/// The file named by the address's `:id`, read once: a form must not be rebuilt (and lose what
/// was typed) when a sync finishes.
pub fn file_once_from_address() -> Fetched<Result<Option<crate::store::FileOnPhone>, StoreError>> {
    let file = crate::nav::use_param("id");
    Fetched::new(move || {
        let id = xiafang_core::FileId(file());
        async move { crate::store::shared().await?.file_on_phone(&id).await }
    })
}

/// The record id in the address parameter `name` (`:record`, say), if it is one.
pub fn record_id_from_address(
    name: &'static str,
) -> impl Fn() -> Option<xiafang_core::RecordId> + Copy + Send + Sync + 'static {
    let read = crate::nav::use_param(name);
    move || read().parse().ok()
}

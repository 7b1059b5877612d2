//! Loading and failure as part of the view: a read from the phone's storage shows a loading
//! line, an error in the user's language with a retry, or its content — never a blank screen.

use crate::app::SignedIn;
use crate::i18n::{Msg, use_i18n};
use crate::store::StoreError;
use leptos::either::EitherOf3;
use leptos::prelude::*;
use leptos_router::components::Redirect;

pub fn loaded<T, V>(
    resource: LocalResource<Result<T, StoreError>>,
    content: impl Fn(T) -> V + Send + Sync + 'static,
) -> impl IntoView
where
    T: Clone + 'static,
    V: IntoView + 'static,
{
    let i18n = use_i18n();
    move || match resource.get() {
        None => EitherOf3::A(view! { <p class="muted">{i18n.t(Msg::Loading)}</p> }),
        Some(Ok(value)) => EitherOf3::B(content(value)),
        Some(Err(e)) => EitherOf3::C(view! {
            <div class="card problem">
                <p>{format!("{}：{e}", i18n.t(Msg::StorageProblem))}</p>
                <button on:click=move |_| resource.refetch()>{i18n.t(Msg::Retry)}</button>
            </div>
        }),
    }
}

/// Shows its children only to a signed-in user; sends everyone else to the sign-in page.
#[component]
pub fn RequireSession(children: ChildrenFn) -> impl IntoView {
    let SignedIn(session) = expect_context::<SignedIn>();
    view! {
        <Show
            when=move || session.get().is_some()
            fallback=|| view! { <Redirect path="/login" /> }
        >
            {children()}
        </Show>
    }
}

//! The office screens (审核, 案件期限, 包案, 交办, 统计, 台账, 管理, 督办) as one lazily loaded wasm
//! chunk: `office_view` is a split point, so `cargo xtask build` moves everything only it reaches
//! into a chunk of its own that a phone fetches the first time an office screen opens. A cadre's
//! phone never opens one, so it never fetches the chunk (docs/ARCHITECTURE.md "One app, one
//! office chunk").

use crate::app::{NotFound, SignedIn};
use crate::i18n::{Msg, use_i18n};
use leptos::prelude::*;
use xiafang_core::account::Role;
use xiafang_core::{PetitionerFile, Record};

/// Which office screen to show.
#[derive(Clone)]
pub enum OfficePage {
    Cases,
    Ownership,
    Tasks,
    Figures,
    Ledgers,
    Admin,
    ReviewQueue,
    ReviewRecord,
    /// The 督办 form on a file; with a record, it amends that record.
    Supervision(Box<(PetitionerFile, Option<Record>)>),
}

/// The chunk could not be fetched (offline before it was ever fetched, or the server is down).
pub struct ChunkMissing;

impl From<leptos::wasm_split::SplitLoaderError> for ChunkMissing {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        ChunkMissing
    }
}

/// The split point: its body and everything only it reaches are the office chunk.
#[leptos::wasm_split::wasm_split(office, wasm_split_path = ::leptos::wasm_split, fallible)]
fn office_view(page: OfficePage) -> Result<AnyView, ChunkMissing> {
    use super::{admin, console, forms, review};
    Ok(match page {
        OfficePage::Cases => view! { <console::CasesPage /> }.into_any(),
        OfficePage::Ownership => view! { <console::OwnershipPage /> }.into_any(),
        OfficePage::Tasks => view! { <console::TasksPage /> }.into_any(),
        OfficePage::Figures => view! { <console::FiguresPage /> }.into_any(),
        OfficePage::Ledgers => view! { <console::LedgersPage /> }.into_any(),
        OfficePage::Admin => view! { <admin::AdminPage /> }.into_any(),
        OfficePage::ReviewQueue => view! { <review::ReviewQueuePage /> }.into_any(),
        OfficePage::ReviewRecord => view! { <review::ReviewRecordPage /> }.into_any(),
        OfficePage::Supervision(form) => {
            let (file, original) = *form;
            forms::supervision(file, original)
        }
    })
}

/// An office screen: for a supervisor or administrator, the chunk's screen once it is here;
/// for anyone else "page not found", and nothing is fetched.
#[component]
pub fn Office(page: OfficePage) -> impl IntoView {
    let role = expect_context::<SignedIn>()
        .0
        .get_untracked()
        .map(|s| s.account.role);
    match role {
        Some(Role::Supervisor | Role::Admin) => view! { <Fetched page /> }.into_any(),
        _ => view! { <NotFound /> }.into_any(),
    }
}

#[component]
fn Fetched(page: OfficePage) -> impl IntoView {
    let i18n = use_i18n();
    let attempt = RwSignal::new(0u32);
    let loading = move || {
        view! {
            <section class="card" data-testid="office-loading" aria-live="polite">
                <p>{i18n.t(Msg::OfficeLoading)}</p>
            </section>
        }
    };
    view! {
        <Suspense fallback=loading>
            {move || {
                attempt.track();
                let page = page.clone();
                Suspend::new(async move {
                    match office_view(page).await {
                        Ok(screen) => {
                            keep_offline();
                            screen
                        }
                        Err(ChunkMissing) => view! {
                            <section class="card" aria-live="polite">
                                <p class="error" role="alert" data-testid="office-offline">
                                    {i18n.t(Msg::OfficeNeedsNetwork)}
                                </p>
                                <button class="primary" on:click=move |_| attempt.update(|n| *n += 1)>
                                    {i18n.t(Msg::Retry)}
                                </button>
                            </section>
                        }
                        .into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

/// Tells the service worker this phone uses the office screens, so it keeps the chunk for
/// offline use and the next release precaches it. The worker does the same when it served the
/// chunk itself; this covers a first visit whose page it did not control yet. Asked again at each
/// office screen; the worker copies the chunk from its cache, so that costs no download.
fn keep_offline() {
    leptos::task::spawn_local(async {
        if let Err(e) = tell_worker().await {
            web_sys::console::warn_2(&"the office chunk is not kept for offline use".into(), &e);
        }
    });
}

async fn tell_worker() -> Result<(), wasm_bindgen::JsValue> {
    use wasm_bindgen::JsCast;
    let window = web_sys::window().ok_or("no window")?;
    let ready = window.navigator().service_worker().ready()?;
    let registration = wasm_bindgen_futures::JsFuture::from(ready).await?;
    let active = js_sys::Reflect::get(&registration, &"active".into())?;
    let post = js_sys::Reflect::get(&active, &"postMessage".into())?
        .dyn_into::<js_sys::Function>()
        .map_err(|_| "no active service worker")?;
    post.call1(&active, &"office".into())?;
    Ok(())
}

/// The office screen at `page`, for a route.
pub fn office(page: OfficePage) -> impl IntoView {
    view! { <Office page /> }
}

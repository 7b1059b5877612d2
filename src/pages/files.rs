//! 我的档案: the petitioner files assigned to the cadre, searchable by name and village.

use super::team_desk::TeamDesk;
use crate::components::{RequireSession, loaded};
use crate::i18n::{Msg, use_i18n};
use crate::store;
use crate::sync::SyncStatus;
use leptos::prelude::*;
use leptos_router::components::A;
use xiafang_core::PetitionerFile;

/// File cards drawn at first, and added by each 显示更多.
const PAGE: usize = 50;

#[component]
pub fn FilesPage() -> impl IntoView {
    let i18n = use_i18n();
    let sync = expect_context::<SyncStatus>();
    let query = RwSignal::new(String::new());
    // How many cards are drawn: a township's 2,000 files would take seconds to lay out on a cheap
    // phone at every start and keystroke, and nobody scrolls through them; search narrows instead.
    let shown = RwSignal::new(PAGE);
    let files = LocalResource::new(move || {
        sync.data_version.track();
        async move {
            let mut files = store::shared().await?.files().await?;
            files.sort_by(|a, b| {
                (&a.township, &a.village, &a.name).cmp(&(&b.township, &b.village, &b.name))
            });
            Ok(files)
        }
    });
    view! {
        <RequireSession>
            <TeamDesk />
            <h1>{move || i18n.t(Msg::MyFiles)}</h1>
            <input
                class="search"
                type="search"
                name="search"
                placeholder=move || i18n.t(Msg::SearchPlaceholder)
                prop:value=move || query.get()
                on:input:target=move |ev| {
                    query.set(ev.target().value());
                    shown.set(PAGE);
                }
            />
            {loaded(files, move |files: Vec<PetitionerFile>| {
                move || {
                    if files.is_empty() {
                        return view! { <p class="muted">{i18n.t(Msg::NoFilesYet)}</p> }.into_any();
                    }
                    let q = query.get();
                    let matching: Vec<_> = files.iter().filter(|f| f.matches(&q)).collect();
                    if matching.is_empty() {
                        return view! { <p class="muted">{i18n.t(Msg::NoMatches)}</p> }.into_any();
                    }
                    let more = matching.len().saturating_sub(shown.get());
                    view! {
                        <ul class="files" data-testid="file-list">
                            {matching
                                .into_iter()
                                .take(shown.get())
                                .map(|file| view! { <FileCard file=file.clone() /> })
                                .collect_view()}
                        </ul>
                        {(more > 0).then(|| view! {
                            <button
                                class="more"
                                data-testid="more-files"
                                on:click=move |_| shown.update(|n| *n += PAGE)
                            >
                                {format!("{}（{more}）", i18n.t(Msg::MoreFiles))}
                            </button>
                        })}
                    }
                        .into_any()
                }
            })}
        </RequireSession>
    }
}

#[component]
fn FileCard(file: PetitionerFile) -> impl IntoView {
    let i18n = use_i18n();
    let lang = i18n.lang();
    let flags: Vec<_> = file.matter.flags.iter().map(|f| f.label(lang)).collect();
    view! {
        <li>
            <A href=format!("/files/{}", file.id)>
                <strong class="name">{file.name.clone()}</strong>
                <span class="place">{format!("{} · {}", file.township, file.village)}</span>
                <span class="matter">
                    {file.matter.category.label(lang)} " · " {file.matter.resolution.label(lang)}
                </span>
                {(!flags.is_empty()).then(|| view! { <span class="flags">{flags.join("、")}</span> })}
            </A>
        </li>
    }
}

//! The values of a file's fields that lost to concurrent edits, read from the server while
//! online. Personal data: fetched each time the file is shown, never stored on the phone.

use crate::api::{self, ApiFailure};
use crate::i18n::{Msg, use_i18n};
use crate::sync::SyncStatus;
use chrono::Local;
use leptos::prelude::*;
use xiafang_core::FileId;
use xiafang_core::dates::DayMinute;
use xiafang_core::file_edit::FileConflict;

/// The conflicts of file `file`, read again whenever the phone goes online or its data changes
/// (an upload may have merged an edit that made one); empty while offline or signed out.
pub fn conflicts_of(
    file: impl Fn() -> FileId + 'static,
) -> crate::fetched::Fetched<Vec<FileConflict>> {
    let sync = expect_context::<SyncStatus>();
    let changes = crate::changes::use_changes();
    crate::fetched::Fetched::new(move || {
        let online = sync.online.get();
        let token = crate::store::vault::token();
        let file = file();
        changes.file(&file);
        async move {
            let token = match token {
                Some(token) if online => token,
                _ => return Vec::new(),
            };
            match api::conflicts(&token, &file).await {
                Ok(list) => list,
                Err(ApiFailure::Offline) => Vec::new(),
                // The status line already says when the session ended or the server fails;
                // this card is only extra information.
                Err(e) => {
                    web_sys::console::warn_1(&format!("conflicts not read: {e}").into());
                    Vec::new()
                }
            }
        }
    })
}

/// A "字段冲突" card when the file has conflicts; otherwise nothing.
#[component]
pub fn Conflicts(list: crate::fetched::Fetched<Vec<FileConflict>>) -> impl IntoView {
    move || {
        list.get()
            .filter(|list| !list.is_empty())
            .map(|list| view! { <ConflictCard list /> })
    }
}

#[component]
fn ConflictCard(list: Vec<FileConflict>) -> impl IntoView {
    let i18n = use_i18n();
    let lang = i18n.lang();
    let shown = move |value: &str| {
        if value.trim().is_empty() {
            i18n.t(Msg::EmptyValue).to_owned()
        } else {
            format!("「{value}」")
        }
    };
    let items = list
        .iter()
        .map(|c| {
            view! {
                <li>
                    <strong>{c.field.label(lang)}</strong>
                    <span class="kept">{format!("{}{}", i18n.t(Msg::ConflictKept), shown(&c.kept))}</span>
                    <span class="lost">{format!("{}{}", i18n.t(Msg::ConflictLost), shown(&c.lost))}</span>
                    <time>{DayMinute(c.at.with_timezone(&Local)).to_string()}</time>
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="card conflicts" data-testid="conflicts">
            <h2>{i18n.t(Msg::Conflicts)}</h2>
            <p class="muted small">{i18n.t(Msg::ConflictsExplain)}</p>
            <ul>{items}</ul>
        </section>
    }
}

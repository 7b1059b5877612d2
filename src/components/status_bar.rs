//! The status line every screen shows: online or not, how many records wait, the last upload, when
//! the phone last heard from the server, and what puts the phone's records at risk.

use crate::i18n::{Msg, use_i18n};
use crate::sync::{SyncProblem, SyncStatus};
use chrono::Local;
use leptos::prelude::*;
use xiafang_core::dates::MonthDayMinute;

#[component]
pub fn StatusBar() -> impl IntoView {
    let i18n = use_i18n();
    let sync = expect_context::<SyncStatus>();
    let online = move || {
        if sync.online.get() {
            i18n.t(Msg::Online)
        } else {
            i18n.t(Msg::Offline)
        }
    };
    // How many records wait, and when the last upload was. A phone that never uploaded and has
    // nothing waiting (a fresh sign-in, a supervisor who only reads) says only that nothing
    // waits: 全部已上传 beside 尚未上传 would contradict itself.
    let pending = move || match (sync.pending.get(), sync.last_upload.get()) {
        (0, Some(_)) => i18n.t(Msg::AllUploaded).to_owned(),
        (0, None) => i18n.t(Msg::NothingToUpload).to_owned(),
        (n, _) => format!("{n} {}", i18n.t(Msg::PendingUploads)),
    };
    let last = move || match sync.last_upload.get() {
        Some(at) => Some(format!(
            "{} {}",
            i18n.t(Msg::LastUpload),
            MonthDayMinute(at.with_timezone(&Local))
        )),
        None if sync.pending.get() > 0 => Some(i18n.t(Msg::NeverUploaded).to_owned()),
        None => None,
    };
    // When the phone last heard from the server: how fresh the records on screen are.
    let heard = move || {
        sync.last_heard.get().map(|at| {
            format!(
                "{} {}",
                i18n.t(Msg::LastHeard),
                MonthDayMinute(at.with_timezone(&Local))
            )
        })
    };
    let problem = move || {
        sync.problem.get().map(|p| match p {
            SyncProblem::SignedOut => i18n.t(Msg::SessionEnded).to_owned(),
            SyncProblem::Server => i18n.t(Msg::ServerProblem).to_owned(),
            SyncProblem::Storage(e) => format!("{}：{e}", i18n.t(Msg::StorageProblem)),
            SyncProblem::Revoked => i18n.t(Msg::DeviceRevokedWaiting).to_owned(),
        })
    };
    // The button keeps the width of its wider label: the label it does not show sits in the
    // same grid cell, hidden (`data-other`, drawn by the style sheet's `::after`).
    let label = move |busy: bool| i18n.t(if busy { Msg::Uploading } else { Msg::UploadNow });
    view! {
        // `data-heard`: the instant of the last answer, for tests that wait for a run to reach the
        // server (the text shows minutes only).
        //
        // Three lines of fixed height, whatever they say: a line that wrapped when the button
        // read 正在上传… or a count grew moved the screen under a finger about to tap 更正 or 作废.
        // A text too long for its line is cut with an ellipsis instead. The button comes last, read
        // after what it acts on; the style sheet places it beside the first line.
        <div
            class="status"
            role="status"
            data-testid="status"
            data-heard=move || sync.last_heard.get().map(|at| at.timestamp_millis().to_string())
        >
            <p class="line">
                <span class="net" class:offline=move || !sync.online.get() data-testid="net">
                    {online}
                </span>
                " "
                <span data-testid="pending" data-count=move || sync.pending.get().to_string()>
                    {pending}
                </span>
                <Show when=move || { sync.pending_images.get() > 0 }>
                    " "
                    <span data-testid="pending-images" data-count=move || sync.pending_images.get().to_string()>
                        {move || format!("{} {}", sync.pending_images.get(), i18n.t(Msg::PendingImages))}
                    </span>
                </Show>
            </p>
            <p class="line last">
                {move || last().map(|l| view! { <span data-testid="last-upload">{l}</span> })}
            </p>
            <p class="line last">
                {move || heard().map(|h| view! { <span data-testid="last-heard">{h}</span> })}
            </p>
            <button
                class="small"
                data-testid="upload-now"
                data-other=move || label(!sync.busy.get())
                disabled=move || sync.busy.get()
                on:click=move |_| sync.upload_now()
            >
                <span>{move || label(sync.busy.get())}</span>
            </button>
            {move || problem().map(|p| view! { <p class="problem">{p}</p> })}
            <Show when=move || sync.storage_at_risk.get()>
                <p class="warning" data-testid="storage-warning">
                    {move || i18n.t(Msg::StorageNotPersistent)}
                </p>
            </Show>
        </div>
    }
}

//! 管理 → 导入台账 (issue 18 item 1): the office's workbook is checked by the server first and
//! every problem shown by sheet, row and column; 导入 is offered only after a check found none.
//! The file goes straight to the server and is never kept on the phone.

use super::{AdminCtx, failure_text};
use crate::api::{self, ApiFailure};
use crate::i18n::{Msg, use_i18n};
use leptos::html::Input;
use leptos::prelude::*;
use leptos::task::spawn_local;
use xiafang_core::Lang;
use xiafang_core::ledger_import::ImportReport;

/// The server's limit (`server/src/import::MAX_UPLOAD_BYTES`), checked here first so a big file
/// is not sent for nothing.
const MAX_BYTES: f64 = 16.0 * 1024.0 * 1024.0;

/// What the last check or import came to.
#[derive(Clone)]
enum Said {
    Report(ImportReport),
    Failed(ApiFailure),
    Local(Msg),
}

#[component]
pub(super) fn ImportLedgers() -> impl IntoView {
    let i18n = use_i18n();
    let admin = expect_context::<AdminCtx>();
    let input: NodeRef<Input> = NodeRef::new();
    let busy = RwSignal::new(false);
    let said: RwSignal<Option<Said>> = RwSignal::new(None);
    // The bytes last checked without a problem: what 导入 sends.
    let checked: StoredValue<Option<Vec<u8>>> = StoredValue::new(None);
    let can_import = RwSignal::new(false);

    let send = move |dry_run: bool| {
        if busy.get_untracked() {
            return;
        }
        let file = input
            .get_untracked()
            .and_then(|i| i.files())
            .and_then(|f| f.get(0));
        let held = checked.get_value();
        busy.set(true);
        said.set(None);
        can_import.set(false);
        let token = admin.token();
        spawn_local(async move {
            let bytes = match (dry_run, held, file) {
                (false, Some(bytes), _) => Ok(bytes),
                (_, _, None) => Err(Msg::ImportNoFile),
                (_, _, Some(file)) if file.size() > MAX_BYTES => Err(Msg::ImportTooLarge),
                (_, _, Some(file)) => read(&file).await.ok_or(Msg::ImportUnreadableFile),
            };
            let bytes = match bytes {
                Ok(bytes) => bytes,
                Err(msg) => {
                    busy.set(false);
                    said.set(Some(Said::Local(msg)));
                    return;
                }
            };
            let answer = api::import::admin_import(&token, &bytes, dry_run).await;
            busy.set(false);
            match answer {
                Ok(report) => {
                    let clean = report.problems.is_empty();
                    can_import.set(dry_run && clean);
                    checked.set_value((dry_run && clean).then_some(bytes));
                    if report.stored {
                        admin.reload();
                        admin.area.refetch();
                    }
                    said.set(Some(Said::Report(report)));
                }
                Err(failure) => said.set(Some(Said::Failed(failure))),
            }
        });
    };
    let changed = move |_| {
        checked.set_value(None);
        can_import.set(false);
        said.set(None);
    };
    let shown = move || {
        let lang = i18n.lang();
        said.get().map(|s| match s {
            Said::Report(report) => report_view(&report, lang).into_any(),
            Said::Failed(failure) => {
                view! { <p class="error" role="alert">{failure_text(&failure, lang)}</p> }
                    .into_any()
            }
            Said::Local(msg) => {
                view! { <p class="error" role="alert">{msg.text(lang)}</p> }.into_any()
            }
        })
    };
    view! {
        <section class="card" data-testid="import-ledgers">
            <h2>{move || i18n.t(Msg::ImportTitle)}</h2>
            <p class="muted small">{move || i18n.t(Msg::ImportExplain)}</p>
            <label class="field">
                <span class="label">{move || i18n.t(Msg::ImportFile)}</span>
                <input
                    type="file"
                    accept=".xlsx,.csv"
                    node_ref=input
                    on:change=changed
                    data-testid="import-file"
                />
            </label>
            <Show when=move || busy.get()>
                <p class="muted" role="status">{move || i18n.t(Msg::ImportChecking)}</p>
            </Show>
            {shown}
            <button class="wide" on:click=move |_| send(true) disabled=move || busy.get()>
                {move || i18n.t(Msg::ImportCheck)}
            </button>
            <Show when=move || can_import.get()>
                <button
                    class="primary wide"
                    on:click=move |_| send(false)
                    disabled=move || busy.get()
                >
                    {move || i18n.t(Msg::ImportRun)}
                </button>
            </Show>
        </section>
    }
}

/// The file's bytes, read in the browser.
async fn read(file: &web_sys::File) -> Option<Vec<u8>> {
    let buffer = wasm_bindgen_futures::JsFuture::from(file.array_buffer())
        .await
        .ok()?;
    Some(js_sys::Uint8Array::new(&buffer).to_vec())
}

fn report_view(report: &ImportReport, lang: Lang) -> impl IntoView + use<> {
    let fill = |msg: Msg| {
        msg.text(lang)
            .replace("{n}", &report.problems.len().to_string())
            .replace("{new}", &report.new.text(lang))
            .replace("{already}", &report.already.text(lang))
    };
    if report.problems.is_empty() {
        let msg = if report.stored {
            Msg::ImportDone
        } else {
            Msg::ImportReady
        };
        return view! { <p class="done" role="status" data-testid="import-counts">{fill(msg)}</p> }
            .into_any();
    }
    let rows: Vec<_> = report
        .problems
        .iter()
        .map(|p| {
            view! {
                <tr>
                    <td>{p.sheet.clone()}</td>
                    <td>{p.row}</td>
                    <td>{p.column.clone()}</td>
                    <td>{p.text.clone()}</td>
                </tr>
            }
        })
        .collect();
    view! {
        <p class="error" role="alert">{fill(Msg::ImportProblems)}</p>
        <div class="table-wrap">
            <table class="import-problems" data-testid="import-problems">
                <thead>
                    <tr>
                        <th>{Msg::ImportSheet.text(lang)}</th>
                        <th>{Msg::ImportRow.text(lang)}</th>
                        <th>{Msg::ImportColumn.text(lang)}</th>
                        <th>{Msg::ImportProblem.text(lang)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}

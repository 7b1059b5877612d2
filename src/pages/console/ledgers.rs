//! 台账: the visit, assistance and case ledgers of the supervisor's area for a period, written by
//! the server as Excel or CSV (`GET /api/ledgers/…`) and saved by the browser. Nothing of it is
//! kept on the phone, so it needs a connection and says so when there is none.

use super::{PeriodFields, PeriodInput};
use crate::api::{self, ApiFailure, Download};
use crate::app::SignedIn;
use crate::components::{Choice, RequireSession};
use crate::i18n::{Msg, use_i18n};
use crate::sync::SyncStatus;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::{JsCast, JsValue};
use xiafang_core::Lang;
use xiafang_core::api_error::ApiErrorCode;
use xiafang_core::ledgers::LedgerKind;

/// What the last download came to.
#[derive(Clone)]
enum Outcome {
    Saved(String),
    Failed(String),
}

#[component]
pub fn LedgersPage() -> impl IntoView {
    let i18n = use_i18n();
    let sync = expect_context::<SyncStatus>();
    let SignedIn(session) = expect_context::<SignedIn>();
    let kind = RwSignal::new(LedgerKind::Visits);
    let format = RwSignal::new("xlsx".to_owned());
    let period = PeriodInput::this_year();
    let busy = RwSignal::new(false);
    let outcome = RwSignal::new(None::<Outcome>);
    let download = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(chosen) = period.period() else {
            return;
        };
        if busy.get_untracked() {
            return;
        }
        let token = crate::store::vault::token();
        let (kind, format) = (kind.get_untracked(), format.get_untracked());
        busy.set(true);
        outcome.set(None);
        spawn_local(async move {
            let lang = i18n.lang_untracked();
            let fetched = api::ledger(
                &token.unwrap_or_default(),
                kind.key(),
                chosen.from(),
                chosen.to(),
                &format,
            )
            .await;
            let fallback = format!(
                "{}-{}-{}.{format}",
                kind.label(lang),
                chosen.from(),
                chosen.to()
            );
            let result = match fetched {
                Ok(file) => save(&file, &fallback)
                    .map(Outcome::Saved)
                    .unwrap_or_else(|e| Outcome::Failed(crate::js_error::text(&e))),
                Err(failure) => Outcome::Failed(failure_text(&failure, lang)),
            };
            busy.set(false);
            outcome.set(Some(result));
        });
    };
    let scope = move || {
        session.with(|s| {
            s.as_ref()
                .map(|s| format!("{}{}", i18n.t(Msg::LedgerScope), s.account.place))
        })
    };
    view! {
        <RequireSession>
            <section class="console ledgers">
                <h1>{move || i18n.t(Msg::NavLedgers)}</h1>
                <p class="muted small">{move || i18n.t(Msg::LedgerExplain)}</p>
                <Show when=move || !sync.online.get()>
                    <p class="card problem" role="alert" data-testid="ledgers-offline">
                        {move || i18n.t(Msg::LedgerNeedsNetwork)}
                    </p>
                </Show>
                <form class="card" on:submit=download>
                    <p data-testid="ledger-scope">{scope}</p>
                    <Choice name="ledger" label=Msg::LedgerLabel value=kind />
                    <PeriodFields period />
                    <label class="field">
                        <span class="label">{move || i18n.t(Msg::FormatLabel)}</span>
                        <select name="format" on:change:target=move |ev| format.set(ev.target().value())>
                            <option value="xlsx" selected=move || format.get() == "xlsx">{move || i18n.t(Msg::FormatXlsx)}</option>
                            <option value="csv" selected=move || format.get() == "csv">{move || i18n.t(Msg::FormatCsv)}</option>
                        </select>
                    </label>
                    <button
                        type="submit"
                        class="primary wide"
                        disabled=move || busy.get() || !sync.online.get() || period.period().is_none()
                    >
                        {move || i18n.t(if busy.get() { Msg::Downloading } else { Msg::Download })}
                    </button>
                    {move || outcome.get().map(|o| match o {
                        Outcome::Saved(name) => view! {
                            <p class="done" role="status" data-testid="ledger-saved">{format!("{}{name}", i18n.t(Msg::LedgerSaved))}</p>
                        }.into_any(),
                        Outcome::Failed(why) => view! { <p class="error" role="alert">{why}</p> }.into_any(),
                    })}
                </form>
            </section>
        </RequireSession>
    }
}

fn failure_text(failure: &ApiFailure, lang: Lang) -> String {
    match failure {
        ApiFailure::Offline => Msg::LedgerNeedsNetwork.text(lang).into(),
        ApiFailure::Refused {
            code: ApiErrorCode::NotAllowed | ApiErrorCode::Forbidden,
            ..
        } => Msg::LedgerForbidden.text(lang).into(),
        ApiFailure::Refused { code, message, .. } if message.is_empty() => code.label(lang).into(),
        ApiFailure::Refused { message, .. } => message.clone(),
        ApiFailure::Unreadable(_) => Msg::AdminUnreadable.text(lang).into(),
        ApiFailure::Device(why) => format!("{}：{why}", Msg::DeviceKeyProblem.text(lang)),
    }
}

/// Hands the file to the browser's downloads through an object URL and `<a download>`; returns
/// the name it was saved under.
fn save(file: &Download, fallback: &str) -> Result<String, JsValue> {
    let name = file.name.clone().unwrap_or_else(|| fallback.to_owned());
    let bytes = js_sys::Uint8Array::from(file.bytes.as_slice());
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(&file.mime);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(
        &js_sys::Array::of1(&bytes),
        &options,
    )?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let document = window().document().ok_or("no document")?;
    let link: web_sys::HtmlAnchorElement = document.create_element("a")?.unchecked_into();
    link.set_href(&url);
    link.set_download(&name);
    let body = document.body().ok_or("no body")?;
    body.append_child(&link)?;
    link.click();
    link.remove();
    // The browser has started reading the blob by now; the URL is not needed afterwards.
    // Through `later`: this screen is in the office chunk.
    crate::later::after(
        std::time::Duration::from_secs(60),
        Box::new(move || {
            if let Err(e) = web_sys::Url::revoke_object_url(&url) {
                web_sys::console::warn_1(&e);
            }
        }),
    );
    Ok(name)
}

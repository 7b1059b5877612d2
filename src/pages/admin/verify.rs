//! 核验记录链 on the admin screen (issue 19): the server re-checks every record chain and
//! signed statement; each finding is shown in the words the command line uses
//! (`xiafang_core::verify::Finding::text`), in the chosen language.

use super::{AdminCtx, failure_text};
use crate::api::{self, ApiFailure};
use crate::i18n::{Msg, use_i18n};
use leptos::prelude::*;
use leptos::task::spawn_local;
use xiafang_core::api_error::ApiErrorCode;
use xiafang_core::verify::VerifyReport;

#[component]
pub(super) fn VerifyChains() -> impl IntoView {
    let i18n = use_i18n();
    let admin = expect_context::<AdminCtx>();
    let busy = RwSignal::new(false);
    let result: RwSignal<Option<Result<VerifyReport, ApiFailure>>> = RwSignal::new(None);
    let run = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        result.set(None);
        let token = admin.token();
        spawn_local(async move {
            let answer = api::admin_verify(&token).await;
            busy.set(false);
            result.set(Some(answer));
        });
    };
    let shown = move || {
        let lang = i18n.lang();
        result.get().map(|answer| match answer {
            Ok(report) => report_view(&report, lang).into_any(),
            Err(ApiFailure::Refused {
                code: ApiErrorCode::Busy,
                ..
            }) => view! { <p class="error" role="alert">{i18n.t(Msg::VerifyBusy)}</p> }.into_any(),
            Err(failure) => {
                view! { <p class="error" role="alert">{failure_text(&failure, lang)}</p> }
                    .into_any()
            }
        })
    };
    view! {
        <section class="card" data-testid="verify-chains">
            <h2>{move || i18n.t(Msg::VerifyTitle)}</h2>
            <p class="muted small">{move || i18n.t(Msg::VerifyExplain)}</p>
            <Show when=move || busy.get()>
                <p class="muted" role="status">{move || i18n.t(Msg::VerifyRunning)}</p>
            </Show>
            {shown}
            <button class="primary wide" on:click=run disabled=move || busy.get()>
                {move || i18n.t(Msg::VerifyRun)}
            </button>
        </section>
    }
}

fn report_view(report: &VerifyReport, lang: xiafang_core::Lang) -> impl IntoView + use<> {
    let counts = |msg: Msg| {
        msg.text(lang)
            .replace("{chains}", &report.chains.to_string())
            .replace("{records}", &report.records.to_string())
            .replace("{statements}", &report.statements.to_string())
            .replace("{n}", &report.findings.len().to_string())
            .replace("{elsewhere}", &report.elsewhere.to_string())
    };
    let summary = if report.all_match() {
        view! { <p class="done" role="status">{counts(Msg::VerifyAllMatch)}</p> }.into_any()
    } else if report.findings.is_empty() {
        ().into_any()
    } else {
        view! { <p class="error" role="alert">{counts(Msg::VerifyFound)}</p> }.into_any()
    };
    let elsewhere = (report.elsewhere > 0)
        .then(|| view! { <p class="error">{counts(Msg::VerifyElsewhere)}</p> });
    let items: Vec<_> = report
        .findings
        .iter()
        .map(|f| view! { <li class="finding">{f.text(lang)}</li> })
        .collect();
    view! {
        {summary}
        <ul class="findings" data-testid="verify-findings">{items}</ul>
        {elsewhere}
    }
}

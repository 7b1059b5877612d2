//! What the phone found when it checked a file's chain (issue 19): on the file page, each
//! record the server no longer has as this phone keeps it, named by its place, kind and day;
//! on the list, the files so marked.

use crate::changes::use_changes;
use crate::i18n::{Msg, use_i18n};
use crate::store::{self, FileChainState, LocalRecord};
use leptos::prelude::*;
use xiafang_core::Lang;
use xiafang_core::dates::Day;
use xiafang_core::held_chain::Mismatch;

/// One line per mismatch, in the user's language.
fn line(m: &Mismatch, records: &[LocalRecord], lang: Lang) -> String {
    let what = records
        .iter()
        .find(|l| l.record.id == *m.id())
        .map(|l| {
            format!(
                "{} {}",
                Day(l.record.occurred_at),
                l.record.body.kind_label(lang)
            )
        })
        .unwrap_or_default();
    let msg = match m {
        Mismatch::Changed { .. } => Msg::ChainChanged,
        Mismatch::Vanished { .. } => Msg::ChainVanished,
        Mismatch::Moved { .. } => Msg::ChainMoved,
        Mismatch::Inserted { .. } => Msg::ChainInserted,
        Mismatch::Relinked { .. } => Msg::ChainRelinked,
    };
    msg.text(lang)
        .replace("{n}", &(m.position() + 1).to_string())
        .replace("{what}", &what)
}

/// The file page's warning, or a quiet line saying how many records matched and when;
/// nothing before the phone first checked the file. Drawn again when the language changes (a
/// component's own body reads the language once).
#[component]
pub fn ChainWarning(chain: Option<FileChainState>, records: Vec<LocalRecord>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        chain
            .as_ref()
            .map(|chain| drawn(chain, &records, i18n.lang()))
    }
}

fn drawn(chain: &FileChainState, records: &[LocalRecord], lang: Lang) -> AnyView {
    let day = |d: Option<chrono::NaiveDate>| d.map(|d| Day(d).to_string());
    if chain.mismatches.is_empty() {
        let n = chain.held.ids.len();
        let text = Msg::ChainMatched
            .text(lang)
            .replace("{n}", &n.to_string())
            .replace("{d}", &day(chain.matched_on).unwrap_or_default());
        return view! { <p class="muted" data-testid="chain-matched" data-length=n>{text}</p> }
            .into_any();
    }
    let matched = match day(chain.matched_on) {
        Some(d) => Msg::ChainLastMatched.text(lang).replace("{d}", &d),
        None => Msg::ChainNeverMatched.text(lang).to_owned(),
    };
    view! {
        <section class="card problem" role="alert" data-testid="chain-warning">
            <h2>{Msg::ChainWarningTitle.text(lang)}</h2>
            <ul>
                {chain
                    .mismatches
                    .iter()
                    .map(|m| view! { <li>{line(m, records, lang)}</li> })
                    .collect_view()}
            </ul>
            <p>{matched}</p>
            <p>{Msg::ChainKeptHere.text(lang)}</p>
        </section>
    }
    .into_any()
}

/// The files the phone found rewritten on the server, above the file list.
#[component]
pub fn ChainAlerts() -> impl IntoView {
    let i18n = use_i18n();
    let changes = use_changes();
    let marked = crate::fetched::Fetched::new(move || {
        changes.any();
        async move {
            let store = store::shared().await?;
            let states = store.chain_states().await?;
            let mut files: Vec<(String, String)> = Vec::new();
            for (id, state) in states {
                if state.mismatches.is_empty() {
                    continue;
                }
                let name = store.file(&id).await?.map(|f| f.name).unwrap_or_default();
                files.push((format!("/files/{id}"), name));
            }
            files.sort();
            Ok::<_, store::StoreError>(files)
        }
    });
    move || {
        let files = match marked.get() {
            Some(Ok(files)) if !files.is_empty() => files,
            // A failure to read shows nowhere here: the file page says it for its file.
            _ => return None,
        };
        Some(view! {
            <section class="card problem" role="alert" data-testid="chain-alerts">
                <p>{i18n.t(Msg::ChainAlerts)}</p>
                <ul>
                    {files
                        .into_iter()
                        .map(|(href, name)| view! { <li><a href=href>{name}</a></li> })
                        .collect_view()}
                </ul>
            </section>
        })
    }
}

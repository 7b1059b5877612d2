//! After each good sync run, the phone checks its copies against the server's chains (issue
//! 19): it asks for the heads of its files, and only for a file whose head moved since the
//! phone last accepted it (new records, or a rewrite) it asks for that file's chain and runs
//! `xiafang_core::held_chain::check` over its own copies. What no longer matches marks the file
//! (kept with the phone's copy, never replaced by the server's) and is reported; a report waits
//! on the phone until the server has it.

use super::SyncStatus;
use crate::api::{self, ApiFailure};
use crate::store::vault;
use crate::store::{self, FileChainState, SeenStatement, Store};
use leptos::task::spawn_local;
use std::cell::Cell;
use xiafang_core::chain::included;
use xiafang_core::chain_check::{ChainReport, FileChain, MAX_REPORT_MISMATCHES};
use xiafang_core::held_chain::{Mismatch, agrees, check};
use xiafang_core::roots::SignatureAlgorithm;
use xiafang_core::{FileId, case::china_date};

thread_local! {
    /// A check runs in this tab (`Some`), and whether another was asked for meanwhile: that one
    /// follows it, so the last run's downloads are always checked.
    static CHECKING: Cell<Option<bool>> = const { Cell::new(None) };
}

/// Why a check stopped.
enum Stopped {
    Store(store::StoreError),
    Api(ApiFailure),
}

impl std::fmt::Display for Stopped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Stopped::Store(e) => e.fmt(f),
            Stopped::Api(e) => e.fmt(f),
        }
    }
}

impl From<store::StoreError> for Stopped {
    fn from(e: store::StoreError) -> Self {
        Stopped::Store(e)
    }
}

impl From<ApiFailure> for Stopped {
    fn from(e: ApiFailure) -> Self {
        Stopped::Api(e)
    }
}

impl SyncStatus {
    /// Checks the files whose chains moved; the files whose state changed are said to have
    /// changed, so a file page shows the outcome.
    pub(super) fn check_chains(self) {
        if CHECKING.with(Cell::get).is_some() {
            CHECKING.with(|c| c.set(Some(true)));
            return;
        }
        CHECKING.with(|c| c.set(Some(false)));
        let changes = self.changes;
        spawn_local(async move {
            loop {
                match check_all().await {
                    Ok(changed) if !changed.is_empty() => changes.changed_files(&changed),
                    Ok(_) | Err(Stopped::Api(ApiFailure::Offline)) => {}
                    Err(e) => web_sys::console::warn_1(&format!("chains not checked: {e}").into()),
                }
                if CHECKING.with(Cell::get) != Some(true) {
                    break;
                }
                CHECKING.with(|c| c.set(Some(false)));
            }
            CHECKING.with(|c| c.set(None));
        });
    }
}

/// Returns the files whose chain state changed.
async fn check_all() -> Result<Vec<FileId>, Stopped> {
    let Some(credentials) = vault::credentials() else {
        return Ok(Vec::new());
    };
    let token = credentials.token;
    let store = store::shared().await?;
    send_reports(&store, &token).await?;
    let heads = api::chain_heads(&token).await?;
    let mut states = store.chain_states().await?;
    let today = china_date(chrono::Utc::now());
    let mut marked = Vec::new();
    for head in heads.heads {
        let mut state = states.remove(&head.file).unwrap_or_default();
        let unchanged = state.held.ids.len() as u64 == head.anchor.length
            && state.held.head() == head.anchor.head
            && state.mismatches.is_empty();
        if unchanged {
            if state.matched_on != Some(today) {
                state.matched_on = Some(today);
                store.keep_chain_state(&head.file, &state, None).await?;
            }
            continue;
        }
        let since = state.statement.as_ref().map_or(0, |s| s.seq);
        let stated = api::file_chain(&token, &head.file, since).await?;
        let before = state.clone();
        let report = check_file(&store, &mut state, stated, today).await?;
        store
            .keep_chain_state(&head.file, &state, report.as_ref())
            .await?;
        if state != before {
            marked.push(head.file.clone());
        }
    }
    if let Some(report) = send_reports(&store, &token).await.err() {
        web_sys::console::warn_1(&format!("chain report not sent: {report}").into());
    }
    Ok(marked)
}

/// Checks one file's stated chain against the phone's copies, updating `state`; returns the
/// report to send when what no longer matches is new.
async fn check_file(
    store: &Store,
    state: &mut FileChainState,
    stated: FileChain,
    today: chrono::NaiveDate,
) -> Result<Option<ChainReport>, Stopped> {
    let copies = store.chain_copies(&stated.file).await?;
    let checked = check(&state.held, &copies, &stated.links);
    let mut mismatches = checked.mismatches;
    if let Some(proof) = stated.statement {
        let in_root = included(
            &proof.head,
            proof.index as usize,
            proof.statement.files as usize,
            &proof.path,
            &proof.statement.root,
        );
        match agrees(&checked.held, &proof.head.anchor) {
            // The server signed a head its own records no longer give to the phone's copies.
            Some(false) if mismatches.is_empty() => {
                let n = proof.head.anchor.length as usize;
                if let Some(id) = checked.held.ids.get(n.saturating_sub(1)) {
                    mismatches.push(Mismatch::Relinked {
                        position: n.saturating_sub(1) as u64,
                        id: *id,
                    });
                }
            }
            Some(true) if in_root => {
                // Browsers verify Ed25519, not SM2: a deployment signing with SM2 has its
                // statements kept unchecked here (`xiafang-server verify` checks them).
                let signed = match proof.algorithm {
                    SignatureAlgorithm::Ed25519 => {
                        signature_holds(
                            &proof.public_key,
                            &proof.statement.statement_bytes(),
                            &proof.signature,
                        )
                        .await
                    }
                    SignatureAlgorithm::Sm2 => None,
                };
                // A signature that does not hold is no statement; a browser without Ed25519
                // keeps it unchecked.
                if signed != Some(false) {
                    state.statement = Some(SeenStatement {
                        seq: proof.statement.seq,
                        day: proof.statement.day,
                        head: proof.head,
                        signature_checked: signed == Some(true),
                    });
                }
            }
            _ => {}
        }
    }
    state.held = checked.held;
    if mismatches.is_empty() {
        state.matched_on = Some(today);
        state.mismatches.clear();
        return Ok(None);
    }
    if mismatches == state.mismatches {
        return Ok(None);
    }
    mismatches.truncate(MAX_REPORT_MISMATCHES);
    state.mismatches = mismatches.clone();
    Ok(Some(ChainReport {
        id: uuid::Uuid::new_v4(),
        file: stated.file,
        mismatches,
        last_matched: state.matched_on,
    }))
}

/// Sends every waiting report; one the server refuses for good (not readable any more, not
/// valid) is dropped, the others wait for the next run.
async fn send_reports(store: &Store, token: &str) -> Result<(), Stopped> {
    for report in store.waiting_chain_reports().await? {
        match api::report_chain(token, &report).await {
            Ok(()) => store.drop_chain_report(&report).await?,
            Err(ApiFailure::Refused { status, .. }) if status == 400 || status == 404 => {
                web_sys::console::warn_1(&format!("chain report refused: {status}").into());
                store.drop_chain_report(&report).await?;
            }
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}

/// Whether `signature` (hex) is the Ed25519 signature of `message` by `public_key` (hex), by
/// Web Crypto; `None` where the browser cannot tell (no Ed25519) or the hex is not hex.
async fn signature_holds(public_key: &str, message: &[u8], signature: &str) -> Option<bool> {
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    let (key, signature) = (from_hex(public_key)?, from_hex(signature)?);
    let subtle = web_sys::window()?.crypto().ok()?.subtle();
    let uses: js_sys::Array = std::iter::once(wasm_bindgen::JsValue::from_str("verify")).collect();
    let imported = subtle
        .import_key_with_str(
            "raw",
            &js_sys::Uint8Array::from(key.as_slice()),
            "Ed25519",
            false,
            &uses,
        )
        .ok()?;
    let key: web_sys::CryptoKey = JsFuture::from(imported).await.ok()?.dyn_into().ok()?;
    let verified = subtle
        .verify_with_str_and_u8_array_and_u8_array("Ed25519", &key, &signature, message)
        .ok()?;
    JsFuture::from(verified).await.ok()?.as_bool()
}

fn from_hex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

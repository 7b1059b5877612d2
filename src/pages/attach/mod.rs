//! Having a record signed (签名确认) or photographed (拍照) on the phone: the two pages, the
//! signature pad, the photo's compression, and the save that keeps the image before its record.

mod compress;
mod pad;
mod photo;
mod save;
mod sign;

pub use photo::PhotoPage;
pub use sign::SignPage;

use crate::app::SignedIn;
use crate::components::{RequireSession, file_once_from_address, loaded, record_id_from_address};
use crate::i18n::{Msg, use_i18n};
use crate::store::FileOnPhone;
use leptos::prelude::*;
use xiafang_core::dates::DayMinute;
use xiafang_core::judge::{may_attach, phone_reach};
use xiafang_core::ledger::Standing;
use xiafang_core::upload::SyncState;
use xiafang_core::{PetitionerFile, Record, RecordBody, RecordId};

/// The record an image is for, within its file as the phone holds it.
#[derive(Clone)]
struct Target {
    file: PetitionerFile,
    /// The version that counts now (after amendments): what the signer reads.
    current: Record,
    /// The first version: the image names it, so a later amendment shows against the signature.
    original: RecordId,
}

/// Which records an image fits, and what to say on the others.
#[derive(Clone, Copy)]
struct Fits {
    kind: fn(&RecordBody) -> bool,
    otherwise: Msg,
}

/// Finds the record `id` of `shown` and the versions an image needs, or why it takes none.
fn target(shown: &FileOnPhone, id: RecordId, fits: Fits) -> Result<Target, Msg> {
    let find = |id: RecordId| shown.timeline.iter().find(|l| l.record.id == id);
    let named = find(id).ok_or(Msg::RecordMissing)?;
    let standings = shown.standings();
    let mut current = named;
    // Chains are short; the bound only guards against a malformed cycle.
    for _ in 0..=shown.timeline.len() {
        match standings.get(&current.record.id) {
            Some(Standing::Amended { by }) => current = find(*by).ok_or(Msg::RecordMissing)?,
            Some(Standing::Voided { .. }) => return Err(Msg::NotAttachable),
            Some(Standing::Current) | None => break,
        }
    }
    if matches!(current.state, SyncState::Rejected { .. }) {
        return Err(Msg::NotAttachable);
    }
    let mut original = &named.record;
    for _ in 0..=shown.timeline.len() {
        match original.amends.and_then(find) {
            Some(earlier) => original = &earlier.record,
            None => break,
        }
    }
    if !(fits.kind)(&current.record.body) {
        return Err(fits.otherwise);
    }
    Ok(Target {
        file: shown.file.clone(),
        current: current.record.clone(),
        original: original.id,
    })
}

/// Reads the file and record named in the address once (a sync finishing must not wipe a drawn
/// signature or a chosen photo) and shows `content` for them, or why it cannot be shown.
fn attach_page(
    fits: Fits,
    content: impl Fn(Target) -> AnyView + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let data = file_once_from_address();
    let record = record_id_from_address("rid");
    // The judge's rule for what the phone's account may attach; the server decides in the end.
    let writes = expect_context::<SignedIn>()
        .0
        .get_untracked()
        .is_some_and(|s| may_attach(s.account.role, phone_reach(s.account.role)));
    let content = StoredValue::new(content);
    view! {
        <RequireSession>
            {loaded(data, move |shown: Option<FileOnPhone>| {
                let problem = |msg: Msg| {
                    view! { <p class="card problem" data-testid="attach-problem">{i18n.t(msg)}</p> }
                        .into_any()
                };
                let Some(shown) = shown else {
                    return problem(Msg::FileMissing);
                };
                if !writes {
                    return problem(Msg::AttachNotAllowed);
                }
                match record().ok_or(Msg::RecordMissing).and_then(|id| target(&shown, id, fits)) {
                    Ok(target) => content.with_value(|show| show(target)),
                    Err(msg) => problem(msg),
                }
            })}
        </RequireSession>
    }
}

/// Which record the image is for: its kind and time.
#[component]
fn TargetHeading(record: Record) -> impl IntoView {
    let lang = use_i18n().lang();
    view! {
        <p class="muted">
            <strong>{record.body.kind_label(lang)}</strong>
            " "
            <time>{DayMinute(record.occurred_at).to_string()}</time>
        </p>
    }
}

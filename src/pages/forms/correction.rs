//! 更正 and 作废: correcting one of the cadre's own records. Both write a new record and leave
//! the original in the timeline: an amendment is the original's form filled with its values, a
//! void says why the record no longer counts.

use super::draft::{Draft, DraftActions};
use super::kinds::record_form;
use super::summary::RecordSummary;
use crate::app::SignedIn;
use crate::components::{
    RequireSession, TextField, file_once_from_address, loaded, record_id_from_address,
};
use crate::i18n::{Msg, use_i18n};
use crate::store::FileOnPhone;
use leptos::prelude::*;
use xiafang_core::record::Void;
use xiafang_core::{Field, PetitionerFile, Record, RecordBody, RecordId};

/// `/files/:id/amend/:record`: the record's own form, filled with its values.
#[component]
pub fn AmendPage() -> impl IntoView {
    let i18n = use_i18n();
    correction_page(move |file, original| {
        // A kind no form amends (a signature, a photo) is voided instead.
        let form = record_form(original.body.kind_key(), file, Some(original.clone()))
            .unwrap_or_else(|| {
                view! { <p class="card problem">{i18n.t(Msg::NotCorrectable)}</p> }.into_any()
            });
        view! {
            <h1>{i18n.t(Msg::AmendTitle)}</h1>
            <RecordSummary record=original />
            <p class="muted small">{i18n.t(Msg::AmendExplain)}</p>
            {form}
        }
        .into_any()
    })
}

/// `/files/:id/void/:record`: which record, and the reason it no longer counts.
#[component]
pub fn VoidPage() -> impl IntoView {
    let i18n = use_i18n();
    correction_page(move |_, target| {
        view! {
            <h1>{i18n.t(Msg::VoidTitle)}</h1>
            <RecordSummary record=target.clone() />
            <p class="muted small">{i18n.t(Msg::VoidExplain)}</p>
            <VoidForm target />
        }
        .into_any()
    })
}

/// Reads the file and the record named in the address and shows `content` for them, or why
/// the record cannot be corrected here.
fn correction_page(
    content: impl Fn(PetitionerFile, Record) -> AnyView + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let data = file_once_from_address();
    let record = record_id_from_address("record");
    let me = expect_context::<SignedIn>()
        .0
        .get_untracked()
        .map(|s| s.account);
    let shown_for = StoredValue::new(move |shown: &FileOnPhone, id: RecordId| {
        let local = me.as_ref().and_then(|me| shown.correctable(id, me))?;
        Some(content(shown.file.clone(), local.record.clone()))
    });
    view! {
        <RequireSession>
            {loaded(data, move |shown: Option<FileOnPhone>| {
                let Some(shown) = shown else {
                    return view! { <p class="card problem">{i18n.t(Msg::FileMissing)}</p> }.into_any();
                };
                let Some(id) = record().filter(|id| shown.timeline.iter().any(|l| l.record.id == *id)) else {
                    return view! { <p class="card problem">{i18n.t(Msg::RecordMissing)}</p> }.into_any();
                };
                shown_for
                    .with_value(|show| show(&shown, id))
                    .unwrap_or_else(|| {
                        view! { <p class="card problem">{i18n.t(Msg::NotCorrectable)}</p> }.into_any()
                    })
            })}
        </RequireSession>
    }
}

#[component]
fn VoidForm(target: Record) -> impl IntoView {
    let draft = Draft::new(target.file_id.clone(), None);
    let reason = RwSignal::new(String::new());
    let errors = draft.errors;
    let target = target.id;
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let void = Void {
            target,
            reason: reason.get().trim().to_owned(),
        };
        draft.save(RecordBody::Void(void), Vec::new());
    };
    view! {
        <form class="card record-form" on:submit=submit novalidate>
            <TextField field=Field::Reason value=reason errors multiline=true />
            <DraftActions draft save_label=Msg::ConfirmVoid />
        </form>
    }
}

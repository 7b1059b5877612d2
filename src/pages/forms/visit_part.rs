//! `/files/:id/part/:record`: a participant adds their own part to a joint visit (the lawyer's
//! explanation of the law, say). It is a record of its own, so nobody's text is overwritten, and
//! it is written offline like any other.

use super::draft::{Draft, DraftActions, WhenField};
use super::summary::RecordSummary;
use crate::app::SignedIn;
use crate::components::{
    RequireSession, TextField, file_once_from_address, loaded, record_id_from_address,
};
use crate::i18n::{Msg, use_i18n};
use crate::store::FileOnPhone;
use leptos::prelude::*;
use xiafang_core::account::Role;
use xiafang_core::legal::VisitPart;
use xiafang_core::{Field, FileId, Record, RecordBody, RecordId};

#[component]
pub fn VisitPartPage() -> impl IntoView {
    let i18n = use_i18n();
    let data = file_once_from_address();
    let record = record_id_from_address("record");
    view! {
        <RequireSession>
            <h1>{i18n.t(Msg::AddVisitPart)}</h1>
            {loaded(data, move |shown: Option<FileOnPhone>| {
                let visit = shown.and_then(|s| {
                    let id = record()?;
                    s.timeline
                        .into_iter()
                        .map(|l| l.record)
                        .find(|r| r.id == id && matches!(r.body, RecordBody::Visit(_)))
                });
                match visit {
                    None => view! { <p class="card problem">{i18n.t(Msg::RecordMissing)}</p> }.into_any(),
                    Some(visit) => view! {
                        <RecordSummary record=visit.clone() />
                        <VisitPartForm file_id=visit.file_id.clone() of=visit.id original=None />
                    }
                    .into_any(),
                }
            })}
        </RequireSession>
    }
}

/// The participant's part of visit `of`; with `original`, an amendment of their earlier part.
#[component]
pub(super) fn VisitPartForm(
    file_id: FileId,
    of: RecordId,
    #[prop(optional_no_strip)] original: Option<Record>,
) -> impl IntoView {
    let i18n = use_i18n();
    let draft = Draft::new(file_id, original.as_ref());
    let before = original.and_then(|r| match r.body {
        RecordBody::VisitPart(p) => Some(p),
        _ => None,
    });
    let account = expect_context::<SignedIn>()
        .0
        .get_untracked()
        .map(|s| s.account);
    // A team member's role is their title; anyone else starts from their role's name.
    let role_name = account
        .map(|a| match (a.role, a.legal_title) {
            (Role::Legal, Some(title)) => title.label(i18n.lang()).to_owned(),
            (role, _) => role.label(i18n.lang()).to_owned(),
        })
        .unwrap_or_default();
    let role = RwSignal::new(before.as_ref().map_or(role_name, |p| p.role.clone()));
    let text = RwSignal::new(before.map(|p| p.text).unwrap_or_default());
    let errors = draft.errors;
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let part = VisitPart {
            of,
            role: role.get(),
            text: text.get(),
        };
        draft.save(RecordBody::VisitPart(part), Vec::new());
    };
    view! {
        <form class="card record-form" on:submit=submit novalidate>
            <WhenField draft />
            <TextField field=Field::PartRole value=role errors />
            <TextField field=Field::PartText value=text errors multiline=true />
            <DraftActions draft />
        </form>
    }
}

//! 修改档案信息: the file's editable fields (phone, address, household, tags, ID number), filled with what
//! the phone shows. Saving writes one `FileEdit` record per changed field, stamped by the phone's
//! hybrid logical clock, all in one storage transaction; the server merges them field by field.

use super::draft::{Draft, DraftActions};
use crate::components::{RequireSession, TextField, loaded};
use crate::i18n::{Msg, use_i18n};
use crate::store::settings;
use crate::store::{self, FileOnPhone};
use gloo_storage::errors::StorageError;
use leptos::prelude::*;
use xiafang_core::file_edit::{EditableField, FileEdit};
use xiafang_core::hlc::Hlc;
use xiafang_core::{Field, FileId, RecordBody};

/// `/files/:id/edit`.
#[component]
pub fn FileEditPage() -> impl IntoView {
    let i18n = use_i18n();
    let file = crate::nav::use_param("id");
    let id = move || FileId(file());
    // Read once: the form must not be rebuilt (and lose what was typed) when a sync finishes.
    let data = crate::fetched::Fetched::new(move || {
        let id = id();
        async move { store::shared().await?.file_on_phone(&id).await }
    });
    view! {
        <RequireSession>
            <a href=move || format!("/files/{}", id()) class="back">
                {move || format!("‹ {}", i18n.t(Msg::Back))}
            </a>
            <h1>{move || i18n.t(Msg::EditFileTitle)}</h1>
            {loaded(data, move |shown: Option<FileOnPhone>| {
                match shown {
                    None => view! { <p class="card problem">{i18n.t(Msg::FileMissing)}</p> }.into_any(),
                    Some(shown) => view! { <FileEditForm shown /> }.into_any(),
                }
            })}
        </RequireSession>
    }
}

/// One editable field: the value shown when the form opened (the edit's base) and what is typed.
#[derive(Clone)]
struct Input {
    field: EditableField,
    base: String,
    value: RwSignal<String>,
}

impl Input {
    /// The field's new value in its stored form, when it differs from what was shown.
    fn change(&self) -> Option<String> {
        let typed = self.field.normalize(&self.value.get_untracked());
        (typed != self.field.normalize(&self.base)).then_some(typed)
    }
}

#[component]
fn FileEditForm(shown: FileOnPhone) -> impl IntoView {
    let i18n = use_i18n();
    let draft = Draft::new(shown.file.id.clone(), None);
    let errors = draft.errors;
    let inputs: Vec<Input> = EditableField::ALL
        .iter()
        .map(|&field| {
            let base = shown.file.field_value(field);
            Input {
                field,
                value: RwSignal::new(base.clone()),
                base,
            }
        })
        .collect();
    // Stamps already made for this file, here or on other phones: new ones must come after.
    let seen: Vec<Hlc> = shown
        .timeline
        .iter()
        .filter_map(|l| match &l.record.body {
            RecordBody::FileEdit(e) => Some(e.stamp),
            _ => None,
        })
        .collect();
    let controls = inputs
        .iter()
        .map(|input| {
            let value = input.value;
            match input.field {
                EditableField::Phone => view! {
                    <TextField field=Field::Phone value errors input_type="tel" inputmode="tel" />
                }
                .into_any(),
                EditableField::Address => {
                    view! { <TextField field=Field::Address value errors /> }.into_any()
                }
                EditableField::Household => {
                    view! { <TextField field=Field::Household value errors multiline=true /> }
                        .into_any()
                }
                EditableField::Tags => {
                    view! { <TextField field=Field::Tags value errors hint=Msg::TagsHint /> }
                        .into_any()
                }
                // In full here only: whoever reaches this form may edit the file.
                EditableField::IdNumber => view! {
                    <TextField field=Field::IdNumber value errors hint=Msg::IdNumberHint />
                }
                .into_any(),
            }
        })
        .collect_view();
    let inputs = StoredValue::new(inputs);
    let seen = StoredValue::new(seen);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let changes: Vec<(EditableField, String, String)> = inputs.with_value(|inputs| {
            inputs
                .iter()
                .filter_map(|i| Some((i.field, i.base.clone(), i.change()?)))
                .collect()
        });
        if changes.is_empty() {
            draft.fail(Msg::NothingChanged);
            return;
        }
        let now = js_sys::Date::now() as i64;
        let mut clock = settings::clock();
        seen.with_value(|seen| seen.iter().for_each(|stamp| clock.observe(stamp, now)));
        let bodies = changes
            .into_iter()
            .map(|(field, base, value)| {
                RecordBody::FileEdit(FileEdit {
                    field,
                    base,
                    value,
                    stamp: clock.tick(now),
                })
            })
            .collect();
        // The clock is kept before its stamps are used, so no later edit can reuse them.
        draft.save_all(bodies, Vec::new(), move || {
            settings::save_clock(&clock).map_err(|e| match e {
                StorageError::JsError(js) if js.name == "QuotaExceededError" => Msg::StorageFull,
                e => {
                    web_sys::console::error_1(&format!("clock not kept: {e}").into());
                    Msg::SaveFailed
                }
            })
        });
    };

    view! {
        <form class="card record-form" on:submit=submit novalidate>
            <p class="muted small">{move || i18n.t(Msg::EditFileExplain)}</p>
            {controls}
            <DraftActions draft />
        </form>
    }
}

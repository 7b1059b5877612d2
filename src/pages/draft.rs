//! What the three record forms share: the time field, validation through `xiafang_core`,
//! saving to the phone, and the save/cancel bar. A record is shown as saved only after the
//! storage transaction committed; on any failure the form keeps what was typed.

use crate::app::SignedIn;
use crate::components::{FormErrors, TextField};
use crate::i18n::{Msg, use_i18n};
use crate::store::{self, StoreError};
use crate::sync::SyncStatus;
use chrono::{Local, NaiveDate, NaiveDateTime, Utc};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use xiafang_core::{Field, FieldError, FileId, Problem, Record, RecordBody, RecordId};

#[derive(Clone, Copy)]
pub struct Draft {
    file_id: StoredValue<FileId>,
    pub occurred_at: RwSignal<String>,
    pub errors: FormErrors,
    saving: RwSignal<bool>,
    failure: RwSignal<Option<Msg>>,
}

impl Draft {
    pub fn new(file_id: FileId) -> Self {
        Draft {
            file_id: StoredValue::new(file_id),
            occurred_at: RwSignal::new(Local::now().format("%Y-%m-%dT%H:%M").to_string()),
            errors: FormErrors::new(),
            saving: RwSignal::new(false),
            failure: RwSignal::new(None),
        }
    }

    pub fn file_href(self) -> String {
        format!("/files/{}", self.file_id.get_value())
    }

    /// Validates and saves; `problems` are what the form itself found while reading its fields
    /// (an unreadable date or amount). Navigates back to the file once saved.
    pub fn save(self, body: RecordBody, mut problems: Vec<FieldError>) {
        let Some(session) = expect_context::<SignedIn>().0.get_untracked() else {
            return;
        };
        let sync = expect_context::<SyncStatus>();
        let navigate = use_navigate();
        let occurred_at = match parse_datetime(&self.occurred_at.get_untracked()) {
            Some(at) => at,
            None => {
                problems.push(FieldError::new(Field::OccurredAt, Problem::Required));
                Local::now().naive_local()
            }
        };
        let record = Record {
            id: RecordId::new_random(),
            file_id: self.file_id.get_value(),
            author: session.account.id.clone(),
            author_name: session.account.display_name.clone(),
            occurred_at,
            saved_at: Utc::now(),
            amends: None,
            body,
        };
        if let Err(found) = record.validate() {
            problems.extend(found);
        }
        self.errors.0.set(problems.clone());
        if !problems.is_empty() {
            self.failure.set(Some(Msg::FixErrors));
            return;
        }
        self.failure.set(None);
        self.saving.set(true);
        let href = self.file_href();
        spawn_local(async move {
            let saved = match store::shared().await {
                Ok(store) => store.save_new(&record).await,
                Err(e) => Err(e),
            };
            self.saving.set(false);
            match saved {
                Ok(_) => {
                    sync.saved();
                    navigate(&href, Default::default());
                }
                Err(StoreError::Quota) => self.failure.set(Some(Msg::StorageFull)),
                Err(e) => {
                    web_sys::console::error_1(&format!("save failed: {e}").into());
                    self.failure.set(Some(Msg::SaveFailed));
                }
            }
        });
    }
}

pub fn parse_datetime(text: &str) -> Option<NaiveDateTime> {
    let text = text.trim();
    NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S"))
        .ok()
}

/// An optional date field: empty is `None`; anything unreadable is reported against `field`.
pub fn parse_optional_date(
    text: &str,
    field: Field,
    problems: &mut Vec<FieldError>,
) -> Option<NaiveDate> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let parsed = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok();
    if parsed.is_none() {
        problems.push(FieldError::new(field, Problem::DateOutOfRange));
    }
    parsed
}

/// The time field every record starts with.
#[component]
pub fn WhenField(draft: Draft) -> impl IntoView {
    view! {
        <TextField
            field=Field::OccurredAt
            value=draft.occurred_at
            errors=draft.errors
            input_type="datetime-local"
        />
    }
}

/// Save and cancel, with the reason the last save attempt failed.
#[component]
pub fn DraftActions(draft: Draft) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        {move || {
            draft.failure.get().map(|m| view! { <p class="error form-error" role="alert">{i18n.t(m)}</p> })
        }}
        <div class="form-actions">
            <button type="submit" class="primary" disabled=move || draft.saving.get()>
                {move || if draft.saving.get() { i18n.t(Msg::Saving) } else { i18n.t(Msg::Save) }}
            </button>
            <A href=draft.file_href() attr:class="button">{move || i18n.t(Msg::Cancel)}</A>
        </div>
    }
}

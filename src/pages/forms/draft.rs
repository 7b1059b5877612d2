//! What the record forms share: the time field, validation through `xiafang_core`, saving to
//! the phone (an amendment names the record it corrects), and the save/cancel bar. A record is
//! shown as saved only after the storage transaction committed; on any failure the form keeps
//! what was typed.

use crate::app::SignedIn;
use crate::components::{FormErrors, TextField};
use crate::i18n::{Msg, use_i18n};
use crate::store::{self, StoreError};
use crate::sync::SyncStatus;
use chrono::{Local, NaiveDate, NaiveDateTime, Utc};
use leptos::prelude::*;
use leptos::task::spawn_local;
use xiafang_core::dates;
use xiafang_core::{Field, FieldError, FileId, Problem, Record, RecordBody, RecordId};

/// What a form is saving: the file, the record it amends, the time, and how the save went.
#[derive(Clone, Copy)]
pub struct Draft {
    file_id: StoredValue<FileId>,
    /// The record this draft corrects, when it is an amendment.
    amends: Option<RecordId>,
    pub occurred_at: RwSignal<String>,
    pub errors: FormErrors,
    saving: RwSignal<bool>,
    failure: RwSignal<Option<Msg>>,
    /// Where saving or cancelling leads: the file, unless the form came from elsewhere.
    back: StoredValue<Option<String>>,
}

impl Draft {
    /// A new record on `file_id`; with `original`, an amendment of it, starting from its time.
    pub fn new(file_id: FileId, original: Option<&Record>) -> Self {
        let occurred_at = original.map_or_else(|| Local::now().naive_local(), |r| r.occurred_at);
        Draft {
            file_id: StoredValue::new(file_id),
            amends: original.map(|r| r.id),
            occurred_at: RwSignal::new(dates::input_minute(occurred_at)),
            errors: FormErrors::new(),
            saving: RwSignal::new(false),
            failure: RwSignal::new(None),
            back: StoredValue::new(None),
        }
    }

    /// Saving or cancelling leads to `href` instead of the file (the review queue, say).
    pub fn returning_to(self, href: &str) -> Self {
        self.back.set_value(Some(href.to_owned()));
        self
    }

    pub fn file_href(self) -> String {
        self.back
            .get_value()
            .unwrap_or_else(|| format!("/files/{}", self.file_id.get_value()))
    }

    /// Why the last save attempt failed, if it did (the review's decision buttons: office only).
    pub fn failure(self) -> Option<Msg> {
        self.failure.get()
    }

    pub fn is_saving(self) -> bool {
        self.saving.get()
    }

    /// Shows why nothing was saved, above the save button.
    pub fn fail(self, why: Msg) {
        self.errors.0.set(Vec::new());
        self.failure.set(Some(why));
    }

    /// Validates and saves one record; `problems` are what the form itself found while reading
    /// its fields (an unreadable date or amount). Navigates back to the file once saved.
    pub fn save(self, body: RecordBody, problems: Vec<FieldError>) {
        self.save_all(vec![body], problems, || Ok(()));
    }

    /// Validates and saves one record per body, all in one storage transaction: either all are
    /// on the phone or none is. `prepare` runs once they are valid, just before they are
    /// stored, and can still stop the save with the message to show.
    pub fn save_all(
        self,
        bodies: Vec<RecordBody>,
        mut problems: Vec<FieldError>,
        prepare: impl FnOnce() -> Result<(), Msg>,
    ) {
        let Some(session) = expect_context::<SignedIn>().0.get_untracked() else {
            return;
        };
        let sync = expect_context::<SyncStatus>();
        let nav = crate::nav::use_nav();
        let occurred_at = match parse_datetime(&self.occurred_at.get_untracked()) {
            Some(at) => at,
            None => {
                problems.push(FieldError::new(Field::OccurredAt, Problem::Required));
                Local::now().naive_local()
            }
        };
        let saved_at = Utc::now();
        let records: Vec<Record> = bodies
            .into_iter()
            .map(|body| Record {
                id: RecordId::new_random(),
                file_id: self.file_id.get_value(),
                author: session.account.id.clone(),
                author_name: session.account.display_name.clone(),
                occurred_at,
                saved_at,
                amends: self.amends,
                body,
            })
            .collect();
        for found in records.iter().filter_map(|r| r.validate().err()) {
            for problem in found {
                // Several records of one save can share a problem (the time, say): show it once.
                if !problems.contains(&problem) {
                    problems.push(problem);
                }
            }
        }
        self.errors.0.set(problems.clone());
        if !problems.is_empty() {
            self.failure.set(Some(Msg::FixErrors));
            return;
        }
        if let Err(why) = prepare() {
            self.failure.set(Some(why));
            return;
        }
        self.failure.set(None);
        self.saving.set(true);
        let href = self.file_href();
        let file_id = self.file_id.get_value();
        spawn_local(async move {
            let saved = match store::shared().await {
                Ok(store) => store.save_all(&records).await,
                Err(e) => Err(e),
            };
            self.saving.set(false);
            match saved {
                Ok(_) => {
                    sync.saved(&file_id);
                    nav.go(&href);
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

/// A `datetime-local` input's time.
pub fn parse_datetime(text: &str) -> Option<NaiveDateTime> {
    dates::parse_input_minute(text.trim())
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
    let parsed = dates::parse_day(text);
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
pub fn DraftActions(
    draft: Draft,
    /// What the save button says, when not "保存到手机".
    #[prop(optional)]
    save_label: Option<Msg>,
) -> impl IntoView {
    let i18n = use_i18n();
    let label = save_label.unwrap_or(Msg::Save);
    view! {
        {move || {
            draft.failure.get().map(|m| view! { <p class="error form-error" role="alert">{i18n.t(m)}</p> })
        }}
        <div class="form-actions">
            <button type="submit" class="primary" disabled=move || draft.saving.get()>
                {move || if draft.saving.get() { i18n.t(Msg::Saving) } else { i18n.t(label) }}
            </button>
            <a href=draft.file_href() class="button">{move || i18n.t(Msg::Cancel)}</a>
        </div>
    }
}

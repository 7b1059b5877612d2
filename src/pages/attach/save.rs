//! Saving an image with its record: the image first, then the record, so a record on the phone
//! always has its image (an image whose record then failed is dropped again). Shown as saved only
//! once both are stored; when the phone is full nothing changes and the form keeps its content.

use crate::app::SignedIn;
use crate::components::FormErrors;
use crate::i18n::{Msg, use_i18n};
use crate::store::{self, StoreError};
use crate::sync::SyncStatus;
use chrono::{Local, Utc};
use leptos::prelude::*;
use leptos::task::spawn_local;
use xiafang_core::kinds::blob_of;
use xiafang_core::{FileId, Record, RecordBody, RecordId};

/// A signature or photo being saved: its file, the problems found, and how the save went.
#[derive(Clone, Copy)]
pub(super) struct AttachDraft {
    file_id: StoredValue<FileId>,
    pub errors: FormErrors,
    failure: RwSignal<Option<Msg>>,
    saving: RwSignal<bool>,
}

impl AttachDraft {
    pub fn new(file_id: FileId) -> Self {
        AttachDraft {
            file_id: StoredValue::new(file_id),
            errors: FormErrors::new(),
            failure: RwSignal::new(None),
            saving: RwSignal::new(false),
        }
    }

    fn file_href(self) -> String {
        format!("/files/{}", self.file_id.get_value())
    }

    /// Shows why nothing was saved, above the save button.
    pub fn fail(self, why: Msg) {
        self.failure.set(Some(why));
    }

    /// Validates the record carrying `bytes` (the image its body names) and saves both, then
    /// goes back to the file.
    pub fn save(self, body: RecordBody, bytes: Vec<u8>) {
        let Some(session) = expect_context::<SignedIn>().0.get_untracked() else {
            return;
        };
        let Some(image) = blob_of(&body).cloned() else {
            return;
        };
        let sync = expect_context::<SyncStatus>();
        let nav = crate::nav::use_nav();
        let record = Record {
            id: RecordId::new_random(),
            file_id: self.file_id.get_value(),
            author: session.account.id.clone(),
            author_name: session.account.display_name.clone(),
            // Signed or photographed now, in front of the cadre.
            occurred_at: Local::now().naive_local(),
            saved_at: Utc::now(),
            amends: None,
            body,
        };
        let problems = record.validate().err().unwrap_or_default();
        self.errors.0.set(problems.clone());
        if !problems.is_empty() {
            self.failure.set(Some(Msg::FixErrors));
            return;
        }
        self.failure.set(None);
        self.saving.set(true);
        let href = self.file_href();
        let file_id = self.file_id.get_value();
        spawn_local(async move {
            let saved = async {
                let store = store::shared().await?;
                let added = store.keep_blob(&image, &bytes, record.id).await?;
                if let Err(e) = store.save_new(&record).await {
                    // The record is not there: its image would only take room (unless it was on
                    // the phone before, for another record).
                    if added && let Err(forget) = store.forget_blob(&image.sha256).await {
                        web_sys::console::warn_1(&format!("image not dropped: {forget}").into());
                    }
                    return Err(e);
                }
                Ok::<(), StoreError>(())
            };
            let saved = saved.await;
            self.saving.set(false);
            match saved {
                Ok(()) => {
                    sync.saved(&file_id);
                    nav.go(&href);
                }
                Err(StoreError::Quota) => self.failure.set(Some(Msg::ImageStorageFull)),
                Err(e) => {
                    web_sys::console::error_1(&format!("image save failed: {e}").into());
                    self.failure.set(Some(Msg::SaveFailed));
                }
            }
        });
    }
}

/// The save button (saying `label`) and cancel, with the reason the last attempt failed.
#[component]
pub(super) fn SaveBar(
    draft: AttachDraft,
    label: Msg,
    /// True while the image is still being prepared.
    #[prop(into)]
    busy: Signal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        {move || {
            draft
                .failure
                .get()
                .map(|m| view! { <p class="error form-error" role="alert">{i18n.t(m)}</p> })
        }}
        <div class="form-actions">
            <button type="submit" class="primary" disabled=move || draft.saving.get() || busy.get()>
                {move || if draft.saving.get() { i18n.t(Msg::Saving) } else { i18n.t(label) }}
            </button>
            <a href=draft.file_href() class="button">{move || i18n.t(Msg::Cancel)}</a>
        </div>
    }
}

//! `/files/:id/records/:rid/photo`: a photo from the phone's camera (or its gallery) attached to
//! a record, compressed on the phone before it is kept, with what it shows and a caption.

use super::compress::{MIME, compress};
use super::save::{AttachDraft, SaveBar};
use super::{Fits, Target, TargetHeading, attach_page};
use crate::components::{Choice, TextField};
use crate::i18n::{Msg, use_i18n};
use leptos::prelude::*;
use leptos::task::spawn_local;
use xiafang_core::{Field, RecordBody};
use xiafang_core::{
    attachment::{BlobRef, MAX_BLOB_BYTES, Photo, PhotoSubject, sha256_hex},
    kinds::is_photographable,
};

#[component]
pub fn PhotoPage() -> impl IntoView {
    let i18n = use_i18n();
    let fits = Fits {
        kind: is_photographable,
        otherwise: Msg::NotPhotographable,
    };
    view! {
        <h1>{move || i18n.t(Msg::PhotoTitle)}</h1>
        {attach_page(fits, |target| view! { <PhotoForm target /> }.into_any())}
    }
}

/// What a photo of this record most likely shows.
fn usual_subject(body: &RecordBody) -> PhotoSubject {
    match body {
        RecordBody::Assistance(_) => PhotoSubject::Receipt,
        RecordBody::Visit(_) | RecordBody::VisitPart(_) => PhotoSubject::Document,
        _ => PhotoSubject::Document,
    }
}

#[component]
fn PhotoForm(target: Target) -> impl IntoView {
    let i18n = use_i18n();
    let draft = AttachDraft::new(target.file.id.clone());
    let errors = draft.errors;
    let subject = RwSignal::new(usual_subject(&target.current.body));
    let caption = RwSignal::new(String::new());
    let compressing = RwSignal::new(false);
    // The compressed photo, and an object URL showing it (revoked when replaced or left).
    let chosen = StoredValue::new(None::<(BlobRef, Vec<u8>)>);
    let preview = RwSignal::new(None::<String>);
    let drop_preview = move || {
        if let Some(url) = preview.try_get_untracked().flatten()
            && let Err(e) = web_sys::Url::revoke_object_url(&url)
        {
            web_sys::console::warn_1(&e);
        }
    };
    on_cleanup(drop_preview);
    let picked = move |ev: leptos::ev::Targeted<leptos::ev::Event, web_sys::HtmlInputElement>| {
        let Some(file) = ev.target().files().and_then(|list| list.get(0)) else {
            return;
        };
        drop_preview();
        preview.set(None);
        chosen.set_value(None);
        compressing.set(true);
        spawn_local(async move {
            let made = compress(&file).await;
            compressing.set(false);
            let bytes = match made {
                Ok(bytes) => bytes,
                Err(e) => {
                    web_sys::console::error_2(&"photo not compressed".into(), &e);
                    draft.fail(Msg::PhotoUnreadable);
                    return;
                }
            };
            if bytes.len() as u64 > MAX_BLOB_BYTES {
                draft.fail(Msg::PhotoTooBig);
                return;
            }
            let image = BlobRef {
                sha256: sha256_hex(&bytes),
                size: bytes.len() as u64,
                mime: MIME.into(),
            };
            let blob = web_sys::Blob::new_with_u8_array_sequence(&js_sys::Array::of1(
                &js_sys::Uint8Array::from(bytes.as_slice()),
            ));
            match blob.and_then(|b| web_sys::Url::create_object_url_with_blob(&b)) {
                Ok(url) => preview.set(Some(url)),
                Err(e) => web_sys::console::warn_1(&e),
            }
            chosen.set_value(Some((image, bytes)));
        });
    };
    let of = target.original;
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some((image, bytes)) = chosen.get_value() else {
            draft.fail(Msg::PhotoMissing);
            return;
        };
        let photo = Photo {
            of,
            subject: subject.get_untracked(),
            caption: caption.get_untracked().trim().to_owned(),
            image,
        };
        draft.save(RecordBody::Photo(photo), bytes);
    };
    let size =
        move || {
            chosen.with_value(|c| c.as_ref().map(|(image, _)| image.size)).map(|bytes| {
            view! {
                <p class="muted small" data-testid="photo-size" data-bytes=bytes.to_string()>
                    {i18n.t(Msg::PhotoSize)} "：" {format!("{} KB", bytes.div_ceil(1024))}
                </p>
            }
        })
        };
    view! {
        <TargetHeading record=target.current.clone() />
        <form class="card record-form photo-form" on:submit=submit novalidate>
            <label class="field">
                <span class="label">{move || i18n.t(Msg::TakePhoto)}</span>
                <input
                    type="file"
                    name="photo"
                    accept="image/*"
                    capture="environment"
                    on:change:target=picked
                />
            </label>
            <Show when=move || compressing.get()>
                <p class="muted">{move || i18n.t(Msg::Compressing)}</p>
            </Show>
            {move || preview.get().map(|src| view! {
                <img class="photo-preview" src=src alt=move || i18n.t(Msg::PhotoImage) />
            })}
            {move || {
                preview.track();
                size()
            }}
            <Choice name="subject" label=Msg::PhotoSubjectLabel value=subject />
            <TextField field=Field::Caption value=caption errors />
            <SaveBar draft label=Msg::SavePhoto busy=compressing />
        </form>
    }
}

//! Signatures and photos in a file's timeline: the image (from the phone, or fetched while
//! online), whether a signature still matches the record it signed, and on the records they fit
//! the links to have them signed or photographed.

use crate::app::SignedIn;
use crate::i18n::{Msg, use_i18n};
use crate::store::LocalRecord;
use crate::sync::{ImageOnPhone, image_bytes};
use leptos::prelude::*;
use std::sync::Arc;
use xiafang_core::judge::{may_attach, phone_reach};
use xiafang_core::ledger::Standing;
use xiafang_core::upload::SyncState;
use xiafang_core::{Record, RecordBody};
use xiafang_core::{
    attachment::{BlobRef, Photo, Signature},
    kinds::{is_photographable, is_signable},
    signatures::{SignatureState, signature_state},
};

/// The records of the timeline being shown, which a signature is compared against.
#[derive(Clone)]
struct ShownRecords(Arc<Vec<Record>>);

/// Called by the timeline with all its records, before its entries are built.
pub fn provide_shown_records(records: &[Record]) {
    provide_context(ShownRecords(Arc::new(records.to_vec())));
}

/// What a signature or photo record shows; nothing for other records.
#[component]
pub fn Attachment(body: RecordBody) -> impl IntoView {
    match body {
        RecordBody::Signature(s) => view! { <SignatureView signature=s /> }.into_any(),
        RecordBody::Photo(p) => view! { <PhotoView photo=p /> }.into_any(),
        _ => ().into_any(),
    }
}

#[component]
fn SignatureView(signature: Signature) -> impl IntoView {
    let i18n = use_i18n();
    let lang = i18n.lang();
    let state = use_context::<ShownRecords>().map(|shown| signature_state(&signature, &shown.0));
    let state = state.map(|state| {
        let key = match state {
            SignatureState::Matches => "matches",
            SignatureState::TextChanged => "text_changed",
            SignatureState::Withdrawn => "withdrawn",
        };
        view! {
            <p class=format!("signature-state {key}") data-testid="signature-state" data-state=key>
                {state.label(lang)}
            </p>
        }
    });
    view! {
        <p>
            <span class="label">{i18n.t(Msg::SignerLabel)}"："</span>
            {signature.signer.clone()}
            "（"
            {signature.signer_role.label(lang)}
            "）"
        </p>
        <Image image=signature.image class="signature-image" alt=Msg::SignatureImage />
        {state}
    }
}

#[component]
fn PhotoView(photo: Photo) -> impl IntoView {
    let lang = use_i18n().lang();
    let caption = match photo.caption.trim() {
        "" => photo.subject.label(lang).to_owned(),
        text => format!("{} · {text}", photo.subject.label(lang)),
    };
    view! {
        <figure class="photo">
            <Image image=photo.image class="photo-thumb" alt=Msg::PhotoImage zoom=true />
            <figcaption>{caption}</figcaption>
        </figure>
    }
}

/// An image from the phone's store (sealed there), fetched from the server when the phone lacks
/// it and the link is up. With `zoom`, a tap shows it full size and another tap closes it.
#[component]
fn Image(
    image: BlobRef,
    class: &'static str,
    alt: Msg,
    #[prop(optional)] zoom: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    // The object URL lives as long as this view; revoked when it goes, so the bytes are freed.
    let url = StoredValue::new(None::<String>);
    on_cleanup(move || {
        if let Some(Some(u)) = url.try_get_value()
            && let Err(e) = web_sys::Url::revoke_object_url(&u)
        {
            web_sys::console::warn_1(&e);
        }
    });
    let mime = image.mime.clone();
    let loaded = crate::fetched::Fetched::new(move || {
        let image = image.clone();
        let mime = mime.clone();
        async move {
            match image_bytes(&image).await {
                ImageOnPhone::Ready(bytes) => match object_url(&bytes, &mime) {
                    Ok(u) => {
                        url.try_set_value(Some(u.clone()));
                        Ok(u)
                    }
                    Err(e) => Err(ImageOnPhone::Failed(e)),
                },
                other => Err(other),
            }
        }
    });
    let open = RwSignal::new(false);
    move || match loaded.get() {
        None => view! { <p class="muted image-status">{i18n.t(Msg::Loading)}</p> }.into_any(),
        Some(Ok(src)) => {
            let full = src.clone();
            view! {
                <img
                    class=class
                    src=src
                    alt=move || i18n.t(alt)
                    on:click=move |_| open.set(zoom)
                    data-testid="attachment-image"
                />
                <Show when=move || open.get()>
                    <div class="lightbox" on:click=move |_| open.set(false) data-testid="lightbox">
                        <img src=full.clone() alt=move || i18n.t(alt) />
                    </div>
                </Show>
            }
            .into_any()
        }
        Some(Err(why)) => {
            let text = match why {
                ImageOnPhone::NotUploaded => i18n.t(Msg::ImageNotUploaded).to_owned(),
                ImageOnPhone::Offline => i18n.t(Msg::ImageOffline).to_owned(),
                ImageOnPhone::Failed(e) => format!("{}：{e}", i18n.t(Msg::ImageFailed)),
                ImageOnPhone::Ready(_) => String::new(),
            };
            view! { <p class="muted image-status" data-testid="image-status">{text}</p> }.into_any()
        }
    }
}

fn object_url(bytes: &[u8], mime: &str) -> Result<String, String> {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options)
        .and_then(|blob| web_sys::Url::create_object_url_with_blob(&blob))
        .map_err(|e| crate::js_error::text(&e))
}

/// 签名确认 and 拍照 on a record that still counts and the server did not refuse, for those the
/// judge lets attach on the file (`core::judge::may_attach`); the server decides in the end.
#[component]
pub fn AttachLinks(local: LocalRecord, standing: Standing) -> impl IntoView {
    let i18n = use_i18n();
    let writes = expect_context::<SignedIn>()
        .0
        .get_untracked()
        .is_some_and(|s| may_attach(s.account.role, phone_reach(s.account.role)));
    let r = &local.record;
    let open = writes
        && standing == Standing::Current
        && !matches!(local.state, SyncState::Rejected { .. });
    let href = |what: &str| format!("/files/{}/records/{}/{what}", r.file_id, r.id);
    let sign = (open && is_signable(&r.body))
        .then(|| view! { <a href=href("sign") class="button">{i18n.t(Msg::SignAction)}</a> });
    let photo = (open && is_photographable(&r.body))
        .then(|| view! { <a href=href("photo") class="button">{i18n.t(Msg::PhotoAction)}</a> });
    (sign.is_some() || photo.is_some())
        .then(|| view! { <nav class="entry-actions attach-actions">{sign}{photo}</nav> })
}

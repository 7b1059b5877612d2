//! `/files/:id/records/:rid/sign`: the signer reads the record's text exactly as it will be
//! confirmed (the version that counts now), writes their name and signs on the pad. The signature
//! keeps that text's hash, so an amendment later shows beside it.

use super::pad::{SignaturePad, png};
use super::save::{AttachDraft, SaveBar};
use super::{Fits, Target, TargetHeading, attach_page};
use crate::components::{Choice, TextField};
use crate::i18n::{Msg, use_i18n};
use leptos::html::Canvas;
use leptos::prelude::*;
use xiafang_core::{Field, RecordBody};
use xiafang_core::{
    attachment::{BlobRef, Signature, SignerRole, sha256_hex},
    kinds::{is_signable, signed_text},
};

#[component]
pub fn SignPage() -> impl IntoView {
    let i18n = use_i18n();
    let fits = Fits {
        kind: is_signable,
        otherwise: Msg::NotSignable,
    };
    view! {
        <h1>{move || i18n.t(Msg::SignTitle)}</h1>
        {attach_page(fits, |target| view! { <SignForm target /> }.into_any())}
    }
}

/// Who usually signs a record of this kind.
fn usual_signer(body: &RecordBody) -> SignerRole {
    match body {
        RecordBody::Assistance(_) => SignerRole::Recipient,
        RecordBody::Mediation(_) => SignerRole::Party,
        _ => SignerRole::Petitioner,
    }
}

#[component]
fn SignForm(target: Target) -> impl IntoView {
    let i18n = use_i18n();
    let text = signed_text(&target.current).unwrap_or_default();
    let text_hash = sha256_hex(text.as_bytes());
    let draft = AttachDraft::new(target.file.id.clone());
    let errors = draft.errors;
    let signer = RwSignal::new(target.file.name.clone());
    let role = RwSignal::new(usual_signer(&target.current.body));
    let strokes = RwSignal::new(0u32);
    let canvas = NodeRef::<Canvas>::new();
    let of = target.original;
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if strokes.get_untracked() == 0 {
            draft.fail(Msg::PadEmpty);
            return;
        }
        let Some(pad) = canvas.get_untracked() else {
            return;
        };
        let bytes = match png(&pad) {
            Ok(bytes) => bytes,
            Err(e) => {
                web_sys::console::error_1(&format!("signature not exported: {e}").into());
                draft.fail(Msg::SaveFailed);
                return;
            }
        };
        let signature = Signature {
            of,
            signer: signer.get_untracked().trim().to_owned(),
            signer_role: role.get_untracked(),
            text_hash: text_hash.clone(),
            image: BlobRef {
                sha256: sha256_hex(&bytes),
                size: bytes.len() as u64,
                mime: "image/png".into(),
            },
        };
        draft.save(RecordBody::Signature(signature), bytes);
    };
    view! {
        <TargetHeading record=target.current.clone() />
        <form class="card record-form sign-form" on:submit=submit novalidate>
            <p class="muted small">{move || i18n.t(Msg::SignExplain)}</p>
            <pre class="signed-text" data-testid="signed-text">{text}</pre>
            <TextField field=Field::Signer value=signer errors />
            <Choice name="signer_role" label=Msg::SignerRoleLabel value=role />
            <SignaturePad canvas strokes />
            <SaveBar draft label=Msg::ConfirmSignature busy=false />
        </form>
    }
}

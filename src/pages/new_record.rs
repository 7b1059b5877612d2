//! The page for a new record on a file: picks the form for the kind in the address.

use super::assistance_form::AssistanceForm;
use super::mediation_form::MediationForm;
use super::note_form::NoteForm;
use super::opinion_form::OpinionForm;
use super::referral_form::ReferralForm;
use super::step_form::StepForm;
use super::supervision_form::SupervisionForm;
use super::visit_form::VisitForm;
use super::visit_part::VisitPartForm;
use crate::components::{RequireSession, loaded};
use crate::i18n::{Msg, use_i18n};
use crate::store;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use xiafang_core::{FileId, PetitionerFile, Record, RecordBody};

#[component]
pub fn NewRecordPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let file = LocalResource::new(move || {
        let id = FileId(params.read().get("id").unwrap_or_default());
        async move { store::shared().await?.file(&id).await }
    });
    let kind = move || params.read().get("kind").unwrap_or_default();
    view! {
        <RequireSession>
            {loaded(file, move |file: Option<PetitionerFile>| {
                let Some(file) = file else {
                    return view! { <p class="card problem">{i18n.t(Msg::FileMissing)}</p> }.into_any();
                };
                let kind = kind();
                let title = match kind.as_str() {
                    "visit" => Msg::NewVisit,
                    "assistance" => Msg::NewAssistance,
                    "note" => Msg::NewNote,
                    "case_step" => Msg::NewStep,
                    "supervision" => Msg::NewSupervision,
                    "referral" => Msg::NewReferral,
                    "legal_opinion" => Msg::NewOpinion,
                    "mediation" => Msg::NewMediation,
                    _ => Msg::NotFound,
                };
                view! {
                    <h1>{i18n.t(title)}</h1>
                    {record_form(&kind, file, None)}
                }
                    .into_any()
            })}
        </RequireSession>
    }
}

/// The form for a record of `kind` (`RecordBody::kind_key`) on `file`; with `original`, the
/// form amends it. `None` for kinds no form writes.
pub(super) fn record_form(
    kind: &str,
    file: PetitionerFile,
    original: Option<Record>,
) -> Option<AnyView> {
    Some(match kind {
        "visit" => view! { <VisitForm file original /> }.into_any(),
        "assistance" => view! { <AssistanceForm file original /> }.into_any(),
        "note" => view! { <NoteForm file original /> }.into_any(),
        "case_step" => view! { <StepForm file original /> }.into_any(),
        "supervision" => view! { <SupervisionForm file original /> }.into_any(),
        "referral" => view! { <ReferralForm file original /> }.into_any(),
        "legal_opinion" => view! { <OpinionForm file original /> }.into_any(),
        "mediation" => view! { <MediationForm file original /> }.into_any(),
        // Only amended: a new part starts from the visit (`/files/:id/part/:record`).
        "visit_part" => {
            let RecordBody::VisitPart(part) = &original.as_ref()?.body else {
                return None;
            };
            let of = part.of;
            view! { <VisitPartForm file_id=file.id of original /> }.into_any()
        }
        _ => return None,
    })
}

//! Which form writes which record kind: the one place a kind's key (`RecordBody::kind_key`)
//! turns into its form, for new records and amendments alike.

use super::assistance_form::AssistanceForm;
use super::mediation_form::MediationForm;
use super::note_form::NoteForm;
use super::opinion_form::OpinionForm;
use super::reception_form::ReceptionForm;
use super::referral_form::ReferralForm;
use super::step_form::StepForm;
use super::tasking_form::TaskingForm;
use super::visit_form::VisitForm;
use super::visit_part::VisitPartForm;
use super::warning_form::WarningForm;
use leptos::prelude::*;
use xiafang_core::{PetitionerFile, Record, RecordBody};

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
        // The 督办 form is in the office chunk (pages/office.rs).
        "supervision" => {
            let page = crate::pages::OfficePage::Supervision(Box::new((file, original)));
            crate::pages::office(page).into_any()
        }
        "referral" => view! { <ReferralForm file original /> }.into_any(),
        "legal_opinion" => view! { <OpinionForm file original /> }.into_any(),
        "mediation" => view! { <MediationForm file original /> }.into_any(),
        "reception" => view! { <ReceptionForm file original /> }.into_any(),
        "warning" => view! { <WarningForm file original /> }.into_any(),
        "tasking" => view! { <TaskingForm file original /> }.into_any(),
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

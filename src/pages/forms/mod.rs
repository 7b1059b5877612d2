//! The forms that write records on a file: one per record kind, the pages that open them (a new
//! record, an amendment or a void, a joint visit's part, the file's own fields), and what they
//! share — saving through `draft`, the record a correction names (`summary`), and which form
//! writes which kind (`kinds`).

mod assistance_form;
mod correction;
pub(crate) mod draft;
mod file_edit;
mod kinds;
mod leader_pick;
mod mediation_form;
mod new_record;
mod note_form;
mod opinion_form;
mod ownership_form;
mod reception_form;
mod referral_form;
mod step_form;
pub(crate) mod summary;
mod supervision_form;
mod tasking_form;
mod visit_form;
mod visit_part;
mod warning_form;

pub use correction::{AmendPage, VoidPage};
pub use file_edit::FileEditPage;
pub use new_record::NewRecordPage;
pub use visit_part::VisitPartPage;

/// The 督办 form, for the office chunk's split point (`pages::office`): only it reaches the form.
pub(crate) fn supervision(
    file: xiafang_core::PetitionerFile,
    original: Option<xiafang_core::Record>,
) -> leptos::prelude::AnyView {
    use leptos::prelude::*;
    view! { <supervision_form::SupervisionForm file original /> }.into_any()
}

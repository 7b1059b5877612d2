//! The forms that write records on a file: one per record kind, the pages that open them (a new
//! record, an amendment or a void, a joint visit's part, the file's own fields), and what they
//! share — saving through `draft`, the record a correction names (`summary`), and which form
//! writes which kind (`kinds`).

mod assistance_form;
mod correction;
pub(crate) mod draft;
mod file_edit;
mod kinds;
#[cfg(feature = "office")]
mod leader_pick;
mod mediation_form;
mod new_record;
mod note_form;
mod opinion_form;
#[cfg(feature = "office")]
mod ownership_form;
mod reception_form;
mod referral_form;
mod step_form;
pub(crate) mod summary;
#[cfg(feature = "office")]
mod supervision_form;
mod tasking_form;
mod visit_form;
mod visit_part;
mod warning_form;

pub use correction::{AmendPage, VoidPage};
pub use file_edit::FileEditPage;
pub use new_record::NewRecordPage;
pub use visit_part::VisitPartPage;

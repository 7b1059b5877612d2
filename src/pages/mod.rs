//! One module per screen, named after what the cadre sees.

mod admin;
mod assistance_form;
mod attach;
mod console;
mod correction;
mod draft;
mod file;
mod file_edit;
mod files;
mod login;
mod mediation_form;
mod new_record;
mod note_form;
mod opinion_form;
mod referral_form;
mod review;
mod step_form;
mod supervision_form;
mod team_desk;
pub(crate) mod unlock;
mod visit_form;
mod visit_part;

pub use admin::AdminPage;
pub use attach::{PhotoPage, SignPage};
pub use console::{CasesPage, FiguresPage, LedgersPage, PrintPage};
pub use correction::{AmendPage, VoidPage};
pub use file::FilePage;
pub use file_edit::FileEditPage;
pub use files::FilesPage;
pub use login::LoginPage;
pub use new_record::NewRecordPage;
pub use review::{ReviewQueuePage, ReviewRecordPage};
pub use unlock::{SetPinPage, UnlockPage};
pub use visit_part::VisitPartPage;

//! One module per screen, named after what the cadre sees.

mod admin;
mod attach;
mod console;
mod file;
mod files;
mod forms;
mod login;
mod review;
mod screening;
mod team_desk;
mod todo_desk;
pub(crate) mod unlock;

pub use admin::AdminPage;
pub use attach::{PhotoPage, SignPage};
pub use console::{CasesPage, FiguresPage, LedgersPage, OwnershipPage, PrintPage, TasksPage};
pub use file::FilePage;
pub use files::FilesPage;
pub use forms::{AmendPage, FileEditPage, NewRecordPage, VisitPartPage, VoidPage};
pub use login::LoginPage;
pub use review::{ReviewQueuePage, ReviewRecordPage};
pub use screening::{ScreeningFormPage, ScreeningPage};
pub use unlock::{SetPinPage, UnlockPage};

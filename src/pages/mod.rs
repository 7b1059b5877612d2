//! One module per screen, named after what the cadre sees. The office screens (console, admin,
//! review) are only in the office bundle (feature `office`); the field bundle puts `office`'s
//! download screen in their place.

#[cfg(feature = "office")]
mod admin;
mod attach;
#[cfg(feature = "office")]
mod console;
mod file;
mod files;
mod forms;
mod login;
#[cfg(not(feature = "office"))]
mod office;
mod print;
#[cfg(feature = "office")]
mod review;
mod screening;
mod team_desk;
mod todo_desk;
pub(crate) mod unlock;

#[cfg(feature = "office")]
pub use admin::AdminPage;
pub use attach::{PhotoPage, SignPage};
#[cfg(feature = "office")]
pub use console::{CasesPage, FiguresPage, LedgersPage, OwnershipPage, TasksPage};
pub use file::FilePage;
pub use files::FilesPage;
pub use forms::{AmendPage, FileEditPage, NewRecordPage, VisitPartPage, VoidPage};
pub use login::LoginPage;
#[cfg(not(feature = "office"))]
pub use office::{
    OfficeScreen, OfficeScreen as AdminPage, OfficeScreen as CasesPage,
    OfficeScreen as FiguresPage, OfficeScreen as LedgersPage, OfficeScreen as OwnershipPage,
    OfficeScreen as TasksPage, OfficeScreen as ReviewQueuePage, OfficeScreen as ReviewRecordPage,
};
pub use print::PrintPage;
#[cfg(feature = "office")]
pub use review::{ReviewQueuePage, ReviewRecordPage};
pub use screening::{ScreeningFormPage, ScreeningPage};
pub use unlock::{SetPinPage, UnlockPage};

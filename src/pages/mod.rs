//! One module per screen, named after what the cadre sees. The office screens (console, admin,
//! review, the 督办 form) are reached only through `office`'s split point, so the build puts
//! them in a wasm chunk of their own (docs/ARCHITECTURE.md "One app, one office chunk").

mod admin;
mod attach;
mod console;
mod file;
mod files;
mod forms;
mod login;
mod office;
mod print;
mod review;
mod screening;
mod team_desk;
mod todo_desk;
pub(crate) mod unlock;

pub use attach::{PhotoPage, SignPage};
pub use file::FilePage;
pub use files::FilesPage;
pub use forms::{AmendPage, FileEditPage, NewRecordPage, VisitPartPage, VoidPage};
pub use login::LoginPage;
pub use office::{OfficePage, office};
pub use print::PrintPage;
pub use screening::{ScreeningFormPage, ScreeningPage};
pub use unlock::{SetPinPage, UnlockPage};

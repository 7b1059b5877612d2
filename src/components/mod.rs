//! Small pieces shared by the pages.

mod form;
mod header;
mod loaded;
mod status_bar;
mod timeline;

pub use form::{Choice, FormErrors, TextField};
pub use header::Header;
pub use loaded::{RequireSession, loaded};
pub use status_bar::StatusBar;
pub use timeline::Timeline;

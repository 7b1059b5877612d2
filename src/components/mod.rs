//! Small pieces shared by the pages.

mod attachment;
mod case_card;
mod case_tabs;
mod chain_warning;
mod conflicts;
mod form;
mod header;
mod legal_details;
mod loaded;
mod same_person;
mod status_bar;
mod task_card;
mod timeline;

pub use case_card::CaseCard;
pub use case_tabs::CaseTabs;
pub use chain_warning::{ChainAlerts, ChainWarning};
pub use conflicts::{Conflicts, conflicts_of};
pub use form::{Check, Choice, FormErrors, PlainField, TextField};
pub use header::Header;
pub use loaded::{
    LoadFailed, RequireSession, file_from_address, file_once_from_address, loaded,
    record_id_from_address,
};
pub use same_person::SamePerson;
pub use status_bar::StatusBar;
pub use task_card::TaskCard;
pub use timeline::Timeline;

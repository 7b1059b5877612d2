//! The page for a new record on a file: picks the form for the kind in the address.

use super::kinds::record_form;
use crate::components::{RequireSession, loaded};
use crate::i18n::{Msg, use_i18n};
use crate::store;
use leptos::prelude::*;
use xiafang_core::{FileId, PetitionerFile};

#[component]
pub fn NewRecordPage() -> impl IntoView {
    let i18n = use_i18n();
    let file_param = crate::nav::use_param("id");
    let file = crate::fetched::Fetched::new(move || {
        let id = FileId(file_param());
        async move { store::shared().await?.file(&id).await }
    });
    let kind = crate::nav::use_param("kind");
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
                    "reception" => Msg::NewReception,
                    "warning" => Msg::NewWarning,
                    "tasking" => Msg::NewTasking,
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

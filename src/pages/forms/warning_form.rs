//! 苗头预警: an early sign reported up the levels — the village cadre to the township, the
//! township to the county — or, once settled, a report that closes it.

use super::draft::{Draft, DraftActions, WhenField};
use crate::components::{Check, Choice, TextField};
use crate::i18n::Msg;
use leptos::prelude::*;
use xiafang_core::warning::{ReportLevel, SignKind, Warning};
use xiafang_core::{Field, PetitionerFile, Record, RecordBody};

#[component]
pub fn WarningForm(
    file: PetitionerFile,
    /// The report this form amends: its values fill the form, and the save amends it.
    #[prop(optional_no_strip)]
    original: Option<Record>,
) -> impl IntoView {
    let draft = Draft::new(file.id.clone(), original.as_ref());
    let start = original
        .and_then(|r| match r.body {
            RecordBody::Warning(w) => Some(w),
            _ => None,
        })
        .unwrap_or(Warning {
            sign: SignKind::SkipLevel,
            what: String::new(),
            reported_to: ReportLevel::Township,
            measures: String::new(),
            settled: false,
        });
    let sign = RwSignal::new(start.sign);
    let what = RwSignal::new(start.what);
    let reported_to = RwSignal::new(start.reported_to);
    let measures = RwSignal::new(start.measures);
    let settled = RwSignal::new(start.settled);
    let errors = draft.errors;
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let warning = Warning {
            sign: sign.get_untracked(),
            what: what.get_untracked(),
            reported_to: reported_to.get_untracked(),
            measures: measures.get_untracked(),
            settled: settled.get_untracked(),
        };
        draft.save(RecordBody::Warning(warning), Vec::new());
    };
    view! {
        <form class="card record-form" on:submit=submit novalidate>
            <WhenField draft />
            <Choice name="sign" label=Msg::SignKindLabel value=sign />
            <TextField field=Field::WarningWhat value=what errors multiline=true />
            <Choice name="reported_to" label=Msg::ReportedToLabel value=reported_to />
            <TextField field=Field::WarningMeasures value=measures errors multiline=true />
            <Check name="settled" label=Msg::SettledLabel value=settled />
            <DraftActions draft />
        </form>
    }
}

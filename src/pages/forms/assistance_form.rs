//! 帮扶措施: an assistance action — what kind, how much, what was handed over, its status.

use super::draft::{Draft, DraftActions, WhenField};
use crate::components::{Choice, TextField};
use crate::i18n::Msg;
use leptos::prelude::*;
use xiafang_core::money::{format_yuan, parse_yuan};
use xiafang_core::problem::FieldError;
use xiafang_core::{
    Assistance, AssistanceKind, AssistanceStatus, Field, PetitionerFile, Problem, Record,
    RecordBody,
};

#[component]
pub fn AssistanceForm(
    file: PetitionerFile,
    /// The action this form amends: its values fill the form, and the save amends it.
    #[prop(optional_no_strip)]
    original: Option<Record>,
) -> impl IntoView {
    let draft = Draft::new(file.id.clone(), original.as_ref());
    let start = original
        .and_then(|r| match r.body {
            RecordBody::Assistance(a) => Some(a),
            _ => None,
        })
        .unwrap_or_else(|| Assistance {
            kind: AssistanceKind::CondolenceMoney,
            amount_fen: None,
            items: String::new(),
            funding_source: String::new(),
            status: AssistanceStatus::Delivered,
        });
    let kind = RwSignal::new(start.kind);
    let amount = RwSignal::new(start.amount_fen.map(format_yuan).unwrap_or_default());
    let items = RwSignal::new(start.items);
    let funding_source = RwSignal::new(start.funding_source);
    let status = RwSignal::new(start.status);
    let errors = draft.errors;

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut problems = Vec::new();
        let amount_fen = match parse_yuan(&amount.get()) {
            Ok(fen) => Some(fen),
            // Empty is fine here; validation says whether this kind needs an amount.
            Err(Problem::Required) => None,
            Err(problem) => {
                problems.push(FieldError::new(Field::Amount, problem));
                None
            }
        };
        let assistance = Assistance {
            kind: kind.get(),
            amount_fen,
            items: items.get(),
            funding_source: funding_source.get(),
            status: status.get(),
        };
        // An unreadable amount is already reported; do not also report it as missing.
        let body = RecordBody::Assistance(assistance);
        draft.save(body, problems);
    };

    view! {
        <form class="card record-form" on:submit=submit novalidate>
            <Choice name="assistance_kind" label=Msg::AssistanceKindLabel value=kind />
            <WhenField draft />
            <TextField field=Field::Amount value=amount errors inputmode="decimal" hint=Msg::AmountHint />
            <TextField field=Field::Items value=items errors multiline=true />
            <TextField field=Field::FundingSource value=funding_source errors />
            <Choice name="status" label=Msg::StatusLabel value=status />
            <DraftActions draft />
        </form>
    }
}

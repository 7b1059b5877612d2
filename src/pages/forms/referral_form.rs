//! 转介法律服务团队: a cadre refers the file to a legal team member serving its village, for a
//! legal opinion or a mediation. Works offline from the team list kept since the last sync.

use super::draft::{Draft, DraftActions, WhenField};
use crate::components::{Choice, TextField};
use crate::i18n::{Msg, use_i18n};
use crate::store::settings;
use leptos::prelude::*;
use xiafang_core::legal::{Referral, ReferralNeed, TeamContact};
use xiafang_core::{Field, FieldError, PetitionerFile, Problem, Record, RecordBody, UserId};

#[component]
pub fn ReferralForm(
    file: PetitionerFile,
    #[prop(optional_no_strip)] original: Option<Record>,
) -> impl IntoView {
    let i18n = use_i18n();
    let draft = Draft::new(file.id.clone(), original.as_ref());
    let team = settings::team();
    let serving: Vec<TeamContact> = team.serving(&file).into_iter().cloned().collect();
    let start = original.and_then(|r| match r.body {
        RecordBody::Referral(r) => Some(r),
        _ => None,
    });
    let to = RwSignal::new(
        start
            .as_ref()
            .map(|r| r.to.0.clone())
            .or_else(|| serving.first().map(|m| m.id.0.clone()))
            .unwrap_or_default(),
    );
    let need = RwSignal::new(start.as_ref().map_or(ReferralNeed::Opinion, |r| r.need));
    let note = RwSignal::new(start.map(|r| r.note).unwrap_or_default());
    let errors = draft.errors;
    let members = StoredValue::new(serving.clone());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let chosen = to.get();
        let contact = members.with_value(|m| m.iter().find(|c| c.id.0 == chosen).cloned());
        let mut problems = Vec::new();
        if contact.is_none() {
            problems.push(FieldError::new(Field::ReferredTo, Problem::Required));
        }
        let referral = Referral {
            to: UserId(chosen),
            to_name: contact.map(|c| c.name).unwrap_or_default(),
            need: need.get(),
            note: note.get(),
        };
        draft.save(RecordBody::Referral(referral), problems);
    };
    let lang = i18n.lang();
    let options = serving
        .iter()
        .map(|m| {
            let id = m.id.0.clone();
            let label = match m.title {
                Some(t) => format!("{}（{}）", m.name, t.label(lang)),
                None => m.name.clone(),
            };
            let selected = to.get_untracked() == id;
            view! { <option value=id selected=selected>{label}</option> }
        })
        .collect_view();
    view! {
        <form class="card record-form" on:submit=submit novalidate>
            <WhenField draft />
            {serving.is_empty().then(|| view! {
                <p class="problem" data-testid="no-team">{i18n.t(Msg::NoTeamForVillage)}</p>
            })}
            <label class="field">
                <span class="label">{Field::ReferredTo.label(lang)}</span>
                <select name="referred_to" on:change:target=move |ev| to.set(ev.target().value())>
                    {options}
                </select>
            </label>
            <Choice name="need" label=Msg::ReferralNeedLabel value=need />
            <TextField field=Field::ReferralNote value=note errors multiline=true />
            <DraftActions draft />
        </form>
    }
}

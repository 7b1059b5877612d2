//! 走访记录: a home visit with what the petitioner asked, their state and what was done.

use super::draft::{Draft, DraftActions, WhenField, parse_optional_date};
use crate::app::SignedIn;
use crate::components::FormErrors;
use crate::components::{Choice, TextField};
use crate::i18n::{Msg, use_i18n};
use crate::store::settings;
use leptos::prelude::*;
use xiafang_core::case_step::Evaluation;
use xiafang_core::dates::Day;
use xiafang_core::record::{Refusal, TeamMember, VisitEvaluation};
use xiafang_core::{Field, Mood, PetitionerFile, Record, RecordBody, RiskLevel, Visit, VisitKind};

#[component]
pub fn VisitForm(
    file: PetitionerFile,
    /// The visit this form amends: its values fill the form, and the save amends it.
    #[prop(optional_no_strip)]
    original: Option<Record>,
) -> impl IntoView {
    let i18n = use_i18n();
    let draft = Draft::new(file.id.clone(), original.as_ref());
    let me = expect_context::<SignedIn>()
        .0
        .get_untracked()
        .map(|s| s.account.display_name)
        .unwrap_or_default();
    let before = original.and_then(|r| match r.body {
        RecordBody::Visit(v) => Some(v),
        _ => None,
    });
    let start = before.unwrap_or_else(|| Visit {
        kind: VisitKind::Home,
        place: file.address.clone(),
        participants: vec![me],
        requests: String::new(),
        mood: Mood::Calm,
        risk: RiskLevel::Ordinary,
        explained: String::new(),
        measures: String::new(),
        next_step: String::new(),
        next_due: None,
        location: None,
        joined: Vec::new(),
        evaluation: None,
        refused: Vec::new(),
        petitioner_view: String::new(),
    });
    let kind = RwSignal::new(start.kind);
    let place = RwSignal::new(start.place);
    let participants = RwSignal::new(start.participants.join("、"));
    let requests = RwSignal::new(start.requests);
    let mood = RwSignal::new(start.mood);
    let risk = RwSignal::new(start.risk);
    let explained = RwSignal::new(start.explained);
    let measures = RwSignal::new(start.measures);
    let next_step = RwSignal::new(start.next_step);
    let next_due = RwSignal::new(
        start
            .next_due
            .map(|d| Day(d).to_string())
            .unwrap_or_default(),
    );
    // Location is never collected unless a cadre chooses to (not offered yet); an amendment
    // keeps what the original recorded.
    let location = start.location;
    // The legal team members serving this village, from the list kept since the last sync,
    // plus any the visit already names (an amendment keeps them choosable).
    let mut team: Vec<TeamMember> = settings::team()
        .serving(&file)
        .into_iter()
        .map(|m| TeamMember {
            id: m.id.clone(),
            name: m.name.clone(),
        })
        .collect();
    for m in &start.joined {
        if !team.contains(m) {
            team.push(m.clone());
        }
    }
    let joined = RwSignal::new(start.joined);
    let rating = RwSignal::new(
        start
            .evaluation
            .as_ref()
            .map(|e| e.rating.key().to_owned())
            .unwrap_or_default(),
    );
    let comment = RwSignal::new(start.evaluation.map(|e| e.comment).unwrap_or_default());
    let refused = RwSignal::new(start.refused);
    let view_of_petitioner = RwSignal::new(start.petitioner_view);
    let errors = draft.errors;

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut problems = Vec::new();
        let due = parse_optional_date(&next_due.get(), Field::NextDue, &mut problems);
        let visit = Visit {
            kind: kind.get(),
            place: place.get(),
            participants: Visit::split_participants(&participants.get()),
            requests: requests.get(),
            mood: mood.get(),
            risk: risk.get(),
            explained: explained.get(),
            measures: measures.get(),
            next_step: next_step.get(),
            next_due: due,
            location,
            joined: joined.get(),
            evaluation: Evaluation::from_key(&rating.get()).map(|rating| VisitEvaluation {
                rating,
                comment: comment.get(),
            }),
            refused: refused.get(),
            petitioner_view: view_of_petitioner.get(),
        };
        draft.save(RecordBody::Visit(visit), problems);
    };

    view! {
        <form class="card record-form" on:submit=submit novalidate>
            <Choice name="visit_kind" label=Msg::VisitKindLabel value=kind />
            <WhenField draft />
            <TextField field=Field::Place value=place errors />
            <TextField field=Field::Participants value=participants errors hint=Msg::ParticipantsHint />
            <TextField field=Field::Requests value=requests errors multiline=true />
            <Choice name="mood" label=Msg::MoodLabel value=mood />
            <Choice name="risk" label=Msg::RiskLabel value=risk />
            <TextField field=Field::Explained value=explained errors multiline=true />
            <TextField field=Field::Measures value=measures errors multiline=true />
            <TextField field=Field::NextStep value=next_step errors multiline=true />
            <TextField field=Field::NextDue value=next_due errors input_type="date" />
            <TeamChoice team joined />
            <EvaluationField rating comment errors=draft.errors />
            <TextField field=Field::PetitionerView value=view_of_petitioner errors multiline=true />
            <RefusalChoice refused />
            <p class="muted small">{move || i18n.t(Msg::LocationOff)}</p>
            <DraftActions draft />
        </form>
    }
}

/// Tick the legal team members who came along: each then sees this file and adds their part.
#[component]
fn TeamChoice(team: Vec<TeamMember>, joined: RwSignal<Vec<TeamMember>>) -> impl IntoView {
    let i18n = use_i18n();
    if team.is_empty() {
        return None;
    }
    let boxes = team
        .into_iter()
        .map(|m| {
            let id = m.id.clone();
            let ticked = move || joined.with(|j| j.iter().any(|x| x.id == id));
            let name = m.name.clone();
            view! {
                <label class="check">
                    <input
                        type="checkbox"
                        name="joined"
                        prop:checked=ticked
                        on:change:target=move |ev| {
                            let on = ev.target().checked();
                            joined.update(|j| {
                                j.retain(|x| x.id != m.id);
                                if on {
                                    j.push(m.clone());
                                }
                            });
                        }
                    />
                    {name}
                </label>
            }
        })
        .collect_view();
    Some(view! {
        <fieldset class="field team-choice">
            <legend class="label">{move || Field::Joined.label(i18n.lang())}</legend>
            {boxes}
        </fieldset>
    })
}

/// What the petitioner declined: ticking it is all that is asked, nothing is forced.
#[component]
fn RefusalChoice(refused: RwSignal<Vec<Refusal>>) -> impl IntoView {
    let i18n = use_i18n();
    let boxes = Refusal::ALL
        .iter()
        .map(|&r| {
            view! {
                <label class="check">
                    <input
                        type="checkbox"
                        name="refused"
                        value=r.key()
                        prop:checked=move || refused.with(|list| list.contains(&r))
                        on:change:target=move |ev| {
                            let on = ev.target().checked();
                            refused.update(|list| {
                                list.retain(|x| *x != r);
                                if on {
                                    list.push(r);
                                }
                            });
                        }
                    />
                    {move || r.label(i18n.lang())}
                </label>
            }
        })
        .collect_view();
    view! {
        <fieldset class="field refusals">
            <legend class="label">{move || Field::Refused.label(i18n.lang())}</legend>
            {boxes}
        </fieldset>
    }
}

/// 满意度评价: asked only when the petitioner is willing; empty means not asked on this visit.
#[component]
fn EvaluationField(
    rating: RwSignal<String>,
    comment: RwSignal<String>,
    errors: FormErrors,
) -> impl IntoView {
    let i18n = use_i18n();
    let options = move || {
        Evaluation::ALL
            .iter()
            .map(|&e| {
                view! {
                    <option value=e.key() selected=move || rating.get() == e.key()>
                        {move || e.label(i18n.lang())}
                    </option>
                }
            })
            .collect_view()
    };
    view! {
        <label class="field">
            <span class="label">{move || i18n.t(Msg::EvaluationLabel)}</span>
            <select name="evaluation" on:change:target=move |ev| rating.set(ev.target().value())>
                <option value="" selected=move || rating.get().is_empty()>
                    {move || i18n.t(Msg::NotEvaluated)}
                </option>
                {options}
            </select>
        </label>
        {move || (!rating.get().is_empty()).then(|| view! {
            <TextField field=Field::EvaluationComment value=comment errors multiline=true />
        })}
    }
}

//! 包案 in the 督办 form: the 化解方案 (the plan, its milestones with due dates as rows to add and
//! remove, and the 专班), and 里程碑完成 (which milestone of the current plan was met, picked from
//! the plan on the phone). Both are supervision records, saved on the phone first like any other.

use super::draft::parse_optional_date;
use crate::components::{FormErrors, TextField, loaded};
use crate::i18n::{Msg, use_i18n};
use crate::store::{self, settings};
use chrono::Local;
use leptos::prelude::*;
use xiafang_core::case::{DeadlineStatus, case_status};
use xiafang_core::ownership::Milestone;
use xiafang_core::supervision::Supervision;
use xiafang_core::{Field, FieldError, PetitionerFile, Problem, Visit};

/// One milestone row of the form; `key` keeps a row's inputs when another is removed.
#[derive(Clone, Copy)]
struct Row {
    key: u32,
    what: RwSignal<String>,
    due: RwSignal<String>,
}

/// What the plan fields hold.
#[derive(Clone, Copy)]
pub struct PlanDraft {
    plan: RwSignal<String>,
    rows: RwSignal<Vec<Row>>,
    next: StoredValue<u32>,
    team: RwSignal<String>,
}

impl PlanDraft {
    /// One empty milestone row to start with.
    pub fn new() -> Self {
        let draft = PlanDraft {
            plan: RwSignal::new(String::new()),
            rows: RwSignal::new(Vec::new()),
            next: StoredValue::new(0),
            team: RwSignal::new(String::new()),
        };
        draft.add(String::new(), String::new());
        draft
    }

    /// The fields filled from a plan being amended.
    pub fn fill(self, plan: String, milestones: Vec<Milestone>, team: Vec<String>) {
        self.plan.set(plan);
        self.rows.set(Vec::new());
        for m in milestones {
            self.add(m.what, m.due.to_string());
        }
        self.team.set(team.join("、"));
    }

    fn add(self, what: String, due: String) {
        let key = self.next.get_value();
        self.next.set_value(key + 1);
        self.rows.update(|rows| {
            rows.push(Row {
                key,
                what: RwSignal::new(what),
                due: RwSignal::new(due),
            })
        });
    }

    /// The plan as typed; rows left wholly empty are dropped, a row without a readable day is
    /// reported against the milestones.
    pub fn body(self, problems: &mut Vec<FieldError>) -> Supervision {
        let mut milestones = Vec::new();
        for row in self.rows.get_untracked() {
            let (what, due) = (row.what.get_untracked(), row.due.get_untracked());
            if what.trim().is_empty() && due.trim().is_empty() {
                continue;
            }
            match parse_optional_date(&due, Field::Milestones, problems) {
                Some(due) => milestones.push(Milestone {
                    what: what.trim().to_owned(),
                    due,
                }),
                None if due.trim().is_empty() => {
                    problems.push(FieldError::new(Field::Milestones, Problem::Required))
                }
                None => {}
            }
        }
        Supervision::Plan {
            plan: self.plan.get_untracked().trim().to_owned(),
            milestones,
            team: Visit::split_participants(&self.team.get_untracked()),
        }
    }
}

#[component]
pub fn PlanFields(draft: PlanDraft, errors: FormErrors) -> impl IntoView {
    let i18n = use_i18n();
    let milestone_error = move || {
        let lang = i18n.lang();
        let found: Vec<String> = errors
            .0
            .get()
            .iter()
            .filter(|e| e.field == Field::Milestones)
            .map(|e| e.message(lang))
            .collect();
        (!found.is_empty()).then(|| found.join("；"))
    };
    view! {
        <TextField field=Field::Plan value=draft.plan errors multiline=true />
        <fieldset class="milestones" data-testid="milestones">
            <legend>{move || Field::Milestones.label(i18n.lang())}</legend>
            <For each=move || draft.rows.get() key=|row| row.key let:row>
                <div class="milestone-row">
                    <label class="field">
                        <span class="label">{move || i18n.t(Msg::MilestoneWhat)}</span>
                        <input
                            name="milestone_what"
                            prop:value=move || row.what.get()
                            on:input:target=move |ev| row.what.set(ev.target().value())
                        />
                    </label>
                    <label class="field">
                        <span class="label">{move || i18n.t(Msg::MilestoneDue)}</span>
                        <input
                            name="milestone_due"
                            type="date"
                            prop:value=move || row.due.get()
                            on:input:target=move |ev| row.due.set(ev.target().value())
                        />
                    </label>
                    <button
                        type="button"
                        class="link"
                        on:click=move |_| draft.rows.update(|rows| rows.retain(|r| r.key != row.key))
                    >
                        {move || i18n.t(Msg::RemoveMilestone)}
                    </button>
                </div>
            </For>
            <button type="button" class="button" on:click=move |_| draft.add(String::new(), String::new())>
                {move || i18n.t(Msg::AddMilestone)}
            </button>
            {move || milestone_error().map(|e| view! { <p class="error" role="alert">{e}</p> })}
        </fieldset>
        <TextField field=Field::Team value=draft.team errors hint=Msg::TeamHint />
    }
}

/// Which milestone of the current plan was met: the plan's milestones as the phone holds them,
/// the ones still open first. `what` starts with the milestone of a record being amended.
#[component]
pub fn MilestoneMetFields(
    file: PetitionerFile,
    what: RwSignal<String>,
    note: RwSignal<String>,
    errors: FormErrors,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = file.id.clone();
    let plan = crate::fetched::Fetched::new(move || {
        let (file, id) = (file.clone(), id.clone());
        async move {
            let records = store::shared().await?.counted_timeline(&id).await?;
            let today = Local::now().date_naive();
            let status = case_status(&file, &records, &settings::rules().case, today);
            Ok::<_, store::StoreError>(status.plan)
        }
    });
    view! {
        {loaded(plan, move |plan| {
            let Some(plan) = plan else {
                return view! { <p class="card problem" role="alert">{i18n.t(Msg::NoPlanYet)}</p> }
                    .into_any();
            };
            let mut milestones = plan.milestones;
            milestones.sort_by_key(|m| (m.met.is_some(), m.due));
            if what.get_untracked().is_empty()
                && let Some(first) = milestones.first()
            {
                what.set(first.what.clone());
            }
            let lang = i18n.lang();
            view! {
                <label class="field">
                    <span class="label">{Field::MilestoneMet.label(lang)}</span>
                    <select
                        name="milestone_met"
                        on:change:target=move |ev| what.set(ev.target().value())
                    >
                        {milestones
                            .into_iter()
                            .map(|m| {
                                let state = match m.status {
                                    DeadlineStatus::Open => String::new(),
                                    s => format!(" · {}", s.label(lang)),
                                };
                                let text = format!("{}（{} {}）{state}", m.what, i18n.t(Msg::Due), m.due);
                                let value = m.what.clone();
                                view! {
                                    <option value=value selected=move || what.get() == m.what>{text}</option>
                                }
                            })
                            .collect_view()}
                    </select>
                </label>
                <TextField field=Field::MilestoneNote value=note errors multiline=true />
            }
                .into_any()
        })}
    }
}

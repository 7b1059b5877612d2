//! 交办: the office assigns the matter to a handling unit with a report deadline, urges it (催办),
//! signs the unit's report off on the records it rests on (审核销号) or sends it back (退回重办);
//! the cadre on the file enters the unit's 办结报告. Which actions a form offers is the judge's
//! rule (`judge::tasking_actions`). Saved on the phone first, like every record.

use super::draft::{Draft, DraftActions, WhenField, parse_optional_date};
use super::summary::excerpt;
use crate::app::SignedIn;
use crate::components::{Choice, FormErrors, TextField, loaded};
use crate::i18n::{Msg, use_i18n};
use crate::store::{self, settings};
use chrono::Local;
use leptos::prelude::*;
use xiafang_core::dates::Day;
use xiafang_core::judge::{phone_reach, tasking_actions};
use xiafang_core::tasking::{Tasking, TaskingAction, UrgeMethod};
use xiafang_core::tasks::tasks;
use xiafang_core::{Field, FieldError, PetitionerFile, Problem, Record, RecordBody, RecordId};

/// The form's fields, one signal each, whatever the action.
#[derive(Clone, Copy)]
struct Fields {
    unit: RwSignal<String>,
    task: RwSignal<String>,
    report_by: RwSignal<String>,
    how: RwSignal<UrgeMethod>,
    note: RwSignal<String>,
    summary: RwSignal<String>,
    resolved: RwSignal<bool>,
    evidence: RwSignal<Vec<RecordId>>,
    sign_off_note: RwSignal<String>,
    reason: RwSignal<String>,
}

impl Fields {
    fn new() -> Self {
        Fields {
            unit: RwSignal::new(String::new()),
            task: RwSignal::new(String::new()),
            report_by: RwSignal::new(String::new()),
            how: RwSignal::new(UrgeMethod::Phone),
            note: RwSignal::new(String::new()),
            summary: RwSignal::new(String::new()),
            resolved: RwSignal::new(false),
            evidence: RwSignal::new(Vec::new()),
            sign_off_note: RwSignal::new(String::new()),
            reason: RwSignal::new(String::new()),
        }
    }

    /// Starts from an amended record's values.
    fn fill(self, t: Tasking) {
        match t {
            Tasking::Assigned {
                unit,
                task,
                report_by,
            } => {
                self.unit.set(unit);
                self.task.set(task);
                self.report_by.set(report_by.to_string());
            }
            Tasking::Urged { how, note } => {
                self.how.set(how);
                self.note.set(note);
            }
            Tasking::Reported { summary, resolved } => {
                self.summary.set(summary);
                self.resolved.set(resolved);
            }
            Tasking::SignedOff { evidence, note } => {
                self.evidence.set(evidence);
                self.sign_off_note.set(note);
            }
            Tasking::SentBack { reason, report_by } => {
                self.reason.set(reason);
                self.report_by
                    .set(report_by.map(|d| d.to_string()).unwrap_or_default());
            }
        }
    }

    /// The record body of `action`, with what reading the fields found wrong.
    fn body(self, action: TaskingAction, problems: &mut Vec<FieldError>) -> Tasking {
        let text = |s: RwSignal<String>| s.get_untracked().trim().to_owned();
        let date = |problems: &mut Vec<FieldError>| {
            parse_optional_date(&text(self.report_by), Field::ReportBy, problems)
        };
        match action {
            TaskingAction::Assigned => {
                let due = date(problems);
                if due.is_none() && text(self.report_by).is_empty() {
                    problems.push(FieldError::new(Field::ReportBy, Problem::Required));
                }
                Tasking::Assigned {
                    unit: text(self.unit),
                    task: text(self.task),
                    report_by: due.unwrap_or_default(),
                }
            }
            TaskingAction::Urged => Tasking::Urged {
                how: self.how.get_untracked(),
                note: text(self.note),
            },
            TaskingAction::Reported => Tasking::Reported {
                summary: text(self.summary),
                resolved: self.resolved.get_untracked(),
            },
            TaskingAction::SignedOff => Tasking::SignedOff {
                evidence: self.evidence.get_untracked(),
                note: text(self.sign_off_note),
            },
            TaskingAction::SentBack => Tasking::SentBack {
                reason: text(self.reason),
                report_by: date(problems),
            },
        }
    }
}

#[component]
pub fn TaskingForm(
    file: PetitionerFile,
    #[prop(optional_no_strip)] original: Option<Record>,
) -> impl IntoView {
    let i18n = use_i18n();
    let draft = Draft::new(file.id.clone(), original.as_ref());
    let fields = Fields::new();
    let role = expect_context::<SignedIn>()
        .0
        .get_untracked()
        .map(|s| s.account.role);
    let mut offered = role.map_or_else(Vec::new, |r| tasking_actions(r, phone_reach(r)));
    if let Some(RecordBody::Tasking(t)) = original.as_ref().map(|r| r.body.clone()) {
        // An amendment keeps its action.
        offered = vec![t.action()];
        fields.fill(t);
    }
    let action = RwSignal::new(offered.first().copied().unwrap_or(TaskingAction::Reported));
    let offered = StoredValue::new(offered);
    let file_id = file.id.clone();
    let own_id = original.as_ref().map(|r| r.id);
    let records = crate::fetched::Fetched::new(move || {
        let id = file_id.clone();
        async move { store::shared().await?.counted_timeline(&id).await }
    });
    let errors = draft.errors;
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut problems = Vec::new();
        let body = fields.body(action.get_untracked(), &mut problems);
        draft.save(RecordBody::Tasking(body), problems);
    };
    let details = move || {
        match action.get() {
        TaskingAction::Assigned => view! {
            <TextField field=Field::TaskUnit value=fields.unit errors />
            <TextField field=Field::Task value=fields.task errors multiline=true />
            <TextField field=Field::ReportBy value=fields.report_by errors input_type="date" />
        }
        .into_any(),
        TaskingAction::Urged => view! {
            <Choice name="how" label=Msg::UrgeMethodLabel value=fields.how />
            <TextField field=Field::UrgeNote value=fields.note errors multiline=true />
        }
        .into_any(),
        TaskingAction::Reported => view! {
            <TextField field=Field::ReportSummary value=fields.summary errors multiline=true />
            <label class="field check">
                <input
                    type="checkbox"
                    name="resolved"
                    prop:checked=move || fields.resolved.get()
                    on:change:target=move |ev| fields.resolved.set(ev.target().checked())
                />
                <span class="label">{move || i18n.t(Msg::ReportResolved)}</span>
            </label>
        }
        .into_any(),
        TaskingAction::SignedOff => view! {
            {loaded(records, move |list: Vec<Record>| view! {
                <EvidenceChoice records=list own=own_id chosen=fields.evidence errors />
            })}
            <TextField field=Field::SignOffNote value=fields.sign_off_note errors multiline=true />
        }
        .into_any(),
        TaskingAction::SentBack => view! {
            <TextField field=Field::SendBackReason value=fields.reason errors multiline=true />
            <TextField field=Field::ReportBy value=fields.report_by errors input_type="date" hint=Msg::NewReportByHint />
        }
        .into_any(),
    }
    };
    let choices = move || {
        offered.with_value(|list| {
            list.iter()
                .map(|&a| {
                    view! {
                        <option value=a.key() selected=move || action.get() == a>
                            {move || a.label(i18n.lang())}
                        </option>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <form class="card record-form" on:submit=submit novalidate>
            {loaded(records, move |list: Vec<Record>| view! { <CurrentTask records=list /> })}
            <WhenField draft />
            <label class="field">
                <span class="label">{move || i18n.t(Msg::TaskingActionLabel)}</span>
                <select
                    name="action"
                    on:change:target=move |ev| {
                        if let Some(chosen) = TaskingAction::from_key(&ev.target().value()) {
                            action.set(chosen);
                        }
                    }
                >
                    {choices}
                </select>
            </label>
            {details}
            <DraftActions draft />
        </form>
    }
}

/// The assignment the record will belong to: its unit, deadline and where it stands.
#[component]
fn CurrentTask(records: Vec<Record>) -> impl IntoView {
    let i18n = use_i18n();
    let rules = settings::rules();
    let today = Local::now().date_naive();
    let folded = tasks(&records, &rules.tasking, &rules.case.limits.calendar, today);
    let lang = i18n.lang();
    match folded.rounds.last() {
        None => view! { <p class="muted" data-testid="current-task">{i18n.t(Msg::NoTaskYet)}</p> }
            .into_any(),
        Some(t) => view! {
            <p class="current-task" data-testid="current-task">
                {format!(
                    "{} · {} {} · {}",
                    t.unit,
                    Field::ReportBy.label(lang),
                    t.report_by,
                    t.state.label(lang)
                )}
            </p>
        }
        .into_any(),
    }
}

/// Tick the records of this file a sign-off rests on: the report, visits, photos, a signature.
#[component]
fn EvidenceChoice(
    records: Vec<Record>,
    own: Option<RecordId>,
    chosen: RwSignal<Vec<RecordId>>,
    errors: FormErrors,
) -> impl IntoView {
    let i18n = use_i18n();
    let lang = i18n.lang();
    let boxes = records
        .into_iter()
        .filter(|r| Some(r.id) != own && !matches!(r.body, RecordBody::Void(_)))
        .map(|r| {
            let id = r.id;
            let ticked = move || chosen.with(|c| c.contains(&id));
            let label = format!(
                "{} · {} · {}",
                r.body.kind_label(lang),
                Day(r.occurred_at),
                excerpt(&r.body, lang)
            );
            view! {
                <label class="check">
                    <input
                        type="checkbox"
                        name="evidence"
                        value=id.to_string()
                        prop:checked=ticked
                        on:change:target=move |ev| {
                            let on = ev.target().checked();
                            chosen.update(|c| {
                                c.retain(|x| *x != id);
                                if on {
                                    c.push(id);
                                }
                            });
                        }
                    />
                    {label}
                </label>
            }
        })
        .collect_view();
    let error = move || errors.message_for(Field::Evidence);
    view! {
        <fieldset class="field evidence" data-testid="evidence">
            <legend class="label">{move || Field::Evidence.label(i18n.lang())}</legend>
            {boxes}
            {move || error().map(|e| view! { <span class="error" role="alert">{e}</span> })}
        </fieldset>
    }
}

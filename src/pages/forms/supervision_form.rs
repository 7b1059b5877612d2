//! 督办: a supervisor lists a matter for supervision (挂牌督办, with a deadline and one of the six
//! modes), names a leader who owns the case (包案领导, with post, 责任单位 and 责任人), records its
//! 化解方案 or a 里程碑完成 (`ownership_form`), or lifts the supervision once the matter is done
//! (销号). Each is a record like any other, saved on the phone first.

use super::draft::{Draft, DraftActions, WhenField, parse_optional_date};
use super::leader_pick::LeaderPick;
use super::ownership_form::{MilestoneMetFields, PlanDraft, PlanFields};
use crate::components::{Choice, TextField};
use crate::i18n::Msg;
use leptos::prelude::*;
use xiafang_core::supervision::{Supervision, SupervisionMode};
use xiafang_core::{Field, FieldError, PetitionerFile, Problem, Record, RecordBody};

xiafang_core::labeled_enum!(
    /// Which supervision action the form records.
    SupervisionAction {
        Listed = "listed" => ("挂牌督办", "List for supervision"),
        Leader = "leader" => ("指定包案领导", "Name the case-owning leader"),
        Lifted = "lifted" => ("督办销号", "Lift supervision"),
        Plan = "plan" => ("化解方案", "Resolution plan"),
        MilestoneMet = "milestone_met" => ("里程碑完成", "Milestone met"),
    }
);

#[component]
pub fn SupervisionForm(
    file: PetitionerFile,
    #[prop(optional_no_strip)] original: Option<Record>,
) -> impl IntoView {
    let draft = Draft::new(file.id.clone(), original.as_ref());
    let action = RwSignal::new(SupervisionAction::Listed);
    let deadline = RwSignal::new(String::new());
    let mode = RwSignal::new(SupervisionMode::Written);
    let reason = RwSignal::new(String::new());
    let leader = RwSignal::new(file.matter.case_leader.clone().unwrap_or_default());
    let leader_account = RwSignal::new(None::<xiafang_core::UserId>);
    let post = RwSignal::new(String::new());
    let unit = RwSignal::new(String::new());
    let responsible = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let plan = PlanDraft::new();
    let milestone = RwSignal::new(String::new());
    let milestone_note = RwSignal::new(String::new());
    if let Some(RecordBody::Supervision(start)) = original.map(|r| r.body) {
        match start {
            Supervision::Listed {
                deadline: d,
                mode: m,
                reason: r,
            } => {
                deadline.set(d.to_string());
                mode.set(m);
                reason.set(r);
            }
            Supervision::Leader {
                name,
                account: a,
                post: p,
                unit: u,
                responsible: r,
            } => {
                action.set(SupervisionAction::Leader);
                leader.set(name);
                leader_account.set(a);
                post.set(p);
                unit.set(u);
                responsible.set(r);
            }
            Supervision::Lifted { note: n } => {
                action.set(SupervisionAction::Lifted);
                note.set(n);
            }
            Supervision::Plan {
                plan: text,
                milestones,
                team,
            } => {
                action.set(SupervisionAction::Plan);
                plan.fill(text, milestones, team);
            }
            Supervision::MilestoneMet { what, note: n } => {
                action.set(SupervisionAction::MilestoneMet);
                milestone.set(what);
                milestone_note.set(n);
            }
        }
    }
    let errors = draft.errors;
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut problems: Vec<FieldError> = Vec::new();
        let text = |s: RwSignal<String>| s.get_untracked().trim().to_owned();
        let body = match action.get_untracked() {
            SupervisionAction::Listed => {
                let due = parse_optional_date(&text(deadline), Field::Deadline, &mut problems);
                if due.is_none() && text(deadline).is_empty() {
                    problems.push(FieldError::new(Field::Deadline, Problem::Required));
                }
                Supervision::Listed {
                    deadline: due.unwrap_or_default(),
                    mode: mode.get_untracked(),
                    reason: text(reason),
                }
            }
            SupervisionAction::Leader => Supervision::Leader {
                name: text(leader),
                account: leader_account.get_untracked(),
                post: text(post),
                unit: text(unit),
                responsible: text(responsible),
            },
            SupervisionAction::Lifted => Supervision::Lifted { note: text(note) },
            SupervisionAction::Plan => plan.body(&mut problems),
            SupervisionAction::MilestoneMet => Supervision::MilestoneMet {
                what: text(milestone),
                note: text(milestone_note),
            },
        };
        draft.save(RecordBody::Supervision(body), problems);
    };
    let details = move || match action.get() {
        SupervisionAction::Listed => view! {
            <TextField field=Field::Deadline value=deadline errors input_type="date" />
            <Choice name="mode" label=Msg::SupervisionModeLabel value=mode />
            <TextField field=Field::SupervisionReason value=reason errors multiline=true />
        }
        .into_any(),
        SupervisionAction::Leader => view! {
            <LeaderPick account=leader_account name=leader />
            // A leader picked from the accounts is named by the server; only one without an
            // account is typed.
            {move || leader_account.get().is_none().then(|| view! {
                <TextField field=Field::Leader value=leader errors />
            })}
            <TextField field=Field::LeaderPost value=post errors />
            <TextField field=Field::ResponsibleUnit value=unit errors />
            <TextField field=Field::Responsible value=responsible errors />
        }
        .into_any(),
        SupervisionAction::Lifted => {
            view! { <TextField field=Field::LiftNote value=note errors multiline=true /> }
                .into_any()
        }
        SupervisionAction::Plan => view! { <PlanFields draft=plan errors /> }.into_any(),
        SupervisionAction::MilestoneMet => view! {
            <MilestoneMetFields file=file.clone() what=milestone note=milestone_note errors />
        }
        .into_any(),
    };
    view! {
        <form class="card record-form" on:submit=submit novalidate>
            <WhenField draft />
            <Choice name="action" label=Msg::SupervisionActionLabel value=action />
            {details}
            <DraftActions draft />
        </form>
    }
}

//! 办理环节: one step of the petition matter's lifecycle (registered, routed, notified, accepted,
//! extended, replied, served, rated, closed, review and re-review, final, follow-up, legal channel,
//! resolution). Only the fields the chosen step needs are shown; `core` checks them.

use super::draft::{Draft, DraftActions, WhenField, parse_optional_date};
use crate::components::{Check, Choice, TextField};
use crate::i18n::Msg;
use leptos::prelude::*;
use xiafang_core::case_step::{
    ApproverRole, CaseStep, Document, Evaluation, LegalRoute, ReplyOutcome, ReviewOutcome, Route,
    ServiceMethod, Step, StepKind,
};
use xiafang_core::file::Resolution;
use xiafang_core::{Field, FieldError, PetitionerFile, Problem, Record, RecordBody};

/// Every value any step may need, as the form holds it.
#[derive(Clone, Copy)]
struct Values {
    kind: RwSignal<StepKind>,
    received: RwSignal<String>,
    route: RwSignal<Route>,
    to: RwSignal<String>,
    body: RwSignal<String>,
    objection: RwSignal<String>,
    accepted: RwSignal<bool>,
    go_to: RwSignal<String>,
    simplified: RwSignal<bool>,
    days: RwSignal<String>,
    approver: RwSignal<String>,
    approver_role: RwSignal<ApproverRole>,
    reason_told: RwSignal<bool>,
    reason: RwSignal<String>,
    reply: RwSignal<ReplyOutcome>,
    document: RwSignal<Document>,
    how: RwSignal<ServiceMethod>,
    evaluation: RwSignal<Evaluation>,
    comment: RwSignal<String>,
    review: RwSignal<ReviewOutcome>,
    carried_out: RwSignal<bool>,
    legal: RwSignal<LegalRoute>,
    resolution: RwSignal<Resolution>,
    note: RwSignal<String>,
}

impl Values {
    fn new(start: Option<CaseStep>) -> Self {
        let v = Values {
            kind: RwSignal::new(StepKind::Registered),
            received: RwSignal::new(String::new()),
            route: RwSignal::new(Route::Own),
            to: RwSignal::new(String::new()),
            body: RwSignal::new(String::new()),
            objection: RwSignal::new(String::new()),
            accepted: RwSignal::new(true),
            go_to: RwSignal::new(String::new()),
            simplified: RwSignal::new(false),
            days: RwSignal::new(String::new()),
            approver: RwSignal::new(String::new()),
            approver_role: RwSignal::new(ApproverRole::Head),
            reason_told: RwSignal::new(false),
            reason: RwSignal::new(String::new()),
            reply: RwSignal::new(ReplyOutcome::Upheld),
            document: RwSignal::new(Document::Reply),
            how: RwSignal::new(ServiceMethod::Direct),
            evaluation: RwSignal::new(Evaluation::Satisfied),
            comment: RwSignal::new(String::new()),
            review: RwSignal::new(ReviewOutcome::Upheld),
            carried_out: RwSignal::new(true),
            legal: RwSignal::new(LegalRoute::Litigation),
            resolution: RwSignal::new(Resolution::InProgress),
            note: RwSignal::new(String::new()),
        };
        if let Some(start) = start {
            v.fill(start);
        }
        v
    }

    /// Starts from an earlier step (an amendment).
    fn fill(self, start: CaseStep) {
        self.kind.set(start.step.kind());
        self.note.set(start.note);
        match start.step {
            Step::Registered { received } => self.received.set(received.to_string()),
            Step::Routed { route, to } => {
                self.route.set(route);
                self.to.set(to);
            }
            Step::BodyReceived { body } => self.body.set(body),
            Step::Objected { reason } => self.objection.set(reason),
            Step::Notified { accepted, go_to } => {
                self.accepted.set(accepted);
                self.go_to.set(go_to);
            }
            Step::Accepted { simplified } => self.simplified.set(simplified),
            Step::Extended {
                days,
                approver,
                approver_role,
                reason,
                reason_told,
            } => {
                self.days.set(days.to_string());
                self.approver.set(approver);
                self.approver_role
                    .set(approver_role.unwrap_or(ApproverRole::Head));
                self.reason.set(reason);
                self.reason_told.set(reason_told);
            }
            Step::Replied { outcome } => self.reply.set(outcome),
            Step::Served { document, how } => {
                self.document.set(document);
                self.how.set(how);
            }
            Step::Rated {
                evaluation,
                comment,
            } => {
                self.evaluation.set(evaluation);
                self.comment.set(comment);
            }
            Step::ReviewDecided { outcome } | Step::ReReviewDecided { outcome } => {
                self.review.set(outcome)
            }
            Step::FollowUpDone { carried_out } => self.carried_out.set(carried_out),
            Step::LegalRoute { route } => self.legal.set(route),
            Step::Resolution { resolution } => self.resolution.set(resolution),
            Step::Closed | Step::ReviewRequested | Step::ReReviewRequested | Step::Final => {}
        }
    }

    /// The step as typed; problems the form itself finds (an unreadable date or number) go to
    /// `problems`, the rest is `core`'s to check.
    fn step(self, problems: &mut Vec<FieldError>) -> Step {
        let text = |s: RwSignal<String>| s.get_untracked().trim().to_owned();
        match self.kind.get_untracked() {
            StepKind::Registered => {
                let received = parse_optional_date(&text(self.received), Field::Received, problems);
                if received.is_none() && text(self.received).is_empty() {
                    problems.push(FieldError::new(Field::Received, Problem::Required));
                }
                Step::Registered {
                    received: received.unwrap_or_default(),
                }
            }
            StepKind::Routed => Step::Routed {
                route: self.route.get_untracked(),
                to: text(self.to),
            },
            StepKind::BodyReceived => Step::BodyReceived {
                body: text(self.body),
            },
            StepKind::Objected => Step::Objected {
                reason: text(self.objection),
            },
            StepKind::Notified => Step::Notified {
                accepted: self.accepted.get_untracked(),
                go_to: text(self.go_to),
            },
            StepKind::Accepted => Step::Accepted {
                simplified: self.simplified.get_untracked(),
            },
            StepKind::Extended => Step::Extended {
                days: text(self.days).parse().unwrap_or_else(|_| {
                    problems.push(FieldError::new(Field::ExtensionDays, Problem::Required));
                    0
                }),
                approver: text(self.approver),
                approver_role: Some(self.approver_role.get_untracked()),
                reason: text(self.reason),
                reason_told: self.reason_told.get_untracked(),
            },
            StepKind::Replied => Step::Replied {
                outcome: self.reply.get_untracked(),
            },
            StepKind::Served => Step::Served {
                document: self.document.get_untracked(),
                how: self.how.get_untracked(),
            },
            StepKind::Rated => Step::Rated {
                evaluation: self.evaluation.get_untracked(),
                comment: text(self.comment),
            },
            StepKind::Closed => Step::Closed,
            StepKind::ReviewRequested => Step::ReviewRequested,
            StepKind::ReviewDecided => Step::ReviewDecided {
                outcome: self.review.get_untracked(),
            },
            StepKind::ReReviewRequested => Step::ReReviewRequested,
            StepKind::ReReviewDecided => Step::ReReviewDecided {
                outcome: self.review.get_untracked(),
            },
            StepKind::Final => Step::Final,
            StepKind::FollowUpDone => Step::FollowUpDone {
                carried_out: self.carried_out.get_untracked(),
            },
            StepKind::LegalRoute => Step::LegalRoute {
                route: self.legal.get_untracked(),
            },
            StepKind::Resolution => Step::Resolution {
                resolution: self.resolution.get_untracked(),
            },
        }
    }
}

#[component]
pub fn StepForm(
    file: PetitionerFile,
    #[prop(optional_no_strip)] original: Option<Record>,
) -> impl IntoView {
    let draft = Draft::new(file.id.clone(), original.as_ref());
    let start = original.and_then(|r| match r.body {
        RecordBody::CaseStep(s) => Some(s),
        _ => None,
    });
    let v = Values::new(start);
    let errors = draft.errors;
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut problems = Vec::new();
        let step = v.step(&mut problems);
        let note = v.note.get_untracked().trim().to_owned();
        draft.save(RecordBody::CaseStep(CaseStep { step, note }), problems);
    };
    let details = move || match v.kind.get() {
        StepKind::Registered => {
            view! { <TextField field=Field::Received value=v.received errors input_type="date" /> }
                .into_any()
        }
        StepKind::Routed => view! {
            <Choice name="route" label=Msg::RouteLabel value=v.route />
            <TextField field=Field::RoutedTo value=v.to errors />
        }
        .into_any(),
        StepKind::BodyReceived => {
            view! { <TextField field=Field::ReceivingBody value=v.body errors /> }.into_any()
        }
        StepKind::Objected => view! {
            <TextField field=Field::ObjectionReason value=v.objection errors multiline=true />
        }
        .into_any(),
        StepKind::Notified => view! {
            <Check name="accepted" label=Msg::AcceptedLabel value=v.accepted />
            <TextField field=Field::GoTo value=v.go_to errors />
        }
        .into_any(),
        StepKind::Accepted => {
            view! { <Check name="simplified" label=Msg::SimplifiedLabel value=v.simplified /> }
                .into_any()
        }
        StepKind::Extended => view! {
            <TextField field=Field::ExtensionDays value=v.days errors inputmode="numeric" />
            <Choice name="approver_role" label=Msg::ApproverRoleLabel value=v.approver_role />
            <TextField field=Field::Approver value=v.approver errors />
            <TextField field=Field::ExtensionReason value=v.reason errors multiline=true />
            <Check name="reason_told" label=Msg::ReasonToldLabel value=v.reason_told />
        }
        .into_any(),
        StepKind::Replied => {
            view! { <Choice name="reply_outcome" label=Msg::ReplyOutcomeLabel value=v.reply /> }
                .into_any()
        }
        StepKind::Served => view! {
            <Choice name="document" label=Msg::ServedDocumentLabel value=v.document />
            <Choice name="service" label=Msg::ServiceMethodLabel value=v.how />
        }
        .into_any(),
        StepKind::Rated => view! {
            <Choice name="evaluation" label=Msg::EvaluationLabel value=v.evaluation />
            <TextField field=Field::RatingComment value=v.comment errors multiline=true />
        }
        .into_any(),
        StepKind::ReviewDecided | StepKind::ReReviewDecided => {
            view! { <Choice name="review_outcome" label=Msg::ReviewOutcomeLabel value=v.review /> }
                .into_any()
        }
        StepKind::FollowUpDone => {
            view! { <Check name="carried_out" label=Msg::CarriedOutLabel value=v.carried_out /> }
                .into_any()
        }
        StepKind::LegalRoute => {
            view! { <Choice name="legal_route" label=Msg::LegalRouteLabel value=v.legal /> }
                .into_any()
        }
        StepKind::Resolution => {
            view! { <Choice name="resolution" label=Msg::ResolutionLabel value=v.resolution /> }
                .into_any()
        }
        StepKind::Closed
        | StepKind::ReviewRequested
        | StepKind::ReReviewRequested
        | StepKind::Final => ().into_any(),
    };
    view! {
        <form class="card record-form" on:submit=submit novalidate>
            <WhenField draft />
            <Choice name="step" label=Msg::StepLabel value=v.kind />
            {details}
            <TextField field=Field::StepNote value=v.note errors multiline=true />
            <DraftActions draft />
        </form>
    }
}

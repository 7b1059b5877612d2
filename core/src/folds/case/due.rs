//! Which deadlines a matter's state runs, and how each stands on a day: the procedure's limits
//! counted with the calendar, met by the record that did it — on time only if it was also
//! entered on time.

use super::{
    CaseRules, CaseStatus, Dated, Deadline, DeadlineKind, DeadlineStatus, extended_days, passed_on,
};
use crate::folds::deadlines::{CalendarUse, Due};
use chrono::NaiveDate;

pub(super) fn deadlines(s: &CaseStatus, rules: &CaseRules, today: NaiveDate) -> Vec<Deadline> {
    let l = &rules.limits;
    let mut out = Vec::new();
    let mut add = |kind: DeadlineKind, due: Due, met: Option<(NaiveDate, NaiveDate)>| {
        out.push(Deadline {
            kind,
            due: due.day,
            met_on: met.map(|(on, _)| on),
            recorded_on: met.map(|(_, recorded)| recorded),
            status: status(kind, due.day, met, today, rules.due_soon_days),
            calendar: Some(due.calendar).filter(CalendarUse::matters),
        })
    };
    if let Some(received) = s.received {
        add(
            DeadlineKind::Register,
            l.days_from(received, l.register_days),
            met(&s.routing),
        );
        // Passed on in time, the notice is the receiving body's; passed on (or entered) after
        // this office's own notice was due, that overdue notice stays where it was.
        let notify = l.days_from(received, l.notify_days);
        let in_time = s
            .routing
            .as_ref()
            .is_some_and(|r| r.on <= notify.day && r.recorded <= notify.day);
        if !(passed_on(s) && in_time) {
            add(DeadlineKind::Notify, notify, met(&s.notice));
        }
    }
    // Forwarded or assigned: the receiving body's own 15 days to tell the petitioner, and its 5
    // working days to object, run from its receipt (§22, §23).
    if let Some(body) = s.body_received.as_ref().filter(|_| passed_on(s)) {
        add(
            DeadlineKind::Notify,
            l.days_from(body.on, l.notify_days),
            met(&s.notice),
        );
        add(
            DeadlineKind::Objection,
            l.working_days_from(body.on, l.objection_working_days),
            met(&s.objection),
        );
    }
    if let Some(accepted) = &s.accepted {
        let due = l.handling(accepted.on, accepted.what, extended_days(s));
        // Steered to a legal channel before the reply, the matter leaves the petition procedure
        // — if that was done, and entered, while the reply was not yet due. Steered later, the
        // handling deadline stands, met late on the day it was steered.
        let steered = s
            .legal_route
            .as_ref()
            .filter(|lr| s.reply.as_ref().is_none_or(|r| lr.on <= r.on));
        match steered {
            Some(lr) if lr.on <= due.day && lr.recorded <= due.day => {}
            Some(lr) => add(DeadlineKind::Handling, due, Some(lr.when())),
            None => add(DeadlineKind::Handling, due, met(&s.reply)),
        }
    }
    for round in &s.earlier_rounds {
        add(DeadlineKind::Handling, round.due.clone(), met(&round.reply));
    }
    // The petitioner's windows run from the day the document was served (§35, §36).
    if let Some(served) = s.reply.as_ref().and(s.reply_served.as_ref()) {
        let requested = s.review.as_ref().map(|r| (r.requested_on, r.requested_on));
        add(
            DeadlineKind::ReviewRequest,
            l.days_from(served.on, l.review_request_days),
            requested,
        );
    }
    let rounds = [
        (
            &s.review,
            l.review_decide_days,
            DeadlineKind::ReviewDecision,
        ),
        (
            &s.re_review,
            l.re_review_decide_days,
            DeadlineKind::ReReviewDecision,
        ),
    ];
    for (round, days, kind) in rounds {
        if let Some(round) = round {
            add(
                kind,
                l.days_from(round.requested_on, days),
                met(&round.decided),
            );
        }
    }
    if let Some(served) = s
        .review
        .as_ref()
        .and_then(|r| r.decided.as_ref())
        .and(s.review_served.as_ref())
    {
        add(
            DeadlineKind::ReReviewRequest,
            l.days_from(served.on, l.re_review_request_days),
            s.re_review
                .as_ref()
                .map(|r| (r.requested_on, r.requested_on)),
        );
    }
    if let Some(closed) = s.closed_on {
        add(
            DeadlineKind::FollowUp,
            l.days_from(closed, l.follow_up_days),
            met(&s.follow_up_on),
        );
    }
    if let Some(sup) = &s.supervision {
        // A date the supervising office set: no calendar of ours moves it.
        let set = Due {
            day: sup.deadline,
            calendar: CalendarUse::default(),
        };
        add(DeadlineKind::Supervision, set, met(&sup.lifted));
    }
    out
}

/// When the record that meets a deadline says it was done, and when it was entered.
fn met<T>(fact: &Option<Dated<T>>) -> Option<(NaiveDate, NaiveDate)> {
    fact.as_ref().map(Dated::when)
}

/// How a deadline stands on `today`; `met` is the day it was met and the day that was entered.
pub fn status(
    kind: DeadlineKind,
    due: NaiveDate,
    met: Option<(NaiveDate, NaiveDate)>,
    today: NaiveDate,
    due_soon_days: u32,
) -> DeadlineStatus {
    match met {
        Some((on, recorded)) if on <= due && recorded <= due => DeadlineStatus::Met,
        Some((on, _)) if on <= due => DeadlineStatus::MetRecordedLate,
        Some(_) => DeadlineStatus::MetLate,
        None if today > due && kind.is_window() => DeadlineStatus::Lapsed,
        None if today > due => DeadlineStatus::Overdue,
        None if (due - today).num_days() <= i64::from(due_soon_days) => DeadlineStatus::DueSoon,
        None => DeadlineStatus::Open,
    }
}

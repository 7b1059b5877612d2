//! A matter's state as of a day, folded from its file's records: where it is in the procedure,
//! which time limits run and how they stand, supervision, the owning leader, and the flags a
//! petition office sorts by. Corrections count as the ledger says (voided steps do not count).

mod status;

pub use status::*;

use crate::base::ids::RecordId;
use crate::folds::deadlines::within;
use crate::records::case_step::{ReviewOutcome, Step};
use crate::records::file::{Level, MatterFlag, PetitionerFile};
use crate::records::record::{Record, RecordBody, VisitKind};
use crate::records::supervision::Supervision;
use chrono::NaiveDate;

/// The state of `file`'s matter from the records dated on or before `today`.
pub fn case_status(
    file: &PetitionerFile,
    records: &[Record],
    rules: &CaseRules,
    today: NaiveDate,
) -> CaseStatus {
    let mine: Vec<Record> = records
        .iter()
        .filter(|r| r.file_id == file.id)
        .cloned()
        .collect();
    let mut counted: Vec<&Record> = crate::folds::ledger::effective(&mine)
        .into_iter()
        .filter(|r| r.occurred_at.date() <= today)
        .collect();
    counted.sort_by_key(|r| (r.occurred_at, r.saved_at));

    let mut s = CaseStatus {
        resolution: Some(file.matter.resolution),
        leader: file.matter.case_leader.clone().map(|name| Leader {
            name,
            account: None,
        }),
        ..CaseStatus::default()
    };
    let mut follow_ups = Vec::new();
    for r in counted {
        let on = r.occurred_at.date();
        match &r.body {
            RecordBody::CaseStep(c) => step(&mut s, &c.step, on, r.id, rules, &mut follow_ups),
            RecordBody::Supervision(sup) => supervise(&mut s, sup, on),
            RecordBody::Visit(v) => {
                s.last_visit = Some(on);
                if v.kind == VisitKind::FollowUp && rules.follow_up_visit_counts {
                    follow_ups.push(on);
                }
                // An evaluation asked on a visit is the petitioner's latest word, like a 评价
                // step; it does not move the matter's stage.
                if let Some(e) = &v.evaluation {
                    s.rating = Some(Dated {
                        on,
                        what: (e.rating, e.comment.clone()),
                    });
                }
            }
            _ => {}
        }
    }
    s.follow_up_on = s
        .closed_on
        .and_then(|closed| follow_ups.iter().copied().find(|d| *d >= closed));
    s.follow_up_due = s.closed_on.is_some() && s.follow_up_on.is_none();
    s.needs_visit = s
        .last_visit
        .is_none_or(|last| (today - last).num_days() >= i64::from(rules.no_visit_days));
    s.flags = flags(file, &s, rules, today);
    s.deadlines = deadlines(&s, rules, today);
    s
}

fn step(
    s: &mut CaseStatus,
    step: &Step,
    on: NaiveDate,
    id: RecordId,
    rules: &CaseRules,
    follow_ups: &mut Vec<NaiveDate>,
) {
    let closed_to_review = s.is_closed_to_review();
    let refuse = |s: &mut CaseStatus| {
        s.problems.push(CaseProblem {
            record: id,
            kind: CaseProblemKind::AfterReReview,
        })
    };
    let stage = match step {
        Step::Registered { received } => {
            s.registrations.push(on);
            s.received.get_or_insert(*received);
            Some(Stage::Registered)
        }
        Step::Routed { route, to } => {
            s.routing = Some(Dated {
                on,
                what: (*route, to.clone()),
            });
            Some(Stage::Routed)
        }
        Step::Notified { accepted: true, .. } | Step::Accepted { .. } if closed_to_review => {
            refuse(s);
            None
        }
        Step::Notified { accepted, go_to } => {
            s.notice = Some(Dated {
                on,
                what: (*accepted, go_to.clone()),
            });
            if *accepted {
                s.accepted.get_or_insert(Dated { on, what: false });
                Some(Stage::Notified)
            } else {
                Some(Stage::NotAccepted)
            }
        }
        Step::Accepted { simplified } => {
            // An explicit acceptance is the legal start, over an earlier acceptance notice.
            s.accepted = Some(Dated {
                on,
                what: *simplified,
            });
            Some(Stage::InHandling)
        }
        Step::Extended { .. } if s.extension.is_some() => {
            s.problems.push(CaseProblem {
                record: id,
                kind: CaseProblemKind::SecondExtension,
            });
            None
        }
        Step::Extended {
            days,
            approver,
            reason,
        } => {
            if u32::from(*days) > rules.limits.extension_max_days {
                s.problems.push(CaseProblem {
                    record: id,
                    kind: CaseProblemKind::ExtensionTooLong,
                });
            }
            s.extension = Some(Dated {
                on,
                what: Extension {
                    days: *days,
                    approver: approver.clone(),
                    reason: reason.clone(),
                },
            });
            None
        }
        Step::Replied { outcome } => {
            s.reply = Some(Dated { on, what: *outcome });
            Some(Stage::Replied)
        }
        Step::Rated {
            evaluation,
            comment,
        } => {
            s.rating = Some(Dated {
                on,
                what: (*evaluation, comment.clone()),
            });
            Some(Stage::Rated)
        }
        Step::Closed => {
            s.closed_on = Some(on);
            Some(Stage::Closed)
        }
        Step::ReviewRequested | Step::ReReviewRequested if closed_to_review => {
            refuse(s);
            None
        }
        Step::ReviewRequested => {
            s.review = Some(ReviewRound {
                requested_on: on,
                decided: None,
            });
            Some(Stage::InReview)
        }
        Step::ReviewDecided { outcome } => {
            decide(&mut s.review, on, *outcome);
            Some(Stage::Reviewed)
        }
        Step::ReReviewRequested => {
            s.re_review = Some(ReviewRound {
                requested_on: on,
                decided: None,
            });
            Some(Stage::InReReview)
        }
        Step::ReReviewDecided { outcome } => {
            decide(&mut s.re_review, on, *outcome);
            Some(Stage::ReReviewed)
        }
        Step::Final => {
            s.final_on = Some(on);
            Some(Stage::Final)
        }
        Step::FollowUpDone { .. } => {
            follow_ups.push(on);
            None
        }
        Step::LegalRoute { route } => {
            s.legal_route = Some(Dated { on, what: *route });
            None
        }
        Step::Resolution { resolution } => {
            s.resolution = Some(*resolution);
            None
        }
    };
    if let Some(stage) = stage {
        s.stage = Some(stage);
    }
}

/// A decision without a recorded request still counts; its request day is taken as its own.
fn decide(round: &mut Option<ReviewRound>, on: NaiveDate, outcome: ReviewOutcome) {
    round
        .get_or_insert(ReviewRound {
            requested_on: on,
            decided: None,
        })
        .decided = Some(Dated { on, what: outcome });
}

fn supervise(s: &mut CaseStatus, sup: &Supervision, on: NaiveDate) {
    match sup {
        Supervision::Listed {
            deadline,
            mode,
            reason,
        } => {
            s.supervision = Some(SupervisionState {
                listed_on: on,
                deadline: *deadline,
                mode: *mode,
                reason: reason.clone(),
                lifted: None,
            })
        }
        Supervision::Leader { name, account } => {
            s.leader = Some(Leader {
                name: name.clone(),
                account: account.clone(),
            })
        }
        Supervision::Lifted { note } => {
            if let Some(state) = &mut s.supervision {
                state.lifted = Some(Dated {
                    on,
                    what: note.clone(),
                });
            }
        }
    }
}

fn flags(file: &PetitionerFile, s: &CaseStatus, rules: &CaseRules, today: NaiveDate) -> CaseFlags {
    let has = |flag| file.matter.flags.contains(&flag);
    let rank = |level| Level::ALL.iter().position(|l| *l == level);
    CaseFlags {
        first_time: has(MatterFlag::FirstTime),
        repeat: has(MatterFlag::Repeat) || s.registrations.len() > 1,
        skip_level: has(MatterFlag::SkipLevel)
            || rank(file.matter.level_reached) >= rank(rules.skip_level_from),
        collective: has(MatterFlag::Collective),
        backlog_years: has(MatterFlag::Backlog)
            .then(|| today.years_since(file.matter.since).unwrap_or(0)),
    }
}

fn deadlines(s: &CaseStatus, rules: &CaseRules, today: NaiveDate) -> Vec<Deadline> {
    let l = &rules.limits;
    let mut out = Vec::new();
    let mut add = |kind: DeadlineKind, due: NaiveDate, met_on: Option<NaiveDate>| {
        out.push(Deadline {
            kind,
            due,
            met_on,
            status: status(kind, due, met_on, today, rules.due_soon_days),
        })
    };
    if let Some(received) = s.received {
        add(
            DeadlineKind::Register,
            l.register_due(received),
            s.routing.as_ref().map(|r| r.on),
        );
        add(
            DeadlineKind::Notify,
            l.notify_due(received),
            s.notice.as_ref().map(|n| n.on),
        );
    }
    // A matter steered to a legal channel before its reply leaves the petition procedure.
    let steered = s
        .legal_route
        .as_ref()
        .is_some_and(|lr| s.reply.as_ref().is_none_or(|r| lr.on <= r.on));
    if let Some(accepted) = s.accepted.as_ref().filter(|_| !steered) {
        let extension = s.extension.as_ref().map_or(0, |e| u32::from(e.what.days));
        add(
            DeadlineKind::Handling,
            l.handling_due(accepted.on, accepted.what, extension),
            s.reply.as_ref().map(|r| r.on),
        );
    }
    if let Some(reply) = &s.reply {
        let requested = s.review.as_ref().map(|r| r.requested_on);
        add(
            DeadlineKind::ReviewRequest,
            within(reply.on, l.review_request_days),
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
            let decided = round.decided.as_ref().map(|d| d.on);
            add(kind, within(round.requested_on, days), decided);
        }
    }
    if let Some(decided) = s.review.as_ref().and_then(|r| r.decided.as_ref()) {
        add(
            DeadlineKind::ReReviewRequest,
            within(decided.on, l.re_review_request_days),
            s.re_review.as_ref().map(|r| r.requested_on),
        );
    }
    if let Some(closed) = s.closed_on {
        add(
            DeadlineKind::FollowUp,
            within(closed, l.follow_up_days),
            s.follow_up_on,
        );
    }
    if let Some(sup) = &s.supervision {
        add(
            DeadlineKind::Supervision,
            sup.deadline,
            sup.lifted.as_ref().map(|l| l.on),
        );
    }
    out
}

/// How a deadline stands on `today`.
pub fn status(
    kind: DeadlineKind,
    due: NaiveDate,
    met_on: Option<NaiveDate>,
    today: NaiveDate,
    due_soon_days: u32,
) -> DeadlineStatus {
    match met_on {
        Some(on) if on <= due => DeadlineStatus::Met,
        Some(_) => DeadlineStatus::MetLate,
        None if today > due && kind.is_window() => DeadlineStatus::Lapsed,
        None if today > due => DeadlineStatus::Overdue,
        None if (due - today).num_days() <= i64::from(due_soon_days) => DeadlineStatus::DueSoon,
        None => DeadlineStatus::Open,
    }
}

//! A matter's state as of a day, folded from its file's records: where it is in the procedure,
//! which time limits run and how they stand, supervision, the owning leader, and the flags a
//! petition office sorts by. Corrections count as the ledger says (voided steps do not count).

mod due;
mod ownership;
mod status;

pub use due::status;
pub use ownership::{CasePlan, Leader, MilestoneState};
pub use status::*;

use crate::base::ids::RecordId;
use crate::records::case_step::{ApproverRole, Document, ReviewOutcome, Route, Step};
use crate::records::file::{Level, MatterFlag, PetitionerFile};
use crate::records::record::{Record, RecordBody, VisitKind};
use crate::records::supervision::Supervision;
use chrono::{DateTime, NaiveDate, TimeDelta, Utc};

/// The day in China (UTC+8, no daylight saving) of an instant: the day a record was entered.
pub fn china_date(at: DateTime<Utc>) -> NaiveDate {
    (at + TimeDelta::hours(8)).date_naive()
}

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
        leaders: file
            .matter
            .case_leader
            .iter()
            .map(|name| Leader {
                name: name.clone(),
                ..Leader::default()
            })
            .collect(),
        ..CaseStatus::default()
    };
    let mut follow_ups = Vec::new();
    let mut owned = ownership::Gathered::default();
    for r in counted {
        let at = At {
            on: r.occurred_at.date(),
            recorded: china_date(r.saved_at),
        };
        let on = at.on;
        match &r.body {
            RecordBody::CaseStep(c) => step(&mut s, &c.step, at, r.id, rules, &mut follow_ups),
            RecordBody::Supervision(sup) => {
                supervise(&mut s, sup, at);
                owned.supervision(&mut s, sup, at, r.id);
            }
            RecordBody::Visit(v) => {
                s.last_visit = Some(on);
                owned.visit(v, &r.author, on);
                if v.kind == VisitKind::FollowUp && rules.follow_up_visit_counts {
                    follow_ups.push(at.dated(()));
                }
                // An evaluation asked on a visit is the petitioner's latest word, like a 评价
                // step; it does not move the matter's stage.
                if let Some(e) = &v.evaluation {
                    s.rating = Some(at.dated((e.rating, e.comment.clone())));
                }
            }
            // 接访: the leader who received the petitioners met them on this case.
            RecordBody::Reception(rec) => owned.reception(&rec.leader, &r.author, on),
            _ => {}
        }
    }
    s.follow_up_on = s
        .closed_on
        .and_then(|closed| follow_ups.into_iter().find(|d| d.on >= closed));
    s.follow_up_due = s.closed_on.is_some() && s.follow_up_on.is_none();
    s.needs_visit = s
        .last_visit
        .is_none_or(|last| (today - last).num_days() >= i64::from(rules.no_visit_days));
    s.unserved = unserved(&s);
    s.unreceived = passed_on(&s) && s.body_received.is_none();
    s.flags = flags(file, &s, rules, today);
    s.deadlines = due::deadlines(&s, rules, today);
    owned.finish(&mut s, rules, today);
    s
}

/// When a record's fact happened, and when the record was entered.
#[derive(Clone, Copy)]
struct At {
    on: NaiveDate,
    recorded: NaiveDate,
}

impl At {
    fn dated<T>(self, what: T) -> Dated<T> {
        Dated {
            on: self.on,
            recorded: self.recorded,
            what,
        }
    }
}

fn step(
    s: &mut CaseStatus,
    step: &Step,
    at: At,
    id: RecordId,
    rules: &CaseRules,
    follow_ups: &mut Vec<Dated<()>>,
) {
    let on = at.on;
    let closed_to_review =
        s.is_closed_to_review() && s.closed_entered.is_some_and(|e| e <= at.recorded);
    let problem = |s: &mut CaseStatus, kind| s.problems.push(CaseProblem { record: id, kind });
    let refuse = |s: &mut CaseStatus| problem(s, CaseProblemKind::AfterReReview);
    let handling_due = |s: &CaseStatus, extension: bool| {
        s.accepted.as_ref().map(|a| {
            let days = if extension { extended_days(s) } else { 0 };
            rules.limits.handling_due(a.on, a.what, days)
        })
    };
    let stage = match step {
        Step::Registered { received } => {
            s.registrations.push(on);
            s.received.get_or_insert(*received);
            Some(Stage::Registered)
        }
        Step::Routed { route, to } => {
            s.routing = Some(at.dated((*route, to.clone())));
            Some(Stage::Routed)
        }
        Step::BodyReceived { body } => {
            s.body_received = Some(at.dated(body.clone()));
            None
        }
        Step::Objected { reason } => {
            s.objection = Some(at.dated(reason.clone()));
            None
        }
        Step::Notified { accepted: true, .. } | Step::Accepted { .. } if closed_to_review => {
            refuse(s);
            None
        }
        Step::Notified { accepted, go_to } => {
            s.notice = Some(at.dated((*accepted, go_to.clone())));
            if *accepted {
                s.accepted.get_or_insert(at.dated(false));
                Some(Stage::Notified)
            } else {
                Some(Stage::NotAccepted)
            }
        }
        // An explicit acceptance is the legal start, over an earlier acceptance notice — but one
        // entered after the handling period already ended would move that period after the fact.
        Step::Accepted { .. } if handling_due(s, true).is_some_and(|due| at.recorded > due) => {
            problem(s, CaseProblemKind::LateAcceptance);
            None
        }
        Step::Accepted { simplified } => {
            s.accepted = Some(at.dated(*simplified));
            Some(Stage::InHandling)
        }
        Step::Extended { .. } if s.extension.is_some() => {
            problem(s, CaseProblemKind::SecondExtension);
            None
        }
        // An extension counts only if approved, and entered, while the period it extends ran
        // (§34): a late one is kept and shown, and moves no deadline.
        Step::Extended { .. }
            if handling_due(s, false).is_none_or(|due| on > due || at.recorded > due) =>
        {
            problem(s, CaseProblemKind::LateExtension);
            None
        }
        Step::Extended { approver_role, .. }
            if !approver_role.is_some_and(ApproverRole::may_extend) =>
        {
            problem(s, CaseProblemKind::ExtensionNotByHead);
            None
        }
        Step::Extended { reason_told, .. } if !reason_told => {
            problem(s, CaseProblemKind::ExtensionReasonNotTold);
            None
        }
        Step::Extended {
            days,
            approver,
            reason,
            ..
        } => {
            if u32::from(*days) > rules.limits.extension_max_days {
                problem(s, CaseProblemKind::ExtensionTooLong);
            }
            s.extension = Some(at.dated(Extension {
                days: *days,
                approver: approver.clone(),
                reason: reason.clone(),
            }));
            None
        }
        Step::Replied { outcome } => {
            s.reply = Some(at.dated(*outcome));
            // A new reply is served anew.
            s.reply_served = None;
            Some(Stage::Replied)
        }
        Step::Served { document, how } => {
            let written = match document {
                Document::Reply => s.reply.as_ref().map(|r| r.on),
                Document::ReviewOpinion => decided_on(&s.review),
                Document::ReReviewOpinion => decided_on(&s.re_review),
            };
            if written.is_none_or(|w| on < w) {
                problem(s, CaseProblemKind::NothingToServe);
            } else {
                let served = Some(at.dated(*how));
                match document {
                    Document::Reply => s.reply_served = served,
                    Document::ReviewOpinion => s.review_served = served,
                    Document::ReReviewOpinion => s.re_review_served = served,
                }
            }
            None
        }
        Step::Rated {
            evaluation,
            comment,
        } => {
            s.rating = Some(at.dated((*evaluation, comment.clone())));
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
            decide(&mut s.review, at, *outcome);
            s.review_served = None;
            if *outcome == ReviewOutcome::Redo {
                handle_again(s, rules);
            }
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
            decide(&mut s.re_review, at, *outcome);
            s.re_review_served = None;
            if *outcome == ReviewOutcome::Redo {
                handle_again(s, rules);
            } else {
                closes_to_review(s, at);
            }
            Some(Stage::ReReviewed)
        }
        Step::Final => {
            s.final_on = Some(on);
            closes_to_review(s, at);
            Some(Stage::Final)
        }
        Step::FollowUpDone { .. } => {
            follow_ups.push(at.dated(()));
            None
        }
        Step::LegalRoute { route } => {
            s.legal_route = Some(at.dated(*route));
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
fn decide(round: &mut Option<ReviewRound>, at: At, outcome: ReviewOutcome) {
    round
        .get_or_insert(ReviewRound {
            requested_on: at.on,
            decided: None,
        })
        .decided = Some(at.dated(outcome));
}

fn decided_on(round: &Option<ReviewRound>) -> Option<NaiveDate> {
    round
        .as_ref()
        .and_then(|r| r.decided.as_ref())
        .map(|d| d.on)
}

fn closes_to_review(s: &mut CaseStatus, at: At) {
    s.closed_entered = Some(s.closed_entered.map_or(at.recorded, |e| e.min(at.recorded)));
}

pub(super) fn extended_days(s: &CaseStatus) -> u32 {
    s.extension.as_ref().map_or(0, |e| u32::from(e.what.days))
}

/// 撤销原处理意见，责令重新办理: the round handled so far keeps its deadline as it stood (the
/// old reply does not meet the next one), and the next acceptance starts a new period with its
/// own one extension.
fn handle_again(s: &mut CaseStatus, rules: &CaseRules) {
    if let Some(accepted) = s.accepted.take() {
        let due = rules
            .limits
            .handling(accepted.on, accepted.what, extended_days(s));
        s.earlier_rounds.push(EarlierRound {
            due,
            reply: s.reply.clone(),
        });
    }
    s.extension = None;
    s.reply = None;
    s.reply_served = None;
    s.rating = None;
    s.closed_on = None;
    s.legal_route = None;
}

fn supervise(s: &mut CaseStatus, sup: &Supervision, at: At) {
    let on = at.on;
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
        Supervision::Lifted { note } => {
            if let Some(state) = &mut s.supervision {
                state.lifted = Some(at.dated(note.clone()));
            }
        }
        // 包案 is `ownership`'s.
        Supervision::Leader { .. }
        | Supervision::Plan { .. }
        | Supervision::MilestoneMet { .. } => {}
    }
}

/// Whether the matter was forwarded or assigned to another body (转送/交办).
pub(super) fn passed_on(s: &CaseStatus) -> bool {
    s.routing
        .as_ref()
        .is_some_and(|r| matches!(r.what.0, Route::Forwarded | Route::Assigned))
}

/// Written documents that open a window of the petitioner's but whose service is not recorded.
fn unserved(s: &CaseStatus) -> Vec<Document> {
    let mut out = Vec::new();
    if s.reply.is_some() && s.reply_served.is_none() {
        out.push(Document::Reply);
    }
    let reviewed = s.review.as_ref().and_then(|r| r.decided.as_ref());
    // An opinion that sent the matter back opens no window: the matter is handled again.
    if reviewed.is_some_and(|d| d.what != ReviewOutcome::Redo) && s.review_served.is_none() {
        out.push(Document::ReviewOpinion);
    }
    out
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
        urgent: has(MatterFlag::Urgent),
        backlog_years: has(MatterFlag::Backlog)
            .then(|| today.years_since(file.matter.since).unwrap_or(0)),
    }
}

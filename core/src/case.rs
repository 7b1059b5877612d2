//! A matter's state as of a day, folded from its file's records: where it is in the procedure,
//! which time limits run and how they stand, supervision, the owning leader, and the flags a
//! petition office sorts by. Corrections count as the ledger says (voided steps do not count).

use crate::case_step::{Evaluation, LegalRoute, ReplyOutcome, ReviewOutcome, Route, Step};
use crate::deadlines::{TimeLimits, within};
use crate::file::{Level, MatterFlag, PetitionerFile, Resolution};
use crate::ids::{RecordId, UserId};
use crate::record::{Record, RecordBody, VisitKind};
use crate::supervision::{Supervision, SupervisionMode};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// What a deployment may tune about case status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CaseRules {
    pub limits: TimeLimits,
    /// An open deadline this close (in days) is "due soon".
    pub due_soon_days: u32,
    /// A file without a visit for this many days needs one.
    pub no_visit_days: u32,
    /// Reaching this level counts as skip-level (越级访): past "the same level or one up" for a
    /// township's matter (§20).
    pub skip_level_from: Level,
    /// A visit of kind 回访 after closure counts as the follow-up, not only a follow-up step.
    pub follow_up_visit_counts: bool,
}

impl Default for CaseRules {
    fn default() -> Self {
        Self {
            limits: TimeLimits::default(),
            due_soon_days: 3,
            no_visit_days: 30,
            skip_level_from: Level::City,
            follow_up_visit_counts: true,
        }
    }
}

labeled_enum!(
    /// Where the matter stands in the procedure (DOMAIN.md "Suggested states").
    Stage {
        Registered = "registered" => ("登记", "Registered"),
        Routed = "routed" => ("分流", "Routed"),
        Notified = "notified" => ("已告知", "Notified"),
        NotAccepted = "not_accepted" => ("不予受理", "Not accepted"),
        InHandling = "in_handling" => ("办理中", "In handling"),
        Replied = "replied" => ("已答复", "Replied"),
        Rated = "rated" => ("已评价", "Rated"),
        Closed = "closed" => ("办结", "Closed"),
        InReview = "in_review" => ("复查中", "In review"),
        Reviewed = "reviewed" => ("已复查", "Review decided"),
        InReReview = "in_re_review" => ("复核中", "In re-review"),
        ReReviewed = "re_reviewed" => ("已复核", "Re-review decided"),
        Final = "final" => ("终结", "Final"),
    }
);

labeled_enum!(
    DeadlineKind {
        Register = "register" => ("登记分流", "Register and route"),
        Notify = "notify" => ("告知", "Notice"),
        Handling = "handling" => ("办理答复", "Handling and reply"),
        ReviewRequest = "review_request" => ("申请复查期限", "Time to ask for review"),
        ReviewDecision = "review_decision" => ("复查决定", "Review decision"),
        ReReviewRequest = "re_review_request" => ("申请复核期限", "Time to ask for re-review"),
        ReReviewDecision = "re_review_decision" => ("复核决定", "Re-review decision"),
        FollowUp = "follow_up" => ("回访", "Follow-up visit"),
        Supervision = "supervision" => ("督办期限", "Supervision deadline"),
    }
);

impl DeadlineKind {
    /// The petitioner's windows: when they pass unused nobody is late, the right just lapses.
    pub fn is_window(self) -> bool {
        matches!(
            self,
            DeadlineKind::ReviewRequest | DeadlineKind::ReReviewRequest
        )
    }
}

labeled_enum!(
    DeadlineStatus {
        Met = "met" => ("按期完成", "Met"),
        MetLate = "met_late" => ("逾期完成", "Met late"),
        Open = "open" => ("进行中", "Open"),
        DueSoon = "due_soon" => ("即将到期", "Due soon"),
        Overdue = "overdue" => ("已逾期", "Overdue"),
        Lapsed = "lapsed" => ("期限已过", "Lapsed"),
    }
);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Deadline {
    pub kind: DeadlineKind,
    pub due: NaiveDate,
    pub met_on: Option<NaiveDate>,
    pub status: DeadlineStatus,
}

/// A fact and the day it happened.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dated<T> {
    pub on: NaiveDate,
    pub what: T,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Extension {
    pub days: u16,
    pub approver: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewRound {
    pub requested_on: NaiveDate,
    pub decided: Option<Dated<ReviewOutcome>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SupervisionState {
    pub listed_on: NaiveDate,
    pub deadline: NaiveDate,
    pub mode: SupervisionMode,
    pub reason: String,
    /// 销号: the day and the note; a later listing starts a new supervision.
    pub lifted: Option<Dated<String>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Leader {
    pub name: String,
    pub account: Option<UserId>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CaseFlags {
    pub first_time: bool,
    /// Flagged, or registered more than once.
    pub repeat: bool,
    /// Flagged, or taken to `CaseRules::skip_level_from` or higher.
    pub skip_level: bool,
    pub collective: bool,
    /// 积案: whole years since the matter began.
    pub backlog_years: Option<u32>,
}

labeled_enum!(
    /// A step that was recorded but does not count, and why.
    CaseProblemKind {
        SecondExtension = "second_extension" => ("只能延期一次，本次延期不计", "Only one extension is allowed; this one does not count"),
        ExtensionTooLong = "extension_too_long" => ("延期超过规定天数，按上限计", "Extension longer than allowed; counted at the limit"),
        AfterReReview = "after_re_review" => ("复核后同一事项不再受理", "Not accepted again after re-review"),
    }
);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseProblem {
    pub record: RecordId,
    pub kind: CaseProblemKind,
}

/// The matter as of `today`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CaseStatus {
    /// None until the first step is recorded.
    pub stage: Option<Stage>,
    /// The day of receipt of the first registration; the 15-day clocks run from it.
    pub received: Option<NaiveDate>,
    /// Every registration; a second one is the same matter brought again (重复访).
    pub registrations: Vec<NaiveDate>,
    pub routing: Option<Dated<(Route, String)>>,
    /// Whether accepted, and where the petitioner was told to go if not.
    pub notice: Option<Dated<(bool, String)>>,
    /// The day handling began (受理, or an acceptance notice without one) and whether simplified.
    pub accepted: Option<Dated<bool>>,
    pub extension: Option<Dated<Extension>>,
    pub reply: Option<Dated<ReplyOutcome>>,
    pub rating: Option<Dated<(Evaluation, String)>>,
    pub closed_on: Option<NaiveDate>,
    pub review: Option<ReviewRound>,
    pub re_review: Option<ReviewRound>,
    pub final_on: Option<NaiveDate>,
    /// The first follow-up on or after the latest closure.
    pub follow_up_on: Option<NaiveDate>,
    pub follow_up_due: bool,
    pub legal_route: Option<Dated<LegalRoute>>,
    /// The latest assessment, or the file's registered value.
    pub resolution: Option<Resolution>,
    pub supervision: Option<SupervisionState>,
    pub leader: Option<Leader>,
    pub last_visit: Option<NaiveDate>,
    /// No visit for `CaseRules::no_visit_days` or more (or never one in the app).
    pub needs_visit: bool,
    pub flags: CaseFlags,
    pub deadlines: Vec<Deadline>,
    pub problems: Vec<CaseProblem>,
}

impl CaseStatus {
    pub fn deadline(&self, kind: DeadlineKind) -> Option<&Deadline> {
        self.deadlines.iter().find(|d| d.kind == kind)
    }

    /// Once re-review is decided (or the matter is final) the same request is not accepted again.
    pub fn is_closed_to_review(&self) -> bool {
        self.final_on.is_some() || self.re_review.as_ref().is_some_and(|r| r.decided.is_some())
    }
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
    let mut counted: Vec<&Record> = crate::ledger::effective(&mine)
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

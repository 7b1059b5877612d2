//! What `case_status` reports: the stage, the deadlines and how they stand, supervision, the
//! owning leader, the flags, and the rules a deployment may tune.

use super::ownership::{CasePlan, Leader};
use crate::base::ids::RecordId;
use crate::folds::deadlines::{CalendarUse, Due, TimeLimits};
use crate::records::case_step::{
    Document, Evaluation, LegalRoute, ReplyOutcome, ReviewOutcome, Route, ServiceMethod,
};
use crate::records::file::{Level, Resolution};
use crate::records::supervision::SupervisionMode;
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
        Objection = "objection" => ("异议期限", "Time to object"),
        Handling = "handling" => ("办理答复", "Handling and reply"),
        ReviewRequest = "review_request" => ("申请复查期限", "Time to ask for review"),
        ReviewDecision = "review_decision" => ("复查意见", "Review opinion"),
        ReReviewRequest = "re_review_request" => ("申请复核期限", "Time to ask for re-review"),
        ReReviewDecision = "re_review_decision" => ("复核意见", "Re-review opinion"),
        FollowUp = "follow_up" => ("回访", "Follow-up visit"),
        Supervision = "supervision" => ("督办期限", "Supervision deadline"),
    }
);

impl DeadlineKind {
    /// Windows, not duties: when they pass unused nobody is late, the right just lapses (a body
    /// that does not object in time has taken the matter as its own).
    pub fn is_window(self) -> bool {
        matches!(
            self,
            DeadlineKind::ReviewRequest | DeadlineKind::ReReviewRequest | DeadlineKind::Objection
        )
    }
}

labeled_enum!(
    /// `MetRecordedLate`: done within the limit by its record's date, but the record was entered
    /// after the limit had passed; it is shown, and never counted as on time.
    DeadlineStatus {
        Met = "met" => ("按期完成", "Met"),
        MetRecordedLate = "met_recorded_late" => ("逾期补录", "Recorded after the deadline"),
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
    #[serde(deserialize_with = "crate::base::dates::wire::naive_date")]
    pub due: NaiveDate,
    #[serde(default, deserialize_with = "crate::base::dates::wire::naive_date_opt")]
    pub met_on: Option<NaiveDate>,
    /// The day the record that met it was entered (China time), when it was met.
    #[serde(default, deserialize_with = "crate::base::dates::wire::naive_date_opt")]
    pub recorded_on: Option<NaiveDate>,
    pub status: DeadlineStatus,
    /// How the calendar counted it, when that matters to the reader (working days, a last day
    /// moved off a rest day, a year whose holidays are not published).
    pub calendar: Option<CalendarUse>,
}

/// A fact, the day it happened and the day its record was entered (China time): a record may
/// be entered after the fact, and a deadline it meets must show that.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dated<T> {
    #[serde(deserialize_with = "crate::base::dates::wire::naive_date")]
    pub on: NaiveDate,
    #[serde(deserialize_with = "crate::base::dates::wire::naive_date")]
    pub recorded: NaiveDate,
    pub what: T,
}

impl<T> Dated<T> {
    /// The day it happened and the day it was entered.
    pub fn when(&self) -> (NaiveDate, NaiveDate) {
        (self.on, self.recorded)
    }
}

/// A handling round a review or re-review sent back to be handled again: its deadline stands
/// as it was met.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EarlierRound {
    pub due: Due,
    pub reply: Option<Dated<ReplyOutcome>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Extension {
    pub days: u16,
    pub approver: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewRound {
    #[serde(deserialize_with = "crate::base::dates::wire::naive_date")]
    pub requested_on: NaiveDate,
    pub decided: Option<Dated<ReviewOutcome>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SupervisionState {
    #[serde(deserialize_with = "crate::base::dates::wire::naive_date")]
    pub listed_on: NaiveDate,
    #[serde(deserialize_with = "crate::base::dates::wire::naive_date")]
    pub deadline: NaiveDate,
    pub mode: SupervisionMode,
    pub reason: String,
    /// 销号: the day and the note; a later listing starts a new supervision.
    pub lifted: Option<Dated<String>>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CaseFlags {
    pub first_time: bool,
    /// Flagged, or registered more than once.
    pub repeat: bool,
    /// Flagged, or taken to `CaseRules::skip_level_from` or higher.
    pub skip_level: bool,
    pub collective: bool,
    /// 重大紧急: reported at once to the same-level Party committee and government (§25).
    pub urgent: bool,
    /// 积案: whole years since the matter began.
    pub backlog_years: Option<u32>,
}

labeled_enum!(
    /// A step that was recorded but does not count, and why.
    CaseProblemKind {
        SecondExtension = "second_extension" => ("只能延期一次，本次延期不计", "Only one extension is allowed; this one does not count"),
        ExtensionNotByHead = "extension_not_by_head" => ("延期须经本机关负责人批准，本次延期不计", "An extension needs the handling body's head; this one does not count"),
        ExtensionReasonNotTold = "extension_reason_not_told" => ("未记录向信访人告知延期理由，本次延期不计", "The petitioner was not told the reason; this extension does not count"),
        LateExtension = "late_extension" => ("延期未在办理期限内批准或录入，不计", "Extension not approved and recorded within the handling period; it does not count"),
        NothingToServe = "nothing_to_serve" => ("没有该文书或送达早于文书日期，本次送达不计", "No such document, or served before it was written; this service does not count"),
        LateAcceptance = "late_acceptance" => ("办理期限届满后改记受理日期，不计", "Acceptance date changed after the handling period ended; it does not count"),
        ExtensionTooLong = "extension_too_long" => ("延期超过规定天数，按上限计", "Extension longer than allowed; counted at the limit"),
        AfterReReview = "after_re_review" => ("复核后同一事项不再受理", "Not accepted again after re-review"),
        NoSuchMilestone = "no_such_milestone" => ("所完成的里程碑不在当时的化解方案中，不计", "Names no milestone of the plan then current; it does not count"),
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
    #[serde(default, deserialize_with = "crate::base::dates::wire::naive_date_opt")]
    pub received: Option<NaiveDate>,
    /// Every registration; a second one is the same matter brought again (重复访).
    #[serde(deserialize_with = "crate::base::dates::wire::naive_dates")]
    pub registrations: Vec<NaiveDate>,
    pub routing: Option<Dated<(Route, String)>>,
    /// A forwarded or assigned matter reached the body that handles it; its clocks start here.
    pub body_received: Option<Dated<String>>,
    pub objection: Option<Dated<String>>,
    /// Forwarded or assigned, and the receiving body's receipt is not recorded: its notice
    /// period cannot be counted, and the screen says so.
    pub unreceived: bool,
    /// Whether accepted, and where the petitioner was told to go if not.
    pub notice: Option<Dated<(bool, String)>>,
    /// The day handling began (受理, or an acceptance notice without one) and whether simplified.
    pub accepted: Option<Dated<bool>>,
    pub extension: Option<Dated<Extension>>,
    pub reply: Option<Dated<ReplyOutcome>>,
    /// When and how the current reply, the review opinion and the re-review opinion reached
    /// the petitioner (送达): the 30-day windows run from these, never from the writing.
    pub reply_served: Option<Dated<ServiceMethod>>,
    pub review_served: Option<Dated<ServiceMethod>>,
    pub re_review_served: Option<Dated<ServiceMethod>>,
    /// Documents written whose service is not recorded: the window they open cannot be counted,
    /// and the screen says so instead of guessing.
    pub unserved: Vec<Document>,
    /// Rounds sent back by a review or re-review (撤销原处理意见，责令重新办理), oldest first.
    pub earlier_rounds: Vec<EarlierRound>,
    pub rating: Option<Dated<(Evaluation, String)>>,
    #[serde(default, deserialize_with = "crate::base::dates::wire::naive_date_opt")]
    pub closed_on: Option<NaiveDate>,
    pub review: Option<ReviewRound>,
    pub re_review: Option<ReviewRound>,
    #[serde(default, deserialize_with = "crate::base::dates::wire::naive_date_opt")]
    pub final_on: Option<NaiveDate>,
    /// The day the record that closed the matter to review (a re-review opinion, 终结) was
    /// entered: only what is entered from then on is refused, so a decision entered late and
    /// dated back cannot undo an acceptance, and the deadline it started.
    #[serde(default, deserialize_with = "crate::base::dates::wire::naive_date_opt")]
    pub closed_entered: Option<NaiveDate>,
    /// The first follow-up on or after the latest closure.
    pub follow_up_on: Option<Dated<()>>,
    pub follow_up_due: bool,
    pub legal_route: Option<Dated<LegalRoute>>,
    /// The latest assessment, or the file's registered value.
    pub resolution: Option<Resolution>,
    pub supervision: Option<SupervisionState>,
    /// 包案领导, in the order they were named: the file's registered leader until a record names
    /// one.
    pub leaders: Vec<Leader>,
    /// 化解方案: the plan that counts now, its milestones as they stand.
    pub plan: Option<CasePlan>,
    #[serde(default, deserialize_with = "crate::base::dates::wire::naive_date_opt")]
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

    /// Once re-review is decided (or the matter is final) the same request is not accepted again
    /// — unless the re-review sent it back to be handled again.
    pub fn is_closed_to_review(&self) -> bool {
        self.final_on.is_some()
            || self.re_review.as_ref().is_some_and(|r| {
                r.decided
                    .as_ref()
                    .is_some_and(|d| d.what != ReviewOutcome::Redo)
            })
    }
}

//! The steps of a petition matter's lifecycle (信访工作条例 2022), recorded by the petition office
//! as append-only records like visits, so they reach phones through the change feed and a wrong
//! step is corrected by amending or voiding it, never by editing. A step's date is its record's
//! `occurred_at`; a step carries another date only when a time limit runs from it (`received`).

use crate::records::file::Resolution;
use chrono::NaiveDate;
use serde::Serialize;

/// One lifecycle step with an optional remark (e.g. "已电话告知本人"). Read by hand
/// (`records::readers`), not by the derive.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CaseStep {
    #[serde(flatten)]
    pub step: Step,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

/// The steps, in the order DOMAIN.md's "Suggested states" gives them.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum Step {
    /// 登记: the 15-day limits for routing and notice run from `received` (§22, §23).
    Registered { received: NaiveDate },
    /// 分流: handled here, forwarded (转送) or assigned with report-back (交办).
    Routed { route: Route, to: String },
    /// 收件: the body a matter was forwarded or assigned to (转送/交办) received it, on the
    /// record's day. Its own 15 days to tell the petitioner, and its 5 working days to object
    /// that the matter is not its own, run from this day (§22, §23).
    BodyReceived { body: String },
    /// 提出异议: that body objected that the matter is not its own.
    Objected { reason: String },
    /// 告知: the written notice of acceptance, or of non-acceptance and where to go instead.
    Notified {
        accepted: bool,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        go_to: String,
    },
    /// 受理: the 60 days of handling run from here (or 10 working days when simplified).
    Accepted {
        #[serde(default)]
        simplified: bool,
    },
    /// 延期: at most once per matter, at most 30 days, approved by the body's head (§34).
    Extended {
        days: u16,
        approver: String,
        /// Who approved it, as a post: only the body's own head counts (§34). Records from
        /// before this field say nothing (`None`), and their extension does not count.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        approver_role: Option<ApproverRole>,
        reason: String,
        /// The petitioner was told the reason (§34); without it the extension does not count.
        #[serde(default)]
        reason_told: bool,
    },
    /// 已答复: the written reply (处理意见书) and its outcome (§32).
    Replied { outcome: ReplyOutcome },
    /// 送达: a written reply or opinion reached the petitioner, on the record's day and how. The
    /// petitioner's 30 days to ask for review or re-review run from it (§35, §36), not from the
    /// day the document was written.
    Served {
        document: Document,
        how: ServiceMethod,
    },
    /// 已评价: what the petitioner thought of the handling.
    Rated {
        evaluation: Evaluation,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        comment: String,
    },
    /// 办结.
    Closed,
    /// 申请复查 (within 30 days of the reply, §35).
    ReviewRequested,
    /// 复查意见.
    ReviewDecided { outcome: ReviewOutcome },
    /// 申请复核 (within 30 days of the review opinion, §36).
    ReReviewRequested,
    /// 复核意见: after it the same request is not accepted again.
    ReReviewDecided { outcome: ReviewOutcome },
    /// 终结.
    Final,
    /// 回访: a return visit after closure checked whether the outcome was carried out.
    FollowUpDone { carried_out: bool },
    /// 导入法定途径: the matter is steered to a legal channel (§29–31).
    LegalRoute { route: LegalRoute },
    /// 化解情况: resolution is separate from the stage; the latest assessment counts.
    Resolution { resolution: Resolution },
}

impl Step {
    pub fn label(&self, lang: crate::base::lang::Lang) -> &'static str {
        let (zh, en) = match self {
            Step::Registered { .. } => ("登记", "Registered"),
            Step::Routed { .. } => ("分流", "Routed"),
            Step::BodyReceived { .. } => ("承办机关收件", "Received by the handling body"),
            Step::Objected { .. } => ("提出异议", "Objection"),
            Step::Notified { accepted: true, .. } => ("告知受理", "Notified: accepted"),
            Step::Notified { .. } => ("告知不予受理", "Notified: not accepted"),
            Step::Accepted { .. } => ("受理", "Accepted"),
            Step::Extended { .. } => ("延期", "Extended"),
            Step::Replied { .. } => ("答复", "Replied"),
            Step::Served { .. } => ("送达", "Served"),
            Step::Rated { .. } => ("评价", "Rated"),
            Step::Closed => ("办结", "Closed"),
            Step::ReviewRequested => ("申请复查", "Review requested"),
            Step::ReviewDecided { .. } => ("复查意见", "Review decided"),
            Step::ReReviewRequested => ("申请复核", "Re-review requested"),
            Step::ReReviewDecided { .. } => ("复核意见", "Re-review decided"),
            Step::Final => ("终结", "Final"),
            Step::FollowUpDone { .. } => ("回访", "Follow-up done"),
            Step::LegalRoute { .. } => ("导入法定途径", "Steered to a legal channel"),
            Step::Resolution { .. } => ("化解情况", "Resolution assessed"),
        };
        lang.pick(zh, en)
    }
}

labeled_enum!(
    /// Which step, without its details: what a form offers to record.
    StepKind {
        Registered = "registered" => ("登记", "Registered"),
        Routed = "routed" => ("分流", "Routed"),
        BodyReceived = "body_received" => ("承办机关收件", "Received by the handling body"),
        Objected = "objected" => ("提出异议", "Objection"),
        Notified = "notified" => ("告知", "Notice"),
        Accepted = "accepted" => ("受理", "Accepted"),
        Extended = "extended" => ("延期", "Extended"),
        Replied = "replied" => ("答复", "Replied"),
        Served = "served" => ("送达", "Served"),
        Rated = "rated" => ("评价", "Rated"),
        Closed = "closed" => ("办结", "Closed"),
        ReviewRequested = "review_requested" => ("申请复查", "Review requested"),
        ReviewDecided = "review_decided" => ("复查意见", "Review decided"),
        ReReviewRequested = "re_review_requested" => ("申请复核", "Re-review requested"),
        ReReviewDecided = "re_review_decided" => ("复核意见", "Re-review decided"),
        Final = "final" => ("终结", "Final"),
        FollowUpDone = "follow_up_done" => ("回访", "Follow-up done"),
        LegalRoute = "legal_route" => ("导入法定途径", "Steered to a legal channel"),
        Resolution = "resolution" => ("化解情况", "Resolution assessed"),
    }
);

impl Step {
    pub fn kind(&self) -> StepKind {
        match self {
            Step::Registered { .. } => StepKind::Registered,
            Step::Routed { .. } => StepKind::Routed,
            Step::BodyReceived { .. } => StepKind::BodyReceived,
            Step::Objected { .. } => StepKind::Objected,
            Step::Notified { .. } => StepKind::Notified,
            Step::Accepted { .. } => StepKind::Accepted,
            Step::Extended { .. } => StepKind::Extended,
            Step::Replied { .. } => StepKind::Replied,
            Step::Served { .. } => StepKind::Served,
            Step::Rated { .. } => StepKind::Rated,
            Step::Closed => StepKind::Closed,
            Step::ReviewRequested => StepKind::ReviewRequested,
            Step::ReviewDecided { .. } => StepKind::ReviewDecided,
            Step::ReReviewRequested => StepKind::ReReviewRequested,
            Step::ReReviewDecided { .. } => StepKind::ReReviewDecided,
            Step::Final => StepKind::Final,
            Step::FollowUpDone { .. } => StepKind::FollowUpDone,
            Step::LegalRoute { .. } => StepKind::LegalRoute,
            Step::Resolution { .. } => StepKind::Resolution,
        }
    }
}

labeled_enum!(
    /// How a registered matter was routed (§22).
    Route {
        Own = "own" => ("本机关办理", "Handled here"),
        Forwarded = "forwarded" => ("转送", "Forwarded"),
        Assigned = "assigned" => ("交办", "Assigned with report-back"),
    }
);

labeled_enum!(
    /// The outcome of the written reply (§32).
    ReplyOutcome {
        Upheld = "upheld" => ("予以支持", "Upheld"),
        Explained = "explained" => ("解释说明", "Explained"),
        NotUpheld = "not_upheld" => ("不予支持", "Not upheld"),
    }
);

labeled_enum!(
    /// The petitioner's evaluation (满意度评价).
    Evaluation {
        Satisfied = "satisfied" => ("满意", "Satisfied"),
        BasicallySatisfied = "basically_satisfied" => ("基本满意", "Basically satisfied"),
        Dissatisfied = "dissatisfied" => ("不满意", "Dissatisfied"),
    }
);

labeled_enum!(
    /// A review or re-review opinion on the earlier handling (§35, §36).
    ReviewOutcome {
        Upheld = "upheld" => ("维持原处理意见", "Earlier opinion upheld"),
        Changed = "changed" => ("变更原处理意见", "Earlier opinion changed"),
        Redo = "redo" => ("撤销并重新办理", "Revoked, to be handled again"),
    }
);

labeled_enum!(
    /// The legal channel a matter is steered to (依法分类处理).
    LegalRoute {
        Litigation = "litigation" => ("诉讼", "Litigation"),
        Arbitration = "arbitration" => ("仲裁", "Arbitration"),
        AdministrativeReview = "administrative_review" => ("行政复议", "Administrative review"),
        LegalAid = "legal_aid" => ("法律援助", "Legal aid"),
    }
);

labeled_enum!(
    /// The written documents the petitioner is served, each opening a window of theirs.
    Document {
        Reply = "reply" => ("处理意见书", "Written reply"),
        ReviewOpinion = "review_opinion" => ("复查意见书", "Review opinion"),
        ReReviewOpinion = "re_review_opinion" => ("复核意见书", "Re-review opinion"),
    }
);

labeled_enum!(
    /// How a document was served (送达方式).
    ServiceMethod {
        Direct = "direct" => ("直接送达", "Handed over"),
        Post = "post" => ("邮寄送达", "By post"),
        Left = "left" => ("留置送达", "Left at the address"),
        Electronic = "electronic" => ("电子送达", "Electronically"),
        Entrusted = "entrusted" => ("委托送达", "Through another body"),
    }
);

labeled_enum!(
    /// The post of whoever approved an extension. 本机关负责人 (§34) is the head or the deputy in
    /// charge of the handling body; anyone else's approval does not extend the limit.
    ApproverRole {
        Head = "head" => ("本机关主要负责人", "Head of the handling body"),
        DeputyInCharge = "deputy_in_charge" => ("本机关分管负责人", "Deputy head in charge"),
        DepartmentHead = "department_head" => ("内设机构负责人", "Head of an office within the body"),
        Officer = "officer" => ("承办人员", "Case officer"),
    }
);

impl ApproverRole {
    /// Whether this post may approve an extension (本机关负责人).
    pub fn may_extend(self) -> bool {
        matches!(self, ApproverRole::Head | ApproverRole::DeputyInCharge)
    }
}

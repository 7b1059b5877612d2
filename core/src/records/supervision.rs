//! What supervisors decide, recorded as append-only records: a review of a cadre's record
//! (审核), and supervision of a matter (挂牌督办, 包案领导, 化解方案, 里程碑完成, 销号).

use crate::base::ids::{RecordId, UserId};
use crate::records::ownership::Milestone;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A supervisor's decision on one cadre record; the latest review of a record wins.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Review {
    pub of: RecordId,
    pub decision: ReviewDecision,
    /// Required when returning, so the cadre knows what to fix.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub comment: String,
}

labeled_enum!(
    ReviewDecision {
        Approve = "approve" => ("审核通过", "Approved"),
        Return = "return" => ("退回修改", "Returned"),
    }
);

/// Listed supervision of a matter and the leader who owns it. Read by hand
/// (`records::readers`), not by the derive.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Supervision {
    /// 挂牌督办: the matter must be done by `deadline`.
    Listed {
        deadline: NaiveDate,
        mode: SupervisionMode,
        reason: String,
    },
    /// 包案领导: a named leader owns the case until it is resolved. Several leaders may own one
    /// case (1+1 联合包案); a later record for a name already there updates that leader. The
    /// post, unit and person responsible came later: older records have them empty.
    Leader {
        name: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        account: Option<UserId>,
        /// 职务, e.g. 南滨街道党工委副书记.
        #[serde(default, skip_serializing_if = "String::is_empty")]
        post: String,
        /// 责任单位: the body that answers for the case with the leader.
        #[serde(default, skip_serializing_if = "String::is_empty")]
        unit: String,
        /// 责任人: the person in that body who carries it.
        #[serde(default, skip_serializing_if = "String::is_empty")]
        responsible: String,
    },
    /// 销号: supervision lifted because the matter is done.
    Lifted { note: String },
    /// 化解方案: the plan, its milestones with due dates and the working group (专班). The latest
    /// plan counts; a new one (or an amendment) replaces it whole.
    Plan {
        plan: String,
        milestones: Vec<Milestone>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        team: Vec<String>,
    },
    /// 里程碑完成: the milestone of the current plan named `what` was done on the record's day.
    MilestoneMet {
        what: String,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        note: String,
    },
}

impl Supervision {
    pub fn label(&self, lang: crate::base::lang::Lang) -> &'static str {
        match self {
            Supervision::Listed { .. } => lang.pick("挂牌督办", "Listed for supervision"),
            Supervision::Leader { .. } => lang.pick("包案领导", "Case-owning leader"),
            Supervision::Lifted { .. } => lang.pick("督办销号", "Supervision lifted"),
            Supervision::Plan { .. } => lang.pick("化解方案", "Resolution plan"),
            Supervision::MilestoneMet { .. } => lang.pick("里程碑完成", "Milestone met"),
        }
    }
}

labeled_enum!(
    /// The six supervision modes (六联督办).
    SupervisionMode {
        Written = "written" => ("书面督办", "Written"),
        Phone = "phone" => ("电话督办", "Phone"),
        OnSite = "on_site" => ("现场督办", "On-site"),
        Meeting = "meeting" => ("会议督办", "Meeting"),
        Media = "media" => ("媒体督办", "Media"),
        Instruction = "instruction" => ("领导批示督办", "Leader's written instruction"),
    }
);

//! What supervisors decide, recorded as append-only records: a review of a cadre's record
//! (审核), and supervision of a matter (挂牌督办, 包案领导, 销号).

use crate::base::ids::{RecordId, UserId};
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

/// Listed supervision of a matter and the leader who owns it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Supervision {
    /// 挂牌督办: the matter must be done by `deadline`.
    Listed {
        deadline: NaiveDate,
        mode: SupervisionMode,
        reason: String,
    },
    /// 包案领导: a named leader owns the case until it is resolved.
    Leader {
        name: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        account: Option<UserId>,
    },
    /// 销号: supervision lifted because the matter is done.
    Lifted { note: String },
}

impl Supervision {
    pub fn label(&self, lang: crate::base::lang::Lang) -> &'static str {
        match self {
            Supervision::Listed { .. } => lang.pick("挂牌督办", "Listed for supervision"),
            Supervision::Leader { .. } => lang.pick("包案领导", "Case-owning leader"),
            Supervision::Lifted { .. } => lang.pick("督办销号", "Supervision lifted"),
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

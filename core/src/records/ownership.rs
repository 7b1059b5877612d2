//! 包案 (case ownership): the resolution plan (化解方案) a case-owning leader answers for, with its
//! milestones and due dates and the working group (专班) that carries it out. The leaders
//! themselves, with their posts, the responsible unit (责任单位) and person (责任人), are
//! `Supervision::Leader` records; the plan and each milestone met are `Supervision::Plan` and
//! `Supervision::MilestoneMet`, so they travel, are corrected and are permitted like any other
//! supervision record.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// One step of a resolution plan and the day it must be done by.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Milestone {
    /// What is to be done, e.g. "召开村民代表会议重新核算分配方案". A `MilestoneMet` names it by
    /// this text.
    pub what: String,
    #[serde(deserialize_with = "crate::base::dates::wire::naive_date")]
    pub due: NaiveDate,
}

/// Most milestones one plan lists: a plan is a handful of steps, not a diary.
pub const MAX_MILESTONES: usize = 30;

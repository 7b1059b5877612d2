//! 接访: a leader or the petition office receives petitioners who come in person — on a leader's
//! reception day (领导接访日), when a leader takes cases down to a township (带案下访), or at a
//! joint reception of several departments (联合接访). Each reception of one group on one file is a
//! batch (批次); the people who came are its person-visits (人次), the two counts the seeds report.
//!
//! A group bringing a shared matter sends at most five representatives (XF22 §20): a group of
//! more than five who came without naming them is recorded as it was, and the record says who
//! spoke for it.

use serde::{Deserialize, Serialize};

/// The most representatives a group may send (XF22 §20).
pub const MAX_REPRESENTATIVES: usize = 5;

/// The most people one reception record counts: larger crowds are several records.
pub const MAX_HEADCOUNT: u32 = 1000;

/// From how many people a visit counts as collective (集体访): local statistics count 5 or more.
pub const COLLECTIVE_FROM: u32 = 5;

labeled_enum!(
    /// How the reception was held.
    ReceptionKind {
        LeaderDay = "leader_day" => ("领导接访日", "Leader's reception day"),
        WithCases = "with_cases" => ("带案下访", "Leader brings cases down"),
        Joint = "joint" => ("联合接访", "Joint reception"),
        Daily = "daily" => ("日常接访", "Everyday reception"),
    }
);

/// One batch of petitioners received on one file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reception {
    pub kind: ReceptionKind,
    /// Who received them, with their post, e.g. "张志强（县委副书记）".
    pub leader: String,
    pub place: String,
    /// How many people came: the person-visits (人次) this batch counts.
    pub headcount: u32,
    /// Who spoke for a group; required when more than five came (§20), at most five.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub representatives: Vec<String>,
    /// What they asked for (诉求).
    pub requests: String,
    /// What they were told and what happens next (答复/处理意见).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub response: String,
}

impl Reception {
    /// Five or more people on a shared matter (集体访).
    pub fn is_collective(&self) -> bool {
        self.headcount >= COLLECTIVE_FROM
    }

    /// A group too large to be heard without representatives (§20).
    pub fn needs_representatives(&self) -> bool {
        self.headcount as usize > MAX_REPRESENTATIVES
    }
}

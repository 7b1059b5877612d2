//! 苗头: an early sign that a petitioner may take a matter further — past the levels (越级访),
//! with others (集访), or by extreme words or deeds — found on a visit or in the screening (排查)
//! the seeds describe, and reported up the levels: the village to the township, the township to
//! the county. Each report is a record; reporting one level higher escalates the same sign, and a
//! report that says it is settled (稳控/化解到位) ends it. What the reports add up to is in
//! `folds::warnings`.

use serde::{Deserialize, Serialize};

labeled_enum!(
    /// What kind of sign was seen.
    SignKind {
        SkipLevel = "skip_level" => ("越级访苗头", "Signs of skip-level petitioning"),
        Collective = "collective" => ("集访苗头", "Signs of a collective visit"),
        Extreme = "extreme" => ("过激言行", "Extreme words or deeds"),
        Other = "other" => ("其他苗头性问题", "Other early signs"),
    }
);

labeled_enum!(
    /// The level a sign is reported to, lowest first.
    ReportLevel {
        Village = "village" => ("村（社区）", "Village"),
        Township = "township" => ("乡镇（街道）", "Township"),
        County = "county" => ("县（市、区）", "County"),
    }
);

/// One report of an early sign on a file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Warning {
    pub sign: SignKind,
    /// What was seen or heard, and by whom.
    pub what: String,
    /// The level the sign is reported to.
    pub reported_to: ReportLevel,
    /// What is being done to settle it (稳控/化解措施).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub measures: String,
    /// The sign is settled: this report closes it.
    #[serde(default)]
    pub settled: bool,
}

impl ReportLevel {
    /// Higher levels rank higher.
    pub fn rank(self) -> usize {
        Self::ALL.iter().position(|l| *l == self).unwrap_or(0)
    }
}

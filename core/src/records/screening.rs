//! 矛盾纠纷排查: a place's regular screening for disputes — the village (or one of its villager
//! groups, 村民小组) every week, the township every half month, the county every month, as one
//! seed puts it ("嘎查村、居委会一周一排查，各镇、各单位半月一排查，旗信访维稳部门一月一排查").
//! A screening records who went, what they covered and what they found; finding nothing new is
//! said explicitly (无新增矛盾), never left blank.
//!
//! A screening belongs to a place, not to a petitioner. It still travels as an ordinary record:
//! its `file_id` is the place's screening ledger (`ledger_id`), a subject the server keeps for
//! every place beside the petitioners' files, so the phone's outbox, the upload judge and the
//! change feed carry it unchanged (docs/ARCHITECTURE.md, "A place's screening ledger"). What the
//! screenings add up to (the rhythm, overdue periods, 排查按时率) is `folds::screenings`.

use crate::base::ids::{FileId, RecordId};
use serde::{Deserialize, Serialize};

/// Every screening ledger's id starts with this; no petitioner file's id may.
pub const LEDGER_PREFIX: &str = "screening-";
/// A screening lists at most this many findings (one line each); more go in several records.
pub const MAX_FINDINGS: usize = 50;
/// The most households or units one screening can have covered.
pub const MAX_COVERED: u32 = 100_000;

labeled_enum!(
    /// The level a screening is made at, lowest first. A villager group's screening belongs to
    /// its village (its ledger, its jurisdiction and its rhythm): a county that divides villages
    /// into groups screens them group by group, and the village's week counts as screened.
    ScreeningLevel {
        Group = "group" => ("村民小组", "Villager group"),
        Village = "village" => ("村（社区）", "Village"),
        Township = "township" => ("乡镇（街道）", "Township"),
        County = "county" => ("县（市、区）", "County"),
    }
);

labeled_enum!(
    /// The levels that keep a screening ledger and a rhythm: the places of the jurisdiction tree.
    PlaceLevel {
        Village = "village" => ("村（社区）", "Village"),
        Township = "township" => ("乡镇（街道）", "Township"),
        County = "county" => ("县（市、区）", "County"),
    }
);

impl ScreeningLevel {
    /// The place level whose ledger and rhythm the screening belongs to.
    pub fn place_level(self) -> PlaceLevel {
        match self {
            ScreeningLevel::Group | ScreeningLevel::Village => PlaceLevel::Village,
            ScreeningLevel::Township => PlaceLevel::Township,
            ScreeningLevel::County => PlaceLevel::County,
        }
    }
}

/// The screening ledger of the place `place` (its id in the server's places) at `level`. The
/// level is part of the id, so a screening that claims the wrong level for a place names a
/// ledger that does not exist, and the server refuses it like any unknown file.
pub fn ledger_id(level: PlaceLevel, place: &str) -> FileId {
    FileId(format!("{LEDGER_PREFIX}{}-{place}", level.key()))
}

/// The level and place of a screening ledger's id, or `None` for a petitioner's file.
pub fn ledger_place(file: &FileId) -> Option<(PlaceLevel, &str)> {
    let rest = file.0.strip_prefix(LEDGER_PREFIX)?;
    PlaceLevel::ALL.iter().find_map(|level| {
        rest.strip_prefix(level.key())
            .and_then(|r| r.strip_prefix('-'))
            .filter(|place| !place.is_empty())
            .map(|place| (*level, place))
    })
}

/// Whether `file` is a place's screening ledger rather than a petitioner's file.
pub fn is_ledger(file: &FileId) -> bool {
    file.0.starts_with(LEDGER_PREFIX)
}

/// A place whose screening ledger an account reads (`GET /api/screening/places`, kept on the
/// phone like the rules): what the 排查 form offers and the console lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerPlace {
    /// The ledger's id (`ledger_id(level, place)`).
    pub ledger: FileId,
    pub level: PlaceLevel,
    /// The place's id.
    pub place: String,
    pub name: String,
    /// The name of the place above (a village's township), empty for the county.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub parent: String,
    /// The village's villager groups (村民小组), where the county uses them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<String>,
}

/// One 矛盾纠纷排查, recorded on the screened place's ledger; the record's `occurred_at` is the
/// day it was made.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Screening {
    pub level: ScreeningLevel,
    /// The place's id (a village for village and group screenings).
    pub place: String,
    /// The place's name as the screener saw it, so lists read without a lookup.
    pub place_name: String,
    /// The villager group screened, for a group-level screening.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub group: String,
    /// Who screened (names; legal team members and others who joined are listed here too).
    pub participants: Vec<String>,
    /// What was covered: the households, units, key people or sites visited.
    pub scope: String,
    /// How many households or units were covered.
    pub covered: u32,
    /// 无新增矛盾: nothing new was found. Said explicitly; then `findings` is empty.
    #[serde(default)]
    pub nothing_new: bool,
    /// Each dispute found; their number is the count of disputes found.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub findings: Vec<Finding>,
}

/// One dispute a screening found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// What the dispute is about and between whom.
    pub what: String,
    /// The petitioner's file it concerns, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<FileId>,
    /// The 苗头 report it was escalated as, when it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warning: Option<RecordId>,
}

impl Screening {
    /// The ledger this screening belongs on.
    pub fn ledger(&self) -> FileId {
        ledger_id(self.level.place_level(), &self.place)
    }

    /// The number of disputes found.
    pub fn disputes(&self) -> usize {
        self.findings.len()
    }

    /// One line for the timeline and lists: where, how much was covered, what was found.
    pub fn summary(&self, lang: crate::base::lang::Lang) -> String {
        let place = match self.group.as_str() {
            "" => self.place_name.clone(),
            group => format!("{}{group}", self.place_name),
        };
        let covered = match lang {
            crate::base::lang::Lang::Zh => format!("排查 {} 户（单位）", self.covered),
            crate::base::lang::Lang::En => format!("{} households or units", self.covered),
        };
        let found = match (self.nothing_new, lang) {
            (true, _) => lang.pick("无新增矛盾", "nothing new").to_owned(),
            (false, crate::base::lang::Lang::Zh) => format!("发现矛盾纠纷 {} 件", self.disputes()),
            (false, crate::base::lang::Lang::En) => format!("{} disputes found", self.disputes()),
        };
        format!("{place} · {covered} · {found}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ledger_ids_round_trip_and_petitioner_files_are_not_ledgers() {
        for level in PlaceLevel::ALL {
            let id = ledger_id(*level, "v-geyi");
            assert_eq!(ledger_place(&id), Some((*level, "v-geyi")));
            assert!(is_ledger(&id));
        }
        assert_eq!(
            ledger_id(PlaceLevel::Township, "tw-nanbin").0,
            "screening-township-tw-nanbin"
        );
        for not in [
            "f-guo",
            "screening-",
            "screening-village-",
            "screening-city-x",
        ] {
            assert_eq!(ledger_place(&FileId(not.into())), None, "{not}");
        }
    }

    #[test]
    fn a_group_screening_goes_on_its_villages_ledger() {
        assert_eq!(ScreeningLevel::Group.place_level(), PlaceLevel::Village);
        assert_eq!(ScreeningLevel::County.place_level(), PlaceLevel::County);
    }
}

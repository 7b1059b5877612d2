//! The petitioner file (信访人档案) and the petition matter (信访事项) it is about.

use crate::base::ids::FileId;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

labeled_enum!(
    Sex {
        Male = "male" => ("男", "Male"),
        Female = "female" => ("女", "Female"),
    }
);

labeled_enum!(
    /// What the matter is about (诉求类别).
    Category {
        LandAcquisition = "land_acquisition" => ("征地拆迁", "Land acquisition and demolition"),
        CollectiveAssets = "collective_assets" => ("集体资产分配", "Collective assets"),
        LabourSocialSecurity = "labour_social_security" => ("劳动社保", "Wages and pensions"),
        CourtRelated = "court_related" => ("涉法涉诉", "Court-related"),
        Welfare = "welfare" => ("民政救助", "Welfare"),
        Housing = "housing" => ("住房", "Housing"),
        Historical = "historical" => ("历史遗留", "Historical"),
        Other = "other" => ("其他", "Other"),
    }
);

labeled_enum!(
    /// How the matter first reached the petition office.
    Channel {
        Letter = "letter" => ("来信", "Letter"),
        Visit = "visit" => ("来访", "Visit"),
        Online = "online" => ("网上信访", "Online"),
        Phone = "phone" => ("电话/12345", "Phone / 12345"),
    }
);

labeled_enum!(
    Classification {
        Suggestion = "suggestion" => ("建议意见类", "Suggestion"),
        Accusation = "accusation" => ("检举控告类", "Accusation"),
        Grievance = "grievance" => ("申诉求决类", "Grievance"),
    }
);

labeled_enum!(
    /// The highest level the petitioner has taken the matter to.
    Level {
        Village = "village" => ("村", "Village"),
        Township = "township" => ("乡镇", "Township"),
        County = "county" => ("县", "County"),
        City = "city" => ("市", "City"),
        Province = "province" => ("省", "Province"),
        Beijing = "beijing" => ("进京", "Beijing"),
    }
);

labeled_enum!(
    MatterFlag {
        FirstTime = "first_time" => ("初信初访", "First-time"),
        Repeat = "repeat" => ("重复访", "Repeat"),
        SkipLevel = "skip_level" => ("越级访", "Skip-level"),
        Collective = "collective" => ("集体访/联名访", "Collective or joint"),
        Backlog = "backlog" => ("积案", "Backlog case"),
        Urgent = "urgent" => ("重大紧急", "Major or urgent"),
    }
);

labeled_enum!(
    Resolution {
        Unresolved = "unresolved" => ("未化解", "Unresolved"),
        InProgress = "in_progress" => ("化解中", "In progress"),
        Resolved = "resolved" => ("已化解", "Resolved"),
        Stopped = "stopped" => ("息诉罢访", "Stopped petitioning"),
        Relapsed = "relapsed" => ("反弹", "Relapsed"),
    }
);

/// The petition matter: what is asked, since when, and how far it has gone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Matter {
    /// 诉求: what the petitioner asks for, in their terms.
    pub summary: String,
    pub category: Category,
    #[serde(deserialize_with = "crate::base::dates::wire::naive_date")]
    pub since: NaiveDate,
    pub channel: Channel,
    pub classification: Classification,
    pub level_reached: Level,
    pub flags: Vec<MatterFlag>,
    pub resolution: Resolution,
    /// 包案领导, when a leader owns the case.
    pub case_leader: Option<String>,
    /// Visits logged on paper before the file came into Xiafang; they still count.
    pub visits_before_app: u32,
    /// Whom an accusation (检举控告) names. The regulations forbid showing it to them or to
    /// anyone linked to them, so the server never gives the file to those accounts.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub accused: Vec<Accused>,
}

/// A person or body an accusation names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Accused {
    /// As the petitioner named them, e.g. "某村村委会主任".
    pub name: String,
    /// The accused person's own account, when they have one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<crate::base::ids::UserId>,
    /// The accused body (a village committee, a township government): every account of that
    /// place is linked to it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
}

/// A petitioner's file as a cadre sees it on the phone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PetitionerFile {
    pub id: FileId,
    pub name: String,
    pub sex: Sex,
    pub birth_year: Option<i32>,
    pub phone: Option<String>,
    pub township: String,
    pub village: String,
    /// The villager group (村民小组) the petitioner lives in, where the county uses them.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub group: String,
    pub address: String,
    /// Family members and hardship (低保户, 独居老人, …).
    pub household: String,
    pub tags: Vec<String>,
    pub matter: Matter,
    /// 公民身份号码, normalised (`id_number::parse`); older files may lack it. Sensitive: shown
    /// masked (`id_number::mask`) except in the edit form of someone who may edit the file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_number: Option<String>,
}

impl PetitionerFile {
    /// Whether the file matches what the cadre typed in the search box (name or village).
    pub fn matches(&self, query: &str) -> bool {
        searched_by(
            query,
            [&self.name, &self.village, &self.township, &self.address],
        )
    }

    /// Age in whole years at `today`, when the birth year is known.
    pub fn age(&self, today: NaiveDate) -> Option<i32> {
        use chrono::Datelike;
        self.birth_year.map(|y| today.year() - y)
    }
}

/// Whether any of a file's searched fields holds what the cadre typed (nothing typed: all do).
fn searched_by(query: &str, fields: [&str; 4]) -> bool {
    let q = query.trim();
    q.is_empty() || fields.iter().any(|f| f.contains(q))
}

/// What the file list (我的档案) shows and searches of a file: the phone keeps these for all
/// its files in one sealed value, so drawing the list opens one row instead of every file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileSummary {
    pub id: FileId,
    pub name: String,
    pub township: String,
    pub village: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub group: String,
    pub address: String,
    pub category: Category,
    pub resolution: Resolution,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub flags: Vec<MatterFlag>,
}

impl From<&PetitionerFile> for FileSummary {
    fn from(file: &PetitionerFile) -> Self {
        FileSummary {
            id: file.id.clone(),
            name: file.name.clone(),
            township: file.township.clone(),
            village: file.village.clone(),
            group: file.group.clone(),
            address: file.address.clone(),
            category: file.matter.category,
            resolution: file.matter.resolution,
            flags: file.matter.flags.clone(),
        }
    }
}

impl FileSummary {
    /// The same search as `PetitionerFile::matches`, over the same fields.
    pub fn matches(&self, query: &str) -> bool {
        searched_by(
            query,
            [&self.name, &self.village, &self.township, &self.address],
        )
    }
}

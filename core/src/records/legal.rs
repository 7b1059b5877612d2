//! What the legal team (三官两师一员) records on a file: a cadre's referral to a team member, the
//! member's legal opinion, a people's mediation (人民调解), and each participant's own part of a
//! joint visit. Which files a team member reaches through referrals is decided here too
//! (`team_on_file`), so the server's access follows the ledger's rules for corrections.

use crate::base::ids::{RecordId, UserId};
use crate::records::account::LegalTitle;
use crate::records::case_step::LegalRoute;
use crate::records::file::PetitionerFile;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A cadre refers the file to a legal team member, who then sees it if it lies in one of their
/// villages (包联村社).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Referral {
    /// The team member's account.
    pub to: UserId,
    /// Their name at the time, so the timeline reads without a lookup.
    pub to_name: String,
    pub need: ReferralNeed,
    /// What the member should know before looking at the file.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

labeled_enum!(
    /// What the file needs from the legal team.
    ReferralNeed {
        Opinion = "legal_opinion" => ("法律意见", "Legal opinion"),
        Mediation = "mediation" => ("人民调解", "Mediation"),
    }
);

labeled_enum!(
    /// Where a legal opinion says the matter belongs (依法分类处理).
    Channel {
        Litigation = "litigation" => ("诉讼", "Litigation"),
        Arbitration = "arbitration" => ("仲裁", "Arbitration"),
        AdministrativeReview = "administrative_review" => ("行政复议", "Administrative review"),
        LegalAid = "legal_aid" => ("法律援助", "Legal aid"),
        Petition = "petition" => ("按信访程序办理", "Handled by the petition procedure"),
    }
);

impl Channel {
    /// The legal channel this is, or `None` when the matter stays a petition.
    pub fn legal_route(self) -> Option<LegalRoute> {
        match self {
            Channel::Litigation => Some(LegalRoute::Litigation),
            Channel::Arbitration => Some(LegalRoute::Arbitration),
            Channel::AdministrativeReview => Some(LegalRoute::AdministrativeReview),
            Channel::LegalAid => Some(LegalRoute::LegalAid),
            Channel::Petition => None,
        }
    }
}

/// A legal team member's opinion on the matter (法律意见).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LegalOpinion {
    pub question: String,
    /// The facts the opinion relies on.
    pub facts: String,
    /// The law and provisions cited.
    pub law: String,
    pub opinion: String,
    pub channel: Channel,
}

labeled_enum!(
    /// How a mediation ended.
    MediationOutcome {
        Agreement = "agreement" => ("达成协议", "Agreement reached"),
        Partial = "partial" => ("部分达成", "Partly agreed"),
        Failed = "failed" => ("调解不成", "Mediation failed"),
    }
);

/// A people's mediation (人民调解) of a dispute.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mediation {
    /// Who the parties are, e.g. "郭某（申请人）".
    pub parties: Vec<String>,
    pub dispute: String,
    /// The facts the parties confirm (事实确认书), which they sign on the phone's screen.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub facts: String,
    /// The days sessions were held, at least one.
    #[serde(deserialize_with = "crate::base::dates::wire::naive_dates")]
    pub sessions: Vec<NaiveDate>,
    pub outcome: MediationOutcome,
    /// What was agreed: required when (partly) agreed.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub terms: String,
    /// The legal channel the parties were pointed to: required when mediation failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<LegalRoute>,
}

/// One participant's own part of a joint visit: each adds theirs, nobody edits another's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VisitPart {
    /// The visit this part belongs to (a visit of the same file).
    pub of: RecordId,
    /// The participant's role on the visit, e.g. "律师".
    pub role: String,
    /// What they contributed, e.g. the lawyer's explanation of the law.
    pub text: String,
}

/// A village a legal team member serves (包联村社), by the names files carry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServedVillage {
    pub township: String,
    pub village: String,
}

/// A legal team member a cadre can refer a file to or invite on a visit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TeamContact {
    pub id: UserId,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<LegalTitle>,
    pub villages: Vec<ServedVillage>,
}

/// The legal team as one account sees it (`GET /api/team`, kept on the phone so referrals and
/// joint visits can be written offline): the members serving the villages of the files it reads,
/// and, for a team member, the villages they serve themselves.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Team {
    pub members: Vec<TeamContact>,
    #[serde(default)]
    pub mine: Vec<ServedVillage>,
    /// For a supervisor: the accounts they may name as case-owning leaders (包案领导).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub leaders: Vec<crate::records::leader_accounts::LeaderAccount>,
}

impl Team {
    /// The members serving `file`'s village: only they can open it once referred or invited.
    pub fn serving(&self, file: &PetitionerFile) -> Vec<&TeamContact> {
        self.members
            .iter()
            .filter(|m| {
                m.villages
                    .iter()
                    .any(|v| v.village == file.village && v.township == file.township)
            })
            .collect()
    }
}

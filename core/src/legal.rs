//! What the legal team (三官两师一员) records on a file: a cadre's referral to a team member, the
//! member's legal opinion, a people's mediation (人民调解), and each participant's own part of a
//! joint visit. Which files a team member reaches through referrals is decided here too
//! (`team_on_file`), so the server's access follows the ledger's rules for corrections.

use crate::case_step::LegalRoute;
use crate::file::PetitionerFile;
use crate::ids::{RecordId, UserId};
use crate::ledger::effective;
use crate::record::{Record, RecordBody};
use crate::sync::LegalTitle;
use crate::sync::Rejection;
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
        Petition = "petition" => ("留在信访渠道", "Stays in the petition channel"),
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

/// Why `part` may not name the record it names, if it may not: it must be a visit of the same
/// file. `target` is the record `part.of` names, if the server holds one. Other records pass.
pub fn visit_part_target_problem(part: &Record, target: Option<&Record>) -> Option<Rejection> {
    let RecordBody::VisitPart(_) = &part.body else {
        return None;
    };
    match target {
        Some(t) if t.file_id == part.file_id && matches!(t.body, RecordBody::Visit(_)) => None,
        _ => Some(Rejection::NoSuchVisit),
    }
}

/// The team members who reach a file through its ledger: those it is currently referred to and
/// those named as taking part in one of its visits (a joint visit), counting only records neither
/// voided nor replaced by an amendment; each once, in order of `records`.
pub fn team_on_file(records: &[Record]) -> Vec<UserId> {
    let mut out: Vec<UserId> = Vec::new();
    for r in effective(records) {
        let named: Vec<&UserId> = match &r.body {
            RecordBody::Referral(referral) => vec![&referral.to],
            RecordBody::Visit(visit) => visit.joined.iter().map(|m| &m.id).collect(),
            _ => continue,
        };
        for id in named {
            if !out.contains(id) {
                out.push(id.clone());
            }
        }
    }
    out
}

/// What the file currently asks of `member`: the needs of the referrals to them, and whether a
/// visit names them as having taken part. Corrections count as the ledger says.
pub fn asked_of(records: &[Record], member: &UserId) -> (Vec<ReferralNeed>, bool) {
    let mut needs = Vec::new();
    let mut joined = false;
    for r in effective(records) {
        match &r.body {
            RecordBody::Referral(referral)
                if &referral.to == member && !needs.contains(&referral.need) =>
            {
                needs.push(referral.need);
            }
            RecordBody::Visit(v) if v.joined.iter().any(|m| &m.id == member) => joined = true,
            _ => {}
        }
    }
    (needs, joined)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures;

    #[test]
    fn a_voided_or_amended_referral_no_longer_counts() {
        let first = fixtures::referral("f1", "u1", "law");
        let other = fixtures::referral("f1", "u1", "law2");
        assert_eq!(
            team_on_file(&[first.clone(), other.clone()]),
            vec![UserId::from("law"), UserId::from("law2")]
        );
        let void = fixtures::void(&first, "转错了人");
        assert_eq!(
            team_on_file(&[first.clone(), other.clone(), void]),
            vec![UserId::from("law2")]
        );
        let moved = fixtures::amendment(&first, fixtures::referral("f1", "u1", "law3").body);
        assert_eq!(team_on_file(&[first, moved]), vec![UserId::from("law3")]);
    }

    #[test]
    fn a_team_member_named_on_a_current_visit_reaches_the_file() {
        let mut visit = fixtures::visit("f1", "u1");
        if let RecordBody::Visit(v) = &mut visit.body {
            v.joined = vec![crate::record::TeamMember {
                id: UserId::from("law"),
                name: "陈律师".into(),
            }];
        }
        let referral = fixtures::referral("f1", "u1", "law");
        assert_eq!(
            team_on_file(&[visit.clone(), referral.clone()]),
            vec![UserId::from("law")]
        );
        let void = fixtures::void(&visit, "录错档案");
        assert_eq!(team_on_file(&[visit, void]), Vec::<UserId>::new());
    }

    #[test]
    fn a_member_is_asked_for_what_current_referrals_need() {
        let law = UserId::from("law");
        let opinion = fixtures::referral("f1", "u1", "law");
        let other = fixtures::referral("f1", "u1", "law2");
        assert_eq!(
            asked_of(&[opinion.clone(), other], &law),
            (vec![ReferralNeed::Opinion], false)
        );
        let void = fixtures::void(&opinion, "转错了人");
        assert_eq!(asked_of(&[opinion, void], &law), (vec![], false));
    }

    #[test]
    fn a_part_belongs_to_a_visit_of_its_own_file() {
        let visit = fixtures::visit("f1", "u1");
        let part = fixtures::visit_part(&visit, "law");
        assert_eq!(visit_part_target_problem(&part, Some(&visit)), None);
        assert_eq!(
            visit_part_target_problem(&part, None),
            Some(Rejection::NoSuchVisit)
        );
        let note = fixtures::note("f1", "u1");
        assert_eq!(
            visit_part_target_problem(&part, Some(&note)),
            Some(Rejection::NoSuchVisit)
        );
        let elsewhere = fixtures::visit("f2", "u1");
        assert_eq!(
            visit_part_target_problem(&part, Some(&elsewhere)),
            Some(Rejection::NoSuchVisit)
        );
        assert_eq!(visit_part_target_problem(&visit, None), None);
    }

    #[test]
    fn an_opinion_channel_maps_to_a_legal_route_unless_it_stays_a_petition() {
        assert_eq!(Channel::Petition.legal_route(), None);
        assert_eq!(
            Channel::Arbitration.legal_route(),
            Some(LegalRoute::Arbitration)
        );
    }
}

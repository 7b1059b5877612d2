//! The legal team on a file: who joined or was referred it, and what they were asked.

use crate::base::ids::UserId;
use crate::folds::ledger::effective;
use crate::records::legal::ReferralNeed;
use crate::records::record::{Record, RecordBody};

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
    use crate::checks::targets::visit_part_target_problem;
    use crate::checks::verdict::Rejection;
    use crate::fixtures;
    use crate::records::case_step::LegalRoute;
    use crate::records::legal::*;
    use crate::records::record::RecordBody;

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
            v.joined = vec![crate::records::record::TeamMember {
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

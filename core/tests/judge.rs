//! The upload judge, rule by rule, with the hostile cases the server's abuse suite sends.

use xiafang_core::fixtures;
use xiafang_core::judge::{Asks, Facts, asks, judge, refusal};
use xiafang_core::permissions::Reach;
use xiafang_core::protocol::Decision;
use xiafang_core::record::{RecordBody, TeamMember};
use xiafang_core::supervision::ReviewDecision;
use xiafang_core::{Record, RecordId, UserId};
use xiafang_core::{
    account::Role,
    upload::Op,
    verdict::{Outcome, Rejection},
};

#[rustfmt::skip]
const ASSIGNED: Reach = Reach { assigned: true, in_jurisdiction: false, referred: false };
#[rustfmt::skip]
const JURISDICTION: Reach = Reach { assigned: false, in_jurisdiction: true, referred: false };
#[rustfmt::skip]
const REFERRED: Reach = Reach { assigned: false, in_jurisdiction: false, referred: true };

/// One row of the table: who uploads `record`, standing where, what the database holds for it.
struct Case {
    name: &'static str,
    caller: &'static str,
    role: Role,
    reach: Option<Reach>,
    record: Record,
    earlier: Option<Record>,
    target: Option<Record>,
    legal_team: Vec<UserId>,
    /// The stored records among those a sign-off names.
    evidence: Vec<Record>,
    /// The named leader accounts that are supervisors over the file.
    leaders: Vec<UserId>,
    expected: Option<Rejection>,
}

fn case(name: &'static str, caller: &'static str, role: Role, record: Record) -> Case {
    Case {
        name,
        caller,
        role,
        reach: Some(match role {
            Role::Supervisor | Role::Admin => JURISDICTION,
            _ => ASSIGNED,
        }),
        record,
        earlier: None,
        target: None,
        legal_team: Vec::new(),
        evidence: Vec::new(),
        leaders: Vec::new(),
        expected: None,
    }
}

impl Case {
    fn reach(self, reach: Option<Reach>) -> Self {
        Case { reach, ..self }
    }
    fn earlier(self, earlier: &Record) -> Self {
        Case {
            earlier: Some(earlier.clone()),
            ..self
        }
    }
    fn target(self, target: &Record) -> Self {
        Case {
            target: Some(target.clone()),
            ..self
        }
    }
    fn team(self, ids: &[&str]) -> Self {
        Case {
            legal_team: ids.iter().map(|&id| UserId::from(id)).collect(),
            ..self
        }
    }
    fn evidence(self, found: &[&Record]) -> Self {
        Case {
            evidence: found.iter().map(|&r| r.clone()).collect(),
            ..self
        }
    }
    fn leaders(self, ids: &[&str]) -> Self {
        Case {
            leaders: ids.iter().map(|&id| UserId::from(id)).collect(),
            ..self
        }
    }
    fn refused(self, why: Rejection) -> Self {
        Case {
            expected: Some(why),
            ..self
        }
    }
}

/// A 包案 leader record naming the account `id`.
fn leader_account(id: &str) -> Record {
    let mut r = fixtures::leader("f1", "s1", "王副书记", "南滨街道党工委副书记");
    if let RecordBody::Supervision(xiafang_core::supervision::Supervision::Leader {
        account, ..
    }) = &mut r.body
    {
        *account = Some(id.into());
    }
    r
}

fn elsewhere(mut record: Record) -> Record {
    record.file_id = "f2".into();
    record
}

fn amended(earlier: &Record, author: &str) -> Record {
    let mut r = fixtures::amendment(earlier, earlier.body.clone());
    r.author = author.into();
    r
}

fn joint_visit(joined: &[&str]) -> Record {
    let mut visit = fixtures::visit("f1", "u1");
    if let RecordBody::Visit(v) = &mut visit.body {
        v.joined = joined
            .iter()
            .map(|&id| TeamMember {
                id: id.into(),
                name: "李律师".into(),
            })
            .collect();
    }
    visit
}

#[test]
fn each_rule_refuses_what_it_should_and_only_that() {
    use Rejection::*;
    use Role::*;
    use xiafang_core::case_step::Step::Closed;
    let visit = fixtures::visit("f1", "u1");
    let note = fixtures::note("f1", "u1");
    let review = fixtures::review(&visit, "s1", ReviewDecision::Approve, "");
    let void = fixtures::void(&visit, "记错");
    let report = fixtures::unit_report("f1", "u1");
    let mut invalid = fixtures::visit("f1", "u1");
    if let RecordBody::Visit(v) = &mut invalid.body {
        v.requests.clear();
    }
    #[rustfmt::skip]
    let cases = vec![
        case("a cadre's visit on an assigned file", "u1", Cadre, visit.clone()),
        case("a visit in another's name", "u2", Cadre, visit.clone()).refused(AuthorMismatch),
        case("an invalid visit", "u1", Cadre, invalid.clone())
            .refused(Invalid { errors: invalid.validate().unwrap_err() }),
        case("a file the caller cannot read", "u1", Cadre, visit.clone())
            .reach(None).refused(NotPermitted),
        case("a visit by a supervisor", "u1", Supervisor, visit.clone()).refused(NotPermitted),
        case("a visit by an administrator", "u1", Admin, visit.clone()).refused(NotPermitted),
        case("a visit by a referred team member", "u1", Legal, visit.clone())
            .reach(Some(REFERRED)).refused(NotPermitted),
        case("a supervisor's review", "s1", Supervisor, review.clone()).target(&visit),
        case("a review by a cadre", "s1", Cadre, review.clone())
            .target(&visit).refused(RoleNotAllowed),
        case("a review by an administrator", "s1", Admin, review.clone())
            .target(&visit).refused(RoleNotAllowed),
        case("a review of one's own visit", "u1", Supervisor,
             fixtures::review(&visit, "u1", ReviewDecision::Approve, ""))
            .target(&visit).refused(NotReviewable),
        case("a review of a record not stored", "s1", Supervisor, review.clone())
            .refused(NotReviewable),
        case("a review of a note", "s1", Supervisor,
             fixtures::review(&note, "s1", ReviewDecision::Approve, ""))
            .target(&note).refused(NotReviewable),
        case("an amendment of one's own visit", "u1", Cadre, amended(&visit, "u1"))
            .earlier(&visit),
        case("an amendment of another's visit", "u2", Cadre, amended(&visit, "u2"))
            .earlier(&visit).refused(TargetNotYours),
        case("an amendment of a record not stored", "u1", Cadre, amended(&visit, "u1"))
            .refused(TargetMissing),
        case("an amendment of a record in another file", "u1", Cadre, amended(&visit, "u1"))
            .earlier(&elsewhere(visit.clone())).refused(TargetMissing),
        case("an amendment changing the kind", "u1", Cadre,
             fixtures::amendment(&visit, note.body.clone()))
            .earlier(&visit).refused(TargetKindMismatch),
        case("a void of one's own visit", "u1", Cadre, fixtures::void(&visit, "记错"))
            .earlier(&visit),
        case("a void of a void", "u1", Cadre, fixtures::void(&void, "撤回"))
            .earlier(&void).refused(TargetMissing),
        case("a cadre voiding a supervisor's review", "s1", Cadre, fixtures::void(&review, "x"))
            .earlier(&review).refused(RoleNotAllowed),
        case("a supervisor voiding their review", "s1", Supervisor, fixtures::void(&review, "x"))
            .earlier(&review),
        case("a referral to a team member", "u1", Cadre, fixtures::referral("f1", "u1", "law"))
            .team(&["law"]),
        case("a referral to a cadre", "u1", Cadre, fixtures::referral("f1", "u1", "u2"))
            .refused(NotLegalTeam),
        case("a referral by a supervisor", "s1", Supervisor, fixtures::referral("f1", "s1", "law"))
            .team(&["law"]).refused(RoleNotAllowed),
        case("a joint visit with team members", "u1", Cadre, joint_visit(&["law"]))
            .team(&["law"]),
        case("a joint visit naming a cadre", "u1", Cadre, joint_visit(&["law", "u2"]))
            .team(&["law"]).refused(NotLegalTeam),
        case("an opinion by a referred member", "law", Legal, fixtures::legal_opinion("f1", "law"))
            .reach(Some(REFERRED)),
        case("an opinion by a cadre", "u1", Cadre, fixtures::legal_opinion("f1", "u1"))
            .refused(RoleNotAllowed),
        case("a part of a joint visit", "law", Legal, fixtures::visit_part(&visit, "law"))
            .reach(Some(REFERRED)).target(&visit),
        case("a part naming a note", "law", Legal, fixtures::visit_part(&visit, "law"))
            .reach(Some(REFERRED)).target(&note).refused(NoSuchVisit),
        case("a part naming nothing stored", "law", Legal, fixtures::visit_part(&visit, "law"))
            .reach(Some(REFERRED)).refused(NoSuchVisit),
        case("a signature on a visit", "u1", Cadre, fixtures::signature(&visit, "u1"))
            .target(&visit),
        case("a signature on a visit elsewhere", "u1", Cadre, fixtures::signature(&visit, "u1"))
            .target(&elsewhere(visit.clone())).refused(NotAttachable),
        case("a photo on nothing stored", "u1", Cadre, fixtures::photo(&visit, "u1"))
            .refused(NotAttachable),
        case("a supervisor's case step", "s1", Supervisor, fixtures::case_step("f1", "s1", Closed)),
        case("a case step by a team member", "law", Legal, fixtures::case_step("f1", "law", Closed))
            .refused(RoleNotAllowed),
        case("交办 by a supervisor", "s1", Supervisor, fixtures::assigned("f1", "s1")),
        case("交办 by a cadre", "u1", Cadre, fixtures::assigned("f1", "u1")).refused(RoleNotAllowed),
        case("a unit's report by the cadre", "u1", Cadre, fixtures::unit_report("f1", "u1")),
        case("a unit's report by a supervisor", "s1", Supervisor, fixtures::unit_report("f1", "s1")),
        case("a unit's report by a team member", "law", Legal, fixtures::unit_report("f1", "law"))
            .refused(RoleNotAllowed),
        case("a unit's report by an administrator", "a1", Admin, fixtures::unit_report("f1", "a1"))
            .refused(RoleNotAllowed),
        case("a sign-off on the unit's report", "s1", Supervisor, fixtures::signed_off(&[&report, &visit], "s1"))
            .evidence(&[&report, &visit]),
        case("a sign-off by the cadre", "u1", Cadre, fixtures::signed_off(&[&report], "u1"))
            .evidence(&[&report]).refused(RoleNotAllowed),
        case("a sign-off on a record not stored", "s1", Supervisor, fixtures::signed_off(&[&report, &visit], "s1"))
            .evidence(&[&report]).refused(NoSuchEvidence),
        case("a sign-off on another file's record", "s1", Supervisor, fixtures::signed_off(&[&report], "s1"))
            .evidence(&[&elsewhere(report.clone())]).refused(NoSuchEvidence),
        case("a sign-off on a void", "s1", Supervisor, fixtures::signed_off(&[&void], "s1"))
            .evidence(&[&void]).refused(NoSuchEvidence),
        case("a leader without an account", "s1", Supervisor, fixtures::leader("f1", "s1", "张书记", "县委书记")),
        case("a leader picked from the supervisors over the file", "s1", Supervisor, leader_account("sup-t"))
            .leaders(&["sup-t"]),
        case("a leader account that is no supervisor over the file", "s1", Supervisor, leader_account("sup-other"))
            .refused(NotALeader),
    ];
    for c in cases {
        let facts = Facts {
            caller: &UserId::from(c.caller),
            role: c.role,
            reach: c.reach,
            earlier: c.earlier.as_ref(),
            target: c.target.as_ref(),
            legal_team: &c.legal_team,
            seen: None,
            existing: None,
            evidence: &c.evidence,
            leaders: &c.leaders,
        };
        assert_eq!(refusal(&c.record, &facts), c.expected, "{}", c.name);
    }
}

#[test]
fn the_judge_asks_for_exactly_the_records_and_accounts_a_rule_reads() {
    let visit = fixtures::visit("f1", "u1");
    let op = |record: &Record| Op {
        seq: 1,
        record: record.clone(),
    };
    let void = fixtures::void(&visit, "记错");
    let review = fixtures::review(&visit, "s1", ReviewDecision::Approve, "");
    let amended_review = fixtures::amendment(&review, review.body.clone());
    let cases = [
        ("a plain visit", op(&visit), None, None, vec![]),
        ("a void", op(&void), Some(visit.id), None, vec![]),
        ("a review", op(&review), None, Some(visit.id), vec![]),
        (
            "an amended review",
            op(&amended_review),
            Some(review.id),
            Some(visit.id),
            vec![],
        ),
        (
            "a referral",
            op(&fixtures::referral("f1", "u1", "law")),
            None,
            None,
            vec![UserId::from("law")],
        ),
        (
            "a joint visit",
            op(&joint_visit(&["law", "law2"])),
            None,
            None,
            vec![UserId::from("law"), UserId::from("law2")],
        ),
    ];
    for (name, op, earlier, target, team) in cases {
        let expected = Asks {
            reach: true,
            earlier,
            target,
            team,
            evidence: Vec::new(),
            leaders: Vec::new(),
        };
        assert_eq!(asks(&op, None), expected, "{name}");
        assert_eq!(
            asks(&op, Some(op.record.id)),
            Asks::default(),
            "{name} again"
        );
    }
}

#[test]
fn a_sign_off_asks_for_the_records_it_rests_on() {
    let report = fixtures::unit_report("f1", "u1");
    let visit = fixtures::visit("f1", "u1");
    let sign_off = fixtures::signed_off(&[&report, &visit], "s1");
    let op = Op {
        seq: 1,
        record: sign_off,
    };
    assert_eq!(asks(&op, None).evidence, vec![report.id, visit.id]);
    assert_eq!(asks(&op, Some(op.record.id)), Asks::default());
}

#[test]
fn marks_and_stored_records_decide_around_the_rules() {
    let visit = fixtures::visit("f1", "u1");
    let mut other = visit.clone();
    other.author_name = "李四".into();
    let op = Op {
        seq: 7,
        record: visit.clone(),
    };
    let stored = Outcome::Stored;
    let refused = Outcome::Rejected {
        reason: Rejection::NotPermitted,
    };
    let facts = |reach, seen, existing| Facts {
        caller: &visit.author,
        role: Role::Cadre,
        reach,
        earlier: None,
        target: None,
        legal_team: &[],
        seen,
        existing,
        evidence: &[],
        leaders: &[],
    };
    let rejected = |reason| Decision::Record(Outcome::Rejected { reason });
    let cases: Vec<(&str, Facts, Decision)> = vec![
        (
            "new and allowed",
            facts(Some(ASSIGNED), None, None),
            Decision::Insert,
        ),
        (
            "a repeat keeps its first outcome even if no longer allowed",
            facts(None, Some((visit.id, &stored)), Some(&visit)),
            Decision::Repeat(Outcome::Stored),
        ),
        (
            "a repeat of a refusal stays refused",
            facts(Some(ASSIGNED), Some((visit.id, &refused)), None),
            Decision::Repeat(refused.clone()),
        ),
        (
            "a stored record is not confirmed to whom may not read it",
            facts(None, None, Some(&visit)),
            rejected(Rejection::NotPermitted),
        ),
        (
            "the same record by another operation",
            facts(Some(ASSIGNED), None, Some(&visit)),
            Decision::Record(Outcome::Stored),
        ),
        (
            "other content under the same id",
            facts(Some(ASSIGNED), None, Some(&other)),
            rejected(Rejection::IdConflict),
        ),
        (
            "a reused operation number with another record is judged anew",
            facts(None, Some((RecordId::new_random(), &stored)), None),
            rejected(Rejection::NotPermitted),
        ),
    ];
    for (name, facts, expected) in cases {
        assert_eq!(judge(&op, &facts), expected, "{name}");
    }
}

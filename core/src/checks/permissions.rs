//! Who may record which kind of record on a file: the one rule the server applies to every
//! upload (least privilege). Where an account stands with the file (`Reach`) is the server's to
//! find out; what that allows is decided here.
//!
//! | kind | who may record it |
//! |---|---|
//! | visit, assistance, note, file edit | an account assigned to the file |
//! | case step (登记 … 回访), reception (接访), early warning (苗头) | a supervisor whose jurisdiction holds the file, or a cadre assigned to it |
//! | review (审核), supervision (挂牌督办, 包案领导, 化解方案, 里程碑完成, 销号) | a supervisor whose jurisdiction holds the file |
//! | 交办, 催办, 审核销号, 退回重办 of a handling unit's task | a supervisor whose jurisdiction holds the file |
//! | a handling unit's 办结报告 | a supervisor whose jurisdiction holds the file, or a cadre assigned to it |
//! | referral to the legal team | a cadre assigned to the file |
//! | legal opinion, mediation (人民调解) | a legal team member assigned to the file, or referred it in one of their villages |
//! | a participant's part of a joint visit, a signature, a photo | whoever writes casework on the file, and legal team members who reach it |
//! | 矛盾纠纷排查 on a place's screening ledger | a supervisor whose jurisdiction holds the place, or a cadre of a village's ledger (the village's or its township's cadres: the server counts them as assigned to it) |
//!
//! Administrators manage accounts and assignments; they do not supervise casework, so they record
//! none of the supervisors' kinds. Legal team members give opinions on the files assigned or
//! referred to them; the petition procedure's steps are not theirs to record. A correction (amendment or void) is
//! judged as the kind it corrects, on top of the rule that only its author corrects a record.

use crate::checks::verdict::Rejection;
use crate::records::account::Role;
use crate::records::record::RecordBody;
use crate::records::tasking::Tasking;

/// Where an account stands with a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Reach {
    /// The file is assigned to the account.
    pub assigned: bool,
    /// The file lies in the account's place or a place below it, and the account's role reads
    /// by jurisdiction (supervisors and administrators).
    pub in_jurisdiction: bool,
    /// The file lies in one of the legal team member's villages and is currently referred to
    /// them (a `Referral` neither voided nor amended away).
    pub referred: bool,
}

/// The groups of record kinds that share a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Writes {
    /// What the cadres on the file write: visits, assistance, notes, file edits.
    Casework,
    /// A step of the matter's lifecycle, or petitioners received in person (接访).
    CaseStep,
    /// A review of a cadre's record, or supervision of the matter.
    Supervising,
    /// A referral of the file to a legal team member.
    Referral,
    /// A legal opinion or a mediation.
    Legal,
    /// A participant's own part of a joint visit, or a signature or photo attached to a record.
    VisitPart,
    /// A handling unit's 办结报告 on a task assigned to it (the rest of the 交办 loop is the
    /// office's: `Supervising`).
    UnitReport,
    /// A place's 矛盾纠纷排查, on its screening ledger. Legal team members who took part are
    /// named among its participants; they do not record it.
    Screening,
}

impl Writes {
    /// The group `body` belongs to. A void belongs to the group of the record it withdraws, which
    /// the caller must look up; on its own it counts as casework.
    pub fn of(body: &RecordBody) -> Self {
        match body {
            RecordBody::Visit(_)
            | RecordBody::Assistance(_)
            | RecordBody::Note(_)
            | RecordBody::FileEdit(_)
            | RecordBody::Void(_) => Writes::Casework,
            RecordBody::CaseStep(_) | RecordBody::Reception(_) | RecordBody::Warning(_) => {
                Writes::CaseStep
            }
            RecordBody::Review(_) | RecordBody::Supervision(_) => Writes::Supervising,
            RecordBody::Referral(_) => Writes::Referral,
            RecordBody::LegalOpinion(_) | RecordBody::Mediation(_) => Writes::Legal,
            RecordBody::VisitPart(_) | RecordBody::Signature(_) | RecordBody::Photo(_) => {
                Writes::VisitPart
            }
            RecordBody::Tasking(Tasking::Reported { .. }) => Writes::UnitReport,
            RecordBody::Tasking(_) => Writes::Supervising,
            RecordBody::Screening(_) => Writes::Screening,
        }
    }
}

/// Whether an account of `role` standing `reach` with a file may record `writes` on it, and
/// if not, the rejection the phone shows.
pub fn may_write(role: Role, reach: Reach, writes: Writes) -> Result<(), Rejection> {
    let supervises = role == Role::Supervisor && reach.in_jurisdiction;
    let legal_member = role == Role::Legal && (reach.assigned || reach.referred);
    let allowed = match writes {
        Writes::Casework => reach.assigned,
        Writes::CaseStep => supervises || (role == Role::Cadre && reach.assigned),
        Writes::Supervising => supervises,
        Writes::Referral => role == Role::Cadre && reach.assigned,
        Writes::Legal => legal_member,
        Writes::VisitPart => reach.assigned || legal_member,
        Writes::UnitReport => supervises || (role == Role::Cadre && reach.assigned),
        Writes::Screening => supervises || (role == Role::Cadre && reach.assigned),
    };
    match allowed {
        true => Ok(()),
        // Casework and visit parts are refused for want of an assignment, whoever asks; so is
        // anything on a file the account does not reach at all.
        false
            if matches!(writes, Writes::Casework | Writes::VisitPart)
                || reach == Reach::default() =>
        {
            Err(Rejection::NotPermitted)
        }
        false => Err(Rejection::RoleNotAllowed),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ASSIGNED: Reach = Reach {
        assigned: true,
        in_jurisdiction: false,
        referred: false,
    };
    const JURISDICTION: Reach = Reach {
        assigned: false,
        in_jurisdiction: true,
        referred: false,
    };
    const REFERRED: Reach = Reach {
        assigned: false,
        in_jurisdiction: false,
        referred: true,
    };
    const NONE: Reach = Reach {
        assigned: false,
        in_jurisdiction: false,
        referred: false,
    };

    const ALL: [Writes; 7] = [
        Writes::Casework,
        Writes::CaseStep,
        Writes::Supervising,
        Writes::Referral,
        Writes::Legal,
        Writes::VisitPart,
        Writes::UnitReport,
    ];

    /// For each of `ALL`, in that order: allowed or the rejection.
    type Expected = [Result<(), Rejection>; 7];

    /// Who, standing where, may write what: `Ok` or the rejection.
    #[test]
    fn each_role_and_reach_writes_exactly_its_kinds() {
        use Rejection::{NotPermitted as No, RoleNotAllowed as Role_};
        const OK: Result<(), Rejection> = Ok(());
        const NO: Result<(), Rejection> = Err(No);
        const ROLE: Result<(), Rejection> = Err(Role_);
        #[rustfmt::skip]
        let table: &[(&str, Role, Reach, Expected)] = &[
            //                                                 Casework CaseStep Supervising Referral Legal VisitPart UnitReport
            ("supervisor of the place", Role::Supervisor, JURISDICTION, [NO, OK, OK, ROLE, ROLE, NO, OK]),
            ("supervisor elsewhere", Role::Supervisor, NONE, [NO; 7]),
            ("supervisor assigned, elsewhere", Role::Supervisor, ASSIGNED, [OK, ROLE, ROLE, ROLE, ROLE, OK, ROLE]),
            ("cadre assigned", Role::Cadre, ASSIGNED, [OK, OK, ROLE, OK, ROLE, OK, OK]),
            ("cadre not assigned", Role::Cadre, NONE, [NO; 7]),
            ("legal member assigned", Role::Legal, ASSIGNED, [OK, ROLE, ROLE, ROLE, OK, OK, ROLE]),
            ("legal member referred", Role::Legal, REFERRED, [NO, ROLE, ROLE, ROLE, OK, OK, ROLE]),
            ("legal member not assigned", Role::Legal, NONE, [NO; 7]),
            ("administrator of the place", Role::Admin, JURISDICTION, [NO, ROLE, ROLE, ROLE, ROLE, NO, ROLE]),
            ("administrator elsewhere", Role::Admin, NONE, [NO; 7]),
        ];
        for (who, role, reach, expected) in table {
            for (writes, expected) in ALL.into_iter().zip(expected) {
                assert_eq!(
                    &may_write(*role, *reach, writes),
                    expected,
                    "{who} writing {writes:?}"
                );
            }
        }
    }

    #[test]
    fn a_supervisor_both_assigned_and_in_jurisdiction_writes_everything() {
        let both = Reach {
            assigned: true,
            in_jurisdiction: true,
            referred: false,
        };
        for writes in [Writes::Casework, Writes::CaseStep, Writes::Supervising] {
            assert_eq!(may_write(Role::Supervisor, both, writes), Ok(()));
        }
    }

    #[test]
    fn record_kinds_fall_in_their_groups() {
        use crate::fixtures;
        use crate::records::supervision::ReviewDecision;
        let visit = fixtures::visit("f1", "u1");
        assert_eq!(Writes::of(&visit.body), Writes::Casework);
        assert_eq!(
            Writes::of(&fixtures::note("f1", "u1").body),
            Writes::Casework
        );
        assert_eq!(
            Writes::of(&fixtures::void(&visit, "记错").body),
            Writes::Casework
        );
        assert_eq!(
            Writes::of(&fixtures::review(&visit, "s1", ReviewDecision::Approve, "").body),
            Writes::Supervising
        );
        assert_eq!(
            Writes::of(&fixtures::listed("f1", "s1").body),
            Writes::Supervising
        );
        let step = fixtures::case_step("f1", "s1", crate::records::case_step::Step::Closed);
        assert_eq!(Writes::of(&step.body), Writes::CaseStep);
        let referral = fixtures::referral("f1", "u1", "law");
        assert_eq!(Writes::of(&referral.body), Writes::Referral);
        for legal in [
            fixtures::legal_opinion("f1", "law"),
            fixtures::mediation("f1", "law"),
        ] {
            assert_eq!(Writes::of(&legal.body), Writes::Legal);
        }
        assert_eq!(
            Writes::of(&fixtures::visit_part(&visit, "law").body),
            Writes::VisitPart
        );
    }
}

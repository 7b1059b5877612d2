//! Who may record which kind of record on a file: the one rule the server applies to every
//! upload (least privilege). Where an account stands with the file (`Reach`) is the server's to
//! find out; what that allows is decided here.
//!
//! | kind | who may record it |
//! |---|---|
//! | visit, assistance, note, file edit | an account assigned to the file |
//! | case step (登记 … 回访) | a supervisor whose jurisdiction holds the file, or a cadre assigned to it |
//! | review (审核), supervision (挂牌督办, 包案领导, 销号) | a supervisor whose jurisdiction holds the file |
//!
//! Administrators manage accounts and assignments; they do not supervise casework, so they record
//! none of the supervisors' kinds. Legal team members give opinions on the files assigned to them;
//! the petition procedure's steps are not theirs to record. A correction (amendment or void) is
//! judged as the kind it corrects, on top of the rule that only its author corrects a record.

use crate::record::RecordBody;
use crate::sync::{Rejection, Role};

/// Where an account stands with a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Reach {
    /// The file is assigned to the account.
    pub assigned: bool,
    /// The file lies in the account's place or a place below it, and the account's role reads
    /// by jurisdiction (supervisors and administrators).
    pub in_jurisdiction: bool,
}

/// The groups of record kinds that share a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Writes {
    /// What the cadres on the file write: visits, assistance, notes, file edits.
    Casework,
    /// A step of the matter's lifecycle.
    CaseStep,
    /// A review of a cadre's record, or supervision of the matter.
    Supervising,
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
            RecordBody::CaseStep(_) => Writes::CaseStep,
            RecordBody::Review(_) | RecordBody::Supervision(_) => Writes::Supervising,
        }
    }
}

/// Whether an account of `role` standing `reach` with a file may record `writes` on it, and
/// if not, the rejection the phone shows.
pub fn may_write(role: Role, reach: Reach, writes: Writes) -> Result<(), Rejection> {
    let supervises = role == Role::Supervisor && reach.in_jurisdiction;
    let allowed = match writes {
        Writes::Casework => reach.assigned,
        Writes::CaseStep => supervises || (role == Role::Cadre && reach.assigned),
        Writes::Supervising => supervises,
    };
    match allowed {
        true => Ok(()),
        // Casework is refused for want of an assignment, whoever asks; so is anything on a file
        // the account does not reach at all.
        false if writes == Writes::Casework || reach == Reach::default() => {
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
    };
    const JURISDICTION: Reach = Reach {
        assigned: false,
        in_jurisdiction: true,
    };
    const NONE: Reach = Reach {
        assigned: false,
        in_jurisdiction: false,
    };

    /// For casework, case steps and supervising, in that order: allowed or the rejection.
    type Expected = [Result<(), Rejection>; 3];

    /// Who, standing where, may write what: `Ok` or the rejection.
    #[test]
    fn each_role_and_reach_writes_exactly_its_kinds() {
        use Rejection::{NotPermitted as No, RoleNotAllowed as Role_};
        use Writes::*;
        #[rustfmt::skip]
        let table: &[(&str, Role, Reach, Expected)] = &[
            //                                              Casework   CaseStep   Supervising
            ("supervisor of the place", Role::Supervisor, JURISDICTION, [Err(No), Ok(()), Ok(())]),
            ("supervisor elsewhere", Role::Supervisor, NONE, [Err(No), Err(No), Err(No)]),
            ("supervisor assigned, elsewhere", Role::Supervisor, ASSIGNED, [Ok(()), Err(Role_), Err(Role_)]),
            ("cadre assigned", Role::Cadre, ASSIGNED, [Ok(()), Ok(()), Err(Role_)]),
            ("cadre not assigned", Role::Cadre, NONE, [Err(No), Err(No), Err(No)]),
            ("legal member assigned", Role::Legal, ASSIGNED, [Ok(()), Err(Role_), Err(Role_)]),
            ("legal member not assigned", Role::Legal, NONE, [Err(No), Err(No), Err(No)]),
            ("administrator of the place", Role::Admin, JURISDICTION, [Err(No), Err(Role_), Err(Role_)]),
            ("administrator elsewhere", Role::Admin, NONE, [Err(No), Err(No), Err(No)]),
        ];
        for (who, role, reach, expected) in table {
            for (writes, expected) in [Casework, CaseStep, Supervising].into_iter().zip(expected) {
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
        };
        for writes in [Writes::Casework, Writes::CaseStep, Writes::Supervising] {
            assert_eq!(may_write(Role::Supervisor, both, writes), Ok(()));
        }
    }

    #[test]
    fn record_kinds_fall_in_their_groups() {
        use crate::fixtures;
        use crate::supervision::ReviewDecision;
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
        let step = fixtures::case_step("f1", "s1", crate::case_step::Step::Closed);
        assert_eq!(Writes::of(&step.body), Writes::CaseStep);
    }
}

//! The one judge of a record a phone uploads (or a lost phone hands over): every rule that
//! decides whether the server stores it, as a pure function of what the database knows
//! (`Facts`). The server only gathers the facts (`Asks` says which) and stores the outcome;
//! the phone asks the same rules which buttons to offer (`offers`).

mod offers;

pub use offers::{Offer, correction_offered, may_attach, offers, phone_reach, tasking_actions};

use crate::base::ids::{RecordId, UserId};
use crate::checks::permissions::{Reach, Writes, may_write};
use crate::checks::targets::attachment_target_problem;
use crate::checks::targets::evidence_problem;
use crate::checks::targets::review_target_problem;
use crate::checks::targets::visit_part_target_problem;
use crate::checks::verdict::{Outcome, Rejection};
use crate::records::account::Role;
use crate::records::attachment::{Photo, Signature};
use crate::records::record::{Record, RecordBody};
use crate::records::supervision::Supervision;
use crate::records::tasking::Tasking;
use crate::wire::protocol::{Decision, Prior, decide};
use crate::wire::upload::Op;

/// What the database knows about an operation, as far as the judge asks (`Asks`).
#[derive(Debug, Clone)]
pub struct Facts<'a> {
    /// The account uploading (for a hand-over: the account that handed it over).
    pub caller: &'a UserId,
    pub role: Role,
    /// The caller's standing with the record's file; `None` when they cannot read it or it does
    /// not exist (the two are never told apart).
    pub reach: Option<Reach>,
    /// The stored record a void withdraws or an amendment replaces (`Asks::earlier`).
    pub earlier: Option<&'a Record>,
    /// The stored record a review, a part of a joint visit, a signature or a photo names
    /// (`Asks::target`).
    pub target: Option<&'a Record>,
    /// Which of the accounts the record names as legal team members (`Asks::team`) are: the
    /// accounts of the legal role among them.
    pub legal_team: &'a [UserId],
    /// The (record id, outcome) stored for the operation's (device, seq), if seen before.
    pub seen: Option<(RecordId, &'a Outcome)>,
    /// The record already stored under the record's own id.
    pub existing: Option<&'a Record>,
    /// The stored records among those a sign-off names as its evidence (`Asks::evidence`), of
    /// whichever file they are.
    pub evidence: &'a [Record],
    /// Which of the accounts the record names as case-owning leaders (`Asks::leaders`) may be
    /// one: enabled supervisors whose place is the file's village, township or county.
    pub leaders: &'a [UserId],
}

/// Which facts the judge needs about an operation, so the server reads only those.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Asks {
    /// The caller's reach on the record's file.
    pub reach: bool,
    /// The record a correction names.
    pub earlier: Option<RecordId>,
    /// The record a review, visit part, signature or photo names.
    pub target: Option<RecordId>,
    /// The accounts the record names as legal team members (a referral's addressee, who joined
    /// a visit): only they are referred files or join visits, which opens the file to them.
    pub team: Vec<UserId>,
    /// The records a sign-off (审核销号) names as its evidence: a hostile supervisor must not
    /// take a matter off the list on records that do not exist.
    pub evidence: Vec<RecordId>,
    /// The account a 包案 leader record names: a leader picked from the accounts must be one
    /// whose jurisdiction covers the file, not any account a phone makes up.
    pub leaders: Vec<UserId>,
}

/// What the judge needs to know about `op`, given the mark already stored for its (device,
/// seq): a repeat is answered from its mark whatever the judgement would be now, so it needs
/// nothing beyond the record stored under its id.
pub fn asks(op: &Op, seen: Option<RecordId>) -> Asks {
    if seen == Some(op.record.id) {
        return Asks::default();
    }
    let record = &op.record;
    Asks {
        reach: true,
        earlier: corrected(record),
        target: named_target(record),
        team: named_team(record),
        evidence: named_evidence(record),
        leaders: named_leaders(record),
    }
}

/// What the server does with `op`: answer a repeat from its mark, refuse it (`refusal`), store
/// it, or answer a record already stored under its id (`protocol::decide`).
pub fn judge(op: &Op, facts: &Facts<'_>) -> Decision {
    let repeat = facts.seen.is_some_and(|(id, _)| id == op.record.id);
    let prior = Prior {
        seen: facts.seen,
        existing: facts.existing,
        refusal: if repeat {
            None
        } else {
            refusal(&op.record, facts)
        },
    };
    decide(op, prior)
}

/// Why `record` may not be stored for the caller, if it may not, checked in this order: it must
/// be the caller's own and valid; the caller must reach the file; their role and standing must
/// allow its kind (`permissions::may_write`, where a void counts as the kind it withdraws); a
/// correction must name the caller's own record of the same file and kind; a review must name
/// another author's record of the same file that goes to a supervisor; a part of a joint visit
/// must name a visit of the same file; a signature or photo a record it fits on the same file;
/// a referral or joint visit must name only legal team members; a sign-off must rest on records
/// of the same file; a 包案 leader named by account must be a supervisor over the file.
pub fn refusal(record: &Record, facts: &Facts<'_>) -> Option<Rejection> {
    if &record.author != facts.caller {
        return Some(Rejection::AuthorMismatch);
    }
    if let Err(errors) = record.validate() {
        return Some(Rejection::Invalid { errors });
    }
    let Some(reach) = facts.reach else {
        return Some(Rejection::NotPermitted);
    };
    let writes = match (&record.body, facts.earlier) {
        (RecordBody::Void(_), Some(e)) if e.file_id == record.file_id => Writes::of(&e.body),
        _ => Writes::of(&record.body),
    };
    if let Err(refusal) = may_write(facts.role, reach, writes) {
        return Some(refusal);
    }
    if corrected(record).is_some()
        && let Some(refusal) = correction_problem(record, facts.earlier)
    {
        return Some(refusal);
    }
    match &record.body {
        RecordBody::Review(_) => review_target_problem(record, facts.target),
        RecordBody::VisitPart(_) => visit_part_target_problem(record, facts.target),
        RecordBody::Signature(_) | RecordBody::Photo(_) => {
            attachment_target_problem(record, facts.target)
        }
        RecordBody::Referral(_) | RecordBody::Visit(_) => named_team(record)
            .iter()
            .any(|id| !facts.legal_team.contains(id))
            .then_some(Rejection::NotLegalTeam),
        RecordBody::Tasking(_) => evidence_problem(record, facts.evidence),
        RecordBody::Supervision(_) => named_leaders(record)
            .iter()
            .any(|id| !facts.leaders.contains(id))
            .then_some(Rejection::NotALeader),
        _ => None,
    }
}

/// The account a 包案 leader record names (none for a leader without an account).
fn named_leaders(record: &Record) -> Vec<UserId> {
    match &record.body {
        RecordBody::Supervision(Supervision::Leader {
            account: Some(id), ..
        }) => vec![id.clone()],
        _ => Vec::new(),
    }
}

/// The records a sign-off names as its evidence.
fn named_evidence(record: &Record) -> Vec<RecordId> {
    match &record.body {
        RecordBody::Tasking(Tasking::SignedOff { evidence, .. }) => evidence.clone(),
        _ => Vec::new(),
    }
}

/// A correction may only name a correctable record (`earlier`) of the same file by the same
/// author, and an amendment must keep the kind.
fn correction_problem(record: &Record, earlier: Option<&Record>) -> Option<Rejection> {
    let Some(earlier) = earlier else {
        return Some(Rejection::TargetMissing);
    };
    if earlier.file_id != record.file_id || !earlier.body.is_correctable() {
        Some(Rejection::TargetMissing)
    } else if earlier.author != record.author {
        Some(Rejection::TargetNotYours)
    } else if record.amends.is_some() && earlier.body.kind_key() != record.body.kind_key() {
        Some(Rejection::TargetKindMismatch)
    } else {
        None
    }
}

/// The record a void withdraws or an amendment replaces.
fn corrected(record: &Record) -> Option<RecordId> {
    match (&record.body, record.amends) {
        (RecordBody::Void(v), _) => Some(v.target),
        (_, amended) => amended,
    }
}

/// The accounts a referral or a joint visit names as legal team members.
fn named_team(record: &Record) -> Vec<UserId> {
    match &record.body {
        RecordBody::Referral(referral) => vec![referral.to.clone()],
        RecordBody::Visit(visit) => visit.joined.iter().map(|m| m.id.clone()).collect(),
        _ => Vec::new(),
    }
}

/// The record a review, a part of a joint visit, a signature or a photo names.
fn named_target(record: &Record) -> Option<RecordId> {
    match &record.body {
        RecordBody::Review(review) => Some(review.of),
        RecordBody::VisitPart(part) => Some(part.of),
        RecordBody::Signature(Signature { of, .. }) | RecordBody::Photo(Photo { of, .. }) => {
            Some(*of)
        }
        _ => None,
    }
}

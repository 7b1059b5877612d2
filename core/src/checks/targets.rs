//! Records that name another record — a signature, a photo, a part of a joint visit, a
//! review — must name one of the right kind in the same file.

use crate::base::ids::RecordId;
use crate::checks::verdict::Rejection;
use crate::records::kinds::{blob_of, is_photographable, is_signable, needs_review};
use crate::records::record::{Record, RecordBody};
use crate::records::tasking::Tasking;

/// Why an attachment may not name the record it names, if it may not: a signature needs a
/// signable record of the same file, a photo any casework or legal record of it. `target` is the
/// record named, if the server holds it. Other records pass.
pub fn attachment_target_problem(record: &Record, target: Option<&Record>) -> Option<Rejection> {
    let fits = |t: &Record| match &record.body {
        RecordBody::Signature(_) => is_signable(&t.body),
        RecordBody::Photo(_) => is_photographable(&t.body),
        _ => true,
    };
    // Only signatures and photos name a record to attach to.
    blob_of(&record.body)?;
    match target {
        Some(t) if t.file_id == record.file_id && fits(t) => None,
        _ => Some(Rejection::NotAttachable),
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

/// Why `review` may not name the record it names, if it may not: the record reviewed must be a
/// record of the same file that goes to a supervisor (`needs_review`), written by someone else
/// (nobody approves their own work). `target` is the record `review.of` names, if the server
/// holds one. Records that are not reviews pass.
pub fn review_target_problem(review: &Record, target: Option<&Record>) -> Option<Rejection> {
    let RecordBody::Review(_) = &review.body else {
        return None;
    };
    match target {
        Some(t)
            if t.file_id == review.file_id
                && needs_review(&t.body)
                && t.author != review.author =>
        {
            None
        }
        _ => Some(Rejection::NotReviewable),
    }
}

/// Why a sign-off (审核销号) may not rest on the records it names, if it may not: each must be
/// a record the server holds on the same file (`found` are the records it holds under the
/// named ids, of any file), and none a void (a withdrawal is no evidence). Other records pass.
pub fn evidence_problem(record: &Record, found: &[Record]) -> Option<Rejection> {
    let RecordBody::Tasking(Tasking::SignedOff { evidence, .. }) = &record.body else {
        return None;
    };
    let holds = |id: &RecordId| {
        found.iter().any(|r| {
            &r.id == id && r.file_id == record.file_id && !matches!(r.body, RecordBody::Void(_))
        })
    };
    (!evidence.iter().all(holds)).then_some(Rejection::NoSuchEvidence)
}

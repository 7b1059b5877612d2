//! What the server did with a record a phone uploaded, and why it refused one: the judge's
//! answers, in both languages.

use crate::base::lang::Lang;
use crate::base::problem::FieldError;
use serde::{Deserialize, Serialize};

/// What the server did with an operation. Both end the operation's life in the outbox.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    /// Stored now, or stored by an earlier copy of the same operation.
    Stored,
    /// Can never be stored; the record stays on the phone, marked with the reason.
    Rejected { reason: Rejection },
    /// Sent from a revoked device: kept for a supervisor to review, not entered in the file.
    Quarantined,
}

/// Written as `{"code", "errors"?}`; read by hand (below).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Rejection {
    Invalid {
        errors: Vec<FieldError>,
    },
    /// The file is not assigned to the uploader.
    NotPermitted,
    /// The record names another account as its author.
    AuthorMismatch,
    /// The same record id was already stored with different content.
    IdConflict,
    /// A correction names a record this file does not hold (yet).
    TargetMissing,
    /// A correction names a record written by someone else: only its author may correct it.
    TargetNotYours,
    /// An amendment must be of the same kind as the record it amends.
    TargetKindMismatch,
    /// The account's role may not record this kind on this file (`permissions::may_write`):
    /// reviews and supervision are for supervisors of the file's place, case steps for them and
    /// the cadres assigned to the file.
    RoleNotAllowed,
    /// A review names no visit or assistance of this file written by someone else
    /// (`review::review_target_problem`).
    NotReviewable,
    /// A part of a joint visit names no visit of this file (`legal::visit_part_target_problem`).
    NoSuchVisit,
    /// A referral names an account that is not on the legal team.
    NotLegalTeam,
    /// A signature or photo names no record of this file it can be attached to
    /// (`attachment::attachment_target_problem`).
    NotAttachable,
    /// A sign-off (审核销号) names as its evidence a record this file does not hold
    /// (`targets::evidence_problem`).
    NoSuchEvidence,
    /// A 包案 leader is named by an account that is not a supervisor whose place covers the
    /// file (`judge::refusal`).
    NotALeader,
}

/// The derived reader of an internally tagged enum buffers the object in serde's `Content`
/// first; a plain struct reads the same text with less code in the phone's wasm (issue 17).
/// `core/tests/wire_golden.rs` holds every code to the text the derive read.
impl<'de> Deserialize<'de> for Rejection {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Flat {
            code: String,
            #[serde(default)]
            errors: Option<Vec<FieldError>>,
        }
        use serde::de::Error;
        let flat = Flat::deserialize(deserializer)?;
        Ok(match flat.code.as_str() {
            "invalid" => Rejection::Invalid {
                errors: flat
                    .errors
                    .ok_or_else(|| D::Error::missing_field("errors"))?,
            },
            "not_permitted" => Rejection::NotPermitted,
            "author_mismatch" => Rejection::AuthorMismatch,
            "id_conflict" => Rejection::IdConflict,
            "target_missing" => Rejection::TargetMissing,
            "target_not_yours" => Rejection::TargetNotYours,
            "target_kind_mismatch" => Rejection::TargetKindMismatch,
            "role_not_allowed" => Rejection::RoleNotAllowed,
            "not_reviewable" => Rejection::NotReviewable,
            "no_such_visit" => Rejection::NoSuchVisit,
            "not_legal_team" => Rejection::NotLegalTeam,
            "not_attachable" => Rejection::NotAttachable,
            "no_such_evidence" => Rejection::NoSuchEvidence,
            "not_a_leader" => Rejection::NotALeader,
            other => return Err(D::Error::unknown_variant(other, &[])),
        })
    }
}

impl Rejection {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            Rejection::Invalid { errors } => {
                let details: Vec<String> = errors.iter().map(|e| e.message(lang)).collect();
                let sep = lang.pick("；", "; ");
                format!(
                    "{}{}",
                    lang.pick("内容有误：", "Invalid: "),
                    details.join(sep)
                )
            }
            Rejection::NotPermitted => lang
                .pick(
                    "您无权在该档案中记录（档案未分配给您）",
                    "You may not write to this file (it is not assigned to you)",
                )
                .to_owned(),
            Rejection::AuthorMismatch => lang
                .pick(
                    "记录人与登录账号不符",
                    "The recorder does not match the signed-in account",
                )
                .to_owned(),
            Rejection::IdConflict => lang
                .pick(
                    "同一编号的记录已以不同内容上传",
                    "A record with this id was already uploaded with other content",
                )
                .to_owned(),
            Rejection::TargetMissing => lang
                .pick(
                    "要更正的记录不在该档案中",
                    "The record to correct is not in this file",
                )
                .to_owned(),
            Rejection::TargetNotYours => lang
                .pick(
                    "只能更正或作废本人填写的记录",
                    "You can only correct or void records you wrote",
                )
                .to_owned(),
            Rejection::TargetKindMismatch => lang
                .pick(
                    "更正记录必须与原记录类型相同",
                    "An amendment must be of the same kind as the original",
                )
                .to_owned(),
            Rejection::RoleNotAllowed => lang
                .pick(
                    "您的账号无权记录此项：审核与督办由档案所属辖区的督办人员记录，案件流程由其或承办干部记录，转介由承办干部记录，法律意见与人民调解由法律服务团队记录",
                    "Your account may not record this: reviews and supervision are recorded by \
                     supervisors of the file's place, case steps by them or the cadres assigned \
                     to the file, referrals by the cadres assigned to it, legal opinions and \
                     mediation by the legal team",
                )
                .to_owned(),
            Rejection::NotReviewable => lang
                .pick(
                    "只能审核本档案中他人填写的走访记录或帮扶措施",
                    "Only visits and assistance of this file written by someone else can be \
                     reviewed",
                )
                .to_owned(),
            Rejection::NoSuchVisit => lang
                .pick(
                    "联合走访记录只能补充在本档案的走访记录上",
                    "A part of a joint visit can only be added to a visit of this file",
                )
                .to_owned(),
            Rejection::NotLegalTeam => lang
                .pick(
                    "只能转介给（或邀请参加走访）法律服务团队成员",
                    "Only members of the legal team can be referred a file or join a visit",
                )
                .to_owned(),
            Rejection::NotAttachable => lang
                .pick(
                    "签名和照片只能附在本档案的走访、帮扶或调解等记录上",
                    "Signatures and photos can only be attached to a visit, assistance or \
                     mediation of this file",
                )
                .to_owned(),
            Rejection::NoSuchEvidence => lang
                .pick(
                    "审核销号所依据的记录必须是本档案中已上传的记录（办结报告、走访、照片、签名等）",
                    "A sign-off can only rest on records already uploaded to this file (the \
                     unit's report, visits, photos, signatures)",
                )
                .to_owned(),
            Rejection::NotALeader => lang
                .pick(
                    "包案领导只能选本档案所属村、乡镇（街道）或县（市）的领导账号（督办账号）；\
                     未开通账号的领导请直接填写姓名和职务",
                    "A case-owning leader picked from the accounts must be a supervisor of this \
                     file's village, township or county; for a leader without an account, type \
                     the name and post",
                )
                .to_owned(),
        }
    }
}

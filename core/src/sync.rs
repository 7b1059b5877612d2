//! The sync protocol between a phone and the case server.
//!
//! A phone numbers every record it saves with an increasing `seq` and keeps it in an outbox until
//! the server acknowledges it. The server stores each operation once, keyed by device and seq (and
//! by the record's own id), and answers a repeated operation with the outcome it gave the first
//! time — so a retry after a lost response, or a duplicated request, never stores anything twice.

use crate::file::PetitionerFile;
use crate::ids::{DeviceId, FileId, RecordId, UserId};
use crate::lang::Lang;
use crate::record::Record;
use crate::validation::FieldError;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Operations per upload request: small enough for a weak 2G link to finish one request.
pub const MAX_BATCH_OPS: usize = 50;
/// Largest request body the server accepts (a full batch of long visit logs fits easily).
pub const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;

/// One record waiting in a phone's outbox.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Op {
    pub seq: u64,
    pub record: Record,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PushRequest {
    pub device_id: DeviceId,
    pub ops: Vec<Op>,
    /// The phone's clock when it sent the batch. Never used to order anything: the server only
    /// compares it with its own clock so a supervisor can see that a device's clock was off.
    pub device_time: DateTime<Utc>,
}

/// `GET /api/sync/acks?device_id=…&after=N`: the outcomes the server already stored for this
/// device's operations numbered above `after`, oldest first, at most `MAX_BATCH_OPS`. A phone
/// whose last upload got no answer asks this first, so it never resends what already arrived.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AcksQuery {
    pub device_id: DeviceId,
    pub after: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PushResponse {
    /// One acknowledgement per operation of the request, in the same order.
    pub acks: Vec<Ack>,
    /// This device was revoked (a lost phone): what it sent is in quarantine, and it must now
    /// erase its local copy of everyone's data.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub erase: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ack {
    pub seq: u64,
    pub record_id: RecordId,
    #[serde(flatten)]
    pub outcome: Outcome,
}

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

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
        }
    }
}

/// Where a record on the phone stands with the server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum SyncState {
    /// Saved on the phone, waiting in the outbox.
    Pending,
    /// Acknowledged by the server.
    Uploaded,
    Rejected {
        reason: Rejection,
    },
}

impl From<&Outcome> for SyncState {
    fn from(outcome: &Outcome) -> Self {
        match outcome {
            // The server holds it either way; a revoked phone erases its copy right after.
            Outcome::Stored | Outcome::Quarantined => SyncState::Uploaded,
            Outcome::Rejected { reason } => SyncState::Rejected {
                reason: reason.clone(),
            },
        }
    }
}

/// Records and file changes per download page: a phone on 2G finishes one page in seconds.
pub const MAX_PULL_ITEMS: usize = 500;

/// Where a phone stands in the server's change feed. Opaque to the phone: it stores the string
/// it was given and sends it back (`GET /api/sync/pull?cursor=…`). The server puts the feed
/// position and a fingerprint of the files the account may read into it, so a cursor from
/// another scope (a new assignment, a different account) or from the future (a database restored
/// from a backup) is recognised as stale and answered with a reset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Cursor(pub String);

/// One page of the change feed for the signed-in account's files.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PullResponse {
    /// When true the phone first forgets every file and uploaded record it downloaded before
    /// (never its own pending or rejected records), then applies this page: the feed restarts
    /// from the beginning of the account's scope.
    pub reset: bool,
    /// Files created or changed since the cursor, in their current state.
    pub files: Vec<PetitionerFile>,
    /// Records stored since the cursor.
    pub records: Vec<Record>,
    /// Store with this page's contents, in the same storage transaction.
    pub cursor: Cursor,
    /// More pages wait: pull again at once with the new cursor.
    pub more: bool,
    pub server_time: DateTime<Utc>,
}

labeled_enum!(
    Role {
        Cadre = "cadre" => ("干部", "Cadre"),
        Legal = "legal" => ("法律服务团队", "Legal team"),
        Supervisor = "supervisor" => ("督办人员", "Supervisor"),
        Admin = "admin" => ("管理员", "Administrator"),
    }
);

labeled_enum!(
    /// Who a legal team member is in the "three officials, two advisors" scheme.
    LegalTitle {
        Judge = "judge" => ("法官", "Judge"),
        Prosecutor = "prosecutor" => ("检察官", "Prosecutor"),
        Police = "police" => ("警官", "Police officer"),
        Lawyer = "lawyer" => ("律师/法律顾问", "Lawyer or legal advisor"),
        Mediator = "mediator" => ("人民调解员", "People's mediator"),
        Counsellor = "counsellor" => ("心理咨询师", "Counsellor"),
    }
);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Account {
    pub id: UserId,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// The place the account belongs to, e.g. "南滨街道".
    pub place: String,
    /// For legal team members: judge, prosecutor, police officer, lawyer, mediator, counsellor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_title: Option<LegalTitle>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
    /// The phone signing in, so an administrator can later revoke it if it is lost.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_id: Option<DeviceId>,
    /// The public half of the phone's signing key (ECDSA P-256, the uncompressed SEC1 point in
    /// base64url): every request of the session must be signed by its private half
    /// (`PROOF_HEADER`), which never leaves the phone. Required; optional here only so an old
    /// app's sign-in gets a readable refusal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_key: Option<String>,
}

/// How long a session lasts on the server after a password sign-in, in days.
pub const SESSION_DAYS: i64 = 30;

/// The header by which a request proves it comes from the phone its session was issued to:
/// `<unix seconds>.<base64url signature>`, the signature (ECDSA P-256 with SHA-256, IEEE P1363
/// `r‖s`, as Web Crypto makes it) over `proof_message`.
pub const PROOF_HEADER: &str = "x-xiafang-proof";

/// How far a proof's time may lie from the server's, either way: phones' clocks in villages are
/// often minutes off, and a phone told `proof_stale` corrects its offset from the server's
/// `Date` and retries once.
pub const PROOF_WINDOW_SECS: i64 = 600;

/// What a request's proof signs: a fixed context (so the key signs nothing else usefully), the
/// method, the path with its query exactly as sent, and the time.
pub fn proof_message(method: &str, path_and_query: &str, at_unix_secs: i64) -> String {
    format!("xiafang-proof-v1\n{method}\n{path_and_query}\n{at_unix_secs}")
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LoginResponse {
    pub token: String,
    pub account: Account,
    /// With a device id in the request: the server's secret for this phone and account (32
    /// bytes, base64), which opens the phone's data after wrong PINs locked it. Sent only in
    /// answer to a password, never to a session token, so a copied session cannot fetch it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_secret: Option<String>,
    /// The cipher this deployment seals phones' data with (sent with `device_secret`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_cipher: Option<crate::cipher::CipherKind>,
}

labeled_enum!(
    /// Why an API call failed, as the server says it; the phone shows the label.
    ApiErrorCode {
        BadCredentials = "bad_credentials" => ("用户名或密码不正确", "Wrong user name or password"),
        Unauthorized = "unauthorized" => ("登录已失效，请重新登录", "Your session has ended; please sign in again"),
        ProofStale = "proof_stale" => ("手机时间与服务器相差太大，请检查手机时间后重试", "The phone's clock is too far from the server's; check it and try again"),
        Forbidden = "forbidden" => ("您无权查看该档案", "You may not open this file"),
        NotAllowed = "not_allowed" => ("您的账号无权进行此操作", "Your account may not do this"),
        DeviceRevoked = "device_revoked" => ("此设备已被管理员停用，手机上的数据将被清除", "This device was revoked by an administrator; its data will be erased"),
        NotFound = "not_found" => ("找不到该内容", "Not found"),
        BadRequest = "bad_request" => ("请求格式有误", "The request was malformed"),
        BadSearch = "bad_search" => ("请输入 1–50 个字的搜索内容", "Type 1–50 characters to search for"),
        TooLarge = "too_large" => ("一次上传的内容过多", "Too much data in one upload"),
        TooManyAttempts = "too_many_attempts" => ("登录失败次数过多，请稍后再试", "Too many failed sign-ins; please try again later"),
        Busy = "busy" => ("服务器繁忙，请稍后再试", "The server is busy; please try again later"),
        Internal = "internal" => ("服务器出错，请稍后再试", "Server error; please try again later"),
    }
);

/// The body of every error response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApiError {
    pub code: ApiErrorCode,
    pub message: String,
}

labeled_enum!(
    /// What an account did with a file, as the audit log records it.
    AuditAction {
        Read = "read" => ("查看", "Read"),
        Download = "download" => ("下载到手机", "Downloaded to a phone"),
        Create = "create" => ("新增记录", "Created a record"),
        Amend = "amend" => ("更正记录", "Amended a record"),
        Void = "void" => ("作废记录", "Voided a record"),
        Edit = "edit" => ("修改档案信息", "Edited the file"),
        Export = "export" => ("导出", "Exported"),
        Search = "search" => ("出现在搜索结果中", "Shown in search results"),
        Review = "review" => ("审核", "Reviewed"),
        AuditExport = "audit_export" => ("导出审计记录", "Exported the audit log"),
    }
);

/// One line of a file's audit log (`GET /api/files/{id}/audit`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub at: DateTime<Utc>,
    pub account: UserId,
    pub display_name: String,
    pub device: Option<DeviceId>,
    pub action: AuditAction,
    pub record: Option<RecordId>,
}

/// `POST /api/admin/accounts`: a new account, made by an administrator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewAccount {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// Id of the place (county, township or village) the account belongs to.
    pub place_id: String,
    /// The first password; the holder should change it.
    pub password: String,
    /// Required for legal team members, absent for everyone else.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_title: Option<LegalTitle>,
}

/// `POST /api/admin/accounts/{id}/password`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PasswordReset {
    pub password: String,
}

/// `POST`/`DELETE /api/admin/assignments`: a file assigned to an account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assignment {
    pub file_id: FileId,
    pub account_id: UserId,
}

/// `POST`/`DELETE /api/admin/legal-villages`: a village a legal team member serves.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LegalVillage {
    pub account_id: UserId,
    pub village_id: String,
}

/// An account as an administrator sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountSummary {
    pub account: Account,
    pub place_id: String,
    pub disabled: bool,
}

labeled_enum!(
    PlaceKind {
        County = "county" => ("县（市）", "County"),
        Township = "township" => ("乡镇（街道）", "Township"),
        Village = "village" => ("村（社区）", "Village"),
    }
);

/// A place of the administrator's jurisdiction (`GET /api/admin/places`), for choosing one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlaceSummary {
    pub id: String,
    pub name: String,
    pub kind: PlaceKind,
    /// The place above it; `None` for a county.
    pub parent_id: Option<String>,
}

/// A file of the administrator's jurisdiction (`GET /api/admin/files`), for assigning it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileSummary {
    pub id: FileId,
    /// The petitioner's name.
    pub name: String,
    pub village_id: String,
    /// The accounts the file is assigned to.
    pub assigned: Vec<UserId>,
}

/// Shortest password an administrator may set.
pub const MIN_PASSWORD_CHARS: usize = 10;

impl NewAccount {
    /// What is wrong with the new account's fields, in the user's language.
    pub fn problems(&self, lang: Lang) -> Vec<String> {
        let mut out = Vec::new();
        let name_ok = (3..=32).contains(&self.username.len())
            && self
                .username
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c));
        if !name_ok {
            out.push(
                lang.pick(
                    "用户名须为 3–32 位小写字母、数字或 . _ -",
                    "User name: 3–32 lower-case letters, digits or . _ -",
                )
                .to_owned(),
            );
        }
        let display = self.display_name.trim().chars().count();
        if display == 0
            || display > crate::validation::MAX_NAME
            || crate::validation::has_markup(&self.display_name)
            || crate::validation::has_control_characters(&self.display_name)
        {
            out.push(
                lang.pick("请填写姓名（50 字以内）", "Name: 1–50 characters")
                    .to_owned(),
            );
        }
        if let Some(p) = password_problem(&self.password, lang) {
            out.push(p);
        }
        match (self.role, self.legal_title) {
            (Role::Legal, None) => out.push(
                lang.pick(
                    "法律服务团队成员须选择身份（法官、检察官、警官、律师、调解员或心理咨询师）",
                    "A legal team member needs a title (judge, prosecutor, police, lawyer, mediator or counsellor)",
                )
                .to_owned(),
            ),
            (Role::Legal, Some(_)) | (_, None) => {}
            (_, Some(_)) => out.push(
                lang.pick(
                    "只有法律服务团队成员才有法律身份",
                    "Only legal team members have a legal title",
                )
                .to_owned(),
            ),
        }
        out
    }
}

/// Why a password may not be set, if it may not.
pub fn password_problem(password: &str, lang: Lang) -> Option<String> {
    (password.chars().count() < MIN_PASSWORD_CHARS).then(|| {
        format!(
            "{}{MIN_PASSWORD_CHARS}{}",
            lang.pick("密码至少 ", "The password needs at least "),
            lang.pick(" 位", " characters")
        )
    })
}

/// A record a revoked phone handed over, waiting for a supervisor (`GET /api/quarantine`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuarantinedRecord {
    pub device_id: DeviceId,
    pub seq: u64,
    pub record: Record,
    /// The account whose session handed it over: the last to sign in on the phone.
    pub handed_over_by: UserId,
    /// That account's name as the server knows it, never as the phone sent it.
    pub handed_over_by_name: String,
    /// When the server received it.
    pub received_at: DateTime<Utc>,
}

/// One phone as a supervisor sees it (`GET /api/devices`): whose it is, when it last uploaded,
/// and whether its clock was off. For spotting a wrong clock, never for ranking anyone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeviceReport {
    pub device_id: DeviceId,
    pub account: UserId,
    pub display_name: String,
    pub last_seen: DateTime<Utc>,
    /// Device clock minus server clock when it last sent, in milliseconds.
    pub clock_skew_ms: i64,
    /// The skew is large enough to mention (`hlc::clock_was_off`).
    pub clock_off: bool,
}

/// Wait before the next upload attempt: exponential from 2 s, capped at 5 minutes, with "equal
/// jitter" so a village's phones coming back online together do not retry in lockstep.
/// `random_unit` is a random number in [0, 1).
pub fn retry_delay_ms(attempt: u32, random_unit: f64) -> u64 {
    const BASE_MS: u64 = 2_000;
    const CAP_MS: u64 = 300_000;
    let ceiling = BASE_MS.saturating_mul(1u64 << attempt.min(20)).min(CAP_MS);
    let half = ceiling / 2;
    let jitter = (half as f64 * random_unit.clamp(0.0, 1.0)) as u64;
    half + jitter
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_delay_grows_then_caps_and_stays_jittered() {
        assert_eq!(retry_delay_ms(0, 0.0), 1_000);
        assert_eq!(retry_delay_ms(0, 0.999_999), 1_999);
        assert_eq!(retry_delay_ms(3, 0.0), 8_000);
        assert_eq!(retry_delay_ms(30, 0.0), 150_000);
        assert_eq!(retry_delay_ms(30, 1.0), 300_000);
        let mut last = 0;
        for attempt in 0..12 {
            let d = retry_delay_ms(attempt, 0.5);
            assert!(d >= last, "delay shrank at attempt {attempt}");
            last = d;
        }
    }
}

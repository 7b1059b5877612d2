//! The administrator's and supervisor's requests and lists: accounts, places, assignments,
//! the legal team's villages, quarantined hand-overs and phones.

use crate::base::ids::{DeviceId, FileId, UserId};
use crate::base::lang::Lang;
use crate::checks::validation;
use crate::records::account::{Account, LegalTitle, Role};
use crate::records::record::Record;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

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
            || display > validation::MAX_NAME
            || validation::has_markup(&self.display_name)
            || validation::has_control_characters(&self.display_name)
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
    #[serde(deserialize_with = "crate::base::dates::wire::date_time")]
    pub received_at: DateTime<Utc>,
}

/// One phone as a supervisor sees it (`GET /api/devices`): whose it is, when it last uploaded,
/// and whether its clock was off. For spotting a wrong clock, never for ranking anyone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeviceReport {
    pub device_id: DeviceId,
    pub account: UserId,
    pub display_name: String,
    #[serde(deserialize_with = "crate::base::dates::wire::date_time")]
    pub last_seen: DateTime<Utc>,
    /// Device clock minus server clock when it last sent, in milliseconds.
    pub clock_skew_ms: i64,
    /// The skew is large enough to mention (`hlc::clock_was_off`).
    pub clock_off: bool,
}

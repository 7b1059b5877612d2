//! One line of the audit log: who read or changed what, when, from which phone.

use crate::base::ids::{DeviceId, RecordId, UserId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

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
    #[serde(deserialize_with = "crate::base::dates::wire::date_time")]
    pub at: DateTime<Utc>,
    pub account: UserId,
    pub display_name: String,
    pub device: Option<DeviceId>,
    pub action: AuditAction,
    pub record: Option<RecordId>,
}

//! `GET /api/audit/export?from=YYYY-MM-DD&to=YYYY-MM-DD`: the audit log of the files a supervisor
//! or administrator reads, as CSV for the office's Excel. The export is itself logged.

use super::{ApiQuery, AppState, HttpError, SignedIn};
use crate::db::{Actor, ExportLine};
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Days, FixedOffset, NaiveDate, Utc};
use serde::Deserialize;
use xiafang_core::Lang;
use xiafang_core::export::{BOM, cell};
use xiafang_core::{account::Role, audit::AuditAction};

/// The longest range one export covers, so one request cannot read the whole log at once.
const MAX_DAYS: u64 = 366;

#[derive(Debug, Deserialize)]
pub struct Range {
    from: Option<String>,
    to: Option<String>,
}

/// Dates are the office's, China Standard Time (UTC+8), and `to` is included.
fn china() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("a valid offset")
}

pub async fn export(
    State(state): State<AppState>,
    SignedIn(account): SignedIn,
    ApiQuery(range): ApiQuery<Range>,
) -> Result<Response, HttpError> {
    if !matches!(account.role, Role::Supervisor | Role::Admin) {
        return Err(HttpError::NotAllowed);
    }
    let day = |text: Option<String>, which: &str| {
        text.and_then(|t| NaiveDate::parse_from_str(&t, "%Y-%m-%d").ok())
            .ok_or_else(|| HttpError::BadRequest(format!("{which} 应为 YYYY-MM-DD 格式的日期")))
    };
    let from = day(range.from, "from")?;
    let to = day(range.to, "to")?;
    if to < from || (to - from).num_days() as u64 >= MAX_DAYS {
        return Err(HttpError::BadRequest(format!(
            "结束日期不能早于开始日期，且一次最多导出 {MAX_DAYS} 天"
        )));
    }
    let start = midnight(from);
    let end = midnight(to + Days::new(1));
    let lines = state.db.audit_export(&account, &start, &end).await?;
    let mut files: Vec<&str> = lines.iter().map(|l| l.file.0.as_str()).collect();
    files.sort_unstable();
    files.dedup();
    let actor = Actor::account(&account.id);
    state
        .db
        .log_reads(&actor, AuditAction::AuditExport, &files)
        .await?;
    let headers = [
        (
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/csv; charset=utf-8"),
        ),
        (
            header::CONTENT_DISPOSITION,
            super::export::attachment(&format!("审计记录-{from}-{to}.csv")),
        ),
    ];
    Ok((headers, csv(&lines)).into_response())
}

/// Midnight of `day` in China, as the log stores times (RFC 3339 in UTC, compared as text).
fn midnight(day: NaiveDate) -> String {
    let local = day.and_hms_opt(0, 0, 0).expect("midnight exists");
    let at: DateTime<Utc> = local
        .and_local_timezone(china())
        .single()
        .expect("a fixed offset has no gaps")
        .with_timezone(&Utc);
    at.to_rfc3339()
}

/// The BOM (so Excel reads UTF-8), Chinese headers, one row per line; every cell guarded
/// against formulas by `core::export::cell`.
fn csv(lines: &[ExportLine]) -> String {
    let mut out = String::from(BOM);
    let header = [
        "时间",
        "账号",
        "姓名",
        "设备",
        "操作",
        "档案编号",
        "记录编号",
    ];
    out.push_str(&header.join(","));
    out.push_str("\r\n");
    for l in lines {
        let row = [
            l.at.with_timezone(&china())
                .format("%Y-%m-%d %H:%M:%S")
                .to_string(),
            l.account.0.clone(),
            l.display_name.clone(),
            l.device.clone().unwrap_or_default(),
            l.action.label(Lang::Zh).to_owned(),
            l.file.0.clone(),
            l.record.clone().unwrap_or_default(),
        ];
        let cells: Vec<String> = row.iter().map(|c| cell(c)).collect();
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    out
}

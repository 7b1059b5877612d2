//! `GET /api/ledgers/{visits|assistance|cases|receptions|tasks}?from=&to=&place=&format=xlsx|csv`: the office's
//! ledgers for a period and a place, as an Excel workbook (default) or CSV for Excel.
//!
//! Only supervisors and administrators export, only for their own place or places below it, and
//! only files they may read (an accusation stays hidden from those it names). Every file that
//! contributed a row gets an `export` line in the audit log.

use super::{ApiPath, ApiQuery, AppState, HttpError, SignedIn};
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use xiafang_core::ledgers::{Ledger, LedgerKind, assistance_ledger, case_ledger, visit_ledger};
use xiafang_core::receptions::reception_ledger;
use xiafang_core::task_ledger::task_ledger;
use xiafang_core::{account::Role, audit::AuditAction};

/// Ten years: more is a typo, and a county's whole history in one request.
const MAX_DAYS: i64 = 3_660;

#[derive(Debug, serde::Deserialize)]
pub struct LedgerQuery {
    from: NaiveDate,
    to: NaiveDate,
    /// A place id; the account's own place when absent.
    place: Option<String>,
    /// `xlsx` (default) or `csv`.
    format: Option<String>,
}

pub async fn ledger(
    State(state): State<AppState>,
    SignedIn(account): SignedIn,
    ApiPath(kind): ApiPath<String>,
    ApiQuery(q): ApiQuery<LedgerQuery>,
) -> Result<Response, HttpError> {
    if !matches!(account.role, Role::Supervisor | Role::Admin) {
        return Err(HttpError::NotAllowed);
    }
    let kind = LedgerKind::from_key(&kind).ok_or(HttpError::NotFound)?;
    let csv = match q.format.as_deref() {
        None | Some("xlsx") => false,
        Some("csv") => true,
        Some(other) => {
            return Err(HttpError::BadRequest(format!(
                "格式只能是 xlsx 或 csv：{other}"
            )));
        }
    };
    if q.from > q.to || (q.to - q.from).num_days() > MAX_DAYS {
        return Err(HttpError::BadRequest(
            "起止日期有误：开始日期须不晚于结束日期，且跨度不超过十年".into(),
        ));
    }
    let place = match q.place {
        Some(p) => p,
        None => state.db.place_of(&account).await?,
    };
    if !state.db.place_in_jurisdiction(&account, &place).await? {
        return Err(HttpError::NotAllowed);
    }
    let (files, links) = state.db.files_in_place(&account, &place).await?;
    let ledger = match kind {
        LedgerKind::Visits => visit_ledger(&files, q.from, q.to),
        LedgerKind::Assistance => assistance_ledger(&files, q.from, q.to),
        LedgerKind::Cases => case_ledger(&files, q.to, &state.rules.case),
        LedgerKind::Receptions => reception_ledger(&files, q.from, q.to),
        // As the rounds stand today when the period runs on past it: a deadline still ahead
        // is not overdue yet.
        LedgerKind::Tasks => task_ledger(
            &files,
            q.from,
            q.to.min(xiafang_core::case::china_date(chrono::Utc::now()))
                .max(q.from),
            &state.rules.tasking,
            &state.rules.case.limits.calendar,
        ),
    };
    // Each row's chain hash and the latest signed statement, so a printed ledger can be
    // checked later (`xiafang-server verify-ledger`).
    let latest = state.db.roots().await?.pop();
    let ledger = ledger.with_chain(|source| links.of(source), latest.as_ref());
    let shown: Vec<&str> = files
        .iter()
        .filter(|(_, records)| {
            kind == LedgerKind::Cases
                || records
                    .iter()
                    .any(|r| (q.from..=q.to).contains(&r.occurred_at.date()))
        })
        .map(|(f, _)| f.id.0.as_str())
        .collect();
    let actor = crate::db::Actor {
        account: &account.id,
        device: None,
    };
    state
        .db
        .log_reads(&actor, AuditAction::Export, &shown)
        .await?;
    respond(&ledger, &place, q.from, q.to, csv)
}

fn respond(
    ledger: &Ledger,
    place: &str,
    from: NaiveDate,
    to: NaiveDate,
    csv: bool,
) -> Result<Response, HttpError> {
    let stem = format!("{}-{place}-{from}-{to}", ledger.title());
    let (body, mime, ext) = if csv {
        (ledger.csv().into_bytes(), "text/csv; charset=utf-8", "csv")
    } else {
        let book = crate::xlsx::workbook(ledger)?;
        (
            book,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        )
    };
    let headers = [
        (header::CONTENT_TYPE, HeaderValue::from_static(mime)),
        (
            header::CONTENT_DISPOSITION,
            super::export::attachment(&format!("{stem}.{ext}")),
        ),
    ];
    Ok((headers, body).into_response())
}

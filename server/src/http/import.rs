//! 管理 → 导入台账 (issue 18 item 1): `POST /api/admin/import[?dry_run=1]` takes one workbook
//! (xlsx) or one CSV sheet as the body and answers the dry run's problems by sheet, row and
//! column, or what it stored. Administrators only (403 for everyone else), inside their own
//! area; the body is bounded (`MAX_UPLOAD_BYTES`, 413 beyond), and so is what it unpacks to
//! (`import::LIMITS`). One import at a time per process: another meanwhile is answered 503
//! `busy`, not queued.

use super::admin::Admin;
use super::{AppState, HttpError};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Query, State};
use serde::Deserialize;
use xiafang_core::ledger_import::{ImportReport, Workbook};

#[derive(Debug, Deserialize)]
pub struct ImportQuery {
    /// `1` for the dry run: nothing is stored.
    #[serde(default)]
    dry_run: Option<u8>,
}

pub async fn import(
    State(state): State<AppState>,
    Admin(admin): Admin,
    Query(query): Query<ImportQuery>,
    body: Bytes,
) -> Result<Json<ImportReport>, HttpError> {
    let _running = state.importing.try_lock().map_err(|_| HttpError::Busy)?;
    // Unpacking and reading a workbook is seconds of CPU for a big county: off the threads that
    // answer everyone else's requests.
    let book = tokio::task::spawn_blocking(move || {
        let mut book = Workbook::default();
        crate::import::read_into(&mut book, &body).map(|()| book)
    })
    .await?
    .map_err(|e| HttpError::BadRequest(e.to_string()))?;
    let place = state
        .db
        .place_of_account(&admin.id)
        .await?
        .ok_or(HttpError::NotAllowed)?;
    let dry_run = query.dry_run == Some(1);
    let report = state
        .db
        .import(&book, Some(&place), &admin.id, dry_run)
        .await?;
    Ok(Json(report))
}

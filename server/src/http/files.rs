//! Reading one petitioner file: its timeline and the values that lost to concurrent edits.

use super::{AppState, HttpError, ReadableFile, SupervisedFile};
use axum::Json;
use axum::extract::State;
use xiafang_core::Record;
use xiafang_core::audit::{AuditAction, AuditEntry};
use xiafang_core::file_edit::FileConflict;

pub async fn records(
    State(state): State<AppState>,
    ReadableFile { account, file }: ReadableFile,
) -> Result<Json<Vec<Record>>, HttpError> {
    let records = state.db.records_for_file(&file).await?;
    let actor = crate::db::Actor {
        account: &account.id,
        device: None,
    };
    state
        .db
        .log_reads(&actor, AuditAction::Read, &[file.0.as_str()])
        .await?;
    Ok(Json(records))
}

/// Who did what with the file: for supervisors of its place, never editable.
pub async fn audit(
    State(state): State<AppState>,
    SupervisedFile(ReadableFile { file, .. }): SupervisedFile,
) -> Result<Json<Vec<AuditEntry>>, HttpError> {
    Ok(Json(state.db.audit_of(&file).await?))
}

/// Values that lost to concurrent edits of the file's fields.
pub async fn conflicts(
    State(state): State<AppState>,
    ReadableFile { account, file }: ReadableFile,
) -> Result<Json<Vec<FileConflict>>, HttpError> {
    let conflicts = state.db.conflicts(&file).await?;
    let actor = crate::db::Actor::account(&account.id);
    state
        .db
        .log_reads(&actor, AuditAction::Read, &[file.0.as_str()])
        .await?;
    Ok(Json(conflicts))
}

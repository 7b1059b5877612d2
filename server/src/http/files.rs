//! Reading one petitioner file: its timeline and the values that lost to concurrent edits.

use super::{ApiPath, AppState, HttpError, SignedIn};
use crate::db::Access;
use axum::Json;
use axum::extract::State;
use xiafang_core::file_edit::FileConflict;
use xiafang_core::{FileId, Record};
use xiafang_core::{
    account::{Account, Role},
    audit::{AuditAction, AuditEntry},
};

/// The file, when the account may read it; otherwise "not found", exactly as for a file that
/// never existed: with guessable ids, any other answer would tell who has which files.
pub(super) async fn readable(
    state: &AppState,
    account: &Account,
    id: String,
) -> Result<FileId, HttpError> {
    let file = FileId(id);
    match state.db.access(account, &file).await? {
        Access::NoSuchFile | Access::None => Err(HttpError::NotFound),
        Access::Read | Access::ReadWrite => Ok(file),
    }
}

pub async fn records(
    State(state): State<AppState>,
    SignedIn(account): SignedIn,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<Vec<Record>>, HttpError> {
    let file = readable(&state, &account, id).await?;
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
    SignedIn(account): SignedIn,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<Vec<AuditEntry>>, HttpError> {
    if !matches!(account.role, Role::Supervisor | Role::Admin) {
        return Err(HttpError::NotAllowed);
    }
    let file = readable(&state, &account, id).await?;
    Ok(Json(state.db.audit_of(&file).await?))
}

/// Values that lost to concurrent edits of the file's fields.
pub async fn conflicts(
    State(state): State<AppState>,
    SignedIn(account): SignedIn,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<Vec<FileConflict>>, HttpError> {
    let file = readable(&state, &account, id).await?;
    let conflicts = state.db.conflicts(&file).await?;
    let actor = crate::db::Actor::account(&account.id);
    state
        .db
        .log_reads(&actor, AuditAction::Read, &[file.0.as_str()])
        .await?;
    Ok(Json(conflicts))
}

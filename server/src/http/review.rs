//! Supervisors review what revoked phones handed over: accept a record into its file (applied as
//! an upload by the account that handed it over) or keep it out. Nothing enters a file
//! unreviewed, and a reviewer sees only what they may read (`files::readable`).

use super::{ApiPath, AppState, HttpError, SignedIn};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use xiafang_core::{DeviceId, RecordId};
use xiafang_core::{
    account::{Account, Role},
    admin::QuarantinedRecord,
    upload::Op,
    verdict::Outcome,
};

fn supervisor(account: &Account) -> Result<(), HttpError> {
    match account.role {
        Role::Supervisor | Role::Admin => Ok(()),
        _ => Err(HttpError::NotAllowed),
    }
}

pub async fn quarantined(
    State(state): State<AppState>,
    SignedIn(account): SignedIn,
) -> Result<Json<Vec<QuarantinedRecord>>, HttpError> {
    supervisor(&account)?;
    let waiting = state.db.quarantined_for(&account).await?;
    // Each listed record is read in full: a line for it in its file's log.
    let lines: Vec<_> = waiting
        .iter()
        .map(|q| (q.record.file_id.0.as_str(), Some(q.record.id)))
        .collect();
    let actor = crate::db::Actor::account(&account.id);
    state
        .db
        .log_record_reads(&actor, xiafang_core::audit::AuditAction::Read, &lines)
        .await?;
    Ok(Json(waiting))
}

/// The waiting record, when this supervisor may review it; "not found" alike for one that does
/// not exist, was already reviewed, or lies in a file the supervisor may not read.
async fn waiting(
    state: &AppState,
    account: &Account,
    device: &str,
    record: &str,
) -> Result<QuarantinedRecord, HttpError> {
    supervisor(account)?;
    let device: DeviceId = device.parse().map_err(|_| HttpError::NotFound)?;
    let record: RecordId = record.parse().map_err(|_| HttpError::NotFound)?;
    state
        .db
        .quarantined(account, device, record)
        .await?
        .ok_or(HttpError::NotFound)
}

/// Lets the record into its file, through the same checks and exactly-once rules as an upload
/// by the account that handed it over. Answers the outcome (a record that is no longer valid
/// stays out).
pub async fn accept(
    State(state): State<AppState>,
    SignedIn(account): SignedIn,
    ApiPath((device, record)): ApiPath<(String, String)>,
) -> Result<Json<Outcome>, HttpError> {
    let q = waiting(&state, &account, &device, &record).await?;
    let uploader = state
        .db
        .account_by_id(&q.handed_over_by)
        .await?
        .ok_or(HttpError::NotFound)?;
    let op = Op {
        seq: q.seq,
        record: q.record.clone(),
    };
    let outcome = state.db.apply_op(&uploader, q.device_id, &op, 0).await?;
    state
        .db
        .decide_quarantined(q.device_id, &q.record, &account, true)
        .await?;
    Ok(Json(outcome))
}

pub async fn reject(
    State(state): State<AppState>,
    SignedIn(account): SignedIn,
    ApiPath((device, record)): ApiPath<(String, String)>,
) -> Result<StatusCode, HttpError> {
    let q = waiting(&state, &account, &device, &record).await?;
    state
        .db
        .decide_quarantined(q.device_id, &q.record, &account, false)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

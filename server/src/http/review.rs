//! Supervisors review what revoked phones handed over: accept a record into its file (judged as
//! if its author had uploaded it) or keep it out. Nothing enters a file unreviewed.

use super::{AppState, HttpError, SignedIn};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use xiafang_core::sync::{Account, Op, Outcome, QuarantinedRecord, Role};
use xiafang_core::{DeviceId, Record};

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
        .log_record_reads(&actor, xiafang_core::sync::AuditAction::Read, &lines)
        .await?;
    Ok(Json(waiting))
}

/// The waiting record, when this supervisor may review it.
async fn waiting(
    state: &AppState,
    account: &Account,
    device: &str,
    seq: u64,
) -> Result<(DeviceId, Record), HttpError> {
    supervisor(account)?;
    let device: DeviceId = device.parse().map_err(|_| HttpError::NotFound)?;
    let record = state
        .db
        .quarantined(device, seq)
        .await?
        .ok_or(HttpError::NotFound)?;
    let in_scope = state
        .db
        .quarantined_for(account)
        .await?
        .iter()
        .any(|q| q.device_id == device && q.seq == seq);
    if !in_scope {
        return Err(HttpError::NotAllowed);
    }
    Ok((device, record))
}

/// Lets the record into its file, through the same checks and exactly-once rules as an upload
/// by its author. Answers the outcome (a record that is no longer valid stays out).
pub async fn accept(
    State(state): State<AppState>,
    SignedIn(account): SignedIn,
    Path((device, seq)): Path<(String, u64)>,
) -> Result<Json<Outcome>, HttpError> {
    let (device, record) = waiting(&state, &account, &device, seq).await?;
    let author = state
        .db
        .account_by_id(&record.author)
        .await?
        .ok_or(HttpError::NotFound)?;
    let op = Op {
        seq,
        record: record.clone(),
    };
    let outcome = state.db.apply_op(&author, device, &op, 0).await?;
    state
        .db
        .decide_quarantined(device, seq, &record, &account, true)
        .await?;
    Ok(Json(outcome))
}

pub async fn reject(
    State(state): State<AppState>,
    SignedIn(account): SignedIn,
    Path((device, seq)): Path<(String, u64)>,
) -> Result<StatusCode, HttpError> {
    let (device, record) = waiting(&state, &account, &device, seq).await?;
    state
        .db
        .decide_quarantined(device, seq, &record, &account, false)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

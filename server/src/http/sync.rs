//! Upload (push), lost-answer recovery (acks) and download (pull) for phones.

use super::{ApiJson, ApiQuery, AppState, HttpError, SignedIn, Uploader};
use axum::Json;
use axum::extract::State;
use chrono::Utc;
use serde::Deserialize;
use xiafang_core::DeviceId;
use xiafang_core::{
    account::{Account, Role},
    admin::DeviceReport,
    audit::AuditAction,
    feed::{Cursor, MAX_PULL_ITEMS, PullResponse},
    upload::{Ack, AcksQuery, MAX_BATCH_OPS, PushRequest, PushResponse},
};

/// Applies the batch in one transaction, in order, and acknowledges every operation: a rejected
/// record does not hold back the ones behind it; a database error stores none of them (the
/// phone hears an error and sends the batch again).
pub async fn push(
    State(state): State<AppState>,
    Uploader {
        account,
        revoked,
        device,
    }: Uploader,
    ApiJson(req): ApiJson<PushRequest>,
) -> Result<Json<PushResponse>, HttpError> {
    if req.ops.len() > MAX_BATCH_OPS {
        return Err(HttpError::BadRequest(format!(
            "一次最多上传 {MAX_BATCH_OPS} 条记录"
        )));
    }
    speaks_for(&state, &account, device, req.device_id).await?;
    // A lost phone hands over what it had not uploaded, for review, and is told to erase. Only
    // the account that last signed in on it may: anyone else could queue records in its name
    // or take its operation numbers.
    let handing_over = revoked || state.db.is_revoked(req.device_id).await?;
    if handing_over && state.db.device_owner(req.device_id).await? != Some(account.id.clone()) {
        return Err(HttpError::NotAllowed);
    }
    let outcomes = if handing_over {
        state
            .db
            .quarantine(&account, req.device_id, &req.ops)
            .await?
    } else {
        let skew_ms = (req.device_time - Utc::now()).num_milliseconds();
        state
            .db
            .apply_batch(&account, req.device_id, &req.ops, skew_ms)
            .await?
    };
    state.metrics.uploaded(&outcomes);
    let acks = req
        .ops
        .iter()
        .zip(outcomes)
        .map(|(op, outcome)| Ack {
            seq: op.seq,
            record_id: op.record.id,
            outcome,
        })
        .collect();
    Ok(Json(PushResponse {
        acks,
        erase: handing_over,
    }))
}

/// Whether a session may push or ask acknowledgements for phone `named`: a session signed in
/// from a phone speaks only for that phone; one signed in without a phone only for a phone no
/// other account owns (`Db::device_owner`). Otherwise another account could take the phone's
/// operation numbers, so that its real uploads' marks, and its lost answers, are not its own.
async fn speaks_for(
    state: &AppState,
    account: &Account,
    session_device: Option<DeviceId>,
    named: DeviceId,
) -> Result<(), HttpError> {
    let allowed = match session_device {
        Some(own) => own == named,
        None => state
            .db
            .device_owner(named)
            .await?
            .is_none_or(|owner| owner == account.id),
    };
    if allowed {
        Ok(())
    } else {
        Err(HttpError::NotAllowed)
    }
}

/// What the server already stored for a device after a given operation. A revoked phone may
/// ask too: it is part of handing over what it had not uploaded.
pub async fn acks(
    State(state): State<AppState>,
    Uploader {
        account, device, ..
    }: Uploader,
    ApiQuery(query): ApiQuery<AcksQuery>,
) -> Result<Json<PushResponse>, HttpError> {
    speaks_for(&state, &account, device, query.device_id).await?;
    let acks = state
        .db
        .acks_after(&account, query.device_id, query.after)
        .await?;
    Ok(Json(PushResponse { acks, erase: false }))
}

#[derive(Debug, Deserialize)]
pub struct PullQuery {
    cursor: Option<Cursor>,
    /// The downloading phone, for the audit log.
    device_id: Option<DeviceId>,
    /// The last of this phone's operations the server acknowledged (`Standing::acked`).
    acked: Option<u64>,
}

/// One page of the change feed of the files the account may read.
pub async fn pull(
    State(state): State<AppState>,
    SignedIn(account): SignedIn,
    ApiQuery(query): ApiQuery<PullQuery>,
) -> Result<Json<PullResponse>, HttpError> {
    let page = state
        .db
        .pull(
            &account,
            query.cursor.as_ref(),
            query.device_id.zip(query.acked),
            MAX_PULL_ITEMS,
        )
        .await?;
    let mut files: Vec<&str> = page
        .files
        .iter()
        .map(|f| f.id.0.as_str())
        .chain(page.records.iter().map(|r| r.file_id.0.as_str()))
        .collect();
    files.sort_unstable();
    files.dedup();
    let device = query.device_id.map(|d| d.to_string());
    let actor = crate::db::Actor {
        account: &account.id,
        device: device.as_deref(),
    };
    state
        .db
        .log_reads(&actor, AuditAction::Download, &files)
        .await?;
    Ok(Json(page))
}

/// Supervisors see the phones of their jurisdiction and whether a phone's clock was off.
pub async fn devices(
    State(state): State<AppState>,
    SignedIn(account): SignedIn,
) -> Result<Json<Vec<DeviceReport>>, HttpError> {
    if !matches!(account.role, Role::Supervisor | Role::Admin) {
        return Err(HttpError::NotAllowed);
    }
    Ok(Json(state.db.devices_under(&account).await?))
}

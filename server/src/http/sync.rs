//! Upload (push), lost-answer recovery (acks) and download (pull) for phones.

use super::{ApiJson, ApiQuery, AppState, HttpError, SignedIn, Uploader};
use axum::Json;
use axum::extract::State;
use chrono::Utc;
use serde::Deserialize;
use xiafang_core::DeviceId;
use xiafang_core::sync::{
    Ack, AcksQuery, AuditAction, Cursor, DeviceReport, MAX_BATCH_OPS, MAX_PULL_ITEMS, PullResponse,
    PushRequest, PushResponse, Role,
};

/// Applies the batch in one transaction, in order, and acknowledges every operation: a rejected
/// record does not hold back the ones behind it; a database error stores none of them (the
/// phone hears an error and sends the batch again).
pub async fn push(
    State(state): State<AppState>,
    Uploader { account, revoked }: Uploader,
    ApiJson(req): ApiJson<PushRequest>,
) -> Result<Json<PushResponse>, HttpError> {
    if req.ops.len() > MAX_BATCH_OPS {
        return Err(HttpError::BadRequest(format!(
            "一次最多上传 {MAX_BATCH_OPS} 条记录"
        )));
    }
    // A lost phone hands over what it had not uploaded, for review, and is told to erase.
    if revoked || state.db.is_revoked(req.device_id).await? {
        let mut acks = Vec::with_capacity(req.ops.len());
        for op in &req.ops {
            let outcome = state.db.quarantine(&account, req.device_id, op).await?;
            acks.push(Ack {
                seq: op.seq,
                record_id: op.record.id,
                outcome,
            });
        }
        return Ok(Json(PushResponse { acks, erase: true }));
    }
    let skew_ms = (req.device_time - Utc::now()).num_milliseconds();
    let outcomes = state
        .db
        .apply_batch(&account, req.device_id, &req.ops, skew_ms)
        .await?;
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
    Ok(Json(PushResponse { acks, erase: false }))
}

/// What the server already stored for a device after a given operation. A revoked phone may
/// ask too: it is part of handing over what it had not uploaded.
pub async fn acks(
    State(state): State<AppState>,
    Uploader { account, .. }: Uploader,
    ApiQuery(query): ApiQuery<AcksQuery>,
) -> Result<Json<PushResponse>, HttpError> {
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
}

/// One page of the change feed of the files the account may read.
pub async fn pull(
    State(state): State<AppState>,
    SignedIn(account): SignedIn,
    ApiQuery(query): ApiQuery<PullQuery>,
) -> Result<Json<PullResponse>, HttpError> {
    let page = state
        .db
        .pull(&account, query.cursor.as_ref(), MAX_PULL_ITEMS)
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

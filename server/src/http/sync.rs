//! Upload (push) and download (pull) for phones.

use super::{ApiJson, AppState, HttpError, SignedIn};
use axum::Json;
use axum::extract::State;
use chrono::Utc;
use xiafang_core::sync::{Ack, MAX_BATCH_OPS, PullResponse, PushRequest, PushResponse};

/// Applies each operation in its own transaction, in order, and acknowledges every one: a
/// rejected record does not hold back the ones behind it.
pub async fn push(
    State(state): State<AppState>,
    SignedIn(account): SignedIn,
    ApiJson(req): ApiJson<PushRequest>,
) -> Result<Json<PushResponse>, HttpError> {
    if req.ops.len() > MAX_BATCH_OPS {
        return Err(HttpError::BadRequest(format!(
            "一次最多上传 {MAX_BATCH_OPS} 条记录"
        )));
    }
    let mut acks = Vec::with_capacity(req.ops.len());
    for op in &req.ops {
        let outcome = state.db.apply_op(&account, req.device_id, op).await?;
        acks.push(Ack {
            seq: op.seq,
            record_id: op.record.id,
            outcome,
        });
    }
    Ok(Json(PushResponse { acks }))
}

/// Everything the account may read: its files and their timelines.
pub async fn pull(
    State(state): State<AppState>,
    SignedIn(account): SignedIn,
) -> Result<Json<PullResponse>, HttpError> {
    let files = state.db.readable_files(&account).await?;
    let records = state.db.readable_records(&account).await?;
    Ok(Json(PullResponse {
        files,
        records,
        server_time: Utc::now(),
    }))
}

//! `POST /api/admin/verify`: an administrator re-checks every record chain and signed statement
//! (issue 19) and reads what no longer matches in their area. It reads every record, so one
//! check runs at a time in this process and in the whole deployment (`Db::try_verify_turn`,
//! across instances): another asked for meanwhile is answered 503 `busy` rather than queued, so
//! repeating the request cannot pile up work.

use super::admin::Admin;
use super::{AppState, HttpError};
use axum::Json;
use axum::extract::State;
use xiafang_core::verify::VerifyReport;

pub async fn verify(
    State(state): State<AppState>,
    Admin(admin): Admin,
) -> Result<Json<VerifyReport>, HttpError> {
    let _running = state.verifying.try_lock().map_err(|_| HttpError::Busy)?;
    let turn = state.db.try_verify_turn().await?.ok_or(HttpError::Busy)?;
    let trusted = state.trusted_chain_keys.as_deref();
    let report = state.db.verify_report(Some(&admin), trusted).await;
    turn.end().await?;
    Ok(Json(report?))
}

//! `GET /api/screening/places`: the places whose screening ledgers (排查台账) the account reads,
//! fetched with each sync like the rules so the 排查 form and the console work offline.

use super::{AppState, HttpError, SignedIn};
use axum::Json;
use axum::extract::State;
use xiafang_core::screening::LedgerPlace;

/// Places' names and villager groups: officials' geography, never petitioners' data.
pub async fn places(
    State(state): State<AppState>,
    SignedIn(account): SignedIn,
) -> Result<Json<Vec<LedgerPlace>>, HttpError> {
    Ok(Json(state.db.screening_places(&account).await?))
}

//! `GET /api/team`: the legal team members a phone may refer files to or invite on a visit, and
//! for a supervisor the accounts they may name as case-owning leaders (包案领导).

use super::{AppState, HttpError, SignedIn};
use axum::Json;
use axum::extract::State;
use xiafang_core::legal::Team;

/// Names and villages of officials, never petitioners' data; fetched with every sync so
/// referrals and joint visits can be written offline.
pub async fn team(
    State(state): State<AppState>,
    SignedIn(account): SignedIn,
) -> Result<Json<Team>, HttpError> {
    Ok(Json(state.db.team(&account).await?))
}

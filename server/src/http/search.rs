//! `GET /api/search?q=…`: finding a file among those the account may read.

use super::{ApiQuery, AppState, HttpError, SignedIn};
use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use xiafang_core::audit::AuditAction;
use xiafang_core::search::{SearchHit, search_term};

#[derive(Debug, Deserialize)]
pub struct SearchQuery {
    /// A missing term is refused like an empty one.
    #[serde(default)]
    q: String,
}

/// Small summaries of the readable files where the term occurs. Each file shown lands in the
/// audit log (its name and village were disclosed); a search that finds nothing leaves no line,
/// and the term itself is not kept, as it may be personal data.
pub async fn search(
    State(state): State<AppState>,
    SignedIn(account): SignedIn,
    ApiQuery(query): ApiQuery<SearchQuery>,
) -> Result<Json<Vec<SearchHit>>, HttpError> {
    let term = search_term(&query.q).ok_or(HttpError::BadSearch)?;
    let hits = state.db.search(&account, term).await?;
    let files: Vec<&str> = hits.iter().map(|h| h.file_id.0.as_str()).collect();
    let actor = crate::db::Actor {
        account: &account.id,
        device: None,
    };
    state
        .db
        .log_reads(&actor, AuditAction::Search, &files)
        .await?;
    Ok(Json(hits))
}

//! Signing in and asking who is signed in.

use super::{ApiJson, AppState, HttpError, SignedIn};
use crate::auth::{SESSION_DAYS, new_token, verify_password};
use axum::Json;
use axum::extract::State;
use chrono::{Duration, Utc};
use xiafang_core::sync::{Account, LoginRequest, LoginResponse};

pub async fn login(
    State(state): State<AppState>,
    ApiJson(req): ApiJson<LoginRequest>,
) -> Result<Json<LoginResponse>, HttpError> {
    let found = state.db.account_for_login(req.username.trim()).await?;
    // Verify against a real hash even for unknown names so timing does not reveal which exist.
    let (account, hash) = match found {
        Some(pair) => pair,
        None => {
            verify_password(&req.password, dummy_hash());
            return Err(HttpError::BadCredentials);
        }
    };
    if !verify_password(&req.password, &hash) {
        return Err(HttpError::BadCredentials);
    }
    let (token, token_hash) = new_token();
    let now = Utc::now();
    state
        .db
        .create_session(
            &token_hash,
            &account.id,
            now,
            now + Duration::days(SESSION_DAYS),
        )
        .await?;
    Ok(Json(LoginResponse { token, account }))
}

pub async fn me(SignedIn(account): SignedIn) -> Json<Account> {
    Json(account)
}

/// A real argon2id hash of a random password nobody knows, made once per process.
fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| {
        let (random, _) = crate::auth::new_token();
        crate::auth::hash_password(&random).unwrap_or_default()
    })
}

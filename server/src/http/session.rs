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
    // The phone's public key, to which the session will be bound (a sign-in without one would
    // make a session that opens nothing).
    let device_key = req
        .device_key
        .as_deref()
        .and_then(crate::proof::public_key)
        .map(|key| crate::proof::stored_form(&key))
        .ok_or_else(|| HttpError::BadRequest("缺少或无法识别本机的设备公钥 device_key".into()))?;
    let name = req.username.trim();
    let now_instant = std::time::Instant::now();
    if let Err(wait) = state.login_limiter.check(name, now_instant) {
        return Err(HttpError::TooManyAttempts {
            minutes: wait.as_secs().div_ceil(60).max(1),
        });
    }
    let found = state.db.account_for_login(name).await?;
    // Verify against a real hash even for unknown names so timing does not reveal which exist.
    let (account, hash) = match found {
        Some(pair) => pair,
        None => {
            verify_password(&req.password, dummy_hash());
            state.login_limiter.failed(name, now_instant);
            return Err(HttpError::BadCredentials);
        }
    };
    if !verify_password(&req.password, &hash) {
        state.login_limiter.failed(name, now_instant);
        return Err(HttpError::BadCredentials);
    }
    state.login_limiter.succeeded(name);
    let (token, token_hash) = new_token();
    let now = Utc::now();
    if let Some(device) = req.device_id
        && state.db.is_revoked(device).await?
    {
        return Err(HttpError::DeviceRevoked);
    }
    state
        .db
        .create_device_session(
            &token_hash,
            &account.id,
            req.device_id,
            Some(&device_key),
            now,
            now + Duration::days(SESSION_DAYS),
        )
        .await?;
    let device_secret = match req.device_id {
        Some(device) => Some(state.db.device_secret(device, &account.id, now).await?),
        None => None,
    };
    Ok(Json(LoginResponse {
        token,
        account,
        device_cipher: device_secret.as_ref().map(|_| state.device_cipher),
        device_secret,
    }))
}

pub async fn me(SignedIn(account): SignedIn) -> Json<Account> {
    Json(account)
}

/// The county's definitions of the figures and time limits: phones compute deadlines and
/// figures offline with the same rules the server's ledgers use.
pub async fn rules(
    State(state): State<AppState>,
    SignedIn(_): SignedIn,
) -> Json<xiafang_core::figures::FigureRules> {
    Json((*state.rules).clone())
}

/// Ends this session on the server; the phone keeps every record not yet uploaded. Takes the
/// phone's proof like every signed-in request (a revoked phone may still end its session).
pub async fn logout(
    State(state): State<AppState>,
    _proved: super::Uploader,
    headers: axum::http::HeaderMap,
) -> Result<axum::http::StatusCode, HttpError> {
    let token = super::extract::bearer(&headers).ok_or(HttpError::Unauthorized)?;
    state
        .db
        .end_session(&crate::auth::token_hash(token))
        .await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}

/// A real argon2id hash of a random password nobody knows, made once per process.
fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| {
        let (random, _) = crate::auth::new_token();
        crate::auth::hash_password(&random).unwrap_or_default()
    })
}

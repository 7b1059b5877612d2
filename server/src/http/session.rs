//! Signing in and asking who is signed in.

use super::{ApiJson, AppState, HttpError, SignedIn};
use crate::auth::{SESSION_DAYS, new_token};
use crate::limits::Attempt;
use axum::Json;
use axum::extract::State;
use chrono::{Duration, Utc};
use xiafang_core::{
    account::Account,
    session::{LoginRequest, LoginResponse},
};

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
    let found = state.db.account_for_login(name).await?;
    // The owner's own phone has a counter of its own, so strangers locking the name do not
    // lock the owner out; a thief with the phone still gets only that counter's few guesses.
    let phone = match (&found, req.device_id) {
        (Some((account, _)), Some(device)) => state
            .db
            .is_known_phone(device, &account.id)
            .await?
            .then_some(device),
        _ => None,
    };
    let key = crate::limits::key(name);
    // Counted before the password is checked, so parallel guesses cannot slip past the limit.
    if let Attempt::Locked { wait_secs } = state
        .db
        .count_sign_in(&key, phone, Utc::now().timestamp())
        .await?
    {
        return Err(HttpError::TooManyAttempts {
            minutes: wait_secs.div_ceil(60).max(1),
        });
    }
    // Off the async workers; a sign-in answered "busy" here has used its attempt all the same,
    // so a flood gains no guesses.
    let hash = found.as_ref().map(|(_, hash)| hash.clone());
    let verified = state.passwords.verify(req.password.clone(), hash).await?;
    let account = match found {
        Some((account, _)) if verified => account,
        _ => return Err(HttpError::BadCredentials),
    };
    state.db.clear_sign_in(&key).await?;
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

//! Extractors that make a handler unable to forget authentication or input checks.

use super::{AppState, HttpError};
use crate::auth::token_hash;
use crate::db::Access;
use crate::proof::{self, ProofError};
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, FromRequestParts, OriginalUri, Request};
use axum::http::StatusCode;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use chrono::Utc;
use xiafang_core::{DeviceId, FileId};
use xiafang_core::{
    account::{Account, Role},
    session::PROOF_HEADER,
};

/// The bearer token of a request, if it has one.
pub fn bearer(headers: &axum::http::HeaderMap) -> Option<&str> {
    headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
}

/// The signed-in account behind the request's bearer token. A session from a revoked phone is
/// refused here, so no handler can serve a lost phone by forgetting to check.
pub struct SignedIn(pub Account);

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = HttpError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, HttpError> {
        match Uploader::from_request_parts(parts, state).await? {
            Uploader { revoked: true, .. } => Err(HttpError::DeviceRevoked),
            Uploader { account, .. } => Ok(SignedIn(account)),
        }
    }
}

/// The file a `/files/{id}/…` route names, with the signed-in account, when that account may
/// read it; otherwise "not found", exactly as for a file that never existed (with guessable ids,
/// any other answer would tell who has which files). Every file route takes this (or
/// `SupervisedFile`), so no handler can forget the read check.
pub struct ReadableFile {
    pub account: Account,
    pub file: FileId,
}

impl FromRequestParts<AppState> for ReadableFile {
    type Rejection = HttpError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, HttpError> {
        let SignedIn(account) = SignedIn::from_request_parts(parts, state).await?;
        readable_file(parts, state, account).await
    }
}

/// A `ReadableFile` whose audit log the account may see: supervisors and administrators only.
/// The role is checked before the file, so other roles are refused alike for every file.
pub struct SupervisedFile(pub ReadableFile);

impl FromRequestParts<AppState> for SupervisedFile {
    type Rejection = HttpError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, HttpError> {
        let SignedIn(account) = SignedIn::from_request_parts(parts, state).await?;
        if !matches!(account.role, Role::Supervisor | Role::Admin) {
            return Err(HttpError::NotAllowed);
        }
        readable_file(parts, state, account)
            .await
            .map(SupervisedFile)
    }
}

async fn readable_file(
    parts: &mut Parts,
    state: &AppState,
    account: Account,
) -> Result<ReadableFile, HttpError> {
    let ApiPath(id) = ApiPath::<String>::from_request_parts(parts, state).await?;
    let file = FileId(id);
    match state.db.access(&account, &file).await? {
        Access::NoSuchFile | Access::None => Err(HttpError::NotFound),
        Access::Read | Access::ReadWrite => Ok(ReadableFile { account, file }),
    }
}

/// The account of a push. A revoked phone may still push once more: what it hands over goes
/// to quarantine instead of into files, and it is told to erase its copy.
pub struct Uploader {
    pub account: Account,
    pub revoked: bool,
    /// The phone the session was signed in from, which is the only phone it speaks for.
    pub device: Option<DeviceId>,
}

impl FromRequestParts<AppState> for Uploader {
    type Rejection = HttpError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, HttpError> {
        let token = bearer(&parts.headers).ok_or(HttpError::Unauthorized)?;
        let now = Utc::now();
        let session = state
            .db
            .account_for_session(&token_hash(token), now)
            .await?
            .ok_or(HttpError::Unauthorized)?;
        proved(parts, session.device_key.as_deref(), now.timestamp())?;
        Ok(Uploader {
            account: session.account,
            revoked: session.revoked,
            device: session.device,
        })
    }
}

/// Refuses a request whose proof (`PROOF_HEADER`) is not a fresh signature, by the key the
/// session is bound to, over this method and path with its query as sent: a copied token alone
/// opens nothing. Checked after the session lookup, so it costs a signature check only for live
/// tokens.
fn proved(parts: &Parts, device_key: Option<&str>, now: i64) -> Result<(), HttpError> {
    // Handlers sit under `/api`, which `nest` strips from `parts.uri`; the phone signed what it sent.
    let uri = parts
        .extensions
        .get::<OriginalUri>()
        .map_or(&parts.uri, |original| &original.0);
    let path = uri.path_and_query().map_or(uri.path(), |pq| pq.as_str());
    let header = parts
        .headers
        .get(PROOF_HEADER)
        .and_then(|v| v.to_str().ok());
    match proof::check(device_key, parts.method.as_str(), path, header, now) {
        Ok(()) => Ok(()),
        Err(ProofError::Stale) => Err(HttpError::ProofStale),
        Err(_) => Err(HttpError::Unauthorized),
    }
}

/// JSON body whose rejections are `HttpError`s (Chinese message, JSON body) instead of text.
pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    axum::Json<T>: FromRequest<S, Rejection = JsonRejection>,
    S: Send + Sync,
{
    type Rejection = HttpError;

    async fn from_request(req: Request, state: &S) -> Result<Self, HttpError> {
        let (parts, body) = req.into_parts();
        let bytes =
            axum::body::Bytes::from_request(Request::from_parts(parts.clone(), body), state)
                .await
                .map_err(|rejection| match rejection.status() {
                    StatusCode::PAYLOAD_TOO_LARGE => HttpError::TooLarge,
                    _ => HttpError::BadRequest("请求内容未能完整接收".to_owned()),
                })?;
        // JSON can carry a NUL only escaped; no text of ours needs one, and PostgreSQL refuses
        // it in any text column, so it is refused here, where it is a clear mistake, rather
        // than deep inside a transaction as a server error.
        if bytes.windows(6).any(|w| w.eq_ignore_ascii_case(b"\\u0000")) {
            return Err(HttpError::BadRequest(
                "内容不能包含空字符（\\u0000）".to_owned(),
            ));
        }
        let req = Request::from_parts(parts, axum::body::Body::from(bytes));
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(value)) => Ok(ApiJson(value)),
            Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                Err(HttpError::TooLarge)
            }
            Err(rejection) => Err(HttpError::BadRequest(rejection.body_text())),
        }
    }
}

/// Query string whose rejections are `HttpError`s, like `ApiJson`.
pub struct ApiQuery<T>(pub T);

impl<S, T> FromRequestParts<S> for ApiQuery<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = HttpError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, HttpError> {
        if has_nul(parts.uri.query().unwrap_or_default()) {
            return Err(HttpError::BadRequest("查询条件不能包含空字符".to_owned()));
        }
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Query(value)| ApiQuery(value))
            .map_err(|rejection| HttpError::BadRequest(rejection.body_text()))
    }
}

/// Path parameters whose rejections are `HttpError`s, like `ApiJson`: a broken percent-encoding
/// or a value of the wrong type gets the API's JSON answer with a Chinese message, not axum's
/// plain text. Such a value names nothing that could exist, so saying so reveals nothing.
pub struct ApiPath<T>(pub T);

impl<S, T> FromRequestParts<S> for ApiPath<T>
where
    T: serde::de::DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = HttpError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, HttpError> {
        if has_nul(parts.uri.path()) {
            return Err(HttpError::BadRequest("地址不能包含空字符".to_owned()));
        }
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(value)| ApiPath(value))
            .map_err(|_| HttpError::BadRequest("地址中的编号无法识别".to_owned()))
    }
}

/// Whether a percent-encoded URI part decodes to a NUL somewhere (`%00`), which no id or search
/// term of ours contains and PostgreSQL refuses in text.
fn has_nul(encoded: &str) -> bool {
    encoded
        .as_bytes()
        .windows(3)
        .any(|w| w.eq_ignore_ascii_case(b"%00"))
}

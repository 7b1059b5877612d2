//! The HTTP error type: every failure becomes a status code and an `ApiError` JSON body whose
//! code the phone translates. Internal details are logged, never sent.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use xiafang_core::Lang;
use xiafang_core::api_error::{ApiError, ApiErrorCode};

#[derive(Debug, thiserror::Error)]
pub enum HttpError {
    /// 401: wrong user name or password.
    #[error("bad credentials")]
    BadCredentials,
    /// 401: no, expired or revoked session.
    #[error("unauthorized")]
    Unauthorized,
    /// 401: the request's proof of its phone was signed too far from the server's time (the
    /// phone corrects its clock from `Date` and retries once).
    #[error("stale proof")]
    ProofStale,
    /// 403: the account's role or place does not allow this action (administration, review).
    /// A file, record or quarantined item the account may not read is `NotFound` instead, so
    /// that nobody learns it exists.
    #[error("not allowed")]
    NotAllowed,
    /// 403: this action is not allowed, for the reason given (in Chinese).
    #[error("refused: {0}")]
    Refused(&'static str),
    /// 403: the session's phone was revoked by an administrator.
    #[error("device revoked")]
    DeviceRevoked,
    /// 404
    #[error("not found")]
    NotFound,
    /// 400: malformed request; the text says what.
    #[error("bad request: {0}")]
    BadRequest(String),
    /// 400: a search term that is empty or longer than 50 characters.
    #[error("bad search term")]
    BadSearch,
    /// 413
    #[error("request too large")]
    TooLarge,
    /// 429: too many failed sign-ins for this name; try again after the given minutes.
    #[error("too many attempts")]
    TooManyAttempts { minutes: u64 },
    /// 503 when too many password checks wait (`busy`); 500 when one failed (logged).
    #[error("password check: {0}")]
    Password(#[from] crate::auth::PoolError),
    /// 503: a long check of this kind is already running; try again when it is done.
    #[error("busy")]
    Busy,
    /// 500: logged with its cause.
    #[error("internal: {0}")]
    Internal(#[from] crate::db::DbError),
    /// 500: a task off the request threads (reading a workbook) failed; logged.
    #[error("task: {0}")]
    Task(#[from] tokio::task::JoinError),
    /// 500: a workbook could not be written (a bug, not the user's doing); logged.
    #[error("spreadsheet: {0}")]
    Spreadsheet(#[from] rust_xlsxwriter::XlsxError),
}

impl IntoResponse for HttpError {
    fn into_response(self) -> Response {
        let (status, code) = match &self {
            HttpError::BadCredentials => (StatusCode::UNAUTHORIZED, ApiErrorCode::BadCredentials),
            HttpError::Unauthorized => (StatusCode::UNAUTHORIZED, ApiErrorCode::Unauthorized),
            HttpError::ProofStale => (StatusCode::UNAUTHORIZED, ApiErrorCode::ProofStale),
            HttpError::NotAllowed | HttpError::Refused(_) => {
                (StatusCode::FORBIDDEN, ApiErrorCode::NotAllowed)
            }
            HttpError::DeviceRevoked => (StatusCode::FORBIDDEN, ApiErrorCode::DeviceRevoked),
            HttpError::NotFound => (StatusCode::NOT_FOUND, ApiErrorCode::NotFound),
            HttpError::BadRequest(_) => (StatusCode::BAD_REQUEST, ApiErrorCode::BadRequest),
            HttpError::BadSearch => (StatusCode::BAD_REQUEST, ApiErrorCode::BadSearch),
            HttpError::TooLarge => (StatusCode::PAYLOAD_TOO_LARGE, ApiErrorCode::TooLarge),
            HttpError::TooManyAttempts { .. } => {
                (StatusCode::TOO_MANY_REQUESTS, ApiErrorCode::TooManyAttempts)
            }
            HttpError::Busy | HttpError::Password(crate::auth::PoolError::Busy) => {
                (StatusCode::SERVICE_UNAVAILABLE, ApiErrorCode::Busy)
            }
            HttpError::Password(cause) => {
                tracing::error!(%cause, "password check failed");
                (StatusCode::INTERNAL_SERVER_ERROR, ApiErrorCode::Internal)
            }
            HttpError::Internal(cause) => {
                tracing::error!(%cause, "request failed");
                (StatusCode::INTERNAL_SERVER_ERROR, ApiErrorCode::Internal)
            }
            HttpError::Task(cause) => {
                tracing::error!(%cause, "task failed");
                (StatusCode::INTERNAL_SERVER_ERROR, ApiErrorCode::Internal)
            }
            HttpError::Spreadsheet(cause) => {
                tracing::error!(%cause, "workbook not written");
                (StatusCode::INTERNAL_SERVER_ERROR, ApiErrorCode::Internal)
            }
        };
        let mut message = code.label(Lang::Zh).to_owned();
        match &self {
            HttpError::BadRequest(detail) => message = format!("{message}：{detail}"),
            HttpError::Refused(reason) => message = (*reason).to_owned(),
            HttpError::TooManyAttempts { minutes } => {
                message = format!("登录失败次数过多，请 {minutes} 分钟后再试");
            }
            _ => {}
        }
        (status, Json(ApiError { code, message })).into_response()
    }
}

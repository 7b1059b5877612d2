//! `/api/blobs/{sha256}`: photos and signatures, uploaded in pieces that resume after a dropped
//! link (`GET …/upload` says where the caller's own upload stands), checked against their
//! SHA-256, and known of and downloaded only by whoever uploaded them or may read a file with a
//! record that shows them.

use super::{ApiPath, ApiQuery, AppState, HttpError, SignedIn};
use crate::db::{Actor, Appended, BlobState, Piece};
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use xiafang_core::attachment::{BLOB_MIMES, MAX_BLOB_BYTES, is_sha256_hex};
use xiafang_core::audit::AuditAction;

/// Largest piece one request may carry: small enough to get through a poor link in one go.
pub const MAX_PIECE_BYTES: usize = 512 * 1024;
/// Smallest piece but the last, so one blob never becomes thousands of rows.
const MIN_PIECE_BYTES: u64 = 16 * 1024;

/// Where an upload stands: `{"received": N, "size": T|null, "complete": bool}`.
#[derive(Debug, Serialize)]
pub struct UploadStatus {
    received: u64,
    size: Option<u64>,
    complete: bool,
}

impl From<Option<BlobState>> for UploadStatus {
    fn from(state: Option<BlobState>) -> Self {
        match state {
            None => UploadStatus {
                received: 0,
                size: None,
                complete: false,
            },
            Some(s) => UploadStatus {
                received: s.received,
                size: Some(s.size),
                complete: s.complete,
            },
        }
    }
}

/// A refused piece: the `ApiError` shape (`code`, `message`) plus where the upload stands, so
/// the phone resumes without asking again.
#[derive(Serialize)]
struct Refusal {
    code: &'static str,
    message: &'static str,
    #[serde(flatten)]
    status: UploadStatus,
}

fn refuse(
    status: StatusCode,
    code: &'static str,
    message: &'static str,
    at: UploadStatus,
) -> Response {
    let body = Refusal {
        code,
        message,
        status: at,
    };
    (status, Json(body)).into_response()
}

/// `GET /api/blobs/{sha256}/upload`
pub async fn status(
    State(state): State<AppState>,
    SignedIn(account): SignedIn,
    ApiPath(sha256): ApiPath<String>,
) -> Result<Json<UploadStatus>, HttpError> {
    let sha256 = blob_name(&sha256)?;
    let status = state.db.upload_status(&account, sha256).await?;
    // Asking about a record's image touches its file: a line for each such record it reads.
    let shown = state.db.records_showing(&account, sha256).await?;
    let lines: Vec<_> = shown
        .iter()
        .map(|(file, record)| (file.as_str(), record.parse().ok()))
        .collect();
    let actor = Actor::account(&account.id);
    state
        .db
        .log_record_reads(&actor, AuditAction::Read, &lines)
        .await?;
    Ok(Json(status.into()))
}

/// Query of a piece; parsed by hand so every mistake gets its own Chinese message.
#[derive(Debug, Deserialize)]
pub struct PieceQuery {
    offset: Option<String>,
    size: Option<String>,
    mime: Option<String>,
}

/// `PUT /api/blobs/{sha256}?offset=N&size=T&mime=…` with the piece as body. The body is read
/// whole before anything is stored, so a dropped connection stores nothing of its piece.
pub async fn put(
    State(state): State<AppState>,
    SignedIn(account): SignedIn,
    ApiPath(sha256): ApiPath<String>,
    ApiQuery(query): ApiQuery<PieceQuery>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, HttpError> {
    let sha256 = blob_name(&sha256)?;
    let bad = |text: &str| HttpError::BadRequest(text.to_owned());
    let size = query
        .size
        .and_then(|s| s.parse::<u64>().ok())
        .filter(|s| (1..=MAX_BLOB_BYTES).contains(s))
        .ok_or_else(|| bad("附件大小应在 1 字节到 8 MiB 之间"))?;
    let mime = query
        .mime
        .filter(|m| BLOB_MIMES.contains(&m.as_str()))
        .ok_or_else(|| bad("附件类型只能是 image/jpeg、image/png 或 image/webp"))?;
    let offset = query
        .offset
        .and_then(|s| s.parse::<u64>().ok())
        .ok_or_else(|| bad("缺少上传位置 offset，或它不是数字"))?;
    let data = body.map_err(|rejection| match rejection.status() {
        StatusCode::PAYLOAD_TOO_LARGE => HttpError::TooLarge,
        _ => bad("附件片段未能完整接收"),
    })?;
    let end = offset.saturating_add(data.len() as u64);
    if data.is_empty() || end > size {
        return Err(bad("附件片段为空，或超出了附件大小"));
    }
    if end < size && (data.len() as u64) < MIN_PIECE_BYTES {
        return Err(bad("除最后一片外，每片至少 16 KiB"));
    }
    let piece = Piece {
        sha256,
        size,
        mime: &mime,
        offset,
        data: &data,
    };
    Ok(match state.db.append_piece(&account, &piece).await? {
        Appended::Stored(s) | Appended::AlreadyComplete(s) => {
            Json(UploadStatus::from(Some(s))).into_response()
        }
        Appended::WrongOffset(s) => refuse(
            StatusCode::CONFLICT,
            "offset_mismatch",
            "上传位置与服务器已收到的不一致，请从 received 处继续",
            s.into(),
        ),
        Appended::Differs(s) => refuse(
            StatusCode::CONFLICT,
            "blob_differs",
            "附件大小或类型与开始上传时不一致",
            Some(s).into(),
        ),
        Appended::HashMismatch => refuse(
            StatusCode::UNPROCESSABLE_ENTITY,
            "hash_mismatch",
            "附件内容与校验值不符，已删除，请重新上传",
            None.into(),
        ),
        Appended::TooManyPending => refuse(
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_uploads",
            "未完成的附件上传过多，请先完成已开始的上传",
            None.into(),
        ),
    })
}

/// `GET /api/blobs/{sha256}`: 404 for anyone who may not see it, as if it did not exist.
pub async fn download(
    State(state): State<AppState>,
    SignedIn(account): SignedIn,
    ApiPath(sha256): ApiPath<String>,
) -> Result<Response, HttpError> {
    let sha256 = blob_name(&sha256)?;
    let actor = Actor::account(&account.id);
    let (blob, shown) = state
        .db
        .download_blob(&account, sha256)
        .await?
        .ok_or(HttpError::NotFound)?;
    // Each record showing it in a file the account reads gets a line, before the bytes go out.
    let lines: Vec<_> = shown
        .iter()
        .map(|(file, record)| (file.as_str(), record.parse().ok()))
        .collect();
    state
        .db
        .log_record_reads(&actor, AuditAction::Read, &lines)
        .await?;
    // Only the allowed types are ever stored; anything else would be a damaged row.
    let mime = BLOB_MIMES
        .into_iter()
        .find(|m| *m == blob.mime)
        .unwrap_or("application/octet-stream");
    // The API's own layer adds `Cache-Control: no-store`, as for all personal data.
    let headers = [(header::CONTENT_TYPE, HeaderValue::from_static(mime))];
    Ok((headers, blob.data).into_response())
}

/// A blob's name: 64 lowercase hexadecimal digits, the SHA-256 of its content.
fn blob_name(text: &str) -> Result<&str, HttpError> {
    if is_sha256_hex(text) {
        Ok(text)
    } else {
        Err(HttpError::BadRequest(
            "附件校验值应为 64 位小写十六进制字符".to_owned(),
        ))
    }
}

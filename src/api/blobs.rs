//! `/api/blobs/{sha256}`: images (photos, signatures) going up in pieces that resume where the
//! server stopped, and coming down for readers of the file.

use super::{ApiFailure, accepted, authorised, build, read, read_signed, signed};
use gloo_net::http::Request;
use serde::Deserialize;
use xiafang_core::attachment::BlobRef;

pub use xiafang_core::engine::{PieceAnswer, UploadStatus};

#[derive(Deserialize)]
struct Received {
    received: u64,
}

fn path(sha256: &str) -> String {
    format!("/api/blobs/{}", js_sys::encode_uri_component(sha256))
}

pub async fn upload_status(token: &str, sha256: &str) -> Result<UploadStatus, ApiFailure> {
    let path = format!("{}/upload", path(sha256));
    read_signed(token, build(authorised(Request::get(&path)))).await
}

/// Sends `piece`, the image's bytes from `offset`.
pub async fn put_piece(
    token: &str,
    image: &BlobRef,
    offset: u64,
    piece: &[u8],
) -> Result<PieceAnswer, ApiFailure> {
    let (offset, size) = (offset.to_string(), image.size.to_string());
    let builder = Request::put(&path(&image.sha256)).query([
        ("offset", offset.as_str()),
        ("size", size.as_str()),
        ("mime", image.mime.as_str()),
    ]);
    let request = authorised(builder)
        .header("Content-Type", "application/octet-stream")
        .body(js_sys::Uint8Array::from(piece))
        .map_err(|e| ApiFailure::Unreadable(e.to_string()));
    let response = signed(token, request).await?;
    match response.status() {
        409 => {
            let at: Received = response
                .json()
                .await
                .map_err(|e| ApiFailure::Unreadable(e.to_string()))?;
            Ok(PieceAnswer::WrongOffset {
                received: at.received,
            })
        }
        422 => Ok(PieceAnswer::HashMismatch),
        _ => read(Ok(response)).await.map(PieceAnswer::Stored),
    }
}

/// The image's bytes; `None` when the server has no complete copy this account may read (not
/// uploaded yet, as far as the phone can tell).
pub async fn download(token: &str, sha256: &str) -> Result<Option<Vec<u8>>, ApiFailure> {
    let sent = signed(token, build(authorised(Request::get(&path(sha256))))).await?;
    if sent.status() == 404 {
        return Ok(None);
    }
    accepted(Ok(sent))
        .await?
        .binary()
        .await
        .map(Some)
        .map_err(|e| ApiFailure::Unreadable(e.to_string()))
}

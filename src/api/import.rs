//! `POST /api/admin/import`: the office's workbook (or one CSV sheet), checked or imported.

use super::{ApiFailure, authorised, read_signed};
use gloo_net::http::Request;
use xiafang_core::ledger_import::ImportReport;

/// Sends the file's bytes; `dry_run` only checks. Never kept on the phone.
pub async fn admin_import(
    token: &str,
    bytes: &[u8],
    dry_run: bool,
) -> Result<ImportReport, ApiFailure> {
    let builder = Request::post("/api/admin/import").query(dry_run.then_some(("dry_run", "1")));
    let request = authorised(builder)
        .header("Content-Type", "application/octet-stream")
        .body(js_sys::Uint8Array::from(bytes))
        .map_err(|e| ApiFailure::Unreadable(e.to_string()));
    read_signed(token, request).await
}

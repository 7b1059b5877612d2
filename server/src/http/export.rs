//! `GET /api/files/{id}/export`: a file's case record as a CSV download for Excel.

use super::{AppState, HttpError, ReadableFile};
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use xiafang_core::audit::AuditAction;
use xiafang_core::export::case_record_csv;

/// The same check and the same records as the file's timeline (`files::records`): whoever may
/// not open the file may not export it, and an accusation does not exist for those it names.
pub async fn export(
    State(state): State<AppState>,
    ReadableFile { account, file }: ReadableFile,
) -> Result<Response, HttpError> {
    let mut records = state.db.records_for_file(&file).await?;
    // The timeline comes newest first; oldest first keeps records of one moment in feed order.
    records.reverse();
    let csv = case_record_csv(&records);
    let actor = crate::db::Actor {
        account: &account.id,
        device: None,
    };
    state
        .db
        .log_reads(&actor, AuditAction::Export, &[file.0.as_str()])
        .await?;
    let today = chrono::Local::now().date_naive();
    let headers = [
        (
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/csv; charset=utf-8"),
        ),
        (
            header::CONTENT_DISPOSITION,
            attachment(&format!("信访档案-{}-{today}.csv", file.0)),
        ),
    ];
    Ok((headers, csv).into_response())
}

/// `attachment` with the name twice: ASCII-only for old clients (anything else becomes `_`),
/// and exact in UTF-8 as RFC 5987/6266 `filename*`, which browsers prefer.
pub(super) fn attachment(name: &str) -> HeaderValue {
    let ascii: String = name
        .chars()
        .map(|c| match c {
            'a'..='z' | 'A'..='Z' | '0'..='9' | '.' | '-' | '_' => c,
            _ => '_',
        })
        .collect();
    let mut encoded = String::new();
    for byte in name.bytes() {
        // RFC 5987 attr-char; everything else is percent-encoded.
        if byte.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&byte) {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    let value = format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}");
    // Both names are visible ASCII by construction, so this cannot fail; if it somehow did, the
    // browser would still download, under a name of its own.
    HeaderValue::from_str(&value).unwrap_or_else(|_| HeaderValue::from_static("attachment"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_file_name_survives_in_utf8_and_degrades_to_ascii() {
        assert_eq!(
            super::attachment("信访档案-f-a1 \"x\".csv"),
            "attachment; filename=\"____-f-a1__x_.csv\"; \
             filename*=UTF-8''%E4%BF%A1%E8%AE%BF%E6%A1%A3%E6%A1%88-f-a1%20%22x%22.csv"
        );
    }
}

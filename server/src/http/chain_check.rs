//! What phones ask and tell about files' chains (issue 19): heads of the files an account
//! reads, one readable file's chain with the latest statement's proof, and reports of copies
//! that no longer match. The chain says nothing of a record's content but it does say a file
//! exists and how much it holds, so every route is scoped like a file's data.

use super::{ApiJson, ApiQuery, AppState, HttpError, ReadableFile, SignedIn, SupervisedFile};
use crate::db::Kept;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::Utc;
use serde::Deserialize;
use xiafang_core::chain_check::{ChainHeads, ChainReport, FileChain, ReceivedReport};

/// `GET /api/chain/heads`
pub async fn heads(
    State(state): State<AppState>,
    SignedIn(account): SignedIn,
) -> Result<Json<ChainHeads>, HttpError> {
    Ok(Json(ChainHeads {
        heads: state.db.chain_heads(&account).await?,
    }))
}

#[derive(Debug, Deserialize)]
pub struct ChainQuery {
    /// The statement the phone already has: an older one is not sent again.
    #[serde(default)]
    since: u64,
}

/// `GET /api/files/{id}/chain?since=N`
pub async fn file_chain(
    State(state): State<AppState>,
    ReadableFile { file, .. }: ReadableFile,
    ApiQuery(query): ApiQuery<ChainQuery>,
) -> Result<Json<FileChain>, HttpError> {
    let links = state.db.file_chain(&file).await?;
    let statement = state.db.statement_proof(&file, query.since).await?;
    Ok(Json(FileChain {
        file,
        links,
        statement,
    }))
}

/// `POST /api/files/{id}/chain/reports`: 201 when kept, 200 for a repeat of a kept report.
pub async fn report(
    State(state): State<AppState>,
    ReadableFile { account, file }: ReadableFile,
    ApiJson(report): ApiJson<ChainReport>,
) -> Result<StatusCode, HttpError> {
    if report.file != file {
        return Err(HttpError::BadRequest("报告的档案与地址不符".into()));
    }
    if let Some(why) = report.refusal(xiafang_core::case::china_date(Utc::now())) {
        return Err(HttpError::BadRequest(why.into()));
    }
    match state.db.keep_chain_report(&account.id, &report).await? {
        Kept::New => Ok(StatusCode::CREATED),
        Kept::Repeat => Ok(StatusCode::OK),
        Kept::Taken => Err(HttpError::BadRequest("报告编号已被使用".into())),
    }
}

/// `GET /api/files/{id}/chain/reports`: for supervisors of the file's place.
pub async fn reports(
    State(state): State<AppState>,
    SupervisedFile(ReadableFile { file, .. }): SupervisedFile,
) -> Result<Json<Vec<ReceivedReport>>, HttpError> {
    Ok(Json(state.db.chain_reports(&file).await?))
}

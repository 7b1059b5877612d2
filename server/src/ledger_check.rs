//! `xiafang-server verify-ledger <file.csv|file.xlsx>` (issue 19): whether a ledger the office
//! exported (and perhaps printed) still agrees with the database — each row's chain hash still
//! among the links recomputed from the records as they are now, and the statement it names
//! published and correctly signed by this deployment's key (`xiafang_core::ledger_chain`).

use crate::chain_key::verifies;
use crate::db::{Db, DbError};
use calamine::Reader;
use std::path::Path;
use xiafang_core::ledger_chain::{LedgerCheck, PrintedError, check, csv_grid, read_grid};

#[derive(Debug, thiserror::Error)]
pub enum LedgerCheckError {
    #[error("无法读取台账文件 {path}：{why}")]
    Unreadable { path: String, why: String },
    #[error("{0}")]
    NotALedger(#[from] PrintedError),
    #[error("{0}")]
    Db(#[from] DbError),
}

/// Checks the ledger at `path` against `db`; `own_keys` are this deployment's public keys.
pub async fn verify_ledger(
    db: &Db,
    path: &Path,
    own_keys: &[String],
) -> Result<LedgerCheck, LedgerCheckError> {
    let printed = read_grid(&grid_of(path)?)?;
    let published = db.roots().await?;
    let links = db.links_now().await?;
    Ok(check(&printed, &links, &published, own_keys, verifies))
}

/// The file's cells as text: a workbook's first sheet, or CSV.
fn grid_of(path: &Path) -> Result<Vec<Vec<String>>, LedgerCheckError> {
    let fail = |why: String| LedgerCheckError::Unreadable {
        path: path.display().to_string(),
        why,
    };
    let is_xlsx = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    if !is_xlsx {
        let bytes = std::fs::read(path).map_err(|e| fail(e.to_string()))?;
        let text = String::from_utf8(bytes).map_err(|e| fail(e.to_string()))?;
        return Ok(csv_grid(&text));
    }
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook(path).map_err(|e: calamine::XlsxError| fail(e.to_string()))?;
    let name = book
        .sheet_names()
        .first()
        .cloned()
        .ok_or_else(|| fail("no sheet".into()))?;
    let range = book
        .worksheet_range(&name)
        .map_err(|e| fail(e.to_string()))?;
    Ok(range
        .rows()
        .map(|row| row.iter().map(|c| c.to_string()).collect())
        .collect())
}

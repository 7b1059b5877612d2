//! `xiafang-server backup <file>` and `restore <file>`: a consistent copy of the embedded SQLite
//! database taken while the server runs, and putting one back while it is stopped.
//!
//! The backup is SQLite's `VACUUM INTO` on a connection of its own: one read transaction, so the
//! copy is the database as of one commit, whatever the server writes meanwhile (WAL lets readers
//! and the writer go on side by side). PostgreSQL is backed up with `pg_dump`
//! (docs/OPERATIONS.md). After a restore, phones upload again what the backup lacks: the feed
//! answers them `resend` (`db/feed.rs`).

use sqlx::{Connection, SqliteConnection};
use std::path::Path;
use std::str::FromStr;

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("备份只适用于内置 SQLite 数据库；PostgreSQL 请用 pg_dump（见 docs/OPERATIONS.md）")]
    NotSqlite,
    #[error("{0} 已存在：不会覆盖已有文件，请换一个文件名")]
    Exists(String),
    #[error("找不到备份文件 {0}")]
    Missing(String),
    #[error("备份文件 {0} 不是完好的数据库：{1}")]
    Damaged(String, String),
    #[error("服务器仍在使用数据库 {0}：请先停止服务（systemctl stop xiafang）再恢复")]
    InUse(String),
    #[error("数据库错误：{0}")]
    Sql(#[from] sqlx::Error),
    #[error("文件错误：{0}")]
    Io(#[from] std::io::Error),
}

/// The SQLite file behind `url`, or `NotSqlite`.
pub fn sqlite_file(url: &str) -> Result<std::path::PathBuf, BackupError> {
    let rest = url
        .strip_prefix("sqlite://")
        .ok_or(BackupError::NotSqlite)?;
    let path = rest.split('?').next().unwrap_or(rest);
    Ok(path.into())
}

async fn open(path: &Path, mode: &str) -> Result<SqliteConnection, BackupError> {
    let url = format!("sqlite://{}?mode={mode}", path.display());
    let options = sqlx::sqlite::SqliteConnectOptions::from_str(&url)?
        .busy_timeout(std::time::Duration::from_secs(10));
    Ok(SqliteConnection::connect_with(&options).await?)
}

/// Writes a consistent copy of the live database `db` to `to`, which must not exist yet.
pub async fn backup(db: &Path, to: &Path) -> Result<u64, BackupError> {
    if to.exists() {
        return Err(BackupError::Exists(to.display().to_string()));
    }
    let mut conn = open(db, "ro").await?;
    sqlx::query("VACUUM INTO ?")
        .bind(to.display().to_string())
        .execute(&mut conn)
        .await?;
    conn.close().await?;
    check(to).await?;
    Ok(std::fs::metadata(to)?.len())
}

/// Whether `file` is a whole SQLite database (`PRAGMA integrity_check`).
async fn check(file: &Path) -> Result<(), BackupError> {
    let shown = file.display().to_string();
    if !file.is_file() {
        return Err(BackupError::Missing(shown));
    }
    let mut conn = open(file, "ro")
        .await
        .map_err(|e| BackupError::Damaged(shown.clone(), e.to_string()))?;
    let verdict: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&mut conn)
        .await
        .map_err(|e| BackupError::Damaged(shown.clone(), e.to_string()))?;
    conn.close().await?;
    if verdict != "ok" {
        return Err(BackupError::Damaged(shown, verdict));
    }
    Ok(())
}

/// Puts the backup `from` in place of `db`, with the server stopped: the copy is checked, written
/// beside the database and renamed over it, and the old write-ahead log goes with the old file
/// (replaying it onto the backup would corrupt it).
pub async fn restore(from: &Path, db: &Path) -> Result<(), BackupError> {
    check(from).await?;
    if db.exists() {
        // A running server holds the database open, which holding it alone proves it does not.
        match crate::db::hold_sqlite_file(db).await? {
            None => return Err(BackupError::InUse(db.display().to_string())),
            Some(conn) => conn.close().await?,
        }
    }
    let staged = db.with_extension("db.restoring");
    std::fs::copy(from, &staged)?;
    std::fs::File::open(&staged)?.sync_all()?;
    for side in ["db-wal", "db-shm"] {
        match std::fs::remove_file(db.with_extension(side)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e.into()),
            _ => {}
        }
    }
    std::fs::rename(&staged, db)?;
    Ok(())
}

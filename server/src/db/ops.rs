//! What operations ask of the database: whether it answers (readiness) and the figures
//! `/metrics` reports.

use super::{Db, DbError, Result};
use crate::metrics::DbFigures;
use std::path::PathBuf;

/// The SQLite file a server opened. Its connections keep reading and writing that file even
/// after it is deleted, moved or replaced on disk, and everything stored from then on would be
/// gone at the next start: readiness fails instead, so a monitor tells someone.
pub(crate) struct OpenedFile {
    path: PathBuf,
    identity: FileIdentity,
}

type FileIdentity = (u64, u64);

#[cfg(unix)]
fn identity(path: &std::path::Path) -> Option<FileIdentity> {
    use std::os::unix::fs::MetadataExt;
    // Looked up, never opened: closing any descriptor of a SQLite file drops every POSIX lock
    // this process holds on it (sqlite.org/howtocorrupt.html §2.2), and another process writing
    // the same file (an operator's tool, `verify`) could then corrupt it.
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.dev(), meta.ino()))
}

#[cfg(not(unix))]
fn identity(path: &std::path::Path) -> Option<FileIdentity> {
    std::fs::metadata(path).ok().map(|_| (0, 0))
}

impl OpenedFile {
    /// The file of a `sqlite://PATH?…` URL as it is now; `None` for PostgreSQL.
    pub(crate) fn of(url: &str) -> Option<Self> {
        let rest = url
            .strip_prefix("sqlite://")
            .or(url.strip_prefix("sqlite:"))?;
        let path = PathBuf::from(rest.split('?').next()?);
        let identity = identity(&path)?;
        Some(OpenedFile { path, identity })
    }

    fn still_there(&self) -> Result<()> {
        if identity(&self.path) == Some(self.identity) {
            Ok(())
        } else {
            Err(DbError::FileGone(self.path.display().to_string()))
        }
    }
}

impl Db {
    /// Reads a row of a real table, so that a database that is gone, renamed or unreadable is
    /// noticed (`SELECT 1` alone would not touch SQLite's file); on SQLite, also that the file
    /// on disk is still the one open.
    pub async fn answers(&self) -> Result<()> {
        if let Some(file) = &self.sqlite_file {
            file.still_there()?;
        }
        sqlx::query("SELECT version FROM _sqlx_migrations ORDER BY version DESC LIMIT 1")
            .fetch_optional(&self.pool)
            .await?;
        Ok(())
    }

    /// Unfinished image uploads in the whole database, and this process's pool.
    pub async fn figures(&self) -> Result<DbFigures> {
        let (uploads, bytes): (i64, i64) = sqlx::query_as(
            "SELECT COUNT(*), CAST(COALESCE(SUM(received), 0) AS BIGINT) FROM blob_uploads",
        )
        .fetch_one(&self.pool)
        .await?;
        let size = i64::from(self.pool.size());
        let idle = i64::try_from(self.pool.num_idle()).unwrap_or(i64::MAX);
        Ok(DbFigures {
            pending_image_uploads: uploads,
            pending_image_bytes: bytes,
            connections_in_use: (size - idle).max(0),
            connections_idle: idle,
        })
    }
}

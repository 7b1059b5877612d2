//! What operations ask of the database: whether it answers (readiness) and the figures
//! `/metrics` reports.

use super::{Db, Result};
use crate::metrics::DbFigures;

impl Db {
    /// Reads a row of a real table, so that a database that is gone, renamed or unreadable is
    /// noticed (`SELECT 1` alone would not touch SQLite's file).
    pub async fn answers(&self) -> Result<()> {
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

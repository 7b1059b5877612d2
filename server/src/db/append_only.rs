//! The audit log is append-only in the database itself, not only in the API: a trigger refuses
//! every UPDATE and DELETE (and, on PostgreSQL, TRUNCATE) of `audit_log`, so neither a bug nor a
//! later feature can rewrite who read what. The trigger syntax differs between SQLite and
//! PostgreSQL, so it is installed here, after the shared migrations, rather than by one of them.
//! Only `Db::prune_audit` (the server's `prune-audit` subcommand) lifts it, for lines past the
//! retention.

use super::audit::AUDIT_RETENTION_DAYS;
use super::{Backend, Db, DbError, Result};
use chrono::{DateTime, Days, NaiveDate, Utc};
use sqlx::AnyPool;

const SQLITE: &[&str] = &[
    "CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log \
     BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
    "CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log \
     BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
];

const POSTGRES: &[&str] = &[
    "CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS \
     $$ BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$",
    "DROP TRIGGER IF EXISTS audit_log_no_change ON audit_log",
    "CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log \
     FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()",
    "DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log",
    "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log \
     FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()",
];

pub(super) async fn guard_audit_log(pool: &AnyPool, backend: Backend) -> Result<()> {
    let statements = match backend {
        Backend::Sqlite => SQLITE,
        Backend::Postgres => POSTGRES,
    };
    // One transaction: a server starting next to another never sees the log unguarded.
    let mut tx = pool.begin().await?;
    for sql in statements {
        sqlx::query(sql).execute(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Lifting the guard for one DELETE and putting it back, inside the pruning transaction: no other
/// connection ever sees the log unguarded (PostgreSQL's ALTER TABLE locks the table until commit;
/// SQLite has one writer).
const SQLITE_PRUNE: (&str, &str) = ("DROP TRIGGER audit_log_no_delete", SQLITE[1]);
const POSTGRES_PRUNE: (&str, &str) = (
    "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change",
    "ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_change",
);

impl Db {
    /// Deletes the audit lines dated before `before` (UTC), which must lie past the retention
    /// as of `now`; younger lines are refused. Only the explicit `prune-audit` subcommand of
    /// the server calls this; nothing in the API can.
    pub async fn prune_audit(&self, before: NaiveDate, now: DateTime<Utc>) -> Result<u64> {
        let oldest_kept = now
            .date_naive()
            .checked_sub_days(Days::new(u64::from(AUDIT_RETENTION_DAYS)))
            .ok_or_else(|| DbError::Audit("retention reaches before the calendar".into()))?;
        if before > oldest_kept {
            return Err(DbError::Audit(format!(
                "lines from {oldest_kept} on are within the {AUDIT_RETENTION_DAYS}-day retention"
            )));
        }
        let (lift, restore) = match self.backend {
            Backend::Sqlite => SQLITE_PRUNE,
            Backend::Postgres => POSTGRES_PRUNE,
        };
        let _turn = self.write_turn().await;
        let mut tx = self.pool.begin().await?;
        sqlx::query(lift).execute(&mut *tx).await?;
        // Lines store RFC 3339 in UTC; a bare date sorts before every time of that day.
        let deleted = sqlx::query("DELETE FROM audit_log WHERE at < $1")
            .bind(before.to_string())
            .execute(&mut *tx)
            .await?
            .rows_affected();
        sqlx::query(restore).execute(&mut *tx).await?;
        tx.commit().await?;
        tracing::warn!(deleted, %before, "audit lines past the retention pruned");
        Ok(deleted)
    }
}

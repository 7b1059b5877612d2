//! The audit log: append-only, written in the same transaction as what it records where there
//! is one, so a stored record always has its line.

use super::{Db, DbError, Result};
use chrono::{DateTime, Utc};
use sqlx::{AnyConnection, Row};
use xiafang_core::sync::{AuditAction, AuditEntry};
use xiafang_core::{FileId, RecordId, UserId};

/// Who did it and from where.
pub struct Actor<'a> {
    pub account: &'a UserId,
    pub device: Option<&'a str>,
}

pub(crate) async fn log(
    conn: &mut AnyConnection,
    actor: &Actor<'_>,
    action: AuditAction,
    file: &str,
    record: Option<RecordId>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO audit_log (id, at, account_id, device_id, action, file_id, record_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(uuid::Uuid::new_v4().to_string())
    .bind(Utc::now().to_rfc3339())
    .bind(&actor.account.0)
    .bind(actor.device)
    .bind(action.key())
    .bind(file)
    .bind(record.map(|r| r.to_string()))
    .execute(conn)
    .await?;
    Ok(())
}

impl Db {
    /// Records reads of files (the timeline opened, files downloaded to a phone).
    pub async fn log_reads(
        &self,
        actor: &Actor<'_>,
        action: AuditAction,
        files: &[&str],
    ) -> Result<()> {
        let lines: Vec<_> = files.iter().map(|file| (*file, None)).collect();
        self.log_record_reads(actor, action, &lines).await
    }

    /// Records reads of files, each of one record or of the whole file (`None`).
    pub async fn log_record_reads(
        &self,
        actor: &Actor<'_>,
        action: AuditAction,
        lines: &[(&str, Option<RecordId>)],
    ) -> Result<()> {
        if lines.is_empty() {
            return Ok(());
        }
        let _turn = self.write_turn().await;
        let mut tx = self.pool.begin().await?;
        for (file, record) in lines {
            log(&mut tx, actor, action, file, *record).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// A file's audit log, newest first.
    pub async fn audit_of(&self, file: &FileId) -> Result<Vec<AuditEntry>> {
        let rows = sqlx::query(
            "SELECT l.at, l.account_id, a.display_name, l.device_id, l.action, l.record_id \
             FROM audit_log l JOIN accounts a ON a.id = l.account_id \
             WHERE l.file_id = $1 ORDER BY l.at DESC, l.id",
        )
        .bind(&file.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let corrupt = |what: &str| DbError::Corrupt {
                    table: "audit_log",
                    source: serde::de::Error::custom(what),
                };
                Ok(AuditEntry {
                    at: DateTime::parse_from_rfc3339(&r.get::<String, _>("at"))
                        .map_err(|_| corrupt("at"))?
                        .with_timezone(&Utc),
                    account: UserId(r.get("account_id")),
                    display_name: r.get("display_name"),
                    device: r
                        .get::<Option<String>, _>("device_id")
                        .map(|d| d.parse().map_err(|_| corrupt("device")))
                        .transpose()?,
                    action: AuditAction::from_key(&r.get::<String, _>("action"))
                        .ok_or_else(|| corrupt("action"))?,
                    record: r
                        .get::<Option<String>, _>("record_id")
                        .map(|d| d.parse().map_err(|_| corrupt("record")))
                        .transpose()?,
                })
            })
            .collect()
    }
}

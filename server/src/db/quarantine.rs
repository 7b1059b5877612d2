//! Lost phones: revoking a device, keeping what it hands over in quarantine, and a supervisor's
//! review that lets a quarantined record into its file or keeps it out.

use super::audit::{self, Actor};
use super::files::{FILE_PLACES, readable, reads_jurisdiction};
use super::upload::{Known, Names, Reaches, decide_op, seen_ops, seq_of};
use super::{Db, DbError, Result, parse, to_json};
use chrono::Utc;
use sqlx::AnyConnection;
use xiafang_core::protocol::Decision;
use xiafang_core::{DeviceId, Record, RecordId, UserId};
use xiafang_core::{
    account::Account,
    admin::QuarantinedRecord,
    audit::AuditAction,
    upload::Op,
    verdict::{Outcome, Rejection},
};

impl Db {
    /// Whose phone `device` is: the account that signed in on it last (a phone handed from one
    /// cadre to another belongs to the new one), else the one that uploaded from it.
    pub async fn device_owner(&self, device: DeviceId) -> Result<Option<UserId>> {
        let id = device.to_string();
        let signed_in: Option<String> = sqlx::query_scalar(
            "SELECT account_id FROM sessions WHERE device_id = $1 \
             ORDER BY created_at DESC LIMIT 1",
        )
        .bind(&id)
        .fetch_optional(&self.pool)
        .await?;
        if let Some(owner) = signed_in {
            return Ok(Some(UserId(owner)));
        }
        let uploaded: Option<String> =
            sqlx::query_scalar("SELECT account_id FROM devices WHERE device_id = $1 LIMIT 1")
                .bind(&id)
                .fetch_optional(&self.pool)
                .await?;
        Ok(uploaded.map(UserId))
    }

    pub async fn revoke_device(&self, device: DeviceId, owner: &UserId, by: &UserId) -> Result<()> {
        let _turn = self.write_turn().await;
        sqlx::query(
            "INSERT INTO revoked_devices (device_id, account_id, revoked_by, revoked_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (device_id) DO NOTHING",
        )
        .bind(device.to_string())
        .bind(&owner.0)
        .bind(&by.0)
        .bind(Utc::now().to_rfc3339())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn is_revoked(&self, device: DeviceId) -> Result<bool> {
        let n: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM revoked_devices WHERE device_id = $1")
                .bind(device.to_string())
                .fetch_one(&self.pool)
                .await?;
        Ok(n > 0)
    }

    /// Keeps what a revoked phone hands over for review, one outcome per operation, in one
    /// transaction. Each record is judged first exactly as if `account` uploaded it (`decide_op`):
    /// a refused one is answered `Rejected` and never queued, one already stored is answered as
    /// an upload would be. A record already waiting is answered `Quarantined` again; another
    /// record under its id is refused (`IdConflict`). Nothing here ever drops a record silently.
    pub async fn quarantine(
        &self,
        account: &Account,
        device: DeviceId,
        ops: &[Op],
    ) -> Result<Vec<Outcome>> {
        let _turn = self.write_turn().await;
        let mut tx = self.pool.begin().await?;
        let device_key = device.to_string();
        let seqs: Vec<i64> = ops.iter().map(|op| seq_of(op.seq)).collect();
        let seen = seen_ops(&mut tx, &device_key, &seqs).await?;
        let (mut reaches, mut names) = (Reaches::default(), Names::default());
        let mut known = Known::default();
        let mut outcomes = Vec::with_capacity(ops.len());
        for op in ops {
            let op = Op {
                seq: op.seq,
                record: names.set_on(&mut tx, &op.record).await?,
            };
            let outcome = match waiting_body(&mut tx, &device_key, op.record.id).await? {
                Some(body) if body == op.record => Outcome::Quarantined,
                Some(_) => Outcome::Rejected {
                    reason: Rejection::IdConflict,
                },
                None => {
                    match decide_op(&mut tx, &mut reaches, &mut known, account, &seen, &op).await? {
                        Decision::Insert => {
                            queue(&mut tx, account, &device_key, &op).await?;
                            Outcome::Quarantined
                        }
                        decision => decision.outcome(),
                    }
                }
            };
            outcomes.push(outcome);
        }
        tx.commit().await?;
        Ok(outcomes)
    }

    /// Records waiting for review that `reviewer` may read (`files::readable`, so never an
    /// accusation naming the reviewer or their place).
    pub async fn quarantined_for(&self, reviewer: &Account) -> Result<Vec<QuarantinedRecord>> {
        let rows = sqlx::query_as::<_, WaitingRow>(&waiting_sql(""))
            .bind(&reviewer.id.0)
            .bind(reads_jurisdiction(reviewer))
            .fetch_all(&self.pool)
            .await?;
        rows.into_iter().map(WaitingRow::into_record).collect()
    }

    /// One waiting record, if it waits and `reviewer` may read its file; otherwise `None`, the
    /// same for a record that never existed and one the reviewer may not see.
    pub async fn quarantined(
        &self,
        reviewer: &Account,
        device: DeviceId,
        record: RecordId,
    ) -> Result<Option<QuarantinedRecord>> {
        let row = sqlx::query_as::<_, WaitingRow>(&waiting_sql(
            "AND q.device_id = $3 AND q.record_id = $4",
        ))
        .bind(&reviewer.id.0)
        .bind(reads_jurisdiction(reviewer))
        .bind(device.to_string())
        .bind(record.to_string())
        .fetch_optional(&self.pool)
        .await?;
        row.map(WaitingRow::into_record).transpose()
    }

    /// Marks a quarantined record reviewed and logs the review on its file.
    pub async fn decide_quarantined(
        &self,
        device: DeviceId,
        record: &Record,
        reviewer: &Account,
        accepted: bool,
    ) -> Result<()> {
        let _turn = self.write_turn().await;
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "UPDATE quarantine SET decision = $1, reviewed_by = $2, reviewed_at = $3 \
             WHERE device_id = $4 AND record_id = $5",
        )
        .bind(if accepted { "accepted" } else { "rejected" })
        .bind(&reviewer.id.0)
        .bind(Utc::now().to_rfc3339())
        .bind(device.to_string())
        .bind(record.id.to_string())
        .execute(&mut *tx)
        .await?;
        let actor = Actor {
            account: &reviewer.id,
            device: None,
        };
        audit::log(
            &mut tx,
            &actor,
            AuditAction::Review,
            &record.file_id.0,
            Some(record.id),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// The record this phone already handed over under `record`'s id, if any.
async fn waiting_body(
    conn: &mut AnyConnection,
    device: &str,
    record: RecordId,
) -> Result<Option<Record>> {
    sqlx::query_scalar::<_, String>(
        "SELECT body FROM quarantine WHERE device_id = $1 AND record_id = $2",
    )
    .bind(device)
    .bind(record.to_string())
    .fetch_optional(conn)
    .await?
    .map(|body| parse(&body, "quarantine"))
    .transpose()
}

async fn queue(conn: &mut AnyConnection, account: &Account, device: &str, op: &Op) -> Result<()> {
    sqlx::query(
        "INSERT INTO quarantine (device_id, seq, account_id, record_id, file_id, body, \
         received_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(device)
    .bind(seq_of(op.seq))
    .bind(&account.id.0)
    .bind(op.record.id.to_string())
    .bind(&op.record.file_id.0)
    .bind(to_json(&op.record))
    .bind(Utc::now().to_rfc3339())
    .execute(conn)
    .await?;
    Ok(())
}

/// Waiting records of files reader `$1` (`$2`: `reads_jurisdiction`) may read, with who handed
/// each over; `extra` narrows it further.
fn waiting_sql(extra: &str) -> String {
    format!(
        "SELECT q.device_id, q.seq, q.body, q.received_at, q.account_id, a.display_name \
         FROM {FILE_PLACES} JOIN quarantine q ON q.file_id = f.id \
         JOIN accounts a ON a.id = q.account_id \
         WHERE q.decision IS NULL AND {} {extra} \
         ORDER BY q.received_at, q.device_id, q.seq",
        readable()
    )
}

/// A waiting record as `waiting_sql` reads it.
#[derive(sqlx::FromRow)]
struct WaitingRow {
    device_id: String,
    seq: i64,
    body: String,
    received_at: String,
    account_id: String,
    display_name: String,
}

impl WaitingRow {
    fn into_record(self) -> Result<QuarantinedRecord> {
        let corrupt = |what: &str| DbError::Corrupt {
            table: "quarantine",
            source: serde::de::Error::custom(what),
        };
        Ok(QuarantinedRecord {
            device_id: self.device_id.parse().map_err(|_| corrupt("device id"))?,
            seq: u64::try_from(self.seq).unwrap_or(0),
            record: parse(&self.body, "quarantine")?,
            handed_over_by: UserId(self.account_id),
            handed_over_by_name: self.display_name,
            received_at: chrono::DateTime::parse_from_rfc3339(&self.received_at)
                .map_err(|_| corrupt("received_at"))?
                .with_timezone(&Utc),
        })
    }
}

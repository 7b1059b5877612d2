//! Lost phones: revoking a device, keeping what it hands over in quarantine, and a supervisor's
//! review that lets a quarantined record into its file or keeps it out.

use super::audit::{self, Actor};
use super::{Db, DbError, Result, parse, to_json};
use chrono::Utc;
use sqlx::Row;
use xiafang_core::sync::{Account, AuditAction, Op, Outcome, QuarantinedRecord};
use xiafang_core::{DeviceId, Record, UserId};

impl Db {
    /// Whose phone this is, as far as the server has seen it (uploads or sign-ins).
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

    /// Keeps an operation from a revoked phone for review; a repeat changes nothing.
    pub async fn quarantine(
        &self,
        account: &Account,
        device: DeviceId,
        op: &Op,
    ) -> Result<Outcome> {
        let _turn = self.write_turn().await;
        sqlx::query(
            "INSERT INTO quarantine (device_id, seq, account_id, record_id, file_id, body, \
             received_at) VALUES ($1, $2, $3, $4, $5, $6, $7) \
             ON CONFLICT (device_id, seq) DO NOTHING",
        )
        .bind(device.to_string())
        .bind(i64::try_from(op.seq).unwrap_or(i64::MAX))
        .bind(&account.id.0)
        .bind(op.record.id.to_string())
        .bind(&op.record.file_id.0)
        .bind(to_json(&op.record))
        .bind(Utc::now().to_rfc3339())
        .execute(&self.pool)
        .await?;
        Ok(Outcome::Quarantined)
    }

    /// Records waiting for review that the supervisor may read (files of their place).
    pub async fn quarantined_for(&self, supervisor: &Account) -> Result<Vec<QuarantinedRecord>> {
        let rows = sqlx::query(
            "SELECT q.device_id, q.seq, q.body, q.received_at FROM quarantine q \
             JOIN files f ON f.id = q.file_id JOIN places v ON v.id = f.village_id \
             LEFT JOIN places t ON t.id = v.parent_id \
             WHERE q.decision IS NULL \
             AND (SELECT place_id FROM accounts WHERE id = $1) IN (v.id, t.id, t.parent_id) \
             ORDER BY q.received_at, q.device_id, q.seq",
        )
        .bind(&supervisor.id.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(QuarantinedRecord {
                    device_id: r.get::<String, _>("device_id").parse().map_err(|_| {
                        DbError::Corrupt {
                            table: "quarantine",
                            source: serde::de::Error::custom("device id"),
                        }
                    })?,
                    seq: u64::try_from(r.get::<i64, _>("seq")).unwrap_or(0),
                    record: parse(&r.get::<String, _>("body"), "quarantine")?,
                })
            })
            .collect()
    }

    /// The quarantined operation, if it is still waiting for review.
    pub async fn quarantined(&self, device: DeviceId, seq: u64) -> Result<Option<Record>> {
        let body: Option<String> = sqlx::query_scalar(
            "SELECT body FROM quarantine WHERE device_id = $1 AND seq = $2 AND decision IS NULL",
        )
        .bind(device.to_string())
        .bind(i64::try_from(seq).unwrap_or(i64::MAX))
        .fetch_optional(&self.pool)
        .await?;
        body.map(|b| parse(&b, "quarantine")).transpose()
    }

    /// Marks a quarantined operation reviewed and logs the review on its file.
    pub async fn decide_quarantined(
        &self,
        device: DeviceId,
        seq: u64,
        record: &Record,
        reviewer: &Account,
        accepted: bool,
    ) -> Result<()> {
        let _turn = self.write_turn().await;
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "UPDATE quarantine SET decision = $1, reviewed_by = $2, reviewed_at = $3 \
             WHERE device_id = $4 AND seq = $5",
        )
        .bind(if accepted { "accepted" } else { "rejected" })
        .bind(&reviewer.id.0)
        .bind(Utc::now().to_rfc3339())
        .bind(device.to_string())
        .bind(i64::try_from(seq).unwrap_or(i64::MAX))
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

//! Sign-in attempts per name, counted atomically in the database before a password is checked:
//! an upsert that only succeeds while the name is under the limit, so guesses arriving at once,
//! after a restart or at another server process over the same database all draw on one count.

use super::{Db, Result};
use crate::limits::{Attempt, MAX_ATTEMPTS, WINDOW};
use xiafang_core::{DeviceId, UserId};

/// The counter of the name itself (`device_id` column); a known phone's counter is its id.
const NAME_COUNTER: &str = "";

impl Db {
    /// Counts one attempt at `name` (a `limits::key`) on the name's counter, or on the counter
    /// of `phone`, a phone the account already signed in from. `now` is Unix seconds.
    pub async fn count_sign_in(
        &self,
        name: &str,
        phone: Option<DeviceId>,
        now: i64,
    ) -> Result<Attempt> {
        let window = WINDOW.as_secs() as i64;
        let expired = now - window;
        let device = phone.map_or_else(|| NAME_COUNTER.to_owned(), |d| d.to_string());
        let _turn = self.write_turn().await;
        let mut tx = self.pool.begin().await?;
        // A new window starts when the last one ran out; within one, the count only grows
        // while under the limit. The conflict target row is locked by the upsert, so parallel
        // attempts (PostgreSQL runs them concurrently) each see the count the previous one left.
        let counted = sqlx::query(
            "INSERT INTO sign_in_attempts (name, device_id, attempts, window_start) \
             VALUES ($1, $2, 1, $3) ON CONFLICT (name, device_id) DO UPDATE SET \
             attempts = CASE WHEN sign_in_attempts.window_start <= $4 THEN 1 \
             ELSE sign_in_attempts.attempts + 1 END, \
             window_start = CASE WHEN sign_in_attempts.window_start <= $4 THEN $3 \
             ELSE sign_in_attempts.window_start END \
             WHERE sign_in_attempts.window_start <= $4 OR sign_in_attempts.attempts < $5",
        )
        .bind(name)
        .bind(&device)
        .bind(now)
        .bind(expired)
        .bind(MAX_ATTEMPTS)
        .execute(&mut *tx)
        .await?;
        let attempt = if counted.rows_affected() == 1 {
            Attempt::Allowed
        } else {
            let window_start: i64 = sqlx::query_scalar(
                "SELECT window_start FROM sign_in_attempts WHERE name = $1 AND device_id = $2",
            )
            .bind(name)
            .bind(&device)
            .fetch_one(&mut *tx)
            .await?;
            let ends = window_start + window;
            Attempt::Locked {
                wait_secs: (ends - now).max(1) as u64,
            }
        };
        tx.commit().await?;
        // Random names would otherwise grow the table without bound; old windows mean nothing.
        // A statement of its own: inside the attempt's transaction, two sign-ins on PostgreSQL
        // could each hold a row the other's clean-up wants.
        sqlx::query("DELETE FROM sign_in_attempts WHERE window_start <= $1")
            .bind(expired)
            .execute(&self.pool)
            .await?;
        Ok(attempt)
    }

    /// Forgets every attempt at `name` (a `limits::key`): its owner proved the password.
    pub async fn clear_sign_in(&self, name: &str) -> Result<()> {
        let _turn = self.write_turn().await;
        sqlx::query("DELETE FROM sign_in_attempts WHERE name = $1")
            .bind(name)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Unlocks the account's name (an administrator's decision, or a new password).
    pub async fn unlock_sign_in(&self, account: &UserId) -> Result<()> {
        let username: Option<String> =
            sqlx::query_scalar("SELECT username FROM accounts WHERE id = $1")
                .bind(&account.0)
                .fetch_optional(&self.pool)
                .await?;
        match username {
            Some(name) => self.clear_sign_in(&crate::limits::key(&name)).await,
            None => Ok(()),
        }
    }

    /// Whether `account` already signed in from `device` (and the phone is not revoked): only
    /// then does the phone get its own counter.
    pub async fn is_known_phone(&self, device: DeviceId, account: &UserId) -> Result<bool> {
        let known: i64 = sqlx::query_scalar(
            "SELECT CAST(CASE WHEN (EXISTS (SELECT 1 FROM device_keys \
             WHERE device_id = $1 AND account_id = $2) \
             OR EXISTS (SELECT 1 FROM sessions WHERE device_id = $1 AND account_id = $2)) \
             AND NOT EXISTS (SELECT 1 FROM revoked_devices WHERE device_id = $1) \
             THEN 1 ELSE 0 END AS BIGINT)",
        )
        .bind(device.to_string())
        .bind(&account.0)
        .fetch_one(&self.pool)
        .await?;
        Ok(known == 1)
    }
}

//! The server's half of a phone's data key: a random secret per (device, account), handed out
//! only with a password sign-in. It wraps the phone's second copy of its data key, the copy that
//! still opens the data after wrong PINs locked it. Whoever copies a phone's storage has neither
//! this secret nor the password that fetches it.

use super::{Db, Result};
use base64::Engine;
use chrono::{DateTime, Utc};
use rand::RngCore;
use rand::rngs::OsRng;
use xiafang_core::{DeviceId, UserId};

impl Db {
    /// The secret of `device` for `account`, made on first use. Two sign-ins at once get the same
    /// secret: the insert that loses the race changes nothing and both read the winner's.
    pub async fn device_secret(
        &self,
        device: DeviceId,
        account: &UserId,
        now: DateTime<Utc>,
    ) -> Result<String> {
        let mut bytes = [0u8; 32];
        OsRng.fill_bytes(&mut bytes);
        let fresh = base64::engine::general_purpose::STANDARD.encode(bytes);
        {
            let _turn = self.write_turn().await;
            sqlx::query(
                "INSERT INTO device_keys (device_id, account_id, secret, created_at) \
                 VALUES ($1, $2, $3, $4) ON CONFLICT (device_id, account_id) DO NOTHING",
            )
            .bind(device.to_string())
            .bind(&account.0)
            .bind(&fresh)
            .bind(now.to_rfc3339())
            .execute(&self.pool)
            .await?;
        }
        let secret: String = sqlx::query_scalar(
            "SELECT secret FROM device_keys WHERE device_id = $1 AND account_id = $2",
        )
        .bind(device.to_string())
        .bind(&account.0)
        .fetch_one(&self.pool)
        .await?;
        Ok(secret)
    }
}

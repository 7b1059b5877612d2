//! Accounts and sessions.

use super::{Db, Result};
use chrono::{DateTime, Utc};
use xiafang_core::account::{Account, LegalTitle, Role};
use xiafang_core::{DeviceId, UserId};

const ACCOUNT_SELECT: &str =
    "SELECT a.id, a.username, a.display_name, a.role, a.legal_title, p.name AS place_name";

/// An account as `ACCOUNT_SELECT` reads it.
#[derive(sqlx::FromRow)]
pub(crate) struct AccountRow {
    id: String,
    username: String,
    display_name: String,
    role: String,
    legal_title: Option<String>,
    place_name: String,
}

impl From<AccountRow> for Account {
    fn from(r: AccountRow) -> Self {
        Account {
            id: UserId(r.id),
            username: r.username,
            display_name: r.display_name,
            // Roles are written only from `Role::key`, so an unknown one means least privilege.
            role: Role::from_key(&r.role).unwrap_or(Role::Cadre),
            place: r.place_name,
            legal_title: r.legal_title.and_then(|t| LegalTitle::from_key(&t)),
        }
    }
}

#[derive(sqlx::FromRow)]
struct LoginRow {
    #[sqlx(flatten)]
    account: AccountRow,
    password_hash: String,
}

#[derive(sqlx::FromRow)]
struct SessionRow {
    #[sqlx(flatten)]
    account: AccountRow,
    revoked: i64,
    device_key: Option<String>,
    device_id: Option<String>,
}

impl Db {
    pub async fn has_accounts(&self) -> Result<bool> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM accounts")
            .fetch_one(&self.pool)
            .await?;
        Ok(n > 0)
    }

    /// The account and its password hash, for signing in; disabled accounts are not found.
    pub async fn account_for_login(&self, username: &str) -> Result<Option<(Account, String)>> {
        let row = sqlx::query_as::<_, LoginRow>(&format!(
            "{ACCOUNT_SELECT}, a.password_hash FROM accounts a JOIN places p ON p.id = a.place_id \
             WHERE a.username = $1 AND a.disabled = 0"
        ))
        .bind(username)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|r| (r.account.into(), r.password_hash)))
    }

    /// A session bound to no phone key: it opens nothing (the extractors refuse it). Tests use
    /// it for sessions made before keys existed.
    pub async fn create_session(
        &self,
        token_hash: &str,
        account: &UserId,
        now: DateTime<Utc>,
        expires: DateTime<Utc>,
    ) -> Result<()> {
        self.create_device_session(token_hash, account, None, None, now, expires)
            .await
    }

    /// A session signed in from a known phone, so revoking the phone reaches the session, and
    /// bound to the public key (`crate::proof`) whose signature every request must carry.
    pub async fn create_device_session(
        &self,
        token_hash: &str,
        account: &UserId,
        device: Option<DeviceId>,
        device_key: Option<&str>,
        now: DateTime<Utc>,
        expires: DateTime<Utc>,
    ) -> Result<()> {
        let _turn = self.write_turn().await;
        sqlx::query(
            "INSERT INTO sessions (token_hash, account_id, created_at, expires_at, device_id, \
             device_key) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(token_hash)
        .bind(&account.0)
        .bind(now.to_rfc3339())
        .bind(expires.to_rfc3339())
        .bind(device.map(|d| d.to_string()))
        .bind(device_key)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Ends a session: its token no longer signs anyone in.
    pub async fn end_session(&self, token_hash: &str) -> Result<()> {
        let _turn = self.write_turn().await;
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The account behind a live session of an enabled account, whether the session's phone
    /// has been revoked, the phone it was signed in from (`None` for a session signed in
    /// without one) and the phone key the session is bound to.
    pub async fn account_for_session(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<LiveSession>> {
        let row = sqlx::query_as::<_, SessionRow>(&format!(
            "{ACCOUNT_SELECT}, CAST(CASE WHEN EXISTS (SELECT 1 FROM revoked_devices r \
             WHERE r.device_id = s.device_id) THEN 1 ELSE 0 END AS BIGINT) AS revoked, \
             s.device_key, s.device_id \
             FROM sessions s JOIN accounts a ON a.id = s.account_id \
             JOIN places p ON p.id = a.place_id \
             WHERE s.token_hash = $1 AND s.expires_at > $2 AND a.disabled = 0"
        ))
        .bind(token_hash)
        .bind(now.to_rfc3339())
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|r| LiveSession {
            account: r.account.into(),
            revoked: r.revoked == 1,
            device_key: r.device_key,
            // Written only from a parsed `DeviceId`; anything else names no phone.
            device: r.device_id.and_then(|d| d.parse().ok()),
        }))
    }

    pub async fn account_by_id(&self, id: &UserId) -> Result<Option<Account>> {
        let row = sqlx::query_as::<_, AccountRow>(&format!(
            "{ACCOUNT_SELECT} FROM accounts a JOIN places p ON p.id = a.place_id WHERE a.id = $1"
        ))
        .bind(&id.0)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(Account::from))
    }
}

/// A live session as the extractors see it.
pub struct LiveSession {
    pub account: Account,
    /// The session's phone was revoked by an administrator.
    pub revoked: bool,
    /// The public key every request of the session must be signed by (`None`: a session from
    /// before keys, which opens nothing).
    pub device_key: Option<String>,
    /// The phone the session was signed in from, the only phone it speaks for.
    pub device: Option<DeviceId>,
}

//! Accounts and sessions.

use super::{Db, Result};
use chrono::{DateTime, Utc};
use sqlx::Row;
use sqlx::any::AnyRow;
use xiafang_core::UserId;
use xiafang_core::sync::{Account, Role};

const ACCOUNT_SELECT: &str =
    "SELECT a.id, a.username, a.display_name, a.role, p.name AS place_name";

fn account_from_row(r: &AnyRow) -> Account {
    Account {
        id: UserId(r.get("id")),
        username: r.get("username"),
        display_name: r.get("display_name"),
        // Roles are written only from `Role::key`, so an unknown one means least privilege.
        role: Role::from_key(r.get("role")).unwrap_or(Role::Cadre),
        place: r.get("place_name"),
    }
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
        let row = sqlx::query(&format!(
            "{ACCOUNT_SELECT}, a.password_hash FROM accounts a JOIN places p ON p.id = a.place_id \
             WHERE a.username = $1 AND a.disabled = 0"
        ))
        .bind(username)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|r| (account_from_row(&r), r.get("password_hash"))))
    }

    pub async fn create_session(
        &self,
        token_hash: &str,
        account: &UserId,
        now: DateTime<Utc>,
        expires: DateTime<Utc>,
    ) -> Result<()> {
        let _turn = self.write_turn().await;
        sqlx::query(
            "INSERT INTO sessions (token_hash, account_id, created_at, expires_at) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(token_hash)
        .bind(&account.0)
        .bind(now.to_rfc3339())
        .bind(expires.to_rfc3339())
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

    /// The account behind a live session of an enabled account.
    pub async fn account_for_session(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<Account>> {
        let row = sqlx::query(&format!(
            "{ACCOUNT_SELECT} FROM sessions s JOIN accounts a ON a.id = s.account_id \
             JOIN places p ON p.id = a.place_id \
             WHERE s.token_hash = $1 AND s.expires_at > $2 AND a.disabled = 0"
        ))
        .bind(token_hash)
        .bind(now.to_rfc3339())
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|r| account_from_row(&r)))
    }
}

//! What administrators change: accounts, passwords, and who is assigned to which file or village.
//! Every change is limited to the administrator's own place and the places below it.

mod listings;

use super::files::{FILE_PLACES, readable, readable_as, reads_jurisdiction, reads_jurisdiction_of};
use super::{Db, Result};
use sqlx::AnyConnection;
use xiafang_core::{FileId, UserId};
use xiafang_core::{
    account::{Account, Role},
    admin::NewAccount,
};

/// True when place `$2` is account `$1`'s place or below it.
const PLACE_UNDER: &str = "EXISTS (SELECT 1 FROM places p LEFT JOIN places up ON up.id = p.parent_id \
                           WHERE p.id = $2 AND (SELECT place_id FROM accounts WHERE id = $1) \
                           IN (p.id, up.id, up.parent_id))";

/// What creating an account came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Created {
    Account(UserId),
    NameTaken,
    /// The new account would read a file its administrator may not; nothing was created.
    ReadsBeyond,
}

/// Whether `target` reads (as stored in `conn` now, with its role) a file `admin` may not read —
/// an accusation naming the administrator or its place, say. An administrator must never gain,
/// through an account it controls, what it may not read itself.
async fn reads_beyond(conn: &mut AnyConnection, admin: &Account, target: &UserId) -> Result<bool> {
    let role: Option<String> = sqlx::query_scalar("SELECT role FROM accounts WHERE id = $1")
        .bind(&target.0)
        .fetch_optional(&mut *conn)
        .await?;
    // An unknown role reads as least privilege everywhere (`AccountRow`).
    let target_reads_jurisdiction = role
        .and_then(|r| Role::from_key(&r))
        .map_or(0, reads_jurisdiction_of);
    let beyond: Option<i64> = sqlx::query_scalar(&format!(
        "SELECT CAST(1 AS BIGINT) FROM {FILE_PLACES} WHERE {} AND NOT {} LIMIT 1",
        readable_as("$3", "$4"),
        readable()
    ))
    .bind(&admin.id.0)
    .bind(reads_jurisdiction(admin))
    .bind(&target.0)
    .bind(target_reads_jurisdiction)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(beyond.is_some())
}

impl Db {
    /// Whether `place` lies in the administrator's jurisdiction.
    pub async fn place_under(&self, admin: &Account, place: &str) -> Result<bool> {
        let n: i64 = sqlx::query_scalar(&format!(
            "SELECT CAST(CASE WHEN {PLACE_UNDER} THEN 1 ELSE 0 END AS BIGINT)"
        ))
        .bind(&admin.id.0)
        .bind(place)
        .fetch_one(&self.pool)
        .await?;
        Ok(n == 1)
    }

    /// The place an account belongs to, if the account exists.
    pub async fn place_of_account(&self, account: &UserId) -> Result<Option<String>> {
        Ok(
            sqlx::query_scalar("SELECT place_id FROM accounts WHERE id = $1")
                .bind(&account.0)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    /// The village a petitioner's file belongs to, if the file exists. A place's screening
    /// ledger is nobody's to assign (its writers follow from their place), so it is not found.
    pub async fn village_of_file(&self, file: &FileId) -> Result<Option<String>> {
        Ok(
            sqlx::query_scalar("SELECT village_id FROM files WHERE id = $1 AND ledger = 0")
                .bind(&file.0)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    pub async fn role_of(&self, account: &UserId) -> Result<Option<Role>> {
        let role: Option<String> = sqlx::query_scalar("SELECT role FROM accounts WHERE id = $1")
            .bind(&account.0)
            .fetch_optional(&self.pool)
            .await?;
        Ok(role.and_then(|r| Role::from_key(&r)))
    }

    /// Creates an account for `admin`, unless the user name is taken or the new account would
    /// read a file the administrator may not (then nothing is created).
    pub async fn create_account(
        &self,
        admin: &Account,
        new: &NewAccount,
        hash: &str,
    ) -> Result<Created> {
        let _turn = self.write_turn().await;
        let mut tx = self.pool.begin().await?;
        let id = UserId(format!("u-{}", new.username));
        let done = sqlx::query(
            "INSERT INTO accounts (id, username, display_name, role, place_id, password_hash, \
             legal_title) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING",
        )
        .bind(&id.0)
        .bind(&new.username)
        .bind(new.display_name.trim())
        .bind(new.role.key())
        .bind(&new.place_id)
        .bind(hash)
        .bind(new.legal_title.map(|t| t.key()))
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Ok(Created::NameTaken);
        }
        if reads_beyond(&mut tx, admin, &id).await? {
            tx.rollback().await?;
            return Ok(Created::ReadsBeyond);
        }
        tx.commit().await?;
        Ok(Created::Account(id))
    }

    /// Disables or enables an account for `admin`; disabling also ends all its sessions.
    /// Enabling is refused (`false`, nothing changed) when the account reads a file the
    /// administrator may not.
    pub async fn set_disabled(
        &self,
        admin: &Account,
        account: &UserId,
        disabled: bool,
    ) -> Result<bool> {
        let update = sqlx::query("UPDATE accounts SET disabled = $1 WHERE id = $2")
            .bind(i64::from(disabled))
            .bind(&account.0);
        let guard = (!disabled).then_some(admin);
        self.update_account(account, update, disabled, guard).await
    }

    /// Sets a new password for `admin` and ends every session signed in with the old one;
    /// refused (`false`, nothing changed) when the account reads a file the administrator may
    /// not: whoever sets the password could sign in as the account and read it. A reset also
    /// lifts a lock on the name: the guesses were at a password that no longer exists.
    pub async fn reset_password(
        &self,
        admin: &Account,
        account: &UserId,
        hash: &str,
    ) -> Result<bool> {
        let update = sqlx::query("UPDATE accounts SET password_hash = $1 WHERE id = $2")
            .bind(hash)
            .bind(&account.0);
        let done = self
            .update_account(account, update, true, Some(admin))
            .await?;
        if done {
            self.unlock_sign_in(account).await?;
        }
        Ok(done)
    }

    /// Runs `update` on the account and, if asked, ends its sessions, in one transaction that is
    /// rolled back (answering `false`) when the account would then read a file `guard` may not.
    async fn update_account<'q>(
        &self,
        account: &UserId,
        update: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
        end_sessions: bool,
        guard: Option<&Account>,
    ) -> Result<bool> {
        let _turn = self.write_turn().await;
        let mut tx = self.pool.begin().await?;
        update.execute(&mut *tx).await?;
        if let Some(admin) = guard
            && reads_beyond(&mut tx, admin, account).await?
        {
            tx.rollback().await?;
            return Ok(false);
        }
        if end_sessions {
            sqlx::query("DELETE FROM sessions WHERE account_id = $1")
                .bind(&account.0)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    pub async fn unassign(&self, file: &FileId, account: &UserId) -> Result<()> {
        let _turn = self.write_turn().await;
        sqlx::query("DELETE FROM assignments WHERE account_id = $1 AND file_id = $2")
            .bind(&account.0)
            .bind(&file.0)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Adds or removes a village a legal team member serves (setting up, no administrator to
    /// answer to).
    pub async fn set_legal_village(&self, account: &UserId, village: &str, on: bool) -> Result<()> {
        self.change_legal_village(None, account, village, on)
            .await?;
        Ok(())
    }

    /// `set_legal_village` for `admin`: adding is refused (`false`, nothing changed) when the
    /// member would then read a file the administrator may not (a file of the village already
    /// referred to them).
    pub async fn set_legal_village_by(
        &self,
        admin: &Account,
        account: &UserId,
        village: &str,
        on: bool,
    ) -> Result<bool> {
        self.change_legal_village(Some(admin), account, village, on)
            .await
    }

    async fn change_legal_village(
        &self,
        guard: Option<&Account>,
        account: &UserId,
        village: &str,
        on: bool,
    ) -> Result<bool> {
        let _turn = self.write_turn().await;
        let mut tx = self.pool.begin().await?;
        let sql = if on {
            "INSERT INTO legal_villages (account_id, village_id) VALUES ($1, $2) \
             ON CONFLICT DO NOTHING"
        } else {
            "DELETE FROM legal_villages WHERE account_id = $1 AND village_id = $2"
        };
        sqlx::query(sql)
            .bind(&account.0)
            .bind(village)
            .execute(&mut *tx)
            .await?;
        if let Some(admin) = guard.filter(|_| on)
            && reads_beyond(&mut tx, admin, account).await?
        {
            tx.rollback().await?;
            return Ok(false);
        }
        tx.commit().await?;
        Ok(true)
    }

    pub async fn legal_villages(&self, account: &UserId) -> Result<Vec<String>> {
        Ok(sqlx::query_scalar(
            "SELECT village_id FROM legal_villages WHERE account_id = $1 ORDER BY village_id",
        )
        .bind(&account.0)
        .fetch_all(&self.pool)
        .await?)
    }
}

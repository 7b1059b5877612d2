//! What administrators change: accounts, passwords, and who is assigned to which file or village.
//! Every change is limited to the administrator's own place and the places below it.

use super::files::{FILE_PLACES, readable, reads_jurisdiction};
use super::{Db, Result};
use sqlx::Row;
use xiafang_core::sync::{
    Account, AccountSummary, FileSummary, NewAccount, PlaceKind, PlaceSummary, Role,
};
use xiafang_core::{FileId, UserId};

/// True when place `$2` is account `$1`'s place or below it.
const PLACE_UNDER: &str = "EXISTS (SELECT 1 FROM places p LEFT JOIN places up ON up.id = p.parent_id \
                           WHERE p.id = $2 AND (SELECT place_id FROM accounts WHERE id = $1) \
                           IN (p.id, up.id, up.parent_id))";

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

    /// The village a file belongs to, if the file exists.
    pub async fn village_of_file(&self, file: &FileId) -> Result<Option<String>> {
        Ok(
            sqlx::query_scalar("SELECT village_id FROM files WHERE id = $1")
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

    /// Creates an account; `None` when the user name is taken.
    pub async fn create_account(&self, new: &NewAccount, hash: &str) -> Result<Option<UserId>> {
        let _turn = self.write_turn().await;
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
        .execute(&self.pool)
        .await?;
        Ok((done.rows_affected() == 1).then_some(id))
    }

    /// Disables or enables an account; disabling also ends all its sessions.
    pub async fn set_disabled(&self, account: &UserId, disabled: bool) -> Result<()> {
        let update = sqlx::query("UPDATE accounts SET disabled = $1 WHERE id = $2")
            .bind(i64::from(disabled))
            .bind(&account.0);
        self.update_account(account, update, disabled).await
    }

    /// Sets a new password, ends every session signed in with the old one, and lifts a lock
    /// on the name: the guesses were at a password that no longer exists.
    pub async fn reset_password(&self, account: &UserId, hash: &str) -> Result<()> {
        let update = sqlx::query("UPDATE accounts SET password_hash = $1 WHERE id = $2")
            .bind(hash)
            .bind(&account.0);
        self.update_account(account, update, true).await?;
        self.unlock_sign_in(account).await
    }

    /// Runs `update` on the account and, if asked, ends its sessions in the same transaction.
    async fn update_account<'q>(
        &self,
        account: &UserId,
        update: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
        end_sessions: bool,
    ) -> Result<()> {
        let _turn = self.write_turn().await;
        let mut tx = self.pool.begin().await?;
        update.execute(&mut *tx).await?;
        if end_sessions {
            sqlx::query("DELETE FROM sessions WHERE account_id = $1")
                .bind(&account.0)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
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

    pub async fn set_legal_village(&self, account: &UserId, village: &str, on: bool) -> Result<()> {
        let _turn = self.write_turn().await;
        let sql = if on {
            "INSERT INTO legal_villages (account_id, village_id) VALUES ($1, $2) \
             ON CONFLICT DO NOTHING"
        } else {
            "DELETE FROM legal_villages WHERE account_id = $1 AND village_id = $2"
        };
        sqlx::query(sql)
            .bind(&account.0)
            .bind(village)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn legal_villages(&self, account: &UserId) -> Result<Vec<String>> {
        Ok(sqlx::query_scalar(
            "SELECT village_id FROM legal_villages WHERE account_id = $1 ORDER BY village_id",
        )
        .bind(&account.0)
        .fetch_all(&self.pool)
        .await?)
    }

    /// The accounts of the administrator's place and the places below it.
    pub async fn accounts_under(&self, admin: &Account) -> Result<Vec<AccountSummary>> {
        let rows = sqlx::query(&format!(
            "SELECT a.id, a.username, a.display_name, a.role, a.legal_title, a.place_id, \
             a.disabled, pl.name AS place_name FROM accounts a JOIN places pl ON pl.id = a.place_id \
             WHERE {} ORDER BY a.username",
            PLACE_UNDER.replace("$2", "a.place_id")
        ))
        .bind(&admin.id.0)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|r| AccountSummary {
                account: super::accounts::account_from_row(r),
                place_id: r.get("place_id"),
                disabled: r.get::<i64, _>("disabled") != 0,
            })
            .collect())
    }

    /// The administrator's place and every place below it, county first, then by name.
    pub async fn places_under(&self, admin: &Account) -> Result<Vec<PlaceSummary>> {
        let rows = sqlx::query(&format!(
            "SELECT pl.id, pl.name, pl.kind, pl.parent_id FROM places pl WHERE {} \
             ORDER BY CASE pl.kind WHEN 'county' THEN 0 WHEN 'township' THEN 1 ELSE 2 END, \
             pl.name, pl.id",
            PLACE_UNDER.replace("$2", "pl.id")
        ))
        .bind(&admin.id.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let kind: String = r.get("kind");
                Ok(PlaceSummary {
                    id: r.get("id"),
                    name: r.get("name"),
                    kind: PlaceKind::from_key(&kind).ok_or_else(|| super::DbError::Corrupt {
                        table: "places",
                        source: serde::de::Error::custom(format!("place kind {kind}")),
                    })?,
                    parent_id: r.get("parent_id"),
                })
            })
            .collect()
    }

    /// The files the administrator may read (its jurisdiction, less any accusation naming the
    /// administrator or its place, which it must not learn of), with their assigned accounts.
    pub async fn files_under(&self, admin: &Account) -> Result<Vec<FileSummary>> {
        let rows = sqlx::query(&format!(
            "SELECT f.id, f.name, f.village_id, asg.account_id AS assigned FROM {FILE_PLACES} \
             LEFT JOIN assignments asg ON asg.file_id = f.id WHERE {} \
             ORDER BY f.name, f.id, asg.account_id",
            readable()
        ))
        .bind(&admin.id.0)
        .bind(reads_jurisdiction(admin))
        .fetch_all(&self.pool)
        .await?;
        let mut files: Vec<FileSummary> = Vec::new();
        for r in &rows {
            let id: String = r.get("id");
            if files.last().is_none_or(|f| f.id.0 != id) {
                files.push(FileSummary {
                    id: FileId(id),
                    name: r.get("name"),
                    village_id: r.get("village_id"),
                    assigned: Vec::new(),
                });
            }
            if let (Some(file), Some(account)) =
                (files.last_mut(), r.get::<Option<String>, _>("assigned"))
            {
                file.assigned.push(UserId(account));
            }
        }
        Ok(files)
    }
}

//! Loading the demo (or a test's world) into an empty database, in one transaction.

use super::blobs::store_complete_blob;
use super::feed::next_position;
use super::upload::insert_record;
use super::{Db, DbError, Result, to_json};
use crate::demo::Demo;
use sqlx::AnyConnection;
use xiafang_core::account::{LegalTitle, Role};

/// An account as the demo and an import write it into an empty slot (a taken id or name is an
/// error here; the admin screen's `create_account` answers "name taken" instead).
pub(crate) struct AccountRow<'a> {
    pub id: &'a str,
    pub username: &'a str,
    pub display_name: &'a str,
    pub role: Role,
    pub place_id: &'a str,
    pub password_hash: &'a str,
    pub legal_title: Option<LegalTitle>,
}

pub(crate) async fn insert_account(conn: &mut AnyConnection, a: &AccountRow<'_>) -> Result<()> {
    sqlx::query(
        "INSERT INTO accounts (id, username, display_name, role, place_id, password_hash, \
         legal_title) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(a.id)
    .bind(a.username)
    .bind(a.display_name)
    .bind(a.role.key())
    .bind(a.place_id)
    .bind(a.password_hash)
    .bind(a.legal_title.map(|t| t.key()))
    .execute(conn)
    .await?;
    Ok(())
}

impl Db {
    pub async fn seed_demo(&self, demo: &Demo) -> Result<()> {
        let _turn = self.write_turn().await;
        let mut tx = self.pool.begin().await?;
        for p in &demo.places {
            sqlx::query("INSERT INTO places (id, name, kind, parent_id) VALUES ($1, $2, $3, $4)")
                .bind(&p.id)
                .bind(&p.name)
                .bind(&p.kind)
                .bind(&p.parent)
                .execute(&mut *tx)
                .await?;
            for group in &p.groups {
                sqlx::query("INSERT INTO villager_groups (village_id, name) VALUES ($1, $2)")
                    .bind(&p.id)
                    .bind(group)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        super::screening::ensure_ledgers(&mut tx).await?;
        for a in &demo.accounts {
            let hash = crate::auth::hash_password(&a.password).map_err(DbError::Demo)?;
            let row = AccountRow {
                id: &a.id,
                username: &a.username,
                display_name: &a.display_name,
                role: a.role,
                place_id: &a.place,
                password_hash: &hash,
                legal_title: a.legal_title,
            };
            insert_account(&mut tx, &row).await?;
            for village in &a.villages {
                sqlx::query("INSERT INTO legal_villages (account_id, village_id) VALUES ($1, $2)")
                    .bind(&a.id)
                    .bind(village)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        for f in &demo.files {
            let position = next_position(&mut tx).await?;
            sqlx::query(
                "INSERT INTO files (id, village_id, name, data, feed_seq) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(&f.file.id.0)
            .bind(&f.village_id)
            .bind(&f.file.name)
            .bind(to_json(&f.file))
            .bind(position)
            .execute(&mut *tx)
            .await?;
            for accused in &f.file.matter.accused {
                sqlx::query(
                    "INSERT INTO file_accused (file_id, account_id, place_id) VALUES ($1, $2, $3)",
                )
                .bind(&f.file.id.0)
                .bind(accused.account.as_ref().map(|a| a.0.clone()))
                .bind(&accused.place)
                .execute(&mut *tx)
                .await?;
            }
            for account in &f.assigned {
                sqlx::query("INSERT INTO assignments (account_id, file_id) VALUES ($1, $2)")
                    .bind(account)
                    .bind(&f.file.id.0)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        for r in &demo.records {
            if let Err(errors) = r.validate() {
                return Err(DbError::Demo(format!(
                    "record {} is invalid: {errors:?}",
                    r.id
                )));
            }
            insert_record(&mut tx, r, None).await?;
        }
        for image in &demo.images {
            // Owned by the author of the first record that shows it, as if they had uploaded it.
            let sha256 = xiafang_core::attachment::sha256_hex(image.bytes);
            let owner = demo.records.iter().find(|r| {
                xiafang_core::kinds::blob_of(&r.body).is_some_and(|b| b.sha256 == sha256)
            });
            if let Some(owner) = owner {
                store_complete_blob(&mut tx, &owner.author, image.mime, image.bytes).await?;
            }
        }
        tx.commit().await?;
        Ok(())
    }
}

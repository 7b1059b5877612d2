//! What an administrator's screens list: the accounts, places and files of their place and
//! the places below it.

use super::PLACE_UNDER;
use crate::db::files::{FILE_PLACES, PETITIONER, readable, reads_jurisdiction};
use crate::db::{Db, Result};
use xiafang_core::{FileId, UserId};
use xiafang_core::{
    account::Account,
    admin::{AccountSummary, FileSummary, PlaceKind, PlaceSummary},
};

impl Db {
    /// The accounts of the administrator's place and the places below it.
    pub async fn accounts_under(&self, admin: &Account) -> Result<Vec<AccountSummary>> {
        let rows = sqlx::query_as::<_, SummaryRow>(&format!(
            "SELECT a.id, a.username, a.display_name, a.role, a.legal_title, a.place_id, \
             a.disabled, pl.name AS place_name FROM accounts a JOIN places pl ON pl.id = a.place_id \
             WHERE {} ORDER BY a.username",
            PLACE_UNDER.replace("$2", "a.place_id")
        ))
        .bind(&admin.id.0)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| AccountSummary {
                account: r.account.into(),
                place_id: r.place_id,
                disabled: r.disabled != 0,
            })
            .collect())
    }

    /// The administrator's place and every place below it, county first, then by name.
    pub async fn places_under(&self, admin: &Account) -> Result<Vec<PlaceSummary>> {
        let rows = sqlx::query_as::<_, PlaceRow>(&format!(
            "SELECT pl.id, pl.name, pl.kind, pl.parent_id FROM places pl WHERE {} \
             ORDER BY CASE pl.kind WHEN 'county' THEN 0 WHEN 'township' THEN 1 ELSE 2 END, \
             pl.name, pl.id",
            PLACE_UNDER.replace("$2", "pl.id")
        ))
        .bind(&admin.id.0)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|r| {
                Ok(PlaceSummary {
                    kind: PlaceKind::from_key(&r.kind).ok_or_else(|| {
                        crate::db::DbError::Corrupt {
                            table: "places",
                            source: serde::de::Error::custom(format!("place kind {}", r.kind)),
                        }
                    })?,
                    id: r.id,
                    name: r.name,
                    parent_id: r.parent_id,
                })
            })
            .collect()
    }

    /// The files the administrator may read (its jurisdiction, less any accusation naming the
    /// administrator or its place, which it must not learn of), with their assigned accounts.
    pub async fn files_under(&self, admin: &Account) -> Result<Vec<FileSummary>> {
        let rows = sqlx::query_as::<_, FileRow>(&format!(
            "SELECT f.id, f.name, f.village_id, asg.account_id AS assigned FROM {FILE_PLACES} \
             LEFT JOIN assignments asg ON asg.file_id = f.id WHERE {} AND {PETITIONER} \
             ORDER BY f.name, f.id, asg.account_id",
            readable()
        ))
        .bind(&admin.id.0)
        .bind(reads_jurisdiction(admin))
        .fetch_all(&self.pool)
        .await?;
        let mut files: Vec<FileSummary> = Vec::new();
        for r in rows {
            if files.last().is_none_or(|f| f.id.0 != r.id) {
                files.push(FileSummary {
                    id: FileId(r.id),
                    name: r.name,
                    village_id: r.village_id,
                    assigned: Vec::new(),
                });
            }
            if let (Some(file), Some(account)) = (files.last_mut(), r.assigned) {
                file.assigned.push(UserId(account));
            }
        }
        Ok(files)
    }
}

#[derive(sqlx::FromRow)]
struct SummaryRow {
    #[sqlx(flatten)]
    account: crate::db::accounts::AccountRow,
    place_id: String,
    disabled: i64,
}

#[derive(sqlx::FromRow)]
struct PlaceRow {
    id: String,
    name: String,
    kind: String,
    parent_id: Option<String>,
}

/// A file with one of its assigned accounts (none: `assigned` is null).
#[derive(sqlx::FromRow)]
struct FileRow {
    id: String,
    name: String,
    village_id: String,
    assigned: Option<String>,
}

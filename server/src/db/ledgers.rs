//! What the office's ledgers read: the files of a place an account may read, with their records.

use super::files::{FILE_PLACES, PETITIONER, readable, reads_jurisdiction};
use super::{Db, Result, parse};
use std::collections::HashMap;
use xiafang_core::account::Account;
use xiafang_core::{PetitionerFile, Record};

/// True when file `f`'s village, township or county is place `$3`.
const IN_PLACE: &str = "$3 IN (v.id, t.id, t.parent_id)";

impl Db {
    /// Whether `place` is the account's own place or lies below it: the places it may export.
    pub async fn place_in_jurisdiction(&self, account: &Account, place: &str) -> Result<bool> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM places p LEFT JOIN places up ON up.id = p.parent_id \
             WHERE p.id = $1 AND (SELECT place_id FROM accounts WHERE id = $2) \
             IN (p.id, up.id, up.parent_id)",
        )
        .bind(place)
        .bind(&account.id.0)
        .fetch_one(&self.pool)
        .await?;
        Ok(n > 0)
    }

    /// The id of the account's own place.
    pub async fn place_of(&self, account: &Account) -> Result<String> {
        let place = sqlx::query_scalar("SELECT place_id FROM accounts WHERE id = $1")
            .bind(&account.id.0)
            .fetch_one(&self.pool)
            .await?;
        Ok(place)
    }

    /// Every file in `place` the account may read (an accusation stays hidden from those it
    /// names), each with all its records, oldest first, files by township, village and name.
    pub async fn files_in_place(
        &self,
        account: &Account,
        place: &str,
    ) -> Result<Vec<(PetitionerFile, Vec<Record>)>> {
        let files = sqlx::query_as::<_, (String, String)>(&format!(
            "SELECT f.id, f.data FROM {FILE_PLACES} WHERE {} AND {IN_PLACE} AND {PETITIONER} \
             ORDER BY t.name, v.name, f.name, f.id",
            readable()
        ))
        .bind(&account.id.0)
        .bind(reads_jurisdiction(account))
        .bind(place)
        .fetch_all(&self.pool)
        .await?;
        let records = sqlx::query_as::<_, (String, String)>(&format!(
            "SELECT r.file_id, r.body FROM {FILE_PLACES} JOIN records r ON r.file_id = f.id \
             WHERE {} AND {IN_PLACE} AND {PETITIONER} ORDER BY r.occurred_at, r.feed_seq",
            readable()
        ))
        .bind(&account.id.0)
        .bind(reads_jurisdiction(account))
        .bind(place)
        .fetch_all(&self.pool)
        .await?;
        let mut by_file: HashMap<String, Vec<Record>> = HashMap::new();
        for (file_id, body) in records {
            by_file
                .entry(file_id)
                .or_default()
                .push(parse(&body, "records")?);
        }
        files
            .iter()
            .map(|(id, data)| {
                let file: PetitionerFile = parse(data, "files")?;
                let records = by_file.remove(id).unwrap_or_default();
                Ok((file, records))
            })
            .collect()
    }
}

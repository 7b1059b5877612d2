//! What the office's ledgers read: the files of a place an account may read, with their records.

use super::files::{FILE_PLACES, PETITIONER, readable, reads_jurisdiction};
use super::{Db, Result, parse};
use std::collections::HashMap;
use xiafang_core::account::Account;
use xiafang_core::chain::ChainHash;
use xiafang_core::ledger_chain::RowSource;
use xiafang_core::{PetitionerFile, Record, RecordId};

/// The chain links of the records a ledger was made from, and each file's head.
#[derive(Debug, Default)]
pub struct Links {
    records: HashMap<RecordId, ChainHash>,
    heads: HashMap<String, ChainHash>,
}

impl Links {
    /// The hash a ledger row made from `source` carries.
    pub fn of(&self, source: &RowSource) -> Option<ChainHash> {
        match source {
            RowSource::Record(id) => self.records.get(id).copied(),
            RowSource::File(file) => self.heads.get(&file.0).copied(),
        }
    }
}

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
    /// names), each with all its records, oldest first, files by township, village and name;
    /// and the chain links of those records, read with them.
    pub async fn files_in_place(
        &self,
        account: &Account,
        place: &str,
    ) -> Result<(Vec<(PetitionerFile, Vec<Record>)>, Links)> {
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
        let records = sqlx::query_as::<_, (String, String, i64, Option<String>)>(&format!(
            "SELECT r.file_id, r.body, r.feed_seq, r.chain_hash FROM {FILE_PLACES} JOIN records r ON r.file_id = f.id \
             WHERE {} AND {IN_PLACE} AND {PETITIONER} ORDER BY r.occurred_at, r.feed_seq",
            readable()
        ))
        .bind(&account.id.0)
        .bind(reads_jurisdiction(account))
        .bind(place)
        .fetch_all(&self.pool)
        .await?;
        let mut by_file: HashMap<String, Vec<Record>> = HashMap::new();
        let mut links = Links::default();
        // The file's head is the link of its record stored last.
        let mut last: HashMap<String, i64> = HashMap::new();
        for (file_id, body, feed_seq, link) in records {
            let record: Record = parse(&body, "records")?;
            if let Some(link) = link.as_deref().and_then(ChainHash::from_hex) {
                links.records.insert(record.id, link);
                if last.get(&file_id).is_none_or(|seen| *seen < feed_seq) {
                    last.insert(file_id.clone(), feed_seq);
                    links.heads.insert(file_id.clone(), link);
                }
            }
            by_file.entry(file_id).or_default().push(record);
        }
        let files = files
            .iter()
            .map(|(id, data)| {
                let file: PetitionerFile = parse(data, "files")?;
                let records = by_file.remove(id).unwrap_or_default();
                Ok((file, records))
            })
            .collect::<Result<_>>()?;
        Ok((files, links))
    }
}

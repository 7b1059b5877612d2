//! The whole case load at once, for the supervisor's console (review queue, deadlines, figures):
//! every file on the phone with all its records, read in one transaction.

use super::idb::{self, transaction};
use super::records::{file_bodies, local_records};
use super::{FILES, LocalRecord, RECORDS, Store, StoreError};
use std::collections::HashMap;
use web_sys::IdbTransactionMode::Readonly;
use xiafang_core::PetitionerFile;

impl Store {
    /// Every file with its records, oldest first; files in the order stored (by id).
    pub async fn overview(&self) -> Result<Vec<(PetitionerFile, Vec<LocalRecord>)>, StoreError> {
        let tx = transaction(&self.db, &[FILES, RECORDS], Readonly)?;
        let files = tx.object_store(FILES).map_err(StoreError::from_js)?;
        let records = tx.object_store(RECORDS).map_err(StoreError::from_js)?;
        let rows = idb::all(&[
            files.get_all().map_err(StoreError::from_js)?,
            records.get_all().map_err(StoreError::from_js)?,
        ])
        .await?;
        let files = file_bodies(&js_sys::Array::from(&rows[0]).iter().collect::<Vec<_>>()).await?;
        let mut by_file: HashMap<String, Vec<LocalRecord>> = HashMap::new();
        for local in local_records(&rows[1]).await? {
            by_file
                .entry(local.record.file_id.0.clone())
                .or_default()
                .push(local);
        }
        Ok(files
            .into_iter()
            .map(|file| {
                let mut records = by_file.remove(&file.id.0).unwrap_or_default();
                records.sort_by_key(|l| (l.record.occurred_at, l.record.saved_at));
                (file, records)
            })
            .collect())
    }
}

//! How rows keep their content: the record or file as JSON, sealed under the phone's data key
//! (`vault`) and bound to the row's key, so a sealed value moved to another row does not open.
//! Only what indexes and sync bookkeeping need stays in the clear: ids, the file a record
//! belongs to, the upload state and the outbox numbering.
//!
//! Rows written by versions before encryption carry a plain `body`; they are still read, and
//! `Store::seal_plain_rows` seals them at the first sign-in.

use super::idb::{self, committed, field_str, request, transaction};
use super::{FILES, OUTBOX, RECORDS, Store, StoreError, vault};
use futures::future::try_join_all;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::IdbTransactionMode::{Readonly, Readwrite};

/// The field that holds a row's sealed content.
pub(crate) const SEALED: &str = "sealed";
/// The field a row kept its content in, in the clear, before encryption.
const PLAIN: &str = "body";

/// What a sealed value is bound to: its store and its key in that store.
pub(crate) fn aad(store: &str, key: &str) -> String {
    format!("{store}:{key}")
}

/// Reads a row's content, sealed or (from an older version) plain.
pub(crate) async fn content<T: serde::de::DeserializeOwned>(
    row: &JsValue,
    aad: &str,
) -> Result<T, StoreError> {
    let sealed = js_sys::Reflect::get(row, &JsValue::from_str(SEALED)).unwrap_or_default();
    if !sealed.is_undefined() {
        return vault::open(&sealed, aad).await;
    }
    let text =
        field_str(row, PLAIN).ok_or_else(|| StoreError::Corrupt("row without content".into()))?;
    serde_json::from_str(&text).map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// Reads many rows' contents side by side (each opening is its own Web Crypto call).
pub(crate) async fn contents<T: serde::de::DeserializeOwned>(
    rows: &[(JsValue, String)],
) -> Result<Vec<T>, StoreError> {
    // Locked is locked, even where there is nothing to open: an empty list would read as "no
    // data" to the screen asking.
    vault::cipher()?;
    try_join_all(rows.iter().map(|(row, aad)| content(row, aad))).await
}

/// Seals many values side by side, in order.
pub(crate) async fn seal_all<T: serde::Serialize>(
    values: &[(&T, String)],
) -> Result<Vec<JsValue>, StoreError> {
    try_join_all(values.iter().map(|(value, aad)| vault::seal(*value, aad))).await
}

/// The key a row is stored and sealed under, per store.
fn row_key(store: &str, row: &JsValue) -> Option<String> {
    match store {
        OUTBOX => field_str(row, "record_id"),
        _ => field_str(row, "id"),
    }
}

impl Store {
    /// Seals every row an older version kept in the clear. Each row is sealed outside the
    /// transaction (Web Crypto would let it commit), then written back only if it is still the
    /// plain row that was read, so a row changed meanwhile is never overwritten with old data.
    pub async fn seal_plain_rows(&self) -> Result<(), StoreError> {
        for store in [RECORDS, OUTBOX, FILES] {
            let tx = transaction(&self.db, &[store], Readonly)?;
            let all = tx.object_store(store).map_err(StoreError::from_js)?;
            let rows = request(&all.get_all().map_err(StoreError::from_js)?).await?;
            let plain: Vec<JsValue> = js_sys::Array::from(&rows)
                .iter()
                .filter(|row| field_str(row, PLAIN).is_some())
                .collect();
            if plain.is_empty() {
                continue;
            }
            let mut sealed = Vec::with_capacity(plain.len());
            for row in &plain {
                let key = row_key(store, row)
                    .ok_or_else(|| StoreError::Corrupt("plain row without key".into()))?;
                let value: serde_json::Value = content(row, "").await?;
                sealed.push(vault::seal(&value, &aad(store, &key)).await?);
            }
            let tx = transaction(&self.db, &[store], Readwrite)?;
            let target = tx.object_store(store).map_err(StoreError::from_js)?;
            let primary = |row: &JsValue| match store {
                OUTBOX => js_sys::Reflect::get(row, &JsValue::from_str("seq")).unwrap_or_default(),
                _ => JsValue::from_str(&field_str(row, "id").unwrap_or_default()),
            };
            let current = idb::all(
                &plain
                    .iter()
                    .map(|row| target.get(&primary(row)))
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(StoreError::from_js)?,
            )
            .await?;
            for ((row, now), sealed) in plain.iter().zip(&current).zip(&sealed) {
                if field_str(now, PLAIN) != field_str(row, PLAIN) {
                    continue;
                }
                js_sys::Reflect::delete_property(
                    now.unchecked_ref::<js_sys::Object>(),
                    &JsValue::from_str(PLAIN),
                )
                .map_err(StoreError::from_js)?;
                js_sys::Reflect::set(now, &JsValue::from_str(SEALED), sealed)
                    .map_err(StoreError::from_js)?;
                target.put(now).map_err(StoreError::from_js)?;
            }
            committed(&tx).await?;
        }
        Ok(())
    }

    /// Every row of `table` exactly as stored, for checking what the browser keeps on disk.
    pub async fn raw_rows(&self, table: &str) -> Result<Vec<JsValue>, StoreError> {
        let tx = transaction(&self.db, &[table], Readonly)?;
        let all = tx.object_store(table).map_err(StoreError::from_js)?;
        let rows = request(&all.get_all().map_err(StoreError::from_js)?).await?;
        Ok(js_sys::Array::from(&rows).iter().collect())
    }

    /// Empties every store (records, outbox, files, cursor, images) in one transaction: the data
    /// of a key that can no longer be opened, once nothing of it waits for upload. The database
    /// and this phone's device id stay.
    pub async fn clear_all(&self) -> Result<(), StoreError> {
        let stores = [RECORDS, OUTBOX, FILES, super::META, super::BLOBS];
        let tx = transaction(&self.db, &stores, Readwrite)?;
        for store in stores {
            tx.object_store(store)
                .and_then(|s| s.clear())
                .map_err(StoreError::from_js)?;
        }
        committed(&tx).await
    }
}

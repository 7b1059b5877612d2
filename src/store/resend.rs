//! After a restored server asks for them again (`PullResponse::resend`), the phone's own
//! acknowledged records go back into the outbox: the server stores each one its backup lacked
//! and answers the others as already there, so nothing is lost and nothing is stored twice.
//!
//! The phone's own records are marked `own` when the server acknowledges them (`settle`); rows
//! settled by an earlier release carry no mark, so the signed-in account's records count as its
//! own too (sending one that another of its phones saved is harmless: it is there already).

use super::idb::{self, committed, field_str, object, request, transaction};
use super::seal::{SEALED, aad, contents, seal_all};
use super::{META, OUTBOX, RECORDS, Store, StoreError};
use wasm_bindgen::JsValue;
use web_sys::IdbTransactionMode::{Readonly, Readwrite};
use xiafang_core::upload::SyncState;
use xiafang_core::{Record, UserId};

/// The mark on a record row the server acknowledged from this phone.
pub(super) const OWN: &str = "own";

fn acked_key() -> JsValue {
    JsValue::from_str("acked_seq")
}

/// The row as the phone's own: a record it saved, whatever the server said of it.
pub(super) fn marked_own(row: JsValue) -> JsValue {
    let _ = js_sys::Reflect::set(&row, &JsValue::from_str(OWN), &JsValue::TRUE);
    row
}

/// The mark on an outbox row that offers an acknowledged record again (`requeue_own`).
const RESENT: &str = "resent";

/// Whether the outbox row offers an acknowledged record again.
pub(super) fn is_resent(row: &JsValue) -> bool {
    js_sys::Reflect::get(row, &JsValue::from_str(RESENT)).is_ok_and(|v| v.is_truthy())
}

fn is_own(row: &JsValue) -> bool {
    js_sys::Reflect::get(row, &JsValue::from_str(OWN)).is_ok_and(|v| v.is_truthy())
}

fn is_uploaded(row: &JsValue) -> bool {
    field_str(row, "state")
        .and_then(|s| serde_json::from_str::<SyncState>(&s).ok())
        .is_some_and(|s| s == SyncState::Uploaded)
}

impl Store {
    /// The last operation number the server acknowledged, told to the feed with each pull.
    pub async fn acked(&self) -> Result<Option<u64>, StoreError> {
        let tx = transaction(&self.db, &[META], Readonly)?;
        let meta = tx.object_store(META).map_err(StoreError::from_js)?;
        let value = request(&meta.get(&acked_key()).map_err(StoreError::from_js)?).await?;
        Ok(value.as_f64().map(|n| n as u64))
    }

    /// Keeps `seq` as the last acknowledged operation if it is the highest yet (inside `settle`'s
    /// transaction, through its META store).
    pub(super) async fn keep_acked(
        meta: &web_sys::IdbObjectStore,
        seq: u64,
    ) -> Result<(), StoreError> {
        let known = request(&meta.get(&acked_key()).map_err(StoreError::from_js)?).await?;
        if known.as_f64().is_none_or(|k| (k as u64) < seq) {
            meta.put_with_key(&JsValue::from_f64(seq as f64), &acked_key())
                .map_err(StoreError::from_js)?;
        }
        Ok(())
    }

    /// Puts every acknowledged record of this phone (or of `account`) back into the outbox,
    /// pending again. Returns how many. Sealing needs Web Crypto, which would let a transaction
    /// commit early, so the rows are read, sealed, then written in a second transaction that
    /// takes only rows still acknowledged: run twice (a crash before the page was stored, and
    /// the server asks again), it queues nothing twice.
    pub async fn requeue_own(&self, account: &UserId) -> Result<usize, StoreError> {
        let tx = transaction(&self.db, &[RECORDS], Readonly)?;
        let store = tx.object_store(RECORDS).map_err(StoreError::from_js)?;
        let all = request(&store.get_all().map_err(StoreError::from_js)?).await?;
        let rows: Vec<(JsValue, String)> = js_sys::Array::from(&all)
            .iter()
            .filter(is_uploaded)
            .filter_map(|row| Some((row.clone(), aad(RECORDS, &field_str(&row, "id")?))))
            .collect();
        let records: Vec<Record> = contents(&rows).await?;
        let mut mine: Vec<(Record, bool)> = records
            .into_iter()
            .zip(&rows)
            .map(|(record, (row, _))| (record, is_own(row)))
            .filter(|(record, own)| *own || &record.author == account)
            .collect();
        // In the order they were saved, as they first went up.
        mine.sort_by_key(|(record, _)| record.saved_at);
        if mine.is_empty() {
            return Ok(0);
        }
        let for_outbox: Vec<(&Record, String)> = mine
            .iter()
            .map(|(r, _)| (r, aad(OUTBOX, &r.id.to_string())))
            .collect();
        let queued = seal_all(&for_outbox).await?;
        let for_records: Vec<(&Record, String)> = mine
            .iter()
            .map(|(r, _)| (r, aad(RECORDS, &r.id.to_string())))
            .collect();
        let resealed = seal_all(&for_records).await?;
        let tx = transaction(&self.db, &[RECORDS, OUTBOX], Readwrite)?;
        let records = tx.object_store(RECORDS).map_err(StoreError::from_js)?;
        let outbox = tx.object_store(OUTBOX).map_err(StoreError::from_js)?;
        let ids: Vec<JsValue> = mine
            .iter()
            .map(|(r, _)| JsValue::from_str(&r.id.to_string()))
            .collect();
        let current = idb::all(
            &ids.iter()
                .map(|id| records.get(id))
                .collect::<Result<Vec<_>, _>>()
                .map_err(StoreError::from_js)?,
        )
        .await?;
        let mut count = 0;
        for (((record, _), row), (queued, sealed)) in
            mine.iter().zip(&current).zip(queued.iter().zip(&resealed))
        {
            if !is_uploaded(row) {
                continue;
            }
            let pending = to_state_json(&SyncState::Pending);
            records
                .put(&marked_own(object(&[
                    ("id", JsValue::from_str(&record.id.to_string())),
                    ("file_id", JsValue::from_str(&record.file_id.0)),
                    (SEALED, sealed.clone()),
                    ("state", pending),
                ])))
                .map_err(StoreError::from_js)?;
            outbox
                .add(&object(&[
                    ("record_id", JsValue::from_str(&record.id.to_string())),
                    (SEALED, queued.clone()),
                    (RESENT, JsValue::TRUE),
                ]))
                .map_err(StoreError::from_js)?;
            count += 1;
        }
        committed(&tx).await?;
        Ok(count)
    }
}

fn to_state_json(state: &SyncState) -> JsValue {
    JsValue::from_str(&serde_json::to_string(state).expect("a state serialises"))
}

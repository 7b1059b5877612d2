//! What the phone keeps of each file's chain (issue 19, `xiafang_core::held_chain`): the
//! records it accepted in the server's order and the link after them, the latest signed
//! statement it saw for the file, and what no longer matched; and the reports waiting to reach
//! the server. Kept in `meta`, sealed like the records, one row per file.

use super::idb::{self, committed, request, transaction};
use super::seal::{aad, content, contents, seal_all};
use super::{META, Store, StoreError};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use wasm_bindgen::JsValue;
use web_sys::IdbTransactionMode::{Readonly, Readwrite};
use xiafang_core::chain::FileHead;
use xiafang_core::chain_check::ChainReport;
use xiafang_core::held_chain::{Held, Mismatch};
use xiafang_core::upload::SyncState;
use xiafang_core::{FileId, RecordId};

const FILE_PREFIX: &str = "chain:";
const REPORT_PREFIX: &str = "chain-report:";

/// The latest signed statement the phone saw covering a file, and the file's leaf in it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeenStatement {
    pub seq: u64,
    #[serde(deserialize_with = "xiafang_core::dates::wire::naive_date")]
    pub day: NaiveDate,
    pub head: FileHead,
    /// Its signature checked with the public key (Web Crypto's Ed25519), where the browser can.
    #[serde(default)]
    pub signature_checked: bool,
}

/// One file's chain as this phone holds it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FileChainState {
    pub held: Held,
    /// The last day (China time) the server's chain matched the phone's copy.
    #[serde(default)]
    #[serde(deserialize_with = "xiafang_core::dates::wire::naive_date_opt")]
    pub matched_on: Option<NaiveDate>,
    #[serde(default)]
    pub statement: Option<SeenStatement>,
    /// What no longer matches: the file is marked while this is not empty.
    #[serde(default)]
    pub mismatches: Vec<Mismatch>,
}

fn range(prefix: &str) -> Result<web_sys::IdbKeyRange, StoreError> {
    web_sys::IdbKeyRange::bound(
        &JsValue::from_str(prefix),
        &JsValue::from_str(&format!("{prefix}\u{ffff}")),
    )
    .map_err(StoreError::from_js)
}

impl Store {
    /// Every file's chain state kept on the phone.
    pub async fn chain_states(&self) -> Result<HashMap<FileId, FileChainState>, StoreError> {
        let (keys, values) = self.meta_range(FILE_PREFIX).await?;
        let sealed: Vec<(JsValue, String)> = keys
            .iter()
            .zip(values)
            .map(|(k, v)| (wrap(v), aad(META, k)))
            .collect();
        let states: Vec<FileChainState> = contents(&sealed).await?;
        Ok(keys
            .into_iter()
            .map(|k| FileId(k[FILE_PREFIX.len()..].to_owned()))
            .zip(states)
            .collect())
    }

    /// One file's chain state, if the phone checked it once.
    pub async fn chain_state(&self, file: &FileId) -> Result<Option<FileChainState>, StoreError> {
        let key = format!("{FILE_PREFIX}{}", file.0);
        let tx = transaction(&self.db, &[META], Readonly)?;
        let meta = tx.object_store(META).map_err(StoreError::from_js)?;
        let value = request(
            &meta
                .get(&JsValue::from_str(&key))
                .map_err(StoreError::from_js)?,
        )
        .await?;
        if value.is_undefined() {
            return Ok(None);
        }
        content(&wrap(value), &aad(META, &key)).await.map(Some)
    }

    /// Keeps a file's chain state and, with it in the same transaction, a report to send.
    pub async fn keep_chain_state(
        &self,
        file: &FileId,
        state: &FileChainState,
        report: Option<&ChainReport>,
    ) -> Result<(), StoreError> {
        let key = format!("{FILE_PREFIX}{}", file.0);
        let sealed = seal_all(&[(state, aad(META, &key))]).await?;
        let report_row = match report {
            Some(r) => {
                let k = format!("{REPORT_PREFIX}{}", r.id);
                let s = seal_all(&[(r, aad(META, &k))]).await?;
                Some((k, s.into_iter().next()))
            }
            None => None,
        };
        let tx = transaction(&self.db, &[META], Readwrite)?;
        let meta = tx.object_store(META).map_err(StoreError::from_js)?;
        for value in &sealed {
            meta.put_with_key(value, &JsValue::from_str(&key))
                .map_err(StoreError::from_js)?;
        }
        if let Some((k, Some(value))) = report_row {
            meta.put_with_key(&value, &JsValue::from_str(&k))
                .map_err(StoreError::from_js)?;
        }
        committed(&tx).await
    }

    /// The reports not yet acknowledged by the server.
    pub async fn waiting_chain_reports(&self) -> Result<Vec<ChainReport>, StoreError> {
        let (keys, values) = self.meta_range(REPORT_PREFIX).await?;
        let sealed: Vec<(JsValue, String)> = keys
            .iter()
            .zip(values)
            .map(|(k, v)| (wrap(v), aad(META, k)))
            .collect();
        contents(&sealed).await
    }

    /// The server has the report.
    pub async fn drop_chain_report(&self, report: &ChainReport) -> Result<(), StoreError> {
        let tx = transaction(&self.db, &[META], Readwrite)?;
        let meta = tx.object_store(META).map_err(StoreError::from_js)?;
        meta.delete(&JsValue::from_str(&format!("{REPORT_PREFIX}{}", report.id)))
            .map_err(StoreError::from_js)?;
        committed(&tx).await
    }

    /// The canonical bytes of the file's records downloaded from the server, by id: the
    /// phone's copies a chain is checked against.
    pub async fn chain_copies(
        &self,
        file: &FileId,
    ) -> Result<HashMap<RecordId, Vec<u8>>, StoreError> {
        Ok(self
            .timeline(file)
            .await?
            .into_iter()
            .filter(|l| l.state == SyncState::Uploaded)
            .map(|l| (l.record.id, canonical_bytes(&l.record)))
            .collect())
    }

    /// Keys and values of the `meta` rows whose key starts with `prefix`.
    async fn meta_range(&self, prefix: &str) -> Result<(Vec<String>, Vec<JsValue>), StoreError> {
        let tx = transaction(&self.db, &[META], Readonly)?;
        let meta = tx.object_store(META).map_err(StoreError::from_js)?;
        let range = range(prefix)?;
        let read = idb::all(&[
            meta.get_all_keys_with_key(&range)
                .map_err(StoreError::from_js)?,
            meta.get_all_with_key(&range).map_err(StoreError::from_js)?,
        ])
        .await?;
        let keys = js_sys::Array::from(&read[0])
            .iter()
            .filter_map(|k| k.as_string())
            .collect();
        let values = js_sys::Array::from(&read[1]).iter().collect();
        Ok((keys, values))
    }
}

/// A record's canonical bytes (`xiafang_core::canonical`), made from the JSON text the phone
/// already writes to seal rows rather than by serde's serializer into a `Value`: the wasm then
/// carries one serializer of every record kind instead of two (issue 17, about 40 KB).
pub(super) fn canonical_bytes(record: &xiafang_core::Record) -> Vec<u8> {
    serde_json::to_string(record)
        .ok()
        .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
        // A record always serialises; nothing at all would match no stated content.
        .map_or_else(Vec::new, |value| {
            xiafang_core::canonical::canonical_json(&value)
        })
}

/// A `meta` value is the sealed value itself; `content` reads it from a row's `sealed` field.
fn wrap(sealed: JsValue) -> JsValue {
    idb::object(&[(super::seal::SEALED, sealed)])
}

//! Photos and signatures on the phone: each image sealed like a record (a photo of a document is
//! as personal as the record that shows it), keyed by its SHA-256, with whether the server has
//! it. The hash, size and type stay in the clear: the upload needs them and they say nothing
//! about anyone.
//!
//! An image is stored before the record that names it (`keep_blob`, then the record's own
//! save), so a record on the phone always has its image; an image without its record is only
//! wasted room.

use super::idb::{self, committed, field_f64, field_str, object, request, transaction};
use super::records::local_records;
use super::seal::{SEALED, aad};
use super::{BLOBS, RECORDS, Store, StoreError, vault};
use js_sys::Uint8Array;
use std::collections::HashSet;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::IdbTransactionMode::{Readonly, Readwrite};
use web_sys::{IdbObjectStore, IdbTransaction, IdbTransactionMode};
use xiafang_core::RecordId;
use xiafang_core::upload::SyncState;
use xiafang_core::{
    attachment::{BlobRef, sha256_hex},
    kinds::blob_of,
};

/// The index of blobs by upload state.
pub(crate) const BY_STATE: &str = "by_state";
const PENDING: &str = "pending";
const UPLOADED: &str = "uploaded";

/// An image of the phone's own that the server does not have completely yet.
#[derive(Debug, Clone, PartialEq)]
pub struct WaitingBlob {
    pub image: BlobRef,
    /// The server accepted the record that shows it: the image may go up now. Until then it
    /// waits with its record (which may still be refused, or belong to another sign-in).
    pub ready: bool,
}

fn blob_row(image: &BlobRef, state: &str, record: Option<RecordId>, sealed: &JsValue) -> JsValue {
    let mut fields = vec![
        ("sha256", JsValue::from_str(&image.sha256)),
        ("size", JsValue::from_f64(image.size as f64)),
        ("mime", JsValue::from_str(&image.mime)),
        ("state", JsValue::from_str(state)),
        (SEALED, sealed.clone()),
    ];
    if let Some(id) = record {
        fields.push(("record_id", JsValue::from_str(&id.to_string())));
    }
    object(&fields)
}

fn image_of(row: &JsValue) -> Result<BlobRef, StoreError> {
    let corrupt = || StoreError::Corrupt("blob row without its hash, size or type".into());
    Ok(BlobRef {
        sha256: field_str(row, "sha256").ok_or_else(corrupt)?,
        size: field_f64(row, "size").ok_or_else(corrupt)? as u64,
        mime: field_str(row, "mime").ok_or_else(corrupt)?,
    })
}

async fn seal_bytes(image: &BlobRef, bytes: &[u8]) -> Result<JsValue, StoreError> {
    // A mismatch here is a bug in whoever made the reference; storing it would upload an image
    // the server refuses forever.
    if sha256_hex(bytes) != image.sha256 || bytes.len() as u64 != image.size {
        return Err(StoreError::Other(
            "image does not match its reference".into(),
        ));
    }
    let sealed = vault::cipher()?
        .seal(bytes, aad(BLOBS, &image.sha256).as_bytes())
        .await
        .map_err(|e| StoreError::Other(e.to_string()))?;
    Ok(Uint8Array::from(sealed.as_slice()).into())
}

/// Where a stored record row stands with the server (kept in the clear); `None` for no row.
fn row_state(row: &JsValue) -> Option<SyncState> {
    serde_json::from_str(&field_str(row, "state")?).ok()
}

impl Store {
    /// Keeps an image the phone made for the record `record`, until the server has it. False when
    /// the same image (same hash) is on the phone already; nothing changes then.
    pub async fn keep_blob(
        &self,
        image: &BlobRef,
        bytes: &[u8],
        record: RecordId,
    ) -> Result<bool, StoreError> {
        let sealed = seal_bytes(image, bytes).await?;
        self.put_blob_once(blob_row(image, PENDING, Some(record), &sealed))
            .await
    }

    /// Keeps an image downloaded from the server; it has it, so nothing will go up.
    pub async fn keep_downloaded_blob(
        &self,
        image: &BlobRef,
        bytes: &[u8],
    ) -> Result<(), StoreError> {
        let sealed = seal_bytes(image, bytes).await?;
        self.put_blob_once(blob_row(image, UPLOADED, None, &sealed))
            .await
            .map(drop)
    }

    /// Adds `row` unless its image is there already; true if added.
    async fn put_blob_once(&self, row: JsValue) -> Result<bool, StoreError> {
        let sha256 = field_str(&row, "sha256").unwrap_or_default();
        // Read inside the writing transaction, so two saves of one image cannot both add it.
        let (tx, blobs, existing) = self.blob_row(&sha256, Readwrite).await?;
        let added = existing.is_undefined();
        if added {
            blobs.add(&row).map_err(StoreError::from_js)?;
        }
        committed(&tx).await?;
        Ok(added)
    }

    /// A transaction on the images in `mode`, the store, and the row of `sha256` (undefined when
    /// the image is not on the phone). A writing caller issues its writes before awaiting more.
    async fn blob_row(
        &self,
        sha256: &str,
        mode: IdbTransactionMode,
    ) -> Result<(IdbTransaction, IdbObjectStore, JsValue), StoreError> {
        let tx = transaction(&self.db, &[BLOBS], mode)?;
        let blobs = tx.object_store(BLOBS).map_err(StoreError::from_js)?;
        let get = blobs
            .get(&JsValue::from_str(sha256))
            .map_err(StoreError::from_js)?;
        let row = request(&get).await?;
        Ok((tx, blobs, row))
    }

    /// The image's bytes, checked against its hash; `None` when it is not on the phone.
    pub async fn blob(&self, sha256: &str) -> Result<Option<Vec<u8>>, StoreError> {
        let (_, _, row) = self.blob_row(sha256, Readonly).await?;
        if row.is_undefined() {
            return Ok(None);
        }
        let sealed = js_sys::Reflect::get(&row, &JsValue::from_str(SEALED))
            .ok()
            .and_then(|v| v.dyn_into::<Uint8Array>().ok())
            .ok_or_else(|| StoreError::Corrupt("blob row without its image".into()))?;
        let bytes = vault::cipher()?
            .open(&sealed.to_vec(), aad(BLOBS, sha256).as_bytes())
            .await
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        if sha256_hex(&bytes) != sha256 {
            return Err(StoreError::Corrupt("image does not match its hash".into()));
        }
        Ok(Some(bytes))
    }

    /// Drops an image kept for a record that was then not saved, unless the server has it.
    pub async fn forget_blob(&self, sha256: &str) -> Result<(), StoreError> {
        let (tx, blobs, row) = self.blob_row(sha256, Readwrite).await?;
        if field_str(&row, "state").as_deref() == Some(PENDING) {
            blobs
                .delete(&JsValue::from_str(sha256))
                .map_err(StoreError::from_js)?;
        }
        committed(&tx).await
    }

    /// Records that the server holds the whole image.
    pub async fn mark_blob_uploaded(&self, sha256: &str) -> Result<(), StoreError> {
        let (tx, blobs, row) = self.blob_row(sha256, Readwrite).await?;
        if !row.is_undefined() {
            js_sys::Reflect::set(&row, &"state".into(), &JsValue::from_str(UPLOADED))
                .map_err(StoreError::from_js)?;
            blobs.put(&row).map_err(StoreError::from_js)?;
        }
        committed(&tx).await
    }

    /// The phone's own images the server does not have yet, oldest first, except those of
    /// records the server refused (they never go up).
    pub async fn blobs_to_upload(&self) -> Result<Vec<WaitingBlob>, StoreError> {
        let tx = transaction(&self.db, &[BLOBS, RECORDS], Readonly)?;
        let pending = tx
            .object_store(BLOBS)
            .and_then(|s| s.index(BY_STATE))
            .and_then(|i| i.get_all_with_key(&JsValue::from_str(PENDING)))
            .map_err(StoreError::from_js)?;
        // A pending image always names its record (`keep_blob`); one that does not is skipped.
        let rows: Vec<(JsValue, String)> = js_sys::Array::from(&request(&pending).await?)
            .iter()
            .filter_map(|row| field_str(&row, "record_id").map(|id| (row, id)))
            .collect();
        let records = tx.object_store(RECORDS).map_err(StoreError::from_js)?;
        let lookups = rows
            .iter()
            .map(|(_, id)| records.get(&JsValue::from_str(id)))
            .collect::<Result<Vec<_>, _>>()
            .map_err(StoreError::from_js)?;
        let record_rows = idb::all(&lookups).await?;
        rows.iter()
            .zip(record_rows)
            .filter_map(|((row, _), record)| {
                let ready = match row_state(&record) {
                    Some(SyncState::Uploaded) => true,
                    Some(SyncState::Pending) => false,
                    // Refused, or not saved after all: nothing shows the image.
                    Some(SyncState::Rejected { .. }) | None => return None,
                };
                Some(image_of(row).map(|image| WaitingBlob { image, ready }))
            })
            .collect()
    }

    /// Images that records on the phone show but the phone does not hold (downloaded records
    /// whose images were not fetched yet), each once.
    pub async fn missing_blobs(&self) -> Result<Vec<BlobRef>, StoreError> {
        let tx = transaction(&self.db, &[BLOBS, RECORDS], Readonly)?;
        let blobs = tx.object_store(BLOBS).map_err(StoreError::from_js)?;
        let records = tx.object_store(RECORDS).map_err(StoreError::from_js)?;
        let rows = idb::all(&[
            blobs.get_all_keys().map_err(StoreError::from_js)?,
            records.get_all().map_err(StoreError::from_js)?,
        ])
        .await?;
        let mut known: HashSet<String> = js_sys::Array::from(&rows[0])
            .iter()
            .filter_map(|k| k.as_string())
            .collect();
        let mut missing = Vec::new();
        for local in local_records(&rows[1]).await? {
            if let Some(image) = blob_of(&local.record.body)
                && known.insert(image.sha256.clone())
            {
                missing.push(image.clone());
            }
        }
        Ok(missing)
    }
}

//! Records, their upload queue, the assigned files and the download cursor, in IndexedDB.

use super::idb::{self, committed, field_str, object, request, transaction};
use super::{BY_FILE, FILES, META, OUTBOX, RECORDS, Store, StoreError};
use std::collections::{HashMap, HashSet};
use wasm_bindgen::JsValue;
use web_sys::IdbTransactionMode::{Readonly, Readwrite};
use xiafang_core::file_edit::FileEdit;
use xiafang_core::ledger::{self, Standing};
use xiafang_core::protocol;
use xiafang_core::sync::{Ack, Cursor, Op, PullResponse, SyncState};
use xiafang_core::{FileId, PetitionerFile, Record, RecordBody, RecordId, UserId};

/// A record as the phone holds it: the record and where it stands with the server.
#[derive(Debug, Clone, PartialEq)]
pub struct LocalRecord {
    pub record: Record,
    pub state: SyncState,
}

impl LocalRecord {
    /// The file edit this record carries while it waits for upload: the server has not merged
    /// it yet, so the phone lays it on top of the downloaded file.
    pub fn pending_edit(&self) -> Option<&FileEdit> {
        match (&self.record.body, &self.state) {
            (RecordBody::FileEdit(edit), SyncState::Pending) => Some(edit),
            _ => None,
        }
    }

    /// Whether `me` may amend or void this record from the phone: my own visit, assistance or
    /// note that still counts and was not refused by the server (which would refuse any
    /// correction of it too).
    pub fn correctable_by(&self, me: &UserId, standing: &Standing) -> bool {
        &self.record.author == me
            && self.record.body.is_correctable()
            && *standing == Standing::Current
            && !matches!(self.state, SyncState::Rejected { .. })
    }
}

/// A file as this phone shows it: the downloaded file with the phone's own edits that wait for
/// upload laid on top, and its timeline, newest first.
#[derive(Debug, Clone, PartialEq)]
pub struct FileOnPhone {
    pub file: PetitionerFile,
    /// Some of `file`'s values are the phone's own edits, not uploaded yet.
    pub edited: bool,
    pub timeline: Vec<LocalRecord>,
}

impl FileOnPhone {
    /// Where each corrected record of the timeline stands; absent records are current.
    pub fn standings(&self) -> HashMap<RecordId, Standing> {
        let records: Vec<Record> = self.timeline.iter().map(|l| l.record.clone()).collect();
        ledger::standings(&records)
    }

    /// The record `id` of this file, if `me` may amend or void it.
    pub fn correctable(&self, id: RecordId, me: &UserId) -> Option<&LocalRecord> {
        let standing = self.standings().remove(&id).unwrap_or(Standing::Current);
        self.timeline
            .iter()
            .find(|l| l.record.id == id)
            .filter(|l| l.correctable_by(me, &standing))
    }
}

fn to_json<T: serde::Serialize>(value: &T) -> JsValue {
    JsValue::from_str(&serde_json::to_string(value).expect("domain types serialise"))
}

fn from_json<T: serde::de::DeserializeOwned>(obj: &JsValue, key: &str) -> Result<T, StoreError> {
    let text = field_str(obj, key).ok_or_else(|| StoreError::Corrupt(format!("missing {key}")))?;
    serde_json::from_str(&text).map_err(|e| StoreError::Corrupt(format!("{key}: {e}")))
}

fn record_row(record: &Record, state: &SyncState) -> JsValue {
    object(&[
        ("id", JsValue::from_str(&record.id.to_string())),
        ("file_id", JsValue::from_str(&record.file_id.0)),
        ("body", to_json(record)),
        ("state", to_json(state)),
    ])
}

/// Whether a stored record row came from the server (`Uploaded`) rather than being the phone's
/// own (pending or rejected). A row whose state cannot be read is treated as the phone's own:
/// keeping it is the mistake that loses nothing.
fn is_downloaded(row: &JsValue) -> bool {
    matches!(
        from_json::<SyncState>(row, "state"),
        Ok(SyncState::Uploaded)
    )
}

fn outbox_op(row: &JsValue) -> Result<Op, StoreError> {
    let seq = idb::field_f64(row, "seq")
        .ok_or_else(|| StoreError::Corrupt("outbox entry without seq".into()))?;
    Ok(Op {
        seq: seq as u64,
        record: from_json(row, "body")?,
    })
}

fn cursor_key() -> JsValue {
    JsValue::from_str("pull_cursor")
}

fn local_record(row: &JsValue) -> Result<LocalRecord, StoreError> {
    Ok(LocalRecord {
        record: from_json(row, "body")?,
        state: from_json(row, "state")?,
    })
}

impl Store {
    /// Saves a new record and queues it for upload in one transaction: either both are on the
    /// phone or neither is. Returns the record's operation number.
    pub async fn save_new(&self, record: &Record) -> Result<u64, StoreError> {
        let seqs = self.save_all(std::slice::from_ref(record)).await?;
        seqs.first()
            .copied()
            .ok_or_else(|| StoreError::Corrupt("no operation number for the record".into()))
    }

    /// Saves new records and queues each for upload, all in one transaction: either every
    /// record and its outbox entry is on the phone or none is (one edit of a file's fields
    /// makes several records that belong together). Returns their operation numbers, in order.
    pub async fn save_all(&self, records: &[Record]) -> Result<Vec<u64>, StoreError> {
        let tx = transaction(&self.db, &[RECORDS, OUTBOX], Readwrite)?;
        let issue = || -> Result<Vec<web_sys::IdbRequest>, StoreError> {
            let store = tx.object_store(RECORDS).map_err(StoreError::from_js)?;
            let outbox = tx.object_store(OUTBOX).map_err(StoreError::from_js)?;
            let mut queued = Vec::with_capacity(records.len());
            for record in records {
                // `add`, not `put`: saving the same record twice is a bug, not an update, and
                // its failure aborts the whole transaction.
                store
                    .add(&record_row(record, &SyncState::Pending))
                    .map_err(StoreError::from_js)?;
                queued.push(
                    outbox
                        .add(&object(&[
                            ("record_id", JsValue::from_str(&record.id.to_string())),
                            ("body", to_json(record)),
                        ]))
                        .map_err(StoreError::from_js)?,
                );
            }
            Ok(queued)
        };
        let queued = match issue() {
            Ok(queued) => queued,
            Err(e) => {
                // A request refused on the spot would otherwise let the ones issued before it
                // commit on their own. Aborting fails only if the transaction already ended.
                if let Err(abort) = tx.abort() {
                    web_sys::console::warn_1(&abort);
                }
                return Err(e);
            }
        };
        committed(&tx).await?;
        queued
            .iter()
            .map(|req| {
                let seq = req.result().map_err(StoreError::from_js)?;
                seq.as_f64()
                    .map(|n| n as u64)
                    .ok_or_else(|| StoreError::Corrupt("outbox key is not a number".into()))
            })
            .collect()
    }

    /// A file's timeline, newest first.
    pub async fn timeline(&self, file: &FileId) -> Result<Vec<LocalRecord>, StoreError> {
        let tx = transaction(&self.db, &[RECORDS], Readonly)?;
        let index = tx
            .object_store(RECORDS)
            .and_then(|s| s.index(BY_FILE))
            .map_err(StoreError::from_js)?;
        let rows = request(
            &index
                .get_all_with_key(&JsValue::from_str(&file.0))
                .map_err(StoreError::from_js)?,
        )
        .await?;
        let mut records = js_sys::Array::from(&rows)
            .iter()
            .map(|row| local_record(&row))
            .collect::<Result<Vec<_>, _>>()?;
        records.sort_by(|a, b| {
            (b.record.occurred_at, b.record.saved_at)
                .cmp(&(a.record.occurred_at, a.record.saved_at))
        });
        Ok(records)
    }

    /// The file `id` as the phone shows it, with its timeline; `None` when it is not on the
    /// phone.
    pub async fn file_on_phone(&self, id: &FileId) -> Result<Option<FileOnPhone>, StoreError> {
        let Some(downloaded) = self.file(id).await? else {
            return Ok(None);
        };
        let timeline = self.timeline(id).await?;
        let edits: Vec<&FileEdit> = timeline
            .iter()
            .filter_map(LocalRecord::pending_edit)
            .collect();
        Ok(Some(FileOnPhone {
            file: downloaded.with_edits(edits.iter().copied()),
            edited: !edits.is_empty(),
            timeline,
        }))
    }

    /// The oldest queued operations, at most `max`, in the order they were saved.
    pub async fn outbox(&self, max: u32) -> Result<Vec<Op>, StoreError> {
        let tx = transaction(&self.db, &[OUTBOX], Readonly)?;
        let store = tx.object_store(OUTBOX).map_err(StoreError::from_js)?;
        let rows = request(
            &store
                .get_all_with_key_and_limit(&JsValue::NULL, max)
                .map_err(StoreError::from_js)?,
        )
        .await?;
        js_sys::Array::from(&rows)
            .iter()
            .map(|row| outbox_op(&row))
            .collect()
    }

    /// The oldest queued operations of one author, at most `max`. Operations of another
    /// account signed in earlier on this phone are skipped, however many there are.
    pub async fn outbox_of(&self, author: &UserId, max: usize) -> Result<Vec<Op>, StoreError> {
        let tx = transaction(&self.db, &[OUTBOX], Readonly)?;
        let store = tx.object_store(OUTBOX).map_err(StoreError::from_js)?;
        let rows = request(&store.get_all().map_err(StoreError::from_js)?).await?;
        let mut mine = Vec::new();
        for row in js_sys::Array::from(&rows).iter() {
            let op = outbox_op(&row)?;
            if &op.record.author == author {
                mine.push(op);
            }
        }
        Ok(protocol::next_batch(&mine, max).to_vec())
    }

    pub async fn pending_count(&self) -> Result<u32, StoreError> {
        let tx = transaction(&self.db, &[OUTBOX], Readonly)?;
        let store = tx.object_store(OUTBOX).map_err(StoreError::from_js)?;
        let n = request(&store.count().map_err(StoreError::from_js)?).await?;
        Ok(n.as_f64().unwrap_or(0.0) as u32)
    }

    /// Takes acknowledged operations out of the outbox and marks their records uploaded or
    /// rejected, in one transaction.
    pub async fn settle(&self, ops: &[Op], acks: &[Ack]) -> Result<(), StoreError> {
        let tx = transaction(&self.db, &[RECORDS, OUTBOX], Readwrite)?;
        let records = tx.object_store(RECORDS).map_err(StoreError::from_js)?;
        let outbox = tx.object_store(OUTBOX).map_err(StoreError::from_js)?;
        for ack in acks {
            // Only an acknowledgement of an operation we sent counts.
            let Some(op) = ops.iter().find(|op| protocol::settles(op, ack)) else {
                continue;
            };
            records
                .put(&record_row(&op.record, &SyncState::from(&ack.outcome)))
                .map_err(StoreError::from_js)?;
            outbox
                .delete(&JsValue::from_f64(op.seq as f64))
                .map_err(StoreError::from_js)?;
        }
        committed(&tx).await
    }

    /// Where the phone stands in the server's change feed: the cursor stored with the last
    /// page applied, `None` before the first download.
    pub async fn cursor(&self) -> Result<Option<Cursor>, StoreError> {
        let tx = transaction(&self.db, &[META], Readonly)?;
        let meta = tx.object_store(META).map_err(StoreError::from_js)?;
        let value = request(&meta.get(&cursor_key()).map_err(StoreError::from_js)?).await?;
        Ok(value.as_string().map(Cursor))
    }

    /// Applies one page of the change feed and stores its cursor in the same transaction, so
    /// the cursor never runs ahead of what the phone holds. A reset (and the first page, which
    /// starts the feed from the beginning) first forgets the files and uploaded records
    /// downloaded before. The phone's own pending and rejected records are never dropped, and
    /// a downloaded copy never overwrites them.
    pub async fn apply_pull(&self, page: &PullResponse) -> Result<(), StoreError> {
        let tx = transaction(&self.db, &[RECORDS, OUTBOX, FILES, META], Readwrite)?;
        let records = tx.object_store(RECORDS).map_err(StoreError::from_js)?;
        let outbox = tx.object_store(OUTBOX).map_err(StoreError::from_js)?;
        let files = tx.object_store(FILES).map_err(StoreError::from_js)?;
        let meta = tx.object_store(META).map_err(StoreError::from_js)?;
        // Read inside the writing transaction: a record saved or settled in another tab
        // cannot slip in between what is read here and what is written below. Awaiting a
        // request does not let the transaction commit early: the future resumes in the
        // microtasks of the request's success event, while the transaction is still active.
        let read = idb::all(&[
            outbox.get_all().map_err(StoreError::from_js)?,
            meta.get(&cursor_key()).map_err(StoreError::from_js)?,
        ])
        .await?;
        let queued: HashSet<String> = js_sys::Array::from(&read[0])
            .iter()
            .filter_map(|row| field_str(&row, "record_id"))
            .collect();
        let reset = page.reset || read[1].is_undefined();
        let existing = if reset {
            let all = request(&records.get_all().map_err(StoreError::from_js)?).await?;
            js_sys::Array::from(&all).iter().collect()
        } else {
            let lookups = page
                .records
                .iter()
                .map(|r| records.get(&JsValue::from_str(&r.id.to_string())))
                .collect::<Result<Vec<_>, _>>()
                .map_err(StoreError::from_js)?;
            idb::all(&lookups).await?
        };
        // The phone's own records: queued for upload, or not marked as downloaded.
        let mut own = queued;
        for row in existing.iter().filter(|row| !row.is_undefined()) {
            let Some(id) = field_str(row, "id") else {
                continue;
            };
            if own.contains(&id) {
                continue;
            }
            if !is_downloaded(row) {
                own.insert(id);
            } else if reset {
                records
                    .delete(&JsValue::from_str(&id))
                    .map_err(StoreError::from_js)?;
            }
        }
        if reset {
            files.clear().map_err(StoreError::from_js)?;
        }
        for file in &page.files {
            files
                .put(&object(&[
                    ("id", JsValue::from_str(&file.id.0)),
                    ("body", to_json(file)),
                ]))
                .map_err(StoreError::from_js)?;
        }
        for record in &page.records {
            if own.contains(&record.id.to_string()) {
                continue;
            }
            records
                .put(&record_row(record, &SyncState::Uploaded))
                .map_err(StoreError::from_js)?;
        }
        meta.put_with_key(&JsValue::from_str(&page.cursor.0), &cursor_key())
            .map_err(StoreError::from_js)?;
        committed(&tx).await
    }

    pub async fn files(&self) -> Result<Vec<PetitionerFile>, StoreError> {
        let tx = transaction(&self.db, &[FILES], Readonly)?;
        let store = tx.object_store(FILES).map_err(StoreError::from_js)?;
        let rows = request(&store.get_all().map_err(StoreError::from_js)?).await?;
        js_sys::Array::from(&rows)
            .iter()
            .map(|row| from_json(&row, "body"))
            .collect()
    }

    pub async fn file(&self, id: &FileId) -> Result<Option<PetitionerFile>, StoreError> {
        let tx = transaction(&self.db, &[FILES], Readonly)?;
        let store = tx.object_store(FILES).map_err(StoreError::from_js)?;
        let row = request(
            &store
                .get(&JsValue::from_str(&id.0))
                .map_err(StoreError::from_js)?,
        )
        .await?;
        if row.is_undefined() {
            return Ok(None);
        }
        from_json(&row, "body").map(Some)
    }
}

//! Records, their upload queue, the assigned files and the download cursor, in IndexedDB.

use super::idb::{self, committed, field_str, object, request, transaction};
use super::seal::{SEALED, aad, content, contents, seal_all};
use super::{BY_FILE, FILES, META, OUTBOX, RECORDS, Store, StoreError, file_list};
use std::collections::{HashMap, HashSet};
use wasm_bindgen::JsValue;
use web_sys::IdbTransactionMode::{Readonly, Readwrite};
use xiafang_core::file_edit::FileEdit;
use xiafang_core::held_chain::content_hash;
use xiafang_core::judge;
use xiafang_core::ledger::{self, Standing};
use xiafang_core::protocol;
use xiafang_core::{FileId, PetitionerFile, Record, RecordBody, RecordId, UserId};
use xiafang_core::{
    account::Account,
    feed::{Cursor, PullResponse},
    upload::{Ack, Op, SyncState},
};

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

    /// Whether `me` may amend or void this record from the phone: what the judge would take
    /// (`core::judge::correction_offered`), of a record the server did not refuse (it would
    /// refuse any correction of it too).
    pub fn correctable_by(&self, me: &Account, standing: &Standing) -> bool {
        let reach = judge::phone_reach(me.role);
        judge::correction_offered(&me.id, me.role, reach, &self.record, standing)
            && !matches!(self.state, SyncState::Rejected { .. })
    }
}

/// The records that count: all but those the server refused (a refused record stays on the
/// timeline with its reason, and counts nowhere).
pub fn counted(local: Vec<LocalRecord>) -> Vec<Record> {
    local
        .into_iter()
        .filter(|l| !matches!(l.state, SyncState::Rejected { .. }))
        .map(|l| l.record)
        .collect()
}

/// A file as this phone shows it: the downloaded file with the phone's own edits that wait for
/// upload laid on top, and its timeline, newest first.
#[derive(Debug, Clone, PartialEq)]
pub struct FileOnPhone {
    pub file: PetitionerFile,
    /// Some of `file`'s values are the phone's own edits, not uploaded yet.
    pub edited: bool,
    pub timeline: Vec<LocalRecord>,
    /// What the phone found when it last checked the file's chain (issue 19).
    pub chain: Option<super::FileChainState>,
}

impl FileOnPhone {
    /// Where each corrected record of the timeline stands; absent records are current.
    pub fn standings(&self) -> HashMap<RecordId, Standing> {
        let records: Vec<Record> = self.timeline.iter().map(|l| l.record.clone()).collect();
        ledger::standings(&records)
    }

    /// The record `id` of this file, if `me` may amend or void it.
    pub fn correctable(&self, id: RecordId, me: &Account) -> Option<&LocalRecord> {
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

/// A record row: the record sealed (`sealed`, from `seal_records`), with what the index and the
/// upload bookkeeping need in the clear.
fn record_row(record: &Record, state: &SyncState, sealed: &JsValue) -> JsValue {
    object(&[
        ("id", JsValue::from_str(&record.id.to_string())),
        ("file_id", JsValue::from_str(&record.file_id.0)),
        (SEALED, sealed.clone()),
        ("state", to_json(state)),
    ])
}

/// Seals each record for the store `store` (records and outbox bind their rows differently).
async fn seal_records<'a>(
    store: &str,
    records: impl Iterator<Item = &'a Record>,
) -> Result<Vec<JsValue>, StoreError> {
    let values: Vec<(&Record, String)> = records
        .map(|r| (r, aad(store, &r.id.to_string())))
        .collect();
    seal_all(&values).await
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

/// The operations of outbox rows, opened side by side, in the rows' order.
async fn outbox_ops(rows: &JsValue) -> Result<Vec<Op>, StoreError> {
    let mut seqs = Vec::new();
    let mut sealed = Vec::new();
    for row in js_sys::Array::from(rows).iter() {
        let seq = idb::field_f64(&row, "seq")
            .ok_or_else(|| StoreError::Corrupt("outbox entry without seq".into()))?;
        let id = field_str(&row, "record_id")
            .ok_or_else(|| StoreError::Corrupt("outbox entry without record id".into()))?;
        seqs.push(seq as u64);
        sealed.push((row, aad(OUTBOX, &id)));
    }
    let records: Vec<Record> = contents(&sealed).await?;
    Ok(seqs
        .into_iter()
        .zip(records)
        .map(|(seq, record)| Op { seq, record })
        .collect())
}

/// The field of a downloaded record's row holding the SHA-256 of its canonical content
/// (`xiafang_core::held_chain::content_hash`), in the clear so a download can compare without
/// opening the sealed copy.
const CONTENT: &str = "content";

fn cursor_key() -> JsValue {
    JsValue::from_str("pull_cursor")
}

/// Record rows as the phone shows them, opened side by side.
pub(super) async fn local_records(rows: &JsValue) -> Result<Vec<LocalRecord>, StoreError> {
    let mut states = Vec::new();
    let mut sealed = Vec::new();
    for row in js_sys::Array::from(rows).iter() {
        let id = field_str(&row, "id")
            .ok_or_else(|| StoreError::Corrupt("record row without id".into()))?;
        states.push(from_json::<SyncState>(&row, "state")?);
        sealed.push((row, aad(RECORDS, &id)));
    }
    let records: Vec<Record> = contents(&sealed).await?;
    Ok(records
        .into_iter()
        .zip(states)
        .map(|(record, state)| LocalRecord { record, state })
        .collect())
}

/// File rows' files, opened side by side.
pub(super) async fn file_bodies(rows: &[JsValue]) -> Result<Vec<PetitionerFile>, StoreError> {
    let sealed = rows
        .iter()
        .map(|row| {
            let id = field_str(row, "id")
                .ok_or_else(|| StoreError::Corrupt("file row without id".into()))?;
            Ok((row.clone(), aad(FILES, &id)))
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    contents(&sealed).await
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
        // Sealed before the transaction opens: awaiting Web Crypto inside it would let it commit.
        let rows = seal_records(RECORDS, records.iter()).await?;
        let queued_rows = seal_records(OUTBOX, records.iter()).await?;
        let tx = transaction(&self.db, &[RECORDS, OUTBOX], Readwrite)?;
        let issue = || -> Result<Vec<web_sys::IdbRequest>, StoreError> {
            let store = tx.object_store(RECORDS).map_err(StoreError::from_js)?;
            let outbox = tx.object_store(OUTBOX).map_err(StoreError::from_js)?;
            let mut queued = Vec::with_capacity(records.len());
            for ((record, row), queued_row) in records.iter().zip(&rows).zip(&queued_rows) {
                // `add`, not `put`: saving the same record twice is a bug, not an update, and
                // its failure aborts the whole transaction.
                store
                    .add(&record_row(record, &SyncState::Pending, row))
                    .map_err(StoreError::from_js)?;
                queued.push(
                    outbox
                        .add(&object(&[
                            ("record_id", JsValue::from_str(&record.id.to_string())),
                            (SEALED, queued_row.clone()),
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
    /// The records of `file` that count for folds and figures (`counted`).
    pub async fn counted_timeline(&self, file: &FileId) -> Result<Vec<Record>, StoreError> {
        Ok(counted(self.timeline(file).await?))
    }

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
        let mut records = local_records(&rows).await?;
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
            chain: self.chain_state(id).await?,
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
        outbox_ops(&rows).await
    }

    /// The oldest queued operations of one author, at most `max`. Operations of another
    /// account signed in earlier on this phone are skipped, however many there are.
    pub async fn outbox_of(&self, author: &UserId, max: usize) -> Result<Vec<Op>, StoreError> {
        // Read and open the outbox a page at a time from its oldest entry, not all of it: a
        // phone offline for a day holds a thousand operations, and every save starts a run that
        // asks for the next batch, so opening them all made each save slower than the last.
        let page = max.max(1) as u32;
        let mut mine: Vec<Op> = Vec::new();
        let mut after: Option<u64> = None;
        loop {
            let tx = transaction(&self.db, &[OUTBOX], Readonly)?;
            let store = tx.object_store(OUTBOX).map_err(StoreError::from_js)?;
            let range = match after {
                Some(seq) => web_sys::IdbKeyRange::lower_bound_with_open(
                    &JsValue::from_f64(seq as f64),
                    true,
                )
                .map_err(StoreError::from_js)?
                .into(),
                None => JsValue::NULL,
            };
            let rows = request(
                &store
                    .get_all_with_key_and_limit(&range, page)
                    .map_err(StoreError::from_js)?,
            )
            .await?;
            let ops = outbox_ops(&rows).await?;
            let read = ops.len();
            after = ops.last().map(|op| op.seq);
            mine.extend(ops.into_iter().filter(|op| &op.record.author == author));
            if mine.len() >= max || read < page as usize {
                break;
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
        // Only an acknowledgement of an operation we sent counts.
        let settled: Vec<(&Op, &Ack)> = acks
            .iter()
            .filter_map(|ack| Some((ops.iter().find(|op| protocol::settles(op, ack))?, ack)))
            .collect();
        let sealed = seal_records(RECORDS, settled.iter().map(|(op, _)| &op.record)).await?;
        let tx = transaction(&self.db, &[RECORDS, OUTBOX, META], Readwrite)?;
        let records = tx.object_store(RECORDS).map_err(StoreError::from_js)?;
        let outbox = tx.object_store(OUTBOX).map_err(StoreError::from_js)?;
        let rows = idb::all(
            &settled
                .iter()
                .map(|(op, _)| outbox.get(&JsValue::from_f64(op.seq as f64)))
                .collect::<Result<Vec<_>, _>>()
                .map_err(StoreError::from_js)?,
        )
        .await?;
        for (((op, ack), sealed), row) in settled.iter().zip(&sealed).zip(&rows) {
            // A record offered again to a restored server was acknowledged once: refused now
            // (another record under its id, a file moved away), it stays as the server first
            // took it, and the chain check says what the server holds instead.
            let state = match SyncState::from(&ack.outcome) {
                SyncState::Rejected { .. } if super::resend::is_resent(row) => SyncState::Uploaded,
                state => state,
            };
            // Marked as the phone's own: a reset keeps it, and a restored server gets it again.
            records
                .put(&super::resend::marked_own(record_row(
                    &op.record, &state, sealed,
                )))
                .map_err(StoreError::from_js)?;
            outbox
                .delete(&JsValue::from_f64(op.seq as f64))
                .map_err(StoreError::from_js)?;
        }
        if let Some(last) = settled.iter().map(|(op, _)| op.seq).max() {
            let meta = tx.object_store(META).map_err(StoreError::from_js)?;
            Store::keep_acked(&meta, last).await?;
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
        let files_sealed = seal_all(
            &page
                .files
                .iter()
                .map(|f| (f, aad(FILES, &f.id.0)))
                .collect::<Vec<_>>(),
        )
        .await?;
        let records_sealed = seal_records(RECORDS, page.records.iter()).await?;
        let summary = self.prepare_file_list(page).await?;
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
            meta.get(&file_list::key()).map_err(StoreError::from_js)?,
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
        // Downloaded copies by the hash of their content: a record the feed brings again with
        // other content was rewritten on the server, and the phone keeps what it had (issue
        // 19; the chain check names it).
        let mut kept: HashMap<String, String> = HashMap::new();
        for row in existing.iter().filter(|row| !row.is_undefined()) {
            let Some(id) = field_str(row, "id") else {
                continue;
            };
            if own.contains(&id) {
                continue;
            }
            if !is_downloaded(row) {
                own.insert(id);
            } else if !reset {
                if let Some(sha) = field_str(row, CONTENT) {
                    kept.insert(id, sha);
                }
            } else {
                records
                    .delete(&JsValue::from_str(&id))
                    .map_err(StoreError::from_js)?;
            }
        }
        if reset {
            files.clear().map_err(StoreError::from_js)?;
        }
        for (file, sealed) in page.files.iter().zip(&files_sealed) {
            files
                .put(&object(&[
                    ("id", JsValue::from_str(&file.id.0)),
                    (SEALED, sealed.clone()),
                ]))
                .map_err(StoreError::from_js)?;
        }
        for (record, sealed) in page.records.iter().zip(&records_sealed) {
            let id = record.id.to_string();
            if own.contains(&id) {
                continue;
            }
            let sha = content_hash(&super::chains::canonical_bytes(record)).to_hex();
            if kept.get(&id).is_some_and(|had| *had != sha) {
                continue;
            }
            let row = record_row(record, &SyncState::Uploaded, sealed);
            js_sys::Reflect::set(&row, &JsValue::from_str(CONTENT), &JsValue::from_str(&sha))
                .map_err(StoreError::from_js)?;
            records.put(&row).map_err(StoreError::from_js)?;
        }
        meta.put_with_key(&JsValue::from_str(&page.cursor.0), &cursor_key())
            .map_err(StoreError::from_js)?;
        // The list's summary changes with the files, in this same transaction.
        summary.apply(
            &meta,
            &read[2],
            reset,
            read[1].as_string().as_deref(),
            &page.cursor.0,
        )?;
        committed(&tx).await
    }

    pub async fn files(&self) -> Result<Vec<PetitionerFile>, StoreError> {
        let tx = transaction(&self.db, &[FILES], Readonly)?;
        let store = tx.object_store(FILES).map_err(StoreError::from_js)?;
        let rows = request(&store.get_all().map_err(StoreError::from_js)?).await?;
        file_bodies(&js_sys::Array::from(&rows).iter().collect::<Vec<_>>()).await
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
        content(&row, &aad(FILES, &id.0)).await.map(Some)
    }
}

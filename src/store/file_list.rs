//! The file list's summary (issue 17, cold start): what 我的档案 shows and searches of every
//! file (`FileSummary`), sealed as one value in `meta`, so the list opens one row instead of
//! decrypting and parsing each of 2,000 files.
//!
//! The summary is stamped with the pull cursor it matches. A download writes the new summary in
//! the transaction that writes the files and the cursor, or deletes it there when it could not
//! keep it exact; the list rebuilds a missing or mismatching summary from the files once. A
//! phone from a release without it (no summary), or one a release without it wrote files on
//! afterwards (the cursor moved on), rebuilds it the same way.

use super::idb::{self, committed, field_str, object, transaction};
use super::seal::{SEALED, aad, content};
use super::{FILES, META, Store, StoreError, vault};
use std::collections::BTreeMap;
use wasm_bindgen::JsValue;
use web_sys::IdbObjectStore;
use web_sys::IdbTransactionMode::{Readonly, Readwrite};
use xiafang_core::feed::PullResponse;
use xiafang_core::{FileId, FileSummary};

/// The summary's key in `meta`.
const KEY: &str = "file_list";
/// The clear field holding the cursor the summary matches.
const STAMP: &str = "cursor";

pub(super) fn key() -> JsValue {
    JsValue::from_str(KEY)
}

fn cursor_key() -> JsValue {
    JsValue::from_str("pull_cursor")
}

/// The summary row: the summaries sealed, and the cursor they match in the clear.
fn row(sealed: &JsValue, cursor: &str) -> JsValue {
    object(&[(SEALED, sealed.clone()), (STAMP, JsValue::from_str(cursor))])
}

async fn seal(list: &[FileSummary]) -> Result<JsValue, StoreError> {
    vault::seal(&list, &aad(META, KEY)).await
}

/// What a download does to the summary, prepared before its transaction opens (Web Crypto
/// cannot be awaited inside it) and carried out inside it (`Prepared::apply`).
pub(crate) enum Prepared {
    /// A reset or first page: the summary is the page's files, whatever was there.
    Replace(JsValue),
    /// The summary stamped `stamp`, with the page's files merged in: written only if the
    /// transaction still finds that stamp, and the files at that cursor.
    Merge { stamp: String, sealed: JsValue },
    /// A page without files: the summary stays as it is, stamped anew if it is current.
    Restamp,
    /// No current summary to build on: the list rebuilds it.
    Drop,
}

impl Store {
    /// Every file as the list shows it, in the order stored (by id).
    pub async fn file_list(&self) -> Result<Vec<FileSummary>, StoreError> {
        vault::cipher()?;
        let tx = transaction(&self.db, &[META, FILES], Readonly)?;
        let meta = tx.object_store(META).map_err(StoreError::from_js)?;
        let files = tx.object_store(FILES).map_err(StoreError::from_js)?;
        let read = idb::all(&[
            meta.get(&key()).map_err(StoreError::from_js)?,
            meta.get(&cursor_key()).map_err(StoreError::from_js)?,
            files.count().map_err(StoreError::from_js)?,
        ])
        .await?;
        let cursor = read[1].as_string();
        let count = read[2].as_f64().unwrap_or(0.0) as usize;
        if let Some(list) = current(&read[0], cursor.as_deref()).await?
            && list.len() == count
        {
            return Ok(list);
        }
        self.rebuild_file_list(cursor, count).await
    }

    /// Builds the summary from the files, and keeps it if no download came in meanwhile.
    async fn rebuild_file_list(
        &self,
        cursor: Option<String>,
        count: usize,
    ) -> Result<Vec<FileSummary>, StoreError> {
        let list: Vec<FileSummary> = self.files().await?.iter().map(FileSummary::from).collect();
        // Without a cursor nothing was downloaded yet: nothing worth keeping.
        let Some(cursor) = cursor else {
            return Ok(list);
        };
        let sealed = seal(&list).await?;
        let tx = transaction(&self.db, &[META, FILES], Readwrite)?;
        let meta = tx.object_store(META).map_err(StoreError::from_js)?;
        let files = tx.object_store(FILES).map_err(StoreError::from_js)?;
        let now = idb::all(&[
            meta.get(&cursor_key()).map_err(StoreError::from_js)?,
            files.count().map_err(StoreError::from_js)?,
        ])
        .await?;
        if now[0].as_string().as_deref() == Some(cursor.as_str())
            && now[1].as_f64() == Some(count as f64)
            && list.len() == count
        {
            meta.put_with_key(&row(&sealed, &cursor), &key())
                .map_err(StoreError::from_js)?;
        }
        committed(&tx).await?;
        Ok(list)
    }

    /// Prepares the summary a download's page leads to (see `Prepared`).
    pub(super) async fn prepare_file_list(
        &self,
        page: &PullResponse,
    ) -> Result<Prepared, StoreError> {
        let tx = transaction(&self.db, &[META], Readonly)?;
        let meta = tx.object_store(META).map_err(StoreError::from_js)?;
        let read = idb::all(&[
            meta.get(&key()).map_err(StoreError::from_js)?,
            meta.get(&cursor_key()).map_err(StoreError::from_js)?,
        ])
        .await?;
        let cursor = read[1].as_string();
        let summaries = page
            .files
            .iter()
            .map(|f| (f.id.clone(), FileSummary::from(f)));
        if page.reset || cursor.is_none() {
            let list: BTreeMap<FileId, FileSummary> = summaries.collect();
            let list: Vec<FileSummary> = list.into_values().collect();
            return Ok(Prepared::Replace(seal(&list).await?));
        }
        if page.files.is_empty() {
            return Ok(Prepared::Restamp);
        }
        let Some(held) = current(&read[0], cursor.as_deref()).await? else {
            return Ok(Prepared::Drop);
        };
        let mut list: BTreeMap<FileId, FileSummary> =
            held.into_iter().map(|s| (s.id.clone(), s)).collect();
        list.extend(summaries);
        let list: Vec<FileSummary> = list.into_values().collect();
        Ok(Prepared::Merge {
            stamp: cursor.unwrap_or_default(),
            sealed: seal(&list).await?,
        })
    }
}

impl Prepared {
    /// Inside the download's transaction, after its files are written: keeps the summary exact
    /// for `cursor`, or deletes it. `held` (the summary row), `reset` and `before` (the cursor
    /// before the page) are what the transaction read.
    pub(super) fn apply(
        self,
        meta: &IdbObjectStore,
        held: &JsValue,
        reset: bool,
        before: Option<&str>,
        cursor: &str,
    ) -> Result<(), StoreError> {
        let stamp = (!held.is_undefined())
            .then(|| field_str(held, STAMP))
            .flatten();
        let current = stamp.is_some() && stamp.as_deref() == before;
        let sealed = match (self, reset) {
            (Prepared::Replace(sealed), true) => Some(sealed),
            (Prepared::Merge { stamp, sealed }, false)
                if current && before == Some(stamp.as_str()) =>
            {
                Some(sealed)
            }
            (Prepared::Restamp, false) if current => {
                Some(js_sys::Reflect::get(held, &JsValue::from_str(SEALED)).unwrap_or_default())
            }
            _ => None,
        };
        match sealed {
            Some(sealed) => meta.put_with_key(&row(&sealed, cursor), &key()),
            None => meta.delete(&key()),
        }
        .map_err(StoreError::from_js)?;
        Ok(())
    }
}

/// The summary in `row`, if it is stamped with `cursor`.
async fn current(
    row: &JsValue,
    cursor: Option<&str>,
) -> Result<Option<Vec<FileSummary>>, StoreError> {
    if row.is_undefined() || cursor.is_none() || field_str(row, STAMP).as_deref() != cursor {
        return Ok(None);
    }
    content(row, &aad(META, KEY)).await.map(Some)
}

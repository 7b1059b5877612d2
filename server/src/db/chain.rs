//! Each file's records as a hash chain (`xiafang_core::chain`, issue 19): every record stored
//! gets its link beside it, made from the file's previous link in the same transaction (the
//! feed position taken just before serialises writers, so two uploads to one file cannot both
//! build on the same link); `verify_chains` recomputes every chain from the rows as they are and
//! names each record that no longer gives its stored link.
//!
//! The stored links alone catch a row changed, removed, inserted or moved by hand; someone who
//! also recomputes the links is caught by anchors kept outside the database (signed daily roots
//! and the phones' copies), which come next.

use super::{Db, DbError, Result};
use serde_json::Value;
use sqlx::AnyConnection;
use xiafang_core::Record;
use xiafang_core::canonical::canonical_json;
use xiafang_core::chain::{Break, ChainHash, link, link_canonical, verify_canonical};

/// The link for `record`, stored next in its file.
pub(super) async fn next_link(conn: &mut AnyConnection, record: &Record) -> Result<String> {
    let prev = head(conn, &record.file_id.0).await?;
    Ok(link(&prev, record).to_hex())
}

/// The file's last link, or where chains start for a file with no records yet.
async fn head(conn: &mut AnyConnection, file: &str) -> Result<ChainHash> {
    let last: Option<(Option<String>,)> = sqlx::query_as(
        "SELECT chain_hash FROM records WHERE file_id = $1 ORDER BY feed_seq DESC LIMIT 1",
    )
    .bind(file)
    .fetch_optional(&mut *conn)
    .await?;
    match last {
        None => Ok(ChainHash::GENESIS),
        Some((Some(hex),)) => ChainHash::from_hex(&hex)
            .ok_or_else(|| DbError::Integrity(format!("file {file}: a stored link is not a hash"))),
        // Linked at start (`link_unchained`), so only a row written behind the server's back
        // lacks one: storing on top of it would hide it.
        Some((None,)) => Err(DbError::Integrity(format!(
            "file {file}: its last record has no link"
        ))),
    }
}

/// What `verify_chains` found wrong with one record of one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainFinding {
    pub file: String,
    /// The record's place in its file's chain, from 0.
    pub position: u64,
    pub record: String,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: String,
    body: String,
    chain_hash: Option<String>,
}

/// A stored record as `verify` reads it, in the order of `LINKS`.
#[derive(sqlx::FromRow)]
pub(super) struct LinkRow {
    pub id: String,
    pub file_id: String,
    pub feed_seq: i64,
    pub kind: String,
    pub occurred_at: String,
    pub body: String,
    pub chain_hash: Option<String>,
}

/// Every record, file by file in stored order: what chains and statements are checked against.
pub(super) const LINKS: &str = "SELECT id, file_id, feed_seq, kind, occurred_at, body, chain_hash \
                                FROM records ORDER BY file_id, feed_seq";

impl Db {
    /// Links the records stored before chains existed, file by file in stored order. Returns
    /// how many it linked.
    pub async fn link_unchained(&self) -> Result<u64> {
        let _turn = self.write_turn().await;
        let mut tx = self.pool.begin().await?;
        let files: Vec<(String,)> = sqlx::query_as(
            "SELECT DISTINCT file_id FROM records WHERE chain_hash IS NULL ORDER BY file_id",
        )
        .fetch_all(&mut *tx)
        .await?;
        let mut linked = 0;
        for (file,) in files {
            let rows: Vec<Row> = sqlx::query_as(
                "SELECT id, body, chain_hash FROM records WHERE file_id = $1 \
                 ORDER BY feed_seq",
            )
            .bind(&file)
            .fetch_all(&mut *tx)
            .await?;
            let mut prev = ChainHash::GENESIS;
            for row in rows {
                prev = match row.chain_hash.as_deref().and_then(ChainHash::from_hex) {
                    Some(kept) => kept,
                    None => {
                        let made = link_canonical(&prev, &canonical_of(&row.body));
                        sqlx::query("UPDATE records SET chain_hash = $1 WHERE id = $2")
                            .bind(made.to_hex())
                            .bind(&row.id)
                            .execute(&mut *tx)
                            .await?;
                        linked += 1;
                        made
                    }
                };
            }
        }
        tx.commit().await?;
        Ok(linked)
    }

    /// Recomputes every file's chain from its rows as they are now and names each record whose
    /// stored link no longer matches: the first one of a file is where it was tampered with.
    pub async fn verify_chains(&self) -> Result<Vec<ChainFinding>> {
        let rows: Vec<LinkRow> = sqlx::query_as(LINKS).fetch_all(&self.pool).await?;
        let canonical: Vec<Vec<u8>> = rows.iter().map(|r| canonical_of(&r.body)).collect();
        Ok(chain_breaks(&rows, &canonical))
    }
}

/// The records of `rows` (in `LINKS` order, with their canonical bytes) that no longer give the
/// link stored beside them.
pub(super) fn chain_breaks(rows: &[LinkRow], canonical: &[Vec<u8>]) -> Vec<ChainFinding> {
    let mut found = Vec::new();
    let mut start = 0;
    for file_rows in rows.chunk_by(|a, b| a.file_id == b.file_id) {
        let stored: Vec<(Vec<u8>, ChainHash)> = file_rows
            .iter()
            .zip(&canonical[start..])
            .map(|(r, bytes)| {
                let kept = r.chain_hash.as_deref().and_then(ChainHash::from_hex);
                // A missing or unreadable link is one that cannot match.
                (bytes.clone(), kept.unwrap_or(ChainHash([0xff; 32])))
            })
            .collect();
        start += file_rows.len();
        for b in verify_canonical(&stored, &[]) {
            if let Break::Mismatch { position } = b {
                found.push(ChainFinding {
                    file: file_rows[0].file_id.clone(),
                    position,
                    record: file_rows[position as usize].id.clone(),
                });
            }
        }
    }
    found
}

/// The canonical bytes of a stored body; a body that is not JSON any more is hashed as it is,
/// so it never matches the link made from the record.
pub(super) fn canonical_of(body: &str) -> Vec<u8> {
    match serde_json::from_str::<Value>(body) {
        Ok(value) => canonical_json(&value),
        Err(_) => body.as_bytes().to_vec(),
    }
}

//! Photos and signatures: pieces appended exactly once, checked against their SHA-256 when the
//! last one arrives, and who may download a complete one (its uploader, or whoever reads a file
//! with a record that shows it).

use super::audit::{self, Actor};
use super::files::{FILE_PLACES, readable, reads_jurisdiction};
use super::{Db, Result};
use chrono::{Duration, SecondsFormat, Utc};
use sqlx::{AnyConnection, Row};
use xiafang_core::attachment::{blob_of, sha256_hex};
use xiafang_core::sync::{Account, AuditAction};
use xiafang_core::{Record, RecordBody, RecordId, UserId};

/// An account may have this many uploads under way…
pub const MAX_PENDING_BLOBS: i64 = 64;
/// …declaring at most this many bytes together, so one account cannot fill the disk.
pub const MAX_PENDING_BYTES: i64 = 128 * 1024 * 1024;
/// An upload without a new piece for this long is given up when its account starts another, so
/// a wiped phone's leftovers neither stay on disk nor count against the account for ever.
const ABANDONED_AFTER_DAYS: i64 = 7;

/// What the server holds of one blob.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlobState {
    pub size: u64,
    pub mime: String,
    /// Bytes stored: where the next piece must start.
    pub received: u64,
    pub complete: bool,
}

/// One piece of an upload, already checked for form by the HTTP layer.
pub struct Piece<'a> {
    pub sha256: &'a str,
    pub size: u64,
    pub mime: &'a str,
    pub offset: u64,
    pub data: &'a [u8],
}

/// What became of a piece. Only `Stored` stored anything.
#[derive(Debug, PartialEq, Eq)]
pub enum Appended {
    Stored(BlobState),
    /// A replay, or another phone finished first.
    AlreadyComplete(BlobState),
    /// The piece does not start where the stored bytes end (`None`: nothing is stored).
    WrongOffset(Option<BlobState>),
    /// The upload was started with another size or type.
    Differs(BlobState),
    /// All bytes arrived but do not hash to the blob's name: every piece was deleted.
    HashMismatch,
    /// The account already has too many uploads under way.
    TooManyPending,
}

/// A complete blob, for someone allowed to see it.
pub struct Download {
    pub mime: String,
    pub data: Vec<u8>,
}

impl Db {
    pub async fn blob_state(&self, sha256: &str) -> Result<Option<BlobState>> {
        let mut conn = self.pool.acquire().await?;
        state_of(&mut conn, sha256).await
    }

    /// Appends `piece` if it starts exactly where the stored bytes end. The conditional update
    /// (`received = offset`) makes concurrent uploads of one blob take turns: only one of two
    /// equal pieces moves `received`, the other stores nothing.
    pub async fn append_piece(&self, uploader: &UserId, piece: &Piece<'_>) -> Result<Appended> {
        let _turn = self.write_turn().await;
        let mut tx = self.pool.begin().await?;
        let mut state = state_of(&mut tx, piece.sha256).await?;
        if state.is_none() {
            if piece.offset != 0 {
                return Ok(Appended::WrongOffset(None));
            }
            if !room_for(&mut tx, uploader, piece.size).await? {
                return Ok(Appended::TooManyPending);
            }
            let now = now();
            // A concurrent first piece may have created the row: then that one's row stands.
            sqlx::query(
                "INSERT INTO blobs (sha256, size, mime, received, complete, uploader_id, \
                 created_at, updated_at) VALUES ($1, $2, $3, 0, 0, $4, $5, $5) \
                 ON CONFLICT (sha256) DO NOTHING",
            )
            .bind(piece.sha256)
            .bind(piece.size as i64)
            .bind(piece.mime)
            .bind(&uploader.0)
            .bind(&now)
            .execute(&mut *tx)
            .await?;
            state = state_of(&mut tx, piece.sha256).await?;
        }
        let Some(state) = state else {
            return Ok(Appended::WrongOffset(None));
        };
        if state.size != piece.size || state.mime != piece.mime {
            return Ok(Appended::Differs(state));
        }
        if state.complete {
            return Ok(Appended::AlreadyComplete(state));
        }
        if state.received != piece.offset {
            return Ok(Appended::WrongOffset(Some(state)));
        }
        let len = piece.data.len() as u64;
        let moved = sqlx::query(
            "UPDATE blobs SET received = received + $1, updated_at = $2 \
             WHERE sha256 = $3 AND received = $4 AND complete = 0",
        )
        .bind(len as i64)
        .bind(now())
        .bind(piece.sha256)
        .bind(piece.offset as i64)
        .execute(&mut *tx)
        .await?;
        if moved.rows_affected() == 0 {
            // Another upload of this blob appended first (PostgreSQL writers run concurrently),
            // perhaps its last piece: then this copy is a replay like any other.
            return Ok(match state_of(&mut tx, piece.sha256).await? {
                Some(now) if now.complete => Appended::AlreadyComplete(now),
                now => Appended::WrongOffset(now),
            });
        }
        sqlx::query("INSERT INTO blob_parts (sha256, byte_offset, data) VALUES ($1, $2, $3)")
            .bind(piece.sha256)
            .bind(piece.offset as i64)
            .bind(piece.data)
            .execute(&mut *tx)
            .await?;
        let received = piece.offset + len;
        let complete = received == state.size;
        if complete {
            let content = content_of(&mut tx, piece.sha256).await?;
            if sha256_hex(&content) != piece.sha256 {
                forget(&mut tx, piece.sha256).await?;
                tx.commit().await?;
                return Ok(Appended::HashMismatch);
            }
            sqlx::query("UPDATE blobs SET complete = 1 WHERE sha256 = $1")
                .bind(piece.sha256)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(Appended::Stored(BlobState {
            received,
            complete,
            ..state
        }))
    }

    /// The complete blob, when `account` uploaded it or may read a file with a record showing
    /// it; `None` otherwise, whether or not it exists. Each record showing it gets an audit line.
    pub async fn download_blob(
        &self,
        actor: &Actor<'_>,
        account: &Account,
        sha256: &str,
    ) -> Result<Option<Download>> {
        let _turn = self.write_turn().await;
        let mut tx = self.pool.begin().await?;
        let mime: Option<String> = sqlx::query_scalar(&format!(
            "SELECT b.mime FROM blobs b WHERE b.sha256 = $3 AND b.complete = 1 \
             AND (b.uploader_id = $1 OR EXISTS (SELECT 1 FROM {FILE_PLACES} \
             JOIN record_blobs rb ON rb.file_id = f.id WHERE rb.sha256 = b.sha256 AND {}))",
            readable()
        ))
        .bind(&account.id.0)
        .bind(reads_jurisdiction(account))
        .bind(sha256)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(mime) = mime else {
            return Ok(None);
        };
        let data = content_of(&mut tx, sha256).await?;
        let shown_by = sqlx::query("SELECT record_id, file_id FROM record_blobs WHERE sha256 = $1")
            .bind(sha256)
            .fetch_all(&mut *tx)
            .await?;
        for row in shown_by {
            let record = row.get::<String, _>("record_id").parse::<RecordId>().ok();
            let file: String = row.get("file_id");
            audit::log(&mut tx, actor, AuditAction::Read, &file, record).await?;
        }
        tx.commit().await?;
        Ok(Some(Download { mime, data }))
    }
}

/// Notes which blob `record` shows, if any, so readers of its file may download it. The blob
/// may arrive later: records travel first, photos follow over the slow link.
pub(crate) async fn link_record_blobs(conn: &mut AnyConnection, record: &Record) -> Result<()> {
    // A voided photo or signature (the wrong person's document, say) stops being shown to the
    // file's readers; its uploader still has it.
    if let RecordBody::Void(void) = &record.body {
        sqlx::query("DELETE FROM record_blobs WHERE record_id = $1 AND file_id = $2")
            .bind(void.target.to_string())
            .bind(&record.file_id.0)
            .execute(&mut *conn)
            .await?;
    }
    if let Some(blob) = blob_of(&record.body) {
        sqlx::query("INSERT INTO record_blobs (record_id, file_id, sha256) VALUES ($1, $2, $3)")
            .bind(record.id.to_string())
            .bind(&record.file_id.0)
            .bind(&blob.sha256)
            .execute(conn)
            .await?;
    }
    Ok(())
}

async fn state_of(conn: &mut AnyConnection, sha256: &str) -> Result<Option<BlobState>> {
    let row = sqlx::query("SELECT size, mime, received, complete FROM blobs WHERE sha256 = $1")
        .bind(sha256)
        .fetch_optional(conn)
        .await?;
    Ok(row.map(|r| BlobState {
        size: r.get::<i64, _>("size") as u64,
        mime: r.get("mime"),
        received: r.get::<i64, _>("received") as u64,
        complete: r.get::<i64, _>("complete") == 1,
    }))
}

/// The stored bytes in order.
async fn content_of(conn: &mut AnyConnection, sha256: &str) -> Result<Vec<u8>> {
    let parts: Vec<Vec<u8>> =
        sqlx::query_scalar("SELECT data FROM blob_parts WHERE sha256 = $1 ORDER BY byte_offset")
            .bind(sha256)
            .fetch_all(conn)
            .await?;
    Ok(parts.concat())
}

async fn forget(conn: &mut AnyConnection, sha256: &str) -> Result<()> {
    for sql in [
        "DELETE FROM blob_parts WHERE sha256 = $1",
        "DELETE FROM blobs WHERE sha256 = $1",
    ] {
        sqlx::query(sql).bind(sha256).execute(&mut *conn).await?;
    }
    Ok(())
}

/// Whether `uploader` may start another upload of `size` bytes, after giving up its own
/// abandoned ones.
async fn room_for(conn: &mut AnyConnection, uploader: &UserId, size: u64) -> Result<bool> {
    let cutoff = (Utc::now() - Duration::days(ABANDONED_AFTER_DAYS))
        .to_rfc3339_opts(SecondsFormat::Secs, true);
    let abandoned = "SELECT sha256 FROM blobs WHERE uploader_id = $1 AND complete = 0 \
                     AND updated_at < $2";
    for sql in [
        format!("DELETE FROM blob_parts WHERE sha256 IN ({abandoned})"),
        format!("DELETE FROM blobs WHERE sha256 IN ({abandoned})"),
    ] {
        sqlx::query(&sql)
            .bind(&uploader.0)
            .bind(&cutoff)
            .execute(&mut *conn)
            .await?;
    }
    let row = sqlx::query(
        "SELECT CAST(COUNT(*) AS BIGINT) AS n, CAST(COALESCE(SUM(size), 0) AS BIGINT) AS bytes \
         FROM blobs WHERE uploader_id = $1 AND complete = 0",
    )
    .bind(&uploader.0)
    .fetch_one(&mut *conn)
    .await?;
    Ok(row.get::<i64, _>("n") < MAX_PENDING_BLOBS
        && row.get::<i64, _>("bytes") + size as i64 <= MAX_PENDING_BYTES)
}

/// Fixed width, so timestamps compare as text on both backends.
fn now() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true)
}

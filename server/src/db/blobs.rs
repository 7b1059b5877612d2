//! Photos and signatures: each uploader appends pieces to its own copy exactly once; a copy that
//! is complete and hashes to its name becomes the blob, kept once whoever else uploads the same
//! bytes. Who may learn of or download a complete blob: its uploaders, and whoever reads a file
//! with a record that shows it. Finished blobs no record shows are removed after a grace period.

use super::files::{FILE_PLACES, readable, reads_jurisdiction};
use super::{Db, Result};
use chrono::{DateTime, Duration, SecondsFormat, Utc};
use sqlx::AnyConnection;
use xiafang_core::account::Account;
use xiafang_core::{Record, RecordBody, UserId};
use xiafang_core::{attachment::sha256_hex, kinds::blob_of};

/// An account may have this many uploads under way or finished but shown by no record…
pub const MAX_PENDING_BLOBS: i64 = 64;
/// …declaring at most this many bytes together, so one account cannot fill the disk.
pub const MAX_PENDING_BYTES: i64 = 128 * 1024 * 1024;
/// An upload without a new piece for this long is given up, so a wiped phone's leftovers
/// neither stay on disk nor count against the account for ever.
const ABANDONED_AFTER_DAYS: i64 = 7;
/// A finished image no record shows is removed after this long. Phones send records before
/// their images, so such an image is a record still on its way (a cadre days away from signal
/// after the image went up, or a record waiting for a supervisor's quarantine review) or one that
/// never comes (a wiped phone, a refused record); a week covers the first without keeping the
/// second for ever, and until then it counts against its uploader's limits above.
pub const ORPHAN_GRACE_DAYS: i64 = 7;
/// The `uploader_id` of the pieces of a complete blob, as opposed to an uploader's own copy.
const COMPLETE: &str = "";

/// Where an upload stands for one account.
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
    /// A replay, or another phone of the account finished first.
    AlreadyComplete(BlobState),
    /// The piece does not start where the uploader's stored bytes end (`None`: none stored).
    WrongOffset(Option<BlobState>),
    /// The uploader's own upload (or the blob it may see) has another size or type.
    Differs(BlobState),
    /// All bytes arrived but do not hash to the blob's name: the uploader's copy was deleted.
    HashMismatch,
    /// The account already has too many uploads under way or unshown.
    TooManyPending,
}

/// A complete blob, for someone allowed to see it.
pub struct Download {
    pub mime: String,
    pub data: Vec<u8>,
}

/// True when complete blob `b` is account `$1`'s (with `$2` from `reads_jurisdiction`) to know
/// of: it uploaded it, or reads a file with a record that shows it.
fn visible() -> String {
    format!(
        "(EXISTS (SELECT 1 FROM blob_owners o WHERE o.sha256 = b.sha256 AND o.account_id = $1) \
         OR EXISTS (SELECT 1 FROM {FILE_PLACES} JOIN record_blobs rb ON rb.file_id = f.id \
         WHERE rb.sha256 = b.sha256 AND rb.voided = 0 AND {}))",
        readable()
    )
}

/// True when complete blob `b` is shown by no record, voided or not.
const UNSHOWN: &str = "NOT EXISTS (SELECT 1 FROM record_blobs rb WHERE rb.sha256 = b.sha256)";

impl Db {
    /// Where `account`'s upload of `sha256` stands: complete when the blob is there and the
    /// account may know of it, else its own copy; `None` reveals nothing about anyone else's.
    pub async fn upload_status(
        &self,
        account: &Account,
        sha256: &str,
    ) -> Result<Option<BlobState>> {
        let mut conn = self.pool.acquire().await?;
        if let Some(done) = visible_blob(&mut conn, account, sha256).await? {
            return Ok(Some(done));
        }
        own_upload(&mut conn, &account.id, sha256).await
    }

    /// Appends `piece` to the uploader's own copy if it starts exactly where that copy ends.
    /// The conditional update (`received = offset`) makes two phones of one account take turns:
    /// only one of two equal pieces moves `received`, the other stores nothing.
    pub async fn append_piece(&self, uploader: &Account, piece: &Piece<'_>) -> Result<Appended> {
        let _turn = self.write_turn().await;
        let mut tx = self.pool.begin().await?;
        if let Some(done) = visible_blob(&mut tx, uploader, piece.sha256).await? {
            return Ok(already_complete(done, piece));
        }
        let who = &uploader.id;
        let mut state = own_upload(&mut tx, who, piece.sha256).await?;
        if state.is_none() {
            // Another phone of the account may have completed the upload (and removed its
            // row) between the two reads above: then this piece is a replay like any other.
            if let Some(done) = visible_blob(&mut tx, uploader, piece.sha256).await? {
                return Ok(already_complete(done, piece));
            }
            if piece.offset != 0 {
                return Ok(Appended::WrongOffset(None));
            }
            if !room_for(&mut tx, who, piece.size).await? {
                // The clean-up `room_for` did stays done.
                tx.commit().await?;
                return Ok(Appended::TooManyPending);
            }
            // A concurrent first piece from another phone of the account may have made the row.
            sqlx::query(
                "INSERT INTO blob_uploads (sha256, uploader_id, size, mime, received, \
                 created_at, updated_at) VALUES ($1, $2, $3, $4, 0, $5, $5) \
                 ON CONFLICT (sha256, uploader_id) DO NOTHING",
            )
            .bind(piece.sha256)
            .bind(&who.0)
            .bind(piece.size as i64)
            .bind(piece.mime)
            .bind(now())
            .execute(&mut *tx)
            .await?;
            state = own_upload(&mut tx, who, piece.sha256).await?;
        }
        let Some(state) = state else {
            return Ok(Appended::WrongOffset(None));
        };
        if state.size != piece.size || state.mime != piece.mime {
            return Ok(Appended::Differs(state));
        }
        if state.received != piece.offset {
            return Ok(Appended::WrongOffset(Some(state)));
        }
        let len = piece.data.len() as u64;
        let moved = sqlx::query(
            "UPDATE blob_uploads SET received = received + $1, updated_at = $2 \
             WHERE sha256 = $3 AND uploader_id = $4 AND received = $5",
        )
        .bind(len as i64)
        .bind(now())
        .bind(piece.sha256)
        .bind(&who.0)
        .bind(piece.offset as i64)
        .execute(&mut *tx)
        .await?;
        if moved.rows_affected() == 0 {
            // Another phone of the account appended first (PostgreSQL writers run concurrently),
            // perhaps its last piece: then this copy is a replay like any other.
            if let Some(done) = visible_blob(&mut tx, uploader, piece.sha256).await? {
                return Ok(Appended::AlreadyComplete(done));
            }
            let now = own_upload(&mut tx, who, piece.sha256).await?;
            return Ok(Appended::WrongOffset(now));
        }
        sqlx::query(
            "INSERT INTO blob_parts (sha256, uploader_id, byte_offset, data) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(piece.sha256)
        .bind(&who.0)
        .bind(piece.offset as i64)
        .bind(piece.data)
        .execute(&mut *tx)
        .await?;
        let received = piece.offset + len;
        if received < state.size {
            tx.commit().await?;
            return Ok(Appended::Stored(BlobState { received, ..state }));
        }
        let content = content_of(&mut tx, piece.sha256, &who.0).await?;
        if sha256_hex(&content) != piece.sha256 {
            forget_upload(&mut tx, piece.sha256, &who.0).await?;
            tx.commit().await?;
            return Ok(Appended::HashMismatch);
        }
        complete(&mut tx, who, piece).await?;
        tx.commit().await?;
        Ok(Appended::Stored(BlobState {
            received,
            complete: true,
            ..state
        }))
    }

    /// The complete blob, when `account` uploaded it or may read a file with a record showing
    /// it; `None` otherwise, whether or not it exists. Also `(file, record)` of every record
    /// naming it, for the audit log: the bytes are those files' data, whoever downloads them.
    pub async fn download_blob(
        &self,
        account: &Account,
        sha256: &str,
    ) -> Result<Option<(Download, Vec<(String, String)>)>> {
        let mut conn = self.pool.acquire().await?;
        let Some(state) = visible_blob(&mut conn, account, sha256).await? else {
            return Ok(None);
        };
        let data = content_of(&mut conn, sha256, COMPLETE).await?;
        let shown = sqlx::query_as::<_, (String, String)>(
            "SELECT file_id, record_id FROM record_blobs WHERE sha256 = $1 ORDER BY record_id",
        )
        .bind(sha256)
        .fetch_all(&mut *conn)
        .await?;
        Ok(Some((
            Download {
                mime: state.mime,
                data,
            },
            shown,
        )))
    }

    /// `(file, record)` of each record naming `sha256` in a file `account` reads.
    pub async fn records_showing(
        &self,
        account: &Account,
        sha256: &str,
    ) -> Result<Vec<(String, String)>> {
        let mut conn = self.pool.acquire().await?;
        shown_to(&mut conn, account, sha256).await
    }

    /// Gives up uploads untouched for a week and removes finished blobs no record has shown
    /// for `ORPHAN_GRACE_DAYS`, as of `now`. Returns how many uploads and blobs went.
    pub async fn sweep_blobs(&self, now: DateTime<Utc>) -> Result<u64> {
        let _turn = self.write_turn().await;
        let mut tx = self.pool.begin().await?;
        let gone = sweep(&mut tx, None, now).await?;
        tx.commit().await?;
        Ok(gone)
    }
}

/// Runs `Db::sweep_blobs` every `period` for as long as the server runs.
pub async fn sweep_blobs_every(db: std::sync::Arc<Db>, period: std::time::Duration) {
    let mut ticks = tokio::time::interval(period);
    loop {
        ticks.tick().await;
        match db.sweep_blobs(Utc::now()).await {
            Ok(0) => {}
            Ok(gone) => tracing::info!(gone, "removed abandoned uploads and unshown images"),
            // Nothing is lost by waiting for the next round; the disk only fills more slowly.
            Err(cause) => tracing::warn!(%cause, "image clean-up failed"),
        }
    }
}

/// Notes which blob `record` shows, if any, so readers of its file may download it. The blob
/// may arrive later: records travel first, photos follow over the slow link.
pub(crate) async fn link_record_blobs(conn: &mut AnyConnection, record: &Record) -> Result<()> {
    // A voided photo or signature (the wrong person's document, say) stops being shown to the
    // file's readers; its uploader still has it, and the record still names it, so it stays.
    if let RecordBody::Void(void) = &record.body {
        sqlx::query("UPDATE record_blobs SET voided = 1 WHERE record_id = $1 AND file_id = $2")
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

/// The complete blob, if `account` may know of it.
async fn visible_blob(
    conn: &mut AnyConnection,
    account: &Account,
    sha256: &str,
) -> Result<Option<BlobState>> {
    let row = sqlx::query_as::<_, (i64, String)>(&format!(
        "SELECT b.size, b.mime FROM blobs b WHERE b.sha256 = $3 AND b.complete = 1 AND {}",
        visible()
    ))
    .bind(&account.id.0)
    .bind(reads_jurisdiction(account))
    .bind(sha256)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|(size, mime)| BlobState {
        size: size as u64,
        mime,
        received: size as u64,
        complete: true,
    }))
}

/// The uploader's own copy under way.
async fn own_upload(
    conn: &mut AnyConnection,
    uploader: &UserId,
    sha256: &str,
) -> Result<Option<BlobState>> {
    let row = sqlx::query_as::<_, (i64, String, i64)>(
        "SELECT size, mime, received FROM blob_uploads WHERE sha256 = $1 AND uploader_id = $2",
    )
    .bind(sha256)
    .bind(&uploader.0)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|(size, mime, received)| BlobState {
        size: size as u64,
        mime,
        received: received as u64,
        complete: false,
    }))
}

/// `(file, record)` of each record naming `sha256` in a file `account` reads.
async fn shown_to(
    conn: &mut AnyConnection,
    account: &Account,
    sha256: &str,
) -> Result<Vec<(String, String)>> {
    Ok(sqlx::query_as::<_, (String, String)>(&format!(
        "SELECT rb.file_id, rb.record_id FROM {FILE_PLACES} JOIN record_blobs rb \
         ON rb.file_id = f.id WHERE rb.sha256 = $3 AND {} \
         ORDER BY rb.record_id",
        readable()
    ))
    .bind(&account.id.0)
    .bind(reads_jurisdiction(account))
    .bind(sha256)
    .fetch_all(conn)
    .await?)
}

/// The uploader's checked copy becomes the blob, or, when another uploader's copy already is,
/// is dropped: the bytes are kept once, and the uploader joins the blob's owners.
/// Stores `bytes` as a complete blob `owner` uploaded, in one piece: how the demo's images arrive
/// with the demo, as if their authors had uploaded them.
pub(crate) async fn store_complete_blob(
    conn: &mut AnyConnection,
    owner: &UserId,
    mime: &str,
    bytes: &[u8],
) -> Result<()> {
    let sha256 = sha256_hex(bytes);
    sqlx::query(
        "INSERT INTO blob_parts (sha256, uploader_id, byte_offset, data) VALUES ($1, $2, 0, $3)",
    )
    .bind(&sha256)
    .bind(COMPLETE)
    .bind(bytes)
    .execute(&mut *conn)
    .await?;
    let piece = Piece {
        sha256: &sha256,
        size: bytes.len() as u64,
        mime,
        offset: 0,
        data: bytes,
    };
    complete(conn, owner, &piece).await
}

async fn complete(conn: &mut AnyConnection, uploader: &UserId, piece: &Piece<'_>) -> Result<()> {
    let now = now();
    // Two uploaders finishing at once on PostgreSQL: the second insert waits for the first
    // to commit and then changes nothing.
    let created = sqlx::query(
        "INSERT INTO blobs (sha256, size, mime, received, complete, uploader_id, created_at, \
         updated_at) VALUES ($1, $2, $3, $2, 1, $4, $5, $5) ON CONFLICT (sha256) DO NOTHING",
    )
    .bind(piece.sha256)
    .bind(piece.size as i64)
    .bind(piece.mime)
    .bind(&uploader.0)
    .bind(&now)
    .execute(&mut *conn)
    .await?;
    if created.rows_affected() == 1 {
        sqlx::query(
            "UPDATE blob_parts SET uploader_id = $1 WHERE sha256 = $2 AND uploader_id = $3",
        )
        .bind(COMPLETE)
        .bind(piece.sha256)
        .bind(&uploader.0)
        .execute(&mut *conn)
        .await?;
    } else {
        // A new owner restarts the grace period of a blob no record shows yet.
        sqlx::query("UPDATE blobs SET updated_at = $1 WHERE sha256 = $2")
            .bind(&now)
            .bind(piece.sha256)
            .execute(&mut *conn)
            .await?;
    }
    forget_upload(conn, piece.sha256, &uploader.0).await?;
    sqlx::query(
        "INSERT INTO blob_owners (sha256, account_id) VALUES ($1, $2) \
         ON CONFLICT (sha256, account_id) DO NOTHING",
    )
    .bind(piece.sha256)
    .bind(&uploader.0)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The stored bytes of one copy (`COMPLETE` or an uploader's) in order.
async fn content_of(conn: &mut AnyConnection, sha256: &str, copy: &str) -> Result<Vec<u8>> {
    let parts: Vec<Vec<u8>> = sqlx::query_scalar(
        "SELECT data FROM blob_parts WHERE sha256 = $1 AND uploader_id = $2 \
         ORDER BY byte_offset",
    )
    .bind(sha256)
    .bind(copy)
    .fetch_all(conn)
    .await?;
    Ok(parts.concat())
}

async fn forget_upload(conn: &mut AnyConnection, sha256: &str, uploader: &str) -> Result<()> {
    for sql in [
        "DELETE FROM blob_parts WHERE sha256 = $1 AND uploader_id = $2",
        "DELETE FROM blob_uploads WHERE sha256 = $1 AND uploader_id = $2",
    ] {
        sqlx::query(sql)
            .bind(sha256)
            .bind(uploader)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Whether `uploader` may start another upload of `size` bytes, after its own abandoned uploads
/// and long-unshown blobs are removed.
async fn room_for(conn: &mut AnyConnection, uploader: &UserId, size: u64) -> Result<bool> {
    sweep(conn, Some(uploader), Utc::now()).await?;
    let (n, bytes) = sqlx::query_as::<_, (i64, i64)>(&format!(
        "SELECT CAST(COUNT(*) AS BIGINT) AS n, CAST(COALESCE(SUM(size), 0) AS BIGINT) AS bytes \
         FROM (SELECT size FROM blob_uploads WHERE uploader_id = $1 \
         UNION ALL SELECT b.size FROM blobs b JOIN blob_owners o ON o.sha256 = b.sha256 \
         WHERE o.account_id = $1 AND {UNSHOWN}) AS mine"
    ))
    .bind(&uploader.0)
    .fetch_one(&mut *conn)
    .await?;
    Ok(n < MAX_PENDING_BLOBS && bytes + size as i64 <= MAX_PENDING_BYTES)
}

/// Removes, as of `now`, abandoned uploads and blobs unshown past their grace period: those of
/// `only` (when an uploader starts an upload) or everyone's (the periodic sweep).
async fn sweep(conn: &mut AnyConnection, only: Option<&UserId>, now: DateTime<Utc>) -> Result<u64> {
    let who = only.map_or("", |u| u.0.as_str());
    let abandoned = stamp(now - Duration::days(ABANDONED_AFTER_DAYS));
    let stale: Vec<(String, String)> = sqlx::query_as(
        "SELECT sha256, uploader_id FROM blob_uploads WHERE updated_at < $1 \
         AND ($2 = '' OR uploader_id = $2)",
    )
    .bind(&abandoned)
    .bind(who)
    .fetch_all(&mut *conn)
    .await?;
    for (sha256, uploader) in &stale {
        forget_upload(conn, sha256, uploader).await?;
    }
    let unshown_since = stamp(now - Duration::days(ORPHAN_GRACE_DAYS));
    let orphans: Vec<String> = sqlx::query_scalar(&format!(
        "SELECT b.sha256 FROM blobs b WHERE b.updated_at < $1 AND {UNSHOWN} AND ($2 = '' \
         OR EXISTS (SELECT 1 FROM blob_owners o WHERE o.sha256 = b.sha256 AND o.account_id = $2))"
    ))
    .bind(&unshown_since)
    .bind(who)
    .fetch_all(&mut *conn)
    .await?;
    for sha256 in &orphans {
        for sql in [
            "DELETE FROM blob_parts WHERE sha256 = $1",
            "DELETE FROM blob_owners WHERE sha256 = $1",
            "DELETE FROM blobs WHERE sha256 = $1",
        ] {
            sqlx::query(sql).bind(sha256).execute(&mut *conn).await?;
        }
    }
    Ok((stale.len() + orphans.len()) as u64)
}

/// The answer to a piece of an image the caller may already see complete.
fn already_complete(done: BlobState, piece: &Piece<'_>) -> Appended {
    if done.size != piece.size || done.mime != piece.mime {
        Appended::Differs(done)
    } else {
        Appended::AlreadyComplete(done)
    }
}

/// Fixed width, so timestamps compare as text on both backends.
fn stamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn now() -> String {
    stamp(Utc::now())
}

//! The audit log: append-only. A write's line is written in the same transaction as what it
//! records, so a stored record always has its line. Reads are many and small, so their lines are
//! group-committed: each request hands its lines to one writer task and waits until the batch
//! they landed in committed (one transaction, one flush for many requests). Nothing is answered
//! before its line is durable, so a crash loses no line of an answered request.

use super::files::{FILE_PLACES, readable, reads_jurisdiction};
use super::{Backend, Db, DbError, Result};
use chrono::{DateTime, Utc};
use sqlx::{AnyConnection, AnyPool};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use tokio::sync::{Mutex, mpsc, oneshot};
use xiafang_core::{FileId, RecordId, UserId};
use xiafang_core::{
    account::Account,
    audit::{AuditAction, AuditEntry},
};

/// How long audit lines are kept at least: three years. The Cybersecurity Law (art. 21) asks
/// network operators to keep logs for no less than six months; that is a floor. A petition
/// matter runs for months (acceptance, handling, review, re-review) and comes back for years,
/// and a complaint that someone looked at a petitioner's file is typically raised only when the
/// petitioner learns of it, long after; three years covers the matters a township office
/// usually still has open or recently closed, while the lines — themselves personal data about
/// cadres — are not kept without end. Nothing deletes lines: the table refuses it.
pub const AUDIT_RETENTION_DAYS: u32 = 3 * 365 + 1;
/// Lines one group commit takes at most; more wait for the next, so one commit stays short.
const MAX_BATCH_LINES: usize = 1024;
/// Requests waiting for the writer; beyond this a reader waits to hand over its lines.
const QUEUE: usize = 4096;

/// Who did it and from where.
pub struct Actor<'a> {
    pub account: &'a UserId,
    pub device: Option<&'a str>,
}

impl<'a> Actor<'a> {
    /// The account reading through the API, where no phone is named.
    pub fn account(account: &'a UserId) -> Self {
        Actor {
            account,
            device: None,
        }
    }
}

/// One line as the table stores it.
struct Line {
    id: String,
    at: String,
    account: String,
    device: Option<String>,
    action: &'static str,
    file: String,
    record: Option<String>,
}

impl Line {
    fn new(actor: &Actor<'_>, action: AuditAction, file: &str, record: Option<RecordId>) -> Self {
        Line {
            id: uuid::Uuid::new_v4().to_string(),
            at: Utc::now().to_rfc3339(),
            account: actor.account.0.clone(),
            device: actor.device.map(str::to_owned),
            action: action.key(),
            file: file.to_owned(),
            record: record.map(|r| r.to_string()),
        }
    }

    async fn insert(&self, conn: &mut AnyConnection) -> Result<()> {
        insert_lines(conn, &[self]).await
    }
}

/// Rows one INSERT carries at most (7 parameters each; far below both databases' limits).
const ROWS_PER_INSERT: usize = 100;

/// Inserts lines with one statement per `ROWS_PER_INSERT`: each statement is a round trip to
/// PostgreSQL, and a pushed batch or a group commit has dozens of lines.
async fn insert_lines(conn: &mut AnyConnection, lines: &[&Line]) -> Result<()> {
    for chunk in lines.chunks(ROWS_PER_INSERT) {
        let rows: Vec<String> = (0..chunk.len())
            .map(|i| {
                let p = |k: usize| format!("${}", i * 7 + k);
                format!(
                    "({}, {}, {}, {}, {}, {}, {})",
                    p(1),
                    p(2),
                    p(3),
                    p(4),
                    p(5),
                    p(6),
                    p(7)
                )
            })
            .collect();
        let sql = format!(
            "INSERT INTO audit_log (id, at, account_id, device_id, action, file_id, record_id) \
             VALUES {}",
            rows.join(", ")
        );
        let mut query = sqlx::query(&sql);
        for line in chunk {
            query = query
                .bind(&line.id)
                .bind(&line.at)
                .bind(&line.account)
                .bind(&line.device)
                .bind(line.action)
                .bind(&line.file)
                .bind(&line.record);
        }
        query.execute(&mut *conn).await?;
    }
    Ok(())
}

/// The lines of one transaction's writes, kept until it is about to commit and then inserted
/// together: a stored record still always has its line, since both commit or neither does.
#[derive(Default)]
pub(crate) struct WriteLines(Vec<Line>);

impl WriteLines {
    pub(crate) fn add(
        &mut self,
        actor: &Actor<'_>,
        action: AuditAction,
        file: &str,
        record: Option<RecordId>,
    ) {
        self.0.push(Line::new(actor, action, file, record));
    }

    /// Inserts them in `conn`'s transaction; call it before the commit.
    pub(crate) async fn insert(self, conn: &mut AnyConnection) -> Result<()> {
        insert_lines(conn, &self.0.iter().collect::<Vec<_>>()).await
    }
}

pub(crate) async fn log(
    conn: &mut AnyConnection,
    actor: &Actor<'_>,
    action: AuditAction,
    file: &str,
    record: Option<RecordId>,
) -> Result<()> {
    Line::new(actor, action, file, record).insert(conn).await
}

/// One request's lines and where to tell it they are durable.
struct Waiting {
    lines: Vec<Line>,
    done: oneshot::Sender<std::result::Result<(), String>>,
}

/// The handle on the writer task that group-commits read lines.
pub(crate) struct AuditWriter {
    queue: mpsc::Sender<Waiting>,
    commits: Arc<AtomicU64>,
}

impl AuditWriter {
    /// Starts the writer; it ends when the `Db` holding this handle is dropped.
    pub(crate) fn start(pool: AnyPool, writer: Arc<Mutex<()>>, backend: Backend) -> Self {
        let (queue, waiting) = mpsc::channel(QUEUE);
        let commits = Arc::new(AtomicU64::new(0));
        tokio::spawn(write_batches(
            pool,
            writer,
            backend,
            waiting,
            commits.clone(),
        ));
        AuditWriter { queue, commits }
    }
}

async fn write_batches(
    pool: AnyPool,
    writer: Arc<Mutex<()>>,
    backend: Backend,
    mut queue: mpsc::Receiver<Waiting>,
    commits: Arc<AtomicU64>,
) {
    while let Some(first) = queue.recv().await {
        let mut lines = first.lines.len();
        let mut batch = vec![first];
        // Whatever arrived while the last batch committed goes in this one.
        while lines < MAX_BATCH_LINES {
            let Ok(next) = queue.try_recv() else { break };
            lines += next.lines.len();
            batch.push(next);
        }
        let all: Vec<&Line> = batch.iter().flat_map(|w| &w.lines).collect();
        let results = match commit(&pool, &writer, backend, &all).await {
            Ok(()) => {
                commits.fetch_add(1, Ordering::Relaxed);
                vec![Ok(()); batch.len()]
            }
            // One bad line must not fail the other requests: each alone, then.
            Err(_) => {
                let mut each = Vec::with_capacity(batch.len());
                for w in &batch {
                    let lines: Vec<&Line> = w.lines.iter().collect();
                    let result = commit(&pool, &writer, backend, &lines).await;
                    commits.fetch_add(u64::from(result.is_ok()), Ordering::Relaxed);
                    each.push(result.map_err(|e| e.to_string()));
                }
                each
            }
        };
        for (w, result) in batch.into_iter().zip(results) {
            // A request that went away meanwhile needs no answer; its lines are written anyway.
            w.done.send(result).ok();
        }
    }
}

async fn commit(
    pool: &AnyPool,
    writer: &Mutex<()>,
    backend: Backend,
    lines: &[&Line],
) -> Result<()> {
    // SQLite's one writer: the same turn every other writer takes (`Db::write_turn`).
    let _turn = match backend {
        Backend::Sqlite => Some(writer.lock().await),
        Backend::Postgres => None,
    };
    let mut tx = pool.begin().await?;
    insert_lines(&mut tx, lines).await?;
    tx.commit().await?;
    Ok(())
}

/// One line of the office's export.
pub struct ExportLine {
    pub at: DateTime<Utc>,
    pub account: UserId,
    pub display_name: String,
    pub device: Option<String>,
    pub action: AuditAction,
    pub file: FileId,
    pub record: Option<String>,
}

impl Db {
    /// Records reads of files (the timeline opened, files downloaded to a phone).
    pub async fn log_reads(
        &self,
        actor: &Actor<'_>,
        action: AuditAction,
        files: &[&str],
    ) -> Result<()> {
        let lines: Vec<_> = files.iter().map(|file| (*file, None)).collect();
        self.log_record_reads(actor, action, &lines).await
    }

    /// Records reads of files, each of one record or of the whole file (`None`), and returns
    /// once the lines are committed.
    pub async fn log_record_reads(
        &self,
        actor: &Actor<'_>,
        action: AuditAction,
        lines: &[(&str, Option<RecordId>)],
    ) -> Result<()> {
        if lines.is_empty() {
            return Ok(());
        }
        let lines = lines
            .iter()
            .map(|(file, record)| Line::new(actor, action, file, *record))
            .collect();
        let (done, committed) = oneshot::channel();
        let stopped = || DbError::Audit("the audit writer stopped".into());
        self.audit
            .queue
            .send(Waiting { lines, done })
            .await
            .map_err(|_| stopped())?;
        committed
            .await
            .map_err(|_| stopped())?
            .map_err(DbError::Audit)
    }

    /// How many group commits of read lines succeeded since the server started.
    pub fn audit_commits(&self) -> u64 {
        self.audit.commits.load(Ordering::Relaxed)
    }

    /// The lines from `start` to before `end` (RFC 3339, UTC) about files `account` reads,
    /// oldest first: never a line about an accusation naming it.
    pub async fn audit_export(
        &self,
        account: &Account,
        start: &str,
        end: &str,
    ) -> Result<Vec<ExportLine>> {
        let rows = sqlx::query_as::<_, LineRow>(&format!(
            "SELECT l.at, l.account_id, a.display_name, l.device_id, l.action, l.file_id, \
             l.record_id FROM {FILE_PLACES} JOIN audit_log l ON l.file_id = f.id \
             JOIN accounts a ON a.id = l.account_id \
             WHERE {} AND l.at >= $3 AND l.at < $4 ORDER BY l.at, l.id",
            readable()
        ))
        .bind(&account.id.0)
        .bind(reads_jurisdiction(account))
        .bind(start)
        .bind(end)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|r| {
                Ok(ExportLine {
                    at: parse_at(&r.at)?,
                    action: AuditAction::from_key(&r.action).ok_or_else(|| corrupt("action"))?,
                    account: UserId(r.account_id),
                    display_name: r.display_name,
                    device: r.device_id,
                    file: FileId(r.file_id),
                    record: r.record_id,
                })
            })
            .collect()
    }

    /// A file's audit log, newest first.
    pub async fn audit_of(&self, file: &FileId) -> Result<Vec<AuditEntry>> {
        let rows = sqlx::query_as::<_, LineRow>(
            "SELECT l.at, l.account_id, a.display_name, l.device_id, l.action, l.file_id, \
             l.record_id \
             FROM audit_log l JOIN accounts a ON a.id = l.account_id \
             WHERE l.file_id = $1 ORDER BY l.at DESC, l.id",
        )
        .bind(&file.0)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|r| {
                Ok(AuditEntry {
                    at: parse_at(&r.at)?,
                    account: UserId(r.account_id),
                    display_name: r.display_name,
                    device: r
                        .device_id
                        .map(|d| d.parse().map_err(|_| corrupt("device")))
                        .transpose()?,
                    action: AuditAction::from_key(&r.action).ok_or_else(|| corrupt("action"))?,
                    record: r
                        .record_id
                        .map(|d| d.parse().map_err(|_| corrupt("record")))
                        .transpose()?,
                })
            })
            .collect()
    }
}

/// A line of the audit log with the name of its account.
#[derive(sqlx::FromRow)]
struct LineRow {
    at: String,
    account_id: String,
    display_name: String,
    device_id: Option<String>,
    action: String,
    file_id: String,
    record_id: Option<String>,
}

fn corrupt(what: &str) -> DbError {
    DbError::Corrupt {
        table: "audit_log",
        source: serde::de::Error::custom(what),
    }
}

fn parse_at(text: &str) -> Result<DateTime<Utc>> {
    Ok(DateTime::parse_from_rfc3339(text)
        .map_err(|_| corrupt("at"))?
        .with_timezone(&Utc))
}

//! `xiafang-server move-to-postgres`: every table of a stopped SQLite deployment copied, row for
//! row, into an empty PostgreSQL database in one transaction. Nothing is renumbered or recomputed:
//! feed positions (`feed_head`, `feed_seq`), chain links and statements, sessions, device marks
//! and operations stay as they were, so phones' cursors, tokens and operation numbers stay valid.
//!
//! The tables come from the schema, not from a list here: a table a later migration adds is
//! copied without anyone remembering to. The SQLite file is only read, under an exclusive lock
//! that no running server holds (`PRAGMA locking_mode = EXCLUSIVE`: each connection a server has
//! open keeps a shared lock on a WAL database, which a plain `BEGIN EXCLUSIVE` does not notice),
//! and kept while the copy runs, so no server can start writing to it meanwhile.

mod rows;

use super::{Db, DbError, redact};
use rows::copy_table;
use sqlx::Connection;
use sqlx::postgres::PgConnection;
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection, SqliteLockingMode};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::Path;
use std::str::FromStr;
use xiafang_core::verify::VerifyReport;

#[derive(Debug, thiserror::Error)]
pub enum MoveError {
    #[error("找不到 SQLite 数据库 {0}（--data-dir 应指向原来的数据目录）")]
    Missing(String),
    #[error("服务器仍在使用数据库 {0}：请先停止服务（systemctl stop xiafang）再迁移")]
    InUse(String),
    #[error("目标必须是 PostgreSQL 数据库（postgres://…），而不是 {0}")]
    NotPostgres(String),
    #[error(
        "SQLite 数据库的结构与本版本不同（缺少迁移 {missing:?}，多出迁移 {unknown:?}）：\
         请先用本版本在 SQLite 上启动一次服务器并停止，再迁移"
    )]
    Migrations {
        missing: Vec<i64>,
        unknown: Vec<i64>,
    },
    #[error(
        "两个数据库的表不同：只在 SQLite 中 {only_sqlite:?}，只在 PostgreSQL 中 {only_postgres:?}"
    )]
    Tables {
        only_sqlite: Vec<String>,
        only_postgres: Vec<String>,
    },
    #[error("表 {table} 的列不同：SQLite {sqlite:?}，PostgreSQL {postgres:?}")]
    Columns {
        table: String,
        sqlite: Vec<String>,
        postgres: Vec<String>,
    },
    #[error(
        "目标数据库不是空的：表 {table} 已有 {rows} 行。请迁移到新建的空数据库（createdb），不要先在上面启动服务器"
    )]
    NotEmpty { table: String, rows: i64 },
    #[error("表 {table} 的列 {column} 是 {kind} 类型，迁移命令还不会复制它")]
    UnknownType {
        table: String,
        column: String,
        kind: String,
    },
    #[error("表之间的外键成环（{0:?}），无法确定复制顺序")]
    Cycle(Vec<String>),
    #[error(
        "复制后表 {table} 的行数不同：SQLite {sqlite}，PostgreSQL {postgres}；已回滚，什么也没有写入"
    )]
    Counts {
        table: String,
        sqlite: i64,
        postgres: i64,
    },
    #[error("数据库错误：{0}")]
    Sql(#[from] sqlx::Error),
    #[error("数据库错误：{0}")]
    Db(#[from] DbError),
}

/// What the move copied (each table and its rows, in copy order) and the chain check on the
/// target afterwards.
#[derive(Debug)]
pub struct Moved {
    pub tables: Vec<(String, i64)>,
    pub verified: VerifyReport,
}

type Result<T> = std::result::Result<T, MoveError>;

const MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// Copies the stopped SQLite deployment at `sqlite` into the empty PostgreSQL database `target`
/// (migrated here first), all or nothing, then checks the record chains there.
pub async fn move_to_postgres(sqlite: &Path, target: &str) -> Result<Moved> {
    if !target.starts_with("postgres:") && !target.starts_with("postgresql:") {
        return Err(MoveError::NotPostgres(redact(target)));
    }
    let mut source = open_exclusively(sqlite).await?;
    same_migrations(&mut source).await?;
    // The schema, the audit log's guard and what a start sets up, exactly as a server would.
    let db = Db::connect(target).await?;
    let mut pg = PgConnection::connect(target).await?;
    let tables = copy_all(&mut source, &mut pg).await?;
    pg.close().await?;
    source.close().await?;
    let verified = db.verify_report(None, None).await?;
    Ok(Moved { tables, verified })
}

/// The SQLite file opened for this process alone: refused (`InUse`) while another holds it.
async fn open_exclusively(path: &Path) -> Result<SqliteConnection> {
    let shown = path.display().to_string();
    if !path.is_file() {
        return Err(MoveError::Missing(shown));
    }
    hold_sqlite_file(path).await?.ok_or(MoveError::InUse(shown))
}

/// The SQLite file at `path` held by this connection alone, in an open transaction, until it
/// closes; `None` while another process (a server, even an idle one) has it open. On a WAL
/// database a plain `BEGIN EXCLUSIVE` only keeps writers out; in exclusive locking mode the lock
/// is on the file itself, of which every open connection holds a share.
pub async fn hold_sqlite_file(
    path: &Path,
) -> std::result::Result<Option<SqliteConnection>, sqlx::Error> {
    let options = SqliteConnectOptions::from_str(&format!("sqlite://{}?mode=rw", path.display()))?
        .locking_mode(SqliteLockingMode::Exclusive)
        // Waiting briefly only covers a checkpoint in progress.
        .busy_timeout(std::time::Duration::from_millis(200));
    let mut conn = SqliteConnection::connect_with(&options).await?;
    match sqlx::query("BEGIN EXCLUSIVE").execute(&mut conn).await {
        Ok(_) => Ok(Some(conn)),
        Err(e) if is_busy(&e) => Ok(None),
        Err(e) => Err(e),
    }
}

fn is_busy(e: &sqlx::Error) -> bool {
    let code = e.as_database_error().and_then(|d| d.code());
    code.and_then(|c| c.parse::<i64>().ok())
        .is_some_and(|c| c & 0xff == 5) // SQLITE_BUSY and its extended codes
}

/// The SQLite file was last run by this release: the same migrations, so the same tables and
/// columns as the target this release migrates.
async fn same_migrations(source: &mut SqliteConnection) -> Result<()> {
    let applied: Vec<i64> =
        sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success ORDER BY version")
            .fetch_all(&mut *source)
            .await?;
    let known: Vec<i64> = MIGRATOR.iter().map(|m| m.version).collect();
    let missing: Vec<i64> = known
        .iter()
        .filter(|v| !applied.contains(v))
        .copied()
        .collect();
    let unknown: Vec<i64> = applied
        .iter()
        .filter(|v| !known.contains(v))
        .copied()
        .collect();
    if missing.is_empty() && unknown.is_empty() {
        return Ok(());
    }
    Err(MoveError::Migrations { missing, unknown })
}

/// One transaction on the target: the tables locked, found empty, filled in an order that
/// satisfies every foreign key, and counted against the source before commit.
async fn copy_all(
    source: &mut SqliteConnection,
    pg: &mut PgConnection,
) -> Result<Vec<(String, i64)>> {
    let tables = same_tables(source, pg).await?;
    let order = in_reference_order(source, &tables).await?;
    let mut tx = pg.begin().await?;
    let list: Vec<String> = order.iter().map(|t| quoted(t)).collect();
    // No server may write while the copy runs, nor find the tables half filled.
    sqlx::query(&format!(
        "LOCK TABLE {} IN ACCESS EXCLUSIVE MODE",
        list.join(", ")
    ))
    .execute(&mut *tx)
    .await?;
    for table in &order {
        empty(&mut tx, table).await?;
    }
    let mut copied = Vec::new();
    for table in &order {
        copy_table(source, &mut tx, table).await?;
        let count = format!("SELECT COUNT(*) FROM {}", quoted(table));
        let sqlite: i64 = sqlx::query_scalar(&count).fetch_one(&mut *source).await?;
        let postgres: i64 = sqlx::query_scalar(&count).fetch_one(&mut *tx).await?;
        if sqlite != postgres {
            return Err(MoveError::Counts {
                table: table.clone(),
                sqlite,
                postgres,
            });
        }
        copied.push((table.clone(), sqlite));
    }
    tx.commit().await?;
    Ok(copied)
}

/// The tables of both schemas (without sqlx's own), which must be the same.
async fn same_tables(source: &mut SqliteConnection, pg: &mut PgConnection) -> Result<Vec<String>> {
    let sqlite: BTreeSet<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
         AND name <> '_sqlx_migrations'",
    )
    .fetch_all(&mut *source)
    .await?
    .into_iter()
    .collect();
    let postgres: BTreeSet<String> = sqlx::query_scalar(
        "SELECT table_name::text FROM information_schema.tables WHERE table_schema = current_schema() \
         AND table_type = 'BASE TABLE' AND table_name <> '_sqlx_migrations'",
    )
    .fetch_all(&mut *pg)
    .await?
    .into_iter()
    .collect();
    if sqlite != postgres {
        return Err(MoveError::Tables {
            only_sqlite: sqlite.difference(&postgres).cloned().collect(),
            only_postgres: postgres.difference(&sqlite).cloned().collect(),
        });
    }
    Ok(sqlite.into_iter().collect())
}

/// Referenced tables before the tables that reference them.
async fn in_reference_order(
    source: &mut SqliteConnection,
    tables: &[String],
) -> Result<Vec<String>> {
    let mut needs: HashMap<&str, HashSet<String>> = HashMap::new();
    for table in tables {
        let parents: Vec<String> =
            sqlx::query_scalar(r#"SELECT "table" FROM pragma_foreign_key_list($1)"#)
                .bind(table)
                .fetch_all(&mut *source)
                .await?;
        needs.insert(table, parents.into_iter().filter(|p| p != table).collect());
    }
    let mut order: Vec<String> = Vec::new();
    while order.len() < tables.len() {
        let ready: Vec<String> = tables
            .iter()
            .filter(|t| !order.contains(t))
            .filter(|t| needs[t.as_str()].iter().all(|p| order.contains(p)))
            .cloned()
            .collect();
        if ready.is_empty() {
            let left = tables
                .iter()
                .filter(|t| !order.contains(t))
                .cloned()
                .collect();
            return Err(MoveError::Cycle(left));
        }
        order.extend(ready);
    }
    Ok(order)
}

/// Refuses a target holding anything but what the migrations put there: the feed counter at 0,
/// which is removed so the source's takes its place.
async fn empty(tx: &mut PgConnection, table: &str) -> Result<()> {
    let rows: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {}", quoted(table)))
        .fetch_one(&mut *tx)
        .await?;
    if table == "feed_head" {
        let at: Vec<i64> = sqlx::query_scalar("SELECT seq FROM feed_head")
            .fetch_all(&mut *tx)
            .await?;
        if at.iter().any(|seq| *seq != 0) {
            return Err(MoveError::NotEmpty {
                table: table.into(),
                rows,
            });
        }
        sqlx::query("DELETE FROM feed_head")
            .execute(&mut *tx)
            .await?;
        return Ok(());
    }
    if rows > 0 {
        return Err(MoveError::NotEmpty {
            table: table.into(),
            rows,
        });
    }
    Ok(())
}

/// Names come from the schemas themselves; quoted all the same.
pub(super) fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

//! The database: SQLite in one file under the data directory by default, or PostgreSQL when the
//! deployment gives a `postgres://` URL. Both run the same migrations and the same SQL (the
//! dialect they share, with `$1` placeholders), through sqlx's `Any` driver. All SQL of the
//! server lives in this module's files.

mod accounts;
mod admin;
mod append_only;
mod audit;
mod blobs;
mod chain;
mod chain_check;
mod copy;
mod device_keys;
mod edits;
mod feed;
mod files;
mod import;
mod ledgers;
mod ops;
mod quarantine;
mod roots;
mod screening;
mod search;
mod seed;
mod sign_in;
mod team;
mod turns;
mod upload;
mod verify;

pub use admin::Created;
pub use audit::{AUDIT_RETENTION_DAYS, Actor, ExportLine};
pub use blobs::{Appended, BlobState, Download, ORPHAN_GRACE_DAYS, Piece, sweep_blobs_every};
pub use chain::ChainFinding;
pub use chain_check::Kept;
pub use copy::{MoveError, Moved, hold_sqlite_file, move_to_postgres};
pub use files::Access;
pub use import::NO_PASSWORD;
pub use roots::{PublishedRoot, RootFinding, publish_roots_daily};
pub use turns::Turn;
pub use upload::DeviceMark;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Executor};
use std::str::FromStr;
use std::sync::Arc;
use tokio::sync::{Mutex, MutexGuard};

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("database: {0}")]
    Sql(#[from] sqlx::Error),
    #[error("migrations: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("stored JSON in {table} is unreadable: {source}")]
    Corrupt {
        table: &'static str,
        source: serde_json::Error,
    },
    #[error("demo data: {0}")]
    Demo(String),
    #[error("unsupported database URL (use sqlite://… or postgres://…): {0}")]
    UnsupportedUrl(String),
    #[error("audit log: {0}")]
    Audit(String),
    /// A record's chain link is missing or unreadable where the server builds on it.
    #[error("record chain: {0}")]
    Integrity(String),
    #[error("the database file {0} is gone, unreadable or replaced")]
    FileGone(String),
    /// This process's signing key is not the one that signed the deployment's latest statement
    /// of its algorithm (`roots.rs`): instances must share one key file.
    #[error(
        "本部署的链签名由另一把密钥签发（公钥 {deployment}），本实例的密钥与之不同：多个实例须共用同一个密钥文件（XIAFANG_CHAIN_KEY_FILE）；确需更换密钥时以 --replace-chain-key 启动一次 (this instance's chain signing key is not the deployment's)"
    )]
    ChainKeyDiffers { deployment: String },
}

pub(crate) type Result<T> = std::result::Result<T, DbError>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub struct Db {
    pool: AnyPool,
    backend: Backend,
    /// SQLite allows one writer: taking turns here avoids "database is locked" when a read
    /// transaction upgrades to a write, at no cost since SQLite serialises writes anyway.
    /// PostgreSQL writers run concurrently and take row and advisory locks instead.
    sqlite_writer: Arc<Mutex<()>>,
    /// Group-commits the lines of reads (`audit.rs`).
    audit: audit::AuditWriter,
    /// The SQLite file as opened, which readiness checks is still there (`ops.rs`).
    sqlite_file: Option<ops::OpenedFile>,
}

/// Held by a writing transaction on SQLite; nothing on PostgreSQL.
pub(crate) struct WriteTurn<'a>(#[allow(dead_code)] Option<MutexGuard<'a, ()>>);

/// SQLite settings for every connection: an acknowledged upload must survive a power cut
/// (synchronous FULL with WAL), references are enforced, and writers wait instead of failing.
/// Not `synchronous = NORMAL`: under WAL it survives a crash of the server but may lose the last
/// commits on a power cut, and those are exactly uploads the phones were told are stored and
/// have deleted. Since a pushed batch is one transaction, FULL costs one flush per batch, not
/// per record (docs/PERFORMANCE.md).
const SQLITE_PRAGMAS: &str = "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
                              PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;";

impl Db {
    /// Closes every connection and waits until they are closed (a test hands the file to a
    /// server process next).
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// Opens the SQLite file at `path`, creating it if needed.
    pub async fn open(path: &std::path::Path) -> Result<Self> {
        Self::connect(&sqlite_url(path)).await
    }

    /// Connects to `sqlite://…` or `postgres://…` and brings the schema up to date.
    pub async fn connect(url: &str) -> Result<Self> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else {
            return Err(DbError::UnsupportedUrl(redact(url)));
        };
        let options = AnyConnectOptions::from_str(url)?;
        let sqlite = backend == Backend::Sqlite;
        // On SQLite one connection stays open for the server's whole life: `restore` and
        // `move-to-postgres` know a server still uses the file by its open connections
        // (`hold_sqlite_file`), and sqlx would otherwise close them all after ten idle minutes.
        let pool = AnyPoolOptions::new()
            .max_connections(if sqlite { 4 } else { 16 })
            .min_connections(if sqlite { 1 } else { 0 })
            .idle_timeout((!sqlite).then_some(std::time::Duration::from_secs(600)))
            .max_lifetime((!sqlite).then_some(std::time::Duration::from_secs(1800)))
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        conn.execute(SQLITE_PRAGMAS).await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await?;
        sqlx::migrate!("./migrations").run(&pool).await?;
        // Migrations take their own lock; the steps after them wait for other starting instances.
        let turn = turns::startup_turn(&pool, backend).await?;
        append_only::guard_audit_log(&pool, backend).await?;
        let sqlite_writer = Arc::new(Mutex::new(()));
        let audit = audit::AuditWriter::start(pool.clone(), sqlite_writer.clone(), backend);
        let db = Db {
            pool,
            backend,
            sqlite_writer,
            audit,
            sqlite_file: ops::OpenedFile::of(url),
        };
        db.ensure_ledgers().await?;
        let linked = db.link_unchained().await?;
        if linked > 0 {
            tracing::info!(linked, "records stored before the hash chain were linked");
        }
        turn.end().await?;
        Ok(db)
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub(crate) async fn write_turn(&self) -> WriteTurn<'_> {
        match self.backend {
            Backend::Sqlite => WriteTurn(Some(self.sqlite_writer.lock().await)),
            Backend::Postgres => WriteTurn(None),
        }
    }
}

pub fn sqlite_url(path: &std::path::Path) -> String {
    format!("sqlite://{}?mode=rwc", path.display())
}

/// A URL without its password, for error messages and logs.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            let user = userinfo.split(':').next().unwrap_or("");
            format!("{}{user}:***{}", &url[..scheme + 3], &url[at..])
        }
        _ => url.to_owned(),
    }
}

pub(crate) fn parse<T: serde::de::DeserializeOwned>(json: &str, table: &'static str) -> Result<T> {
    serde_json::from_str(json).map_err(|source| DbError::Corrupt { table, source })
}

pub(crate) fn to_json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("domain types serialise")
}

#[cfg(test)]
mod tests {
    #[tokio::test]
    async fn an_idle_sqlite_server_keeps_the_file_held_so_restore_and_move_see_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("xiafang.db");
        let db = super::Db::open(&path).await.unwrap();
        let options = db.pool.options();
        assert!(options.get_min_connections() >= 1);
        assert_eq!(options.get_idle_timeout(), None, "idle connections closed");
        assert_eq!(options.get_max_lifetime(), None, "connections recycled");
        assert!(super::hold_sqlite_file(&path).await.unwrap().is_none());
    }

    #[test]
    fn passwords_never_reach_messages() {
        assert_eq!(
            super::redact("postgres://xf:s3cret@db.local:5432/xiafang"),
            "postgres://xf:***@db.local:5432/xiafang"
        );
        assert_eq!(super::redact("sqlite:///tmp/x.db"), "sqlite:///tmp/x.db");
    }
}

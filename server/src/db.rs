//! The database: SQLite in one file under the data directory. All SQL of the server lives here.

use crate::demo::Demo;
use chrono::{DateTime, Utc};
use sqlx::Row;
use sqlx::sqlite::SqliteSynchronous;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions};
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;
use tokio::sync::Mutex;
use xiafang_core::sync::{Account, Op, Outcome, Rejection, Role};
use xiafang_core::{DeviceId, FileId, PetitionerFile, Record, UserId};

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
}

type Result<T> = std::result::Result<T, DbError>;

pub struct Db {
    pool: SqlitePool,
    /// SQLite allows one writer; taking turns here avoids "database is locked" on upgrades of
    /// read transactions to write ones, at no cost since writes are serialised anyway.
    write_lock: Mutex<()>,
}

/// What an account may do with a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    NoSuchFile,
    None,
    Read,
    ReadWrite,
}

impl Db {
    /// Opens (creating if needed) the database file and brings its schema up to date.
    pub async fn open(path: &Path) -> Result<Self> {
        let options = SqliteConnectOptions::from_str("sqlite://")?
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // FULL: an acknowledged upload must survive a power cut of the server.
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await?;
        sqlx::migrate!("./migrations").run(&pool).await?;
        Ok(Db {
            pool,
            write_lock: Mutex::new(()),
        })
    }

    pub async fn has_accounts(&self) -> Result<bool> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM accounts")
            .fetch_one(&self.pool)
            .await?;
        Ok(n > 0)
    }

    pub async fn seed_demo(&self, demo: &Demo) -> Result<()> {
        let _turn = self.write_lock.lock().await;
        let mut tx = self.pool.begin().await?;
        for p in &demo.places {
            sqlx::query("INSERT INTO places (id, name, kind, parent_id) VALUES (?, ?, ?, ?)")
                .bind(&p.id)
                .bind(&p.name)
                .bind(&p.kind)
                .bind(&p.parent)
                .execute(&mut *tx)
                .await?;
        }
        for a in &demo.accounts {
            let hash = crate::auth::hash_password(&a.password).map_err(DbError::Demo)?;
            sqlx::query(
                "INSERT INTO accounts (id, username, display_name, role, place_id, password_hash) \
                 VALUES (?, ?, ?, ?, ?, ?)",
            )
            .bind(&a.id)
            .bind(&a.username)
            .bind(&a.display_name)
            .bind(a.role.key())
            .bind(&a.place)
            .bind(hash)
            .execute(&mut *tx)
            .await?;
        }
        for f in &demo.files {
            let data = serde_json::to_string(&f.file).map_err(|e| DbError::Demo(e.to_string()))?;
            sqlx::query("INSERT INTO files (id, village_id, name, data) VALUES (?, ?, ?, ?)")
                .bind(&f.file.id.0)
                .bind(&f.village_id)
                .bind(&f.file.name)
                .bind(data)
                .execute(&mut *tx)
                .await?;
            for account in &f.assigned {
                sqlx::query("INSERT INTO assignments (account_id, file_id) VALUES (?, ?)")
                    .bind(account)
                    .bind(&f.file.id.0)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        for r in &demo.records {
            if let Err(errors) = r.validate() {
                return Err(DbError::Demo(format!(
                    "record {} is invalid: {errors:?}",
                    r.id
                )));
            }
            insert_record(&mut tx, r, None).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The account and its password hash, for signing in; disabled accounts are not found.
    pub async fn account_for_login(&self, username: &str) -> Result<Option<(Account, String)>> {
        let row = sqlx::query(&format!(
            "{ACCOUNT_SELECT}, a.password_hash FROM accounts a JOIN places p ON p.id = a.place_id \
             WHERE a.username = ? AND a.disabled = 0"
        ))
        .bind(username)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|r| (account_from_row(&r), r.get("password_hash"))))
    }

    pub async fn create_session(
        &self,
        token_hash: &str,
        account: &UserId,
        now: DateTime<Utc>,
        expires: DateTime<Utc>,
    ) -> Result<()> {
        let _turn = self.write_lock.lock().await;
        sqlx::query(
            "INSERT INTO sessions (token_hash, account_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
        )
        .bind(token_hash)
        .bind(&account.0)
        .bind(now.to_rfc3339())
        .bind(expires.to_rfc3339())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The account behind a live session of an enabled account.
    pub async fn account_for_session(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<Account>> {
        let row = sqlx::query(&format!(
            "{ACCOUNT_SELECT} FROM sessions s JOIN accounts a ON a.id = s.account_id \
             JOIN places p ON p.id = a.place_id \
             WHERE s.token_hash = ? AND s.expires_at > ? AND a.disabled = 0"
        ))
        .bind(token_hash)
        .bind(now.to_rfc3339())
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|r| account_from_row(&r)))
    }

    pub async fn access(&self, account: &Account, file: &FileId) -> Result<Access> {
        let row = sqlx::query(&format!(
            "SELECT EXISTS (SELECT 1 FROM assignments WHERE account_id = ?1 AND file_id = f.id) \
             AS assigned, ({JURISDICTION}) AS in_jurisdiction \
             FROM files f JOIN places v ON v.id = f.village_id \
             LEFT JOIN places t ON t.id = v.parent_id WHERE f.id = ?3"
        ))
        .bind(&account.id.0)
        .bind(reads_jurisdiction(account.role))
        .bind(&file.0)
        .fetch_optional(&self.pool)
        .await?;
        Ok(match row {
            None => Access::NoSuchFile,
            Some(r) if r.get::<bool, _>("assigned") => Access::ReadWrite,
            Some(r) if r.get::<bool, _>("in_jurisdiction") => Access::Read,
            Some(_) => Access::None,
        })
    }

    /// The files an account may read: its assignments, and for supervisors its jurisdiction.
    pub async fn readable_files(&self, account: &Account) -> Result<Vec<PetitionerFile>> {
        let rows = sqlx::query(&format!(
            "SELECT f.data FROM files f JOIN places v ON v.id = f.village_id \
             LEFT JOIN places t ON t.id = v.parent_id \
             WHERE EXISTS (SELECT 1 FROM assignments WHERE account_id = ?1 AND file_id = f.id) \
             OR ({JURISDICTION}) ORDER BY f.name"
        ))
        .bind(&account.id.0)
        .bind(reads_jurisdiction(account.role))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| parse(r.get::<&str, _>("data"), "files"))
            .collect()
    }

    /// Every record of every file the account may read, newest first.
    pub async fn readable_records(&self, account: &Account) -> Result<Vec<Record>> {
        let rows = sqlx::query(&format!(
            "SELECT r.body FROM records r JOIN files f ON f.id = r.file_id \
             JOIN places v ON v.id = f.village_id LEFT JOIN places t ON t.id = v.parent_id \
             WHERE EXISTS (SELECT 1 FROM assignments WHERE account_id = ?1 AND file_id = f.id) \
             OR ({JURISDICTION}) ORDER BY r.occurred_at DESC"
        ))
        .bind(&account.id.0)
        .bind(reads_jurisdiction(account.role))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| parse(r.get::<&str, _>("body"), "records"))
            .collect()
    }

    pub async fn records_for_file(&self, file: &FileId) -> Result<Vec<Record>> {
        let rows =
            sqlx::query("SELECT body FROM records WHERE file_id = ? ORDER BY occurred_at DESC")
                .bind(&file.0)
                .fetch_all(&self.pool)
                .await?;
        rows.iter()
            .map(|r| parse(r.get::<&str, _>("body"), "records"))
            .collect()
    }

    /// Applies one upload operation in one transaction and returns its outcome. A repeat of an
    /// operation already seen returns the outcome stored the first time and changes nothing.
    pub async fn apply_op(&self, account: &Account, device: DeviceId, op: &Op) -> Result<Outcome> {
        let _turn = self.write_lock.lock().await;
        let mut tx = self.pool.begin().await?;
        let device_key = device.to_string();
        let seq = i64::try_from(op.seq).unwrap_or(i64::MAX);
        let record_id = op.record.id.to_string();
        let seen = sqlx::query(
            "SELECT record_id, outcome FROM device_ops WHERE device_id = ? AND seq = ?",
        )
        .bind(&device_key)
        .bind(seq)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(row) = &seen
            && row.get::<&str, _>("record_id") == record_id
        {
            return parse(row.get::<&str, _>("outcome"), "device_ops");
        }
        let outcome = match self.judge(account, &op.record).await? {
            Some(reason) => Outcome::Rejected { reason },
            None => store_once(&mut tx, &op.record, &device_key).await?,
        };
        let outcome_json = serde_json::to_string(&outcome).expect("outcomes serialise");
        // A reused (device, seq) with another record keeps its first entry: the record itself
        // was still judged and stored by its own id above.
        sqlx::query(
            "INSERT INTO device_ops (device_id, seq, account_id, record_id, outcome, received_at) \
             VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (device_id, seq) DO NOTHING",
        )
        .bind(&device_key)
        .bind(seq)
        .bind(&account.id.0)
        .bind(&record_id)
        .bind(outcome_json)
        .bind(Utc::now().to_rfc3339())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(outcome)
    }

    /// Why a record may not be stored for this account, if it may not.
    async fn judge(&self, account: &Account, record: &Record) -> Result<Option<Rejection>> {
        if record.author != account.id {
            return Ok(Some(Rejection::AuthorMismatch));
        }
        if let Err(errors) = record.validate() {
            return Ok(Some(Rejection::Invalid { errors }));
        }
        if self.access(account, &record.file_id).await? != Access::ReadWrite {
            return Ok(Some(Rejection::NotPermitted));
        }
        Ok(None)
    }
}

/// Supervisors and administrators read every file of their place and the places below it.
fn reads_jurisdiction(role: Role) -> bool {
    matches!(role, Role::Supervisor | Role::Admin)
}

/// True when the account (?1) reads by jurisdiction (?2) and its place is the file's village,
/// township or county. Needs `v` (village) and `t` (township) joined.
const JURISDICTION: &str = "?2 AND (SELECT place_id FROM accounts WHERE id = ?1) \
                            IN (v.id, t.id, t.parent_id)";

const ACCOUNT_SELECT: &str =
    "SELECT a.id, a.username, a.display_name, a.role, p.name AS place_name";

fn account_from_row(r: &sqlx::sqlite::SqliteRow) -> Account {
    Account {
        id: UserId(r.get("id")),
        username: r.get("username"),
        display_name: r.get("display_name"),
        // Roles are written only from `Role::key`, so an unknown one means least privilege.
        role: Role::from_key(r.get("role")).unwrap_or(Role::Cadre),
        place: r.get("place_name"),
    }
}

fn parse<T: serde::de::DeserializeOwned>(json: &str, table: &'static str) -> Result<T> {
    serde_json::from_str(json).map_err(|source| DbError::Corrupt { table, source })
}

/// Stores the record unless a record with its id exists; the same content again is a success,
/// other content under the same id is refused.
async fn store_once(
    tx: &mut sqlx::SqliteConnection,
    record: &Record,
    device: &str,
) -> Result<Outcome> {
    let existing = sqlx::query_scalar::<_, String>("SELECT body FROM records WHERE id = ?")
        .bind(record.id.to_string())
        .fetch_optional(&mut *tx)
        .await?;
    Ok(match existing {
        Some(body) if parse::<Record>(&body, "records")? == *record => Outcome::Stored,
        Some(_) => Outcome::Rejected {
            reason: Rejection::IdConflict,
        },
        None => {
            insert_record(tx, record, Some(device)).await?;
            Outcome::Stored
        }
    })
}

async fn insert_record(
    tx: &mut sqlx::SqliteConnection,
    record: &Record,
    device: Option<&str>,
) -> Result<()> {
    let kind = match record.body {
        xiafang_core::RecordBody::Visit(_) => "visit",
        xiafang_core::RecordBody::Assistance(_) => "assistance",
        xiafang_core::RecordBody::Note(_) => "note",
    };
    sqlx::query(
        "INSERT INTO records (id, file_id, author_id, kind, occurred_at, body, device_id, received_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(record.id.to_string())
    .bind(&record.file_id.0)
    .bind(&record.author.0)
    .bind(kind)
    .bind(record.occurred_at.format("%Y-%m-%dT%H:%M:%S").to_string())
    .bind(serde_json::to_string(record).expect("records serialise"))
    .bind(device)
    .bind(Utc::now().to_rfc3339())
    .execute(&mut *tx)
    .await?;
    Ok(())
}

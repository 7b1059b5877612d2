//! What one sync costs the deployment, for the sizing table (docs/OPERATIONS.md, "Sizing"):
//! the server processes' CPU and, on PostgreSQL, the whole cluster's CPU (postmaster, backends,
//! WAL writer, checkpointer…) from `/proc/<pid>/stat`; the WAL written, the commits and the
//! time backends spent executing statements (`pg_stat_database.active_time`); the database's
//! growth on disk. On SQLite the database runs inside the server process, so its CPU is part of
//! the server's and only the file's growth (`page_count × page_size`) is apart.

use super::Result;
use sqlx::AnyPool;
use sqlx::any::AnyPoolOptions;
use std::time::{Duration, Instant};

/// Clock ticks of `/proc/<pid>/stat` per second (`getconf CLK_TCK`; 100 on Linux).
fn clock_ticks() -> f64 {
    std::process::Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(100.0)
}

/// Fields of `/proc/<pid>/stat` after the command name: (ppid, utime + stime, cutime + cstime).
fn proc_stat(pid: u32) -> Option<(u32, u64, u64)> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name may hold spaces; the fields after its closing parenthesis do not.
    let rest = &text[text.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    let n = |i: usize| f.get(i).and_then(|v| v.parse::<u64>().ok());
    // After the name: state(0) ppid(1) … utime(11) stime(12) cutime(13) cstime(14).
    Some((n(1)? as u32, n(11)? + n(12)?, n(13)? + n(14)?))
}

/// CPU seconds of the given processes so far.
pub fn cpu_s(pids: &[u32]) -> f64 {
    let ticks: u64 = pids.iter().filter_map(|&p| proc_stat(p)).map(|s| s.1).sum();
    ticks as f64 / clock_ticks()
}

/// CPU seconds of a PostgreSQL cluster so far: the postmaster with its reaped children (a
/// backend that exited is in its `cutime`) and every live child.
fn cluster_cpu_s(postmaster: u32) -> f64 {
    let mut ticks = proc_stat(postmaster).map(|s| s.1 + s.2).unwrap_or(0);
    if let Ok(dir) = std::fs::read_dir("/proc") {
        for entry in dir.flatten() {
            let Some(pid) = entry.file_name().to_str().and_then(|n| n.parse().ok()) else {
                continue;
            };
            if let Some((ppid, own, _)) = proc_stat(pid)
                && ppid == postmaster
            {
                ticks += own;
            }
        }
    }
    ticks as f64 / clock_ticks()
}

/// The database under load, and how to read its costs.
pub struct Db {
    pool: AnyPool,
    postgres: Option<Postgres>,
}

struct Postgres {
    database: String,
    postmaster: u32,
}

/// The database's counters at one moment.
#[derive(Clone, Copy, Default)]
pub struct DbSnapshot {
    cpu_s: f64,
    wal_bytes: f64,
    size_bytes: f64,
    commits: f64,
    active_ms: f64,
    /// Writes of the WAL buffers (`pg_stat_wal.wal_write`): what a commit's flush costs the disk.
    wal_writes: f64,
}

impl Db {
    pub async fn open(db_url: &str) -> Result<Db> {
        sqlx::any::install_default_drivers();
        let pool = AnyPoolOptions::new()
            .max_connections(1)
            .connect(db_url)
            .await?;
        let postgres = if db_url.starts_with("postgres") {
            let database: String = sqlx::query_scalar("SELECT current_database()::text")
                .fetch_one(&pool)
                .await?;
            let backend: i32 = sqlx::query_scalar("SELECT pg_backend_pid()")
                .fetch_one(&pool)
                .await?;
            let postmaster = proc_stat(backend as u32)
                .map(|s| s.0)
                .ok_or("cannot read the PostgreSQL backend's /proc entry")?;
            Some(Postgres {
                database,
                postmaster,
            })
        } else {
            None
        };
        Ok(Db { pool, postgres })
    }

    pub async fn snapshot(&self) -> Result<DbSnapshot> {
        let Some(pg) = &self.postgres else {
            let pages: i64 = sqlx::query_scalar("PRAGMA page_count")
                .fetch_one(&self.pool)
                .await?;
            let size: i64 = sqlx::query_scalar("PRAGMA page_size")
                .fetch_one(&self.pool)
                .await?;
            return Ok(DbSnapshot {
                size_bytes: (pages * size) as f64,
                ..DbSnapshot::default()
            });
        };
        // A fresh snapshot of the statistics, not the one this session read last.
        sqlx::query("SELECT pg_stat_clear_snapshot()")
            .execute(&self.pool)
            .await?;
        let (wal, size, commits, active, wal_writes): (f64, f64, f64, f64, f64) = sqlx::query_as(
            "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::float8, \
             pg_database_size(d.datname)::float8, d.xact_commit::float8, \
             d.active_time::float8, (SELECT wal_write::float8 FROM pg_stat_wal) \
             FROM pg_stat_database d WHERE d.datname = $1",
        )
        .bind(&pg.database)
        .fetch_one(&self.pool)
        .await?;
        Ok(DbSnapshot {
            cpu_s: cluster_cpu_s(pg.postmaster),
            wal_bytes: wal,
            size_bytes: size,
            commits,
            active_ms: active,
            wal_writes,
        })
    }

    /// Waits until the server's connections to the database are gone (after the server was
    /// stopped): a backend flushes its statistics when it exits, so only then are the commits
    /// and the active time complete.
    pub async fn settle(&self) -> Result<()> {
        let Some(pg) = &self.postgres else {
            return Ok(());
        };
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(20) {
            let others: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM pg_stat_activity \
                 WHERE datname = $1 AND pid <> pg_backend_pid()",
            )
            .bind(&pg.database)
            .fetch_one(&self.pool)
            .await?;
            if others == 0 {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Err("the server's database connections did not close within 20 s".into())
    }

    /// Backends of the server waiting on a lock and executing, at this moment (PostgreSQL).
    pub async fn sample_activity(&self) -> Result<Option<(f64, f64)>> {
        let Some(pg) = self.postgres.as_ref() else {
            return Ok(None);
        };
        let (waiting, active) = sqlx::query_as::<_, (i64, i64)>(
            "SELECT COUNT(*) FILTER (WHERE wait_event_type = 'Lock'), \
             COUNT(*) FILTER (WHERE state = 'active') FROM pg_stat_activity \
             WHERE datname = $1 AND pid <> pg_backend_pid()",
        )
        .bind(&pg.database)
        .fetch_one(&self.pool)
        .await?;
        Ok(Some((waiting as f64, active as f64)))
    }

    pub fn is_postgres(&self) -> bool {
        self.postgres.is_some()
    }

    pub async fn close(self) {
        self.pool.close().await;
    }
}

impl DbSnapshot {
    pub fn since(&self, before: &DbSnapshot) -> DbSnapshot {
        DbSnapshot {
            cpu_s: self.cpu_s - before.cpu_s,
            wal_bytes: self.wal_bytes - before.wal_bytes,
            size_bytes: self.size_bytes - before.size_bytes,
            commits: self.commits - before.commits,
            active_ms: self.active_ms - before.active_ms,
            wal_writes: self.wal_writes - before.wal_writes,
        }
    }
}

/// Everything one load pass used, to be divided by its syncs and records.
pub struct Used {
    pub syncs: u64,
    pub records: u64,
    pub server_cpu_s: f64,
    pub bytes_to_server: u64,
    pub bytes_from_server: u64,
    pub db: DbSnapshot,
    /// Mean over samples of (backends waiting on a lock, backends executing).
    pub activity: Option<(f64, f64)>,
}

impl Used {
    /// `FIGURE` lines, each key made by `key`.
    pub fn figures(&self, postgres: bool, key: &dyn Fn(&str) -> String) {
        let syncs = self.syncs.max(1) as f64;
        let f = |name: &str, value: f64, unit: &str| super::figure(&key(name), value, unit);
        f("syncs", self.syncs as f64, "count");
        f("records_per_sync", self.records as f64 / syncs, "records");
        f(
            "server_cpu_ms_per_sync",
            self.server_cpu_s * 1e3 / syncs,
            "ms",
        );
        f(
            "bytes_in_per_sync",
            self.bytes_to_server as f64 / syncs,
            "B",
        );
        f(
            "bytes_out_per_sync",
            self.bytes_from_server as f64 / syncs,
            "B",
        );
        if self.records > 0 {
            f(
                "db_growth_bytes_per_record",
                self.db.size_bytes / self.records as f64,
                "B",
            );
        }
        if !postgres {
            return;
        }
        f("db_cpu_ms_per_sync", self.db.cpu_s * 1e3 / syncs, "ms");
        f("db_active_ms_per_sync", self.db.active_ms / syncs, "ms");
        // Every transaction, read-only ones included (`xact_commit`).
        f("db_transactions_per_sync", self.db.commits / syncs, "count");
        f("db_wal_bytes_per_sync", self.db.wal_bytes / syncs, "B");
        f(
            "db_wal_writes_per_sync",
            self.db.wal_writes / syncs,
            "count",
        );
        if let Some((waiting, active)) = self.activity {
            f("db_lock_waiting_mean", waiting, "backends");
            f("db_active_mean", active, "backends");
        }
    }
}

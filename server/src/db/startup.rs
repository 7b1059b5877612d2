//! Start-up steps that write (the audit log's guard, the screening ledgers, linking old records,
//! the first start's demo data) check and then change the database. Instances of a province's
//! deployment start together on one PostgreSQL database, so each takes its turn under one
//! advisory lock, held by a transaction on a connection of its own: the next instance finds the
//! work done instead of failing on a duplicate. SQLite has one process; no turn is needed.

use super::{Backend, Db, Result};
use sqlx::{Any, AnyPool, Transaction};

/// The advisory lock's key: any fixed number no other code of this database uses.
const STARTUP_LOCK: i64 = 0x5869_6166_616e_6701;

/// Held while an instance runs its start-up steps; `end` lets the next one go.
pub struct StartupTurn(Option<Transaction<'static, Any>>);

pub(super) async fn startup_turn(pool: &AnyPool, backend: Backend) -> Result<StartupTurn> {
    match backend {
        Backend::Sqlite => Ok(StartupTurn(None)),
        Backend::Postgres => {
            let mut tx = pool.begin().await?;
            sqlx::query("SELECT pg_advisory_xact_lock($1)")
                .bind(STARTUP_LOCK)
                .execute(&mut *tx)
                .await?;
            Ok(StartupTurn(Some(tx)))
        }
    }
}

impl StartupTurn {
    /// Releases the lock now (a transaction-level lock ends with its transaction).
    pub async fn end(self) -> Result<()> {
        if let Some(tx) = self.0 {
            tx.commit().await?;
        }
        Ok(())
    }
}

impl Db {
    /// Waits for this instance's turn at start-up steps that check and then write, e.g. loading
    /// the demo data into an empty database.
    pub async fn startup_turn(&self) -> Result<StartupTurn> {
        startup_turn(&self.pool, self.backend).await
    }
}

//! Work that one instance at a time may do, whichever process it runs in. Instances of a
//! province's deployment share one PostgreSQL database, so a turn is an advisory lock held by a
//! transaction on a connection of its own (it ends with the transaction, also when a process
//! dies). SQLite has one process; there a turn is nothing (the process's own locks suffice).
//!
//! - Start-up steps that check and then write (the audit log's guard, the screening ledgers,
//!   linking old records, the first start's demo data): instances starting together wait for
//!   each other, and the next finds the work done instead of failing on a duplicate.
//! - An administrator's chain check reads every record: one at a time in the deployment.

use super::{Backend, Db, Result};
use sqlx::{Any, AnyPool, Transaction};

/// The advisory locks' keys: fixed numbers no other code of this database uses.
const STARTUP_LOCK: i64 = 0x5869_6166_616e_6701;
const VERIFY_LOCK: i64 = 0x5869_6166_616e_6702;

/// Held while an instance has its turn; `end` lets the next one go.
pub struct Turn(Option<Transaction<'static, Any>>);

pub(super) async fn startup_turn(pool: &AnyPool, backend: Backend) -> Result<Turn> {
    match backend {
        Backend::Sqlite => Ok(Turn(None)),
        Backend::Postgres => {
            let mut tx = pool.begin().await?;
            sqlx::query("SELECT pg_advisory_xact_lock($1)")
                .bind(STARTUP_LOCK)
                .execute(&mut *tx)
                .await?;
            Ok(Turn(Some(tx)))
        }
    }
}

impl Turn {
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
    pub async fn startup_turn(&self) -> Result<Turn> {
        startup_turn(&self.pool, self.backend).await
    }

    /// The turn to run a chain check, or `None` while another instance runs one.
    pub async fn try_verify_turn(&self) -> Result<Option<Turn>> {
        match self.backend {
            Backend::Sqlite => Ok(Some(Turn(None))),
            Backend::Postgres => {
                let mut tx = self.pool.begin().await?;
                let taken: bool = sqlx::query_scalar("SELECT pg_try_advisory_xact_lock($1)")
                    .bind(VERIFY_LOCK)
                    .fetch_one(&mut *tx)
                    .await?;
                Ok(taken.then_some(Turn(Some(tx))))
            }
        }
    }
}

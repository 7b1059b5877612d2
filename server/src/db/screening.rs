//! Places' screening ledgers (矛盾纠纷排查): one `files` row per place, marked `ledger = 1`, so
//! screenings travel as ordinary records (migration 0015, `xiafang_core::screening`).

use super::feed::next_position;
use super::files::{FILE_PLACES, readable_for, reads_jurisdiction};
use super::{Db, Result};
use sqlx::AnyConnection;
use xiafang_core::account::Account;
use xiafang_core::screening::{LedgerPlace, PlaceLevel, ledger_id};

/// A place without its ledger yet.
#[derive(sqlx::FromRow)]
struct Unledgered {
    id: String,
    name: String,
    kind: String,
}

/// Gives every place that has none its screening ledger, each at the next feed position (the
/// feed never hands a ledger out as a file; the position only keeps `files.feed_seq` unique).
/// Runs inside the caller's transaction, after places were added.
pub(crate) async fn ensure_ledgers(conn: &mut AnyConnection) -> Result<()> {
    let missing = sqlx::query_as::<_, Unledgered>(
        "SELECT p.id, p.name, p.kind FROM places p WHERE NOT EXISTS \
         (SELECT 1 FROM files f WHERE f.ledger = 1 AND f.village_id = p.id) ORDER BY p.id",
    )
    .fetch_all(&mut *conn)
    .await?;
    for place in missing {
        let Some(level) = PlaceLevel::from_key(&place.kind) else {
            continue;
        };
        let position = next_position(&mut *conn).await?;
        sqlx::query(
            "INSERT INTO files (id, village_id, name, data, feed_seq, ledger) \
             VALUES ($1, $2, $3, $4, $5, 1)",
        )
        .bind(ledger_id(level, &place.id).0)
        .bind(&place.id)
        .bind(&place.name)
        .bind("{}")
        .bind(position)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

#[derive(sqlx::FromRow)]
struct LedgerRow {
    id: String,
    place: String,
    name: String,
    kind: String,
    parent: Option<String>,
}

impl Db {
    /// Creates the ledgers of places that have none (a database from before ledgers).
    pub(crate) async fn ensure_ledgers(&self) -> Result<()> {
        let _turn = self.write_turn().await;
        let mut tx = self.pool.begin().await?;
        ensure_ledgers(&mut tx).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The places whose screening ledgers `account` reads — its villages for a cadre, its place
    /// and those below for a supervisor — county first, then townships and villages by name.
    pub async fn screening_places(&self, account: &Account) -> Result<Vec<LedgerPlace>> {
        let rows = sqlx::query_as::<_, LedgerRow>(&format!(
            "SELECT f.id, v.id AS place, v.name, v.kind, t.name AS parent FROM {FILE_PLACES} \
             WHERE f.ledger = 1 AND {} \
             ORDER BY CASE v.kind WHEN 'county' THEN 0 WHEN 'township' THEN 1 ELSE 2 END, \
             t.name, v.name, v.id",
            readable_for(account)
        ))
        .bind(&account.id.0)
        .bind(reads_jurisdiction(account))
        .fetch_all(&self.pool)
        .await?;
        let groups = sqlx::query_as::<_, (String, String)>(
            "SELECT village_id, name FROM villager_groups ORDER BY village_id, name",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .filter_map(|r| {
                Some(LedgerPlace {
                    ledger: xiafang_core::FileId(r.id),
                    level: PlaceLevel::from_key(&r.kind)?,
                    groups: groups
                        .iter()
                        .filter(|(village, _)| *village == r.place)
                        .map(|(_, name)| name.clone())
                        .collect(),
                    place: r.place,
                    name: r.name,
                    parent: r.parent.unwrap_or_default(),
                })
            })
            .collect())
    }
}

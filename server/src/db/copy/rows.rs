//! One table copied row for row: values read from SQLite as the PostgreSQL column's type asks,
//! in pages, and a table that references itself (places) written parents first.

use super::{MoveError, Result, quoted};
use sqlx::postgres::{PgConnection, Postgres};
use sqlx::sqlite::{SqliteConnection, SqliteRow};
use sqlx::{QueryBuilder, Row};
use std::collections::{BTreeSet, HashSet};

/// How a column's values are read from SQLite and bound for PostgreSQL, by the target's type.
#[derive(Debug, Clone, Copy)]
enum Kind {
    Int,
    Text,
    Bytes,
    Real,
}

impl Kind {
    fn of(data_type: &str) -> Option<Kind> {
        Some(match data_type {
            "bigint" | "integer" | "smallint" => Kind::Int,
            "text" | "character varying" | "character" => Kind::Text,
            "bytea" => Kind::Bytes,
            "double precision" | "real" => Kind::Real,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone)]
enum Value {
    Int(Option<i64>),
    Text(Option<String>),
    Bytes(Option<Vec<u8>>),
    Real(Option<f64>),
}

impl Value {
    fn read(row: &SqliteRow, at: usize, kind: Kind) -> std::result::Result<Value, sqlx::Error> {
        Ok(match kind {
            Kind::Int => Value::Int(row.try_get(at)?),
            Kind::Text => Value::Text(row.try_get(at)?),
            Kind::Bytes => Value::Bytes(row.try_get(at)?),
            Kind::Real => Value::Real(row.try_get(at)?),
        })
    }

    /// The value as a key for matching a reference within one table; `None` when null.
    fn key(&self) -> Option<String> {
        match self {
            Value::Int(v) => v.map(|v| v.to_string()),
            Value::Text(v) => v.clone(),
            Value::Bytes(v) => v.as_ref().map(hex::encode),
            Value::Real(v) => v.map(|v| v.to_string()),
        }
    }
}

/// Rows read and inserted per statement: far below PostgreSQL's 65,535 parameters, and few
/// where a row carries an image piece (up to 256 KiB).
fn page_rows(kinds: &[Kind]) -> i64 {
    if kinds.iter().any(|k| matches!(k, Kind::Bytes)) {
        return 32;
    }
    (30_000 / kinds.len().max(1)).clamp(1, 2_000) as i64
}

pub(super) async fn copy_table(
    source: &mut SqliteConnection,
    tx: &mut PgConnection,
    table: &str,
) -> Result<()> {
    let columns: Vec<(String, String)> = sqlx::query_as(
        "SELECT column_name::text, data_type::text FROM information_schema.columns \
         WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
    )
    .bind(table)
    .fetch_all(&mut *tx)
    .await?;
    let in_sqlite: Vec<String> = sqlx::query_scalar("SELECT name FROM pragma_table_info($1)")
        .bind(table)
        .fetch_all(&mut *source)
        .await?;
    let names: Vec<String> = columns.iter().map(|(n, _)| n.clone()).collect();
    if in_sqlite.iter().collect::<BTreeSet<_>>() != names.iter().collect::<BTreeSet<_>>() {
        return Err(MoveError::Columns {
            table: table.into(),
            sqlite: in_sqlite,
            postgres: names,
        });
    }
    let mut kinds = Vec::new();
    for (column, data_type) in &columns {
        kinds.push(Kind::of(data_type).ok_or_else(|| MoveError::UnknownType {
            table: table.into(),
            column: column.clone(),
            kind: data_type.clone(),
        })?);
    }
    let list: Vec<String> = names.iter().map(|n| quoted(n)).collect();
    let select = format!(
        "SELECT rowid, {} FROM {} WHERE rowid > $1 ORDER BY rowid LIMIT $2",
        list.join(", "),
        quoted(table)
    );
    let insert = format!("INSERT INTO {} ({}) ", quoted(table), list.join(", "));
    let self_refs = self_references(source, table, &names).await?;
    let mut pending: Vec<Vec<Value>> = Vec::new();
    let mut after = i64::MIN;
    loop {
        let rows: Vec<SqliteRow> = sqlx::query(&select)
            .bind(after)
            .bind(page_rows(&kinds))
            .fetch_all(&mut *source)
            .await?;
        let Some(last) = rows.last() else { break };
        after = last.try_get(0)?;
        let mut page = Vec::with_capacity(rows.len());
        for row in &rows {
            let values = kinds
                .iter()
                .enumerate()
                .map(|(i, kind)| Value::read(row, i + 1, *kind))
                .collect::<std::result::Result<Vec<_>, _>>()?;
            page.push(values);
        }
        // A table that references itself (a place's parent) is written parents first, at the end.
        if self_refs.is_empty() {
            insert_rows(tx, &insert, page).await?;
        } else {
            pending.extend(page);
        }
    }
    for chunk in parents_first(pending, &self_refs).chunks(page_rows(&kinds) as usize) {
        insert_rows(tx, &insert, chunk.to_vec()).await?;
    }
    Ok(())
}

/// The (referencing, referenced) column positions of `table`'s references to itself.
async fn self_references(
    source: &mut SqliteConnection,
    table: &str,
    names: &[String],
) -> Result<Vec<(usize, usize)>> {
    let pairs: Vec<(String, String, String)> =
        sqlx::query_as(r#"SELECT "table", "from", "to" FROM pragma_foreign_key_list($1)"#)
            .bind(table)
            .fetch_all(&mut *source)
            .await?;
    let at = |name: &str| names.iter().position(|n| n == name);
    Ok(pairs
        .into_iter()
        .filter(|(parent, _, _)| parent == table)
        .filter_map(|(_, from, to)| Some((at(&from)?, at(&to)?)))
        .collect())
}

/// Rows ordered so each comes after the row it references; rows whose parent never comes are
/// left at the end, where PostgreSQL's foreign key refuses them and the copy rolls back.
fn parents_first(mut rows: Vec<Vec<Value>>, refs: &[(usize, usize)]) -> Vec<Vec<Value>> {
    let mut placed: HashSet<(usize, String)> = HashSet::new();
    let mut ordered = Vec::with_capacity(rows.len());
    while !rows.is_empty() {
        let (ready, later): (Vec<_>, Vec<_>) = rows.into_iter().partition(|row| {
            refs.iter().all(|(from, to)| match row[*from].key() {
                None => true,
                Some(k) => placed.contains(&(*to, k)),
            })
        });
        if ready.is_empty() {
            ordered.extend(later);
            break;
        }
        for row in &ready {
            for (_, to) in refs {
                if let Some(k) = row[*to].key() {
                    placed.insert((*to, k));
                }
            }
        }
        ordered.extend(ready);
        rows = later;
    }
    ordered
}

async fn insert_rows(tx: &mut PgConnection, insert: &str, rows: Vec<Vec<Value>>) -> Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let mut query = QueryBuilder::<Postgres>::new(insert);
    query.push_values(rows, |mut b, row| {
        for value in row {
            match value {
                Value::Int(v) => b.push_bind(v),
                Value::Text(v) => b.push_bind(v),
                Value::Bytes(v) => b.push_bind(v),
                Value::Real(v) => b.push_bind(v),
            };
        }
    });
    query.build().execute(&mut *tx).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place(id: &str, parent: Option<&str>) -> Vec<Value> {
        vec![
            Value::Text(Some(id.into())),
            Value::Text(parent.map(Into::into)),
        ]
    }

    fn ids(rows: &[Vec<Value>]) -> Vec<String> {
        rows.iter().filter_map(|r| r[0].key()).collect()
    }

    #[test]
    fn a_place_is_written_after_the_place_it_belongs_to() {
        // Stored village first (an import may add a county above existing townships).
        let rows = vec![
            place("village", Some("township")),
            place("township", Some("county")),
            place("county", None),
            place("orphan", Some("nowhere")),
        ];
        let ordered = parents_first(rows, &[(1, 0)]);
        assert_eq!(ids(&ordered), ["county", "township", "village", "orphan"]);
    }
}

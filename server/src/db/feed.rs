//! The change feed phones download from: every stored record and every changed file has a
//! position (`feed_seq`), and a phone asks for what lies after the position in its cursor.

use super::files::{FILE_PLACES, PETITIONER, readable_for, reads_jurisdiction};
use super::{Backend, Db, Result, parse};
use chrono::Utc;
use sha2::{Digest, Sha256};
use sqlx::AnyConnection;
use xiafang_core::{DeviceId, PetitionerFile, Record};
use xiafang_core::{
    account::Account,
    feed::{Cursor, PullResponse},
};

/// Takes the next feed position. Must run inside the writing transaction: the head row stays
/// locked until commit, so positions are committed in order and a reader bounded by the head it
/// read first never skips one (also on PostgreSQL with concurrent writers).
pub(crate) async fn next_position(conn: &mut AnyConnection) -> Result<i64> {
    let seq = sqlx::query_scalar("UPDATE feed_head SET seq = seq + 1 WHERE id = 1 RETURNING seq")
        .fetch_one(conn)
        .await?;
    Ok(seq)
}

/// What a cursor says, once the server has checked it belongs to this account's current scope.
#[derive(Debug, PartialEq, Eq)]
struct Position {
    seq: i64,
    /// The fingerprint of the last record at or below `seq` when the cursor was given (`mark`);
    /// `None` in a cursor of the first release, which carried none.
    mark: Option<String>,
    scope: String,
}

fn encode(seq: i64, mark: &str, scope: &str) -> Cursor {
    Cursor(format!("v2.{seq}.{mark}.{scope}"))
}

fn decode(cursor: &Cursor) -> Option<Position> {
    let mut parts = cursor.0.splitn(4, '.');
    let version = parts.next()?;
    let seq = parts.next()?.parse().ok()?;
    let mark = match version {
        "v1" => None,
        "v2" => Some(parts.next()?.to_owned()),
        _ => return None,
    };
    let scope: String = parts.collect::<Vec<_>>().join(".");
    (!scope.is_empty() && !scope.contains('.')).then_some(Position { seq, mark, scope })
}

/// A fingerprint of the record with the highest feed position at or below a cursor's: records
/// are never deleted or moved, so it stays the same as long as the server's history up to the
/// cursor does. After a restore from a backup older than the cursor, that position is empty or
/// holds another record, even once new uploads have moved the head past it again.
fn mark_of(record_id: Option<&str>) -> String {
    match record_id {
        None => "0".to_owned(),
        Some(id) => {
            let mut h = Sha256::new();
            h.update(b"xiafang-feed-mark\0");
            h.update(id.as_bytes());
            hex::encode(&h.finalize()[..8])
        }
    }
}

/// A fingerprint of the files an account may read: when it changes (a new assignment, a file
/// moved out of the jurisdiction), the phone's copy must be rebuilt from the start. Taken over
/// the ids in byte order, whatever order the database's collation listed them in, so the same
/// files give the same scope on SQLite and on PostgreSQL (a moved deployment's phones).
fn scope_of(file_ids: &[String]) -> String {
    let mut ids: Vec<&String> = file_ids.iter().collect();
    ids.sort_unstable();
    let mut h = Sha256::new();
    for id in ids {
        h.update(id.as_bytes());
        h.update(b"\n");
    }
    hex::encode(&h.finalize()[..8])
}

enum Item {
    File(PetitionerFile),
    Record(Record),
}

impl Db {
    /// The last committed feed position.
    pub async fn feed_head(&self) -> Result<i64> {
        let seq = sqlx::query_scalar("SELECT seq FROM feed_head WHERE id = 1")
            .fetch_one(&self.pool)
            .await?;
        Ok(seq)
    }

    /// One page of what changed after `cursor` in the files `account` may read. A missing cursor
    /// or one from another scope restarts from zero with `reset`, so the phone rebuilds its copy
    /// instead of missing anything. A server that lost history the phone holds — a cursor beyond
    /// the head or whose position now holds another record, or an acknowledged operation
    /// (`acked`: the phone and its last acknowledged operation) it no longer knows — was
    /// restored from a backup: it also answers `resend`, so the phone uploads its records again.
    pub async fn pull(
        &self,
        account: &Account,
        cursor: Option<&Cursor>,
        acked: Option<(DeviceId, u64)>,
        limit: usize,
    ) -> Result<PullResponse> {
        // The head first: everything at or below it is committed, so bounding the reads by it
        // keeps them consistent with each other and with the next page.
        let head = self.feed_head().await?;
        let scope = scope_of(&self.readable_file_ids(account).await?);
        let position = cursor.and_then(decode);
        let history_lost = match &position {
            Some(p) if p.seq > head => true,
            Some(Position {
                seq,
                mark: Some(mark),
                ..
            }) => *mark != mark_of(self.last_record_at(*seq).await?.as_deref()),
            _ => false,
        };
        let ack_lost = match acked {
            Some((device, seq)) if seq > 0 => !self.knows_operation(device, seq).await?,
            _ => false,
        };
        let resend = history_lost || ack_lost;
        let (from, reset) = match position {
            Some(p) if p.scope == scope && !resend => (p.seq, false),
            _ => (0, true),
        };
        let fetch = i64::try_from(limit).unwrap_or(i64::MAX).saturating_add(1);
        let window = (from, head, fetch);
        let mut items = self
            .items_after(
                &files_query(self.backend, account),
                account,
                window,
                file_item,
            )
            .await?;
        items.extend(
            self.items_after(
                &records_query(self.backend, account),
                account,
                window,
                record_item,
            )
            .await?,
        );
        items.sort_by_key(|(seq, _)| *seq);
        let more = items.len() > limit;
        items.truncate(limit);
        let next = if more {
            items.last().map_or(head, |(seq, _)| *seq)
        } else {
            head
        };
        let (mut files, mut records) = (Vec::new(), Vec::new());
        for (_, item) in items {
            match item {
                Item::File(f) => files.push(f),
                Item::Record(r) => records.push(r),
            }
        }
        let mark = mark_of(self.last_record_at(next).await?.as_deref());
        Ok(PullResponse {
            reset,
            files,
            records,
            cursor: encode(next, &mark, &scope),
            more,
            server_time: Utc::now(),
            resend,
        })
    }

    /// The id of the record with the highest feed position at or below `seq` (an index seek).
    async fn last_record_at(&self, seq: i64) -> Result<Option<String>> {
        let id = sqlx::query_scalar(
            "SELECT id FROM records WHERE feed_seq <= $1 ORDER BY feed_seq DESC LIMIT 1",
        )
        .bind(seq)
        .fetch_optional(&self.pool)
        .await?;
        Ok(id)
    }

    /// Whether the server still holds the outcome of the phone's operation `seq`.
    async fn knows_operation(&self, device: DeviceId, seq: u64) -> Result<bool> {
        let seq = i64::try_from(seq).unwrap_or(i64::MAX);
        let found: Option<i64> =
            sqlx::query_scalar("SELECT seq FROM device_ops WHERE device_id = $1 AND seq = $2")
                .bind(device.to_string())
                .bind(seq)
                .fetch_optional(&self.pool)
                .await?;
        Ok(found.is_some())
    }

    /// Items of one kind with positions in `(from, head]`, in the account's scope, oldest first.
    /// `query` selects `pos` and `json` and binds $1–$5 like `readable()` plus from, head, limit.
    async fn items_after(
        &self,
        query: &str,
        account: &Account,
        (from, head, limit): (i64, i64, i64),
        item: fn(&str) -> Result<Item>,
    ) -> Result<Vec<(i64, Item)>> {
        let rows = sqlx::query_as::<_, (i64, String)>(query)
            .bind(&account.id.0)
            .bind(reads_jurisdiction(account))
            .bind(from)
            .bind(head)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        rows.into_iter()
            .map(|(pos, json)| Ok((pos, item(&json)?)))
            .collect()
    }
}

/// One kind of item of an account's feed page: rows `w` of `table` (`files` or `records`) that
/// `within` puts in a file the account reads (`mine.id`; for files, a petitioner's) with positions
/// in `($3, $4]`, oldest first, at most `$5`. Walked file by file through the account's own files,
/// each row found through an index by its file and position, so a page costs what the account
/// reads. Walking the feed's positions instead (what a planner picks for `ORDER BY feed_seq
/// LIMIT`) tested every file or record the whole deployment changed since the cursor, or every
/// file after a reset. PostgreSQL is held to that order by a lateral subquery, SQLite by a
/// `CROSS JOIN` (its left side is always the outer loop).
fn page_query(
    backend: Backend,
    account: &Account,
    (table, column, files, within): (&str, &str, &str, &str),
) -> String {
    let mine = format!(
        "(SELECT f.id FROM {FILE_PLACES} WHERE {} {files}) mine",
        readable_for(account)
    );
    match backend {
        Backend::Postgres => format!(
            "SELECT w.feed_seq AS pos, w.{column} AS json FROM {mine} CROSS JOIN LATERAL \
             (SELECT w.feed_seq, w.{column} FROM {table} w WHERE {within} \
             ORDER BY w.feed_seq LIMIT $5) w ORDER BY w.feed_seq LIMIT $5"
        ),
        Backend::Sqlite => format!(
            "SELECT w.feed_seq AS pos, w.{column} AS json FROM {mine} CROSS JOIN {table} w \
             WHERE {within} ORDER BY w.feed_seq LIMIT $5"
        ),
    }
}

fn files_query(backend: Backend, account: &Account) -> String {
    let petitioners = format!("AND {PETITIONER}");
    let within = "w.id = mine.id AND w.feed_seq > $3 AND w.feed_seq <= $4";
    page_query(backend, account, ("files", "data", &petitioners, within))
}

/// A file's records in the window. On PostgreSQL compared as `(file_id, feed_seq)` pairs, which
/// only the index of each file's records in feed order (`records_chain`) can answer: with
/// `feed_seq > $3` its planner may take the feed's own index and read the whole deployment's
/// records since the cursor for each of the account's files (its statistics lag behind the
/// newest positions, where every cursor points). SQLite answers the plain range from
/// `records_chain` (and would not use it for the pairs).
fn records_query(backend: Backend, account: &Account) -> String {
    let within = match backend {
        Backend::Postgres => {
            "w.file_id = mine.id AND (w.file_id, w.feed_seq) > (mine.id, $3) \
             AND (w.file_id, w.feed_seq) <= (mine.id, $4)"
        }
        Backend::Sqlite => "w.file_id = mine.id AND w.feed_seq > $3 AND w.feed_seq <= $4",
    };
    page_query(backend, account, ("records", "body", "", within))
}

fn file_item(json: &str) -> Result<Item> {
    parse(json, "files").map(Item::File)
}

fn record_item(json: &str) -> Result<Item> {
    parse(json, "records").map(Item::Record)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_garbage_is_not_a_position() {
        let c = encode(42, "0f0f", "abcd");
        assert_eq!(
            decode(&c),
            Some(Position {
                seq: 42,
                mark: Some("0f0f".into()),
                scope: "abcd".into()
            })
        );
        // A phone of the first release still holds a cursor without a mark.
        assert_eq!(
            decode(&Cursor("v1.7.abcd".into())),
            Some(Position {
                seq: 7,
                mark: None,
                scope: "abcd".into()
            })
        );
        for bad in [
            "",
            "v1",
            "v1.x.abcd",
            "v2.1.abcd",
            "v3.1.m.abcd",
            "v2.1.m.a.b",
            "garbage",
        ] {
            assert_eq!(decode(&Cursor(bad.into())), None, "{bad}");
        }
    }

    #[test]
    fn the_scope_changes_with_the_set_of_files() {
        let a = scope_of(&["f1".into(), "f2".into()]);
        assert_eq!(a, scope_of(&["f1".into(), "f2".into()]));
        assert_ne!(a, scope_of(&["f1".into()]));
        assert_ne!(a, scope_of(&["f1".into(), "f2".into(), "f3".into()]));
    }

    #[test]
    fn the_scope_is_the_same_whichever_order_the_database_lists_the_files_in() {
        // SQLite orders text by its bytes, PostgreSQL by the database's collation (zh_CN puts
        // 甲 jiǎ before 乙 yǐ by pinyin, en_US "a" before "B"): after a move to PostgreSQL the
        // phones' cursors must still name the same scope.
        let bytes = scope_of(&[
            "B-1".into(),
            "a-1".into(),
            "档案-乙".into(),
            "档案-甲".into(),
        ]);
        let locale = scope_of(&[
            "a-1".into(),
            "B-1".into(),
            "档案-甲".into(),
            "档案-乙".into(),
        ]);
        assert_eq!(bytes, locale);
    }
}

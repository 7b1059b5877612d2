//! Applying phones' upload operations exactly once. The rules themselves are
//! `xiafang_core::judge`; this file only reads the facts it asks for and writes what it
//! decides, each pushed batch in one transaction together with the device's mark.

use super::DbError;
use super::audit::{self, Actor};
use super::edits::apply_file_edit;
use super::feed::next_position;
use super::files::{FILE_PLACES, reach_on};
use super::{Backend, Db, Result, parse, to_json};
use chrono::Utc;
use sha2::{Digest, Sha256};
use sqlx::AnyConnection;
use std::collections::HashMap;
use xiafang_core::hlc::clock_was_off;
use xiafang_core::judge::{self, Facts};
use xiafang_core::permissions::Reach;
use xiafang_core::protocol::Decision;
use xiafang_core::team::team_on_file;
use xiafang_core::{DeviceId, FileId, Record, RecordBody, RecordId, UserId};
use xiafang_core::{
    account::{Account, Role},
    admin::DeviceReport,
    audit::AuditAction,
    upload::{Ack, MAX_BATCH_OPS, Op},
    verdict::Outcome,
};

impl Db {
    /// Applies one operation and returns its outcome (`apply_batch` of one).
    pub async fn apply_op(
        &self,
        account: &Account,
        device: DeviceId,
        op: &Op,
        clock_skew_ms: i64,
    ) -> Result<Outcome> {
        let mut outcomes = self
            .apply_batch(account, device, std::slice::from_ref(op), clock_skew_ms)
            .await?;
        Ok(outcomes.pop().expect("one outcome per operation"))
    }

    /// Applies a pushed batch in order and returns one outcome per operation. The whole batch is
    /// one transaction, so it pays one commit (one flush on SQLite) instead of one per record;
    /// a rejected record is an outcome and does not hold back the ones behind it, while a
    /// database error rolls back the whole batch and the phone, told nothing was stored, sends
    /// it again. A repeat of an operation already seen returns the outcome stored the first
    /// time and changes nothing. `clock_skew_ms` is how far the device's clock was from the
    /// server's when it sent the batch.
    pub async fn apply_batch(
        &self,
        account: &Account,
        device: DeviceId,
        ops: &[Op],
        clock_skew_ms: i64,
    ) -> Result<Vec<Outcome>> {
        let _turn = self.write_turn().await;
        let mut tx = self.pool.begin().await?;
        let device_key = device.to_string();
        if self.backend == Backend::Postgres {
            // Copies of one device's request arriving together take turns, so the second sees
            // the first's marks instead of racing it to insert the same records.
            sqlx::query("SELECT 1 FROM (SELECT pg_advisory_xact_lock($1)) AS turn")
                .bind(lock_key(&device_key))
                .execute(&mut *tx)
                .await?;
        }
        let seqs: Vec<i64> = ops.iter().map(|op| seq_of(op.seq)).collect();
        let mut seen = seen_ops(&mut tx, &device_key, &seqs).await?;
        let (mut reaches, mut names) = (Reaches::default(), Names::default());
        // Repeats are common (a phone that lost an answer sends its batch again): one query
        // finds every record of the batch already stored instead of one per operation.
        let mut known = Known::prefetch(&mut tx, ops.iter().map(|op| op.record.id)).await?;
        // Written just before the commit, one statement each instead of one per operation.
        let mut lines = audit::WriteLines::default();
        let mut marks: Vec<(i64, String, String)> = Vec::with_capacity(ops.len());
        let mut outcomes = Vec::with_capacity(ops.len());
        // The device's mark moves only for operations not seen before.
        let mut mark: Option<i64> = None;
        for (op, &seq) in ops.iter().zip(&seqs) {
            let op = &Op {
                seq: op.seq,
                record: names.set_on(&mut tx, &op.record).await?,
            };
            let decision = decide_op(&mut tx, &mut reaches, &mut known, account, &seen, op).await?;
            let outcome = match decision {
                Decision::Repeat(outcome) => {
                    outcomes.push(outcome);
                    continue;
                }
                Decision::Insert => {
                    insert_record(&mut tx, &op.record, Some(&device_key)).await?;
                    known.stored(&op.record);
                    if changes_reach(&op.record) {
                        reaches.forget(&op.record.file_id);
                    }
                    let actor = Actor {
                        account: &account.id,
                        device: Some(&device_key),
                    };
                    let action = match (&op.record.body, op.record.amends) {
                        (RecordBody::Void(_), _) => AuditAction::Void,
                        (RecordBody::FileEdit(_), _) => AuditAction::Edit,
                        (_, Some(_)) => AuditAction::Amend,
                        _ => AuditAction::Create,
                    };
                    lines.add(&actor, action, &op.record.file_id.0, Some(op.record.id));
                    if let RecordBody::FileEdit(edit) = &op.record.body {
                        apply_file_edit(&mut tx, &op.record, edit).await?;
                    }
                    Outcome::Stored
                }
                Decision::Record(outcome) => outcome,
            };
            // Later operations of the batch with the same seq see this mark, as they would had
            // it been committed on its own. A reused (device, seq) with another record keeps
            // its first entry: the record itself was still judged and stored by its own id.
            if let std::collections::hash_map::Entry::Vacant(entry) = seen.entry(seq) {
                entry.insert((op.record.id.to_string(), outcome.clone()));
                marks.push((seq, op.record.id.to_string(), to_json(&outcome)));
            }
            mark = mark.max(Some(seq));
            outcomes.push(outcome);
        }
        insert_marks(&mut tx, &device_key, &account.id, &marks).await?;
        lines.insert(&mut tx).await?;
        if let Some(last_seq) = mark {
            sqlx::query(
                "INSERT INTO devices (device_id, account_id, last_seq, last_seen, clock_skew_ms) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (device_id) DO UPDATE SET \
                 account_id = excluded.account_id, last_seen = excluded.last_seen, \
                 clock_skew_ms = excluded.clock_skew_ms, \
                 last_seq = CASE WHEN excluded.last_seq > devices.last_seq \
                            THEN excluded.last_seq ELSE devices.last_seq END",
            )
            .bind(&device_key)
            .bind(&account.id.0)
            .bind(last_seq)
            .bind(Utc::now().to_rfc3339())
            .bind(clock_skew_ms)
            .execute(&mut *tx)
            .await?;
        }
        // The phone hears of these outcomes only after this commit.
        tx.commit().await?;
        Ok(outcomes)
    }

    /// The outcomes already stored for this account's device after operation `after`, oldest
    /// first: what a phone that lost a response learns instead of resending.
    pub async fn acks_after(
        &self,
        account: &Account,
        device: DeviceId,
        after: u64,
    ) -> Result<Vec<Ack>> {
        let rows = sqlx::query_as::<_, (i64, String, String)>(
            "SELECT seq, record_id, outcome FROM device_ops \
             WHERE device_id = $1 AND account_id = $2 AND seq > $3 ORDER BY seq LIMIT $4",
        )
        .bind(device.to_string())
        .bind(&account.id.0)
        .bind(i64::try_from(after).unwrap_or(i64::MAX))
        .bind(MAX_BATCH_OPS as i64)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(seq, id, outcome)| {
                Ok(Ack {
                    seq: u64::try_from(seq).unwrap_or(0),
                    record_id: id
                        .parse()
                        .map_err(|e: uuid::Error| super::DbError::Corrupt {
                            table: "device_ops",
                            source: serde::de::Error::custom(e),
                        })?,
                    outcome: parse(&outcome, "device_ops")?,
                })
            })
            .collect()
    }
}

/// What the judge (`xiafang_core::judge`) says about `op` from `account`, read through the
/// batch's transaction, so records stored earlier in the same batch count: this gathers the
/// facts it asks for (`judge::asks`) and nothing else decides. `op.record` must already carry
/// the server's names (`Names::set_on`), so a retry with the phone's original names is still
/// the same record. Used by uploads and, before anything is queued, by a lost phone's hand-over.
pub(super) async fn decide_op(
    conn: &mut AnyConnection,
    reaches: &mut Reaches,
    known: &mut Known,
    account: &Account,
    seen: &HashMap<i64, (String, Outcome)>,
    op: &Op,
) -> Result<Decision> {
    let seen = seen
        .get(&seq_of(op.seq))
        .and_then(|(id, outcome)| Some((id.parse().ok()?, outcome)));
    let asks = judge::asks(op, seen.map(|(id, _)| id));
    let reach = match asks.reach {
        true => reaches.of(&mut *conn, account, &op.record.file_id).await?,
        false => None,
    };
    let earlier = known.get(&mut *conn, asks.earlier).await?;
    let target = known.get(&mut *conn, asks.target).await?;
    let legal_team = legal_members(&mut *conn, &asks.team).await?;
    let leaders = leaders_over(&mut *conn, &asks.leaders, &op.record.file_id).await?;
    let existing = known.get(&mut *conn, Some(op.record.id)).await?;
    let mut evidence = Vec::with_capacity(asks.evidence.len());
    for id in &asks.evidence {
        evidence.extend(known.get(&mut *conn, Some(*id)).await?);
    }
    let facts = Facts {
        caller: &account.id,
        role: account.role,
        reach,
        earlier: earlier.as_ref(),
        target: target.as_ref(),
        legal_team: &legal_team,
        seen,
        existing: existing.as_ref(),
        evidence: &evidence,
        leaders: &leaders,
    };
    Ok(judge::judge(op, &facts))
}

/// The server's names of the accounts records name, looked up once per batch.
#[derive(Default)]
pub(super) struct Names(HashMap<UserId, Option<String>>);

impl Names {
    /// `record` with every account it names by id called by the server's `display_name`
    /// (`Record::with_account_names`): nobody writes in someone else's name.
    pub(super) async fn set_on(
        &mut self,
        conn: &mut AnyConnection,
        record: &Record,
    ) -> Result<Record> {
        for id in record.named_accounts() {
            if !self.0.contains_key(id) {
                let name: Option<String> =
                    sqlx::query_scalar("SELECT display_name FROM accounts WHERE id = $1")
                        .bind(&id.0)
                        .fetch_optional(&mut *conn)
                        .await?;
                self.0.insert(id.clone(), name);
            }
        }
        Ok(record
            .clone()
            .with_account_names(|id| self.0.get(id).cloned().flatten()))
    }
}

pub(super) fn seq_of(seq: u64) -> i64 {
    i64::try_from(seq).unwrap_or(i64::MAX)
}

/// The marks already stored for these operation numbers of the device: seq → (record id,
/// outcome). One query for the whole batch instead of one per operation.
pub(super) async fn seen_ops(
    conn: &mut AnyConnection,
    device: &str,
    seqs: &[i64],
) -> Result<HashMap<i64, (String, Outcome)>> {
    let (Some(&low), Some(&high)) = (seqs.iter().min(), seqs.iter().max()) else {
        return Ok(HashMap::new());
    };
    let rows = sqlx::query_as::<_, (i64, String, String)>(
        "SELECT seq, record_id, outcome FROM device_ops \
         WHERE device_id = $1 AND seq >= $2 AND seq <= $3",
    )
    .bind(device)
    .bind(low)
    .bind(high)
    .fetch_all(conn)
    .await?;
    rows.into_iter()
        .map(|(seq, id, outcome)| Ok((seq, (id, parse(&outcome, "device_ops")?))))
        .collect()
}

/// The uploader's reach per file, looked up once per batch: a batch of 20 records for three
/// files asks three times, not twenty. A stored record that changes who reaches its file
/// (`changes_reach`) drops that file's entry, so the next record of the batch asks again.
#[derive(Default)]
pub(super) struct Reaches(HashMap<FileId, Option<Reach>>);

impl Reaches {
    async fn of(
        &mut self,
        conn: &mut AnyConnection,
        account: &Account,
        file: &FileId,
    ) -> Result<Option<Reach>> {
        if let Some(reach) = self.0.get(file) {
            return Ok(*reach);
        }
        let reach = reach_on(&mut *conn, account, file).await?;
        self.0.insert(file.clone(), reach);
        Ok(reach)
    }

    fn forget(&mut self, file: &FileId) {
        self.0.remove(file);
    }
}

/// Those of `named` that are legal team members.
async fn legal_members(conn: &mut AnyConnection, named: &[UserId]) -> Result<Vec<UserId>> {
    let mut members = Vec::new();
    for id in named {
        let role: Option<String> = sqlx::query_scalar("SELECT role FROM accounts WHERE id = $1")
            .bind(&id.0)
            .fetch_optional(&mut *conn)
            .await?;
        if role.as_deref() == Some(Role::Legal.key()) {
            members.push(id.clone());
        }
    }
    Ok(members)
}

/// Stored records by id as one transaction sees them: looked up once, and told of each record
/// the transaction stores, so a later operation of the batch (a repeat, an amendment of it)
/// sees it as stored.
#[derive(Default)]
pub(super) struct Known(HashMap<RecordId, Option<Record>>);

impl Known {
    /// Looks up `ids` with one query per `ROWS_PER_LOOKUP`.
    async fn prefetch(
        conn: &mut AnyConnection,
        ids: impl Iterator<Item = RecordId>,
    ) -> Result<Known> {
        let ids: Vec<RecordId> = ids.collect();
        let mut known: HashMap<RecordId, Option<Record>> =
            ids.iter().map(|id| (*id, None)).collect();
        for chunk in ids.chunks(ROWS_PER_LOOKUP) {
            let places: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
            let sql = format!(
                "SELECT body FROM records WHERE id IN ({})",
                places.join(", ")
            );
            let mut query = sqlx::query_scalar::<_, String>(&sql);
            for id in chunk {
                query = query.bind(id.to_string());
            }
            for body in query.fetch_all(&mut *conn).await? {
                let record: Record = parse(&body, "records")?;
                known.insert(record.id, Some(record));
            }
        }
        Ok(Known(known))
    }

    /// The stored record with this id, if an id is asked for and such a record is stored.
    async fn get(
        &mut self,
        conn: &mut AnyConnection,
        id: Option<RecordId>,
    ) -> Result<Option<Record>> {
        let Some(id) = id else {
            return Ok(None);
        };
        if let Some(known) = self.0.get(&id) {
            return Ok(known.clone());
        }
        let record = sqlx::query_scalar::<_, String>("SELECT body FROM records WHERE id = $1")
            .bind(id.to_string())
            .fetch_optional(conn)
            .await?
            .map(|body| parse::<Record>(&body, "records"))
            .transpose()?;
        self.0.insert(id, record.clone());
        Ok(record)
    }

    /// `record` was stored by this transaction.
    fn stored(&mut self, record: &Record) {
        self.0.insert(record.id, Some(record.clone()));
    }
}

/// Ids one lookup asks for at most, and device marks one INSERT carries at most (6 parameters
/// each): far below both databases' limits on parameters.
const ROWS_PER_LOOKUP: usize = 100;
const MARKS_PER_INSERT: usize = 100;

/// Stores the device's marks (seq, record id, outcome as JSON), one statement per
/// `MARKS_PER_INSERT`; a mark already stored for a seq keeps its first entry.
async fn insert_marks(
    conn: &mut AnyConnection,
    device: &str,
    account: &UserId,
    marks: &[(i64, String, String)],
) -> Result<()> {
    let now = Utc::now().to_rfc3339();
    for chunk in marks.chunks(MARKS_PER_INSERT) {
        let rows: Vec<String> = (0..chunk.len())
            .map(|i| {
                let p = |k: usize| format!("${}", i * 6 + k);
                format!(
                    "({}, {}, {}, {}, {}, {})",
                    p(1),
                    p(2),
                    p(3),
                    p(4),
                    p(5),
                    p(6)
                )
            })
            .collect();
        let sql = format!(
            "INSERT INTO device_ops (device_id, seq, account_id, record_id, outcome, received_at) \
             VALUES {} ON CONFLICT (device_id, seq) DO NOTHING",
            rows.join(", ")
        );
        let mut query = sqlx::query(&sql);
        for (seq, record, outcome) in chunk {
            query = query
                .bind(device)
                .bind(*seq)
                .bind(&account.0)
                .bind(record)
                .bind(outcome)
                .bind(&now);
        }
        query.execute(&mut *conn).await?;
    }
    Ok(())
}

/// Those of `named` that may own a case on `file` (包案领导): enabled supervisors whose place is
/// the file's village, township or county.
async fn leaders_over(
    conn: &mut AnyConnection,
    named: &[UserId],
    file: &FileId,
) -> Result<Vec<UserId>> {
    let mut leaders = Vec::new();
    for id in named {
        let found: Option<String> = sqlx::query_scalar(&format!(
            "SELECT a.id FROM {FILE_PLACES} JOIN accounts a ON a.id = $1 \
             WHERE f.id = $2 AND a.role = 'supervisor' AND a.disabled = 0 \
             AND a.place_id IN (v.id, t.id, t.parent_id)"
        ))
        .bind(&id.0)
        .bind(&file.0)
        .fetch_optional(&mut *conn)
        .await?;
        leaders.extend(found.map(UserId));
    }
    Ok(leaders)
}

/// A stable 64-bit key for PostgreSQL's advisory locks.
fn lock_key(device: &str) -> i64 {
    let digest = Sha256::digest(device.as_bytes());
    i64::from_be_bytes(digest[..8].try_into().expect("8 bytes"))
}

/// Stores a record at the next feed position.
pub(crate) async fn insert_record(
    conn: &mut AnyConnection,
    record: &Record,
    device: Option<&str>,
) -> Result<()> {
    let kind = record.body.kind_key();
    // The feed position first: taking it serialises writers, so the file's last link read
    // next is still the last when this record is stored.
    let position = next_position(&mut *conn).await?;
    let link = super::chain::next_link(&mut *conn, record).await?;
    sqlx::query(
        "INSERT INTO records (id, file_id, author_id, kind, occurred_at, body, device_id, \
         received_at, feed_seq, chain_hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(record.id.to_string())
    .bind(&record.file_id.0)
    .bind(&record.author.0)
    .bind(kind)
    .bind(record.occurred_at.format("%Y-%m-%dT%H:%M:%S").to_string())
    .bind(to_json(record))
    .bind(device)
    .bind(Utc::now().to_rfc3339())
    .bind(position)
    .bind(link)
    .execute(&mut *conn)
    .await?;
    if changes_reach(record) {
        refresh_referrals(conn, &record.file_id.0).await?;
    }
    super::blobs::link_record_blobs(conn, record).await?;
    Ok(())
}

/// Whether storing this record may change which team members reach its file
/// (`legal::team_on_file`: the referrals and the members named on visits, among the records
/// neither voided nor amended): a referral, a void, a visit naming who joined, or an amended
/// visit (which may drop who joined). A new visit nobody joined adds no one and replaces
/// nothing, so it changes nothing; it is by far the most common record, and re-reading all of
/// a file's visits for each one made every visit cost more than the one before.
fn changes_reach(record: &Record) -> bool {
    match &record.body {
        RecordBody::Referral(_) | RecordBody::Void(_) => true,
        RecordBody::Visit(visit) => !visit.joined.is_empty() || record.amends.is_some(),
        _ => false,
    }
}

/// Rewrites which team members reach `file` (referred, or named on a joint visit) from its
/// referrals, visits and voids, so access (`files::readable`) follows the ledger: a voided or
/// amended referral no longer opens the file.
async fn refresh_referrals(conn: &mut AnyConnection, file: &str) -> Result<()> {
    let bodies: Vec<String> = sqlx::query_scalar(
        "SELECT body FROM records WHERE file_id = $1 AND kind IN ('referral', 'visit', 'void') \
         ORDER BY feed_seq",
    )
    .bind(file)
    .fetch_all(&mut *conn)
    .await?;
    let records = bodies
        .iter()
        .map(|b| parse::<Record>(b, "records"))
        .collect::<Result<Vec<_>>>()?;
    sqlx::query("DELETE FROM referrals WHERE file_id = $1")
        .bind(file)
        .execute(&mut *conn)
        .await?;
    for to in team_on_file(&records) {
        sqlx::query(
            "INSERT INTO referrals (file_id, account_id) SELECT $1, id FROM accounts WHERE id = $2",
        )
        .bind(file)
        .bind(&to.0)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// What the server knows of one phone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceMark {
    pub account: String,
    /// The highest operation number applied for this device.
    pub last_seq: u64,
    /// Device clock minus server clock when it last sent, in milliseconds.
    pub clock_skew_ms: i64,
}

impl Db {
    pub async fn device(&self, device: DeviceId) -> Result<Option<DeviceMark>> {
        let row = sqlx::query_as::<_, (String, i64, i64)>(
            "SELECT account_id, last_seq, clock_skew_ms FROM devices WHERE device_id = $1",
        )
        .bind(device.to_string())
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|(account, last_seq, clock_skew_ms)| DeviceMark {
            account,
            last_seq: u64::try_from(last_seq).unwrap_or(0),
            clock_skew_ms,
        }))
    }
}

impl Db {
    /// The phones of accounts that belong to the supervisor's place or a place below it.
    pub async fn devices_under(&self, supervisor: &Account) -> Result<Vec<DeviceReport>> {
        let rows = sqlx::query_as::<_, (String, String, String, String, i64)>(
            "SELECT d.device_id, d.account_id, a.display_name, d.last_seen, d.clock_skew_ms \
             FROM devices d JOIN accounts a ON a.id = d.account_id \
             JOIN places p ON p.id = a.place_id LEFT JOIN places up ON up.id = p.parent_id \
             WHERE (SELECT place_id FROM accounts WHERE id = $1) IN (p.id, up.id, up.parent_id) \
             ORDER BY a.display_name, d.last_seen DESC",
        )
        .bind(&supervisor.id.0)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(device_id, account_id, display_name, last_seen, skew)| {
                let corrupt = |what: &str| DbError::Corrupt {
                    table: "devices",
                    source: serde::de::Error::custom(what),
                };
                Ok(DeviceReport {
                    device_id: device_id.parse().map_err(|_| corrupt("device id"))?,
                    account: UserId(account_id),
                    display_name,
                    last_seen: chrono::DateTime::parse_from_rfc3339(&last_seen)
                        .map_err(|_| corrupt("last_seen"))?
                        .with_timezone(&Utc),
                    clock_skew_ms: skew,
                    clock_off: clock_was_off(skew),
                })
            })
            .collect()
    }
}

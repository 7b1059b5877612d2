//! The daily signed statements over every file's chain (`xiafang_core::roots`, issue 19):
//! publishing one, and checking the whole sequence against the records as they are now.

use super::chain::{LINKS, LinkRow, canonical_of};
use super::{Db, DbError, Result};
use crate::chain_key::{ChainKey, verifies};
use chrono::{NaiveDate, Utc};
use std::collections::BTreeMap;
use xiafang_core::FileId;
use xiafang_core::chain::{Anchor, ChainHash, FileHead, link_canonical, root, sorted_heads};
use xiafang_core::roots::{RootStatement, SignatureAlgorithm, SignedStatement, sequence_breaks};

/// A statement as published (`xiafang_core::roots::SignedStatement`).
pub type PublishedRoot = SignedStatement;

/// What `verify_roots` found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RootFinding {
    /// The statement's signature does not verify with the public key it names.
    BadSignature { seq: u64 },
    /// A number is missing before it, or it does not name the statement before it.
    BrokenSequence { seq: u64 },
    /// The heads kept for it no longer give its signed root: that table was changed.
    HeadsAltered { seq: u64 },
    /// Signed by a key that is not among the deployment's (`trusted`).
    ForeignKey { seq: u64, public_key: String },
    /// The file's records no longer pass the head this statement signed: they were rewritten
    /// after `last_matched`, the day of the last statement they still matched (none: the first).
    Rewritten {
        file: String,
        seq: u64,
        day: NaiveDate,
        last_matched: Option<NaiveDate>,
    },
}

#[derive(sqlx::FromRow)]
pub(super) struct RootRow {
    pub(super) seq: i64,
    pub(super) day: String,
    pub(super) feed_seq: i64,
    pub(super) files: i64,
    pub(super) root: String,
    pub(super) previous: String,
    pub(super) public_key: String,
    pub(super) signature: String,
    pub(super) algorithm: String,
}

#[derive(sqlx::FromRow)]
pub(super) struct HeadRow {
    seq: i64,
    file_id: String,
    length: i64,
    head: String,
}

fn hash(hex: &str) -> ChainHash {
    // An unreadable hash is one that matches nothing.
    ChainHash::from_hex(hex).unwrap_or(ChainHash([0xff; 32]))
}

/// The public key of the latest statement of `key`'s algorithm, when it is not `key`'s.
async fn other_key(conn: &mut sqlx::AnyConnection, key: &ChainKey) -> Result<Option<String>> {
    let latest: Option<String> = sqlx::query_scalar(
        "SELECT public_key FROM chain_roots WHERE algorithm = $1 ORDER BY seq DESC LIMIT 1",
    )
    .bind(key.algorithm().key())
    .fetch_optional(&mut *conn)
    .await?;
    Ok(latest.filter(|k| *k != key.public_hex()))
}

impl Db {
    /// `Err(ChainKeyDiffers)` when the deployment's latest statement of `key`'s algorithm was
    /// signed by another key: checked at start, so a misconfigured instance does not serve.
    pub async fn check_chain_key(&self, key: &ChainKey) -> Result<()> {
        let mut conn = self.pool.acquire().await?;
        match other_key(&mut conn, key).await? {
            Some(deployment) => Err(DbError::ChainKeyDiffers { deployment }),
            None => Ok(()),
        }
    }

    /// Publishes `day`'s statement unless the latest statement is already for `day` (another
    /// instance's, or this one's before a restart). `None`: there was nothing to do.
    pub async fn publish_root_if_due(
        &self,
        key: &ChainKey,
        day: NaiveDate,
    ) -> Result<Option<RootStatement>> {
        self.publish(key, day, true).await
    }

    /// Signs and keeps a statement over every file's chain as stored now, for `day`.
    pub async fn publish_root(&self, key: &ChainKey, day: NaiveDate) -> Result<RootStatement> {
        let published = self.publish(key, day, false).await?;
        Ok(published.expect("published unconditionally"))
    }

    async fn publish(
        &self,
        key: &ChainKey,
        day: NaiveDate,
        only_if_due: bool,
    ) -> Result<Option<RootStatement>> {
        let _turn = self.write_turn().await;
        let mut tx = self.pool.begin().await?;
        // Taking the feed's row waits for uploads in flight, so none lands below the cutoff
        // after it is read.
        let (cutoff,): (i64,) =
            sqlx::query_as("UPDATE feed_head SET seq = seq WHERE id = 1 RETURNING seq")
                .fetch_one(&mut *tx)
                .await?;
        let links: Vec<(String, Option<String>)> = sqlx::query_as(
            "SELECT file_id, chain_hash FROM records WHERE feed_seq <= $1 \
             ORDER BY file_id, feed_seq",
        )
        .bind(cutoff)
        .fetch_all(&mut *tx)
        .await?;
        let mut heads: BTreeMap<String, Anchor> = BTreeMap::new();
        for (file, link) in links {
            let entry = heads.entry(file).or_insert(Anchor {
                length: 0,
                head: ChainHash::GENESIS,
            });
            entry.length += 1;
            entry.head = hash(link.as_deref().unwrap_or(""));
        }
        // Read under the feed's row lock, which every publisher takes first: a publisher that
        // waited for another sees its statement here, so instances never publish a day twice.
        let last: Option<RootRow> =
            sqlx::query_as("SELECT * FROM chain_roots ORDER BY seq DESC LIMIT 1")
                .fetch_optional(&mut *tx)
                .await?;
        if only_if_due
            && last
                .as_ref()
                .is_some_and(|l| l.day >= day.format("%Y-%m-%d").to_string())
        {
            return Ok(None);
        }
        // The daily statement only by the deployment's key (an instance with a key of its own
        // would sign every other day); an unconditional publication is how a key is replaced.
        if only_if_due && let Some(deployment) = other_key(&mut tx, key).await? {
            return Err(DbError::ChainKeyDiffers { deployment });
        }
        let kept: Vec<HeadRow> = sqlx::query_as("SELECT * FROM chain_root_heads ORDER BY seq")
            .fetch_all(&mut *tx)
            .await?;
        let mut before: BTreeMap<String, Anchor> = BTreeMap::new();
        for h in kept {
            before.insert(
                h.file_id,
                Anchor {
                    length: h.length as u64,
                    head: hash(&h.head),
                },
            );
        }
        let leaves = sorted_heads(
            heads
                .iter()
                .map(|(file, anchor)| FileHead {
                    file: FileId(file.clone()),
                    anchor: *anchor,
                })
                .collect(),
        );
        let statement = RootStatement {
            seq: last.as_ref().map_or(1, |l| l.seq as u64 + 1),
            day,
            feed_seq: cutoff as u64,
            files: leaves.len() as u64,
            root: root(&leaves),
            previous: last
                .map(|l| statement_of(&l).statement_hash())
                .unwrap_or(ChainHash::GENESIS),
        };
        sqlx::query(
            "INSERT INTO chain_roots (seq, day, feed_seq, files, root, previous, public_key, \
             signature, published_at, algorithm) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(statement.seq as i64)
        .bind(day.format("%Y-%m-%d").to_string())
        .bind(cutoff)
        .bind(statement.files as i64)
        .bind(statement.root.to_hex())
        .bind(statement.previous.to_hex())
        .bind(key.public_hex())
        .bind(key.sign(&statement.statement_bytes()))
        .bind(Utc::now().to_rfc3339())
        .bind(key.algorithm().key())
        .execute(&mut *tx)
        .await?;
        for (file, anchor) in &heads {
            if before.get(file) == Some(anchor) {
                continue;
            }
            sqlx::query(
                "INSERT INTO chain_root_heads (seq, file_id, length, head) VALUES ($1, $2, $3, $4)",
            )
            .bind(statement.seq as i64)
            .bind(file)
            .bind(anchor.length as i64)
            .bind(anchor.head.to_hex())
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(Some(statement))
    }

    /// Every published statement, oldest first.
    pub async fn roots(&self) -> Result<Vec<PublishedRoot>> {
        let rows: Vec<RootRow> = sqlx::query_as("SELECT * FROM chain_roots ORDER BY seq")
            .fetch_all(&self.pool)
            .await?;
        Ok(rows
            .into_iter()
            .map(|r| PublishedRoot {
                statement: statement_of(&r),
                // A name changed by hand is read as Ed25519: an SM2 signature then fails to
                // verify, and an Ed25519 one was Ed25519 all along, so nothing is hidden.
                algorithm: SignatureAlgorithm::from_key(&r.algorithm).unwrap_or_default(),
                public_key: r.public_key,
                signature: r.signature,
            })
            .collect())
    }

    /// Checks every statement: its signature, its place in the sequence, the heads kept for it,
    /// and each file's records as they are now against the head it signed.
    pub async fn verify_roots(&self) -> Result<Vec<RootFinding>> {
        let (published, kept) = self.statements_and_heads().await?;
        let rows: Vec<LinkRow> = sqlx::query_as(LINKS).fetch_all(&self.pool).await?;
        let canonical: Vec<Vec<u8>> = rows.iter().map(|r| canonical_of(&r.body)).collect();
        Ok(root_findings(&published, &kept, &rows, &canonical, None).0)
    }

    /// Every published statement and the heads kept for each, read before the records that are
    /// checked against them, so every record a statement covers is among those read.
    pub(super) async fn statements_and_heads(&self) -> Result<(Vec<PublishedRoot>, Vec<HeadRow>)> {
        let published = self.roots().await?;
        let kept: Vec<HeadRow> = sqlx::query_as("SELECT * FROM chain_root_heads ORDER BY seq")
            .fetch_all(&self.pool)
            .await?;
        Ok((published, kept))
    }
}

/// What is wrong with the statements and the chains they signed, given every record (in
/// `LINKS` order, with their canonical bytes) and, when known, the public keys the deployment
/// signs with or did; and for each file, the day of the last statement its records agree with
/// before the first they do not.
pub(super) fn root_findings(
    published: &[PublishedRoot],
    kept: &[HeadRow],
    rows: &[LinkRow],
    canonical: &[Vec<u8>],
    trusted: Option<&[String]>,
) -> (Vec<RootFinding>, BTreeMap<String, NaiveDate>) {
    // Each file's chain recomputed from its records as they are: (feed position, link).
    let mut now: BTreeMap<&str, Vec<(u64, ChainHash)>> = BTreeMap::new();
    for (row, bytes) in rows.iter().zip(canonical) {
        let chain = now.entry(row.file_id.as_str()).or_default();
        let prev = chain.last().map_or(ChainHash::GENESIS, |c| c.1);
        chain.push((row.feed_seq as u64, link_canonical(&prev, bytes)));
    }
    let statements: Vec<RootStatement> = published.iter().map(|p| p.statement.clone()).collect();
    let mut found: Vec<RootFinding> = sequence_breaks(&statements)
        .into_iter()
        .map(|seq| RootFinding::BrokenSequence { seq })
        .collect();
    let mut leaves: BTreeMap<String, Anchor> = BTreeMap::new();
    let mut matched: BTreeMap<String, NaiveDate> = BTreeMap::new();
    // Files found rewritten: their last match stays the one before the first disagreement.
    let mut first_broken: BTreeMap<String, Option<NaiveDate>> = BTreeMap::new();
    for p in published {
        let s = &p.statement;
        if !verifies(p) {
            found.push(RootFinding::BadSignature { seq: s.seq });
        } else if trusted.is_some_and(|keys| !keys.contains(&p.public_key)) {
            found.push(RootFinding::ForeignKey {
                seq: s.seq,
                public_key: p.public_key.clone(),
            });
        }
        for h in kept.iter().filter(|h| h.seq as u64 == s.seq) {
            leaves.insert(
                h.file_id.clone(),
                Anchor {
                    length: h.length as u64,
                    head: hash(&h.head),
                },
            );
        }
        let tree: Vec<FileHead> = leaves
            .iter()
            .map(|(file, anchor)| FileHead {
                file: FileId(file.clone()),
                anchor: *anchor,
            })
            .collect();
        if root(&sorted_heads(tree)) != s.root {
            found.push(RootFinding::HeadsAltered { seq: s.seq });
        }
        for (file, anchor) in &leaves {
            let chain = now.get(file.as_str()).map(Vec::as_slice).unwrap_or(&[]);
            let upto = chain.iter().take_while(|(seq, _)| *seq <= s.feed_seq);
            let (length, head) = upto.fold((0u64, ChainHash::GENESIS), |(n, _), c| (n + 1, c.1));
            if length == anchor.length && head == anchor.head {
                matched.insert(file.clone(), s.day);
            } else {
                let last_matched = matched.get(file).copied();
                first_broken.entry(file.clone()).or_insert(last_matched);
                found.push(RootFinding::Rewritten {
                    file: file.clone(),
                    seq: s.seq,
                    day: s.day,
                    last_matched,
                });
            }
        }
    }
    let mut last = matched;
    for (file, before) in first_broken {
        match before {
            Some(day) => last.insert(file, day),
            None => last.remove(&file),
        };
    }
    (found, last)
}

pub(super) fn statement_of(r: &RootRow) -> RootStatement {
    RootStatement {
        seq: r.seq as u64,
        day: NaiveDate::parse_from_str(&r.day, "%Y-%m-%d").unwrap_or_default(),
        feed_seq: r.feed_seq as u64,
        files: r.files as u64,
        root: hash(&r.root),
        previous: hash(&r.previous),
    }
}

/// Publishes the day's statement when the day (China time) has none yet, checking every
/// `period`. Another instance that got there first leaves nothing to do (`publish_root_if_due`
/// decides under the lock every publisher takes).
pub async fn publish_roots_daily(
    db: std::sync::Arc<Db>,
    key: ChainKey,
    period: std::time::Duration,
) {
    let mut ticks = tokio::time::interval(period);
    loop {
        ticks.tick().await;
        let today = xiafang_core::case::china_date(Utc::now());
        match db.publish_root_if_due(&key, today).await {
            Ok(None) => {}
            Ok(Some(s)) => tracing::info!(
                seq = s.seq,
                files = s.files,
                "published the day's chain statement"
            ),
            // The next round tries again; the chains themselves are stored with every record.
            Err(cause) => tracing::warn!(%cause, "chain statement not published"),
        }
    }
}

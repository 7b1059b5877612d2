//! What phones need to check their copies against the chains (issue 19, `core::held_chain`):
//! the heads of the files an account reads, one file's chain as stored now with the latest
//! signed statement's proof for it, and the reports phones send back when something differs.

use super::files::{FILE_PLACES, readable_for, reads_jurisdiction};
use super::roots::{RootRow, statement_of};
use super::{Db, DbError, Result, parse, to_json};
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;
use xiafang_core::account::Account;
use xiafang_core::canonical::canonical_json;
use xiafang_core::chain::{Anchor, ChainHash, FileHead, audit_path, sorted_heads};
use xiafang_core::chain_check::{ChainReport, ReceivedReport, StatementProof};
use xiafang_core::held_chain::{StatedLink, content_hash};
use xiafang_core::roots::SignatureAlgorithm;
use xiafang_core::{FileId, RecordId, UserId};

fn hash(hex: Option<&str>) -> ChainHash {
    // A missing or unreadable stored link is stated as one that matches nothing.
    hex.and_then(ChainHash::from_hex)
        .unwrap_or(ChainHash([0xff; 32]))
}

#[derive(sqlx::FromRow)]
struct HeadRow {
    file_id: String,
    length: i64,
    chain_hash: Option<String>,
}

#[derive(sqlx::FromRow)]
struct LinkRow {
    id: String,
    body: String,
    chain_hash: Option<String>,
}

#[derive(sqlx::FromRow)]
struct ReportRow {
    account_id: String,
    received_at: String,
    report: String,
}

/// Whether a stored report with this id is the same report (a repeat) or another one.
pub enum Kept {
    New,
    Repeat,
    /// The id is taken by another account's or another file's report.
    Taken,
}

impl Db {
    /// The stored head (length, last link) of every file `account` reads that has records. Each
    /// file's count and last link are read through the index of its records in feed order, file
    /// by file, so the reads cost the account's own files' records, never the deployment's.
    pub async fn chain_heads(&self, account: &Account) -> Result<Vec<FileHead>> {
        let rows: Vec<HeadRow> = sqlx::query_as(&format!(
            "SELECT mine.id AS file_id, \
             (SELECT COUNT(*) FROM records c WHERE c.file_id = mine.id) AS length, \
             (SELECT r.chain_hash FROM records r WHERE r.file_id = mine.id \
              ORDER BY r.feed_seq DESC LIMIT 1) AS chain_hash \
             FROM (SELECT f.id FROM {FILE_PLACES} WHERE {}) mine \
             WHERE EXISTS (SELECT 1 FROM records e WHERE e.file_id = mine.id) ORDER BY mine.id",
            readable_for(account)
        ))
        .bind(&account.id.0)
        .bind(reads_jurisdiction(account))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| FileHead {
                file: FileId(r.file_id),
                anchor: Anchor {
                    length: r.length as u64,
                    head: hash(r.chain_hash.as_deref()),
                },
            })
            .collect())
    }

    /// The file's records in chain order: each id with its stored link and the hash of its
    /// content as stored now (so a row changed without its link is named too).
    pub async fn file_chain(&self, file: &FileId) -> Result<Vec<StatedLink>> {
        let rows: Vec<LinkRow> = sqlx::query_as(
            "SELECT id, body, chain_hash FROM records WHERE file_id = $1 ORDER BY feed_seq",
        )
        .bind(&file.0)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|r| {
                let bytes = serde_json::from_str(&r.body)
                    .map(|v| canonical_json(&v))
                    .unwrap_or_else(|_| r.body.into_bytes());
                Ok(StatedLink {
                    id: r
                        .id
                        .parse::<RecordId>()
                        .map_err(|_| DbError::Integrity(format!("file {}: a record id", file.0)))?,
                    link: hash(r.chain_hash.as_deref()),
                    content: content_hash(&bytes),
                })
            })
            .collect()
    }

    /// The latest signed statement if it is newer than `since` and covers `file`, with the
    /// file's leaf and audit path in it.
    pub async fn statement_proof(
        &self,
        file: &FileId,
        since: u64,
    ) -> Result<Option<StatementProof>> {
        let latest: Option<RootRow> =
            sqlx::query_as("SELECT * FROM chain_roots ORDER BY seq DESC LIMIT 1")
                .fetch_optional(&self.pool)
                .await?;
        let Some(s) = latest.filter(|s| s.seq as u64 > since) else {
            return Ok(None);
        };
        // The statement's leaves: each file's latest head kept at or before it.
        let kept: Vec<(String, i64, String)> = sqlx::query_as(
            "SELECT file_id, length, head FROM chain_root_heads WHERE seq <= $1 ORDER BY seq",
        )
        .bind(s.seq)
        .fetch_all(&self.pool)
        .await?;
        let mut leaves: BTreeMap<String, Anchor> = BTreeMap::new();
        for (f, length, head) in kept {
            leaves.insert(
                f,
                Anchor {
                    length: length as u64,
                    head: hash(Some(&head)),
                },
            );
        }
        let heads = sorted_heads(
            leaves
                .into_iter()
                .map(|(f, anchor)| FileHead {
                    file: FileId(f),
                    anchor,
                })
                .collect(),
        );
        let Some(index) = heads.iter().position(|h| h.file == *file) else {
            return Ok(None);
        };
        let statement = statement_of(&s);
        Ok(Some(StatementProof {
            statement,
            algorithm: SignatureAlgorithm::from_key(&s.algorithm).unwrap_or_default(),
            public_key: s.public_key,
            signature: s.signature,
            head: heads[index].clone(),
            index: index as u64,
            path: audit_path(&heads, index),
        }))
    }

    /// Keeps a phone's report once (the phone retries it until it hears back).
    pub async fn keep_chain_report(&self, account: &UserId, report: &ChainReport) -> Result<Kept> {
        let _turn = self.write_turn().await;
        let id = report.id.to_string();
        let inserted = sqlx::query(
            "INSERT INTO chain_reports (id, file_id, account_id, received_at, report) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING",
        )
        .bind(&id)
        .bind(&report.file.0)
        .bind(&account.0)
        .bind(Utc::now().to_rfc3339())
        .bind(to_json(report))
        .execute(&self.pool)
        .await?
        .rows_affected();
        if inserted == 1 {
            return Ok(Kept::New);
        }
        let (file, by): (String, String) =
            sqlx::query_as("SELECT file_id, account_id FROM chain_reports WHERE id = $1")
                .bind(&id)
                .fetch_one(&self.pool)
                .await?;
        Ok(if file == report.file.0 && by == account.0 {
            Kept::Repeat
        } else {
            Kept::Taken
        })
    }

    /// The reports phones sent about `file`, newest first.
    pub async fn chain_reports(&self, file: &FileId) -> Result<Vec<ReceivedReport>> {
        let rows: Vec<ReportRow> = sqlx::query_as(
            "SELECT account_id, received_at, report FROM chain_reports WHERE file_id = $1 \
             ORDER BY received_at DESC, id",
        )
        .bind(&file.0)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|r| {
                Ok(ReceivedReport {
                    report: parse(&r.report, "chain_reports")?,
                    account: UserId(r.account_id),
                    received_at: DateTime::parse_from_rfc3339(&r.received_at)
                        .map(|t| t.with_timezone(&Utc))
                        .map_err(|_| DbError::Integrity("a report's time".into()))?,
                })
            })
            .collect()
    }
}

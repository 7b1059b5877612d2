//! `verify` over the whole database (issue 19): every record chain and every signed statement
//! checked in one read of the records, as the typed report the admin screen and the command line
//! render (`xiafang_core::verify`).

use super::chain::{LINKS, LinkRow, canonical_of, chain_breaks};
use super::roots::root_findings;
use super::{Db, DbError, Result, RootFinding};
use chrono::NaiveDate;
use std::collections::{HashMap, HashSet};
use xiafang_core::FileId;
use xiafang_core::account::Account;
use xiafang_core::chain::{ChainHash, link_canonical};
use xiafang_core::verify::{Finding, VerifyReport};

impl Db {
    /// Checks every chain and statement. With `reader`, findings about files that account may
    /// not read are only counted (`elsewhere`); without, everything is named (the operator's
    /// command line). With `trusted`, the public keys the deployment signs with or did
    /// (`chain_key::trusted_public_keys`), a statement signed by any other is named.
    pub async fn verify_report(
        &self,
        reader: Option<&Account>,
        trusted: Option<&[String]>,
    ) -> Result<VerifyReport> {
        let trusted = trusted.map(<[String]>::to_vec);
        // Statements first: every record one covers is then among the rows read after.
        let (published, kept) = self.statements_and_heads().await?;
        let rows: Vec<LinkRow> = sqlx::query_as(LINKS).fetch_all(&self.pool).await?;
        let may_read = match reader {
            Some(account) => Some(
                self.readable_file_ids(account)
                    .await?
                    .into_iter()
                    .collect::<HashSet<String>>(),
            ),
            None => None,
        };
        // A county's records hash in under a second, but not on the threads serving requests.
        let mut report = tokio::task::spawn_blocking(move || {
            let canonical: Vec<Vec<u8>> = rows.iter().map(|r| canonical_of(&r.body)).collect();
            let chains = chain_breaks(&rows, &canonical);
            let (roots, last_matched) =
                root_findings(&published, &kept, &rows, &canonical, trusted.as_deref());
            let by_id: HashMap<&str, &LinkRow> = rows.iter().map(|r| (r.id.as_str(), r)).collect();
            let mut findings: Vec<Finding> = roots.into_iter().map(finding_of).collect();
            findings.extend(chains.into_iter().map(|c| {
                let row = by_id.get(c.record.as_str());
                Finding::Record {
                    last_matched: last_matched.get(&c.file).copied(),
                    file: FileId(c.file),
                    position: c.position,
                    kind: row.map(|r| r.kind.clone()).unwrap_or_default(),
                    occurred_on: row.and_then(|r| day_of(&r.occurred_at)),
                    record: c.record,
                }
            }));
            VerifyReport {
                chains: rows.chunk_by(|a, b| a.file_id == b.file_id).count() as u64,
                records: rows.len() as u64,
                statements: published.len() as u64,
                findings,
                elsewhere: 0,
            }
        })
        .await
        .map_err(|e| DbError::Integrity(format!("verification stopped: {e}")))?;
        if let Some(ids) = may_read {
            let before = report.findings.len();
            report
                .findings
                .retain(|f| f.file().is_none_or(|file| ids.contains(&file.0)));
            report.elsewhere = (before - report.findings.len()) as u64;
        }
        Ok(report)
    }

    /// Every link of every file's chain recomputed from the records as they are now: a printed
    /// hash among them proves its record and all before it in the file unchanged.
    pub async fn links_now(&self) -> Result<HashSet<ChainHash>> {
        let rows: Vec<LinkRow> = sqlx::query_as(LINKS).fetch_all(&self.pool).await?;
        tokio::task::spawn_blocking(move || {
            let mut links = HashSet::with_capacity(rows.len());
            for file_rows in rows.chunk_by(|a, b| a.file_id == b.file_id) {
                let mut prev = ChainHash::GENESIS;
                for row in file_rows {
                    prev = link_canonical(&prev, &canonical_of(&row.body));
                    links.insert(prev);
                }
            }
            links
        })
        .await
        .map_err(|e| DbError::Integrity(format!("verification stopped: {e}")))
    }
}

fn finding_of(found: RootFinding) -> Finding {
    match found {
        RootFinding::BadSignature { seq } => Finding::BadSignature { seq },
        RootFinding::BrokenSequence { seq } => Finding::BrokenSequence { seq },
        RootFinding::HeadsAltered { seq } => Finding::HeadsAltered { seq },
        RootFinding::ForeignKey { seq, public_key } => Finding::ForeignKey { seq, public_key },
        RootFinding::Rewritten {
            file,
            seq,
            day,
            last_matched,
        } => Finding::FileRewritten {
            file: FileId(file),
            seq,
            day,
            last_matched,
        },
    }
}

/// The day of a stored `occurred_at` (`YYYY-MM-DDTHH:MM:SS`), if it reads as one.
fn day_of(at: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(at.get(..10)?, "%Y-%m-%d").ok()
}

//! A ledger that can be checked after it was printed (issue 19). Each row carries the chain hash
//! of what it was made from — the record's own link, or for a row about a whole file (案件台账,
//! 交办台账) the file's head, the link of its last record — and the ledger ends with the latest
//! signed statement it was produced under (number, day, root, algorithm, signature, public key).
//!
//! A link covers its record and every record before it in the file, so a printed hash that is
//! still among the links recomputed from the records as they are now proves that this record and
//! all before it are unchanged; the full 64 hex digits are printed because a shortened hash
//! could be matched by a forged record made to fit it. The statement's signature is checked with
//! its public key alone (`RootStatement::statement_bytes`).

use crate::base::lang::Lang;
use crate::folds::chain::ChainHash;
use crate::folds::roots::{RootStatement, SignatureAlgorithm, SignedStatement};
pub use crate::reports::ledgers::RowSource;
use crate::reports::ledgers::{Cell, Ledger};
use chrono::NaiveDate;
use std::collections::HashSet;

/// The hash column's header.
pub const HASH_HEADER: &str = "链哈希（SHA-256）";

// The footer's lines, one label and one value each, in this order.
const TITLE: &str = "签名根（用于日后核验本台账）";
const SEQ: &str = "签名根序号";
const DAY: &str = "签名日期";
const FEED: &str = "覆盖至变更序号";
const FILES: &str = "覆盖档案数";
const ROOT: &str = "根哈希";
const PREVIOUS: &str = "前一份签名根哈希";
const ALGORITHM: &str = "签名算法";
const SIGNATURE: &str = "签名";
const PUBLIC_KEY: &str = "公钥";
const NONE_YET: &str = "尚未签发签名根";

impl Ledger {
    /// The ledger with the hash column (`link` of each row's source) and the footer naming
    /// `statement`, the latest signed statement when it was produced.
    pub fn with_chain(
        mut self,
        link: impl Fn(&RowSource) -> Option<ChainHash>,
        statement: Option<&SignedStatement>,
    ) -> Ledger {
        self.headers.push(HASH_HEADER);
        for (row, source) in self.rows.iter_mut().zip(&self.sources) {
            row.push(link(source).map_or(Cell::Empty, |h| Cell::Text(h.to_hex())));
        }
        let line = |label: &str, value: String| vec![Cell::text(label), Cell::Text(value)];
        self.footer = match statement {
            None => vec![vec![Cell::text(TITLE), Cell::text(NONE_YET)]],
            Some(signed) => {
                let s = &signed.statement;
                vec![
                    vec![Cell::text(TITLE)],
                    line(SEQ, s.seq.to_string()),
                    line(DAY, s.day.to_string()),
                    line(FEED, s.feed_seq.to_string()),
                    line(FILES, s.files.to_string()),
                    line(ROOT, s.root.to_hex()),
                    line(PREVIOUS, s.previous.to_hex()),
                    line(ALGORITHM, signed.algorithm.key().to_owned()),
                    line(SIGNATURE, signed.signature.clone()),
                    line(PUBLIC_KEY, signed.public_key.clone()),
                ]
            }
        };
        self
    }
}

/// A printed ledger as read back: each row's hash and the statement it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintedLedger {
    /// (line of the sheet, from 1 for the header row; the hash, if it reads as one).
    pub rows: Vec<(usize, Option<ChainHash>)>,
    pub statement: Option<SignedStatement>,
}

/// Why a file cannot be read as a ledger with hashes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PrintedError {
    #[error("没有“{HASH_HEADER}”一列：这不是带链哈希的台账")]
    NoHashColumn,
    #[error("签名根一栏不完整或无法读取：{0}")]
    Statement(&'static str),
}

/// Reads a ledger from its cells as text, row by row (from CSV or a workbook's sheet).
pub fn read_grid(grid: &[Vec<String>]) -> Result<PrintedLedger, PrintedError> {
    let header = grid.first().ok_or(PrintedError::NoHashColumn)?;
    let col = header
        .iter()
        .position(|h| h.trim() == HASH_HEADER)
        .ok_or(PrintedError::NoHashColumn)?;
    let mut rows = Vec::new();
    let mut footer = None;
    for (i, row) in grid.iter().enumerate().skip(1) {
        if row.iter().all(|c| c.trim().is_empty()) {
            footer = Some(i + 1);
            break;
        }
        let hash = row.get(col).and_then(|c| ChainHash::from_hex(c.trim()));
        rows.push((i + 1, hash));
    }
    let statement = match footer {
        Some(start) => read_statement(&grid[start..])?,
        None => None,
    };
    Ok(PrintedLedger { rows, statement })
}

fn read_statement(lines: &[Vec<String>]) -> Result<Option<SignedStatement>, PrintedError> {
    let value = |label: &str| {
        lines
            .iter()
            .find(|l| l.first().is_some_and(|c| c.trim() == label))
            .and_then(|l| l.get(1))
            .map(|v| v.trim().to_owned())
    };
    if lines
        .iter()
        .any(|l| l.get(1).is_some_and(|v| v.trim() == NONE_YET))
    {
        return Ok(None);
    }
    let Some(seq) = value(SEQ) else {
        return Ok(None);
    };
    let bad = PrintedError::Statement;
    let number = |label: &'static str| {
        value(label)
            .and_then(|v| v.parse::<u64>().ok())
            .ok_or(bad(label))
    };
    let hash = |label: &'static str| {
        value(label)
            .and_then(|v| ChainHash::from_hex(&v))
            .ok_or(bad(label))
    };
    let statement = RootStatement {
        seq: seq.parse().map_err(|_| bad(SEQ))?,
        day: value(DAY)
            .and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok())
            .ok_or(bad(DAY))?,
        feed_seq: number(FEED)?,
        files: number(FILES)?,
        root: hash(ROOT)?,
        previous: hash(PREVIOUS)?,
    };
    Ok(Some(SignedStatement {
        statement,
        algorithm: value(ALGORITHM)
            .and_then(|a| SignatureAlgorithm::from_key(&a))
            .ok_or(bad(ALGORITHM))?,
        signature: value(SIGNATURE).ok_or(bad(SIGNATURE))?,
        public_key: value(PUBLIC_KEY).ok_or(bad(PUBLIC_KEY))?,
    }))
}

/// A CSV file's cells (RFC 4180: quoted cells, doubled quotes, CRLF or LF), a leading byte-order
/// mark dropped. A cell the export guarded against formulas keeps its leading `'`.
pub fn csv_grid(text: &str) -> Vec<Vec<String>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut grid = Vec::new();
    let (mut row, mut cell) = (Vec::new(), String::new());
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => cell.push(c),
            (false, '"') if cell.is_empty() => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut cell)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut cell));
                grid.push(std::mem::take(&mut row));
            }
            (false, c) => cell.push(c),
        }
    }
    if !cell.is_empty() || !row.is_empty() {
        row.push(cell);
        grid.push(row);
    }
    grid
}

/// Where a printed ledger's statement stands against the server's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StatementCheck {
    /// The ledger names no statement (none was published when it was made).
    NoneNamed,
    /// Its signature does not verify with the public key it prints: the footer was altered.
    BadSignature,
    /// Correctly signed, but by a key that is not this deployment's.
    ForeignKey,
    /// Correctly signed by this deployment's key, but the server no longer keeps it as
    /// published: the statements were rewritten.
    NotPublished { seq: u64 },
    /// A published, correctly signed statement.
    Published { seq: u64, day: NaiveDate },
}

/// What checking a printed ledger found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerCheck {
    pub rows: usize,
    /// Lines of the sheet whose hash is no longer in any chain (or is unreadable).
    pub changed: Vec<usize>,
    pub statement: StatementCheck,
}

impl LedgerCheck {
    /// Every row still in the chains and the statement published and correctly signed.
    pub fn consistent(&self) -> bool {
        self.changed.is_empty()
            && matches!(
                self.statement,
                StatementCheck::Published { .. } | StatementCheck::NoneNamed
            )
    }

    /// The result in words, one line each.
    pub fn lines(&self, lang: Lang) -> Vec<String> {
        let zh = lang == Lang::Zh;
        let mut out: Vec<String> = self
            .changed
            .iter()
            .map(|line| match zh {
                true => format!("第 {line} 行：链哈希已不在数据库的记录链中，该行依据的记录此后被改动、删除或调换"),
                false => format!("Line {line}: its hash is no longer in the record chains; the records it rests on were changed, removed or moved since"),
            })
            .collect();
        out.push(match (&self.statement, zh) {
            (StatementCheck::NoneNamed, true) => "台账未载明签名根（制表时尚未签发）".into(),
            (StatementCheck::NoneNamed, false) => "The ledger names no signed statement (none had been published)".into(),
            (StatementCheck::BadSignature, true) => "台账所载签名根的签名无效：签名根一栏被改动".into(),
            (StatementCheck::BadSignature, false) => "The statement's signature does not verify: the footer was altered".into(),
            (StatementCheck::ForeignKey, true) => "台账所载签名根不是本系统的密钥签发的".into(),
            (StatementCheck::ForeignKey, false) => "The statement was not signed by this deployment's key".into(),
            (StatementCheck::NotPublished { seq }, true) => format!("第 {seq} 份签名根签名有效，但数据库中已没有这份签名根：签名根记录被改动"),
            (StatementCheck::NotPublished { seq }, false) => format!("Statement {seq} is correctly signed but the database no longer keeps it: the statements were altered"),
            (StatementCheck::Published { seq, day }, true) => format!("签名根：{day} 第 {seq} 份，签名有效，且在数据库中"),
            (StatementCheck::Published { seq, day }, false) => format!("Statement {seq} of {day}: correctly signed and published"),
        });
        let total = self.rows;
        out.push(match (self.consistent(), zh) {
            (true, true) => format!("台账与数据库一致：{total} 行的链哈希均仍在记录链中"),
            (true, false) => format!("The ledger agrees with the database: all {total} rows' hashes are still in the chains"),
            (false, true) => format!("台账与数据库不一致：{total} 行中 {} 行不符", self.changed.len()),
            (false, false) => format!("The ledger does not agree with the database: {} of {total} rows differ", self.changed.len()),
        });
        out
    }
}

/// Checks `printed` against the links recomputed from the records as they are now, the
/// statements the server keeps, this deployment's public keys, and `verifies`, the signature
/// check of a statement with its own public key.
pub fn check(
    printed: &PrintedLedger,
    links_now: &HashSet<ChainHash>,
    published: &[SignedStatement],
    own_keys: &[String],
    verifies: impl Fn(&SignedStatement) -> bool,
) -> LedgerCheck {
    let changed = printed
        .rows
        .iter()
        .filter(|(_, hash)| hash.is_none_or(|h| !links_now.contains(&h)))
        .map(|(line, _)| *line)
        .collect();
    let statement = match &printed.statement {
        None => StatementCheck::NoneNamed,
        Some(s) if !verifies(s) => StatementCheck::BadSignature,
        Some(s)
            if !own_keys
                .iter()
                .any(|k| k.eq_ignore_ascii_case(&s.public_key)) =>
        {
            StatementCheck::ForeignKey
        }
        Some(s) if !published.contains(s) => StatementCheck::NotPublished {
            seq: s.statement.seq,
        },
        Some(s) => StatementCheck::Published {
            seq: s.statement.seq,
            day: s.statement.day,
        },
    };
    LedgerCheck {
        rows: printed.rows.len(),
        changed,
        statement,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::ids::{FileId, RecordId};
    use crate::reports::ledgers::LedgerKind;

    fn statement() -> SignedStatement {
        SignedStatement {
            statement: RootStatement {
                seq: 3,
                day: NaiveDate::from_ymd_opt(2026, 11, 21).unwrap(),
                feed_seq: 40,
                files: 2,
                root: ChainHash([7; 32]),
                previous: ChainHash([8; 32]),
            },
            algorithm: SignatureAlgorithm::Ed25519,
            public_key: "ab".repeat(32),
            signature: "cd".repeat(64),
        }
    }

    #[test]
    fn a_ledger_with_hashes_reads_back_from_its_csv_with_the_statement_it_names() {
        let one = RecordId::new_random();
        let ledger = Ledger {
            kind: LedgerKind::Visits,
            headers: vec!["信访人", "内容"],
            rows: vec![
                vec![Cell::text("郭先生"), Cell::text("说，\"再议\"\n下周")],
                vec![Cell::text("黄老伯"), Cell::text("-1")],
            ],
            sources: vec![RowSource::Record(one), RowSource::File(FileId::from("f1"))],
            footer: vec![],
        }
        .with_chain(
            |s| match s {
                RowSource::Record(id) if *id == one => Some(ChainHash([1; 32])),
                _ => Some(ChainHash([2; 32])),
            },
            Some(&statement()),
        );
        let printed = read_grid(&csv_grid(&ledger.csv())).expect("reads");
        assert_eq!(
            printed.rows,
            vec![(2, Some(ChainHash([1; 32]))), (3, Some(ChainHash([2; 32])))]
        );
        assert_eq!(printed.statement, Some(statement()));

        let links: HashSet<ChainHash> = [ChainHash([1; 32])].into();
        let keys = ["AB".repeat(32)];
        let found = check(&printed, &links, &[statement()], &keys, |_| true);
        assert_eq!(found.changed, vec![3]);
        assert_eq!(
            found.statement,
            StatementCheck::Published {
                seq: 3,
                day: NaiveDate::from_ymd_opt(2026, 11, 21).unwrap()
            }
        );
        assert!(!found.consistent());
        assert_eq!(
            check(&printed, &links, &[], &keys, |_| true).statement,
            StatementCheck::NotPublished { seq: 3 }
        );
        assert_eq!(
            check(&printed, &links, &[statement()], &keys, |_| false).statement,
            StatementCheck::BadSignature
        );
        assert_eq!(
            check(&printed, &links, &[statement()], &[], |_| true).statement,
            StatementCheck::ForeignKey
        );
    }
}

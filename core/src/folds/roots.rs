//! The server's daily statement over every file's chain (issue 19): the Merkle root of the
//! files' heads (`chain::root`) as of a feed position, numbered, and naming the statement
//! before it, so a removed or replaced statement breaks the sequence. The server signs
//! `statement_bytes` with a key kept outside the database (Ed25519); anyone holding the public
//! key checks a statement with these bytes and no Xiafang code.

use crate::base::dates::Day;
use crate::folds::chain::ChainHash;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RootStatement {
    /// 1, 2, 3, … without gaps.
    pub seq: u64,
    /// The day (China time) it was published on.
    #[serde(deserialize_with = "crate::base::dates::wire::naive_date")]
    pub day: NaiveDate,
    /// It covers every record stored at or before this feed position.
    pub feed_seq: u64,
    /// How many files' heads it covers.
    pub files: u64,
    pub root: ChainHash,
    /// `statement_hash` of the statement before it; zeros for the first.
    pub previous: ChainHash,
}

impl RootStatement {
    /// What is signed: one field per line, in this order, each line ending in `\n`:
    /// `xiafang-root-v1`, seq, day (YYYY-MM-DD), feed position, files, root (hex), previous (hex).
    pub fn statement_bytes(&self) -> Vec<u8> {
        format!(
            "xiafang-root-v1\n{}\n{}\n{}\n{}\n{}\n{}\n",
            self.seq,
            Day(self.day),
            self.feed_seq,
            self.files,
            self.root.to_hex(),
            self.previous.to_hex()
        )
        .into_bytes()
    }

    /// What the next statement names as `previous`.
    pub fn statement_hash(&self) -> ChainHash {
        ChainHash(Sha256::digest(self.statement_bytes()).into())
    }
}

/// Where a sequence of statements, as kept, is broken: each statement must follow the one
/// before it (the next number, naming its hash). Returns the numbers of those that do not.
pub fn sequence_breaks(statements: &[RootStatement]) -> Vec<u64> {
    let mut broken = Vec::new();
    let mut expected = (1u64, ChainHash::GENESIS);
    for s in statements {
        if (s.seq, s.previous) != expected {
            broken.push(s.seq);
        }
        expected = (s.seq + 1, s.statement_hash());
    }
    broken
}

/// Which signature scheme signed a statement: the deployment's choice (`--chain-signature`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SignatureAlgorithm {
    /// Ed25519 (RFC 8032): the public key and signature as 64 and 128 hex digits.
    #[default]
    Ed25519,
    /// SM2 (GB/T 32918.2) with SM3 and the default distinguishing ID `1234567812345678`: the
    /// public key as the uncompressed SEC1 point (130 hex digits), the signature as r ‖ s
    /// (128 hex digits).
    Sm2,
}

impl SignatureAlgorithm {
    /// Its name as stored and printed.
    pub fn key(self) -> &'static str {
        match self {
            SignatureAlgorithm::Ed25519 => "ed25519",
            SignatureAlgorithm::Sm2 => "sm2",
        }
    }

    pub fn from_key(key: &str) -> Option<SignatureAlgorithm> {
        match key.trim().to_ascii_lowercase().as_str() {
            "ed25519" => Some(SignatureAlgorithm::Ed25519),
            "sm2" => Some(SignatureAlgorithm::Sm2),
            _ => None,
        }
    }
}

/// A statement as published: signed with `algorithm` by the key whose public half is
/// `public_key` (hex), `signature` (hex) over `statement.statement_bytes()`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedStatement {
    pub statement: RootStatement,
    #[serde(default)]
    pub algorithm: SignatureAlgorithm,
    pub public_key: String,
    pub signature: String,
}

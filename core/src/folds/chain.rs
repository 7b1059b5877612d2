//! A file's records as a hash chain, in the order the server stored them (issue 19): each
//! link is `SHA-256("xiafang-chain-v1" 0x00 ‖ previous ‖ canonical(record))`, starting from
//! 32 zero bytes. Corrections and voids are links like any record. Whoever holds a file's
//! records, the hashes stored beside them and one hash the chain once passed through (an
//! `Anchor`: from a signed daily root, or kept by a phone) can tell whether anything was
//! changed, removed, inserted or moved since — the database's administrator included, who can
//! recompute every stored hash but not the anchors held elsewhere.
//!
//! The daily root over all chains is an RFC 6962 Merkle tree (`root`, `audit_path`,
//! `included`): leaves are the files' heads sorted by file id, so a phone checks its file's
//! head against a signed root with a logarithmic proof and no other file's data.

use crate::base::ids::FileId;
use crate::records::canonical::canonical;
use crate::records::record::Record;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

const LINK_DOMAIN: &[u8] = b"xiafang-chain-v1";

/// A SHA-256 hash of the chain or the root tree, written as 64 lowercase hex digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ChainHash(pub [u8; 32]);

impl ChainHash {
    /// Where every chain starts.
    pub const GENESIS: ChainHash = ChainHash([0; 32]);

    pub fn to_hex(&self) -> String {
        self.0.iter().map(|b| format!("{b:02x}")).collect()
    }

    pub fn from_hex(hex: &str) -> Option<ChainHash> {
        if hex.len() != 64 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let mut out = [0u8; 32];
        for (i, byte) in out.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).ok()?;
        }
        Some(ChainHash(out))
    }
}

impl Serialize for ChainHash {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_hex())
    }
}

impl<'de> Deserialize<'de> for ChainHash {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        ChainHash::from_hex(&text).ok_or_else(|| serde::de::Error::custom("not a SHA-256 in hex"))
    }
}

/// The link after `prev` for `record`.
pub fn link(prev: &ChainHash, record: &Record) -> ChainHash {
    link_canonical(prev, &canonical(record))
}

/// The link after `prev` for a record whose canonical bytes are `canonical`.
pub fn link_canonical(prev: &ChainHash, canonical: &[u8]) -> ChainHash {
    let mut h = Sha256::new();
    h.update(LINK_DOMAIN);
    h.update([0u8]);
    h.update(prev.0);
    h.update(canonical);
    ChainHash(h.finalize().into())
}

/// The hash after each of `records`, taken in the order given (the server's stored order).
pub fn chain<'a>(records: impl IntoIterator<Item = &'a Record>) -> Vec<ChainHash> {
    let mut prev = ChainHash::GENESIS;
    records
        .into_iter()
        .map(|r| {
            prev = link(&prev, r);
            prev
        })
        .collect()
}

/// A point the chain once passed: after its first `length` records its hash was `head`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Anchor {
    pub length: u64,
    pub head: ChainHash,
}

/// What `verify` found wrong with a chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Break {
    /// The record at `position` (from 0) no longer gives the hash stored beside it: it was
    /// changed, or a record before it was inserted, removed or moved, so its stored hash was
    /// made after another predecessor.
    Mismatch { position: u64 },
    /// The chain has fewer records than it had when `anchor` was taken: its end was removed.
    Shortened { anchor: Anchor, now: u64 },
    /// The chain passes `anchor`'s length with another hash although every stored hash agrees:
    /// the records before it were rewritten and their hashes recomputed to hide it.
    Rewritten { anchor: Anchor },
}

/// Checks a chain as stored (each record with the hash stored beside it, in stored order)
/// against itself and against each anchor. Empty when nothing is wrong.
pub fn verify(stored: &[(Record, ChainHash)], anchors: &[Anchor]) -> Vec<Break> {
    let canonical: Vec<(Vec<u8>, ChainHash)> =
        stored.iter().map(|(r, h)| (canonical(r), *h)).collect();
    verify_canonical(&canonical, anchors)
}

/// `verify` over records given by their canonical bytes. Each record is checked against the
/// link stored before it, so a change names that record alone, and a removal or insertion the
/// record after the gap; the anchors are checked against the chain recomputed from the start.
pub fn verify_canonical(stored: &[(Vec<u8>, ChainHash)], anchors: &[Anchor]) -> Vec<Break> {
    let mut found = Vec::new();
    let mut recomputed = Vec::with_capacity(stored.len());
    let (mut stored_prev, mut made_prev) = (ChainHash::GENESIS, ChainHash::GENESIS);
    for (i, (bytes, kept)) in stored.iter().enumerate() {
        if link_canonical(&stored_prev, bytes) != *kept {
            found.push(Break::Mismatch { position: i as u64 });
        }
        made_prev = link_canonical(&made_prev, bytes);
        recomputed.push(made_prev);
        stored_prev = *kept;
    }
    for anchor in anchors {
        let now = recomputed.len() as u64;
        let at = match anchor.length {
            0 => Some(ChainHash::GENESIS),
            n => recomputed.get(n as usize - 1).copied(),
        };
        match at {
            None => found.push(Break::Shortened {
                anchor: *anchor,
                now,
            }),
            Some(head) if head != anchor.head => found.push(Break::Rewritten { anchor: *anchor }),
            Some(_) => {}
        }
    }
    found
}

/// One leaf of the daily root: a file's chain as it stood.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileHead {
    pub file: FileId,
    pub anchor: Anchor,
}

/// `SHA-256(0x00 ‖ len(file id) as u32 BE ‖ file id ‖ length as u64 BE ‖ head)`.
fn leaf_hash(head: &FileHead) -> ChainHash {
    let id = head.file.0.as_bytes();
    let mut h = Sha256::new();
    h.update([0u8]);
    h.update((id.len() as u32).to_be_bytes());
    h.update(id);
    h.update(head.anchor.length.to_be_bytes());
    h.update(head.anchor.head.0);
    ChainHash(h.finalize().into())
}

fn node_hash(left: &ChainHash, right: &ChainHash) -> ChainHash {
    let mut h = Sha256::new();
    h.update([1u8]);
    h.update(left.0);
    h.update(right.0);
    ChainHash(h.finalize().into())
}

/// The largest power of two below `n` (n ≥ 2): where RFC 6962 splits a tree.
fn split(n: usize) -> usize {
    let mut k = 1;
    while k * 2 < n {
        k *= 2;
    }
    k
}

fn tree(leaves: &[ChainHash]) -> ChainHash {
    match leaves {
        [] => ChainHash(Sha256::digest(b"").into()),
        [one] => *one,
        _ => {
            let k = split(leaves.len());
            node_hash(&tree(&leaves[..k]), &tree(&leaves[k..]))
        }
    }
}

/// The heads in the root's order: by file id, one per file.
pub fn sorted_heads(mut heads: Vec<FileHead>) -> Vec<FileHead> {
    heads.sort_by(|a, b| a.file.0.cmp(&b.file.0));
    heads.dedup_by(|a, b| a.file == b.file);
    heads
}

/// The Merkle root (RFC 6962 §2.1) over `heads`, which must be in `sorted_heads` order.
pub fn root(heads: &[FileHead]) -> ChainHash {
    tree(&heads.iter().map(leaf_hash).collect::<Vec<_>>())
}

/// The audit path (RFC 6962 §2.1.1) of the head at `index` among `heads`, leaf to root.
pub fn audit_path(heads: &[FileHead], index: usize) -> Vec<ChainHash> {
    let leaves: Vec<ChainHash> = heads.iter().map(leaf_hash).collect();
    let mut path = Vec::new();
    let (mut lo, mut hi, mut m) = (0, leaves.len(), index);
    let mut stack = Vec::new();
    // Walk down from the root, remembering each sibling subtree, then list them leaf first.
    while hi - lo > 1 {
        let k = split(hi - lo);
        if m < k {
            stack.push(tree(&leaves[lo + k..hi]));
            hi = lo + k;
        } else {
            stack.push(tree(&leaves[lo..lo + k]));
            lo += k;
            m -= k;
        }
    }
    while let Some(sibling) = stack.pop() {
        path.push(sibling);
    }
    path
}

/// Whether `head`, at `index` of a tree of `size` leaves, is in the tree whose root is `root`,
/// by its audit path: what a phone checks with one file's head and a signed root.
pub fn included(
    head: &FileHead,
    index: usize,
    size: usize,
    path: &[ChainHash],
    root: &ChainHash,
) -> bool {
    // The tree's shape from the root down, to know at each level which side the sibling is on.
    let mut sides = Vec::new();
    let (mut lo, mut hi, mut m) = (0usize, size, index);
    if index >= size {
        return false;
    }
    while hi - lo > 1 {
        let k = split(hi - lo);
        if m < k {
            sides.push(false); // the sibling is on the right
            hi = lo + k;
        } else {
            sides.push(true); // the sibling is on the left
            lo += k;
            m -= k;
        }
    }
    if sides.len() != path.len() {
        return false;
    }
    let mut hash = leaf_hash(head);
    for (sibling, left) in path.iter().zip(sides.iter().rev()) {
        hash = if *left {
            node_hash(sibling, &hash)
        } else {
            node_hash(&hash, sibling)
        };
    }
    hash == *root
}

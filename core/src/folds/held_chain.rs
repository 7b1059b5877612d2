//! A phone's check of a file's chain against its own copy (issue 19). The phone keeps, per
//! file, the ids of the records it accepted in the server's order and the link after them,
//! recomputed from its own copies (`Held`). When the server states the file's chain anew
//! (`StatedLink`s: each record's id, its stored link and the hash of its content as stored now),
//! `check` compares the two and names every record that changed, vanished, moved or was
//! inserted before the phone's end. The phone's copies are the anchor: a rewrite whose links
//! were recomputed by someone who knows the code is still found, by content or by the links
//! recomputed here, whatever the server says.
//!
//! Only what follows the held records is new history; it is accepted record by record while
//! the phone holds each one with the content and link the server states, so a phone checks
//! only what changed since its last check.

use crate::base::ids::RecordId;
use crate::folds::chain::{ChainHash, link_canonical};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::HashMap;

/// The SHA-256 of a record's canonical bytes: what the server states per record so that a
/// changed record is named even where its links were recomputed.
pub fn content_hash(canonical: &[u8]) -> ChainHash {
    ChainHash(Sha256::digest(canonical).into())
}

/// What a phone accepted of one file's chain.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Held {
    /// The records, in the server's order.
    pub ids: Vec<RecordId>,
    /// The link after each of them, as the phone recomputed it from its own copies: a copy
    /// replaced on the phone later (a rebuilt download) is still named against them.
    pub links: Vec<ChainHash>,
}

impl Held {
    /// The link after the last held record (where chains start when none is held).
    pub fn head(&self) -> ChainHash {
        self.links.last().copied().unwrap_or(ChainHash::GENESIS)
    }
}

/// One record of a file's chain as the server states it now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatedLink {
    pub id: RecordId,
    /// The link stored beside the record.
    pub link: ChainHash,
    /// `content_hash` of the record as stored now.
    pub content: ChainHash,
}

/// A record of the phone's copy that the server no longer states as the phone holds it.
/// Positions count from 0 in the phone's held order (`Inserted`: in the server's). Read by
/// `base::tagged` through `MismatchDef` (below), not serde's `Content` buffering (issue 17).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Mismatch {
    /// The server's record differs from the phone's copy.
    Changed { position: u64, id: RecordId },
    /// The server no longer has the record.
    Vanished { position: u64, id: RecordId },
    /// The server has the record at another place in the file's order.
    Moved { position: u64, id: RecordId },
    /// The server has a record the phone never held among those it did.
    Inserted { position: u64, id: RecordId },
    /// The record is the same, but its stored link does not follow from the records before it.
    Relinked { position: u64, id: RecordId },
}

impl<'de> Deserialize<'de> for Mismatch {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        crate::base::tagged::read(deserializer, "kind", |object| {
            MismatchDef::deserialize(object)
        })
    }
}

#[derive(Deserialize)]
#[serde(remote = "Mismatch", rename_all = "snake_case")]
enum MismatchDef {
    Changed { position: u64, id: RecordId },
    Vanished { position: u64, id: RecordId },
    Moved { position: u64, id: RecordId },
    Inserted { position: u64, id: RecordId },
    Relinked { position: u64, id: RecordId },
}

impl Mismatch {
    pub fn id(&self) -> &RecordId {
        match self {
            Mismatch::Changed { id, .. }
            | Mismatch::Vanished { id, .. }
            | Mismatch::Moved { id, .. }
            | Mismatch::Inserted { id, .. }
            | Mismatch::Relinked { id, .. } => id,
        }
    }

    pub fn position(&self) -> u64 {
        match self {
            Mismatch::Changed { position, .. }
            | Mismatch::Vanished { position, .. }
            | Mismatch::Moved { position, .. }
            | Mismatch::Inserted { position, .. }
            | Mismatch::Relinked { position, .. } => *position,
        }
    }
}

/// What `check` found, and what the phone holds as accepted afterwards: unchanged when
/// anything is wrong (the phone keeps its copy and its anchor), extended by the new records
/// the phone holds otherwise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    pub mismatches: Vec<Mismatch>,
    pub held: Held,
}

/// Checks the server's statement of a file's chain against what the phone held (`held`) and
/// its copies' canonical bytes (`copies`, by id; records the phone has not downloaded yet are
/// absent).
pub fn check(held: &Held, copies: &HashMap<RecordId, Vec<u8>>, stated: &[StatedLink]) -> Checked {
    let at: HashMap<&RecordId, usize> =
        stated.iter().enumerate().map(|(i, s)| (&s.id, i)).collect();
    let mut found = Vec::new();
    let mut prev_at: Option<usize> = None;
    let mut last_at = 0usize;
    for (i, id) in held.ids.iter().enumerate() {
        let position = i as u64;
        let Some(&now) = at.get(id) else {
            found.push(Mismatch::Vanished { position, id: *id });
            continue;
        };
        if prev_at.is_some_and(|p| now < p) {
            found.push(Mismatch::Moved { position, id: *id });
        }
        prev_at = Some(prev_at.map_or(now, |p| p.max(now)));
        last_at = last_at.max(now + 1);
        if copies
            .get(id)
            .is_some_and(|bytes| content_hash(bytes) != stated[now].content)
        {
            found.push(Mismatch::Changed { position, id: *id });
        }
    }
    let mine: std::collections::HashSet<&RecordId> = held.ids.iter().collect();
    for (j, s) in stated.iter().enumerate().take(last_at) {
        if !mine.contains(&s.id) {
            found.push(Mismatch::Inserted {
                position: j as u64,
                id: s.id,
            });
        }
    }
    if !found.is_empty() {
        return Checked {
            mismatches: found,
            held: held.clone(),
        };
    }
    // Same records, same order, same contents: the links must follow from the phone's copies
    // (and give what the phone accepted before), then whatever comes after is accepted while
    // the phone holds it as stated.
    let mut head = ChainHash::GENESIS;
    let (mut ids, mut links) = (
        Vec::with_capacity(stated.len()),
        Vec::with_capacity(stated.len()),
    );
    for (j, s) in stated.iter().enumerate() {
        let position = j as u64;
        let Some(bytes) = copies.get(&s.id) else {
            if j < held.ids.len() {
                // A held record whose copy is gone from the phone: nothing to compare with.
                return Checked {
                    mismatches: found,
                    held: held.clone(),
                };
            }
            break;
        };
        if j >= held.ids.len() && content_hash(bytes) != s.content {
            found.push(Mismatch::Changed { position, id: s.id });
            break;
        }
        let made = link_canonical(&head, bytes);
        if held.links.get(j).is_some_and(|kept| *kept != made) {
            // The phone's own copy is no longer what it accepted: replaced by a rebuilt
            // download, it carries the server's rewrite.
            found.push(Mismatch::Changed { position, id: s.id });
            break;
        }
        if made != s.link {
            found.push(Mismatch::Relinked { position, id: s.id });
            break;
        }
        head = made;
        ids.push(s.id);
        links.push(made);
    }
    let held = if found.is_empty() {
        Held { ids, links }
    } else {
        held.clone()
    };
    Checked {
        mismatches: found,
        held,
    }
}

/// Whether a signed statement's head for this file (`anchor`: the file's length and head when
/// it was signed) agrees with the links the phone recomputed from its own copies: `None` while
/// the phone holds fewer records than the statement covered (it cannot tell yet).
pub fn agrees(held: &Held, anchor: &crate::folds::chain::Anchor) -> Option<bool> {
    let n = usize::try_from(anchor.length).ok()?;
    match n {
        0 => Some(anchor.head == ChainHash::GENESIS),
        n => held.links.get(n - 1).map(|link| *link == anchor.head),
    }
}

//! The hash chain (issue 19): the canonical form and hashes pinned by test vectors (checked
//! independently with Python's json-free byte strings and hashlib, see the comments), the daily
//! root's Merkle tree and its proofs, and a property test that any single change, removal,
//! insertion or move in a stored chain is found.

use proptest::prelude::*;
use xiafang_core::RecordBody;
use xiafang_core::canonical::canonical;
use xiafang_core::chain::{
    Anchor, Break, ChainHash, FileHead, audit_path, chain, included, link, root, sorted_heads,
    verify,
};
use xiafang_core::fixtures;
use xiafang_core::ids::{FileId, RecordId};
use xiafang_core::record::{GeoPoint, Record};

fn fixed(mut r: Record, id: &str) -> Record {
    r.id = id.parse::<RecordId>().expect("uuid");
    r
}

/// A visit with what the canonical form must pin down: a position (the only floats), a quote, a
/// backslash, a control character, a line break and text outside the BMP.
fn vector_visit() -> Record {
    let mut r = fixed(
        fixtures::visit("file-guo", "wangjg"),
        "6f1c2b3a-0000-4000-8000-000000000001",
    );
    if let RecordBody::Visit(v) = &mut r.body {
        v.location = Some(GeoPoint {
            lat: 30.0,
            lon: 120.123456,
        });
        v.explained = "他说\"按\\政策\"办\u{1}\n😀".into();
    }
    r
}

const VISIT_CANONICAL: &str = r#"{"author":"wangjg","author_name":"王建国","body":{"explained":"他说\"按\\政策\"办\u0001\n😀","kind":"home","location":{"lat":30.0,"lon":120.123456},"measures":"约定下周由街道召集村委会再议","mood":"calm","next_due":"2026-11-27","next_step":"街道召集村委会议","participants":["王建国（驻村干部）","李律师（法律顾问）"],"place":"阁一村郭先生家中","requests":"要求重新核算集体资产分配款","risk":"watch","type":"visit"},"file_id":"file-guo","id":"6f1c2b3a-0000-4000-8000-000000000001","occurred_at":"2026-11-20T09:30:00","saved_at":"2026-11-20T02:00:00Z"}"#;

#[test]
fn the_canonical_form_sorts_members_and_escapes_only_what_json_requires() {
    let bytes = canonical(&vector_visit());
    assert_eq!(String::from_utf8(bytes).expect("utf-8"), VISIT_CANONICAL);
}

#[test]
fn link_hashes_are_pinned() {
    // python3: sha256(b"xiafang-chain-v1\0" + bytes(32) + VISIT_CANONICAL.encode()).hexdigest()
    let first = link(&ChainHash::GENESIS, &vector_visit());
    assert_eq!(first.to_hex(), VISIT_LINK);
    let note = fixed(
        fixtures::note("file-guo", "wangjg"),
        "6f1c2b3a-0000-4000-8000-000000000002",
    );
    assert_eq!(chain([&vector_visit(), &note])[0], first);
    assert_eq!(chain([&vector_visit(), &note])[1], link(&first, &note));
    assert_eq!(ChainHash::from_hex(&first.to_hex()), Some(first));
    assert_eq!(ChainHash::from_hex("xyz"), None);
}

const VISIT_LINK: &str = "c5aa4a191a904e728654fc39f73af17ad466c46645b520534f606745e856bbf0";

fn heads(n: usize) -> Vec<FileHead> {
    sorted_heads(
        (0..n)
            .map(|i| FileHead {
                file: FileId(format!("file-{i:03}")),
                anchor: Anchor {
                    length: i as u64,
                    head: ChainHash([i as u8; 32]),
                },
            })
            .collect(),
    )
}

#[test]
fn the_daily_root_is_rfc_6962_and_pinned() {
    // python3 (RFC 6962 MTH over leaves 0x00 ‖ u32 len ‖ id ‖ u64 length ‖ head).
    assert_eq!(
        root(&heads(0)).to_hex(),
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
    assert_eq!(root(&heads(5)).to_hex(), ROOT_OF_5);
}

const ROOT_OF_5: &str = "91226a8e4a1f23b0bcbe21f453f3e2543fbbe3597b65f80a0ac631e80fd0e9a1";

#[test]
fn every_head_proves_its_place_in_the_root_and_no_other_does() {
    for n in 1..=9 {
        let all = heads(n);
        let top = root(&all);
        for (i, head) in all.iter().enumerate() {
            let path = audit_path(&all, i);
            assert!(included(head, i, n, &path, &top), "{n} leaves, leaf {i}");
            let mut forged = head.clone();
            forged.anchor.length += 1;
            assert!(
                !included(&forged, i, n, &path, &top),
                "{n} leaves, forged leaf {i}"
            );
            if n > 1 {
                assert!(!included(head, (i + 1) % n, n, &path, &top) || path.is_empty());
            }
        }
    }
}

fn stored(records: &[Record]) -> Vec<(Record, ChainHash)> {
    records.iter().cloned().zip(chain(records)).collect()
}

fn records(n: usize) -> Vec<Record> {
    (0..n)
        .map(|i| {
            let mut r = match i % 3 {
                0 => fixtures::visit("file-guo", "wangjg"),
                1 => fixtures::assistance("file-guo", "wangjg"),
                _ => fixtures::note("file-guo", "wangjg"),
            };
            r.id = RecordId(uuid::Uuid::from_u128(i as u128 + 1));
            r
        })
        .collect()
}

#[test]
fn an_untouched_chain_passes_every_anchor_it_went_through() {
    let rs = records(6);
    let kept = stored(&rs);
    let anchors: Vec<Anchor> = (0..=6)
        .map(|n| Anchor {
            length: n,
            head: if n == 0 {
                ChainHash::GENESIS
            } else {
                kept[n as usize - 1].1
            },
        })
        .collect();
    assert_eq!(verify(&kept, &anchors), vec![]);
}

/// One tampering of a stored chain, as someone with the database could do it.
#[derive(Debug, Clone)]
enum Tamper {
    /// Change the text of the record at this position, keeping its stored hash.
    Change(usize),
    /// The same, then recompute every stored hash so they agree with each other.
    ChangeAndRehash(usize),
    Remove(usize),
    RemoveAndRehash(usize),
    Swap(usize),
    SwapAndRehash(usize),
    /// Insert a record before the one at this position (a record added after the chain's end is
    /// a later record, not a change of what was: the next root or the phones' own outboxes
    /// answer for those, not the chain).
    Insert(usize),
    InsertAndRehash(usize),
}

fn apply(tamper: &Tamper, rs: &[Record]) -> Vec<(Record, ChainHash)> {
    let mut kept = stored(rs);
    let n = kept.len();
    let rehash = |kept: Vec<(Record, ChainHash)>| {
        let only: Vec<Record> = kept.into_iter().map(|(r, _)| r).collect();
        stored(&only)
    };
    let changed = |r: &mut Record| {
        r.author_name.push('改');
    };
    match *tamper {
        Tamper::Change(i) => changed(&mut kept[i % n].0),
        Tamper::ChangeAndRehash(i) => {
            changed(&mut kept[i % n].0);
            kept = rehash(kept);
        }
        Tamper::Remove(i) => {
            kept.remove(i % n);
        }
        Tamper::RemoveAndRehash(i) => {
            kept.remove(i % n);
            kept = rehash(kept);
        }
        Tamper::Swap(i) if n > 1 => kept.swap(i % (n - 1), i % (n - 1) + 1),
        Tamper::SwapAndRehash(i) if n > 1 => {
            kept.swap(i % (n - 1), i % (n - 1) + 1);
            kept = rehash(kept);
        }
        Tamper::Swap(_) | Tamper::SwapAndRehash(_) => changed(&mut kept[0].0),
        Tamper::Insert(i) => {
            let mut extra = fixtures::note("file-guo", "wangjg");
            extra.id = RecordId(uuid::Uuid::from_u128(999));
            let at = i % n;
            let prev = if at == 0 {
                ChainHash::GENESIS
            } else {
                kept[at - 1].1
            };
            let hash = link(&prev, &extra);
            kept.insert(at, (extra, hash));
        }
        Tamper::InsertAndRehash(i) => {
            let mut extra = fixtures::note("file-guo", "wangjg");
            extra.id = RecordId(uuid::Uuid::from_u128(999));
            kept.insert(i % n, (extra, ChainHash::GENESIS));
            kept = rehash(kept);
        }
    }
    kept
}

fn tamper() -> impl Strategy<Value = Tamper> {
    (0usize..8, 0usize..64).prop_map(|(kind, i)| match kind {
        0 => Tamper::Change(i),
        1 => Tamper::ChangeAndRehash(i),
        2 => Tamper::Remove(i),
        3 => Tamper::RemoveAndRehash(i),
        4 => Tamper::Swap(i),
        5 => Tamper::SwapAndRehash(i),
        6 => Tamper::Insert(i),
        _ => Tamper::InsertAndRehash(i),
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Whatever one tampering does, the chain checked against the head it had (a signed root's,
    /// or a phone's) shows it; without rehashing, the stored hashes alone show it too.
    #[test]
    fn any_single_tampering_is_found(n in 1usize..12, t in tamper()) {
        let rs = records(n);
        let before = stored(&rs);
        let head = Anchor { length: n as u64, head: before[n - 1].1 };
        let after = apply(&t, &rs);
        let found = verify(&after, &[head]);
        prop_assert!(!found.is_empty(), "{t:?} on {n} records went unnoticed");
        let rehashed = matches!(
            t,
            Tamper::ChangeAndRehash(_) | Tamper::RemoveAndRehash(_) | Tamper::SwapAndRehash(_)
                | Tamper::InsertAndRehash(_)
        );
        if !rehashed {
            let alone = verify(&after, &[]);
            // Removing the last record leaves a consistent, shorter chain: only an anchor shows it.
            let removed_last = matches!(t, Tamper::Remove(i) if i % n == n - 1);
            prop_assert!(removed_last || alone.iter().any(|b| matches!(b, Break::Mismatch { .. })),
                "{t:?} on {n} records: {alone:?}");
        }
    }
}

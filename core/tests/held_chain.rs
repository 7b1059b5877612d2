//! The phone's check of a file's chain against its own copy (issue 19): a record changed,
//! removed, moved or inserted on the server is named, also when whoever did it recomputed every
//! stored link, and normal new records are accepted quietly.

use proptest::prelude::*;
use std::collections::HashMap;
use xiafang_core::RecordBody;
use xiafang_core::canonical::canonical;
use xiafang_core::chain::{ChainHash, chain};
use xiafang_core::fixtures;
use xiafang_core::held_chain::{Held, Mismatch, StatedLink, check, content_hash};
use xiafang_core::ids::RecordId;
use xiafang_core::record::Record;

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

/// What an honest server (or an attacker who recomputed every link) states for these rows.
fn stated(rows: &[Record]) -> Vec<StatedLink> {
    rows.iter()
        .zip(chain(rows))
        .map(|(r, link)| StatedLink {
            id: r.id,
            link,
            content: content_hash(&canonical(r)),
        })
        .collect()
}

fn copies(rows: &[Record]) -> HashMap<RecordId, Vec<u8>> {
    rows.iter().map(|r| (r.id, canonical(r))).collect()
}

/// What a phone that checked `rows` once holds.
fn held(rows: &[Record]) -> Held {
    let first = check(&Held::default(), &copies(rows), &stated(rows));
    assert!(first.mismatches.is_empty());
    first.held
}

fn rewrite(r: &mut Record) {
    if let RecordBody::Visit(v) = &mut r.body {
        v.requests = "已同意不再上访".into();
    } else if let RecordBody::Note(n) = &mut r.body {
        n.text = "（改写）".into();
    } else {
        r.occurred_at += chrono::Duration::days(1);
    }
}

#[test]
fn new_records_on_a_file_are_accepted_quietly_and_extend_what_the_phone_holds() {
    let rows = records(5);
    let before = held(&rows[..3]);
    assert_eq!(before.ids.len(), 3);
    let after = check(&before, &copies(&rows), &stated(&rows));
    assert_eq!(after.mismatches, vec![]);
    assert_eq!(
        after.held.ids,
        rows.iter().map(|r| r.id).collect::<Vec<_>>()
    );
    assert_eq!(after.held.head(), *chain(&rows).last().unwrap());
}

#[test]
fn records_not_downloaded_yet_are_accepted_later() {
    let rows = records(5);
    let before = held(&rows[..2]);
    let after = check(&before, &copies(&rows[..3]), &stated(&rows));
    assert_eq!(after.mismatches, vec![]);
    assert_eq!(after.held.ids.len(), 3);
}

#[test]
fn a_record_changed_in_place_is_named_with_or_without_recomputed_links() {
    let rows = records(4);
    let phone = held(&rows);
    let mut server = rows.clone();
    rewrite(&mut server[1]);
    // Recomputed links: every stored link follows the rewritten rows.
    let recomputed = check(&phone, &copies(&rows), &stated(&server));
    assert_eq!(
        recomputed.mismatches,
        vec![Mismatch::Changed {
            position: 1,
            id: rows[1].id
        }]
    );
    assert_eq!(recomputed.held, phone, "the phone keeps what it accepted");
    // Only the row changed: the old links stay, the content shows it.
    let mut naive = stated(&rows);
    naive[1].content = content_hash(&canonical(&server[1]));
    let found = check(&phone, &copies(&rows), &naive).mismatches;
    assert_eq!(found.len(), 1);
    assert!(matches!(found[0], Mismatch::Changed { position: 1, .. }));
}

#[test]
fn a_rewrite_with_recomputed_links_is_found_even_when_the_server_states_the_old_contents() {
    let rows = records(4);
    let phone = held(&rows);
    let mut server = rows.clone();
    rewrite(&mut server[2]);
    let mut lying = stated(&server);
    lying[2].content = content_hash(&canonical(&rows[2]));
    let found = check(&phone, &copies(&rows), &lying).mismatches;
    assert_eq!(
        found,
        vec![Mismatch::Relinked {
            position: 2,
            id: rows[2].id
        }]
    );
}

#[test]
fn a_record_that_vanished_is_named() {
    let rows = records(4);
    let phone = held(&rows);
    let mut server = rows.clone();
    server.remove(1);
    assert_eq!(
        check(&phone, &copies(&rows), &stated(&server)).mismatches,
        vec![Mismatch::Vanished {
            position: 1,
            id: rows[1].id
        }]
    );
}

#[test]
fn records_put_in_another_order_are_named() {
    let rows = records(4);
    let phone = held(&rows);
    let mut server = rows.clone();
    server.swap(1, 2);
    let found = check(&phone, &copies(&rows), &stated(&server)).mismatches;
    assert_eq!(
        found,
        vec![Mismatch::Moved {
            position: 2,
            id: rows[2].id
        }]
    );
}

#[test]
fn a_record_slipped_in_among_held_ones_is_named() {
    let rows = records(4);
    let phone = held(&rows[..3]);
    let mut server = rows[..3].to_vec();
    server.insert(1, rows[3].clone());
    let found = check(&phone, &copies(&rows), &stated(&server)).mismatches;
    assert_eq!(
        found,
        vec![Mismatch::Inserted {
            position: 1,
            id: rows[3].id
        }]
    );
}

#[test]
fn a_first_check_names_a_downloaded_copy_the_server_no_longer_has_as_given() {
    let rows = records(3);
    let mut server = rows.clone();
    rewrite(&mut server[0]);
    let first = check(&Held::default(), &copies(&rows), &stated(&server));
    assert_eq!(
        first.mismatches,
        vec![Mismatch::Changed {
            position: 0,
            id: rows[0].id
        }]
    );
    assert_eq!(first.held, Held::default());
}

#[test]
fn a_copy_replaced_on_the_phone_by_a_rewritten_download_is_still_named() {
    let rows = records(4);
    let phone = held(&rows);
    let mut server = rows.clone();
    rewrite(&mut server[2]);
    // A rebuilt download gave the phone the server's rewrite as its copy.
    let found = check(&phone, &copies(&server), &stated(&server)).mismatches;
    assert_eq!(
        found,
        vec![Mismatch::Changed {
            position: 2,
            id: rows[2].id
        }]
    );
}

#[test]
fn a_link_rewritten_alone_is_named() {
    let rows = records(3);
    let phone = held(&rows[..2]);
    let mut server = stated(&rows);
    server[2].link = ChainHash([7; 32]);
    let found = check(&phone, &copies(&rows), &server).mismatches;
    assert!(matches!(
        found[..],
        [Mismatch::Relinked { position: 2, .. }]
    ));
}

#[derive(Debug, Clone)]
enum Tamper {
    Change(usize),
    Remove(usize),
    Swap(usize),
    Insert(usize),
}

fn tamper() -> impl Strategy<Value = (usize, Tamper)> {
    (2usize..12).prop_flat_map(|n| {
        (
            Just(n),
            prop_oneof![
                (0..n).prop_map(Tamper::Change),
                (0..n).prop_map(Tamper::Remove),
                (0..n - 1).prop_map(Tamper::Swap),
                (0..n).prop_map(Tamper::Insert),
            ],
        )
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Any single change, removal, swap or insertion among the records a phone held, with every
    /// link recomputed, is found, the phone keeps what it accepted, and the named record is the
    /// one touched (or, for an insertion, the record slipped in).
    #[test]
    fn any_tampering_with_held_records_is_found_despite_recomputed_links((n, t) in tamper()) {
        let rows = records(n + 1);
        let (held_rows, spare) = (&rows[..n], &rows[n]);
        let phone = held(held_rows);
        let mut server = held_rows.to_vec();
        let touched = match t {
            Tamper::Change(i) => { rewrite(&mut server[i]); rows[i].id }
            Tamper::Remove(i) => { server.remove(i); rows[i].id }
            Tamper::Swap(i) => { server.swap(i, i + 1); rows[i + 1].id }
            Tamper::Insert(i) => { server.insert(i, spare.clone()); spare.id }
        };
        let result = check(&phone, &copies(&rows), &stated(&server));
        prop_assert!(!result.mismatches.is_empty());
        prop_assert!(result.mismatches.iter().any(|m| *m.id() == touched));
        prop_assert_eq!(result.held, phone);
    }
}

#[test]
fn a_signed_head_is_checked_against_the_phones_own_copies() {
    use xiafang_core::chain::Anchor;
    use xiafang_core::held_chain::agrees;
    let rows = records(4);
    let phone = held(&rows[..3]);
    let links = chain(&rows);
    let at = |length: u64, head| Anchor { length, head };
    assert_eq!(agrees(&phone, &at(2, links[1])), Some(true));
    assert_eq!(agrees(&phone, &at(0, ChainHash::GENESIS)), Some(true));
    let mut server = rows.clone();
    rewrite(&mut server[0]);
    let rewritten = chain(&server);
    assert_eq!(agrees(&phone, &at(2, rewritten[1])), Some(false));
    assert_eq!(agrees(&phone, &at(4, links[3])), None, "not held yet");
}

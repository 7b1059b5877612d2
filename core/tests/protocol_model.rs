//! Drives the phone's real sync engine (`xiafang_core::engine`) through a lossy network: several
//! engines (phones) save records and carry out their commands against in-memory outboxes, a
//! server of in-memory maps applies each operation with `decide`, and the network drops,
//! duplicates, delays and reorders requests, loses answers, lets phones give up waiting and
//! reinstalls apps. Once it heals, every outbox must empty and the server must hold what a
//! sequential run would: every valid record once, in each phone's save order, and every invalid
//! one rejected.

mod model;

use model::{Kind, World, action};
use proptest::prelude::*;
use xiafang_core::RecordId;
use xiafang_core::{upload::SyncState, verdict::Rejection};

proptest! {
    // Set explicitly: the test command must drive at least 10,000 random traces per run.
    #![proptest_config(ProptestConfig { cases: 10_000, ..ProptestConfig::default() })]

    #[test]
    fn lossy_network_converges_to_the_sequential_model(
        phones in 2..=4usize,
        batch in 1..=3usize,
        actions in prop::collection::vec(action(), 0..120),
    ) {
        let mut world = World::new(phones, batch);
        for action in actions {
            world.step(action);
        }
        let longest = world.phones.iter().map(|p| p.store.outbox.len()).max().unwrap_or(0);
        let healed = world.heal();
        // Liveness: once the network heals, one run per phone empties its outbox, a full batch
        // per push, and nothing the server already acknowledged is sent again.
        prop_assert!(world.phones.iter().all(|p| p.store.outbox.is_empty()), "outboxes never emptied");
        prop_assert!(world.phones.iter().all(|p| !p.engine.is_running()), "a run never ended");
        prop_assert!(
            healed.most_pushes <= longest.div_ceil(batch),
            "{} pushes for {} ops", healed.most_pushes, longest
        );
        prop_assert_eq!(healed.resent_after_ack, 0, "acknowledged operations sent again");

        let server = &world.server;
        let valid: Vec<RecordId> = world
            .saved
            .iter()
            .filter(|(_, kind, _)| *kind == Kind::Valid)
            .map(|(_, _, r)| r.id)
            .collect();
        // No loss, no duplicate: the ledger holds exactly the valid records, each once.
        let mut stored = server.ledger.clone();
        stored.sort();
        let mut expected = valid.clone();
        expected.sort();
        prop_assert_eq!(stored, expected);
        prop_assert_eq!(server.records.len(), valid.len());

        for (phone, kind, record) in &world.saved {
            let state = &world.phones[*phone].states[&record.id];
            match kind {
                Kind::Valid => {
                    prop_assert_eq!(state, &SyncState::Uploaded);
                    prop_assert_eq!(&server.records[&record.id], record);
                }
                Kind::Invalid => prop_assert!(
                    matches!(state, SyncState::Rejected { reason: Rejection::Invalid { .. } }),
                    "{:?}", state
                ),
                Kind::Foreign => prop_assert_eq!(
                    state,
                    &SyncState::Rejected { reason: Rejection::AuthorMismatch }
                ),
            }
        }

        // Each phone's records reach the server in the order they were saved.
        for phone in 0..phones {
            let saved_order: Vec<RecordId> = world
                .saved
                .iter()
                .filter(|(p, kind, _)| *p == phone && *kind == Kind::Valid)
                .map(|(_, _, r)| r.id)
                .collect();
            let stored_order: Vec<RecordId> = server
                .ledger
                .iter()
                .copied()
                .filter(|id| saved_order.contains(id))
                .collect();
            prop_assert_eq!(stored_order, saved_order, "phone {}", phone);
        }
    }
}

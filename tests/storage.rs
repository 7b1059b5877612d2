//! The phone's storage in a real browser (headless Chromium through wasm-bindgen-test): what a
//! cadre saves is read back, queued exactly once, and still there after the database is opened
//! afresh, as after a page load.

#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::*;
use xiafang::store::Store;
use xiafang_core::sync::{Ack, Outcome, PullResponse, Rejection, SyncState};
use xiafang_core::{FileId, fixtures};

wasm_bindgen_test_configure!(run_in_browser);

async fn fresh_store() -> (String, Store) {
    let name = format!("xiafang-test-{}", uuid::Uuid::new_v4());
    let store = Store::open(&name).await.expect("opens");
    (name, store)
}

#[wasm_bindgen_test]
async fn saved_record_is_read_back_and_queued_once() {
    let (_, store) = fresh_store().await;
    let record = fixtures::visit("f1", "u1");
    let seq = store.save_new(&record).await.expect("saves");
    let timeline = store.timeline(&FileId::from("f1")).await.unwrap();
    assert_eq!(timeline.len(), 1);
    assert_eq!(timeline[0].record, record);
    assert_eq!(timeline[0].state, SyncState::Pending);
    let outbox = store.outbox(50).await.unwrap();
    assert_eq!(outbox.len(), 1);
    assert_eq!((outbox[0].seq, &outbox[0].record), (seq, &record));
    assert_eq!(store.pending_count().await.unwrap(), 1);
    assert!(
        store.save_new(&record).await.is_err(),
        "the same record is not saved twice"
    );
    assert_eq!(store.pending_count().await.unwrap(), 1);
}

#[wasm_bindgen_test]
async fn records_survive_reopening_the_database() {
    let (name, store) = fresh_store().await;
    let records = [
        fixtures::visit("f1", "u1"),
        fixtures::assistance("f1", "u1"),
        fixtures::note("f1", "u1"),
    ];
    for r in &records {
        store.save_new(r).await.unwrap();
    }
    store.close();
    let reopened = Store::open(&name).await.unwrap();
    let timeline = reopened.timeline(&FileId::from("f1")).await.unwrap();
    assert_eq!(timeline.len(), 3);
    for r in &records {
        assert!(timeline.iter().any(|l| &l.record == r));
    }
    assert_eq!(reopened.pending_count().await.unwrap(), 3);
}

#[wasm_bindgen_test]
async fn acknowledgements_settle_records_and_empty_the_outbox() {
    let (_, store) = fresh_store().await;
    let stored = fixtures::note("f1", "u1");
    let refused = fixtures::visit("f1", "u1");
    store.save_new(&stored).await.unwrap();
    store.save_new(&refused).await.unwrap();
    let ops = store.outbox(50).await.unwrap();
    let acks = vec![
        Ack {
            seq: ops[0].seq,
            record_id: stored.id,
            outcome: Outcome::Stored,
        },
        Ack {
            seq: ops[1].seq,
            record_id: refused.id,
            outcome: Outcome::Rejected {
                reason: Rejection::NotPermitted,
            },
        },
    ];
    store.settle(&ops, &acks).await.unwrap();
    assert_eq!(store.pending_count().await.unwrap(), 0);
    let timeline = store.timeline(&FileId::from("f1")).await.unwrap();
    let state_of = |id| {
        timeline
            .iter()
            .find(|l| l.record.id == id)
            .map(|l| l.state.clone())
    };
    assert_eq!(state_of(stored.id), Some(SyncState::Uploaded));
    assert_eq!(
        state_of(refused.id),
        Some(SyncState::Rejected {
            reason: Rejection::NotPermitted
        }),
        "a rejected record stays on the phone with its reason"
    );
    // Numbers are never reused, even after the outbox emptied.
    let later = store.save_new(&fixtures::note("f1", "u1")).await.unwrap();
    assert!(later > ops[1].seq);
}

#[wasm_bindgen_test]
async fn an_acknowledgement_for_another_operation_changes_nothing() {
    let (_, store) = fresh_store().await;
    let record = fixtures::note("f1", "u1");
    store.save_new(&record).await.unwrap();
    let ops = store.outbox(50).await.unwrap();
    let stray = Ack {
        seq: ops[0].seq + 1,
        record_id: record.id,
        outcome: Outcome::Stored,
    };
    store.settle(&ops, &[stray]).await.unwrap();
    assert_eq!(store.pending_count().await.unwrap(), 1);
}

#[wasm_bindgen_test]
async fn download_replaces_files_but_keeps_pending_records() {
    let (_, store) = fresh_store().await;
    let pending = fixtures::visit("f1", "u1");
    store.save_new(&pending).await.unwrap();
    let from_server = fixtures::note("f1", "u2");
    // The server already has the pending record too (its acknowledgement was lost).
    let pull = PullResponse {
        files: vec![],
        records: vec![from_server.clone(), pending.clone()],
        server_time: chrono::Utc::now(),
    };
    store.apply_pull(&pull).await.unwrap();
    let timeline = store.timeline(&FileId::from("f1")).await.unwrap();
    assert_eq!(timeline.len(), 2);
    let state_of = |id| {
        timeline
            .iter()
            .find(|l| l.record.id == id)
            .map(|l| l.state.clone())
    };
    assert_eq!(state_of(from_server.id), Some(SyncState::Uploaded));
    assert_eq!(state_of(pending.id), Some(SyncState::Pending));
    assert_eq!(
        store.pending_count().await.unwrap(),
        1,
        "the outbox still holds it"
    );
    assert!(store.files().await.unwrap().is_empty());
}

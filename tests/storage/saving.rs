//! Saving on the phone: every record is written with its queue entry at once, read back,
//! settled exactly once, and only one tab uploads at a time.

use super::*;

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
async fn records_saved_together_are_all_saved_or_none() {
    let (_, store) = fresh_store().await;
    let first = fixtures::note("f1", "u1");
    let mut twin = fixtures::visit("f1", "u1");
    twin.id = first.id;
    assert!(
        store.save_all(&[first.clone(), twin]).await.is_err(),
        "the second record's id is taken, so the transaction aborts"
    );
    assert!(
        store
            .timeline(&FileId::from("f1"))
            .await
            .unwrap()
            .is_empty(),
        "not even the first record is kept"
    );
    assert_eq!(store.pending_count().await.unwrap(), 0);
    assert!(store.outbox(50).await.unwrap().is_empty());

    let second = fixtures::visit("f1", "u1");
    let seqs = store
        .save_all(&[first.clone(), second.clone()])
        .await
        .expect("saves");
    assert_eq!(seqs.len(), 2);
    assert!(seqs[0] < seqs[1], "queued in the order given");
    let outbox = store.outbox(50).await.unwrap();
    assert_eq!(
        outbox
            .iter()
            .map(|op| (op.seq, op.record.id))
            .collect::<Vec<_>>(),
        vec![(seqs[0], first.id), (seqs[1], second.id)]
    );
    assert_eq!(store.timeline(&FileId::from("f1")).await.unwrap().len(), 2);
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
async fn another_accounts_queue_does_not_hold_back_this_accounts_records() {
    let (_, store) = fresh_store().await;
    for _ in 0..60 {
        store
            .save_new(&fixtures::note("f1", "u-old"))
            .await
            .unwrap();
    }
    let mine = fixtures::visit("f1", "u1");
    store.save_new(&mine).await.unwrap();
    let ops = store.outbox_of(&UserId::from("u1"), 50).await.unwrap();
    assert_eq!(ops.len(), 1);
    assert_eq!(ops[0].record, mine);
    assert_eq!(
        store
            .outbox_of(&UserId::from("u-old"), 50)
            .await
            .unwrap()
            .len(),
        50
    );
}

/// The outbox is read a page at a time: the next batch is still this account's oldest
/// operations in save order when they are spread over several pages among another account's.
#[wasm_bindgen_test]
async fn the_next_batch_is_the_oldest_of_this_account_across_pages() {
    let (_, store) = fresh_store().await;
    let mut mine = Vec::new();
    for i in 0..130 {
        let author = if i % 3 == 0 { "u1" } else { "u-old" };
        let note = fixtures::note("f1", author);
        store.save_new(&note).await.unwrap();
        if author == "u1" {
            mine.push(note.id);
        }
    }
    let ops = store.outbox_of(&UserId::from("u1"), 20).await.unwrap();
    let ids: Vec<_> = ops.iter().map(|op| op.record.id).collect();
    assert_eq!(ids, mine[..20].to_vec());
    assert!(ops.windows(2).all(|w| w[0].seq < w[1].seq));
    let all = store.outbox_of(&UserId::from("u1"), 50).await.unwrap();
    assert_eq!(
        all.len(),
        mine.len(),
        "44 of 130, fewer than a batch: all of them"
    );
}

#[wasm_bindgen_test]
async fn the_upload_lock_has_one_holder_at_a_time() {
    let name = format!("xiafang-test-lock-{}", uuid::Uuid::new_v4());
    let first = lock::take(&name).await;
    assert!(matches!(first, Taken::Held(_)), "a free lock is taken");
    let second = lock::take(&name).await;
    assert!(
        matches!(second, Taken::Busy),
        "the lock is held by the first"
    );
    drop(first);
    // The browser lets the lock go once the holder's promise settles, a moment later.
    while matches!(lock::take(&name).await, Taken::Busy) {
        sleep(10).await;
    }
}

async fn sleep(ms: i32) {
    let p = js_sys::Promise::new(&mut |res, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&res, ms)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(p).await.unwrap();
}

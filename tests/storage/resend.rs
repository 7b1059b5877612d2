//! A restored server asks for the phone's records again: what the phone saved and the server
//! acknowledged goes back into the outbox, once, and survives the reset that follows.

use super::*;

#[wasm_bindgen_test]
async fn a_restored_server_gets_every_acknowledged_record_of_the_phone_again_once() {
    let (_, store) = fresh_store().await;
    let downloaded = fixtures::note("f1", "u2");
    store
        .apply_pull(&page(
            false,
            vec![file("f1", "郭先生")],
            vec![downloaded.clone()],
            "c1",
        ))
        .await
        .unwrap();
    assert_eq!(store.acked().await.unwrap(), None);
    let mine = fixtures::visit("f1", "u1");
    store.save_new(&mine).await.unwrap();
    settle_first(&store, Outcome::Stored).await;
    // Saved on this phone by another account that signed in here before.
    let colleague = fixtures::assistance("f1", "u9");
    let colleague_seq = store.save_new(&colleague).await.unwrap();
    settle_first(&store, Outcome::Stored).await;
    let refused = fixtures::note("f1", "u1");
    store.save_new(&refused).await.unwrap();
    settle_first(
        &store,
        Outcome::Rejected {
            reason: Rejection::NotPermitted,
        },
    )
    .await;
    let waiting = fixtures::visit("f1", "u1");
    store.save_new(&waiting).await.unwrap();
    assert_eq!(
        store.acked().await.unwrap(),
        Some(colleague_seq + 1),
        "the last operation the server answered is kept for the feed"
    );

    let account = UserId("u1".into());
    assert_eq!(store.requeue_own(&account).await.unwrap(), 2);
    assert_eq!(
        store.requeue_own(&account).await.unwrap(),
        0,
        "asked again before the page was stored, nothing is queued twice"
    );
    let mut restored = page(true, vec![file("f1", "郭先生")], vec![], "c2");
    restored.resend = true;
    store.apply_pull(&restored).await.unwrap();

    let timeline = store.timeline(&FileId::from("f1")).await.unwrap();
    for id in [mine.id, colleague.id, waiting.id] {
        assert_eq!(state_of(&timeline, id), Some(SyncState::Pending), "{id}");
    }
    assert!(matches!(
        state_of(&timeline, refused.id),
        Some(SyncState::Rejected { .. })
    ));
    assert_eq!(
        state_of(&timeline, downloaded.id),
        None,
        "another phone's record is the server's (or that phone's) to send"
    );
    let queued: Vec<RecordId> = store
        .outbox(10)
        .await
        .unwrap()
        .iter()
        .map(|op| op.record.id)
        .collect();
    assert_eq!(queued[0], waiting.id, "what waited keeps its place");
    let mut again = queued[1..].to_vec();
    again.sort();
    let mut expected = vec![mine.id, colleague.id];
    expected.sort();
    assert_eq!(again, expected);
    assert_eq!(
        store.outbox_of(&account, 10).await.unwrap().len(),
        2,
        "the colleague's record waits for the colleague's sign-in"
    );

    // The server refuses one it holds other content under (a rewrite): it stays as the server
    // first took it, not "refused"; the chain check names the rewrite.
    let ops = store.outbox(3).await.unwrap();
    let acks: Vec<Ack> = ops[1..]
        .iter()
        .map(|op| Ack {
            seq: op.seq,
            record_id: op.record.id,
            outcome: Outcome::Rejected {
                reason: Rejection::NotPermitted,
            },
        })
        .collect();
    store.settle(&ops, &acks).await.unwrap();
    let timeline = store.timeline(&FileId::from("f1")).await.unwrap();
    for id in [mine.id, colleague.id] {
        assert_eq!(state_of(&timeline, id), Some(SyncState::Uploaded), "{id}");
    }
}

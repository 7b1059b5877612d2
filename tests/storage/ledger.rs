//! Corrections and file edits on the phone: the clock behind edit stamps, pending edits shown on
//! top, and which records a cadre may still correct.

use super::*;

#[wasm_bindgen_test]
async fn the_phones_clock_is_kept_and_keeps_increasing() {
    let now = js_sys::Date::now() as i64;
    let mut clock = settings::clock();
    assert_eq!(clock.device(), settings::device_id());
    let first = clock.tick(now);
    settings::save_clock(&clock).unwrap();
    // The next start, with the phone's clock set back a day.
    let day_ago = now - 24 * 60 * 60 * 1000;
    let mut restarted = settings::clock();
    let second = restarted.tick(day_ago);
    assert!(second > first, "{second:?} > {first:?}");
    assert_eq!(second.device, settings::device_id());
    settings::save_clock(&restarted).unwrap();
    let third = settings::clock().tick(day_ago);
    assert!(third > second, "{third:?} > {second:?}");
}

async fn on_phone(store: &Store, file: &str) -> Option<FileOnPhone> {
    store.file_on_phone(&FileId::from(file)).await.unwrap()
}

fn stamp(wall_ms: i64) -> Hlc {
    Hlc {
        wall_ms,
        counter: 0,
        device: settings::device_id(),
    }
}

#[wasm_bindgen_test]
async fn a_file_shows_the_phones_own_edits_until_they_are_uploaded() {
    let (_, store) = fresh_store().await;
    store
        .apply_pull(&page(true, vec![file("f1", "郭先生")], vec![], "c1"))
        .await
        .unwrap();
    let shown = on_phone(&store, "f1")
        .await
        .expect("the file is on the phone");
    assert!(!shown.edited);
    assert_eq!(shown.file.phone, None);

    let address = fixtures::file_edit(
        "f1",
        "u1",
        EditableField::Address,
        "南滨街道阁一村三组",
        "阁一村五组",
        stamp(100),
    );
    let phone = fixtures::file_edit(
        "f1",
        "u1",
        EditableField::Phone,
        "",
        "13700000000",
        stamp(200),
    );
    store.save_all(&[address, phone]).await.unwrap();
    let shown = on_phone(&store, "f1")
        .await
        .expect("the file is on the phone");
    assert!(shown.edited);
    assert_eq!(shown.file.address, "阁一村五组");
    assert_eq!(shown.file.phone.as_deref(), Some("13700000000"));
    assert_eq!(shown.file.name, "郭先生");

    // Once uploaded, the server's file is what counts (it may have kept a concurrent value).
    settle_first(&store, Outcome::Stored).await;
    let shown = on_phone(&store, "f1")
        .await
        .expect("the file is on the phone");
    assert_eq!(shown.file.address, "南滨街道阁一村三组");
    assert_eq!(shown.file.phone.as_deref(), Some("13700000000"));
    assert!(on_phone(&store, "f-none").await.is_none());
}

#[wasm_bindgen_test]
async fn only_the_authors_records_that_still_count_can_be_corrected() {
    let (_, store) = fresh_store().await;
    store
        .apply_pull(&page(true, vec![file("f1", "郭先生")], vec![], "c1"))
        .await
        .unwrap();
    let refused = fixtures::note("f1", "u1");
    store.save_new(&refused).await.unwrap();
    settle_first(
        &store,
        Outcome::Rejected {
            reason: Rejection::NotPermitted,
        },
    )
    .await;
    let visit = fixtures::visit("f1", "u1");
    let fixed = fixtures::amendment(&visit, visit.body.clone());
    let note = fixtures::note("f1", "u1");
    let void = fixtures::void(&note, "记错了档案");
    let others = fixtures::note("f1", "u2");
    store
        .save_all(&[
            visit.clone(),
            fixed.clone(),
            note.clone(),
            void.clone(),
            others.clone(),
        ])
        .await
        .unwrap();
    let shown = on_phone(&store, "f1")
        .await
        .expect("the file is on the phone");
    let me = xiafang_core::account::Account {
        id: UserId::from("u1"),
        username: "u1".into(),
        display_name: "王建国".into(),
        role: xiafang_core::account::Role::Cadre,
        place: "南滨街道".into(),
        legal_title: None,
    };
    let can = |id: RecordId| shown.correctable(id, &me).is_some();
    assert!(can(fixed.id), "an amendment that counts");
    assert!(!can(visit.id), "amended");
    assert!(!can(note.id), "voided");
    assert!(!can(void.id), "a void is not corrected, only its target");
    assert!(!can(others.id), "someone else's");
    assert!(!can(refused.id), "refused by the server");
    assert!(!can(RecordId::new_random()), "not in this file");
    assert!(matches!(
        shown.standings().get(&note.id),
        Some(Standing::Voided { .. })
    ));
}

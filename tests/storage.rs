//! The phone's storage in a real browser (headless Chromium through wasm-bindgen-test): what a
//! cadre saves is read back, queued exactly once, and still there after the database is opened
//! afresh, as after a page load.

#![cfg(target_arch = "wasm32")]

use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;
use xiafang::lock::{self, Held};
use xiafang::store::{FileOnPhone, LocalRecord, Store, settings};
use xiafang_core::file_edit::EditableField;
use xiafang_core::hlc::Hlc;
use xiafang_core::ledger::Standing;
use xiafang_core::sync::{Ack, Cursor, Outcome, PullResponse, Rejection, SyncState};
use xiafang_core::{FileId, PetitionerFile, Record, RecordId, UserId, fixtures};

wasm_bindgen_test_configure!(run_in_browser);

async fn fresh_store() -> (String, Store) {
    let name = format!("xiafang-test-{}", uuid::Uuid::new_v4());
    let store = Store::open(&name).await.expect("opens");
    (name, store)
}

fn file(id: &str, name: &str) -> PetitionerFile {
    serde_json::from_value(serde_json::json!({
        "id": id, "name": name, "sex": "male", "birth_year": 1968, "phone": null,
        "township": "南滨街道", "village": "阁一村", "address": "南滨街道阁一村三组",
        "household": "独居", "tags": [],
        "matter": {
            "summary": "要求重新核算分配款", "category": "collective_assets", "since": "2014-05-12",
            "channel": "visit", "classification": "grievance", "level_reached": "city",
            "flags": [], "resolution": "in_progress", "case_leader": null, "visits_before_app": 3
        }
    }))
    .expect("a valid file")
}

fn page(
    reset: bool,
    files: Vec<PetitionerFile>,
    records: Vec<Record>,
    cursor: &str,
) -> PullResponse {
    PullResponse {
        reset,
        files,
        records,
        cursor: Cursor(cursor.to_owned()),
        more: false,
        server_time: chrono::Utc::now(),
    }
}

fn state_of(timeline: &[LocalRecord], id: RecordId) -> Option<SyncState> {
    timeline
        .iter()
        .find(|l| l.record.id == id)
        .map(|l| l.state.clone())
}

/// Settles the oldest queued operation with `outcome`.
async fn settle_first(store: &Store, outcome: Outcome) {
    let ops = store.outbox(1).await.unwrap();
    let ack = Ack {
        seq: ops[0].seq,
        record_id: ops[0].record.id,
        outcome,
    };
    store.settle(&ops, &[ack]).await.unwrap();
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
    let me = UserId::from("u1");
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
async fn a_page_never_overwrites_a_pending_record() {
    let (_, store) = fresh_store().await;
    store
        .apply_pull(&page(true, vec![file("f1", "郭先生")], vec![], "c1"))
        .await
        .unwrap();
    let pending = fixtures::visit("f1", "u1");
    store.save_new(&pending).await.unwrap();
    // The server already has the pending record too (its acknowledgement was lost), in a
    // version that differs from the phone's.
    let mut server_copy = pending.clone();
    server_copy.author_name = "服务器上的版本".into();
    let from_server = fixtures::note("f1", "u2");
    store
        .apply_pull(&page(
            false,
            vec![],
            vec![from_server.clone(), server_copy],
            "c2",
        ))
        .await
        .unwrap();
    let timeline = store.timeline(&FileId::from("f1")).await.unwrap();
    assert_eq!(timeline.len(), 2);
    assert_eq!(
        state_of(&timeline, from_server.id),
        Some(SyncState::Uploaded)
    );
    let mine = timeline.iter().find(|l| l.record.id == pending.id).unwrap();
    assert_eq!((&mine.record, &mine.state), (&pending, &SyncState::Pending));
    assert_eq!(
        store.pending_count().await.unwrap(),
        1,
        "the outbox still holds it"
    );
    assert_eq!(store.outbox(50).await.unwrap()[0].record, pending);
    assert_eq!(
        store.files().await.unwrap().len(),
        1,
        "a page without files keeps the files downloaded before"
    );
}

#[wasm_bindgen_test]
async fn a_reset_keeps_pending_and_rejected_records_and_drops_old_downloads() {
    let (_, store) = fresh_store().await;
    let old_download = fixtures::note("f1", "u2");
    store
        .apply_pull(&page(
            false,
            vec![file("f1", "郭先生"), file("f2", "杨女士")],
            vec![old_download.clone()],
            "c1",
        ))
        .await
        .unwrap();
    let rejected = fixtures::visit("f1", "u1");
    store.save_new(&rejected).await.unwrap();
    settle_first(
        &store,
        Outcome::Rejected {
            reason: Rejection::NotPermitted,
        },
    )
    .await;
    let uploaded = fixtures::assistance("f1", "u1");
    store.save_new(&uploaded).await.unwrap();
    settle_first(&store, Outcome::Stored).await;
    let pending = fixtures::visit("f1", "u1");
    store.save_new(&pending).await.unwrap();

    let still_there = fixtures::note("f1", "u3");
    store
        .apply_pull(&page(
            true,
            vec![file("f1", "郭先生（新）")],
            vec![still_there.clone()],
            "c9",
        ))
        .await
        .unwrap();

    let timeline = store.timeline(&FileId::from("f1")).await.unwrap();
    assert_eq!(state_of(&timeline, pending.id), Some(SyncState::Pending));
    assert_eq!(
        state_of(&timeline, rejected.id),
        Some(SyncState::Rejected {
            reason: Rejection::NotPermitted
        }),
        "a rejected record stays on the phone with its reason"
    );
    assert_eq!(
        state_of(&timeline, still_there.id),
        Some(SyncState::Uploaded)
    );
    assert_eq!(state_of(&timeline, old_download.id), None);
    assert_eq!(
        state_of(&timeline, uploaded.id),
        None,
        "an uploaded record is the server's to send again"
    );
    assert_eq!(timeline.len(), 3);
    let files = store.files().await.unwrap();
    assert_eq!(
        files.iter().map(|f| f.name.as_str()).collect::<Vec<_>>(),
        ["郭先生（新）"]
    );
    assert_eq!(store.pending_count().await.unwrap(), 1);
    assert_eq!(store.cursor().await.unwrap(), Some(Cursor("c9".into())));
}

#[wasm_bindgen_test]
async fn cursor_and_pages_are_kept_together_across_reopening() {
    let (name, store) = fresh_store().await;
    assert_eq!(
        store.cursor().await.unwrap(),
        None,
        "nothing downloaded yet"
    );
    let first = fixtures::visit("f1", "u2");
    let second = fixtures::note("f2", "u2");
    let mut more = page(true, vec![file("f1", "郭先生")], vec![first.clone()], "c1");
    more.more = true;
    store.apply_pull(&more).await.unwrap();
    assert_eq!(store.cursor().await.unwrap(), Some(Cursor("c1".into())));
    store
        .apply_pull(&page(
            false,
            vec![file("f2", "杨女士")],
            vec![second.clone()],
            "c2",
        ))
        .await
        .unwrap();
    store.close();

    let reopened = Store::open(&name).await.unwrap();
    assert_eq!(reopened.cursor().await.unwrap(), Some(Cursor("c2".into())));
    assert_eq!(reopened.files().await.unwrap().len(), 2);
    let f1 = reopened.timeline(&FileId::from("f1")).await.unwrap();
    let f2 = reopened.timeline(&FileId::from("f2")).await.unwrap();
    assert_eq!(state_of(&f1, first.id), Some(SyncState::Uploaded));
    assert_eq!(state_of(&f2, second.id), Some(SyncState::Uploaded));
    assert_eq!(reopened.pending_count().await.unwrap(), 0);
}

#[wasm_bindgen_test]
async fn the_first_page_replaces_files_downloaded_before_the_cursor_was_kept() {
    // A phone upgraded from a version without cursors holds files but no cursor; the feed then
    // starts from the beginning, so what it held before is replaced even without a reset.
    let name = format!("xiafang-test-{}", uuid::Uuid::new_v4());
    create_version_1(
        &name,
        &file("f-old", "旧档案"),
        &fixtures::note("f-old", "u2"),
        SyncState::Uploaded,
    )
    .await;
    let upgraded = Store::open(&name).await.expect("upgrades");
    assert_eq!(upgraded.cursor().await.unwrap(), None);
    assert_eq!(
        upgraded.files().await.unwrap().len(),
        1,
        "version 1's files are kept"
    );
    upgraded
        .apply_pull(&page(false, vec![file("f1", "郭先生")], vec![], "c1"))
        .await
        .unwrap();
    let files = upgraded.files().await.unwrap();
    assert_eq!(
        files.iter().map(|f| f.id.0.as_str()).collect::<Vec<_>>(),
        ["f1"]
    );
    assert!(
        upgraded
            .timeline(&FileId::from("f-old"))
            .await
            .unwrap()
            .is_empty()
    );
}

#[wasm_bindgen_test]
async fn upgrading_from_version_1_keeps_records_and_the_outbox() {
    let name = format!("xiafang-test-{}", uuid::Uuid::new_v4());
    let pending = fixtures::visit("f1", "u1");
    create_version_1(&name, &file("f1", "郭先生"), &pending, SyncState::Pending).await;
    let store = Store::open(&name).await.expect("upgrades");
    let timeline = store.timeline(&FileId::from("f1")).await.unwrap();
    assert_eq!(timeline.len(), 1);
    assert_eq!(timeline[0].record, pending);
    assert_eq!(store.pending_count().await.unwrap(), 1);
    assert_eq!(store.outbox(50).await.unwrap()[0].record, pending);
    assert_eq!(store.files().await.unwrap().len(), 1);
    // The outbox numbering goes on from where version 1 left it.
    let next = store.save_new(&fixtures::note("f1", "u1")).await.unwrap();
    assert!(next > 1);
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

#[wasm_bindgen_test]
async fn the_upload_lock_has_one_holder_at_a_time() {
    let name = format!("xiafang-test-lock-{}", uuid::Uuid::new_v4());
    let inside = Rc::new(Cell::new(false));
    let (release, released) = {
        let mut resolve = None;
        let p = js_sys::Promise::new(&mut |res, _| resolve = Some(res));
        (resolve.unwrap(), wasm_bindgen_futures::JsFuture::from(p))
    };
    let holder = {
        let inside = inside.clone();
        let name = name.clone();
        async move {
            lock::if_available(&name, || async move {
                inside.set(true);
                released.await.unwrap();
                "first"
            })
            .await
        }
    };
    let (tx, rx) = one_shot();
    wasm_bindgen_futures::spawn_local(async move {
        let held = holder.await;
        tx(matches!(held, Held::Ran("first")));
    });
    while !inside.get() {
        sleep(10).await;
    }
    let second = lock::if_available(&name, || async { "second" }).await;
    assert!(
        matches!(second, Held::Busy),
        "the lock is held by the first"
    );
    release.call0(&JsValue::UNDEFINED).unwrap();
    assert!(rx.await, "the first ran to its end");
    let third = lock::if_available(&name, || async { "third" }).await;
    assert!(
        matches!(third, Held::Ran("third")),
        "the lock is free again"
    );
}

/// A one-shot channel from a spawned task, made of a promise.
fn one_shot() -> (impl FnOnce(bool), impl std::future::Future<Output = bool>) {
    let mut resolve = None;
    let p = js_sys::Promise::new(&mut |res, _| resolve = Some(res));
    let resolve: js_sys::Function = resolve.unwrap();
    let send = move |v: bool| {
        resolve
            .call1(&JsValue::UNDEFINED, &JsValue::from_bool(v))
            .unwrap();
    };
    let receive = async move {
        wasm_bindgen_futures::JsFuture::from(p)
            .await
            .unwrap()
            .as_bool()
            .unwrap()
    };
    (send, receive)
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

/// Writes a database the way version 1 of the app left it: a downloaded file and one record,
/// queued in the outbox if it is pending.
async fn create_version_1(name: &str, file: &PetitionerFile, record: &Record, state: SyncState) {
    let factory = web_sys::window().unwrap().indexed_db().unwrap().unwrap();
    let open = factory.open_with_u32(name, 1).unwrap();
    let upgrading = open.clone();
    let on_upgrade = Closure::once_into_js(move |_: web_sys::Event| {
        let db: web_sys::IdbDatabase = upgrading.result().unwrap().dyn_into().unwrap();
        let keyed = |path: &str| {
            let p = web_sys::IdbObjectStoreParameters::new();
            p.set_key_path(&JsValue::from_str(path));
            p
        };
        let records = db
            .create_object_store_with_optional_parameters("records", &keyed("id"))
            .unwrap();
        records.create_index_with_str("by_file", "file_id").unwrap();
        let outbox = keyed("seq");
        outbox.set_auto_increment(true);
        db.create_object_store_with_optional_parameters("outbox", &outbox)
            .unwrap();
        db.create_object_store_with_optional_parameters("files", &keyed("id"))
            .unwrap();
    });
    open.set_onupgradeneeded(Some(on_upgrade.unchecked_ref()));
    let db: web_sys::IdbDatabase = await_request(&open).await.dyn_into().unwrap();
    let tx = db
        .transaction_with_str_sequence_and_mode(
            &js_sys::Array::of3(&"records".into(), &"outbox".into(), &"files".into()),
            web_sys::IdbTransactionMode::Readwrite,
        )
        .unwrap();
    let json = |v: String| JsValue::from_str(&v);
    let row = |fields: &[(&str, JsValue)]| {
        let o = js_sys::Object::new();
        for (k, v) in fields {
            js_sys::Reflect::set(&o, &JsValue::from_str(k), v).unwrap();
        }
        JsValue::from(o)
    };
    tx.object_store("files")
        .unwrap()
        .put(&row(&[
            ("id", file.id.0.clone().into()),
            ("body", json(serde_json::to_string(file).unwrap())),
        ]))
        .unwrap();
    tx.object_store("records")
        .unwrap()
        .put(&row(&[
            ("id", record.id.to_string().into()),
            ("file_id", record.file_id.0.clone().into()),
            ("body", json(serde_json::to_string(record).unwrap())),
            ("state", json(serde_json::to_string(&state).unwrap())),
        ]))
        .unwrap();
    if state == SyncState::Pending {
        tx.object_store("outbox")
            .unwrap()
            .add(&row(&[
                ("record_id", record.id.to_string().into()),
                ("body", json(serde_json::to_string(record).unwrap())),
            ]))
            .unwrap();
    }
    let done = js_sys::Promise::new(&mut |res, _| tx.set_oncomplete(Some(&res)));
    wasm_bindgen_futures::JsFuture::from(done).await.unwrap();
    db.close();
}

async fn await_request(req: &web_sys::IdbRequest) -> JsValue {
    let p = js_sys::Promise::new(&mut |res: js_sys::Function, rej: js_sys::Function| {
        let ok = req.clone();
        let on_success = Closure::once_into_js(move |_: web_sys::Event| {
            res.call1(&JsValue::UNDEFINED, &ok.result().unwrap())
                .unwrap();
        });
        let on_error = Closure::once_into_js(move |e: web_sys::Event| {
            rej.call1(&JsValue::UNDEFINED, &e).unwrap();
        });
        req.set_onsuccess(Some(on_success.unchecked_ref()));
        req.set_onerror(Some(on_error.unchecked_ref()));
    });
    wasm_bindgen_futures::JsFuture::from(p).await.unwrap()
}

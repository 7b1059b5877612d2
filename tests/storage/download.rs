//! Downloads: a page of the change feed and its cursor are kept together, a reset keeps the
//! phone's own work, and a database from the first app version upgrades without loss.

use super::*;

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
    let _ = fresh_store().await; // the data key open, as after a sign-in
    let check = async |store: &Store| {
        let timeline = store.timeline(&FileId::from("f1")).await.unwrap();
        assert_eq!(timeline.len(), 1);
        assert_eq!(timeline[0].record, pending);
        assert_eq!(store.pending_count().await.unwrap(), 1);
        assert_eq!(store.outbox(50).await.unwrap()[0].record, pending);
        assert_eq!(store.files().await.unwrap().len(), 1);
    };
    // Rows an older version kept in the clear are read, then sealed in place.
    check(&store).await;
    store.seal_plain_rows().await.unwrap();
    check(&store).await;
    for table in ["records", "outbox", "files"] {
        for row in store.raw_rows(table).await.unwrap() {
            let plain = js_sys::Reflect::get(&row, &"body".into()).unwrap();
            assert!(plain.is_undefined(), "{table} still holds plain content");
        }
    }
    // The outbox numbering goes on from where version 1 left it.
    let next = store.save_new(&fixtures::note("f1", "u1")).await.unwrap();
    assert!(next > 1);
}

/// Writes a database the way version 1 of the app left it: a downloaded file and one record,
/// queued in the outbox if it is pending.
pub(super) async fn create_version_1(
    name: &str,
    file: &PetitionerFile,
    record: &Record,
    state: SyncState,
) {
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

pub(super) async fn await_request(req: &web_sys::IdbRequest) -> JsValue {
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

#[wasm_bindgen_test]
async fn the_overview_holds_every_file_with_its_records_oldest_first() {
    let (_, store) = fresh_store().await;
    let mut later = fixtures::visit("f1", "u1");
    later.occurred_at += chrono::Duration::days(1);
    let earlier = fixtures::note("f1", "u1");
    let theirs = fixtures::assistance("f2", "u2");
    store
        .apply_pull(&page(
            true,
            vec![file("f1", "郭先生"), file("f2", "杨女士")],
            vec![later.clone(), theirs.clone()],
            "c1",
        ))
        .await
        .unwrap();
    store.save_new(&earlier).await.unwrap();
    let mut overview = store.overview().await.unwrap();
    overview.sort_by(|a, b| a.0.id.0.cmp(&b.0.id.0));
    assert_eq!(overview.len(), 2);
    let ids = |i: usize| -> Vec<RecordId> { overview[i].1.iter().map(|l| l.record.id).collect() };
    assert_eq!(ids(0), vec![earlier.id, later.id]);
    assert_eq!(overview[0].1[0].state, SyncState::Pending);
    assert_eq!(ids(1), vec![theirs.id]);
}

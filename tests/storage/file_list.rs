//! The file list's summary (issue 17, cold start): whatever happened to the files — downloads,
//! resets, saves, a reopened database, files written by a release that kept no summary, a
//! summary gone missing — the list shows exactly the files the phone holds.

use super::download::await_request;
use super::*;
use xiafang_core::FileSummary;

/// What the list must show: every file on the phone, summarised, by id.
async fn expected(store: &Store) -> Vec<FileSummary> {
    let mut files: Vec<FileSummary> = store
        .files()
        .await
        .unwrap()
        .iter()
        .map(FileSummary::from)
        .collect();
    files.sort_by(|a, b| a.id.0.cmp(&b.id.0));
    files
}

async fn listed(store: &Store) -> Vec<FileSummary> {
    let mut list = store.file_list().await.unwrap();
    list.sort_by(|a, b| a.id.0.cmp(&b.id.0));
    list
}

fn names(list: &[FileSummary]) -> Vec<&str> {
    list.iter().map(|f| f.name.as_str()).collect()
}

/// The cursor the stored summary says it matches; `None` when there is no summary.
async fn summary_stamp(store: &Store) -> Option<String> {
    store
        .raw_rows("meta")
        .await
        .unwrap()
        .iter()
        .filter(|row| row.is_object())
        .find_map(|row| {
            js_sys::Reflect::get(row, &"cursor".into())
                .ok()?
                .as_string()
        })
}

/// Writes to the database the way a release without the summary does (its download puts a
/// file and moves the cursor on), or removes the summary: through a connection of its own.
async fn write_behind_the_summary(name: &str, put: Option<&PetitionerFile>, cursor: Option<&str>) {
    let factory = web_sys::window().unwrap().indexed_db().unwrap().unwrap();
    let db: web_sys::IdbDatabase = await_request(&factory.open(name).unwrap())
        .await
        .dyn_into()
        .unwrap();
    let tx = db
        .transaction_with_str_sequence_and_mode(
            &js_sys::Array::of2(&"files".into(), &"meta".into()),
            web_sys::IdbTransactionMode::Readwrite,
        )
        .unwrap();
    if let Some(file) = put {
        let row = js_sys::Object::new();
        js_sys::Reflect::set(&row, &"id".into(), &file.id.0.clone().into()).unwrap();
        let body = serde_json::to_string(file).unwrap();
        js_sys::Reflect::set(&row, &"body".into(), &body.into()).unwrap();
        tx.object_store("files").unwrap().put(&row).unwrap();
    }
    let meta = tx.object_store("meta").unwrap();
    match cursor {
        Some(cursor) => {
            meta.put_with_key(&cursor.into(), &"pull_cursor".into())
                .unwrap();
        }
        None => {
            meta.delete(&"file_list".into()).unwrap();
        }
    }
    let done = js_sys::Promise::new(&mut |res, _| tx.set_oncomplete(Some(&res)));
    wasm_bindgen_futures::JsFuture::from(done).await.unwrap();
    db.close();
}

#[wasm_bindgen_test]
async fn the_list_shows_every_file_after_downloads_saves_and_a_reopening() {
    let (name, store) = fresh_store().await;
    store
        .apply_pull(&page(
            true,
            vec![file("f1", "郭先生"), file("f2", "杨女士")],
            vec![],
            "c1",
        ))
        .await
        .unwrap();
    assert_eq!(names(&listed(&store).await), ["郭先生", "杨女士"]);
    assert_eq!(summary_stamp(&store).await.as_deref(), Some("c1"));
    // The server renames one file, settles its matter, and adds another.
    let mut renamed = file("f1", "郭某");
    renamed.matter.resolution = xiafang_core::file::Resolution::Resolved;
    store
        .apply_pull(&page(
            false,
            vec![renamed, file("f3", "黄老伯")],
            vec![],
            "c2",
        ))
        .await
        .unwrap();
    assert_eq!(listed(&store).await, expected(&store).await);
    assert_eq!(names(&listed(&store).await), ["郭某", "杨女士", "黄老伯"]);
    // Saves and pages without files leave the list as it is, and the summary current.
    store.save_new(&fixtures::visit("f2", "u1")).await.unwrap();
    store
        .apply_pull(&page(false, vec![], vec![fixtures::note("f3", "u2")], "c3"))
        .await
        .unwrap();
    assert_eq!(summary_stamp(&store).await.as_deref(), Some("c3"));
    assert_eq!(listed(&store).await, expected(&store).await);
    // As after a reload.
    store.close();
    let reopened = Store::open(&name).await.unwrap();
    assert_eq!(listed(&reopened).await, expected(&reopened).await);
    assert_eq!(listed(&reopened).await.len(), 3);
    // A reset (the feed restarted) keeps only what it brings.
    reopened
        .apply_pull(&page(true, vec![file("f9", "新档案")], vec![], "c4"))
        .await
        .unwrap();
    assert_eq!(names(&listed(&reopened).await), ["新档案"]);
    assert_eq!(summary_stamp(&reopened).await.as_deref(), Some("c4"));
}

#[wasm_bindgen_test]
async fn files_written_without_the_summary_are_listed_and_the_summary_rebuilt() {
    let (name, store) = fresh_store().await;
    store
        .apply_pull(&page(true, vec![file("f1", "郭先生")], vec![], "c1"))
        .await
        .unwrap();
    assert_eq!(listed(&store).await.len(), 1);
    // A release without the summary downloads a file (the same as a write the summary missed).
    write_behind_the_summary(&name, Some(&file("f2", "杨女士")), Some("c2")).await;
    assert_eq!(names(&listed(&store).await), ["郭先生", "杨女士"]);
    assert_eq!(
        summary_stamp(&store).await.as_deref(),
        Some("c2"),
        "rebuilt once, so the next start opens one row again"
    );
    // Even where the cursor did not move, a file more than the summary holds is seen.
    write_behind_the_summary(&name, Some(&file("f3", "黄老伯")), Some("c2")).await;
    assert_eq!(listed(&store).await, expected(&store).await);
    assert_eq!(listed(&store).await.len(), 3);
    // And a download after that builds on the rebuilt summary.
    store
        .apply_pull(&page(false, vec![file("f4", "郭女士")], vec![], "c3"))
        .await
        .unwrap();
    assert_eq!(listed(&store).await, expected(&store).await);
    assert_eq!(listed(&store).await.len(), 4);
}

#[wasm_bindgen_test]
async fn a_phone_from_the_previous_release_builds_the_summary_once() {
    let (name, store) = fresh_store().await;
    store
        .apply_pull(&page(
            true,
            vec![file("f1", "郭先生"), file("f2", "杨女士")],
            vec![],
            "c1",
        ))
        .await
        .unwrap();
    // The previous release kept the files and the cursor, and no summary.
    write_behind_the_summary(&name, None, None).await;
    assert_eq!(summary_stamp(&store).await, None);
    // A download before the list is first drawn does not take a summary it does not have.
    store
        .apply_pull(&page(false, vec![file("f3", "黄老伯")], vec![], "c2"))
        .await
        .unwrap();
    assert_eq!(summary_stamp(&store).await, None);
    assert_eq!(listed(&store).await, expected(&store).await);
    assert_eq!(listed(&store).await.len(), 3);
    assert_eq!(summary_stamp(&store).await.as_deref(), Some("c2"));
}

#[wasm_bindgen_test]
async fn a_database_from_version_1_lists_its_files() {
    let name = format!("xiafang-test-{}", uuid::Uuid::new_v4());
    download::create_version_1(
        &name,
        &file("f-old", "旧档案"),
        &fixtures::note("f-old", "u2"),
        SyncState::Uploaded,
    )
    .await;
    let upgraded = Store::open(&name).await.expect("upgrades");
    let _ = fresh_store().await; // the data key open, as after a sign-in
    assert_eq!(names(&listed(&upgraded).await), ["旧档案"]);
}

#[wasm_bindgen_test]
fn the_summary_searches_like_the_file() {
    let mut f = file("f1", "郭先生");
    f.group = "三组".into();
    let summary = FileSummary::from(&f);
    for q in ["", "郭", "阁一村", "南滨", "三组", "杨", "collective"] {
        assert_eq!(summary.matches(q), f.matches(q), "query {q:?}");
    }
}

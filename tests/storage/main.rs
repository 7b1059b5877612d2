//! The phone's storage in a real browser (headless Chromium through wasm-bindgen-test): what a
//! cadre saves is read back, queued exactly once, and still there after the database is opened
//! afresh, as after a page load. One test binary, split by what it checks: `saving`, `download`,
//! `ledger` and `blobs`; the helpers here are shared.

#![cfg(target_arch = "wasm32")]

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;
use xiafang::lock::{self, Taken};
use xiafang::store::{FileOnPhone, LocalRecord, Store, settings, vault};
use xiafang_core::file_edit::EditableField;
use xiafang_core::hlc::Hlc;
use xiafang_core::ledger::Standing;
use xiafang_core::{FileId, PetitionerFile, Record, RecordId, UserId, fixtures};
use xiafang_core::{
    feed::{Cursor, PullResponse},
    upload::{Ack, SyncState},
    verdict::{Outcome, Rejection},
};

wasm_bindgen_test_configure!(run_in_browser);

mod blobs;
mod download;
mod file_list;
mod ledger;
mod resend;
mod saving;

mod sealed;

/// What a password sign-in would hand this test phone: the server's unlock secret (base64 of 32
/// bytes) for the test account.
const TEST_SECRET: &str = "dGVzdC1zZWNyZXQtb2YtMzItYnl0ZXMtZm9yLXRoZS0=";

/// A new, empty database of its own, with the phone's data key open as after a sign-in.
async fn fresh_store() -> (String, Store) {
    let name = format!("xiafang-test-{}", uuid::Uuid::new_v4());
    let store = Store::open(&name).await.expect("opens");
    if !vault::is_open() {
        vault::open_with_sign_in(
            &store,
            &UserId("tester".into()),
            TEST_SECRET,
            Default::default(),
        )
        .await
        .expect("the data key opens");
    }
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
        resend: false,
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

//! The file's history is a ledger: corrections are new records, file fields merge one by one,
//! and a phone's wrong clock changes nothing but a note for the supervisor.

mod common;

use axum::http::StatusCode;
use chrono::{Duration, Utc};
use common::{TestServer, parse, small_world};
use xiafang_core::file_edit::{EditableField, FileConflict};
use xiafang_core::hlc::Hlc;
use xiafang_core::{DeviceId, FileId, Record, UserId, fixtures};
use xiafang_core::{
    admin::DeviceReport,
    feed::PullResponse,
    upload::PushRequest,
    verdict::{Outcome, Rejection},
};

async fn push_at(
    server: &TestServer,
    token: &str,
    records: &[Record],
    device_time: chrono::DateTime<Utc>,
) -> (DeviceId, Vec<Outcome>) {
    let device = DeviceId::new_random();
    let req = PushRequest {
        device_time,
        ..common::batch(device, 1, records)
    };
    let res = server.push(token, &req).await;
    (device, res.acks.into_iter().map(|a| a.outcome).collect())
}

async fn push(server: &TestServer, token: &str, records: &[Record]) -> Vec<Outcome> {
    push_at(server, token, records, Utc::now()).await.1
}

/// Both cadres may write to f-a1, so one can try to correct or edit over the other.
async fn share_f_a1_with_li(server: &TestServer) {
    server
        .state
        .db
        .assign(&FileId::from("f-a1"), &UserId::from("li"))
        .await
        .expect("assign");
}

fn rejected(reason: Rejection) -> Outcome {
    Outcome::Rejected { reason }
}

#[tokio::test]
async fn corrections_keep_both_records_and_only_the_author_may_make_them() {
    for server in TestServer::each(&small_world()).await {
        share_f_a1_with_li(&server).await;
        let wang = server.login("wang").await;
        let li = server.login("li").await;
        let visit = fixtures::visit("f-a1", "wang");
        let note = fixtures::note("f-a1", "wang");
        assert_eq!(
            push(&server, &wang, &[visit.clone(), note.clone()]).await,
            vec![Outcome::Stored, Outcome::Stored]
        );
        let fixed = fixtures::amendment(&visit, fixtures::visit("f-a1", "wang").body);
        let void = fixtures::void(&note, "记错了档案");
        let wrong_kind = fixtures::amendment(&visit, fixtures::note("f-a1", "wang").body);
        let missing = fixtures::void(&fixtures::note("f-a1", "wang"), "没有这条");
        let other_file = fixtures::void(&fixtures::note("f-b1", "wang"), "x");
        let outcomes = push(&server, &wang, &[fixed, void, wrong_kind, missing]).await;
        assert_eq!(
            outcomes,
            vec![
                Outcome::Stored,
                Outcome::Stored,
                rejected(Rejection::TargetKindMismatch),
                rejected(Rejection::TargetMissing),
            ]
        );
        assert_eq!(
            push(&server, &wang, &[other_file]).await,
            vec![rejected(Rejection::NotPermitted)]
        );
        let mut by_li = fixtures::void(&visit, "不是我写的");
        by_li.author = UserId::from("li");
        assert_eq!(
            push(&server, &li, &[by_li]).await,
            vec![rejected(Rejection::TargetNotYours)]
        );
        let (_, timeline) = server.get("/api/files/f-a1/records", Some(&wang)).await;
        let timeline: Vec<Record> = parse(timeline);
        assert_eq!(timeline.len(), 4, "originals and corrections all stay");
    }
}

fn stamp(device: DeviceId, wall_ms: i64) -> Hlc {
    Hlc {
        wall_ms,
        counter: 0,
        device,
    }
}

async fn file_phone(server: &TestServer, token: &str) -> Option<String> {
    let (_, body) = server.get("/api/sync/pull", Some(token)).await;
    let page: PullResponse = parse(body);
    page.files
        .into_iter()
        .find(|f| f.id.0 == "f-a1")
        .and_then(|f| f.phone)
}

#[tokio::test]
async fn concurrent_field_edits_keep_the_newer_and_list_the_other() {
    for server in TestServer::each(&small_world()).await {
        share_f_a1_with_li(&server).await;
        let wang = server.login("wang").await;
        let li = server.login("li").await;
        assert_eq!(file_phone(&server, &wang).await, None);
        let (dw, dl) = (DeviceId::new_random(), DeviceId::new_random());
        let phone = EditableField::Phone;
        // Both start from the registered (empty) phone; li's edit is newer but arrives first.
        let newer = fixtures::file_edit("f-a1", "li", phone, "", "13900000002", stamp(dl, 2_000));
        let older = fixtures::file_edit("f-a1", "wang", phone, "", "13800000001", stamp(dw, 1_000));
        assert_eq!(
            push(&server, &li, std::slice::from_ref(&newer)).await,
            vec![Outcome::Stored]
        );
        assert_eq!(
            push(&server, &wang, std::slice::from_ref(&older)).await,
            vec![Outcome::Stored]
        );
        assert_eq!(
            file_phone(&server, &wang).await.as_deref(),
            Some("13900000002")
        );
        let (status, body) = server.get("/api/files/f-a1/conflicts", Some(&wang)).await;
        assert_eq!(status, StatusCode::OK);
        let conflicts: Vec<FileConflict> = parse(body);
        assert_eq!(conflicts.len(), 1);
        assert_eq!(
            (conflicts[0].kept.as_str(), conflicts[0].lost.as_str()),
            ("13900000002", "13800000001")
        );
        assert_eq!(conflicts[0].lost_record, Some(older.id));
        // An edit made on top of the current value applies without a conflict.
        let next = fixtures::file_edit(
            "f-a1",
            "wang",
            phone,
            "13900000002",
            "13700000003",
            stamp(dw, 1_500),
        );
        assert_eq!(push(&server, &wang, &[next]).await, vec![Outcome::Stored]);
        assert_eq!(
            file_phone(&server, &li).await.as_deref(),
            Some("13700000003")
        );
        let (_, body) = server.get("/api/files/f-a1/conflicts", Some(&li)).await;
        assert_eq!(parse::<Vec<FileConflict>>(body).len(), 1);
        // Another township's cadre may not read the list.
        let (status, _) = server.get("/api/files/f-b1/conflicts", Some(&wang)).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn a_phone_clock_a_year_off_is_stored_and_noted() {
    for server in TestServer::each(&small_world()).await {
        let wang = server.login("wang").await;
        for offset in [Duration::days(365), -Duration::days(365)] {
            let (device, outcomes) = push_at(
                &server,
                &wang,
                &[fixtures::note("f-a1", "wang")],
                Utc::now() + offset,
            )
            .await;
            assert_eq!(outcomes, vec![Outcome::Stored]);
            let mark = server
                .state
                .db
                .device(device)
                .await
                .unwrap()
                .expect("device known");
            assert_eq!(mark.last_seq, 1);
            let off_by = (mark.clock_skew_ms - offset.num_milliseconds()).abs();
            assert!(off_by < 60_000, "skew recorded: {}", mark.clock_skew_ms);
            assert!(xiafang_core::hlc::clock_was_off(mark.clock_skew_ms));
        }
        // The county supervisor sees that wang's phones were off; a cadre may not look.
        let sup = server.login("sup-county").await;
        let (status, body) = server.get("/api/devices", Some(&sup)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let devices: Vec<DeviceReport> = parse(body);
        assert_eq!(devices.len(), 2);
        assert!(devices.iter().all(|d| d.clock_off && d.account.0 == "wang"));
        let (status, _) = server.get("/api/devices", Some(&wang)).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }
}

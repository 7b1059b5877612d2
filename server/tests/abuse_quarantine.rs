//! A lost phone's hand-over is no back door: only the account that last signed in on the phone
//! hands over from it, each record is judged like an upload before it is queued, nothing at a
//! taken slot vanishes, and an accused official never sees — nor destroys — what is handed
//! over about them. A session also speaks only for its own phone.

mod common;

use axum::http::StatusCode;
use common::{PASSWORD, TestServer, file, parse, small_world};
use serde_json::json;
use xiafang_core::file::{Accused, Classification};
use xiafang_core::{DeviceId, Record, UserId, fixtures};
use xiafang_core::{
    admin::QuarantinedRecord,
    upload::PushResponse,
    verdict::{Outcome, Rejection},
};

async fn login_from(server: &TestServer, name: &str, device: DeviceId) -> String {
    let body = json!({"username": name, "password": PASSWORD, "device_id": device});
    let (status, body) = server.post("/api/login", None, &body).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["token"].as_str().expect("token").to_owned()
}

/// wang's phone, signed in and then revoked by the township's administrator.
async fn revoked_phone_of_wang(server: &TestServer) -> (DeviceId, String) {
    let phone = DeviceId::new_random();
    let wang = login_from(server, "wang", phone).await;
    let admin = server.login("admin-a").await;
    let path = format!("/api/admin/devices/{phone}/revoke");
    assert_eq!(
        server.post(&path, Some(&admin), &()).await.0,
        StatusCode::NO_CONTENT
    );
    (phone, wang)
}

async fn waiting(server: &TestServer, token: &str) -> Vec<QuarantinedRecord> {
    let (status, body) = server.get("/api/quarantine", Some(token)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    parse(body)
}

async fn hand_over(
    server: &TestServer,
    token: &str,
    phone: DeviceId,
    first: u64,
    records: &[Record],
) -> (StatusCode, serde_json::Value) {
    let req = common::batch(phone, first, records);
    server.post("/api/sync/push", Some(token), &req).await
}

#[tokio::test]
async fn nobody_hands_over_from_another_cadres_lost_phone() {
    for server in TestServer::each(&small_world()).await {
        let (phone, _) = revoked_phone_of_wang(&server).await;
        // li knows the lost phone's id and hands over a "visit by wang" on a file li cannot read.
        let li = server.login("li").await;
        let forged = fixtures::visit("f-a1", "wang");
        let own = fixtures::note("f-a1", "li");
        let (status, body) = hand_over(&server, &li, phone, 1, &[forged, own]).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
        let sup = server.login("sup-a").await;
        assert!(waiting(&server, &sup).await.is_empty(), "nothing queued");
    }
}

#[tokio::test]
async fn a_handover_is_judged_like_an_upload_before_it_is_queued() {
    for server in TestServer::each(&small_world()).await {
        let (phone, wang) = revoked_phone_of_wang(&server).await;
        let as_li = fixtures::note("f-a1", "li");
        let elsewhere = fixtures::note("f-b1", "wang");
        let mut invalid = fixtures::note("f-a1", "wang");
        if let xiafang_core::RecordBody::Note(n) = &mut invalid.body {
            n.text.clear();
        }
        let fine = fixtures::note("f-a1", "wang");
        let records = [as_li, elsewhere, invalid, fine.clone()];
        let (status, body) = hand_over(&server, &wang, phone, 1, &records).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let res: PushResponse = parse(body);
        assert!(res.erase);
        let outcomes: Vec<Outcome> = res.acks.into_iter().map(|a| a.outcome).collect();
        assert_eq!(
            outcomes[..2],
            [
                Outcome::Rejected {
                    reason: Rejection::AuthorMismatch
                },
                Outcome::Rejected {
                    reason: Rejection::NotPermitted
                }
            ]
        );
        assert!(
            matches!(
                &outcomes[2],
                Outcome::Rejected {
                    reason: Rejection::Invalid { .. }
                }
            ),
            "{:?}",
            outcomes[2]
        );
        assert_eq!(outcomes[3], Outcome::Quarantined);

        let sup = server.login("sup-county").await;
        let queued = waiting(&server, &sup).await;
        assert_eq!(queued.len(), 1, "only the record wang could have uploaded");
        let q = &queued[0];
        assert_eq!(q.record.id, fine.id);
        // The reviewer sees who handed it over, by the server's own name for them.
        assert_eq!(q.handed_over_by, UserId::from("wang"));
        assert_eq!(q.handed_over_by_name, "wang 姓名");
        assert_eq!(q.record.author_name, "wang 姓名");
        assert!(chrono::Utc::now() - q.received_at < chrono::Duration::minutes(5));
    }
}

#[tokio::test]
async fn a_second_record_at_a_taken_slot_is_kept_for_review_not_dropped() {
    for server in TestServer::each(&small_world()).await {
        let (phone, wang) = revoked_phone_of_wang(&server).await;
        let first = fixtures::note("f-a1", "wang");
        let second = fixtures::assistance("f-a1", "wang");
        for record in [&first, &first, &second] {
            let (status, body) =
                hand_over(&server, &wang, phone, 7, std::slice::from_ref(record)).await;
            assert_eq!(status, StatusCode::OK, "{body}");
            assert_eq!(
                parse::<PushResponse>(body).acks[0].outcome,
                Outcome::Quarantined
            );
        }
        let sup = server.login("sup-a").await;
        let mut ids: Vec<String> = waiting(&server, &sup)
            .await
            .into_iter()
            .map(|q| q.record.id.to_string())
            .collect();
        ids.sort();
        let mut expected = vec![first.id.to_string(), second.id.to_string()];
        expected.sort();
        assert_eq!(ids, expected, "the repeat once, the other record kept");

        // Accepting stores it as wang's upload.
        let accept = format!("/api/quarantine/{phone}/{}/accept", second.id);
        let (status, body) = server.post(&accept, Some(&sup), &()).await;
        assert_eq!(
            (status, parse::<Outcome>(body)),
            (StatusCode::OK, Outcome::Stored)
        );
        let (_, body) = server.get("/api/files/f-a1/records", Some(&sup)).await;
        let stored: Vec<Record> = parse(body);
        assert_eq!(stored.len(), 1);
        assert_eq!(stored[0].author, UserId::from("wang"));
    }
}

/// `f-acc` accuses supervisor `sup-a`; wang, assigned to it, loses his phone.
fn accusation_world() -> xiafang_server::demo::Demo {
    let mut world = small_world();
    let mut acc = file("f-acc", "a1", &["wang"]);
    acc.file.matter.classification = Classification::Accusation;
    acc.file.matter.accused = vec![Accused {
        name: "某督查".into(),
        account: Some(UserId::from("sup-a")),
        place: None,
    }];
    world.files.push(acc);
    world
}

#[tokio::test]
async fn the_accused_supervisor_neither_sees_nor_rejects_what_a_lost_phone_hands_over() {
    for server in TestServer::each(&accusation_world()).await {
        let (phone, wang) = revoked_phone_of_wang(&server).await;
        let about = fixtures::note("f-acc", "wang");
        let (status, body) =
            hand_over(&server, &wang, phone, 1, std::slice::from_ref(&about)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(
            parse::<PushResponse>(body).acks[0].outcome,
            Outcome::Quarantined
        );

        let accused = server.login("sup-a").await;
        assert!(waiting(&server, &accused).await.is_empty(), "not listed");
        let reject = format!("/api/quarantine/{phone}/{}/reject", about.id);
        let never = format!("/api/quarantine/{phone}/{}/reject", uuid::Uuid::new_v4());
        let (status, body) = server.post(&reject, Some(&accused), &()).await;
        assert_eq!(
            (status, &body),
            (
                StatusCode::NOT_FOUND,
                &server.post(&never, Some(&accused), &()).await.1
            )
        );

        // Nor does any guessed id open an item.
        for path in [
            format!("/api/quarantine/{phone}/1/accept"),
            format!(
                "/api/quarantine/{}/{}/accept",
                DeviceId::new_random(),
                about.id
            ),
            format!("/api/quarantine/not-a-phone/{}/accept", about.id),
        ] {
            let (status, body) = server.post(&path, Some(&accused), &()).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{path}: {body}");
        }

        // The county's supervisor, not accused, reviews it.
        let county = server.login("sup-county").await;
        assert_eq!(waiting(&server, &county).await.len(), 1);
        let accept = format!("/api/quarantine/{phone}/{}/accept", about.id);
        assert_eq!(
            server.post(&accept, Some(&county), &()).await.0,
            StatusCode::OK
        );
    }
}

#[tokio::test]
async fn a_push_naming_another_cadres_phone_is_refused_and_takes_nothing_from_it() {
    for server in TestServer::each(&small_world()).await {
        let phone = DeviceId::new_random();
        let wang = login_from(&server, "wang", phone).await;
        let visit = fixtures::visit("f-a1", "wang");
        let res = server
            .push(
                &wang,
                &common::batch(phone, 1, std::slice::from_ref(&visit)),
            )
            .await;
        assert_eq!(res.acks[0].outcome, Outcome::Stored);

        // li, signed in without a phone and from a phone of her own, names wang's phone.
        let li_plain = server.login("li").await;
        let li_phone = login_from(&server, "li", DeviceId::new_random()).await;
        for li in [&li_plain, &li_phone] {
            let (status, body) =
                hand_over(&server, li, phone, 2, &[fixtures::note("f-b1", "li")]).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
            // Replaying the phone's acks cursor reveals nothing of wang's uploads.
            let (status, body) = server
                .get(
                    &format!("/api/sync/acks?device_id={phone}&after=0"),
                    Some(li),
                )
                .await;
            assert!(
                status == StatusCode::FORBIDDEN || body["acks"] == json!([]),
                "{status} {body}"
            );
            assert!(!body.to_string().contains(&visit.id.to_string()));
        }
        // A session of wang's own phone speaks only for that phone.
        let other = DeviceId::new_random();
        let (status, _) =
            hand_over(&server, &wang, other, 1, &[fixtures::note("f-a1", "wang")]).await;
        assert_eq!(status, StatusCode::FORBIDDEN);

        // wang's next upload keeps its own slot and its lost answer is found again.
        let note = fixtures::note("f-a1", "wang");
        let res = server
            .push(&wang, &common::batch(phone, 2, std::slice::from_ref(&note)))
            .await;
        assert_eq!(res.acks[0].outcome, Outcome::Stored);
        let (_, body) = server
            .get(
                &format!("/api/sync/acks?device_id={phone}&after=1"),
                Some(&wang),
            )
            .await;
        let acks: PushResponse = parse(body);
        assert_eq!(acks.acks.len(), 1);
        assert_eq!(acks.acks[0].record_id, note.id);
    }
}

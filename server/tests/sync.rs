//! Uploads reach the server exactly once, whatever the network does to the requests.

mod common;

use axum::http::StatusCode;
use common::{TestServer, batch, parse, small_world};
use xiafang_core::{DeviceId, Field, Problem, Record, RecordBody, fixtures};
use xiafang_core::{
    upload::{PushRequest, PushResponse},
    verdict::{Outcome, Rejection},
};

async fn push(server: &TestServer, token: &str, req: &PushRequest) -> PushResponse {
    let (status, body) = server.post("/api/sync/push", Some(token), req).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    parse(body)
}

async fn timeline(server: &TestServer, token: &str, file: &str) -> Vec<Record> {
    let (status, body) = server
        .get(&format!("/api/files/{file}/records"), Some(token))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    parse(body)
}

fn wang_records() -> Vec<Record> {
    vec![
        fixtures::visit("f-a1", "wang"),
        fixtures::assistance("f-a1", "wang"),
        fixtures::note("f-a1", "wang"),
    ]
}

#[tokio::test]
async fn pushed_batch_is_stored_and_acknowledged_in_order() {
    for server in TestServer::each(&small_world()).await {
        let token = server.login("wang").await;
        let records = wang_records();
        let req = batch(DeviceId::new_random(), 1, &records);
        let res = push(&server, &token, &req).await;
        assert_eq!(res.acks.len(), 3);
        for (ack, op) in res.acks.iter().zip(&req.ops) {
            assert_eq!(
                (ack.seq, ack.record_id, &ack.outcome),
                (op.seq, op.record.id, &Outcome::Stored)
            );
        }
        let stored = timeline(&server, &token, "f-a1").await;
        assert_eq!(stored.len(), 3);
        for r in records.iter().map(common::as_stored) {
            assert_eq!(stored.iter().filter(|s| **s == r).count(), 1, "{r:?}");
        }
    }
}

#[tokio::test]
async fn same_batch_twice_stores_nothing_new_and_answers_the_same() {
    for server in TestServer::each(&small_world()).await {
        let token = server.login("wang").await;
        let req = batch(DeviceId::new_random(), 7, &wang_records());
        let first = push(&server, &token, &req).await;
        let second = push(&server, &token, &req).await;
        assert_eq!(first, second);
        assert_eq!(timeline(&server, &token, "f-a1").await.len(), 3);
    }
}

#[tokio::test]
async fn retry_after_lost_response_and_server_restart_stores_nothing_twice() {
    for server in TestServer::each(&small_world()).await {
        let token = server.login("wang").await;
        let device = DeviceId::new_random();
        let records = wang_records();
        // The first request reached the server, but its response was lost on the way back.
        push(&server, &token, &batch(device, 1, &records[..2])).await;
        let server = server.restart().await;
        // The phone retries everything still in its outbox, plus what it saved meanwhile.
        let res = push(&server, &token, &batch(device, 1, &records)).await;
        assert!(res.acks.iter().all(|a| a.outcome == Outcome::Stored));
        // And a phone whose outbox numbering restarted still cannot store a record twice.
        let res = push(&server, &token, &batch(DeviceId::new_random(), 1, &records)).await;
        assert!(res.acks.iter().all(|a| a.outcome == Outcome::Stored));
        assert_eq!(timeline(&server, &token, "f-a1").await.len(), 3);
    }
}

#[tokio::test]
async fn invalid_record_is_rejected_with_reasons_and_does_not_block_the_rest() {
    for server in TestServer::each(&small_world()).await {
        let token = server.login("wang").await;
        let mut records = wang_records();
        let RecordBody::Visit(v) = &mut records[0].body else {
            unreachable!()
        };
        v.place.clear();
        v.requests = "诉".repeat(5000);
        let res = push(&server, &token, &batch(DeviceId::new_random(), 1, &records)).await;
        let Outcome::Rejected {
            reason: Rejection::Invalid { errors },
        } = &res.acks[0].outcome
        else {
            panic!("expected a rejection, got {:?}", res.acks[0]);
        };
        let found: Vec<_> = errors.iter().map(|e| (e.field, e.problem)).collect();
        assert_eq!(
            found,
            vec![
                (Field::Place, Problem::Required),
                (Field::Requests, Problem::TooLong { max: 4000 })
            ]
        );
        assert_eq!(res.acks[1].outcome, Outcome::Stored);
        assert_eq!(res.acks[2].outcome, Outcome::Stored);
        let stored = timeline(&server, &token, "f-a1").await;
        assert_eq!(stored.len(), 2);
        assert!(
            stored.iter().all(|r| r.id != records[0].id),
            "no half-written visit"
        );
    }
}

#[tokio::test]
async fn correction_sent_in_the_same_batch_as_its_record_counts_the_record() {
    for server in TestServer::each(&small_world()).await {
        let token = server.login("wang").await;
        let note = fixtures::note("f-a1", "wang");
        let amended = fixtures::amendment(&note, note.body.clone());
        let void = fixtures::void(&amended, "记错了");
        // The same record twice under two numbers: stored once, and the copy is a success.
        let records = [note.clone(), amended, void, note];
        let res = push(&server, &token, &batch(DeviceId::new_random(), 1, &records)).await;
        let outcomes: Vec<_> = res.acks.iter().map(|a| &a.outcome).collect();
        assert_eq!(outcomes, vec![&Outcome::Stored; 4]);
        assert_eq!(timeline(&server, &token, "f-a1").await.len(), 3);
    }
}

#[tokio::test]
async fn one_number_used_twice_in_a_batch_keeps_its_first_answer() {
    for server in TestServer::each(&small_world()).await {
        let token = server.login("wang").await;
        let device = DeviceId::new_random();
        let mut req = batch(device, 5, &wang_records()[..2]);
        req.ops[1].seq = 5;
        let first = push(&server, &token, &req).await;
        assert!(first.acks.iter().all(|a| a.outcome == Outcome::Stored));
        // Sent again, the first operation is a repeat; the second, whose number already names
        // another record, is judged again and found already stored.
        let again = push(&server, &token, &req).await;
        assert_eq!(again.acks, first.acks);
        assert_eq!(timeline(&server, &token, "f-a1").await.len(), 2);
    }
}

#[tokio::test]
async fn same_record_id_with_other_content_is_refused_and_the_first_kept() {
    for server in TestServer::each(&small_world()).await {
        let token = server.login("wang").await;
        let original = fixtures::note("f-a1", "wang");
        push(
            &server,
            &token,
            &batch(DeviceId::new_random(), 1, std::slice::from_ref(&original)),
        )
        .await;
        let mut altered = original.clone();
        let RecordBody::Note(n) = &mut altered.body else {
            unreachable!()
        };
        n.text = "改过的内容".into();
        let res = push(
            &server,
            &token,
            &batch(DeviceId::new_random(), 1, &[altered]),
        )
        .await;
        assert_eq!(
            res.acks[0].outcome,
            Outcome::Rejected {
                reason: Rejection::IdConflict
            }
        );
        assert_eq!(
            timeline(&server, &token, "f-a1").await,
            vec![common::as_stored(&original)]
        );
    }
}

#[tokio::test]
async fn cadre_cannot_read_or_write_a_file_not_assigned_to_them() {
    for server in TestServer::each(&small_world()).await {
        let wang = server.login("wang").await;
        let li = server.login("li").await;

        // Answered as a file that does not exist, so guessed ids tell nothing.
        let (status, body) = server.get("/api/files/f-b1/records", Some(&wang)).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_eq!(body["code"], "not_found");

        let intruding = fixtures::visit("f-b1", "wang");
        let res = push(
            &server,
            &wang,
            &batch(DeviceId::new_random(), 1, &[intruding]),
        )
        .await;
        assert_eq!(
            res.acks[0].outcome,
            Outcome::Rejected {
                reason: Rejection::NotPermitted
            }
        );
        assert!(timeline(&server, &li, "f-b1").await.is_empty());

        let (_, pulled) = server.get("/api/sync/pull", Some(&wang)).await;
        let ids: Vec<_> = pulled["files"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["id"].clone())
            .collect();
        assert_eq!(ids, vec!["f-a1"]);
    }
}

#[tokio::test]
async fn records_must_be_written_in_ones_own_name() {
    for server in TestServer::each(&small_world()).await {
        let wang = server.login("wang").await;
        let forged = fixtures::visit("f-a1", "li");
        let res = push(&server, &wang, &batch(DeviceId::new_random(), 1, &[forged])).await;
        assert_eq!(
            res.acks[0].outcome,
            Outcome::Rejected {
                reason: Rejection::AuthorMismatch
            }
        );
    }
}

#[tokio::test]
async fn supervisor_reads_their_township_but_cannot_write_or_see_others() {
    for server in TestServer::each(&small_world()).await {
        let wang = server.login("wang").await;
        push(
            &server,
            &wang,
            &batch(DeviceId::new_random(), 1, &wang_records()),
        )
        .await;
        let sup = server.login("sup-a").await;
        assert_eq!(timeline(&server, &sup, "f-a1").await.len(), 3);
        let (status, _) = server.get("/api/files/f-b1/records", Some(&sup)).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let res = push(
            &server,
            &sup,
            &batch(
                DeviceId::new_random(),
                1,
                &[fixtures::note("f-a1", "sup-a")],
            ),
        )
        .await;
        assert_eq!(
            res.acks[0].outcome,
            Outcome::Rejected {
                reason: Rejection::NotPermitted
            }
        );
    }
}

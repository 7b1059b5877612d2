//! Nobody writes as someone else by name: the names of our own accounts on a record — its
//! author, the team members who joined a visit, whom a file was referred to, the case-owning
//! leader — are the server's, whatever the phone sent, in the timeline, the download and the
//! export; and a phone retrying with its original names still hears "stored".

mod common;

use axum::http::StatusCode;
use common::{TestServer, parse, small_world};
use xiafang_core::record::TeamMember;
use xiafang_core::supervision::Supervision;
use xiafang_core::verdict::{Outcome, Rejection};
use xiafang_core::{DeviceId, Record, RecordBody, UserId, fixtures};

const FAKE: &str = "县委书记";

/// A visit wang joined with `law`, a referral to `law`, and sup-a's case-owning leader
/// `sup-county`, each naming those accounts falsely.
fn forged() -> (Record, Record, Record) {
    let mut visit = fixtures::visit("f-a1", "wang");
    visit.author_name = FAKE.into();
    if let RecordBody::Visit(v) = &mut visit.body {
        v.joined = vec![TeamMember {
            id: UserId::from("law"),
            name: FAKE.into(),
        }];
    }
    let mut referral = fixtures::referral("f-a1", "wang", "law");
    referral.author_name = FAKE.into();
    if let RecordBody::Referral(r) = &mut referral.body {
        r.to_name = FAKE.into();
    }
    let leader = Supervision::Leader {
        name: FAKE.into(),
        account: Some(UserId::from("sup-county")),
        post: String::new(),
        unit: String::new(),
        responsible: String::new(),
    };
    let mut supervision = fixtures::supervision("f-a1", "sup-a", leader);
    supervision.author_name = FAKE.into();
    (visit, referral, supervision)
}

#[tokio::test]
async fn records_carry_the_servers_names_of_our_accounts_not_the_phones() {
    for server in TestServer::each(&small_world()).await {
        let wang = server.login("wang").await;
        let sup = server.login("sup-a").await;
        let (visit, referral, supervision) = forged();
        let phone = DeviceId::new_random();
        let req = common::batch(phone, 1, &[visit.clone(), referral.clone()]);
        let res = server.push(&wang, &req).await;
        assert!(
            res.acks.iter().all(|a| a.outcome == Outcome::Stored),
            "{res:?}"
        );
        let sup_phone = DeviceId::new_random();
        let req = common::batch(sup_phone, 1, std::slice::from_ref(&supervision));
        assert_eq!(
            server.push(&sup, &req).await.acks[0].outcome,
            Outcome::Stored
        );

        let (status, body) = server.get("/api/files/f-a1/records", Some(&sup)).await;
        assert_eq!(status, StatusCode::OK);
        assert!(!body.to_string().contains(FAKE), "timeline: {body}");
        let records: Vec<Record> = parse(body);
        for r in &records {
            let expected = format!("{} 姓名", r.author.0);
            assert_eq!(r.author_name, expected);
            match &r.body {
                RecordBody::Visit(v) => assert_eq!(v.joined[0].name, "law 姓名"),
                RecordBody::Referral(r) => assert_eq!(r.to_name, "law 姓名"),
                RecordBody::Supervision(Supervision::Leader { name, .. }) => {
                    assert_eq!(name, "sup-county 姓名")
                }
                other => panic!("unexpected {other:?}"),
            }
        }
        let page = server.pull(&wang, None).await;
        assert!(
            !serde_json::to_string(&page).unwrap().contains(FAKE),
            "download"
        );
        let (_, _, csv) = server.get_bytes("/api/files/f-a1/export", &sup).await;
        assert!(!String::from_utf8_lossy(&csv).contains(FAKE), "export");

        // The phone retries with what it sent first: a repeat, not a conflict.
        let res = server
            .push(
                &wang,
                &common::batch(phone, 1, &[visit.clone(), referral.clone()]),
            )
            .await;
        assert!(
            res.acks.iter().all(|a| a.outcome == Outcome::Stored),
            "{res:?}"
        );
        let other_phone = DeviceId::new_random();
        let res = server
            .push(
                &wang,
                &common::batch(other_phone, 1, std::slice::from_ref(&visit)),
            )
            .await;
        assert_eq!(
            res.acks[0].outcome,
            Outcome::Stored,
            "same record, new slot"
        );
        // Other content under the same id is still refused.
        let mut changed = visit.clone();
        if let RecordBody::Visit(v) = &mut changed.body {
            v.requests = "另有所求".into();
        }
        let res = server
            .push(
                &wang,
                &common::batch(other_phone, 2, std::slice::from_ref(&changed)),
            )
            .await;
        assert_eq!(
            res.acks[0].outcome,
            Outcome::Rejected {
                reason: Rejection::IdConflict
            }
        );
    }
}

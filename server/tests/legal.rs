//! The legal team on a file: a cadre refers it to a team member, who then reads it (only in the
//! villages they serve) and records opinions and mediations; a joint visit collects each
//! participant's own part without anyone's text overwriting another's.

mod common;

use axum::http::StatusCode;
use common::{TestServer, account, batch, parse, small_world};
use xiafang_core::legal::{MediationOutcome, ServedVillage, Team, VisitPart};
use xiafang_core::record::TeamMember;
use xiafang_core::{DeviceId, Field, Record, RecordBody, UserId, fixtures};
use xiafang_core::{
    account::Role,
    feed::{Cursor, PullResponse},
    verdict::{Outcome, Rejection},
};
use xiafang_server::demo::Demo;

/// The small world, plus `law-b`, a legal team member of the other township.
fn world() -> Demo {
    let mut w = small_world();
    w.accounts.push(account("law-b", Role::Legal, "tb"));
    w
}

/// `law` serves village `a1`, `law-b` village `b1`.
async fn set_villages(server: &TestServer) {
    let db = &server.state.db;
    db.set_legal_village(&UserId::from("law"), "a1", true)
        .await
        .expect("village");
    db.set_legal_village(&UserId::from("law-b"), "b1", true)
        .await
        .expect("village");
}

async fn upload(server: &TestServer, token: &str, record: &Record) -> Outcome {
    let res = server
        .push(
            token,
            &batch(DeviceId::new_random(), 1, std::slice::from_ref(record)),
        )
        .await;
    res.acks[0].outcome.clone()
}

async fn pull(server: &TestServer, token: &str, cursor: Option<&Cursor>) -> PullResponse {
    server.pull(token, cursor).await
}

fn file_ids(page: &PullResponse) -> Vec<String> {
    page.files.iter().map(|f| f.id.0.clone()).collect()
}

#[tokio::test]
async fn a_referred_legal_member_of_the_village_downloads_the_file_and_gives_an_opinion() {
    for server in TestServer::each(&world()).await {
        set_villages(&server).await;
        let wang = server.login("wang").await;
        let law = server.login("law").await;
        let before = pull(&server, &law, None).await;
        assert!(file_ids(&before).is_empty(), "nothing referred yet");
        let opinion = fixtures::legal_opinion("f-a1", "law");
        assert_eq!(
            upload(&server, &law, &opinion).await,
            Outcome::Rejected {
                reason: Rejection::NotPermitted
            },
            "not referred yet"
        );

        let referral = fixtures::referral("f-a1", "wang", "law");
        assert_eq!(upload(&server, &wang, &referral).await, Outcome::Stored);

        // The old cursor no longer fits the member's scope: the phone rebuilds and gets the file.
        let after = pull(&server, &law, Some(&before.cursor)).await;
        assert!(after.reset, "a referral changes the scope fingerprint");
        assert_eq!(file_ids(&after), vec!["f-a1"]);
        assert!(after.records.iter().any(|r| r.id == referral.id));
        let (status, _) = server.get("/api/files/f-a1/records", Some(&law)).await;
        assert_eq!(status, StatusCode::OK);
        let opinion = fixtures::legal_opinion("f-a1", "law");
        assert_eq!(upload(&server, &law, &opinion).await, Outcome::Stored);
        assert_eq!(
            upload(&server, &law, &fixtures::mediation("f-a1", "law")).await,
            Outcome::Stored
        );
        // Legal members record opinions, not casework, and never refer files on.
        assert_eq!(
            upload(&server, &law, &fixtures::note("f-a1", "law")).await,
            Outcome::Rejected {
                reason: Rejection::NotPermitted
            }
        );
        assert_eq!(
            upload(&server, &law, &fixtures::referral("f-a1", "law", "law")).await,
            Outcome::Rejected {
                reason: Rejection::RoleNotAllowed
            }
        );

        // Withdrawn, the referral no longer opens the file.
        let void = fixtures::void(&referral, "转错了档案");
        assert_eq!(upload(&server, &wang, &void).await, Outcome::Stored);
        let gone = pull(&server, &law, Some(&after.cursor)).await;
        assert!(gone.reset);
        assert!(file_ids(&gone).is_empty());
        let (status, _) = server.get("/api/files/f-a1/records", Some(&law)).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn a_legal_member_outside_the_village_cannot_open_a_file_referred_to_them() {
    for server in TestServer::each(&world()).await {
        set_villages(&server).await;
        let wang = server.login("wang").await;
        let law_b = server.login("law-b").await;
        let referral = fixtures::referral("f-a1", "wang", "law-b");
        assert_eq!(upload(&server, &wang, &referral).await, Outcome::Stored);
        assert!(file_ids(&pull(&server, &law_b, None).await).is_empty());
        let (status, _) = server.get("/api/files/f-a1/records", Some(&law_b)).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) = server.get("/api/files/f-a1/records", Some(&law_b)).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_eq!(
            upload(&server, &law_b, &fixtures::legal_opinion("f-a1", "law-b")).await,
            Outcome::Rejected {
                reason: Rejection::NotPermitted
            }
        );
    }
}

#[tokio::test]
async fn a_file_can_only_be_referred_to_the_legal_team() {
    for server in TestServer::each(&world()).await {
        let wang = server.login("wang").await;
        for to in ["sup-a", "nobody"] {
            assert_eq!(
                upload(&server, &wang, &fixtures::referral("f-a1", "wang", to)).await,
                Outcome::Rejected {
                    reason: Rejection::NotLegalTeam
                },
                "{to}"
            );
        }
    }
}

#[tokio::test]
async fn a_mediation_needs_its_terms_when_agreed_and_a_channel_when_it_failed() {
    let mut w = world();
    w.files[0].assigned.push("law".into());
    for server in TestServer::each(&w).await {
        let law = server.login("law").await;
        let fields = |outcome: Outcome| match outcome {
            Outcome::Rejected {
                reason: Rejection::Invalid { errors },
            } => errors.iter().map(|e| e.field).collect::<Vec<_>>(),
            other => panic!("expected invalid, got {other:?}"),
        };
        let mut agreed = fixtures::mediation("f-a1", "law");
        let RecordBody::Mediation(m) = &mut agreed.body else {
            unreachable!()
        };
        m.terms.clear();
        assert_eq!(
            fields(upload(&server, &law, &agreed).await),
            vec![Field::Terms]
        );

        let mut failed = fixtures::mediation("f-a1", "law");
        let RecordBody::Mediation(m) = &mut failed.body else {
            unreachable!()
        };
        m.outcome = MediationOutcome::Failed;
        m.terms.clear();
        assert_eq!(
            fields(upload(&server, &law, &failed).await),
            vec![Field::MediationChannel]
        );
        let RecordBody::Mediation(m) = &mut failed.body else {
            unreachable!()
        };
        m.channel = Some(xiafang_core::case_step::LegalRoute::Litigation);
        assert_eq!(upload(&server, &law, &failed).await, Outcome::Stored);
    }
}

#[tokio::test]
async fn each_participant_adds_their_own_part_of_a_joint_visit_and_none_is_overwritten() {
    let mut w = world();
    let visit = fixtures::visit("f-a1", "wang");
    w.records.push(visit.clone());
    for server in TestServer::each(&w).await {
        set_villages(&server).await;
        let wang = server.login("wang").await;
        let law = server.login("law").await;
        let referral = fixtures::referral("f-a1", "wang", "law");
        assert_eq!(upload(&server, &wang, &referral).await, Outcome::Stored);

        let lawyers = fixtures::visit_part(&visit, "law");
        let mut cadres = fixtures::visit_part(&visit, "wang");
        cadres.author_name = "王建国".into();
        cadres.body = RecordBody::VisitPart(VisitPart {
            of: visit.id,
            role: "驻村干部".into(),
            text: "约定下周再次上门".into(),
        });
        assert_eq!(upload(&server, &law, &lawyers).await, Outcome::Stored);
        assert_eq!(upload(&server, &wang, &cadres).await, Outcome::Stored);

        for token in [&wang, &law] {
            let page = pull(&server, token, None).await;
            let parts: Vec<&Record> = page
                .records
                .iter()
                .filter(|r| matches!(r.body, RecordBody::VisitPart(_)))
                .collect();
            assert_eq!(parts.len(), 2);
            let (lawyers, cadres) = (common::as_stored(&lawyers), common::as_stored(&cadres));
            assert!(parts.contains(&&lawyers) && parts.contains(&&cadres));
            // Seeded, not uploaded: as it was.
            assert!(page.records.contains(&visit), "the visit itself unchanged");
        }

        // A part belongs to a visit of the same file, and nobody amends another's part.
        let on_note = {
            let note = fixtures::note("f-a1", "wang");
            assert_eq!(upload(&server, &wang, &note).await, Outcome::Stored);
            fixtures::visit_part(&note, "law")
        };
        assert_eq!(
            upload(&server, &law, &on_note).await,
            Outcome::Rejected {
                reason: Rejection::NoSuchVisit
            }
        );
        let mut takeover = fixtures::amendment(&cadres, lawyers.body.clone());
        takeover.author = UserId::from("law");
        assert_eq!(
            upload(&server, &law, &takeover).await,
            Outcome::Rejected {
                reason: Rejection::TargetNotYours
            }
        );
    }
}

/// A visit on `f-a1` by wang that names `joined` as legal team members taking part.
fn joint_visit(joined: &[&str]) -> Record {
    let mut visit = fixtures::visit("f-a1", "wang");
    if let RecordBody::Visit(v) = &mut visit.body {
        v.joined = joined
            .iter()
            .map(|id| TeamMember {
                id: UserId::from(*id),
                name: format!("{id} 姓名"),
            })
            .collect();
    }
    visit
}

#[tokio::test]
async fn a_team_member_named_on_a_visit_reads_the_file_and_adds_their_part_until_it_is_voided() {
    for server in TestServer::each(&world()).await {
        set_villages(&server).await;
        let wang = server.login("wang").await;
        let law = server.login("law").await;
        let law_b = server.login("law-b").await;
        assert!(file_ids(&pull(&server, &law, None).await).is_empty());

        // Only legal team members can be named; a cadre of another township cannot.
        assert_eq!(
            upload(&server, &wang, &joint_visit(&["li"])).await,
            Outcome::Rejected {
                reason: Rejection::NotLegalTeam
            }
        );
        let visit = joint_visit(&["law", "law-b"]);
        assert_eq!(upload(&server, &wang, &visit).await, Outcome::Stored);
        let page = pull(&server, &law, None).await;
        assert_eq!(
            file_ids(&page),
            vec!["f-a1"],
            "joined, and serves the village"
        );
        assert!(page.records.contains(&common::as_stored(&visit)));
        // Named, but the village is not theirs: still nothing.
        assert!(file_ids(&pull(&server, &law_b, None).await).is_empty());
        let (status, _) = server.get("/api/files/f-a1/records", Some(&law_b)).await;
        assert!(matches!(
            status,
            StatusCode::FORBIDDEN | StatusCode::NOT_FOUND
        ));

        let part = fixtures::visit_part(&visit, "law");
        assert_eq!(upload(&server, &law, &part).await, Outcome::Stored);

        let void = fixtures::void(&visit, "录错档案");
        assert_eq!(upload(&server, &wang, &void).await, Outcome::Stored);
        assert!(
            file_ids(&pull(&server, &law, None).await).is_empty(),
            "a voided visit no longer opens the file"
        );
    }
}

#[tokio::test]
async fn a_later_visit_keeps_a_joint_visits_member_and_an_amendment_dropping_them_closes_the_file()
{
    for server in TestServer::each(&world()).await {
        set_villages(&server).await;
        let wang = server.login("wang").await;
        let law = server.login("law").await;
        let visit = joint_visit(&["law"]);
        assert_eq!(upload(&server, &wang, &visit).await, Outcome::Stored);
        let plain = fixtures::visit("f-a1", "wang");
        assert_eq!(upload(&server, &wang, &plain).await, Outcome::Stored);
        assert_eq!(
            file_ids(&pull(&server, &law, None).await),
            vec!["f-a1"],
            "a visit nobody joined takes no one's access"
        );
        let alone = fixtures::amendment(&visit, plain.body.clone());
        assert_eq!(upload(&server, &wang, &alone).await, Outcome::Stored);
        assert!(
            file_ids(&pull(&server, &law, None).await).is_empty(),
            "amended to a visit nobody joined, it no longer opens the file"
        );
    }
}

#[tokio::test]
async fn the_team_list_shows_who_serves_the_villages_of_the_files_one_reads() {
    for server in TestServer::each(&world()).await {
        set_villages(&server).await;
        let team = |token: String| {
            let server = &server;
            async move {
                let (status, body) = server.get("/api/team", Some(&token)).await;
                assert_eq!(status, StatusCode::OK, "{body}");
                parse::<Team>(body)
            }
        };
        let for_wang = team(server.login("wang").await).await;
        let ids: Vec<&str> = for_wang.members.iter().map(|m| m.id.0.as_str()).collect();
        assert_eq!(ids, vec!["law"], "law-b serves another township's village");
        assert_eq!(
            for_wang.members[0].villages,
            vec![ServedVillage {
                township: "ta".into(),
                village: "a1".into(),
            }]
        );
        assert!(for_wang.mine.is_empty());
        let for_li = team(server.login("li").await).await;
        let ids: Vec<&str> = for_li.members.iter().map(|m| m.id.0.as_str()).collect();
        assert_eq!(ids, vec!["law-b"]);
        let for_law = team(server.login("law").await).await;
        assert_eq!(for_law.mine.len(), 1);
        let (status, _) = server.get("/api/team", None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
}

//! An accusation (检举控告) never reaches the person or body it names: not through the file's
//! timeline, not through downloads, not by writing to it, not even as a "forbidden" that would
//! tell them it exists — while everyone else entitled to the file keeps working with it.

mod common;

use axum::http::StatusCode;
use common::{TestServer, file, parse, small_world};
use xiafang_core::file::{Accused, Classification};
use xiafang_core::{DeviceId, UserId, fixtures};
use xiafang_core::{
    admin::FileSummary,
    feed::PullResponse,
    verdict::{Outcome, Rejection},
};

/// `f-acc` in village a1 of township ta accuses cadre `wang`, who is even assigned to it;
/// `f-body` accuses the township government `ta` itself.
fn world() -> xiafang_server::demo::Demo {
    let mut world = small_world();
    let mut acc = file("f-acc", "a1", &["wang", "li"]);
    acc.file.matter.classification = Classification::Accusation;
    acc.file.matter.summary = "举报王某挪用扶贫资金".into();
    acc.file.matter.accused = vec![Accused {
        name: "王某（乡镇干部）".into(),
        account: Some(UserId::from("wang")),
        place: None,
    }];
    let mut body = file("f-body", "a1", &["li"]);
    body.file.matter.classification = Classification::Accusation;
    body.file.matter.summary = "举报街道办违规征地".into();
    body.file.matter.accused = vec![Accused {
        name: "某街道办事处".into(),
        account: None,
        place: Some("ta".into()),
    }];
    world.files.push(acc);
    world.files.push(body);
    world
}

async fn pulled_files(server: &TestServer, token: &str) -> Vec<String> {
    let (status, body) = server.get("/api/sync/pull", Some(token)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let page: PullResponse = parse(body);
    let mut ids: Vec<String> = page.files.into_iter().map(|f| f.id.0).collect();
    ids.sort();
    ids
}

#[tokio::test]
async fn the_accused_official_is_refused_on_every_path() {
    for server in TestServer::each(&world()).await {
        let wang = server.login("wang").await;
        let li = server.login("li").await;
        // li writes to the accusation; wang must never see it.
        let note = fixtures::note("f-acc", "li");
        let req = common::batch(DeviceId::new_random(), 1, std::slice::from_ref(&note));
        assert_eq!(
            server.push(&li, &req).await.acks[0].outcome,
            Outcome::Stored
        );

        // Download: the file and its records are simply not there.
        assert_eq!(pulled_files(&server, &wang).await, vec!["f-a1"]);
        let (_, body) = server.get("/api/sync/pull", Some(&wang)).await;
        assert!(!body.to_string().contains(&note.id.to_string()));
        // File view and its conflict list: "not found", as for a file that does not exist.
        for path in ["/api/files/f-acc/records", "/api/files/f-acc/conflicts"] {
            let (status, body) = server.get(path, Some(&wang)).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
            assert_eq!(body["code"], "not_found");
        }
        // Writing to it is refused like writing to a file one has no part in.
        let req = common::batch(
            DeviceId::new_random(),
            1,
            &[fixtures::note("f-acc", "wang")],
        );
        assert_eq!(
            server.push(&wang, &req).await.acks[0].outcome,
            Outcome::Rejected {
                reason: Rejection::NotPermitted
            }
        );
        // Everyone else entitled to it still works with it.
        assert!(
            pulled_files(&server, &li)
                .await
                .contains(&"f-acc".to_owned())
        );
        let sup = server.login("sup-a").await;
        let (status, _) = server.get("/api/files/f-acc/records", Some(&sup)).await;
        assert_eq!(status, StatusCode::OK);
    }
}

#[tokio::test]
async fn an_accused_body_and_all_its_staff_are_refused_but_the_level_above_reads() {
    for server in TestServer::each(&world()).await {
        // wang and the township supervisor both belong to township ta, the accused body.
        for name in ["wang", "sup-a"] {
            let token = server.login(name).await;
            assert!(
                !pulled_files(&server, &token)
                    .await
                    .contains(&"f-body".to_owned())
            );
            let (status, _) = server.get("/api/files/f-body/records", Some(&token)).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{name}");
        }
        let county = server.login("sup-county").await;
        assert!(
            pulled_files(&server, &county)
                .await
                .contains(&"f-body".to_owned())
        );
        let li = server.login("li").await;
        assert!(
            pulled_files(&server, &li)
                .await
                .contains(&"f-body".to_owned())
        );
    }
}

#[tokio::test]
async fn the_accused_can_neither_export_nor_find_the_accusation() {
    for server in TestServer::each(&world()).await {
        let wang = server.login("wang").await;
        let li = server.login("li").await;
        let note = fixtures::note("f-acc", "li");
        let req = common::batch(DeviceId::new_random(), 1, std::slice::from_ref(&note));
        server.push(&li, &req).await;

        // Search: the accusation's own words, its petitioner's name and its village find nothing
        // of it, while wang's own file in the same village is still found.
        for q in ["挪用", "王某", "f-acc", "违规征地"] {
            assert!(server.found(&wang, q).await.is_empty(), "{q}");
        }
        assert_eq!(server.found(&wang, "a1").await, vec!["f-a1"]);
        // Export: "not found", as for a file that does not exist; his own file's export holds
        // nothing of the accusation.
        let (status, body) = server.get("/api/files/f-acc/export", Some(&wang)).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_eq!(body["code"], "not_found");
        let (status, _, csv) = server.get_bytes("/api/files/f-a1/export", &wang).await;
        assert_eq!(status, StatusCode::OK);
        let csv = String::from_utf8(csv).unwrap();
        assert!(!csv.contains(&note.id.to_string()) && !csv.contains("挪用"));

        // The accused township's own supervisor is refused the accusation against it.
        let sup_a = server.login("sup-a").await;
        assert!(server.found(&sup_a, "违规征地").await.is_empty());
        let (status, _) = server.get("/api/files/f-body/export", Some(&sup_a)).await;
        assert_eq!(status, StatusCode::NOT_FOUND);

        // Everyone else entitled to them finds and exports them.
        assert_eq!(server.found(&li, "挪用").await, vec!["f-acc"]);
        assert_eq!(server.found(&sup_a, "挪用").await, vec!["f-acc"]);
        let (status, _, csv) = server.get_bytes("/api/files/f-acc/export", &li).await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            String::from_utf8(csv)
                .unwrap()
                .contains(&note.id.to_string())
        );
        let county = server.login("sup-county").await;
        assert_eq!(server.found(&county, "违规征地").await, vec!["f-body"]);
        let (status, _) = server.get("/api/files/f-body/export", Some(&county)).await;
        assert_eq!(status, StatusCode::OK);
    }
}

#[tokio::test]
async fn an_administrator_of_an_accused_place_neither_sees_nor_assigns_the_accusation() {
    for server in TestServer::each(&world()).await {
        // admin-a belongs to township ta, which f-body accuses; f-acc only accuses wang.
        let admin = server.login("admin-a").await;
        let (status, body) = server.get("/api/admin/files", Some(&admin)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let listed: Vec<FileSummary> = parse(body);
        let ids: Vec<&str> = listed.iter().map(|f| f.id.0.as_str()).collect();
        assert_eq!(ids, vec!["f-a1", "f-acc"]);
        assert!(server.found(&admin, "违规征地").await.is_empty());
        // Nor may it learn of the accusation, or choose who handles it, by guessing its id.
        for (file, expected) in [
            ("f-body", StatusCode::NOT_FOUND),
            ("f-acc", StatusCode::NO_CONTENT),
        ] {
            let assignment = serde_json::json!({"file_id": file, "account_id": "sup-a"});
            let (status, body) = server
                .post("/api/admin/assignments", Some(&admin), &assignment)
                .await;
            assert_eq!(status, expected, "{file}: {body}");
        }
        let unassign_li = serde_json::json!({"file_id": "f-body", "account_id": "li"});
        let req = common::authorised(
            axum::http::Request::delete("/api/admin/assignments"),
            &admin,
        )
        .header(axum::http::header::CONTENT_TYPE, "application/json")
        .body(axum::body::Body::from(unassign_li.to_string()))
        .unwrap();
        assert_eq!(server.send(req).await.0, StatusCode::NOT_FOUND);
    }
}

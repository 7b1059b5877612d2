//! 矛盾纠纷排查 on places' screening ledgers: who records a screening of which place (a village's
//! or its township's cadres the village's; supervisors their place and below; nobody else), that
//! a repeat upload is stored once, that the screenings reach the phones of those who read the
//! place, and that a ledger never shows up as a petitioner's file.

mod common;

use common::{TestServer, account, batch, parse, small_world};
use xiafang_core::account::Role;
use xiafang_core::screening::{LedgerPlace, PlaceLevel, ScreeningLevel, ledger_id};
use xiafang_core::verdict::Outcome;
use xiafang_core::{DeviceId, Record, fixtures};
use xiafang_server::demo::Demo;

/// The small world, plus `sup-b` supervising the other township, and villager groups in `a1`.
fn world() -> Demo {
    let mut w = small_world();
    w.accounts.push(account("sup-b", Role::Supervisor, "tb"));
    let a1 = w.places.iter_mut().find(|p| p.id == "a1").expect("a1");
    a1.groups = vec!["第一村民小组".into(), "第二村民小组".into()];
    w
}

/// The outcome's code: "stored" or the rejection.
fn code(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Stored => "stored".into(),
        Outcome::Rejected { reason } => serde_json::to_value(reason).expect("json")["code"]
            .as_str()
            .expect("code")
            .to_owned(),
        Outcome::Quarantined => "quarantined".into(),
    }
}

async fn upload(server: &TestServer, who: &str, record: &Record) -> String {
    let token = server.login(who).await;
    let res = server
        .push(
            &token,
            &batch(DeviceId::new_random(), 1, std::slice::from_ref(record)),
        )
        .await;
    code(&res.acks[0].outcome)
}

const PLACES: [(&str, ScreeningLevel, &str); 5] = [
    ("village a1", ScreeningLevel::Village, "a1"),
    ("group of a1", ScreeningLevel::Group, "a1"),
    ("township ta", ScreeningLevel::Township, "ta"),
    ("county", ScreeningLevel::County, "county"),
    ("village b1 (township tb)", ScreeningLevel::Village, "b1"),
];

const OK: &str = "stored";
const NO: &str = "not_permitted";
const ROLE: &str = "role_not_allowed";

#[rustfmt::skip]
const MATRIX: &[(&str, &str, [&str; 5])] = &[
    //                                                   a1   group  ta   county  b1
    ("wang", "cadre of township ta",                    [OK,  OK,    NO,  NO,     NO]),
    ("li", "cadre of another township",                 [NO,  NO,    NO,  NO,     OK]),
    ("sup-a", "supervisor of township ta",              [OK,  OK,    OK,  NO,     NO]),
    ("sup-county", "county supervisor",                 [OK,  OK,    OK,  OK,     OK]),
    ("sup-b", "supervisor of another township",         [NO,  NO,    NO,  NO,     OK]),
    ("admin-a", "administrator of township ta",         [ROLE, ROLE, ROLE, NO,    NO]),
    ("law", "legal team member of ta",                  [NO,  NO,    NO,  NO,     NO]),
];

#[tokio::test]
async fn each_role_records_screenings_of_exactly_its_places() {
    let w = world();
    for server in TestServer::each(&w).await {
        let mut wrong = Vec::new();
        for (who, what, expected) in MATRIX {
            for ((place, level, id), expected) in PLACES.iter().zip(expected) {
                let got = upload(&server, who, &fixtures::screening(*level, id, who)).await;
                if got != *expected {
                    wrong.push(format!(
                        "{who} ({what}) {place}: {got}, expected {expected}"
                    ));
                }
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }
}

#[tokio::test]
async fn a_screening_of_a_place_that_does_not_exist_or_at_the_wrong_level_is_refused() {
    let w = world();
    for server in TestServer::each(&w).await {
        let nowhere = fixtures::screening(ScreeningLevel::Village, "zz", "sup-county");
        assert_eq!(upload(&server, "sup-county", &nowhere).await, NO);
        // a1 is a village: it has no township ledger.
        let wrong_level = fixtures::screening(ScreeningLevel::Township, "a1", "sup-county");
        assert_eq!(upload(&server, "sup-county", &wrong_level).await, NO);
        // A visit on a ledger is not a screening.
        let visit = fixtures::visit(&ledger_id(PlaceLevel::Village, "a1").0, "wang");
        assert_eq!(upload(&server, "wang", &visit).await, "invalid");
    }
}

#[tokio::test]
async fn a_repeated_upload_is_stored_once_and_reaches_the_places_readers() {
    let w = world();
    for server in TestServer::each(&w).await {
        let screening = fixtures::screening(ScreeningLevel::Village, "a1", "wang");
        let token = server.login("wang").await;
        let device = DeviceId::new_random();
        let ops = batch(device, 1, std::slice::from_ref(&screening));
        // The answer was lost: the phone sends the same operation again, and once more from
        // another phone with a new number.
        for req in [
            ops.clone(),
            ops,
            batch(DeviceId::new_random(), 7, std::slice::from_ref(&screening)),
        ] {
            let res = server.push(&token, &req).await;
            assert_eq!(code(&res.acks[0].outcome), OK);
        }
        let ledger = ledger_id(PlaceLevel::Village, "a1");
        let (status, body) = server
            .get(&format!("/api/files/{}/records", ledger.0), Some(&token))
            .await;
        assert_eq!(status, axum::http::StatusCode::OK, "{body}");
        let timeline: Vec<Record> = parse(body);
        let ids: Vec<_> = timeline.iter().map(|r| r.id).collect();
        assert_eq!(ids, vec![screening.id]);
        assert_eq!(timeline[0].body, screening.body);

        // Those who read the place download it; a ledger is never handed out as a file.
        for (who, sees) in [
            ("wang", true),
            ("sup-a", true),
            ("sup-county", true),
            ("li", false),
            ("sup-b", false),
            ("law", false),
        ] {
            let token = server.login(who).await;
            let page = server.pull(&token, None).await;
            let got = page.records.iter().filter(|r| r.id == screening.id).count();
            assert_eq!(got, usize::from(sees), "{who}");
            assert!(
                page.files.iter().all(|f| !f.id.0.starts_with("screening-")),
                "{who} was handed a ledger as a file"
            );
        }
    }
}

#[tokio::test]
async fn each_account_is_told_the_places_it_screens_or_oversees() {
    let w = world();
    for server in TestServer::each(&w).await {
        for (who, expected) in [
            ("wang", vec!["a1"]),
            ("li", vec!["b1"]),
            ("sup-a", vec!["ta", "a1"]),
            ("sup-county", vec!["county", "ta", "tb", "a1", "b1"]),
            ("law", vec![]),
        ] {
            let token = server.login(who).await;
            let (status, body) = server.get("/api/screening/places", Some(&token)).await;
            assert_eq!(status, axum::http::StatusCode::OK, "{body}");
            let places: Vec<LedgerPlace> = parse(body);
            let ids: Vec<&str> = places.iter().map(|p| p.place.as_str()).collect();
            assert_eq!(ids, expected, "{who}");
            if let Some(a1) = places.iter().find(|p| p.place == "a1") {
                assert_eq!(a1.level, PlaceLevel::Village);
                assert_eq!(a1.ledger, ledger_id(PlaceLevel::Village, "a1"));
                assert_eq!(a1.parent, "ta");
                assert_eq!(a1.groups, vec!["第一村民小组", "第二村民小组"]);
            }
        }
        let (status, _) = server.get("/api/screening/places", None).await;
        assert_eq!(status, axum::http::StatusCode::UNAUTHORIZED);

        // Ledgers are no petitioners: not in the administrator's files, not assignable.
        let token = server.login("admin-a").await;
        let (_, body) = server.get("/api/admin/files", Some(&token)).await;
        assert!(!body.to_string().contains("screening-"), "{body}");
        let (status, _) = server
            .post(
                "/api/admin/assignments",
                Some(&token),
                &serde_json::json!({"account_id": "wang", "file_id": "screening-village-a1"}),
            )
            .await;
        assert_eq!(status, axum::http::StatusCode::NOT_FOUND);
    }
}

#[test]
fn a_file_names_a_villager_group_only_among_its_villages() {
    let mut w = world();
    w.files[0].file.group = "第二村民小组".into();
    assert_eq!(xiafang_server::demo::check(&w), Ok(()));
    w.files[0].file.group = "第九村民小组".into();
    assert_eq!(
        xiafang_server::demo::check(&w),
        Err("villager group 第九村民小组 of f-a1 does not exist".into())
    );
    // The demo's 潘女士 lives in 江溪村's second group.
    let demo = xiafang_server::demo::demo();
    let pan = demo
        .files
        .iter()
        .find(|f| f.file.id.0 == "file-pan")
        .expect("潘女士");
    assert_eq!(pan.file.group, "第二村民小组");
    assert_eq!(xiafang_server::demo::check(&demo), Ok(()));
}

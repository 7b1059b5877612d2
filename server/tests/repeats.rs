//! The petitioner's ID number over HTTP: checked by the server like on the phone, kept in its
//! normal form, and never shown unmasked in search, ledgers, exports or conflicts to a role that
//! may not edit the file. And the same person's other files: a phone matches only among what it
//! downloaded, so nobody learns of a file outside their jurisdiction.

mod common;

use axum::http::StatusCode;
use common::{TestServer, batch, file, parse, small_world};
use xiafang_core::file_edit::EditableField;
use xiafang_core::hlc::Hlc;
use xiafang_core::repeats::{RepeatRules, other_files};
use xiafang_core::search::SearchHit;
use xiafang_core::verdict::{Outcome, Rejection};
use xiafang_core::{DeviceId, Field, FieldError, Lang, Problem, Record, fixtures};

/// Made up (region 330199 does not exist); typed the way a cadre might.
const TYPED: &str = "330199 19620708 002x";
const STORED: &str = "33019919620708002X";
const MASKED: &str = "3301**********002X";

fn stamp(wall_ms: i64) -> Hlc {
    Hlc {
        wall_ms,
        counter: 0,
        device: DeviceId::new_random(),
    }
}

fn id_edit(file: &str, author: &str, base: &str, value: &str, wall_ms: i64) -> Record {
    fixtures::file_edit(
        file,
        author,
        EditableField::IdNumber,
        base,
        value,
        stamp(wall_ms),
    )
}

#[tokio::test]
async fn a_bad_id_number_is_refused_with_its_reason_and_a_good_one_kept_normalised() {
    for server in TestServer::each(&small_world()).await {
        let wang = server.login("wang").await;
        let device = DeviceId::new_random();
        let bad = id_edit("f-a1", "wang", "", "330199196207080020", 1);
        let answer = server.push(&wang, &batch(device, 1, &[bad])).await;
        let Outcome::Rejected { reason } = &answer.acks[0].outcome else {
            panic!("a wrong check character was stored: {answer:?}");
        };
        assert_eq!(
            reason,
            &Rejection::Invalid {
                errors: vec![FieldError::new(
                    Field::IdNumber,
                    Problem::IdNumberCheckDigit
                )]
            }
        );
        assert!(
            reason
                .message(Lang::Zh)
                .contains("公民身份号码校验位不符，请逐位核对是否输错"),
            "{reason:?}"
        );
        let no_date = id_edit("f-a1", "wang", "", "330199195602310010", 2);
        let answer = server.push(&wang, &batch(device, 2, &[no_date])).await;
        assert!(
            matches!(&answer.acks[0].outcome, Outcome::Rejected { reason }
                if reason.message(Lang::Zh).contains("出生日期")),
            "{answer:?}"
        );

        let good = id_edit("f-a1", "wang", "", TYPED, 3);
        let answer = server.push(&wang, &batch(device, 3, &[good])).await;
        assert_eq!(answer.acks[0].outcome, Outcome::Stored);
        let page = server.pull(&wang, None).await;
        let file = page.files.iter().find(|f| f.id.0 == "f-a1").unwrap();
        assert_eq!(file.id_number.as_deref(), Some(STORED));
    }
}

#[tokio::test]
async fn the_id_number_is_never_shown_unmasked_to_those_who_may_not_edit() {
    for server in TestServer::each(&small_world()).await {
        let wang = server.login("wang").await;
        // Two phones of wang's set it concurrently from nothing: one value wins, one is a
        // conflict a supervisor sees; a reception puts the file in the reception ledger.
        let other = "330199195603120017";
        let reception = fixtures::reception("f-a1", "wang");
        let records = [
            id_edit("f-a1", "wang", "", other, 1),
            id_edit("f-a1", "wang", "", TYPED, 2),
            fixtures::visit("f-a1", "wang"),
        ];
        let answer = server
            .push(&wang, &batch(DeviceId::new_random(), 1, &records))
            .await;
        assert!(answer.acks.iter().all(|a| a.outcome == Outcome::Stored));
        let sup = server.login("sup-a").await;
        // Supervisors record receptions; the ledger then lists the file.
        let mut rec = reception;
        rec.author = "sup-a".into();
        server
            .push(&sup, &batch(DeviceId::new_random(), 1, &[rec]))
            .await;

        let leaks = |what: &str, text: &str| {
            for full in [STORED, other] {
                assert!(!text.contains(full), "{what} shows {full}: {text}");
                assert!(
                    !text.contains(&full[6..14]),
                    "{what} shows the birth date: {text}"
                );
            }
        };
        // Search: by the number finds nothing, by the name finds the file without it.
        for q in [STORED, TYPED, &STORED[..10], "002X"] {
            let (status, body) = server.search(&sup, q).await;
            assert_eq!(status, StatusCode::OK);
            assert_eq!(parse::<Vec<SearchHit>>(body), vec![], "{q}");
        }
        let (_, body) = server.search(&sup, "f-a1 信访人").await;
        assert_eq!(parse::<Vec<SearchHit>>(body.clone()).len(), 1);
        leaks("search", &body.to_string());
        // Ledgers as CSV (the workbooks hold the same cells).
        for kind in ["visits", "assistance", "cases", "receptions"] {
            let path = format!("/api/ledgers/{kind}?from=2026-11-01&to=2026-11-30&format=csv");
            let (status, _, bytes) = server.get_bytes(&path, &sup).await;
            assert_eq!(status, StatusCode::OK, "{path}");
            let csv = String::from_utf8(bytes).unwrap();
            leaks(kind, &csv);
            if kind != "assistance" {
                assert!(csv.contains("f-a1 信访人"), "{kind} lists the file: {csv}");
            }
        }
        // The file's case record as CSV: the edits masked.
        let (status, _, bytes) = server.get_bytes("/api/files/f-a1/export", &sup).await;
        assert_eq!(status, StatusCode::OK);
        let csv = String::from_utf8(bytes).unwrap();
        leaks("export", &csv);
        assert!(csv.contains(MASKED), "{csv}");
        // The value that lost, and the one kept, masked.
        let (status, body) = server.get("/api/files/f-a1/conflicts", Some(&sup)).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body.as_array().map(Vec::len), Some(1), "{body}");
        leaks("conflicts", &body.to_string());
        assert!(body.to_string().contains("3301**********"), "{body}");
        // The audit export names who read what, never the values.
        let (status, _, bytes) = server
            .get_bytes("/api/audit/export?from=2026-01-01&to=2026-12-31", &sup)
            .await;
        assert_eq!(status, StatusCode::OK);
        leaks("audit", &String::from_utf8(bytes).unwrap());
    }
}

#[tokio::test]
async fn the_same_persons_file_elsewhere_stays_out_of_reach() {
    // 郭先生 has a file in wang's village a1 and another in li's village b1 (another township).
    let mut world = small_world();
    for f in &mut world.files {
        f.file.name = "郭先生".into();
        f.file.phone = Some("13800000001".into());
    }
    let mut third = file("f-a2", "a1", &["wang"]);
    third.file.name = "郭先生".into();
    third.file.phone = Some("+86 138 0000 0001".into());
    world.files.push(third);
    for server in TestServer::each(&world).await {
        let rules = RepeatRules::default();
        let others_on_phone = |files: &[xiafang_core::PetitionerFile], of: &str| {
            let file = files.iter().find(|f| f.id.0 == of).unwrap();
            let mut ids: Vec<String> = other_files(file, files, &rules)
                .iter()
                .map(|f| f.id.0.clone())
                .collect();
            ids.sort();
            ids
        };
        // wang's phone holds his two files: the other one shows, li's does not exist for him.
        let wang = server.login("wang").await;
        let files = server.pull(&wang, None).await.files;
        assert_eq!(others_on_phone(&files, "f-a1"), ["f-a2"]);
        assert!(files.iter().all(|f| f.id.0 != "f-b1"));
        assert_eq!(server.found(&wang, "郭先生").await, ["f-a1", "f-a2"]);
        let (status, _) = server.get("/api/files/f-b1/export", Some(&wang)).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        // The county's supervisor reads all three and sees them as one person.
        let county = server.login("sup-county").await;
        let files = server.pull(&county, None).await.files;
        assert_eq!(others_on_phone(&files, "f-a1"), ["f-a2", "f-b1"]);
        // The township's supervisor only those of township ta.
        let sup_a = server.login("sup-a").await;
        let files = server.pull(&sup_a, None).await.files;
        assert_eq!(others_on_phone(&files, "f-a2"), ["f-a1"]);
    }
}

#[test]
fn the_demo_shows_a_person_with_two_files_and_most_id_numbers_are_valid() {
    let demo = xiafang_server::demo::demo();
    let files: Vec<xiafang_core::PetitionerFile> =
        demo.files.iter().map(|f| f.file.clone()).collect();
    let with_id: Vec<&str> = files
        .iter()
        .filter_map(|f| f.id_number.as_deref())
        .collect();
    assert!(with_id.len() * 2 > files.len(), "{with_id:?}");
    for id in &with_id {
        assert_eq!(xiafang_core::id_number::parse(id).as_deref(), Ok(*id));
        // Made up: no such county code, so never a real person's number.
        assert!(id.starts_with("330399"), "{id}");
    }
    let groups: Vec<Vec<String>> =
        xiafang_core::repeats::people_with_several_files(&files, &RepeatRules::default())
            .into_iter()
            .map(|g| g.iter().map(|f| f.id.0.clone()).collect())
            .collect();
    assert_eq!(groups, [vec!["file-lei", "file-lei-hotline"]]);
}

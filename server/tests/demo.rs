//! The demo data (`server/demo/demo.json`): it parses, every record is valid and written by a
//! person assigned to its file, it tells the seed stories, and it loads into a fresh database
//! where each demo account sees the files it should and no others.

mod common;

use std::collections::{HashMap, HashSet};
use xiafang_core::sync::{Account, Role};
use xiafang_core::{FileId, PetitionerFile, RecordBody};
use xiafang_server::auth::verify_password;
use xiafang_server::db::{Access, Db};
use xiafang_server::demo::{self, Demo};

const DEMO_PASSWORD: &str = "xiafang2026";

fn place_kinds(demo: &Demo) -> HashMap<&str, &str> {
    demo.places
        .iter()
        .map(|p| (p.id.as_str(), p.kind.as_str()))
        .collect()
}

fn count_kind(demo: &Demo, kind: &str) -> usize {
    demo.places.iter().filter(|p| p.kind == kind).count()
}

fn assigned<'a>(demo: &'a Demo, file: &str) -> &'a [String] {
    &demo
        .files
        .iter()
        .find(|f| f.file.id.0 == file)
        .unwrap_or_else(|| panic!("demo has no file {file}"))
        .assigned
}

#[test]
fn demo_parses_and_its_places_and_accounts_fit_together() {
    let demo = demo::demo();
    let kinds = place_kinds(&demo);
    assert_eq!(kinds.len(), demo.places.len(), "place ids are unique");
    for p in &demo.places {
        let expected_parent = match p.kind.as_str() {
            "county" => None,
            "township" => Some("county"),
            "village" => Some("township"),
            other => panic!("place {} has unknown kind {other}", p.id),
        };
        assert_eq!(
            p.parent.as_deref().map(|parent| kinds[parent]),
            expected_parent,
            "place {} sits under the right kind of place",
            p.id
        );
    }
    let usernames: HashSet<_> = demo.accounts.iter().map(|a| &a.username).collect();
    assert_eq!(usernames.len(), demo.accounts.len(), "usernames are unique");
    for a in &demo.accounts {
        assert!(kinds.contains_key(a.place.as_str()), "{} has a place", a.id);
        assert_eq!(a.password, DEMO_PASSWORD);
    }
}

#[test]
fn every_record_is_valid_and_written_by_someone_assigned_to_its_file() {
    let demo = demo::demo();
    let kinds = place_kinds(&demo);
    let names: HashMap<_, _> = demo.places.iter().map(|p| (&p.id, &p.name)).collect();
    let parents: HashMap<_, _> = demo.places.iter().map(|p| (&p.id, &p.parent)).collect();
    let accounts: HashMap<_, _> = demo.accounts.iter().map(|a| (a.id.as_str(), a)).collect();

    let mut file_ids = HashSet::new();
    for f in &demo.files {
        assert!(file_ids.insert(&f.file.id), "{} is unique", f.file.id);
        assert_eq!(kinds.get(f.village_id.as_str()), Some(&"village"));
        let township = parents[&f.village_id]
            .as_ref()
            .expect("village has a parent");
        assert_eq!(&f.file.village, names[&f.village_id], "{}", f.file.id);
        assert_eq!(&f.file.township, names[township], "{}", f.file.id);
        assert!(!f.assigned.is_empty(), "{} is assigned", f.file.id);
        for a in &f.assigned {
            let account = accounts.get(a.as_str()).expect("assigned account exists");
            assert!(
                matches!(account.role, Role::Cadre | Role::Legal),
                "{} is assigned to {a}, who does not visit",
                f.file.id
            );
        }
    }

    let mut record_ids = HashSet::new();
    for r in &demo.records {
        assert!(record_ids.insert(r.id), "record id {} is unique", r.id);
        if let Err(errors) = r.validate() {
            panic!("record {} is invalid: {errors:?}", r.id);
        }
        assert!(
            file_ids.contains(&r.file_id),
            "record {} names an unknown file",
            r.id
        );
        assert!(
            assigned(&demo, &r.file_id.0).contains(&r.author.0),
            "record {} is written by {}, who is not assigned to {}",
            r.id,
            r.author,
            r.file_id
        );
        assert_eq!(
            r.author_name,
            accounts[r.author.0.as_str()].display_name,
            "record {}",
            r.id
        );
        assert!(r.saved_at.naive_utc() > r.occurred_at - chrono::Duration::hours(8));
        if let RecordBody::Visit(v) = &r.body {
            assert!(
                v.location.is_none(),
                "location is never filled in for the cadre"
            );
        }
    }
    for f in &demo.files {
        let n = demo
            .records
            .iter()
            .filter(|r| r.file_id == f.file.id)
            .count();
        assert!((3..=6).contains(&n), "{} has {n} records", f.file.id);
    }
}

#[test]
fn demo_tells_the_seed_stories() {
    let demo = demo::demo();
    assert!(demo.files.len() >= 6);
    assert!(count_kind(&demo, "county") == 1);
    assert!(count_kind(&demo, "township") >= 2);
    assert!(count_kind(&demo, "village") >= 3);
    let cadres: Vec<_> = demo
        .accounts
        .iter()
        .filter(|a| a.role == Role::Cadre)
        .map(|a| a.username.as_str())
        .collect();
    assert_eq!(cadres, ["wangjg", "lixm"]);
    for (username, role) in [
        ("zhaoxf", Role::Supervisor),
        ("chenls", Role::Legal),
        ("wangjg", Role::Cadre),
        ("lixm", Role::Cadre),
    ] {
        assert!(
            demo.accounts
                .iter()
                .any(|a| a.username == username && a.role == role),
            "{username} is a {role:?}"
        );
    }

    let mine = |account: &str| {
        demo.files
            .iter()
            .filter(|f| f.assigned.iter().any(|a| a == account))
            .count()
    };
    assert!(mine("u-wangjg") >= 2);
    assert!(mine("u-lixm") >= 3);
    assert!(assigned(&demo, "file-guo").contains(&"u-wangjg".to_owned()));
    assert_eq!(assigned(&demo, "file-yang"), ["u-lixm"]);

    let guo: &PetitionerFile = &demo
        .files
        .iter()
        .find(|f| f.file.id.0 == "file-guo")
        .expect("file-guo")
        .file;
    assert_eq!(
        (guo.name.as_str(), guo.village.as_str()),
        ("郭先生", "阁一村")
    );
    // The next visit the cadre logs in the app is the 107th, as in the story.
    assert_eq!(guo.visit_count(&demo.records), 106);
}

async fn sign_in(db: &Db, username: &str) -> Account {
    let (account, hash) = db
        .account_for_login(username)
        .await
        .expect("query")
        .unwrap_or_else(|| panic!("{username} can sign in"));
    assert!(
        verify_password(DEMO_PASSWORD, &hash),
        "{username}'s password"
    );
    account
}

async fn readable(db: &Db, account: &Account) -> Vec<String> {
    db.readable_files(account)
        .await
        .expect("files")
        .into_iter()
        .map(|f| f.name)
        .collect()
}

#[tokio::test]
async fn seeded_database_shows_each_account_its_files() {
    for test_db in common::fresh_databases().await {
        let db = test_db.open().await;
        assert!(!db.has_accounts().await.expect("count"));
        let accounts = demo::seed(&db).await.expect("demo seeds an empty database");
        assert_eq!(accounts.len(), demo::demo().accounts.len());
        assert!(db.has_accounts().await.expect("count"));

        let wang = sign_in(&db, "wangjg").await;
        let names = readable(&db, &wang).await;
        assert!(names.iter().any(|n| n == "郭先生"), "{names:?}");
        assert!(!names.iter().any(|n| n == "杨天普"), "{names:?}");
        assert!(names.len() >= 2);
        let guo = FileId::from("file-guo");
        let yang = FileId::from("file-yang");
        assert_eq!(
            db.access(&wang, &guo).await.expect("access"),
            Access::ReadWrite
        );
        assert_eq!(db.access(&wang, &yang).await.expect("access"), Access::None);

        let li = sign_in(&db, "lixm").await;
        let names = readable(&db, &li).await;
        assert!(names.iter().any(|n| n == "杨天普"), "{names:?}");
        assert!(!names.iter().any(|n| n == "郭先生"), "{names:?}");
        assert!(names.len() >= 3);

        let all = demo::demo().files.len();
        let supervisor = sign_in(&db, "zhaoxf").await;
        assert_eq!(readable(&db, &supervisor).await.len(), all);
        assert_eq!(
            db.access(&supervisor, &yang).await.expect("access"),
            Access::Read
        );
        assert_eq!(
            db.pull(&supervisor, None, 10_000)
                .await
                .expect("records")
                .records
                .len(),
            demo::demo().records.len()
        );

        let lawyer = sign_in(&db, "chenls").await;
        let names = readable(&db, &lawyer).await;
        assert!(names.iter().any(|n| n == "郭先生"), "{names:?}");
        assert!(!names.iter().any(|n| n == "杨天普"), "{names:?}");

        let timeline = db.records_for_file(&guo).await.expect("records");
        let demo = demo::demo();
        let expected = demo.records.iter().filter(|r| r.file_id == guo).count();
        assert_eq!(timeline.len(), expected);
        let stored_guo = db
            .readable_files(&wang)
            .await
            .expect("files")
            .into_iter()
            .find(|f| f.id == guo)
            .expect("郭先生's file");
        assert_eq!(stored_guo.visit_count(&timeline), 106);
    }
}

//! The demo data (`server/demo/demo.json`): it parses, every record is valid and its author may
//! upload it, it tells the seed stories, it gives the supervisor real work (steps, deadlines,
//! supervision, reviews) as of its day, and it loads into a fresh database where each demo
//! account sees the files it should and no others.

mod common;

use common::demo_sign_in as sign_in;
use std::collections::{HashMap, HashSet};
use xiafang_core::account::{Account, Role};
use xiafang_core::case::{CaseRules, CaseStatus, DeadlineKind, DeadlineStatus, Stage, case_status};
use xiafang_core::case_step::Evaluation;
use xiafang_core::permissions::{Reach, Writes, may_write};
use xiafang_core::screening::{PlaceLevel, ledger_place};
use xiafang_core::supervision::SupervisionMode;
use xiafang_core::targets::review_target_problem;
use xiafang_core::{FileId, PetitionerFile, RecordBody};
use xiafang_core::{kinds, review};
use xiafang_server::db::{Access, Db, DbError};
use xiafang_server::demo::{self, Demo, DemoAccount, DemoFile};

use common::DEMO_PASSWORD;

fn place_kinds(demo: &Demo) -> HashMap<&str, &str> {
    demo.places
        .iter()
        .map(|p| (p.id.as_str(), p.kind.as_str()))
        .collect()
}

/// Where `account` stands with `file` as the server would find it: assigned, or reading it by
/// jurisdiction from its village, township or county.
fn reach(demo: &Demo, account: &DemoAccount, file: &str) -> Reach {
    // A place's screening ledger: the village's and its township's cadres count as assigned.
    if let Some((level, place)) = ledger_place(&FileId::from(file)) {
        let parent = demo
            .places
            .iter()
            .find(|p| p.id == place)
            .and_then(|p| p.parent.clone());
        let grand = parent
            .as_ref()
            .and_then(|t| demo.places.iter().find(|p| &p.id == t))
            .and_then(|p| p.parent.clone());
        let above = [Some(place.to_owned()), parent.clone(), grand];
        return Reach {
            assigned: level == PlaceLevel::Village
                && account.role == Role::Cadre
                && (account.place == place || Some(&account.place) == parent.as_ref()),
            in_jurisdiction: matches!(account.role, Role::Supervisor | Role::Admin)
                && above.contains(&Some(account.place.clone())),
            referred: false,
        };
    }
    let village = &demo_file(demo, file).village_id;
    let parent = |place: &str| {
        demo.places
            .iter()
            .find(|p| p.id == place)
            .and_then(|p| p.parent.clone())
    };
    let mut places = vec![village.clone()];
    while let Some(up) = parent(places.last().expect("one place")) {
        places.push(up);
    }
    Reach {
        assigned: assigned(demo, file).contains(&account.id),
        in_jurisdiction: matches!(account.role, Role::Supervisor | Role::Admin)
            && places.contains(&account.place),
        // The demo seeds no legal villages, so no referral opens a file.
        referred: false,
    }
}

fn count_kind(demo: &Demo, kind: &str) -> usize {
    demo.places.iter().filter(|p| p.kind == kind).count()
}

fn demo_file<'a>(demo: &'a Demo, file: &str) -> &'a DemoFile {
    demo.files
        .iter()
        .find(|f| f.file.id.0 == file)
        .unwrap_or_else(|| panic!("demo has no file {file}"))
}

fn assigned<'a>(demo: &'a Demo, file: &str) -> &'a [String] {
    &demo_file(demo, file).assigned
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
fn every_record_is_valid_and_its_author_may_upload_it() {
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
            file_ids.contains(&r.file_id) || ledger_place(&r.file_id).is_some(),
            "record {} names an unknown file",
            r.id
        );
        let author = accounts[r.author.0.as_str()];
        let reach = reach(&demo, author, &r.file_id.0);
        assert_eq!(
            may_write(author.role, reach, Writes::of(&r.body)),
            Ok(()),
            "record {} by {} may not be uploaded to {}",
            r.id,
            r.author,
            r.file_id
        );
        if let RecordBody::Review(review) = &r.body {
            let reviewed = demo.records.iter().find(|t| t.id == review.of);
            assert_eq!(review_target_problem(r, reviewed), None, "review {}", r.id);
        }
        assert_eq!(
            xiafang_core::targets::evidence_problem(r, &demo.records),
            None,
            "sign-off {} rests on records of its file",
            r.id
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
            .filter(|r| r.file_id == f.file.id && kinds::needs_review(&r.body))
            .count();
        assert!(
            (3..=7).contains(&n),
            "{} has {n} visits and assistance",
            f.file.id
        );
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

/// The day the demo's deadlines are set around (its `day`): on this day the supervisor console
/// shows an overdue matter, two due soon and finished ones (`server/src/demo.rs`); a first start
/// on another day tells the stories around that day (`Demo::around`).
const DEMO_TODAY: (i32, u32, u32) = (2026, 11, 27);

fn status_of(demo: &Demo, file: &str) -> CaseStatus {
    let (y, m, d) = DEMO_TODAY;
    let today = chrono::NaiveDate::from_ymd_opt(y, m, d).expect("date");
    let f = &demo_file(demo, file).file;
    case_status(f, &demo.records, &CaseRules::default(), today)
}

fn deadline(status: &CaseStatus, kind: DeadlineKind) -> (String, DeadlineStatus) {
    let d = status
        .deadline(kind)
        .unwrap_or_else(|| panic!("a {kind:?} deadline"));
    (d.due.to_string(), d.status)
}

#[test]
fn demo_gives_the_supervisor_real_work_as_of_its_day() {
    let demo = demo::demo();
    let count = |kind: &str| {
        demo.records
            .iter()
            .filter(|r| r.body.kind_key() == kind)
            .count()
    };
    assert!(
        count("case_step") >= 30,
        "{} case steps",
        count("case_step")
    );
    assert_eq!(count("supervision"), 8);
    assert_eq!(count("review"), 5);
    assert!(count("assistance") >= 14, "{}", count("assistance"));
    let months: HashSet<_> = demo
        .records
        .iter()
        .filter(|r| matches!(&r.body, RecordBody::Assistance(a) if a.amount_fen.is_some()))
        .map(|r| r.occurred_at.format("%Y-%m").to_string())
        .collect();
    assert!(months.len() >= 8, "assistance with amounts in {months:?}");

    // 郭先生: listed for supervision with its owning leader, handling overdue.
    let guo = status_of(&demo, "file-guo");
    assert_eq!(guo.stage, Some(Stage::InHandling));
    let listed = guo.supervision.as_ref().expect("listed");
    assert_eq!(
        (
            listed.deadline.to_string(),
            listed.mode,
            listed.lifted.is_none()
        ),
        ("2026-12-31".into(), SupervisionMode::Meeting, true)
    );
    // 包案: the street's deputy secretary who led the 化解专班 (the seed's "第107次") and a city
    // leader (1+1 联合包案); the plan's first milestone met, the second overdue on the day.
    let leaders: Vec<(&str, &str)> = guo
        .leaders
        .iter()
        .map(|l| (l.name.as_str(), l.post.as_str()))
        .collect();
    assert_eq!(
        leaders,
        [
            ("王副书记", "南滨街道党工委副书记（化解工作专班负责人）"),
            ("陈副市长", "瑞安市人民政府副市长（市级包案领导）")
        ]
    );
    assert_eq!(
        (
            guo.leaders[0].unit.as_str(),
            guo.leaders[0].responsible.as_str()
        ),
        ("南滨街道办事处", "王建国")
    );
    assert_eq!(
        (guo.leaders[0].own_visits, guo.leaders[0].last_own_visit),
        (1, chrono::NaiveDate::from_ymd_opt(2026, 11, 12))
    );
    let plan = guo.plan.as_ref().expect("a 化解方案");
    assert_eq!(plan.team.len(), 4, "the 专班");
    let milestones: Vec<(String, DeadlineStatus)> = plan
        .milestones
        .iter()
        .map(|m| (m.due.to_string(), m.status))
        .collect();
    assert_eq!(
        milestones,
        [
            ("2026-10-15".into(), DeadlineStatus::Met),
            ("2026-11-20".into(), DeadlineStatus::Overdue),
            ("2026-12-31".into(), DeadlineStatus::Open)
        ]
    );
    assert!(guo.problems.is_empty(), "{:?}", guo.problems);
    // The city leader owns 潘女士's case too; its first milestone was met four days late.
    let pan = status_of(&demo, "file-pan");
    assert_eq!(
        pan.leaders
            .iter()
            .map(|l| l.name.as_str())
            .collect::<Vec<_>>(),
        ["陈副市长"]
    );
    let statuses: Vec<DeadlineStatus> = pan
        .plan
        .as_ref()
        .expect("plan")
        .milestones
        .iter()
        .map(|m| m.status)
        .collect();
    assert_eq!(statuses, [DeadlineStatus::MetLate, DeadlineStatus::Open]);
    assert_eq!(
        deadline(&guo, DeadlineKind::Handling),
        ("2026-11-09".into(), DeadlineStatus::Overdue)
    );
    assert_eq!(guo.flags.backlog_years, Some(12));

    // 雷女士: extended once by 30 days with its approver, handling due soon.
    let lei = status_of(&demo, "file-lei");
    let ext = &lei.extension.as_ref().expect("extended").what;
    assert_eq!((ext.days, ext.approver.as_str()), (30, "瑞安市信访局局长"));
    assert!(lei.problems.is_empty(), "{:?}", lei.problems);
    assert_eq!(
        deadline(&lei, DeadlineKind::Handling),
        ("2026-11-30".into(), DeadlineStatus::DueSoon)
    );

    // 周先生: replied in time, rated 满意, closed; the follow-up visit is due soon.
    let zhou = status_of(&demo, "file-zhou");
    assert_eq!(zhou.stage, Some(Stage::Closed));
    assert_eq!(
        zhou.rating.as_ref().map(|r| r.what.0),
        Some(Evaluation::Satisfied)
    );
    assert_eq!(
        deadline(&zhou, DeadlineKind::Handling).1,
        DeadlineStatus::Met
    );
    assert!(zhou.follow_up_due);
    // Closed 30 Oct + 30 days = Sunday 29 Nov: the next working day, Monday 30 Nov.
    assert_eq!(
        deadline(&zhou, DeadlineKind::FollowUp),
        ("2026-11-30".into(), DeadlineStatus::DueSoon)
    );

    // 黄老伯 and 杨天普: handled in time, followed up.
    for file in ["file-huang", "file-yang"] {
        let s = status_of(&demo, file);
        assert_eq!(s.stage, Some(Stage::Closed), "{file}");
        for kind in [
            DeadlineKind::Register,
            DeadlineKind::Notify,
            DeadlineKind::Handling,
            DeadlineKind::FollowUp,
        ] {
            assert_eq!(deadline(&s, kind).1, DeadlineStatus::Met, "{file} {kind:?}");
        }
    }

    // Reviews: one visit returned and not yet amended, others approved, some still waiting.
    let states = review::review_states(&demo.records);
    let returned: Vec<_> = states
        .iter()
        .filter(|s| matches!(s.state, review::ReviewState::Returned { .. }))
        .collect();
    assert_eq!(returned.len(), 1);
    assert_eq!(returned[0].record.file_id.0, "file-lei");
    let approved = states
        .iter()
        .filter(|s| matches!(s.state, review::ReviewState::Approved { .. }))
        .count();
    assert_eq!(approved, 4);
    assert!(!review::pending(&demo.records).is_empty());
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
        let today = chrono::Utc::now().date_naive();
        let accounts = demo::seed(&db, today)
            .await
            .expect("demo seeds an empty database");
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
            db.pull(&supervisor, None, None, 10_000)
                .await
                .expect("records")
                .records
                .len(),
            demo::demo().records.len()
        );

        // The county supervisor reads every file by jurisdiction, without being assigned any.
        for f in &demo::demo().files {
            assert_eq!(
                db.access(&supervisor, &f.file.id).await.expect("access"),
                Access::Read,
                "{}",
                f.file.id
            );
        }
        // The visit he returned reaches the cadre's phone with his comment, and so do the steps.
        let li_records = db
            .pull(&li, None, None, 10_000)
            .await
            .expect("pull")
            .records;
        assert!(li_records.iter().any(|r| matches!(
            &r.body,
            RecordBody::Review(review) if !review.comment.is_empty() && r.author.0 == "u-zhaoxf"
        )));
        assert!(li_records.iter().any(|r| r.body.kind_key() == "case_step"));

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

#[tokio::test]
async fn another_world_loads_from_a_file_and_one_that_does_not_fit_together_is_refused() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("demo/demo.json");
    let world = demo::from_file(&path).expect("the demo file reads as a world");
    assert_eq!(world.records.len(), demo::demo().records.len());
    assert!(demo::from_file(std::path::Path::new("/nonexistent/world.json")).is_err());

    for test_db in common::fresh_databases().await {
        let db = test_db.open().await;
        let mut broken = common::small_world();
        broken.files[0].assigned.push("nobody".into());
        let refused = demo::seed_from(&db, broken).await;
        assert!(
            matches!(&refused, Err(DbError::Demo(why)) if why.contains("nobody")),
            "{refused:?}"
        );
        assert!(!db.has_accounts().await.expect("count"), "nothing stored");

        let accounts = demo::seed_from(&db, common::small_world())
            .await
            .expect("a world that fits together loads");
        assert_eq!(accounts.len(), common::small_world().accounts.len());
        let (wang, _) = db
            .account_for_login("wang")
            .await
            .expect("query")
            .expect("wang was loaded");
        assert_eq!(readable(&db, &wang).await.len(), 1);
    }
}

//! The stories the demo tells beyond the seed documents' facts: the legal team on the files, the
//! parties' signatures on a mediation, a 交办 loop, and the same stories told around another day
//! (`Demo::around`), as a first start on any day tells them.

mod common;

use common::demo_sign_in as sign_in;
use xiafang_core::RecordBody;
use xiafang_core::case::{CaseRules, CaseStatus, DeadlineKind, DeadlineStatus, case_status};
use xiafang_server::demo::{self, Demo, DemoFile};

/// The day the demo's stories are written around (its `day`).
const DEMO_TODAY: (i32, u32, u32) = (2026, 11, 27);

fn demo_file<'a>(demo: &'a Demo, file: &str) -> &'a DemoFile {
    demo.files
        .iter()
        .find(|f| f.file.id.0 == file)
        .unwrap_or_else(|| panic!("demo file {file}"))
}

#[test]
fn the_demo_told_around_another_day_stands_as_on_its_own_day() {
    let (y, m, d) = DEMO_TODAY;
    let day = chrono::NaiveDate::from_ymd_opt(y, m, d).expect("date");
    let demo = demo::demo();
    assert_eq!(demo.day, Some(day));
    // Ten weeks on: the same weekdays, so no last day moves differently off a weekend.
    let later = day + chrono::Duration::days(70);
    let moved = demo::demo().around(later);
    assert_eq!(moved.day, Some(later));
    let shift = |s: &str| {
        (s.parse::<chrono::NaiveDate>().expect("date") + chrono::Duration::days(70)).to_string()
    };
    for (before, after) in demo.records.iter().zip(&moved.records) {
        assert_eq!(after.validate(), Ok(()), "{after:?}");
        assert_eq!(after.id, before.id);
        assert_eq!(
            after.occurred_at - before.occurred_at,
            chrono::Duration::days(70)
        );
        assert_eq!(after.saved_at - before.saved_at, chrono::Duration::days(70));
    }
    for f in &demo.files {
        let id = &f.file.id;
        let rules = CaseRules::default();
        let was = case_status(&f.file, &demo.records, &rules, day);
        let file = &demo_file(&moved, &id.0).file;
        assert_eq!(
            file.matter.since,
            f.file.matter.since + chrono::Duration::days(70)
        );
        let now = case_status(file, &moved.records, &rules, later);
        assert_eq!(now.stage, was.stage, "{id}");
        // Every deadline stands as it stood; its day moved by the same ten weeks, unless the
        // holiday calendar moved a last day off a rest day in one year and not in the other.
        let standing = |s: &CaseStatus| -> Vec<(DeadlineKind, DeadlineStatus)> {
            s.deadlines.iter().map(|d| (d.kind, d.status)).collect()
        };
        assert_eq!(standing(&now), standing(&was), "{id}");
        for (n, w) in now.deadlines.iter().zip(&was.deadlines) {
            if n.calendar.is_none() && w.calendar.is_none() {
                assert_eq!(
                    n.due.to_string(),
                    shift(&w.due.to_string()),
                    "{id} {:?}",
                    n.kind
                );
            }
        }
    }
    // A world without a day (the benchmark's) is stored as written.
    let mut world = demo::demo();
    world.day = None;
    let first = world.records[0].occurred_at;
    assert_eq!(world.around(later).records[0].occurred_at, first);
}

/// The legal team (三官两师一员) in the stories: a referral and the lawyer's opinion on the
/// land case, the lawyer on a joint visit the petitioners rated, with his own part of it, and a
/// people's mediation of 黄老伯's rehousing with its 事实确认书 and agreement.
#[test]
fn the_legal_team_takes_part_in_the_stories() {
    let demo = demo::demo();
    let on = |file: &str, kind: &str| {
        demo.records
            .iter()
            .filter(|r| r.file_id.0 == file && r.body.kind_key() == kind)
            .collect::<Vec<_>>()
    };
    for (file, kind) in [
        ("file-zhou", "referral"),
        ("file-zhou", "legal_opinion"),
        ("file-zhou", "visit_part"),
        ("file-huang", "referral"),
        ("file-huang", "mediation"),
    ] {
        assert_eq!(on(file, kind).len(), 1, "{file} {kind}");
    }
    let joint = on("file-zhou", "visit")
        .into_iter()
        .find_map(|r| match &r.body {
            RecordBody::Visit(v) if !v.joined.is_empty() => Some((r.id, v)),
            _ => None,
        })
        .expect("a joint visit");
    assert!(joint.1.evaluation.is_some(), "the petitioners were asked");
    let RecordBody::VisitPart(part) = &on("file-zhou", "visit_part")[0].body else {
        unreachable!()
    };
    assert_eq!(part.of, joint.0);
    let RecordBody::Mediation(m) = &on("file-huang", "mediation")[0].body else {
        unreachable!()
    };
    assert!(m.facts.contains("确认"), "the 事实确认书: {}", m.facts);
    assert!(!m.terms.is_empty());
}

/// The parties signed the 事实确认书 on the mediator's phone: each signature matches the text it
/// confirms — also once the demo is told around another day, which moves the date in that text —
/// and its image is on the server for whoever reads the file.
#[tokio::test]
async fn the_mediations_signatures_match_and_their_images_are_served() {
    use xiafang_core::signatures::{SignatureState, signature_state};
    let (y, m, d) = DEMO_TODAY;
    let later =
        chrono::NaiveDate::from_ymd_opt(y, m, d).expect("date") + chrono::Duration::days(40);
    for demo in [demo::demo(), demo::demo().around(later)] {
        let signatures: Vec<_> = demo
            .records
            .iter()
            .filter_map(|r| match &r.body {
                RecordBody::Signature(s) => Some(s),
                _ => None,
            })
            .collect();
        assert_eq!(signatures.len(), 2);
        for s in signatures {
            assert_eq!(
                signature_state(s, &demo.records),
                SignatureState::Matches,
                "{}",
                s.signer
            );
        }
    }
    for test_db in common::fresh_databases().await {
        let db = test_db.open().await;
        demo::seed(&db, later).await.expect("seeded");
        let demo = demo::demo();
        let image = demo.images[0].bytes;
        let sha = xiafang_core::attachment::sha256_hex(image);
        let li = sign_in(&db, "lixm").await;
        let (download, shown) = db
            .download_blob(&li, &sha)
            .await
            .expect("read")
            .expect("the cadre of the file sees the signature");
        assert_eq!(download.data, image);
        assert_eq!(shown.len(), 1);
        let wang = sign_in(&db, "wangjg").await;
        assert!(db.download_blob(&wang, &sha).await.expect("read").is_none());
    }
}

#[test]
fn demo_has_a_tasking_loop_signed_off_and_one_due_soon() {
    use xiafang_core::calendar::Calendar;
    use xiafang_core::tasks::{Closure, TaskState, TaskingRules, closed_in_time, tasks};
    let demo = demo::demo();
    let (y, m, d) = DEMO_TODAY;
    let today = chrono::NaiveDate::from_ymd_opt(y, m, d).expect("date");
    let of = |file: &str| {
        let records: Vec<_> = demo
            .records
            .iter()
            .filter(|r| r.file_id.0 == file)
            .cloned()
            .collect();
        tasks(
            &records,
            &TaskingRules::default(),
            &Calendar::default(),
            today,
        )
    };
    // 黄老伯's outbuilding valuation: assigned to 云周街道 by 30 June, urged by phone on 26 June,
    // reported on 29 June, signed off on 30 June on the report and a visit.
    let huang = of("file-huang");
    assert!(huang.problems.is_empty(), "{:?}", huang.problems);
    let [round] = huang.rounds.as_slice() else {
        panic!("one round: {:?}", huang.rounds)
    };
    assert_eq!(round.unit, "云周街道办事处");
    assert_eq!((round.state, round.urged), (TaskState::SignedOff, 1));
    assert_eq!(round.signed_off.as_ref().map(|(_, e)| e.len()), Some(2));
    assert!(closed_in_time(round, Closure::SignedOffByDeadline));
    // 雷女士's house site: due 30 November, three days after the demo's day: phone the unit.
    let lei = of("file-lei");
    assert_eq!(lei.rounds.len(), 1);
    assert_eq!(
        (lei.rounds[0].state, lei.rounds[0].days_left),
        (TaskState::DueSoon, 3)
    );
}

//! What one cadre's sync costs the database must not depend on how much the rest of the
//! deployment holds: a province in one PostgreSQL has 100,000 cadres, and each of them syncs
//! every few minutes (docs/OPERATIONS.md, "Sizing"). Measured as rows the sync's statements read
//! (`pg_stat_user_tables`, `pg_stat_user_indexes`), not as time: the same cadre, files and
//! records, once beside 50 files of other cadres' villages, once beside 2,000.

mod common;

use axum::http::StatusCode;
use common::{TestServer, account, file, fresh_databases};
use sqlx::{Connection, Executor, PgConnection};
use std::collections::BTreeMap;
use xiafang_core::account::Role;
use xiafang_core::feed::Cursor;
use xiafang_core::{DeviceId, fixtures};
use xiafang_server::demo::{Demo, DemoPlace};

/// What a phone's engine asks after each good run (`core::engine`), as the bench's phones do.
const AFTER_RUN: [&str; 4] = [
    "/api/rules",
    "/api/team",
    "/api/screening/places",
    "/api/chain/heads",
];

fn place(id: &str, kind: &str, parent: Option<&str>) -> DemoPlace {
    DemoPlace {
        id: id.into(),
        name: id.into(),
        kind: kind.into(),
        parent: parent.map(Into::into),
        groups: Vec::new(),
    }
}

/// Cadre `wang` of township `ta` has three files in village a1. `others` more files belong to
/// other cadres, ten each as in a county (docs/OPERATIONS.md, "Sizing"): `c0`, `c2`, … of `ta`
/// in its villages a2–a5, and `c1`, `c3`, … in townships of their own, ten cadres to a township
/// of five villages, so more files also come with more places.
fn world(others: usize) -> Demo {
    let mut places = vec![
        place("county", "county", None),
        place("ta", "township", Some("county")),
    ];
    for i in 1..=5 {
        places.push(place(&format!("a{i}"), "village", Some("ta")));
    }
    let mut accounts = vec![account("wang", Role::Cadre, "ta")];
    let mut files: Vec<_> = (1..=3)
        .map(|i| file(&format!("f-wang{i}"), "a1", &["wang"]))
        .collect();
    for c in 0..others / 10 {
        let cadre = format!("c{c}");
        let township = if c % 2 == 0 {
            "ta".to_owned()
        } else {
            format!("t{}", c / 20)
        };
        let villages: Vec<String> = if c % 2 == 0 {
            (2..=5).map(|i| format!("a{i}")).collect()
        } else {
            (1..=5).map(|i| format!("{township}-v{i}")).collect()
        };
        if c % 20 == 1 {
            places.push(place(&township, "township", Some("county")));
            for v in &villages {
                places.push(place(v, "village", Some(&township)));
            }
        }
        accounts.push(account(&cadre, Role::Cadre, &township));
        for f in 0..10 {
            let village = &villages[(c / 2 + f) % villages.len()];
            files.push(file(&format!("f-{cadre}-{f}"), village, &[&cadre]));
        }
    }
    Demo {
        images: Vec::new(),
        day: None,
        places,
        accounts,
        files,
        records: vec![],
    }
}

/// Rows read so far in the database, by table (heap rows of sequential scans and index entries
/// of index scans), once every connection but `probe` is gone: a backend reports its counts
/// when it exits, so none is left out or arrives later.
async fn rows_read(probe: &mut PgConnection) -> BTreeMap<String, i64> {
    probe
        .execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
             WHERE datname = current_database() AND pid <> pg_backend_pid()",
        )
        .await
        .expect("end the server's connections");
    loop {
        let left: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM pg_stat_activity \
             WHERE datname = current_database() AND pid <> pg_backend_pid()",
        )
        .fetch_one(&mut *probe)
        .await
        .expect("count connections");
        if left == 0 {
            break;
        }
        tokio::task::yield_now().await;
    }
    probe
        .execute("SELECT pg_stat_clear_snapshot()")
        .await
        .expect("fresh statistics");
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT t.relname::text, COALESCE(t.seq_tup_read, 0) \
         + COALESCE((SELECT SUM(i.idx_tup_read) FROM pg_stat_user_indexes i \
                     WHERE i.relid = t.relid), 0)::bigint \
         FROM pg_stat_user_tables t",
    )
    .fetch_all(&mut *probe)
    .await
    .expect("read the statistics");
    rows.into_iter().collect()
}

fn since(after: &BTreeMap<String, i64>, before: &BTreeMap<String, i64>) -> BTreeMap<String, i64> {
    after
        .iter()
        .map(|(table, n)| (table.clone(), n - before.get(table).copied().unwrap_or(0)))
        .filter(|(_, n)| *n != 0)
        .collect()
}

/// Rows `wang`'s sync reads beside `others` files of other cadres, who also stored `others / 10`
/// records since his last pull, under each of PostgreSQL's two ways of planning a prepared
/// statement. The server's pooled connections run each statement thousands of times, and
/// PostgreSQL then plans it once for any parameters (a generic plan): the test asks for that
/// from the first run, and for a plan made for the parameters at hand (custom) as well.
async fn cost_of_a_sync(others: usize) -> Option<Vec<(&'static str, BTreeMap<String, i64>)>> {
    let db = fresh_databases()
        .await
        .into_iter()
        .find(|db| db.backend == "postgres")?;
    let opened = db.open().await;
    opened.seed_demo(&world(others)).await.expect("seed");
    let url = db.url.clone();
    let server = TestServer {
        db: Some(db),
        state: xiafang_server::AppState::new(opened, None),
    };
    let wang = server.login("wang").await;
    // Five of the other cadres write, more of them the more files there are.
    let mut writers = Vec::new();
    for c in 0..5 {
        let cadre = format!("c{c}");
        writers.push((server.login(&cadre).await, cadre, DeviceId::new_random()));
    }
    let phone = DeviceId::new_random();
    let mut seq = 1;
    let mut push = |files: &[&str], author: &str| {
        let records: Vec<_> = files.iter().map(|f| fixtures::note(f, author)).collect();
        let batch = common::batch(phone, seq, &records);
        seq += records.len() as u64;
        batch
    };
    let first = push(&["f-wang1"], "wang");
    server.push(&wang, &first).await;
    let mut cursor: Cursor = server.pull(&wang, None).await.cursor;

    let mut probe = PgConnection::connect(&url).await.expect("probe connects");
    let mut figures = Vec::new();
    let mut other_seq = 1;
    for mode in ["force_generic_plan", "force_custom_plan"] {
        // Other cadres' work since wang's last pull, which the feed's window holds: one record
        // for every ten of their files.
        for (token, cadre, device) in &writers {
            let theirs: Vec<_> = (0..others / 50)
                .map(|i| fixtures::note(&format!("f-{cadre}-{}", i % 10), cadre))
                .collect();
            for chunk in theirs.chunks(50) {
                let batch = common::batch(*device, other_seq, chunk);
                other_seq += chunk.len() as u64;
                server.push(token, &batch).await;
            }
        }
        let database: String = sqlx::query_scalar("SELECT current_database()::text")
            .fetch_one(&mut probe)
            .await
            .expect("name");
        // Tables small enough here to be read whole are too big for that in a province, where
        // one account's rows are a sliver of each: PostgreSQL is told to reach rows through an
        // index wherever one serves, and to join by looking rows up rather than by reading a
        // side whole into a hash or a merge.
        let settings = [
            format!("plan_cache_mode = {mode}"),
            "enable_seqscan = off".into(),
            "enable_hashjoin = off".into(),
            "enable_mergejoin = off".into(),
        ];
        for setting in settings {
            probe
                .execute(format!("ALTER DATABASE {database} SET {setting}").as_str())
                .await
                .expect("plan settings");
        }
        // Statistics as PostgreSQL's autovacuum keeps them: taken after the others' records.
        probe.execute("ANALYZE").await.expect("analyze");
        let before = rows_read(&mut probe).await;

        // One sync as the phone's engine runs it: push, pull, the reads after a good run.
        let batch = push(&["f-wang2", "f-wang3"], "wang");
        server.push(&wang, &batch).await;
        let page = server.pull(&wang, Some(&cursor)).await;
        assert!(!page.reset, "the cursor still fits");
        assert_eq!(
            page.records.len(),
            2,
            "wang's own two records, none of the others'"
        );
        cursor = page.cursor;
        for path in AFTER_RUN {
            let (status, body) = server.get(path, Some(&wang)).await;
            assert_eq!(status, StatusCode::OK, "{path}: {body}");
        }

        figures.push((mode, since(&rows_read(&mut probe).await, &before)));
    }
    probe.close().await.ok();
    Some(figures)
}

#[tokio::test]
async fn a_cadres_sync_reads_no_more_rows_when_other_villages_hold_more_files() {
    let Some(small) = cost_of_a_sync(50).await else {
        eprintln!("PostgreSQL left out: nothing measured");
        return;
    };
    let large = cost_of_a_sync(2_000).await.expect("PostgreSQL");
    for ((mode, small), (_, large)) in small.iter().zip(&large) {
        let total = |rows: &BTreeMap<String, i64>| rows.values().sum::<i64>();
        eprintln!("{mode}: 50 other files: {small:?}\n{mode}: 2,000 other files: {large:?}");
        // The same rows in both worlds, give or take a few index entries: 2,000 other files
        // in 50 more villages, and their 200 new records, must not add one row per hundred.
        assert!(
            total(large) <= total(small) + 20,
            "{mode}: {} rows beside 50 other files, {} beside 2,000: {large:?}",
            total(small),
            total(large),
        );
    }
}

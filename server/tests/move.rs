//! A deployment moved from its SQLite file to PostgreSQL with `xiafang-server move-to-postgres`
//! keeps everything, and its phones never notice. Phones — the shipping sync engine with the
//! native shell of `support/phone.rs` — upload and pull against the real binary on SQLite; one
//! keeps records it saved without a connection. The move is refused while the server runs; the
//! server stops; the move copies every table; it is refused again now that the target is not
//! empty; the server starts on PostgreSQL and the phones sync with the cursors, sessions and
//! operation numbers they had: no reset, nothing downloaded twice, nothing sent again, the unsent
//! records stored once, and the server holds exactly what the phones saved. Last, a file an
//! older release ran is refused before anything is written.

mod common;
#[allow(dead_code)] // each test uses a part of the support code
mod support;

use sqlx::{AnyConnection, Connection};
use std::collections::HashMap;
use std::path::Path;
use std::process::Output;
use support::fleet::Fleet;
use support::holdings::{CADRES, check_server_holds_exactly_what_phones_saved, timelines};
use support::process::ServerProcess;

const ON_SQLITE: usize = 10;
/// Saved by the first phone while the server is stopped for the move.
const UNSENT: usize = 3;
/// Saved by each phone after the move, on PostgreSQL.
const ON_POSTGRES: usize = 4;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_deployment_moved_to_postgres_keeps_every_record_and_its_phones_sync_on_without_a_reset()
{
    let Some(target) = common::fresh_databases()
        .await
        .into_iter()
        .find(|db| db.backend == "postgres")
    else {
        return; // PostgreSQL left out on purpose (common says so loudly otherwise).
    };
    sqlx::any::install_default_drivers();
    let data_dir = tempfile::tempdir().expect("temp dir");
    let url_file = data_dir.path().join("postgres-url");
    std::fs::write(&url_file, format!("{}\n", target.url)).expect("write the URL file");

    let mut server = ServerProcess::start(data_dir.path(), None).await;
    let direct = server.addr();
    let demo = timelines(direct).await;
    let fleet = Fleet::new(direct).await;
    let mut phones = fleet.first_sync(17, ON_SQLITE).await;

    let busy = move_to_postgres(data_dir.path(), &url_file);
    refused(&busy, "停止", "while the server holds the SQLite file");
    server.kill().await;
    phones[0].save_offline(UNSENT);

    let moved = move_to_postgres(data_dir.path(), &url_file);
    assert!(
        moved.status.success(),
        "the move failed: {}{}",
        String::from_utf8_lossy(&moved.stdout),
        String::from_utf8_lossy(&moved.stderr)
    );
    println!("{}", String::from_utf8_lossy(&moved.stdout));
    let sqlite_url = xiafang_server::db::sqlite_url(&data_dir.path().join("xiafang.db"));
    let reported = tables_reported(&String::from_utf8_lossy(&moved.stdout));
    let copied = every_table_alike(&sqlite_url, &target.url, &reported).await;
    let again = move_to_postgres(data_dir.path(), &url_file);
    refused(&again, "不是空的", "into a database that is not empty");
    verify_passes(data_dir.path(), &target.url);
    audit_log_stays_append_only(&target.url).await;

    server.restart_on(&target.url).await;
    // Each phone's first download started from nothing (`reset`); none may come after.
    let before: Vec<(u32, u32, usize)> = phones
        .iter()
        .map(|p| (p.resets, p.stats.logins, p.downloaded.len()))
        .collect();
    let mut after = Vec::new();
    for phone in phones {
        let quota = phone.saved.len() + ON_POSTGRES;
        after.push(fleet.sync(phone, quota).await);
    }
    let stored = timelines(direct).await;
    check_server_holds_exactly_what_phones_saved(&demo, &stored, &after);
    for (phone, (resets, logins, downloads)) in after.iter().zip(before) {
        let i = phone.index;
        assert_eq!(
            phone.resets, resets,
            "phone {i}: its cursor was not taken as it was"
        );
        assert_eq!(
            phone.resends, 0,
            "phone {i} was asked to upload everything again"
        );
        assert_eq!(
            phone.requeued, 0,
            "phone {i} sent acknowledged records again"
        );
        assert_eq!(phone.stats.logins, logins, "phone {i} had to sign in again");
        assert_eq!(phone.stats.signed_out, 0, "phone {i} was signed out");
        let twice: Vec<_> = phone.downloaded.iter().filter(|(_, n)| **n > 1).collect();
        assert!(twice.is_empty(), "phone {i} downloaded again: {twice:?}");
        assert!(
            phone.downloaded.len() > downloads,
            "phone {i} downloaded nothing new on PostgreSQL"
        );
    }
    older_release_refused(&sqlite_url, data_dir.path(), &url_file).await;
    println!(
        "move: {copied} rows in every table alike; {} records saved on SQLite, {UNSENT} unsent \
         at the move, {} after it; resets 0, resends 0, sign-ins again 0, duplicates 0",
        CADRES.len() * ON_SQLITE,
        CADRES.len() * ON_POSTGRES,
    );
    server.kill().await;
}

fn move_to_postgres(data_dir: &Path, url_file: &Path) -> Output {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_xiafang-server"));
    command
        .arg("move-to-postgres")
        .arg("--data-dir")
        .arg(data_dir)
        .arg("--to-file")
        .arg(url_file);
    for var in [
        "XIAFANG_DATA_DIR",
        "XIAFANG_DATABASE_URL",
        "XIAFANG_MOVE_TO",
    ] {
        command.env_remove(var);
    }
    command
        .output()
        .expect("run xiafang-server move-to-postgres")
}

/// A SQLite file another release last ran has other tables or columns than this release makes
/// on PostgreSQL: the command says to run this release on it first, before touching the target.
async fn older_release_refused(sqlite_url: &str, data_dir: &Path, url_file: &Path) {
    // One connection, closed before the command runs: a pool returns its connections in the
    // background and may still hold the file when the command looks.
    let mut sqlite = AnyConnection::connect(sqlite_url)
        .await
        .expect("open SQLite");
    sqlx::query(
        "DELETE FROM _sqlx_migrations WHERE version = (SELECT MAX(version) FROM _sqlx_migrations)",
    )
    .execute(&mut sqlite)
    .await
    .expect("make the file look older");
    sqlite.close().await.expect("close SQLite");
    let out = move_to_postgres(data_dir, url_file);
    refused(
        &out,
        "请先用本版本在 SQLite 上启动一次服务器",
        "of a file an older release ran",
    );
}

fn refused(out: &Output, says: &str, when: &str) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && stderr.contains(says),
        "a move {when} must be refused saying {says:?}; it said: {}{stderr}",
        String::from_utf8_lossy(&out.stdout)
    );
}

fn verify_passes(data_dir: &Path, database_url: &str) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_xiafang-server"))
        .arg("verify")
        .arg("--data-dir")
        .arg(data_dir)
        .arg("--database-url")
        .arg(database_url)
        .output()
        .expect("run xiafang-server verify");
    assert!(
        out.status.success(),
        "verify on PostgreSQL after the move: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The tables the command says it copied, with their rows ("  name   N 行 (rows)").
fn tables_reported(stdout: &str) -> HashMap<String, usize> {
    stdout
        .lines()
        .filter_map(|line| line.strip_suffix(" 行 (rows)"))
        .filter_map(|line| {
            let mut words = line.split_whitespace();
            Some((words.next()?.to_owned(), words.next()?.parse().ok()?))
        })
        .collect()
}

/// Every table of the SQLite file's schema (read here, not from the command) holds the same rows
/// on PostgreSQL, every column compared as text (binary columns by length), and the command
/// names each of them with its rows: a table it forgot fails here even while empty. Returns the
/// rows.
async fn every_table_alike(
    sqlite_url: &str,
    postgres_url: &str,
    reported: &HashMap<String, usize>,
) -> usize {
    let mut sqlite = AnyConnection::connect(sqlite_url)
        .await
        .expect("open SQLite");
    let mut postgres = AnyConnection::connect(postgres_url)
        .await
        .expect("open PostgreSQL");
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
         AND name <> '_sqlx_migrations' ORDER BY name",
    )
    .fetch_all(&mut sqlite)
    .await
    .expect("list tables");
    assert!(tables.len() >= 25, "the schema lists only {tables:?}");
    assert_eq!(
        reported.len(),
        tables.len(),
        "the move reported {reported:?}"
    );
    let mut rows = 0;
    for table in &tables {
        let columns: Vec<(String, String)> =
            sqlx::query_as("SELECT name, type FROM pragma_table_info($1) ORDER BY cid")
                .bind(table)
                .fetch_all(&mut sqlite)
                .await
                .expect("list columns");
        let text: Vec<String> = columns
            .iter()
            .map(|(name, kind)| match kind.as_str() {
                "BYTEA" | "BLOB" => format!("COALESCE(CAST(length({name}) AS TEXT), '-')"),
                _ => format!("COALESCE(CAST({name} AS TEXT), '-')"),
            })
            .collect();
        let sql = format!("SELECT {} FROM {table}", text.join(" || '|' || "));
        let mut on_sqlite: Vec<String> = sqlx::query_scalar(&sql)
            .fetch_all(&mut sqlite)
            .await
            .unwrap_or_else(|e| panic!("read {table} on SQLite: {e}"));
        let mut on_postgres: Vec<String> = sqlx::query_scalar(&sql)
            .fetch_all(&mut postgres)
            .await
            .unwrap_or_else(|e| panic!("read {table} on PostgreSQL: {e}"));
        on_sqlite.sort();
        on_postgres.sort();
        assert_eq!(
            on_sqlite, on_postgres,
            "table {table} differs after the move"
        );
        assert_eq!(
            reported.get(table),
            Some(&on_sqlite.len()),
            "the move's report on table {table}"
        );
        rows += on_sqlite.len();
    }
    for must_have in [
        "audit_log",
        "chain_roots",
        "sessions",
        "device_ops",
        "records",
    ] {
        let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {must_have}"))
            .fetch_one(&mut postgres)
            .await
            .expect("count");
        assert!(
            n > 0,
            "the scenario left {must_have} empty, so it proves nothing"
        );
    }
    sqlite.close().await.expect("close SQLite");
    postgres.close().await.expect("close PostgreSQL");
    rows
}

async fn audit_log_stays_append_only(postgres_url: &str) {
    let mut postgres = AnyConnection::connect(postgres_url)
        .await
        .expect("open PostgreSQL");
    for sql in ["DELETE FROM audit_log", "UPDATE audit_log SET action = 'x'"] {
        let err = sqlx::query(sql)
            .execute(&mut postgres)
            .await
            .expect_err("the audit log refuses changes after the move");
        assert!(err.to_string().contains("append-only"), "{sql}: {err}");
    }
    postgres.close().await.expect("close PostgreSQL");
}

//! A server restored from a backup loses nothing a phone holds. Phones — the shipping sync engine
//! with the native shell of `support/phone.rs` — upload; a backup is taken while the server runs
//! (SQLite: `xiafang-server backup`; PostgreSQL: `pg_dump`); more uploads are acknowledged; the
//! server is stopped and restored to the backup. Another phone uploads new records first (so the
//! feed's head moves past where the others stood), then every phone syncs once, with nobody doing
//! anything on it: the server holds the union of what every phone saved, each record once.

mod common;
#[allow(dead_code)] // each test uses a part of the support code
mod support;

use std::path::Path;
use support::fleet::Fleet;
use support::holdings::{CADRES, check_server_holds_exactly_what_phones_saved, timelines};
use support::phone::Phone;
use support::process::ServerProcess;

const BEFORE_BACKUP: usize = 8;
const AFTER_BACKUP: usize = 16;
/// The second phone's total after the restore: it saves these before the first syncs.
const AFTER_RESTORE: usize = 20;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn after_a_restore_every_phone_uploads_what_the_backup_lacks_exactly_once() {
    for db in common::fresh_databases().await {
        let url = (db.backend == "postgres").then_some(db.url.as_str());
        run(db.backend, url).await;
    }
}

async fn run(backend: &str, database_url: Option<&str>) {
    let data_dir = tempfile::tempdir().expect("temp dir");
    let mut server = ServerProcess::start(data_dir.path(), database_url).await;
    let direct = server.addr();
    let demo = timelines(direct).await;
    let fleet = Fleet::new(direct).await;
    let phones = fleet.first_sync(7, BEFORE_BACKUP).await;
    let backup = data_dir.path().join("backup");
    take_backup(data_dir.path(), database_url, &backup).await;
    let mut after = Vec::new();
    for phone in phones {
        after.push(fleet.sync(phone, AFTER_BACKUP).await);
    }
    let acknowledged: usize = after.iter().map(|p| p.saved.len()).sum();

    server.kill().await;
    restore(data_dir.path(), database_url, &backup).await;
    server.restart().await;

    let [first, second]: [Phone; 2] = after.try_into().ok().expect("two phones");
    let second = fleet.sync(second, AFTER_RESTORE).await;
    let first = fleet.sync(first, AFTER_BACKUP).await;
    let phones = [first, second];

    let stored = timelines(direct).await;
    check_server_holds_exactly_what_phones_saved(&demo, &stored, &phones);
    let recovered: usize = phones.iter().map(|p| p.requeued).sum();
    let lost_by_restore = CADRES.len() * (AFTER_BACKUP - BEFORE_BACKUP);
    println!(
        "restore[{backend}]: uploaded before the backup {}, acknowledged after it {}, \
         acknowledged in all before the restore {acknowledged}, saved after the restore {}, \
         records the phones offered again {recovered} (the backup lacked {lost_by_restore}), \
         resend answers {}, duplicates 0",
        CADRES.len() * BEFORE_BACKUP,
        lost_by_restore,
        AFTER_RESTORE - AFTER_BACKUP,
        phones.iter().map(|p| p.resends).sum::<u32>(),
    );
    for phone in &phones {
        assert!(
            phone.resends >= 1,
            "[{backend}] phone {} was never asked to upload again",
            phone.index
        );
    }
    server.kill().await;
}

/// An idle server keeps its SQLite file open: putting a backup under it would lose what it writes
/// next, or corrupt the file. The restore must notice and leave the database as it was.
#[tokio::test]
async fn a_restore_under_a_running_server_is_refused_and_changes_nothing() {
    let data_dir = tempfile::tempdir().expect("temp dir");
    let mut server = ServerProcess::start(data_dir.path(), None).await;
    let before = timelines(server.addr()).await;
    let backup = data_dir.path().join("backup");
    take_backup(data_dir.path(), None, &backup).await;
    let mut c = server_binary();
    c.arg("restore")
        .arg(&backup)
        .arg("--data-dir")
        .arg(data_dir.path());
    let out = c.output().expect("run xiafang-server restore");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && stderr.contains("停止服务"),
        "a restore under a running server must be refused: {stderr}"
    );
    assert_eq!(timelines(server.addr()).await, before);
    server.kill().await;
}

fn server_binary() -> std::process::Command {
    std::process::Command::new(env!("CARGO_BIN_EXE_xiafang-server"))
}

fn ok(mut command: std::process::Command, what: &str) {
    let out = command.output().unwrap_or_else(|e| panic!("{what}: {e}"));
    assert!(
        out.status.success(),
        "{what} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// While the server runs and serves: the documented commands of docs/OPERATIONS.md.
async fn take_backup(data_dir: &Path, database_url: Option<&str>, to: &Path) {
    match database_url {
        None => {
            let mut c = server_binary();
            c.arg("backup").arg(to).arg("--data-dir").arg(data_dir);
            ok(c, "xiafang-server backup");
        }
        Some(url) => {
            let mut c = std::process::Command::new("pg_dump");
            c.args(["--format=custom", "--file"]).arg(to).arg(url);
            ok(c, "pg_dump");
        }
    }
}

/// With the server stopped.
async fn restore(data_dir: &Path, database_url: Option<&str>, from: &Path) {
    match database_url {
        None => {
            let mut c = server_binary();
            c.arg("restore").arg(from).arg("--data-dir").arg(data_dir);
            ok(c, "xiafang-server restore");
        }
        Some(url) => {
            let mut c = std::process::Command::new("pg_restore");
            c.args([
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--dbname",
            ])
            .arg(url)
            .arg(from);
            ok(c, "pg_restore");
        }
    }
}

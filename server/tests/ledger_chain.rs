//! Ledgers that can be checked after printing (issue 19), on SQLite and PostgreSQL: every row
//! carries the chain hash stored for its record (a case row, its file's head) and the ledger
//! ends with the latest signed statement; `xiafang-server verify-ledger` finds a ledger made
//! before a record was rewritten inconsistent with the database after it, naming the row.

mod common;

use axum::http::StatusCode;
use chrono::NaiveDate;
use common::{TestServer, batch, small_world, sql_behind};
use std::path::Path;
use xiafang_core::chain::ChainHash;
use xiafang_core::ledger_chain::{HASH_HEADER, csv_grid, read_grid};
use xiafang_core::{DeviceId, fixtures};
use xiafang_server::chain_key::ChainKey;

const PERIOD: &str = "from=2026-11-01&to=2026-11-30";

async fn stored_link(url: &str, record: &str) -> String {
    let pool = sqlx::AnyPool::connect(url).await.expect("connects");
    let (hash,): (String,) = sqlx::query_as("SELECT chain_hash FROM records WHERE id = $1")
        .bind(record)
        .fetch_one(&pool)
        .await
        .expect("link");
    pool.close().await;
    hash
}

/// `xiafang-server verify-ledger <file>` against the test's database and key directory.
fn verify_ledger(url: &str, key_dir: &Path, file: &Path) -> (bool, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_xiafang-server"))
        .arg("verify-ledger")
        .arg(file)
        .arg("--data-dir")
        .arg(key_dir)
        .args(["--database-url", url])
        .env_remove("XIAFANG_CHAIN_KEY_FILE")
        .output()
        .expect("runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr),
    )
}

#[tokio::test]
async fn a_ledger_carries_each_rows_hash_and_the_statement_and_is_found_out_after_a_rewrite() {
    for server in TestServer::each(&small_world()).await {
        let url = server.db.as_ref().expect("own database").url.clone();
        let dir = tempfile::tempdir().expect("dir");
        let key = ChainKey::load_or_create(&dir.path().join("chain-signing.key")).expect("key");
        let wang = server.login("wang").await;
        let visit = fixtures::visit("f-a1", "wang");
        let assistance = fixtures::assistance("f-a1", "wang");
        server
            .push(
                &wang,
                &batch(
                    DeviceId::new_random(),
                    1,
                    &[visit.clone(), assistance.clone()],
                ),
            )
            .await;
        let day = NaiveDate::from_ymd_opt(2026, 11, 21).expect("day");
        server
            .state
            .db
            .publish_root(&key, day)
            .await
            .expect("publish");
        let sup = server.login("sup-a").await;

        // The CSV: the hash column holds the stored link of each row's record, in full.
        let (status, _, csv) = server
            .get_bytes(&format!("/api/ledgers/visits?{PERIOD}&format=csv"), &sup)
            .await;
        assert_eq!(status, StatusCode::OK);
        let grid = csv_grid(&String::from_utf8(csv.clone()).expect("utf-8"));
        assert_eq!(grid[0].last().map(String::as_str), Some(HASH_HEADER));
        assert_eq!(
            grid[1].last().cloned(),
            Some(stored_link(&url, &visit.id.to_string()).await)
        );
        let printed = read_grid(&grid).expect("reads");
        let published = server.state.db.roots().await.expect("roots");
        assert_eq!(printed.statement.as_ref(), published.last());
        assert_eq!(printed.statement.expect("named").statement.day, day);

        // The case ledger's row is about the whole file: its head, the last record's link.
        let (_, _, cases) = server
            .get_bytes(&format!("/api/ledgers/cases?{PERIOD}&format=csv"), &sup)
            .await;
        let cases = csv_grid(&String::from_utf8(cases).expect("utf-8"));
        assert_eq!(
            cases[1].last().cloned(),
            Some(stored_link(&url, &assistance.id.to_string()).await)
        );

        // The workbook too, and both check out against the database as it is.
        let (_, _, xlsx) = server
            .get_bytes(&format!("/api/ledgers/assistance?{PERIOD}"), &sup)
            .await;
        let files = tempfile::tempdir().expect("dir");
        let (visits_csv, assistance_xlsx) = (
            files.path().join("visits.csv"),
            files.path().join("assistance.xlsx"),
        );
        std::fs::write(&visits_csv, &csv).expect("saved");
        std::fs::write(&assistance_xlsx, &xlsx).expect("saved");
        for file in [&visits_csv, &assistance_xlsx] {
            let (ok, said) = verify_ledger(&url, dir.path(), file);
            assert!(ok, "{said}");
            assert!(said.contains("台账与数据库一致"), "{said}");
            assert!(said.contains("2026-11-21 第 1 份，签名有效"), "{said}");
        }

        // The visit is rewritten in the database after the ledgers were made.
        sql_behind(
            &url,
            "UPDATE records SET body = REPLACE(body, '重新核算', '一次性补偿') WHERE id = $1",
            &[&visit.id.to_string()],
        )
        .await;
        let (ok, said) = verify_ledger(&url, dir.path(), &visits_csv);
        assert!(!ok, "a ledger of rewritten records passed: {said}");
        assert!(
            said.contains("第 2 行：链哈希已不在数据库的记录链中"),
            "{said}"
        );
        // The assistance stored after the visit rests on it: its row is found out too.
        let (ok, said) = verify_ledger(&url, dir.path(), &assistance_xlsx);
        assert!(!ok, "{said}");
        assert!(said.contains("第 2 行"), "{said}");

        // A footer altered by hand no longer verifies.
        let text = String::from_utf8(csv).expect("utf-8");
        let root = published[0].statement.root.to_hex();
        let forged = text.replace(&root, &ChainHash([9; 32]).to_hex());
        std::fs::write(&visits_csv, forged).expect("saved");
        let (ok, said) = verify_ledger(&url, dir.path(), &visits_csv);
        assert!(!ok, "{said}");
        assert!(said.contains("签名根的签名无效"), "{said}");
    }
}

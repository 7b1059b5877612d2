//! Each file's records as a hash chain on the server (issue 19), on SQLite and PostgreSQL: every
//! stored record carries its link; a row changed, removed or inserted by hand in SQL is named by
//! `verify_chains` with its file and position; rows stored before chains existed are linked at
//! the next start to exactly the links they would have had.

mod common;

use common::{TestServer, as_stored, batch, small_world, sql_behind};
use xiafang_core::chain::chain;
use xiafang_core::{DeviceId, Record, fixtures};
use xiafang_server::db::ChainFinding;

async fn stored_links(url: &str, file: &str) -> Vec<String> {
    let pool = sqlx::AnyPool::connect(url).await.expect("connects");
    let rows: Vec<(String,)> =
        sqlx::query_as("SELECT chain_hash FROM records WHERE file_id = $1 ORDER BY feed_seq")
            .bind(file)
            .fetch_all(&pool)
            .await
            .expect("links");
    pool.close().await;
    rows.into_iter().map(|(h,)| h).collect()
}

fn finding(record: &Record, position: u64) -> ChainFinding {
    ChainFinding {
        file: record.file_id.0.clone(),
        position,
        record: record.id.to_string(),
    }
}

#[tokio::test]
async fn a_record_changed_removed_or_inserted_in_sql_is_named_with_its_file_and_position() {
    for server in TestServer::each(&small_world()).await {
        let url = server.db.as_ref().expect("own database").url.clone();
        let wang = server.login("wang").await;
        let records = vec![
            fixtures::visit("f-a1", "wang"),
            fixtures::note("f-a1", "wang"),
            fixtures::assistance("f-a1", "wang"),
            fixtures::note("f-a1", "wang"),
        ];
        let answer = server
            .push(&wang, &batch(DeviceId::new_random(), 1, &records))
            .await;
        assert_eq!(answer.acks.len(), 4);
        let db = &server.state.db;
        assert_eq!(db.verify_chains().await.expect("verify"), vec![]);
        // The links are the chain core defines over the records as stored (with the server's
        // names for the accounts they name).
        let stored: Vec<Record> = records.iter().map(as_stored).collect();
        let expected: Vec<String> = chain(&stored).iter().map(|h| h.to_hex()).collect();
        assert_eq!(stored_links(&url, "f-a1").await, expected);

        // Changed: the assistance's amount, in the stored JSON.
        let id = records[2].id.to_string();
        sql_behind(
            &url,
            "UPDATE records SET body = REPLACE(body, '200000', '20000') WHERE id = $1",
            &[&id],
        )
        .await;
        assert_eq!(
            db.verify_chains().await.expect("verify"),
            vec![finding(&records[2], 2)]
        );
        sql_behind(
            &url,
            "UPDATE records SET body = REPLACE(body, '20000', '200000') WHERE id = $1",
            &[&id],
        )
        .await;
        assert_eq!(db.verify_chains().await.expect("verify"), vec![]);

        // Removed: the note at position 1; the record after it no longer follows its link.
        let id = records[1].id.to_string();
        sql_behind(&url, "DELETE FROM records WHERE id = $1", &[&id]).await;
        assert_eq!(
            db.verify_chains().await.expect("verify"),
            vec![finding(&records[2], 1)]
        );

        // Inserted: a made-up record at the end, with a made-up link.
        let mut forged = fixtures::note("f-a1", "wang");
        forged.id = xiafang_core::RecordId::new_random();
        let body = serde_json::to_string(&forged).expect("json");
        let forged_id = forged.id.to_string();
        sql_behind(
            &url,
            "INSERT INTO records (id, file_id, author_id, kind, occurred_at, body, received_at, \
             feed_seq, chain_hash) VALUES ($1, 'f-a1', 'wang', 'note', '2026-11-20T09:30:00', $2, \
             '2026-11-21T00:00:00Z', 999999, $3)",
            &[&forged_id, &body, &"ab".repeat(32)],
        )
        .await;
        let found = db.verify_chains().await.expect("verify");
        assert!(found.contains(&finding(&forged, 3)), "{found:?}");
        // The other file's chain is untouched and says nothing.
        assert!(found.iter().all(|f| f.file == "f-a1"), "{found:?}");
    }
}

#[tokio::test]
async fn records_stored_before_the_chain_are_linked_at_start_as_they_would_have_been() {
    for server in TestServer::each(&small_world()).await {
        let url = server.db.as_ref().expect("own database").url.clone();
        let wang = server.login("wang").await;
        let records = vec![
            fixtures::visit("f-a1", "wang"),
            fixtures::note("f-a1", "wang"),
            fixtures::assistance("f-a1", "wang"),
        ];
        server
            .push(&wang, &batch(DeviceId::new_random(), 1, &records))
            .await;
        let linked = stored_links(&url, "f-a1").await;
        // As a database from before migration 0016 holds them.
        sql_behind(&url, "UPDATE records SET chain_hash = NULL", &[]).await;
        let server = server.restart().await;
        assert_eq!(stored_links(&url, "f-a1").await, linked);
        assert_eq!(
            server.state.db.verify_chains().await.expect("verify"),
            vec![]
        );
        // And the next record builds on them.
        let wang = server.login("wang").await;
        let next = fixtures::note("f-a1", "wang");
        server
            .push(
                &wang,
                &batch(DeviceId::new_random(), 1, std::slice::from_ref(&next)),
            )
            .await;
        let mut all = records.clone();
        all.push(next);
        let all: Vec<Record> = all.iter().map(as_stored).collect();
        let expected: Vec<String> = chain(&all).iter().map(|h| h.to_hex()).collect();
        assert_eq!(stored_links(&url, "f-a1").await, expected);
    }
}

/// `xiafang-server verify`, as an operator or a cron job runs it against the database.
fn run_verify(url: &str) -> (bool, String) {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_xiafang-server"))
        .args(["verify", "--data-dir"])
        .arg(dir.path())
        .args(["--database-url", url])
        .output()
        .expect("runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[tokio::test]
async fn the_verify_command_says_which_record_no_longer_matches_and_fails() {
    for server in TestServer::each(&small_world()).await {
        let url = server.db.as_ref().expect("own database").url.clone();
        let wang = server.login("wang").await;
        let records = vec![
            fixtures::visit("f-a1", "wang"),
            fixtures::note("f-a1", "wang"),
        ];
        server
            .push(&wang, &batch(DeviceId::new_random(), 1, &records))
            .await;
        let (ok, said) = run_verify(&url);
        assert!(ok, "{said}");
        assert!(said.contains("全部记录链校验通过"), "{said}");
        let id = records[1].id.to_string();
        sql_behind(
            &url,
            "UPDATE records SET body = REPLACE(body, '情绪平稳', '情绪激动') WHERE id = $1",
            &[&id],
        )
        .await;
        let (ok, said) = run_verify(&url);
        assert!(!ok, "a tampered chain passed: {said}");
        assert!(
            said.contains(&format!("档案 f-a1 第 2 条记录（{id}）")),
            "{said}"
        );
    }
}

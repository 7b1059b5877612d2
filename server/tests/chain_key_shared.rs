//! One deployment, one signing key (issue 18 item 3 with issue 19's statements): instances that
//! each made their own key would sign the days in turn with different keys, and every check
//! against "this deployment's key" would then fail on half of them — or a replaced key would go
//! unnoticed. So a statement is published only by the key that signed the deployment's latest
//! statement of the same algorithm, and a server whose key differs refuses to start, saying
//! how to share the key file, unless the operator replaces the key on purpose
//! (`--replace-chain-key`), which it then does at once with a statement of its own.

mod common;
#[allow(dead_code)]
mod support;

use chrono::NaiveDate;
use common::{TestServer, small_world};
use std::time::Duration;
use xiafang_core::roots::SignatureAlgorithm;
use xiafang_server::chain_key::ChainKey;
use xiafang_server::db::Db;

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, d).expect("day")
}

#[tokio::test]
async fn only_the_key_of_the_latest_statement_publishes_the_next() {
    for server in TestServer::each(&small_world()).await {
        let dir = tempfile::tempdir().expect("dir");
        let a = ChainKey::load_or_create(&dir.path().join("a.key")).expect("key a");
        let b = ChainKey::load_or_create(&dir.path().join("b.key")).expect("key b");
        let db = &server.state.db;
        db.publish_root(&a, day(20)).await.expect("publish");

        let refused = db
            .publish_root_if_due(&b, day(21))
            .await
            .expect_err("another key");
        assert!(
            refused.to_string().contains(&a.public_hex()),
            "names the deployment's key: {refused}"
        );
        assert_eq!(
            db.roots().await.expect("roots").len(),
            1,
            "nothing published"
        );

        // The other algorithm has its own key: a deployment switching to SM2 starts its chain
        // of SM2 statements with it.
        let sm2 = ChainKey::load_or_create_for(SignatureAlgorithm::Sm2, &dir.path().join("s.key"))
            .expect("sm2 key");
        assert!(
            db.publish_root_if_due(&sm2, day(21))
                .await
                .expect("sm2")
                .is_some()
        );
        assert!(
            db.publish_root_if_due(&a, day(22))
                .await
                .expect("a")
                .is_some()
        );
        assert_eq!(db.roots().await.expect("roots").len(), 3);
    }
}

/// Runs the binary over `data` with the key file `key` until it exits or 30 s pass.
async fn run_until_exit(
    data: &std::path::Path,
    key: &std::path::Path,
    extra: &[&str],
) -> Option<(std::process::ExitStatus, String)> {
    let addr = support::process::free_addr();
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_xiafang-server"))
        .args(["--addr", &addr.to_string(), "--no-demo", "--data-dir"])
        .arg(data)
        .args(["--dist"])
        .arg(data.join("no-dist"))
        .args(extra)
        .env_remove("XIAFANG_DATABASE_URL")
        .env("XIAFANG_CHAIN_KEY_FILE", key)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("start");
    let exited = tokio::time::timeout(Duration::from_secs(30), child.wait()).await;
    match exited {
        Ok(status) => {
            let out = child.wait_with_output().await.expect("output");
            let said = String::from_utf8_lossy(&out.stderr).into_owned()
                + &String::from_utf8_lossy(&out.stdout);
            Some((status.expect("status"), said))
        }
        Err(_) => {
            child.start_kill().expect("kill");
            None
        }
    }
}

#[tokio::test]
async fn a_server_with_another_key_refuses_to_start_unless_told_to_replace_it() {
    let data = tempfile::tempdir().expect("data");
    let keys = tempfile::tempdir().expect("keys");
    let (a_file, b_file) = (keys.path().join("a.key"), keys.path().join("b.key"));
    let a = ChainKey::load_or_create(&a_file).expect("key a");
    let b = ChainKey::load_or_create(&b_file).expect("key b");
    {
        let db = Db::open(&data.path().join("xiafang.db")).await.expect("db");
        db.publish_root(&a, day(20)).await.expect("publish");
        db.close().await;
    }

    let (status, said) = run_until_exit(data.path(), &b_file, &[])
        .await
        .expect("it exits rather than serving");
    assert_eq!(status.code(), Some(1), "{said}");
    assert!(said.contains("XIAFANG_CHAIN_KEY_FILE"), "{said}");
    assert!(
        said.contains(&a.public_hex()),
        "names the deployment's key: {said}"
    );

    // The operator replaces the key on purpose: the server publishes with it at once and serves.
    let mut replaced = support::process::ServerProcess::start_with(
        data.path(),
        None,
        &["--replace-chain-key", "--no-demo"],
        &[("XIAFANG_CHAIN_KEY_FILE", b_file.to_str().expect("path"))],
    )
    .await;
    replaced.kill().await;
    let db = Db::open(&data.path().join("xiafang.db")).await.expect("db");
    let roots = db.roots().await.expect("roots");
    assert_eq!(roots.last().expect("latest").public_key, b.public_hex());
    drop(roots);
    db.close().await;
    // The old key's statement is still the deployment's (listed beside the new key file as
    // replaced), so the operator's check passes.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_xiafang-server"))
        .arg("verify")
        .arg("--data-dir")
        .arg(data.path())
        .env_remove("XIAFANG_DATABASE_URL")
        .env("XIAFANG_CHAIN_KEY_FILE", &b_file)
        .output()
        .expect("verify");
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{said}");
    // From now on the old key is the one refused.
    let (status, said) = run_until_exit(data.path(), &a_file, &[])
        .await
        .expect("it exits");
    assert_eq!(status.code(), Some(1), "{said}");
}

/// Someone who can write the database rewrites a record, recomputes the links and publishes a
/// statement over it with a key of their own: every signature verifies with the key it names,
/// so only the deployment's own keys tell. A key retired by `--replace-chain-key` still counts
/// for the statements it signed.
#[tokio::test]
async fn a_statement_signed_by_a_key_not_the_deployments_is_found() {
    for server in TestServer::each(&small_world()).await {
        let dir = tempfile::tempdir().expect("dir");
        let own = ChainKey::load_or_create(&dir.path().join("own.key")).expect("own");
        let outsider = ChainKey::load_or_create(&dir.path().join("x.key")).expect("outsider");
        let db = &server.state.db;
        db.publish_root(&own, day(20)).await.expect("publish");
        let trusted = vec![own.public_hex()];
        let clean = db
            .verify_report(None, Some(trusted.as_slice()))
            .await
            .expect("verify");
        assert!(clean.all_match(), "{:?}", clean.findings);

        db.publish_root(&outsider, day(21))
            .await
            .expect("the outsider's");
        let found = db
            .verify_report(None, Some(trusted.as_slice()))
            .await
            .expect("verify");
        let texts: Vec<String> = found
            .findings
            .iter()
            .map(|f| f.text(xiafang_core::Lang::Zh))
            .collect();
        assert_eq!(
            texts,
            [format!(
                "第 2 份签名根不是由本部署的密钥签发（公钥 {}）：签名根可能被整体替换",
                outsider.public_hex()
            )]
        );
        // Not knowing the deployment's keys, the check cannot tell, and says nothing of it.
        assert!(
            db.verify_report(None, None)
                .await
                .expect("verify")
                .all_match()
        );
        // The outsider's key, had it been the replaced one, would be trusted with the new one.
        let both = vec![own.public_hex(), outsider.public_hex()];
        assert!(
            db.verify_report(None, Some(both.as_slice()))
                .await
                .expect("v")
                .all_match()
        );
    }
}

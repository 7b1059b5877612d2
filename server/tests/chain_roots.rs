//! The daily signed statements over every chain (issue 19), on SQLite and PostgreSQL: each is
//! signed so that the public key alone checks it; someone who rewrites a record *and* recomputes
//! the stored links (so the chains agree with themselves) is still found, with the file and the
//! last day it matched; a statement removed, a kept head changed or a signature forged is found.

mod common;

use chrono::NaiveDate;
use common::{TestServer, batch, rewrite_and_rehash, small_world, sql_behind};
use ed25519_dalek::{Signature, Verifier, VerifyingKey};
use xiafang_core::{DeviceId, fixtures};
use xiafang_server::chain_key::ChainKey;
use xiafang_server::db::RootFinding;

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, d).expect("day")
}

#[tokio::test]
async fn a_rewrite_hidden_by_recomputed_links_is_found_by_the_signed_statements() {
    for server in TestServer::each(&small_world()).await {
        let url = server.db.as_ref().expect("own database").url.clone();
        let dir = tempfile::tempdir().expect("dir");
        let key = ChainKey::load_or_create(&dir.path().join("chain.key")).expect("key");
        let db = &server.state.db;
        let wang = server.login("wang").await;
        let li = server.login("li").await;
        let device = DeviceId::new_random();
        server
            .push(&wang, &batch(device, 1, &[fixtures::visit("f-a1", "wang")]))
            .await;
        server
            .push(
                &li,
                &batch(DeviceId::new_random(), 1, &[fixtures::note("f-b1", "li")]),
            )
            .await;
        let first = db.publish_root(&key, day(20)).await.expect("publish");
        let later = fixtures::assistance("f-a1", "wang");
        server
            .push(&wang, &batch(device, 2, std::slice::from_ref(&later)))
            .await;
        let second = db.publish_root(&key, day(21)).await.expect("publish");
        assert_eq!((first.seq, first.files, second.seq), (1, 2, 2));
        assert_eq!(second.previous, first.statement_hash());
        assert_eq!(db.verify_roots().await.expect("verify"), vec![]);

        // Checked with the public key alone, over the statement's documented bytes.
        let roots = db.roots().await.expect("roots");
        for p in &roots {
            let key = VerifyingKey::from_bytes(&hex32(&p.public_key)).expect("public key");
            let signature = Signature::from_bytes(&hex64(&p.signature));
            assert!(
                key.verify(&p.statement.statement_bytes(), &signature)
                    .is_ok()
            );
        }
        assert!(
            String::from_utf8(second.statement_bytes())
                .unwrap()
                .starts_with("xiafang-root-v1\n2\n2026-11-21\n")
        );

        // The assistance stored after the first statement is rewritten, links recomputed: the
        // chains agree with themselves, the second statement does not.
        rewrite_and_rehash(&url, "f-a1", &later.id.to_string(), "200000", "2000").await;
        assert_eq!(db.verify_chains().await.expect("chains"), vec![]);
        assert_eq!(
            db.verify_roots().await.expect("verify"),
            vec![RootFinding::Rewritten {
                file: "f-a1".into(),
                seq: 2,
                day: day(21),
                last_matched: Some(day(20)),
            }]
        );
        rewrite_and_rehash(&url, "f-a1", &later.id.to_string(), "2000", "200000").await;
        assert_eq!(db.verify_roots().await.expect("verify"), vec![]);

        // A kept head changed, a signature forged, the first statement removed.
        sql_behind(
            &url,
            "UPDATE chain_root_heads SET length = length + 1 WHERE seq = 2",
            &[],
        )
        .await;
        let found = db.verify_roots().await.expect("verify");
        assert!(
            found.contains(&RootFinding::HeadsAltered { seq: 2 }),
            "{found:?}"
        );
        sql_behind(
            &url,
            "UPDATE chain_root_heads SET length = length - 1 WHERE seq = 2",
            &[],
        )
        .await;
        let forged = "00".repeat(64);
        sql_behind(
            &url,
            "UPDATE chain_roots SET signature = $1 WHERE seq = 2",
            &[&forged],
        )
        .await;
        assert_eq!(
            db.verify_roots().await.expect("verify"),
            vec![RootFinding::BadSignature { seq: 2 }]
        );
        sql_behind(&url, "DELETE FROM chain_root_heads WHERE seq = 1", &[]).await;
        sql_behind(&url, "DELETE FROM chain_roots WHERE seq = 1", &[]).await;
        let found = db.verify_roots().await.expect("verify");
        assert!(
            found.contains(&RootFinding::BrokenSequence { seq: 2 }),
            "{found:?}"
        );
    }
}

#[test]
fn the_signing_key_is_made_once_private_and_read_back() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("chain.key");
    let made = ChainKey::load_or_create(&path).expect("made");
    let read = ChainKey::load_or_create(&path).expect("read");
    assert_eq!(made.public_hex(), read.public_hex());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).expect("file").permissions().mode();
        assert_eq!(
            mode & 0o077,
            0,
            "the key file is readable by others: {mode:o}"
        );
    }
}

fn hex32(text: &str) -> [u8; 32] {
    hex::decode(text)
        .expect("hex")
        .try_into()
        .expect("32 bytes")
}

fn hex64(text: &str) -> [u8; 64] {
    hex::decode(text)
        .expect("hex")
        .try_into()
        .expect("64 bytes")
}

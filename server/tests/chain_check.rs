//! What a phone needs to check its copies against the chains (issue 19), on SQLite and
//! PostgreSQL: the heads and a file's chain only for files the account reads (another
//! township's cadre gets 404, not even the head), a rewrite with recomputed links found by the
//! phone's check (`core::held_chain`) with the signed statement's proof, and the phone's report
//! validated, kept once and shown to supervisors only.

mod common;

use axum::http::StatusCode;
use common::{TestServer, batch, parse, rewrite_and_rehash, small_world};
use std::collections::HashMap;
use xiafang_core::canonical::canonical;
use xiafang_core::chain::included;
use xiafang_core::chain_check::{ChainHeads, ChainReport, FileChain, ReceivedReport};
use xiafang_core::held_chain::{Held, Mismatch, check};
use xiafang_core::{DeviceId, FileId, RecordId, fixtures};
use xiafang_server::chain_key::ChainKey;

fn report(file: &str, mismatches: Vec<Mismatch>) -> ChainReport {
    ChainReport {
        id: uuid::Uuid::new_v4(),
        file: FileId(file.into()),
        mismatches,
        last_matched: chrono::NaiveDate::from_ymd_opt(2026, 11, 20),
    }
}

fn changed(position: u64) -> Mismatch {
    Mismatch::Changed {
        position,
        id: RecordId::new_random(),
    }
}

#[tokio::test]
async fn a_phone_finds_a_rewrite_with_recomputed_links_and_the_statement_proves_its_head() {
    for server in TestServer::each(&small_world()).await {
        let url = server.db.as_ref().expect("own database").url.clone();
        let wang = server.login("wang").await;
        let records = vec![
            fixtures::visit("f-a1", "wang"),
            fixtures::assistance("f-a1", "wang"),
            fixtures::note("f-a1", "wang"),
        ];
        server
            .push(&wang, &batch(DeviceId::new_random(), 1, &records))
            .await;
        // The phone's copies are what the feed gave it.
        let page = server.pull(&wang, None).await;
        let copies: HashMap<RecordId, Vec<u8>> =
            page.records.iter().map(|r| (r.id, canonical(r))).collect();
        let dir = tempfile::tempdir().expect("dir");
        let key = ChainKey::load_or_create(&dir.path().join("chain.key")).expect("key");
        let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 21).expect("day");
        server
            .state
            .db
            .publish_root(&key, day)
            .await
            .expect("publish");

        let (status, body) = server.get("/api/chain/heads", Some(&wang)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let heads: ChainHeads = parse(body);
        assert_eq!(heads.heads.len(), 1, "only wang's file");
        assert_eq!(heads.heads[0].file.0, "f-a1");
        assert_eq!(heads.heads[0].anchor.length, 3);

        let (status, body) = server.get("/api/files/f-a1/chain", Some(&wang)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let stated: FileChain = parse(body);
        let first = check(&Held::default(), &copies, &stated.links);
        assert_eq!(first.mismatches, vec![]);
        assert_eq!(first.held.head(), heads.heads[0].anchor.head);
        let proof = stated.statement.expect("the statement covers the file");
        assert_eq!(proof.head.anchor.head, first.held.head());
        assert!(included(
            &proof.head,
            proof.index as usize,
            proof.statement.files as usize,
            &proof.path,
            &proof.statement.root
        ));
        assert!(xiafang_server::chain_key::signed_by(
            proof.algorithm,
            &proof.public_key,
            &proof.statement.statement_bytes(),
            &proof.signature
        ));
        // A phone that has the statement is not sent it again.
        let (_, body) = server
            .get(
                &format!("/api/files/f-a1/chain?since={}", proof.statement.seq),
                Some(&wang),
            )
            .await;
        assert!(parse::<FileChain>(body).statement.is_none());

        // The assistance's amount rewritten in SQL, every stored link recomputed.
        let id = records[1].id.to_string();
        rewrite_and_rehash(&url, "f-a1", &id, "200000", "20000").await;
        let (_, body) = server.get("/api/chain/heads", Some(&wang)).await;
        let now: ChainHeads = parse(body);
        assert_ne!(
            now.heads[0].anchor.head,
            first.held.head(),
            "the head moved"
        );
        let (_, body) = server.get("/api/files/f-a1/chain", Some(&wang)).await;
        let after = check(&first.held, &copies, &parse::<FileChain>(body).links);
        assert_eq!(
            after.mismatches,
            vec![Mismatch::Changed {
                position: 1,
                id: records[1].id
            }]
        );
        assert_eq!(after.held, first.held, "the phone keeps what it accepted");
    }
}

#[tokio::test]
async fn another_townships_cadre_learns_nothing_of_a_files_chain_nor_reports_on_it() {
    for server in TestServer::each(&small_world()).await {
        let wang = server.login("wang").await;
        server
            .push(
                &wang,
                &batch(DeviceId::new_random(), 1, &[fixtures::note("f-a1", "wang")]),
            )
            .await;
        let li = server.login("li").await;
        let (status, _) = server.get("/api/files/f-a1/chain", Some(&li)).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, body) = server.get("/api/chain/heads", Some(&li)).await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            parse::<ChainHeads>(body).heads.is_empty(),
            "no head of f-a1"
        );
        let (status, _) = server
            .post(
                "/api/files/f-a1/chain/reports",
                Some(&li),
                &report("f-a1", vec![changed(0)]),
            )
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) = server.get("/api/chain/heads", None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        // The county's supervisor reads it.
        let county = server.login("sup-county").await;
        let (status, body) = server.get("/api/chain/heads", Some(&county)).await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            parse::<ChainHeads>(body)
                .heads
                .iter()
                .any(|h| h.file.0 == "f-a1")
        );
    }
}

#[tokio::test]
async fn a_report_is_validated_kept_once_and_read_by_supervisors_only() {
    for server in TestServer::each(&small_world()).await {
        let wang = server.login("wang").await;
        let post = |body: ChainReport, token: String| {
            let server = &server;
            async move {
                server
                    .post("/api/files/f-a1/chain/reports", Some(&token), &body)
                    .await
            }
        };
        let refused = [
            report("f-a1", vec![]),
            report("f-a1", (0..101).map(changed).collect()),
            report("f-b1", vec![changed(0)]),
            report("f-a1", vec![changed(2_000_000)]),
            ChainReport {
                last_matched: chrono::NaiveDate::from_ymd_opt(2999, 1, 1),
                ..report("f-a1", vec![changed(0)])
            },
        ];
        for bad in refused {
            let (status, body) = post(bad.clone(), wang.clone()).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{bad:?}: {body}");
            assert!(body.to_string().chars().any(|c| c > '\u{3000}'), "{body}");
        }
        let good = report("f-a1", vec![changed(1)]);
        let (status, _) = post(good.clone(), wang.clone()).await;
        assert_eq!(status, StatusCode::CREATED);
        let (status, _) = post(good.clone(), wang.clone()).await;
        assert_eq!(status, StatusCode::OK, "a repeat is kept once");
        let sup = server.login("sup-a").await;
        let (status, _) = post(good.clone(), sup.clone()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "another account's id");

        let (status, body) = server
            .get("/api/files/f-a1/chain/reports", Some(&sup))
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let kept: Vec<ReceivedReport> = parse(body);
        assert_eq!(kept.len(), 1);
        assert_eq!(kept[0].report, good);
        assert_eq!(kept[0].account.0, "wang");
        let (status, _) = server
            .get("/api/files/f-a1/chain/reports", Some(&wang))
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let other = server.login("sup-county").await;
        let (status, _) = server
            .get("/api/files/f-a1/chain/reports", Some(&other))
            .await;
        assert_eq!(status, StatusCode::OK);
    }
}

//! SM2 as a deployment's choice of signature for the daily chain statements (issue 19, GB/T
//! 39786): a statement signed either way is checked with its public key alone; a forged SM2
//! signature, or one by another key, is refused; a deployment that switches from Ed25519 to SM2
//! keeps every older statement verifiable (on SQLite and PostgreSQL); a key file is never read
//! as the other algorithm's key.

mod common;

use chrono::NaiveDate;
use common::{TestServer, batch, small_world, sql_behind};
use sm2::dsa::signature::Verifier;
use xiafang_core::roots::SignatureAlgorithm;
use xiafang_core::{DeviceId, fixtures};
use xiafang_server::chain_key::{ChainKey, SM2_DIST_ID, signed_by};
use xiafang_server::db::RootFinding;

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, d).expect("day")
}

#[test]
fn statements_signed_with_either_algorithm_check_with_the_public_key_alone() {
    let dir = tempfile::tempdir().expect("dir");
    let message = b"xiafang-root-v1\n1\n2026-11-20\n3\n2\n";
    for algorithm in [SignatureAlgorithm::Ed25519, SignatureAlgorithm::Sm2] {
        let path = dir.path().join(algorithm.key());
        let key = ChainKey::load_or_create_for(algorithm, &path).expect("made");
        let again = ChainKey::load_or_create_for(algorithm, &path).expect("read back");
        assert_eq!(key.public_hex(), again.public_hex());
        let signature = key.sign(message);
        assert_eq!(signature.len(), 128);
        assert!(signed_by(algorithm, &key.public_hex(), message, &signature));
        assert!(!signed_by(
            algorithm,
            &key.public_hex(),
            b"another",
            &signature
        ));
        let other = match algorithm {
            SignatureAlgorithm::Ed25519 => SignatureAlgorithm::Sm2,
            SignatureAlgorithm::Sm2 => SignatureAlgorithm::Ed25519,
        };
        assert!(!signed_by(other, &key.public_hex(), message, &signature));
    }

    // SM2 checked by the sm2 crate directly, from the printed public key and the default
    // distinguishing ID: nothing of ours is needed.
    let sm2_key = ChainKey::load_or_create_for(SignatureAlgorithm::Sm2, &dir.path().join("sm2"))
        .expect("key");
    let public = hex::decode(sm2_key.public_hex()).expect("hex");
    assert_eq!(
        (public.len(), public[0]),
        (65, 0x04),
        "uncompressed SEC1 point"
    );
    let verifying = sm2::dsa::VerifyingKey::from_sec1_bytes(SM2_DIST_ID, &public).expect("key");
    let signature = hex::decode(sm2_key.sign(message)).expect("hex");
    let signature = sm2::dsa::Signature::try_from(signature.as_slice()).expect("r ‖ s");
    assert!(verifying.verify(message, &signature).is_ok());

    // Forged: one bit of the signature flipped, or a real signature by another SM2 key.
    let mut forged = hex::decode(sm2_key.sign(message)).expect("hex");
    forged[40] ^= 1;
    assert!(!signed_by(
        SignatureAlgorithm::Sm2,
        &sm2_key.public_hex(),
        message,
        &hex::encode(forged)
    ));
    let stranger = ChainKey::load_or_create_for(SignatureAlgorithm::Sm2, &dir.path().join("x"))
        .expect("another key");
    assert!(!signed_by(
        SignatureAlgorithm::Sm2,
        &sm2_key.public_hex(),
        message,
        &stranger.sign(message)
    ));
}

#[test]
fn a_key_file_is_never_read_as_the_other_algorithms_key() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("chain-signing.key");
    let ed = ChainKey::load_or_create(&path).expect("ed25519");
    assert!(ChainKey::load_or_create_for(SignatureAlgorithm::Sm2, &path).is_err());
    let sm2_path = dir.path().join("chain-signing-sm2.key");
    ChainKey::load_or_create_for(SignatureAlgorithm::Sm2, &sm2_path).expect("sm2");
    assert!(ChainKey::load_or_create(&sm2_path).is_err());
    // The Ed25519 file is as first deployed: 64 hex digits, still read as before.
    let text = std::fs::read_to_string(&path).expect("file");
    assert_eq!(text.trim().len(), 64);
    assert_eq!(
        ChainKey::load(&path)
            .expect("reads")
            .expect("there")
            .public_hex(),
        ed.public_hex()
    );
}

#[tokio::test]
async fn switching_to_sm2_keeps_the_ed25519_statements_before_it_verifiable() {
    for server in TestServer::each(&small_world()).await {
        let url = server.db.as_ref().expect("own database").url.clone();
        let dir = tempfile::tempdir().expect("dir");
        let ed = ChainKey::load_or_create(&dir.path().join("chain-signing.key")).expect("key");
        let sm2_key = ChainKey::load_or_create_for(
            SignatureAlgorithm::Sm2,
            &dir.path().join("chain-signing-sm2.key"),
        )
        .expect("key");
        let db = &server.state.db;
        let wang = server.login("wang").await;
        let device = DeviceId::new_random();
        server
            .push(&wang, &batch(device, 1, &[fixtures::visit("f-a1", "wang")]))
            .await;
        db.publish_root(&ed, day(20)).await.expect("publish");
        let later = fixtures::note("f-a1", "wang");
        server
            .push(&wang, &batch(device, 2, std::slice::from_ref(&later)))
            .await;
        db.publish_root(&sm2_key, day(21)).await.expect("publish");

        let roots = db.roots().await.expect("roots");
        let algorithms: Vec<SignatureAlgorithm> = roots.iter().map(|r| r.algorithm).collect();
        assert_eq!(
            algorithms,
            [SignatureAlgorithm::Ed25519, SignatureAlgorithm::Sm2]
        );
        assert_eq!(roots[1].public_key, sm2_key.public_hex());
        assert_eq!(db.verify_roots().await.expect("verify"), vec![]);
        assert!(
            db.verify_report(None, None)
                .await
                .expect("report")
                .all_match()
        );

        // A forged SM2 signature is named; so is an algorithm changed by hand.
        let forged = "11".repeat(64);
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
        sql_behind(
            &url,
            "UPDATE chain_roots SET signature = $1 WHERE seq = 2",
            &[&roots[1].signature],
        )
        .await;
        sql_behind(
            &url,
            "UPDATE chain_roots SET algorithm = 'ed25519' WHERE seq = 2",
            &[],
        )
        .await;
        assert_eq!(
            db.verify_roots().await.expect("verify"),
            vec![RootFinding::BadSignature { seq: 2 }]
        );
    }
}

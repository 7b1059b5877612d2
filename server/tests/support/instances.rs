//! Pieces of the several-instances test (`tests/instances.rs`): server processes sharing one
//! database and chain key, and plain API calls that must get an answer.

use super::http::{self, Response};
use super::phone::DEMO_PASSWORD;
use super::process::ServerProcess;
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;

const LIMIT: Duration = Duration::from_secs(15);

/// Two instances over `url`, each with its own data directory but one chain signing key, as
/// `docs/OPERATIONS.md` ("Several instances") asks of a deployment.
pub async fn two_instances(dir: &Path, url: &str) -> [ServerProcess; 2] {
    let key = dir.join("chain-key");
    let key = key.to_str().expect("temp path is text");
    let env = [("XIAFANG_CHAIN_KEY_FILE", key)];
    let a_dir = dir.join("a");
    let b_dir = dir.join("b");
    std::fs::create_dir_all(&a_dir).expect("data dir a");
    std::fs::create_dir_all(&b_dir).expect("data dir b");
    // One after the other, as a rolling start does (starting together has its own test).
    let a = ServerProcess::start_with_env(&a_dir, Some(url), &env).await;
    let b = ServerProcess::start_with_env(&b_dir, Some(url), &env).await;
    [a, b]
}

pub async fn send(
    to: SocketAddr,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<&[u8]>,
) -> Response {
    http::send(to, method, path, token, body, LIMIT)
        .await
        .unwrap_or_else(|e| panic!("{method} {path}: {e}"))
}

pub fn sign_in_body(username: &str, password: &str) -> Vec<u8> {
    json!({"username": username, "password": password})
        .to_string()
        .into_bytes()
}

pub async fn sign_in(to: SocketAddr, username: &str) -> String {
    let r = send(
        to,
        "POST",
        "/api/login",
        None,
        Some(&sign_in_body(username, DEMO_PASSWORD)),
    )
    .await;
    assert_eq!(
        r.status,
        200,
        "sign in as {username}: {}",
        String::from_utf8_lossy(&r.body)
    );
    let body: Value = serde_json::from_slice(&r.body).expect("login answer");
    body["token"].as_str().expect("token").to_owned()
}

//! An update's wasm over real HTTP as a delta against the wasm the phone holds (RFC 9842 `dcz`):
//! the server keeps the last releases' wasm in its data directory, answers a browser that names
//! one of them in `Available-Dictionary` with the new wasm compressed against it, and answers
//! everything else (an unknown or malformed hash, no `dcz`, a file that is no wasm) plainly.

mod common;

use base64::Engine;
use common::{TestServer, small_world};
use sha2::{Digest, Sha256};
use std::path::Path;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use xiafang_server::http::{KEPT_FILES, ShellHistory};
use xiafang_server::{AppState, app};

const CHROMIUM: &str = "gzip, deflate, br, zstd, dcb, dcz";

/// Bytes a compressor cannot shrink by themselves, like the code sections of a wasm.
fn noise(seed: u64, len: usize) -> Vec<u8> {
    let mut x = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    (0..len)
        .map(|_| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (x >> 33) as u8
        })
        .collect()
}

/// A release's dist/: its main wasm and office chunk (each with the build's `.br`), a glue file.
struct Release {
    dir: tempfile::TempDir,
    main: String,
    office: String,
    wasm: Vec<u8>,
}

fn release(n: u8, wasm: Vec<u8>) -> Release {
    let dir = tempfile::tempdir().expect("temp dir");
    let main = format!("xiafang-{:016x}_bg.wasm", 0x1000 + u64::from(n));
    let office = format!("split-office-{:016x}.wasm", 0x2000 + u64::from(n));
    let js = format!("xiafang-{:016x}.js", 0x3000 + u64::from(n));
    let files = [
        (main.clone(), wasm.clone()),
        (office.clone(), noise(1000 + u64::from(n), 50_000)),
        (
            js,
            format!("export default async function init(){{ return {n}; }}\n")
                .repeat(50)
                .into_bytes(),
        ),
        (
            "index.html".into(),
            b"<!DOCTYPE html><title>x</title>".to_vec(),
        ),
    ];
    for (name, bytes) in files {
        std::fs::write(dir.path().join(&name), &bytes).expect("write");
        let mut br = Vec::new();
        brotli::BrotliCompress(&mut &bytes[..], &mut br, &Default::default()).expect("brotli");
        std::fs::write(dir.path().join(format!("{name}.br")), br).expect("write");
    }
    Release {
        dir,
        main,
        office,
        wasm,
    }
}

/// Release 1's wasm, and release 2's: the same with one string changed in the middle.
fn two_wasms() -> (Vec<u8>, Vec<u8>) {
    let old = noise(1, 300_000);
    let mut new = old.clone();
    new[150_000..150_012].copy_from_slice("记录走访".as_bytes());
    (old, new)
}

/// A server process on `release`, its shell history in `history`, listening on a real port.
async fn start(server: &TestServer, release: &Release, history: &Path) -> std::net::SocketAddr {
    let kept = ShellHistory::open(history, release.dir.path()).expect("history");
    let state = AppState {
        dist: Some(release.dir.path().to_path_buf()),
        ..server.state.clone()
    }
    .with_shell_history(Some(kept));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(listener, app(state)).await });
    addr
}

struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// One HTTP/1.1 GET over a fresh connection, as a browser sends it.
async fn get(addr: std::net::SocketAddr, path: &str, headers: &[(&str, &str)]) -> Answer {
    let mut stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let mut req = format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
    for (name, value) in headers {
        req.push_str(&format!("{name}: {value}\r\n"));
    }
    req.push_str("\r\n");
    stream.write_all(req.as_bytes()).await.expect("send");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.expect("read");
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("headers end");
    let head = String::from_utf8(raw[..end].to_vec()).expect("ascii head");
    let mut lines = head.split("\r\n");
    let status = lines.next().expect("status line")[9..12]
        .parse()
        .expect("status");
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
        .collect();
    Answer {
        status,
        headers,
        body: raw[end + 4..].to_vec(),
    }
}

fn sf_sha(bytes: &[u8]) -> String {
    format!(
        ":{}:",
        base64::engine::general_purpose::STANDARD.encode(Sha256::digest(bytes))
    )
}

async fn sqlite_server() -> TestServer {
    TestServer::each(&small_world())
        .await
        .into_iter()
        .next()
        .expect("the SQLite server")
}

#[tokio::test]
async fn an_update_downloads_the_new_wasm_as_a_delta_against_the_one_the_phone_holds() {
    let server = sqlite_server().await;
    let history = tempfile::tempdir().expect("temp dir");
    let (old, new) = two_wasms();
    let one = release(1, old.clone());
    let addr = start(&server, &one, history.path()).await;
    // The first visit: the whole wasm, marked as the next update's dictionary.
    let first = get(
        addr,
        &format!("/{}", one.main),
        &[("Accept-Encoding", CHROMIUM)],
    )
    .await;
    assert_eq!(first.status, 200);
    assert_eq!(first.header("content-encoding"), Some("br"));
    assert_eq!(
        first.header("use-as-dictionary"),
        Some("match=\"/xiafang-*_bg.wasm\"")
    );
    let office = get(
        addr,
        &format!("/{}", one.office),
        &[("Accept-Encoding", CHROMIUM)],
    )
    .await;
    assert_eq!(
        office.header("use-as-dictionary"),
        Some("match=\"/split-office-*.wasm\"")
    );

    // The server restarts on release 2; the phone asks for its wasm naming what it holds.
    let two = release(2, new.clone());
    let addr = start(&server, &two, history.path()).await;
    let dictionary = sf_sha(&old);
    for _ in 0..2 {
        // Twice: computed the first time, from the data directory the second.
        let update = get(
            addr,
            &format!("/{}", two.main),
            &[
                ("Accept-Encoding", CHROMIUM),
                ("Available-Dictionary", &dictionary),
            ],
        )
        .await;
        assert_eq!(update.status, 200);
        assert_eq!(update.header("content-encoding"), Some("dcz"));
        assert_eq!(update.header("content-type"), Some("application/wasm"));
        assert_eq!(
            update.header("vary"),
            Some("accept-encoding, available-dictionary")
        );
        assert_eq!(
            update.header("cache-control"),
            Some("public, max-age=31536000, immutable")
        );
        assert_eq!(&update.body[..8], &[0x5e, 0x2a, 0x4d, 0x18, 0x20, 0, 0, 0]);
        assert_eq!(&update.body[8..40], Sha256::digest(&old).as_slice());
        let decoded = zstd::bulk::Decompressor::with_dictionary(&old)
            .expect("decoder")
            .decompress(&update.body[40..], new.len())
            .expect("a zstd frame against the old wasm");
        assert_eq!(decoded, two.wasm, "exactly release 2's wasm");
    }
    // The glue script comes the same way, against the old glue.
    let glue = |n: u64| format!("xiafang-{:016x}.js", 0x3000 + n);
    let old_glue = std::fs::read(one.dir.path().join(glue(1))).expect("read");
    let update = get(
        addr,
        &format!("/{}", glue(2)),
        &[
            ("Accept-Encoding", CHROMIUM),
            ("Available-Dictionary", &sf_sha(&old_glue)),
        ],
    )
    .await;
    assert_eq!(update.header("content-encoding"), Some("dcz"));
    assert_eq!(update.header("content-type"), Some("text/javascript"));
    assert_eq!(
        update.header("use-as-dictionary"),
        Some("match=\"/xiafang-*.js\"")
    );
    let decoded = zstd::bulk::Decompressor::with_dictionary(&old_glue)
        .expect("decoder")
        .decompress(&update.body[40..], 1 << 20)
        .expect("a zstd frame against the old glue");
    assert_eq!(
        decoded,
        std::fs::read(two.dir.path().join(glue(2))).expect("read")
    );
}

#[tokio::test]
async fn anything_but_a_kept_wasms_hash_with_dcz_offered_gets_the_plain_file() {
    let server = sqlite_server().await;
    let history = tempfile::tempdir().expect("temp dir");
    let (old, new) = two_wasms();
    let one = release(1, old.clone());
    start(&server, &one, history.path()).await;
    let two = release(2, new);
    let addr = start(&server, &two, history.path()).await;
    let known = sf_sha(&old);
    let unknown = sf_sha(b"a wasm this server never served");
    let b64 = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(&old));
    let main = format!("/{}", two.main);
    let js = format!("/xiafang-{:016x}.js", 0x3002);
    for (path, accept, dictionary) in [
        (main.as_str(), CHROMIUM, unknown.as_str()),
        (main.as_str(), CHROMIUM, b64.as_str()),
        (main.as_str(), CHROMIUM, ":not base64!:"),
        (main.as_str(), "gzip, deflate, br, zstd", known.as_str()),
        (main.as_str(), "gzip, br, dcz;q=0", known.as_str()),
        // A script, with a wasm's hash: a dictionary of another kind.
        (js.as_str(), CHROMIUM, known.as_str()),
        ("/index.html", CHROMIUM, known.as_str()),
    ] {
        let answer = get(
            addr,
            path,
            &[
                ("Accept-Encoding", accept),
                ("Available-Dictionary", dictionary),
            ],
        )
        .await;
        assert_eq!(answer.status, 200, "{path} {accept} {dictionary}");
        assert_eq!(
            answer.header("content-encoding"),
            Some("br"),
            "{path} {accept} {dictionary}"
        );
    }
}

#[tokio::test]
async fn the_history_keeps_the_last_releases_wasm_across_restarts() {
    let server = sqlite_server().await;
    let history = tempfile::tempdir().expect("temp dir");
    // Each release here has three files the history keeps: two more releases than it holds.
    let held = KEPT_FILES / 3;
    let releases: Vec<Release> = (1..=held as u8 + 2)
        .map(|n| release(n, noise(u64::from(n), 20_000)))
        .collect();
    let last = releases.len() - 1;
    for release in &releases {
        start(&server, release, history.path()).await;
    }
    let kept = ShellHistory::open(history.path(), releases[last].dir.path())
        .expect("history")
        .kept_files();
    assert_eq!(kept.len(), KEPT_FILES);
    let newest: Vec<&Release> = releases.iter().rev().take(held).collect();
    for release in &newest {
        assert!(kept.contains(&release.main), "{}", release.main);
        assert!(kept.contains(&release.office), "{}", release.office);
    }
    // A phone still on the first release gets the whole wasm.
    let addr = start(&server, &releases[last], history.path()).await;
    let answer = get(
        addr,
        &format!("/{}", releases[last].main),
        &[
            ("Accept-Encoding", CHROMIUM),
            ("Available-Dictionary", &sf_sha(&releases[0].wasm)),
        ],
    )
    .await;
    assert_eq!(answer.header("content-encoding"), Some("br"));
    let on_disk = std::fs::read_dir(history.path())
        .expect("list")
        .filter(|e| e.as_ref().is_ok_and(|e| e.file_name() != "deltas"))
        .count();
    assert_eq!(on_disk, KEPT_FILES, "older files are deleted");
}

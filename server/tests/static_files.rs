//! The built PWA over HTTP: each file sent as the build compressed it (brotli -q 11 or gzip -9,
//! no compression per request), files named by their content hash cached for a year, the shell
//! and the service worker revalidated on each use, the API never cached, and the CSP still
//! letting the shell's inline start-up script run.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use base64::Engine;
use common::{TestServer, small_world};
use flate2::Compression;
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;
use http_body_util::BodyExt;
use sha2::{Digest, Sha256};
use std::io::{Read, Write};
use std::path::Path;
use xiafang_server::AppState;

const WASM: &str = "xiafang-0123456789abcdef_bg.wasm";
const JS: &str = "xiafang-0123456789abcdef.js";
const START: &str =
    "import init from '/xiafang-0123456789abcdef.js';init('/xiafang-0123456789abcdef_bg.wasm');";
/// Trunk writes its content hash as a number in hex without leading zeros: one build in 16 names
/// its files with 15 digits (seen: the office bundle's `xiafang-c302055125fecd1.js`).
const SHORT_HASH_JS: &str = "xiafang-c302055125fecd1.js";
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// The paths answered with a file not named by its content: the page (also for the app's own
/// routes), the service worker, the manifest and the icon.
const SHELL: [&str; 6] = [
    "/",
    "/index.html",
    "/files/f-a1",
    "/sw.js",
    "/manifest.webmanifest",
    "/icon.svg",
];

/// A dist/ as `cargo xtask build` leaves it: each compressible file with its `.br` and `.gz`.
fn built_dist(dir: &Path) -> Vec<u8> {
    // Compressible like a wasm, not trivially: a repeated table with a counter running through it.
    let wasm: Vec<u8> = (0u32..40_000)
        .flat_map(|i| [0x00, 0x61, 0x73, 0x6d, (i % 251) as u8, (i / 7 % 13) as u8])
        .collect();
    let index = format!(
        "<!DOCTYPE html><html><head><title>下访</title><script type=\"module\">{START}</script></head><body></body></html>"
    );
    let files: Vec<(&str, Vec<u8>)> = vec![
        (WASM, wasm.clone()),
        (JS, b"export default async function init(){}\n".repeat(50)),
        (
            SHORT_HASH_JS,
            b"export default async function init(){}\n".repeat(40),
        ),
        ("index.html", index.into_bytes()),
        (
            "sw.js",
            b"self.addEventListener('fetch', () => {});\n".repeat(20),
        ),
        ("manifest.webmanifest", br#"{"name":"xiafang"}"#.to_vec()),
        (
            "icon.svg",
            b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>".to_vec(),
        ),
    ];
    for (name, bytes) in files {
        std::fs::write(dir.join(name), &bytes).expect("write");
        let mut br = Vec::new();
        let params = brotli::enc::BrotliEncoderParams {
            quality: 11,
            ..Default::default()
        };
        brotli::BrotliCompress(&mut &bytes[..], &mut br, &params).expect("brotli");
        std::fs::write(dir.join(format!("{name}.br")), br).expect("write");
        let mut gz = GzEncoder::new(Vec::new(), Compression::best());
        gz.write_all(&bytes).expect("gzip");
        std::fs::write(dir.join(format!("{name}.gz")), gz.finish().expect("gzip")).expect("write");
    }
    wasm
}

/// Each backend's server, serving a freshly built dist/ (kept alive by the returned directory).
async fn servers() -> (tempfile::TempDir, Vec<u8>, Vec<TestServer>) {
    let dir = tempfile::tempdir().expect("temp dir");
    let wasm = built_dist(dir.path());
    let servers = TestServer::each(&small_world())
        .await
        .into_iter()
        .map(|s| {
            TestServer::over(AppState {
                dist: Some(dir.path().to_path_buf()),
                ..s.state.clone()
            })
        })
        .collect();
    (dir, wasm, servers)
}

async fn get(
    server: &TestServer,
    path: &str,
    accept: &str,
) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    let res = server
        .raw(
            Request::get(path)
                .header(header::ACCEPT_ENCODING, accept)
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    let (status, headers) = (res.status(), res.headers().clone());
    let body = res.into_body().collect().await.expect("body").to_bytes();
    (status, headers, body.to_vec())
}

fn header(headers: &axum::http::HeaderMap, name: header::HeaderName) -> Option<&str> {
    headers.get(name).map(|v| v.to_str().expect("ascii"))
}

#[tokio::test]
async fn a_hashed_wasm_comes_as_the_builds_brotli_and_is_kept_for_a_year() {
    let (dir, wasm, servers) = servers().await;
    let built_br = std::fs::read(dir.path().join(format!("{WASM}.br"))).expect("read");
    for server in servers {
        // What Chromium sends.
        let (status, headers, body) =
            get(&server, &format!("/{WASM}"), "gzip, deflate, br, zstd").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(header(&headers, header::CONTENT_ENCODING), Some("br"));
        assert_eq!(
            header(&headers, header::CONTENT_TYPE),
            Some("application/wasm")
        );
        assert_eq!(header(&headers, header::CACHE_CONTROL), Some(IMMUTABLE));
        assert_eq!(
            body, built_br,
            "the build's quality-11 bytes, not compressed again"
        );
        let mut inflated = Vec::new();
        brotli::BrotliDecompress(&mut &body[..], &mut inflated).expect("brotli");
        assert_eq!(inflated, wasm);
    }
}

#[tokio::test]
async fn a_file_whose_hash_trunk_wrote_with_fifteen_digits_is_kept_for_a_year_too() {
    let (_dir, _, servers) = servers().await;
    for server in servers {
        let (status, headers, _) = get(&server, &format!("/{SHORT_HASH_JS}"), "br").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(header(&headers, header::CACHE_CONTROL), Some(IMMUTABLE));
    }
}

#[tokio::test]
async fn browsers_without_brotli_get_the_builds_gzip_and_others_the_file() {
    let (dir, wasm, servers) = servers().await;
    let built_gz = std::fs::read(dir.path().join(format!("{WASM}.gz"))).expect("read");
    for server in servers {
        let (status, headers, body) = get(&server, &format!("/{WASM}"), "gzip").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(header(&headers, header::CONTENT_ENCODING), Some("gzip"));
        assert_eq!(header(&headers, header::CACHE_CONTROL), Some(IMMUTABLE));
        assert_eq!(body, built_gz);
        let mut inflated = Vec::new();
        GzDecoder::new(&body[..])
            .read_to_end(&mut inflated)
            .expect("gunzip");
        assert_eq!(inflated, wasm);

        let (status, headers, body) = get(&server, &format!("/{JS}"), "identity").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(header(&headers, header::CONTENT_ENCODING), None);
        assert_eq!(header(&headers, header::CACHE_CONTROL), Some(IMMUTABLE));
        assert_eq!(body, std::fs::read(dir.path().join(JS)).expect("read"));
    }
}

#[tokio::test]
async fn the_shell_and_the_service_worker_are_asked_for_again_each_time() {
    let (_dir, _, servers) = servers().await;
    for server in servers {
        for path in SHELL {
            let (status, headers, _) = get(&server, path, "gzip, deflate, br").await;
            assert_eq!(status, StatusCode::OK, "{path}");
            assert_eq!(
                header(&headers, header::CACHE_CONTROL),
                Some("no-cache"),
                "{path}"
            );
        }
        let (_, headers, body) = get(&server, "/files/f-a1", "br").await;
        assert_eq!(header(&headers, header::CONTENT_ENCODING), Some("br"));
        let mut shell = Vec::new();
        brotli::BrotliDecompress(&mut &body[..], &mut shell).expect("brotli");
        assert!(String::from_utf8(shell).expect("utf-8").contains(START));
        // An earlier release's wasm, gone from this build: the shell comes back, not for a year.
        let (_, headers, _) = get(&server, "/xiafang-fedcba9876543210_bg.wasm", "br").await;
        assert_eq!(header(&headers, header::CACHE_CONTROL), Some("no-cache"));
    }
}

#[tokio::test]
async fn the_api_is_never_cached_and_the_csp_allows_the_start_up_script() {
    let (_dir, _, servers) = servers().await;
    let hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(START.as_bytes()));
    for server in servers {
        let (status, headers, _) = get(&server, "/api/health", "gzip, deflate, br").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(header(&headers, header::CACHE_CONTROL), Some("no-store"));
        let (_, headers, _) = get(&server, "/", "gzip, deflate, br").await;
        let csp = header(&headers, header::CONTENT_SECURITY_POLICY).expect("a CSP");
        assert!(csp.contains(&format!("'sha256-{hash}'")), "{csp}");
        assert!(!csp.contains("'unsafe-inline'"), "{csp}");
    }
}

/// A rollback, or a release copied with its build's times, has files older than the phone's
/// copy: asked "changed since?" the server must still send them, or phones keep the release
/// they have.
#[tokio::test]
async fn an_older_release_still_replaces_the_shell_and_the_service_worker() {
    let (_dir, _, servers) = servers().await;
    for server in servers {
        for path in ["/", "/index.html", "/sw.js"] {
            let res = server
                .raw(
                    Request::get(path)
                        .header(header::ACCEPT_ENCODING, "br")
                        .header(header::IF_MODIFIED_SINCE, "Fri, 01 Jan 2100 00:00:00 GMT")
                        .body(Body::empty())
                        .expect("request"),
                )
                .await;
            assert_eq!(res.status(), StatusCode::OK, "{path}");
            assert!(res.headers().get(header::LAST_MODIFIED).is_none(), "{path}");
        }
    }
}

/// A browser that holds the shell's current bytes is told so ("304 Not Modified", no body): the
/// service worker asks for the page, the manifest and the icon right after the page did, and
/// every online start asks for the page again. The tag follows the bytes, never the file's time.
#[tokio::test]
async fn the_shell_is_not_sent_again_to_a_browser_that_holds_it() {
    let (dir, _, servers) = servers().await;
    for server in servers {
        let ask = |path: &'static str, tag: Option<String>| {
            let server = &server;
            async move {
                let mut req = Request::get(path).header(header::ACCEPT_ENCODING, "identity");
                if let Some(tag) = tag {
                    req = req.header(header::IF_NONE_MATCH, tag);
                }
                let res = server.raw(req.body(Body::empty()).expect("request")).await;
                let (status, headers) = (res.status(), res.headers().clone());
                let body = res.into_body().collect().await.expect("body").to_bytes();
                let etag = header(&headers, header::ETAG).map(str::to_owned);
                let cache = header(&headers, header::CACHE_CONTROL).map(str::to_owned);
                (status, etag, cache, body.to_vec())
            }
        };
        let (_, page_tag, _, page) = ask("/index.html", None).await;
        let page_tag = page_tag.expect("the page is tagged");
        assert!(page_tag.starts_with("W/\""), "{page_tag}");
        let mut tags = Vec::new();
        for path in SHELL {
            let (status, tag, _, body) = ask(path, None).await;
            assert_eq!(status, StatusCode::OK, "{path}");
            assert!(!body.is_empty(), "{path}");
            let tag = tag.expect("tagged");
            let (status, again, cache, body) = ask(path, Some(tag.clone())).await;
            assert_eq!(status, StatusCode::NOT_MODIFIED, "{path}");
            assert!(body.is_empty(), "{path}");
            assert_eq!(again.as_ref(), Some(&tag), "{path}");
            assert_eq!(cache.as_deref(), Some("no-cache"), "{path}");
            // Another release's tag, among others or alone: the bytes come.
            let stale = format!("W/\"000000000000000000000000\", {}", "\"1\"");
            let (status, _, _, body) = ask(path, Some(stale)).await;
            assert_eq!(status, StatusCode::OK, "{path}");
            assert!(!body.is_empty(), "{path}");
            tags.push(tag);
        }
        // The app's own routes are the page: the same bytes, the same tag.
        assert_eq!(tags[0], page_tag);
        assert_eq!(tags[2], page_tag);
        for (i, tag) in tags.iter().enumerate().skip(3) {
            assert!(!tags[..i].contains(tag), "{tag}");
        }
        // The API and the files named by their content are not tagged.
        let (_, tag, _, _) = ask("/api/health", None).await;
        assert_eq!(tag, None);
        let (_, tag, _, _) = ask("/xiafang-0123456789abcdef.js", None).await;
        assert_eq!(tag, None);
        // A new page under the running server, older by its time (a rollback): the browser's tag
        // no longer matches and the new page comes whole, with a new tag.
        let rolled_back = String::from_utf8(page.clone())
            .expect("utf-8")
            .replace("下访", "下访 回滚");
        let file = dir.path().join("index.html");
        std::fs::write(&file, &rolled_back).expect("write");
        let old = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(86_400);
        std::fs::File::options()
            .write(true)
            .open(&file)
            .and_then(|f| f.set_modified(old))
            .expect("set the time back");
        let (status, tag, _, body) = ask("/", Some(page_tag.clone())).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body, rolled_back.as_bytes());
        assert_ne!(tag, Some(page_tag.clone()));
        std::fs::write(&file, &page).expect("write back");
    }
}

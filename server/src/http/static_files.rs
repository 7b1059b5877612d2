//! The built PWA as files: sent as the build compressed them and cached by what their names say.
//!
//! `cargo xtask build` writes `name.br` (brotli -q 11) and `name.gz` (gzip -9) beside each
//! compressible file (`xtask/src/compress.rs`); they are sent to browsers that accept them, so the
//! wire carries the smallest bytes at no CPU per request (compressing the wasm at quality 11 on
//! the fly takes seconds). A file whose name carries Trunk's content hash (`name-<12–16 hex>.ext`,
//! `name-<12–16 hex>_bg.wasm`) never changes under that name, so browsers keep it for a year without
//! asking again; everything else (index.html, sw.js, the manifest, the icon) is revalidated on
//! each use, so a new release is seen at once, and tagged by its content, so a browser that
//! already holds it gets "304 Not Modified" instead of the bytes.

use axum::Router;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tower_http::services::{ServeDir, ServeFile};

use super::dictionary::ShellHistory;

const IMMUTABLE: HeaderValue = HeaderValue::from_static("public, max-age=31536000, immutable");
const REVALIDATE: HeaderValue = HeaderValue::from_static("no-cache");

/// `router` with `dist` served for every path it does not route itself; unknown paths are the
/// PWA's own routes (/files/…) and get the app shell.
/// `history` (the last releases' wasm) lets an update's wasm go as a delta (`dictionary.rs`).
pub fn serve<S: Clone + Send + Sync + 'static>(
    router: Router<S>,
    dist: &Path,
    history: Option<Arc<ShellHistory>>,
) -> Router<S> {
    let index = ServeFile::new(dist.join("index.html"))
        .precompressed_br()
        .precompressed_gzip();
    let files = ServeDir::new(dist)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(index);
    let dist: Arc<PathBuf> = Arc::new(dist.to_path_buf());
    let dist_for_deltas = dist.clone();
    let dist_for_tags = dist.clone();
    let files = Router::new()
        .fallback_service(files)
        .layer(middleware::from_fn(move |req: Request, next: Next| {
            let dist = dist_for_tags.clone();
            async move { by_content(&dist, req, next).await }
        }));
    router
        .fallback_service(files)
        .layer(middleware::from_fn(move |req: Request, next: Next| {
            let (dist, history) = (dist_for_deltas.clone(), history.clone());
            async move { super::dictionary::serve(history, &dist, req, next).await }
        }))
        .layer(middleware::from_fn(move |req: Request, next: Next| {
            let dist = dist.clone();
            async move { cache_policy(&dist, req, next).await }
        }))
}

/// Sets `Cache-Control` on a response that has none (the API sets its own `no-store`).
async fn cache_policy(dist: &Path, mut req: Request, next: Next) -> Response {
    // Only a file that exists under its hashed name is immutable: for a name that is gone (an
    // old release's wasm) the shell comes back instead, and that must not be kept for a year.
    let immutable = hashed_file(req.uri().path()).is_some_and(|rel| dist.join(rel).is_file());
    if !immutable {
        // The shell and the service worker are compared by modification time only (ServeDir
        // has no ETag): a release whose files are older than the phone's copy (a rollback, a
        // copy that kept the build's times) would be answered 304 and never reach the phone.
        // They are a few KiB; send them whole.
        req.headers_mut().remove(header::IF_MODIFIED_SINCE);
    }
    let mut res = next.run(req).await;
    if !res.headers().contains_key(header::CACHE_CONTROL) {
        let kept = immutable && (res.status().is_success() || res.status().as_u16() == 304);
        let value = if kept { IMMUTABLE } else { REVALIDATE };
        res.headers_mut().insert(header::CACHE_CONTROL, value);
        if !kept {
            res.headers_mut().remove(header::LAST_MODIFIED);
        }
    }
    res
}

/// A file of the shell (index.html, sw.js, the manifest, the icon) tagged by its content: a
/// browser that holds these bytes is answered "304 Not Modified" without them. Its service
/// worker fetches the page, the manifest and the icon again right after the page did, and each
/// online start asks for the page: 2.6 KiB each time for the page alone. The tag is taken from
/// the file's bytes at each request, never from times, so a rollback or a file replaced under a
/// running server is sent whole.
///
/// Wraps only the files: the API and the operator's routes never pass here.
async fn by_content(dist: &Path, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_owned();
    let asked = req.headers().get(header::IF_NONE_MATCH).cloned();
    let mut res = next.run(req).await;
    let named_by_content = hashed_file(&path).is_some_and(|rel| dist.join(rel).is_file());
    if named_by_content || res.status() != StatusCode::OK {
        return res;
    }
    let Some(file) = shell_file(dist, &path) else {
        return res;
    };
    let Some(tag) = content_tag(&dist.join(file)).await else {
        return res;
    };
    let held = asked
        .as_ref()
        .and_then(|v| v.to_str().ok())
        .is_some_and(|asked| matches_tag(asked, &tag));
    res.headers_mut().insert(header::ETAG, tag);
    if !held {
        return res;
    }
    let (mut parts, _) = res.into_parts();
    parts.status = StatusCode::NOT_MODIFIED;
    for gone in [
        header::CONTENT_LENGTH,
        header::CONTENT_ENCODING,
        header::CONTENT_TYPE,
    ] {
        parts.headers.remove(gone);
    }
    Response::from_parts(parts, Body::empty())
}

/// The file `ServeDir` answers `path` with: the file itself, or the shell for any other path.
/// None for a path `ServeDir` might read otherwise than this does (escapes such as `%2E`,
/// empty or dot segments): such a response goes untagged rather than tagged with another
/// file's bytes.
fn shell_file(dist: &Path, path: &str) -> Option<PathBuf> {
    let rel = path.strip_prefix('/')?;
    if rel.is_empty() {
        return Some(PathBuf::from("index.html"));
    }
    if rel.contains('%') || rel.split('/').any(|s| s.is_empty() || s.starts_with('.')) {
        return None;
    }
    Some(if dist.join(rel).is_file() {
        PathBuf::from(rel)
    } else {
        PathBuf::from("index.html")
    })
}

/// A weak tag of the file's bytes (weak: the same for its brotli, gzip and plain forms).
async fn content_tag(file: &Path) -> Option<HeaderValue> {
    let bytes = tokio::fs::read(file).await.ok()?;
    let digest = Sha256::digest(&bytes);
    HeaderValue::from_str(&format!("W/\"{}\"", hex::encode(&digest[..12]))).ok()
}

/// `If-None-Match` (one tag, a list, or `*`) against `tag`, compared weakly as RFC 9110 asks.
fn matches_tag(asked: &str, tag: &HeaderValue) -> bool {
    let opaque = |t: &str| t.trim().trim_start_matches("W/").to_owned();
    let ours = opaque(tag.to_str().unwrap_or_default());
    asked.trim() == "*" || asked.split(',').any(|t| opaque(t) == ours)
}

/// The path relative to `dist` when the request names a file whose name carries a content hash.
fn hashed_file(path: &str) -> Option<&str> {
    let rel = path.strip_prefix('/')?;
    if rel.split('/').any(|s| s.is_empty() || s.starts_with('.')) {
        return None;
    }
    let name = rel.rsplit('/').next()?;
    let (stem, ext) = name.rsplit_once('.')?;
    if ext.is_empty() || stem.contains('.') {
        return None;
    }
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    let (_, hash) = stem.rsplit_once('-')?;
    let hex = |c: char| c.is_ascii_digit() || ('a'..='f').contains(&c);
    // Trunk prints its 64-bit hash without leading zeros: 16 digits, 15 one build in 16, fewer
    // rarely. Twelve or more is still no word a hand-named file ends in.
    ((12..=16).contains(&hash.len()) && hash.chars().all(hex)).then_some(rel)
}

#[cfg(test)]
mod tests {
    use super::{hashed_file, shell_file};
    use std::path::{Path, PathBuf};

    #[test]
    fn the_shell_file_is_the_file_named_or_the_page() {
        let dist = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let file = |path: &str| shell_file(&dist, path);
        assert_eq!(file("/main.rs"), Some(PathBuf::from("main.rs")));
        assert_eq!(file("/http/mod.rs"), Some(PathBuf::from("http/mod.rs")));
        for page in ["/", "/files/f-1", "/no-such.js", "/http"] {
            assert_eq!(file(page), Some(PathBuf::from("index.html")), "{page}");
        }
        for unsure in [
            "/main%2Ers",
            "//main.rs",
            "/../main.rs",
            "/http/",
            "/.hidden",
        ] {
            assert_eq!(file(unsure), None, "{unsure}");
        }
    }

    #[test]
    fn names_with_trunks_content_hash_are_hashed() {
        for name in [
            "/xiafang-85f122e97c351028.js",
            "/xiafang-85f122e97c351028_bg.wasm",
            "/main-490f2a3f1a71f7e2.css",
            "/office/xiafang-office-85f122e97c351028_bg.wasm",
            // Trunk's hash with its leading zero left out.
            "/xiafang-c302055125fecd1.js",
        ] {
            assert_eq!(hashed_file(name), Some(&name[1..]), "{name}");
        }
        for name in [
            "/index.html",
            "/sw.js",
            "/manifest.webmanifest",
            "/icon.svg",
            "/files/f-1",
            "/xiafang-85f122e9.js",
            "/xiafang-85f122e97c3510281.js",
            "/xiafang-85F122E97C351028.js",
            "/xiafang-85f122e97c351028.js.br",
            "/../xiafang-85f122e97c351028.js",
            "/.hidden/xiafang-85f122e97c351028.js",
            "//xiafang-85f122e97c351028.js",
        ] {
            assert_eq!(hashed_file(name), None, "{name}");
        }
    }
}

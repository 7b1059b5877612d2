//! The built PWA as files: sent as the build compressed them and cached by what their names say.
//!
//! `cargo xtask build` writes `name.br` (brotli -q 11) and `name.gz` (gzip -9) beside each
//! compressible file (`xtask/src/compress.rs`); they are sent to browsers that accept them, so the
//! wire carries the smallest bytes at no CPU per request (compressing the wasm at quality 11 on
//! the fly takes seconds). A file whose name carries Trunk's content hash (`name-<12–16 hex>.ext`,
//! `name-<12–16 hex>_bg.wasm`) never changes under that name, so browsers keep it for a year without
//! asking again; everything else (index.html, sw.js, the manifest, the icon) is revalidated on
//! each use, so a new release is seen at once.

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::middleware::{self, Next};
use axum::response::Response;
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
    use super::hashed_file;

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

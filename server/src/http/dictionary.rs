//! Updates as deltas: the PWA's wasm and scripts sent compressed against the ones the phone
//! already holds (Compression Dictionary Transport, RFC 9842).
//!
//! Every response of a content-named wasm or script says `Use-As-Dictionary`, so the browser
//! keeps it as a dictionary for the next release's file of the same kind; asking for that one,
//! it sends `Available-Dictionary` with the old file's SHA-256. When that hash is a file of that
//! kind this server keeps (the last releases' files, copied into `<data-dir>/shell/` at start),
//! the answer is `Content-Encoding: dcz`: zstd
//! with the old file as a raw dictionary, behind the RFC's 40-byte header. A one-string release
//! then costs kilobytes instead of the whole wasm (docs/PERFORMANCE.md). Anything else — an
//! unknown or malformed hash, a client without `dcz`, any failure — gets the plain response.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use base64::Engine;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// How many files the history keeps: the main wasm, the office chunk, the glue and the split
/// loader of the last six releases (about 17 MB). A phone further behind downloads the plain
/// brotli files, as before.
pub const KEPT_FILES: usize = 24;
/// RFC 9842 §4.2: a zstd skippable frame of 32 bytes holding the dictionary's SHA-256.
const DCZ_MAGIC: [u8; 8] = [0x5e, 0x2a, 0x4d, 0x18, 0x20, 0x00, 0x00, 0x00];
/// zstd's strongest ordinary level: computed once per (old, new) pair and kept on disk.
const DCZ_LEVEL: i32 = 19;
/// 8 MiB: every dcz client must take it (RFC 9842 §4.2: at least 8 MB or 1.25 × the
/// dictionary), and the matches into a 2 MB dictionary before a 2 MB file reach 4 MB back.
const DCZ_WINDOW_LOG: u32 = 23;
const DELTAS: &str = "deltas";

type Sha = [u8; 32];
/// A (dictionary, file name) pair's turn to compute its delta.
type Turns = HashMap<(Sha, String), Arc<tokio::sync::Mutex<()>>>;

/// The wasm files and scripts of the last releases, by SHA-256, and the deltas computed between them.
pub struct ShellHistory {
    dir: PathBuf,
    kept: HashMap<Sha, (Kind, PathBuf)>,
    /// One lock per (dictionary, file) pair being computed, so a pair is computed once at a time.
    computing: Mutex<Turns>,
    /// Held while a delta is computed: one at a time in this process. zstd -19 with an 8 MiB
    /// window takes up to ≈ 100 MB and a second or two of CPU; requests naming every kept file for
    /// every served file must not run them all at once.
    compressor: tokio::sync::Mutex<()>,
}

/// What kind of file a request names (`xtask/src/bundles.rs` names them), and the dictionary
/// pattern its response announces.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// `/xiafang-<hex>_bg.wasm`
    Main,
    /// `/split-office-<hex>.wasm`
    Office,
    /// `/xiafang-<hex>.js`, the wasm-bindgen glue
    Glue,
    /// `/split-<hex>.js`, the split loader
    Loader,
}

const KINDS: [(Kind, &str, &str); 4] = [
    (Kind::Main, "xiafang-", "_bg.wasm"),
    (Kind::Office, "split-office-", ".wasm"),
    (Kind::Glue, "xiafang-", ".js"),
    (Kind::Loader, "split-", ".js"),
];

impl Kind {
    /// The kind and file name when `path` names one of the app's content-named wasm modules or
    /// scripts at the site's root.
    fn of(path: &str) -> Option<(Kind, &str)> {
        let name = path.strip_prefix('/')?;
        let hex = |s: &str| {
            (12..=16).contains(&s.len())
                && s.chars()
                    .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c))
        };
        KINDS.iter().find_map(|(kind, prefix, suffix)| {
            let h = name.strip_prefix(prefix)?.strip_suffix(suffix)?;
            hex(h).then_some((*kind, name))
        })
    }

    fn use_as_dictionary(self) -> HeaderValue {
        HeaderValue::from_static(match self {
            Kind::Main => "match=\"/xiafang-*_bg.wasm\"",
            Kind::Office => "match=\"/split-office-*.wasm\"",
            Kind::Glue => "match=\"/xiafang-*.js\"",
            Kind::Loader => "match=\"/split-*.js\"",
        })
    }

    fn content_type(self) -> HeaderValue {
        HeaderValue::from_static(match self {
            Kind::Main | Kind::Office => "application/wasm",
            Kind::Glue | Kind::Loader => "text/javascript",
        })
    }
}

impl ShellHistory {
    /// Copies `dist`'s wasm and script files into `dir` as the newest, forgets all but the newest
    /// `KEPT_FILES` (and the deltas made from or to what is gone), and hashes what stays.
    pub fn open(dir: &Path, dist: &Path) -> std::io::Result<Self> {
        std::fs::create_dir_all(dir.join(DELTAS))?;
        let now = std::time::SystemTime::now();
        for entry in std::fs::read_dir(dist)? {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if Kind::of(&format!("/{name}")).is_none() {
                continue;
            }
            let kept = dir.join(&name);
            if !kept.is_file() {
                // Written beside, then renamed: a half-copied file is never taken for a release.
                let part = dir.join(format!(".{name}.part"));
                std::fs::copy(entry.path(), &part)?;
                std::fs::rename(&part, &kept)?;
            }
            // The current release is the newest, however old its files are.
            std::fs::File::options()
                .append(true)
                .open(&kept)?
                .set_modified(now)?;
        }
        let mut files = Vec::new();
        for entry in std::fs::read_dir(dir)? {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if let Some((kind, _)) = Kind::of(&format!("/{name}"))
                && entry.file_type()?.is_file()
            {
                files.push((entry.metadata()?.modified()?, name, kind));
            } else if name.ends_with(".part") {
                // A copy a crash left half done.
                std::fs::remove_file(entry.path())?;
            }
        }
        // Newest first; the name settles a tie, so which files stay does not depend on the
        // order the directory lists them in.
        files.sort_by(|a, b| (&b.0, &b.1).cmp(&(&a.0, &a.1)));
        let mut kept = HashMap::new();
        for (i, (_, name, kind)) in files.iter().enumerate() {
            let path = dir.join(name);
            if i < KEPT_FILES {
                kept.insert(Sha256::digest(std::fs::read(&path)?).into(), (*kind, path));
            } else {
                std::fs::remove_file(&path)?;
            }
        }
        let history = ShellHistory {
            dir: dir.to_path_buf(),
            kept,
            computing: Mutex::default(),
            compressor: tokio::sync::Mutex::default(),
        };
        history.forget_stale_deltas(dist)?;
        Ok(history)
    }

    /// The kept files' names (tests and operators: what an update can be a delta from).
    pub fn kept_files(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .kept
            .values()
            .filter_map(|(_, p)| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .collect();
        names.sort();
        names
    }

    /// Deltas are named `<dictionary sha hex>-<file name>.dcz`; those whose dictionary is no
    /// longer kept or whose file is no longer served go, so the directory stays bounded.
    fn forget_stale_deltas(&self, dist: &Path) -> std::io::Result<()> {
        for entry in std::fs::read_dir(self.dir.join(DELTAS))? {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let live = name
                .strip_suffix(".dcz")
                .and_then(|s| s.split_once('-'))
                .is_some_and(|(sha, file)| {
                    self.kept.keys().any(|k| hex::encode(k) == sha) && dist.join(file).is_file()
                });
            if !live {
                std::fs::remove_file(entry.path())?;
            }
        }
        Ok(())
    }

    /// The dcz body of `name` (a file of `dist`) against the kept file `dictionary`: from disk,
    /// or computed now off the async runtime, once per pair at a time. The dictionary must be
    /// of the file's own kind (the browser only offers one its pattern matched).
    async fn delta(
        &self,
        dictionary: &Sha,
        kind: Kind,
        dist: &Path,
        name: &str,
    ) -> Option<Vec<u8>> {
        let dict_path = match self.kept.get(dictionary)? {
            (k, path) if *k == kind => path.clone(),
            _ => return None,
        };
        let path = self
            .dir
            .join(DELTAS)
            .join(format!("{}-{name}.dcz", hex::encode(dictionary)));
        let lock = {
            let mut computing = self.computing.lock().ok()?;
            computing
                .entry((*dictionary, name.to_owned()))
                .or_default()
                .clone()
        };
        let _turn = lock.lock().await;
        if let Ok(bytes) = tokio::fs::read(&path).await {
            return Some(bytes);
        }
        let _compressing = self.compressor.lock().await;
        let (target, dictionary) = (dist.join(name), *dictionary);
        let made = tokio::task::spawn_blocking(move || -> std::io::Result<Vec<u8>> {
            let body = dcz(
                &std::fs::read(dict_path)?,
                &dictionary,
                &std::fs::read(target)?,
            )?;
            let part = path.with_extension("part");
            std::fs::write(&part, &body)?;
            std::fs::rename(&part, &path)?;
            Ok(body)
        })
        .await;
        match made {
            Ok(Ok(body)) => Some(body),
            Ok(Err(e)) => {
                tracing::warn!(error = %e, file = name, "could not make an update delta");
                None
            }
            Err(e) => {
                tracing::warn!(error = %e, file = name, "update delta task failed");
                None
            }
        }
    }
}

/// `new` compressed with `dictionary` (whose SHA-256 is `sha`) as a raw-content zstd dictionary,
/// framed as RFC 9842's `dcz`. zstd takes a dictionary as raw content unless it starts with
/// zstd's dictionary magic number, which no wasm (`\0asm`) or script of ours does.
pub fn dcz(dictionary: &[u8], sha: &Sha, new: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut compressor = zstd::bulk::Compressor::with_dictionary(DCZ_LEVEL, dictionary)?;
    compressor.set_parameter(zstd::stream::raw::CParameter::WindowLog(DCZ_WINDOW_LOG))?;
    let frame = compressor.compress(new)?;
    let mut body = Vec::with_capacity(40 + frame.len());
    body.extend_from_slice(&DCZ_MAGIC);
    body.extend_from_slice(sha);
    body.extend_from_slice(&frame);
    Ok(body)
}

/// The middleware around the static files: a delta when one can be sent, otherwise the plain
/// response with the headers that make the browser keep it as the next update's dictionary.
pub async fn serve(
    history: Option<Arc<ShellHistory>>,
    dist: &Path,
    req: Request,
    next: Next,
) -> Response {
    let Some((kind, name)) = Kind::of(req.uri().path()) else {
        return next.run(req).await;
    };
    let name = name.to_owned();
    if !dist.join(&name).is_file() {
        return next.run(req).await;
    }
    if let Some(history) = history
        && req.method() == axum::http::Method::GET
        && accepts_dcz(req.headers())
        && let Some(sha) = available_dictionary(req.headers())
        && let Some(body) = history.delta(&sha, kind, dist, &name).await
    {
        let mut res = Response::new(Body::from(body));
        *res.status_mut() = StatusCode::OK;
        let h = res.headers_mut();
        h.insert(header::CONTENT_TYPE, kind.content_type());
        h.insert(header::CONTENT_ENCODING, HeaderValue::from_static("dcz"));
        announce(h, kind);
        return res;
    }
    let mut res = next.run(req).await;
    if res.status().is_success() {
        announce(res.headers_mut(), kind);
    }
    res
}

fn announce(h: &mut HeaderMap, kind: Kind) {
    h.insert("use-as-dictionary", kind.use_as_dictionary());
    h.insert(
        header::VARY,
        HeaderValue::from_static("accept-encoding, available-dictionary"),
    );
}

/// Whether `Accept-Encoding` names `dcz` with a weight above zero.
fn accepts_dcz(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|item| {
            let mut parts = item.split(';').map(str::trim);
            parts.next().is_some_and(|c| c.eq_ignore_ascii_case("dcz"))
                && parts.all(|p| {
                    p.strip_prefix("q=")
                        .is_none_or(|q| q.parse::<f32>().is_ok_and(|q| q > 0.0))
                })
        })
}

/// The SHA-256 in `Available-Dictionary` (a structured-field byte sequence, `:<base64>:`),
/// only when the header is exactly one such value of 32 bytes.
fn available_dictionary(headers: &HeaderMap) -> Option<Sha> {
    let mut values = headers.get_all("available-dictionary").iter();
    let value = values.next()?.to_str().ok()?.trim();
    if values.next().is_some() || value.len() > 64 {
        return None;
    }
    let inner = value.strip_prefix(':')?.strip_suffix(':')?;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(inner)
        .ok()?;
    bytes.try_into().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_apps_content_named_modules_and_scripts_are_dictionaries() {
        assert_eq!(
            Kind::of("/xiafang-0123456789abcdef_bg.wasm"),
            Some((Kind::Main, "xiafang-0123456789abcdef_bg.wasm"))
        );
        assert_eq!(
            Kind::of("/split-office-0123456789abcdef.wasm"),
            Some((Kind::Office, "split-office-0123456789abcdef.wasm"))
        );
        assert_eq!(
            Kind::of("/xiafang-0123456789abcdef.js"),
            Some((Kind::Glue, "xiafang-0123456789abcdef.js"))
        );
        assert_eq!(
            Kind::of("/split-0123456789abcdef.js"),
            Some((Kind::Loader, "split-0123456789abcdef.js"))
        );
        for path in [
            "/main-0123456789abcdef.css",
            "/xiafang-0123456789abcdef.wasm",
            "/split-office-0123456789abcdef.js",
            "/index.html",
            "/office/xiafang-0123456789abcdef_bg.wasm",
            "/xiafang-../etc/passwd_bg.wasm",
            "/xiafang-0123456789ABCDEF_bg.wasm",
            "/split-office-0123456789abcdef.wasm.br",
        ] {
            assert_eq!(Kind::of(path), None, "{path}");
        }
    }

    #[test]
    fn the_dictionary_header_is_read_strictly() {
        let sha = [7u8; 32];
        let b64 = base64::engine::general_purpose::STANDARD.encode(sha);
        let with = |v: &str| {
            let mut h = HeaderMap::new();
            h.insert("available-dictionary", HeaderValue::from_str(v).unwrap());
            available_dictionary(&h)
        };
        assert_eq!(with(&format!(":{b64}:")), Some(sha));
        for bad in [
            b64.clone(),
            format!(":{b64}"),
            format!("::{b64}::"),
            format!(":{}:", &b64[..40]),
            format!(
                ":{}:",
                base64::engine::general_purpose::STANDARD.encode([7u8; 33])
            ),
            ":../../etc/passwd:".into(),
        ] {
            assert_eq!(with(&bad), None, "{bad}");
        }
    }

    #[test]
    fn dcz_is_offered_only_with_a_weight_above_zero() {
        let with = |v: &str| {
            let mut h = HeaderMap::new();
            h.insert(header::ACCEPT_ENCODING, HeaderValue::from_str(v).unwrap());
            accepts_dcz(&h)
        };
        assert!(with("gzip, deflate, br, zstd, dcb, dcz"));
        assert!(with("dcz;q=0.5"));
        assert!(!with("gzip, br, zstd"));
        assert!(!with("dcz;q=0"));
        assert!(!with("xdcz, dczz"));
    }
}

//! Precompressed copies of the release PWA's files: `name.br` (brotli -q 11) and `name.gz`
//! (gzip -9) beside each compressible file of `dist/`, which the server sends as they are to
//! browsers that accept them (`server/src/http/static_files.rs`). Quality 11 costs seconds per
//! file, once per build instead of per request, and the wasm comes out ≈ 15 % smaller than at
//! the quality 5 the server can afford on the fly.
//!
//! Runs last in `build::pwa_release`, after the service worker's precache list and the shell are
//! written (they change there, and their copies must match), so the list never names a copy: a
//! `.br` is the same resource as its file, not another one to download.

use crate::cmd::{self, Result};
use crate::tools;
use std::path::{Path, PathBuf};

/// Kinds that compress; images other than SVG and fonts are compressed already.
const COMPRESSIBLE: &[&str] = &["js", "wasm", "css", "html", "svg", "webmanifest", "json"];

/// Writes the `.br` and `.gz` of every compressible file under `dist`, each only when smaller
/// than the file itself.
pub fn precompress(dist: &Path) -> Result<()> {
    tools::apt(&[("brotli", "brotli"), ("gzip", "gzip")])?;
    let mut files = Vec::new();
    collect(dist, &mut files)?;
    let (mut raw, mut br) = (0u64, 0u64);
    for file in &files {
        let size = len(file)?;
        let brotli = with_suffix(file, "br");
        let gzip = with_suffix(file, "gz");
        write_smaller(
            cmd::new("brotli").args(["-q", "11", "-c"]).arg(file),
            &brotli,
            size,
        )?;
        write_smaller(
            cmd::new("gzip").args(["-9", "-n", "-c"]).arg(file),
            &gzip,
            size,
        )?;
        raw += size;
        br += if brotli.is_file() {
            len(&brotli)?
        } else {
            size
        };
    }
    println!(
        "precompressed {} files: {} KiB, {} KiB as brotli -q 11",
        files.len(),
        raw / 1024,
        br / 1024
    );
    Ok(())
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_dir() {
            collect(&path, out)?;
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| COMPRESSIBLE.contains(&e))
        {
            out.push(path);
        }
    }
    out.sort();
    Ok(())
}

fn with_suffix(file: &Path, suffix: &str) -> PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push(".");
    name.push(suffix);
    PathBuf::from(name)
}

fn len(file: &Path) -> Result<u64> {
    std::fs::metadata(file)
        .map(|m| m.len())
        .map_err(|e| format!("{}: {e}", file.display()))
}

/// Runs the compressor and keeps its output at `to` if it is smaller than `than` bytes; a copy
/// left from an earlier build is removed either way first, so none can outlive its file.
fn write_smaller(c: &mut std::process::Command, to: &Path, than: u64) -> Result<()> {
    if to.exists() {
        std::fs::remove_file(to).map_err(|e| format!("{}: {e}", to.display()))?;
    }
    let out = c
        .output()
        .map_err(|e| format!("cannot run the compressor for {}: {e}", to.display()))?;
    if !out.status.success() {
        return Err(format!("compressing into {} failed", to.display()));
    }
    if (out.stdout.len() as u64) < than {
        std::fs::write(to, &out.stdout).map_err(|e| format!("{}: {e}", to.display()))?;
    }
    Ok(())
}

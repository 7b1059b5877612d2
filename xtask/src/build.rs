//! Building the release PWA (Trunk and the split wasm, `bundles.rs`) with its service worker's precache list, and running the
//! case server over it.

use crate::bundles;
use crate::cmd::{self, Result};
use crate::tools;
use std::path::{Path, PathBuf};

/// `cargo xtask run`: build everything in release mode and start the server in the foreground.
pub fn run(server_args: &[String]) -> Result<()> {
    let dist = pwa_release()?;
    server_release()?;
    let bin = cmd::root().join("target/release/xiafang-server");
    let mut c = cmd::new(bin.to_str().ok_or("non-UTF-8 target path")?);
    if !server_args.iter().any(|a| a == "--dist") && std::env::var_os("XIAFANG_DIST").is_none() {
        c.arg("--dist").arg(&dist);
    }
    c.args(server_args);
    cmd::run(&mut c)
}

pub fn server_release() -> Result<()> {
    cmd::run(cmd::cargo().args(["build", "--release", "--package", "xiafang-server"]))
}

/// Builds the PWA (the app and its office chunk) into `dist/` and returns that directory.
pub fn pwa_release() -> Result<PathBuf> {
    tools::for_build()?;
    let dist = cmd::root().join("dist");
    let bundle = bundles::build(&dist)?;
    let version = shell_version(&dist)?;
    bundles::write_loader(&dist, &bundle, &version)?;
    write_precache(&dist, &bundle.office, &version)?;
    // Last: the precache list and the loader must not name the .br/.gz copies.
    crate::compress::precompress(&dist)?;
    Ok(dist)
}

/// A hash of every file of the build and of the start-up script's template: a new build
/// replaces the phone's cached shell exactly once.
fn shell_version(dist: &Path) -> Result<String> {
    let mut hash = Fnv::new();
    for f in files(dist)? {
        hash.write(f.as_bytes());
        hash.write(&std::fs::read(dist.join(&f[1..])).map_err(|e| format!("{f}: {e}"))?);
    }
    let start = cmd::root().join("public/start.js");
    hash.write(&std::fs::read(&start).map_err(|e| format!("{}: {e}", start.display()))?);
    Ok(format!("{:016x}", hash.0))
}

/// Every file of the build but the service worker, as paths from the site's root.
fn files(dist: &Path) -> Result<Vec<String>> {
    let mut files = Vec::new();
    collect(dist, dist, &mut files)?;
    files.retain(|f| f != "/sw.js");
    files.sort();
    Ok(files)
}

/// Fills the service worker's lists: what it precaches (the app and the rest of the shell) and
/// the office chunk, which it keeps once fetched and precaches only for a phone that used it.
fn write_precache(dist: &Path, office: &[String], version: &str) -> Result<()> {
    let sw_path = dist.join("sw.js");
    let sw =
        std::fs::read_to_string(&sw_path).map_err(|e| format!("{}: {e}", sw_path.display()))?;
    let mut shell = files(dist)?;
    shell.retain(|f| !office.contains(f));
    let list = |files: &[String]| {
        files
            .iter()
            .map(|f| format!("\"{f}\""))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let replaced = sw
        .replacen(
            "const VERSION = \"dev\";",
            &format!("const VERSION = \"{version}\";"),
            1,
        )
        .replacen(
            "const PRECACHE = [];",
            &format!("const PRECACHE = [{}];", list(&shell)),
            1,
        )
        .replacen(
            "const OFFICE = [];",
            &format!("const OFFICE = [{}];", list(office)),
            1,
        );
    if replaced.matches("[]").count() > 0 || !replaced.contains(version) {
        return Err("public/sw.js lost its VERSION/PRECACHE/OFFICE placeholders".into());
    }
    std::fs::write(&sw_path, replaced).map_err(|e| format!("{}: {e}", sw_path.display()))?;
    println!(
        "service worker: {} files precached, {} more for office phones",
        shell.len(),
        office.len()
    );
    Ok(())
}

fn collect(base: &Path, dir: &Path, out: &mut Vec<String>) -> Result<()> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_dir() {
            collect(base, &path, out)?;
        } else {
            let rel = path.strip_prefix(base).map_err(|e| e.to_string())?;
            out.push(format!("/{}", rel.to_string_lossy().replace('\\', "/")));
        }
    }
    Ok(())
}

/// FNV-1a: enough to tell builds apart, with no dependency to compile.
struct Fnv(u64);

impl Fnv {
    fn new() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}

//! Installs the tools the build and the tests need, each only when missing or at the wrong
//! version. Everything comes from the package registries this project may use (crates.io,
//! Debian, npm); nothing downloads a prebuilt binary at build time.

use crate::cmd::{self, Result};
use std::path::Path;

/// Trunk 0.22 needs a newer rustc than the project's 1.95, so stay on 0.21.
const TRUNK_REQ: &str = "~0.21";
const TRUNK_PREFIX: &str = "trunk 0.21";

/// Everything `cargo xtask run` needs to build the release PWA.
pub fn for_build() -> Result<()> {
    wasm_target()?;
    rust_src()?;
    // wasm-opt comes from npm's binaryen (pinned in tools/package.json): Debian's binaryen 108
    // turns wasm-bindgen's externref table into one the browser refuses at start-up.
    npm_ci(&cmd::root().join("tools"))?;
    trunk()?;
    wasm_split()?;
    wasm_bindgen()
}

/// Everything `cargo xtask test` needs on top of the build tools.
pub fn for_tests() -> Result<()> {
    for_build()?;
    apt(&[
        ("chromium", "chromium"),
        ("chromedriver", "chromium-driver"),
    ])?;
    cjk_font()?;
    npm_ci(&cmd::root().join("tests/e2e"))
}

/// A Chinese font, so the browser tests lay out Chinese text as a phone does: without one,
/// Chromium draws narrow placeholder boxes and a header that wraps on the phone fits in the test
/// (tests/e2e/a11y.spec.js). WenQuanYi Micro Hei: square glyphs like the phones' fonts, 1.6 MB.
fn cjk_font() -> Result<()> {
    if Path::new("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc").is_file() {
        return Ok(());
    }
    apt_install(&["fonts-wqy-microhei"])
}

fn wasm_target() -> Result<()> {
    rustup_add("target", "wasm32-unknown-unknown")
}

/// The standard library's source: the release wasm builds its own `std` for size
/// (`bundles.rs`, "The standard library built for size").
fn rust_src() -> Result<()> {
    rustup_add("component", "rust-src")
}

/// `rustup <what> add <name>` unless `rustup <what> list --installed` already names it (a
/// component is listed with its host triple after the name: `rust-src`, `rustc-x86_64-…`).
fn rustup_add(what: &str, name: &str) -> Result<()> {
    let installed = cmd::new("rustup")
        .args([what, "list", "--installed"])
        .output()
        .map(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .any(|l| l == name || l.starts_with(&format!("{name}-")))
        })
        .unwrap_or(false);
    if installed {
        return Ok(());
    }
    cmd::run(cmd::new("rustup").args([what, "add", name]))
}

fn trunk() -> Result<()> {
    if cmd::output_line("trunk", &["--version"]).is_some_and(|v| v.starts_with(TRUNK_PREFIX)) {
        return Ok(());
    }
    cargo_install("trunk", TRUNK_REQ)
}

/// The program that splits the office chunk off the linked wasm (`bundles.rs`).
pub const WASM_SPLIT: &str = "wasm_split_cli";
/// The version `patches/wasm_split_cli_support` builds: crates.io's 0.2.2 (whose file format
/// matches the `wasm_split_helpers` 0.2.x in Cargo.lock) made deterministic. The suffix tells it
/// from the crates.io binary, which has no `--version` and is replaced.
const WASM_SPLIT_VERSION: &str = "0.2.2+xiafang.1";

fn wasm_split() -> Result<()> {
    let want = format!("wasm-split {WASM_SPLIT_VERSION}");
    if cmd::output_line(WASM_SPLIT, &["--version"]).as_deref() == Some(want.as_str()) {
        return Ok(());
    }
    let root = cmd::root();
    cmd::run(
        cmd::cargo()
            .args([
                "install",
                "--force",
                "--locked",
                "--features",
                "build-binary",
            ])
            .arg("--path")
            .arg(root.join("patches/wasm_split_cli_support"))
            // Kept between installs, and out of the vendored sources.
            .arg("--target-dir")
            .arg(root.join("target/wasm_split_cli")),
    )
}

/// The wasm-bindgen CLI must be exactly the version of the `wasm-bindgen` crate in Cargo.lock,
/// or the generated JS glue does not match the compiled wasm.
fn wasm_bindgen() -> Result<()> {
    let version = locked_version("wasm-bindgen")?;
    let want = format!("wasm-bindgen {version}");
    if cmd::output_line("wasm-bindgen", &["--version"]).as_deref() == Some(want.as_str()) {
        return Ok(());
    }
    cargo_install("wasm-bindgen-cli", &format!("={version}"))
}

/// `cargo install`, with the crate's own lock file first. A lock file can name a dependency
/// version the registry no longer serves (seen with wasm-bindgen-cli 0.2.130 and a withdrawn
/// webpki-roots); then resolve afresh within the crate's own version requirements.
fn cargo_install(krate: &str, version: &str) -> Result<()> {
    let install = |locked: bool| {
        let mut c = cmd::cargo();
        c.args(["install", krate, "--version", version]);
        if locked {
            c.arg("--locked");
        }
        cmd::run(&mut c)
    };
    install(true).or_else(|e| {
        eprintln!("{e}; retrying without the crate's lock file");
        install(false)
    })
}

/// The version of a package as recorded in the workspace's Cargo.lock.
pub fn locked_version(package: &str) -> Result<String> {
    let lock = std::fs::read_to_string(cmd::root().join("Cargo.lock"))
        .map_err(|e| format!("Cargo.lock: {e}"))?;
    let marker = format!("name = \"{package}\"\nversion = \"");
    let start = lock
        .find(&marker)
        .ok_or_else(|| format!("{package} is not in Cargo.lock"))?
        + marker.len();
    let end = lock[start..]
        .find('"')
        .ok_or_else(|| "Cargo.lock is malformed".to_string())?;
    Ok(lock[start..start + end].to_owned())
}

/// Installs the Debian packages whose program (first of each pair) is not on PATH.
pub fn apt(needs: &[(&str, &str)]) -> Result<()> {
    let missing: Vec<&str> = needs
        .iter()
        .filter(|(program, _)| !on_path(program))
        .map(|(_, package)| *package)
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    apt_install(&missing)
}

fn apt_install(packages: &[&str]) -> Result<()> {
    let as_root = cmd::output_line("id", &["-u"]).as_deref() == Some("0");
    let apt_get = |args: &[&str]| {
        let mut c = if as_root {
            cmd::new("apt-get")
        } else {
            let mut c = cmd::new("sudo");
            c.arg("apt-get");
            c
        };
        c.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        cmd::run(&mut c)
    };
    apt_get(&["update", "-q"])?;
    let mut args = vec!["install", "-y", "-q", "--no-install-recommends"];
    args.extend(packages);
    apt_get(&args)
}

pub fn on_path(program: &str) -> bool {
    std::env::split_paths(&cmd::path_env()).any(|dir| dir.join(program).is_file())
}

/// `npm ci` from the lock file, with Playwright told never to download a browser: the tests use
/// Debian's Chromium. Skipped when the installed packages are newer than the lock file.
fn npm_ci(dir: &Path) -> Result<()> {
    let lock = dir.join("package-lock.json");
    let installed = dir.join("node_modules/.package-lock.json");
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    if let (Some(lock), Some(installed)) = (modified(&lock), modified(&installed))
        && installed >= lock
    {
        return Ok(());
    }
    cmd::run(
        cmd::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(dir)
            .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"),
    )
}

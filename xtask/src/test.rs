//! `cargo xtask test`: every test tier, cheapest first, stopping at the first failure.

use crate::build;
use crate::cmd::{self, Result};
use crate::postgres;
use crate::tools;

const WASM: &str = "wasm32-unknown-unknown";

pub fn all() -> Result<()> {
    tools::for_tests()?;
    step("formatting");
    cmd::run(cmd::cargo().args(["fmt", "--all", "--check"]))?;

    step("clippy (native crates, then the PWA for wasm32)");
    cmd::run(cmd::cargo().args([
        "clippy",
        "--workspace",
        "--exclude",
        "xiafang",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))?;
    cmd::run(cmd::cargo().args([
        "clippy",
        "--package",
        "xiafang",
        "--target",
        WASM,
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))?;

    step("core and server tests (real SQLite files and a real PostgreSQL cluster)");
    let pg = postgres::Cluster::start()?;
    cmd::run(
        cmd::cargo()
            .args(["test", "--workspace", "--exclude", "xiafang"])
            .env("XIAFANG_TEST_POSTGRES", pg.admin_url()),
    )?;
    drop(pg);
    // The patched reactive graph (patches/reactive_graph/PATCHED.md): its own unit tests, with
    // the ones that show a source letting go of dropped subscribers.
    cmd::run(cmd::cargo().args(["test", "--package", "reactive_graph", "--lib"]))?;

    step("phone storage in headless Chromium (wasm-bindgen-test)");
    cmd::run(
        cmd::cargo()
            .args(["test", "--package", "xiafang", "--target", WASM])
            .env(
                "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER",
                "wasm-bindgen-test-runner",
            )
            .env("CHROMEDRIVER", "/usr/bin/chromedriver")
            .env("WASM_BINDGEN_TEST_TIMEOUT", "120"),
    )?;

    step("end to end: the release PWA in Chromium against the real server");
    let dist = build::pwa_release()?;
    build::server_release()?;
    let e2e = cmd::root().join("tests/e2e");
    cmd::run(
        cmd::new("npx")
            .args(["playwright", "test"])
            .current_dir(&e2e)
            .env(
                "XIAFANG_SERVER_BIN",
                cmd::root().join("target/release/xiafang-server"),
            )
            .env("XIAFANG_DIST", dist)
            .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"),
    )?;
    step("all tests passed");
    Ok(())
}

fn step(what: &str) {
    println!("\n=== {what} ===");
}

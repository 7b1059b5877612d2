//! `cargo xtask bench`: builds in release mode, measures on this machine and prints a table;
//! the same figures go to `target/bench/results.json`, one key per figure. Not part of
//! `cargo xtask test`, and nothing asserts a time. See docs/PERFORMANCE.md.
//!
//! Figures: the first load's transfer (from `dist/`, raw, gzip -9 and brotli), and, through the
//! server bench (`server/benches/load.rs`), ingest on SQLite and PostgreSQL against a plain
//! insert loop, and simulated devices under load; through the phone bench
//! (`tests/e2e/bench/phone.bench.js`, Debian Chromium against the release server and PWA with
//! 2,000 files and 20,000 records), cold start, save, search, upload over 3G and memory; through
//! the wire bench (`tests/e2e/bench/wire.bench.js`), the first visit's and an update's bytes on
//! the wire (through a counting proxy) and Lighthouse's mobile figures.

use crate::bench_slope;
#[path = "bench_server.rs"]
mod server;
use crate::bench_update;
use crate::build;
use crate::cmd::{self, Result};
use crate::postgres;
use crate::tools;
use server::{run_server_bench, server_bench_binary};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

struct Options {
    seconds: u64,
    devices: Vec<u32>,
    runs: u32,
    /// The paced load: each device syncs once per this many milliseconds (0: no paced run).
    period_ms: u64,
    /// Use the PWA already in `dist/` (the server is always built).
    skip_build: bool,
    /// Leave out the phone figures (Chromium).
    skip_phone: bool,
    /// Only the transfer sizes and the phone figures, no server bench.
    phone_only: bool,
    /// Visits the phone bench saves through the form (and then uploads).
    phone_saves: u64,
    /// Only the transfer sizes and the wire bench (first visit, update, Lighthouse).
    wire_only: bool,
    /// Leave out the update figure (it builds a second release).
    no_update: bool,
    /// Server processes of the second PostgreSQL run (1: no second run).
    instances: u32,
    /// Cadres of the county in which 100 of them sync, paced (0: no such pass).
    county: u32,
    /// Files of the county whose ledgers are imported (0: no import pass).
    import_files: u32,
}

fn options(args: &[String]) -> Result<Options> {
    let mut o = Options {
        seconds: 60,
        devices: vec![100, 500],
        runs: 5,
        period_ms: 30_000,
        skip_build: false,
        skip_phone: false,
        phone_only: false,
        phone_saves: 1000,
        wire_only: false,
        no_update: false,
        instances: 2,
        county: 2000,
        import_files: 2000,
    };
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{flag} needs a value"));
        let number = |v: &String| v.parse::<u64>().map_err(|e| format!("{flag} {v}: {e}"));
        match flag.as_str() {
            "--seconds" => o.seconds = number(value()?)?,
            "--runs" => o.runs = number(value()?)?.max(1) as u32,
            "--period-ms" => o.period_ms = number(value()?)?,
            "--devices" => {
                o.devices = value()?
                    .split(',')
                    .map(|d| d.parse().map_err(|e| format!("--devices {d}: {e}")))
                    .collect::<Result<_>>()?
            }
            "--skip-build" => o.skip_build = true,
            "--skip-phone" => o.skip_phone = true,
            "--phone-only" => o.phone_only = true,
            "--phone-saves" => o.phone_saves = number(value()?)?.max(1),
            "--wire-only" => o.wire_only = true,
            "--no-update" => o.no_update = true,
            "--instances" => o.instances = number(value()?)?.max(1) as u32,
            "--county" => o.county = number(value()?)? as u32,
            "--import-files" => o.import_files = number(value()?)? as u32,
            other => {
                return Err(format!(
                    "unknown bench option {other} (--seconds S, --devices 100,500, --runs N, \
                     --period-ms P, --skip-build, --skip-phone, --phone-only, --phone-saves N, \
                     --wire-only, --no-update, --instances N, --county N, --import-files N)"
                ));
            }
        }
    }
    Ok(o)
}

/// One measured figure: its JSON key, value, unit and budget (if the issue sets one).
struct Figure {
    key: String,
    value: f64,
    unit: String,
    budget: Option<Budget>,
}

#[derive(Clone, Copy)]
enum Budget {
    AtMost(f64),
    AtLeast(f64),
}

impl Budget {
    fn met(self, v: f64) -> bool {
        match self {
            Budget::AtMost(b) => v <= b,
            Budget::AtLeast(b) => v >= b,
        }
    }

    fn describe(self) -> String {
        match self {
            Budget::AtMost(b) => format!("<= {b}"),
            Budget::AtLeast(b) => format!(">= {b}"),
        }
    }
}

pub fn run(args: &[String]) -> Result<()> {
    let o = options(args)?;
    tools::for_build()?;
    tools::apt(&[("brotli", "brotli"), ("gzip", "gzip")])?;
    if postgres::bin_dir().is_none() {
        tools::apt(&[("initdb", "postgresql")])?;
    }
    let dist = if o.skip_build {
        cmd::root().join("dist")
    } else {
        build::pwa_release()?
    };
    let update = if o.no_update || (o.skip_phone && !o.wire_only && !o.phone_only) {
        None
    } else {
        Some(bench_update::release(&dist, !o.skip_build)?)
    };
    build::server_release()?;
    let mut figures = transfer(&dist)?;
    let server_bin = target_dir().join("release/xiafang-server");
    if o.phone_only || o.wire_only {
        let spec = o.wire_only.then_some("wire.bench.js");
        figures.extend(run_phone_bench(
            &server_bin,
            &dist,
            update.as_deref(),
            spec,
            &o,
        )?);
        print_table(&figures);
        return write_json(&figures);
    }
    let bench_bin = server_bench_binary()?;

    let sqlite = run_server_bench(&bench_bin, &server_bin, &dist, "sqlite", None, &o, 1)?;
    figures.extend(sqlite);
    let pg = postgres::Cluster::start()?;
    let url = pg.admin_url();
    let postgres = run_server_bench(
        &bench_bin,
        &server_bin,
        &dist,
        "postgres",
        Some(&url),
        &o,
        1,
    )?;
    figures.extend(postgres);
    // The same load spread over several instances on one database: does it scale?
    if o.instances > 1 {
        let n = o.instances;
        let several = run_server_bench(
            &bench_bin,
            &server_bin,
            &dist,
            "postgres",
            Some(&url),
            &o,
            n,
        )?;
        figures.extend(several);
    }
    drop(pg);
    if !o.skip_phone {
        figures.extend(run_phone_bench(
            &server_bin,
            &dist,
            update.as_deref(),
            None,
            &o,
        )?);
    }

    print_table(&figures);
    let values: Vec<(&str, f64)> = figures.iter().map(|f| (f.key.as_str(), f.value)).collect();
    bench_slope::print(&values, o.instances);
    write_json(&figures)
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| cmd::root().join("target"))
}

/// Bytes of what the first screen loads, from the release build: `index.html` and what it
/// links (JS glue, wasm, CSS, icon, manifest), and the service worker it registers. The build's
/// precompressed copies (`.br`, `.gz`) are the same files and are left out.
fn transfer(dist: &Path) -> Result<Vec<Figure>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dist).map_err(|e| format!("{}: {e}", dist.display()))? {
        let path = entry.map_err(|e| e.to_string())?.path();
        let copy = path.extension().is_some_and(|e| e == "br" || e == "gz");
        if path.is_file() && !copy {
            files.push(path);
        }
    }
    files.sort();
    let office = office_files(dist)?;
    let (mut raw, mut gz, mut br) = (0u64, 0u64, 0u64);
    let (mut office_raw, mut office_br) = (0u64, 0u64);
    let mut out = Vec::new();
    println!("\nfiles of the build (raw / gzip -9 / brotli -q 11; * = office chunk):");
    for f in &files {
        let bytes = std::fs::read(f).map_err(|e| format!("{}: {e}", f.display()))?;
        let (r, g, b) = (
            bytes.len() as u64,
            compressed("gzip", &["-9", "-c"], f)?,
            compressed("brotli", &["-q", "11", "-c"], f)?,
        );
        let name = f
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if office.contains(&format!("/{name}")) {
            println!("* {name:<40} {r:>9} {g:>9} {b:>9}");
            office_raw += r;
            office_br += b;
            continue;
        }
        println!("  {name:<40} {r:>9} {g:>9} {b:>9}");
        let kind = match f.extension().and_then(|e| e.to_str()) {
            Some("wasm") => Some("wasm"),
            Some("js") if name != "sw.js" => Some("js"),
            Some("css") => Some("css"),
            _ => None,
        };
        if let Some(kind) = kind {
            out.push(kb(&format!("transfer_{kind}_raw_kb"), r, None));
            out.push(kb(&format!("transfer_{kind}_brotli_kb"), b, None));
        }
        raw += r;
        gz += g;
        br += b;
    }
    out.push(kb("transfer_total_raw_kb", raw, None));
    out.push(kb(
        "transfer_total_gzip_kb",
        gz,
        Some(Budget::AtMost(250.0)),
    ));
    out.push(kb(
        "transfer_total_brotli_kb",
        br,
        Some(Budget::AtMost(250.0)),
    ));
    // What a supervisor's phone downloads more, the first time it opens an office screen.
    out.push(kb("transfer_office_raw_kb", office_raw, None));
    out.push(kb(
        "transfer_office_brotli_kb",
        office_br,
        Some(Budget::AtMost(300.0)),
    ));
    Ok(out)
}

/// The office chunk's files, as the service worker lists them (`const OFFICE = [...]`).
fn office_files(dist: &Path) -> Result<Vec<String>> {
    let sw = std::fs::read_to_string(dist.join("sw.js")).map_err(|e| format!("sw.js: {e}"))?;
    let list = sw
        .split_once("const OFFICE = [")
        .and_then(|(_, rest)| rest.split_once(']'))
        .map(|(list, _)| list)
        .ok_or("sw.js has no OFFICE list: build with `cargo xtask build`")?;
    Ok(list
        .split(',')
        .map(|f| f.trim().trim_matches('"').to_owned())
        .filter(|f| !f.is_empty())
        .collect())
}

fn kb(key: &str, bytes: u64, budget: Option<Budget>) -> Figure {
    Figure {
        key: key.into(),
        value: bytes as f64 / 1024.0,
        unit: "KiB".into(),
        budget,
    }
}

fn compressed(program: &str, args: &[&str], file: &Path) -> Result<u64> {
    let out = Command::new(program)
        .args(args)
        .arg(file)
        .output()
        .map_err(|e| format!("cannot run {program}: {e}"))?;
    if !out.status.success() {
        return Err(format!("{program} failed on {}", file.display()));
    }
    Ok(out.stdout.len() as u64)
}

/// A `FIGURE <key> <value> <unit>` line of a bench's output; `None` for any other line.
fn figure_line(line: &str) -> Result<Option<Figure>> {
    let mut parts = line.split_whitespace();
    if parts.next() != Some("FIGURE") {
        return Ok(None);
    }
    let (Some(key), Some(value), Some(unit)) = (parts.next(), parts.next(), parts.next()) else {
        return Ok(None);
    };
    let value: f64 = value.parse().map_err(|e| format!("{line}: {e}"))?;
    Ok(Some(Figure {
        key: key.into(),
        value,
        unit: unit.into(),
        budget: budget_of(key),
    }))
}

/// The phone figures: `tests/e2e/bench/phone.bench.js` under Playwright, with Debian Chromium,
/// against the release server binary and `dist`. CPU profiles of a cold start and of saves go
/// to `target/bench/profiles/` (open them in Chromium's DevTools, Performance panel). With it,
/// the wire bench, or only that one when `spec` names it; `update` is the next release's dist
/// for its update figure, Lighthouse's reports go to `target/bench/lighthouse-N.json`.
fn run_phone_bench(
    server: &Path,
    dist: &Path,
    update: Option<&Path>,
    spec: Option<&str>,
    o: &Options,
) -> Result<Vec<Figure>> {
    tools::for_tests()?;
    println!(
        "\n=== phone bench: Chromium, 2,000 files, 20,000 records; the wire and Lighthouse ==="
    );
    let mut c = Command::new("npx");
    c.args([
        "playwright",
        "test",
        "--config",
        "bench/playwright.config.js",
    ])
    .args(spec)
    .env(
        "XIAFANG_BENCH_LIGHTHOUSE_OUT",
        cmd::root().join("target/bench"),
    );
    if let Some(update) = update {
        c.env("XIAFANG_BENCH_UPDATE_DIST", update);
    }
    let out = c
        .current_dir(cmd::root().join("tests/e2e"))
        .env("XIAFANG_SERVER_BIN", server)
        .env("XIAFANG_DIST", dist)
        .env("XIAFANG_BENCH_SAVES", o.phone_saves.to_string())
        .env("XIAFANG_BENCH_RUNS", o.runs.max(3).to_string())
        .env(
            "XIAFANG_BENCH_OUT",
            cmd::root().join("target/bench/profiles"),
        )
        .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run the phone bench (npx playwright): {e}"))?;
    let mut figures = Vec::new();
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        println!("{line}");
        figures.extend(figure_line(line)?);
    }
    if !out.status.success() {
        return Err("the phone bench failed".into());
    }
    Ok(figures)
}

fn budget_of(key: &str) -> Option<Budget> {
    if key.ends_with("_ratio") {
        Some(Budget::AtLeast(0.5))
    } else if key.ends_with("_paced_p99_ms") {
        // The latency budget is for the paced run: in the closed loop every device sends again
        // as soon as it is answered, so its latency is queue length (docs/PERFORMANCE.md).
        Some(Budget::AtMost(100.0))
    } else if key.ends_with("_errors") {
        Some(Budget::AtMost(0.0))
    } else {
        phone_budget(key)
    }
}

/// Issue #7's budgets for the phone figures.
fn phone_budget(key: &str) -> Option<Budget> {
    Some(match key {
        "phone_cold_start_s" => Budget::AtMost(1.0),
        "phone_save_p95_ms" | "phone_search_p95_ms" => Budget::AtMost(50.0),
        "phone_upload_s" => Budget::AtMost(20.0),
        "phone_upload_gzip_share" => Budget::AtLeast(1.0),
        // Issue #15: p95 of the last 100 of the saves ≤ 1.5 × p95 of the first 100.
        "phone_save_p95_growth" => Budget::AtMost(1.5),
        // Issue #17.
        "first_visit_wire_kb" => Budget::AtMost(250.0),
        "lighthouse_performance" => Budget::AtLeast(90.0),
        "lighthouse_lcp_s" => Budget::AtMost(2.5),
        "lighthouse_accessibility" | "lighthouse_best_practices" => Budget::AtLeast(100.0),
        _ => return None,
    })
}

fn print_table(figures: &[Figure]) {
    println!("\n| figure | value | unit | budget | met |");
    println!("|---|---:|---|---|---|");
    for f in figures {
        let (budget, met) = match f.budget {
            Some(b) => (b.describe(), if b.met(f.value) { "yes" } else { "NO" }),
            None => (String::new(), ""),
        };
        let value = if f.value.abs() < 10.0 {
            format!("{:.3}", f.value)
        } else {
            format!("{:.1}", f.value)
        };
        println!("| {} | {value} | {} | {budget} | {met} |", f.key, f.unit);
    }
}

fn write_json(figures: &[Figure]) -> Result<()> {
    let dir = cmd::root().join("target/bench");
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let body = figures
        .iter()
        .map(|f| {
            let value = if f.value.is_finite() {
                format!("{:.3}", f.value)
            } else {
                "null".into()
            };
            format!("  \"{}\": {value}", f.key)
        })
        .collect::<Vec<_>>()
        .join(",\n");
    let path = dir.join("results.json");
    std::fs::write(&path, format!("{{\n{body}\n}}\n"))
        .map_err(|e| format!("{}: {e}", path.display()))?;
    println!("\nwrote {}", path.display());
    Ok(())
}

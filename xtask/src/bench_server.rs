//! The server half of `cargo xtask bench`: builds `server/benches/load.rs` and runs it pass by
//! pass (ingest, closed-loop and paced load, idle syncs, a county's size, several instances),
//! collecting its `FIGURE` lines.

use super::{Figure, Options, figure_line};
use crate::cmd::{self, Result};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Builds the server bench (release profile) and returns its executable.
pub(super) fn server_bench_binary() -> Result<PathBuf> {
    let out = cmd::cargo()
        .args([
            "bench",
            "--package",
            "xiafang-server",
            "--bench",
            "load",
            "--no-run",
            "--message-format",
            "json",
        ])
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run cargo bench: {e}"))?;
    if !out.status.success() {
        return Err("cargo bench --no-run failed".into());
    }
    // The last artifact line naming an executable of the `load` bench.
    let text = String::from_utf8_lossy(&out.stdout);
    let exe = text
        .lines()
        .filter(|l| l.contains("\"name\":\"load\"") && l.contains("\"executable\":\""))
        .filter_map(|l| {
            let start = l.find("\"executable\":\"")? + "\"executable\":\"".len();
            let end = l[start..].find('"')?;
            Some(PathBuf::from(&l[start..start + end]))
        })
        .next_back()
        .ok_or("cargo bench did not name the load bench's executable")?;
    Ok(exe)
}

pub(super) fn run_server_bench(
    bench: &Path,
    server: &Path,
    dist: &Path,
    backend: &str,
    pg_admin: Option<&str>,
    o: &Options,
    instances: u32,
) -> Result<Vec<Figure>> {
    let mut figures = Vec::new();
    // Ingest once (on one instance); then per device count a closed-loop run (saturation) and
    // a paced run, each on a fresh database; and, with the most devices, paced syncs with
    // nothing to push (phones open and online pull every 5 minutes); on one instance, 100 of a
    // county's cadres syncing both ways (`--county`): (devices, seconds, runs, period, records
    // per push, cadres in the county).
    let mut passes: Vec<(u32, u64, u32, u64, u32, u32)> = Vec::new();
    if instances == 1 {
        passes.push((0, 0, o.runs, 0, 20, 0));
    }
    for &d in &o.devices {
        passes.push((d, o.seconds, 1, 0, 20, 0));
        if o.period_ms > 0 {
            passes.push((d, o.seconds, 1, o.period_ms, 20, 0));
        }
    }
    if let Some(&d) = o.devices.iter().max().filter(|_| o.period_ms > 0) {
        passes.push((d, o.seconds, 1, o.period_ms, 0, 0));
    }
    if instances == 1 && o.county > 100 && o.period_ms > 0 {
        passes.push((100, o.seconds, 1, o.period_ms, 20, o.county));
        passes.push((100, o.seconds, 1, o.period_ms, 0, o.county));
    }
    for (n, seconds, runs, period_ms, batch, world) in passes {
        if seconds == 0 && n != 0 {
            continue;
        }
        let mut c = bench_command(bench, server, dist, backend, pg_admin);
        c.args(["--runs", &runs.to_string()])
            .args(["--devices", &n.max(1).to_string()])
            .args(["--seconds", &seconds.to_string()])
            .args(["--period-ms", &period_ms.to_string()])
            .args(["--instances", &instances.to_string()])
            .args(["--batch", &batch.to_string()])
            .args(["--world", &world.to_string()]);
        if n != 0 {
            c.arg("--no-ingest");
        }
        let form = match (period_ms, batch) {
            (0, _) => "closed loop".to_string(),
            (p, 0) => format!("paced, one pull with nothing to push per {p} ms"),
            (p, _) => format!("paced, one sync per {p} ms"),
        };
        let of = if world > n {
            format!(" of a county of {world} cadres")
        } else {
            String::new()
        };
        println!(
            "\n=== server bench: {backend} ({instances} instance(s)), {n} devices{of}, {seconds} s, {form} ==="
        );
        figures.extend(collect(c, bench, &format!("the server bench ({backend})"))?);
    }
    if instances == 1 && o.import_files > 0 {
        println!(
            "\n=== import: {backend}, a county's workbook of {} files, twice ===",
            o.import_files
        );
        let mut c = bench_command(bench, server, dist, backend, pg_admin);
        c.args(["--import-files", &o.import_files.to_string()]);
        figures.extend(collect(c, bench, &format!("the import bench ({backend})"))?);
    }
    Ok(figures)
}

/// The bench's command with what every pass gives it.
fn bench_command(
    bench: &Path,
    server: &Path,
    dist: &Path,
    backend: &str,
    pg_admin: Option<&str>,
) -> Command {
    let mut c = Command::new(bench);
    c.arg("--server-bin")
        .arg(server)
        .arg("--dist")
        .arg(dist)
        .args(["--backend", backend]);
    if let Some(url) = pg_admin {
        c.args(["--pg-admin", url]);
    }
    c
}

/// Runs one pass of the bench, echoing its output and collecting its `FIGURE` lines.
fn collect(mut c: Command, bench: &Path, what: &str) -> Result<Vec<Figure>> {
    let out = c
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run {}: {e}", bench.display()))?;
    let text = String::from_utf8_lossy(&out.stdout);
    let mut figures = Vec::new();
    for line in text.lines() {
        println!("{line}");
        figures.extend(figure_line(line)?);
    }
    if !out.status.success() {
        return Err(format!("{what} failed"));
    }
    Ok(figures)
}

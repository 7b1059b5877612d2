//! `cargo xtask`: the project's own commands. Each installs what it needs that is missing, so a
//! fresh machine (Rust, Node 20, Debian) needs nothing done by hand.
//!
//! - `cargo xtask run [-- server options]`: build the PWA and the server in release mode and start
//!   the case server (demo data on first start).
//! - `cargo xtask test`: every test the project has, stopping at the first failure.
//! - `cargo xtask build`: only build the release PWA into `dist/`.
//! - `cargo xtask bench [-- --seconds S --devices 100,500 --runs N --skip-build --instances N]`: measure
//!   (docs/PERFORMANCE.md); never part of `test`.

mod bench;
mod bench_slope;
mod bench_update;
mod build;
mod bundles;
mod cmd;
mod compress;
mod postgres;
mod split;
mod test;
mod tools;

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (task, rest) = match args.split_first() {
        Some((task, rest)) => (task.as_str(), rest),
        None => ("help", &[][..]),
    };
    let rest: Vec<String> = rest
        .iter()
        .skip_while(|a| a.as_str() == "--")
        .cloned()
        .collect();
    let result = match task {
        "run" => build::run(&rest),
        "build" => build::pwa_release().map(|_| ()),
        "test" => test::all(),
        "bench" => bench::run(&rest),
        _ => {
            eprintln!("usage: cargo xtask <run|test|build|bench> [-- server options]");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("\nxtask {task} failed: {e}");
            ExitCode::FAILURE
        }
    }
}

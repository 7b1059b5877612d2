//! Running child processes with the project root as working directory and a clear error naming
//! the command that failed.

use std::path::{Path, PathBuf};
use std::process::Command;

pub type Result<T> = std::result::Result<T, String>;

/// The workspace root (the parent of `xtask/`).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives inside the workspace")
        .to_path_buf()
}

/// Cargo's own binary directory, where `cargo install` puts Trunk and wasm-bindgen.
pub fn cargo_bin_dir() -> PathBuf {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .unwrap_or_else(|| PathBuf::from(".cargo"));
    home.join("bin")
}

/// PATH with cargo's bin directory and the project's npm tools first, so tools installed a
/// moment ago are found (and npm's wasm-opt wins over an older Debian one).
pub fn path_env() -> std::ffi::OsString {
    let mut dirs = vec![root().join("tools/node_modules/.bin"), cargo_bin_dir()];
    if let Some(path) = std::env::var_os("PATH") {
        dirs.extend(std::env::split_paths(&path));
    }
    std::env::join_paths(dirs).expect("PATH entries are joinable")
}

/// A command run from the project root with the extended PATH.
pub fn new(program: &str) -> Command {
    let mut c = Command::new(program);
    c.current_dir(root()).env("PATH", path_env());
    c
}

pub fn cargo() -> Command {
    new(&std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

/// Runs to completion; a non-zero exit is an error naming the command.
pub fn run(c: &mut Command) -> Result<()> {
    println!("$ {}", describe(c));
    let status = c
        .status()
        .map_err(|e| format!("cannot start `{}`: {e}", describe(c)))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{}` exited with {status}", describe(c)))
    }
}

/// The first line of a command's output, or `None` if it cannot be run or fails.
pub fn output_line(program: &str, args: &[&str]) -> Option<String> {
    let out = new(program).args(args).output().ok()?;
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8_lossy(&out.stdout);
    text.lines().next().map(|l| l.trim().to_owned())
}

fn describe(c: &Command) -> String {
    std::iter::once(c.get_program())
        .chain(c.get_args())
        .map(|s| s.to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

//! Runs the splitter twice and insists on the same bytes: an update downloads a delta against the
//! wasm the phone holds (docs/ARCHITECTURE.md "Updates as deltas"), which is small only when a
//! build is a function of its sources. crates.io's `wasm_split_cli` 0.2.2 numbers functions in
//! hash-map order seeded per process, so two runs differed throughout
//! (`patches/wasm_split_cli_support/PATCHED.md`); this check keeps that from coming back.

use crate::cmd::{self, Result};
use crate::tools;
use std::path::Path;

/// Splits `linked` into `work`, and again beside it; errors when the two runs differ.
pub fn split_reproducibly(linked: &Path, work: &Path) -> Result<()> {
    let again = work.with_extension("again");
    for dir in [work, &again] {
        if dir.exists() {
            std::fs::remove_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        cmd::run(cmd::new(tools::WASM_SPLIT).arg(linked).arg(dir))?;
    }
    let differ = differing_files(work, &again)?;
    std::fs::remove_dir_all(&again).map_err(|e| format!("{}: {e}", again.display()))?;
    if differ.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{} gave different bytes on two runs over the same input ({}): is the deterministic \
             build from patches/wasm_split_cli_support installed?",
            tools::WASM_SPLIT,
            differ.join(", ")
        ))
    }
}

/// The names of the files that are not byte-for-byte the same in both directories.
fn differing_files(a: &Path, b: &Path) -> Result<Vec<String>> {
    let names = |dir: &Path| -> Result<Vec<String>> {
        let mut names = std::fs::read_dir(dir)
            .map_err(|e| format!("{}: {e}", dir.display()))?
            .map(|e| e.map(|e| e.file_name().to_string_lossy().into_owned()))
            .collect::<std::io::Result<Vec<_>>>()
            .map_err(|e| e.to_string())?;
        names.sort();
        Ok(names)
    };
    let (left, right) = (names(a)?, names(b)?);
    if left != right {
        return Ok(vec![format!("{left:?} against {right:?}")]);
    }
    let mut differ = Vec::new();
    for name in left {
        let read = |dir: &Path| std::fs::read(dir.join(&name)).map_err(|e| format!("{name}: {e}"));
        if read(a)? != read(b)? {
            differ.push(name);
        }
    }
    Ok(differ)
}

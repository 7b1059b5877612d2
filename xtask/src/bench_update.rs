//! The "next release" the bench's update figure installs over the current one: the same source
//! with one visible string on one screen changed (the file page's 记走访 button), built by the
//! same `build::pwa_release` as the real release, into `target/bench/dist-update/`.
//!
//! The source file is edited in place for the build and written back as it was afterwards,
//! whatever the build did; its new modification time makes cargo build the real release again
//! next time. `dist/` is moved aside meanwhile and put back.

use crate::build;
use crate::cmd::{self, Result};
use std::path::{Path, PathBuf};

/// The string the next release changes, and what it becomes.
const FROM: &str = "\"记走访\"";
const TO: &str = "\"记录走访\"";

/// The next release's dist: built afresh when `rebuild` or when none is newer than `dist`.
pub fn release(dist: &Path, rebuild: bool) -> Result<PathBuf> {
    let out = cmd::root().join("target/bench/dist-update");
    let built_at = |d: &Path| {
        std::fs::metadata(d.join("sw.js"))
            .and_then(|m| m.modified())
            .ok()
    };
    if !rebuild
        && let (Some(update), Some(current)) = (built_at(&out), built_at(dist))
        && update > current
    {
        return Ok(out);
    }
    let aside = cmd::root().join("target/bench/dist-release");
    remove(&aside)?;
    remove(&out)?;
    std::fs::create_dir_all(cmd::root().join("target/bench")).map_err(|e| e.to_string())?;
    rename(dist, &aside)?;
    let built = with_changed_string(build::pwa_release).and_then(|d| rename(&d, &out));
    // The release measured stays in dist/, whatever happened to the other build.
    remove(dist)?;
    rename(&aside, dist)?;
    built.map(|()| out)
}

/// Runs `f` with `FROM` replaced by `TO` in the first source file under `src/` holding it.
fn with_changed_string<T>(f: impl FnOnce() -> Result<T>) -> Result<T> {
    let file = find(&cmd::root().join("src"))?
        .ok_or_else(|| format!("no file under src/ holds {FROM}: choose another string"))?;
    let original =
        std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
    std::fs::write(&file, original.replacen(FROM, TO, 1))
        .map_err(|e| format!("{}: {e}", file.display()))?;
    println!("next release: {FROM} → {TO} in {}", file.display());
    let result = f();
    std::fs::write(&file, original).map_err(|e| format!("{}: {e}", file.display()))?;
    result
}

fn find(dir: &Path) -> Result<Option<PathBuf>> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            if let Some(found) = find(&path)? {
                return Ok(Some(found));
            }
        } else if path.extension().is_some_and(|e| e == "rs")
            && std::fs::read_to_string(&path).is_ok_and(|s| s.contains(FROM))
        {
            return Ok(Some(path));
        }
    }
    Ok(None)
}

fn remove(dir: &Path) -> Result<()> {
    if dir.exists() {
        std::fs::remove_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    Ok(())
}

fn rename(from: &Path, to: &Path) -> Result<()> {
    std::fs::rename(from, to).map_err(|e| format!("{} → {}: {e}", from.display(), to.display()))
}

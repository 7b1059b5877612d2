//! The PWA's two bundles: the field bundle (built without the `office` feature) that every phone
//! starts with, and the office bundle (every screen) a supervisor's phone fetches the first time
//! it opens an office screen. Both are Trunk builds; the field build's `dist/` gets the office
//! glue and wasm beside its own, and index.html's start-up script becomes `public/start.js`,
//! which picks one at start (docs/ARCHITECTURE.md "Two bundles").

use crate::cmd::{self, Result};
use std::path::Path;

/// The glue script and the wasm of one bundle, as paths from the site's root (`/xiafang-….js`).
pub struct Bundle {
    pub js: String,
    pub wasm: String,
}

/// Builds both bundles into `dist` (Trunk empties it first) and returns (field, office).
pub fn build(dist: &Path) -> Result<(Bundle, Bundle)> {
    let office_dist = cmd::root().join("target/office-dist");
    cmd::run(
        cmd::new("trunk")
            .args(["build", "--release", "--dist"])
            .arg(&office_dist),
    )?;
    let office = started_by(&office_dist)?;
    cmd::run(cmd::new("trunk").args(["build", "--release", "--no-default-features"]))?;
    let field = started_by(dist)?;
    if field.wasm == office.wasm {
        return Err("the field and office bundles came out the same: was `office` ignored?".into());
    }
    for file in [&office.js, &office.wasm] {
        let (from, to) = (office_dist.join(&file[1..]), dist.join(&file[1..]));
        std::fs::copy(&from, &to).map_err(|e| format!("{}: {e}", from.display()))?;
    }
    Ok((field, office))
}

/// The bundle Trunk's index.html starts: the glue it imports and the wasm it passes to `init`.
fn started_by(dist: &Path) -> Result<Bundle> {
    let index = read(&dist.join("index.html"))?;
    let js = quoted_after(&index, "from '")?;
    let wasm = quoted_after(&index, "module_or_path: '")?;
    Ok(Bundle { js, wasm })
}

fn quoted_after(html: &str, marker: &str) -> Result<String> {
    let start = html
        .find(marker)
        .ok_or_else(|| format!("Trunk's index.html has no `{marker}`"))?
        + marker.len();
    let end = html[start..]
        .find('\'')
        .ok_or("unterminated quote in Trunk's index.html")?;
    Ok(html[start..start + end].to_owned())
}

/// Replaces Trunk's start-up script and its preloads of the field files with `public/start.js`
/// (comments dropped), which asks for the bundle it starts after the first paint: no preloads, so
/// that nothing but the page and its CSS is downloaded before the static first screen is painted
/// (docs/PERFORMANCE.md, "The first screen before the wasm").
pub fn write_loader(dist: &Path, field: &Bundle, office: &Bundle, version: &str) -> Result<()> {
    let path = dist.join("index.html");
    let index = read(&path)?;
    let script_start = index
        .find("<script type=\"module\">")
        .ok_or("Trunk's index.html has no start-up script")?;
    let script_end = index[script_start..]
        .find("</script>")
        .ok_or("unterminated start-up script")?
        + script_start
        + "</script>".len();
    let preload = index
        .find("<link rel=\"modulepreload\"")
        .ok_or("Trunk's index.html has no modulepreload")?;
    let head_end = index.find("</head>").ok_or("no </head>")?;
    let loader = loader_script(field, office, version)?;
    let out = format!(
        "{}{loader}{}{}",
        &index[..script_start],
        &index[script_end..preload],
        &index[head_end..]
    );
    std::fs::write(&path, out).map_err(|e| format!("{}: {e}", path.display()))
}

/// `public/start.js` with this build's names filled in and its comment lines left out.
pub fn loader_script(field: &Bundle, office: &Bundle, version: &str) -> Result<String> {
    let template = read(&cmd::root().join("public/start.js"))?;
    let body: String = template
        .lines()
        .filter(|l| !l.trim_start().starts_with("//") && !l.trim().is_empty())
        .map(|l| format!("{l}\n"))
        .collect();
    let filled = body
        .replace("@VERSION@", version)
        .replace("@FIELD_JS@", &field.js)
        .replace("@FIELD_WASM@", &field.wasm)
        .replace("@OFFICE_JS@", &office.js)
        .replace("@OFFICE_WASM@", &office.wasm);
    if filled.contains('@') {
        return Err("public/start.js has a placeholder xtask does not fill".into());
    }
    Ok(format!("<script type=\"module\">\n{filled}</script>"))
}

fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

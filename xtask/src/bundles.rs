//! The PWA's wasm, split: one app whose office screens (`src/pages/office.rs`, a
//! `#[wasm_split]` point) become a chunk of their own that a phone fetches the first time an
//! office screen opens. Trunk does not split, so Trunk only builds the page, the CSS and the
//! copied files; this module builds the wasm the way `cargo leptos --split` does: cargo (with
//! the linker's relocations kept), `wasm_split_cli`, wasm-bindgen keeping
//! the linker's exports the chunk imports, then wasm-opt on each module and terser on the two
//! scripts (docs/ARCHITECTURE.md "One app, one office chunk").

use crate::cmd::{self, Result};
use std::path::{Path, PathBuf};

/// What the start-up script starts and what the office chunk is, as paths from the site's root
/// (`/xiafang-….js`).
pub struct Bundle {
    /// The glue script the start-up script imports.
    pub js: String,
    /// The main wasm, passed to the glue's `init`.
    pub wasm: String,
    /// The office chunk's files (its wasm), fetched by the split loader on demand.
    pub office: Vec<String>,
}

/// The flags the wasm needs from wasm-opt (the features rustc's wasm32 target uses, and SIMD,
/// which the release build turns on: see `wasm_release_build`).
const WASM_OPT_FEATURES: &[&str] = &[
    "--enable-simd",
    "--enable-reference-types",
    "--enable-bulk-memory",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-multivalue",
];

/// The module the split loader imports the glue from before we rename it.
const SPLIT_MAIN_MODULE: &str = "\"./main.js\"";
/// The module the glue imports the split loader from, as wasm_split_cli names it.
const SPLIT_LINK_MODULE: &str = "./__wasm_split.js";

/// Builds the page with Trunk into `dist` (which Trunk empties first), then the split wasm
/// beside it.
pub fn build(dist: &Path) -> Result<Bundle> {
    cmd::run(cmd::new("trunk").args(["build", "--release"]))?;
    cmd::run(&mut wasm_release_build())?;
    let work = cmd::root().join("target/split");
    let linked = cmd::root().join("target/wasm32-unknown-unknown/release/xiafang.wasm");
    crate::split::split_reproducibly(&linked, &work)?;
    let bindgen = work.join("pkg");
    cmd::run(
        cmd::new("wasm-bindgen")
            .arg(work.join("main.wasm"))
            .arg("--out-dir")
            .arg(&bindgen)
            .args([
                "--out-name",
                "xiafang",
                "--target",
                "web",
                "--no-demangle",
                "--keep-lld-exports",
                "--no-typescript",
            ]),
    )?;
    let main = bindgen.join("xiafang_bg.wasm");
    optimise(&main)?;
    let mut chunks = Vec::new();
    for entry in std::fs::read_dir(&work).map_err(|e| format!("{}: {e}", work.display()))? {
        let path = entry.map_err(|e| e.to_string())?.path();
        let name = file_name(&path);
        if name.ends_with(".wasm") && name != "main.wasm" {
            optimise(&path)?;
            chunks.push(path);
        }
    }
    if chunks.is_empty() {
        return Err(
            "wasm_split_cli split nothing off: is `office_view` still a split point?".into(),
        );
    }
    chunks.sort();
    place(dist, &work, &bindgen, &main, &chunks)
}

/// Copies the modules into `dist` under names that change with their content, and points the
/// glue, the split loader and the loader's chunks at those names.
///
/// The main wasm and each chunk are named by their own bytes, so a release that changes only the
/// office screens leaves the main wasm's name alone (and the other way round). The glue imports
/// the split loader and the loader imports the glue: both are named by one hash of the two.
fn place(
    dist: &Path,
    work: &Path,
    bindgen: &Path,
    main: &Path,
    chunks: &[PathBuf],
) -> Result<Bundle> {
    let mut link = read(&work.join(&SPLIT_LINK_MODULE[2..]))?;
    let mut office = Vec::new();
    for chunk in chunks {
        let bytes = read_bytes(chunk)?;
        let stem = file_name(chunk).trim_end_matches(".wasm").to_owned();
        let named = format!("{}-{}.wasm", stem.replace('_', "-"), hash(&[&bytes]));
        let quoted = format!("\"./{stem}.wasm\"");
        if !link.contains(&quoted) {
            return Err(format!("the split loader does not name {quoted}"));
        }
        link = link.replace(&quoted, &format!("\"./{named}\""));
        write(&dist.join(&named), &bytes)?;
        office.push(format!("/{named}"));
    }
    let glue = read(&bindgen.join("xiafang.js"))?;
    let shared = hash(&[glue.as_bytes(), link.as_bytes()]);
    let (glue_name, link_name) = (format!("xiafang-{shared}.js"), format!("split-{shared}.js"));
    // Only the import statements: the wasm's own import names stay as they are.
    let link_import = format!("from \"{SPLIT_LINK_MODULE}\"");
    let main_import = format!("from {SPLIT_MAIN_MODULE}");
    if glue.matches(&link_import).count() != 1 || link.matches(&main_import).count() != 1 {
        return Err("the glue and the split loader no longer import each other as expected".into());
    }
    let glue = glue.replace(&link_import, &format!("from \"./{link_name}\""));
    let link = link.replace(&main_import, &format!("from \"./{glue_name}\""));
    for (name, text) in [(&glue_name, &glue), (&link_name, &link)] {
        write(&dist.join(name), text.as_bytes())?;
        minify(&dist.join(name))?;
    }
    let wasm = read_bytes(main)?;
    let wasm_name = format!("xiafang-{}_bg.wasm", hash(&[&wasm]));
    write(&dist.join(&wasm_name), &wasm)?;
    Ok(Bundle {
        js: format!("/{glue_name}"),
        wasm: format!("/{wasm_name}"),
        office,
    })
}

/// The release wasm's cargo build.
///
/// The linker keeps its relocations for the splitter. Only here, added to
/// `.cargo/config.toml`'s flags (cargo joins the two lists): tests and clippy do not need them.
///
/// The standard library built for size (docs/PERFORMANCE.md "The standard library built for
/// size"): the prebuilt `std` is compiled for speed, with its sorts unrolled for every element
/// type and every panic's file and line kept as data. Rebuilt with `optimize_for_size` and
/// `-Zlocation-detail=none` the field wasm is ≈ 26 KB smaller brotli-compressed, and a panic
/// that traps at once (`-Cpanic=immediate-abort`: no hook, no message formatting at each
/// `unwrap`) takes ≈ 16 KB more; the crash banner is shown from the start-up script instead
/// (src/crash.rs). All are unstable options of the pinned 1.95 toolchain, reached with
/// `RUSTC_BOOTSTRAP` for this one build only: a toolchain update must build this again and
/// compare (`cargo xtask bench`).
///
/// `-Zfmt-debug=none` makes every `{:?}` print nothing and every derived `Debug` empty (≈ 4 KB
/// brotli): the app's code never formats with `{:?}` for text anyone reads (browser errors go
/// through `src/js_error.rs`). What is lost are values inside some library messages, such as
/// the string in serde's "invalid type: string …".
///
/// SIMD (`+simd128`, in `.cargo/config.toml` for every wasm build): every browser the app
/// already needs has it (the uploads' `CompressionStream` needs Safari 16.4 and the wasm's
/// reference types Chrome 96; SIMD came in Safari 16.4 and Chrome 91). Moves and copies of 16
/// bytes become one instruction (7.6 KB less brotli). A SIMD argon2 compression (the PIN
/// derivation, most of unlocking) was tried and was slower: LLVM turns its 32 × 32-bit
/// multiplies into full 64-bit vector multiplies, which V8 emulates (docs/PERFORMANCE.md).
fn wasm_release_build() -> std::process::Command {
    let mut build = cmd::cargo();
    build.env("RUSTC_BOOTSTRAP", "1").args([
        "build",
        "--release",
        "--package",
        "xiafang",
        "--bin",
        "xiafang",
        "--target",
        "wasm32-unknown-unknown",
        "-Zbuild-std=std,panic_abort",
        "-Zbuild-std-features=optimize_for_size",
        "--config",
        "target.wasm32-unknown-unknown.rustflags=[\"-Clink-args=--emit-relocs\", \"-Zlocation-detail=none\", \"-Zunstable-options\", \"-Cpanic=immediate-abort\", \"-Zfmt-debug=none\"]",
    ]);
    build
}

fn optimise(wasm: &Path) -> Result<()> {
    cmd::run(
        cmd::new("wasm-opt")
            .arg("-Oz")
            .args(WASM_OPT_FEATURES)
            .arg(wasm)
            .arg("-o")
            .arg(wasm),
    )
}

/// Minifies a script of wasm-bindgen's in place: the glue is written for reading, with a doc
/// comment on each of its few hundred imports (87.8 → 39.9 KB, 11.1 → 9.1 KB brotli). The files
/// keep the names their text before this step gave them: terser's output follows from its input.
fn minify(script: &Path) -> Result<()> {
    cmd::run(
        cmd::new("terser")
            .arg(script)
            .args(["--module", "--compress", "--mangle", "--output"])
            .arg(script),
    )
}

/// Puts `public/start.js` (filled in, comments dropped) where the page's scripts go: the end of
/// `<head>`. No preloads, so that nothing but the page and its CSS is downloaded before the
/// static first screen is painted (docs/PERFORMANCE.md, "The first screen before the wasm").
pub fn write_loader(dist: &Path, bundle: &Bundle, version: &str) -> Result<()> {
    let path = dist.join("index.html");
    let index = read(&path)?;
    if index.contains("<script type=\"module\">") {
        return Err(
            "Trunk's index.html already has a start-up script: is the rust link back?".into(),
        );
    }
    // Trunk leaves the skipped rust link in the page; the browser has no use for it.
    let index: String = index
        .lines()
        .filter(|l| !l.contains("data-trunk-skip"))
        .map(|l| format!("{l}\n"))
        .collect();
    let head_end = index.find("</head>").ok_or("no </head>")?;
    let loader = loader_script(bundle, version)?;
    let out = format!("{}{loader}{}", &index[..head_end], &index[head_end..]);
    write(&path, out.as_bytes())
}

/// `public/start.js` with this build's names filled in and its comment lines left out.
pub fn loader_script(bundle: &Bundle, version: &str) -> Result<String> {
    let template = read(&cmd::root().join("public/start.js"))?;
    let body: String = template
        .lines()
        .filter(|l| !l.trim_start().starts_with("//") && !l.trim().is_empty())
        .map(|l| format!("{l}\n"))
        .collect();
    let filled = body
        .replace("@VERSION@", version)
        .replace("@FIELD_JS@", &bundle.js)
        .replace("@FIELD_WASM@", &bundle.wasm);
    if filled.contains('@') {
        return Err("public/start.js has a placeholder xtask does not fill".into());
    }
    Ok(format!("<script type=\"module\">\n{filled}</script>"))
}

/// FNV-1a of the parts, as Trunk-like 16 hex digits: enough to tell builds apart, with no
/// dependency to compile.
fn hash(parts: &[&[u8]]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for b in *part {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

fn read_bytes(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))
}

fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    std::fs::write(path, bytes).map_err(|e| format!("{}: {e}", path.display()))
}

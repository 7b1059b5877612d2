//! Keeps `core` in layers (see `src/lib.rs`): each module uses only its own layer and those
//! below it, and no modules use each other in a circle. Read from the source, so a new `use`
//! that points upward fails here before anyone has to untangle it. Tests inside a module
//! (`#[cfg(test)] mod tests`) may use anything.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Bottom first.
const LAYERS: &[&str] = &[
    "base", "records", "checks", "folds", "reports", "wire", "judge", "engine",
];
/// Files at the top of `src/` that are not a layer: the crate root and test fixtures.
const ROOT_FILES: &[&str] = &["lib.rs", "fixtures.rs"];

/// A module: its layer and its name (a file `x.rs` or a folder `x/`).
type Module = (String, String);

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read core/src") {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The module a file belongs to; a layer's own `mod.rs` counts as a module `mod` of it.
fn module_of(path: &Path) -> Option<Module> {
    let rel = path.strip_prefix(src()).expect("under src");
    let parts: Vec<&str> = rel.iter().map(|p| p.to_str().expect("utf-8")).collect();
    match parts.as_slice() {
        [layer, "mod.rs"] => Some((layer.to_string(), "mod".to_owned())),
        [layer, file] => Some((layer.to_string(), file.trim_end_matches(".rs").to_owned())),
        [layer, folder, ..] => Some((layer.to_string(), folder.to_string())),
        other => panic!("unexpected file in core/src: {other:?}"),
    }
}

/// The file's code without its test module.
fn code(path: &Path) -> String {
    let text = std::fs::read_to_string(path).expect("read source");
    match text.find("#[cfg(test)]\nmod tests") {
        Some(i) => text[..i].to_owned(),
        None => text,
    }
}

/// Every `crate::a::b` the code names, as (a, b); `b` is empty for a bare `crate::a`.
fn crate_paths(code: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (i, _) in code.match_indices("crate::") {
        if code[..i].ends_with('$') {
            continue; // `$crate::` inside a macro: the crate root by definition.
        }
        let rest = &code[i + "crate::".len()..];
        let mut names = rest.split("::").map(|s| {
            s.chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect::<String>()
        });
        let first = names.next().unwrap_or_default();
        let second = if rest[first.len()..].starts_with("::") {
            names.next().unwrap_or_default()
        } else {
            String::new()
        };
        out.push((first, second));
    }
    out
}

fn rank(layer: &str) -> usize {
    LAYERS
        .iter()
        .position(|l| *l == layer)
        .unwrap_or_else(|| panic!("`{layer}` is not a layer of core: add it to LAYERS"))
}

fn graph() -> (BTreeMap<Module, BTreeSet<Module>>, Vec<String>) {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let mut edges: BTreeMap<Module, BTreeSet<Module>> = BTreeMap::new();
    let mut wrong = Vec::new();
    for path in files {
        let rel = path.strip_prefix(src()).expect("under src").to_owned();
        if rel.components().count() == 1 {
            let name = rel.to_str().expect("utf-8");
            assert!(
                ROOT_FILES.contains(&name),
                "core/src/{name} stands outside the layers: move it into one"
            );
            continue;
        }
        // A module's tests kept in a file of their own may use anything, like a `mod tests`.
        if path.file_name().is_some_and(|n| n == "tests.rs")
            || rel.components().any(|c| c.as_os_str() == "tests")
        {
            continue;
        }
        let Some(module) = module_of(&path) else {
            continue;
        };
        rank(&module.0);
        for (layer, name) in crate_paths(&code(&path)) {
            if layer == "labeled_enum" {
                continue;
            }
            if !LAYERS.contains(&layer.as_str()) || name.is_empty() {
                wrong.push(format!(
                    "{}: `crate::{layer}` hides its layer; name it as crate::<layer>::<module>",
                    rel.display()
                ));
                continue;
            }
            if rank(&layer) > rank(&module.0) {
                wrong.push(format!(
                    "{}: uses crate::{layer}::{name}, a layer above `{}`",
                    rel.display(),
                    module.0
                ));
            }
            let used = (layer, name);
            if used != module {
                edges.entry(module.clone()).or_default().insert(used);
            }
        }
        edges.entry(module).or_default();
    }
    (edges, wrong)
}

#[test]
fn every_module_uses_only_its_layer_and_those_below() {
    let (_, wrong) = graph();
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// A circle of modules each using the next, if there is one (depth-first: a module met again
/// while still on the path closes it).
fn find_circle(edges: &BTreeMap<Module, BTreeSet<Module>>) -> Option<Vec<Module>> {
    fn visit(
        m: &Module,
        edges: &BTreeMap<Module, BTreeSet<Module>>,
        path: &mut Vec<Module>,
        done: &mut BTreeSet<Module>,
    ) -> Option<Vec<Module>> {
        if let Some(i) = path.iter().position(|p| p == m) {
            return Some(path[i..].to_vec());
        }
        if done.contains(m) {
            return None;
        }
        path.push(m.clone());
        for next in edges.get(m).into_iter().flatten() {
            if let Some(circle) = visit(next, edges, path, done) {
                return Some(circle);
            }
        }
        path.pop();
        done.insert(m.clone());
        None
    }
    let mut done = BTreeSet::new();
    edges
        .keys()
        .find_map(|m| visit(m, edges, &mut Vec::new(), &mut done))
}

#[test]
fn no_modules_use_each_other_in_a_circle() {
    let (edges, _) = graph();
    if let Some(circle) = find_circle(&edges) {
        let names: Vec<String> = circle.iter().map(|(l, n)| format!("{l}::{n}")).collect();
        panic!("modules use each other in a circle: {}", names.join(" → "));
    }
}

#[test]
fn the_checks_catch_an_upward_use_and_a_circle() {
    let upward = crate_paths("use crate::wire::upload::Op;\nuse crate::records::record::Record;");
    assert_eq!(upward[0], ("wire".into(), "upload".into()));
    assert!(rank("wire") > rank("records"));
    assert_eq!(crate_paths("$crate::Lang"), Vec::<(String, String)>::new());
    assert_eq!(
        crate_paths("crate::Lang"),
        vec![("Lang".into(), String::new())]
    );
}

//! The shape of the code, checked: no import circles between modules (top level, and one level
//! down inside each), so each layer can be read without the ones above it. A module `a` depends on
//! `b` when a file of `a` names `crate::b` or reaches it through `super::`; a parent and its own
//! children are one unit.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("reading src") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `src/a/b/c.rs` -> `["a", "b", "c"]`; `mod.rs` names its directory.
fn module_path(rel: &Path) -> Vec<String> {
    let mut parts: Vec<String> = rel
        .with_extension("")
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts
        .last()
        .is_some_and(|l| l == "mod" || l == "lib" || l == "main")
    {
        parts.pop();
    }
    parts
}

/// Every module path a file names (`crate::x::y`, `super::x`, `use crate::{a, b::c}`).
fn references(text: &str, here: &[String]) -> Vec<Vec<String>> {
    let text = regex::Regex::new(r"//[^\n]*")
        .expect("a valid pattern")
        .replace_all(text, "");
    let text = match text.find("#[cfg(test)]\nmod tests {") {
        Some(at) => &text[..at],
        None => &text,
    };
    let mut found: Vec<(String, String)> = Vec::new();
    let braces =
        regex::Regex::new(r"\b(crate|super)((?:::\w+)*)::\{([^{}]*)\}").expect("a valid pattern");
    for caps in braces.captures_iter(text) {
        for item in caps[3].split(',') {
            let item = item.split(" as ").next().unwrap_or("").trim();
            let joined = if item.is_empty() || item == "self" {
                caps[2].to_owned()
            } else {
                format!("{}::{item}", &caps[2])
            };
            found.push((caps[1].to_owned(), joined));
        }
    }
    let plain = regex::Regex::new(r"\b(crate|super)((?:::\w+)+)").expect("a valid pattern");
    for caps in plain.captures_iter(text) {
        found.push((caps[1].to_owned(), caps[2].to_owned()));
    }
    found
        .into_iter()
        .map(|(kind, joined)| {
            let path: Vec<String> = joined
                .split("::")
                .filter(|p| !p.is_empty())
                .map(str::to_owned)
                .collect();
            if kind == "crate" {
                return path;
            }
            let mut base = here[..here.len().saturating_sub(1)].to_vec();
            let mut rest = path.as_slice();
            while rest.first().is_some_and(|p| p == "super") {
                base.pop();
                rest = &rest[1..];
            }
            base.extend(rest.iter().cloned());
            base
        })
        .collect()
}

/// The module dependency graph at `depth` (1: top-level modules; 2: one level down).
fn graph(src: &Path, depth: usize) -> BTreeMap<String, BTreeSet<String>> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    let exists = |parts: &[String]| {
        let path = src.join(parts.join("/"));
        path.is_dir() || path.with_extension("rs").is_file()
    };
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in files {
        let rel = file.strip_prefix(src).expect("under src");
        let here = module_path(rel);
        if here.iter().any(|p| p == "tests") {
            continue;
        }
        let from = here[..here.len().min(depth)].join("::");
        let text = std::fs::read_to_string(&file).expect("reading a source file");
        for path in references(&text, &here) {
            let mut cut = path.len().min(depth);
            while cut > 0 && !exists(&path[..cut]) {
                cut -= 1;
            }
            let to = path[..cut].join("::");
            let related = to.is_empty()
                || to == from
                || from.starts_with(&format!("{to}::"))
                || to.starts_with(&format!("{from}::"));
            if !related {
                edges.entry(from.clone()).or_default().insert(to);
            }
        }
    }
    edges
}

/// A circle through `start`, if any (depth-first search).
fn circle_through(edges: &BTreeMap<String, BTreeSet<String>>, start: &str) -> Option<Vec<String>> {
    fn search(
        edges: &BTreeMap<String, BTreeSet<String>>,
        start: &str,
        at: &str,
        path: &mut Vec<String>,
        seen: &mut BTreeSet<String>,
    ) -> bool {
        for next in edges.get(at).into_iter().flatten() {
            if next == start {
                return true;
            }
            if seen.insert(next.clone()) {
                path.push(next.clone());
                if search(edges, start, next, path, seen) {
                    return true;
                }
                path.pop();
            }
        }
        false
    }
    let mut path = vec![start.to_owned()];
    search(edges, start, start, &mut path, &mut BTreeSet::new()).then_some(path)
}

#[test]
fn no_module_imports_a_module_that_imports_it_back() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    for depth in [1, 2] {
        let edges = graph(&src, depth);
        assert!(
            edges.values().map(BTreeSet::len).sum::<usize>() > 10,
            "the graph was read: {edges:?}"
        );
        for module in edges.keys() {
            if let Some(circle) = circle_through(&edges, module) {
                panic!("an import circle: {} -> {module}", circle.join(" -> "));
            }
        }
    }
}

#[test]
fn the_circle_finder_finds_circles() {
    let edges: BTreeMap<String, BTreeSet<String>> = [
        ("a", vec!["b"]),
        ("b", vec!["c"]),
        ("c", vec!["a"]),
        ("d", vec!["a"]),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.into_iter().map(str::to_owned).collect()))
    .collect();
    assert_eq!(
        circle_through(&edges, "a"),
        Some(vec!["a".to_owned(), "b".to_owned(), "c".to_owned()])
    );
    assert_eq!(circle_through(&edges, "d"), None);
    let here = vec!["check".to_owned(), "listed".to_owned()];
    assert_eq!(
        references(
            "use super::{unmerged, lock};\nuse crate::source::git;\n",
            &here
        ),
        vec![
            vec!["check".to_owned(), "unmerged".to_owned()],
            vec!["check".to_owned(), "lock".to_owned()],
            vec!["source".to_owned(), "git".to_owned()],
        ]
    );
}

//! The layer rules of docs/ARCHITECTURE.md, checked on the source: which layer may use which
//! (every `crate::` path of every module against the matrix), no circle between the files
//! of a layer, and views and the model never reaching storage, the index, threads or the
//! file system.

use std::path::Path;

fn sources(dir: &str) -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src").join(dir);
    walkdir::WalkDir::new(&root)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.path().extension().is_some_and(|x| x == "rs"))
        .map(|e| {
            let text = std::fs::read_to_string(e.path()).unwrap();
            (e.path().display().to_string(), text)
        })
        .collect()
}

fn assert_none_use(dir: &str, forbidden: &[&str]) {
    let files = sources(dir);
    assert!(!files.is_empty(), "no sources under src/{dir}");
    for (path, text) in files {
        for line in text.lines().map(str::trim) {
            if line.starts_with("//") {
                continue;
            }
            for needle in forbidden {
                assert!(!line.contains(needle), "{path} uses {needle}: {line}");
            }
        }
    }
}

#[test]
fn views_only_read_state_and_emit_commands() {
    assert_none_use(
        "ui",
        &[
            "rusqlite",
            "tantivy",
            "std::fs",
            "std::thread",
            "crate::store",
            "crate::index",
            "crate::service",
        ],
    );
}

#[test]
fn the_model_touches_nothing_outside() {
    assert_none_use(
        "model",
        &[
            "rusqlite",
            "tantivy",
            "std::fs",
            "std::thread",
            "egui",
            "crate::store",
            "crate::index",
            "crate::service",
            "crate::import",
        ],
    );
}

#[test]
fn library_layers_never_print_or_know_the_gui() {
    for dir in ["store", "index", "import", "export", "service"] {
        assert_none_use(dir, &["println!", "egui", "eframe", "clap::"]);
    }
}

/// What each layer may use, as in docs/ARCHITECTURE.md ("Layers"): a layer name, or
/// `layer::module` where only some of a layer may be used. A layer always uses itself.
const ALLOWED: &[(&str, &[&str])] = &[
    ("ui", &["app::command", "app::state", "model"]),
    ("app", &["service", "ui", "model", "import", "export"]),
    ("cli", &["service", "model", "import", "export", "eval"]),
    (
        "service",
        &[
            "store", "index", "import", "export", "suggest", "agree", "model",
        ],
    ),
    ("eval", &["suggest", "import", "model"]),
    ("agree", &["model"]),
    ("store", &["model"]),
    ("index", &["model"]),
    ("import", &["model"]),
    ("export", &["model"]),
    ("suggest", &["model"]),
    ("model", &[]),
];

/// The `crate::` paths a source uses, outside comments, each as its first two segments
/// (`crate::app::state::ReaderState` → `app::state`; `crate::{model::Edit, ui}` → `model::Edit`
/// and `ui`).
fn crate_paths(text: &str) -> Vec<String> {
    let mut paths = Vec::new();
    for line in text.lines() {
        let code = line.split("//").next().unwrap_or_default();
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            let before = rest[..at].chars().next_back();
            rest = &rest[at + "crate::".len()..];
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue; // `$crate::`, `other_crate::`
            }
            if let Some(group) = rest.strip_prefix('{') {
                let end = matching_brace(group);
                for entry in top_level_entries(&group[..end]) {
                    paths.push(two_segments(entry));
                }
                rest = &group[end..];
            } else {
                paths.push(two_segments(rest));
            }
        }
    }
    paths
}

/// The index of the `}` that closes a group whose `{` came just before `text`.
fn matching_brace(text: &str) -> usize {
    let mut depth = 0;
    for (i, c) in text.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => return i,
            '}' => depth -= 1,
            _ => {}
        }
    }
    text.len()
}

/// The entries of a `use` group at its top level (`a::{b, c}, d` → `a::{b, c}`, `d`).
fn top_level_entries(group: &str) -> Vec<&str> {
    let (mut entries, mut depth, mut start) = (Vec::new(), 0, 0);
    for (i, c) in group.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                entries.push(group[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    entries.push(group[start..].trim());
    entries.into_iter().filter(|e| !e.is_empty()).collect()
}

/// `app::state::ReaderState` → `app::state`; `model` → `model`; `app::{a, b}` → `app`.
fn two_segments(path: &str) -> String {
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    let first = ident(path);
    let after = &path[first.len()..];
    match after.strip_prefix("::") {
        Some(next) if next.starts_with(|c: char| c.is_lowercase()) => {
            format!("{first}::{}", ident(next))
        }
        _ => first,
    }
}

/// The layer of a source file under `src/` (`app/jobs.rs` → `app`), `None` for the crate
/// root files.
fn layer_of(path: &Path) -> Option<String> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let relative = path.strip_prefix(&src).ok()?;
    let mut parts = relative.components();
    let first = parts.next()?.as_os_str().to_str()?.to_owned();
    parts.next().map(|_| first)
}

/// Every `crate::` use of every layer that the matrix does not allow, as "file: path".
fn forbidden_uses(files: &[(String, String)]) -> Vec<String> {
    let mut forbidden = Vec::new();
    for (path, text) in files {
        let Some(layer) = layer_of(Path::new(path)) else {
            continue;
        };
        let Some((_, allowed)) = ALLOWED.iter().find(|(name, _)| *name == layer) else {
            forbidden.push(format!("{path}: layer {layer} is not in the matrix"));
            continue;
        };
        for used in crate_paths(text) {
            let target = used.split("::").next().unwrap_or_default();
            let ok = target == layer
                || allowed.iter().any(|rule| match rule.split_once("::") {
                    Some(_) => used == *rule,
                    None => target == *rule,
                });
            if !ok {
                forbidden.push(format!("{path}: crate::{used}"));
            }
        }
    }
    forbidden.sort();
    forbidden.dedup();
    forbidden
}

#[test]
fn every_layer_uses_only_what_the_matrix_allows() {
    let files = sources("");
    assert!(files.len() > 50, "the sources were not found");
    let forbidden = forbidden_uses(&files);
    assert!(
        forbidden.is_empty(),
        "uses the layer matrix of docs/ARCHITECTURE.md forbids:\n{}",
        forbidden.join("\n")
    );
}

#[test]
fn the_matrix_check_catches_a_forbidden_use() {
    let cli = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/cli/mod.rs");
    let ui = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/ui/reader.rs");
    let files = [
        (
            cli.display().to_string(),
            "use crate::store::Store; // a comment: crate::index\nuse crate::{model::Edit, service::{Archive, Error}};".to_owned(),
        ),
        (
            ui.display().to_string(),
            "use crate::app::state::ReaderState;\nlet x = crate::app::jobs::Job::new();".to_owned(),
        ),
    ];
    let forbidden = forbidden_uses(&files);
    assert_eq!(
        forbidden,
        [
            format!("{}: crate::store", cli.display()),
            format!("{}: crate::app::jobs", ui.display()),
        ],
    );
}

/// The sibling files a file of a layer uses: `super::name` and `crate::layer::name` paths,
/// for `name` another file of the same folder (not `mod.rs`, which declares them). A file's
/// test module (from its `#[cfg(test)]` on, by convention at the end) is left out: a test
/// may use what the code it tests must not.
fn sibling_uses(layer: &str, file: &str, text: &str, siblings: &[String]) -> Vec<String> {
    let mut used = Vec::new();
    let code_part = text.split("#[cfg(test)]").next().unwrap_or_default();
    for line in code_part.lines() {
        let code = line.split("//").next().unwrap_or_default();
        for prefix in ["super::".to_owned(), format!("crate::{layer}::")] {
            for (at, _) in code.match_indices(&prefix) {
                let rest = &code[at + prefix.len()..];
                let entries = match rest.strip_prefix('{') {
                    Some(group) => top_level_entries(&group[..matching_brace(group)]),
                    None => vec![rest],
                };
                for entry in entries {
                    let name = two_segments(entry);
                    let name = name.split("::").next().unwrap_or_default();
                    if name != file && siblings.iter().any(|s| s == name) {
                        used.push(name.to_owned());
                    }
                }
            }
        }
    }
    used.sort();
    used.dedup();
    used
}

#[test]
fn no_two_files_of_a_layer_use_each_other_even_through_others() {
    let mut circles = Vec::new();
    for (layer, _) in ALLOWED {
        let files = sources(layer);
        let name = |path: &str| {
            Path::new(path)
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or_default()
                .to_owned()
        };
        let direct: Vec<(String, String)> = files
            .iter()
            .filter(|(path, _)| {
                Path::new(path).parent()
                    == Some(
                        &Path::new(env!("CARGO_MANIFEST_DIR"))
                            .join("src")
                            .join(layer),
                    )
            })
            .map(|(path, text)| (name(path), text.clone()))
            .filter(|(name, _)| name != "mod" && name != "tests")
            .collect();
        let siblings: Vec<String> = direct.iter().map(|(n, _)| n.clone()).collect();
        let edges: Vec<(String, Vec<String>)> = direct
            .iter()
            .map(|(n, text)| (n.clone(), sibling_uses(layer, n, text, &siblings)))
            .collect();
        // Depth-first search for a cycle; report the first one found.
        fn visit(
            node: &str,
            edges: &[(String, Vec<String>)],
            path: &mut Vec<String>,
            done: &mut Vec<String>,
        ) -> Option<Vec<String>> {
            if let Some(at) = path.iter().position(|p| p == node) {
                let mut cycle = path[at..].to_vec();
                cycle.push(node.to_owned());
                return Some(cycle);
            }
            if done.iter().any(|d| d == node) {
                return None;
            }
            path.push(node.to_owned());
            let next = edges
                .iter()
                .find(|(n, _)| n == node)
                .map(|(_, e)| e.clone());
            for target in next.unwrap_or_default() {
                if let Some(cycle) = visit(&target, edges, path, done) {
                    return Some(cycle);
                }
            }
            path.pop();
            done.push(node.to_owned());
            None
        }
        let mut done = Vec::new();
        for (node, _) in &edges {
            if let Some(cycle) = visit(node, &edges, &mut Vec::new(), &mut done) {
                circles.push(format!("src/{layer}/: {}", cycle.join(" -> ")));
                break; // one circle per layer is enough to go on
            }
        }
    }
    assert!(
        circles.is_empty(),
        "files of a layer use each other in a circle:\n{}",
        circles.join("\n")
    );
}

//! The layer rules of docs/ARCHITECTURE.md, checked on the source: views and the model
//! must not reach storage, the index, threads or the file system.

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

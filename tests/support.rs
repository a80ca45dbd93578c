//! Helpers: run the real binary on a temporary archive; check offsets with Python.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A temporary archive driven through the `annalist` binary.
pub struct Cli {
    pub dir: tempfile::TempDir,
}

impl Cli {
    pub fn new() -> Self {
        Self {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    pub fn archive(&self) -> PathBuf {
        self.dir.path().join("archive")
    }

    pub fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_annalist"))
            .arg("--archive")
            .arg(self.archive())
            .args(args)
            .env_remove("ANNALIST_ARCHIVE")
            .env("ANNALIST_ANNOTATOR", "tester")
            .output()
            .unwrap()
    }

    /// Writes `files` (name, text) to a folder of their own and imports it.
    pub fn import_texts<'a>(&self, files: impl IntoIterator<Item = (String, &'a str)>) {
        let dir = self.dir.path().join("in");
        std::fs::create_dir_all(&dir).unwrap();
        for (name, text) in files {
            std::fs::write(dir.join(name), text).unwrap();
        }
        self.ok(&["import", dir.to_str().unwrap()]);
    }

    /// Runs and requires exit code 0; returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "annalist {args:?} failed with {:?}\nstdout: {}\nstderr: {}",
            out.status.code(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }
}

/// Imports `n` short articles, "Report 0" to "Report N-1", each naming "Tiny" at code points
/// 10..14 and saying "the" at 20..23, from one JSONL file.
pub fn import_reports_naming_tiny(cli: &Cli, n: usize) {
    let path = cli.dir.path().join("reports.jsonl");
    let lines: String = (0..n)
        .map(|i| {
            format!(
                "{}\n",
                serde_json::json!({
                    "title": format!("Report {i}"),
                    "text": format!("Report {i}\n\nTiny said the convoy {i} left at dawn."),
                })
            )
        })
        .collect();
    std::fs::write(&path, lines).unwrap();
    cli.ok(&["import", path.to_str().unwrap()]);
}

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

pub fn corpora() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora");
    assert!(
        dir.is_dir(),
        "the shared corpora are expected at {} (they sit beside the clone in CI)",
        dir.display()
    );
    dir
}

pub fn json_lines(text: &str) -> Vec<serde_json::Value> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// Reads a native JSONL export with Python and checks `text[start:end] == span text` for
/// every annotation. Returns how many spans Python checked.
pub fn python_checks_spans(export: &Path) -> usize {
    let script = r#"
import json, sys
checked = 0
with open(sys.argv[1], encoding="utf-8") as f:
    for number, line in enumerate(f, 1):
        record = json.loads(line)
        text = record["text"]
        for a in record["annotations"]:
            got = text[a["start"]:a["end"]]
            if got != a["text"]:
                sys.exit(f"line {number}: text[{a['start']}:{a['end']}] is {got!r}, span says {a['text']!r}")
            checked += 1
print(checked)
"#;
    let out = Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(export)
        .output()
        .expect("python3 is needed to check exported offsets");
    assert!(
        out.status.success(),
        "python rejected the export: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().parse().unwrap()
}

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
            .env_remove("ANNALIST_CODER")
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

/// Code point offset of the first `needle` in `text` (as Python's `str.find`).
pub fn char_find(text: &str, needle: &str) -> usize {
    let byte = text.find(needle).unwrap();
    text[..byte].chars().count()
}

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

pub fn corpora() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora");
    assert!(
        dir.is_dir(),
        "the shared corpora are expected at {}: put the `shared` folder (corpora and guides) \
         beside the clone, as CI has it, or run `cargo test` without `--features corpora`",
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

/// How to run the tests that need root (marked `#[ignore = "needs root ..."]`), as `.ci/run`
/// does: in a private mount namespace, so that nothing is mounted on the host.
pub const PRIVILEGED_RUN: &str = "run as root in a private mount namespace, as .ci/run does: \
     ANNALIST_HOST_MNT_NS=$(readlink /proc/self/ns/mnt) unshare -m --propagation private \
     cargo test --test tests -- --ignored --skip real_window";

/// Whether this process runs in a mount namespace other than the one the caller named as
/// the host's (`ANNALIST_HOST_MNT_NS`, which `.ci/run` sets before `unshare -m`): there a
/// mount is seen by nobody else and goes when the process ends. (`/proc/1/ns` cannot be
/// read in every container, so the host's namespace is named rather than looked up.)
fn in_private_mount_namespace() -> bool {
    let ours = std::fs::read_link("/proc/self/ns/mnt");
    let host = std::env::var_os("ANNALIST_HOST_MNT_NS");
    matches!((ours, host), (Ok(ours), Some(host)) if ours.as_os_str() != host)
}

/// A tmpfs mounted for the life of a test; unmounted when dropped.
pub struct Mount(PathBuf);

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg(&self.0).output();
    }
}

/// Mounts a tmpfs of `size` (`"3m"`) at `dir` (created). Refuses (fails the test) outside a
/// private mount namespace, so it never mounts on the host, and when the mount fails.
pub fn small_disk(dir: &Path, size: &str) -> Mount {
    assert!(
        in_private_mount_namespace(),
        "this test mounts a small file system and will not do it on the host: {PRIVILEGED_RUN}"
    );
    std::fs::create_dir_all(dir).unwrap();
    let out = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
        .arg(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "cannot mount a tmpfs at {}: {}; {PRIVILEGED_RUN}",
        dir.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    Mount(dir.to_owned())
}

/// Files made immutable (`chattr +i`, which binds root too) for the life of a test.
pub struct Immutable(Vec<PathBuf>);

impl Immutable {
    /// Makes `paths` immutable; fails the test where `chattr +i` is refused (not root, or a
    /// file system without the flag).
    pub fn set(paths: Vec<PathBuf>) -> Self {
        let out = std::process::Command::new("chattr")
            .arg("+i")
            .args(&paths)
            .output()
            .unwrap();
        let guard = Self(paths);
        assert!(
            out.status.success(),
            "chattr +i refused: {}; {PRIVILEGED_RUN}",
            String::from_utf8_lossy(&out.stderr)
        );
        guard
    }
}

impl Drop for Immutable {
    fn drop(&mut self) {
        let _ = std::process::Command::new("chattr")
            .arg("-i")
            .args(&self.0)
            .output();
    }
}

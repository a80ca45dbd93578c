//! The exports read by the tools researchers read them with (`scripts/check-readers.py` in
//! the venv `.ci/run` makes): pandas, Hugging Face `datasets`, spaCy's `convert` and
//! `DocBin`, seqeval, Label Studio's converter, pybrat and pyarrow, on a corpus with Urdu,
//! Persian, Arabic, emoji and the strikes article; each reader's rows, spans and mismatches
//! are printed, and every mismatch count must be 0.

use std::path::{Path, PathBuf};

use annalist::export::ExportFormat;

use crate::support::{Cli, char_find, fixtures, json_lines};

/// The fixture articles with every suggestion accepted, events accepted, and spans added by
/// hand in Urdu, Arabic and on an emoji sequence.
fn corpus() -> Cli {
    let cli = Cli::new();
    cli.ok(&[
        "import",
        fixtures().join("news").to_str().unwrap(),
        "--published",
        "2024-01-19",
        "--source",
        "Test Wire",
    ]);
    cli.ok(&["suggest", "--all"]);
    cli.ok(&["suggestions", "accept", "--all"]);
    cli.ok(&["events", "suggest"]);
    cli.ok(&["events", "accept", "--all"]);
    for row in json_lines(&cli.ok(&["list", "--json"])) {
        let id = row["id"].to_string();
        let record: serde_json::Value =
            serde_json::from_str(&cli.ok(&["show", &id, "--json"])).unwrap();
        let text = record["text"].as_str().unwrap();
        for (needle, label) in [("بلوچستان", "LOC"), ("القرية", "LOC"), ("👨‍👩‍👧", "PER")]
        {
            if !text.contains(needle) {
                continue;
            }
            let start = char_find(text, needle);
            let end = start + needle.chars().count();
            cli.ok(&[
                "annotate",
                "add",
                &id,
                "--label",
                label,
                "--start",
                &start.to_string(),
                "--end",
                &end.to_string(),
            ]);
        }
    }
    cli
}

/// Where the readers check expects the export of `format`: `<name>.<extension>`, or the
/// folder `<name>`.
fn destination(dir: &Path, format: ExportFormat) -> PathBuf {
    match format.default_extension() {
        "" => dir.join(format.as_str()),
        extension => dir.join(format!("{}.{extension}", format.as_str())),
    }
}

/// Every export format of the corpus into one folder.
fn export_everything(cli: &Cli) -> PathBuf {
    let dir = cli.dir.path().join("exports");
    std::fs::create_dir(&dir).unwrap();
    for format in ExportFormat::ALL {
        let out = destination(&dir, format);
        cli.ok(&[
            "export",
            "--format",
            format.as_str(),
            "--csv-raw",
            "--out",
            out.to_str().unwrap(),
        ]);
    }
    dir
}

/// "What it must show" 1: each reader gives back the native export's rows and spans.
#[test]
#[ignore = "needs the Python venv that .ci/run makes (ANNALIST_AGREE_VENV)"]
fn every_export_reads_in_the_tools_researchers_use() {
    let venv = std::env::var_os("ANNALIST_AGREE_VENV")
        .expect("ANNALIST_AGREE_VENV must name the venv .ci/run makes");
    let cli = corpus();
    let dir = export_everything(&cli);
    let run = std::process::Command::new(Path::new(&venv).join("bin/python"))
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/check-readers.py"))
        .arg(&dir)
        .env("HF_DATASETS_OFFLINE", "1")
        .env("HF_HUB_OFFLINE", "1")
        .env("HF_HOME", cli.dir.path().join("hf"))
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&run.stdout);
    println!("{said}");
    assert!(
        run.status.success(),
        "{said}\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let readers: Vec<&str> = said.lines().filter(|l| l.starts_with("reader ")).collect();
    for format in ExportFormat::ALL {
        assert!(
            readers
                .iter()
                .any(|l| l.starts_with(&format!("reader {}/", format.as_str()))),
            "no reader ran on {format}:\n{said}"
        );
    }
    assert!(
        readers
            .iter()
            .all(|l| l.ends_with("mismatches 0") && !l.contains("spans 0,")),
        "{said}"
    );
}

//! `annalist agree` end to end: three coders' layers imported from native JSONL, the
//! report as JSON and CSV (read by Python's `csv`), the coder and label filters, refusals;
//! and the cross-check against the Python packages researchers use
//! (`scripts/agreement-crosscheck.py`, run when `ANNALIST_AGREE_VENV` names its venv).

use std::path::Path;
use std::process::Command;

use serde_json::{Value, json};

use crate::support::Cli;

const IRAN: &str = "Iran said Thursday's strikes killed nine people in Saravan.";
const PAKISTAN: &str = "Pakistan said an attack on Tuesday killed two children.";

/// Code point range of `needle` in `text`.
fn range(text: &str, needle: &str) -> (usize, usize) {
    let byte = text.find(needle).unwrap();
    let start = text[..byte].chars().count();
    (start, start + needle.chars().count())
}

fn span(coder: &str, label: &str, text: &str, needle: &str, attrs: Value) -> Value {
    let (start, end) = range(text, needle);
    json!({"label": label, "start": start, "end": end, "annotator": coder, "coder": coder,
           "status": "accepted", "attrs": attrs})
}

/// Article 1 coded by ana, ben and cy; article 2 by ana and ben; article 3 by ana only.
pub(crate) fn three_coders() -> Cli {
    let cli = Cli::new();
    let count = |n: u32| json!({"count": n, "outcome": "killed"});
    let records = [
        json!({"id": 1, "title": "Strikes", "text": IRAN, "annotations": [
            span("ana", "LOC", IRAN, "Iran", json!({})),
            span("ana", "LOC", IRAN, "Saravan", json!({})),
            span("ana", "CASUALTY", IRAN, "killed nine people", count(9)),
            span("ben", "LOC", IRAN, "Iran", json!({})),
            span("ben", "LOC", IRAN, "Saravan", json!({})),
            span("ben", "CASUALTY", IRAN, "nine people", count(9)),
            span("cy", "LOC", IRAN, "Iran", json!({})),
            span("cy", "CASUALTY", IRAN, "killed nine people", count(8)),
            // A suggestion is in nobody's layer.
            json!({"label": "DATE", "start": 10, "end": 18, "annotator": "cy", "coder": "cy",
                   "status": "suggested", "attrs": {}}),
        ]}),
        json!({"id": 2, "title": "Attack", "text": PAKISTAN, "annotations": [
            span("ana", "LOC", PAKISTAN, "Pakistan", json!({})),
            span("ana", "CASUALTY", PAKISTAN, "killed two children", count(2)),
            span("ben", "LOC", PAKISTAN, "Pakistan", json!({})),
            span("ben", "CASUALTY", PAKISTAN, "two children", count(2)),
        ]}),
        json!({"id": 3, "title": "Alone", "text": "Saravan is a city.", "annotations": [
            span("ana", "LOC", "Saravan is a city.", "Saravan", json!({})),
        ]}),
    ];
    let lines: Vec<String> = records.iter().map(Value::to_string).collect();
    let path = cli.dir.path().join("coded.jsonl");
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    cli.ok(&["import", path.to_str().unwrap(), "--format", "jsonl"]);
    cli
}

fn pair<'a>(report: &'a Value, a: &str, b: &str) -> &'a Value {
    report["pairs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["coder_a"] == a && p["coder_b"] == b)
        .unwrap_or_else(|| panic!("no pair {a} ~ {b} in {report}"))
}

fn of_label<'a>(list: &'a Value, label: &str) -> &'a Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|l| l["label"] == label)
        .unwrap_or_else(|| panic!("no label {label} in {list}"))
}

#[test]
fn the_report_counts_articles_coders_and_partial_positions() {
    let cli = three_coders();
    let report: Value = serde_json::from_str(&cli.ok(&["agree", "--json"])).unwrap();
    assert_eq!(report["coders"], json!(["ana", "ben", "cy"]));
    assert_eq!(report["labels"], json!(["CASUALTY", "LOC"]));
    assert_eq!(report["articles"], 2);
    assert_eq!(report["complete_articles"], 1);
    assert_eq!(report["single_coder_articles"], 1);
    // Article 2 was coded by ana and ben only: counted, and left out of Fleiss and α_u.
    assert_eq!(report["partial"]["articles"], 1);
    assert_eq!(report["partial"]["code_points"], PAKISTAN.chars().count());
    assert!(report["partial"]["tokens"].as_u64().unwrap() >= 9);

    let ana_ben = pair(&report, "ana", "ben");
    assert_eq!(ana_ben["articles"], 2);
    let loc = of_label(&ana_ben["labels"], "LOC");
    assert_eq!(
        loc["exact"],
        json!({"f1": 1.0, "matched": 3, "spans_a": 3, "spans_b": 3})
    );
    assert_eq!(loc["token_kappa"], 1.0);
    let casualty = of_label(&ana_ben["labels"], "CASUALTY");
    assert_eq!(casualty["exact"]["f1"], 0.0);
    assert_eq!(
        casualty["overlap"],
        json!({"f1": 1.0, "matched": 2, "spans_a": 2, "spans_b": 2})
    );

    let ana_cy = pair(&report, "ana", "cy");
    assert_eq!(ana_cy["articles"], 1);
    let loc = of_label(&ana_cy["labels"], "LOC");
    assert_eq!(loc["exact"]["matched"], 1);
    assert!((loc["exact"]["f1"].as_f64().unwrap() - 2.0 / 3.0).abs() < 1e-12);

    let all_loc = of_label(&report["labels_all_coders"], "LOC");
    assert_eq!(all_loc["coders"], 3);
    assert_eq!(all_loc["articles"], 1);
    assert_eq!(all_loc["code_points"], IRAN.chars().count());

    // Counts 9, 9, 8 on article 1's claim and 2, 2 on article 2's: by hand, n = 5,
    // D_o·(n-1) = 8 and the expected sum 540, so α (interval) = 1 - 8/540.
    let count = report["values"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["attribute"] == "count" && v["metric"] == "interval")
        .unwrap();
    assert!(
        (count["alpha"].as_f64().unwrap() - (1.0 - 8.0 / 540.0)).abs() < 1e-9,
        "{count}"
    );
    assert_eq!(
        (count["units"].clone(), count["values"].clone()),
        (json!(2), json!(5))
    );
    assert_eq!(
        (count["coders"].clone(), count["articles"].clone()),
        (json!(3), json!(2))
    );

    let disagreements = report["disagreements"].as_array().unwrap();
    assert_eq!(disagreements.len(), 1, "{disagreements:?}");
    assert_eq!(disagreements[0]["article_id"], 1);
    assert_eq!(disagreements[0]["attribute"], "count");
    let values: Vec<&Value> = disagreements[0]["spans"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| &s["value"])
        .collect();
    assert_eq!(values, [&json!("9"), &json!("9"), &json!("8")]);
}

#[test]
fn coders_and_label_narrow_the_report() {
    let cli = three_coders();
    let report: Value = serde_json::from_str(
        &cli.ok(&["agree", "--coders", "ana,ben", "--label", "LOC", "--json"]),
    )
    .unwrap();
    assert_eq!(report["coders"], json!(["ana", "ben"]));
    assert_eq!(report["labels"], json!(["LOC"]));
    assert_eq!(report["pairs"].as_array().unwrap().len(), 1);
    // Both coded articles 1 and 2, so nothing is partial now.
    assert_eq!(report["complete_articles"], 2);
    assert_eq!(report["partial"]["articles"], 0);
    let loc = of_label(&report["labels_all_coders"], "LOC");
    assert_eq!(loc["fleiss_kappa"], 1.0);
    assert_eq!(loc["unitizing_alpha"], 1.0);

    let only_pakistan: Value =
        serde_json::from_str(&cli.ok(&["agree", "--query", "Pakistan", "--json"])).unwrap();
    assert_eq!(only_pakistan["articles"], 1);
    assert_eq!(only_pakistan["coders"], json!(["ana", "ben"]));
}

#[test]
fn the_csv_reads_in_python_with_one_row_per_figure() {
    let cli = three_coders();
    let csv = cli.ok(&["agree", "--csv"]);
    let path = cli.dir.path().join("agree.csv");
    std::fs::write(&path, &csv).unwrap();
    let script = r#"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")))
exact = [r for r in rows if r["measure"] == "f1_exact" and r["label"] == "LOC"
         and r["coder_a"] == "ana" and r["coder_b"] == "ben"]
assert len(exact) == 1 and float(exact[0]["value"]) == 1.0, exact
assert exact[0]["articles"] == "2" and exact[0]["units"] == "6" and exact[0]["coders"] == "2"
measures = sorted({r["measure"] for r in rows})
print(len(rows), ",".join(measures))
"#;
    let out = Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // 3 pairs × 2 labels × 3 measures, 2 labels × 2 measures, 10 value figures.
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "32 alpha_values,cohen_kappa_tokens,f1_exact,f1_overlap,fleiss_kappa_tokens,unitizing_alpha"
    );
}

#[test]
fn agreement_without_two_coders_is_refused_with_the_reason() {
    let cli = three_coders();
    let out = cli.run(&["agree", "--coders", "ana,zed"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("coder 'zed' has no accepted annotation"),
        "{stderr}"
    );
    assert!(stderr.contains("ana, ben, cy"), "{stderr}");
    let out = cli.run(&["agree", "--query", "Saravan AND city"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("agreement needs two coders"), "{stderr}");
}

/// The Python cross-check (`scripts/agreement-crosscheck.py`): the same double-coded data
/// through `annalist agree --json` and through `krippendorff`, `nltk`, `statsmodels` and
/// `bratiaa`, equal to 3 decimals. `.ci/run` makes the venv and sets `ANNALIST_AGREE_VENV`.
#[test]
#[ignore = "needs the Python venv that .ci/run makes (ANNALIST_AGREE_VENV)"]
fn agreement_equals_the_python_packages() {
    let venv = std::env::var_os("ANNALIST_AGREE_VENV")
        .expect("ANNALIST_AGREE_VENV must name the venv .ci/run makes");
    let python = Path::new(&venv).join("bin").join("python");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/agreement-crosscheck.py");
    let work = tempfile::tempdir().unwrap();
    let out = Command::new(python)
        .arg(script)
        .arg(env!("CARGO_BIN_EXE_annalist"))
        .arg(work.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "the cross-check failed:\nstdout: {}\nstderr: {}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("all equal to 3 decimals"));
}

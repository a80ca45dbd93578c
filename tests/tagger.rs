//! The entity tagger end to end: `annalist eval ner` on CoNLL files (a bad line named by
//! file and line; the same figures as Python's seqeval), `annalist model`.

use std::path::Path;
use std::process::Command;

use crate::support::Cli;

/// A small CoNLL file in IOB1 with a `-DOCSTART-` line, scored by the bundled model.
#[test]
fn eval_ner_scores_a_conll_file_and_names_a_bad_line() {
    let cli = Cli::new();
    let dir = cli.dir.path();
    let good = dir.join("good.conll");
    std::fs::write(
        &good,
        "-DOCSTART- O\n\nIran I-LOC\nsaid O\nHamas I-ORG\nattacked O\n.\tO\n\nJohn I-PER\nSmith I-PER\n",
    )
    .unwrap();
    let out = cli.ok(&["eval", "ner", good.to_str().unwrap(), "--json"]);
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["sentences"], 2);
    assert_eq!(report["tokens"], 7);
    assert_eq!(report["micro"]["gold"], 3, "{report}");
    let bad = dir.join("bad.conll");
    std::fs::write(&bad, "Iran B-LOC\nsaid\n").unwrap();
    let out = cli.run(&["eval", "ner", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("{}:2: one column", bad.display())),
        "{stderr}"
    );
}

/// `model info` tells what the bundled model was trained on.
#[test]
fn model_info_names_the_bundled_training_data() {
    let cli = Cli::new();
    let info: serde_json::Value = serde_json::from_str(&cli.ok(&["model", "info"])).unwrap();
    assert_eq!(info["labels"], serde_json::json!(["LOC", "ORG", "PER"]));
    assert!(
        info["trained_on"]["source"]
            .as_str()
            .unwrap()
            .contains("WNUT-17")
    );
    assert!(info["trained_on"]["sentences"].as_u64().unwrap() > 4000);
}

/// WNUT-17 train → test through `annalist eval ner --predictions`, scored again by seqeval
/// (`scripts/ner-crosscheck.py`): the same micro precision, recall, F1 and per-label F1 to
/// 3 decimals. `.ci/run` makes the venv and sets `ANNALIST_AGREE_VENV`.
#[test]
#[ignore = "needs the Python venv that .ci/run makes (ANNALIST_AGREE_VENV) and the corpora"]
fn eval_ner_equals_seqeval() {
    let venv = std::env::var_os("ANNALIST_AGREE_VENV")
        .expect("ANNALIST_AGREE_VENV must name the venv .ci/run makes");
    let corpus = crate::support::corpora().join("wnut17");
    let cli = Cli::new();
    let predictions = cli.dir.path().join("predictions.conll");
    let out = cli.ok(&[
        "eval",
        "ner",
        corpus.join("emerging.test.annotated").to_str().unwrap(),
        "--train",
        corpus.join("wnut17train.conll").to_str().unwrap(),
        "--predictions",
        predictions.to_str().unwrap(),
        "--json",
    ]);
    let ours: serde_json::Value = serde_json::from_str(&out).unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/ner-crosscheck.py");
    let out = Command::new(Path::new(&venv).join("bin").join("python"))
        .arg(script)
        .arg(&predictions)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let theirs: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let close = |a: &serde_json::Value, b: &serde_json::Value| {
        (a.as_f64().unwrap() - b.as_f64().unwrap()).abs() < 5e-4
    };
    for key in ["precision", "recall", "f1"] {
        assert!(
            close(&ours["micro"][key], &theirs[key]),
            "{key}: {ours} vs {theirs}"
        );
    }
    let labels = theirs["labels"].as_object().unwrap();
    assert_eq!(labels.len(), 6, "{theirs}");
    for (label, f1) in labels {
        assert!(
            close(&ours["labels"][label]["f1"], f1),
            "{label}: {ours} vs {theirs}"
        );
    }
    assert!(ours["micro"]["gold"].as_u64().unwrap() > 1000);
}

/// Names no gazetteer knows, each a made-up armed group.
fn group_name(i: usize) -> String {
    const FIRST: [&str; 8] = ["Vel", "Dra", "Kor", "Mun", "Tas", "Bel", "Zor", "Fen"];
    const SECOND: [&str; 5] = ["kor", "mani", "vesh", "drul", "tak"];
    format!("{}{}", FIRST[i % 8], SECOND[(i / 8) % 5])
}

/// Imports 40 reports, each naming a made-up armed group (ids 1–40), then two naming
/// "Drunvik", a group no report names (41, 42). Returns each report's group name and its
/// code points.
pub(crate) fn import_group_reports(cli: &Cli) -> Vec<(usize, usize, String)> {
    let path = cli.dir.path().join("reports.jsonl");
    let sentence = |name: &str| {
        format!(
            "On Monday {name} fighters attacked the village, officials said. The army said {name} had lost ten men."
        )
    };
    let mut lines = String::new();
    let mut spans = Vec::new();
    for i in 0..40 {
        let name = group_name(i);
        let text = format!("Report {i}\n\n{}", sentence(&name));
        lines += &format!(
            "{}\n",
            serde_json::json!({"title": format!("Report {i}"), "text": text})
        );
        let start = format!("Report {i}\n\nOn Monday ").chars().count();
        spans.push((start, start + name.chars().count(), name));
    }
    for copy in ["A", "B"] {
        let text = format!("Unseen {copy}\n\n{}", sentence("Drunvik"));
        lines += &format!("{}\n", serde_json::json!({"title": "Unseen", "text": text}));
    }
    std::fs::write(&path, lines).unwrap();
    cli.ok(&["import", path.to_str().unwrap()]);
    spans
}

/// Accepts `name` at `start..end` of article `id` as ORG, through the CLI.
pub(crate) fn accept_org(cli: &Cli, id: usize, start: usize, end: usize, name: &str) {
    cli.ok(&[
        "annotate",
        "add",
        &id.to_string(),
        "--label",
        "ORG",
        "--start",
        &start.to_string(),
        "--end",
        &end.to_string(),
        "--expect",
        name,
    ]);
}

pub(crate) fn org_suggestions(cli: &Cli, id: &str) -> Vec<serde_json::Value> {
    crate::support::json_lines(&cli.ok(&["annotate", "list", id, "--json"]))
        .into_iter()
        .filter(|a| a["status"] == "suggested" && a["label"] == "ORG")
        .collect()
}

/// Accept ORG spans of made-up armed groups in 40 articles, train: a group named in no
/// accepted span is then suggested as ORG, with the tagger's confidence, where the bundled
/// model did not suggest it; `model info` tells; `model reset` goes back.
#[test]
fn training_on_accepted_spans_teaches_a_new_org() {
    let cli = Cli::new();
    for (i, (start, end, name)) in import_group_reports(&cli).into_iter().enumerate() {
        accept_org(&cli, i + 1, start, end, &name);
    }
    cli.ok(&["suggest", "41"]);
    let before = org_suggestions(&cli, "41");
    assert!(
        !before.iter().any(|a| a["text"] == "Drunvik"),
        "the bundled model already suggests it: {before:?}"
    );
    let trained: serde_json::Value =
        serde_json::from_str(&cli.ok(&["model", "train", "--json"])).unwrap();
    assert_eq!(trained["articles"], 40, "{trained}");
    assert_eq!(trained["spans"], 40, "{trained}");
    assert!(trained["held_out_f1"].as_f64().unwrap() > 0.5, "{trained}");
    cli.ok(&["suggest", "42"]);
    let after = org_suggestions(&cli, "42");
    let drunvik = after
        .iter()
        .find(|a| a["text"] == "Drunvik")
        .unwrap_or_else(|| panic!("no ORG Drunvik after training: {after:?}"));
    let confidence = drunvik["attrs"]["confidence"].as_f64().unwrap();
    assert!((0.6..=1.0).contains(&confidence), "{drunvik}");
    let info: serde_json::Value = serde_json::from_str(&cli.ok(&["model", "info"])).unwrap();
    assert_eq!(info["model"], "archive", "{info}");
    assert_eq!(info["training"]["articles"], 40, "{info}");
    assert!(info["training"]["trained_at"].is_string(), "{info}");
    cli.ok(&["model", "reset"]);
    let info: serde_json::Value = serde_json::from_str(&cli.ok(&["model", "info"])).unwrap();
    assert_eq!(info["model"], "base", "{info}");
}

/// Learning from the coder in the app: the 25th PER/ORG/LOC span accepted retrains the
/// tagger in the background by itself (the 24th does not), and the open article is then
/// suggested for again with the new model.
#[test]
fn the_app_retrains_the_tagger_after_25_accepts_and_suggests_again() {
    use annalist::app::command::Command;
    use annalist::app::state::JobKind;
    use annalist::model::ArticleId;

    let cli = Cli::new();
    let spans = import_group_reports(&cli);
    let mut harness = crate::gui_support::harness_at(&cli.archive(), egui::vec2(1400.0, 900.0));
    let retrainings = |h: &egui_kittest::Harness<'static, annalist::app::AnnalistApp>| {
        h.state()
            .state
            .jobs
            .iter()
            .filter(|j| j.kind == JobKind::RetrainTagger)
            .count()
    };
    for (i, (start, end, _)) in spans.iter().take(25).enumerate() {
        let id = i64::try_from(i + 1).unwrap();
        harness
            .state_mut()
            .push(Command::OpenArticle(ArticleId(id)));
        harness.state_mut().push(Command::Annotate {
            label: "ORG".to_owned(),
            start: *start,
            end: *end,
        });
        crate::gui_support::settle(&mut harness);
        let expected = usize::from(i == 24);
        assert_eq!(retrainings(&harness), expected, "after {} accepts", i + 1);
    }
    let jobs = &harness.state().state.jobs;
    let retrain = jobs
        .iter()
        .position(|j| j.kind == JobKind::RetrainTagger)
        .unwrap();
    assert!(
        matches!(&jobs[retrain].outcome, Some(Ok(m)) if m.contains("25 accepted spans")),
        "{:?}",
        jobs[retrain].outcome
    );
    assert!(
        jobs[retrain..].iter().any(|j| j.kind == JobKind::Suggest),
        "no suggestions after the retraining: {:?}",
        jobs.iter().map(|j| j.kind).collect::<Vec<_>>()
    );
    let info: serde_json::Value = serde_json::from_str(&cli.ok(&["model", "info"])).unwrap();
    assert_eq!(info["model"], "archive", "{info}");
    assert_eq!(info["training"]["spans"], 25, "{info}");
    // The model it learned suggests the group no accepted span names.
    harness
        .state_mut()
        .push(Command::OpenArticle(ArticleId(42)));
    harness.state_mut().push(Command::Suggest { all: false });
    crate::gui_support::settle(&mut harness);
    let suggested = org_suggestions(&cli, "42");
    assert!(
        suggested
            .iter()
            .any(|a| a["text"] == "Drunvik" && a["attrs"]["confidence"].is_number()),
        "{suggested:?}"
    );
}

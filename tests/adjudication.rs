//! Adjudication through the real CLI: the units of a double-coded article, the actions on
//! them, the provenance kept and exported, and what happens when the coders or the text
//! change afterwards.

use crate::support::{Cli, json_lines};

const TEXT: &str = "Iran said nine people were killed in Saravan on Thursday.\n";

/// One article, and ana's and ben's layers on it: a label they disagree on (ids 1, 2), a
/// claim they agree on (3, 4), a place only ana marked (5), a date only ben marked (6).
fn coded() -> Cli {
    let cli = Cli::new();
    cli.import_texts([("strikes.txt".to_owned(), TEXT)]);
    for (coder, label, start, end, attrs) in [
        ("ana", "LOC", 0, 4, None),
        ("ben", "ORG", 0, 4, None),
        ("ana", "CASUALTY", 10, 21, Some("count=9")),
        ("ben", "CASUALTY", 10, 21, Some("count=9")),
        ("ana", "LOC", 37, 44, None),
        ("ben", "DATE", 48, 56, None),
    ] {
        add(&cli, coder, label, start, end, attrs);
    }
    cli
}

fn add(cli: &Cli, coder: &str, label: &str, start: usize, end: usize, attr: Option<&str>) {
    let (start, end) = (start.to_string(), end.to_string());
    let mut args = vec![
        "--coder", coder, "annotate", "add", "1", "--label", label, "--start", &start, "--end",
        &end,
    ];
    if let Some(attr) = attr {
        args.extend(["--attr", attr]);
    }
    cli.ok(&args);
}

fn units(cli: &Cli, extra: &[&str]) -> Vec<serde_json::Value> {
    let mut args = vec!["adjudicate", "1", "--json"];
    args.extend(extra);
    json_lines(&cli.ok(&args))
}

fn cara(cli: &Cli, args: &[&str]) -> String {
    let mut all = vec!["--coder", "cara", "adjudicate", "1"];
    all.extend(args);
    cli.ok(&all)
}

/// An exported adjudicated annotation: label, start, text, and the coders' ids it came from.
type Taken<'a> = (&'a str, u64, &'a str, Vec<(String, i64)>);

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn adjudicated_export(cli: &Cli) -> Vec<serde_json::Value> {
    let out = cli.ok(&["export", "--layer", "adjudicated", "--format", "jsonl"]);
    let records = json_lines(&out);
    assert_eq!(records.len(), 1);
    records[0]["annotations"].as_array().unwrap().clone()
}

/// The local id (which commands take) of an annotation an export names by uid.
fn local_id(cli: &Cli, exported: &serde_json::Value) -> String {
    let shown: serde_json::Value = serde_json::from_str(&cli.ok(&["show", "1", "--json"])).unwrap();
    shown["annotations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["uid"] == exported["uid"])
        .unwrap()["id"]
        .to_string()
}

/// An adjudicated annotation's first source names the uid its coder's export has.
fn assert_each_source_names_its_coders_uid(coder_export: &str, adjudicated: &serde_json::Value) {
    let records = json_lines(coder_export);
    let uids: Vec<&serde_json::Value> = records[0]["annotations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| &a["uid"])
        .collect();
    let source = &adjudicated["adjudicated"]["from"][0]["uid"];
    assert!(uids.contains(&source), "{source} not in {uids:?}");
}

#[test]
fn units_are_agreements_and_disagreements_and_every_action_keeps_provenance() {
    let cli = coded();
    let before_ana = cli.ok(&["export", "--layer", "ana", "--format", "jsonl"]);
    let before_csv = cli.ok(&["export", "--layer", "ben", "--format", "csv"]);
    let listed = units(&cli, &[]);
    let summary: Vec<(&str, bool, &str)> = listed
        .iter()
        .map(|u| {
            (
                u["key"].as_str().unwrap(),
                u["agreement"].as_bool().unwrap(),
                u["state"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("1,2", false, "open"),
            ("3,4", true, "open"),
            ("5", false, "open"),
            ("6", false, "open"),
        ]
    );
    assert_eq!(listed[2]["coders"]["ben"].as_array().unwrap().len(), 0);

    cara(&cli, &["agreements"]);
    cara(&cli, &["take", "1", "ben"]);
    cara(&cli, &["reject", "3"]);
    let after = json_lines(&cara(&cli, &["both", "4", "--json"]));
    assert!(after.iter().all(|u| u["state"] == "resolved"), "{after:?}");
    assert_eq!(after[2]["decision"], "rejected all (by cara)");

    let exported = adjudicated_export(&cli);
    let got: Vec<Taken<'_>> = exported
        .iter()
        .map(|a| {
            let p = &a["adjudicated"];
            assert_eq!(p["by"], "cara");
            assert_eq!(p["edited"], false);
            assert_eq!(a["coder"], "@adjudicated");
            (
                a["label"].as_str().unwrap(),
                a["start"].as_u64().unwrap(),
                a["text"].as_str().unwrap(),
                p["from"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|s| {
                        (
                            s["coder"].as_str().unwrap().to_owned(),
                            s["id"].as_i64().unwrap(),
                        )
                    })
                    .collect(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("ORG", 0, "Iran", vec![("ben".to_owned(), 2)]),
            (
                "CASUALTY",
                10,
                "nine people",
                vec![("ana".to_owned(), 3), ("ben".to_owned(), 4)]
            ),
            ("DATE", 48, "Thursday", vec![("ben".to_owned(), 6)]),
        ]
    );
    assert_eq!(exported[1]["attrs"]["count"], 9);

    // Edit: a new label, then new boundaries; the provenance follows and says edited.
    assert_each_source_names_its_coders_uid(&before_ana, &exported[1]);
    let org = local_id(&cli, &exported[0]);
    cara(&cli, &["edit", &org, "--label", "LOC"]);
    let date = local_id(&cli, &exported[2]);
    cara(&cli, &["edit", &date, "--start", "45", "--end", "56"]);
    let edited = adjudicated_export(&cli);
    assert_eq!(edited[0]["label"], "LOC");
    assert_eq!(edited[0]["adjudicated"]["edited"], true);
    assert_eq!(edited[2]["text"], "on Thursday");
    assert_eq!(edited[2]["adjudicated"]["edited"], true);
    assert_eq!(edited[2]["adjudicated"]["from"][0]["id"], 6);
    assert_eq!(edited[1]["adjudicated"]["edited"], false);

    let csv = cli.ok(&["export", "--layer", "adjudicated", "--format", "csv"]);
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header = reader.headers().unwrap().clone();
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 3);
    assert_eq!(&rows[1][column("adjudicated_by")], "cara");
    assert_eq!(&rows[1][column("from_coders")], "ana,ben");
    assert_eq!(&rows[0][column("edited")], "true");

    // The coders' layers export as they did before anything was adjudicated.
    assert_eq!(
        cli.ok(&["export", "--layer", "ana", "--format", "jsonl"]),
        before_ana
    );
    assert_eq!(
        cli.ok(&["export", "--layer", "ben", "--format", "csv"]),
        before_csv
    );
}

#[test]
fn an_article_one_coder_coded_needs_the_coders_named_and_nobody_adjudicates_anonymously() {
    let cli = Cli::new();
    cli.import_texts([("one.txt".to_owned(), TEXT)]);
    add(&cli, "ana", "LOC", 0, 4, None);
    let out = cli.run(&["adjudicate", "1"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("has the accepted spans of ana and is assigned to nobody: adjudication compares two coders or more"),
        "{}",
        stderr(&out)
    );
    let listed = units(&cli, &["--coders", "ana,ben"]);
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["agreement"], false);
    let anonymous = cli.run(&["adjudicate", "1", "--coders", "ana,ben", "take", "1", "ana"]);
    assert_eq!(anonymous.status.code(), Some(2));
    assert!(stderr(&anonymous).contains("say who adjudicates"));
    let stranger = cli.run(&[
        "--coder",
        "cara",
        "adjudicate",
        "1",
        "--coders",
        "ana,ben",
        "take",
        "1",
        "dee",
    ]);
    assert!(stderr(&stranger).contains("'dee' is not one of the coders compared (ana, ben)"));
    let no_unit = cli.run(&[
        "--coder",
        "cara",
        "adjudicate",
        "1",
        "--coders",
        "ana,ben",
        "reject",
        "9",
    ]);
    assert!(stderr(&no_unit).contains("article 1 has no unit '9': it has 1 unit"));
    // A coder's layer cannot be edited as if it were adjudicated.
    let theirs = cli.run(&[
        "--coder",
        "cara",
        "adjudicate",
        "1",
        "edit",
        "1",
        "--label",
        "ORG",
    ]);
    assert!(stderr(&theirs).contains("is in ana's layer, not the adjudicated one"));
}

#[test]
fn chains_of_overlapping_spans_are_one_unit_and_taking_all_takes_each_once() {
    let cli = Cli::new();
    cli.import_texts([("chain.txt".to_owned(), TEXT)]);
    // ana [0, 9) and [10, 21), ben [5, 15): one chain; ben's [10, 21) is ana's second span.
    add(&cli, "ana", "LOC", 0, 9, None);
    add(&cli, "ana", "CASUALTY", 10, 21, None);
    add(&cli, "ben", "PER", 5, 15, None);
    add(&cli, "ben", "CASUALTY", 10, 21, None);
    let listed = units(&cli, &[]);
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["key"], "1,2,3,4");
    assert_eq!(
        (listed[0]["start"].as_u64(), listed[0]["end"].as_u64()),
        (Some(0), Some(21))
    );
    cara(&cli, &["both", "1,2,3,4"]);
    let exported = adjudicated_export(&cli);
    let labels: Vec<&str> = exported
        .iter()
        .map(|a| a["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["LOC", "PER", "CASUALTY"]);
    assert_eq!(
        exported[2]["adjudicated"]["from"].as_array().unwrap().len(),
        2
    );
}

#[test]
fn a_unit_a_coder_changes_after_adjudication_opens_again_and_resolving_it_replaces_its_result() {
    let cli = coded();
    cara(&cli, &["take", "1", "ana"]);
    cara(&cli, &["reject", "3"]);
    // ben deletes his ORG span: unit "1,2" becomes "1", open again, its result still shown.
    cli.ok(&["--coder", "ben", "annotate", "remove", "2"]);
    // ana relabels nothing but adds a span touching the rejected place: reopened too.
    add(&cli, "ana", "LOC", 40, 44, None);
    let listed = units(&cli, &[]);
    let first = &listed[0];
    assert_eq!(first["key"], "1");
    assert_eq!(first["state"], "reopened");
    assert_eq!(first["decision"], "took ana's (by cara)");
    assert_eq!(first["result"].as_array().unwrap().len(), 1);
    let place = listed.iter().find(|u| u["start"] == 37).unwrap();
    assert_eq!(place["state"], "reopened");
    cara(&cli, &["reject", "1"]);
    let again = units(&cli, &[]);
    assert_eq!(again[0]["state"], "resolved");
    assert!(again[0]["result"].as_array().unwrap().is_empty());
    assert!(
        adjudicated_export(&cli).iter().all(|a| a["start"] != 0),
        "the earlier result of the unit is replaced"
    );
}

#[test]
fn a_text_changed_under_the_spans_reopens_units_and_a_span_that_reads_otherwise_is_refused() {
    let cli = coded();
    cara(&cli, &["agreements"]);
    assert_eq!(units(&cli, &[])[1]["state"], "resolved");
    // Another tool rewrites the stored text (the archive never does).
    let changed = TEXT.replace("Iran", "Iraq");
    let conn = rusqlite::Connection::open(cli.archive().join("annalist.sqlite3")).unwrap();
    conn.execute(
        "UPDATE articles SET text = ?1, content_sha256 = ?2 WHERE id = 1",
        rusqlite::params![changed, annalist::model::content_sha256(&changed)],
    )
    .unwrap();
    drop(conn);
    let listed = units(&cli, &[]);
    assert_eq!(listed[1]["state"], "reopened");
    let out = cli.run(&["--coder", "cara", "adjudicate", "1", "take", "1", "ana"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("ana's annotation 1 cannot be taken: span [0, 4) of label LOC reads \"Iraq\" in the text, not \"Iran\""),
        "{}",
        stderr(&out)
    );
}

#[test]
fn the_apps_view_steps_through_disagreements_by_key_and_says_who_must_adjudicate() {
    use annalist::app::command::Command;
    use annalist::model::ArticleId;
    use egui_kittest::kittest::Queryable as _;
    let cli = coded();
    // The harness's app codes as nobody (no ANNALIST_CODER): it can look, not adjudicate.
    let mut harness =
        crate::gui_support::harness_at(&cli.archive(), egui::Vec2::new(1200.0, 800.0));
    harness.state_mut().push(Command::OpenArticle(ArticleId(1)));
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::J);
    harness.run();
    let view = harness.state().state.adjudication.clone().unwrap();
    assert_eq!(view.coders, ["ana", "ben"]);
    assert_eq!(view.units.len(), 4);
    assert_eq!(view.open_disagreements(), 3);
    assert_eq!(
        view.unit().unwrap().number,
        1,
        "the first open disagreement"
    );
    harness.key_press(egui::Key::N);
    harness.run();
    let unit = |h: &egui_kittest::Harness<'static, annalist::app::AnnalistApp>| {
        h.state()
            .state
            .adjudication
            .as_ref()
            .unwrap()
            .unit()
            .unwrap()
            .number
    };
    assert_eq!(unit(&harness), 3, "n skips the agreement (unit 2)");
    harness.key_press(egui::Key::CloseBracket);
    harness.run();
    assert_eq!(unit(&harness), 4);
    harness.key_press(egui::Key::P);
    harness.run();
    assert_eq!(unit(&harness), 3);
    harness.key_press(egui::Key::Num1);
    crate::gui_support::settle(&mut harness);
    let view = harness.state().state.adjudication.clone().unwrap();
    assert!(
        matches!(&view.message, Some(Err(e)) if e.contains("say who adjudicates")),
        "{:?}",
        view.message
    );
    assert!(!view.pending);
    assert!(harness.query_by_label_contains("1 · ana").is_some());
    harness.key_press(egui::Key::Escape);
    harness.run();
    assert!(
        harness.state().state.adjudication.is_none(),
        "Esc closes the view"
    );
}

#[test]
fn taking_one_coders_span_of_an_agreement_names_every_coder_who_made_it() {
    let cli = coded();
    // Unit 2 is the claim both coders made alike (ana's 3, ben's 4); take ana's alone.
    cara(&cli, &["take", "2", "ana"]);
    let exported = adjudicated_export(&cli);
    let from: Vec<&str> = exported[0]["adjudicated"]["from"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["coder"].as_str().unwrap())
        .collect();
    assert_eq!(exported[0]["text"], "nine people");
    assert_eq!(from, ["ana", "ben"]);
}

#[test]
fn an_annotation_of_another_article_is_not_edited_as_this_ones() {
    let cli = coded();
    cli.import_texts([("other.txt".to_owned(), "Talks in Doha.\n")]);
    cara(&cli, &["take", "2", "ana"]);
    let shown: serde_json::Value = serde_json::from_str(&cli.ok(&["show", "1", "--json"])).unwrap();
    let adjudicated = shown["annotations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["coder"] == "@adjudicated")
        .unwrap()["id"]
        .to_string();
    let out = cli.run(&[
        "--coder",
        "cara",
        "adjudicate",
        "2",
        "edit",
        &adjudicated,
        "--label",
        "ORG",
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("is in article 1, not in article 2"),
        "{}",
        stderr(&out)
    );
    let records = json_lines(&cli.ok(&["export", "--layer", "adjudicated", "--format", "jsonl"]));
    assert_eq!(records[0]["annotations"][0]["label"], "CASUALTY");
}

#[test]
fn a_resolved_unit_whose_spans_are_all_deleted_is_open_again_until_resolved() {
    let cli = coded();
    // Unit 3 is the place only ana marked (her annotation 5); take it, then she deletes it.
    cara(&cli, &["take", "3", "ana"]);
    assert!(
        adjudicated_export(&cli)
            .iter()
            .any(|a| a["text"] == "Saravan")
    );
    cli.ok(&["--coder", "ana", "annotate", "remove", "5"]);
    let listed = units(&cli, &[]);
    let orphan = listed
        .iter()
        .find(|u| u["key"] == "5")
        .unwrap_or_else(|| panic!("the unit of the deleted span is listed: {listed:?}"));
    assert_eq!(orphan["state"], "reopened", "{orphan}");
    // The adjudicated layer keeps what was taken until the adjudicator decides again.
    assert!(
        adjudicated_export(&cli)
            .iter()
            .any(|a| a["text"] == "Saravan")
    );
    cara(&cli, &["reject", "5"]);
    assert!(
        !adjudicated_export(&cli)
            .iter()
            .any(|a| a["text"] == "Saravan")
    );
    assert!(
        !units(&cli, &[]).iter().any(|u| u["key"] == "5"),
        "resolved with nothing left"
    );
}

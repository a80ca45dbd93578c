//! Learning from accepted spans, bounded: function words are never learned, a text found in
//! more than 1,000 articles waits for the user to confirm, and removing or relabelling the
//! accepted span takes back the unreviewed suggestions it taught. Through the real CLI.

use crate::support::{Cli, import_reports_naming_tiny, json_lines};

fn stderr_of(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Annotations of `article` with this status and annotator.
fn annotations(cli: &Cli, article: &str) -> Vec<serde_json::Value> {
    json_lines(&cli.ok(&["annotate", "list", article, "--json"]))
}

#[test]
fn a_function_word_is_never_learned() {
    let cli = Cli::new();
    import_reports_naming_tiny(&cli, 5);
    // "Report 0\n\nTiny said the convoy": "the" is at 20..23.
    let out = cli.run(&[
        "annotate", "add", "1", "--label", "PER", "--start", "20", "--end", "23",
    ]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(
        stderr_of(&out)
            .lines()
            .any(|l| l == "note: \"the\" is not suggested elsewhere: it is a common word"),
        "{}",
        stderr_of(&out)
    );
    for article in ["2", "3", "4", "5"] {
        assert!(annotations(&cli, article).is_empty(), "article {article}");
    }
    // A whole-archive run does not learn it either.
    let report: serde_json::Value =
        serde_json::from_str(&cli.ok(&["suggest", "--all", "--json"])).unwrap();
    assert_eq!(report["learned"], 0, "{report}");
}

#[test]
fn a_text_in_more_than_a_thousand_articles_waits_for_confirmation_and_goes_with_its_span() {
    let cli = Cli::new();
    import_reports_naming_tiny(&cli, 1_002);
    // "Report 0\n\nTiny": "Tiny" is at 10..14.
    let out = cli.run(&[
        "annotate", "add", "1", "--label", "PER", "--start", "10", "--end", "14", "--json",
    ]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    let accepted: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(accepted["text"], "Tiny");
    assert!(
        stderr_of(&out).lines().any(|l| l
            == "note: \"Tiny\" occurs in 1002 articles, more than 1000: not suggested there as \
                PER until you confirm it; to suggest it in all of them: annalist suggest \
                --learn 'Tiny'"),
        "{}",
        stderr_of(&out)
    );
    assert!(annotations(&cli, "2").is_empty());
    // A whole-archive run holds it back too, and says so.
    let said = cli.ok(&["suggest", "--all"]);
    assert!(
        said.contains(
            "held back 1 accepted text that each occur in more than 1000 articles; suggest one \
             everywhere with: annalist suggest --learn TEXT"
        ),
        "{said}"
    );
    assert!(
        annotations(&cli, "2")
            .iter()
            .all(|a| a["annotator"] != "annalist-learned")
    );

    // Confirmed: every other article gets it.
    let said = cli.ok(&["suggest", "--learn", "Tiny"]);
    assert_eq!(said.trim(), "suggested \"Tiny\" in 1001 more places");
    let second = annotations(&cli, "2");
    let learned: Vec<_> = second
        .iter()
        .filter(|a| a["annotator"] == "annalist-learned")
        .collect();
    assert_eq!(learned.len(), 1, "{second:#?}");
    assert_eq!(learned[0]["text"], "Tiny");
    assert_eq!(learned[0]["status"], "suggested");
    // Someone accepts the one in article 3: that stays when the teacher goes.
    let third = annotations(&cli, "3");
    let in_third = third
        .iter()
        .find(|a| a["annotator"] == "annalist-learned")
        .unwrap();
    cli.ok(&[
        "suggestions",
        "accept",
        &in_third["id"].as_i64().unwrap().to_string(),
    ]);

    // Removing the accepted span that taught them: the 1000 unreviewed ones go, the
    // accepted one in article 3 stays and now backs "Tiny" as PER on its own...
    let teacher = accepted["id"].as_i64().unwrap().to_string();
    let said = cli.ok(&["annotate", "remove", &teacher]);
    assert!(
        !said.contains("withdrew"),
        "another accepted Tiny still backs them: {said}"
    );
    assert_eq!(learned_in(&cli, &["2", "500", "1002"]), 3);
    // ...and when that one goes too, nothing backs them: all of them are taken back.
    let third_id = in_third["id"].as_i64().unwrap().to_string();
    let said = cli.ok(&["annotate", "remove", &third_id]);
    assert!(
        said.lines()
            .any(|l| l == "withdrew the 1000 suggestions it taught (not reviewed yet)"),
        "{said}"
    );
    assert_eq!(learned_in(&cli, &["2", "500", "1002"]), 0);
}

/// How many of these articles hold a learned suggestion.
fn learned_in(cli: &Cli, articles: &[&str]) -> usize {
    articles
        .iter()
        .filter(|article| {
            annotations(cli, article)
                .iter()
                .any(|a| a["annotator"] == "annalist-learned")
        })
        .count()
}

#[test]
fn relabelling_the_accepted_span_takes_back_what_its_old_label_taught() {
    let cli = Cli::new();
    import_reports_naming_tiny(&cli, 3);
    let mut archive = annalist::service::Archive::open(&cli.archive()).unwrap();
    let (accepted, _) = archive
        .annotate(
            annalist::model::ArticleId(1),
            annalist::service::manual_annotation(
                "PER",
                annalist::model::CharSpan::ordered(10, 14).unwrap(),
                Default::default(),
                "tester",
            ),
        )
        .unwrap();
    let learned = archive
        .learn_from("Tiny", annalist::service::LearnScope::Bounded)
        .unwrap();
    assert_eq!(learned.created.len(), 2, "{learned:#?}");
    assert_eq!(learned.held_back, None);
    let edit = archive
        .update_annotation(
            accepted.id,
            "ORG",
            Default::default(),
            annalist::model::AnnotationStatus::Accepted,
        )
        .unwrap();
    assert_eq!(
        edit.describe(),
        "relabelled ORG \u{201c}Tiny\u{201d} and the 2 suggestions it taught"
    );
    for article in [2, 3] {
        let left = archive
            .annotations(annalist::model::ArticleId(article))
            .unwrap();
        assert!(left.is_empty(), "{left:#?}");
    }
    // One undo brings back the label and what it taught.
    archive.apply_edit(&edit.inverse()).unwrap();
    for article in [2, 3] {
        let back = archive
            .annotations(annalist::model::ArticleId(article))
            .unwrap();
        assert_eq!(back.len(), 1, "{back:#?}");
        assert_eq!(back[0].label, "PER");
    }
}

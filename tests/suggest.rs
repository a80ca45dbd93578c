//! Suggestions: the worked example, decisions that stick across runs, batch review, learning
//! from accepted spans, and what exports make of suggestions.

use std::path::Path;

use crate::support::{Cli, fixtures, json_lines};

fn seed() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seed/pakistan-iran-strikes.txt")
}

/// `(label, text, attrs)` of an article's annotations with this status.
fn annotations(cli: &Cli, id: &str, status: &str) -> Vec<(String, String, serde_json::Value)> {
    json_lines(&cli.ok(&["annotate", "list", id, "--json"]))
        .into_iter()
        .filter(|a| a["status"] == status)
        .map(|a| {
            (
                a["label"].as_str().unwrap().to_owned(),
                a["text"].as_str().unwrap().to_owned(),
                a["attrs"].clone(),
            )
        })
        .collect()
}

fn find<'a>(
    list: &'a [(String, String, serde_json::Value)],
    label: &str,
    text: &str,
) -> Option<&'a serde_json::Value> {
    list.iter()
        .find(|(l, t, _)| l == label && t == text)
        .map(|(_, _, attrs)| attrs)
}

#[test]
#[cfg_attr(
    not(feature = "corpora"),
    ignore = "needs ../shared/seed: cargo test --features corpora"
)]
fn the_strikes_article_gets_its_dates_figures_and_names() {
    let cli = Cli::new();
    cli.ok(&[
        "import",
        seed().to_str().unwrap(),
        "--published",
        "2024-01-19",
    ]);
    let report: serde_json::Value =
        serde_json::from_str(&cli.ok(&["suggest", "1", "--json"])).unwrap();
    assert!(report["suggested"].as_u64().unwrap() > 10, "{report}");
    let got = annotations(&cli, "1", "suggested");
    let date = |text: &str| {
        find(&got, "DATE", text)
            .unwrap_or_else(|| panic!("DATE {text:?} not suggested: {got:?}"))
            .clone()
    };
    assert_eq!(date("Thursday")["value"], "2024-01-18");
    assert_eq!(date("Thursday")["anchor"], "2024-01-19");
    assert_eq!(date("Tuesday")["value"], "2024-01-16");
    assert_eq!(date("Friday")["value"], "2024-01-19");
    assert_eq!(date("18 January 2024")["value"], "2024-01-18");
    assert_eq!(date("17 January 2024")["precision"], "day");

    let figure = |text: &str| {
        find(&got, "CASUALTY", text)
            .unwrap_or_else(|| panic!("CASUALTY {text:?} not suggested: {got:?}"))
            .clone()
    };
    let nine = figure("nine people");
    assert_eq!(
        (nine["count"].as_u64(), nine["outcome"].as_str()),
        (Some(9), Some("killed"))
    );
    let four = figure("four children");
    assert_eq!(four["count"], 4);
    assert!(
        four["part_of"].is_i64(),
        "a sub-count links to its total: {four}"
    );
    let two = figure("two children");
    assert_eq!(
        (two["count"].as_u64(), two["outcome"].as_str()),
        (Some(2), Some("killed"))
    );
    assert_eq!(
        got.iter().filter(|(l, _, _)| l == "CASUALTY").count(),
        3,
        "{got:?}"
    );

    for (label, text) in [
        ("LOC", "Saravan"),
        ("LOC", "Balochistan"),
        ("LOC", "Gaza"),
        ("LOC", "Yemen"),
        ("LOC", "Pakistan"),
        ("LOC", "Iran"),
        ("PER", "Anwaar-ul-Haq Kakar"),
        ("PER", "Jilani"),
        ("ORG", "Balochistan Liberation Army"),
        ("ORG", "Balochistan Liberation Front"),
        ("ORG", "Hamas"),
        ("ORG", "Hezbollah"),
        ("ORG", "Houthis"),
    ] {
        assert!(
            find(&got, label, text).is_some(),
            "{label} {text:?} not suggested: {got:?}"
        );
    }
}

#[test]
fn decisions_stick_when_suggesting_again() {
    let cli = Cli::new();
    cli.ok(&[
        "import",
        fixtures().join("news/strikes.txt").to_str().unwrap(),
        "--published",
        "2024-01-19",
    ]);
    cli.ok(&["suggest", "--all"]);
    let first = json_lines(&cli.ok(&["annotate", "list", "1", "--json"]));
    assert!(!first.is_empty());
    let dates: Vec<&serde_json::Value> = first.iter().filter(|a| a["label"] == "DATE").collect();
    assert!(dates.len() >= 2, "{first:?}");
    let accept = dates[0]["id"].to_string();
    let reject = dates[1]["id"].to_string();
    cli.ok(&["suggestions", "accept", &accept]);
    cli.ok(&["suggestions", "reject", &reject]);

    // Suggesting again adds nothing: every span was decided or is still suggested.
    let report: serde_json::Value =
        serde_json::from_str(&cli.ok(&["suggest", "1", "--json"])).unwrap();
    assert_eq!(report["suggested"], 0, "{report}");
    let second = json_lines(&cli.ok(&["annotate", "list", "1", "--json"]));
    assert_eq!(second.len(), first.len());
    let status = |id: &str| {
        second
            .iter()
            .find(|a| a["id"].as_i64() == id.parse().ok())
            .map(|a| a["status"].clone())
    };
    assert_eq!(status(&accept), Some("accepted".into()));
    assert_eq!(status(&reject), Some("rejected".into()));

    // Exports: accepted only by default; suggestions on request; rejected never.
    let out = cli.dir.path().join("out.jsonl");
    let statuses = |extra: &[&str]| {
        let mut args = vec!["export", "--out", out.to_str().unwrap()];
        args.extend_from_slice(extra);
        cli.ok(&args);
        let mut seen: Vec<String> = json_lines(&std::fs::read_to_string(&out).unwrap())
            .iter()
            .flat_map(|r| r["annotations"].as_array().unwrap().clone())
            .map(|a| a["status"].as_str().unwrap().to_owned())
            .collect();
        seen.sort();
        seen.dedup();
        seen
    };
    assert_eq!(statuses(&[]), ["accepted"]);
    assert_eq!(
        statuses(&["--include-suggestions"]),
        ["accepted", "suggested"]
    );
    assert_eq!(statuses(&["--status", "rejected"]), ["rejected"]);

    // Batch review: every suggested DATE of the article, then everything left.
    cli.ok(&["suggestions", "accept", "--article", "1", "--label", "DATE"]);
    let left = json_lines(&cli.ok(&["annotate", "list", "1", "--json"]));
    assert!(
        !left
            .iter()
            .any(|a| a["label"] == "DATE" && a["status"] == "suggested")
    );
    cli.ok(&["suggestions", "reject", "--all"]);
    let left = json_lines(&cli.ok(&["annotate", "list", "1", "--json"]));
    assert!(!left.iter().any(|a| a["status"] == "suggested"), "{left:?}");
    let refused = cli.run(&["suggestions", "accept"]);
    assert!(
        !refused.status.success(),
        "a review without a scope is refused"
    );
}

#[test]
fn an_accepted_span_is_suggested_wherever_else_it_occurs() {
    let cli = Cli::new();
    let dir = cli.dir.path().join("in");
    std::fs::create_dir(&dir).unwrap();
    for (name, text) in [
        (
            "a.txt",
            "Strike near Saravan\n\nA drone hit a market in Saravan on Monday.",
        ),
        (
            "b.txt",
            "Border closed\n\nThe crossing at Saravan stayed shut. Saravan traders waited.",
        ),
        (
            "c.txt",
            "Unrelated\n\nNothing happened in Saravani district, or in saravan lowercase.",
        ),
    ] {
        std::fs::write(dir.join(name), text).unwrap();
    }
    cli.ok(&["import", dir.to_str().unwrap()]);
    let rows = json_lines(&cli.ok(&["list", "--json"]));
    let id_of = |title: &str| {
        rows.iter()
            .find(|r| r["title"] == title)
            .map(|r| r["id"].to_string())
            .unwrap()
    };
    let (a, b, c) = (
        id_of("Strike near Saravan"),
        id_of("Border closed"),
        id_of("Unrelated"),
    );
    let text: serde_json::Value = serde_json::from_str(&cli.ok(&["show", &a, "--json"])).unwrap();
    let text = text["text"].as_str().unwrap();
    let start = text[..text.find("Saravan").unwrap()].chars().count();
    let out = cli.run(&[
        "annotate",
        "add",
        &a,
        "--label",
        "LOC",
        "--start",
        &start.to_string(),
        "--end",
        &(start + 7).to_string(),
        "--attr",
        "country_code=IR",
    ]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("suggested LOC for 3 other"));
    let in_b = annotations(&cli, &b, "suggested");
    assert_eq!(in_b.len(), 2, "both whole-word occurrences: {in_b:?}");
    for (label, span, attrs) in &in_b {
        assert_eq!((label.as_str(), span.as_str()), ("LOC", "Saravan"));
        assert_eq!(
            attrs["country_code"], "IR",
            "the accepted attributes travel"
        );
        assert_eq!(attrs["confidence"], 1.0);
    }
    assert_eq!(
        annotations(&cli, &a, "suggested").len(),
        1,
        "the other one in the same article"
    );
    assert!(
        annotations(&cli, &c, "suggested").is_empty(),
        "not inside words, not in lower case"
    );
}

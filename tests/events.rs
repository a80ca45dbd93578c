//! Events through the CLI: the strikes article's two events with every value traced to its
//! span, the grouping fixture set measured against its gold grouping, and hostile use.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::support::{Cli, fixtures, json_lines};

/// The annotations of an article, by id.
fn annotations(cli: &Cli, article: i64) -> BTreeMap<i64, Value> {
    json_lines(&cli.ok(&["annotate", "list", &article.to_string(), "--json"]))
        .into_iter()
        .map(|a| (a["id"].as_i64().unwrap(), a))
        .collect()
}

/// The id of the one annotation of `label` reading `text`.
fn id_of(cli: &Cli, article: i64, label: &str, text: &str) -> i64 {
    let found: Vec<i64> = annotations(cli, article)
        .into_iter()
        .filter(|(_, a)| a["label"] == label && a["text"] == text && a["status"] == "accepted")
        .map(|(id, _)| id)
        .collect();
    assert_eq!(found.len(), 1, "{label} {text:?}: {found:?}");
    found[0]
}

/// Adds an accepted annotation over the first occurrence of `text` after `after`; returns
/// its id.
fn add(
    cli: &Cli,
    article_text: &str,
    after: &str,
    label: &str,
    text: &str,
    attrs: &[String],
) -> i64 {
    let from = article_text.find(after).unwrap();
    let byte = from + article_text[from..].find(text).unwrap();
    let start = article_text[..byte].chars().count();
    let end = start + text.chars().count();
    let (start, end) = (start.to_string(), end.to_string());
    let mut args = vec![
        "annotate", "add", "1", "--label", label, "--start", &start, "--end", &end, "--expect",
        text, "--json",
    ];
    for attr in attrs {
        args.push("--attr");
        args.push(attr);
    }
    let added: Value = serde_json::from_str(&cli.ok(&args)).unwrap();
    added["id"].as_i64().unwrap()
}

/// The events listed as JSON.
fn events(cli: &Cli, extra: &[&str]) -> Vec<Value> {
    let mut args = vec!["events", "list", "--json"];
    args.extend_from_slice(extra);
    json_lines(&cli.ok(&args))
}

/// The strikes article with its suggestions accepted, and the two claims' places corrected
/// by hand as a coder would: Saravan and Balochistan carry region and precision, and
/// Pakistan's claim links to Balochistan (the suggester linked the claimant's country).
fn strikes() -> (Cli, String) {
    let cli = Cli::new();
    cli.ok(&[
        "import",
        fixtures().join("news/strikes.txt").to_str().unwrap(),
        "--published",
        "2024-01-19",
    ]);
    cli.ok(&["suggest", "--all"]);
    cli.ok(&["suggestions", "accept", "--all"]);
    let text = serde_json::from_str::<Value>(&cli.ok(&["show", "1", "--json"])).unwrap()["text"]
        .as_str()
        .unwrap()
        .to_owned();
    let thursdays: Vec<i64> = annotations(&cli, 1)
        .into_iter()
        .filter(|(_, a)| a["label"] == "DATE" && a["text"] == "Thursday")
        .map(|(id, _)| id)
        .collect();
    let tuesday = id_of(&cli, 1, "DATE", "Tuesday");
    remove_claims_and_places(&cli);
    let a = |s: &str| s.to_owned();
    let saravan = add(
        &cli,
        &text,
        "near",
        "LOC",
        "Saravan",
        &[
            a("canonical=Saravan"),
            a("country_code=IR"),
            a("adm1=Sistan and Baluchestan"),
            a("where_prec=2"),
            a("lat=27.3709"),
            a("lon=62.3342"),
        ],
    );
    let balochistan = add(
        &cli,
        &text,
        "Pakistan's",
        "LOC",
        "Balochistan",
        &[
            a("canonical=Balochistan"),
            a("country_code=PK"),
            a("adm1=Balochistan"),
            a("where_prec=4"),
        ],
    );
    // "Thursday's strikes killed nine": the second Thursday of the text.
    let date = thursdays[1];
    let nine = add(
        &cli,
        &text,
        "strikes killed",
        "CASUALTY",
        "nine people",
        &[
            a("count=9"),
            a("outcome=killed"),
            a("victims=people"),
            a("claimed_by=Iran"),
            format!("date={date}"),
            format!("place={saravan}"),
        ],
    );
    add(
        &cli,
        &text,
        "including",
        "CASUALTY",
        "four children",
        &[
            a("count=4"),
            a("outcome=killed"),
            a("victims=children"),
            format!("part_of={nine}"),
        ],
    );
    add(
        &cli,
        &text,
        "attack on Tuesday",
        "CASUALTY",
        "two children",
        &[
            a("count=2"),
            a("outcome=killed"),
            a("victims=children"),
            a("claimed_by=Pakistan"),
            format!("date={tuesday}"),
            format!("place={balochistan}"),
        ],
    );
    (cli, text)
}

/// Removes the accepted claims and the two places the test adds again with their attributes.
fn remove_claims_and_places(cli: &Cli) {
    for (label, words) in [
        ("CASUALTY", "four children"),
        ("CASUALTY", "nine people"),
        ("CASUALTY", "two children"),
        ("LOC", "Saravan"),
        ("LOC", "Balochistan"),
    ] {
        let id = id_of(cli, 1, label, words);
        cli.ok(&["annotate", "remove", &id.to_string()]);
    }
}

/// The words a field's evidence covers, sliced from the article text by code points.
fn evidence_words(annotations: &BTreeMap<i64, Value>, text: &str, field: &Value) -> Vec<String> {
    field["from"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let a = &annotations[&e["annotation_id"].as_i64().unwrap()];
            assert_eq!(e["uid"].as_str().map(str::len), Some(32), "{e}");
            let (start, end) = (
                a["start"].as_u64().unwrap() as usize,
                a["end"].as_u64().unwrap() as usize,
            );
            text.chars().skip(start).take(end - start).collect()
        })
        .collect()
}

#[test]
fn the_strikes_article_yields_two_events_traced_to_their_spans() {
    let (cli, text) = strikes();
    let report: Value = serde_json::from_str(&cli.ok(&["events", "suggest", "--json"])).unwrap();
    assert_eq!(
        report["claims"], 2,
        "sub-counts are not claims of their own: {report}"
    );
    let listed = events(&cli, &[]);
    assert_eq!(listed.len(), 2, "{listed:?}");
    let by_country = |code: &str| {
        listed
            .iter()
            .find(|e| e["fields"]["country_code"]["value"] == code)
            .unwrap_or_else(|| panic!("no event in {code}: {listed:?}"))
            .clone()
    };
    let annotations = annotations(&cli, 1);
    let check = |event: &Value, expected: &[(&str, Value, &[&str])]| {
        for (field, value, words) in expected {
            let got = &event["fields"][field];
            assert_eq!(&got["value"], value, "{field}: {got}");
            assert_eq!(got["by_hand"], false, "{field}");
            assert_eq!(evidence_words(&annotations, &text, got), *words, "{field}");
        }
        assert_eq!(event["number_of_sources"], 1);
        assert_eq!(event["sources"][0]["published"], "2024-01-19");
    };
    let iran = by_country("IR");
    check(
        &iran,
        &[
            ("deaths_best", 9.into(), &["nine people"]),
            ("deaths_low", 9.into(), &["nine people"]),
            ("deaths_high", 9.into(), &["nine people"]),
            ("fatalities", 9.into(), &["nine people"]),
            ("deaths_civilians", 4.into(), &["four children"]),
            ("date_start", "2024-01-18".into(), &["Thursday"]),
            ("date_end", "2024-01-18".into(), &["Thursday"]),
            ("date_prec", 1.into(), &["Thursday"]),
            ("place", "Saravan".into(), &["Saravan"]),
            ("country", "Iran".into(), &["Saravan"]),
            ("adm1", "Sistan and Baluchestan".into(), &["Saravan"]),
            ("where_prec", 2.into(), &["Saravan"]),
            ("lat", 27.3709.into(), &["Saravan"]),
            ("lon", 62.3342.into(), &["Saravan"]),
        ],
    );
    let pakistan = by_country("PK");
    check(
        &pakistan,
        &[
            ("deaths_best", 2.into(), &["two children"]),
            ("deaths_civilians", 2.into(), &["two children"]),
            ("fatalities", 2.into(), &["two children"]),
            ("date_start", "2024-01-16".into(), &["Tuesday"]),
            ("date_prec", 1.into(), &["Tuesday"]),
            ("place", "Balochistan".into(), &["Balochistan"]),
            ("country", "Pakistan".into(), &["Balochistan"]),
            ("where_prec", 4.into(), &["Balochistan"]),
        ],
    );
    // Values nothing says stay empty, with no evidence: no claim links an actor, and who
    // makes a claim (Iran, Pakistan) is its source, not a side.
    assert_eq!(pakistan["fields"]["lat"]["value"], Value::Null);
    for event in [&iran, &pakistan] {
        assert_eq!(event["fields"]["side_b"]["value"], Value::Null);
    }
    assert_eq!(pakistan["fields"]["lat"]["from"], serde_json::json!([]));

    // A value set by hand says so and survives recomputation; bad values are refused.
    let id = iran["id"].to_string();
    cli.ok(&["events", "set", &id, "violence", "1"]);
    cli.ok(&["events", "set", &id, "sub_event_type", "Air/drone strike"]);
    let refused = cli.run(&["events", "set", &id, "violence", "9"]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("UCDP type of violence"));
    let four = id_of(&cli, 1, "CASUALTY", "four children");
    cli.ok(&["annotate", "remove", &four.to_string()]);
    let after = events(&cli, &[&id]);
    assert_eq!(after[0]["fields"]["violence"]["value"], 1);
    assert_eq!(after[0]["fields"]["violence"]["by_hand"], true);
    assert_eq!(
        after[0]["fields"]["deaths_civilians"]["value"],
        Value::Null,
        "recomputed"
    );
    cli.ok(&["events", "accept", "--all"]);
    assert!(events(&cli, &[]).iter().all(|e| e["status"] == "accepted"));
}

/// `(article id, claim text)` → incident, from the gold file.
fn gold() -> BTreeMap<(i64, String), String> {
    std::fs::read_to_string(fixtures().join("events/gold.tsv"))
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            (
                (cols[0].parse().unwrap(), cols[1].to_owned()),
                cols[2].to_owned(),
            )
        })
        .collect()
}

#[test]
fn suggested_events_match_the_intended_grouping() {
    let cli = Cli::new();
    cli.ok(&[
        "import",
        fixtures().join("events/articles.jsonl").to_str().unwrap(),
    ]);
    cli.ok(&["suggest", "--all"]);
    cli.ok(&["events", "suggest"]);
    let gold = gold();
    let mut text_of: BTreeMap<i64, (i64, String)> = BTreeMap::new();
    for article in 1..=34 {
        for (id, a) in annotations(&cli, article) {
            text_of.insert(id, (article, a["text"].as_str().unwrap().to_owned()));
        }
    }
    // Each claim: (gold incident, suggested event).
    let mut claims: Vec<(String, i64)> = Vec::new();
    for event in events(&cli, &[]) {
        for claim in event["claims"].as_array().unwrap() {
            let key = &text_of[&claim["annotation_id"].as_i64().unwrap()];
            let incident = gold
                .get(key)
                .unwrap_or_else(|| panic!("claim {key:?} is not in gold.tsv"));
            claims.push((incident.clone(), event["id"].as_i64().unwrap()));
        }
    }
    assert_eq!(claims.len(), gold.len(), "every gold claim is in an event");
    let (mut both, mut suggested, mut intended) = (0u32, 0u32, 0u32);
    for (i, a) in claims.iter().enumerate() {
        for b in &claims[i + 1..] {
            let same_gold = a.0 == b.0;
            let same_event = a.1 == b.1;
            both += u32::from(same_gold && same_event);
            suggested += u32::from(same_event);
            intended += u32::from(same_gold);
        }
    }
    let precision = f64::from(both) / f64::from(suggested);
    let recall = f64::from(both) / f64::from(intended);
    let incidents: BTreeSet<&String> = gold.values().collect();
    println!(
        "grouping: {} claims, {} incidents, {} pairs suggested, {} intended, {} both: precision {precision:.3}, recall {recall:.3}",
        claims.len(),
        incidents.len(),
        suggested,
        intended,
        both
    );
    assert!(precision >= 0.9, "pairwise precision {precision:.3}");
    assert!(recall >= 0.8, "pairwise recall {recall:.3}");
}

#[test]
fn hostile_event_commands_are_refused_with_a_reason() {
    // An empty archive: nothing to group, nothing listed.
    let empty = Cli::new();
    let report: Value = serde_json::from_str(&empty.ok(&["events", "suggest", "--json"])).unwrap();
    assert_eq!(report, serde_json::json!({"claims": 0, "events": []}));
    assert!(events(&empty, &[]).is_empty());
    empty.ok(&["events", "accept", "--all"]);

    let cli = Cli::new();
    cli.ok(&[
        "import",
        fixtures().join("events/articles.jsonl").to_str().unwrap(),
    ]);
    cli.ok(&["suggest", "--all"]);
    cli.ok(&["events", "suggest"]);
    let listed = events(&cli, &[]);
    let big = listed
        .iter()
        .find(|e| e["claims"].as_array().unwrap().len() >= 3)
        .unwrap();
    let id = big["id"].to_string();
    let claim_ids: Vec<String> = big["claims"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["annotation_id"].to_string())
        .collect();
    let refused = |args: &[&str], says: &str| {
        let out = cli.run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(says), "{args:?}: {stderr}");
    };
    refused(&["events", "merge", &id, &id], "two events or more");
    let mut split_all = vec!["events", "split", id.as_str()];
    split_all.extend(claim_ids.iter().map(String::as_str));
    refused(&split_all, "would leave it empty");
    refused(&["events", "list", "999999"], "no event with id 999999");
    refused(&["--coder", "ben", "events", "list", &id], "not in ben's");
    refused(
        &["--coder", "ben", "events", "detach", &claim_ids[0]],
        "not in ben's",
    );
    refused(
        &["events", "set", &id, "deaths", "3"],
        "unknown event field",
    );
    refused(
        &["events", "set", &id, "date_start", "last week"],
        "YYYY-MM-DD",
    );
    refused(&["events", "split", &id, "1"], "not a claim of event");
    assert!(
        json_lines(&cli.ok(&["--coder", "ben", "events", "list", "--json"])).is_empty(),
        "ben's layer has no events"
    );

    // Split one claim off, merge it back, detach it: the figures follow.
    let split: Vec<Value> = {
        cli.ok(&["events", "split", &id, &claim_ids[0]]);
        events(&cli, &[])
    };
    assert_eq!(split.len(), listed.len() + 1);
    let new_id = split.last().unwrap()["id"].to_string();
    cli.ok(&["events", "merge", &id, &new_id]);
    let merged = events(&cli, &[&id]);
    assert_eq!(merged[0]["claims"], big["claims"]);
    assert_eq!(
        merged[0]["fields"]["deaths_low"],
        big["fields"]["deaths_low"]
    );
    refused(&["events", "list", &new_id], "no event with id");

    // A claim deleted after grouping leaves its event, which is recomputed.
    cli.ok(&["events", "set", &id, "side_a", "Unknown gunmen"]);
    for claim in &claim_ids[1..] {
        cli.ok(&["annotate", "remove", claim]);
    }
    let left = events(&cli, &[&id]);
    assert_eq!(left[0]["claims"].as_array().unwrap().len(), 1);
    assert_eq!(
        left[0]["claims"][0]["annotation_id"].to_string(),
        claim_ids[0]
    );
    let best = &left[0]["fields"]["deaths_best"];
    assert_eq!(
        best["from"][0]["annotation_id"].to_string(),
        claim_ids[0],
        "{best}"
    );
    assert_eq!(left[0]["fields"]["side_a"]["value"], "Unknown gunmen");
    // Detaching the last claim removes the event; detaching again is refused.
    cli.ok(&["events", "detach", &claim_ids[0]]);
    refused(&["events", "list", &id], "no event with id");
    refused(&["events", "detach", &claim_ids[0]], "in no event");
}

/// What a hostile tester found: claims naming no place in different articles are different
/// incidents; accepting an event accepts the claims it rests on; a claim rejected after
/// grouping leaves its event (and an event with no claim left goes).
#[test]
fn placeless_claims_of_different_articles_stay_apart_and_rejected_claims_leave() {
    let cli = Cli::new();
    let dir = cli.dir.path().join("in");
    std::fs::create_dir_all(&dir).unwrap();
    let lines = [
        r#"{"id":11,"title":"a","text":"A man was shot dead in Houston on Friday, police said.","published":"2024-03-02","source":"Houston Wire"}"#,
        r#"{"id":12,"title":"b","text":"A woman was killed on Friday in a shooting, police said.","published":"2024-03-02","source":"Seattle Times"}"#,
        r#"{"id":13,"title":"c","text":"A boy was killed on Friday in a shooting, deputies said.","published":"2024-03-02","source":"Anchorage Daily"}"#,
    ];
    std::fs::write(dir.join("n.jsonl"), lines.join("\n")).unwrap();
    cli.ok(&["import", dir.join("n.jsonl").to_str().unwrap()]);
    cli.ok(&["suggest", "--all"]);
    cli.ok(&["events", "suggest"]);
    let listed = events(&cli, &[]);
    assert_eq!(listed.len(), 3, "three incidents, not one: {listed:?}");
    for event in &listed {
        assert_eq!(event["claims"].as_array().map(Vec::len), Some(1));
    }

    // Accepting the first event accepts its claim.
    let first = &listed[0];
    let claim = first["claims"][0]["annotation_id"].as_i64().unwrap();
    let article = first["claims"][0]["article_id"].as_i64().unwrap();
    cli.ok(&["events", "accept", &first["id"].to_string()]);
    assert_eq!(annotations(&cli, article)[&claim]["status"], "accepted");

    // Rejecting the second event's claim ends that event.
    let second = &listed[1];
    let rejected = second["claims"][0]["annotation_id"].as_i64().unwrap();
    cli.ok(&["suggestions", "reject", &rejected.to_string()]);
    let left: Vec<i64> = events(&cli, &[])
        .iter()
        .map(|e| e["id"].as_i64().unwrap())
        .collect();
    assert_eq!(left.len(), 2);
    assert!(!left.contains(&second["id"].as_i64().unwrap()), "{left:?}");
}

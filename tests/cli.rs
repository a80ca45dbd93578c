//! The CLI end to end on small fixtures written for these tests.

use crate::support::{Cli, char_find, fixtures, json_lines, python_checks_spans};

fn article_id_by_title(cli: &Cli, title: &str) -> i64 {
    let rows = json_lines(&cli.ok(&["list", "--json", "--limit", "1000"]));
    rows.iter()
        .find(|r| r["title"] == title)
        .unwrap_or_else(|| panic!("no article titled {title:?} in {rows:?}"))["id"]
        .as_i64()
        .unwrap()
}

fn show(cli: &Cli, id: i64) -> serde_json::Value {
    serde_json::from_str(&cli.ok(&["show", &id.to_string(), "--json"])).unwrap()
}

#[test]
fn import_twice_reports_duplicates() {
    let cli = Cli::new();
    let news = fixtures().join("news");
    let first = cli.ok(&["import", news.to_str().unwrap(), "--json"]);
    let report: serde_json::Value = serde_json::from_str(&first).unwrap();
    assert_eq!(report["imported"], 3);
    assert_eq!(report["duplicates"], 0);
    let again: serde_json::Value =
        serde_json::from_str(&cli.ok(&["import", news.to_str().unwrap(), "--json"])).unwrap();
    assert_eq!(again["imported"], 0);
    assert_eq!(again["duplicates"], 3);
    let stats: serde_json::Value = serde_json::from_str(&cli.ok(&["stats", "--json"])).unwrap();
    assert_eq!(stats["articles"], 3);
    assert_eq!(stats["indexed_docs"], 3);
}

#[test]
fn bad_files_are_reported_and_the_rest_is_imported() {
    let cli = Cli::new();
    let out = cli.run(&[
        "import",
        fixtures().join("broken.json").to_str().unwrap(),
        fixtures().join("wires.csv").to_str().unwrap(),
        fixtures().join("no-such-file.txt").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2), "some files failed: exit 2");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("broken.json"), "{stderr}");
    assert!(stderr.contains("no-such-file.txt"), "{stderr}");
    // The ragged CSV row is a warning with its line number; the two good rows are stored.
    assert!(stderr.contains("wires.csv:3"), "{stderr}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("2 imported"), "{stdout}");
    let convoy = article_id_by_title(&cli, "Aid convoy");
    let record = show(&cli, convoy);
    assert_eq!(record["published"], "2023-08-16");
    assert_eq!(record["source"], "Example Wire");
    assert_eq!(record["url"], "https://example.org/convoy");
}

#[test]
fn phrase_search_highlights_the_phrase() {
    let cli = Cli::new();
    cli.ok(&["import", fixtures().join("news").to_str().unwrap()]);
    let hits = json_lines(&cli.ok(&["search", "\"Balochistan Liberation\"", "--json"]));
    assert_eq!(hits.len(), 1, "{hits:?}");
    let hit = &hits[0];
    assert_eq!(hit["title"], "Pakistan and Iran trade cross-border strikes");
    let snippet = hit["snippet"].as_str().unwrap();
    assert!(
        snippet.contains("<b>Balochistan Liberation</b>"),
        "phrase not highlighted as one: {snippet}"
    );
    // Highlights are code point ranges into snippet_text.
    let text = hit["snippet_text"].as_str().unwrap();
    let (start, end) = (
        hit["highlights"][0][0].as_u64().unwrap() as usize,
        hit["highlights"][0][1].as_u64().unwrap() as usize,
    );
    let highlighted: String = text.chars().skip(start).take(end - start).collect();
    assert_eq!(highlighted, "Balochistan Liberation");

    // Words are ANDed by default; OR and NOT work; no hits exits 1.
    assert_eq!(
        json_lines(&cli.ok(&["search", "wheat Karachi", "--json"])).len(),
        1
    );
    assert_eq!(
        json_lines(&cli.ok(&["search", "wheat OR Saravan", "--json"])).len(),
        3
    );
    assert_eq!(
        json_lines(&cli.ok(&["search", "Saravan NOT wheat", "--json"])).len(),
        2
    );
    assert_eq!(
        json_lines(&cli.ok(&["search", "title:wheat", "--json"])).len(),
        1
    );
    assert_eq!(cli.run(&["search", "zanzibar"]).status.code(), Some(1));
    let bad = cli.run(&["search", "published:19/01/2024"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("not a date"));
}

#[test]
fn published_ranges_return_only_articles_in_range() {
    let cli = Cli::new();
    let news = fixtures().join("news");
    for (file, date) in [
        ("strikes.txt", "2024-01-19"),
        ("unicode.txt", "2024-02-03"),
        ("market.txt", "2023-12"),
    ] {
        cli.ok(&[
            "import",
            news.join(file).to_str().unwrap(),
            "--published",
            date,
            "--source",
            "Test Wire",
        ]);
    }
    let titles = |query: &str| -> Vec<String> {
        let mut t: Vec<String> = json_lines(&cli.ok(&["search", query, "--json"]))
            .iter()
            .map(|h| h["published"].as_str().unwrap().to_owned())
            .collect();
        t.sort();
        t
    };
    assert_eq!(
        titles("published:[2024-01-01 TO 2024-01-31]"),
        ["2024-01-19"]
    );
    assert_eq!(titles("published:2024"), ["2024-01-19", "2024-02-03"]);
    assert_eq!(
        titles("published:[2023-12 TO 2024-01]"),
        ["2023-12", "2024-01-19"]
    );
    assert_eq!(titles("published:<2024-01-19"), ["2023-12"]);
    assert_eq!(titles("Saravan AND published:>=2024-02"), ["2024-02-03"]);
    assert_eq!(
        titles("source:\"test wire\" AND published:{2024-01-19 TO *]"),
        ["2024-02-03"]
    );
}

#[test]
fn annotations_round_trip_with_code_point_offsets() {
    let cli = Cli::new();
    cli.ok(&["import", fixtures().join("news").to_str().unwrap()]);
    let strikes = article_id_by_title(&cli, "Pakistan and Iran trade cross-border strikes");
    let unicode = article_id_by_title(&cli, "Voices from the border 🌍");
    let strikes_text = show(&cli, strikes)["text"].as_str().unwrap().to_owned();
    let unicode_text = show(&cli, unicode)["text"].as_str().unwrap().to_owned();

    let mut expected = Vec::new();
    let mut add = |id: i64, text: &str, needle: &str, label: &str, attrs: &[&str]| {
        let start = char_find(text, needle);
        let end = start + needle.chars().count();
        let (id, s, e) = (id.to_string(), start.to_string(), end.to_string());
        let mut args = vec![
            "annotate", "add", &id, "--label", label, "--start", &s, "--end", &e, "--expect",
            needle, "--json",
        ];
        for attr in attrs {
            args.push("--attr");
            args.push(attr);
        }
        let stored: serde_json::Value = serde_json::from_str(&cli.ok(&args)).unwrap();
        assert_eq!(stored["text"], needle);
        expected.push(needle.to_owned());
    };
    add(
        strikes,
        &strikes_text,
        "nine people",
        "CASUALTY",
        &["count=9", "outcome=killed", "claimed_by=Iran"],
    );
    add(strikes, &strikes_text, "Saravan", "LOC", &[]);
    add(unicode, &unicode_text, "🌍", "LOC", &[]);
    add(unicode, &unicode_text, "بلوچستان", "LOC", &[]);
    add(unicode, &unicode_text, "سراوان", "LOC", &[]);
    add(
        unicode,
        &unicode_text,
        "تسعة أشخاص",
        "CASUALTY",
        &["count=9"],
    );
    add(unicode, &unicode_text, "👨‍👩‍👧", "PER", &[]);
    add(unicode, &unicode_text, "边境村庄", "LOC", &[]);
    add(unicode, &unicode_text, "Saravan", "LOC", &[]);

    // Typed attributes.
    let listed = json_lines(&cli.ok(&["annotate", "list", &strikes.to_string(), "--json"]));
    let casualty = listed.iter().find(|a| a["label"] == "CASUALTY").unwrap();
    assert_eq!(casualty["attrs"]["count"], 9);
    assert_eq!(casualty["attrs"]["claimed_by"], "Iran");
    assert_eq!(casualty["annotator"], "tester");

    // The index follows: label: and entity: queries find the annotated articles.
    assert_eq!(
        json_lines(&cli.ok(&["search", "label:casualty", "--json"])).len(),
        2
    );
    assert_eq!(
        json_lines(&cli.ok(&["search", "entity:saravan", "--json"])).len(),
        2
    );

    let export = cli.dir.path().join("out.jsonl");
    cli.ok(&[
        "export",
        "--format",
        "jsonl",
        "--out",
        export.to_str().unwrap(),
    ]);
    assert_eq!(python_checks_spans(&export), expected.len());

    // Export -> import into an empty archive -> export gives the same records.
    let other = Cli::new();
    let report: serde_json::Value =
        serde_json::from_str(&other.ok(&["import", export.to_str().unwrap(), "--json"])).unwrap();
    assert_eq!(report["imported"], 3);
    assert_eq!(report["annotations"], expected.len());
    let again = other.dir.path().join("again.jsonl");
    other.ok(&["export", "--out", again.to_str().unwrap()]);
    assert_eq!(
        std::fs::read_to_string(&export).unwrap(),
        std::fs::read_to_string(&again).unwrap()
    );

    // --query limits the export.
    let limited = json_lines(&cli.ok(&["export", "--query", "wheat"]));
    assert_eq!(limited.len(), 1);
    assert_eq!(limited[0]["annotations"].as_array().unwrap().len(), 0);
}

#[test]
fn bad_annotations_are_refused_with_the_reason() {
    let cli = Cli::new();
    cli.ok(&[
        "import",
        fixtures().join("news").join("market.txt").to_str().unwrap(),
    ]);
    let id = article_id_by_title(&cli, "Wheat prices steady in Karachi markets").to_string();
    let len = show(&cli, id.parse().unwrap())["text"]
        .as_str()
        .unwrap()
        .chars()
        .count();
    let past_end = (len + 1).to_string();
    let cases: [(&[&str], &str); 4] = [
        (
            &["--label", "LOC", "--start", "5", "--end", &past_end],
            "outside the text",
        ),
        (
            &["--label", "WEAPON", "--start", "0", "--end", "5"],
            "not in the schema",
        ),
        (&["--label", "LOC", "--start", "7", "--end", "7"], "empty"),
        (
            &[
                "--label", "LOC", "--start", "0", "--end", "5", "--expect", "Corn",
            ],
            "reads \"Wheat\"",
        ),
    ];
    for (args, reason) in cases {
        let mut full = vec!["annotate", "add", &id];
        full.extend_from_slice(args);
        let out = cli.run(&full);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(reason), "{args:?}: {stderr}");
    }
    assert_eq!(cli.ok(&["annotate", "list", &id]), "");
    // A user-defined label becomes usable.
    cli.ok(&["labels", "add", "WEAPON", "--color", "#123456"]);
    cli.ok(&[
        "annotate", "add", &id, "--label", "WEAPON", "--start", "0", "--end", "5",
    ]);
    let removed = cli.ok(&[
        "annotate",
        "remove",
        &json_lines(&cli.ok(&["annotate", "list", &id, "--json"]))[0]["id"].to_string(),
    ]);
    assert!(removed.contains("removed annotation"), "{removed}");
}

#[test]
fn index_is_rebuilt_when_missing_and_newer_schemas_are_refused() {
    let cli = Cli::new();
    cli.ok(&["import", fixtures().join("news").to_str().unwrap()]);
    std::fs::remove_dir_all(cli.archive().join("index")).unwrap();
    assert_eq!(
        json_lines(&cli.ok(&["search", "Saravan", "--json"])).len(),
        2
    );
    assert!(cli.ok(&["reindex"]).contains("indexed 3 articles"));

    let conn = rusqlite::Connection::open(cli.archive().join("annalist.sqlite3")).unwrap();
    conn.pragma_update(None, "user_version", 99).unwrap();
    drop(conn);
    let out = cli.run(&["stats"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("newer Annalist"), "{stderr}");
    let conn = rusqlite::Connection::open(cli.archive().join("annalist.sqlite3")).unwrap();
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, 99, "a newer archive is never altered");
}

#[test]
fn a_folder_that_is_not_an_archive_is_refused() {
    let cli = Cli::new();
    std::fs::create_dir_all(cli.archive()).unwrap();
    std::fs::write(cli.archive().join("thesis.docx"), b"x").unwrap();
    let out = cli.run(&["stats"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not an Annalist archive"));
    assert!(!cli.archive().join("annalist.sqlite3").exists());
}

#[test]
fn demo_archive_is_created_once_in_its_own_folder() {
    let cli = Cli::new();
    // A second temporary archive whose folder is used as the demo folder.
    let demo = Cli::new();
    let demo_dir = demo.archive();
    let first = cli.ok(&["demo", "--dir", demo_dir.to_str().unwrap()]);
    assert!(first.contains("(13 articles)"), "{first}");
    let again = cli.ok(&["demo", "--dir", demo_dir.to_str().unwrap()]);
    assert!(again.contains("(13 articles)"), "{again}");
    assert!(
        !cli.archive().exists(),
        "the demo never touches the main archive"
    );
    let hits = json_lines(&demo.ok(&["search", "\"nine people\" AND Saravan", "--json"]));
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0]["published"], "2024-01-19");
}

#[test]
fn one_writer_at_a_time_and_stale_locks_are_cleared() {
    let cli = Cli::new();
    cli.ok(&["import", fixtures().join("news").to_str().unwrap()]);
    let annotate = |cli: &Cli| {
        cli.run(&[
            "annotate", "add", "1", "--label", "LOC", "--start", "0", "--end", "8",
        ])
    };
    {
        // This test process holds the archive for writing, as the desktop app would.
        let mut first = annalist::service::Archive::open(&cli.archive()).unwrap();
        let refused = annotate(&cli);
        assert!(!refused.status.success());
        let stderr = String::from_utf8_lossy(&refused.stderr);
        assert!(
            stderr.contains(&format!("in use by process {}", std::process::id())),
            "{stderr}"
        );
        // Reading still works, and says it is read-only.
        let out = cli.run(&["search", "Saravan"]);
        assert!(out.status.success());
        assert!(String::from_utf8_lossy(&out.stderr).contains("read-only"));
        // The first process is unaffected: it writes and searches as before.
        let text = first.article(annalist::model::ArticleId(1)).unwrap().text;
        let n = text.chars().take_while(|c| !c.is_whitespace()).count();
        first
            .add_annotation(
                annalist::model::ArticleId(1),
                annalist::service::manual_annotation(
                    "ORG",
                    annalist::model::CharSpan::ordered(0, n).unwrap(),
                    Default::default(),
                    "t",
                ),
            )
            .unwrap();
        first.sync_index().unwrap();
        assert!(first.search("Saravan", 5, 0).unwrap().total > 0);
    }
    // Closed cleanly: the next writer opens without a word.
    let out = annotate(&cli);
    assert!(out.status.success());
    assert!(!String::from_utf8_lossy(&out.stderr).contains("stale"));
    // A lock file naming a process that died (no OS lock held) is stale: taken over, said so.
    std::fs::write(cli.archive().join("annalist.lock"), "999999999").unwrap();
    let out = cli.run(&["annotate", "list", "1"]);
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("process 999999999") && stderr.contains("stale lock"),
        "{stderr}"
    );
}

#[test]
fn check_finds_misplaced_spans_and_repairs_what_is_derived() {
    let cli = Cli::new();
    cli.ok(&["import", fixtures().join("news").to_str().unwrap()]);
    cli.ok(&[
        "annotate", "add", "1", "--label", "LOC", "--start", "0", "--end", "6",
    ]);
    assert!(cli.ok(&["check"]).contains("ok"));
    // Damage behind the archive's back: an annotation's stored text no longer matches.
    {
        let db = rusqlite::Connection::open(cli.archive().join("annalist.sqlite3")).unwrap();
        db.execute("UPDATE annotations SET text = 'Nowhere' WHERE id = 1", [])
            .unwrap();
    }
    let out = cli.run(&["check", "--json"]);
    assert_eq!(out.status.code(), Some(2));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let problem = report["unrepaired"][0].as_str().unwrap();
    assert!(
        problem.contains("annotation 1") && problem.contains("Nowhere"),
        "{report}"
    );
    // --repair rebuilds the index and says what it could not fix.
    std::fs::remove_dir_all(cli.archive().join("index")).unwrap();
    let out = cli.run(&["check", "--repair", "--json"]);
    assert_eq!(out.status.code(), Some(2));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        report["repaired"]
            .to_string()
            .contains("rebuilt the search index")
    );
    assert_eq!(report["indexed"], report["articles"]);
    assert!(report["unrepaired"].to_string().contains("Nowhere"));
}

#[test]
fn backup_while_open_then_restore_by_opening_the_copy() {
    let cli = Cli::new();
    cli.ok(&["import", fixtures().join("news").to_str().unwrap()]);
    let dest = cli.dir.path().join("backup");
    let before = cli.ok(&["export"]);
    {
        // Another process has the archive open (and writing) during the backup.
        let mut writer = annalist::service::Archive::open(&cli.archive()).unwrap();
        writer
            .add_annotation(
                annalist::model::ArticleId(1),
                annalist::service::manual_annotation(
                    "ORG",
                    annalist::model::CharSpan::ordered(0, 4).unwrap(),
                    Default::default(),
                    "t",
                ),
            )
            .unwrap();
        let out = cli.ok(&["backup", dest.to_str().unwrap()]);
        assert!(
            out.contains("backed up 3 articles and 1 annotation "),
            "{out}"
        );
        let refused = cli.run(&["backup", dest.to_str().unwrap()]);
        assert!(
            !refused.status.success(),
            "a non-empty destination is refused"
        );
    }
    // Restoring is using the copy as the archive: it opens, rebuilds its index, searches.
    let restored = Cli {
        dir: tempfile::tempdir().unwrap(),
    };
    std::fs::rename(&dest, restored.archive()).unwrap();
    assert!(restored.ok(&["check"]).contains("ok"));
    let after = restored.ok(&["export"]);
    assert_eq!(before.lines().count(), after.lines().count());
    assert!(
        after.contains("\"label\":\"ORG\""),
        "the annotation made during the backup is in it"
    );
    assert!(!restored.ok(&["search", "Saravan"]).is_empty());
}

#[test]
fn facets_count_labels_outlets_and_years_of_the_matches() {
    let cli = Cli::new();
    let dir = cli.dir.path().join("in");
    std::fs::create_dir(&dir).unwrap();
    let records = [
        ("A", "Strike in Saravan kills nine", "2024-01-19", "Wire"),
        ("B", "Saravan market reopens", "2023-05-02", "Wire"),
        ("C", "Saravan border talks", "2024-02-10", "Daily"),
        ("D", "Football results", "2024-03-01", "Daily"),
    ];
    let lines: Vec<String> = records
        .iter()
        .map(|(title, text, published, source)| {
            serde_json::json!({"title": title, "text": text, "published": published, "source": source})
                .to_string()
        })
        .collect();
    std::fs::write(dir.join("a.jsonl"), lines.join("\n")).unwrap();
    cli.ok(&["import", dir.to_str().unwrap()]);
    cli.ok(&[
        "annotate", "add", "1", "--label", "LOC", "--start", "9", "--end", "16",
    ]);
    // A rejected span does not count, and is not found by label.
    cli.ok(&[
        "annotate",
        "add",
        "2",
        "--label",
        "ORG",
        "--start",
        "0",
        "--end",
        "7",
        "--status",
        "suggested",
    ]);
    cli.ok(&["suggestions", "reject", "--all"]);
    let facets: serde_json::Value =
        serde_json::from_str(&cli.ok(&["search", "Saravan", "--facets", "--json"])).unwrap();
    assert_eq!(facets["total"], 3);
    assert_eq!(
        facets["labels"],
        serde_json::json!([["LOC", 1]]),
        "{facets}"
    );
    assert_eq!(
        facets["sources"],
        serde_json::json!([["Wire", 2], ["Daily", 1]])
    );
    assert_eq!(facets["years"], serde_json::json!([[2023, 1], [2024, 2]]));
    let all: serde_json::Value =
        serde_json::from_str(&cli.ok(&["search", "", "--facets", "--json"])).unwrap();
    assert_eq!(all["total"], 4);
    assert!(cli.run(&["search", "label:ORG"]).status.code() == Some(1));
}

#[test]
fn many_small_imports_do_not_leave_the_index_in_pieces() {
    let cli = Cli::new();
    let dir = cli.dir.path().join("in");
    std::fs::create_dir(&dir).unwrap();
    // Twenty processes, one import each: every one commits a segment of its own, and the
    // merges tantivy starts must finish before the process goes.
    for i in 0..20 {
        let file = dir.join(format!("{i}.txt"));
        std::fs::write(
            &file,
            format!("Report {i}\n\nShelling near the river, day {i}."),
        )
        .unwrap();
        cli.ok(&["import", file.to_str().unwrap()]);
    }
    let stats: serde_json::Value = serde_json::from_str(&cli.ok(&["stats", "--json"])).unwrap();
    assert_eq!(stats["indexed_docs"], 20);
    let segments = stats["index_segments"].as_u64().unwrap();
    assert!(segments < 10, "{segments} segments for 20 imports");
}

#[test]
fn labels_are_renamed_recoloured_and_removed_with_their_annotations() {
    let cli = Cli::new();
    cli.ok(&["import", fixtures().join("news").to_str().unwrap()]);
    let id = article_id_by_title(&cli, "Pakistan and Iran trade cross-border strikes");
    let text = show(&cli, id)["text"].as_str().unwrap().to_owned();
    let start = char_find(&text, "Saravan");
    let span = |label: &str| {
        cli.ok(&[
            "annotate",
            "add",
            &id.to_string(),
            "--label",
            label,
            "--start",
            &start.to_string(),
            "--end",
            &(start + 7).to_string(),
            // Suggested: an accepted span would be learned in the other articles too.
            "--status",
            "suggested",
        ]);
    };
    span("LOC");
    let annotations =
        |cli: &Cli| json_lines(&cli.ok(&["annotate", "list", &id.to_string(), "--json"]));

    let renamed = cli.run(&["labels", "rename", "LOC", "PLACE"]);
    assert!(renamed.status.success());
    assert!(
        String::from_utf8_lossy(&renamed.stderr).contains("1 annotation relabelled"),
        "{}",
        String::from_utf8_lossy(&renamed.stderr)
    );
    assert_eq!(annotations(&cli)[0]["label"], "PLACE");
    assert_eq!(
        cli.ok(&["search", "label:PLACE", "--json"]).lines().count(),
        1
    );
    let taken = cli.run(&["labels", "rename", "PLACE", "PER"]);
    assert_eq!(taken.status.code(), Some(2), "a name in use is refused");

    cli.ok(&[
        "labels",
        "set",
        "PLACE",
        "--color",
        "#123456",
        "--key",
        "p",
        "--description",
        "Where it happened",
    ]);
    let listed = cli.ok(&["labels", "list"]);
    let place = listed.lines().find(|l| l.starts_with("PLACE")).unwrap();
    assert!(
        place.contains("#123456") && place.contains(" p ") && place.ends_with("Where it happened"),
        "{place}"
    );
    let shared = cli.run(&["labels", "set", "PER", "--key", "p"]);
    assert_eq!(shared.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&shared.stderr).contains("key p already labels PLACE"),
        "{}",
        String::from_utf8_lossy(&shared.stderr)
    );
    let shared = cli.run(&["labels", "add", "WHERE", "--shortcut", "p"]);
    assert_eq!(
        shared.status.code(),
        Some(2),
        "adding refuses a shared key too"
    );

    let refused = cli.run(&["labels", "remove", "PLACE"]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("1 annotation in 1 article"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
    assert_eq!(annotations(&cli).len(), 1, "nothing was removed");
    cli.ok(&["labels", "remove", "PLACE", "--with-annotations"]);
    assert!(annotations(&cli).is_empty());
    assert!(!cli.ok(&["labels", "list"]).contains("PLACE"));
    assert_eq!(cli.run(&["search", "label:PLACE"]).status.code(), Some(1));
}

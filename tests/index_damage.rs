//! A damaged or unwritable search index, through the real CLI: the index is derived, so
//! every command still works (or says exactly what to do), `check` reports the damage,
//! and after `check --repair` (or a plain open) searches find what they found before.
//! The cases are listed in docs/reliability.md.

use std::path::{Path, PathBuf};

use crate::bad_input::Run;
use crate::support::{Cli, Immutable, json_lines};

/// Queries whose hits are compared before the damage and after the repair.
const QUERIES: &[&str] = &[
    "market",
    "\"killed near the clinic\"",
    "school OR bridge",
    "title:7",
];

/// An archive of 240 articles, in a few segments.
fn archive() -> Cli {
    let cli = Cli::new();
    let places = ["market", "village", "school", "bridge", "clinic"];
    cli.import_texts((0..240).map(|i| {
        let place = places[i % places.len()];
        let text = format!(
            "Report {i} from the {place}\n\nWitnesses said {n} people were killed near the {place} \
             on day {i}; nine people were wounded, officials said, and aid workers counted {m} \
             families without shelter after the attack number {i}.\n",
            n = i % 13,
            m = i * 7 % 101
        );
        (
            format!("a{i:03}.txt"),
            Box::leak(text.into_boxed_str()) as &str,
        )
    }));
    cli
}

/// Sorted article ids of every hit, per query.
fn hits(cli: &Cli) -> Vec<Vec<i64>> {
    QUERIES
        .iter()
        .map(|query| {
            let out = cli.run(&["search", query, "--json", "--limit", "1000"]);
            let run = Run::from(out);
            assert!(
                run.code == Some(0) || run.code == Some(1),
                "{query}: {}",
                run.stderr
            );
            let mut ids: Vec<i64> = json_lines(&run.stdout)
                .iter()
                .map(|hit| hit["id"].as_i64().unwrap())
                .collect();
            ids.sort_unstable();
            ids
        })
        .collect()
}

fn index_dir(cli: &Cli) -> PathBuf {
    cli.archive().join("index")
}

/// The segment files of the index with this extension, largest first.
fn segment_files(cli: &Cli, extension: &str) -> Vec<PathBuf> {
    let mut files: Vec<(u64, PathBuf)> = std::fs::read_dir(index_dir(cli))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == extension))
        .map(|p| (std::fs::metadata(&p).unwrap().len(), p))
        .collect();
    files.sort_by(|a, b| b.cmp(a));
    files.into_iter().map(|(_, p)| p).collect()
}

#[derive(Debug, Clone, Copy)]
enum Damage {
    /// `meta.json` replaced by bytes that are not JSON.
    MetaCorrupt,
    /// The largest postings file removed.
    SegmentDeleted,
    /// The largest term dictionary cut to half its length.
    SegmentTruncated,
    /// Bytes in the second quarter of the document store and positions files overwritten
    /// (their headers and footers, which tantivy reads when it opens them, stay intact):
    /// only reading every byte finds it.
    RandomBytes,
    /// The same in the postings, term dictionary and fast field files: some of it is found
    /// when the files are opened, some only when a search reads them.
    RandomBytesEverywhere,
}

const DAMAGES: [Damage; 4] = [
    Damage::MetaCorrupt,
    Damage::SegmentDeleted,
    Damage::SegmentTruncated,
    Damage::RandomBytes,
];

fn damage(cli: &Cli, damage: Damage) {
    match damage {
        Damage::MetaCorrupt => {
            std::fs::write(index_dir(cli).join("meta.json"), "{\"segments\": [garbage").unwrap();
        }
        Damage::SegmentDeleted => std::fs::remove_file(&segment_files(cli, "idx")[0]).unwrap(),
        Damage::SegmentTruncated => {
            let file = &segment_files(cli, "term")[0];
            let len = std::fs::metadata(file).unwrap().len();
            std::fs::OpenOptions::new()
                .write(true)
                .open(file)
                .unwrap()
                .set_len(len / 2)
                .unwrap();
        }
        Damage::RandomBytes | Damage::RandomBytesEverywhere => {
            let extensions: &[&str] = if matches!(damage, Damage::RandomBytes) {
                &["store", "pos"]
            } else {
                &["idx", "term", "fast"]
            };
            let mut state: u64 = 0x2545_f491_4f6c_dd1d;
            for extension in extensions {
                // The largest file of each kind: in a small one the footer is most of it.
                for file in segment_files(cli, extension).into_iter().take(1) {
                    let mut bytes = std::fs::read(&file).unwrap();
                    let (from, to) = (bytes.len() / 4, bytes.len() / 2);
                    let span = u64::try_from((to - from).max(1)).unwrap();
                    for _ in 0..((to - from) / 4).max(1) {
                        // xorshift: reproducible bytes without a dependency.
                        state ^= state << 13;
                        state ^= state >> 7;
                        state ^= state << 17;
                        let at = from + usize::try_from(state % span).unwrap();
                        bytes[at] = (state >> 32) as u8;
                    }
                    std::fs::write(&file, bytes).unwrap();
                }
            }
        }
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A copy of `cli`'s archive in a fresh temporary folder.
fn copy_of(cli: &Cli) -> Cli {
    let copy = Cli::new();
    copy_dir(&cli.archive(), &copy.archive());
    copy
}

/// No error on stderr, and every line about the index names the damage and says it was
/// rebuilt.
fn assert_only_index_notes(run: &Run, what: &str) {
    for line in run.stderr.lines() {
        let about_index = line.contains("index");
        assert!(
            !line.starts_with("error")
                && (!about_index
                    || line.starts_with("note: the search index was damaged (")
                        && line.ends_with("it was rebuilt from the database")
                    || line.starts_with("warning: the search index was damaged (")
                        && line.contains("it was rebuilt from the database (")),
            "{what}: unexpected stderr line {line:?}\n{}",
            run.stderr
        );
    }
}

#[test]
fn every_command_works_on_a_damaged_index_and_repair_finds_the_same_hits() {
    let pristine = archive();
    let before = hits(&pristine);
    assert!(before.iter().all(|ids| !ids.is_empty()), "{before:?}");
    let export = pristine.dir.path().join("baseline.jsonl");
    pristine.ok(&[
        "export",
        "--format",
        "jsonl",
        "--out",
        export.to_str().unwrap(),
    ]);
    let baseline_export = std::fs::read(&export).unwrap();
    for kind in DAMAGES {
        let damaged = copy_of(&pristine);
        damage(&damaged, kind);
        let commands: &[&[&str]] = &[
            &["list", "--limit", "5"],
            &["show", "1", "--json"],
            &["stats"],
            &["annotate", "list", "1"],
            &["labels", "list"],
            &["search", "killed"],
            &["search", "killed", "--facets"],
            &["export", "--format", "jsonl", "--out", "OUT"],
            &["reindex"],
            &[
                "annotate", "add", "2", "--label", "LOC", "--start", "0", "--end", "6",
            ],
        ];
        for command in commands {
            // Each command meets the damage first: it runs on a damaged copy of its own.
            let cli = copy_of(&damaged);
            let out_file = cli.dir.path().join("out.jsonl");
            let args: Vec<&str> = command
                .iter()
                .map(|a| {
                    if *a == "OUT" {
                        out_file.to_str().unwrap()
                    } else {
                        a
                    }
                })
                .collect();
            let run = Run::from(cli.run(&args));
            let what = format!("{kind:?} {args:?}");
            assert_eq!(run.code, Some(0), "{what}: {}\n{}", run.stdout, run.stderr);
            assert_only_index_notes(&run, &what);
            if command[0] == "export" {
                assert_eq!(std::fs::read(&out_file).unwrap(), baseline_export, "{what}");
            }
        }

        // `check` reports the damage, and `check --repair` mends it.
        let cli = copy_of(&damaged);
        let check = Run::from(cli.run(&["check"]));
        match kind {
            // Found when the files are opened: the open rebuilds, and check says so.
            Damage::MetaCorrupt
            | Damage::SegmentDeleted
            | Damage::SegmentTruncated
            | Damage::RandomBytesEverywhere => {
                check.exit(0);
                let line = check
                    .stdout
                    .lines()
                    .find(|l| l.starts_with("repaired: index: it was damaged ("))
                    .unwrap_or_else(|| panic!("{kind:?}: {}", check.stdout));
                assert!(
                    line.ends_with("it was rebuilt from the database when the archive was opened"),
                    "{line}"
                );
            }
            // Only reading every byte finds it: check does, and fails.
            Damage::RandomBytes => {
                check.exit(2);
                assert!(
                    check.stdout.lines().any(|l| l.starts_with("problem: index: segment file ")
                        && l.ends_with(
                            "does not match its checksum (its bytes were changed) (run `annalist check --repair` to rebuild it from the database; nothing stored is affected)"
                        )),
                    "{}",
                    check.stdout
                );
            }
        }
        let repair = Run::from(cli.run(&["check", "--repair"]));
        repair.exit(0);
        assert!(
            repair
                .stdout
                .contains("repaired: rebuilt the search index (240 articles)"),
            "{}",
            repair.stdout
        );
        assert_eq!(hits(&cli), before, "{kind:?}: hits after check --repair");
        Run::from(cli.run(&["check"])).exit(0);

        // A plain open mends what it can see; a search mends the rest when it meets it.
        let cli = copy_of(&damaged);
        let search = Run::from(cli.run(&["search", "killed", "--limit", "1"]));
        search.exit(0);
        if !matches!(kind, Damage::RandomBytes) {
            // Found when the archive opened: rebuilt then.
            assert_eq!(hits(&cli), before, "{kind:?}: hits after a plain open");
        }
    }
}

#[test]
fn a_search_on_overwritten_segments_never_panics() {
    let pristine = archive();
    for round in 0..3 {
        let cli = copy_of(&pristine);
        for _ in 0..=round {
            damage(&cli, Damage::RandomBytesEverywhere);
        }
        for query in QUERIES {
            // Run::from fails the test on a panic message; the exit code is never 101.
            let run = Run::from(cli.run(&["search", query]));
            assert!(
                run.code == Some(0) || run.code == Some(1),
                "{query}: {}",
                run.stderr
            );
            let facets = Run::from(cli.run(&["search", query, "--facets"]));
            assert!(
                facets.code == Some(0) || facets.code == Some(1),
                "{}",
                facets.stderr
            );
        }
    }
}

#[test]
fn rebuilding_a_damaged_index_removes_only_the_index_folder() {
    let cli = archive();
    let before = hits(&cli);
    let archive = cli.archive();
    std::fs::write(archive.join("notes.txt"), "mine").unwrap();
    // An index folder that is a link to a folder of the user's: the link goes, the folder
    // and its files stay.
    let elsewhere = cli.dir.path().join("elsewhere");
    std::fs::create_dir(&elsewhere).unwrap();
    std::fs::write(elsewhere.join("meta.json"), "{not an index").unwrap();
    // Of the current format, so the folder is taken for a damaged index, not an old one.
    let version = std::fs::read_to_string(index_dir(&cli).join("annalist-index-version")).unwrap();
    std::fs::write(elsewhere.join("annalist-index-version"), version).unwrap();
    std::fs::write(elsewhere.join("thesis.txt"), "chapter one").unwrap();
    std::fs::remove_dir_all(index_dir(&cli)).unwrap();
    std::os::unix::fs::symlink(&elsewhere, index_dir(&cli)).unwrap();
    let run = Run::from(cli.run(&["search", "killed", "--limit", "1"]));
    run.exit(0);
    assert_eq!(
        run.stderr.trim(),
        "note: the search index was damaged (its file meta.json is corrupt); it was rebuilt from the database"
    );
    assert_eq!(
        std::fs::read_to_string(archive.join("notes.txt")).unwrap(),
        "mine"
    );
    assert_eq!(
        std::fs::read_to_string(elsewhere.join("thesis.txt")).unwrap(),
        "chapter one"
    );
    assert_eq!(
        std::fs::read_to_string(elsewhere.join("meta.json")).unwrap(),
        "{not an index"
    );
    assert!(index_dir(&cli).is_dir() && !index_dir(&cli).is_symlink());
    assert_eq!(hits(&cli), before);
}

#[test]
#[ignore = "needs root (chattr +i): .ci/run runs it"]
fn writes_are_stored_once_and_reported_when_the_index_cannot_follow() {
    let cli = archive();
    let index = index_dir(&cli);
    let behind = format!(
        "warning: the search index is behind the database: the index folder {} cannot be written (permission denied); what was stored is safe, and the index catches up the next time the archive is opened (or run `annalist reindex`)",
        index.display()
    );
    let guard = Immutable::set(vec![index.clone()]);
    let add = Run::from(cli.run(&[
        "annotate", "add", "3", "--label", "DATE", "--start", "0", "--end", "6",
    ]));
    add.exit(0).says(&behind);
    assert_eq!(
        add.stdout.trim(),
        "added annotation 1 in article 3: DATE [0, 6) \"Report\", accepted"
    );
    let new = cli.dir.path().join("late.txt");
    std::fs::write(
        &new,
        "Late report\n\nA convoy was shelled near the checkpoint.\n",
    )
    .unwrap();
    let import = Run::from(cli.run(&["import", new.to_str().unwrap()]));
    import.exit(0).says(&behind);
    assert!(import.stdout.contains("1 imported"), "{}", import.stdout);
    let label = Run::from(cli.run(&["labels", "add", "SITE", "--color", "#112233"]));
    label.exit(0);
    let second = Run::from(cli.run(&[
        "annotate", "add", "4", "--label", "CASUALTY", "--start", "0", "--end", "6",
    ]));
    second.exit(0).says(&behind);
    let remove = Run::from(cli.run(&["annotate", "remove", "1"]));
    remove.exit(0).says(&behind);
    // Searches work on what the index held.
    let search = Run::from(cli.run(&["search", "killed", "--limit", "1"]));
    search.exit(0);
    let check = Run::from(cli.run(&["check"]));
    check.exit(2);
    assert!(
        check
            .stdout
            .contains("problem: index: 240 documents for 241 articles"),
        "{}",
        check.stdout
    );
    drop(guard);
    // Stored once each; the next open catches the index up.
    assert_eq!(cli.ok(&["annotate", "list", "3"]), "");
    let annotations = cli.ok(&["annotate", "list", "4"]);
    assert_eq!(annotations.lines().count(), 1, "{annotations}");
    let dated = Run::from(cli.run(&["search", "label:DATE", "--json"]));
    dated.exit(1);
    assert_eq!(dated.stdout, "");
    assert_eq!(cli.ok(&["search", "convoy", "--json"]).lines().count(), 1);
    let located = json_lines(&cli.ok(&["search", "label:CASUALTY", "--json"]));
    assert_eq!(located.len(), 1, "{located:?}");
    assert_eq!(located[0]["id"], 4);
    Run::from(cli.run(&["check"])).exit(0);
}

/// Writes to the archive's database as another tool would.
fn sql(cli: &Cli, statement: &str) {
    let db = rusqlite::Connection::open(cli.archive().join("annalist.sqlite3")).unwrap();
    db.execute_batch(statement).unwrap();
}

#[test]
#[expect(
    clippy::too_many_lines,
    reason = "one scenario, step by step; a test, not shipped code"
)]
fn rows_another_tool_damaged_are_named_and_skipped_and_the_rest_is_listed_and_exported() {
    let cli = Cli::new();
    cli.import_texts((1..=4).map(|i| {
        (
            format!("a{i}.txt"),
            match i {
                1 => "Shelling in Kharkiv\n\nShelling resumed in Kharkiv on Tuesday.\n",
                2 => "Convoy reaches Mariupol\n\nA convoy reached Mariupol on Wednesday.\n",
                3 => "Strike in Odesa\n\nA strike hit the port of Odesa on Thursday.\n",
                _ => "Talks in Geneva\n\nTalks resumed in Geneva on Friday.\n",
            },
        )
    }));
    cli.ok(&[
        "annotate", "add", "1", "--label", "DATE", "--start", "52", "--end", "59",
    ]);
    cli.ok(&[
        "annotate", "add", "3", "--label", "DATE", "--start", "49", "--end", "57",
    ]);
    cli.ok(&[
        "annotate", "add", "3", "--label", "DATE", "--start", "0", "--end", "6",
    ]);
    sql(
        &cli,
        "UPDATE articles SET published = '2024-99-99' WHERE id = 2;
         UPDATE annotations SET attrs = 'not json' WHERE id = 2;",
    );
    let date_line = "warning: article 2 (table articles, column published) is damaged: '2024-99-99' is not a date: expected YYYY, YYYY-MM or YYYY-MM-DD; it was left out and the rest went on (`annalist check` lists every such row; correct it with sqlite3 or restore a backup)";
    let attrs_line = "warning: annotation 2 (table annotations, column attrs) is damaged: not a JSON object of attributes (expected ident at line 1 column 2); it was left out and the rest went on (`annalist check` lists every such row; correct it with sqlite3 or restore a backup)";

    let list = Run::from(cli.run(&["list", "--json"]));
    list.exit(2).says(date_line);
    let ids: Vec<i64> = json_lines(&list.stdout)
        .iter()
        .map(|row| row["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [1, 3, 4]);

    let out = cli.dir.path().join("export.jsonl");
    let export = Run::from(cli.run(&[
        "export",
        "--format",
        "jsonl",
        "--out",
        out.to_str().unwrap(),
    ]));
    export.exit(2).says(date_line).says(attrs_line);
    let records = json_lines(&std::fs::read_to_string(&out).unwrap());
    let ids: Vec<i64> = records.iter().map(|r| r["id"].as_i64().unwrap()).collect();
    assert_eq!(ids, [1, 3, 4]);
    let spans: Vec<&str> = records
        .iter()
        .flat_map(|r| r["annotations"].as_array().unwrap())
        .map(|a| a["text"].as_str().unwrap())
        .collect();
    assert_eq!(spans, ["Tuesday", "Strike"], "annotation 2 is left out");

    let show = Run::from(cli.run(&["show", "2"]));
    show.exit(2).says(
        "error: article 2 (table articles, column published) is damaged: '2024-99-99' is not a date: expected YYYY, YYYY-MM or YYYY-MM-DD",
    );
    let search = Run::from(cli.run(&["search", "resumed OR convoy OR strike", "--json"]));
    search.exit(2);
    let ids: Vec<i64> = json_lines(&search.stdout)
        .iter()
        .map(|hit| hit["id"].as_i64().unwrap())
        .collect();
    assert!(
        !ids.contains(&2) && ids.contains(&1) && ids.contains(&3),
        "{ids:?}"
    );

    let check = Run::from(cli.run(&["check"]));
    check.exit(2);
    let problems: Vec<&str> = check
        .stdout
        .lines()
        .filter(|l| l.starts_with("problem: "))
        .collect();
    assert_eq!(
        problems,
        [
            "problem: database: article 2 (table articles, column published) is damaged: '2024-99-99' is not a date: expected YYYY, YYYY-MM or YYYY-MM-DD (lists and exports skip it; correct it with sqlite3, or restore the latest backup: docs/reliability.md)",
            "problem: database: annotation 2 (table annotations, column attrs) is damaged: not a JSON object of attributes (expected ident at line 1 column 2) (lists and exports skip it; correct it with sqlite3, or restore the latest backup: docs/reliability.md)",
        ],
        "{}",
        check.stdout
    );
    // Nothing was changed behind the user's back: the rows are as the other tool left them.
    let db = rusqlite::Connection::open(cli.archive().join("annalist.sqlite3")).unwrap();
    let published: String = db
        .query_row("SELECT published FROM articles WHERE id = 2", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(published, "2024-99-99");
    let attrs: String = db
        .query_row("SELECT attrs FROM annotations WHERE id = 2", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(attrs, "not json");
    drop(db);

    // Once corrected, everything is back.
    sql(
        &cli,
        "UPDATE articles SET published = '2024-03-02' WHERE id = 2; UPDATE annotations SET attrs = '{}' WHERE id = 2;",
    );
    assert_eq!(json_lines(&cli.ok(&["list", "--json"])).len(), 4);
    cli.ok(&["check"]);
}

#[test]
fn spans_another_tool_moved_off_their_text_are_left_out_of_every_export() {
    let cli = Cli::new();
    cli.import_texts([(
        "a.txt".to_owned(),
        "Shelling in Kharkiv\n\nShelling resumed in Kharkiv on Tuesday, officials in Kyiv said.\n",
    )]);
    cli.ok(&[
        "annotate", "add", "1", "--label", "DATE", "--start", "52", "--end", "59",
    ]);
    cli.ok(&[
        "annotate", "add", "1", "--label", "CASUALTY", "--start", "0", "--end", "8",
    ]);
    cli.ok(&[
        "annotate", "add", "1", "--label", "DATE", "--start", "12", "--end", "19",
    ]);
    // Moved outside the text, and moved by one code point (its text no longer matches).
    sql(
        &cli,
        "UPDATE annotations SET start = 500, end = 507 WHERE id = 1;
         UPDATE annotations SET start = 1, end = 9 WHERE id = 2;",
    );
    let outside = "warning: annotation 1 (table annotations, column start, end) is damaged: span [500, 507) of article 1 is outside its text of 85 code points; it was left out and the rest went on (`annalist check` lists every such row; correct it with sqlite3 or restore a backup)";
    let moved = "warning: annotation 2 (table annotations, column start, end) is damaged: the text of article 1 at [1, 9) reads \"helling \", not \"Shelling\"; it was left out and the rest went on (`annalist check` lists every such row; correct it with sqlite3 or restore a backup)";
    for format in [
        "jsonl",
        "csv",
        "events-csv",
        "doccano",
        "label-studio",
        "conll",
        "web-annotation",
        "brat",
    ] {
        let out = cli.dir.path().join(format!("export-{format}"));
        let run =
            Run::from(cli.run(&["export", "--format", format, "--out", out.to_str().unwrap()]));
        run.exit(2).says(outside).says(moved);
    }
    let out = cli.dir.path().join("export.jsonl");
    Run::from(cli.run(&[
        "export",
        "--format",
        "jsonl",
        "--out",
        out.to_str().unwrap(),
    ]))
    .exit(2);
    let records = json_lines(&std::fs::read_to_string(&out).unwrap());
    // Exports name annotations by uid: annotation 3's is made from its coder, article,
    // label and span.
    let spans: Vec<(String, &str)> = records[0]["annotations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            let uid = annalist::model::annotation_uid(
                a["coder"].as_str().unwrap_or(""),
                records[0]["content_sha256"].as_str().unwrap(),
                a["label"].as_str().unwrap(),
                a["start"].as_u64().unwrap() as usize,
                a["end"].as_u64().unwrap() as usize,
                0,
            );
            assert_eq!(a["uid"], uid.as_str(), "{a}");
            (uid, a["text"].as_str().unwrap())
        })
        .collect();
    assert_eq!(spans.len(), 1);
    assert_eq!(spans[0].1, "Kharkiv");
    assert_eq!(crate::support::python_checks_spans(&out), 1);
    // check names both, as it did.
    let check = Run::from(cli.run(&["check"]));
    check.exit(2);
    assert_eq!(
        check
            .stdout
            .lines()
            .filter(|l| l.starts_with("problem: "))
            .count(),
        2,
        "{}",
        check.stdout
    );
}

#[test]
fn a_span_another_tool_reversed_is_a_damaged_row_every_reader_names() {
    let cli = Cli::new();
    cli.import_texts([(
        "a.txt".to_owned(),
        "Shelling in Kharkiv\n\nShelling resumed in Kharkiv on Tuesday, officials in Kyiv said.\n",
    )]);
    cli.ok(&[
        "annotate", "add", "1", "--label", "DATE", "--start", "52", "--end", "59",
    ]);
    cli.ok(&[
        "annotate", "add", "1", "--label", "LOC", "--start", "12", "--end", "19",
    ]);
    // Reversed, and empty: no text has such a span, so the row cannot be read back. The
    // schema's CHECK refuses them; a tool that turns checks off gets them in all the same.
    sql(
        &cli,
        "PRAGMA ignore_check_constraints = ON;
         UPDATE annotations SET start = 59, end = 52 WHERE id = 1;
         UPDATE annotations SET end = start WHERE id = 2;",
    );
    let reversed = "annotation 1 (table annotations, column start, end) is damaged: span [59, 52) is empty or reversed: end must be greater than start";
    let empty = "annotation 2 (table annotations, column start, end) is damaged: span [12, 12) is empty or reversed: end must be greater than start";
    let warning = |what: &str| {
        format!(
            "warning: {what}; it was left out and the rest went on (`annalist check` lists every such row; correct it with sqlite3 or restore a backup)"
        )
    };
    let list = Run::from(cli.run(&["annotate", "list", "1", "--json"]));
    list.exit(2).says(&warning(reversed)).says(&warning(empty));
    // What is left is the suggestion learning made of the other "Kharkiv".
    let ids: Vec<i64> = json_lines(&list.stdout)
        .iter()
        .map(|a| a["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [3], "{}", list.stdout);
    let out = cli.dir.path().join("export.jsonl");
    let export = Run::from(cli.run(&[
        "export",
        "--format",
        "jsonl",
        "--out",
        out.to_str().unwrap(),
    ]));
    export
        .exit(2)
        .says(&warning(reversed))
        .says(&warning(empty));
    let records = json_lines(&std::fs::read_to_string(&out).unwrap());
    let ids: Vec<i64> = records[0]["annotations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_i64().unwrap())
        .collect();
    assert_eq!(
        ids,
        Vec::<i64>::new(),
        "accepted only: the suggestion is not exported"
    );
    let check = Run::from(cli.run(&["check"]));
    check.exit(2);
    let problems: Vec<&str> = check
        .stdout
        .lines()
        .filter(|l| l.starts_with("problem: "))
        .collect();
    let integrity = "problem: database: integrity: CHECK constraint failed in annotations (restore the latest backup: docs/reliability.md)";
    let skipped = |what: &str| {
        format!(
            "problem: database: {what} (lists and exports skip it; correct it with sqlite3, or restore the latest backup: docs/reliability.md)"
        )
    };
    // SQLite's own check names the broken CHECK; the rows come in the order they were read.
    assert_eq!(
        problems,
        [
            integrity.to_owned(),
            integrity.to_owned(),
            skipped(empty),
            skipped(reversed),
        ],
        "{}",
        check.stdout
    );
}

#[test]
fn deep_queries_and_absurd_limits_get_clear_messages_not_crashes() {
    let cli = Cli::new();
    cli.import_texts([(
        "a.txt".to_owned(),
        "Shelling in Kharkiv\n\nShelling resumed in Kharkiv on Tuesday.\n",
    )]);
    let deep = format!("{}shelling{}", "(".repeat(10_000), ")".repeat(10_000));
    let refused = "error: cannot understand the query: the query nests parentheses 10000 levels deep; at most 100 are allowed";
    Run::from(cli.run(&["search", &deep])).exit(2).says(refused);
    Run::from(cli.run(&["search", &deep, "--facets"]))
        .exit(2)
        .says(refused);
    let out = cli.dir.path().join("deep.jsonl");
    let export = Run::from(cli.run(&[
        "export",
        "--format",
        "jsonl",
        "--query",
        &deep,
        "--out",
        out.to_str().unwrap(),
    ]));
    export.exit(2);
    assert!(
        export
            .stderr
            .contains("the query nests parentheses 10000 levels deep; at most 100 are allowed"),
        "{}",
        export.stderr
    );
    assert!(!out.exists(), "nothing is written for a refused query");
    let deepest = format!("{}shelling{}", "(".repeat(100), ")".repeat(100));
    assert_eq!(
        json_lines(&cli.ok(&["search", &deepest, "--json"])).len(),
        1
    );

    for (args, message) in [
        (
            vec!["search", "shelling", "--limit", "18446744073709551615"],
            "error: invalid value '18446744073709551615' for '--limit <LIMIT>': 18446744073709551615 is more than 1000000000, the most this takes (to see everything, give 1000000000)",
        ),
        (
            vec!["search", "shelling", "--limit", "4000000000"],
            "error: invalid value '4000000000' for '--limit <LIMIT>': 4000000000 is more than 1000000000, the most this takes (to see everything, give 1000000000)",
        ),
        (
            vec![
                "list",
                "--offset",
                "99999999999999999999999999999999999999999",
            ],
            "error: invalid value '99999999999999999999999999999999999999999' for '--offset <OFFSET>': '99999999999999999999999999999999999999999' is not a whole number of 0 or more",
        ),
    ] {
        Run::from(cli.run(&args)).exit(2).says(message);
    }
    // The largest allowed values work at once: room is kept for what exists, not for them.
    let all = cli.ok(&["search", "shelling", "--json", "--limit", "1000000000"]);
    assert_eq!(json_lines(&all).len(), 1);
    let past = Run::from(cli.run(&[
        "search",
        "shelling",
        "--limit",
        "1000000000",
        "--offset",
        "1000000000",
    ]));
    past.exit(0);
    assert!(past.stdout.contains("1 hit (showing 0)"), "{}", past.stdout);
    assert_eq!(
        json_lines(&cli.ok(&["list", "--json", "--limit", "1000000000"])).len(),
        1
    );
}

#[test]
fn a_word_is_found_whichever_unicode_spelling_the_text_or_the_query_uses() {
    let cli = Cli::new();
    cli.import_texts([
        (
            "nfd.txt".to_owned(),
            "Protest\n\nA protest near the Cafe\u{301} Central in Kyiv.\n",
        ),
        (
            "soft.txt".to_owned(),
            "Shelling\n\nShelling in Bala\u{AD}kliia resumed.\n",
        ),
    ]);
    for (query, id, word) in [
        ("caf\u{e9}", 1, "Cafe\u{301}"),
        ("cafe\u{301}", 1, "Cafe\u{301}"),
        ("balakliia", 2, "Bala\u{AD}kliia"),
        ("Bala\u{AD}kliia", 2, "Bala\u{AD}kliia"),
    ] {
        let hits = json_lines(&cli.ok(&["search", query, "--json"]));
        assert_eq!(hits.len(), 1, "{query}");
        assert_eq!(hits[0]["id"], id);
        // Highlights count code points of the stored text, which is left as imported.
        let text: Vec<char> = hits[0]["snippet_text"].as_str().unwrap().chars().collect();
        let range = hits[0]["highlights"][0].as_array().unwrap();
        let (start, end) = (
            usize::try_from(range[0].as_u64().unwrap()).unwrap(),
            usize::try_from(range[1].as_u64().unwrap()).unwrap(),
        );
        assert_eq!(text[start..end].iter().collect::<String>(), word, "{query}");
    }
    let shown = crate::bad_input::show(&cli, 1);
    assert!(shown["text"].as_str().unwrap().contains("Cafe\u{301}"));
}

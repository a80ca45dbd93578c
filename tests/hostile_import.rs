//! Hostile input to the importers through the real CLI (issue 13): links between imported
//! annotations, files that are not regular files, line ends, format detection, ids,
//! invisible text, label names, archives and dumps of any size. Each case imports next to
//! a good file and checks the exit code, the message and that nothing stored was harmed.

use serde_json::{Value, json};

use crate::bad_input::{Archive, show};

/// The annotation of `article` whose text is `text`.
fn span<'a>(article: &'a Value, text: &str) -> &'a Value {
    article["annotations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["text"] == text)
        .unwrap_or_else(|| panic!("no span {text:?} in {article}"))
}

#[test]
fn links_follow_renumbered_annotations_and_dangling_links_are_dropped() {
    let a = Archive::new();
    // The archive already has annotation 1: the record's ids 1, 2, 3 are all given others.
    let text = "Nine killed in Quetta on Monday, officials said.";
    let record = json!({"id": 5, "title": "Quetta blast", "text": text, "annotations": [
        {"id": 1, "label": "LOC", "start": 15, "end": 21, "text": "Quetta"},
        {"id": 2, "label": "DATE", "start": 25, "end": 31, "text": "Monday"},
        {"id": 3, "label": "CASUALTY", "start": 0, "end": 11, "text": "Nine killed",
         "attrs": {"count": 9, "place": 1, "date": "2", "actor": [1, 99], "part_of": 77}}
    ]});
    let file = a.file("claims.jsonl", format!("{record}\n"));
    let run = a.import(&[&file, &a.good()], &[]);
    run.exit(0)
        .says(&format!(
            "warning: {}:1: annotation 3 (CASUALTY): link actor → 99 dropped: no annotation 99 in this record",
            file.display()
        ))
        .says(&format!(
            "warning: {}:1: annotation 3 (CASUALTY): link part_of → 77 dropped: no annotation 77 in this record",
            file.display()
        ));
    let article = show(&a.cli, 5);
    let claim = span(&article, "Nine killed");
    let place = span(&article, "Quetta");
    let date = span(&article, "Monday");
    assert_ne!(place["id"], 1, "the id was taken, so it was renumbered");
    assert_eq!(claim["attrs"]["place"], place["id"]);
    assert_eq!(claim["attrs"]["date"], date["id"].to_string());
    assert_eq!(claim["attrs"]["actor"], json!([place["id"]]));
    assert!(claim["attrs"].get("part_of").is_none(), "{claim}");
    assert_eq!(claim["attrs"]["count"], 9);
    a.assert_good_imported();
    a.assert_unharmed();
}

#[test]
fn brat_relations_named_after_links_become_links() {
    let a = Archive::new();
    let text = "Nine killed in Quetta on Monday, officials said.";
    a.file("doc.txt", text);
    let ann = a.file(
        "doc.ann",
        "T1\tCASUALTY 0 11\tNine killed\nT2\tLOC 15 21\tQuetta\nT3\tDATE 25 31\tMonday\n\
         R1\tplace Arg1:T1 Arg2:T2\nR2\tdate Arg1:T1 Arg2:T3\nR3\tcause Arg1:T1 Arg2:T2\n\
         R4\tactor Arg1:T1 Arg2:T9\n",
    );
    a.import(&[&ann, &a.good()], &[])
        .exit(0)
        .says(&format!(
            "warning: {}:7: actor link to T9, which is not a text-bound annotation of this file; ignored",
            ann.display()
        ))
        .says(&format!(
            "warning: {}: relations are not imported: 1 relation, event, modifier or normalisation lines left out",
            ann.display()
        ));
    let article = show(&a.cli, 2);
    let claim = span(&article, "Nine killed");
    assert_eq!(claim["attrs"]["place"], span(&article, "Quetta")["id"]);
    assert_eq!(claim["attrs"]["date"], span(&article, "Monday")["id"]);
    assert!(claim["attrs"].get("actor").is_none(), "{claim}");
    a.assert_good_imported();
    a.assert_unharmed();
}

fn mkfifo(path: &std::path::Path) {
    let made = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap();
    assert!(made.success(), "mkfifo {}", path.display());
}

#[test]
fn pipes_devices_and_oversized_brat_texts_are_refused_without_reading() {
    let a = Archive::new();
    let dir = a.cli.dir.path();
    // A named pipe given on the command line: opening it would wait for a writer.
    let pipe = dir.join("wire.jsonl");
    mkfifo(&pipe);
    // A brat document whose text is a named pipe, one whose text is /dev/zero (a link), one
    // whose text is over the limit.
    std::fs::create_dir(dir.join("brat")).unwrap();
    mkfifo(&dir.join("brat/a.txt"));
    std::os::unix::fs::symlink("/dev/zero", dir.join("brat/b.txt")).unwrap();
    std::fs::write(dir.join("brat/c.txt"), "x".repeat(2 * 1024 * 1024)).unwrap();
    for name in ["a", "b", "c"] {
        std::fs::write(dir.join(format!("brat/{name}.ann")), "T1\tLOC 0 1\tx\n").unwrap();
    }
    std::fs::write(dir.join("brat/d.txt"), "Quetta").unwrap();
    std::fs::write(dir.join("brat/d.ann"), "T1\tLOC 0 6\tQuetta\n").unwrap();
    let brat = dir.join("brat");
    let started = std::time::Instant::now();
    let run = a.import(&[&pipe, &brat, &a.good()], &["--max-file-mb", "1"]);
    assert!(started.elapsed().as_secs() < 30, "{:?}", started.elapsed());
    let at = |name: &str| dir.join(name).display().to_string();
    run.exit(2)
        .says(&format!(
            "failed: {} is a named pipe (FIFO), not a regular file: refused, nothing read from it",
            pipe.display()
        ))
        .says(&format!(
            "failed: {}: brat document without its other half: {} is a named pipe (FIFO), not a regular file: refused, nothing read from it",
            at("brat/a.ann"),
            at("brat/a.txt")
        ))
        .says(&format!(
            "failed: {}: brat document without its other half: {} is a character device, not a regular file: refused, nothing read from it",
            at("brat/b.ann"),
            at("brat/b.txt")
        ))
        .says(&format!(
            "failed: {}: brat document without its other half: {} is 2 MB, over the 1 MB limit: refused, nothing of it imported",
            at("brat/c.ann"),
            at("brat/c.txt")
        ))
        .summary("6 files: 2 imported, 0 duplicates, 4 failed, 1 annotation, 0 warnings");
    a.assert_good_imported();
    a.assert_unharmed();
}

#[test]
fn fifty_thousand_spans_of_one_article_import_in_linear_time() {
    let a = Archive::new();
    let words: Vec<String> = (0..50_000).map(|i| format!("w{i}")).collect();
    let text = words.join(" ");
    let mut start = 0;
    let annotations: Vec<Value> = words
        .iter()
        .map(|word| {
            let end = start + word.chars().count();
            let span = json!({"label": "LOC", "start": start, "end": end, "text": word});
            start = end + 1;
            span
        })
        .collect();
    let record = json!({"title": "Many", "text": text, "annotations": annotations});
    let file = a.file("many.jsonl", format!("{record}\n"));
    let started = std::time::Instant::now();
    a.import(&[&file, &a.good()], &[])
        .exit(0)
        .summary("2 files: 2 imported, 0 duplicates, 0 failed, 50000 annotations, 0 warnings");
    // Each span cut by a scan from the start took about 20 minutes here (debug build).
    assert!(
        started.elapsed().as_secs() < 60,
        "took {:?}",
        started.elapsed()
    );
    // good.txt sorts first and is article 2.
    let article = show(&a.cli, 3);
    assert_eq!(article["annotations"][49_999]["text"], "w49999");
    // `check` reads each article's text once, however many spans it has (it was
    // quadratic in one article's annotations: 50,000 did not finish in 400 s).
    a.assert_unharmed();
}

/// Spans after CRLF, a lone CR and in NFD text (`e` + combining acute), and one whose
/// letters repeat ("aaaa"), as Windows tools write them: offsets count the CRs.
const CRLF_TEXT: &str = "Gaza\r\naaaa Rafah\r\nCafe\u{301} Khan\rYunis\r\nend";
const CRLF_SPANS: [(usize, usize, &str); 5] = [
    (0, 4, "Gaza"),
    (6, 10, "aaaa"),
    (11, 16, "Rafah"),
    (18, 23, "Cafe\u{301}"),
    (24, 34, "Khan\nYunis"),
];

#[test]
fn crlf_offsets_are_mapped_in_doccano_label_studio_and_brat() {
    let a = Archive::new();
    let labels: Vec<Value> = CRLF_SPANS
        .iter()
        .map(|(s, e, _)| json!([s, e, "LOC"]))
        .collect();
    let doccano = a.file(
        "win.jsonl",
        format!(
            "{}\n",
            json!({"text": CRLF_TEXT, "label": labels, "title": "doccano"})
        ),
    );
    let results: Vec<Value> = CRLF_SPANS
        .iter()
        .map(|(s, e, _)| {
            json!({"type": "labels", "from_name": "label", "to_name": "text",
                   "value": {"start": s, "end": e, "labels": ["LOC"]}})
        })
        .collect();
    let studio = a.file(
        "win.json",
        json!([{"id": 1, "data": {"text": format!("{CRLF_TEXT} studio")},
                "annotations": [{"result": results}]}])
        .to_string(),
    );
    a.file("win.txt", format!("{CRLF_TEXT} brat"));
    let ann: String = CRLF_SPANS
        .iter()
        .enumerate()
        .filter(|(_, (_, _, text))| !text.contains('\n'))
        .map(|(i, (s, e, text))| format!("T{}\tLOC {s} {e}\t{text}\n", i + 1))
        .collect();
    let brat = a.file("win.ann", ann);
    a.import(&[&doccano, &studio, &brat, &a.good()], &[])
        .exit(0)
        .summary("4 files: 4 imported, 0 duplicates, 0 failed, 14 annotations, 0 warnings");
    // good.txt sorts first (article 2); then win.ann, win.json, win.jsonl.
    for id in 3..=5 {
        let article = show(&a.cli, id);
        let text: Vec<char> = article["text"].as_str().unwrap().chars().collect();
        assert!(!text.contains(&'\r'));
        for annotation in article["annotations"].as_array().unwrap() {
            let (start, end) = (
                annotation["start"].as_u64().unwrap() as usize,
                annotation["end"].as_u64().unwrap() as usize,
            );
            let at: String = text[start..end].iter().collect();
            assert_eq!(annotation["text"], at, "{article}");
        }
        let texts: Vec<&str> = article["annotations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["text"].as_str().unwrap())
            .collect();
        assert!(
            texts.contains(&"aaaa") && texts.contains(&"Cafe\u{301}"),
            "{texts:?}"
        );
        assert_eq!(
            article["annotations"][1]["start"], 5,
            "aaaa right after the line break"
        );
    }
    a.assert_unharmed();
}

#[test]
fn invisible_only_files_and_records_are_refused_like_empty_ones() {
    let a = Archive::new();
    let cases: [(&str, &str, &str); 8] = [
        ("zwsp.txt", "\u{200B}\u{200B}\n", " (U+200B)"),
        ("nbsp.txt", "\u{A0} \u{A0}\n", " (U+00A0)"),
        ("ideographic.txt", "\u{3000}", " (U+3000)"),
        ("rlo.txt", "\u{202E}", " (U+202E)"),
        ("bom.txt", "\u{FEFF}", " (U+FEFF)"),
        ("shy.html", "\u{AD}\u{AD}\u{AD}", " (U+00AD)"),
        (
            "marks.json",
            "\u{301}\u{308}\u{20DD}",
            " (U+0301, U+0308, U+20DD)",
        ),
        (
            "mixed.csv",
            " \u{200B}\t\u{A0}\u{200B}\u{3000}\u{2060}\n",
            " (U+200B, U+00A0, U+3000)",
        ),
    ];
    let mut paths = Vec::new();
    for (name, text, _) in cases {
        paths.push(a.file(name, text));
    }
    let jsonl = a.file(
        "dump.jsonl",
        format!(
            "{}\n{}\n{}\n",
            json!({"title": "Blank", "text": "\u{200B}\u{3000}"}),
            json!({"title": "Kept", "text": "Shelling in Kherson on Friday."}),
            json!({"text": "\u{202E}\u{FEFF}\u{AD}"}),
        ),
    );
    let csv = a.file(
        "rows.csv",
        "title,text\nRow,\"\u{A0}\u{200B}\"\nFine,Floods in Sindh.\n",
    );
    let doccano = a.file(
        "spans.jsonl",
        format!(
            "{}\n{}\n",
            json!({"text": "\u{200B}\u{200B}\u{200B}", "label": [[0, 2, "LOC"]]}),
            json!({"text": "Gaza", "label": [[0, 4, "LOC"]]}),
        ),
    );
    let conll = a.file(
        "tokens.conll",
        "\u{200B}\tO\n\u{A0}\tB-LOC\n\nSindh\tB-LOC\nfloods\tO\nagain\tO\n",
    );
    let mut all: Vec<&std::path::Path> = paths.iter().map(|p| p.as_path()).collect();
    all.extend([
        jsonl.as_path(),
        csv.as_path(),
        doccano.as_path(),
        conll.as_path(),
    ]);
    let good = a.good();
    all.push(&good);
    let run = a.import(&all, &[]);
    run.exit(2);
    for ((_, _, named), path) in cases.iter().zip(&paths) {
        run.says(&format!(
            "failed: {}: no visible text: only whitespace and invisible characters{named}",
            path.display()
        ));
    }
    run.says(&format!(
        "warning: {}:1: no visible text, skipped: only whitespace and invisible characters (U+200B, U+3000) ('Blank')",
        jsonl.display()
    ))
    .says(&format!(
        "warning: {}:3: no visible text, skipped: only whitespace and invisible characters (U+202E, U+FEFF, U+00AD)",
        jsonl.display()
    ))
    .says(&format!(
        "warning: {}:2: no visible text, skipped: only whitespace and invisible characters (U+00A0, U+200B) ('Row')",
        csv.display()
    ))
    .says(&format!(
        "warning: {}:1: no visible text, skipped: only whitespace and invisible characters (U+200B)",
        doccano.display()
    ))
    .says(&format!(
        "warning: {}:1: no visible text, skipped: only whitespace and invisible characters (U+200B, U+00A0)",
        conll.display()
    ))
    .summary("13 files: 5 imported, 0 duplicates, 8 failed, 2 annotations, 5 warnings");
    let titles = crate::bad_input::titles(&a.cli);
    for kept in ["Kept", "Fine", "Gaza", "Sindh floods again"] {
        assert!(titles.iter().any(|t| t == kept), "{kept}: {titles:?}");
    }
    assert_eq!(titles.len(), 6, "{titles:?}");
    a.assert_good_imported();
    a.assert_unharmed();
}

#[test]
fn one_malformed_value_does_not_change_the_detected_format() {
    let a = Archive::new();
    // The first record has one bad span among good ones: still doccano, the bad span is
    // skipped with its line, the six good spans are kept.
    let doccano = a.file(
        "ner.jsonl",
        format!(
            "{}\n{}\n{}\n",
            json!({"text": "Floods in Sindh and Punjab.", "label": [[0, 5, null], [10, 15, "LOC"], [20, 26, "LOC"]]}),
            json!({"text": "Rain over Lahore and Multan.", "label": [[10, 16, "LOC"], [21, 27, "LOC"]]}),
            json!({"text": "Quetta cut off.", "label": [[0, 6, "LOC"], [99, 100, "LOC"]]}),
        ),
    );
    // A Label Studio export whose first item is not a task and whose first task keeps its
    // text under `content`: still Label Studio.
    let studio = a.file(
        "tasks.json",
        json!([
            null,
            {"id": 1, "data": {"content": "Storm hits Gwadar."},
             "annotations": [{"result": [{"type": "labels", "value": {"start": 11, "end": 17, "labels": ["LOC"]}}]}]},
            {"id": 2, "data": {"text": "Karachi flooded."},
             "annotations": [{"result": [{"type": "labels", "value": {"start": 0, "end": 7, "labels": ["LOC"]}}]}]}
        ])
        .to_string(),
    );
    let run = a.import(&[&doccano, &studio, &a.good()], &[]);
    run.exit(0)
        .says(&format!(
            "warning: {}: read as doccano: 3 of 3 records sampled have a text and a label, labels or entities span list (1 of 7 spans sampled malformed, each skipped with its line); pass --format jsonl to read them otherwise",
            doccano.display()
        ))
        .says(&format!(
            "warning: {}:1: label 1 skipped: label null is not a non-empty string",
            doccano.display()
        ))
        .says(&format!(
            "warning: {}:3: label 2 skipped: span [99, 100) is outside the text, which has 15 code points",
            doccano.display()
        ))
        .says(&format!(
            "warning: {}:1: task 1: expected a JSON object, found null",
            studio.display()
        ))
        .summary("3 files: 6 imported, 0 duplicates, 0 failed, 7 annotations, 4 warnings");
    let spans: Vec<String> = (2..=7)
        .flat_map(|id| {
            show(&a.cli, id)["annotations"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s["text"].as_str().unwrap().to_owned())
                .collect::<Vec<_>>()
        })
        .collect();
    for place in [
        "Sindh", "Punjab", "Lahore", "Multan", "Quetta", "Gwadar", "Karachi",
    ] {
        assert!(spans.iter().any(|s| s == place), "{place}: {spans:?}");
    }
    // Forcing plain records is obeyed, without a note.
    let b = Archive::new();
    let plain = b.file("plain.jsonl", std::fs::read(&doccano).unwrap());
    let run = b.import(&[&plain], &["--format", "jsonl"]);
    run.exit(0);
    assert!(!run.stderr.contains("read as"), "{}", run.stderr);
    a.assert_good_imported();
    a.assert_unharmed();
}

#[test]
fn ids_out_of_range_get_the_next_free_id_and_later_ids_stay_sequential() {
    let a = Archive::new();
    let max = i64::MAX;
    let file = a.file(
        "ids.jsonl",
        [
            json!({"id": max, "text": "Cliff record one.", "annotations": [
                {"id": max, "label": "LOC", "start": 0, "end": 5, "text": "Cliff"},
                {"id": 4, "label": "CASUALTY", "start": 6, "end": 12, "text": "record",
                 "attrs": {"place": max}}]}),
            json!({"text": "No id here."}),
            json!({"id": 1_000_000_000_000_i64, "text": "Just over the limit."}),
            json!({"id": -3, "text": "Negative id."}),
            json!({"id": 40, "text": "A normal id."}),
            json!({"text": "After the normal one."}),
        ]
        .iter()
        .map(|r| format!("{r}\n"))
        .collect::<String>(),
    );
    let run = a.import(&[&file, &a.good()], &[]);
    let at = |line: u32, what: &str, id: i64| {
        format!(
            "warning: {}:{line}: {what} id {id} is outside 1 to 999999999999, the ids a file may ask for; the {what} gets the next free id",
            file.display()
        )
    };
    run.exit(0)
        .says(&at(1, "article", max))
        .says(&at(1, "annotation", max))
        .says(&at(3, "article", 1_000_000_000_000))
        .says(&at(4, "article", -3))
        .summary("2 files: 7 imported, 0 duplicates, 0 failed, 2 annotations, 4 warnings");
    let listed = crate::support::json_lines(&a.cli.ok(&["list", "--json", "--limit", "100"]));
    let mut ids: Vec<i64> = listed.iter().map(|r| r["id"].as_i64().unwrap()).collect();
    ids.sort_unstable();
    // good.txt sorts first (2); then the file in order; 40 as asked, and 41 after it.
    assert_eq!(ids, [1, 2, 3, 4, 5, 6, 40, 41]);
    let cliff = show(&a.cli, 3);
    let place = span(&cliff, "Cliff");
    assert!(place["id"].as_i64().unwrap() < 100, "{place}");
    assert_eq!(
        span(&cliff, "record")["attrs"]["place"],
        place["id"],
        "the link followed"
    );
    // A native round trip keeps the archive's ids.
    let export = a.cli.dir.path().join("out.jsonl");
    a.cli.ok(&[
        "export",
        "--format",
        "jsonl",
        "--out",
        export.to_str().unwrap(),
    ]);
    let b = crate::support::Cli::new();
    b.ok(&["import", export.to_str().unwrap()]);
    let again = crate::support::json_lines(&b.ok(&["list", "--json", "--limit", "100"]));
    let mut round: Vec<i64> = again.iter().map(|r| r["id"].as_i64().unwrap()).collect();
    round.sort_unstable();
    assert_eq!(round, ids);
    a.assert_unharmed();
}

#[test]
fn labels_of_any_script_import_export_and_reimport_and_spaces_become_underscores() {
    let a = Archive::new();
    let text = "علی رضا در کراچی بود و 李明 也在.";
    let record = json!({"text": text, "label": [
        [0, 7, "نام شخص"], [11, 16, "مکان"], [23, 25, "人名"], [8, 10, "व्यक्ति"]]});
    let file = a.file("ur.jsonl", format!("{record}\n"));
    a.import(&[&file, &a.good()], &[])
        .exit(0)
        .says(&format!(
            "warning: {}: label 'نام شخص' is stored as 'نام_شخص': label names cannot hold spaces (brat and CoNLL cannot carry them)",
            file.display()
        ))
        .says("warning: added the label نام_شخص to the archive's schema")
        .says("warning: added the label 人名 to the archive's schema")
        .summary("2 files: 2 imported, 0 duplicates, 0 failed, 4 annotations, 5 warnings");
    let labels_of = |cli: &crate::support::Cli, id: i64| {
        let mut labels: Vec<String> = show(cli, id)["annotations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["label"].as_str().unwrap().to_owned())
            .collect();
        labels.sort();
        labels
    };
    let mut expected: Vec<String> = ["مکان", "نام_شخص", "व्यक्ति", "人名"]
        .map(str::to_owned)
        .to_vec();
    expected.sort();
    assert_eq!(labels_of(&a.cli, 3), expected);
    // `labels add`, the advice import gives, works for such names and refuses spaces.
    a.cli.ok(&["labels", "add", "مقام"]);
    let refused = a.cli.run(&["labels", "add", "نام شخص"]);
    assert_eq!(refused.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains("label name 'نام شخص' is not valid: use 1 to 64 letters or digits (any script), '_', '-' or '.', starting with a letter; no spaces (brat and CoNLL cannot carry them: use '_')"),
        "{stderr}"
    );
    // brat and CoNLL carry the names; a fresh archive reads them back.
    let dir = a.cli.dir.path();
    for (format, out) in [
        ("brat", dir.join("brat-out")),
        ("conll", dir.join("out.conll")),
    ] {
        a.cli.ok(&[
            "export",
            "--format",
            format,
            "--out",
            out.to_str().unwrap(),
            "--query",
            "کراچی",
        ]);
        let b = crate::support::Cli::new();
        b.ok(&["import", out.to_str().unwrap()]);
        let listed = crate::support::json_lines(&b.ok(&["list", "--json"]));
        assert_eq!(listed.len(), 1, "{format}: {listed:?}");
        let id = listed[0]["id"].as_i64().unwrap();
        assert_eq!(labels_of(&b, id), expected, "{format}");
    }
    a.assert_unharmed();
}

/// A zip archive holding one file (stored, not compressed), as `zip` writes it.
fn zip_of(name: &str, bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(b"PK\x03\x04\x0a\x00\x00\x00\x00\x00\x00\x00\x00\x00");
    out.extend_from_slice(&[0; 4]); // crc (not checked here)
    let size = (bytes.len() as u32).to_le_bytes();
    out.extend_from_slice(&size);
    out.extend_from_slice(&size);
    out.extend_from_slice(&(name.len() as u16).to_le_bytes());
    out.extend_from_slice(&[0, 0]);
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(bytes);
    out.extend_from_slice(b"PK\x05\x06");
    out.extend_from_slice(&[0; 18]);
    out
}

#[test]
fn zips_tars_and_nested_gzip_are_named_with_how_to_unpack_them() {
    use crate::bad_input::gzip;
    let a = Archive::new();
    let dir = a.cli.dir.path();
    let story = "Dam breach in Sindh\n\nWater reached three villages on Sunday.\n";
    let zip = a.file("news.zip", zip_of("a.txt", story.as_bytes()));
    let zip_as_txt = a.file("news.txt", zip_of("a.txt", story.as_bytes()));
    let nested = a.file("wire.txt.gz.gz", gzip(&gzip(story.as_bytes())));
    let gz_zip = a.file("bundle.gz", gzip(&zip_of("a.txt", b"x")));
    let mut tar = vec![0u8; 512];
    tar[..5].copy_from_slice(b"a.txt");
    tar[257..262].copy_from_slice(b"ustar");
    let tgz = a.file("dump.jsonl.gz", gzip(&tar));
    std::fs::create_dir(dir.join("zips")).unwrap();
    for name in ["one.zip", "two.ZIP", "three.tar.gz"] {
        std::fs::write(dir.join("zips").join(name), zip_of("a.txt", b"x")).unwrap();
    }
    let zips = dir.join("zips");
    let run = a.import(
        &[&zip, &zip_as_txt, &nested, &gz_zip, &tgz, &zips, &a.good()],
        &[],
    );
    let is = |path: &std::path::Path, what: &str, command: &str| {
        format!(
            "failed: {} is {what}: unpack it first, e.g. `{command} {}`",
            path.display(),
            path.display()
        )
    };
    run.exit(2)
        .says(&is(&zip, "a zip archive", "unzip"))
        .says(&is(&zip_as_txt, "a zip archive", "unzip"))
        .says(&is(&gz_zip, "gzip holding a zip archive", "gunzip -k"))
        .says(&is(&tgz, "a gzipped tar archive", "tar -xzf"))
        .says(&is(&zips.join("one.zip"), "a zip archive", "unzip"))
        .says(&is(&zips.join("two.ZIP"), "a zip archive", "unzip"))
        .says(&is(
            &zips.join("three.tar.gz"),
            "a gzipped tar archive",
            "tar -xzf",
        ));
    assert!(!run.stderr.contains("binary"), "{}", run.stderr);
    let titles = crate::bad_input::titles(&a.cli);
    assert!(
        titles.contains(&"Dam breach in Sindh".to_owned()),
        "{titles:?}"
    );
    // Deeper than three layers is refused, saying so.
    let deep = a.file("deep.txt.gz", gzip(&gzip(&gzip(&gzip(b"x")))));
    a.import(&[&deep], &[]).exit(2).says(&format!(
        "failed: {}: gzip nested more than 3 deep: unpack it first, e.g. `gunzip -c FILE | gunzip -c > unpacked`",
        deep.display()
    ));
    a.assert_good_imported();
    a.assert_unharmed();
}

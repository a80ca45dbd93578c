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

// --- Dumps of any size (item 27).

/// One native JSONL record of about 1 KB: id `1000 + n`, a LOC span on "Kharkiv".
fn dump_record(n: usize) -> String {
    let text = format!(
        "Story {n}\n\nShelling was reported in Kharkiv, report {n}. {}",
        "Residents described the night to reporters. ".repeat(20)
    );
    let start = text.find("Kharkiv").unwrap();
    json!({"id": 1000 + n, "title": format!("Story {n}"), "text": text, "annotations": [
        {"label": "LOC", "start": start, "end": start + 7, "text": "Kharkiv"}
    ]})
    .to_string()
}

/// `count` records, one a line: about `count` KB.
fn jsonl_dump(count: usize) -> String {
    (0..count).map(|n| dump_record(n) + "\n").collect()
}

#[test]
fn jsonl_dumps_over_the_file_limit_are_streamed_a_record_at_a_time() {
    let a = Archive::new();
    // 3 MB against a 1 MB limit: before, "dump.jsonl is 3 MB, over the 1 MB limit: refused".
    let mut dump = jsonl_dump(1500);
    dump.push_str("{\"text\": broken}\n");
    dump.push_str(&json!({"text": "x".repeat(1_100_000)}).to_string());
    dump.push('\n');
    // Windows line ends and a record whose text is already stored, a part later.
    dump.push_str(&dump_record(1500));
    dump.push_str("\r\n");
    let copy_of_3: Value = serde_json::from_str(&dump_record(3)).unwrap();
    dump.push_str(&json!({"title": "Copy", "text": copy_of_3["text"]}).to_string());
    dump.push('\n');
    for n in 1501..3000 {
        dump.push_str(&dump_record(n));
        dump.push('\n');
    }
    assert!(dump.len() > 3 * 1024 * 1024);
    let file = a.file("dump.jsonl", &dump);
    let run = a.import(&[&file, &a.good()], &["--max-file-mb", "1"]);
    let name = file.display();
    run.exit(0)
        .says(&format!(
            "warning: {name}:1501: expected value at column 10"
        ))
        .says(&format!(
            "warning: {name}:1502: record of 1074 KB is over the 1 MB limit: skipped"
        ))
        .summary("2 files: 3001 imported, 1 duplicate, 0 failed, 3000 annotations, 2 warnings");
    // Every record is there, with its span where the annotator put it, in file order.
    for n in [0_usize, 1499, 1500, 2999] {
        let article = show(&a.cli, 1000 + i64::try_from(n).unwrap());
        assert_eq!(article["title"], format!("Story {n}"));
        assert_eq!(span(&article, "Kharkiv")["label"], "LOC");
    }
    assert_good_found(&a);
    a.assert_unharmed();
}

/// The good file's article is stored (`list` shows too few of a dump's thousands).
fn assert_good_found(a: &Archive) {
    let hits = a.cli.ok(&["search", "Mariupol"]);
    assert!(hits.contains("Aid convoy reaches Mariupol"), "{hits}");
}

#[test]
fn gzipped_csv_and_doccano_dumps_stream_and_a_broken_stream_keeps_what_came_before() {
    let a = Archive::new();
    let limit = ["--max-file-mb", "1"];
    // A gzipped JSONL that unpacks to 3 MB (before: "unpacks to over 1 MB ... refused").
    let packed = crate::bad_input::gzip(jsonl_dump(3000).as_bytes());
    let gz = a.file("a-dump.jsonl.gz", &packed);
    // A 3 MB CSV of rows two lines long, with a ragged row after the first parts.
    let mut csv = String::from("title,text\n");
    for n in 0..3000 {
        if n == 1000 {
            csv.push_str("Ragged,row,with,more,fields\n");
        }
        csv.push_str(&format!(
            "CSV {n},\"Row {n} says \"\"shelling\"\" resumed.\n{}\"\n",
            "Residents described the night. ".repeat(30)
        ));
    }
    let csv_file = a.file("dump.csv", &csv);
    // A 3 MB doccano JSONL: its spans are doccano's [start, end, label].
    let mut doccano = String::new();
    for n in 0..3000 {
        let text = format!(
            "Doccano {n}: fighting near Avdiivka. {}",
            "Residents described the night. ".repeat(30)
        );
        let start = text.find("Avdiivka").unwrap();
        doccano.push_str(&json!({"text": text, "label": [[start, start + 8, "LOC"]]}).to_string());
        doccano.push('\n');
    }
    let doccano_file = a.file("doccano.jsonl", &doccano);
    let run = a.import(&[&gz, &csv_file, &doccano_file], &limit);
    run.exit(0)
        .says(&format!(
            "warning: {}:2002: expected 2 fields, found 5; row skipped",
            csv_file.display()
        ))
        .summary("3 files: 9000 imported, 0 duplicates, 0 failed, 6000 annotations, 1 warning");
    assert_eq!(span(&show(&a.cli, 3999), "Kharkiv")["label"], "LOC");

    // A gzip cut in the middle: the records before the cut are stored and the file is
    // named as failed; a CSV quote never closed stops at its row; a JSON array keeps the
    // whole-file limit, since it cannot be read a record at a time.
    let b = Archive::new();
    let cut = packed.get(..packed.len() / 2).unwrap();
    let cut_file = b.file("cut.jsonl.gz", cut);
    let mut unclosed = String::from("title,text\nFirst,\"fine\"\nSecond,\"never closed\n");
    unclosed.push_str(&"more text\n".repeat(300_000));
    let unclosed_file = b.file("unclosed.csv", &unclosed);
    let array = format!(
        "[{}]",
        (0..3000).map(dump_record).collect::<Vec<_>>().join(",\n")
    );
    let array_file = b.file("array.json", &array);
    let run = b.import(&[&cut_file, &unclosed_file, &array_file, &b.good()], &limit);
    run.exit(2)
        .says(&format!(
            "failed: {}:3: reading stopped: a row longer than the 1 MB limit (an unclosed quote?); the records before this line were imported",
            unclosed_file.display()
        ))
        .says(&format!(
            "failed: {} is {} KB, over the 1 MB limit: refused, nothing of it imported",
            array_file.display(),
            array.len() / 1024
        ));
    let cut_failure = format!("failed: {}:", cut_file.display());
    let failure = run
        .stderr
        .lines()
        .find(|line| line.starts_with(&cut_failure))
        .unwrap_or_else(|| panic!("{}", run.stderr));
    assert!(
        failure.ends_with(
            ": reading stopped: truncated gzip stream; the records before this line were imported"
        ),
        "{failure}"
    );
    let line: usize = failure
        .strip_prefix(&cut_failure)
        .and_then(|rest| rest.split(':').next())
        .and_then(|line| line.parse().ok())
        .unwrap();
    // Every whole record before the cut is stored: ids 1000.., one per line.
    let stored = line - 1;
    assert!(stored > 256, "more than one part was read: {line}");
    let last = show(&b.cli, 999 + i64::try_from(stored).unwrap());
    assert_eq!(last["title"], format!("Story {}", stored - 1));
    // The record cut in two is not stored (the next id went to another file's article).
    let next = show(&b.cli, 1000 + i64::try_from(stored).unwrap());
    assert_ne!(next["title"], format!("Story {stored}"));
    let hits = b.cli.ok(&["search", "fine"]);
    assert!(
        hits.contains("First"),
        "the row before the unclosed quote: {hits}"
    );
    assert_good_found(&b);
    b.assert_unharmed();
}

#[test]
fn a_csv_row_over_the_record_limit_is_skipped_with_its_line_and_the_rest_imports() {
    let a = Archive::new();
    let limit = ["--max-file-mb", "1"];
    // 3,000 one-line rows (3 MB); before row 1500 one of 1.2 MB over 20,001 lines (a
    // quoted text with line breaks), and before row 2000 a ragged row, whose line shows
    // that lines are still counted right after the skip.
    let mut csv = String::from("title,text\n");
    for n in 0..3000 {
        if n == 1500 {
            csv.push_str("Long,\"");
            csv.push_str(&format!("{}\n", "x".repeat(59)).repeat(20_000));
            csv.push_str("\"\n");
        }
        if n == 2000 {
            csv.push_str("Ragged,row,with,more,fields\n");
        }
        csv.push_str(&format!(
            "CSV {n},\"Row {n} says \"\"shelling\"\" resumed. {}\"\n",
            "Residents described the night. ".repeat(30)
        ));
    }
    let plain = a.file("dump.csv", &csv);
    let packed = a.file("dump.csv.gz", crate::bad_input::gzip(csv.as_bytes()));
    // The same with CRLF line ends (a dump saved on Windows).
    let crlf = a.file("crlf.csv", csv.replace('\n', "\r\n"));
    let run = a.import(&[&plain, &packed, &crlf], &limit);
    run.exit(0);
    // The long row is 1,200,008 bytes, and 20,000 more with CRLF. With CRLF every CSV
    // warning names the line before its row (the csv crate's record position is taken
    // after the previous row's CR, before its LF), as it did before rows were skipped.
    for (file, kb, before) in [(&plain, 1171, 0), (&packed, 1171, 0), (&crlf, 1191, 1)] {
        run.says(&format!(
            "warning: {}:{}: row of {kb} KB is over the 1 MB limit: skipped",
            file.display(),
            1502 - before
        ))
        .says(&format!(
            "warning: {}:{}: expected 2 fields, found 5; row skipped",
            file.display(),
            22003 - before
        ));
    }
    // Every other row is stored once (the second and third files' rows are duplicates).
    run.summary("3 files: 3000 imported, 6000 duplicates, 0 failed, 0 annotations, 6 warnings");
    for n in [1499, 1500, 2999] {
        let hits = a.cli.ok(&["search", &format!("\"CSV {n}\"")]);
        assert!(hits.contains(&format!("CSV {n}")), "row {n}: {hits}");
    }
    let none = a.cli.run(&["search", "Long"]);
    assert_eq!(none.status.code(), Some(1), "the long row is not stored");
    assert!(String::from_utf8_lossy(&none.stdout).starts_with("0 hits"));
    a.assert_unharmed();
}

#[test]
fn cancel_stops_a_streamed_dump_after_its_part_and_progress_counts_its_bytes() {
    use std::sync::atomic::{AtomicBool, Ordering};
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("dump.jsonl");
    std::fs::write(&file, jsonl_dump(3000)).unwrap();
    let size = std::fs::metadata(&file).unwrap().len();
    let mut archive = annalist::service::Archive::open(&dir.path().join("archive")).unwrap();
    let options = annalist::import::ImportOptions {
        max_file_bytes: Some(1024 * 1024),
        ..annalist::import::ImportOptions::default()
    };
    let cancel = AtomicBool::new(false);
    let mut seen = Vec::new();
    let report = archive
        .import(
            std::slice::from_ref(&file),
            &options,
            &mut |progress| {
                seen.push((progress.bytes_done, progress.bytes_total));
                // The app's Cancel button, pressed once the first part is in.
                if progress.bytes_done > 0 {
                    cancel.store(true, Ordering::Relaxed);
                }
            },
            &cancel,
        )
        .unwrap();
    assert!(report.cancelled);
    assert!(
        (1..3000).contains(&report.imported),
        "stopped part way: {}",
        report.imported
    );
    assert!(seen.iter().all(|&(_, total)| total == size), "{seen:?}");
    let moving: Vec<u64> = seen.iter().map(|&(done, _)| done).collect();
    assert!(moving.windows(2).all(|w| w[0] <= w[1]), "{moving:?}");
    assert!(
        moving.iter().any(|&done| 0 < done && done < size),
        "{moving:?}"
    );
    // What was stored stays stored and searchable, and a second import adds the rest.
    drop(archive);
    let mut archive = annalist::service::Archive::open(&dir.path().join("archive")).unwrap();
    let rest = archive
        .import(
            std::slice::from_ref(&file),
            &options,
            &mut |_| {},
            &AtomicBool::new(false),
        )
        .unwrap();
    assert_eq!(rest.imported + rest.duplicates, 3000);
    assert_eq!(rest.duplicates, report.imported);
}

#[test]
fn a_dump_of_bad_lines_lists_the_first_ten_thousand_warnings_and_counts_the_rest() {
    let a = Archive::new();
    let mut dump = "[1]\n".repeat(12_000);
    dump.push_str(&dump_record(0));
    dump.push('\n');
    let file = a.file("bad.jsonl", &dump);
    let run = a.import(&[&file], &[]);
    run.exit(0)
        .says(&format!(
            "warning: {}:100: expected a JSON object, found an array",
            file.display()
        ))
        .says("warning: ... and 11900 more (--json lists the first 10000)")
        .summary("1 file: 1 imported, 0 duplicates, 0 failed, 1 annotation, 12000 warnings");
    let json = a.cli.run(&["import", "--json", file.to_str().unwrap()]);
    let report: Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(report["warnings"].as_array().unwrap().len(), 10_000);
    assert_eq!(report["warnings_not_listed"], 2000);
    a.assert_unharmed();
}

#[test]
fn html_that_nests_without_saying_so_is_refused_and_deep_feed_items_keep_their_text() {
    let a = Archive::new();
    let limit = "elements nested more than 1000 levels deep: refused, nothing of it imported";
    let pages = [
        ("slashes.html", "<div/>".repeat(20_000)),
        ("stray.html", "<div></span>".repeat(5_000)),
        (
            "comment.html",
            format!("<!-- x --!>{}", "<div>".repeat(5_000)),
        ),
        // Formatting elements left open, tables in cells, templates: each grows the
        // parser's stack of open elements (each would take minutes if the parse ran on).
        ("bold.html", "<b>".repeat(100_000)),
        ("font.html", "<font color=red>".repeat(100_000)),
        ("links.html", "<a href=x>x<div>".repeat(100_000)),
        ("tables.html", "<table><tr><td>".repeat(100_000)),
        ("templates.html", "<template>".repeat(100_000)),
    ];
    let paths: Vec<_> = pages
        .iter()
        .map(|(name, html)| a.file(name, html))
        .collect();
    let feed_item = format!(
        "{}Shelling near Izium{}",
        "<div>".repeat(100_000),
        "</div>".repeat(100_000)
    );
    let feed = a.file(
        "deep.xml",
        format!(
            "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Wire</title><item><title>Deep item</title><description>{}</description></item></channel></rss>",
            feed_item.replace('<', "&lt;").replace('>', "&gt;")
        ),
    );
    // Bold reopened in every paragraph after it: the parser clones each one left open, so
    // the nodes grow with the square of the page's length while it nests only slowly.
    let reopened: String = (0..100_000)
        .map(|i| format!("<p><b id={i}>y</p>"))
        .collect();
    let reopened_page = a.file("reopened.html", &reopened);
    // One tag with 100,000 attributes: the tokenizer compares each with every earlier one.
    let attributes: String = (0..100_000).map(|i| format!(" a{i}=x")).collect();
    let attributes_page = a.file(
        "attributes.html",
        format!("<p>x</p><div{attributes}>y</div>"),
    );
    let good = a.good();
    let mut all: Vec<&std::path::Path> = paths.iter().map(|p| p.as_path()).collect();
    all.push(&reopened_page);
    all.push(&attributes_page);
    all.push(&feed);
    all.push(&good);
    let run = a.import(&all, &[]);
    run.exit(2);
    for path in &paths {
        run.says(&format!("failed: {}: {limit}", path.display()));
    }
    run.says(&format!(
        "failed: {}: formatting elements left open are reopened by the parser again and again (more than 8 elements per byte of the page): refused, nothing of it imported",
        reopened_page.display()
    ));
    run.says(&format!(
        "failed: {}: a tag with more than 256 attributes: refused, nothing of it imported",
        attributes_page.display()
    ));
    let titles = crate::bad_input::titles(&a.cli);
    assert!(titles.contains(&"Deep item".to_owned()), "{titles:?}");
    a.assert_good_imported();
    a.assert_unharmed();
}

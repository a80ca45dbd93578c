//! Dataset exchange: every export format read back by real readers (Python's json and csv
//! modules, slicing by code points), round trips through import, and CoNLL on WNUT-17.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::{Cli, char_find, corpora, fixtures, json_lines};

/// An archive with the fixture articles and annotations of every kind: attributes with
/// spaces, links, a suggestion, overlapping spans, emoji and Arabic script.
fn annotated() -> Cli {
    let cli = Cli::new();
    cli.ok(&[
        "import",
        fixtures().join("news").to_str().unwrap(),
        "--published",
        "2024-01-19",
        "--source",
        "Test Wire",
    ]);
    let rows = json_lines(&cli.ok(&["list", "--json"]));
    for row in rows {
        let id = row["id"].to_string();
        let record: serde_json::Value =
            serde_json::from_str(&cli.ok(&["show", &id, "--json"])).unwrap();
        let text = record["text"].as_str().unwrap().to_owned();
        let add = |needle: &str, label: &str, extra: &[&str]| {
            if !text.contains(needle) {
                return None;
            }
            let start = char_find(&text, needle);
            let (s, e) = (
                start.to_string(),
                (start + needle.chars().count()).to_string(),
            );
            let mut args = vec![
                "annotate", "add", &id, "--label", label, "--start", &s, "--end", &e, "--json",
            ];
            args.extend_from_slice(extra);
            let stored: serde_json::Value = serde_json::from_str(&cli.ok(&args)).unwrap();
            Some(stored["id"].to_string())
        };
        let date = add(
            "Thursday",
            "DATE",
            &["--attr", "value=2024-01-18", "--attr", "precision=day"],
        );
        let place = add("Saravan", "LOC", &["--attr", "country_code=IR"]);
        let group = add("Balochistan Liberation Army", "ORG", &[]);
        add("Balochistan", "LOC", &["--status", "suggested"]);
        if let (Some(date), Some(place), Some(group)) = (date, place, group) {
            let (d, p, g) = (
                format!("date={date}"),
                format!("place={place}"),
                format!("actor={group}"),
            );
            add(
                "nine people",
                "CASUALTY",
                &[
                    "--attr",
                    "count=9",
                    "--attr",
                    "outcome=killed",
                    "--attr",
                    "claimed_by=Iran state media",
                    "--attr",
                    &d,
                    "--attr",
                    &p,
                    "--attr",
                    &g,
                ],
            );
            add(
                "four children",
                "CASUALTY",
                &[
                    "--attr",
                    "count=4",
                    "--attr",
                    "victims=children",
                    "--status",
                    "suggested",
                ],
            );
        }
        add("🌍", "LOC", &[]);
        add("بلوچستان", "LOC", &[]);
        add("👨‍👩‍👧", "PER", &[]);
        add("边境村庄", "LOC", &[]);
        add("Karachi", "LOC", &[]);
    }
    cli
}

fn export(cli: &Cli, format: &str, out: &Path, extra: &[&str]) {
    let mut args = vec!["export", "--format", format, "--out", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    cli.ok(&args);
}

fn python(script: &str, args: &[&Path]) -> String {
    let out = Command::new("python3")
        .arg("-c")
        .arg(script)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "python failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Python checks `text[start:end] == span` for every span of every offset-carrying format
/// and reads the CSVs with its csv module; prints how many spans it checked.
const PYTHON_READERS: &str = r#"
import csv, json, os, sys
fmt, path = sys.argv[1], sys.argv[2]
checked = 0
def check(text, start, end, span, where):
    global checked
    got = text[start:end]
    if got != span:
        sys.exit(f"{where}: text[{start}:{end}] is {got!r}, not {span!r}")
    checked += 1
if fmt == "jsonl":
    for n, line in enumerate(open(path, encoding="utf-8"), 1):
        r = json.loads(line)
        for a in r["annotations"]:
            check(r["text"], a["start"], a["end"], a["text"], f"line {n}")
elif fmt == "doccano":
    # doccano carries no span text: the spans must be the native export's, same order.
    native = [json.loads(line) for line in open(sys.argv[3], encoding="utf-8")]
    for n, (line, r0) in enumerate(zip(open(path, encoding="utf-8"), native, strict=True), 1):
        r = json.loads(line)
        assert r["text"] == r0["text"], n
        for (s, e, label), a in zip(r["label"], r0["annotations"], strict=True):
            assert label == a["label"], (n, label, a["label"])
            check(r["text"], s, e, a["text"], f"line {n}")
elif fmt == "label-studio":
    tasks = json.load(open(path, encoding="utf-8"))
    for t in tasks:
        text = t["data"]["text"]
        for group in t.get("annotations", []) + t.get("predictions", []):
            for r in group["result"]:
                v = r["value"]
                check(text, v["start"], v["end"], v["text"], f"task {t['id']}")
elif fmt == "web-annotation":
    page = json.load(open(path, encoding="utf-8"))
    assert page["type"] == "AnnotationPage"
    texts = json.load(open(sys.argv[3], encoding="utf-8"))
    for item in page["items"]:
        sel = {s["type"]: s for s in item["target"]["selector"]}
        pos, quote = sel["TextPositionSelector"], sel["TextQuoteSelector"]
        check(texts[item["target"]["source"]], pos["start"], pos["end"], quote["exact"], item["id"])
elif fmt in ("csv", "events-csv"):
    rows = list(csv.DictReader(open(path, encoding="utf-8", newline="")))
    checked = len(rows)
elif fmt == "brat":
    for name in sorted(os.listdir(path)):
        if not name.endswith(".ann"):
            continue
        text = open(os.path.join(path, name[:-4] + ".txt"), encoding="utf-8").read()
        for line in open(os.path.join(path, name), encoding="utf-8"):
            if line.startswith("T"):
                tid, middle, span = line.rstrip("\n").split("\t")
                label, ranges = middle.split(" ", 1)
                pieces = [text[int(s):int(e)] for s, e in (r.split(" ") for r in ranges.split(";"))]
                if " ".join(pieces) != span:
                    sys.exit(f"{name} {tid}: {pieces!r} vs {span!r}")
                checked += 1
print(checked)
"#;

fn python_check(format: &str, path: &Path, extra: Option<&Path>) -> usize {
    let mut args: Vec<&Path> = vec![Path::new(format), path];
    args.extend(extra);
    python(PYTHON_READERS, &args).trim().parse().unwrap()
}

/// `source -> text` of every article in a native export, for the web-annotation check.
fn texts_by_source(jsonl: &Path, out: &Path) {
    let mut map = serde_json::Map::new();
    for line in std::fs::read_to_string(jsonl).unwrap().lines() {
        let r: serde_json::Value = serde_json::from_str(line).unwrap();
        let source = r["url"].as_str().map_or_else(
            || format!("urn:annalist:article:{}", r["id"]),
            str::to_owned,
        );
        map.insert(source, r["text"].clone());
    }
    std::fs::write(out, serde_json::Value::Object(map).to_string()).unwrap();
}

fn total_spans(jsonl: &Path) -> usize {
    std::fs::read_to_string(jsonl)
        .unwrap()
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["annotations"]
                .as_array()
                .unwrap()
                .len()
        })
        .sum()
}

fn all_readers_accept(cli: &Cli) {
    let dir = cli.dir.path();
    let native = dir.join("all.jsonl");
    export(cli, "jsonl", &native, &["--include-suggestions"]);
    let spans = total_spans(&native);
    assert!(spans > 0);
    assert_eq!(python_check("jsonl", &native, None), spans);
    for format in ["doccano", "label-studio", "csv"] {
        let out = dir.join(format!("all.{format}"));
        export(cli, format, &out, &["--include-suggestions"]);
        assert_eq!(python_check(format, &out, Some(&native)), spans, "{format}");
    }
    let texts = dir.join("texts.json");
    texts_by_source(&native, &texts);
    let out = dir.join("all.jsonld");
    export(cli, "web-annotation", &out, &["--include-suggestions"]);
    assert_eq!(python_check("web-annotation", &out, Some(&texts)), spans);
    let out = dir.join("brat");
    export(cli, "brat", &out, &["--include-suggestions"]);
    assert_eq!(python_check("brat", &out, None), spans);
}

#[test]
fn real_readers_accept_every_format() {
    let cli = annotated();
    all_readers_accept(&cli);
    // events-csv: one row per CASUALTY claim, links resolved.
    let out = cli.dir.path().join("events.csv");
    export(&cli, "events-csv", &out, &[]);
    let rows = python(
        "import csv,sys,json\nprint(json.dumps(list(csv.DictReader(open(sys.argv[1], encoding='utf-8', newline='')))))",
        &[&out],
    );
    let rows: Vec<serde_json::Value> = serde_json::from_str(&rows).unwrap();
    assert_eq!(rows.len(), 1, "accepted claims only by default: {rows:?}");
    let claim = &rows[0];
    assert_eq!(claim["quote"], "nine people");
    assert_eq!(claim["count"], "9");
    assert_eq!(claim["claimed_by"], "Iran state media");
    assert_eq!(claim["date_value"], "2024-01-18");
    assert_eq!(claim["place_text"], "Saravan");
    assert_eq!(claim["actors"], "Balochistan Liberation Army");
    assert_eq!(claim["published"], "2024-01-19");
    // Limited to the claims, the rows still resolve the dates, places and actors they link.
    export(&cli, "events-csv", &out, &["--label", "CASUALTY"]);
    let limited = python(
        "import csv,sys,json\nprint(json.dumps(list(csv.DictReader(open(sys.argv[1], encoding='utf-8', newline='')))))",
        &[&out],
    );
    let limited: Vec<serde_json::Value> = serde_json::from_str(&limited).unwrap();
    assert_eq!(limited, rows);
    // The manifest says what was exported and in which unit.
    let manifest: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(cli.dir.path().join("events.csv.manifest.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(manifest["offset_unit"], "unicode_code_point");
    assert_eq!(manifest["format"], "events-csv");
    assert_eq!(manifest["articles"], 3);
}

#[test]
fn filters_limit_what_is_exported() {
    let cli = annotated();
    let out = cli.dir.path().join("loc.jsonl");
    export(
        &cli,
        "jsonl",
        &out,
        &["--label", "LOC", "--include-suggestions"],
    );
    let records = json_lines(&std::fs::read_to_string(&out).unwrap());
    assert_eq!(
        records.len(),
        3,
        "articles stay; their annotations are filtered"
    );
    let labels: Vec<&str> = records
        .iter()
        .flat_map(|r| r["annotations"].as_array().unwrap())
        .map(|a| a["label"].as_str().unwrap())
        .collect();
    assert!(
        !labels.is_empty() && labels.iter().all(|l| *l == "LOC"),
        "{labels:?}"
    );
    export(&cli, "jsonl", &out, &["--status", "suggested"]);
    let records = json_lines(&std::fs::read_to_string(&out).unwrap());
    assert!(
        records
            .iter()
            .flat_map(|r| r["annotations"].as_array().unwrap())
            .all(|a| a["status"] == "suggested")
    );
    export(&cli, "jsonl", &out, &["--annotator", "nobody"]);
    assert!(
        json_lines(&std::fs::read_to_string(&out).unwrap())
            .iter()
            .all(|r| r["annotations"].as_array().unwrap().is_empty())
    );
    export(&cli, "jsonl", &out, &["--from", "2024-01-20"]);
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        "",
        "no article published after the 19th"
    );
    export(
        &cli,
        "jsonl",
        &out,
        &[
            "--from",
            "2024-01",
            "--to",
            "2024-01-19",
            "--query",
            "wheat",
        ],
    );
    assert_eq!(json_lines(&std::fs::read_to_string(&out).unwrap()).len(), 1);
}

fn folder_files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

#[test]
fn exports_round_trip_through_an_empty_archive() {
    let cli = annotated();
    for (format, name) in [
        ("jsonl", "a.jsonl"),
        ("doccano", "a.doccano.jsonl"),
        ("label-studio", "a.json"),
        ("brat", "brat"),
    ] {
        let first = cli.dir.path().join(format!("first-{name}"));
        export(&cli, format, &first, &["--include-suggestions"]);
        let other = Cli::new();
        let report: serde_json::Value = serde_json::from_str(&other.ok(&[
            "import",
            "--format",
            format,
            first.to_str().unwrap(),
            "--json",
        ]))
        .unwrap();
        assert_eq!(report["imported"], 3, "{format}: {report}");
        assert!(
            report["failed_files"].as_array().unwrap().is_empty(),
            "{format}: {report}"
        );
        let second = cli.dir.path().join(format!("second-{name}"));
        export(&other, format, &second, &["--include-suggestions"]);
        if format == "brat" {
            assert_eq!(folder_files(&first), folder_files(&second), "{format}");
        } else {
            assert_eq!(
                std::fs::read_to_string(&first).unwrap(),
                std::fs::read_to_string(&second).unwrap(),
                "{format}"
            );
        }
    }
}

#[test]
fn mismatched_offsets_are_reported_per_line_and_skipped() {
    let cli = Cli::new();
    let path = cli.dir.path().join("tasks.json");
    let tasks = serde_json::json!([
        {"id": 1, "data": {"text": "Nine people were killed in Saravan."}, "annotations": [{"result": [
            {"id": "1", "from_name": "label", "to_name": "text", "type": "labels", "value": {"start": 0, "end": 11, "text": "Nine people", "labels": ["CASUALTY"]}},
            {"id": "2", "from_name": "label", "to_name": "text", "type": "labels", "value": {"start": 27, "end": 34, "text": "Sarava", "labels": ["LOC"]}}
        ]}]}
    ]);
    std::fs::write(&path, tasks.to_string()).unwrap();
    let report: serde_json::Value = serde_json::from_str(&cli.ok(&[
        "import",
        "--format",
        "label-studio",
        path.to_str().unwrap(),
        "--json",
    ]))
    .unwrap();
    assert_eq!(report["annotations"], 1, "{report}");
    let warnings = report["warnings"].to_string();
    assert!(warnings.contains("Sarava"), "{warnings}");
    let listed = cli.ok(&["annotate", "list", "1", "--json"]);
    assert!(
        listed.contains("Nine people") && !listed.contains("Saravan"),
        "{listed}"
    );
}

/// Token and tag per line, sentences as they come, DOCSTART lines dropped.
fn conll_sentences(path: &Path) -> Vec<Vec<(String, String)>> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut sentences = Vec::new();
    let mut current = Vec::new();
    for line in text.lines() {
        if line.starts_with("-DOCSTART-") {
            continue;
        }
        if line.trim().is_empty() {
            if !current.is_empty() {
                sentences.push(std::mem::take(&mut current));
            }
            continue;
        }
        let mut columns = line.split('\t');
        let token = columns.next().unwrap().to_owned();
        let tag = columns.next_back().unwrap_or("O").to_owned();
        current.push((token, tag));
    }
    if !current.is_empty() {
        sentences.push(current);
    }
    sentences
}

#[test]
#[cfg_attr(
    not(feature = "corpora"),
    ignore = "needs ../shared/corpora: cargo test --features corpora"
)]
fn wnut17_conll_round_trips_tokens_and_tags() {
    let original: PathBuf = corpora().join("wnut17/wnut17train.conll");
    let cli = Cli::new();
    let report: serde_json::Value = serde_json::from_str(&cli.ok(&[
        "import",
        "--format",
        "conll",
        original.to_str().unwrap(),
        "--json",
    ]))
    .unwrap();
    assert!(
        report["failed_files"].as_array().unwrap().is_empty(),
        "{report}"
    );
    let out = cli.dir.path().join("wnut.conll");
    export(&cli, "conll", &out, &[]);
    // The documented difference: an archive stores each text once, so a sentence whose
    // tokens repeat an earlier sentence is reported as a duplicate at import and leaves the
    // export (the first occurrence, with its tags, stays).
    let all = conll_sentences(&original);
    let mut seen = std::collections::HashSet::new();
    let expected: Vec<_> = all
        .iter()
        .filter(|sentence| {
            let tokens: Vec<&str> = sentence.iter().map(|(token, _)| token.as_str()).collect();
            seen.insert(tokens.join(" "))
        })
        .cloned()
        .collect();
    assert!(expected.len() > 3000, "{} sentences", expected.len());
    assert_eq!(
        report["duplicates"].as_u64().unwrap(),
        (all.len() - expected.len()) as u64,
        "every repeated sentence is reported as a duplicate"
    );
    let got = conll_sentences(&out);
    assert_eq!(got.len(), expected.len(), "sentences");
    let mismatches: Vec<_> = expected
        .iter()
        .zip(&got)
        .filter(|(a, b)| a != b)
        .take(3)
        .collect();
    assert!(mismatches.is_empty(), "{mismatches:?}");
}

#[test]
#[cfg_attr(
    not(feature = "corpora"),
    ignore = "needs ../shared/corpora: cargo test --features corpora"
)]
fn unicode_corpora_spans_hold_in_every_format() {
    let cli = Cli::new();
    let unicode = corpora().join("unicode-news");
    cli.ok(&[
        "import",
        unicode.join("urdu-bend-the-truth").to_str().unwrap(),
    ]);
    cli.ok(&[
        "import",
        unicode
            .join("persian-farsi-news/radiofarda.json")
            .to_str()
            .unwrap(),
    ]);
    cli.ok(&[
        "import",
        unicode
            .join("arabic-saudinewsnet/2015-07-23.json")
            .to_str()
            .unwrap(),
    ]);
    // Tweets with emoji, carrying their own entity spans.
    cli.ok(&[
        "import",
        "--format",
        "conll",
        corpora()
            .join("wnut17/emerging.dev.conll")
            .to_str()
            .unwrap(),
    ]);
    // Every third word of the first 60 articles becomes a span (through the library: 600
    // processes would only slow the test down).
    let mut archive = annalist::service::Archive::open(&cli.archive()).unwrap();
    let scripts = archive
        .list(100_000, 0)
        .unwrap()
        .iter()
        .map(|row| archive.article(row.id).unwrap().text)
        .fold([false; 4], |mut seen, text| {
            seen[0] |= text.contains('\u{6d2}'); // Urdu yeh barree
            seen[1] |= text.contains('\u{6af}'); // Persian gaf
            seen[2] |= text.contains('\u{629}'); // Arabic teh marbuta
            seen[3] |= text
                .chars()
                .any(|c| ('\u{1f300}'..='\u{1faff}').contains(&c));
            seen
        });
    assert_eq!(
        scripts, [true; 4],
        "Urdu, Persian, Arabic and emoji texts imported"
    );
    for row in archive.list(60, 0).unwrap() {
        let text = archive.article(row.id).unwrap().text;
        let mut offset = 0;
        for (n, word) in text.split(' ').enumerate() {
            let len = word.chars().count();
            if n % 3 == 0 && n < 30 && len > 0 && !word.contains('\n') {
                let annotation = annalist::service::manual_annotation(
                    "LOC",
                    annalist::model::CharSpan::ordered(offset, offset + len).unwrap(),
                    Default::default(),
                    "test",
                );
                archive.add_annotation(row.id, annotation).unwrap();
            }
            offset += len + 1;
        }
    }
    archive.sync_index().unwrap();
    drop(archive);
    all_readers_accept(&cli);
}

#[test]
fn exports_never_clobber_other_files() {
    let cli = annotated();
    let dir = cli.dir.path().join("brat-out");
    export(&cli, "brat", &dir, &[]);
    assert!(dir.join("manifest.json").is_file() && dir.join("annotation.conf").is_file());
    // An earlier brat export is replaced as a whole.
    export(&cli, "brat", &dir, &["--label", "LOC"]);
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["filters"]["labels"], serde_json::json!(["LOC"]));
    // A folder with anything else in it is refused and left as it was.
    let documents = cli.dir.path().join("documents");
    std::fs::create_dir(&documents).unwrap();
    std::fs::write(documents.join("thesis.docx"), b"weeks of work").unwrap();
    let out = cli.run(&[
        "export",
        "--format",
        "brat",
        "--out",
        documents.to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("thesis.docx"), "{stderr}");
    assert_eq!(std::fs::read_dir(&documents).unwrap().count(), 1);
    assert_eq!(
        std::fs::read(documents.join("thesis.docx")).unwrap(),
        b"weeks of work"
    );
    // Nothing half-written is left beside the targets.
    let leftovers: Vec<_> = std::fs::read_dir(cli.dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".partial"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

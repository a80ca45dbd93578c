//! The real third-party corpora under `../shared/corpora`: counts, encodings, offsets.

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

use annalist::import::ImportOptions;
use annalist::model::char_len;
use annalist::service::{Archive, manual_annotation};

use crate::support::{Cli, corpora, json_lines, python_checks_spans};

#[test]
#[cfg_attr(
    not(feature = "corpora"),
    ignore = "needs ../shared/corpora: cargo test --features corpora"
)]
fn bbc_imports_all_articles_once_and_decodes_latin1() {
    let cli = Cli::new();
    let bbc = corpora().join("bbc-news/bbc");
    // The corpus repeats some articles byte for byte under other file names: those are
    // duplicates on the first import already, each pointing at the copy that was kept.
    let mut seen = std::collections::HashSet::new();
    let mut repeated = 0;
    for entry in walkdir::WalkDir::new(&bbc).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.path().extension().is_some_and(|e| e == "txt")
            && !seen.insert(std::fs::read(entry.path()).unwrap())
        {
            repeated += 1;
        }
    }
    assert!(repeated > 0);
    let first: serde_json::Value =
        serde_json::from_str(&cli.ok(&["import", bbc.to_str().unwrap(), "--json"])).unwrap();
    assert_eq!(first["files"], 2225, "{first}");
    assert_eq!(first["imported"], 2225 - repeated, "{first}");
    assert_eq!(first["duplicates"], repeated, "{first}");
    assert_eq!(first["duplicate_of"].as_array().unwrap().len(), repeated);
    assert_eq!(
        first["failed_files"].as_array().unwrap().len(),
        0,
        "{first}"
    );
    let duplicate = &first["duplicate_of"][0];
    let kept: serde_json::Value =
        serde_json::from_str(&cli.ok(&["show", &duplicate["article_id"].to_string(), "--json"]))
            .unwrap();
    assert_eq!(
        std::fs::read_to_string(duplicate["path"].as_str().unwrap()).unwrap(),
        kept["text"].as_str().unwrap()
    );
    let again: serde_json::Value =
        serde_json::from_str(&cli.ok(&["import", bbc.to_str().unwrap(), "--json"])).unwrap();
    assert_eq!(again["imported"], 0);
    assert_eq!(again["duplicates"], 2225);

    // sport/199.txt is the one Latin-1 file: its pound sign must survive.
    let hits = json_lines(&cli.ok(&["search", "Mutu transfer fee", "--json"]));
    let id = hits[0]["id"].as_i64().unwrap();
    let record: serde_json::Value =
        serde_json::from_str(&cli.ok(&["show", &id.to_string(), "--json"])).unwrap();
    let text = record["text"].as_str().unwrap();
    assert!(
        text.contains("£15.8m"),
        "pound sign lost: {}",
        &text[..300.min(text.len())]
    );
    assert!(!text.contains('\u{fffd}'));
}

/// Annotates every third whitespace-separated word of each article through the library,
/// exports with the CLI and lets Python check every span.
fn annotate_words_and_check(paths: &[PathBuf], min_articles: usize) {
    let cli = Cli::new();
    let mut archive = Archive::open(&cli.archive()).unwrap();
    let report = archive
        .import(
            paths,
            &ImportOptions::default(),
            &mut |_| {},
            &AtomicBool::new(false),
        )
        .unwrap();
    assert!(report.failed_files.is_empty(), "{:?}", report.failed_files);
    assert!(
        report.imported >= min_articles,
        "only {} imported",
        report.imported
    );
    let mut spans = 0;
    for &id in report.new_ids.iter().take(400) {
        let article = archive.article(id).unwrap();
        let mut offset = 0;
        for (n, word) in article.text.split(' ').enumerate() {
            let len = char_len(word);
            if n % 3 == 0 && len > 0 && !word.contains('\n') {
                archive
                    .add_annotation(
                        id,
                        manual_annotation(
                            "LOC",
                            annalist::model::CharSpan::ordered(offset, offset + len).unwrap(),
                            Default::default(),
                            "test",
                        ),
                    )
                    .unwrap();
                spans += 1;
            }
            offset += len + 1;
        }
    }
    assert!(spans > 100, "too few spans: {spans}");
    archive.sync_index().unwrap();
    drop(archive);
    let export = cli.dir.path().join("export.jsonl");
    cli.ok(&["export", "--out", export.to_str().unwrap()]);
    assert_eq!(python_checks_spans(&export), spans);
}

#[test]
#[cfg_attr(
    not(feature = "corpora"),
    ignore = "needs ../shared/corpora: cargo test --features corpora"
)]
fn urdu_persian_arabic_offsets_hold_in_python() {
    let unicode = corpora().join("unicode-news");
    annotate_words_and_check(
        &[
            unicode.join("urdu-bend-the-truth"),
            unicode.join("persian-farsi-news"),
            unicode.join("arabic-saudinewsnet"),
        ],
        4000,
    );
}

#[test]
#[cfg_attr(
    not(feature = "corpora"),
    ignore = "needs ../shared/corpora: cargo test --features corpora"
)]
fn emoji_text_offsets_hold_in_python() {
    let dir = tempfile::tempdir().unwrap();
    // WNUT-17 tweets, one token per line: join each sentence into one article.
    let conll = std::fs::read_to_string(corpora().join("wnut17/emerging.dev.conll")).unwrap();
    let mut jsonl = String::new();
    for (n, sentence) in conll.split("\n\n").enumerate() {
        let words: Vec<&str> = sentence
            .lines()
            .filter_map(|l| l.split('\t').next())
            .collect();
        if words.is_empty() {
            continue;
        }
        let record = serde_json::json!({"title": format!("tweet {n}"), "text": words.join(" ")});
        jsonl.push_str(&record.to_string());
        jsonl.push('\n');
    }
    let path = dir.path().join("tweets.jsonl");
    std::fs::write(&path, jsonl).unwrap();
    annotate_words_and_check(&[path], 900);
}

#[test]
#[cfg_attr(
    not(feature = "corpora"),
    ignore = "needs ../shared/corpora: cargo test --features corpora"
)]
fn html_and_feed_corpora_import_cleanly() {
    let cli = Cli::new();
    let html = corpora().join("html-news");
    let feeds = corpora().join("rss-feeds");
    let report: serde_json::Value = serde_json::from_str(&cli.ok(&[
        "import",
        html.to_str().unwrap(),
        feeds.to_str().unwrap(),
        "--json",
    ]))
    .unwrap();
    assert_eq!(
        report["failed_files"].as_array().unwrap().len(),
        0,
        "{report}"
    );
    assert!(report["imported"].as_u64().unwrap() > 300, "{report}");
    // The GB2312 and Latin-1 feeds read as real text.
    let archive = Archive::open(&cli.archive()).unwrap();
    let mut texts = String::new();
    for row in archive.list(10_000, 0).unwrap() {
        let article = archive.article(row.id).unwrap();
        texts.push_str(&article.title);
        texts.push('\n');
        if article
            .origin_path
            .as_deref()
            .is_some_and(|p| !p.contains("ilmessaggero"))
        {
            assert!(
                !article.text.contains('\u{fffd}'),
                "replacement char in {:?}",
                article.origin_path
            );
            assert!(
                !article.text.contains("Ã§") && !article.text.contains("Ã£"),
                "mojibake in {:?}",
                article.origin_path
            );
        }
    }
    assert!(
        texts.contains("Notícias") || texts.contains("ção"),
        "Portuguese lost"
    );
    assert!(
        texts
            .chars()
            .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
        "no CJK titles"
    );
}

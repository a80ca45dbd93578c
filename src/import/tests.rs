//! Tests of the import entry points: small inline fixtures, then the real corpora under
//! `../shared/corpora` (a missing corpus fails the test).

use std::path::{Path, PathBuf};

use super::*;

fn options() -> ImportOptions {
    ImportOptions::default()
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write as _;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

// --- Inline fixtures.

#[test]
fn text_file_with_bom_and_crlf() {
    let bytes = b"\xEF\xBB\xBF\r\n  Minister resigns  \r\n\r\nThe minister resigned on Monday.\r\n";
    let options = ImportOptions {
        published: Some("2024-02".parse().unwrap()),
        source: Some("Gazette".to_owned()),
        format: None,
        max_file_bytes: None,
    };
    let outcome = parse_bytes(bytes, Path::new("dir/a.txt"), &options).unwrap();
    assert_eq!(outcome.format, Format::Text);
    assert_eq!(outcome.path, Path::new("dir/a.txt"));
    let article = &outcome.articles[0];
    assert_eq!(article.title, "Minister resigns");
    assert_eq!(
        article.text,
        "\n  Minister resigns  \n\nThe minister resigned on Monday.\n"
    );
    assert_eq!(
        article.published.map(|d| d.to_string()).as_deref(),
        Some("2024-02")
    );
    assert_eq!(article.source.as_deref(), Some("Gazette"));
    assert_eq!(article.origin_path.as_deref(), Some("dir/a.txt"));
    assert_eq!(article.origin_format, "text");
    assert!(outcome.warnings.is_empty());
}

#[test]
fn latin1_text_file_keeps_the_pound() {
    let outcome = parse_bytes(
        b"Transfer fee\n\nA \xA315.8m signing.",
        Path::new("a.txt"),
        &options(),
    )
    .unwrap();
    assert_eq!(
        outcome.articles[0].text,
        "Transfer fee\n\nA £15.8m signing."
    );
}

#[test]
fn gzipped_html_is_unpacked_and_read_as_html() {
    let page = "<html><head><title>Hello page</title><meta property=\"og:site_name\" content=\"Site\"></head><body><p>Just one short line.</p></body></html>";
    let outcome = parse_bytes(&gzip(page.as_bytes()), Path::new("p.html.gz"), &options()).unwrap();
    assert_eq!(outcome.format, Format::Html);
    let article = &outcome.articles[0];
    assert_eq!(article.title, "Hello page");
    assert_eq!(article.text, "Just one short line.");
    assert_eq!(article.source.as_deref(), Some("Site"));
    assert_eq!(article.origin_path.as_deref(), Some("p.html.gz"));
}

#[test]
fn whole_file_failures_name_the_file() {
    let fail = |bytes: &[u8], name: &str| {
        parse_bytes(bytes, Path::new(name), &options())
            .unwrap_err()
            .to_string()
    };
    assert_eq!(
        fail(b"GIF89a\x01\x00\x01\x00\x00\x00\x00", "pic.txt"),
        "pic.txt is binary, not text"
    );
    assert_eq!(fail(b"  \n\t ", "blank.txt"), "blank.txt: empty file");
    assert_eq!(fail(b"", "none.csv"), "none.csv: empty file");
    let packed = gzip(&b"some text that is long enough to be cut in half\n".repeat(20));
    assert_eq!(
        fail(packed.get(..40).unwrap(), "cut.txt.gz"),
        "cut.txt.gz: truncated gzip stream"
    );
    let missing = read_file(Path::new("/nonexistent/x.txt"), &options()).unwrap_err();
    assert!(
        missing
            .to_string()
            .starts_with("cannot read /nonexistent/x.txt: "),
        "{missing}"
    );
}

#[test]
fn forced_format_wins_over_the_extension() {
    let options = ImportOptions {
        format: Some(Format::Jsonl),
        ..ImportOptions::default()
    };
    let outcome = parse_bytes(b"{\"text\": \"x\"}\n", Path::new("dump.txt"), &options).unwrap();
    assert_eq!(outcome.format, Format::Jsonl);
    assert_eq!(outcome.articles[0].origin_format, "jsonl");
}

#[test]
fn warnings_display_path_and_line() {
    let warning = ImportWarning {
        path: PathBuf::from("a/b.csv"),
        line: Some(12),
        reason: "expected 2 fields, found 3; row skipped".to_owned(),
    };
    assert_eq!(
        warning.to_string(),
        "a/b.csv:12: expected 2 fields, found 3; row skipped"
    );
    let warning = ImportWarning {
        line: None,
        ..warning
    };
    assert_eq!(
        warning.to_string(),
        "a/b.csv: expected 2 fields, found 3; row skipped"
    );
}

#[test]
#[cfg_attr(
    not(feature = "corpora"),
    ignore = "needs ../shared/corpora: cargo test --features corpora"
)]
fn brat_folders_pair_ann_and_txt_and_skip_configuration() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let brat = root.join("brat");
    std::fs::create_dir_all(&brat).unwrap();
    for (name, contents) in [
        ("brat/1.txt", "Gaza\n"),
        ("brat/1.ann", "T1\tLOC 0 4\tGaza\n"),
        ("brat/2.txt", "Yemen\n"),
        ("brat/2.ann", ""),
        ("brat/notes.txt", "A plain text beside the documents.\n"),
        ("brat/lonely.ann", "T1\tLOC 0 1\tx\n"),
        ("brat/annotation.conf", "[entities]\nLOC\n"),
        ("brat/visual.conf", "[labels]\nLOC | Location\n"),
        ("brat/tools.conf", "[options]\n"),
        ("brat/manifest.json", "{\"format\": \"brat\"}"),
        ("corpus.jsonl", "{\"text\": \"a\"}\n"),
        ("corpus.jsonl.manifest.json", "{\"format\": \"jsonl\"}"),
        (
            "manifest.json",
            "{\"text\": \"kept: not in a brat folder\"}",
        ),
        (
            "emerging.test.annotated",
            "Empire\tB-location\nState\tI-location\n=\tO\n",
        ),
        ("notes.md", "# Not importable\n"),
    ] {
        std::fs::write(root.join(name), contents).unwrap();
    }
    // Naming a paired `.txt` as well does not import it twice.
    let (files, errors) = collect_files(&[root.to_path_buf(), brat.join("1.txt")]);
    assert!(errors.is_empty(), "{errors:?}");
    let expected: Vec<PathBuf> = [
        "brat/1.ann",
        "brat/2.ann",
        "brat/lonely.ann",
        "brat/notes.txt",
        "corpus.jsonl",
        "emerging.test.annotated",
        "manifest.json",
    ]
    .iter()
    .map(|name| root.join(name))
    .collect();
    assert_eq!(files, expected);

    let outcomes: Vec<Result<FileOutcome, ImportError>> = files
        .iter()
        .map(|path| read_file(path, &options()))
        .collect();
    let formats: Vec<Option<Format>> = outcomes
        .iter()
        .map(|outcome| outcome.as_ref().ok().map(|outcome| outcome.format))
        .collect();
    assert_eq!(
        formats,
        [
            Some(Format::Brat),
            Some(Format::Brat),
            None,
            Some(Format::Text),
            Some(Format::Jsonl),
            Some(Format::Conll),
            Some(Format::Json),
        ]
    );
    let gaza = outcomes[0].as_ref().unwrap();
    assert_eq!(gaza.articles[0].text, "Gaza\n");
    assert_eq!(gaza.articles[0].annotations[0].label, "LOC");
    assert!(matches!(outcomes[2], Err(ImportError::BratText { .. })));
}

// --- Real corpora.

/// A path in the shared corpora, which sit beside the clone (in CI too): a missing corpus
/// fails the test rather than skipping it.
fn corpus(relative: &str) -> PathBuf {
    let path = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpora")).join(relative);
    assert!(path.exists(), "corpus missing: {}", path.display());
    path
}

/// Signs of UTF-8 read as Latin-1 (`Ã§`, `Ã£`, `Â `) or of undecodable bytes.
fn has_mojibake(text: &str) -> bool {
    let chars: Vec<char> = text.chars().collect();
    text.contains('\u{fffd}')
        || chars.windows(2).any(
            |pair| matches!(pair, ['Ã' | 'Â', second] if ('\u{80}'..='\u{bf}').contains(second)),
        )
}

#[test]
#[cfg_attr(
    not(feature = "corpora"),
    ignore = "needs ../shared/corpora: cargo test --features corpora"
)]
fn corpus_bbc_latin1_file_keeps_the_pound() {
    let path = corpus("bbc-news/bbc/sport/199.txt");
    let outcome = read_file(&path, &options()).unwrap();
    let article = &outcome.articles[0];
    assert!(
        article.text.contains("a £15.8m signing"),
        "{}",
        article.text
    );
    assert!(!has_mojibake(&article.text));
    assert!(!article.title.is_empty());
}

#[test]
#[cfg_attr(
    not(feature = "corpora"),
    ignore = "needs ../shared/corpora: cargo test --features corpora"
)]
fn corpus_all_feeds_import_without_mojibake() {
    let dir = corpus("rss-feeds");
    let (files, errors) = collect_files(&[dir]);
    assert!(errors.is_empty(), "{errors:?}");
    let expected: [(&str, usize); 12] = [
        ("rss_0.91_encoding_2.xml", 1),
        ("rss_1.0_iso8859.xml", 1),
        ("rss_2.0_encoding_1.xml", 1),
        ("rss_2.0_ilgiornale.xml", 1),
        ("rss_2.0_ilmessaggero.xml", 1),
        ("rss_2.0_nbcny.xml", 1),
        ("encoding-gb2312.xml", 20),
        ("encoding.rss", 40),
        ("guardian.rss", 55),
        ("heise.atom", 15),
        ("nhs-feed.rss", 2),
        ("uolNoticias.rss", 15),
    ];
    assert_eq!(files.len(), expected.len(), "{files:?}");
    for (name, count) in expected {
        let path = files.iter().find(|file| file.ends_with(name)).unwrap();
        let outcome = read_file(path, &options()).unwrap_or_else(|err| panic!("{err}"));
        assert_eq!(outcome.format, Format::Feed);
        assert_eq!(
            outcome.articles.len(),
            count,
            "{name}: {:?}",
            outcome.warnings
        );
        for article in &outcome.articles {
            assert!(!article.title.is_empty(), "{name}: untitled item");
            // rss_2.0_ilmessaggero.xml has `ï¿½` in its source, but only in <copyright>.
            assert!(!has_mojibake(&article.title), "{name}: {}", article.title);
            assert!(!has_mojibake(&article.text), "{name}: {}", article.text);
        }
    }
}

#[test]
#[cfg_attr(
    not(feature = "corpora"),
    ignore = "needs ../shared/corpora: cargo test --features corpora"
)]
fn corpus_feed_languages_read_correctly() {
    let dir = corpus("rss-feeds");
    let read = |name: &str| read_file(&dir.join(name), &options()).unwrap();

    let chinese = read("from-rss-parser/encoding-gb2312.xml");
    let is_cjk = |c: char| ('\u{4e00}'..='\u{9fff}').contains(&c);
    assert!(chinese.articles.iter().all(|a| a.title.chars().any(is_cjk)));
    assert!(chinese.articles.iter().all(|a| {
        a.published
            .is_some_and(|d| d.to_string().starts_with("2018-09-1"))
    }));
    assert_eq!(
        chinese.articles[0]
            .published
            .map(|d| d.to_string())
            .as_deref(),
        Some("2018-09-18")
    );
    assert!(
        chinese.articles[0]
            .source
            .as_deref()
            .is_some_and(|s| s.chars().any(is_cjk))
    );

    let portuguese = read("from-rss-parser/uolNoticias.rss");
    assert!(portuguese.articles.iter().all(|a| a.published.is_some()));
    assert_eq!(
        portuguese.articles[0]
            .published
            .map(|d| d.to_string())
            .as_deref(),
        Some("2018-09-24")
    );
    let all_text: String = portuguese
        .articles
        .iter()
        .map(|a| format!("{} {}\n", a.title, a.text))
        .collect();
    assert!(all_text.contains(['ç', 'ã', 'é', 'í', 'ó']), "{all_text}");

    let jornal = read("from-rss-parser/encoding.rss");
    assert_eq!(
        jornal.articles[0].source.as_deref(),
        Some("Jornal de Notícias - Últimas Notícias")
    );

    let german = read("from-rss-parser/heise.atom");
    let all_text: String = german
        .articles
        .iter()
        .map(|a| format!("{} {}\n", a.title, a.text))
        .collect();
    assert!(all_text.contains(['ä', 'ö', 'ü']), "{all_text}");
    assert!(!all_text.contains('<'), "markup left in text: {all_text}");

    let golem = read("from-feed-rs/rss_1.0_iso8859.xml");
    assert!(golem.articles.iter().all(|a| !has_mojibake(&a.text)));

    let guardian = read("from-rss-parser/guardian.rss");
    let first = &guardian.articles[0];
    assert!(
        first
            .url
            .as_deref()
            .is_some_and(|u| u.starts_with("https://www.theguardian.com/"))
    );
    assert!(
        first
            .published
            .is_some_and(|d| d.to_string().starts_with("2018-01-3"))
    );
    assert!(
        guardian
            .articles
            .iter()
            .all(|a| !a.text.contains("<p>") && !a.text.contains("&amp;"))
    );
}

#[test]
#[cfg_attr(
    not(feature = "corpora"),
    ignore = "needs ../shared/corpora: cargo test --features corpora"
)]
fn corpus_arabic_json_skips_empty_records() {
    let path = corpus("unicode-news/arabic-saudinewsnet/2015-07-23.json");
    let outcome = read_file(&path, &options()).unwrap();
    assert_eq!(outcome.format, Format::Json);
    assert_eq!(outcome.articles.len(), 1318 - 16);
    assert_eq!(outcome.warnings.len(), 16, "{:?}", outcome.warnings);
    assert!(
        outcome
            .warnings
            .iter()
            .all(|w| w.reason.contains("empty text, skipped"))
    );
    let first = &outcome.articles[0];
    assert_eq!(first.title, "المالكي ونصيحة سعود الفيصل");
    assert_eq!(first.source.as_deref(), Some("aawsat"));
    assert_eq!(
        first.published.map(|d| d.to_string()).as_deref(),
        Some("2015-07-23")
    );
    assert!(
        first
            .url
            .as_deref()
            .is_some_and(|u| u.starts_with("http://aawsat.com/"))
    );
}

#[test]
#[cfg_attr(
    not(feature = "corpora"),
    ignore = "needs ../shared/corpora: cargo test --features corpora"
)]
fn corpus_persian_json_imports() {
    let dir = corpus("unicode-news/persian-farsi-news");
    for (name, records) in [("hamshahri.json", 2203), ("radiofarda.json", 284)] {
        let outcome = read_file(&dir.join(name), &options()).unwrap();
        assert_eq!(
            outcome.articles.len() + outcome.warnings.len(),
            records,
            "{name}"
        );
        assert!(
            outcome.articles.len() > records * 9 / 10,
            "{name}: {:?}",
            outcome.warnings.first()
        );
        assert!(
            outcome.articles.iter().any(|a| a.text.contains('\u{200c}')),
            "{name}: ZWNJ kept"
        );
        assert!(outcome.articles.iter().all(|a| a.url.is_some()));
    }
}

#[test]
#[cfg_attr(
    not(feature = "corpora"),
    ignore = "needs ../shared/corpora: cargo test --features corpora"
)]
fn corpus_bbcsport_csv_imports_with_titles() {
    let path = corpus("bbcsport/bbcsport.csv");
    let outcome = read_file(&path, &options()).unwrap();
    assert_eq!(outcome.format, Format::Csv);
    assert_eq!(outcome.articles.len(), 737);
    assert!(
        outcome.warnings.is_empty(),
        "{:?}",
        outcome.warnings.first()
    );
    assert_eq!(
        outcome.articles[0].title,
        "Claxton hunting first major medal"
    );
    assert!(
        outcome.articles[0]
            .text
            .starts_with("Claxton hunting first major medal\n\nBritish hurdler")
    );
}

#[test]
#[cfg_attr(
    not(feature = "corpora"),
    ignore = "needs ../shared/corpora: cargo test --features corpora"
)]
fn corpus_urdu_text_with_bom_and_crlf() {
    let dir = corpus("unicode-news/urdu-bend-the-truth");
    let (files, errors) = collect_files(&[dir]);
    assert!(errors.is_empty());
    assert_eq!(files.len(), 500);
    for path in files.iter().take(40) {
        let outcome = read_file(path, &options()).unwrap();
        let article = &outcome.articles[0];
        assert!(!article.text.contains(['\r', '\u{feff}']));
        assert!(article.title.chars().count() <= 200);
        assert!(!article.title.is_empty());
    }
}

#[test]
#[cfg_attr(
    not(feature = "corpora"),
    ignore = "needs ../shared/corpora: cargo test --features corpora"
)]
fn corpus_readability_pages_get_titles_and_text() {
    let dir = corpus("html-news/readability-test-pages");
    for name in ["bbc-1", "lemonde-1", "gmw", "heise"] {
        let page = dir.join(name);
        let outcome = read_file(&page.join("source.html"), &options()).unwrap();
        let metadata: serde_json::Value =
            serde_json::from_slice(&std::fs::read(page.join("expected-metadata.json")).unwrap())
                .unwrap();
        let article = &outcome.articles[0];
        let expected_title = metadata["title"].as_str().unwrap();
        assert_eq!(article.title, expected_title.trim(), "{name}");
        assert!(
            article.text.chars().count() > 500,
            "{name}: {}",
            article.text
        );
        assert!(!has_mojibake(&article.text), "{name}");
        assert!(!article.text.contains("\n\n\n"), "{name}");
    }
}

/// Sentences (runs of non-blank lines) and span starts per label in a CoNLL file, counted
/// here independently of the importer. A span starts at `B-X`, or at `I-X` after `O` or
/// another label (IOB1); lines with fewer than two columns are not tokens.
fn conll_counts(text: &str) -> (usize, std::collections::BTreeMap<String, usize>) {
    let mut sentences = 0;
    let mut starts = std::collections::BTreeMap::new();
    let mut in_sentence = false;
    let mut previous = String::from("O");
    for line in text.split('\n') {
        let fields: Vec<&str> = line.split_ascii_whitespace().collect();
        if fields.is_empty() {
            in_sentence = false;
            previous = "O".to_owned();
            continue;
        }
        if fields.len() < 2 {
            continue;
        }
        if !in_sentence {
            sentences += 1;
            in_sentence = true;
        }
        let tag = *fields.last().unwrap();
        let label = tag.get(2..).unwrap_or_default();
        let starts_span =
            tag.starts_with("B-") || (tag.starts_with("I-") && previous.get(2..) != Some(label));
        if starts_span {
            *starts.entry(label.to_owned()).or_insert(0) += 1;
        }
        previous = tag.to_owned();
    }
    (sentences, starts)
}

fn spans_by_label(outcome: &FileOutcome) -> std::collections::BTreeMap<String, usize> {
    let mut counts = std::collections::BTreeMap::new();
    for article in &outcome.articles {
        for annotation in &article.annotations {
            *counts.entry(annotation.label.clone()).or_insert(0) += 1;
            let text = crate::model::slice_chars(
                &article.text,
                annotation.span.start(),
                annotation.span.end(),
            );
            assert_eq!(annotation.expected_text.as_deref(), Some(text));
        }
    }
    counts
}

#[test]
#[cfg_attr(
    not(feature = "corpora"),
    ignore = "needs ../shared/corpora: cargo test --features corpora"
)]
fn corpus_wnut17_train_one_article_per_sentence_and_one_span_per_b_tag() {
    let path = corpus("wnut17/wnut17train.conll");
    let raw = std::fs::read_to_string(&path).unwrap();
    let outcome = read_file(&path, &options()).unwrap();
    assert_eq!(outcome.format, Format::Conll);
    assert!(
        outcome.warnings.is_empty(),
        "{:?}",
        outcome.warnings.first()
    );

    let sentences = raw
        .split('\n')
        .map(str::trim)
        .collect::<Vec<_>>()
        .split(|line| line.is_empty())
        .filter(|sentence| !sentence.is_empty())
        .count();
    assert_eq!(outcome.articles.len(), sentences);
    let b_tags = raw
        .lines()
        .filter(|line| {
            line.rsplit('\t')
                .next()
                .is_some_and(|tag| tag.starts_with("B-"))
        })
        .count();
    let spans: usize = outcome.articles.iter().map(|a| a.annotations.len()).sum();
    assert_eq!(spans, b_tags);
    let (_, starts) = conll_counts(&raw);
    assert_eq!(spans_by_label(&outcome), starts);
    assert_eq!(starts.len(), 6, "{starts:?}");
    assert!(starts.contains_key("creative-work"));

    let first = &outcome.articles[0];
    assert!(
        first
            .text
            .starts_with("@paulwalk It 's the view from where I 'm living")
    );
    assert!(first.title.chars().count() <= 80);
    let labelled: Vec<(&str, &str)> = first
        .annotations
        .iter()
        .map(|a| (a.label.as_str(), a.expected_text.as_deref().unwrap()))
        .collect();
    assert_eq!(
        labelled,
        [("location", "Empire State Building"), ("location", "ESB")]
    );
}

#[test]
#[cfg_attr(
    not(feature = "corpora"),
    ignore = "needs ../shared/corpora: cargo test --features corpora"
)]
fn corpus_wnut17_dev_and_test_keep_emoji_offsets() {
    let dev_path = corpus("wnut17/emerging.dev.conll");
    let raw = std::fs::read_to_string(&dev_path).unwrap();
    let dev = read_file(&dev_path, &options()).unwrap();
    let (sentences, starts) = conll_counts(&raw);
    assert_eq!(dev.articles.len(), sentences);
    assert_eq!(spans_by_label(&dev), starts);
    // The file ends in a line holding only U+FEFF: a token without a tag.
    let last_line = u64::try_from(raw.trim_end_matches('\n').lines().count()).unwrap();
    let warnings: Vec<(Option<u64>, &str)> = dev
        .warnings
        .iter()
        .map(|w| (w.line, w.reason.as_str()))
        .collect();
    assert_eq!(
        warnings,
        [(
            Some(last_line),
            "token '\u{feff}' has no tag column; the token is left out"
        )]
    );
    let astral = |c: char| u32::from(c) > 0xFFFF;
    let with_emoji = dev
        .articles
        .iter()
        .filter(|a| a.text.chars().any(astral) && !a.annotations.is_empty())
        .count();
    assert!(with_emoji > 0);

    // The test file has no known extension: its columns say CoNLL.
    let test_path = corpus("wnut17/emerging.test.annotated");
    let raw = std::fs::read_to_string(&test_path).unwrap();
    let test = read_file(&test_path, &options()).unwrap();
    assert_eq!(test.format, Format::Conll);
    let (sentences, starts) = conll_counts(&raw);
    assert_eq!(test.articles.len(), sentences);
    assert_eq!(spans_by_label(&test), starts);
    assert!(test.warnings.is_empty(), "{:?}", test.warnings.first());

    let (files, errors) = collect_files(&[corpus("wnut17")]);
    assert!(errors.is_empty());
    let names: Vec<&str> = files
        .iter()
        .filter_map(|f| f.file_name()?.to_str())
        .collect();
    assert_eq!(
        names,
        [
            "emerging.dev.conll",
            "emerging.test.annotated",
            "wnut17train.conll"
        ]
    );
}

//! Shared code of the fuzz targets: run an importer or a query and turn what the production
//! code would only report (a caught panic) into a crash the fuzzer records. Every importer
//! input is also tried with CRLF line ends and decomposed (NFD), and what comes out must be
//! sound: a visible text, every span inside it. Every query is also tried nested in
//! parentheses thousands deep, on a thread with half the default stack.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use annalist::import::{Format, ImportError, ImportOptions, parse_bytes};
use annalist::index::{SearchIndex, SortOrder};
use unicode_normalization::UnicodeNormalization as _;

/// Imports `data` as `format` under the name `name`, as given, with CRLF line ends and
/// decomposed; panics on a caught importer panic or an unsound article.
pub fn import_as(data: &[u8], format: Format, name: &str) {
    let options = ImportOptions {
        format: Some(format),
        ..ImportOptions::default()
    };
    for bytes in variants(data) {
        check(parse_bytes(&bytes, Path::new(name), &options));
    }
}

/// Imports `data` with its format guessed from the bytes (and gunzipped when it is gzip),
/// in each variant.
pub fn import_guessed(data: &[u8]) {
    for bytes in variants(data) {
        check(parse_bytes(
            &bytes,
            Path::new("fuzz"),
            &ImportOptions::default(),
        ));
    }
}

/// The input as given, with every `\n` as `\r\n` (a file saved on Windows), and decomposed
/// (NFD, as macOS and some exporters write text; bytes that are not UTF-8 stay as they are).
fn variants(data: &[u8]) -> [Vec<u8>; 3] {
    let mut crlf = Vec::with_capacity(data.len() + data.len() / 8);
    for &b in data {
        if b == b'\n' {
            crlf.push(b'\r');
        }
        crlf.push(b);
    }
    let nfd = match std::str::from_utf8(data) {
        Ok(text) => text.nfd().collect::<String>().into_bytes(),
        Err(_) => data.to_vec(),
    };
    [data.to_vec(), crlf, nfd]
}

/// Imports a brat document: text before the first 0xFF byte, annotations after it.
pub fn import_brat(data: &[u8]) {
    let (text, ann) = match data.iter().position(|&b| b == 0xFF) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (&data[..0], data),
    };
    let dir = scratch();
    if std::fs::write(dir.join("doc.txt"), text).is_err() {
        return;
    }
    let options = ImportOptions {
        format: Some(Format::Brat),
        ..ImportOptions::default()
    };
    for (text, ann) in variants(text).into_iter().zip(variants(ann)) {
        if std::fs::write(dir.join("doc.txt"), text).is_err() {
            return;
        }
        check(parse_bytes(&ann, &dir.join("doc.ann"), &options));
    }
}

/// Runs a search; errors are fine, panics are not.
pub fn search(query: &str) {
    static INDEX: OnceLock<SearchIndex> = OnceLock::new();
    let index = INDEX.get_or_init(|| {
        SearchIndex::open_reader(&scratch().join("no-index"))
            .expect("an empty index in memory")
            .0
    });
    let _ = annalist::index::rewrite_date_ranges(query);
    let _ = index.search(query, 10, 0, SortOrder::Relevance);
    // Nested as deep as the input's length says (up to 20,000; over 100 levels is refused
    // before parsing), on a 1 MiB stack, half of what a Rust thread gets by default.
    let depth = (query.len() * 97) % 20_000;
    let nested = format!("{}{query}{}", "(".repeat(depth), ")".repeat(depth));
    let worker = std::thread::Builder::new()
        .name("fuzz-search".to_owned())
        .stack_size(1024 * 1024)
        .spawn(move || {
            let _ = annalist::index::rewrite_date_ranges(&nested);
            let _ = index.search(&nested, 10, 0, SortOrder::Relevance);
            let _ = annalist::model::complete_typed_query(&nested);
        })
        .expect("a search thread");
    if worker.join().is_err() {
        panic!("a search of a query nested {depth} deep panicked");
    }
}

fn check(outcome: Result<annalist::import::FileOutcome, ImportError>) {
    if let Err(error @ ImportError::Crashed { .. }) = &outcome {
        panic!("{error}");
    }
    let Ok(outcome) = outcome else { return };
    for article in &outcome.articles {
        assert!(
            article.text.chars().any(|c| !c.is_whitespace()),
            "a blank article: {:?}",
            article.text
        );
        let len = article.text.chars().count();
        for a in &article.annotations {
            let (start, end) = (a.span.start(), a.span.end());
            assert!(
                start < end && end <= len,
                "span [{start}, {end}) outside a text of {len} code points"
            );
        }
    }
}

fn scratch() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("annalist-fuzz-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a scratch folder");
        dir
    })
}

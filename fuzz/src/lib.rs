//! Shared code of the fuzz targets: run an importer or a query and turn what the production
//! code would only report (a caught panic) into a crash the fuzzer records.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use annalist::import::{Format, ImportError, ImportOptions, parse_bytes};
use annalist::index::{SearchIndex, SortOrder};

/// Imports `data` as `format` under the name `name`; panics on a caught importer panic.
pub fn import_as(data: &[u8], format: Format, name: &str) {
    let options = ImportOptions {
        format: Some(format),
        ..ImportOptions::default()
    };
    check(parse_bytes(data, Path::new(name), &options));
}

/// Imports `data` with its format guessed from the bytes (and gunzipped when it is gzip).
pub fn import_guessed(data: &[u8]) {
    check(parse_bytes(
        data,
        Path::new("fuzz"),
        &ImportOptions::default(),
    ));
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
    check(parse_bytes(ann, &dir.join("doc.ann"), &options));
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
}

fn check(outcome: Result<annalist::import::FileOutcome, ImportError>) {
    if let Err(error @ ImportError::Crashed { .. }) = outcome {
        panic!("{error}");
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

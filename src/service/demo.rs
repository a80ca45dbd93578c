//! The demo archive: a dozen short articles written for this project, shipped in the binary.

use std::path::{Path, PathBuf};

use super::{Archive, ArchiveError, Result};
use crate::import::{ImportOptions, parse_bytes};

/// The demo articles (`assets/demo/articles.json`), in the project's own words.
const DEMO_ARTICLES: &[u8] = include_bytes!("../../assets/demo/articles.json");

/// Where the demo archive lives: beside the default archive, never inside it.
pub fn demo_archive_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("org", "Annalist", "annalist").map(|d| d.data_dir().join("demo"))
}

/// The file that marks a folder as the demo archive, wherever it was created.
const DEMO_MARKER: &str = "annalist-demo";

/// Whether `dir` is the demo archive: the one the first start opens, with sample articles
/// a researcher should not mix with their own work (the app says so while it is open).
pub fn is_demo_archive(dir: &Path) -> bool {
    if dir.join(DEMO_MARKER).is_file() {
        return true;
    }
    let same = |a: &Path, b: &Path| match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    };
    demo_archive_dir().is_some_and(|demo| same(&demo, dir))
}

/// Opens the demo archive in `dir`, loading the demo articles if it is empty.
pub fn open_demo(dir: &Path) -> Result<Archive> {
    let mut archive = Archive::open(dir)?;
    let marker = dir.join(DEMO_MARKER);
    if !marker.is_file() {
        std::fs::write(
            &marker,
            "This folder is Annalist's demo archive: sample articles, not research data.\n",
        )
        .map_err(|source| ArchiveError::Io {
            what: "cannot mark the demo archive",
            source,
            path: marker.clone(),
        })?;
    }
    if archive.store.article_count()? == 0 {
        let outcome = parse_bytes(
            DEMO_ARTICLES,
            Path::new("assets/demo/articles.json"),
            &ImportOptions::default(),
        )
        .map_err(|e| ArchiveError::InvalidDemo(e.to_string()))?;
        archive.import_parsed(outcome)?;
        // The demo shows what a researcher sees after `annalist suggest`: every article
        // pre-annotated, waiting for review.
        archive.suggest(None, &mut |_, _| true)?;
    }
    Ok(archive)
}

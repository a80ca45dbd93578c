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

/// Opens the demo archive in `dir`, loading the demo articles if it is empty.
pub fn open_demo(dir: &Path) -> Result<Archive> {
    let mut archive = Archive::open(dir)?;
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

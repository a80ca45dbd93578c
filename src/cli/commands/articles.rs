//! `annalist show`, `list` and `stats`: articles and counts, read-only.

use std::io::Write;
use std::path::PathBuf;

use crate::cli::EXIT_OK;
use crate::cli::opening::open_read;
use crate::cli::output::{self, stdout};
use crate::model::ArticleId;

/// Prints one article with its annotations, as text or as its native JSON record.
pub(in crate::cli) fn show(dir: Option<PathBuf>, id: i64, json: bool) -> anyhow::Result<u8> {
    let archive = open_read(dir)?;
    let article = archive.article(ArticleId(id))?;
    let annotations = archive.annotations(article.id)?;
    let mut out = stdout();
    if json {
        output::json_line(
            &mut out,
            &crate::export::NativeRecord::in_archive(&article, &annotations),
        )?;
    } else {
        output::article(&mut out, &article, &annotations)?;
    }
    out.flush()?;
    Ok(EXIT_OK)
}

/// Prints a page of articles by id, one line (or JSON object) each.
pub(in crate::cli) fn list(
    dir: Option<PathBuf>,
    limit: usize,
    offset: usize,
    json: bool,
) -> anyhow::Result<u8> {
    let archive = open_read(dir)?;
    let mut out = stdout();
    for row in archive.list(limit, offset)? {
        if json {
            output::json_line(
                &mut out,
                &serde_json::json!({
                    "id": row.id,
                    "title": row.title,
                    "published": row.published,
                    "source": row.source,
                    "annotations": row.annotation_count,
                }),
            )?;
        } else {
            writeln!(
                out,
                "{:>7}  {:<10}  {:<18}  {}  [{}]",
                row.id,
                row.published.map(|d| d.to_string()).unwrap_or_default(),
                output::truncate(&output::line(row.source.as_deref().unwrap_or("")), 18),
                output::line(&row.title),
                row.annotation_count
            )?;
        }
    }
    out.flush()?;
    Ok(EXIT_OK)
}

/// Prints the archive's counts.
pub(in crate::cli) fn stats(dir: Option<PathBuf>, json: bool) -> anyhow::Result<u8> {
    let archive = open_read(dir)?;
    let stats = archive.stats()?;
    let mut out = stdout();
    if json {
        output::json_line(&mut out, &stats)?;
    } else {
        output::stats(&mut out, &stats)?;
    }
    out.flush()?;
    Ok(EXIT_OK)
}

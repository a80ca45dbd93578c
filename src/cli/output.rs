//! How the CLI prints things for people (text) and for scripts (one JSON object per line).

use std::io::{self, Write};

use serde::Serialize;

use crate::model::{Annotation, Article};
use crate::service::{ArchiveStats, SearchPage};

pub(super) fn json_line(out: &mut impl Write, value: &impl Serialize) -> io::Result<()> {
    serde_json::to_writer(&mut *out, value)?;
    out.write_all(b"\n")
}

pub(super) fn truncate(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_owned();
    }
    let mut short: String = text.chars().take(max_chars.saturating_sub(1)).collect();
    short.push('…');
    short
}

pub(super) fn annotation_json(a: &Annotation) -> serde_json::Value {
    serde_json::json!({
        "id": a.id,
        "article_id": a.article_id,
        "label": a.label,
        "start": a.start,
        "end": a.end,
        "text": a.text,
        "status": a.status,
        "annotator": a.annotator,
        "attrs": a.attrs,
        "created_at": a.created_at,
        "updated_at": a.updated_at,
    })
}

pub(super) fn annotation_line(out: &mut impl Write, a: &Annotation) -> io::Result<()> {
    let attrs = if a.attrs.is_empty() {
        String::new()
    } else {
        format!("  {}", serde_json::Value::Object(a.attrs.clone()))
    };
    writeln!(
        out,
        "{:>7}  {:<9} [{}, {})  {:?}  {} by {}{attrs}",
        a.id, a.label, a.start, a.end, a.text, a.status, a.annotator
    )
}

pub(super) fn article(
    out: &mut impl Write,
    article: &Article,
    annotations: &[Annotation],
) -> io::Result<()> {
    writeln!(out, "# {}", article.title)?;
    writeln!(out, "id:        {}", article.id)?;
    if let Some(published) = article.published {
        writeln!(out, "published: {published}")?;
    }
    if let Some(source) = &article.source {
        writeln!(out, "source:    {source}")?;
    }
    if let Some(url) = &article.url {
        writeln!(out, "url:       {url}")?;
    }
    if let Some(path) = &article.origin_path {
        writeln!(out, "file:      {path} ({})", article.origin_format)?;
    }
    writeln!(out, "sha256:    {}", article.content_sha256)?;
    writeln!(out)?;
    writeln!(out, "{}", article.text.trim_end())?;
    if !annotations.is_empty() {
        writeln!(out)?;
        writeln!(out, "## {} annotations", annotations.len())?;
        for a in annotations {
            annotation_line(out, a)?;
        }
    }
    Ok(())
}

pub(super) fn hits(out: &mut impl Write, page: &SearchPage, colour: bool) -> io::Result<()> {
    let (open, close) = if colour {
        ("\x1b[1;33m", "\x1b[0m")
    } else {
        ("[", "]")
    };
    for hit in &page.hits {
        writeln!(
            out,
            "{:>7}  {:<10}  {}  ({}{:.2})",
            hit.id,
            hit.published.map(|d| d.to_string()).unwrap_or_default(),
            hit.title,
            hit.source
                .as_deref()
                .map(|s| format!("{s}, "))
                .unwrap_or_default(),
            hit.score
        )?;
        let snippet = hit.snippet.marked(open, close).replace('\n', " ");
        writeln!(out, "         {snippet}")?;
    }
    writeln!(
        out,
        "{} {} (showing {})",
        page.total,
        if page.total == 1 { "hit" } else { "hits" },
        page.hits.len()
    )
}

pub(super) fn stats(out: &mut impl Write, s: &ArchiveStats) -> io::Result<()> {
    writeln!(out, "archive:      {}", s.path)?;
    writeln!(out, "schema:       version {}", s.schema_version)?;
    writeln!(out, "articles:     {}", s.store.articles)?;
    writeln!(
        out,
        "indexed:      {} in {} segments{}",
        s.indexed_docs,
        s.index_segments,
        if s.store.pending_index > 0 {
            format!(" ({} pending)", s.store.pending_index)
        } else {
            String::new()
        }
    )?;
    writeln!(out, "annotations:  {}", s.store.annotations)?;
    for (label, status, n) in &s.store.annotations_by_label {
        writeln!(out, "  {label:<12} {status:<10} {n}")?;
    }
    if let Some((first, last)) = &s.store.published_range {
        writeln!(out, "published:    {first} .. {last}")?;
    }
    writeln!(out, "database:     {:.1} MB", s.database_bytes as f64 / 1e6)?;
    if !s.store.top_sources.is_empty() {
        writeln!(out, "sources:")?;
        for (source, n) in &s.store.top_sources {
            writeln!(out, "  {n:>7}  {source}")?;
        }
    }
    Ok(())
}

pub(super) fn extraction_report(
    out: &mut impl Write,
    report: &crate::eval::extraction::ExtractionReport,
    verbose: bool,
) -> io::Result<()> {
    if verbose {
        writeln!(out, "| page | precision | recall | F1 | note |")?;
        writeln!(out, "|---|---|---|---|---|")?;
        for page in &report.pages {
            let note = match (&page.error, page.whole_page) {
                (Some(error), _) => error.clone(),
                (None, true) => "whole page (no article found)".to_owned(),
                (None, false) => String::new(),
            };
            writeln!(
                out,
                "| {} | {:.3} | {:.3} | {:.3} | {note} |",
                page.url.as_deref().unwrap_or(&page.page),
                page.scores.precision,
                page.scores.recall,
                page.scores.f1
            )?;
        }
        writeln!(out)?;
    }
    writeln!(out, "pages:      {}", report.pages.len())?;
    writeln!(out, "failed:     {}", report.failed.len())?;
    writeln!(out, "whole page: {}", report.whole_page_count())?;
    writeln!(
        out,
        "mean token precision {:.3}, recall {:.3}, F1 {:.3}",
        report.mean.precision, report.mean.recall, report.mean.f1
    )
}

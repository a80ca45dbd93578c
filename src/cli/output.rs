//! How the CLI prints things for people (text, progress bars) and for scripts (one JSON
//! object per line).

use std::borrow::Cow;
use std::io::{self, BufWriter, Write};

use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;

use crate::model::{Annotation, Article};
use crate::service::{ArchiveStats, SearchPage};

// --- Showing stored text safely

/// Where a text goes in the human-readable output, which decides what layout it keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Layout {
    /// A field on one line (title, outlet, label): line breaks and tabs are escaped too.
    OneLine,
    /// A block of text (an article's body, a message): `\n` and `\t` are kept.
    Block,
}

/// `text` with everything a terminal would act on instead of showing made visible, as
/// `\u{1b}`: control characters (C0 but the line breaks and tabs `layout` keeps, DEL, C1:
/// ANSI and OSC escape sequences start with these) and the bidirectional controls that
/// reorder or hide text (U+061C, U+200E, U+200F, U+202A to U+202E, U+2066 to U+2069), and
/// the line and paragraph separators. Stored text is not changed; `--json` output is exact.
pub(super) fn visible(text: &str, layout: Layout) -> Cow<'_, str> {
    let hidden = |c: char| match c {
        '\n' | '\t' => layout == Layout::OneLine,
        '\u{061C}'
        | '\u{200E}'
        | '\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2066}'..='\u{2069}'
        | '\u{2028}'
        | '\u{2029}' => true,
        c => c.is_control(),
    };
    if !text.chars().any(hidden) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if hidden(c) {
            use std::fmt::Write as _;
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// [`visible`] for a one-line field.
pub(super) fn line(text: &str) -> Cow<'_, str> {
    visible(text, Layout::OneLine)
}

/// A search snippet on one line: highlights wrapped in `open` and `close` (which may be
/// the terminal's colour codes), line breaks as spaces, everything else made [`visible`].
fn marked_visible(snippet: &crate::model::HighlightedSnippet, open: &str, close: &str) -> String {
    let mut out = String::with_capacity(snippet.text.len() + 16);
    let mut highlights = snippet.highlights.iter().peekable();
    let mut open_until = None;
    let mut buf = [0u8; 4];
    for (at, c) in snippet.text.chars().enumerate() {
        if open_until == Some(at) {
            out.push_str(close);
            open_until = None;
        }
        while let Some(&&(start, end)) = highlights.peek() {
            if start > at {
                break;
            }
            highlights.next();
            if open_until.is_none() && start == at && end > start {
                out.push_str(open);
                open_until = Some(end);
            }
        }
        let piece = if c == '\n' {
            " "
        } else {
            c.encode_utf8(&mut buf)
        };
        out.push_str(&line(piece));
    }
    if open_until.is_some() {
        out.push_str(close);
    }
    out
}

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
    let mut json = serde_json::json!({
        "id": a.id,
        "uid": a.uid,
        "article_id": a.article_id,
        "label": a.label,
        "start": a.span.start(),
        "end": a.span.end(),
        "text": a.text,
        "status": a.status,
        "annotator": a.annotator,
        "attrs": a.attrs,
        "created_at": a.created_at,
        "updated_at": a.updated_at,
    });
    if !a.coder.is_empty() {
        json["coder"] = serde_json::Value::from(a.coder.as_str());
    }
    json
}

pub(super) fn annotation_line(out: &mut impl Write, a: &Annotation) -> io::Result<()> {
    let attrs = if a.attrs.is_empty() {
        String::new()
    } else {
        format!("  {}", serde_json::Value::Object(a.attrs.clone()))
    };
    writeln!(
        out,
        "{:>7}  {:<9} [{}, {})  {}  {} by {}{}{}",
        a.id,
        line(&a.label),
        a.span.start(),
        a.span.end(),
        line(&format!("{:?}", a.text)),
        a.status,
        line(&a.annotator),
        if a.coder.is_empty() {
            String::new()
        } else {
            format!(" in {}'s layer", line(&a.coder))
        },
        line(&attrs)
    )
}

pub(super) fn article(
    out: &mut impl Write,
    article: &Article,
    annotations: &[Annotation],
) -> io::Result<()> {
    writeln!(out, "# {}", line(&article.title))?;
    writeln!(out, "id:        {}", article.id)?;
    if let Some(published) = article.published {
        writeln!(out, "published: {published}")?;
    }
    if let Some(source) = &article.source {
        writeln!(out, "source:    {}", line(source))?;
    }
    if let Some(url) = &article.url {
        writeln!(out, "url:       {}", line(url))?;
    }
    if let Some(path) = &article.origin_path {
        writeln!(
            out,
            "file:      {} ({})",
            line(path),
            line(&article.origin_format.to_string())
        )?;
    }
    writeln!(out, "sha256:    {}", line(&article.content_sha256))?;
    writeln!(out)?;
    writeln!(out, "{}", visible(article.text.trim_end(), Layout::Block))?;
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
            line(&hit.title),
            hit.source
                .as_deref()
                .map(|s| format!("{}, ", line(s)))
                .unwrap_or_default(),
            hit.score
        )?;
        let snippet = marked_visible(&hit.snippet, open, close);
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
    writeln!(out, "archive:      {}", line(&s.path))?;
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
        writeln!(out, "  {:<12} {status:<10} {n}", line(label))?;
    }
    if let Some((first, last)) = &s.store.published_range {
        writeln!(out, "published:    {first} .. {last}")?;
    }
    writeln!(out, "database:     {:.1} MB", s.database_bytes as f64 / 1e6)?;
    if !s.store.top_sources.is_empty() {
        writeln!(out, "sources:")?;
        for (source, n) in &s.store.top_sources {
            writeln!(out, "  {n:>7}  {}", line(source))?;
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

// --- Terminal

/// Standard output, locked and buffered for one command's output.
pub(super) fn stdout() -> BufWriter<std::io::StdoutLock<'static>> {
    BufWriter::new(std::io::stdout().lock())
}

/// A progress bar on stderr, prefixed with what it counts.
pub(super) fn progress_bar(what: &str) -> ProgressBar {
    let bar = ProgressBar::new(0);
    let style = ProgressStyle::with_template(
        "{prefix} [{elapsed_precise}] {wide_bar} {pos}/{len} ({per_sec}, eta {eta}) {msg}",
    )
    .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style);
    bar.set_prefix(what.to_owned());
    bar
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_bidi_are_escaped_and_layout_kept_where_asked() {
        assert_eq!(line("plain café"), "plain café");
        assert!(matches!(line("plain"), Cow::Borrowed(_)));
        assert_eq!(
            line("a\u{1b}[2Jb\u{7}\u{9b}\u{7f}\u{202e}\u{2067}\u{200e}\n\t\r"),
            "a\\u{1b}[2Jb\\u{7}\\u{9b}\\u{7f}\\u{202e}\\u{2067}\\u{200e}\\u{a}\\u{9}\\u{d}"
        );
        assert_eq!(visible("one\n\ttwo\r", Layout::Block), "one\n\ttwo\\u{d}");
    }

    #[test]
    fn snippets_keep_their_highlights_around_escaped_text() {
        let snippet = crate::model::HighlightedSnippet {
            text: "a\u{1b}[8m convoy\nhit".to_owned(),
            highlights: vec![(6, 12), (13, 16)],
        };
        assert_eq!(
            marked_visible(&snippet, "[", "]"),
            "a\\u{1b}[8m [convoy] [hit]"
        );
    }
}

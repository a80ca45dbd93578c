//! The articles and warnings of one file as an importer produces them, with the rules every
//! format shares: origin fields, caller fallbacks, and skipping empty texts.

use std::path::Path;

use crate::model::NewArticle;

use super::{FileOutcome, Format, ImportOptions, ImportWarning};

/// Where in a file an article or a problem came from, for warning messages (1-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Place {
    /// The file as a whole (text and HTML files).
    File,
    /// A line of a line-based file (JSONL, CSV, brat, CoNLL), or where a record starts.
    Line(u64),
    /// A record of a JSON array.
    Record(usize),
    /// An item of a feed.
    Item(usize),
}

/// Collects one file's output.
pub(crate) struct Batch<'a> {
    path: &'a Path,
    format: Format,
    options: &'a ImportOptions,
    articles: Vec<NewArticle>,
    warnings: Vec<ImportWarning>,
    /// Text bytes of `articles`, so a streamed file can hand them on in parts.
    text_bytes: usize,
}

impl<'a> Batch<'a> {
    pub(crate) fn new(path: &'a Path, format: Format, options: &'a ImportOptions) -> Self {
        Self {
            path,
            format,
            options,
            articles: Vec::new(),
            warnings: Vec::new(),
            text_bytes: 0,
        }
    }

    pub(crate) fn path(&self) -> &'a Path {
        self.path
    }

    pub(crate) fn options(&self) -> &'a ImportOptions {
        self.options
    }

    /// The importer name articles are stamped with.
    pub(crate) fn format(&self) -> Format {
        self.format
    }

    /// Switches the importer name, for JSON files that turn out to be JSON Lines.
    pub(crate) fn set_format(&mut self, format: Format) {
        self.format = format;
    }

    /// Records a problem that did not stop the file.
    pub(crate) fn warn(&mut self, place: Place, reason: impl Into<String>) {
        let reason = reason.into();
        let (line, reason) = match place {
            Place::File => (None, reason),
            Place::Line(line) => (Some(line), reason),
            Place::Record(number) => (None, format!("record {number}: {reason}")),
            Place::Item(number) => (None, format!("item {number}: {reason}")),
        };
        self.warnings.push(ImportWarning {
            path: self.path.to_path_buf(),
            line,
            reason,
        });
    }

    /// Adds an article: stamps its origin, fills the caller's fallbacks, and skips it with a
    /// warning when its text is blank.
    pub(crate) fn push(&mut self, mut article: NewArticle, place: Place) {
        if article.text.trim().is_empty() {
            let what = if article.title.is_empty() {
                "empty text, skipped".to_owned()
            } else {
                format!("empty text, skipped ('{}')", article.title)
            };
            self.warn(place, what);
            return;
        }
        for message in article.drop_dangling_links() {
            self.warn(place, message);
        }
        article.origin_path = Some(self.path.display().to_string());
        article.origin_format = self.format.as_str().to_owned();
        if article.published.is_none() {
            article.published = self.options.published;
        }
        if article.source.is_none() {
            article.source.clone_from(&self.options.source);
        }
        self.text_bytes = self.text_bytes.saturating_add(article.text.len());
        self.articles.push(article);
    }

    /// Whether enough is collected to hand on as a part of a streamed file: `articles`
    /// articles or `text_bytes` bytes of text, or that many warnings.
    pub(crate) fn part_is_full(&self, articles: usize, text_bytes: usize) -> bool {
        self.articles.len() >= articles
            || self.warnings.len() >= articles
            || self.text_bytes >= text_bytes
    }

    /// Hands on what was collected so far (a part of a streamed file) and starts afresh.
    pub(crate) fn take_part(&mut self) -> FileOutcome {
        self.text_bytes = 0;
        FileOutcome {
            path: self.path.to_path_buf(),
            format: self.format,
            articles: std::mem::take(&mut self.articles),
            warnings: std::mem::take(&mut self.warnings),
        }
    }

    pub(crate) fn finish(self) -> FileOutcome {
        FileOutcome {
            path: self.path.to_path_buf(),
            format: self.format,
            articles: self.articles,
            warnings: self.warnings,
        }
    }
}

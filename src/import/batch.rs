//! The articles and warnings of one file as an importer produces them, with the rules every
//! format shares: origin fields, caller fallbacks, and skipping empty texts.

use std::collections::BTreeSet;
use std::path::Path;

use crate::model::{MAX_REQUESTED_ID, NewArticle, label_name_without_spaces, validate_label_name};

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
    /// Labels whose spaces were replaced, reported once each.
    mapped_labels: BTreeSet<String>,
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
            mapped_labels: BTreeSet::new(),
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
    /// warning when its text is blank or shows nothing (only whitespace and invisible
    /// characters).
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
        if let Some(found) = super::visible::invisible_only(&article.text) {
            let what = if super::visible::invisible_only(&article.title).is_some() {
                format!("no visible text, skipped: {found}")
            } else {
                format!("no visible text, skipped: {found} ('{}')", article.title)
            };
            self.warn(place, what);
            return;
        }
        self.check_requested_ids(&mut article, place);
        self.map_spaced_labels(&mut article);
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

    /// Drops an article id the file asks for that is out of range (see
    /// [`MAX_REQUESTED_ID`]), and names out-of-range annotation ids (the store gives those
    /// annotations the next free id; links between them still follow).
    fn check_requested_ids(&mut self, article: &mut NewArticle, place: Place) {
        let in_range = |id: i64| (1..=MAX_REQUESTED_ID).contains(&id);
        if let Some(id) = article.requested_id
            && !in_range(id.0)
        {
            article.requested_id = None;
            self.warn(place, out_of_range("article", id.0));
        }
        let annotations: Vec<i64> = article
            .annotations
            .iter()
            .filter_map(|annotation| annotation.requested_id.map(|id| id.0))
            .filter(|&id| !in_range(id) && !crate::model::is_uid_link_id(id))
            .collect();
        for id in annotations {
            self.warn(place, out_of_range("annotation", id));
        }
    }

    /// Replaces the spaces in a dataset's label names by `_` (label names cannot hold
    /// spaces: brat and CoNLL could not carry them), saying so once per label and file.
    fn map_spaced_labels(&mut self, article: &mut NewArticle) {
        for annotation in &mut article.annotations {
            // A name invalid for other reasons is left as the file has it, so the warning
            // that skips it names the user's label.
            let Some(mapped) = label_name_without_spaces(&annotation.label)
                .filter(|mapped| validate_label_name(mapped).is_ok())
            else {
                continue;
            };
            let original = std::mem::replace(&mut annotation.label, mapped.clone());
            if self.mapped_labels.insert(original.clone()) {
                self.warn(
                    Place::File,
                    format!(
                        "label '{original}' is stored as '{mapped}': label names cannot hold spaces (brat and CoNLL cannot carry them)"
                    ),
                );
            }
        }
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

/// The warning for an id a file asks for that is not used.
fn out_of_range(what: &str, id: i64) -> String {
    format!(
        "{what} id {id} is outside 1 to {MAX_REQUESTED_ID}, the ids a file may ask for; the {what} gets the next free id"
    )
}

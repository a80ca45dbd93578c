//! The tantivy schema: fields, tokenizers, the format version whose change forces a
//! rebuild, and the document one article becomes.

use chrono::Datelike as _;
use tantivy::schema::{
    DateOptions, DateTimePrecision, FAST, Field, IndexRecordOption, NumericOptions, Schema,
    TextFieldIndexing, TextOptions,
};
use tantivy::{DateTime, TantivyDocument, Term};

use crate::model::{AnnotationStatus, ArticleId, PartialDate};

/// Bumped whenever the tantivy schema or tokenisation changes; a mismatch forces a rebuild.
/// 3: fast fields for facet counts (outlet, label).
/// 4: words normalised (NFKC, default-ignorable characters such as soft hyphens removed).
/// 5: each coder's layer indexed on its own (`layer_*` fields, see `layers.rs`).
pub(super) const INDEX_FORMAT_VERSION: u32 = 5;
pub(super) const VERSION_FILE: &str = "annalist-index-version";
pub(super) const LOWER_RAW: &str = "lower_raw";
/// The tokenizer of the text fields (see `normalize.rs`).
pub(super) const WORDS: &str = "annalist_words";
/// Longest word indexed, in bytes (tantivy's default tokenizer drops longer ones too).
pub(super) const MAX_WORD_BYTES: usize = 40;
/// The layer fields' tokenizers (see `layers.rs`), registered in every index and parser.
pub(super) const LAYER_RAW: &str = "annalist_layer_raw";
pub(super) const LAYER_WORDS: &str = "annalist_layer_words";

/// Review state of an article's annotations, for filtering (`state:` in queries).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewState {
    /// No annotations at all.
    Unannotated,
    /// At least one suggestion waits for review.
    HasSuggestions,
    /// Annotated, nothing left to review.
    Done,
}

impl ReviewState {
    /// The indexed term (`state:unannotated`, `state:suggested`, `state:done`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unannotated => "unannotated",
            Self::HasSuggestions => "suggested",
            Self::Done => "done",
        }
    }
}

#[derive(Clone, Copy)]
pub(super) struct Fields {
    pub(super) source_facet: Field,
    pub(super) label_facet: Field,
    pub(super) article_id: Field,
    pub(super) title: Field,
    pub(super) text: Field,
    pub(super) source: Field,
    pub(super) published: Field,
    pub(super) label: Field,
    pub(super) entity: Field,
    pub(super) state: Field,
    pub(super) layer_label: Field,
    pub(super) layer_entity: Field,
    pub(super) layer_state: Field,
    pub(super) layer_label_facet: Field,
}

pub(super) fn build_schema() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let article_id = builder.add_i64_field(
        "article_id",
        NumericOptions::default()
            .set_indexed()
            .set_stored()
            .set_fast(),
    );
    let title = builder.add_text_field("title", words_options());
    let text = builder.add_text_field("text", words_options());
    let source = builder.add_text_field("source", words_options());
    let published = builder.add_date_field(
        "published",
        DateOptions::default()
            .set_indexed()
            .set_fast()
            .set_precision(DateTimePrecision::Seconds),
    );
    let label = builder.add_text_field("label", lower_raw_options());
    let entity = builder.add_text_field("entity", words_options());
    let state = builder.add_text_field("state", lower_raw_options());
    let source_facet = builder.add_text_field(super::facets::SOURCE_FACET, FAST);
    let label_facet = builder.add_text_field(super::facets::LABEL_FACET, FAST);
    let layer_label = builder.add_text_field("layer_label", layer_options(LAYER_RAW, false));
    let layer_entity = builder.add_text_field("layer_entity", layer_options(LAYER_WORDS, true));
    let layer_state = builder.add_text_field("layer_state", layer_options(LAYER_RAW, false));
    let layer_label_facet = builder.add_text_field(super::facets::LAYER_LABEL_FACET, FAST);
    let fields = Fields {
        source_facet,
        label_facet,
        article_id,
        title,
        text,
        source,
        published,
        label,
        entity,
        state,
        layer_label,
        layer_entity,
        layer_state,
        layer_label_facet,
    };
    (builder.build(), fields)
}

/// Words with positions (phrases), normalised (see `normalize.rs`).
fn words_options() -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(WORDS)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    )
}

/// Whole-value terms, case-insensitive (`label:casualty` finds `CASUALTY`).
fn lower_raw_options() -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(LOWER_RAW)
            .set_index_option(IndexRecordOption::Basic),
    )
}

/// A layer field: terms made by `layers.rs` (indexed as given), read in a query by the
/// tokenizer named here, which puts the coder's tag in front.
fn layer_options(tokenizer: &str, positions: bool) -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(tokenizer)
            .set_index_option(if positions {
                IndexRecordOption::WithFreqsAndPositions
            } else {
                IndexRecordOption::Basic
            }),
    )
}

/// The review state of an article with annotations of these statuses.
pub fn review_state(statuses: impl IntoIterator<Item = AnnotationStatus>) -> ReviewState {
    let mut state = ReviewState::Unannotated;
    for status in statuses {
        match status {
            AnnotationStatus::Suggested => return ReviewState::HasSuggestions,
            AnnotationStatus::Accepted => state = ReviewState::Done,
            AnnotationStatus::Rejected => {}
        }
    }
    state
}

pub(super) fn id_term(fields: Fields, id: ArticleId) -> Term {
    Term::from_field_i64(fields.article_id, id.0)
}

/// What the index keeps of one article.
pub struct DocParts<'a> {
    /// Article.
    pub article_id: ArticleId,
    /// Headline.
    pub title: &'a str,
    /// Full text.
    pub text: &'a str,
    /// Outlet.
    pub source: Option<&'a str>,
    /// Publication date.
    pub published: Option<PartialDate>,
    /// Every annotation, for `label:`, `entity:` and `state:` queries (rejected ones only
    /// count for the review state).
    pub spans: &'a [SpanParts<'a>],
}

/// What the index keeps of one annotation.
#[derive(Debug, Clone, Copy)]
pub struct SpanParts<'a> {
    /// Label name.
    pub label: &'a str,
    /// The covered text.
    pub text: &'a str,
    /// Whose layer it is in.
    pub coder: &'a str,
    /// Review state.
    pub status: AnnotationStatus,
}

/// The document of an article, without its layer terms (`layers::add_layer_terms`).
pub(super) fn document(fields: Fields, parts: &DocParts<'_>) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    doc.add_i64(fields.article_id, parts.article_id.0);
    doc.add_text(fields.title, parts.title);
    doc.add_text(fields.text, parts.text);
    if let Some(source) = parts.source {
        doc.add_text(fields.source, source);
        doc.add_text(fields.source_facet, source);
    }
    // tantivy keeps instants as i64 nanoseconds (years 1678 to 2261); a date outside
    // stays in SQLite but cannot be range-searched.
    if let Some(published) = parts
        .published
        .filter(|d| (1678..=2261).contains(&d.first_day().year()))
    {
        let first = published.first_day();
        if let Some(midnight) = first.and_hms_opt(0, 0, 0) {
            doc.add_date(
                fields.published,
                DateTime::from_timestamp_secs(midnight.and_utc().timestamp()),
            );
        }
    }
    // A rejected span is not what the article is about: not searchable, not counted.
    let kept = || {
        parts
            .spans
            .iter()
            .filter(|s| s.status != AnnotationStatus::Rejected)
    };
    let mut labels: Vec<&str> = kept().map(|s| s.label).collect();
    labels.sort_unstable();
    labels.dedup();
    for label in labels {
        doc.add_text(fields.label, label);
        doc.add_text(fields.label_facet, label);
    }
    for span in kept() {
        doc.add_text(fields.entity, span.text);
    }
    let state = review_state(parts.spans.iter().map(|s| s.status));
    doc.add_text(fields.state, state.as_str());
    doc
}

//! Plain value types of the archive: articles, annotations, spans, dates and the label schema.
//!
//! Owns: the vocabulary every other layer speaks. Must not touch files, SQLite, tantivy,
//! egui or threads.

mod adjudication;
mod annotation;
mod article;
pub mod attrs;
mod coder;
mod count;
mod date;
mod edit;
mod event;
pub mod event_point;
pub mod event_stats;
mod label;
mod search;
mod search_filters;
mod selection;
mod span;
mod typed_query;
mod uid;
pub mod words;

pub use adjudication::{Provenance, ProvenanceSource, UnitDecision, UnitResolution, unit_ids};
pub use annotation::{
    Annotation, AnnotationAttrs, AnnotationId, AnnotationStatus, LinkedAnnotation, NewAnnotation,
    link_target_id, link_targets_mut, links_with_uids, remap_links,
};
pub use article::{
    Article, ArticleId, MAX_REQUESTED_ID, NewArticle, content_sha256, normalize_text,
};
pub use coder::{ADJUDICATED, Assignment, AssignmentPlan, Coder, MAX_CODER_CHARS};
pub use count::plural;
pub use date::{DatePrecision, PartialDate, parse_loose_date};
pub use edit::{ArticleMeta, Edit};
pub use event::{
    ACLED_EVENT_TYPES, DATE_PRECISIONS, Event, EventField, EventId, EventSource, EventStatus,
    Evidence, FieldValue, TYPES_OF_VIOLENCE, Traced, WHERE_PRECISIONS, acled_event_type,
    acled_parent_type, violence_name,
};
pub use event_point::{EventPoint, EvidenceSpan};
pub use label::{
    LabelDef, LabelSchema, LabelUsage, RemovedLabel, default_label_color, default_labels,
    label_name_without_spaces, validate_label_color, validate_label_name,
};
pub use search::{HighlightedSnippet, SearchHit, SortOrder, query_terms};
pub use search_filters::{SearchFilters, StateFilter};
pub use selection::snap_to_words;
pub use span::{CharOffsets, CharSpan, SpanError, char_len, slice_chars};
pub use typed_query::{TypedQuery, complete_typed_query};
pub use uid::{annotation_uid, is_uid, is_uid_link_id, uid_link_id, uid_made_in};

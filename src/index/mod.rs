//! The tantivy full-text index: derived from the store and rebuilt from it at will.
//!
//! Owns: the tantivy schema, indexing, query parsing and snippets. Must not be the source
//! of truth: everything here can be thrown away and rebuilt from SQLite. The tantivy
//! `Index`, `IndexWriter` and `IndexReader` stay private.
mod error;
mod facets;
mod guard;
mod layers;
mod negation;
mod normalize;
mod open;
mod query;
mod schema;
mod search;
mod snippet;
#[cfg(test)]
mod tests;
mod writer;

use std::path::PathBuf;

use tantivy::{Index, IndexReader, IndexWriter};

pub use crate::model::{HighlightedSnippet, SortOrder};
pub use error::IndexError;
pub use facets::Facets;
pub use layers::Scope;
pub use query::{MAX_QUERY_DEPTH, check_query_depth, rewrite_date_ranges};
use schema::Fields;
pub use schema::{DocParts, ReviewState, SpanParts, review_state};
pub use search::{RankedHit, RankedPage};

/// Result alias of the index.
pub type Result<T, E = IndexError> = std::result::Result<T, E>;

/// How the index was found when opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenState {
    /// Existing and of the current format.
    Ready,
    /// Missing, or of an older format: it was created empty and must be rebuilt.
    NeedsRebuild,
    /// Damaged (the reason is kept by the index, see [`SearchIndex::damage`]): it was
    /// created anew, empty, and must be rebuilt; or, where it could not be, searches fail
    /// with [`IndexError::Damaged`] until it is.
    Damaged,
}

/// The full-text index of one archive.
pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    writer: Option<IndexWriter>,
    writable: bool,
    fields: Fields,
    path: PathBuf,
    /// Why the index on disk was found damaged when opened (it was then created anew).
    damage_found: Option<String>,
    /// Set when searches cannot run: the index is damaged and could not be created anew.
    unusable: Option<String>,
}

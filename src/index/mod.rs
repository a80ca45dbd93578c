//! The tantivy full-text index: derived from the store and rebuilt from it at will.
//!
//! Owns: the tantivy schema, indexing, query parsing and snippets. Must not be the source
//! of truth: everything here can be thrown away and rebuilt from SQLite. The tantivy
//! `Index`, `IndexWriter` and `IndexReader` stay private.

mod facets;
mod guard;
mod normalize;
mod query;
mod snippet;

use std::path::{Path, PathBuf};

use chrono::Datelike as _;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{Query, QueryParser};
use tantivy::schema::{
    DateOptions, DateTimePrecision, FAST, Field, IndexRecordOption, NumericOptions, Schema,
    TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{LowerCaser, RawTokenizer, TextAnalyzer};
use tantivy::{
    DateTime, Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term,
    directory::MmapDirectory,
};

use crate::model::{Annotation, AnnotationStatus, Article, ArticleId, PartialDate};

pub use crate::model::{HighlightedSnippet, SortOrder};
pub use facets::Facets;
pub use query::{MAX_QUERY_DEPTH, check_query_depth, rewrite_date_ranges};

/// Bumped whenever the tantivy schema or tokenisation changes; a mismatch forces a rebuild.
/// 3: fast fields for facet counts (outlet, label).
/// 4: words normalised (NFKC, default-ignorable characters such as soft hyphens removed).
const INDEX_FORMAT_VERSION: u32 = 4;
const VERSION_FILE: &str = "annalist-index-version";
const LOWER_RAW: &str = "lower_raw";
/// The tokenizer of the text fields (see `normalize.rs`).
const WORDS: &str = "annalist_words";
/// Longest word indexed, in bytes (tantivy's default tokenizer drops longer ones too).
const MAX_WORD_BYTES: usize = 40;
const WRITER_HEAP_BYTES: usize = 256 * 1024 * 1024;

/// Errors of the index.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    /// tantivy failed (its error is shown in the message, not repeated as a cause).
    #[error("search index error: {0}")]
    Tantivy(tantivy::TantivyError),
    /// The index's files cannot be read as an index (corrupt `meta.json`, a segment file
    /// missing, truncated or overwritten), or reading them failed inside tantivy.
    #[error(
        "the search index is damaged ({reason}); searching needs it rebuilt from the database: run `annalist check --repair` (nothing stored is affected)"
    )]
    Damaged {
        /// What was found wrong.
        reason: String,
    },
    /// The query could not be parsed.
    #[error("cannot understand the query: {reason}")]
    Query {
        /// What is wrong with it.
        reason: String,
    },
    /// Another process holds the index writer.
    #[error("the search index is being written by another process; try again when it is done")]
    Busy,
    /// File system trouble in the index folder.
    #[error("cannot use the index folder {path}: {source}")]
    Io {
        /// What failed.
        source: std::io::Error,
        /// Folder.
        path: PathBuf,
    },
}

impl From<tantivy::TantivyError> for IndexError {
    fn from(error: tantivy::TantivyError) -> Self {
        Self::Tantivy(error)
    }
}

/// Longest cause quoted in [`IndexError::short_reason`], in characters.
const REASON_CHARS: usize = 160;

impl IndexError {
    /// Why the index could not be used, in one short line a person can act on (tantivy's
    /// own errors run to hundreds of characters of debug output).
    pub fn short_reason(&self) -> String {
        if self.is_disk_full() {
            return format!("the disk holding {} is full", self.folder_hint());
        }
        if self.is_permission_denied() {
            return format!(
                "{} cannot be written (permission denied)",
                self.folder_hint()
            );
        }
        match self {
            Self::Damaged { reason } => format!("it is damaged: {reason}"),
            other => {
                let text = match other {
                    Self::Tantivy(e) => e.to_string(),
                    other => other.to_string(),
                };
                if text.chars().count() <= REASON_CHARS {
                    text
                } else {
                    let cut: String = text.chars().take(REASON_CHARS).collect();
                    format!("{cut}...")
                }
            }
        }
    }

    fn folder_hint(&self) -> String {
        match self {
            Self::Io { path, .. } => format!("the index folder {}", path.display()),
            _ => "the index folder".to_owned(),
        }
    }

    /// Whether the file system refused a write (permissions, read-only, immutable).
    pub fn is_permission_denied(&self) -> bool {
        let denied = |io: &std::io::Error| {
            matches!(
                io.kind(),
                std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem
            )
        };
        if let Self::Io { source, .. } = self
            && denied(source)
        {
            return true;
        }
        if let Self::Tantivy(tantivy::TantivyError::IoError(io)) = self
            && denied(io)
        {
            return true;
        }
        // tantivy wraps the cause of a failed write in its text only.
        let text = self.to_string();
        text.contains("PermissionDenied") || text.contains("ReadOnlyFilesystem")
    }

    /// Whether the file system ran out of space (somewhere in the chain of causes).
    pub fn is_disk_full(&self) -> bool {
        if let Self::Tantivy(tantivy::TantivyError::IoError(io)) = self
            && io.kind() == std::io::ErrorKind::StorageFull
        {
            return true;
        }
        let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(self);
        while let Some(e) = cause {
            if let Some(io) = e.downcast_ref::<std::io::Error>()
                && (io.kind() == std::io::ErrorKind::StorageFull || io.raw_os_error() == Some(28))
            {
                return true;
            }
            if let Some(tantivy::TantivyError::IoError(io)) = e.downcast_ref()
                && io.kind() == std::io::ErrorKind::StorageFull
            {
                return true;
            }
            cause = e.source();
        }
        // Some tantivy errors carry the cause only in their text.
        self.to_string().contains("No space left on device")
    }
}

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

/// One ranked hit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RankedHit {
    /// Article.
    pub article_id: ArticleId,
    /// BM25 score.
    pub score: f32,
}

/// A page of ranked hits with the total count.
pub struct RankedPage {
    /// Hits on this page, best first.
    pub hits: Vec<RankedHit>,
    /// All matching articles.
    pub total: usize,
    query: Box<dyn Query>,
}

#[derive(Clone, Copy)]
struct Fields {
    source_facet: Field,
    label_facet: Field,
    article_id: Field,
    title: Field,
    text: Field,
    source: Field,
    published: Field,
    label: Field,
    entity: Field,
    state: Field,
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

impl SearchIndex {
    /// Opens the index in `dir` for reading only: searches see the last commit after
    /// [`Self::reload`]; every write fails with [`IndexError::Busy`]. Another handle (the
    /// writer) keeps it up to date. A missing or outdated index reads as empty until the
    /// writer has built it; a damaged one makes searches fail with [`IndexError::Damaged`]
    /// (this handle cannot rebuild it), everything else works.
    pub fn open_reader(dir: &Path) -> Result<(Self, OpenState)> {
        let (schema, fields) = build_schema();
        if !is_current(dir) {
            // Until the writer has built it, searches run on an empty index in memory.
            let index = Self::with_index(Index::create_in_ram(schema), fields, dir, false)?;
            return Ok((index, OpenState::NeedsRebuild));
        }
        match open_existing(dir, fields, false) {
            Ok(index) => Ok((index, OpenState::Ready)),
            Err(reason) => {
                let mut index = Self::with_index(Index::create_in_ram(schema), fields, dir, false)?;
                index.damage_found = Some(reason.clone());
                index.unusable = Some(reason);
                Ok((index, OpenState::Damaged))
            }
        }
    }

    fn with_index(index: Index, fields: Fields, dir: &Path, writable: bool) -> Result<Self> {
        index.tokenizers().register(
            WORDS,
            TextAnalyzer::builder(normalize::NormalizingTokenizer::default())
                .filter(tantivy::tokenizer::RemoveLongFilter::limit(MAX_WORD_BYTES))
                .filter(LowerCaser)
                .build(),
        );
        index.tokenizers().register(
            LOWER_RAW,
            TextAnalyzer::builder(RawTokenizer::default())
                .filter(LowerCaser)
                .build(),
        );
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(Self {
            index,
            reader,
            writer: None,
            writable,
            fields,
            path: dir.to_owned(),
            damage_found: None,
            unusable: None,
        })
    }

    /// Re-reads the index from disk (a reader handle after the writer committed). A reader
    /// opened before the index existed, or while it was damaged, re-opens it.
    pub fn reload(&mut self) -> Result<()> {
        let stale = self.doc_count() == 0 || self.unusable.is_some();
        if !self.writable && stale && self.path.join("meta.json").exists() {
            let (fresh, _) = Self::open_reader(&self.path)?;
            *self = fresh;
            return Ok(());
        }
        guard::catching(|| Ok(self.reader.reload()?))
    }

    /// Opens the index in `dir`, creating it (empty) when missing or outdated. A damaged
    /// index (its files cannot be opened as an index) is created anew too and reported as
    /// [`OpenState::Damaged`], with the reason in [`Self::damage_found`]; where the folder
    /// cannot be written either, the handle works without search (searches fail with
    /// [`IndexError::Damaged`], saying why) instead of failing to open.
    pub fn open(dir: &Path) -> Result<(Self, OpenState)> {
        let (schema, fields) = build_schema();
        let mut damage = None;
        if is_current(dir) {
            match open_existing(dir, fields, true) {
                Ok(index) => return Ok((index, OpenState::Ready)),
                Err(reason) => damage = Some(reason),
            }
        }
        let state = if damage.is_some() {
            OpenState::Damaged
        } else {
            OpenState::NeedsRebuild
        };
        match create_on_disk(dir, schema.clone()) {
            Ok(index) => {
                let mut index = Self::with_index(index, fields, dir, true)?;
                index.damage_found = damage;
                Ok((index, state))
            }
            Err(error) => {
                let reason = match &damage {
                    Some(damage) => format!(
                        "{damage}; it could not be created anew: {}",
                        error.short_reason()
                    ),
                    None => format!(
                        "it is missing or of an older format and could not be created: {}",
                        error.short_reason()
                    ),
                };
                let mut index = Self::with_index(Index::create_in_ram(schema), fields, dir, false)?;
                index.damage_found = Some(reason.clone());
                index.unusable = Some(reason);
                Ok((index, OpenState::Damaged))
            }
        }
    }

    /// Why the index was found damaged when this handle opened it, if it was.
    pub fn damage_found(&self) -> Option<&str> {
        self.damage_found.as_deref()
    }

    /// Why searches cannot run on this handle, if they cannot.
    pub fn unusable(&self) -> Option<&str> {
        self.unusable.as_deref()
    }

    /// Throws the index folder away and creates it anew, empty (to be rebuilt from the
    /// store): for an index found damaged after it was opened. Only `dir` (the index
    /// folder) is removed; a link there is removed, not followed.
    pub fn recreate(&mut self) -> Result<()> {
        if !self.writable && self.unusable.is_none() {
            return Err(IndexError::Busy);
        }
        self.writer = None;
        let (schema, fields) = build_schema();
        let index = create_on_disk(&self.path, schema)?;
        let damage_found = self.damage_found.take();
        *self = Self::with_index(index, fields, &self.path.clone(), true)?;
        self.damage_found = damage_found;
        Ok(())
    }

    /// Every problem found in the index's files: segment files missing, or whose
    /// checksum does not match their content (bytes overwritten, truncated). Reads every
    /// file of every segment: for `check`, not for every open.
    pub fn validate(&self) -> Vec<String> {
        if let Some(reason) = &self.unusable {
            return vec![reason.clone()];
        }
        let checked = guard::catching(|| {
            let metas = self.index.searchable_segment_metas()?;
            let directory = self.index.directory();
            let mut problems = Vec::new();
            for meta in metas {
                let mut components = vec![
                    tantivy::index::SegmentComponent::Postings,
                    tantivy::index::SegmentComponent::Positions,
                    tantivy::index::SegmentComponent::Terms,
                    tantivy::index::SegmentComponent::Store,
                    tantivy::index::SegmentComponent::FastFields,
                    tantivy::index::SegmentComponent::FieldNorms,
                ];
                if meta.has_deletes() {
                    components.push(tantivy::index::SegmentComponent::Delete);
                }
                for component in components {
                    let file = meta.relative_path(component);
                    let name = file.display();
                    if !self.path.join(&file).exists() {
                        problems.push(format!("segment file {name} is missing"));
                        continue;
                    }
                    match directory.validate_checksum(&file) {
                        Ok(true) => {}
                        Ok(false) => problems.push(format!(
                            "segment file {name} does not match its checksum (its bytes were changed)"
                        )),
                        Err(e) => problems.push(format!("segment file {name} cannot be read: {e}")),
                    }
                }
            }
            Ok(problems)
        });
        checked.unwrap_or_else(|e| vec![e.short_reason()])
    }

    /// Whether this handle may write.
    pub fn is_writable(&self) -> bool {
        self.writable
    }

    /// Number of documents visible to searches.
    pub fn doc_count(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Folder of the index.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn writer(&mut self) -> Result<&mut IndexWriter> {
        if !self.writable {
            return Err(IndexError::Busy);
        }
        if self.writer.is_none() {
            let threads = std::thread::available_parallelism()
                .map_or(1, std::num::NonZero::get)
                .clamp(1, 4);
            let writer = self
                .index
                .writer_with_num_threads(threads, WRITER_HEAP_BYTES)
                .map_err(|e| match e {
                    tantivy::TantivyError::LockFailure(..) => IndexError::Busy,
                    other => IndexError::Tantivy(other),
                })?;
            // A writer killed between writing files and committing leaves files no commit
            // refers to (a segment's `.del` file, say); the next writer would try to create
            // the same names and fail. Remove them before writing anything.
            writer.garbage_collect_files().wait()?;
            self.writer = Some(writer);
        }
        self.writer.as_mut().ok_or(IndexError::Busy)
    }

    /// Replaces the document of an article (delete by id, then add). Visible after `commit`.
    pub fn upsert(&mut self, article: &Article, annotations: &[Annotation]) -> Result<()> {
        // A rejected span is not what the article is about: not searchable, not counted.
        let spans: Vec<(&str, &str)> = annotations
            .iter()
            .filter(|a| a.status != AnnotationStatus::Rejected)
            .map(|a| (a.label.as_str(), a.text.as_str()))
            .collect();
        self.upsert_parts(&DocParts {
            article_id: article.id,
            title: &article.title,
            text: &article.text,
            source: article.source.as_deref(),
            published: article.published,
            spans: &spans,
            state: review_state(annotations.iter().map(|a| a.status)),
        })
    }

    /// Like [`Self::upsert`], from borrowed parts (used while importing, before an
    /// `Article` value exists).
    pub fn upsert_parts(&mut self, parts: &DocParts<'_>) -> Result<()> {
        let fields = self.fields;
        let doc = document(fields, parts);
        let writer = self.writer()?;
        writer.delete_term(id_term(fields, parts.article_id));
        writer.add_document(doc)?;
        Ok(())
    }

    /// Lets the merges tantivy started after the last commit finish, then closes the writer
    /// (the next write opens a new one). Without this, a short-lived process (one CLI
    /// command) exits before its merges end and every import leaves its segments behind: a
    /// search then opens dozens of segments instead of a few.
    pub fn finish_merges(&mut self) -> Result<()> {
        if let Some(writer) = self.writer.take() {
            writer.wait_merging_threads()?;
            self.reader.reload()?;
        }
        Ok(())
    }

    /// Segments the index is made of (searches touch every one).
    pub fn segment_count(&self) -> usize {
        self.reader.searcher().segment_readers().len()
    }

    /// Removes an article's document. Visible after `commit`.
    pub fn remove(&mut self, article_id: ArticleId) -> Result<()> {
        let fields = self.fields;
        self.writer()?.delete_term(id_term(fields, article_id));
        Ok(())
    }

    /// Drops every document (the first step of a rebuild; old ones stay visible until commit).
    pub fn clear(&mut self) -> Result<()> {
        self.writer()?.delete_all_documents()?;
        Ok(())
    }

    /// Drops the writer and what it holds uncommitted, after it failed: tantivy's writer
    /// is dead after some failures, and the next write opens a new one.
    pub fn discard_writer(&mut self) {
        self.writer = None;
    }

    /// Drops changes made since the last commit (a cancelled rebuild).
    pub fn rollback(&mut self) -> Result<()> {
        if let Some(writer) = self.writer.as_mut() {
            writer.rollback()?;
        }
        Ok(())
    }

    /// Makes pending changes durable and visible.
    pub fn commit(&mut self) -> Result<()> {
        if let Some(writer) = self.writer.as_mut() {
            writer.commit()?;
            self.reader.reload()?;
        }
        Ok(())
    }

    /// Parses a query in Annalist's syntax (see `docs/search.md`).
    fn parse(&self, query_text: &str) -> Result<Box<dyn Query>> {
        if query_text.trim().is_empty() {
            return Ok(Box::new(tantivy::query::AllQuery));
        }
        let f = self.fields;
        let mut parser = QueryParser::for_index(&self.index, vec![f.title, f.text, f.entity]);
        parser.set_conjunction_by_default();
        parser.set_field_boost(f.title, 2.0);
        query::check_query_depth(query_text).map_err(|reason| IndexError::Query { reason })?;
        let rewritten =
            rewrite_date_ranges(query_text).map_err(|reason| IndexError::Query { reason })?;
        parser
            .parse_query(&rewritten)
            .map_err(|e| IndexError::Query {
                reason: human_query_error(&e),
            })
    }

    /// Ranked hits for a query (an empty query matches every article).
    pub fn search(
        &self,
        query_text: &str,
        limit: usize,
        offset: usize,
        order: SortOrder,
    ) -> Result<RankedPage> {
        let query = self.parse(query_text)?;
        self.usable()?;
        guard::reading(|| self.search_parsed(query, limit, offset, order))
    }

    /// Fails with [`IndexError::Damaged`] when this handle has no index to search.
    fn usable(&self) -> Result<()> {
        match &self.unusable {
            Some(reason) => Err(IndexError::Damaged {
                reason: reason.clone(),
            }),
            None => Ok(()),
        }
    }

    fn search_parsed(
        &self,
        query: Box<dyn Query>,
        limit: usize,
        offset: usize,
        order: SortOrder,
    ) -> Result<RankedPage> {
        let searcher = self.reader.searcher();
        // tantivy keeps room for `limit + offset` hits up front: never more than there are
        // documents (a limit of 4,000,000,000 allocated 64 GB; usize::MAX overflowed).
        let docs = usize::try_from(searcher.num_docs()).unwrap_or(usize::MAX);
        let offset = offset.min(docs);
        let top_docs = TopDocs::with_limit(limit.clamp(1, docs.saturating_sub(offset).max(1)))
            .and_offset(offset);
        let (top, total): (Vec<(f32, tantivy::DocAddress)>, usize) = match order {
            // One pass for the page and the count. Apart, the page alone is found with
            // block-max pruning, but counting then walks the matches again: measured on
            // 100,000 articles that was no faster for words and slower for boolean and
            // date-filtered queries.
            SortOrder::Relevance => {
                searcher.search(&*query, &(top_docs.order_by_score(), Count))?
            }
            SortOrder::NewestFirst | SortOrder::OldestFirst => {
                let direction = if order == SortOrder::NewestFirst {
                    tantivy::Order::Desc
                } else {
                    tantivy::Order::Asc
                };
                let (dated, total) = searcher.search(
                    &*query,
                    &(
                        top_docs.order_by_fast_field::<DateTime>("published", direction),
                        Count,
                    ),
                )?;
                (
                    dated
                        .into_iter()
                        .map(|(_, address)| (0.0, address))
                        .collect(),
                    total,
                )
            }
        };
        let mut ids = ArticleIds::new(&searcher);
        let mut hits = Vec::with_capacity(top.len());
        for (score, address) in top {
            if let Some(article_id) = ids.get(address)? {
                hits.push(RankedHit { article_id, score });
            }
        }
        if limit == 0 {
            hits.clear();
        }
        Ok(RankedPage { hits, total, query })
    }

    /// Every article whose text contains `phrase` (as words, case-insensitively), ascending.
    /// Reads ids from the fast field, no stored documents: cheap even with many matches.
    pub fn phrase_ids(&self, phrase: &str) -> Result<Vec<ArticleId>> {
        self.usable()?;
        guard::reading(|| self.phrase_ids_unguarded(phrase))
    }

    fn phrase_ids_unguarded(&self, phrase: &str) -> Result<Vec<ArticleId>> {
        let field = self.fields.text;
        let mut analyzer = self.index.tokenizer_for_field(field)?;
        let mut stream = analyzer.token_stream(phrase);
        let mut terms = Vec::new();
        while let Some(token) = stream.next() {
            terms.push((token.position, Term::from_field_text(field, &token.text)));
        }
        let query: Box<dyn Query> = match terms.len() {
            0 => return Ok(Vec::new()),
            1 => Box::new(tantivy::query::TermQuery::new(
                terms.remove(0).1,
                IndexRecordOption::Basic,
            )),
            _ => Box::new(tantivy::query::PhraseQuery::new_with_offset(terms)),
        };
        let searcher = self.reader.searcher();
        let found = searcher.search(&*query, &tantivy::collector::DocSetCollector)?;
        let mut columns = ArticleIds::new(&searcher);
        let mut ids = Vec::with_capacity(found.len());
        for address in found {
            ids.extend(columns.get(address)?);
        }
        ids.sort_unstable();
        ids.dedup();
        Ok(ids)
    }

    /// Every article id matching a query, ascending (for exports limited by a query).
    pub fn matching_ids(&self, query_text: &str) -> Result<Vec<ArticleId>> {
        let query = self.parse(query_text)?;
        self.usable()?;
        let total = guard::reading(|| Ok(self.reader.searcher().search(&*query, &Count)?))?;
        let page = self.search(query_text, total, 0, SortOrder::Relevance)?;
        let mut ids: Vec<ArticleId> = page.hits.iter().map(|h| h.article_id).collect();
        ids.sort_unstable();
        Ok(ids)
    }

    /// Labels, outlets and years of every article matching a query (all for an empty one).
    pub fn facets(&self, query_text: &str) -> Result<Facets> {
        let query = self.parse(query_text)?;
        self.usable()?;
        guard::reading(|| {
            Ok(self
                .reader
                .searcher()
                .search(&*query, &facets::FacetCollector)?)
        })
    }

    /// A snippet of `text` around the words of the page's query, with highlights.
    pub fn snippet(
        &self,
        page: &RankedPage,
        text: &str,
        max_chars: usize,
    ) -> Result<HighlightedSnippet> {
        Ok(self
            .snippets(page, &[text], max_chars)?
            .into_iter()
            .next()
            .unwrap_or_default())
    }

    /// Snippets of several texts for one page's query (one per text, in order), with the
    /// query's statistics read once for the page.
    pub fn snippets(
        &self,
        page: &RankedPage,
        texts: &[&str],
        max_chars: usize,
    ) -> Result<Vec<HighlightedSnippet>> {
        guard::reading(|| {
            let mut highlighter =
                snippet::highlighter(&self.index, &*page.query, self.fields.text)?;
            texts
                .iter()
                .map(|text| snippet::make(&mut highlighter, text, max_chars))
                .collect()
        })
    }
}

/// Article ids of documents, read from the `article_id` fast field (no stored document is
/// decompressed), one column per segment opened on first use.
struct ArticleIds<'a> {
    searcher: &'a tantivy::Searcher,
    columns: std::collections::HashMap<u32, tantivy::columnar::Column<i64>>,
}

impl<'a> ArticleIds<'a> {
    fn new(searcher: &'a tantivy::Searcher) -> Self {
        Self {
            searcher,
            columns: std::collections::HashMap::new(),
        }
    }

    fn get(&mut self, address: tantivy::DocAddress) -> Result<Option<ArticleId>> {
        let column = match self.columns.entry(address.segment_ord) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(e) => e.insert(
                self.searcher
                    .segment_reader(address.segment_ord)
                    .fast_fields()
                    .i64("article_id")?,
            ),
        };
        Ok(column.first(address.doc_id).map(ArticleId))
    }
}

/// Whether `dir` holds an index of the current format (it may still be damaged).
fn is_current(dir: &Path) -> bool {
    let version = std::fs::read_to_string(dir.join(VERSION_FILE))
        .ok()
        .and_then(|v| v.trim().parse::<u32>().ok());
    version == Some(INDEX_FORMAT_VERSION) && dir.join("meta.json").exists()
}

/// Opens the index in `dir` and every segment of its last commit; the reason why not, in
/// words, when its files cannot be read as an index.
fn open_existing(dir: &Path, fields: Fields, writable: bool) -> Result<SearchIndex, String> {
    guard::catching(|| {
        let index = Index::open_in_dir(dir)?;
        // Opening the reader opens every segment file the last commit names.
        SearchIndex::with_index(index, fields, dir, writable)
    })
    .map_err(|e| damage_in_words(&e))
}

/// What a failure to open the index says about its files, in words.
fn damage_in_words(error: &IndexError) -> String {
    use tantivy::TantivyError as T;
    use tantivy::directory::error::OpenReadError as R;
    let name = |path: &Path| {
        path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        )
    };
    match error {
        IndexError::Damaged { reason } => reason.clone(),
        IndexError::Tantivy(T::OpenReadError(R::FileDoesNotExist(path))) => {
            format!("its file {} is missing", name(path))
        }
        IndexError::Tantivy(T::OpenReadError(R::IoError { io_error, filepath })) => {
            format!("its file {} cannot be read: {io_error}", name(filepath))
        }
        IndexError::Tantivy(T::DataCorruption(corruption)) => {
            // Its text quotes the file's content: name the file, not the bytes.
            let text = format!("{corruption:?}");
            let file = text
                .split('`')
                .nth(1)
                .map(|quoted| quoted.trim_matches('"').to_owned());
            match file {
                Some(file) => format!("its file {file} is corrupt"),
                None => "a file of it is corrupt".to_owned(),
            }
        }
        other => other.short_reason(),
    }
}

/// Removes the index folder `dir` (nothing else) and creates an empty index in it.
fn create_on_disk(dir: &Path, schema: Schema) -> Result<Index> {
    let io = |source| IndexError::Io {
        source,
        path: dir.to_owned(),
    };
    // A link named like the index folder is removed, never followed.
    match std::fs::symlink_metadata(dir) {
        Ok(meta) if meta.is_symlink() => std::fs::remove_file(dir).map_err(io)?,
        Ok(meta) if meta.is_dir() => std::fs::remove_dir_all(dir).map_err(io)?,
        Ok(_) => {
            return Err(io(std::io::Error::other(
                "a file, not a folder, is where the index folder should be",
            )));
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(io(e)),
    }
    std::fs::create_dir_all(dir).map_err(io)?;
    let index = Index::create(
        MmapDirectory::open(dir).map_err(|e| IndexError::Tantivy(e.into()))?,
        schema,
        tantivy::IndexSettings::default(),
    )?;
    std::fs::write(dir.join(VERSION_FILE), INDEX_FORMAT_VERSION.to_string()).map_err(io)?;
    Ok(index)
}

fn build_schema() -> (Schema, Fields) {
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
    let source_facet = builder.add_text_field(facets::SOURCE_FACET, FAST);
    let label_facet = builder.add_text_field(facets::LABEL_FACET, FAST);
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

fn id_term(fields: Fields, id: ArticleId) -> Term {
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
    /// `(label, span text)` of each annotation, for `label:` and `entity:` queries.
    pub spans: &'a [(&'a str, &'a str)],
    /// Review state, for `state:` queries.
    pub state: ReviewState,
}

fn document(fields: Fields, parts: &DocParts<'_>) -> TantivyDocument {
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
    let mut labels: Vec<&str> = parts.spans.iter().map(|&(label, _)| label).collect();
    labels.sort_unstable();
    labels.dedup();
    for label in labels {
        doc.add_text(fields.label, label);
        doc.add_text(fields.label_facet, label);
    }
    for &(_, span_text) in parts.spans {
        doc.add_text(fields.entity, span_text);
    }
    doc.add_text(fields.state, parts.state.as_str());
    doc
}

/// A parser error in words a researcher reads at a glance, instead of the parser's own
/// (`Syntax Error: ...`).
fn human_query_error(error: &tantivy::query::QueryParserError) -> String {
    use tantivy::query::QueryParserError as E;
    match error {
        E::SyntaxError(_) => {
            "check the quotes, the parentheses and the words AND, OR, NOT".to_owned()
        }
        E::FieldDoesNotExist(field) => format!(
            "there is no field '{field}:' (fields: title:, text:, source:, label:, entity:, state:, published:)"
        ),
        E::RangeMustNotHavePhrase => "a range cannot contain a phrase in quotes".to_owned(),
        E::ExpectedInt(_) | E::ExpectedFloat(_) => "a number was expected".to_owned(),
        E::DateFormatError(_) => {
            "a date was expected (published:2024-01-19, published:2024-01)".to_owned()
        }
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn indexed(texts: &[&str]) -> (tempfile::TempDir, SearchIndex) {
        let dir = tempfile::tempdir().unwrap();
        let (mut index, _) = SearchIndex::open(&dir.path().join("index")).unwrap();
        for (i, text) in texts.iter().enumerate() {
            index
                .upsert_parts(&DocParts {
                    article_id: ArticleId(i64::try_from(i).unwrap() + 1),
                    title: "A headline",
                    text,
                    source: None,
                    published: None,
                    spans: &[],
                    state: ReviewState::Unannotated,
                })
                .unwrap();
        }
        index.commit().unwrap();
        (dir, index)
    }

    fn upsert(index: &mut SearchIndex, id: i64, text: &str) {
        index
            .upsert_parts(&DocParts {
                article_id: ArticleId(id),
                title: "t",
                text,
                source: None,
                published: None,
                spans: &[],
                state: ReviewState::Unannotated,
            })
            .unwrap();
    }

    #[test]
    fn query_errors_are_said_in_words_not_the_parsers() {
        let (_dir, index) = indexed(&["Iran said nine people were killed"]);
        for query in ["\"nine people", "nine) people", "nosuchfield:x"] {
            let Err(error) = index.search(query, 10, 0, SortOrder::Relevance) else {
                continue;
            };
            let message = error.to_string();
            assert!(
                !message.contains("Syntax Error") && !message.contains("(in '"),
                "{query}: {message}"
            );
            assert!(
                message.starts_with("cannot understand the query: "),
                "{message}"
            );
        }
        let error = index
            .search("nosuchfield:x", 10, 0, SortOrder::Relevance)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(error.contains("no field 'nosuchfield:'"), "{error}");
    }

    #[test]
    fn upserts_replace_whatever_the_batches_and_writers() {
        let texts: Vec<String> = (0..400).map(|i| format!("article {i} text")).collect();
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let (dir, mut index) = indexed(&refs);
        for round in 0..60 {
            // Several upserts of one article in one commit, some of others.
            for _ in 0..3 {
                upsert(&mut index, 249, "again");
            }
            upsert(&mut index, 1 + round % 400, "other");
            index.commit().unwrap();
            assert_eq!(index.doc_count(), 400, "round {round}");
            // A new writer (another process) every few rounds.
            if round % 20 == 19 {
                drop(index);
                index = SearchIndex::open(&dir.path().join("index")).unwrap().0;
            }
        }
    }

    #[test]
    fn snippets_highlight_every_matching_word_of_the_best_fragment() {
        let text = "Pakistan said on Thursday that it had struck hideouts of separatist militants inside Iran, two days after an Iranian missile and drone attack on its own territory.\n\nIran said Thursday's strikes killed nine people in a border village near Saravan, including four children. Pakistan said the Iranian attack on Tuesday killed two children in Balochistan province.";
        let (_dir, index) = indexed(&[text, "nothing killed here"]);
        let page = index.search("killed", 10, 0, SortOrder::Relevance).unwrap();
        assert_eq!(page.total, 2);
        let snippet = index.snippet(&page, text, 200).unwrap();
        let marked = snippet.marked("<", ">");
        assert!(marked.contains("strikes <killed> nine"), "{marked}");
        assert!(
            marked.contains("attack on Tuesday <killed> two"),
            "context after the match: {marked}"
        );
        assert!(snippet.text.chars().count() <= 200);
        assert!(!snippet.text.starts_with(' ') && !snippet.text.ends_with(' '));
        let page = index
            .search("\"killed nine\"", 10, 0, SortOrder::Relevance)
            .unwrap();
        let snippet = index.snippet(&page, text, 200).unwrap();
        let (start, end) = snippet.highlights[0];
        assert_eq!(
            crate::model::slice_chars(&snippet.text, start, end),
            "killed nine",
            "a phrase is one highlight: {snippet:?}"
        );
    }

    #[test]
    fn snippets_skip_words_that_only_contain_the_query_and_keep_other_scripts() {
        let text = "The reelection campaign 😀 began; the ELECTION itself is in May.";
        let urdu = "کراچی میں دھماکہ 😀 ہوا۔ کراچی پولیس نے کہا";
        let (_dir, index) = indexed(&[text, urdu]);
        let page = index
            .search("election", 10, 0, SortOrder::Relevance)
            .unwrap();
        let snippet = index.snippet(&page, text, 200).unwrap();
        assert_eq!(
            snippet.marked("<", ">"),
            "The reelection campaign 😀 began; the <ELECTION> itself is in May."
        );
        let page = index.search("کراچی", 10, 0, SortOrder::Relevance).unwrap();
        let snippet = index.snippet(&page, urdu, 200).unwrap();
        assert_eq!(snippet.highlights.len(), 2, "{snippet:?}");
        for &(start, end) in &snippet.highlights {
            assert_eq!(
                crate::model::slice_chars(&snippet.text, start, end),
                "کراچی"
            );
        }
    }

    #[test]
    fn a_damaged_index_is_created_anew_by_the_writer_and_refused_with_advice_by_a_reader() {
        let (dir, index) = indexed(&["Iran said nine people were killed"]);
        drop(index);
        let path = dir.path().join("index");
        std::fs::write(path.join("meta.json"), "{garbage").unwrap();
        let (reader, state) = SearchIndex::open_reader(&path).unwrap();
        assert_eq!(state, OpenState::Damaged);
        let error = reader
            .search("killed", 10, 0, SortOrder::Relevance)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert_eq!(
            error,
            "the search index is damaged (its file meta.json is corrupt); searching needs it rebuilt from the database: run `annalist check --repair` (nothing stored is affected)"
        );
        let (mut writer, state) = SearchIndex::open(&path).unwrap();
        assert_eq!(state, OpenState::Damaged);
        assert_eq!(writer.damage_found(), Some("its file meta.json is corrupt"));
        assert!(writer.unusable().is_none());
        upsert(&mut writer, 1, "killed again");
        writer.commit().unwrap();
        assert_eq!(
            writer
                .search("killed", 10, 0, SortOrder::Relevance)
                .unwrap()
                .total,
            1
        );
        assert!(writer.validate().is_empty());
    }

    #[test]
    fn deep_queries_are_refused_by_name_and_the_deepest_allowed_fits_a_small_stack() {
        let (_dir, index) = indexed(&["Iran said nine people were killed"]);
        let nested = |depth: usize| format!("{}killed{}", "(".repeat(depth), ")".repeat(depth));
        let error = index
            .search(&nested(10_000), 10, 0, SortOrder::Relevance)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert_eq!(
            error,
            "cannot understand the query: the query nests parentheses 10000 levels deep; at most 100 are allowed"
        );
        assert!(index.facets(&nested(101)).is_err());
        assert!(index.matching_ids(&format!("-{}", nested(5_000))).is_err());
        // The app's and the exports' threads have Rust's default stack (2 MiB) or less:
        // the deepest query allowed, and long flat ones, parse on half of it.
        let queries = [
            nested(MAX_QUERY_DEPTH),
            format!("{}killed", "NOT ".repeat(5_000)),
            vec!["killed"; 5_000].join(" OR "),
            format!("{}killed", "+".repeat(10_000)),
        ];
        std::thread::scope(|scope| {
            let searched = std::thread::Builder::new()
                .name("small-stack".to_owned())
                .stack_size(1024 * 1024)
                .spawn_scoped(scope, || {
                    queries
                        .iter()
                        .map(|q| {
                            index
                                .search(q, 10, 0, SortOrder::Relevance)
                                .map(|p| p.total)
                        })
                        .collect::<Vec<_>>()
                })
                .unwrap()
                .join()
                .unwrap();
            assert_eq!(searched[0].as_ref().ok(), Some(&1));
            assert_eq!(searched[2].as_ref().ok(), Some(&1));
        });
    }

    #[test]
    fn composed_decomposed_and_soft_hyphenated_spellings_find_each_other_and_highlight_the_stored_word()
     {
        let nfd = "Protest near the Cafe\u{301} Central in Kyiv.";
        let nfc = "Talks at the Caf\u{e9} Europa ended.";
        let soft = "Shelling in Bala\u{AD}kliia resumed.";
        let (_dir, index) = indexed(&[nfd, nfc, soft]);
        for query in ["caf\u{e9}", "cafe\u{301}", "\"caf\u{e9} central\""] {
            let page = index.search(query, 10, 0, SortOrder::Relevance).unwrap();
            let want = if query.contains("central") { 1 } else { 2 };
            assert_eq!(page.total, want, "{query}");
        }
        let page = index.search("café", 10, 0, SortOrder::Relevance).unwrap();
        let snippet = index.snippet(&page, nfd, 200).unwrap();
        let &(start, end) = snippet.highlights.first().unwrap();
        assert_eq!(
            crate::model::slice_chars(&snippet.text, start, end),
            "Cafe\u{301}",
            "the highlight covers the stored code points: {snippet:?}"
        );
        for query in ["balakliia", "Bala\u{AD}kliia"] {
            let page = index.search(query, 10, 0, SortOrder::Relevance).unwrap();
            assert_eq!(page.total, 1, "{query}");
            let snippet = index.snippet(&page, soft, 200).unwrap();
            let &(start, end) = snippet.highlights.first().unwrap();
            assert_eq!(
                crate::model::slice_chars(&snippet.text, start, end),
                "Bala\u{AD}kliia"
            );
        }
        assert_eq!(index.phrase_ids("Bala\u{AD}kliia").unwrap().len(), 1);
        assert_eq!(index.phrase_ids("café").unwrap().len(), 2);
    }

    #[test]
    fn a_full_disk_is_recognised_through_tantivy_errors() {
        let full = std::io::Error::from_raw_os_error(28);
        let wrapped = IndexError::Tantivy(tantivy::TantivyError::IoError(std::sync::Arc::new(
            std::io::Error::new(std::io::ErrorKind::StorageFull, full),
        )));
        assert!(wrapped.is_disk_full());
        let io = IndexError::Io {
            source: std::io::Error::from_raw_os_error(28),
            path: PathBuf::from("index"),
        };
        assert!(io.is_disk_full());
        let denied = IndexError::Io {
            source: std::io::Error::from(std::io::ErrorKind::PermissionDenied),
            path: PathBuf::from("index"),
        };
        assert!(!denied.is_disk_full());
        assert!(!IndexError::Busy.is_disk_full());
    }

    #[test]
    fn snippets_find_matches_deep_in_long_texts_and_prefer_a_phrase_nearby() {
        let filler = "Officials met again in the capital to discuss the budget. ".repeat(2_000);
        let text = format!(
            "{filler}The minister spoke first. Then the prime minister said 😀 the talks would go on. {filler}"
        );
        let (_dir, index) = indexed(&[&text]);
        let page = index
            .search("\"prime minister\"", 10, 0, SortOrder::Relevance)
            .unwrap();
        let snippet = index.snippet(&page, &text, 200).unwrap();
        let marked = snippet.marked("<", ">");
        assert!(marked.contains("the <prime minister> said 😀"), "{marked}");
        assert!(snippet.text.chars().count() <= 200);
        // Highlights are code point offsets into the snippet text.
        for &(start, end) in &snippet.highlights {
            let word = crate::model::slice_chars(&snippet.text, start, end);
            assert!(word == "minister" || word == "prime minister", "{word}");
        }
    }
}

//! Writing the index: the one `IndexWriter`, upserts (delete by id term, then add),
//! merges, rollback and commit.

use tantivy::IndexWriter;

use super::schema::{DocParts, SpanParts, document, id_term};
use super::{IndexError, Result, SearchIndex, layers};
use crate::model::{Annotation, Article, ArticleId};

const WRITER_HEAP_BYTES: usize = 256 * 1024 * 1024;

impl SearchIndex {
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
        let spans: Vec<SpanParts<'_>> = annotations
            .iter()
            .map(|a| SpanParts {
                label: &a.label,
                text: &a.text,
                coder: &a.coder,
                status: a.status,
            })
            .collect();
        self.upsert_parts(&DocParts {
            article_id: article.id,
            title: &article.title,
            text: &article.text,
            source: article.source.as_deref(),
            published: article.published,
            spans: &spans,
        })
    }

    /// Like [`Self::upsert`], from borrowed parts (used while importing, before an
    /// `Article` value exists).
    pub fn upsert_parts(&mut self, parts: &DocParts<'_>) -> Result<()> {
        let fields = self.fields;
        let mut words = self.index.tokenizer_for_field(fields.text)?;
        let mut doc = document(fields, parts);
        layers::add_layer_terms(fields, &mut doc, parts.spans, &mut words);
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
}

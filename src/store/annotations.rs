//! Annotations: adding (one, or many with links between them), reading, reviewing,
//! updating, deleting and restoring them; every change queues its article for the index.

use rusqlite::params;

use super::error::row_error;
use super::rows::{
    ANNOTATION_COLUMNS, RawAnnotation, bury, insert_annotation_row, insert_restored, raw_annotation,
};
use super::{DamagedRow, Result, Store, StoreError, now_rfc3339};
use crate::model::{
    Annotation, AnnotationAttrs, AnnotationId, AnnotationStatus, ArticleId, LinkedAnnotation,
    NewAnnotation,
};

impl Store {
    /// Annotations of one article, ordered by start, end, label, id.
    pub fn annotations(&self, article_id: ArticleId) -> Result<Vec<Annotation>> {
        let sql = format!(
            "SELECT {ANNOTATION_COLUMNS} FROM annotations WHERE article_id = ?1 ORDER BY start, end, label, id"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query([article_id.0])?;
        let mut out = Vec::new();
        loop {
            let row = match rows.next() {
                Ok(Some(row)) => row,
                Ok(None) => break,
                Err(e) => {
                    // The rest of this article's annotations are on a page SQLite cannot
                    // read: record it, and keep what was read.
                    self.skip_damaged(StoreError::DamagedRow(DamagedRow {
                        table: "articles",
                        id: article_id.0,
                        column: "annotations".to_owned(),
                        reason: format!(
                            "its annotations after the first {} are on a damaged page: {e}",
                            out.len()
                        ),
                    }))?;
                    break;
                }
            };
            match raw_annotation(row).and_then(RawAnnotation::into_annotation) {
                Ok(annotation) => out.push(annotation),
                Err(e) => self.skip_damaged(e)?,
            }
        }
        Ok(out)
    }

    /// One annotation.
    pub fn annotation(&self, id: AnnotationId) -> Result<Option<Annotation>> {
        let sql = format!("SELECT {ANNOTATION_COLUMNS} FROM annotations WHERE id = ?1");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query([id.0])?;
        match rows.next() {
            Ok(Some(row)) => raw_annotation(row)?.into_annotation().map(Some),
            Ok(None) => Ok(None),
            Err(e) => Err(row_error("annotations", id.0, ANNOTATION_COLUMNS, e)),
        }
    }

    /// Stores one (validated) annotation and queues its article for indexing, durably,
    /// before returning.
    pub fn insert_annotation(
        &mut self,
        article_id: ArticleId,
        annotation: &NewAnnotation,
        article_text: &str,
    ) -> Result<Annotation> {
        let now = now_rfc3339();
        let tx = self.conn.transaction()?;
        let offsets = crate::model::CharOffsets::new(article_text);
        let id = insert_annotation_row(&tx, article_id, annotation, &offsets, &now)?;
        tx.execute(
            "INSERT INTO index_queue (article_id) VALUES (?1)",
            [article_id.0],
        )?;
        tx.commit()?;
        self.annotation(id)?
            .ok_or_else(|| StoreError::Corrupt(format!("annotation {id} vanished after insert")))
    }

    /// Stores the annotations of many articles in one transaction (each article's list in
    /// order, its links filled with the ids given to earlier entries) and queues the articles
    /// for indexing. Returns the ids of the stored annotations. Callers validate first.
    pub fn insert_linked(
        &mut self,
        batch: &[(ArticleId, &str, Vec<LinkedAnnotation>)],
    ) -> Result<Vec<AnnotationId>> {
        let now = now_rfc3339();
        let tx = self.conn.transaction()?;
        let mut stored = Vec::new();
        for (article_id, text, list) in batch {
            if list.is_empty() {
                continue;
            }
            let mut ids: Vec<AnnotationId> = Vec::with_capacity(list.len());
            let offsets = crate::model::CharOffsets::new(text);
            for linked in list {
                let mut annotation = linked.annotation.clone();
                for (attribute, index) in &linked.links {
                    if let Some(id) = ids.get(*index) {
                        annotation
                            .attrs
                            .insert(attribute.clone(), serde_json::Value::from(id.0));
                    }
                }
                let id = insert_annotation_row(&tx, *article_id, &annotation, &offsets, &now)?;
                ids.push(id);
                stored.push(id);
            }
            tx.prepare_cached("INSERT INTO index_queue (article_id) VALUES (?1)")?
                .execute([article_id.0])?;
        }
        tx.commit()?;
        Ok(stored)
    }

    /// Sets the status of many annotations in one transaction and queues their articles for
    /// indexing; returns the annotations as they were before.
    pub fn set_statuses(
        &mut self,
        ids: &[AnnotationId],
        status: AnnotationStatus,
    ) -> Result<Vec<Annotation>> {
        let mut before = Vec::with_capacity(ids.len());
        for &id in ids {
            if let Some(annotation) = self.annotation(id)? {
                before.push(annotation);
            }
        }
        let now = now_rfc3339();
        let tx = self.conn.transaction()?;
        let mut articles = std::collections::BTreeSet::new();
        for annotation in &before {
            tx.prepare_cached("UPDATE annotations SET status = ?2, updated_at = ?3 WHERE id = ?1")?
                .execute(params![annotation.id.0, status.as_str(), now])?;
            articles.insert(annotation.article_id.0);
        }
        for article in articles {
            tx.prepare_cached("INSERT INTO index_queue (article_id) VALUES (?1)")?
                .execute([article])?;
        }
        tx.commit()?;
        Ok(before)
    }

    /// Ids of the suggested annotations of an article (all when `article` is `None`),
    /// optionally of one label, in `coder`'s layer.
    pub fn suggested_ids(
        &self,
        article: Option<ArticleId>,
        label: Option<&str>,
        coder: &str,
    ) -> Result<Vec<AnnotationId>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id FROM annotations WHERE status = 'suggested' AND coder = ?3
             AND (?1 IS NULL OR article_id = ?1) AND (?2 IS NULL OR label = ?2) ORDER BY id",
        )?;
        let rows = stmt.query_map(params![article.map(|a| a.0), label, coder], |r| {
            r.get::<_, i64>(0)
        })?;
        let mut out = Vec::new();
        for row in rows {
            out.push(AnnotationId(row?));
        }
        Ok(out)
    }

    /// Deletes an annotation, returning what was deleted.
    pub fn delete_annotation(&mut self, id: AnnotationId) -> Result<Option<Annotation>> {
        let Some(existing) = self.annotation(id)? else {
            return Ok(None);
        };
        let tx = self.conn.transaction()?;
        bury(&tx, std::slice::from_ref(&existing), &now_rfc3339())?;
        tx.execute("DELETE FROM annotations WHERE id = ?1", [id.0])?;
        tx.execute(
            "INSERT INTO index_queue (article_id) VALUES (?1)",
            [existing.article_id.0],
        )?;
        tx.commit()?;
        Ok(Some(existing))
    }

    /// Deletes these annotations in one transaction and queues their articles for the
    /// index. Returns the ones that existed, as they were.
    pub fn delete_annotations(&mut self, ids: &[AnnotationId]) -> Result<Vec<Annotation>> {
        let mut existing = Vec::with_capacity(ids.len());
        for &id in ids {
            existing.extend(self.annotation(id)?);
        }
        let tx = self.conn.transaction()?;
        bury(&tx, &existing, &now_rfc3339())?;
        let mut articles = std::collections::BTreeSet::new();
        for annotation in &existing {
            tx.prepare_cached("DELETE FROM annotations WHERE id = ?1")?
                .execute([annotation.id.0])?;
            articles.insert(annotation.article_id.0);
        }
        for article in articles {
            tx.prepare_cached("INSERT INTO index_queue (article_id) VALUES (?1)")?
                .execute([article])?;
        }
        tx.commit()?;
        Ok(existing)
    }

    /// Puts back an annotation exactly as it was (same id, timestamps), e.g. to undo a
    /// delete. Fails if the id is taken.
    pub fn restore_annotation(&mut self, annotation: &Annotation) -> Result<()> {
        let tx = self.conn.transaction()?;
        insert_restored(&tx, annotation)?;
        tx.commit()?;
        Ok(())
    }

    /// Changes an annotation's label, attributes and status (its span never changes).
    /// Returns the stored result, or `None` if there is no such annotation.
    pub fn update_annotation(
        &mut self,
        id: AnnotationId,
        label: &str,
        attrs: &AnnotationAttrs,
        status: AnnotationStatus,
    ) -> Result<Option<Annotation>> {
        let attrs = serde_json::to_string(attrs)
            .map_err(|e| StoreError::Corrupt(format!("attributes cannot be written: {e}")))?;
        let tx = self.conn.transaction()?;
        let changed = tx.execute(
            "UPDATE annotations SET label = ?2, attrs = ?3, status = ?4, updated_at = ?5 WHERE id = ?1",
            params![id.0, label, attrs, status.as_str(), now_rfc3339()],
        )?;
        if changed == 1 {
            tx.execute(
                "INSERT INTO index_queue (article_id) SELECT article_id FROM annotations WHERE id = ?1",
                [id.0],
            )?;
        }
        tx.commit()?;
        self.annotation(id)
    }
}

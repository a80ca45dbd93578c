//! Articles: storing a batch (duplicates by text), reading them back one by one or as a
//! list page, metadata edits and outlets.

use rusqlite::{OptionalExtension, params};

use super::error::row_error;
use super::rows::{
    ARTICLE_COLUMNS, insert_annotation_row, parse_stored_date, raw_article, relink_annotations,
};
use super::{DamagedRow, Result, SPAN_COLUMN, Store, StoreError, now_rfc3339, to_i64};
use crate::model::{Annotation, Article, ArticleId, ArticleMeta, NewArticle, PartialDate};

/// What happened to one article of an insert batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InsertOutcome {
    /// Stored under this id, with this many annotations.
    Inserted(ArticleId, usize),
    /// The same text is already stored under this id.
    Duplicate(ArticleId),
}

/// A row of the article list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleSummary {
    /// Identity.
    pub id: ArticleId,
    /// Headline.
    pub title: String,
    /// Publication date.
    pub published: Option<PartialDate>,
    /// Outlet.
    pub source: Option<String>,
    /// Number of annotations on it.
    pub annotation_count: usize,
}

impl Store {
    /// Stores a batch of articles and their (already validated) annotations in one
    /// transaction, and queues them for indexing. Duplicates (same text) are not stored.
    pub fn insert_articles(&mut self, batch: &[NewArticle]) -> Result<Vec<InsertOutcome>> {
        let now = now_rfc3339();
        let tx = self.conn.transaction()?;
        let mut outcomes = Vec::with_capacity(batch.len());
        {
            let mut find_hash =
                tx.prepare_cached("SELECT id FROM articles WHERE content_sha256 = ?1")?;
            let mut id_taken = tx.prepare_cached("SELECT 1 FROM articles WHERE id = ?1")?;
            let mut insert = tx.prepare_cached(
                "INSERT INTO articles (id, title, text, published, url, source, imported_at, origin_path, origin_format, content_sha256, char_len)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            )?;
            let mut queue =
                tx.prepare_cached("INSERT INTO index_queue (article_id) VALUES (?1)")?;
            for article in batch {
                let hash = article.content_sha256();
                if let Some(existing) = find_hash
                    .query_row([&hash], |r| r.get::<_, i64>(0))
                    .optional()?
                {
                    outcomes.push(InsertOutcome::Duplicate(ArticleId(existing)));
                    continue;
                }
                let requested = match article.requested_id {
                    Some(id)
                        if (1..=crate::model::MAX_REQUESTED_ID).contains(&id.0)
                            && !id_taken.exists([id.0])? =>
                    {
                        Some(id.0)
                    }
                    _ => None,
                };
                let offsets = crate::model::CharOffsets::new(&article.text);
                insert.execute(params![
                    requested,
                    article.title,
                    article.text,
                    article.published.map(|d| d.to_string()),
                    article.url,
                    article.source,
                    now,
                    article.origin_path,
                    article.origin_format,
                    hash,
                    i64::try_from(offsets.len()).unwrap_or(i64::MAX),
                ])?;
                let article_id = ArticleId(tx.last_insert_rowid());
                let mut given = Vec::with_capacity(article.annotations.len());
                for annotation in &article.annotations {
                    let id = insert_annotation_row(&tx, article_id, annotation, &offsets, &now)?;
                    given.push(id);
                }
                relink_annotations(&tx, &article.annotations, &given)?;
                queue.execute([article_id.0])?;
                outcomes.push(InsertOutcome::Inserted(
                    article_id,
                    article.annotations.len(),
                ));
            }
        }
        tx.commit()?;
        Ok(outcomes)
    }

    /// One article, or `None` if there is no such id.
    pub fn article(&self, id: ArticleId) -> Result<Option<Article>> {
        let sql = format!("SELECT {ARTICLE_COLUMNS} FROM articles WHERE id = ?1");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query([id.0])?;
        match rows.next() {
            Ok(Some(row)) => raw_article(row)?.into_article().map(Some),
            Ok(None) => Ok(None),
            Err(e) => Err(row_error("articles", id.0, ARTICLE_COLUMNS, e)),
        }
    }

    /// Articles for ids (missing ids are skipped, rows that cannot be read too, recorded),
    /// in the order asked.
    pub fn articles(&self, ids: &[ArticleId]) -> Result<Vec<Article>> {
        let mut out = Vec::with_capacity(ids.len());
        for &id in ids {
            match self.article(id) {
                Ok(Some(article)) => out.push(article),
                Ok(None) => {}
                Err(e) => self.skip_damaged(e)?,
            }
        }
        Ok(out)
    }

    /// A page of the article list, by id.
    /// A row that cannot be read is left out and recorded (see [`Self::take_damaged_rows`]).
    pub fn list_articles(&self, limit: usize, offset: usize) -> Result<Vec<ArticleSummary>> {
        let ids = self.article_id_page(Some((limit, offset)))?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT a.id, a.title, a.published, a.source,
                    (SELECT COUNT(*) FROM annotations n WHERE n.article_id = a.id)
             FROM articles a WHERE a.id = ?1",
        )?;
        const COLUMNS: &str = "id, title, published, source, annotations";
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            let summary = (|| {
                let mut rows = stmt.query([id])?;
                let row = match rows.next() {
                    Ok(Some(row)) => row,
                    Ok(None) => return Ok(None),
                    Err(e) => return Err(row_error("articles", id, COLUMNS, e)),
                };
                let e = |error| row_error("articles", id, COLUMNS, error);
                let published: Option<String> = row.get(2).map_err(e)?;
                Ok(Some(ArticleSummary {
                    id: ArticleId(id),
                    title: row.get(1).map_err(e)?,
                    published: parse_stored_date(published.as_deref()).map_err(|reason| {
                        StoreError::DamagedRow(DamagedRow {
                            table: "articles",
                            id,
                            column: "published".to_owned(),
                            reason,
                        })
                    })?,
                    source: row.get(3).map_err(e)?,
                    annotation_count: usize::try_from(row.get::<_, i64>(4).map_err(e)?)
                        .unwrap_or(0),
                }))
            })();
            match summary {
                Ok(Some(summary)) => out.push(summary),
                Ok(None) => {}
                Err(e) => self.skip_damaged(e)?,
            }
        }
        Ok(out)
    }

    /// Article ids in order (a page of them with `Some((limit, offset))`). Read apart from
    /// the rows, so that one row SQLite cannot read is skipped, not the end of a scan.
    fn article_id_page(&self, page: Option<(usize, usize)>) -> Result<Vec<i64>> {
        let (limit, offset) = page.map_or((-1, 0), |(l, o)| (to_i64(l), to_i64(o)));
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id FROM articles ORDER BY id LIMIT ?1 OFFSET ?2")?;
        let ids = stmt
            .query_map(params![limit, offset], |r| r.get::<_, i64>(0))?
            .collect::<rusqlite::Result<Vec<i64>>>()?;
        Ok(ids)
    }

    /// Number of stored articles.
    pub fn article_count(&self) -> Result<u64> {
        let n: i64 = self
            .conn
            .query_row("SELECT COUNT(*) FROM articles", [], |r| r.get(0))?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// Calls `visit` for every article with its annotations, in id order, without holding
    /// the corpus in memory. `only` restricts to some ids. `visit` returns `false` to stop.
    pub fn for_each_article(
        &self,
        only: Option<&[ArticleId]>,
        mut visit: impl FnMut(Article, Vec<Annotation>) -> bool,
    ) -> Result<()> {
        let sorted = match only {
            Some(ids) => {
                let mut sorted = ids.to_vec();
                sorted.sort_unstable();
                sorted.dedup();
                sorted
            }
            None => self
                .article_id_page(None)?
                .into_iter()
                .map(ArticleId)
                .collect(),
        };
        for id in sorted {
            let Some((article, annotations)) = self.readable_article(id)? else {
                continue;
            };
            if !visit(article, annotations) {
                break;
            }
        }
        Ok(())
    }

    /// One article with the annotations that fit its text, or `None` when there is no
    /// such article or its row cannot be read: a row another tool wrote or a damaged page
    /// is skipped and recorded (as is an annotation that no longer fits), so that the rest
    /// of a pass goes on.
    pub fn readable_article(&self, id: ArticleId) -> Result<Option<(Article, Vec<Annotation>)>> {
        let article = match self.article(id) {
            Ok(Some(article)) => article,
            Ok(None) => return Ok(None),
            Err(e) => {
                self.skip_damaged(e)?;
                return Ok(None);
            }
        };
        let annotations = self.annotations(id)?;
        let annotations = self.keep_fitting(&article, annotations)?;
        Ok(Some((article, annotations)))
    }

    /// Up to `limit` article ids whose content hash comes after `after`, in hash order
    /// (the order a team store pages its articles in).
    pub fn article_ids_after_hash(
        &self,
        after: &str,
        limit: usize,
    ) -> Result<Vec<(ArticleId, String)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, content_sha256 FROM articles WHERE content_sha256 > ?1 ORDER BY content_sha256 LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![after, to_i64(limit)], |r| {
            Ok((ArticleId(r.get(0)?), r.get(1)?))
        })?;
        rows.map(|row| row.map_err(StoreError::from)).collect()
    }

    /// Leaves out (and records) annotations that no longer fit their article's text: a
    /// span outside it, or a stored span text other than the text at the offsets (moved by
    /// another tool). Linear in the text plus the spans: annotations come sorted by start.
    fn keep_fitting(
        &self,
        article: &Article,
        annotations: Vec<Annotation>,
    ) -> Result<Vec<Annotation>> {
        let text = article.text.as_str();
        let len = crate::model::char_len(text);
        // A cursor that only moves forward: (code points, bytes) before it.
        let mut cursor = (0usize, 0usize);
        let mut kept = Vec::with_capacity(annotations.len());
        for annotation in annotations {
            let why = if annotation.span.fits(len).is_err() {
                Some(format!(
                    "span [{}, {}) of article {} is outside its text of {len} code points",
                    annotation.span.start(),
                    annotation.span.end(),
                    article.id
                ))
            } else {
                if annotation.span.start() < cursor.0 {
                    cursor = (0, 0);
                }
                let tail = text.get(cursor.1..).unwrap_or_default();
                let start_byte = tail
                    .char_indices()
                    .nth(annotation.span.start() - cursor.0)
                    .map_or(text.len(), |(i, _)| cursor.1 + i);
                cursor = (annotation.span.start(), start_byte);
                let from_start = text.get(start_byte..).unwrap_or_default();
                let end_byte = from_start
                    .char_indices()
                    .nth(annotation.span.end() - annotation.span.start())
                    .map_or(text.len(), |(i, _)| start_byte + i);
                let actual = text.get(start_byte..end_byte).unwrap_or_default();
                (actual != annotation.text).then(|| {
                    format!(
                        "the text of article {} at [{}, {}) reads {actual:?}, not {:?}",
                        article.id,
                        annotation.span.start(),
                        annotation.span.end(),
                        annotation.text
                    )
                })
            };
            match why {
                None => kept.push(annotation),
                Some(reason) => self.skip_damaged(StoreError::DamagedRow(DamagedRow {
                    table: "annotations",
                    id: annotation.id.0,
                    column: SPAN_COLUMN.to_owned(),
                    reason,
                }))?,
            }
        }
        Ok(kept)
    }

    /// Every article id, ascending.
    pub fn article_ids(&self) -> Result<Vec<ArticleId>> {
        let mut stmt = self.conn.prepare("SELECT id FROM articles ORDER BY id")?;
        let rows = stmt.query_map([], |r| r.get::<_, i64>(0))?;
        let mut out = Vec::new();
        for row in rows {
            out.push(ArticleId(row?));
        }
        Ok(out)
    }

    /// Changes an article's title, date, address and outlet. Returns `false` if there is
    /// no such article.
    pub fn update_article_meta(&mut self, meta: &ArticleMeta) -> Result<bool> {
        let tx = self.conn.transaction()?;
        let changed = tx.execute(
            "UPDATE articles SET title = ?2, published = ?3, url = ?4, source = ?5 WHERE id = ?1",
            params![
                meta.id.0,
                meta.title,
                meta.published.map(|d| d.to_string()),
                meta.url,
                meta.source
            ],
        )?;
        if changed == 1 {
            tx.execute(
                "INSERT INTO index_queue (article_id) VALUES (?1)",
                [meta.id.0],
            )?;
        }
        tx.commit()?;
        Ok(changed == 1)
    }

    /// Outlets with their article counts, most first.
    pub fn sources(&self) -> Result<Vec<(String, u64)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT source, COUNT(*) AS n FROM articles WHERE source IS NOT NULL GROUP BY source ORDER BY n DESC, source",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((r.get(0)?, u64::try_from(r.get::<_, i64>(1)?).unwrap_or(0)))
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }
}

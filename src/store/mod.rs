//! The SQLite store: the archive's source of truth.
//!
//! Owns: the schema, migrations (`PRAGMA user_version`), transactions and CRUD in model
//! types. Must not know tantivy, egui or file formats. The `Connection` stays private.

mod schema;

use std::path::Path;

use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::model::{
    Annotation, AnnotationAttrs, AnnotationId, AnnotationStatus, Article, ArticleId, ArticleMeta,
    LabelDef, LabelSchema, LabelUsage, LinkedAnnotation, NewAnnotation, NewArticle, PartialDate,
    RemovedLabel,
};

pub use schema::SCHEMA_VERSION;

/// Errors of the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite refused an operation.
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The database was written by a newer Annalist; it is left untouched.
    #[error(
        "this archive was written by a newer Annalist (schema version {found}; this build reads up to {supported}); upgrade Annalist to open it: {path}"
    )]
    NewerSchema {
        /// Version found in the file.
        found: i64,
        /// Newest version this build knows.
        supported: i64,
        /// Database file.
        path: String,
    },
    /// A stored value could not be read back (a damaged or hand-edited database).
    #[error("stored value is damaged: {0}")]
    Corrupt(String),
}

impl Store {
    /// Gives back the disk space a rolled-back transaction took in the write-ahead log
    /// (SQLite keeps the log file at its largest size until a truncating checkpoint).
    pub fn release_log_space(&self) -> Result<()> {
        self.conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        Ok(())
    }
}

impl StoreError {
    /// Whether SQLite ran out of disk space (the transaction was rolled back).
    pub fn is_disk_full(&self) -> bool {
        matches!(
            self,
            Self::Sqlite(rusqlite::Error::SqliteFailure(e, _))
                if e.code == rusqlite::ErrorCode::DiskFull
        )
    }
}

/// Result alias of the store.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

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

/// Counts for `annalist stats`.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct StoreStats {
    /// Articles stored.
    pub articles: u64,
    /// Annotations stored.
    pub annotations: u64,
    /// Annotations per (label, status), sorted.
    pub annotations_by_label: Vec<(String, String, u64)>,
    /// Articles per outlet, most first (top 20).
    pub top_sources: Vec<(String, u64)>,
    /// Earliest and latest publication date.
    pub published_range: Option<(String, String)>,
    /// Articles waiting for the index.
    pub pending_index: u64,
}

/// The SQLite database of one archive.
pub struct Store {
    conn: Connection,
}

const ARTICLE_COLUMNS: &str = "id, title, text, published, url, source, imported_at, origin_path, origin_format, content_sha256";
const ANNOTATION_COLUMNS: &str =
    "id, article_id, label, start, end, text, attrs, status, annotator, created_at, updated_at";
/// [`ANNOTATION_COLUMNS`] qualified by the table alias `a`, for joins.
const ANNOTATION_COLUMNS_A: &str = "a.id, a.article_id, a.label, a.start, a.end, a.text, a.attrs, a.status, a.annotator, a.created_at, a.updated_at";
/// How many columns [`ANNOTATION_COLUMNS`] has.
const ANNOTATION_COLUMN_COUNT: usize = 11;

impl Store {
    /// Opens (creating and migrating as needed) the database at `path`.
    pub fn open(path: &Path) -> Result<Self> {
        let conn = Connection::open(path)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        // FULL: a committed edit survives power loss too, not just a killed process.
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        schema::migrate(&conn, path)?;
        Ok(Self { conn })
    }

    /// Copies the database to a new file at `dest` with SQLite's online backup, page by page,
    /// while other connections keep reading and writing; the copy is a consistent snapshot.
    /// `progress(remaining, total)` is called between steps.
    pub fn backup_to(&self, dest: &Path, progress: &mut dyn FnMut(u64, u64)) -> Result<()> {
        let mut target = Connection::open(dest)?;
        let backup = rusqlite::backup::Backup::new(&self.conn, &mut target)?;
        loop {
            let step = backup.step(1024)?;
            let p = backup.progress();
            progress(
                u64::try_from(p.remaining).unwrap_or(0),
                u64::try_from(p.pagecount).unwrap_or(0),
            );
            match step {
                rusqlite::backup::StepResult::Done => break,
                rusqlite::backup::StepResult::More => {}
                rusqlite::backup::StepResult::Busy | rusqlite::backup::StepResult::Locked => {
                    std::thread::sleep(std::time::Duration::from_millis(20));
                }
                _ => {}
            }
        }
        drop(backup);
        target.pragma_update(None, "journal_mode", "WAL")?;
        Ok(())
    }

    /// SQLite's own checks: `PRAGMA integrity_check` and `PRAGMA foreign_key_check`; the
    /// problems they report (empty when the file is sound).
    pub fn integrity_problems(&self) -> Result<Vec<String>> {
        let mut out = Vec::new();
        let mut stmt = self.conn.prepare("PRAGMA integrity_check")?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        for row in rows {
            let row = row?;
            if row != "ok" {
                out.push(format!("integrity: {row}"));
            }
        }
        let mut stmt = self.conn.prepare("PRAGMA foreign_key_check")?;
        let rows = stmt.query_map([], |r| {
            Ok(format!(
                "foreign key: row {} of {} points at a missing {}",
                r.get::<_, i64>(1).unwrap_or(-1),
                r.get::<_, String>(0)?,
                r.get::<_, String>(2)?
            ))
        })?;
        for row in rows {
            out.push(row?);
        }
        Ok(out)
    }

    /// Annotations whose offsets leave their article's text or whose stored span text is not
    /// the text at their offsets: `(annotation, why)`.
    pub fn misplaced_annotations(&self) -> Result<Vec<(Annotation, String)>> {
        let mut out = Vec::new();
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {ANNOTATION_COLUMNS_A}, articles.text FROM annotations a
             LEFT JOIN articles ON articles.id = a.article_id ORDER BY a.id"
        ))?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let annotation = raw_annotation(row)?.into_annotation()?;
            let text: Option<String> = row.get(ANNOTATION_COLUMN_COUNT)?;
            let Some(text) = text else {
                out.push((annotation, "its article is missing".to_owned()));
                continue;
            };
            let len = crate::model::char_len(&text);
            if annotation.end > len || annotation.start >= annotation.end {
                let why = format!(
                    "span [{}, {}) is outside the text of {len} code points",
                    annotation.start, annotation.end
                );
                out.push((annotation, why));
                continue;
            }
            let actual = crate::model::slice_chars(&text, annotation.start, annotation.end);
            if actual != annotation.text {
                let why = format!(
                    "the text at its offsets reads {actual:?}, not {:?}",
                    annotation.text
                );
                out.push((annotation, why));
            }
        }
        Ok(out)
    }

    /// Version of the schema in the file.
    pub fn schema_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    // --- Articles

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
                    Some(id) if id.0 > 0 && !id_taken.exists([id.0])? => Some(id.0),
                    _ => None,
                };
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
                    i64::try_from(crate::model::char_len(&article.text)).unwrap_or(i64::MAX),
                ])?;
                let article_id = ArticleId(tx.last_insert_rowid());
                let mut given = Vec::with_capacity(article.annotations.len());
                let indexed = crate::model::CharIndex::new(&article.text);
                for annotation in &article.annotations {
                    let id = insert_annotation_row(&tx, article_id, annotation, &indexed, &now)?;
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
        let row = stmt.query_row([id.0], raw_article).optional()?;
        row.map(RawArticle::into_article).transpose()
    }

    /// Articles for ids (missing ids are skipped), in the order asked.
    pub fn articles(&self, ids: &[ArticleId]) -> Result<Vec<Article>> {
        let mut out = Vec::with_capacity(ids.len());
        for &id in ids {
            if let Some(article) = self.article(id)? {
                out.push(article);
            }
        }
        Ok(out)
    }

    /// A page of the article list, by id.
    pub fn list_articles(&self, limit: usize, offset: usize) -> Result<Vec<ArticleSummary>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT a.id, a.title, a.published, a.source,
                    (SELECT COUNT(*) FROM annotations n WHERE n.article_id = a.id)
             FROM articles a ORDER BY a.id LIMIT ?1 OFFSET ?2",
        )?;
        let rows = stmt.query_map(params![to_i64(limit), to_i64(offset)], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, i64>(4)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, title, published, source, count) = row?;
            out.push(ArticleSummary {
                id: ArticleId(id),
                title,
                published: parse_stored_date(published.as_deref())?,
                source,
                annotation_count: usize::try_from(count).unwrap_or(0),
            });
        }
        Ok(out)
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
        if let Some(ids) = only {
            let mut sorted = ids.to_vec();
            sorted.sort_unstable();
            sorted.dedup();
            for id in sorted {
                let Some(article) = self.article(id)? else {
                    continue;
                };
                let annotations = self.annotations(id)?;
                if !visit(article, annotations) {
                    break;
                }
            }
            return Ok(());
        }
        let sql = format!("SELECT {ARTICLE_COLUMNS} FROM articles ORDER BY id");
        let mut stmt = self.conn.prepare(&sql)?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let article = raw_article(row)?.into_article()?;
            let annotations = self.annotations(article.id)?;
            if !visit(article, annotations) {
                break;
            }
        }
        Ok(())
    }

    // --- Annotations

    /// Annotations of one article, ordered by start, end, label, id.
    pub fn annotations(&self, article_id: ArticleId) -> Result<Vec<Annotation>> {
        let sql = format!(
            "SELECT {ANNOTATION_COLUMNS} FROM annotations WHERE article_id = ?1 ORDER BY start, end, label, id"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map([article_id.0], raw_annotation)?;
        let mut out = Vec::new();
        for row in rows {
            out.push(row?.into_annotation()?);
        }
        Ok(out)
    }

    /// One annotation.
    pub fn annotation(&self, id: AnnotationId) -> Result<Option<Annotation>> {
        let sql = format!("SELECT {ANNOTATION_COLUMNS} FROM annotations WHERE id = ?1");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let row = stmt.query_row([id.0], raw_annotation).optional()?;
        row.map(RawAnnotation::into_annotation).transpose()
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
        let indexed = crate::model::CharIndex::new(article_text);
        let id = insert_annotation_row(&tx, article_id, annotation, &indexed, &now)?;
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
            let indexed = crate::model::CharIndex::new(text);
            for linked in list {
                let mut annotation = linked.annotation.clone();
                for (attribute, index) in &linked.links {
                    if let Some(id) = ids.get(*index) {
                        annotation
                            .attrs
                            .insert(attribute.clone(), serde_json::Value::from(id.0));
                    }
                }
                let id = insert_annotation_row(&tx, *article_id, &annotation, &indexed, &now)?;
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

    /// Span texts people accepted, with the label and how often, for learning: every
    /// `(text, label, count, attrs of the latest)` of accepted annotations with a label not
    /// in `skip`.
    pub fn accepted_vocabulary(&self, skip: &[&str]) -> Result<Vec<(String, String, u64, String)>> {
        let mut stmt = self.conn.prepare(
            "SELECT text, label, COUNT(*), (SELECT attrs FROM annotations b WHERE b.text = a.text AND b.label = a.label AND b.status = 'accepted' ORDER BY b.updated_at DESC, b.id DESC LIMIT 1)
             FROM annotations a WHERE status = 'accepted' GROUP BY text, label ORDER BY text, label",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, String>(3)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (text, label, count, attrs) = row?;
            if !skip.contains(&label.as_str()) {
                out.push((text, label, u64::try_from(count).unwrap_or(0), attrs));
            }
        }
        Ok(out)
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

    /// Attributes of the latest accepted annotation with this span text and label.
    pub fn latest_accepted_attrs(
        &self,
        text: &str,
        label: &str,
    ) -> Result<Option<AnnotationAttrs>> {
        let attrs: Option<String> = self
            .conn
            .prepare_cached(
                "SELECT attrs FROM annotations WHERE text = ?1 AND label = ?2 AND status = 'accepted'
                 ORDER BY updated_at DESC, id DESC LIMIT 1",
            )?
            .query_row([text, label], |r| r.get(0))
            .optional()?;
        Ok(attrs.and_then(|a| serde_json::from_str(&a).ok()))
    }

    /// How often each label was accepted for exactly this span text: `(label, count)`.
    pub fn accepted_labels_of(&self, text: &str) -> Result<Vec<(String, u64)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT label, COUNT(*) FROM annotations WHERE text = ?1 AND status = 'accepted' GROUP BY label ORDER BY label",
        )?;
        let rows = stmt.query_map([text], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (label, count) = row?;
            out.push((label, u64::try_from(count).unwrap_or(0)));
        }
        Ok(out)
    }

    /// Ids of the suggested annotations of an article (all when `article` is `None`),
    /// optionally of one label.
    pub fn suggested_ids(
        &self,
        article: Option<ArticleId>,
        label: Option<&str>,
    ) -> Result<Vec<AnnotationId>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id FROM annotations WHERE status = 'suggested'
             AND (?1 IS NULL OR article_id = ?1) AND (?2 IS NULL OR label = ?2) ORDER BY id",
        )?;
        let rows = stmt.query_map(params![article.map(|a| a.0), label], |r| r.get::<_, i64>(0))?;
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
        tx.execute("DELETE FROM annotations WHERE id = ?1", [id.0])?;
        tx.execute(
            "INSERT INTO index_queue (article_id) VALUES (?1)",
            [existing.article_id.0],
        )?;
        tx.commit()?;
        Ok(Some(existing))
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

    // --- Labels

    /// The label schema, in display order.
    pub fn labels(&self) -> Result<LabelSchema> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT name, description, color, shortcut FROM labels ORDER BY position, name",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(LabelDef {
                name: r.get(0)?,
                description: r.get(1)?,
                color: r.get(2)?,
                shortcut: r
                    .get::<_, Option<String>>(3)?
                    .and_then(|s| s.chars().next()),
            })
        })?;
        let labels = rows.collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(LabelSchema { labels })
    }

    /// Adds a label at the end of the schema. Returns `false` if the name exists.
    pub fn add_label(&mut self, label: &LabelDef) -> Result<bool> {
        let changed = self.conn.execute(
            "INSERT OR IGNORE INTO labels (name, description, color, shortcut, position)
             VALUES (?1, ?2, ?3, ?4, (SELECT COALESCE(MAX(position), 0) + 1 FROM labels))",
            params![
                label.name,
                label.description,
                label.color,
                label.shortcut.map(String::from)
            ],
        )?;
        Ok(changed == 1)
    }

    /// How many annotations carry a label, in how many articles.
    pub fn label_usage(&self, name: &str) -> Result<LabelUsage> {
        let (annotations, articles, rejected): (i64, i64, i64) = self.conn.query_row(
            "SELECT COUNT(*) FILTER (WHERE status != 'rejected'),
                    COUNT(DISTINCT article_id) FILTER (WHERE status != 'rejected'),
                    COUNT(*) FILTER (WHERE status = 'rejected')
             FROM annotations WHERE label = ?1",
            [name],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        let count = |n: i64| u64::try_from(n).unwrap_or(0);
        Ok(LabelUsage {
            annotations: count(annotations),
            articles: count(articles),
            rejected: count(rejected),
        })
    }

    /// Renames a label and relabels every annotation that carries it, in one transaction,
    /// and queues their articles for indexing. Returns how many annotations changed, or
    /// `None` if there is no label `from`. Callers check that `to` is free and valid.
    pub fn rename_label(&mut self, from: &str, to: &str) -> Result<Option<u64>> {
        let tx = self.conn.transaction()?;
        let copied = tx.execute(
            "INSERT INTO labels (name, description, color, shortcut, position)
             SELECT ?2, description, color, shortcut, position FROM labels WHERE name = ?1",
            [from, to],
        )?;
        if copied != 1 {
            return Ok(None);
        }
        let relabelled = tx.execute(
            "UPDATE annotations SET label = ?2 WHERE label = ?1",
            [from, to],
        )?;
        tx.execute(
            "INSERT INTO index_queue (article_id) SELECT DISTINCT article_id FROM annotations WHERE label = ?1",
            [to],
        )?;
        tx.execute("DELETE FROM labels WHERE name = ?1", [from])?;
        tx.commit()?;
        Ok(Some(u64::try_from(relabelled).unwrap_or(0)))
    }

    /// Changes a label's description, colour and shortcut. Returns `false` if there is no
    /// label of that name.
    pub fn update_label(&mut self, label: &LabelDef) -> Result<bool> {
        let changed = self.conn.execute(
            "UPDATE labels SET description = ?2, color = ?3, shortcut = ?4 WHERE name = ?1",
            params![
                label.name,
                label.description,
                label.color,
                label.shortcut.map(String::from)
            ],
        )?;
        Ok(changed == 1)
    }

    /// Removes a label and every annotation that carries it, in one transaction, and queues
    /// their articles for indexing. Returns what was removed (for undo), or `None` if there
    /// is no such label.
    pub fn remove_label(&mut self, name: &str) -> Result<Option<RemovedLabel>> {
        let Some(label) = self.labels()?.labels.into_iter().find(|l| l.name == name) else {
            return Ok(None);
        };
        let tx = self.conn.transaction()?;
        let position: i64 =
            tx.query_row("SELECT position FROM labels WHERE name = ?1", [name], |r| {
                r.get(0)
            })?;
        let annotations = {
            let sql = format!(
                "SELECT {ANNOTATION_COLUMNS} FROM annotations WHERE label = ?1 ORDER BY id"
            );
            let mut stmt = tx.prepare(&sql)?;
            let rows = stmt.query_map([name], raw_annotation)?;
            rows.collect::<rusqlite::Result<Vec<_>>>()?
                .into_iter()
                .map(RawAnnotation::into_annotation)
                .collect::<Result<Vec<_>>>()?
        };
        tx.execute(
            "INSERT INTO index_queue (article_id) SELECT DISTINCT article_id FROM annotations WHERE label = ?1",
            [name],
        )?;
        tx.execute("DELETE FROM annotations WHERE label = ?1", [name])?;
        tx.execute("DELETE FROM labels WHERE name = ?1", [name])?;
        tx.commit()?;
        Ok(Some(RemovedLabel {
            label,
            position,
            annotations,
        }))
    }

    /// Puts a removed label back at its place with its annotations (same ids), in one
    /// transaction, and queues their articles for indexing.
    pub fn restore_label(&mut self, removed: &RemovedLabel) -> Result<()> {
        let tx = self.conn.transaction()?;
        let label = &removed.label;
        tx.execute(
            "INSERT INTO labels (name, description, color, shortcut, position) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                label.name,
                label.description,
                label.color,
                label.shortcut.map(String::from),
                removed.position
            ],
        )?;
        for annotation in &removed.annotations {
            insert_restored(&tx, annotation)?;
        }
        tx.commit()?;
        Ok(())
    }

    // --- Index queue

    /// Articles whose index entry is stale, with the queue position to clear up to.
    pub fn pending_index(&self) -> Result<(Vec<ArticleId>, i64)> {
        let max_seq: Option<i64> =
            self.conn
                .query_row("SELECT MAX(seq) FROM index_queue", [], |r| r.get(0))?;
        let Some(max_seq) = max_seq else {
            return Ok((Vec::new(), 0));
        };
        let mut stmt = self.conn.prepare_cached(
            "SELECT DISTINCT article_id FROM index_queue WHERE seq <= ?1 ORDER BY article_id",
        )?;
        let ids = stmt
            .query_map([max_seq], |r| r.get::<_, i64>(0).map(ArticleId))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok((ids, max_seq))
    }

    /// Forgets queue entries up to `seq` once the index has committed them.
    pub fn clear_pending_index(&mut self, up_to_seq: i64) -> Result<()> {
        self.conn
            .execute("DELETE FROM index_queue WHERE seq <= ?1", [up_to_seq])?;
        Ok(())
    }

    /// Empties the queue (after a full rebuild from the articles table).
    pub fn clear_all_pending_index(&mut self) -> Result<()> {
        self.conn.execute("DELETE FROM index_queue", [])?;
        Ok(())
    }

    // --- Statistics

    /// Counts for `annalist stats`.
    pub fn stats(&self) -> Result<StoreStats> {
        let count = |sql: &str| -> Result<u64> {
            let n: i64 = self.conn.query_row(sql, [], |r| r.get(0))?;
            Ok(u64::try_from(n).unwrap_or(0))
        };
        let mut by_label = self.conn.prepare(
            "SELECT label, status, COUNT(*) FROM annotations GROUP BY label, status ORDER BY label, status",
        )?;
        let annotations_by_label = by_label
            .query_map([], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    u64::try_from(r.get::<_, i64>(2)?).unwrap_or(0),
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        // Grouped by the bare column, so the `articles_by_source` index answers it.
        let mut sources = self.conn.prepare(
            "SELECT source, COUNT(*) AS n FROM articles GROUP BY source ORDER BY n DESC, source LIMIT 20",
        )?;
        let top_sources = sources
            .query_map([], |r| {
                Ok((
                    r.get::<_, Option<String>>(0)?
                        .unwrap_or_else(|| "(none)".to_owned()),
                    u64::try_from(r.get::<_, i64>(1)?).unwrap_or(0),
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let published_range = self
            .conn
            .query_row(
                "SELECT MIN(published), MAX(published) FROM articles WHERE published IS NOT NULL",
                [],
                |r| {
                    Ok((
                        r.get::<_, Option<String>>(0)?,
                        r.get::<_, Option<String>>(1)?,
                    ))
                },
            )
            .map(|(lo, hi)| lo.zip(hi))?;
        Ok(StoreStats {
            articles: count("SELECT COUNT(*) FROM articles")?,
            annotations: count("SELECT COUNT(*) FROM annotations")?,
            annotations_by_label,
            top_sources,
            published_range,
            pending_index: count("SELECT COUNT(DISTINCT article_id) FROM index_queue")?,
        })
    }
}

// --- Rows

fn insert_annotation_row(
    tx: &rusqlite::Transaction<'_>,
    article_id: ArticleId,
    annotation: &NewAnnotation,
    article_text: &crate::model::CharIndex<'_>,
    now: &str,
) -> Result<AnnotationId> {
    let requested = match annotation.requested_id {
        Some(id) if id.0 > 0 => {
            let taken = tx
                .prepare_cached("SELECT 1 FROM annotations WHERE id = ?1")?
                .exists([id.0])?;
            (!taken).then_some(id.0)
        }
        _ => None,
    };
    let text = article_text.slice(annotation.start, annotation.end);
    let attrs = serde_json::to_string(&annotation.attrs)
        .map_err(|e| StoreError::Corrupt(format!("attributes cannot be written: {e}")))?;
    tx.prepare_cached(
        "INSERT INTO annotations (id, article_id, label, start, end, text, attrs, status, annotator, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)",
    )?
    .execute(params![
        requested,
        article_id.0,
        annotation.label,
        to_i64(annotation.start),
        to_i64(annotation.end),
        text,
        attrs,
        annotation.status.as_str(),
        annotation.annotator,
        now,
    ])?;
    Ok(AnnotationId(tx.last_insert_rowid()))
}

/// Points the links between one article's new annotations (`date`, `place`, `actor`,
/// `part_of`, by the ids the source gave them) at the ids the archive gave them, which
/// differ when the source's ids were taken. `given` is the id of each of `annotations`.
/// Links to ids the record did not have were dropped (with a warning) before.
fn relink_annotations(
    tx: &rusqlite::Transaction<'_>,
    annotations: &[NewAnnotation],
    given: &[AnnotationId],
) -> Result<()> {
    let mut by_requested = std::collections::HashMap::with_capacity(annotations.len());
    for (annotation, id) in annotations.iter().zip(given) {
        if let Some(requested) = annotation.requested_id {
            by_requested.entry(requested.0).or_insert(id.0);
        }
    }
    for (annotation, id) in annotations.iter().zip(given) {
        if !crate::model::LINK_ATTRIBUTES
            .iter()
            .any(|key| annotation.attrs.contains_key(*key))
        {
            continue;
        }
        let mut attrs = annotation.attrs.clone();
        crate::model::remap_links(&mut attrs, |old| by_requested.get(&old).copied());
        if attrs == annotation.attrs {
            continue;
        }
        let attrs = serde_json::to_string(&attrs)
            .map_err(|e| StoreError::Corrupt(format!("attributes cannot be written: {e}")))?;
        tx.prepare_cached("UPDATE annotations SET attrs = ?1 WHERE id = ?2")?
            .execute(params![attrs, id.0])?;
    }
    Ok(())
}

/// Puts back an annotation exactly as it was (same id, timestamps) and queues its article
/// for the index: undoing a delete, bringing back a deleted label's spans.
fn insert_restored(tx: &rusqlite::Transaction<'_>, annotation: &Annotation) -> Result<()> {
    let attrs = serde_json::to_string(&annotation.attrs)
        .map_err(|e| StoreError::Corrupt(format!("attributes cannot be written: {e}")))?;
    tx.prepare_cached(
        "INSERT INTO annotations (id, article_id, label, start, end, text, attrs, status, annotator, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?
    .execute(params![
        annotation.id.0,
        annotation.article_id.0,
        annotation.label,
        to_i64(annotation.start),
        to_i64(annotation.end),
        annotation.text,
        attrs,
        annotation.status.as_str(),
        annotation.annotator,
        annotation.created_at,
        annotation.updated_at,
    ])?;
    tx.prepare_cached("INSERT INTO index_queue (article_id) VALUES (?1)")?
        .execute([annotation.article_id.0])?;
    Ok(())
}

struct RawArticle {
    id: i64,
    title: String,
    text: String,
    published: Option<String>,
    url: Option<String>,
    source: Option<String>,
    imported_at: String,
    origin_path: Option<String>,
    origin_format: String,
    content_sha256: String,
}

fn raw_article(r: &Row<'_>) -> rusqlite::Result<RawArticle> {
    Ok(RawArticle {
        id: r.get(0)?,
        title: r.get(1)?,
        text: r.get(2)?,
        published: r.get(3)?,
        url: r.get(4)?,
        source: r.get(5)?,
        imported_at: r.get(6)?,
        origin_path: r.get(7)?,
        origin_format: r.get(8)?,
        content_sha256: r.get(9)?,
    })
}

impl RawArticle {
    fn into_article(self) -> Result<Article> {
        Ok(Article {
            id: ArticleId(self.id),
            title: self.title,
            text: self.text,
            published: parse_stored_date(self.published.as_deref())?,
            url: self.url,
            source: self.source,
            imported_at: self.imported_at,
            origin_path: self.origin_path,
            origin_format: self.origin_format,
            content_sha256: self.content_sha256,
        })
    }
}

struct RawAnnotation {
    id: i64,
    article_id: i64,
    label: String,
    start: i64,
    end: i64,
    text: String,
    attrs: String,
    status: String,
    annotator: String,
    created_at: String,
    updated_at: String,
}

fn raw_annotation(r: &Row<'_>) -> rusqlite::Result<RawAnnotation> {
    Ok(RawAnnotation {
        id: r.get(0)?,
        article_id: r.get(1)?,
        label: r.get(2)?,
        start: r.get(3)?,
        end: r.get(4)?,
        text: r.get(5)?,
        attrs: r.get(6)?,
        status: r.get(7)?,
        annotator: r.get(8)?,
        created_at: r.get(9)?,
        updated_at: r.get(10)?,
    })
}

impl RawAnnotation {
    fn into_annotation(self) -> Result<Annotation> {
        let corrupt = |what: &str| StoreError::Corrupt(format!("annotation {}: {what}", self.id));
        let attrs: AnnotationAttrs =
            serde_json::from_str(&self.attrs).map_err(|e| corrupt(&format!("attributes: {e}")))?;
        let status: AnnotationStatus = self.status.parse().map_err(|e: String| corrupt(&e))?;
        Ok(Annotation {
            id: AnnotationId(self.id),
            article_id: ArticleId(self.article_id),
            label: self.label,
            start: usize::try_from(self.start).map_err(|_| corrupt("negative start"))?,
            end: usize::try_from(self.end).map_err(|_| corrupt("negative end"))?,
            text: self.text,
            attrs,
            status,
            annotator: self.annotator,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

fn parse_stored_date(text: Option<&str>) -> Result<Option<PartialDate>> {
    text.map(|t| {
        t.parse::<PartialDate>()
            .map_err(|e| StoreError::Corrupt(e.to_string()))
    })
    .transpose()
}

fn to_i64(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// Current time as RFC 3339 UTC with milliseconds.
pub fn now_rfc3339() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

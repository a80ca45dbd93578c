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
    /// SQLite refused an operation (its error is in the message, not repeated as a cause;
    /// a damaged file gets advice).
    #[error("database error: {}", sqlite_message(.0))]
    Sqlite(rusqlite::Error),
    /// One row cannot be read back as what it should hold (written by another tool, or
    /// on a damaged page); lists and exports skip it with a warning.
    #[error("{0}")]
    DamagedRow(DamagedRow),
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

impl From<rusqlite::Error> for StoreError {
    fn from(error: rusqlite::Error) -> Self {
        Self::Sqlite(error)
    }
}

/// What to do about a damaged database file, said once with SQLite's own words.
const DAMAGED_FILE_ADVICE: &str = "the database file is damaged: run `annalist check` to see what is affected, then restore the latest backup (`annalist backup` makes them; see docs/reliability.md), or recover what is readable with sqlite3's `.recover` into a new file";

/// SQLite's message, with advice where the file itself is damaged.
fn sqlite_message(error: &rusqlite::Error) -> String {
    if is_damaged_file(error) {
        format!("{error}; {DAMAGED_FILE_ADVICE}")
    } else {
        error.to_string()
    }
}

/// Whether SQLite says the file is damaged (a page that does not read as one).
fn is_damaged_file(error: &rusqlite::Error) -> bool {
    matches!(
        error,
        rusqlite::Error::SqliteFailure(e, _)
            if matches!(e.code, rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase)
    )
}

/// The "column" of a [`DamagedRow`] for an annotation whose offsets no longer fit its text.
pub const SPAN_COLUMN: &str = "start, end";

/// A stored row that cannot be read back: which table, row and column, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DamagedRow {
    /// Table (`articles`, `annotations`).
    pub table: &'static str,
    /// The row's id.
    pub id: i64,
    /// The column that cannot be read (`*` when SQLite cannot read the row at all).
    pub column: String,
    /// Why.
    pub reason: String,
}

impl std::fmt::Display for DamagedRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let what = match self.table {
            "articles" => "article",
            "annotations" => "annotation",
            other => other,
        };
        if self.column == "*" {
            write!(
                f,
                "{what} {} (table {}) cannot be read: {}",
                self.id, self.table, self.reason
            )
        } else {
            write!(
                f,
                "{what} {} (table {}, column {}) is damaged: {}",
                self.id, self.table, self.column, self.reason
            )
        }
    }
}

/// The column names of a `SELECT` list.
fn column_name(columns: &str, index: usize) -> String {
    columns.split(',').nth(index).map_or_else(
        || format!("#{index}"),
        |c| c.trim().trim_start_matches("a.").to_owned(),
    )
}

/// Turns an error reading one row into [`StoreError::DamagedRow`] where it is about that
/// row's values (a wrong type, text that is not UTF-8, a page SQLite cannot read), and
/// leaves other errors as they are.
fn row_error(table: &'static str, id: i64, columns: &str, error: rusqlite::Error) -> StoreError {
    use rusqlite::Error as E;
    let damaged = |column: String, reason: String| {
        StoreError::DamagedRow(DamagedRow {
            table,
            id,
            column,
            reason,
        })
    };
    match error {
        E::InvalidColumnType(index, _, kind) => damaged(
            column_name(columns, index),
            format!("holds a value of type {kind}, not what Annalist stores there"),
        ),
        E::FromSqlConversionFailure(index, _, cause) => {
            damaged(column_name(columns, index), cause.to_string())
        }
        E::IntegralValueOutOfRange(index, value) => damaged(
            column_name(columns, index),
            format!("the number {value} is out of range"),
        ),
        E::Utf8Error(index, cause) => damaged(
            column_name(columns, index),
            format!("not valid UTF-8 text ({cause})"),
        ),
        other if is_damaged_file(&other) => damaged(
            "*".to_owned(),
            format!("{other} (a damaged page of the database file)"),
        ),
        other => StoreError::Sqlite(other),
    }
}

impl Store {
    /// Rows that lists and exports skipped since the last call, because they cannot be
    /// read back (see [`StoreError::DamagedRow`]).
    pub fn take_damaged_rows(&self) -> Vec<DamagedRow> {
        std::mem::take(&mut *self.damaged.borrow_mut())
    }

    /// Records a row a list skipped (a [`StoreError::DamagedRow`], taken later with
    /// [`Self::take_damaged_rows`]); any other error is returned.
    pub fn skip_damaged(&self, error: StoreError) -> Result<()> {
        match error {
            StoreError::DamagedRow(row) => {
                let mut damaged = self.damaged.borrow_mut();
                if !damaged.contains(&row) {
                    damaged.push(row);
                }
                Ok(())
            }
            other => Err(other),
        }
    }
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
    /// Rows skipped by lists and exports, until taken.
    damaged: std::cell::RefCell<Vec<DamagedRow>>,
}

const ARTICLE_COLUMNS: &str = "id, title, text, published, url, source, imported_at, origin_path, origin_format, content_sha256";
const ANNOTATION_COLUMNS: &str =
    "id, article_id, label, start, end, text, attrs, status, annotator, created_at, updated_at";

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
        Ok(Self {
            conn,
            damaged: std::cell::RefCell::new(Vec::new()),
        })
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
        // Article by article: each text is read and indexed once, however many spans it
        // has (per annotation, this was quadratic in an article's annotations).
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {ANNOTATION_COLUMNS} FROM annotations ORDER BY article_id, id"
        ))?;
        let mut text_of = self
            .conn
            .prepare("SELECT text FROM articles WHERE id = ?1")?;
        let mut rows = stmt.query([])?;
        let mut group: Vec<Annotation> = Vec::new();
        loop {
            let next = match rows.next()? {
                // A row that cannot be read is recorded (see `take_damaged_rows`), not checked.
                Some(row) => match raw_annotation(row).and_then(RawAnnotation::into_annotation) {
                    Ok(annotation) => Some(annotation),
                    Err(e) => {
                        self.skip_damaged(e)?;
                        continue;
                    }
                },
                None => None,
            };
            let article_changes = match (&next, group.first()) {
                (Some(a), Some(first)) => a.article_id != first.article_id,
                (None, Some(_)) => true,
                _ => false,
            };
            if article_changes {
                let article_id = group.first().map_or(ArticleId(0), |a| a.article_id);
                let text: Option<String> =
                    text_of.query_row([article_id.0], |r| r.get(0)).optional()?;
                misplaced_in(text.as_deref(), std::mem::take(&mut group), &mut out);
            }
            match next {
                Some(annotation) => group.push(annotation),
                None => break,
            }
        }
        out.sort_by_key(|(annotation, _)| annotation.id);
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
        // One row at a time by id: a row that cannot be read (a value another tool wrote,
        // a damaged page) is skipped and recorded, and the rest goes on.
        for id in sorted {
            let article = match self.article(id) {
                Ok(Some(article)) => article,
                Ok(None) => continue,
                Err(e) => {
                    self.skip_damaged(e)?;
                    continue;
                }
            };
            let annotations = self.annotations(id)?;
            let annotations = self.keep_fitting(&article, annotations)?;
            if !visit(article, annotations) {
                break;
            }
        }
        Ok(())
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
            let why = if annotation.start >= annotation.end || annotation.end > len {
                Some(format!(
                    "span [{}, {}) of article {} is outside its text of {len} code points",
                    annotation.start, annotation.end, article.id
                ))
            } else {
                if annotation.start < cursor.0 {
                    cursor = (0, 0);
                }
                let tail = text.get(cursor.1..).unwrap_or_default();
                let start_byte = tail
                    .char_indices()
                    .nth(annotation.start - cursor.0)
                    .map_or(text.len(), |(i, _)| cursor.1 + i);
                cursor = (annotation.start, start_byte);
                let from_start = text.get(start_byte..).unwrap_or_default();
                let end_byte = from_start
                    .char_indices()
                    .nth(annotation.end - annotation.start)
                    .map_or(text.len(), |(i, _)| start_byte + i);
                let actual = text.get(start_byte..end_byte).unwrap_or_default();
                (actual != annotation.text).then(|| {
                    format!(
                        "the text of article {} at [{}, {}) reads {actual:?}, not {:?}",
                        article.id, annotation.start, annotation.end, annotation.text
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

    // --- Annotations

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

    /// The still-suggested annotations of `annotator` whose span text is exactly `text`, in
    /// id order: what learning from that text stored and nobody reviewed.
    pub fn suggestions_of_text(&self, text: &str, annotator: &str) -> Result<Vec<Annotation>> {
        let sql = format!(
            "SELECT {ANNOTATION_COLUMNS} FROM annotations
             WHERE text = ?1 AND status = 'suggested' AND annotator = ?2 ORDER BY id"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query([text, annotator])?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            // A row another tool damaged is left out (and reported), not taken back.
            match raw_annotation(row).and_then(RawAnnotation::into_annotation) {
                Ok(annotation) => out.push(annotation),
                Err(e) => self.skip_damaged(e)?,
            }
        }
        Ok(out)
    }

    /// Deletes these annotations in one transaction and queues their articles for the
    /// index. Returns the ones that existed, as they were.
    pub fn delete_annotations(&mut self, ids: &[AnnotationId]) -> Result<Vec<Annotation>> {
        let mut existing = Vec::with_capacity(ids.len());
        for &id in ids {
            existing.extend(self.annotation(id)?);
        }
        let tx = self.conn.transaction()?;
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
            let mut rows = stmt.query([name])?;
            let mut annotations = Vec::new();
            while let Some(row) = rows.next()? {
                // Removing needs every row back (to undo it): a damaged one refuses.
                annotations.push(raw_annotation(row)?.into_annotation()?);
            }
            annotations
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
    article_text: &crate::model::CharOffsets<'_>,
    now: &str,
) -> Result<AnnotationId> {
    let requested = match annotation.requested_id {
        Some(id) if (1..=crate::model::MAX_REQUESTED_ID).contains(&id.0) => {
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

/// Reads a row of [`ARTICLE_COLUMNS`]; a value another tool wrote of the wrong type is
/// [`StoreError::DamagedRow`].
fn raw_article(r: &Row<'_>) -> Result<RawArticle> {
    let id: i64 = r.get(0)?;
    let e = |error| row_error("articles", id, ARTICLE_COLUMNS, error);
    Ok(RawArticle {
        id,
        title: r.get(1).map_err(e)?,
        text: r.get(2).map_err(e)?,
        published: r.get(3).map_err(e)?,
        url: r.get(4).map_err(e)?,
        source: r.get(5).map_err(e)?,
        imported_at: r.get(6).map_err(e)?,
        origin_path: r.get(7).map_err(e)?,
        origin_format: r.get(8).map_err(e)?,
        content_sha256: r.get(9).map_err(e)?,
    })
}

impl RawArticle {
    fn into_article(self) -> Result<Article> {
        Ok(Article {
            id: ArticleId(self.id),
            title: self.title,
            text: self.text,
            published: parse_stored_date(self.published.as_deref()).map_err(|reason| {
                StoreError::DamagedRow(DamagedRow {
                    table: "articles",
                    id: self.id,
                    column: "published".to_owned(),
                    reason,
                })
            })?,
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

/// Reads a row of [`ANNOTATION_COLUMNS`]; a value of the wrong type is
/// [`StoreError::DamagedRow`].
/// The annotations of one article (`text`, `None` when the article is gone) that do not fit
/// it, with why.
fn misplaced_in(
    text: Option<&str>,
    annotations: Vec<Annotation>,
    out: &mut Vec<(Annotation, String)>,
) {
    let Some(text) = text else {
        out.extend(
            annotations
                .into_iter()
                .map(|a| (a, "its article is missing".to_owned())),
        );
        return;
    };
    let offsets = crate::model::CharOffsets::new(text);
    let len = offsets.len();
    for annotation in annotations {
        if annotation.end > len || annotation.start >= annotation.end {
            let why = format!(
                "span [{}, {}) is outside the text of {len} code points",
                annotation.start, annotation.end
            );
            out.push((annotation, why));
            continue;
        }
        let actual = offsets.slice(annotation.start, annotation.end);
        if actual != annotation.text {
            let why = format!(
                "the text at its offsets reads {actual:?}, not {:?}",
                annotation.text
            );
            out.push((annotation, why));
        }
    }
}

fn raw_annotation(r: &Row<'_>) -> Result<RawAnnotation> {
    let id: i64 = r.get(0)?;
    let e = |error| row_error("annotations", id, ANNOTATION_COLUMNS, error);
    Ok(RawAnnotation {
        id,
        article_id: r.get(1).map_err(e)?,
        label: r.get(2).map_err(e)?,
        start: r.get(3).map_err(e)?,
        end: r.get(4).map_err(e)?,
        text: r.get(5).map_err(e)?,
        attrs: r.get(6).map_err(e)?,
        status: r.get(7).map_err(e)?,
        annotator: r.get(8).map_err(e)?,
        created_at: r.get(9).map_err(e)?,
        updated_at: r.get(10).map_err(e)?,
    })
}

impl RawAnnotation {
    fn into_annotation(self) -> Result<Annotation> {
        let id = self.id;
        let corrupt = |column: &str, reason: String| {
            StoreError::DamagedRow(DamagedRow {
                table: "annotations",
                id,
                column: column.to_owned(),
                reason,
            })
        };
        let attrs: AnnotationAttrs = serde_json::from_str(&self.attrs)
            .map_err(|e| corrupt("attrs", format!("not a JSON object of attributes ({e})")))?;
        let status: AnnotationStatus = self
            .status
            .parse()
            .map_err(|e: String| corrupt("status", e))?;
        Ok(Annotation {
            id: AnnotationId(self.id),
            article_id: ArticleId(self.article_id),
            label: self.label,
            start: usize::try_from(self.start)
                .map_err(|_| corrupt("start", format!("negative offset {}", self.start)))?,
            end: usize::try_from(self.end)
                .map_err(|_| corrupt("end", format!("negative offset {}", self.end)))?,
            text: self.text,
            attrs,
            status,
            annotator: self.annotator,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

fn parse_stored_date(text: Option<&str>) -> Result<Option<PartialDate>, String> {
    text.map(|t| t.parse::<PartialDate>().map_err(|e| e.to_string()))
        .transpose()
}

fn to_i64(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// Current time as RFC 3339 UTC with milliseconds.
pub fn now_rfc3339() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_damaged_file_is_said_once_with_advice() {
        let error = StoreError::from(rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CORRUPT),
            Some("database disk image is malformed".to_owned()),
        ));
        let shown = format!("{:#}", anyhow::Error::new(error).context("cannot export"));
        assert_eq!(
            shown,
            "cannot export: database error: database disk image is malformed; the database file is damaged: run `annalist check` to see what is affected, then restore the latest backup (`annalist backup` makes them; see docs/reliability.md), or recover what is readable with sqlite3's `.recover` into a new file"
        );
        assert_eq!(shown.matches("malformed").count(), 1);
    }

    #[test]
    fn a_row_of_the_wrong_type_names_its_table_id_and_column() {
        let store = Store::open(&tempfile::tempdir().unwrap().path().join("db")).unwrap();
        let error = store
            .conn
            .query_row("SELECT 7, X'ff00', 1", [], |r| r.get::<_, String>(1))
            .unwrap_err();
        let row = row_error("articles", 7, ARTICLE_COLUMNS, error);
        assert_eq!(
            row.to_string(),
            "article 7 (table articles, column title) is damaged: holds a value of type Blob, not what Annalist stores there"
        );
    }
}

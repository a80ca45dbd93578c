//! Keeping the database sound: backups, SQLite's own checks, annotations that no longer fit
//! their text, the schema version, log space, and the counts of `annalist stats`.

use std::path::Path;

use rusqlite::{Connection, OptionalExtension};

use super::rows::{ANNOTATION_COLUMNS, RawAnnotation, raw_annotation};
use super::{Result, Store};
use crate::model::{Annotation, ArticleId};

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

impl Store {
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
        let integrity = (|| -> rusqlite::Result<()> {
            let mut stmt = self.conn.prepare("PRAGMA integrity_check")?;
            let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
            for row in rows {
                let row = row?;
                if row != "ok" {
                    out.push(format!("integrity: {row}"));
                }
            }
            Ok(())
        })();
        // A damaged page can stop SQLite's own check before its end: that is a finding too,
        // and the other check still runs.
        if let Err(e) = integrity {
            out.push(format!(
                "integrity: the check stopped on damage it cannot read past: {e}"
            ));
        }
        let foreign_keys = (|| -> rusqlite::Result<()> {
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
            Ok(())
        })();
        if let Err(e) = foreign_keys {
            out.push(format!(
                "foreign key: the check stopped on damage it cannot read past: {e}"
            ));
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

    /// Gives back the disk space a rolled-back transaction took in the write-ahead log
    /// (SQLite keeps the log file at its largest size until a truncating checkpoint).
    pub fn release_log_space(&self) -> Result<()> {
        self.conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        Ok(())
    }

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
        if annotation.span.fits(len).is_err() {
            let why = format!(
                "span [{}, {}) is outside the text of {len} code points",
                annotation.span.start(),
                annotation.span.end()
            );
            out.push((annotation, why));
            continue;
        }
        let actual = offsets.slice(annotation.span.start(), annotation.span.end());
        if actual != annotation.text {
            let why = format!(
                "the text at its offsets reads {actual:?}, not {:?}",
                annotation.text
            );
            out.push((annotation, why));
        }
    }
}

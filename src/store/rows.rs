//! One row at a time: reading stored articles and annotations back into model types (a
//! value of the wrong type, or an empty or reversed span, is a [`StoreError::DamagedRow`])
//! and writing annotation rows.

use rusqlite::{Row, params};

use super::error::row_error;
use super::{DamagedRow, Result, SPAN_COLUMN, StoreError, to_i64};
use crate::model::{
    Annotation, AnnotationAttrs, AnnotationId, AnnotationStatus, Article, ArticleId, CharSpan,
    NewAnnotation, PartialDate,
};

pub(super) const ARTICLE_COLUMNS: &str = "id, title, text, published, url, source, imported_at, origin_path, origin_format, content_sha256";
pub(super) const ANNOTATION_COLUMNS: &str = "id, article_id, label, start, end, text, attrs, status, annotator, created_at, updated_at, coder, uid";

pub(super) fn insert_annotation_row(
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
    let text = article_text.slice(annotation.span.start(), annotation.span.end());
    let attrs = serde_json::to_string(&annotation.attrs)
        .map_err(|e| StoreError::Corrupt(format!("attributes cannot be written: {e}")))?;
    let uid = new_uid(
        tx,
        article_id,
        &annotation.coder,
        &annotation.label,
        annotation.span,
    )?;
    tx.prepare_cached(
        "INSERT INTO annotations (id, article_id, label, start, end, text, attrs, status, annotator, created_at, updated_at, coder, uid)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10, ?11, ?12)",
    )?
    .execute(params![
        requested,
        article_id.0,
        annotation.label,
        to_i64(annotation.span.start()),
        to_i64(annotation.span.end()),
        text,
        attrs,
        annotation.status.as_str(),
        annotation.annotator,
        now,
        annotation.coder,
        uid,
    ])?;
    Ok(AnnotationId(tx.last_insert_rowid()))
}

/// The uid a new annotation gets ([`crate::model::annotation_uid`]): the smallest `n` that
/// no annotation and no tombstone of the archive holds.
pub(super) fn new_uid(
    tx: &rusqlite::Transaction<'_>,
    article_id: ArticleId,
    coder: &str,
    label: &str,
    span: CharSpan,
) -> Result<String> {
    let hash: String = tx
        .prepare_cached("SELECT content_sha256 FROM articles WHERE id = ?1")?
        .query_row([article_id.0], |r| r.get(0))?;
    let mut taken = tx.prepare_cached(
        "SELECT 1 FROM annotations WHERE uid = ?1 UNION ALL SELECT 1 FROM tombstones WHERE uid = ?1",
    )?;
    for n in 0..=u32::MAX {
        let uid = crate::model::annotation_uid(coder, &hash, label, span.start(), span.end(), n);
        if !taken.exists([&uid])? {
            return Ok(uid);
        }
    }
    Err(StoreError::Corrupt(format!(
        "no free uid for a {label} span of article {article_id}"
    )))
}

/// Points the links between one article's new annotations (`date`, `place`, `actor`,
/// `part_of`, by the ids the source gave them) at the ids the archive gave them, which
/// differ when the source's ids were taken. `given` is the id of each of `annotations`.
/// Links to ids the record did not have were dropped (with a warning) before.
pub(super) fn relink_annotations(
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
        if !crate::model::attrs::LINKS
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

/// Records that these annotations were deleted (now), so that the deletion travels in
/// bundles and an older bundle does not bring them back.
pub(super) fn bury(
    tx: &rusqlite::Transaction<'_>,
    annotations: &[Annotation],
    now: &str,
) -> Result<()> {
    let mut insert = tx.prepare_cached(
        "INSERT OR REPLACE INTO tombstones (uid, coder, article_id, deleted_at) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for annotation in annotations {
        insert.execute(params![
            annotation.uid,
            annotation.coder,
            annotation.article_id.0,
            now
        ])?;
    }
    Ok(())
}

/// Puts back an annotation exactly as it was (same id, timestamps) and queues its article
/// for the index: undoing a delete, bringing back a deleted label's spans.
pub(super) fn insert_restored(
    tx: &rusqlite::Transaction<'_>,
    annotation: &Annotation,
) -> Result<()> {
    let attrs = serde_json::to_string(&annotation.attrs)
        .map_err(|e| StoreError::Corrupt(format!("attributes cannot be written: {e}")))?;
    tx.prepare_cached(
        "INSERT INTO annotations (id, article_id, label, start, end, text, attrs, status, annotator, created_at, updated_at, coder, uid)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    )?
    .execute(params![
        annotation.id.0,
        annotation.article_id.0,
        annotation.label,
        to_i64(annotation.span.start()),
        to_i64(annotation.span.end()),
        annotation.text,
        attrs,
        annotation.status.as_str(),
        annotation.annotator,
        annotation.created_at,
        annotation.updated_at,
        annotation.coder,
        annotation.uid,
    ])?;
    // Back, so no longer deleted: its tombstone goes.
    tx.prepare_cached("DELETE FROM tombstones WHERE uid = ?1")?
        .execute([&annotation.uid])?;
    tx.prepare_cached("INSERT INTO index_queue (article_id) VALUES (?1)")?
        .execute([annotation.article_id.0])?;
    Ok(())
}

pub(super) struct RawArticle {
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
pub(super) fn raw_article(r: &Row<'_>) -> Result<RawArticle> {
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
    pub(super) fn into_article(self) -> Result<Article> {
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

pub(super) struct RawAnnotation {
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
    coder: String,
    uid: String,
}

/// Reads a row of [`ANNOTATION_COLUMNS`]; a value of the wrong type is
/// [`StoreError::DamagedRow`].
pub(super) fn raw_annotation(r: &Row<'_>) -> Result<RawAnnotation> {
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
        coder: r.get(11).map_err(e)?,
        uid: r.get(12).map_err(e)?,
    })
}

impl RawAnnotation {
    pub(super) fn into_annotation(self) -> Result<Annotation> {
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
        let start = usize::try_from(self.start)
            .map_err(|_| corrupt("start", format!("negative offset {}", self.start)))?;
        let end = usize::try_from(self.end)
            .map_err(|_| corrupt("end", format!("negative offset {}", self.end)))?;
        // Whether the span fits its text is checked where the text is read with it
        // (`keep_fitting`, `check`); an empty or reversed one fits no text.
        let span =
            CharSpan::ordered(start, end).map_err(|e| corrupt(SPAN_COLUMN, e.to_string()))?;
        Ok(Annotation {
            id: AnnotationId(self.id),
            uid: self.uid,
            article_id: ArticleId(self.article_id),
            label: self.label,
            span,
            text: self.text,
            attrs,
            status,
            annotator: self.annotator,
            coder: self.coder,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

pub(super) fn parse_stored_date(text: Option<&str>) -> Result<Option<PartialDate>, String> {
    text.map(|t| t.parse::<PartialDate>().map_err(|e| e.to_string()))
        .transpose()
}

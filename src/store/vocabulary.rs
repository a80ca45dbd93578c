//! What people accepted, for learning: span texts with their labels, counts and latest
//! attributes, and the unreviewed suggestions learning made of a text.

use rusqlite::OptionalExtension;

use super::rows::{ANNOTATION_COLUMNS, RawAnnotation, raw_annotation};
use super::{Result, Store};
use crate::model::{Annotation, AnnotationAttrs};

impl Store {
    /// Span texts people accepted, with the label and how often, for learning: every
    /// `(text, label, count, attrs of the latest)` of accepted annotations with a label not
    /// in `skip`, in `coder`'s layer (everyone's when `None`).
    pub fn accepted_vocabulary(
        &self,
        skip: &[&str],
        coder: Option<&str>,
    ) -> Result<Vec<(String, String, u64, String)>> {
        let mut stmt = self.conn.prepare(
            "SELECT text, label, COUNT(*), (SELECT attrs FROM annotations b WHERE b.text = a.text AND b.label = a.label AND b.status = 'accepted' AND (?1 IS NULL OR b.coder = ?1) ORDER BY b.updated_at DESC, b.id DESC LIMIT 1)
             FROM annotations a WHERE status = 'accepted' AND (?1 IS NULL OR coder = ?1) GROUP BY text, label ORDER BY text, label",
        )?;
        let rows = stmt.query_map([coder], |r| {
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

    /// Attributes of the latest accepted annotation with this span text and label, in
    /// `coder`'s layer (everyone's when `None`).
    pub fn latest_accepted_attrs(
        &self,
        text: &str,
        label: &str,
        coder: Option<&str>,
    ) -> Result<Option<AnnotationAttrs>> {
        let attrs: Option<String> = self
            .conn
            .prepare_cached(
                "SELECT attrs FROM annotations WHERE text = ?1 AND label = ?2 AND status = 'accepted'
                 AND (?3 IS NULL OR coder = ?3) ORDER BY updated_at DESC, id DESC LIMIT 1",
            )?
            .query_row(rusqlite::params![text, label, coder], |r| r.get(0))
            .optional()?;
        Ok(attrs.and_then(|a| serde_json::from_str(&a).ok()))
    }

    /// How often each label was accepted for exactly this span text: `(label, count)`, in
    /// `coder`'s layer (everyone's when `None`).
    pub fn accepted_labels_of(
        &self,
        text: &str,
        coder: Option<&str>,
    ) -> Result<Vec<(String, u64)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT label, COUNT(*) FROM annotations WHERE text = ?1 AND status = 'accepted'
             AND (?2 IS NULL OR coder = ?2) GROUP BY label ORDER BY label",
        )?;
        let rows = stmt.query_map(rusqlite::params![text, coder], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (label, count) = row?;
            out.push((label, u64::try_from(count).unwrap_or(0)));
        }
        Ok(out)
    }

    /// The still-suggested annotations of `annotator` whose span text is exactly `text`, in
    /// id order, in `coder`'s layer: what learning from that text stored and nobody
    /// reviewed.
    pub fn suggestions_of_text(
        &self,
        text: &str,
        annotator: &str,
        coder: &str,
    ) -> Result<Vec<Annotation>> {
        let sql = format!(
            "SELECT {ANNOTATION_COLUMNS} FROM annotations
             WHERE text = ?1 AND status = 'suggested' AND annotator = ?2 AND coder = ?3 ORDER BY id"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query([text, annotator, coder])?;
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
}

//! Reading the team archive for a desktop's replica: the change log's head, articles in
//! pages by uid, annotations of some articles or by uid, labels, and what changed since a
//! sequence number.

use super::{PgError, PgStore};
use crate::model::{
    Annotation, AnnotationAttrs, AnnotationId, AnnotationStatus, ArticleId, CharSpan, LabelDef,
    LabelSchema,
};

/// An article as the server holds it (keyed by its content hash).
#[derive(Debug, Clone, PartialEq)]
pub struct TeamArticle {
    /// Content hash of the text.
    pub uid: String,
    /// Title.
    pub title: String,
    /// Text.
    pub text: String,
    /// Publication date as stored.
    pub published: Option<String>,
    /// URL.
    pub url: Option<String>,
    /// Outlet.
    pub source: Option<String>,
    /// Where it was imported from.
    pub origin_path: Option<String>,
    /// Format it was imported from.
    pub origin_format: String,
    /// When it entered the archive it was first imported into (RFC 3339, UTC).
    pub imported_at: String,
    /// Metadata version (for the version check of metadata edits).
    pub version: i64,
}

/// An annotation as the server holds it: its layer, its article's hash, deleted or not.
#[derive(Debug, Clone, PartialEq)]
pub struct TeamAnnotation {
    /// Global id.
    pub uid: String,
    /// Content hash of its article.
    pub article_uid: String,
    /// Layer.
    pub coder: String,
    /// Label.
    pub label: String,
    /// Span in code points.
    pub span: CharSpan,
    /// Covered text.
    pub text: String,
    /// Attributes (links name uids).
    pub attrs: AnnotationAttrs,
    /// Status.
    pub status: AnnotationStatus,
    /// Who made it.
    pub annotator: String,
    /// Made at.
    pub created_at: String,
    /// Last changed at.
    pub updated_at: String,
    /// Deleted (kept as a mark so the deletion reaches every replica).
    pub deleted: bool,
}

impl TeamAnnotation {
    /// The annotation as a local store holds it, in article `article_id` (its local id is
    /// the store's to give).
    pub fn to_annotation(&self, article_id: ArticleId) -> Annotation {
        Annotation {
            id: AnnotationId(0),
            uid: self.uid.clone(),
            article_id,
            label: self.label.clone(),
            span: self.span,
            text: self.text.clone(),
            attrs: self.attrs.clone(),
            status: self.status,
            annotator: self.annotator.clone(),
            coder: self.coder.clone(),
            created_at: self.created_at.clone(),
            updated_at: self.updated_at.clone(),
        }
    }
}

const ARTICLE_COLUMNS: &str =
    "uid, title, text, published, url, source, origin_path, origin_format, version, imported_at";
const ANNOTATION_COLUMNS: &str = "uid, article_uid, coder, label, start_cp, end_cp, text, attrs, \
     status, annotator, created_at, updated_at, deleted";

impl PgStore {
    /// The change log's last sequence number (0 when empty).
    pub fn head(&mut self) -> Result<i64, PgError> {
        Ok(self
            .client
            .query_one("SELECT coalesce(max(seq), 0) FROM annalist.changes", &[])?
            .get(0))
    }

    /// How many articles the server holds.
    pub fn article_count(&mut self) -> Result<i64, PgError> {
        Ok(self
            .client
            .query_one("SELECT count(*) FROM annalist.articles", &[])?
            .get(0))
    }

    /// Up to `limit` articles with uids after `after`, in uid order.
    pub fn articles_after(&mut self, after: &str, limit: i64) -> Result<Vec<TeamArticle>, PgError> {
        let sql = format!(
            "SELECT {ARTICLE_COLUMNS} FROM annalist.articles WHERE uid > $1 ORDER BY uid LIMIT $2"
        );
        let rows = self.client.query(&sql, &[&after, &limit])?;
        Ok(rows.iter().map(article_of).collect())
    }

    /// The articles of some uids.
    pub fn articles_by_uid(&mut self, uids: &[String]) -> Result<Vec<TeamArticle>, PgError> {
        let sql = format!(
            "SELECT {ARTICLE_COLUMNS} FROM annalist.articles WHERE uid = ANY($1) ORDER BY uid"
        );
        let rows = self.client.query(&sql, &[&uids])?;
        Ok(rows.iter().map(article_of).collect())
    }

    /// Which of some uids the server holds an article of, in uid order.
    pub fn known_article_uids(&mut self, uids: &[String]) -> Result<Vec<String>, PgError> {
        let rows = self.client.query(
            "SELECT uid FROM annalist.articles WHERE uid = ANY($1) ORDER BY uid",
            &[&uids],
        )?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }

    /// Every annotation (deleted ones too) of some articles.
    pub fn annotations_of(
        &mut self,
        article_uids: &[String],
    ) -> Result<Vec<TeamAnnotation>, PgError> {
        let sql = format!(
            "SELECT {ANNOTATION_COLUMNS} FROM annalist.annotations WHERE article_uid = ANY($1) ORDER BY uid COLLATE \"C\""
        );
        let rows = self.client.query(&sql, &[&article_uids])?;
        rows.iter().map(annotation_of).collect()
    }

    /// The annotations of some uids.
    pub fn annotations_by_uid(&mut self, uids: &[String]) -> Result<Vec<TeamAnnotation>, PgError> {
        let sql = format!(
            "SELECT {ANNOTATION_COLUMNS} FROM annalist.annotations WHERE uid = ANY($1) ORDER BY uid COLLATE \"C\""
        );
        let rows = self.client.query(&sql, &[&uids])?;
        rows.iter().map(annotation_of).collect()
    }

    /// The changes after `after`, up to `upto`, at most `limit`: (sequence, table, key).
    pub fn changes(
        &mut self,
        after: i64,
        upto: i64,
        limit: i64,
    ) -> Result<Vec<(i64, String, String)>, PgError> {
        let rows = self.client.query(
            "SELECT seq, tbl, key FROM annalist.changes WHERE seq > $1 AND seq <= $2 ORDER BY seq LIMIT $3",
            &[&after, &upto, &limit],
        )?;
        Ok(rows
            .iter()
            .map(|r| (r.get(0), r.get(1), r.get(2)))
            .collect())
    }

    /// The server's labels, in their order.
    pub fn labels(&mut self) -> Result<LabelSchema, PgError> {
        let rows = self.client.query(
            "SELECT name, description, color, shortcut FROM annalist.labels ORDER BY position, name",
            &[],
        )?;
        let labels = rows
            .iter()
            .map(|r| LabelDef {
                name: r.get(0),
                description: r.get(1),
                color: r.get(2),
                shortcut: r.get::<_, Option<String>>(3).and_then(|s| s.chars().next()),
            })
            .collect();
        Ok(LabelSchema { labels })
    }
}

fn article_of(r: &postgres::Row) -> TeamArticle {
    TeamArticle {
        uid: r.get(0),
        title: r.get(1),
        text: r.get(2),
        published: r.get(3),
        url: r.get(4),
        source: r.get(5),
        origin_path: r.get(6),
        origin_format: r.get(7),
        version: r.get(8),
        imported_at: r.get(9),
    }
}

fn annotation_of(r: &postgres::Row) -> Result<TeamAnnotation, PgError> {
    let uid: String = r.get(0);
    let damaged =
        |what: String| PgError::Invalid(format!("annotation {uid} on the server: {what}"));
    let start = usize::try_from(r.get::<_, i32>(4)).map_err(|e| damaged(e.to_string()))?;
    let end = usize::try_from(r.get::<_, i32>(5)).map_err(|e| damaged(e.to_string()))?;
    let span = CharSpan::ordered(start, end).map_err(|e| damaged(e.to_string()))?;
    let attrs = match r.get::<_, serde_json::Value>(7) {
        serde_json::Value::Object(map) => map,
        other => return Err(damaged(format!("attributes are not an object: {other}"))),
    };
    let status = r
        .get::<_, String>(8)
        .parse()
        .map_err(|e: String| damaged(e))?;
    Ok(TeamAnnotation {
        article_uid: r.get(1),
        coder: r.get(2),
        label: r.get(3),
        span,
        text: r.get(6),
        attrs,
        status,
        annotator: r.get(9),
        created_at: r.get(10),
        updated_at: r.get(11),
        deleted: r.get(12),
        uid,
    })
}

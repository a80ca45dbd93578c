//! What bundles need of the store: a coder's layer with its tombstones, articles found by
//! content hash, and one transaction that applies a bundle's merged versions
//! ([`BundleTx`]). The merge rule itself is the service's (`service/bundles.rs`).

use rusqlite::{OptionalExtension, params};

use super::rows::{ANNOTATION_COLUMNS, bury, raw_annotation};
use super::{Result, Store, StoreError, to_i64};
use crate::model::{Annotation, AnnotationAttrs, AnnotationId, ArticleId, link_targets_mut};

/// A deleted annotation, remembered so that its deletion travels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tombstone {
    /// The uid the annotation had.
    pub uid: String,
    /// Whose layer it was in.
    pub coder: String,
    /// Its article.
    pub article_id: ArticleId,
    /// When it was deleted, RFC 3339 UTC.
    pub deleted_at: String,
}

impl Store {
    /// Articles that `coder`'s layer touches (an annotation or a tombstone), ascending.
    pub fn layer_article_ids(&self, coder: &str) -> Result<Vec<ArticleId>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT article_id FROM annotations WHERE coder = ?1
             UNION SELECT article_id FROM tombstones WHERE coder = ?1 ORDER BY 1",
        )?;
        let rows = stmt.query_map([coder], |r| r.get::<_, i64>(0))?;
        rows.map(|row| row.map(ArticleId).map_err(StoreError::from))
            .collect()
    }

    /// The tombstones of `coder`'s layer in one article, by uid.
    pub fn tombstones(&self, coder: &str, article_id: ArticleId) -> Result<Vec<Tombstone>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT uid, deleted_at FROM tombstones WHERE coder = ?1 AND article_id = ?2 ORDER BY uid",
        )?;
        let rows = stmt.query_map(params![coder, article_id.0], |r| {
            Ok(Tombstone {
                uid: r.get(0)?,
                coder: coder.to_owned(),
                article_id,
                deleted_at: r.get(1)?,
            })
        })?;
        rows.map(|row| row.map_err(StoreError::from)).collect()
    }

    /// The tombstones of every layer in some articles, by article and uid (one query for
    /// a page of articles).
    pub fn tombstones_in(&self, article_ids: &[ArticleId]) -> Result<Vec<Tombstone>> {
        let mut out = Vec::new();
        for chunk in article_ids.chunks(IDS_PER_QUERY) {
            let sql = format!(
                "SELECT uid, coder, article_id, deleted_at FROM tombstones WHERE article_id IN ({}) ORDER BY article_id, uid",
                placeholders(chunk.len())
            );
            let mut stmt = self.conn.prepare(&sql)?;
            let rows = stmt.query_map(
                rusqlite::params_from_iter(chunk.iter().map(|id| id.0)),
                |r| {
                    Ok(Tombstone {
                        uid: r.get(0)?,
                        coder: r.get(1)?,
                        article_id: ArticleId(r.get(2)?),
                        deleted_at: r.get(3)?,
                    })
                },
            )?;
            for row in rows {
                out.push(row?);
            }
        }
        Ok(out)
    }

    /// The id of the article with this content hash.
    pub fn article_by_hash(&self, content_sha256: &str) -> Result<Option<ArticleId>> {
        Ok(self
            .conn
            .prepare_cached("SELECT id FROM articles WHERE content_sha256 = ?1")?
            .query_row([content_sha256], |r| r.get::<_, i64>(0))
            .optional()?
            .map(ArticleId))
    }

    /// Starts the one transaction in which a bundle is merged.
    pub fn bundle_tx(&mut self) -> Result<BundleTx<'_>> {
        Ok(BundleTx {
            tx: self.conn.transaction()?,
        })
    }
}

/// One transaction over the annotations and tombstones of bundles being merged; nothing is
/// kept unless [`BundleTx::commit`] is called. The caller queues each article it changed
/// ([`BundleTx::queue`]).
pub struct BundleTx<'a> {
    tx: rusqlite::Transaction<'a>,
}

impl BundleTx<'_> {
    /// The annotation with this uid.
    pub fn annotation_by_uid(&self, uid: &str) -> Result<Option<Annotation>> {
        let sql = format!("SELECT {ANNOTATION_COLUMNS} FROM annotations WHERE uid = ?1");
        let mut stmt = self.tx.prepare_cached(&sql)?;
        let mut rows = stmt.query([uid])?;
        match rows.next()? {
            Some(row) => raw_annotation(row)?.into_annotation().map(Some),
            None => Ok(None),
        }
    }

    /// The uid of the annotation with this id (for links).
    pub fn uid_of(&self, id: AnnotationId) -> Result<Option<String>> {
        Ok(self
            .tx
            .prepare_cached("SELECT uid FROM annotations WHERE id = ?1")?
            .query_row([id.0], |r| r.get(0))
            .optional()?)
    }

    /// The id of the annotation with this uid (for links).
    pub fn id_of(&self, uid: &str) -> Result<Option<AnnotationId>> {
        Ok(self
            .tx
            .prepare_cached("SELECT id FROM annotations WHERE uid = ?1")?
            .query_row([uid], |r| r.get(0))
            .optional()?
            .map(AnnotationId))
    }

    /// The tombstone of this uid.
    pub fn tombstone(&self, uid: &str) -> Result<Option<Tombstone>> {
        Ok(self
            .tx
            .prepare_cached("SELECT coder, article_id, deleted_at FROM tombstones WHERE uid = ?1")?
            .query_row([uid], |r| {
                Ok(Tombstone {
                    uid: uid.to_owned(),
                    coder: r.get(0)?,
                    article_id: ArticleId(r.get(1)?),
                    deleted_at: r.get(2)?,
                })
            })
            .optional()?)
    }

    /// Stores `version` as it is (uid, coder, timestamps) under a new local id, removing the
    /// tombstone of its uid when `buried` (it had one).
    pub fn insert(&self, version: &Annotation, buried: bool) -> Result<AnnotationId> {
        self.tx
            .prepare_cached(
                "INSERT INTO annotations (article_id, label, start, end, text, attrs, status, annotator, created_at, updated_at, coder, uid)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            )?
            .execute(params![
                version.article_id.0,
                version.label,
                to_i64(version.span.start()),
                to_i64(version.span.end()),
                version.text,
                attrs_json(version)?,
                version.status.as_str(),
                version.annotator,
                version.created_at,
                version.updated_at,
                version.coder,
                version.uid,
            ])?;
        let id = AnnotationId(self.tx.last_insert_rowid());
        if buried {
            self.tx
                .prepare_cached("DELETE FROM tombstones WHERE uid = ?1")?
                .execute([&version.uid])?;
        }
        Ok(id)
    }

    /// Replaces what the annotation `id` holds with `version` (its id, uid, article and
    /// coder stay).
    pub fn replace(&self, id: AnnotationId, version: &Annotation) -> Result<()> {
        self.tx
            .prepare_cached(
                "UPDATE annotations SET label = ?2, start = ?3, end = ?4, text = ?5, attrs = ?6, status = ?7,
                 annotator = ?8, created_at = ?9, updated_at = ?10 WHERE id = ?1",
            )?
            .execute(params![
                id.0,
                version.label,
                to_i64(version.span.start()),
                to_i64(version.span.end()),
                version.text,
                attrs_json(version)?,
                version.status.as_str(),
                version.annotator,
                version.created_at,
                version.updated_at,
            ])?;
        Ok(())
    }

    /// Sets only the attributes of annotation `id` (links resolved to local ids).
    pub fn set_attrs(&self, id: AnnotationId, version: &Annotation) -> Result<()> {
        self.tx
            .prepare_cached("UPDATE annotations SET attrs = ?2 WHERE id = ?1")?
            .execute(params![id.0, attrs_json(version)?])?;
        Ok(())
    }

    /// Points each link of `attrs` that names an annotation by uid at that annotation's
    /// id here (a uid this store does not hold, or a literal, stays as it is).
    pub fn links_by_local_id(&self, attrs: &mut AnnotationAttrs) -> Result<()> {
        for item in link_targets_mut(attrs) {
            if let Some(uid) = item.as_str().map(str::to_owned)
                && let Some(local) = self.id_of(&uid)?
            {
                *item = serde_json::Value::from(local.0);
            }
        }
        Ok(())
    }

    /// Once every annotation of a batch is stored: each of `linked` (stored under its id
    /// with links by uid) gets its links pointed at the ids here.
    pub fn relink(&self, linked: Vec<(AnnotationId, Annotation)>) -> Result<()> {
        for (id, mut version) in linked {
            self.links_by_local_id(&mut version.attrs)?;
            self.set_attrs(id, &version)?;
        }
        Ok(())
    }

    /// Deletes `existing` (if given) and keeps `tombstone` in its place.
    pub fn bury(&self, existing: Option<&Annotation>, tombstone: &Tombstone) -> Result<()> {
        if let Some(annotation) = existing {
            self.tx
                .prepare_cached("DELETE FROM annotations WHERE id = ?1")?
                .execute([annotation.id.0])?;
            bury(
                &self.tx,
                std::slice::from_ref(annotation),
                &tombstone.deleted_at,
            )?;
        } else {
            self.tx
                .prepare_cached(
                    "INSERT OR REPLACE INTO tombstones (uid, coder, article_id, deleted_at) VALUES (?1, ?2, ?3, ?4)",
                )?
                .execute(params![
                    tombstone.uid,
                    tombstone.coder,
                    tombstone.article_id.0,
                    tombstone.deleted_at
                ])?;
        }
        Ok(())
    }

    /// Queues an article whose annotations changed for the index (once per article).
    pub fn queue(&self, article_id: ArticleId) -> Result<()> {
        self.tx
            .prepare_cached("INSERT INTO index_queue (article_id) VALUES (?1)")?
            .execute([article_id.0])?;
        Ok(())
    }

    /// Marks what this transaction writes as the team server's own copy, so a replica's
    /// outbox does not queue it to be sent back (until the transaction ends).
    pub fn from_server(&self) -> Result<()> {
        self.tx
            .prepare_cached(
                "INSERT OR REPLACE INTO meta (key, value) VALUES ('team_applying', '1')",
            )?
            .execute([])?;
        Ok(())
    }

    /// Whether an edit of this annotation made here waits to be sent (the replica's own
    /// edit wins over the server's older copy until the server has it).
    pub fn waiting_to_send(&self, uid: &str) -> Result<bool> {
        Ok(self
            .tx
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM outbox WHERE uid = ?1 AND kind = 'annotation' AND refused IS NULL)",
            )?
            .query_row([uid], |r| r.get(0))?)
    }

    /// Keeps everything done in this transaction.
    pub fn commit(self) -> Result<()> {
        self.tx
            .prepare_cached("DELETE FROM meta WHERE key = 'team_applying'")?
            .execute([])?;
        Ok(self.tx.commit()?)
    }
}

/// Ids bound in one `IN (…)` list (well under SQLite's limit of bound parameters).
pub(super) const IDS_PER_QUERY: usize = 500;

/// `?, ?, …` for `n` parameters.
pub(super) fn placeholders(n: usize) -> String {
    vec!["?"; n].join(", ")
}

fn attrs_json(version: &Annotation) -> Result<String> {
    serde_json::to_string(&version.attrs)
        .map_err(|e| StoreError::Corrupt(format!("attributes cannot be written: {e}")))
}

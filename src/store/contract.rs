//! The store contract: the operations a team shares on its annotations, as one trait with
//! two implementations, the local SQLite store (a replica, or a laptop's archive) and the
//! team's PostgreSQL store; `tests/store_contract.rs` runs one suite against both. Keyed
//! by what is global: articles by content hash, annotations by uid.

use super::bundles::Tombstone;
use super::pg::{PgError, PgStore, TeamAnnotation};
use super::{Store, StoreError, now_rfc3339};
use crate::model::{Annotation, LabelSchema};

/// Errors of either implementation.
#[derive(Debug, thiserror::Error)]
pub enum ContractError {
    /// The SQLite store.
    #[error(transparent)]
    Sqlite(#[from] StoreError),
    /// The PostgreSQL store.
    #[error(transparent)]
    Pg(#[from] PgError),
    /// An annotation names an article the store does not hold.
    #[error("annotation {uid}: no article with content hash {article}")]
    NoSuchArticle {
        /// The annotation.
        uid: String,
        /// The article's hash.
        article: String,
    },
}

/// What every team store does, by global keys.
pub trait SharedStore {
    /// The label schema, in order.
    fn shared_labels(&mut self) -> Result<LabelSchema, ContractError>;
    /// The content hashes of every article, ascending.
    fn article_hashes(&mut self) -> Result<Vec<String>, ContractError>;
    /// The annotation with this uid as the team sees it (a deleted one has `deleted`).
    fn shared_annotation(&mut self, uid: &str) -> Result<Option<TeamAnnotation>, ContractError>;
    /// Stores `a` by its uid (new, or replacing what the uid holds); storing what is there
    /// already changes nothing. Returns whether it changed.
    fn put_annotation(&mut self, a: &TeamAnnotation) -> Result<bool, ContractError>;
    /// Deletes the annotation `uid` at `at`, keeping the deletion; returns whether it
    /// changed (false for an unknown or already deleted uid).
    fn delete_by_uid(&mut self, uid: &str, at: &str) -> Result<bool, ContractError>;
}

impl SharedStore for PgStore {
    fn shared_labels(&mut self) -> Result<LabelSchema, ContractError> {
        Ok(self.labels()?)
    }

    fn article_hashes(&mut self) -> Result<Vec<String>, ContractError> {
        let mut out = Vec::new();
        let mut after = String::new();
        loop {
            let page = self.articles_after(&after, 1000)?;
            let Some(last) = page.last() else { break };
            after = last.uid.clone();
            out.extend(page.into_iter().map(|a| a.uid));
        }
        Ok(out)
    }

    fn shared_annotation(&mut self, uid: &str) -> Result<Option<TeamAnnotation>, ContractError> {
        Ok(self
            .annotations_by_uid(&[uid.to_owned()])?
            .into_iter()
            .next())
    }

    fn put_annotation(&mut self, a: &TeamAnnotation) -> Result<bool, ContractError> {
        Ok(self.send_annotation(a)?)
    }

    fn delete_by_uid(&mut self, uid: &str, at: &str) -> Result<bool, ContractError> {
        Ok(self.send_deletion(uid, at)?)
    }
}

impl SharedStore for Store {
    fn shared_labels(&mut self) -> Result<LabelSchema, ContractError> {
        Ok(self.labels()?)
    }

    fn article_hashes(&mut self) -> Result<Vec<String>, ContractError> {
        let read = || -> rusqlite::Result<Vec<String>> {
            let mut stmt = self
                .conn
                .prepare_cached("SELECT content_sha256 FROM articles ORDER BY content_sha256")?;
            let rows = stmt.query_map([], |r| r.get(0))?;
            rows.collect()
        };
        Ok(read().map_err(StoreError::from)?)
    }

    fn shared_annotation(&mut self, uid: &str) -> Result<Option<TeamAnnotation>, ContractError> {
        if let Some(a) = self.annotation_by_uid(uid)? {
            let article_uid = self.article_hash(a.article_id)?.unwrap_or_default();
            return Ok(Some(team_row(&a, article_uid, false)));
        }
        let Some(tombstone) = self.tombstone_of(uid)? else {
            return Ok(None);
        };
        // A deletion keeps only its uid, layer, article and time here.
        let article_uid = self.article_hash(tombstone.article_id)?.unwrap_or_default();
        Ok(Some(TeamAnnotation {
            uid: tombstone.uid,
            article_uid,
            coder: tombstone.coder,
            label: String::new(),
            span: crate::model::CharSpan::ordered(0, 1)
                .map_err(|e| StoreError::Corrupt(format!("a tombstone cannot be shown: {e}")))?,
            text: String::new(),
            attrs: crate::model::AnnotationAttrs::new(),
            status: crate::model::AnnotationStatus::Rejected,
            annotator: String::new(),
            created_at: String::new(),
            updated_at: tombstone.deleted_at,
            deleted: true,
        }))
    }

    fn put_annotation(&mut self, a: &TeamAnnotation) -> Result<bool, ContractError> {
        let article_id =
            self.article_by_hash(&a.article_uid)?
                .ok_or_else(|| ContractError::NoSuchArticle {
                    uid: a.uid.clone(),
                    article: a.article_uid.clone(),
                })?;
        let version = a.to_annotation(article_id);
        let tx = self.bundle_tx()?;
        let changed = match tx.annotation_by_uid(&a.uid)? {
            Some(local) if team_row(&local, a.article_uid.clone(), false) == *a => false,
            Some(local) => {
                tx.replace(local.id, &version)?;
                true
            }
            None => {
                tx.insert(&version, tx.tombstone(&a.uid)?.is_some())?;
                true
            }
        };
        if changed {
            tx.queue(article_id)?;
        }
        tx.commit()?;
        Ok(changed)
    }

    fn delete_by_uid(&mut self, uid: &str, at: &str) -> Result<bool, ContractError> {
        let tx = self.bundle_tx()?;
        let Some(local) = tx.annotation_by_uid(uid)? else {
            return Ok(false);
        };
        let at = if at.is_empty() {
            now_rfc3339()
        } else {
            at.to_owned()
        };
        let tombstone = Tombstone {
            uid: uid.to_owned(),
            coder: local.coder.clone(),
            article_id: local.article_id,
            deleted_at: at,
        };
        tx.bury(Some(&local), &tombstone)?;
        tx.queue(local.article_id)?;
        tx.commit()?;
        Ok(true)
    }
}

/// An annotation of this store as the team holds it.
fn team_row(a: &Annotation, article_uid: String, deleted: bool) -> TeamAnnotation {
    TeamAnnotation {
        uid: a.uid.clone(),
        article_uid,
        coder: a.coder.clone(),
        label: a.label.clone(),
        span: a.span,
        text: a.text.clone(),
        attrs: a.attrs.clone(),
        status: a.status,
        annotator: a.annotator.clone(),
        created_at: a.created_at.clone(),
        updated_at: a.updated_at.clone(),
        deleted,
    }
}

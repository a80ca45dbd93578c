//! The store contract: the archive's store operations that a team shares, as one trait with
//! two implementations, the local SQLite store (a laptop's archive, or a desktop's replica)
//! and the team's PostgreSQL store. Everything is keyed by what is global: articles by
//! content hash, annotations by uid, links between annotations by uid.
//!
//! The service moves data between stores only through this trait: `team push` is one copy
//! written against it (any store into any store), and a replica's outbox is sent through
//! it. What is one backend's own stays outside: PostgreSQL's change log and notifications
//! (a replica's feed), SQLite's outbox and search index. `tests/store_contract.rs` runs one
//! suite against both.

use std::collections::HashMap;

use super::bundles::Tombstone;
use super::pg::{PgError, PgStore, PushCounts, TeamAnnotation, TeamArticle};
use super::{Store, StoreError, now_rfc3339};
use crate::model::{
    Annotation, AnnotationAttrs, AnnotationId, AnnotationStatus, Article, ArticleId, ArticleMeta,
    CharSpan, LabelSchema, NewArticle, attrs::LINKS,
};

/// An article metadata field changed by an edit: the field (`title`, `published`, `url`
/// or `source`), its value before the edit and after.
pub type MetaChange = (&'static str, Option<String>, Option<String>);

/// Errors of either implementation.
#[derive(Debug, thiserror::Error)]
pub enum ContractError {
    /// The SQLite store.
    #[error(transparent)]
    Sqlite(#[from] StoreError),
    /// The PostgreSQL store.
    #[error(transparent)]
    Pg(PgError),
    /// An annotation names an article the store does not hold.
    #[error("annotation {uid}: no article with content hash {article}")]
    NoSuchArticle {
        /// The annotation.
        uid: String,
        /// The article's hash.
        article: String,
    },
    /// A metadata edit names an article the store does not hold.
    #[error("article {hash} is not in this store")]
    NoArticle {
        /// The article's hash.
        hash: String,
    },
    /// A value handed in is not acceptable (a date that does not read, a field name).
    #[error("{0}")]
    Invalid(String),
    /// A metadata edit was based on an older version than the store's, and the store's
    /// value of a field it changes is another: nothing was overwritten.
    #[error(transparent)]
    Conflict(MetaConflict),
}

/// A metadata edit based on an older version than the store's, where the store's value
/// of a field the edit changes is neither what the edit started from nor what it makes it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "conflict on article {article}: its {field} is {theirs:?} on the server (changed there since this desktop's copy, version {base} < {current}), this desktop made it {ours:?}; the server's value was kept: edit it again to choose"
)]
pub struct MetaConflict {
    /// The article (its title).
    pub article: String,
    /// The field.
    pub field: String,
    /// The edit's value.
    pub ours: String,
    /// The store's value.
    pub theirs: String,
    /// The version the edit was based on.
    pub base: i64,
    /// The store's version.
    pub current: i64,
}

impl MetaConflict {
    /// The first of `fields` in conflict, when the store's version `current` of the article
    /// titled `article` is not the edit's `base`: a field whose value in the store
    /// (`theirs(field)`) is neither the edit's before nor its after. A field already as
    /// the edit makes it is no conflict.
    pub fn find<E>(
        article: &str,
        base: i64,
        current: i64,
        fields: &[MetaChange],
        mut theirs: impl FnMut(&str) -> Result<Option<String>, E>,
    ) -> Result<Option<Self>, E> {
        if current == base {
            return Ok(None);
        }
        for (field, before, after) in fields {
            let value = theirs(field)?;
            if value != *after && value != *before {
                return Ok(Some(Self {
                    article: article.to_owned(),
                    field: (*field).to_owned(),
                    ours: after.clone().unwrap_or_default(),
                    theirs: value.unwrap_or_default(),
                    base,
                    current,
                }));
            }
        }
        Ok(None)
    }
}

impl From<PgError> for ContractError {
    fn from(error: PgError) -> Self {
        match error {
            PgError::Conflict(conflict) => Self::Conflict(conflict),
            PgError::Invalid(why) => Self::Invalid(why),
            other => Self::Pg(other),
        }
    }
}

impl ContractError {
    /// Whether the store could not be reached (try again later), as opposed to a refusal
    /// of what was asked.
    pub fn is_connection_lost(&self) -> bool {
        matches!(self, Self::Pg(e) if e.is_connection_lost())
    }
}

/// What every store a team shares does, by global keys.
pub trait SharedStore {
    /// The label schema, in order.
    fn shared_labels(&mut self) -> Result<LabelSchema, ContractError>;
    /// Adds the labels the store lacks (by name; the store's own definitions win);
    /// returns how many it added.
    fn add_missing_labels(&mut self, labels: &LabelSchema) -> Result<u64, ContractError>;
    /// How many articles the store holds.
    fn shared_article_count(&mut self) -> Result<u64, ContractError>;
    /// Up to `limit` articles whose content hash comes after `after`, in hash order
    /// (empty only at the end; an article that cannot be read is left out and recorded).
    fn articles_after(
        &mut self,
        after: &str,
        limit: usize,
    ) -> Result<Vec<TeamArticle>, ContractError>;
    /// [`Self::articles_after`] with every annotation of those articles
    /// ([`Self::annotations_of`]), read together where the store can.
    fn page_after(
        &mut self,
        after: &str,
        limit: usize,
    ) -> Result<(Vec<TeamArticle>, Vec<TeamAnnotation>), ContractError> {
        let articles = self.articles_after(after, limit)?;
        let hashes: Vec<String> = articles.iter().map(|a| a.uid.clone()).collect();
        let annotations = self.annotations_of(&hashes)?;
        Ok((articles, annotations))
    }
    /// The articles of some content hashes (those the store holds), in hash order.
    fn articles_by_hash(&mut self, hashes: &[String]) -> Result<Vec<TeamArticle>, ContractError>;
    /// Which of some content hashes the store holds an article of, in hash order.
    fn known_articles(&mut self, hashes: &[String]) -> Result<Vec<String>, ContractError>;
    /// Every annotation of some articles, deleted ones as deletions, links by uid.
    fn annotations_of(&mut self, hashes: &[String]) -> Result<Vec<TeamAnnotation>, ContractError>;
    /// The annotations of some uids (those the store knows, deleted ones as deletions).
    fn annotations_by_uid(&mut self, uids: &[String])
    -> Result<Vec<TeamAnnotation>, ContractError>;
    /// The annotation with this uid as the store holds it (a deleted one has `deleted`).
    fn shared_annotation(&mut self, uid: &str) -> Result<Option<TeamAnnotation>, ContractError> {
        Ok(self
            .annotations_by_uid(&[uid.to_owned()])?
            .into_iter()
            .next())
    }
    /// Adds what the store lacks of a batch: the articles it does not hold, the live
    /// annotations whose uid it does not know, and each deletion to the live annotation it
    /// names unless that changed after the deletion. What it has stays as it is, so a batch
    /// added twice changes nothing the second time, and a batch cut short is completed by
    /// adding it again. Every annotation's article must be in the batch or the store, or
    /// nothing is added. PostgreSQL adds a batch in one transaction; SQLite in two, the
    /// articles and then the annotations.
    fn add_missing(
        &mut self,
        articles: &[TeamArticle],
        annotations: &[TeamAnnotation],
    ) -> Result<PushCounts, ContractError>;
    /// Stores `a` by its uid (new, or replacing what the uid holds); storing what is there
    /// already changes nothing. Returns whether it changed.
    fn put_annotation(&mut self, a: &TeamAnnotation) -> Result<bool, ContractError>;
    /// Deletes the annotation `uid` at `at`, keeping the deletion; returns whether it
    /// changed (false for an unknown or already deleted uid).
    fn delete_by_uid(&mut self, uid: &str, at: &str) -> Result<bool, ContractError>;
    /// Changes an article's metadata fields if the store's version of them is still
    /// `base`; returns the new version. When the store moved on, a field whose value there
    /// is neither the edit's nor what the edit started from is a
    /// [`ContractError::Conflict`] and nothing changes; a field already as the edit has it
    /// is no conflict.
    fn edit_article_meta(
        &mut self,
        hash: &str,
        base: i64,
        fields: &[MetaChange],
    ) -> Result<i64, ContractError>;
}

impl SharedStore for PgStore {
    fn shared_labels(&mut self) -> Result<LabelSchema, ContractError> {
        Ok(self.labels()?)
    }

    fn add_missing_labels(&mut self, labels: &LabelSchema) -> Result<u64, ContractError> {
        Ok(self.push_labels(labels)?)
    }

    fn shared_article_count(&mut self) -> Result<u64, ContractError> {
        Ok(u64::try_from(self.article_count()?).unwrap_or(0))
    }

    fn articles_after(
        &mut self,
        after: &str,
        limit: usize,
    ) -> Result<Vec<TeamArticle>, ContractError> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        Ok(PgStore::articles_after(self, after, limit)?)
    }

    fn articles_by_hash(&mut self, hashes: &[String]) -> Result<Vec<TeamArticle>, ContractError> {
        Ok(self.articles_by_uid(hashes)?)
    }

    fn known_articles(&mut self, hashes: &[String]) -> Result<Vec<String>, ContractError> {
        Ok(self.known_article_uids(hashes)?)
    }

    fn annotations_of(&mut self, hashes: &[String]) -> Result<Vec<TeamAnnotation>, ContractError> {
        Ok(PgStore::annotations_of(self, hashes)?)
    }

    fn annotations_by_uid(
        &mut self,
        uids: &[String],
    ) -> Result<Vec<TeamAnnotation>, ContractError> {
        Ok(PgStore::annotations_by_uid(self, uids)?)
    }

    fn add_missing(
        &mut self,
        articles: &[TeamArticle],
        annotations: &[TeamAnnotation],
    ) -> Result<PushCounts, ContractError> {
        Ok(PgStore::add_missing(self, articles, annotations)?)
    }

    fn put_annotation(&mut self, a: &TeamAnnotation) -> Result<bool, ContractError> {
        Ok(self.send_annotation(a)?)
    }

    fn delete_by_uid(&mut self, uid: &str, at: &str) -> Result<bool, ContractError> {
        Ok(self.send_deletion(uid, at)?)
    }

    fn edit_article_meta(
        &mut self,
        hash: &str,
        base: i64,
        fields: &[MetaChange],
    ) -> Result<i64, ContractError> {
        Ok(self.send_article_meta(hash, base, fields)?)
    }
}

impl SharedStore for Store {
    fn shared_labels(&mut self) -> Result<LabelSchema, ContractError> {
        Ok(self.labels()?)
    }

    fn add_missing_labels(&mut self, labels: &LabelSchema) -> Result<u64, ContractError> {
        let known = self.labels()?;
        let mut added = 0;
        for label in &labels.labels {
            if known.find(&label.name).is_none() && self.add_label(label)? {
                added += 1;
            }
        }
        Ok(added)
    }

    fn shared_article_count(&mut self) -> Result<u64, ContractError> {
        Ok(self.article_count()?)
    }

    fn articles_after(
        &mut self,
        after: &str,
        limit: usize,
    ) -> Result<Vec<TeamArticle>, ContractError> {
        Ok(self.page_from(after, limit, false)?.0)
    }

    fn articles_by_hash(&mut self, hashes: &[String]) -> Result<Vec<TeamArticle>, ContractError> {
        let mut sorted: Vec<&String> = hashes.iter().collect();
        sorted.sort_unstable();
        sorted.dedup();
        let mut ids = Vec::new();
        for hash in sorted {
            if let Some(id) = self.article_by_hash(hash)? {
                ids.push((id, hash.clone()));
            }
        }
        Ok(self.read_page(&ids, false)?.0)
    }

    fn known_articles(&mut self, hashes: &[String]) -> Result<Vec<String>, ContractError> {
        let mut known = Vec::new();
        for hash in hashes {
            if self.article_by_hash(hash)?.is_some() {
                known.push(hash.clone());
            }
        }
        known.sort_unstable();
        known.dedup();
        Ok(known)
    }

    fn page_after(
        &mut self,
        after: &str,
        limit: usize,
    ) -> Result<(Vec<TeamArticle>, Vec<TeamAnnotation>), ContractError> {
        self.page_from(after, limit, true)
    }

    fn annotations_of(&mut self, hashes: &[String]) -> Result<Vec<TeamAnnotation>, ContractError> {
        let mut ids = Vec::new();
        for hash in hashes {
            if let Some(id) = self.article_by_hash(hash)? {
                ids.push((id, hash.clone()));
            }
        }
        Ok(self.read_page(&ids, true)?.1)
    }

    fn annotations_by_uid(
        &mut self,
        uids: &[String],
    ) -> Result<Vec<TeamAnnotation>, ContractError> {
        let mut out = Vec::new();
        for uid in uids {
            if let Some(a) = self.annotation_by_uid(uid)? {
                let article_uid = self.article_hash(a.article_id)?.unwrap_or_default();
                let mut row = team_row(&a, article_uid, false);
                row.attrs = self.links_as_uids(&a.attrs, &HashMap::new())?;
                out.push(row);
            } else if let Some(tombstone) = self.tombstone_of(uid)? {
                let article_uid = self.article_hash(tombstone.article_id)?.unwrap_or_default();
                out.push(deletion(tombstone, article_uid)?);
            }
        }
        out.sort_by(|a, b| a.uid.cmp(&b.uid));
        out.dedup_by(|a, b| a.uid == b.uid);
        Ok(out)
    }

    fn add_missing(
        &mut self,
        articles: &[TeamArticle],
        annotations: &[TeamAnnotation],
    ) -> Result<PushCounts, ContractError> {
        let mut counts = PushCounts::default();
        // Every annotation's article is in the batch or here, before anything is written.
        let in_batch: std::collections::HashSet<&str> =
            articles.iter().map(|a| a.uid.as_str()).collect();
        for a in annotations {
            if !in_batch.contains(a.article_uid.as_str())
                && self.article_by_hash(&a.article_uid)?.is_none()
            {
                return Err(ContractError::NoSuchArticle {
                    uid: a.uid.clone(),
                    article: a.article_uid.clone(),
                });
            }
        }
        let mut new = Vec::new();
        let mut versions = Vec::new();
        for a in articles {
            if self.article_by_hash(&a.uid)?.is_none() {
                new.push(new_article(a)?);
                versions.push((a.uid.as_str(), a.version));
            }
        }
        for outcome in self.insert_articles(&new)? {
            if matches!(outcome, super::InsertOutcome::Inserted(..)) {
                counts.articles += 1;
            }
        }
        for (hash, version) in versions {
            if version != 0
                && let Some(id) = self.article_by_hash(hash)?
            {
                self.set_team_article_version(id, version)?;
            }
        }
        let mut ids: HashMap<&str, ArticleId> = HashMap::new();
        for a in annotations {
            if !ids.contains_key(a.article_uid.as_str()) {
                let id = self.article_by_hash(&a.article_uid)?.ok_or_else(|| {
                    ContractError::NoSuchArticle {
                        uid: a.uid.clone(),
                        article: a.article_uid.clone(),
                    }
                })?;
                ids.insert(&a.article_uid, id);
            }
        }
        let tx = self.bundle_tx()?;
        let mut linked = Vec::new();
        for a in annotations {
            let article_id = ids[a.article_uid.as_str()];
            let local = tx.annotation_by_uid(&a.uid)?;
            if a.deleted {
                match &local {
                    Some(l) if l.updated_at.as_str() <= a.updated_at.as_str() => {
                        counts.deletions += 1;
                    }
                    Some(_) => continue,
                    None if tx.tombstone(&a.uid)?.is_some() => continue,
                    None => {}
                }
                let tombstone = Tombstone {
                    uid: a.uid.clone(),
                    coder: a.coder.clone(),
                    article_id,
                    deleted_at: a.updated_at.clone(),
                };
                tx.bury(local.as_ref(), &tombstone)?;
                tx.queue(article_id)?;
                continue;
            }
            if local.is_some() || tx.tombstone(&a.uid)?.is_some() {
                continue;
            }
            let version = a.to_annotation(article_id);
            let id = tx.insert(&version, false)?;
            counts.annotations += 1;
            tx.queue(article_id)?;
            if LINKS.iter().any(|k| version.attrs.contains_key(*k)) {
                linked.push((id, version));
            }
        }
        tx.relink(linked)?;
        tx.commit()?;
        Ok(counts)
    }

    fn put_annotation(&mut self, a: &TeamAnnotation) -> Result<bool, ContractError> {
        let article_id =
            self.article_by_hash(&a.article_uid)?
                .ok_or_else(|| ContractError::NoSuchArticle {
                    uid: a.uid.clone(),
                    article: a.article_uid.clone(),
                })?;
        if a.deleted {
            return self.delete_by_uid(&a.uid, &a.updated_at);
        }
        let mut version = a.to_annotation(article_id);
        let tx = self.bundle_tx()?;
        tx.links_by_local_id(&mut version.attrs)?;
        let changed = match tx.annotation_by_uid(&a.uid)? {
            Some(local) if same_version(&local, &version) => false,
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

    fn edit_article_meta(
        &mut self,
        hash: &str,
        base: i64,
        fields: &[MetaChange],
    ) -> Result<i64, ContractError> {
        let no_article = || ContractError::NoArticle {
            hash: hash.to_owned(),
        };
        let id = self.article_by_hash(hash)?.ok_or_else(no_article)?;
        let article = self.article(id)?.ok_or_else(no_article)?;
        let current = self.team_article_version(id)?.unwrap_or(0);
        let mut meta = ArticleMeta {
            id,
            title: article.title.clone(),
            published: article.published,
            url: article.url.clone(),
            source: article.source.clone(),
        };
        if let Some(conflict) =
            MetaConflict::find(&article.title, base, current, fields, |field| {
                meta_field(&meta, field)
            })?
        {
            return Err(ContractError::Conflict(conflict));
        }
        let mut changed = false;
        for (field, _, after) in fields {
            let theirs = meta_field(&meta, field)?;
            if theirs != *after {
                set_meta_field(&mut meta, field, after.as_deref())?;
                changed = true;
            }
        }
        if !changed {
            return Ok(current);
        }
        self.update_article_meta(&meta)?;
        self.set_team_article_version(id, current + 1)?;
        Ok(current + 1)
    }
}

impl Store {
    /// The first page of articles after `after` that holds a readable one (a page whose
    /// every row was unreadable is not the end), with their annotations if asked.
    fn page_from(
        &self,
        after: &str,
        limit: usize,
        annotations: bool,
    ) -> Result<(Vec<TeamArticle>, Vec<TeamAnnotation>), ContractError> {
        let mut after = after.to_owned();
        loop {
            let ids = self.article_ids_after_hash(&after, limit.max(1))?;
            let Some((_, last)) = ids.last() else {
                return Ok((Vec::new(), Vec::new()));
            };
            after.clone_from(last);
            let page = self.read_page(&ids, annotations)?;
            if !page.0.is_empty() {
                return Ok(page);
            }
        }
    }

    /// Some articles (by id, with their hashes) as a team store holds them, each read once,
    /// and, if asked, their annotations (links by uid) and deletions, sorted by uid. The
    /// metadata versions and the deletions of the page come in one query each.
    fn read_page(
        &self,
        ids: &[(ArticleId, String)],
        with_annotations: bool,
    ) -> Result<(Vec<TeamArticle>, Vec<TeamAnnotation>), ContractError> {
        let just_ids: Vec<ArticleId> = ids.iter().map(|(id, _)| *id).collect();
        let versions = self.team_article_versions(&just_ids)?;
        let mut tombstones: HashMap<ArticleId, Vec<Tombstone>> = HashMap::new();
        if with_annotations {
            for t in self.tombstones_in(&just_ids)? {
                tombstones.entry(t.article_id).or_default().push(t);
            }
        }
        let mut articles = Vec::with_capacity(ids.len());
        let mut annotations = Vec::new();
        for (id, hash) in ids {
            let Some((article, stored)) = self.readable_article(*id)? else {
                continue;
            };
            if with_annotations {
                let uids: HashMap<i64, String> =
                    stored.iter().map(|a| (a.id.0, a.uid.clone())).collect();
                for a in &stored {
                    let mut row = team_row(a, hash.clone(), false);
                    row.attrs = self.links_as_uids(&a.attrs, &uids)?;
                    annotations.push(row);
                }
                for t in tombstones.remove(id).unwrap_or_default() {
                    annotations.push(deletion(t, hash.clone())?);
                }
            }
            let version = versions.get(id).copied().unwrap_or(0);
            articles.push(team_article(article, version));
        }
        annotations.sort_by(|a, b| a.uid.cmp(&b.uid));
        Ok((articles, annotations))
    }

    /// The attributes with each link naming its target's uid instead of this store's id
    /// (`known` holds the uids of the article's own annotations; others are looked up).
    fn links_as_uids(
        &self,
        attrs: &AnnotationAttrs,
        known: &HashMap<i64, String>,
    ) -> Result<AnnotationAttrs, ContractError> {
        crate::model::links_with_uids(attrs, |id| match known.get(&id) {
            Some(uid) => Ok(Some(uid.clone())),
            None => self.uid_of(AnnotationId(id)).map_err(ContractError::from),
        })
    }
}

/// An article as a team store holds it, with its metadata version.
fn team_article(article: Article, version: i64) -> TeamArticle {
    TeamArticle {
        uid: article.content_sha256,
        title: article.title,
        text: article.text,
        published: article.published.as_ref().map(ToString::to_string),
        url: article.url,
        source: article.source,
        origin_path: article.origin_path,
        origin_format: article.origin_format,
        imported_at: article.imported_at,
        version,
    }
}

/// An annotation of this store as the team holds it (links as this store has them).
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

/// A deletion as the team holds it: SQLite keeps only its uid, layer, article and time.
fn deletion(tombstone: Tombstone, article_uid: String) -> Result<TeamAnnotation, ContractError> {
    Ok(TeamAnnotation {
        uid: tombstone.uid,
        article_uid,
        coder: tombstone.coder,
        label: String::new(),
        span: CharSpan::ordered(0, 1)
            .map_err(|e| StoreError::Corrupt(format!("a deletion cannot be shown: {e}")))?,
        text: String::new(),
        attrs: AnnotationAttrs::new(),
        status: AnnotationStatus::Rejected,
        annotator: String::new(),
        created_at: String::new(),
        updated_at: tombstone.deleted_at,
        deleted: true,
    })
}

/// Whether a stored annotation already is `version` (links resolved to local ids).
fn same_version(local: &Annotation, version: &Annotation) -> bool {
    local.label == version.label
        && local.span == version.span
        && local.text == version.text
        && local.attrs == version.attrs
        && local.status == version.status
        && local.annotator == version.annotator
        && local.coder == version.coder
        && local.created_at == version.created_at
        && local.updated_at == version.updated_at
}

/// A team article as the SQLite store takes it (its text as it is, so its hash stays).
fn new_article(a: &TeamArticle) -> Result<NewArticle, ContractError> {
    Ok(NewArticle {
        requested_id: None,
        title: a.title.clone(),
        text: a.text.clone(),
        published: parse_date(a.published.as_deref())?,
        url: a.url.clone(),
        source: a.source.clone(),
        origin_path: a.origin_path.clone(),
        origin_format: a.origin_format.clone(),
        annotations: Vec::new(),
    })
}

fn parse_date(value: Option<&str>) -> Result<Option<crate::model::PartialDate>, ContractError> {
    value
        .map(|p| {
            p.parse()
                .map_err(|e| ContractError::Invalid(format!("publication date {p:?}: {e}")))
        })
        .transpose()
}

/// A metadata field's value as text (the form edits carry).
fn meta_field(meta: &ArticleMeta, field: &str) -> Result<Option<String>, ContractError> {
    Ok(match field {
        "title" => Some(meta.title.clone()),
        "published" => meta.published.as_ref().map(ToString::to_string),
        "url" => meta.url.clone(),
        "source" => meta.source.clone(),
        other => {
            return Err(ContractError::Invalid(format!(
                "no article field {other:?}"
            )));
        }
    })
}

fn set_meta_field(
    meta: &mut ArticleMeta,
    field: &str,
    value: Option<&str>,
) -> Result<(), ContractError> {
    match field {
        "title" => meta.title = value.unwrap_or_default().to_owned(),
        "published" => meta.published = parse_date(value)?,
        "url" => meta.url = value.map(str::to_owned),
        "source" => meta.source = value.map(str::to_owned),
        other => {
            return Err(ContractError::Invalid(format!(
                "no article field {other:?}"
            )));
        }
    }
    Ok(())
}

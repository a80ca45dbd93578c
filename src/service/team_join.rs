//! A desktop's local replica of a team archive (`team join`): the server's articles,
//! labels and every layer copied into this archive's SQLite store and index, then caught
//! up from the server's change log (only what changed since the last sequence applied).
//! The server wins: a replica holds what the server holds. The server's data is read
//! through the store contract ([`SharedStore`]); its change log is its own.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};

use super::team::TeamError;
use super::team_send::TEAM_URL_KEY;
use super::{Archive, ArchiveReader};
use crate::model::{Annotation, ArticleId, NewArticle, attrs::LINKS};
use crate::store::{PgStore, PgTarget, SharedStore, TeamAnnotation, TeamArticle, Tombstone};

/// The `meta` key naming the server a replica copies.
const SERVER_KEY: &str = "team_server";
/// The `meta` key holding the last change log sequence number applied.
const SEQ_KEY: &str = "team_seq";
/// Articles per page of the first copy.
const PAGE_ARTICLES: usize = 500;
/// Changes per page of a catch-up.
const PAGE_CHANGES: i64 = 5000;

/// What a catch-up did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncReport {
    /// The server (without the password).
    pub server: String,
    /// Whether this was the replica's first copy.
    pub first: bool,
    /// Articles added to the replica.
    pub articles: u64,
    /// Annotations added or changed.
    pub annotations: u64,
    /// Annotations deleted.
    pub deleted: u64,
    /// Articles whose metadata the server changed.
    pub metadata: u64,
    /// The change log's sequence number the replica is at now.
    pub seq: i64,
}

impl std::fmt::Display for SyncReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {}: {} articles added, {} annotations added or changed, {} deleted; at change {}",
            if self.first {
                "copied"
            } else {
                "caught up with"
            },
            self.server,
            self.articles,
            self.annotations,
            self.deleted,
            self.seq
        )?;
        if self.metadata > 0 {
            write!(
                f,
                "; metadata of {} changed",
                plural_articles(self.metadata)
            )?;
        }
        Ok(())
    }
}

impl Archive {
    /// Makes this archive the replica of the team archive at `target` (an empty archive, or
    /// one already its replica) and catches it up: everything the first time, then only
    /// what the change log says changed. `progress(done, total)` as it goes; `cancel`
    /// between pages (what was applied stays, and the next catch-up goes on from there).
    /// The index follows before it returns.
    pub fn sync_from_team(
        &mut self,
        target: &PgTarget,
        cancel: &AtomicBool,
        progress: impl FnMut(u64, u64),
    ) -> Result<SyncReport, TeamError> {
        let report = self.reader.pull_from_team(target, cancel, progress)?;
        self.sync_index()?;
        Ok(report)
    }
}

impl ArchiveReader {
    /// The server this archive is the replica of, if it is one.
    pub fn team_server(&self) -> Result<Option<String>, TeamError> {
        Ok(self.store.meta_value(SERVER_KEY)?)
    }

    /// Whether this replica holds its first copy of the server already (a folder made
    /// the replica of a server by [`Self::become_replica`] and not yet copied is not).
    pub fn team_copied(&self) -> Result<bool, TeamError> {
        Ok(self.store.meta_value(SEQ_KEY)?.is_some())
    }

    /// Makes this archive the replica of the team archive at `target` without copying
    /// anything yet (an empty archive, or one already its replica); the first
    /// [`Self::pull_from_team`] copies it (the app's pull loop, as a job with progress).
    pub fn become_replica(&mut self, target: &PgTarget) -> Result<String, TeamError> {
        let server = target.server();
        match self.team_server()? {
            Some(known) if known != server => {
                return Err(TeamError::OtherServer {
                    known,
                    asked: server,
                });
            }
            Some(_) => {}
            None if self.store.article_count()? > 0 => {
                return Err(TeamError::NotAReplica { server });
            }
            None => self.store.set_meta_value(SERVER_KEY, &server)?,
        }
        // The login edits are sent as, without its password.
        self.store
            .set_meta_value(TEAM_URL_KEY, &target.without_password())?;
        Ok(server)
    }

    /// [`Archive::sync_from_team`]'s SQLite part: the changed articles are queued for the
    /// index, which the archive's writer catches up (a pull loop beside the app's writer,
    /// or beside a CLI command that holds it, uses this).
    pub fn pull_from_team(
        &mut self,
        target: &PgTarget,
        cancel: &AtomicBool,
        mut progress: impl FnMut(u64, u64),
    ) -> Result<SyncReport, TeamError> {
        let server = self.become_replica(target)?;
        let mut team = PgStore::open(target)?;
        let head = team.head()?;
        let from: i64 = self
            .store
            .meta_value(SEQ_KEY)?
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let mut report = SyncReport {
            server,
            first: from == 0,
            seq: from,
            ..SyncReport::default()
        };
        self.sync_labels(&mut team)?;
        if from == 0 {
            let total = team.shared_article_count()?;
            let mut after = String::new();
            progress(0, total);
            loop {
                check_cancel(cancel)?;
                let (page, annotations) = team.page_after(&after, PAGE_ARTICLES)?;
                let Some(last) = page.last() else { break };
                after = last.uid.clone();
                self.apply(&page, &annotations, &mut report)?;
                progress(report.articles, total);
            }
        } else {
            let total = u64::try_from(head - from).unwrap_or(0);
            let mut at = from;
            progress(0, total);
            while at < head {
                check_cancel(cancel)?;
                let changes = team.changes(at, head, PAGE_CHANGES)?;
                let Some(last) = changes.last() else { break };
                at = last.0;
                let keys = |tbl: &str| -> Vec<String> {
                    let mut keys: Vec<String> = changes
                        .iter()
                        .filter(|c| c.1 == tbl)
                        .map(|c| c.2.clone())
                        .collect();
                    keys.sort_unstable();
                    keys.dedup();
                    keys
                };
                let articles = team.articles_by_hash(&keys("articles"))?;
                let annotations = SharedStore::annotations_by_uid(&mut team, &keys("annotations"))?;
                self.apply(&articles, &annotations, &mut report)?;
                progress(u64::try_from(at - from).unwrap_or(0), total);
            }
        }
        report.seq = head;
        self.store.set_meta_value(SEQ_KEY, &head.to_string())?;
        Ok(report)
    }

    /// Adds the server's labels this replica lacks (before any annotation uses one).
    fn sync_labels(&mut self, team: &mut dyn SharedStore) -> Result<(), TeamError> {
        let known = self.store.labels()?;
        for label in team.shared_labels()?.labels {
            if !known.labels.iter().any(|l| l.name == label.name) {
                self.store.add_label(&label)?;
            }
        }
        Ok(())
    }

    /// Stores the articles the replica lacks, then the annotations as the server holds them
    /// (links from uids to this replica's ids), in one transaction, queued for the index.
    fn apply(
        &mut self,
        articles: &[TeamArticle],
        annotations: &[TeamAnnotation],
        report: &mut SyncReport,
    ) -> Result<(), TeamError> {
        let mut new: Vec<NewArticle> = Vec::new();
        for a in articles {
            match self.store.article_by_hash(&a.uid)? {
                // This desktop's metadata edit wins until the server has taken (or
                // refused) it.
                Some(id) if !self.store.article_edit_waiting(&a.uid)? => {
                    if self.store.apply_server_meta(&meta_of(id, a), a.version)? {
                        report.metadata += 1;
                    }
                }
                Some(_) => {}
                None => new.push(new_article(a)),
            }
        }
        for outcome in self.store.insert_articles(&new)? {
            if matches!(outcome, crate::store::InsertOutcome::Inserted(..)) {
                report.articles += 1;
            }
        }
        for a in articles {
            if let Some(id) = self.store.article_by_hash(&a.uid)?
                && self.store.team_article_version(id)?.is_none()
            {
                self.store.set_team_article_version(id, a.version)?;
            }
        }
        let mut ids: HashMap<&str, ArticleId> = HashMap::new();
        for a in annotations {
            if let Some(id) = self.store.article_by_hash(&a.article_uid)? {
                ids.insert(&a.article_uid, id);
            }
        }
        let tx = self.store.bundle_tx()?;
        tx.from_server()?;
        let mut linked = Vec::new();
        for a in annotations {
            let Some(&article_id) = ids.get(a.article_uid.as_str()) else {
                continue;
            };
            if tx.waiting_to_send(&a.uid)? {
                // This desktop's newer edit wins until the server has it.
                continue;
            }
            let local = tx.annotation_by_uid(&a.uid)?;
            if a.deleted {
                if local.is_some() || tx.tombstone(&a.uid)?.is_none() {
                    let tombstone = Tombstone {
                        uid: a.uid.clone(),
                        coder: a.coder.clone(),
                        article_id,
                        deleted_at: a.updated_at.clone(),
                    };
                    tx.bury(local.as_ref(), &tombstone)?;
                    report.deleted += u64::from(local.is_some());
                    tx.queue(article_id)?;
                }
                continue;
            }
            let version = a.to_annotation(article_id);
            let id = match &local {
                Some(l) if same(l, &version) => continue,
                Some(l) => {
                    tx.replace(l.id, &version)?;
                    l.id
                }
                None => tx.insert(&version, tx.tombstone(&a.uid)?.is_some())?,
            };
            report.annotations += 1;
            tx.queue(article_id)?;
            if LINKS.iter().any(|k| version.attrs.contains_key(*k)) {
                linked.push((id, version));
            }
        }
        tx.relink(linked)?;
        tx.commit()?;
        Ok(())
    }
}

fn plural_articles(n: u64) -> String {
    crate::model::plural(
        usize::try_from(n).unwrap_or(usize::MAX),
        "article",
        "articles",
    )
}

fn check_cancel(cancel: &AtomicBool) -> Result<(), TeamError> {
    if cancel.load(Ordering::Relaxed) {
        return Err(TeamError::SyncCancelled);
    }
    Ok(())
}

/// A server article's metadata for the replica's article `id`.
fn meta_of(id: ArticleId, a: &TeamArticle) -> crate::model::ArticleMeta {
    crate::model::ArticleMeta {
        id,
        title: a.title.clone(),
        published: a.published.as_deref().and_then(|p| p.parse().ok()),
        url: a.url.clone(),
        source: a.source.clone(),
    }
}

/// A server article as the store takes it (its text as it is, so its hash stays).
fn new_article(a: &TeamArticle) -> NewArticle {
    NewArticle {
        requested_id: None,
        title: a.title.clone(),
        text: a.text.clone(),
        published: a.published.as_deref().and_then(|p| p.parse().ok()),
        url: a.url.clone(),
        source: a.source.clone(),
        origin_path: a.origin_path.clone(),
        origin_format: a.origin_format.clone(),
        annotations: Vec::new(),
    }
}

/// Whether the replica's annotation already reads as the server's (links aside).
fn same(local: &Annotation, server: &Annotation) -> bool {
    local.label == server.label
        && local.span == server.span
        && local.status == server.status
        && local.updated_at == server.updated_at
        && local.annotator == server.annotator
}

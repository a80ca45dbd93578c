//! A team replica's outbox: the edits made on this desktop that the server has not yet
//! committed, in order (triggers of schema 9 queue every annotation change in the same
//! transaction as the change itself; article metadata edits are queued here with the
//! version they were based on), and what the sender needs to read to send one.

use rusqlite::{OptionalExtension, params};

use super::bundles::Tombstone;
use super::rows::{ANNOTATION_COLUMNS, raw_annotation};
use super::{Result, Store, StoreError};
use crate::model::{Annotation, AnnotationId, ArticleId};

/// What an outbox entry sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutboxKind {
    /// An annotation (its uid): sent as it is locally when sent, or as deleted.
    Annotation,
    /// An article's metadata edit (its content hash), with the version it was based on.
    Article,
}

impl OutboxKind {
    fn parse(name: &str) -> Result<Self> {
        match name {
            "annotation" => Ok(Self::Annotation),
            "article" => Ok(Self::Article),
            other => Err(StoreError::Corrupt(format!(
                "an outbox entry of unknown kind {other:?}"
            ))),
        }
    }
}

/// One edit waiting to be sent (or refused by the server).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxEntry {
    /// Its place in the order of edits.
    pub seq: i64,
    /// What it sends.
    pub kind: OutboxKind,
    /// The annotation's uid, or the article's content hash.
    pub uid: String,
    /// For a metadata edit: the server version it was based on.
    pub base_version: Option<i64>,
    /// For a metadata edit: the fields as JSON (`{"field": [before, after]}`).
    pub payload: Option<String>,
    /// When it was queued, RFC 3339 UTC.
    pub queued_at: String,
    /// The server's reason, when it refused the edit.
    pub refused: Option<String>,
}

/// How many edits wait and how many the server refused.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OutboxCounts {
    /// Edits not yet committed by the server.
    pub waiting: u64,
    /// Edits the server refused (kept, shown, never resent on their own).
    pub refused: u64,
}

const ENTRY_COLUMNS: &str = "seq, kind, uid, base_version, payload, queued_at, refused";

fn entry_of(r: &rusqlite::Row<'_>) -> rusqlite::Result<(OutboxEntry, String)> {
    let kind: String = r.get(1)?;
    Ok((
        OutboxEntry {
            seq: r.get(0)?,
            kind: OutboxKind::Annotation,
            uid: r.get(2)?,
            base_version: r.get(3)?,
            payload: r.get(4)?,
            queued_at: r.get(5)?,
            refused: r.get(6)?,
        },
        kind,
    ))
}

impl Store {
    /// Counts of the outbox.
    pub fn outbox_counts(&self) -> Result<OutboxCounts> {
        let (waiting, refused): (i64, i64) = self.conn.query_row(
            "SELECT count(*) FILTER (WHERE refused IS NULL), count(*) FILTER (WHERE refused IS NOT NULL) FROM outbox",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok(OutboxCounts {
            waiting: u64::try_from(waiting).unwrap_or(0),
            refused: u64::try_from(refused).unwrap_or(0),
        })
    }

    /// Up to `limit` waiting entries in order (refused ones are left out).
    pub fn outbox_waiting(&self, limit: usize) -> Result<Vec<OutboxEntry>> {
        self.outbox_entries("refused IS NULL", limit)
    }

    /// Up to `limit` refused entries in order.
    pub fn outbox_refused(&self, limit: usize) -> Result<Vec<OutboxEntry>> {
        self.outbox_entries("refused IS NOT NULL", limit)
    }

    fn outbox_entries(&self, filter: &str, limit: usize) -> Result<Vec<OutboxEntry>> {
        let sql =
            format!("SELECT {ENTRY_COLUMNS} FROM outbox WHERE {filter} ORDER BY seq LIMIT ?1");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map([super::to_i64(limit)], entry_of)?;
        let mut out = Vec::new();
        for row in rows {
            let (mut entry, kind) = row?;
            entry.kind = OutboxKind::parse(&kind)?;
            out.push(entry);
        }
        Ok(out)
    }

    /// Removes a sent entry and every earlier waiting entry of the same annotation (the
    /// annotation was sent as it is now, which covers them).
    pub fn outbox_sent(&mut self, entry: &OutboxEntry) -> Result<()> {
        self.conn
            .prepare_cached(
                "DELETE FROM outbox WHERE seq = ?1
                 OR (kind = 'annotation' AND ?2 = 'annotation' AND uid = ?3 AND seq < ?1 AND refused IS NULL)",
            )?
            .execute(params![
                entry.seq,
                match entry.kind {
                    OutboxKind::Annotation => "annotation",
                    OutboxKind::Article => "article",
                },
                entry.uid
            ])?;
        Ok(())
    }

    /// Keeps a refused entry with the server's reason (out of the queue, still shown).
    pub fn outbox_refuse(&mut self, seq: i64, reason: &str) -> Result<()> {
        self.conn
            .prepare_cached("UPDATE outbox SET refused = ?2 WHERE seq = ?1")?
            .execute(params![seq, reason])?;
        Ok(())
    }

    /// Forgets the refused entries (once a person has seen them); returns how many.
    pub fn outbox_forget_refused(&mut self) -> Result<u64> {
        let n = self
            .conn
            .execute("DELETE FROM outbox WHERE refused IS NOT NULL", [])?;
        Ok(n as u64)
    }

    /// Queues an article metadata edit: `fields` (JSON) based on the server's `version`.
    pub fn outbox_queue_article(&mut self, hash: &str, version: i64, fields: &str) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO outbox (kind, uid, base_version, payload) VALUES ('article', ?1, ?2, ?3)",
            )?
            .execute(params![hash, version, fields])?;
        Ok(())
    }

    /// The annotation with this uid.
    pub fn annotation_by_uid(&self, uid: &str) -> Result<Option<Annotation>> {
        let sql = format!("SELECT {ANNOTATION_COLUMNS} FROM annotations WHERE uid = ?1");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query([uid])?;
        match rows.next()? {
            Some(row) => raw_annotation(row)?.into_annotation().map(Some),
            None => Ok(None),
        }
    }

    /// The tombstone of this uid.
    pub fn tombstone_of(&self, uid: &str) -> Result<Option<Tombstone>> {
        Ok(self
            .conn
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

    /// The uid of the annotation with this id (for links).
    pub fn uid_of(&self, id: AnnotationId) -> Result<Option<String>> {
        Ok(self
            .conn
            .prepare_cached("SELECT uid FROM annotations WHERE id = ?1")?
            .query_row([id.0], |r| r.get(0))
            .optional()?)
    }

    /// The content hash of an article.
    pub fn article_hash(&self, id: ArticleId) -> Result<Option<String>> {
        Ok(self
            .conn
            .prepare_cached("SELECT content_sha256 FROM articles WHERE id = ?1")?
            .query_row([id.0], |r| r.get(0))
            .optional()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AnnotationStatus, CharSpan, NewAnnotation, NewArticle};

    fn store_with_article() -> (tempfile::TempDir, Store, ArticleId) {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("a.sqlite3")).unwrap();
        let article = NewArticle {
            requested_id: None,
            title: "T".to_owned(),
            text: "Tiny said".to_owned(),
            published: None,
            url: None,
            source: None,
            origin_path: None,
            origin_format: "text".to_owned(),
            annotations: Vec::new(),
        };
        store.insert_articles(&[article]).unwrap();
        let id = store
            .article_by_hash(&crate::model::content_sha256("Tiny said"))
            .unwrap();
        (dir, store, id.unwrap())
    }

    fn span() -> NewAnnotation {
        NewAnnotation {
            requested_id: None,
            label: "PER".to_owned(),
            span: CharSpan::ordered(0, 4).unwrap(),
            expected_text: None,
            attrs: crate::model::AnnotationAttrs::new(),
            status: AnnotationStatus::Suggested,
            annotator: "ana".to_owned(),
            coder: "ana".to_owned(),
        }
    }

    #[test]
    fn only_a_replica_queues_its_edits_and_not_the_servers_own() {
        let (_dir, mut store, article) = store_with_article();
        let a = store
            .insert_annotation(article, &span(), "Tiny said")
            .unwrap();
        assert_eq!(store.outbox_counts().unwrap(), OutboxCounts::default());

        store.set_meta_value("team_server", "h:1/d").unwrap();
        let b = store
            .insert_annotation(article, &span(), "Tiny said")
            .unwrap();
        store
            .set_statuses(&[a.id], AnnotationStatus::Accepted)
            .unwrap();
        store.delete_annotation(b.id).unwrap();
        let waiting = store.outbox_waiting(10).unwrap();
        let uids: Vec<&str> = waiting.iter().map(|e| e.uid.as_str()).collect();
        assert_eq!(uids, [b.uid.as_str(), a.uid.as_str(), b.uid.as_str()]);
        assert!(store.annotation_by_uid(&b.uid).unwrap().is_none());
        assert_eq!(store.tombstone_of(&b.uid).unwrap().unwrap().coder, "ana");

        // What the server's copy writes is not queued again.
        let tx = store.bundle_tx().unwrap();
        tx.from_server().unwrap();
        let mut copy = a.clone();
        copy.label = "ORG".to_owned();
        tx.replace(a.id, &copy).unwrap();
        tx.commit().unwrap();
        assert_eq!(store.outbox_counts().unwrap().waiting, 3);
        assert_eq!(store.meta_value("team_applying").unwrap(), None);

        // Sending the last entry of b covers the first; a refusal stays, counted apart.
        store.outbox_sent(&waiting[2]).unwrap();
        store.outbox_refuse(waiting[1].seq, "no").unwrap();
        assert_eq!(
            store.outbox_counts().unwrap(),
            OutboxCounts {
                waiting: 0,
                refused: 1
            }
        );
        assert_eq!(
            store.outbox_refused(10).unwrap()[0].refused.as_deref(),
            Some("no")
        );
    }
}

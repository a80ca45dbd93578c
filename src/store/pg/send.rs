//! What a replica sends to the team archive: one annotation as its desktop holds it (an
//! upsert by global uid that changes nothing when the server has it already, so a replayed
//! send is a no-op), a deletion as a mark, and waiting for the change log's notifications.

use std::time::Duration;

use fallible_iterator::FallibleIterator;
use postgres::types::ToSql;

use super::{PgError, PgStore, TeamAnnotation};
use crate::store::{MetaChange, MetaConflict};

/// The channel the change log's trigger notifies on every change.
const CHANGES_CHANNEL: &str = "annalist_changes";

impl PgStore {
    /// Writes one annotation as this login (the server's row-level security decides),
    /// in its own transaction; returns whether the server's row changed.
    pub fn send_annotation(&mut self, a: &TeamAnnotation) -> Result<bool, PgError> {
        let user = self.target.user().to_owned();
        let start = i32::try_from(a.span.start()).unwrap_or(i32::MAX);
        let end = i32::try_from(a.span.end()).unwrap_or(i32::MAX);
        let attrs = serde_json::Value::Object(a.attrs.clone());
        let params: [&(dyn ToSql + Sync); 13] = [
            &a.uid,
            &a.article_uid,
            &a.coder,
            &a.label,
            &start,
            &end,
            &a.text,
            &attrs,
            &a.status.as_str(),
            &a.annotator,
            &a.created_at,
            &a.updated_at,
            &a.deleted,
        ];
        let changed = self
            .client
            .execute(
                "INSERT INTO annalist.annotations AS old (uid, article_uid, coder, label, start_cp,
                     end_cp, text, attrs, status, annotator, created_at, updated_at, deleted)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
                 ON CONFLICT (uid) DO UPDATE SET coder = EXCLUDED.coder, label = EXCLUDED.label,
                     start_cp = EXCLUDED.start_cp, end_cp = EXCLUDED.end_cp, text = EXCLUDED.text,
                     attrs = EXCLUDED.attrs, status = EXCLUDED.status,
                     annotator = EXCLUDED.annotator, updated_at = EXCLUDED.updated_at,
                     deleted = EXCLUDED.deleted
                 WHERE (old.coder, old.label, old.start_cp, old.end_cp, old.text, old.attrs,
                        old.status, old.annotator, old.updated_at, old.deleted)
                     IS DISTINCT FROM
                       (EXCLUDED.coder, EXCLUDED.label, EXCLUDED.start_cp, EXCLUDED.end_cp,
                        EXCLUDED.text, EXCLUDED.attrs, EXCLUDED.status, EXCLUDED.annotator,
                        EXCLUDED.updated_at, EXCLUDED.deleted)",
                &params,
            )
            .map_err(|e| PgError::of_statement(e, &user))?;
        Ok(changed > 0)
    }

    /// Marks the annotation `uid` deleted at `at` (nothing when the server never had it or
    /// has it deleted already); returns whether the server's row changed.
    pub fn send_deletion(&mut self, uid: &str, at: &str) -> Result<bool, PgError> {
        let user = self.target.user().to_owned();
        let changed = self
            .client
            .execute(
                "UPDATE annalist.annotations SET deleted = true, updated_at = $2
                 WHERE uid = $1 AND NOT deleted",
                &[&uid, &at],
            )
            .map_err(|e| PgError::of_statement(e, &user))?;
        Ok(changed > 0)
    }

    /// Changes an article's metadata fields (`(column, before, after)`, columns among
    /// title, published, url, source) if the server's version is still `base`, in one
    /// transaction; returns the new version. When the server moved on, each field whose
    /// server value is neither ours nor what we started from is a [`PgError::Conflict`];
    /// a field already as ours is no conflict.
    pub fn send_article_meta(
        &mut self,
        uid: &str,
        base: i64,
        fields: &[MetaChange],
    ) -> Result<i64, PgError> {
        let user = self.target.user().to_owned();
        let mut tx = self.client.transaction()?;
        let row = tx.query_opt(
            "SELECT title, published, url, source, version FROM annalist.articles WHERE uid = $1 FOR UPDATE",
            &[&uid],
        )?;
        let Some(row) = row else {
            return Err(PgError::Invalid(format!(
                "article {uid} is not on the server"
            )));
        };
        let server = |column: &str| -> Option<String> {
            match column {
                "title" => row.get::<_, Option<String>>(0),
                "published" => row.get(1),
                "url" => row.get(2),
                _ => row.get(3),
            }
        };
        let current: i64 = row.get(4);
        let title: String = row.get(0);
        let found = MetaConflict::find(&title, base, current, fields, |column| {
            Ok::<_, std::convert::Infallible>(server(column))
        });
        match found {
            Ok(Some(conflict)) => return Err(PgError::Conflict(conflict)),
            Ok(None) => {}
            Err(never) => match never {},
        }
        let mut version = current;
        for (column, _, after) in fields {
            // The column comes from the fixed list above, never from input.
            let sql = match *column {
                "title" => "UPDATE annalist.articles SET title = $2 WHERE uid = $1",
                "published" => "UPDATE annalist.articles SET published = $2 WHERE uid = $1",
                "url" => "UPDATE annalist.articles SET url = $2 WHERE uid = $1",
                "source" => "UPDATE annalist.articles SET source = $2 WHERE uid = $1",
                other => {
                    return Err(PgError::Invalid(format!("no article field {other:?}")));
                }
            };
            if server(column) != *after {
                tx.execute(sql, &[&uid, after])
                    .map_err(|e| PgError::of_statement(e, &user))?;
                version = current + 1;
            }
        }
        if version != current {
            tx.execute(
                "UPDATE annalist.articles SET version = $2 WHERE uid = $1",
                &[&uid, &version],
            )
            .map_err(|e| PgError::of_statement(e, &user))?;
        }
        tx.commit()?;
        Ok(version)
    }

    /// Starts listening to the change log's notifications on this connection.
    pub fn listen(&mut self) -> Result<(), PgError> {
        self.client
            .batch_execute(&format!("LISTEN {CHANGES_CHANNEL}"))?;
        Ok(())
    }

    /// Waits up to `timeout` for a notification (after [`Self::listen`]); returns how
    /// many arrived (0 when the time ran out). A lost connection is an error.
    pub fn wait_for_changes(&mut self, timeout: Duration) -> Result<usize, PgError> {
        let mut seen = 0;
        {
            let mut notifications = self.client.notifications();
            if notifications.timeout_iter(timeout).next()?.is_some() {
                seen += 1;
            }
            // Take whatever else is already there without waiting.
            let mut rest = notifications.iter();
            while rest.next()?.is_some() {
                seen += 1;
            }
        }
        if seen == 0 && self.client.is_closed() {
            return Err(PgError::Unreachable {
                target: self.target.to_string(),
                reason: "the connection was closed".to_owned(),
            });
        }
        Ok(seen)
    }
}

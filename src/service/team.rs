//! The team archive on PostgreSQL as the CLI and the app use it: `team init`, members,
//! status, and pushing a local archive up (batched, idempotent, with progress and cancel).

use std::sync::atomic::{AtomicBool, Ordering};

use super::ArchiveReader;
use crate::model::{Annotation, Article};
use crate::store::StoreError;

pub use crate::store::{
    PG_SCHEMA_VERSION, PgError, PgStore, PgTarget, PushCounts, TeamRole, TeamStatus,
};

/// Articles per pushed batch (one transaction on the server; memory follows the batch).
pub const PUSH_BATCH_ARTICLES: usize = 500;
/// Text per pushed batch, in bytes.
const PUSH_BATCH_BYTES: usize = 8 << 20;

/// Errors of the team operations.
#[derive(Debug, thiserror::Error)]
pub enum TeamError {
    /// The team store (the server) said no or could not be reached.
    #[error(transparent)]
    Pg(#[from] PgError),
    /// The local archive could not be read.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The local archive's index or lock refused (see the message).
    #[error(transparent)]
    Archive(Box<super::ArchiveError>),
    /// The archive is the replica of another team server.
    #[error(
        "this archive is the replica of the team archive at {known}, not of {asked}: join with another --archive folder"
    )]
    OtherServer {
        /// The server it copies.
        known: String,
        /// The server asked for.
        asked: String,
    },
    /// The archive holds articles of its own: it cannot become a replica.
    #[error(
        "this archive holds articles and is not a replica of {server}: join into a new --archive folder (or push this one up with `team push`)"
    )]
    NotAReplica {
        /// The server asked for.
        server: String,
    },
    /// The archive is no team replica (it has not joined a team archive).
    #[error(
        "the archive {dir} is not the replica of a team archive: join one first with `annalist --archive DIR team join URL`"
    )]
    NotJoined {
        /// The archive folder.
        dir: String,
    },
    /// A catch-up stopped on request; what was applied stays.
    #[error("catch-up cancelled (what was copied stays; the next one goes on from there)")]
    SyncCancelled,
    /// Stopped on request; what was pushed stays pushed.
    #[error(
        "cancelled after {done} of {total} articles (what was pushed stays; push again to go on)"
    )]
    Cancelled {
        /// Articles pushed.
        done: u64,
        /// Articles in the archive.
        total: u64,
    },
}

impl From<super::ArchiveError> for TeamError {
    fn from(error: super::ArchiveError) -> Self {
        Self::Archive(Box::new(error))
    }
}

/// What `team push` did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PushReport {
    /// Articles read from the local archive.
    pub articles_read: u64,
    /// What the server did not have and now has.
    pub added: PushCounts,
    /// Labels added on the server.
    pub labels_added: u64,
}

impl std::fmt::Display for PushReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "pushed {} articles: {} new articles, {} new annotations, {} new labels on the server (the rest was there already)",
            self.articles_read, self.added.articles, self.added.annotations, self.labels_added
        )
    }
}

/// Creates or migrates the team schema; returns the version found before (0: new).
pub fn team_init(target: &PgTarget) -> Result<i64, TeamError> {
    Ok(PgStore::init(target)?.1)
}

impl ArchiveReader {
    /// Pushes this archive's labels, articles and every layer's annotations to the team
    /// archive at `target`, in batches; `progress(done, total)` after each batch, `cancel`
    /// checked between batches.
    pub fn push_to_team(
        &self,
        target: &PgTarget,
        cancel: &AtomicBool,
        mut progress: impl FnMut(u64, u64),
    ) -> Result<PushReport, TeamError> {
        let mut team = PgStore::open(target)?;
        let mut report = PushReport {
            labels_added: team.push_labels(&self.store.labels()?)?,
            ..PushReport::default()
        };
        let total = self.store.article_count()?;
        progress(0, total);
        let mut batch: Vec<(Article, Vec<Annotation>)> = Vec::new();
        let mut bytes = 0;
        let mut failed: Option<TeamError> = None;
        self.store.for_each_article(None, |article, annotations| {
            bytes += article.text.len();
            batch.push((article, annotations));
            if batch.len() < PUSH_BATCH_ARTICLES && bytes < PUSH_BATCH_BYTES {
                return true;
            }
            if let Err(e) = flush(&mut team, &mut batch, &mut report, cancel, total) {
                failed = Some(e);
                return false;
            }
            bytes = 0;
            progress(report.articles_read, total);
            true
        })?;
        if let Some(e) = failed {
            return Err(e);
        }
        flush(&mut team, &mut batch, &mut report, cancel, total)?;
        progress(report.articles_read, total);
        Ok(report)
    }
}

/// Sends one batch (unless cancelled) and empties it.
fn flush(
    team: &mut PgStore,
    batch: &mut Vec<(Article, Vec<Annotation>)>,
    report: &mut PushReport,
    cancel: &AtomicBool,
    total: u64,
) -> Result<(), TeamError> {
    if cancel.load(Ordering::Relaxed) {
        return Err(TeamError::Cancelled {
            done: report.articles_read,
            total,
        });
    }
    if batch.is_empty() {
        return Ok(());
    }
    report.added += team.push_batch(batch)?;
    report.articles_read += batch.len() as u64;
    batch.clear();
    Ok(())
}

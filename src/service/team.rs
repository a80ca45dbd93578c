//! The team archive on PostgreSQL as the CLI and the app use it: `team init`, members,
//! status, and pushing a local archive up (batched, idempotent, with progress and cancel).

use std::sync::atomic::{AtomicBool, Ordering};

use super::ArchiveReader;
use crate::store::{ContractError, SharedStore, StoreError, TeamArticle};

pub use crate::store::{
    PG_SCHEMA_VERSION, PgError, PgStore, PgTarget, PushCounts, TeamRole, TeamStatus,
};

/// Articles per pushed batch at most (one transaction on the server; memory follows the
/// batch).
pub const PUSH_BATCH_ARTICLES: usize = 500;
/// Text per pushed batch, in bytes, about (the batch shrinks for long articles).
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
    /// A store refused what was asked of it through the store contract (a conflict, an
    /// annotation of an article it lacks, a value it cannot take).
    #[error(transparent)]
    Refused(ContractError),
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

impl From<ContractError> for TeamError {
    fn from(error: ContractError) -> Self {
        match error {
            ContractError::Sqlite(e) => Self::Store(e),
            ContractError::Pg(e) => Self::Pg(e),
            other => Self::Refused(other),
        }
    }
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
            "pushed {} articles: {} new articles, {} new annotations, {} new labels, {} on the server (the rest was there already)",
            self.articles_read,
            self.added.articles,
            self.added.annotations,
            self.labels_added,
            crate::model::plural(self.added.deletions, "deletion", "deletions")
        )
    }
}

/// Creates or migrates the team schema; returns the version found before (0: new).
pub fn team_init(target: &PgTarget) -> Result<i64, TeamError> {
    Ok(PgStore::init(target)?.1)
}

impl ArchiveReader {
    /// Pushes this archive's labels, articles and every layer's annotations and deletions
    /// to the team archive at `target`, in batches ([`copy_missing`]); `progress(done,
    /// total)` after each batch, `cancel` checked between batches.
    pub fn push_to_team(
        &mut self,
        target: &PgTarget,
        cancel: &AtomicBool,
        progress: impl FnMut(u64, u64),
    ) -> Result<PushReport, TeamError> {
        let mut team = PgStore::open(target)?;
        copy_missing(&mut self.store, &mut team, cancel, progress)
    }
}

/// Copies into `to` what it lacks of `from`, through the store contract: the labels, then
/// the articles in pages of content-hash order, each batch with every annotation and
/// deletion of its articles in one transaction of `to`. What `to` has already stays as it
/// is, so a copy repeated or resumed after a kill adds only what did not arrive.
/// `progress(done, total)` after each batch; `cancel` between batches (what was copied
/// stays). Memory follows one page: its size shrinks when articles are long.
pub fn copy_missing(
    from: &mut dyn SharedStore,
    to: &mut dyn SharedStore,
    cancel: &AtomicBool,
    mut progress: impl FnMut(u64, u64),
) -> Result<PushReport, TeamError> {
    let mut report = PushReport {
        labels_added: to.add_missing_labels(&from.shared_labels()?)?,
        ..PushReport::default()
    };
    let total = from.shared_article_count()?;
    progress(0, total);
    let mut after = String::new();
    // Small at first: the page grows once the articles' length is known.
    let mut limit = 50;
    loop {
        if cancel.load(Ordering::Relaxed) {
            return Err(TeamError::Cancelled {
                done: report.articles_read,
                total,
            });
        }
        let (page, annotations) = from.page_after(&after, limit)?;
        let Some(last) = page.last() else { break };
        after.clone_from(&last.uid);
        let bytes: usize = page.iter().map(|a| a.text.len()).sum();
        limit = (PUSH_BATCH_BYTES / (bytes / page.len()).max(1)).clamp(1, PUSH_BATCH_ARTICLES);
        let read = page.len() as u64;
        // The texts `to` holds already are not sent again; their annotations are.
        let hashes: Vec<String> = page.iter().map(|a| a.uid.clone()).collect();
        let mut known = to.known_articles(&hashes)?;
        // Sorted here: a server's collation need not be byte order.
        known.sort_unstable();
        let missing: Vec<TeamArticle> = page
            .into_iter()
            .filter(|a| known.binary_search(&a.uid).is_err())
            .collect();
        report.added += to.add_missing(&missing, &annotations)?;
        report.articles_read += read;
        progress(report.articles_read, total);
    }
    Ok(report)
}

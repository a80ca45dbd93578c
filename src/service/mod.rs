//! Use cases over one archive: the store (truth) plus the index (derived).
//!
//! Owns: `ArchiveReader` (a handle beside the writer: reads, searches, exports and edits of
//! what SQLite holds) and `Archive` (the one writer, holding the lock: everything a reader
//! does, and what writes the index: import, suggest, learn, sync, reindex, repair), which
//! open a folder, keep the index in step with SQLite, and run import, search, annotation
//! and export. Must not depend on egui or clap, nor print.

mod adjudication;
mod agreement;
mod agreement_csv;
mod annotating;
mod bundle_merge;
mod bundles;
mod coding;
mod demo;
mod editing;
mod event_points;
mod events;
mod export_files;
mod exporting;
mod exporting_events;
mod importing;
mod indexing;
mod labelling;
mod layers;
mod maintenance;
mod opening;
mod reports;
mod searching;
mod suggesting;
mod tagging;
mod team;
mod team_follow;
mod team_join;
mod team_send;
mod writing;

use std::path::{Path, PathBuf};

use crate::index::{IndexError, SearchIndex};
use crate::model::{AnnotationId, Article, ArticleId};
use crate::store::{ArticleSummary, Store, StoreError, StoreStats};

/// The archive schema version this build reads and writes (`annalist --version` says it).
pub use crate::store::SCHEMA_VERSION;
pub use crate::store::{OutboxCounts, OutboxEntry, OutboxKind};
/// Articles above which learning a text waits for the user to confirm.
pub use crate::suggest::CONFIRM_ABOVE_ARTICLES;
/// The labels the entity tagger learns (the app counts the coder's accepts of them).
pub use crate::suggest::tagger::TAGGER_LABELS;
pub use adjudication::{
    AdjudicatedChange, Adjudication, AdjudicationAction, AdjudicationUnit, UnitState,
};
pub use agreement::{AgreementOptions, AgreementReport, layer_of};
pub use agreement_csv::{
    AGREEMENT_CSV_HEADER, AgreementRow, agreement_rows, save_agreement_csv, write_agreement_csv,
};
pub use annotating::{AnnotatingEdge, default_annotator};
pub use bundle_merge::{BundleImportReport, LISTED_MISSING};
pub use bundles::{BUNDLE_FORMAT, BundleExportSummary, BundleProblem, MAX_BUNDLE_LINE_BYTES};
pub use coding::{AssignReport, AssignRequest, CoderWork, QueueEntry, coder_from_environment};
pub use demo::{demo_archive_dir, is_demo_archive, open_demo};
pub use editing::{Removal, manual_annotation, span_text};
pub(crate) use editing::{check_annotation, check_annotation_in};
pub use events::EventsSuggested;
pub use export_files::evidence_path;
pub use export_files::{
    ExportDestination, check_export_destination, create_export_folders, manifest_path,
};
pub use exporting::{ExportOptions, ExportSummary};
pub use importing::{DuplicateArticle, ImportProgress, ImportReport, LISTED_WARNINGS};
pub use layers::LayerView;
pub use maintenance::{BackupReport, CheckReport};
pub use opening::{LOCK_FILE, default_archive_dir, team_replica_dir};
pub use reports::ExportedTo;
pub use searching::{SearchHit, SearchPage};
pub use suggesting::{HeldBack, LearnScope, Learned, ReviewScope, SuggestReport};
pub use tagging::{TaggerStatus, TaggerTraining};
pub use team::{
    PG_SCHEMA_VERSION, PUSH_BATCH_ARTICLES, PgError, PgStore, PgTarget, PushCounts, PushReport,
    TeamError, TeamRole, TeamStatus, copy_missing, team_init,
};
pub use team_follow::{FollowRound, follow_team, is_offline};
pub use team_join::SyncReport;
pub use team_send::{OutboxState, SendReport, use_team_login};

/// Name of the database file inside an archive folder.
pub const DATABASE_FILE: &str = "annalist.sqlite3";
/// Name of the index folder inside an archive folder.
pub const INDEX_DIR: &str = "index";

/// Errors of archive use cases.
#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The index failed.
    #[error(transparent)]
    Index(#[from] IndexError),
    /// The folder exists, holds other files, and is not an archive.
    #[error("not an Annalist archive (no {DATABASE_FILE}, and the folder is not empty): {0}")]
    NotAnArchive(PathBuf),
    /// The archive's folder cannot be written (read-only media, permissions, immutable).
    #[error(
        "the archive {dir} is read-only: Annalist writes beside its database even to read it (SQLite's WAL); copy the folder somewhere writable, or make it writable"
    )]
    ReadOnly {
        /// The archive folder.
        dir: PathBuf,
        /// Why a file could not be created in it.
        source: std::io::Error,
    },
    /// The disk filled up while the search index was written; the database has the articles.
    #[error(
        "the disk holding the archive {dir} is full: the articles imported are stored in the database, but the search index could not be written; free space, then run `annalist check --repair` (or open the archive again) to index them"
    )]
    IndexDiskFull {
        /// The archive folder.
        dir: PathBuf,
        /// The index's error (not shown: the message says all a user can act on).
        index_error: IndexError,
    },
    /// Another process has the archive open for writing.
    #[error(
        "the archive {dir} is in use by process {pid}; close Annalist there first (reading commands such as search, show and export still work)"
    )]
    InUse {
        /// The archive folder.
        dir: PathBuf,
        /// The process holding it, as it wrote itself into the lock file.
        pid: String,
    },
    /// The lock file is not a plain file of the archive's own (a link, pipe, folder,
    /// device, or a file with other names): never followed, read or written.
    #[error(
        "the archive's lock file is {what}, not a plain file (an archive unpacked from a tar or copied with links can hold one); Annalist never follows, reads or writes it: remove it and try again: {path}"
    )]
    LockRefused {
        /// What it is ("a symbolic link", ...).
        what: &'static str,
        /// The lock file.
        path: PathBuf,
    },
    /// File system trouble.
    #[error("{what}: {source}: {path}")]
    Io {
        /// What was being done.
        what: &'static str,
        /// Cause.
        source: std::io::Error,
        /// Path involved.
        path: PathBuf,
    },
    /// No article with this id.
    #[error("no article with id {0}")]
    NoSuchArticle(ArticleId),
    /// No annotation with this id.
    #[error("no annotation with id {0}")]
    NoSuchAnnotation(AnnotationId),
    /// An annotation was refused; the message says why.
    #[error("annotation refused: {0}")]
    InvalidAnnotation(String),
    /// A coder's name, or what a coder asked of the queue, was refused.
    #[error("{0}")]
    InvalidCoder(String),
    /// The entity tagger could not train or read its model.
    #[error("tagger: {0}")]
    Tagger(String),
    /// A label was refused.
    #[error("label refused: {0}")]
    InvalidLabel(String),
    /// The demo articles shipped in the binary could not be read (a build defect).
    #[error("the bundled demo articles are damaged: {0}")]
    InvalidDemo(String),
    /// Article metadata was refused.
    #[error("article details refused: {0}")]
    InvalidArticle(String),
    /// Agreement cannot be measured on what was chosen; the message says why.
    #[error("agreement cannot be measured: {0}")]
    Agreement(String),
    /// A unit cannot be adjudicated as asked; the message says why.
    #[error("cannot adjudicate: {0}")]
    Adjudication(String),
    /// No event with this id.
    #[error("no event with id {0}")]
    NoSuchEvent(crate::model::EventId),
    /// An event operation was refused; the message says why.
    #[error("event refused: {0}")]
    InvalidEvent(String),
    /// Writing an export failed.
    #[error("cannot write the export: {0}")]
    Export(std::io::Error),
    /// A path was refused before anything was written (an export over files Annalist did
    /// not write, a lock file that is not a plain file); the reason says what to do.
    #[error("{reason}: {path}")]
    Refused {
        /// Why, and what to do instead.
        reason: String,
        /// The path as the user gave it (or the archive's file concerned).
        path: PathBuf,
    },
}

/// Result alias of the service layer.
pub type Result<T, E = ArchiveError> = std::result::Result<T, E>;

/// Everything `annalist stats` reports.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ArchiveStats {
    /// Archive folder.
    pub path: String,
    /// Schema version of the database.
    pub schema_version: i64,
    /// Documents in the index.
    pub indexed_docs: u64,
    /// Segments the index is made of.
    pub index_segments: usize,
    /// Size of the database file with its WAL, bytes.
    pub database_bytes: u64,
    /// Store counts.
    #[serde(flatten)]
    pub store: StoreStats,
}

/// An archive folder opened beside its writer ([`Archive::open_reader`]): its own SQLite
/// connection (reads, and the edits a person makes, which queue their articles for the
/// index) and a read-only index that follows the writer's commits after
/// [`Self::reload_index`]. What writes the index is [`Archive`]'s alone: through a reader
/// it does not compile.
///
/// ```compile_fail
/// # fn demo(reader: &mut annalist::service::ArchiveReader) {
/// // Only the writer imports, suggests, syncs or rebuilds the index.
/// reader.reindex(&mut |_, _| true);
/// # }
/// ```
///
/// ```compile_fail
/// # fn demo(reader: &mut annalist::service::ArchiveReader) {
/// reader.sync_index();
/// # }
/// ```
///
/// The same calls compile on the writer, which also reads all a reader does (it
/// dereferences to one):
///
/// ```no_run
/// # fn demo(dir: &std::path::Path) -> annalist::service::Result<()> {
/// use annalist::service::Archive;
/// let mut writer = Archive::open(dir)?;
/// writer.reindex(&mut |_, _| true)?;
/// writer.sync_index()?;
/// let reader = Archive::open_reader(dir)?;
/// assert_eq!(reader.stats()?.store.articles, writer.stats()?.store.articles);
/// # Ok(())
/// # }
/// ```
pub struct ArchiveReader {
    dir: PathBuf,
    store: Store,
    index: SearchIndex,
    notices: Vec<String>,
    /// What went wrong after the store had done its part (the index could not follow),
    /// for the caller to report once the command is done.
    warnings: Vec<String>,
    /// Set once the index failed to follow the store in this handle: the index queue keeps
    /// the articles, and the next open (or `reindex`) catches up.
    index_lagging: bool,
    /// Articles the last rebuild left out because their rows cannot be read.
    unreadable_articles: u64,
    /// Who this handle codes as, and what it shows of the layers.
    coding: layers::Coding,
}

/// An archive folder opened as its one writer ([`Archive::open`]): it holds the writer lock
/// (`annalist.lock`) and the index writer, and is also a reader (it dereferences to
/// [`ArchiveReader`]).
pub struct Archive {
    reader: ArchiveReader,
    /// The writer lock, held while this handle lives.
    lock: std::fs::File,
}

impl std::ops::Deref for Archive {
    type Target = ArchiveReader;

    fn deref(&self) -> &ArchiveReader {
        &self.reader
    }
}

impl std::ops::DerefMut for Archive {
    fn deref_mut(&mut self) -> &mut ArchiveReader {
        &mut self.reader
    }
}

impl ArchiveReader {
    // --- Reading

    /// One article.
    pub fn article(&self, id: ArticleId) -> Result<Article> {
        self.store
            .article(id)?
            .ok_or(ArchiveError::NoSuchArticle(id))
    }

    /// A page of the article list.
    pub fn list(&self, limit: usize, offset: usize) -> Result<Vec<ArticleSummary>> {
        Ok(self.store.list_articles(limit, offset)?)
    }

    /// Counts and sizes.
    pub fn stats(&self) -> Result<ArchiveStats> {
        let db = self.dir.join(DATABASE_FILE);
        let size = |p: &Path| std::fs::metadata(p).map_or(0, |m| m.len());
        let wal = self.dir.join(format!("{DATABASE_FILE}-wal"));
        Ok(ArchiveStats {
            path: self.dir.display().to_string(),
            schema_version: self.store.schema_version()?,
            indexed_docs: self.index.doc_count(),
            index_segments: self.index.segment_count(),
            database_bytes: size(&db) + size(&wal),
            store: self.store.stats()?,
        })
    }

    /// Outlets with article counts, most first.
    pub fn sources(&self) -> Result<Vec<(String, u64)>> {
        Ok(self.store.sources()?)
    }
}

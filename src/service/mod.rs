//! Use cases over one archive: the store (truth) plus the index (derived).
//!
//! Owns: `Archive`, which opens a folder, keeps the index in step with SQLite, and runs
//! import, search, annotation and export. Must not depend on egui or clap, nor print.

mod annotating;
mod demo;
mod exporting;
mod importing;
mod maintenance;
mod reports;
mod searching;
mod suggesting;

use std::path::{Path, PathBuf};

use crate::index::{IndexError, OpenState, SearchIndex};
use crate::model::{
    Annotation, AnnotationAttrs, AnnotationId, AnnotationStatus, Article, ArticleId, ArticleMeta,
    CharSpan, Edit, LabelDef, LabelSchema, LabelUsage, NewAnnotation, plural, slice_chars,
    validate_label_name,
};
use crate::store::{ArticleSummary, Store, StoreError, StoreStats};

pub use annotating::{AnnotatingEdge, default_annotator};
pub use demo::{demo_archive_dir, is_demo_archive, open_demo};
pub use exporting::{
    ExportDestination, ExportOptions, ExportSummary, check_export_destination,
    create_export_folders, manifest_path,
};
pub use importing::{DuplicateArticle, ImportProgress, ImportReport, LISTED_WARNINGS};
pub use maintenance::{BackupReport, CheckReport};
pub use reports::ExportedTo;
pub use searching::{SearchHit, SearchPage};
pub use suggesting::{HeldBack, LearnScope, Learned, ReviewScope, SuggestReport};

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
    /// A label was refused.
    #[error("label refused: {0}")]
    InvalidLabel(String),
    /// The demo articles shipped in the binary could not be read (a build defect).
    #[error("the bundled demo articles are damaged: {0}")]
    InvalidDemo(String),
    /// Article metadata was refused.
    #[error("article details refused: {0}")]
    InvalidArticle(String),
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

/// An opened archive folder.
pub struct Archive {
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
    /// The writer lock (`annalist.lock`), held while this handle lives; `None` for readers.
    lock: Option<std::fs::File>,
}

impl Archive {
    /// Opens the archive in `dir`, creating it if the folder is missing or empty, and
    /// brings the index up to date (rebuilding it if missing, outdated or inconsistent).
    ///
    /// One process writes an archive at a time: a second one gets [`ArchiveError::InUse`]
    /// with the first one's process id. The lock is the operating system's, so it goes with
    /// its process, even one killed with SIGKILL: a lock left by a dead process is stale and
    /// taken over (with a notice).
    pub fn open(dir: &Path) -> Result<Self> {
        let db_path = dir.join(DATABASE_FILE);
        check_archive_folder(dir, &db_path)?;
        let mut notices = Vec::new();
        let lock = lock_archive(dir, &mut notices)?;
        let store = open_store(dir, &db_path)?;
        let (index, state) = SearchIndex::open(&dir.join(INDEX_DIR))?;
        let mut archive = Self {
            dir: dir.to_owned(),
            store,
            index,
            notices,
            warnings: Vec::new(),
            index_lagging: false,
            unreadable_articles: 0,
            lock: Some(lock),
        };
        if let Some(reason) = archive.index.unusable() {
            // The database is the truth: everything but searching works without the index.
            archive.notices.push(format!(
                "the search index cannot be used ({reason}); searching is unavailable until it is rebuilt: make {} writable, then run `annalist reindex`",
                archive.dir.join(INDEX_DIR).display()
            ));
            return Ok(archive);
        }
        let consistent = archive.index.doc_count() == archive.store.article_count()?
            || archive.store.stats()?.pending_index > 0;
        let caught_up = if state != OpenState::Ready || !consistent {
            archive.reindex(&mut |_, _| true).map(|_| ())
        } else {
            archive.sync_index()
        };
        if let Some(reason) = archive.index.damage_found() {
            let outcome = if caught_up.is_ok() {
                "it was rebuilt from the database"
            } else {
                "rebuilding it failed (below)"
            };
            archive.notices.push(format!(
                "the search index was damaged ({reason}); {outcome}"
            ));
        }
        // After a crash the index can disagree with the database even once caught up (a
        // writer killed mid-merge has been seen to leave an article indexed twice): the
        // database is the truth, so rebuild what is derived.
        let caught_up = caught_up.and_then(|()| {
            if archive.index.is_writable()
                && !archive.index_lagging
                && archive.index.doc_count() + archive.unreadable_articles
                    != archive.store.article_count()?
            {
                archive.notices.push(format!(
                    "the search index held {} for {}; it was rebuilt",
                    plural(archive.index.doc_count(), "document", "documents"),
                    plural(archive.store.article_count()?, "article", "articles")
                ));
                archive.reindex(&mut |_, _| true).map(|_| ())
            } else {
                Ok(())
            }
        });
        match caught_up {
            Ok(()) => {}
            Err(ArchiveError::Index(IndexError::Busy)) => archive.notices.push(
                "another process is writing this archive's index; results may lag behind until it finishes"
                    .to_owned(),
            ),
            // The index is derived: failing to bring it up to date never refuses the
            // database. Searches see what it held; the queue keeps the rest.
            Err(ArchiveError::Index(e)) => {
                archive.notices.push(format!(
                    "the search index could not be brought up to date ({}); searches show what it held, everything else works: fix that, then run `annalist reindex`",
                    e.short_reason()
                ));
            }
            Err(e) => return Err(e),
        }
        Ok(archive)
    }

    /// Opens an archive for a second handle in the same process (the GUI's thread): reads
    /// and annotation edits go to SQLite directly; the index is read-only here and follows
    /// the writer handle's commits after [`Self::reload_index`]. Creates the archive if the
    /// folder is missing or empty.
    pub fn open_reader(dir: &Path) -> Result<Self> {
        let db_path = dir.join(DATABASE_FILE);
        check_archive_folder(dir, &db_path)?;
        let store = open_store(dir, &db_path)?;
        let (index, _) = SearchIndex::open_reader(&dir.join(INDEX_DIR))?;
        let mut notices = Vec::new();
        if let Some(reason) = index.unusable() {
            notices.push(format!(
                "the search index is damaged ({reason}); searching is unavailable here: close Annalist where it writes this archive, then run `annalist check --repair`"
            ));
        }
        Ok(Self {
            dir: dir.to_owned(),
            store,
            index,
            notices,
            warnings: Vec::new(),
            index_lagging: false,
            unreadable_articles: 0,
            lock: None,
        })
    }

    /// Picks up what the writer handle committed to the index.
    pub fn reload_index(&mut self) -> Result<()> {
        Ok(self.index.reload()?)
    }

    /// Folder of this archive.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Things the user should know about how the archive was opened.
    pub fn notices(&self) -> &[String] {
        &self.notices
    }

    /// What went wrong after the store had done its part (the search index could not
    /// follow), taken once: the caller reports it when the command is done.
    pub fn take_warnings(&mut self) -> Vec<String> {
        std::mem::take(&mut self.warnings)
    }

    /// Stored rows that lists, exports and the index skipped since the last call because
    /// they cannot be read back (table, id, column, reason), taken once.
    pub fn take_damaged_rows(&mut self) -> Vec<String> {
        self.store
            .take_damaged_rows()
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    /// Records that the index could not follow what the store now holds. The store's index
    /// queue keeps the articles, so nothing is lost: the next open catches up.
    fn index_fell_behind(&mut self, error: &IndexError) {
        self.index.discard_writer();
        if std::mem::replace(&mut self.index_lagging, true) {
            // Reported once: later failures of the same handle follow from the first.
            return;
        }
        let reason = if error.is_permission_denied() {
            format!(
                "the index folder {} cannot be written (permission denied)",
                self.index.path().display()
            )
        } else {
            error.short_reason()
        };
        let warning = format!(
            "the search index is behind the database: {reason}; what was stored is safe, and the index catches up the next time the archive is opened (or run `annalist reindex`)"
        );
        if !self.warnings.contains(&warning) {
            self.warnings.push(warning);
        }
    }

    /// Indexes every article whose SQLite state changed since the index last committed.
    /// A reader handle leaves this to the writer and returns at once. When the index
    /// cannot be written, that is a warning ([`Self::take_warnings`]), not an error: what
    /// the store holds is safe and stays queued.
    pub fn sync_index(&mut self) -> Result<()> {
        if !self.index.is_writable() || self.index_lagging {
            return Ok(());
        }
        let (pending, up_to) = self.store.pending_index()?;
        if pending.is_empty() {
            return Ok(());
        }
        match self.index_articles(&pending) {
            Ok(()) => {}
            // The folder refuses writes: nothing to rebuild, the queue waits.
            Err(ArchiveError::Index(e)) if e.is_permission_denied() || e.is_disk_full() => {
                self.index_fell_behind(&e);
                return Ok(());
            }
            // Anything else tantivy says while writing comes from its files: rebuild them.
            Err(ArchiveError::Index(e)) => {
                self.index.discard_writer();
                let damage = IndexError::Damaged {
                    reason: e.short_reason(),
                };
                if let Err(ArchiveError::Index(e)) = self.rebuild_damaged(damage) {
                    self.index_fell_behind(&e);
                }
                return Ok(());
            }
            Err(e) => return Err(e),
        }
        self.index_lagging = false;
        self.store.clear_pending_index(up_to)?;
        Ok(())
    }

    fn index_articles(&mut self, ids: &[ArticleId]) -> Result<()> {
        for &id in ids {
            match self.store.article(id) {
                Ok(Some(article)) => {
                    let annotations = self.store.annotations(id)?;
                    self.index.upsert(&article, &annotations)?;
                }
                Ok(None) => self.index.remove(id)?,
                // Left as the index had it; the warning names the row.
                Err(e) => self.store.skip_damaged(e)?,
            }
        }
        self.index.commit()?;
        Ok(())
    }

    /// Runs a read of the index; when it finds the index damaged, a writer rebuilds it
    /// from the database and reads again (a reader's error says what to do).
    fn read_index<T>(
        &mut self,
        read: impl Fn(&SearchIndex) -> crate::index::Result<T>,
    ) -> Result<T> {
        match read(&self.index) {
            Err(e @ IndexError::Damaged { .. }) => {
                self.rebuild_damaged(e)?;
                Ok(read(&self.index)?)
            }
            other => Ok(other?),
        }
    }

    /// After a search found the index damaged: a writer creates it anew and rebuilds it
    /// from the database (with a notice); a reader cannot, and the error says what to do.
    fn rebuild_damaged(&mut self, error: IndexError) -> Result<()> {
        let IndexError::Damaged { reason } = &error else {
            return Err(error.into());
        };
        if !self.index.is_writable() {
            return Err(error.into());
        }
        self.index.recreate()?;
        let rebuilt = self.reindex(&mut |_, _| true)?;
        self.warnings.push(format!(
            "the search index was damaged ({reason}); it was rebuilt from the database ({})",
            plural(rebuilt, "article", "articles")
        ));
        Ok(())
    }

    /// Rebuilds the index from SQLite. `progress(done, total)` returns `false` to cancel,
    /// which keeps the old index.
    pub fn reindex(&mut self, progress: &mut dyn FnMut(u64, u64) -> bool) -> Result<u64> {
        let total = self.store.article_count()?;
        self.index.clear()?;
        let mut done = 0u64;
        let mut failure = None;
        let mut cancelled = false;
        let index = &mut self.index;
        self.store.for_each_article(None, |article, annotations| {
            if let Err(e) = index.upsert(&article, &annotations) {
                failure = Some(e);
                return false;
            }
            done += 1;
            if done.is_multiple_of(256) || done == total {
                cancelled = !progress(done, total);
            }
            !cancelled
        })?;
        if let Some(e) = failure {
            self.index.rollback()?;
            return Err(e.into());
        }
        if cancelled {
            self.index.rollback()?;
            return Ok(done);
        }
        // Rows that cannot be read are not indexed; one notice says so (check lists them).
        let unreadable = self
            .store
            .take_damaged_rows()
            .iter()
            .filter(|row| row.table == "articles" && row.column != "annotations")
            .count();
        self.unreadable_articles = u64::try_from(unreadable).unwrap_or(u64::MAX);
        if unreadable > 0 {
            self.warnings.push(format!(
                "the search index leaves out {} that cannot be read from the database (`annalist check` lists them)",
                plural(self.unreadable_articles, "article", "articles")
            ));
        }
        self.index.commit()?;
        self.store.clear_all_pending_index()?;
        progress(done, total);
        Ok(done)
    }

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

    // --- Labels

    /// The label schema.
    pub fn labels(&self) -> Result<LabelSchema> {
        Ok(self.store.labels()?)
    }

    /// Adds a label to the schema.
    pub fn add_label(&mut self, label: &LabelDef) -> Result<()> {
        validate_label_name(&label.name).map_err(ArchiveError::InvalidLabel)?;
        check_label_color(&label.color)?;
        self.check_key_free(label)?;
        if !self.store.add_label(label)? {
            return Err(ArchiveError::InvalidLabel(format!(
                "label '{}' already exists",
                label.name
            )));
        }
        Ok(())
    }

    /// How many annotations and articles carry a label: what renaming or removing it
    /// touches, said before it happens.
    pub fn label_usage(&self, name: &str) -> Result<LabelUsage> {
        self.existing_label(name)?;
        Ok(self.store.label_usage(name)?)
    }

    /// Renames a label; every annotation with it is relabelled in the same transaction.
    /// Returns the edit (undone by renaming back).
    pub fn rename_label(&mut self, from: &str, to: &str) -> Result<Edit> {
        self.existing_label(from)?;
        validate_label_name(to).map_err(ArchiveError::InvalidLabel)?;
        if self.store.labels()?.find(to).is_some() {
            return Err(ArchiveError::InvalidLabel(format!(
                "label '{to}' already exists; choose another name"
            )));
        }
        self.store
            .rename_label(from, to)?
            .ok_or_else(|| no_such_label(from))?;
        Ok(Edit::RenameLabel {
            from: from.to_owned(),
            to: to.to_owned(),
        })
    }

    /// Changes a label's colour, key and description (found by `label.name`). Returns the
    /// edit. A key another label has is refused.
    pub fn update_label(&mut self, label: &LabelDef) -> Result<Edit> {
        let before = self.existing_label(&label.name)?;
        check_label_color(&label.color)?;
        self.check_key_free(label)?;
        if !self.store.update_label(label)? {
            return Err(no_such_label(&label.name));
        }
        Ok(Edit::UpdateLabel {
            before,
            after: label.clone(),
        })
    }

    /// Removes a label. While annotations carry it, it is refused unless
    /// `with_annotations`, which removes them too, in the same transaction. Returns the
    /// edit, which puts everything back when undone.
    pub fn remove_label(&mut self, name: &str, with_annotations: bool) -> Result<Edit> {
        self.existing_label(name)?;
        let usage = self.store.label_usage(name)?;
        if !with_annotations && usage.annotations + usage.rejected > 0 {
            return Err(ArchiveError::InvalidLabel(format!(
                "{name} is on {}; remove them with it (`--with-annotations`) or rename the label",
                usage.describe()
            )));
        }
        let removed = self
            .store
            .remove_label(name)?
            .ok_or_else(|| no_such_label(name))?;
        Ok(Edit::RemoveLabel(removed))
    }

    fn existing_label(&self, name: &str) -> Result<LabelDef> {
        let schema = self.store.labels()?;
        schema.find(name).cloned().ok_or_else(|| {
            ArchiveError::InvalidLabel(format!(
                "there is no label '{name}' (labels: {})",
                schema.names()
            ))
        })
    }

    /// Refuses a shortcut key that another label already has.
    fn check_key_free(&self, label: &LabelDef) -> Result<()> {
        let Some(key) = label.shortcut else {
            return Ok(());
        };
        let schema = self.store.labels()?;
        match schema.key_holder(key, &label.name) {
            Some(other) => Err(ArchiveError::InvalidLabel(format!(
                "key {key} already labels {}; choose another key or change {}'s first",
                other.name, other.name
            ))),
            None => Ok(()),
        }
    }

    // --- Annotations

    /// Annotations of an article.
    pub fn annotations(&self, article_id: ArticleId) -> Result<Vec<Annotation>> {
        self.article(article_id)?;
        Ok(self.store.annotations(article_id)?)
    }

    /// Validates and stores an annotation. It is durable in SQLite when this returns; the
    /// index follows at the next [`Self::sync_index`].
    pub fn add_annotation(
        &mut self,
        article_id: ArticleId,
        annotation: NewAnnotation,
    ) -> Result<Annotation> {
        let article = self.article(article_id)?;
        let schema = self.store.labels()?;
        check_annotation(&annotation, &article.text, &schema)
            .map_err(ArchiveError::InvalidAnnotation)?;
        Ok(self
            .store
            .insert_annotation(article_id, &annotation, &article.text)?)
    }

    /// Changes an article's metadata, returning the edit.
    pub fn update_article(&mut self, after: ArticleMeta) -> Result<Edit> {
        let article = self.article(after.id)?;
        let before = ArticleMeta {
            id: article.id,
            title: article.title,
            published: article.published,
            url: article.url,
            source: article.source,
        };
        if after.title.trim().is_empty() {
            return Err(ArchiveError::InvalidArticle(
                "the title cannot be empty".to_owned(),
            ));
        }
        self.store.update_article_meta(&after)?;
        Ok(Edit::UpdateArticle { before, after })
    }

    /// Applies an edit (to redo it, or its inverse to undo). Durable when it returns.
    pub fn apply_edit(&mut self, edit: &Edit) -> Result<()> {
        match edit {
            Edit::AddAnnotation(annotation) => self.store.restore_annotation(annotation)?,
            Edit::RemoveAnnotation(annotation) => {
                self.store
                    .delete_annotation(annotation.id)?
                    .ok_or(ArchiveError::NoSuchAnnotation(annotation.id))?;
            }
            Edit::UpdateAnnotation { after, .. } => {
                self.store
                    .update_annotation(after.id, &after.label, &after.attrs, after.status)?
                    .ok_or(ArchiveError::NoSuchAnnotation(after.id))?;
            }
            Edit::UpdateArticle { after, .. } => {
                if !self.store.update_article_meta(after)? {
                    return Err(ArchiveError::NoSuchArticle(after.id));
                }
            }
            Edit::Batch(edits) => {
                for edit in edits {
                    self.apply_edit(edit)?;
                }
            }
            Edit::RenameLabel { from, to } => {
                self.store
                    .rename_label(from, to)?
                    .ok_or_else(|| no_such_label(from))?;
            }
            Edit::UpdateLabel { after, .. } => {
                if !self.store.update_label(after)? {
                    return Err(no_such_label(&after.name));
                }
            }
            Edit::RemoveLabel(removed) => {
                self.store
                    .remove_label(&removed.label.name)?
                    .ok_or_else(|| no_such_label(&removed.label.name))?;
            }
            Edit::RestoreLabel(removed) => self.store.restore_label(removed)?,
        }
        Ok(())
    }

    /// Outlets with article counts, most first.
    pub fn sources(&self) -> Result<Vec<(String, u64)>> {
        Ok(self.store.sources()?)
    }

    /// Deletes an annotation. When it was an accepted span, the unreviewed suggestions it
    /// taught elsewhere go too, unless other accepted spans still back them
    /// ([`Self::unlearn`]).
    pub fn remove_annotation(&mut self, id: AnnotationId) -> Result<Removal> {
        let annotation = self
            .store
            .delete_annotation(id)?
            .ok_or(ArchiveError::NoSuchAnnotation(id))?;
        let withdrawn = if annotation.status == AnnotationStatus::Accepted {
            self.unlearn(&annotation.text)?
        } else {
            Vec::new()
        };
        Ok(Removal {
            annotation,
            withdrawn,
        })
    }
}

/// What removing an annotation did.
#[derive(Debug, Clone, PartialEq)]
pub struct Removal {
    /// The annotation, as it was.
    pub annotation: Annotation,
    /// The learned suggestions that went with it, as they were.
    pub withdrawn: Vec<Annotation>,
}

impl Removal {
    /// The change as one undoable edit, the annotation first.
    pub fn edit(&self) -> Edit {
        let removed = Edit::RemoveAnnotation(self.annotation.clone());
        if self.withdrawn.is_empty() {
            return removed;
        }
        let mut edits = vec![removed];
        edits.extend(self.withdrawn.iter().cloned().map(Edit::RemoveAnnotation));
        Edit::Batch(edits)
    }
}

fn no_such_label(name: &str) -> ArchiveError {
    ArchiveError::InvalidLabel(format!("there is no label '{name}'"))
}

fn check_label_color(color: &str) -> Result<()> {
    crate::model::validate_label_color(color).map_err(ArchiveError::InvalidLabel)
}

/// The file whose operating-system lock marks the archive's one writer.
pub const LOCK_FILE: &str = "annalist.lock";

/// Takes the archive's writer lock and writes this process's id into it. The lock file is
/// opened without following a link (`O_NOFOLLOW`) or waiting on a pipe (`O_NONBLOCK`), and
/// used only when it is a plain file with one name: anything else is refused with
/// [`ArchiveError::LockRefused`], untouched. Of what it holds only a process id is ever shown.
fn lock_archive(dir: &Path, notices: &mut Vec<String>) -> Result<std::fs::File> {
    use std::io::{Read as _, Seek as _, Write as _};
    use std::os::unix::fs::OpenOptionsExt as _;
    let path = dir.join(LOCK_FILE);
    let io = |what: &'static str| {
        let path = path.clone();
        move |source| ArchiveError::Io { what, source, path }
    };
    if let Ok(meta) = std::fs::symlink_metadata(&path) {
        refuse_odd_lock(&meta, &path)?;
    }
    let mut file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_CLOEXEC)
        .open(&path)
        .map_err(|source| match source.kind() {
            std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem => {
                ArchiveError::ReadOnly {
                    dir: dir.to_owned(),
                    source,
                }
            }
            // A link put there since the check above.
            _ if source.raw_os_error() == Some(libc::ELOOP) => ArchiveError::LockRefused {
                what: "a symbolic link",
                path: path.clone(),
            },
            _ => io("cannot open the archive lock")(source),
        })?;
    // What was opened, not what the path showed a moment before.
    let meta = file
        .metadata()
        .map_err(io("cannot open the archive lock"))?;
    refuse_odd_lock(&meta, &path)?;
    let mut bytes = Vec::with_capacity(32);
    let _ = (&mut file).take(32).read_to_end(&mut bytes);
    let holder = process_id(&bytes);
    match file.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => {
            return Err(ArchiveError::InUse {
                dir: dir.to_owned(),
                pid: holder.unwrap_or_else(|| "unknown".to_owned()),
            });
        }
        Err(std::fs::TryLockError::Error(e)) => {
            return Err(io("cannot lock the archive")(e));
        }
    }
    let me = std::process::id().to_string();
    match holder {
        Some(holder) if holder != me => notices.push(format!(
            "process {holder} did not close the archive cleanly (it was stopped or crashed); its stale lock was cleared"
        )),
        None if bytes.iter().any(|b| !b.is_ascii_whitespace()) => notices.push(
            "the archive's lock file held something other than a process id (not shown); it was cleared".to_owned(),
        ),
        _ => {}
    }
    file.set_len(0)
        .map_err(io("cannot write the archive lock"))?;
    file.rewind().map_err(io("cannot write the archive lock"))?;
    file.write_all(me.as_bytes())
        .map_err(io("cannot write the archive lock"))?;
    Ok(file)
}

/// Refuses a lock file that is not a plain file with one name: truncating a link's target
/// or a hard link's other name would destroy a file outside the archive.
fn refuse_odd_lock(meta: &std::fs::Metadata, path: &Path) -> Result<()> {
    use std::os::unix::fs::{FileTypeExt as _, MetadataExt as _};
    let kind = meta.file_type();
    let what = if kind.is_symlink() {
        "a symbolic link"
    } else if kind.is_dir() {
        "a folder"
    } else if kind.is_fifo() {
        "a named pipe (FIFO)"
    } else if kind.is_socket() {
        "a socket"
    } else if kind.is_char_device() || kind.is_block_device() {
        "a device"
    } else if meta.nlink() > 1 {
        "a file with other names too (a hard link)"
    } else {
        return Ok(());
    };
    Err(ArchiveError::LockRefused {
        what,
        path: path.to_owned(),
    })
}

/// The process id a lock file holds, if that is all it holds (digits, at most 10 of them).
fn process_id(bytes: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(bytes).ok()?.trim();
    (!text.is_empty() && text.len() <= 10 && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.to_owned())
}

impl Drop for Archive {
    fn drop(&mut self) {
        // Background merges of the index finish before the writer goes (see
        // `SearchIndex::finish_merges`); a failure only leaves more segments.
        let _ = self.index.finish_merges();
        // A clean close empties the lock file, so the next writer knows nobody crashed.
        if let Some(lock) = &self.lock {
            let _ = lock.set_len(0);
        }
    }
}

/// Opens the database; when that fails on a folder Annalist cannot write in, says so.
fn open_store(dir: &Path, db_path: &Path) -> Result<Store> {
    Store::open(db_path).map_err(|e| {
        let probe = dir.join(".annalist-write-test");
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&probe)
        {
            Ok(_) => {
                let _ = std::fs::remove_file(&probe);
                ArchiveError::from(e)
            }
            Err(source) => ArchiveError::ReadOnly {
                dir: dir.to_owned(),
                source,
            },
        }
    })
}

/// Refuses a folder that holds other things than an archive; creates a missing one.
fn check_archive_folder(dir: &Path, db_path: &Path) -> Result<()> {
    if !db_path.exists() && dir.exists() {
        let mut entries = std::fs::read_dir(dir).map_err(|source| ArchiveError::Io {
            what: "cannot read the archive folder",
            source,
            path: dir.to_owned(),
        })?;
        if entries.next().is_some() {
            return Err(ArchiveError::NotAnArchive(dir.to_owned()));
        }
    }
    std::fs::create_dir_all(dir).map_err(|source| ArchiveError::Io {
        what: "cannot create the archive folder",
        source,
        path: dir.to_owned(),
    })
}

/// Checks an annotation against the article text and the label schema.
pub(crate) fn check_annotation(
    annotation: &NewAnnotation,
    text: &str,
    schema: &LabelSchema,
) -> Result<(), String> {
    check_annotation_in(annotation, &crate::model::CharOffsets::new(text), schema)
}

/// [`check_annotation`] against a text indexed once for all of its annotations.
pub(crate) fn check_annotation_in(
    annotation: &NewAnnotation,
    text: &crate::model::CharOffsets<'_>,
    schema: &LabelSchema,
) -> Result<(), String> {
    if schema.find(&annotation.label).is_none() {
        // Only a valid name can be added: the advice must be one that works.
        validate_label_name(&annotation.label)?;
        return Err(format!(
            "label '{}' is not in the schema (labels: {}); add it with `annalist labels add`",
            annotation.label,
            schema.names()
        ));
    }
    let span =
        CharSpan::new(annotation.start, annotation.end, text.len()).map_err(|e| e.to_string())?;
    if let Some(expected) = &annotation.expected_text {
        let actual = text.slice(span.start(), span.end());
        if actual != expected {
            return Err(format!(
                "span {span} of label {} reads {actual:?} in the text, not {expected:?}",
                annotation.label
            ));
        }
    }
    Ok(())
}

/// An accepted annotation made by a person, for scripts and the CLI.
pub fn manual_annotation(
    label: &str,
    start: usize,
    end: usize,
    attrs: AnnotationAttrs,
    annotator: &str,
) -> NewAnnotation {
    NewAnnotation {
        requested_id: None,
        label: label.to_owned(),
        start,
        end,
        expected_text: None,
        attrs,
        status: AnnotationStatus::Accepted,
        annotator: annotator.to_owned(),
    }
}

/// The text an annotation would cover, for messages.
pub fn span_text(text: &str, start: usize, end: usize) -> &str {
    slice_chars(text, start, end)
}

/// The archive folder to use when none is given: `ANNALIST_ARCHIVE` is read by the CLI;
/// this is the platform data directory's `archive` folder.
pub fn default_archive_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("org", "Annalist", "annalist")
        .map(|d| d.data_dir().join("archive"))
}

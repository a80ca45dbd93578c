//! The import use case: parse files on worker threads, store in batches, index, report.

use std::ops::ControlFlow;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, mpsc};
use std::time::Duration;

use serde::Serialize;

use super::{ArchiveError, ArchiveReader, Result, check_annotation_in};
use crate::import::{self, FileOutcome, FilePart, ImportError, ImportOptions};
use crate::index::{DocParts, SpanParts};
use crate::model::{ArticleId, CharOffsets, NewArticle};
use crate::store::InsertOutcome;

/// Articles stored per SQLite transaction.
const BATCH_ARTICLES: usize = 512;
/// Text bytes stored per SQLite transaction.
const BATCH_BYTES: usize = 16 * 1024 * 1024;

/// Warnings an import report lists; later ones are only counted.
pub const LISTED_WARNINGS: usize = 10_000;

/// Progress of a running import.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportProgress {
    /// Files read so far.
    pub files_done: usize,
    /// Files to read.
    pub files_total: usize,
    /// New articles stored.
    pub imported: usize,
    /// Articles already in the archive.
    pub duplicates: usize,
    /// Files that could not be read.
    pub files_failed: usize,
    /// Bytes of the files read so far (on disk: a gzipped file counts packed), moving
    /// within a large file as it is streamed.
    pub bytes_done: u64,
    /// Bytes of all the files to read, on disk.
    pub bytes_total: u64,
}

/// Outcome of an import.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ImportReport {
    /// Files read.
    pub files: usize,
    /// New articles stored.
    pub imported: usize,
    /// Articles whose text was already stored.
    pub duplicates: usize,
    /// Annotations stored with the new articles.
    pub annotations: usize,
    /// Files that failed as a whole, with the reason.
    pub failed_files: Vec<String>,
    /// Problems inside files that were otherwise imported (skipped records, annotations),
    /// the first [`LISTED_WARNINGS`] of them.
    pub warnings: Vec<String>,
    /// Warnings past the first [`LISTED_WARNINGS`], counted but not kept (a dump of
    /// millions of bad lines must not fill memory with messages).
    pub warnings_not_listed: usize,
    /// Each duplicate: the file it came from and the stored article with the same text.
    pub duplicate_of: Vec<DuplicateArticle>,
    /// Ids of the new articles, in import order.
    #[serde(skip)]
    pub new_ids: Vec<ArticleId>,
    /// Whether the user stopped the import; what was stored before stays stored.
    pub cancelled: bool,
}

impl ImportReport {
    /// Every warning, listed or only counted.
    pub fn warning_count(&self) -> usize {
        self.warnings.len().saturating_add(self.warnings_not_listed)
    }

    /// Lists a file's warnings while fewer than [`LISTED_WARNINGS`] are, and counts the rest.
    fn add_warnings(&mut self, warnings: &[import::ImportWarning]) {
        for warning in warnings {
            if self.warnings.len() < LISTED_WARNINGS {
                self.warnings.push(warning.to_string());
            } else {
                self.warnings_not_listed += 1;
            }
        }
    }
}

/// An imported article whose text was already stored.
#[derive(Debug, Clone, Serialize)]
pub struct DuplicateArticle {
    /// File it was read from.
    pub path: String,
    /// Its title.
    pub title: String,
    /// The stored article with the same text.
    pub article_id: ArticleId,
}

impl ArchiveReader {
    /// Imports files and folders. Files are parsed on worker threads, stored in SQLite in
    /// batches (the truth), then indexed. Large line-based files (JSON Lines, CSV) are
    /// streamed in parts, so a dump of any size imports in bounded memory. A file that
    /// fails is reported and the rest goes on. `progress` is called after each file and
    /// each part of a streamed one; setting `cancel` stops after the current part,
    /// keeping what was stored.
    pub(super) fn import(
        &mut self,
        paths: &[PathBuf],
        options: &ImportOptions,
        progress: &mut dyn FnMut(&ImportProgress),
        cancel: &AtomicBool,
    ) -> Result<ImportReport> {
        self.sync_index()?;
        let (files, missing) = import::collect_files(paths);
        let mut report = ImportReport::default();
        report
            .failed_files
            .extend(missing.iter().map(ToString::to_string));
        // Sizes on disk, for progress by bytes (a file that cannot be read counts 0).
        let sizes: Vec<u64> = files
            .iter()
            .map(|path| std::fs::metadata(path).map_or(0, |meta| meta.len()))
            .collect();
        let mut state = ImportProgress {
            files_total: files.len(),
            bytes_total: sizes.iter().sum(),
            files_failed: missing.len(),
            ..ImportProgress::default()
        };
        progress(&state);

        let workers = std::thread::available_parallelism()
            .map_or(1, std::num::NonZero::get)
            .clamp(1, 4);
        let next_file = AtomicUsize::new(0);
        // Files are parsed ahead on the workers but handed over in path order (so ids are
        // reproducible): a worker waits for its file's turn before it sends a part of it.
        // With few messages in flight, memory stays bounded by a few parts of a streamed
        // file, however large the file.
        let turn = Turn::default();
        let (sender, receiver) = mpsc::sync_channel::<(usize, FileEvent)>(4);
        let mut batch = Batch::default();
        let mut failure: Option<ArchiveError> = None;
        std::thread::scope(|scope| {
            for n in 0..workers {
                let sender = sender.clone();
                let (files, next_file, turn) = (&files, &next_file, &turn);
                let spawned = std::thread::Builder::new()
                    .name(format!("annalist-import-{n}"))
                    .spawn_scoped(scope, move || {
                        parse_files(files, next_file, turn, &sender, options, cancel);
                    });
                if let Err(e) = spawned {
                    failure = Some(ArchiveError::Io {
                        what: "cannot start an import thread",
                        source: e,
                        path: PathBuf::new(),
                    });
                }
            }
            drop(sender);
            let mut intake = Intake {
                batch: &mut batch,
                report: &mut report,
                state: &mut state,
                sizes: &sizes,
                turn: &turn,
                cancel,
            };
            if failure.is_some() {
                cancel.store(true, Ordering::Relaxed);
            } else {
                failure = self.store_parsed(&receiver, &mut intake, progress).err();
            }
            // Let blocked workers finish: dropping the receiver makes their sends fail.
            drop(receiver);
        });
        if let Some(e) = failure {
            return Err(e);
        }
        self.store_batch(&mut batch, &mut report, &mut state)?;
        self.commit_imported()?;
        report.files = state.files_done + missing.len();
        report.cancelled = cancel.load(Ordering::Relaxed);
        progress(&state);
        Ok(report)
    }

    /// Receives the workers' parts and outcomes in path order and stores them in batches,
    /// until every file is done or `cancel` is set. An error storing a batch sets `cancel`
    /// (so the workers stop) and is returned.
    fn store_parsed(
        &mut self,
        receiver: &mpsc::Receiver<(usize, FileEvent)>,
        intake: &mut Intake<'_>,
        progress: &mut dyn FnMut(&ImportProgress),
    ) -> Result<()> {
        let mut finished_bytes = 0u64;
        for (i, event) in receiver {
            match event {
                FileEvent::Part(part) => {
                    intake.state.bytes_done = finished_bytes.saturating_add(part.bytes_read);
                    intake.report.add_warnings(&part.outcome.warnings);
                    intake.batch.push_file(part.outcome);
                }
                FileEvent::Done(outcome) => {
                    intake.state.files_done += 1;
                    finished_bytes =
                        finished_bytes.saturating_add(intake.sizes.get(i).copied().unwrap_or(0));
                    intake.state.bytes_done = finished_bytes;
                    match outcome {
                        Ok(file) => {
                            intake.report.add_warnings(&file.warnings);
                            intake.batch.push_file(file);
                        }
                        Err(e) => {
                            intake.state.files_failed += 1;
                            intake.report.failed_files.push(e.to_string());
                        }
                    }
                    intake.turn.advance(i + 1);
                }
            }
            if intake.batch.is_full()
                && let Err(e) = self.store_batch(intake.batch, intake.report, intake.state)
            {
                intake.cancel.store(true, Ordering::Relaxed);
                return Err(e);
            }
            progress(intake.state);
            if intake.cancel.load(Ordering::Relaxed) {
                break;
            }
        }
        Ok(())
    }

    /// Stores articles an importer already parsed (the demo articles, pasted text), as one
    /// batch, and indexes them.
    pub(super) fn import_parsed(&mut self, file: FileOutcome) -> Result<ImportReport> {
        self.sync_index()?;
        let mut report = ImportReport {
            files: 1,
            ..ImportReport::default()
        };
        report
            .warnings
            .extend(file.warnings.iter().map(ToString::to_string));
        let mut batch = Batch::default();
        batch.push_file(file);
        self.store_batch(&mut batch, &mut report, &mut ImportProgress::default())?;
        self.commit_imported()?;
        Ok(report)
    }

    /// Commits what an import indexed and clears the queue up to it. An index that cannot
    /// be written leaves the articles queued (they are stored) with a warning; a full disk
    /// is an error of its own, which says the same.
    fn commit_imported(&mut self) -> Result<()> {
        if self.index_lagging {
            return Ok(());
        }
        match self.index.commit() {
            Ok(()) => {}
            Err(source) if source.is_disk_full() => {
                return Err(ArchiveError::IndexDiskFull {
                    dir: self.dir.clone(),
                    index_error: source,
                });
            }
            Err(source) => {
                self.index_fell_behind(&source);
                return Ok(());
            }
        }
        let (_, up_to) = self.store.pending_index()?;
        self.store.clear_pending_index(up_to)?;
        Ok(())
    }

    /// The schema, extended by the labels that incoming annotations use and it lacks (a
    /// dataset's own labels): each addition is reported. Invalid names are left out, and
    /// their annotations are then skipped with a warning.
    fn labels_for(
        &mut self,
        articles: &[NewArticle],
        report: &mut ImportReport,
    ) -> Result<crate::model::LabelSchema> {
        let mut schema = self.store.labels()?;
        let mut missing: Vec<&str> = articles
            .iter()
            .flat_map(|a| a.annotations.iter().map(|n| n.label.as_str()))
            .filter(|label| schema.find(label).is_none())
            .collect();
        missing.sort_unstable();
        missing.dedup();
        for name in missing {
            if crate::model::validate_label_name(name).is_err() {
                continue;
            }
            let label = crate::model::LabelDef {
                name: name.to_owned(),
                description: "added by an import".to_owned(),
                color: crate::model::default_label_color(name),
                shortcut: None,
            };
            if self.store.add_label(&label)? {
                report
                    .warnings
                    .push(format!("added the label {name} to the archive's schema"));
                schema.labels.push(label);
            }
        }
        Ok(schema)
    }

    fn store_batch(
        &mut self,
        batch: &mut Batch,
        report: &mut ImportReport,
        state: &mut ImportProgress,
    ) -> Result<()> {
        if batch.articles.is_empty() {
            return Ok(());
        }
        let schema = self.labels_for(&batch.articles, report)?;
        for article in &mut batch.articles {
            let origin = article.origin_path.clone().unwrap_or_default();
            let title = article.title.clone();
            let text = std::mem::take(&mut article.text);
            let indexed = CharOffsets::new(&text);
            article.annotations.retain(|annotation| {
                match check_annotation_in(annotation, &indexed, &schema) {
                    Ok(()) => true,
                    Err(reason) => {
                        report.warnings.push(format!(
                            "{origin}: article {title:?}: skipped an annotation: {reason}"
                        ));
                        false
                    }
                }
            });
            article.text = text;
            for annotation in &mut article.annotations {
                self.stamp(annotation);
            }
            // A link to an annotation skipped just now would point at nothing, or at a span
            // of another article once ids are given.
            for message in article.drop_dangling_links() {
                report
                    .warnings
                    .push(format!("{origin}: article {title:?}: {message}"));
            }
        }
        let outcomes: Vec<Option<InsertOutcome>> = match self.store.insert_articles(&batch.articles)
        {
            Ok(outcomes) => outcomes.into_iter().map(Some).collect(),
            // The batch's transaction was rolled back whole. One transaction per article
            // stores what still fits and names what does not; the import goes on.
            Err(e) if e.is_disk_full() => self.insert_one_by_one(&batch.articles, report, state)?,
            Err(e) => return Err(e.into()),
        };
        for (article, outcome) in batch.articles.iter().zip(outcomes) {
            let Some(outcome) = outcome else { continue };
            match outcome {
                InsertOutcome::Inserted(id, annotations) => {
                    let offsets = CharOffsets::new(&article.text);
                    let spans: Vec<SpanParts<'_>> = article
                        .annotations
                        .iter()
                        .map(|a| SpanParts {
                            label: &a.label,
                            text: offsets.slice(a.span.start(), a.span.end()),
                            coder: &a.coder,
                            status: a.status,
                        })
                        .collect();
                    let indexed = if self.index_lagging {
                        Ok(())
                    } else {
                        self.index.upsert_parts(&DocParts {
                            article_id: id,
                            title: &article.title,
                            text: &article.text,
                            source: article.source.as_deref(),
                            published: article.published,
                            spans: &spans,
                        })
                    };
                    // The article is stored and queued: an index that cannot follow is a
                    // warning, and the next open indexes it.
                    if let Err(e) = indexed {
                        self.index_fell_behind(&e);
                    }
                    report.imported += 1;
                    report.annotations += annotations;
                    report.new_ids.push(id);
                    state.imported += 1;
                }
                InsertOutcome::Duplicate(existing) => {
                    report.duplicate_of.push(DuplicateArticle {
                        path: article.origin_path.clone().unwrap_or_default(),
                        title: article.title.clone(),
                        article_id: existing,
                    });
                    report.duplicates += 1;
                    state.duplicates += 1;
                }
            }
        }
        batch.articles.clear();
        batch.bytes = 0;
        Ok(())
    }

    /// Stores articles each in its own transaction, after a batch did not fit on the disk:
    /// `None` for each one that does not fit either, reported by file and title.
    fn insert_one_by_one(
        &mut self,
        articles: &[NewArticle],
        report: &mut ImportReport,
        state: &mut ImportProgress,
    ) -> Result<Vec<Option<InsertOutcome>>> {
        let mut outcomes = Vec::with_capacity(articles.len());
        let mut last_failed_file: Option<&str> = None;
        // Best effort: if even the checkpoint has no room, the inserts below say so.
        let _ = self.store.release_log_space();
        for article in articles {
            match self.store.insert_articles(std::slice::from_ref(article)) {
                Ok(mut one) => outcomes.push(one.pop()),
                Err(e) if e.is_disk_full() => {
                    let origin = article.origin_path.as_deref().unwrap_or("(pasted text)");
                    report.failed_files.push(format!(
                        "{origin}: article {:?} not stored: the disk holding the archive {} is full; free space and import it again",
                        article.title,
                        self.dir.display()
                    ));
                    if last_failed_file != Some(origin) {
                        state.files_failed += 1;
                        last_failed_file = Some(origin);
                    }
                    outcomes.push(None);
                    let _ = self.store.release_log_space();
                }
                Err(e) => return Err(e.into()),
            }
        }
        Ok(outcomes)
    }
}

#[derive(Default)]
struct Batch {
    articles: Vec<NewArticle>,
    bytes: usize,
}

impl Batch {
    fn push_file(&mut self, file: FileOutcome) {
        for article in file.articles {
            self.bytes += article.text.len();
            self.articles.push(article);
        }
    }

    fn is_full(&self) -> bool {
        self.articles.len() >= BATCH_ARTICLES || self.bytes >= BATCH_BYTES
    }
}

/// What the receiving side of an import holds while it stores the workers' files.
struct Intake<'a> {
    batch: &'a mut Batch,
    report: &'a mut ImportReport,
    state: &'a mut ImportProgress,
    /// Sizes on disk of the files, in path order, for progress by bytes.
    sizes: &'a [u64],
    turn: &'a Turn,
    cancel: &'a AtomicBool,
}

/// One import worker: takes the next file no worker has taken, parses it in parts and hands
/// each part, then the file's outcome, over in path order (waiting for the file's turn).
/// Stops when `cancel` is set or the receiver is gone.
fn parse_files(
    files: &[PathBuf],
    next_file: &AtomicUsize,
    turn: &Turn,
    sender: &mpsc::SyncSender<(usize, FileEvent)>,
    options: &ImportOptions,
    cancel: &AtomicBool,
) {
    // A worker that dies holding a turn would leave the others waiting.
    let _stop_on_panic = StopOnPanic(cancel);
    loop {
        if cancel.load(Ordering::Relaxed) {
            break;
        }
        let i = next_file.fetch_add(1, Ordering::Relaxed);
        let Some(path) = files.get(i) else { break };
        let mut handed_over = true;
        let outcome = import::read_file_in_parts(path, options, &mut |part| {
            let sent = turn.wait_for(i, cancel) && sender.send((i, FileEvent::Part(part))).is_ok();
            handed_over = sent;
            if sent && !cancel.load(Ordering::Relaxed) {
                ControlFlow::Continue(())
            } else {
                ControlFlow::Break(())
            }
        });
        if !handed_over
            || !turn.wait_for(i, cancel)
            || sender.send((i, FileEvent::Done(outcome))).is_err()
        {
            break;
        }
    }
}

/// What a worker sends about one file, in file order.
enum FileEvent {
    /// Records of a streamed file; more follow.
    Part(FilePart),
    /// The file is read: its (remaining) records, or why it failed.
    Done(std::result::Result<FileOutcome, ImportError>),
}

/// Whose file may be handed over now: the index of the next file in path order.
#[derive(Default)]
struct Turn {
    next: Mutex<usize>,
    changed: Condvar,
}

impl Turn {
    /// Waits until it is file `i`'s turn; `false` when the import stops first.
    fn wait_for(&self, i: usize, cancel: &AtomicBool) -> bool {
        let Ok(mut next) = self.next.lock() else {
            return false;
        };
        while *next < i {
            if cancel.load(Ordering::Relaxed) {
                return false;
            }
            match self.changed.wait_timeout(next, Duration::from_millis(50)) {
                Ok((guard, _)) => next = guard,
                Err(_) => return false,
            }
        }
        true
    }

    /// Gives the turn to file `i`.
    fn advance(&self, i: usize) {
        if let Ok(mut next) = self.next.lock() {
            *next = i;
        }
        self.changed.notify_all();
    }
}

/// Stops the import when a worker thread unwinds, so no other worker waits for its turn.
struct StopOnPanic<'a>(&'a AtomicBool);

impl Drop for StopOnPanic<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.0.store(true, Ordering::Relaxed);
        }
    }
}

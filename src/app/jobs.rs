//! Background work for the app: one named writer thread owns the archive's index writer
//! and runs imports, reindexing and index syncs; exports run on their own named threads.
//! Results come back over a channel; the UI thread never waits for them.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, Sender, SyncSender, TrySendError};

use crate::export::ExportFormat;
use crate::import::ImportOptions;
use crate::model::{ArticleId, plural};
use crate::service::{Archive, ExportOptions, LearnScope};

pub use super::state::{JobId, JobKind};

/// Messages from background threads to the UI thread.
#[derive(Debug, Clone)]
pub enum JobEvent {
    /// A job advanced.
    Progress {
        /// Job.
        id: JobId,
        /// Units done.
        done: u64,
        /// Units in all (0 when unknown).
        total: u64,
        /// One line of detail.
        message: String,
    },
    /// A job ended. `outcome` is a summary or an error message; `details` lists per-file
    /// failures and warnings.
    Finished {
        /// Job.
        id: JobId,
        /// Summary, or the error.
        outcome: Result<String, String>,
        /// Per-file problems the user can read.
        details: Vec<String>,
    },
    /// A learning job stored these suggestions (sent before its `Finished`), so undoing
    /// the acceptance that taught them can take them back.
    Learned {
        /// Job.
        id: JobId,
        /// The suggestions as stored.
        created: Vec<crate::model::Annotation>,
        /// Why learning stored nothing, when it held back.
        held_back: Option<crate::service::HeldBack>,
    },
    /// The index changed on disk: reload it and refresh views.
    IndexChanged,
    /// Stored, but the index could not follow; or rows that could not be read back.
    Warnings(Vec<String>),
    /// The writer indexed every edit up to this sync request.
    Synced(u64),
}

enum WriterRequest {
    Import {
        id: JobId,
        paths: Vec<PathBuf>,
        options: ImportOptions,
        cancel: Arc<AtomicBool>,
    },
    Reindex {
        id: JobId,
        cancel: Arc<AtomicBool>,
    },
    Sync(u64),
    Suggest {
        id: JobId,
        ids: Option<Vec<ArticleId>>,
        cancel: Arc<AtomicBool>,
    },
    Learn {
        id: JobId,
        text: String,
        scope: LearnScope,
    },
}

/// Handle on the background threads of one open archive.
pub struct Jobs {
    archive_dir: PathBuf,
    writer: Sender<WriterRequest>,
    events_tx: SyncSender<JobEvent>,
    events: Receiver<JobEvent>,
    repaint: Arc<dyn Fn() + Send + Sync>,
    next_id: JobId,
    sync_requested: u64,
}

const EVENT_QUEUE: usize = 1024;

impl Jobs {
    /// Starts the writer thread for `archive_dir`; it opens the archive (catching the index
    /// up or rebuilding it) as job `open_job`. `repaint` wakes the UI after every event.
    pub fn start(
        archive_dir: PathBuf,
        repaint: Arc<dyn Fn() + Send + Sync>,
    ) -> std::io::Result<(Self, JobId)> {
        let (events_tx, events) = mpsc::sync_channel(EVENT_QUEUE);
        let (writer, requests) = mpsc::channel();
        let open_job = 1;
        let thread_events = events_tx.clone();
        let thread_repaint = Arc::clone(&repaint);
        let dir = archive_dir.clone();
        std::thread::Builder::new()
            .name("annalist-writer".to_owned())
            .spawn(move || {
                writer_thread(&dir, open_job, &requests, &thread_events, &*thread_repaint)
            })?;
        Ok((
            Self {
                archive_dir,
                writer,
                events_tx,
                events,
                repaint,
                next_id: open_job + 1,
                sync_requested: 0,
            },
            open_job,
        ))
    }

    fn new_id(&mut self) -> JobId {
        let id = self.next_id;
        self.next_id += 1;
        id
    }

    /// Events that arrived since the last call.
    pub fn drain(&self) -> Vec<JobEvent> {
        self.events.try_iter().collect()
    }

    /// Blocks until the next event (tests only wait this way).
    pub fn wait_event(&self, timeout: std::time::Duration) -> Option<JobEvent> {
        self.events.recv_timeout(timeout).ok()
    }

    /// Queues an import; returns its id.
    pub fn import(
        &mut self,
        paths: Vec<PathBuf>,
        options: ImportOptions,
        cancel: Arc<AtomicBool>,
    ) -> JobId {
        let id = self.new_id();
        self.send(
            WriterRequest::Import {
                id,
                paths,
                options,
                cancel,
            },
            id,
        );
        id
    }

    /// Queues a suggestion run over these articles (all when `None`); returns its id.
    pub fn suggest(&mut self, ids: Option<Vec<ArticleId>>, cancel: Arc<AtomicBool>) -> JobId {
        let id = self.new_id();
        self.send(WriterRequest::Suggest { id, ids, cancel }, id);
        id
    }

    /// Queues learning from an accepted span text; returns its id.
    pub fn learn(&mut self, text: String, scope: LearnScope) -> JobId {
        let id = self.new_id();
        self.send(WriterRequest::Learn { id, text, scope }, id);
        id
    }

    /// Queues an index rebuild; returns its id.
    pub fn reindex(&mut self, cancel: Arc<AtomicBool>) -> JobId {
        let id = self.new_id();
        self.send(WriterRequest::Reindex { id, cancel }, id);
        id
    }

    /// Asks the writer to index what the UI thread stored (coalesced); returns the ticket
    /// that a later [`JobEvent::Synced`] confirms.
    pub fn sync(&mut self) -> u64 {
        self.sync_requested += 1;
        // If the writer is gone, its Finished event with the reason was already sent.
        let _ = self.writer.send(WriterRequest::Sync(self.sync_requested));
        self.sync_requested
    }

    fn send(&self, request: WriterRequest, id: JobId) {
        if self.writer.send(request).is_err() {
            let _ = self.events_tx.try_send(JobEvent::Finished {
                id,
                outcome: Err(
                    "the archive's writer thread has stopped; reopen the archive".to_owned(),
                ),
                details: Vec::new(),
            });
            (self.repaint)();
        }
    }

    /// Starts an export on its own thread, reading the archive through its own handle.
    pub fn export(
        &mut self,
        format: ExportFormat,
        path: PathBuf,
        options: ExportOptions,
        cancel: Arc<AtomicBool>,
    ) -> JobId {
        let id = self.new_id();
        let events = self.events_tx.clone();
        let repaint = Arc::clone(&self.repaint);
        let dir = self.archive_dir.clone();
        let spawned = std::thread::Builder::new()
            .name(format!("annalist-export-{id}"))
            .spawn(move || {
                let outcome = export_job(
                    &dir,
                    format,
                    &path,
                    &options,
                    &cancel,
                    &mut |done, total| {
                        progress(&events, &*repaint, id, done, total, String::new());
                    },
                );
                let _ = events.send(JobEvent::Finished {
                    id,
                    outcome,
                    details: Vec::new(),
                });
                repaint();
            });
        if let Err(e) = spawned {
            let _ = self.events_tx.try_send(JobEvent::Finished {
                id,
                outcome: Err(format!("cannot start the export thread: {e}")),
                details: Vec::new(),
            });
        }
        id
    }
}

fn progress(
    events: &SyncSender<JobEvent>,
    repaint: &dyn Fn(),
    id: JobId,
    done: u64,
    total: u64,
    message: String,
) {
    // Progress may be dropped when the UI is behind; the Finished event never is.
    match events.try_send(JobEvent::Progress {
        id,
        done,
        total,
        message,
    }) {
        Ok(()) | Err(TrySendError::Full(_) | TrySendError::Disconnected(_)) => {}
    }
    repaint();
}

fn export_job(
    dir: &std::path::Path,
    format: ExportFormat,
    path: &std::path::Path,
    options: &ExportOptions,
    cancel: &AtomicBool,
    report: &mut dyn FnMut(u64, u64),
) -> Result<String, String> {
    let mut archive = Archive::open_reader(dir).map_err(|e| format!("{e:#}"))?;
    let summary = archive
        .export_to_path(format, path, options, &mut |done, total| {
            report(done, total);
            !cancel.load(Ordering::Relaxed)
        })
        .map_err(|e| format!("{e:#}"))?;
    if summary.cancelled {
        return Err("export cancelled; nothing was written".to_owned());
    }
    Ok(format!(
        "exported {} as {format} to {}",
        summary.describe(format),
        path.display()
    ))
}

fn writer_thread(
    dir: &std::path::Path,
    open_job: JobId,
    requests: &Receiver<WriterRequest>,
    events: &SyncSender<JobEvent>,
    repaint: &dyn Fn(),
) {
    let finish = |id, outcome: Result<String, String>, details: Vec<String>| {
        let _ = events.send(JobEvent::Finished {
            id,
            outcome,
            details,
        });
        repaint();
    };
    let mut archive = match Archive::open(dir) {
        Ok(archive) => {
            let notices = archive.notices().to_vec();
            let _ = events.send(JobEvent::IndexChanged);
            finish(open_job, Ok(format!("opened {}", dir.display())), notices);
            archive
        }
        Err(e) => {
            finish(
                open_job,
                Err(format!("cannot open {}: {e:#}", dir.display())),
                Vec::new(),
            );
            return;
        }
    };
    while let Ok(first) = requests.recv() {
        // Coalesce queued syncs: one index commit serves them all.
        let mut batch = vec![first];
        batch.extend(requests.try_iter());
        let mut synced = false;
        for request in batch {
            match request {
                WriterRequest::Sync(ticket) => {
                    if !synced {
                        synced = true;
                        match archive.sync_index() {
                            Ok(()) => {
                                let _ = events.send(JobEvent::IndexChanged);
                            }
                            Err(e) => finish(
                                0,
                                Err(format!(
                                    "index update failed (it will be retried on the next open): {e:#}"
                                )),
                                Vec::new(),
                            ),
                        }
                    }
                    let _ = events.send(JobEvent::Synced(ticket));
                    repaint();
                }
                WriterRequest::Import {
                    id,
                    paths,
                    options,
                    cancel,
                } => {
                    let outcome = archive.import(
                        &paths,
                        &options,
                        &mut |p| {
                            progress(
                                events,
                                repaint,
                                id,
                                // By bytes, so a dump of gigabytes moves as it streams.
                                p.bytes_done,
                                p.bytes_total,
                                format!(
                                    "file {}/{}, {} new, {} duplicate, {} failed",
                                    p.files_done,
                                    p.files_total,
                                    p.imported,
                                    p.duplicates,
                                    p.files_failed
                                ),
                            );
                        },
                        &cancel,
                    );
                    let _ = events.send(JobEvent::IndexChanged);
                    match outcome {
                        Ok(report) => {
                            let mut details: Vec<String> = report
                                .failed_files
                                .iter()
                                .map(|f| format!("failed: {f}"))
                                .collect();
                            details.extend(report.warnings.iter().map(|w| format!("warning: {w}")));
                            if report.warnings_not_listed > 0 {
                                details.push(format!(
                                    "warning: ... and {} more, not listed",
                                    report.warnings_not_listed
                                ));
                            }
                            let summary = format!(
                                "{}{}: {} imported, {}, {} failed",
                                if report.cancelled {
                                    "cancelled after "
                                } else {
                                    ""
                                },
                                plural(report.files, "file", "files"),
                                report.imported,
                                plural(report.duplicates, "duplicate", "duplicates"),
                                report.failed_files.len()
                            );
                            finish(id, Ok(summary), details);
                        }
                        Err(e) => finish(id, Err(format!("{e:#}")), Vec::new()),
                    }
                }
                WriterRequest::Suggest { id, ids, cancel } => {
                    let outcome = archive.suggest(ids.as_deref(), &mut |done, total| {
                        progress(events, repaint, id, done, total, String::new());
                        !cancel.load(Ordering::Relaxed)
                    });
                    let _ = events.send(JobEvent::IndexChanged);
                    match outcome {
                        Ok(report) => finish(
                            id,
                            Ok(format!(
                                "{}{}: {}, {} learned from accepted spans{}",
                                if report.cancelled {
                                    "cancelled after "
                                } else {
                                    ""
                                },
                                plural(report.articles, "article", "articles"),
                                plural(report.suggested, "new suggestion", "new suggestions"),
                                report.learned,
                                // Nothing new is not nothing there: say what was known.
                                if report.already_decided > 0 {
                                    format!(
                                        "; {} already suggested or decided",
                                        report.already_decided
                                    )
                                } else {
                                    String::new()
                                }
                            )),
                            Vec::new(),
                        ),
                        Err(e) => finish(id, Err(format!("{e:#}")), Vec::new()),
                    }
                }
                WriterRequest::Learn { id, text, scope } => {
                    let outcome = archive.learn_from(&text, scope);
                    let _ = events.send(JobEvent::IndexChanged);
                    match outcome {
                        Ok(learned) => {
                            let n = learned.created.len();
                            let summary = match &learned.held_back {
                                Some(crate::service::HeldBack::TooCommon { text, .. }) => {
                                    format!(
                                        "learning \u{201c}{text}\u{201d} waits for your answer above: it occurs in more than {} articles",
                                        crate::suggest::CONFIRM_ABOVE_ARTICLES
                                    )
                                }
                                Some(held_back) => held_back.to_string(),
                                None => format!(
                                    "learned \u{201c}{text}\u{201d}: suggested in {}",
                                    plural(n, "more place", "more places")
                                ),
                            };
                            let _ = events.send(JobEvent::Learned {
                                id,
                                created: learned.created,
                                held_back: learned.held_back,
                            });
                            finish(id, Ok(summary), Vec::new());
                        }
                        Err(e) => finish(id, Err(format!("{e:#}")), Vec::new()),
                    }
                }
                WriterRequest::Reindex { id, cancel } => {
                    let outcome = archive.reindex(&mut |done, total| {
                        progress(events, repaint, id, done, total, String::new());
                        !cancel.load(Ordering::Relaxed)
                    });
                    let _ = events.send(JobEvent::IndexChanged);
                    match outcome {
                        Ok(n) if cancel.load(Ordering::Relaxed) => {
                            finish(
                                id,
                                Ok(format!(
                                    "cancelled after {}; the previous index is kept",
                                    plural(n, "article", "articles")
                                )),
                                Vec::new(),
                            );
                        }
                        Ok(n) => finish(
                            id,
                            Ok(format!("indexed {}", plural(n, "article", "articles"))),
                            Vec::new(),
                        ),
                        Err(e) => finish(id, Err(format!("{e:#}")), Vec::new()),
                    }
                }
            }
            // What the store did but the index could not follow, and rows that could not be
            // read back: the user hears of it (the CLI prints the same lines).
            let mut warnings = archive.take_warnings();
            warnings.extend(archive.take_damaged_rows());
            if !warnings.is_empty() {
                let _ = events.send(JobEvent::Warnings(warnings));
                repaint();
            }
        }
    }
}

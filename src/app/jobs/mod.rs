//! Background work for the app: one named writer thread owns the archive's index writer
//! and runs imports, reindexing and index syncs; exports run on their own named threads.
//! Results come back over a channel; the UI thread never waits for them.

mod coding;
mod event_points;
mod team;
mod writer;

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, Sender, SyncSender, TrySendError};

use crate::export::ExportFormat;
use crate::import::ImportOptions;
use crate::model::ArticleId;
use crate::service::{Archive, ExportOptions, LayerView, LearnScope};

pub use coding::QueueLoaded;

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
    /// The coder's queue, after a load or a mark.
    Queue(QueueLoaded),
    /// An agreement report (sent before its job's `Finished`); `None` when cancelled.
    Agreement {
        /// Job.
        id: JobId,
        /// The report, or why there is none.
        result: Result<Option<crate::service::AgreementReport>, String>,
    },
    /// The events of a search (sent before its job's `Finished`); `None` when cancelled.
    EventPoints {
        /// Job.
        id: JobId,
        /// The points, or why there are none.
        result: Result<Option<Vec<crate::model::EventPoint>>, String>,
    },
    /// An adjudication write is done: the article as it is now and what was done, or why
    /// it failed.
    Adjudicated(Result<(Box<crate::service::Adjudication>, String), String>),
    /// How a team replica stands ("offline, 3 edits waiting"), and whether the server's
    /// changes were copied in (the views then refresh).
    Team {
        /// The status bar's words.
        line: String,
        /// Whether articles or annotations changed.
        changed: bool,
    },
}

pub(super) enum WriterRequest {
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
    TrainTagger {
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
    CodeAs {
        coder: Option<crate::model::Coder>,
        view: LayerView,
        learn_from_everyone: bool,
    },
    Adjudicate(AdjudicationWrite),
}

/// An adjudication write the writer thread does for the adjudication view.
#[derive(Debug, Clone)]
pub struct AdjudicationWrite {
    /// The article.
    pub article_id: ArticleId,
    /// The coders compared.
    pub coders: Vec<String>,
    /// What to do.
    pub write: AdjudicationWriteKind,
}

/// What an [`AdjudicationWrite`] does.
#[derive(Debug, Clone)]
pub enum AdjudicationWriteKind {
    /// Resolve this unit (by key).
    Resolve(String, crate::service::AdjudicationAction),
    /// Take every open agreement.
    Agreements,
    /// Change an adjudicated annotation.
    Edit(
        crate::model::AnnotationId,
        crate::service::AdjudicatedChange,
    ),
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
    /// The queue thread, once started (`coding.rs`).
    queue: Option<Sender<coding::QueueRequest>>,
    /// Keeps the team pull loop (`team.rs`) running while this handle lives.
    _team_alive: Arc<()>,
    /// The job copying a team replica for the first time, when it is one.
    team_copy_job: Option<JobId>,
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
                writer::writer_thread(&dir, open_job, &requests, &thread_events, &*thread_repaint)
            })?;
        let team_alive = Arc::new(());
        // A replica not yet copied (`--archive postgres://…` the first time) is copied as
        // the job after the open.
        let team_copy_job = team::needs_first_copy(&archive_dir).then_some(open_job + 1);
        team::start(
            archive_dir.clone(),
            events_tx.clone(),
            Arc::clone(&repaint),
            Arc::downgrade(&team_alive),
            team_copy_job,
        )?;
        Ok((
            Self {
                archive_dir,
                writer,
                events_tx,
                events,
                repaint,
                next_id: open_job + 2,
                sync_requested: 0,
                queue: None,
                _team_alive: team_alive,
                team_copy_job,
            },
            open_job,
        ))
    }

    /// The job copying the team archive into a new replica, when there is one.
    pub fn team_copy_job(&self) -> Option<JobId> {
        self.team_copy_job
    }

    /// Ends job `id` with an error when its thread (named by `what`) could not start.
    pub(super) fn unless_started<T>(&self, id: JobId, what: &str, spawned: std::io::Result<T>) {
        if let Err(e) = spawned {
            let _ = self.events_tx.try_send(JobEvent::Finished {
                id,
                outcome: Err(format!("cannot start the {what} thread: {e}")),
                details: Vec::new(),
            });
        }
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

    /// Queues an adjudication write; its [`JobEvent::Adjudicated`] says how it went.
    pub fn adjudicate(&mut self, write: AdjudicationWrite) {
        self.send(WriterRequest::Adjudicate(write), 0);
    }

    /// Queues retraining the entity tagger on the writer's layer; returns its id.
    pub fn retrain_tagger(&mut self, cancel: Arc<AtomicBool>) -> JobId {
        let id = self.new_id();
        self.send(WriterRequest::TrainTagger { id, cancel }, id);
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
        self.unless_started(id, "export", spawned);
        id
    }
}

pub(super) fn progress(
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
    Ok(summary.exported_to(format, path).to_string())
}

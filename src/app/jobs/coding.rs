//! Background work of the coding team's views: one named queue thread (`annalist-queue`,
//! started on first use, with its own reader handle) that marks articles done and loads the
//! coder's queue in the order asked; the agreement report and its CSV on named threads of
//! their own; and telling the writer thread whom it codes as.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, SyncSender};

use crate::model::{ArticleId, Coder};
use crate::service::{
    AgreementOptions, AgreementReport, Archive, LayerView, QueueEntry, agreement_rows,
    save_agreement_csv,
};

use super::{JobEvent, JobId, Jobs, WriterRequest, progress};

/// A request to the queue thread.
pub(in crate::app) struct QueueRequest {
    /// Whose queue.
    coder: Coder,
    /// Mark this article done (`true`) or to do again first.
    mark: Option<(ArticleId, bool)>,
}

/// What the queue thread sends back: the queue after the request, or why it failed.
#[derive(Debug, Clone)]
pub struct QueueLoaded {
    /// Whose queue.
    pub coder: String,
    /// The mark that was asked for.
    pub mark: Option<(ArticleId, bool)>,
    /// The queue as it is now (to do first, then done), or the error.
    pub result: Result<Vec<QueueEntry>, String>,
}

impl Jobs {
    /// Tells the writer thread to code as `coder`, as the reader handle does.
    pub fn code_as(&self, coder: Option<Coder>, view: LayerView, learn_from_everyone: bool) {
        // If the writer is gone, its Finished event with the reason was already sent.
        let _ = self.writer.send(WriterRequest::CodeAs {
            coder,
            view,
            learn_from_everyone,
        });
    }

    /// Loads `coder`'s queue after marking `mark` (if any), on the queue thread; the answer
    /// comes back as [`JobEvent::Queue`]. Requests run in the order they are made.
    pub fn load_queue(&mut self, coder: Coder, mark: Option<(ArticleId, bool)>) {
        let request = QueueRequest { coder, mark };
        let request = match &self.queue {
            Some(sender) => match sender.send(request) {
                Ok(()) => return,
                Err(mpsc::SendError(request)) => request,
            },
            None => request,
        };
        let (sender, requests) = mpsc::channel();
        let events = self.events_tx.clone();
        let repaint = Arc::clone(&self.repaint);
        let dir = self.archive_dir.clone();
        let spawned = std::thread::Builder::new()
            .name("annalist-queue".to_owned())
            .spawn(move || queue_thread(&dir, &requests, &events, &*repaint));
        match spawned {
            Ok(_) => {
                let _ = sender.send(request);
                self.queue = Some(sender);
            }
            Err(e) => {
                let _ = self.events_tx.try_send(JobEvent::Queue(QueueLoaded {
                    coder: request.coder.to_string(),
                    mark: request.mark,
                    result: Err(format!("cannot start the queue thread: {e}")),
                }));
            }
        }
    }

    /// Computes the agreement report on its own thread, with progress and cancel; the report
    /// comes back as [`JobEvent::Agreement`] before the job's `Finished`.
    pub fn agreement(&mut self, options: AgreementOptions, cancel: Arc<AtomicBool>) -> JobId {
        let id = self.new_id();
        let events = self.events_tx.clone();
        let repaint = Arc::clone(&self.repaint);
        let dir = self.archive_dir.clone();
        let spawned = std::thread::Builder::new()
            .name(format!("annalist-agree-{id}"))
            .spawn(move || {
                let result = Archive::open_reader(&dir)
                    .and_then(|mut archive| {
                        archive.agreement_with_progress(&options, &mut |done, total| {
                            progress(&events, &*repaint, id, done, total, String::new());
                            !cancel.load(Ordering::Relaxed)
                        })
                    })
                    .map_err(|e| format!("{e:#}"));
                let outcome = match &result {
                    Ok(Some(report)) => Ok(format!(
                        "agreement of {} on {}",
                        report.coders.join(", "),
                        crate::model::plural(report.articles, "article", "articles")
                    )),
                    Ok(None) => Err("agreement cancelled".to_owned()),
                    Err(e) => Err(e.clone()),
                };
                let _ = events.send(JobEvent::Agreement { id, result });
                let _ = events.send(JobEvent::Finished {
                    id,
                    outcome,
                    details: Vec::new(),
                });
                repaint();
            });
        self.unless_started(id, "agreement", spawned);
        id
    }

    /// Saves the agreement CSV of `report` at `path` on its own thread, like an export.
    pub fn save_agreement_csv(&mut self, report: AgreementReport, path: PathBuf) -> JobId {
        let id = self.new_id();
        let events = self.events_tx.clone();
        let repaint = Arc::clone(&self.repaint);
        let dir = self.archive_dir.clone();
        let spawned = std::thread::Builder::new()
            .name(format!("annalist-agree-csv-{id}"))
            .spawn(move || {
                let rows = agreement_rows(&report);
                let outcome = save_agreement_csv(&dir, &rows, &path)
                    .map(|()| {
                        format!(
                            "saved the agreement report ({}) to {}",
                            crate::model::plural(rows.len(), "figure", "figures"),
                            path.display()
                        )
                    })
                    .map_err(|e| format!("{e:#}"));
                let _ = events.send(JobEvent::Finished {
                    id,
                    outcome,
                    details: Vec::new(),
                });
                repaint();
            });
        self.unless_started(id, "CSV", spawned);
        id
    }
}

/// The queue thread: its own reader handle, one request at a time.
fn queue_thread(
    dir: &std::path::Path,
    requests: &Receiver<QueueRequest>,
    events: &SyncSender<JobEvent>,
    repaint: &dyn Fn(),
) {
    let mut archive = Archive::open_reader(dir).map_err(|e| format!("{e:#}"));
    while let Ok(QueueRequest { coder, mark }) = requests.recv() {
        let result = match &mut archive {
            Ok(archive) => mark
                .map_or(Ok(()), |(article, done)| {
                    archive.mark_done(article, &coder, done).map(drop)
                })
                .and_then(|()| archive.queue(&coder))
                .map_err(|e| format!("{e:#}")),
            Err(e) => Err(format!("cannot open the archive for the queue: {e}")),
        };
        let _ = events.send(JobEvent::Queue(QueueLoaded {
            coder: coder.to_string(),
            mark,
            result,
        }));
        repaint();
    }
}

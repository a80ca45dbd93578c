//! The writer thread (`annalist-writer`): it holds the archive's writer handle, the only
//! tantivy `IndexWriter`, and runs the requests of `Jobs` one after another (imports,
//! suggestions, learning, rebuilds, index syncs), reporting each as `JobEvent`s.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, SyncSender};

use crate::import::ImportOptions;
use crate::model::{ArticleId, plural};
use crate::service::{Archive, HeldBack, ImportReport, LearnScope};

use super::{JobEvent, JobId, WriterRequest, progress};

/// The writer thread's side of the channel: where its events go.
struct Reporter<'a> {
    events: &'a SyncSender<JobEvent>,
    repaint: &'a dyn Fn(),
}

impl Reporter<'_> {
    fn send(&self, event: JobEvent) {
        let _ = self.events.send(event);
    }

    fn finish(&self, id: JobId, outcome: Result<String, String>, details: Vec<String>) {
        self.send(JobEvent::Finished {
            id,
            outcome,
            details,
        });
        (self.repaint)();
    }

    fn progress(&self, id: JobId, done: u64, total: u64, message: String) {
        progress(self.events, self.repaint, id, done, total, message);
    }
}

pub(super) fn writer_thread(
    dir: &Path,
    open_job: JobId,
    requests: &Receiver<WriterRequest>,
    events: &SyncSender<JobEvent>,
    repaint: &dyn Fn(),
) {
    let reporter = Reporter { events, repaint };
    let opened = Archive::open(dir).and_then(|mut archive| {
        // Suggestions and imports go in the same coder's layer as the reader's edits.
        archive.code_as_environment()?;
        Ok(archive)
    });
    let mut archive = match opened {
        Ok(archive) => {
            let notices = archive.notices().to_vec();
            reporter.send(JobEvent::IndexChanged);
            reporter.finish(open_job, Ok(format!("opened {}", dir.display())), notices);
            archive
        }
        Err(e) => {
            reporter.finish(
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
            run_request(&mut archive, &reporter, request, &mut synced);
            // What the store did but the index could not follow, and rows that could not be
            // read back: the user hears of it (the CLI prints the same lines).
            let mut warnings = archive.take_warnings();
            warnings.extend(archive.take_damaged_rows());
            if !warnings.is_empty() {
                reporter.send(JobEvent::Warnings(warnings));
                repaint();
            }
        }
    }
}

/// Runs one request; `synced` says whether this batch committed the index already.
fn run_request(
    archive: &mut Archive,
    reporter: &Reporter<'_>,
    request: WriterRequest,
    synced: &mut bool,
) {
    match request {
        WriterRequest::Sync(ticket) => {
            if !*synced {
                *synced = true;
                sync(archive, reporter);
            }
            reporter.send(JobEvent::Synced(ticket));
            (reporter.repaint)();
        }
        WriterRequest::Import {
            id,
            paths,
            options,
            cancel,
        } => import(archive, reporter, id, &paths, &options, &cancel),
        WriterRequest::Suggest { id, ids, cancel } => {
            suggest(archive, reporter, id, ids.as_deref(), &cancel);
        }
        WriterRequest::Learn { id, text, scope } => learn(archive, reporter, id, &text, scope),
        WriterRequest::Reindex { id, cancel } => reindex(archive, reporter, id, &cancel),
        WriterRequest::TrainTagger { id, cancel } => train_tagger(archive, reporter, id, &cancel),
        WriterRequest::CodeAs {
            coder,
            view,
            learn_from_everyone,
        } => {
            // The reader handle applied the same and reported a refusal; here it only
            // keeps suggestions and learning in the same layer.
            if let Err(e) = archive.code_as(coder, view, learn_from_everyone) {
                reporter.send(JobEvent::Warnings(vec![format!("{e:#}")]));
            }
        }
        WriterRequest::Adjudicate(write) => adjudicate(archive, reporter, write),
    }
}

/// Does an adjudication write as the coder the writer codes as, indexes it, and sends the
/// article's units as they are now.
fn adjudicate(archive: &mut Archive, reporter: &Reporter<'_>, write: super::AdjudicationWrite) {
    use super::AdjudicationWriteKind as Kind;
    let article = write.article_id;
    let done = match &write.write {
        Kind::Resolve(unit, action) => archive
            .adjudicate(article, &write.coders, unit, action)
            .map(|_| format!("unit {unit} resolved")),
        Kind::Agreements => archive
            .accept_agreements(article, &write.coders)
            .map(|n| format!("accepted {}", plural(n, "agreement", "agreements"))),
        Kind::Edit(id, change) => archive
            .edit_adjudicated(article, *id, change)
            .map(|a| format!("adjudicated span relabelled {}", a.label)),
    };
    let outcome = done
        .and_then(|message| {
            let now = archive.adjudication(article, &write.coders)?;
            Ok((Box::new(now), message))
        })
        .map_err(|e| format!("{e:#}"));
    reporter.send(JobEvent::Adjudicated(outcome));
    sync(archive, reporter);
    (reporter.repaint)();
}

fn sync(archive: &mut Archive, reporter: &Reporter<'_>) {
    match archive.sync_index() {
        Ok(()) => reporter.send(JobEvent::IndexChanged),
        Err(e) => reporter.finish(
            0,
            Err(format!(
                "index update failed (it will be retried on the next open): {e:#}"
            )),
            Vec::new(),
        ),
    }
}

fn import(
    archive: &mut Archive,
    reporter: &Reporter<'_>,
    id: JobId,
    paths: &[std::path::PathBuf],
    options: &ImportOptions,
    cancel: &AtomicBool,
) {
    let outcome = archive.import(
        paths,
        options,
        &mut |p| {
            reporter.progress(
                id,
                // By bytes, so a dump of gigabytes moves as it streams.
                p.bytes_done,
                p.bytes_total,
                format!(
                    "file {}/{}, {} new, {} duplicate, {} failed",
                    p.files_done, p.files_total, p.imported, p.duplicates, p.files_failed
                ),
            );
        },
        cancel,
    );
    reporter.send(JobEvent::IndexChanged);
    match outcome {
        Ok(report) => reporter.finish(id, Ok(report.to_string()), import_details(&report)),
        Err(e) => reporter.finish(id, Err(format!("{e:#}")), Vec::new()),
    }
}

/// The failed files and warnings of an import, as the job's details list them.
fn import_details(report: &ImportReport) -> Vec<String> {
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
    details
}

fn suggest(
    archive: &mut Archive,
    reporter: &Reporter<'_>,
    id: JobId,
    ids: Option<&[ArticleId]>,
    cancel: &AtomicBool,
) {
    let outcome = archive.suggest(ids, &mut |done, total| {
        reporter.progress(id, done, total, String::new());
        !cancel.load(Ordering::Relaxed)
    });
    reporter.send(JobEvent::IndexChanged);
    match outcome {
        Ok(report) => reporter.finish(id, Ok(report.to_string()), Vec::new()),
        Err(e) => reporter.finish(id, Err(format!("{e:#}")), Vec::new()),
    }
}

fn learn(archive: &mut Archive, reporter: &Reporter<'_>, id: JobId, text: &str, scope: LearnScope) {
    let outcome = archive.learn_from(text, scope);
    reporter.send(JobEvent::IndexChanged);
    match outcome {
        Ok(learned) => {
            let summary = match &learned.held_back {
                Some(HeldBack::TooCommon { text, .. }) => {
                    format!(
                        "learning \u{201c}{text}\u{201d} waits for your answer above: it occurs in more than {} articles",
                        crate::service::CONFIRM_ABOVE_ARTICLES
                    )
                }
                Some(held_back) => held_back.to_string(),
                None => format!(
                    "learned \u{201c}{text}\u{201d}: suggested in {}",
                    plural(learned.created.len(), "more place", "more places")
                ),
            };
            reporter.send(JobEvent::Learned {
                id,
                created: learned.created,
                held_back: learned.held_back,
            });
            reporter.finish(id, Ok(summary), Vec::new());
        }
        Err(e) => reporter.finish(id, Err(format!("{e:#}")), Vec::new()),
    }
}

fn reindex(archive: &mut Archive, reporter: &Reporter<'_>, id: JobId, cancel: &AtomicBool) {
    let outcome = archive.reindex(&mut |done, total| {
        reporter.progress(id, done, total, String::new());
        !cancel.load(Ordering::Relaxed)
    });
    reporter.send(JobEvent::IndexChanged);
    match outcome {
        Ok(n) if cancel.load(Ordering::Relaxed) => reporter.finish(
            id,
            Ok(format!(
                "cancelled after {}; the previous index is kept",
                plural(n, "article", "articles")
            )),
            Vec::new(),
        ),
        Ok(n) => reporter.finish(
            id,
            Ok(format!("indexed {}", plural(n, "article", "articles"))),
            Vec::new(),
        ),
        Err(e) => reporter.finish(id, Err(format!("{e:#}")), Vec::new()),
    }
}

/// Retrains the entity tagger on the writer's layer; the frame never waits on it.
fn train_tagger(archive: &mut Archive, reporter: &Reporter<'_>, id: JobId, cancel: &AtomicBool) {
    let outcome = archive.train_tagger(&mut |done, total| {
        reporter.progress(id, done, total, String::new());
        !cancel.load(Ordering::Relaxed)
    });
    let outcome = match outcome {
        Ok(t) if t.cancelled => Err("retraining cancelled; the model before is kept".to_owned()),
        Ok(t) => Ok(format!(
            "the tagger learned from {} in {}{}",
            plural(t.spans, "accepted span", "accepted spans"),
            plural(t.articles, "article", "articles"),
            t.held_out_f1
                .map_or_else(String::new, |f| format!(" (held-out F1 {f:.2})"))
        )),
        Err(e) => Err(format!("{e:#}")),
    };
    reporter.finish(id, outcome, Vec::new());
}

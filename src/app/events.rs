//! What the background jobs report, taken in on the UI thread: progress, outcomes, learned
//! suggestions, finished index syncs, warnings and a changed index.

use std::sync::atomic::Ordering;

use crate::model::Annotation;
use crate::service::HeldBack;

use super::AnnalistApp;
use super::jobs::{JobEvent, JobId, JobKind};
use super::state;

impl AnnalistApp {
    pub(super) fn handle_event(&mut self, event: JobEvent) {
        self.handle_job_event(event);
        self.log_status();
    }

    fn handle_job_event(&mut self, event: JobEvent) {
        match event {
            JobEvent::Progress {
                id,
                done,
                total,
                message,
            } => {
                if let Some(job) = self.state.jobs.iter_mut().find(|j| j.id == id) {
                    job.done = done;
                    job.total = total;
                    job.message = message;
                }
            }
            JobEvent::Finished {
                id,
                outcome,
                details,
            } => self.job_finished(id, outcome, details),
            JobEvent::Learned {
                id,
                created,
                held_back,
            } => self.learned(id, created, held_back),
            JobEvent::Synced(ticket) => self.sync_done = self.sync_done.max(ticket),
            JobEvent::Queue(loaded) => self.queue_loaded(loaded),
            JobEvent::Agreement { id, result } => self.agreement_computed(id, result),
            JobEvent::EventPoints { id, result } => self.event_points_built(id, result),
            JobEvent::Adjudicated(outcome) => self.adjudicated(outcome),
            JobEvent::Warnings(warnings) => self.warn(warnings),
            JobEvent::Team { line, changed } => {
                self.state.team = Some(line);
                if changed {
                    // The writer indexes what was copied in, then the views refresh.
                    self.sync_requested = self.jobs.sync();
                    self.reload_reader();
                }
            }
            JobEvent::IndexChanged => {
                if let Err(e) = self.archive.reload_index() {
                    self.state.status = Some(Err(format!("{e:#}")));
                }
                self.refresh_archive_info();
                self.rerun_search();
            }
        }
    }

    fn job_finished(&mut self, id: JobId, outcome: Result<String, String>, details: Vec<String>) {
        let cancelled = self
            .state
            .jobs
            .iter()
            .any(|j| j.id == id && j.cancel.load(Ordering::Relaxed));
        let dialog = &mut self.state.dialogs.export;
        if dialog.job == Some(id) {
            dialog.job = None;
            if let Err(e) = &outcome
                && !cancelled
            {
                // The user must fix something: the dialog comes back with the reason.
                dialog.open = true;
                dialog.message = Some(Err(e.clone()));
            }
        }
        let known = self.state.jobs.iter().any(|j| j.id == id);
        if known {
            self.log(outcome.clone(), Some(id));
        }
        if let Some(job) = self.state.jobs.iter_mut().find(|j| j.id == id) {
            let retrained = (job.kind == JobKind::RetrainTagger).then(|| outcome.is_ok());
            job.outcome = Some(outcome);
            job.details = details;
            if matches!(job.kind, JobKind::Suggest | JobKind::Learn) {
                // The open article may have new suggestions.
                self.reload_reader();
            }
            if let Some(ok) = retrained {
                self.retrained(ok);
            }
        } else if let Err(e) = outcome {
            self.state.status = Some(Err(e));
        }
    }

    /// A learning job stored suggestions: they belong to the edit that taught them (or are
    /// taken back at once if that edit was undone meanwhile).
    fn learned(&mut self, id: JobId, created: Vec<Annotation>, held_back: Option<HeldBack>) {
        let Some(serial) = self.learning.jobs.remove(&id) else {
            return;
        };
        if let Some(HeldBack::TooCommon {
            text,
            label,
            articles,
        }) = held_back
            && self.learning.done.contains(&serial)
        {
            self.state.learn_confirm = Some(state::LearnConfirm {
                text,
                label,
                articles,
                serial,
            });
        }
        if self.learning.done.contains(&serial) {
            self.learning
                .created
                .entry(serial)
                .or_default()
                .extend(created);
        } else {
            // The edit that taught them was undone while the job ran.
            let result = self.archive.withdraw_learned(&created);
            if self.report(result).is_some() {
                self.sync_requested = self.jobs.sync();
            }
        }
    }
}

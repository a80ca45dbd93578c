//! Starting background jobs from commands (import, suggest, reindex), cancelling them, and
//! the one place a job's `JobView` is made.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::import::ImportOptions;
use crate::model::Edit;
use crate::service::TAGGER_LABELS;

use super::AnnalistApp;
use super::jobs::{JobId, JobKind};
use super::state::JobView;

/// PER/ORG/LOC spans accepted in the app after which the tagger is retrained by itself.
pub(super) const RETRAIN_AFTER_ACCEPTS: usize = 25;

impl AnnalistApp {
    pub(super) fn new_job(&mut self, id: JobId, kind: JobKind, cancel: Arc<AtomicBool>) {
        self.new_job_about(id, kind, cancel, String::new());
    }

    pub(super) fn new_job_about(
        &mut self,
        id: JobId,
        kind: JobKind,
        cancel: Arc<AtomicBool>,
        subject: String,
    ) {
        self.state
            .jobs
            .push(JobView::new(id, kind, cancel, subject));
    }

    pub(super) fn start_import(&mut self, paths: Vec<PathBuf>, options: ImportOptions) {
        let cancel = Arc::new(AtomicBool::new(false));
        let id = self.jobs.import(paths, options, Arc::clone(&cancel));
        self.new_job(id, JobKind::Import, cancel);
        self.state.dialogs.import_open = false;
    }

    /// `Command::CancelJob`.
    pub(super) fn cancel_job(&mut self, id: JobId) {
        if let Some(job) = self.state.jobs.iter().find(|j| j.id == id) {
            job.cancel.store(true, Ordering::Relaxed);
        }
    }

    /// `Command::Suggest`: for the open article (nothing without one), or the whole archive.
    pub(super) fn start_suggest(&mut self, all: bool) {
        let ids = if all {
            None
        } else {
            match &self.state.reader {
                Some(reader) => Some(vec![reader.article.id]),
                None => return,
            }
        };
        let cancel = Arc::new(AtomicBool::new(false));
        let id = self.jobs.suggest(ids, Arc::clone(&cancel));
        self.new_job(id, JobKind::Suggest, cancel);
    }

    /// `Command::RetrainTagger` (unless a retraining is already under way: it reads what is
    /// accepted when it starts, so a second one would only repeat it).
    pub(super) fn start_retrain_tagger(&mut self) {
        if self.retraining() {
            self.state.status = Some(Ok("the entity tagger is being retrained already".to_owned()));
            return;
        }
        self.learning.tagger_accepts = 0;
        let cancel = Arc::new(AtomicBool::new(false));
        let id = self.jobs.retrain_tagger(Arc::clone(&cancel));
        self.new_job(id, JobKind::RetrainTagger, cancel);
    }

    /// Whether a retraining of the tagger is queued or running.
    fn retraining(&self) -> bool {
        self.state
            .jobs
            .iter()
            .any(|j| j.kind == JobKind::RetrainTagger && j.outcome.is_none())
    }

    /// Learning from the coder: every [`RETRAIN_AFTER_ACCEPTS`] PER/ORG/LOC spans accepted
    /// in the app retrain the tagger in the background (the open article's suggestions are
    /// then refreshed: `retrained`).
    pub(super) fn count_accepts_for_tagger(&mut self, edit: &Edit) {
        let accepted = edit
            .accepted()
            .iter()
            .filter(|a| TAGGER_LABELS.contains(&a.label.as_str()))
            .count();
        if accepted == 0 {
            return;
        }
        self.learning.tagger_accepts += accepted;
        if self.learning.tagger_accepts >= RETRAIN_AFTER_ACCEPTS && !self.retraining() {
            self.start_retrain_tagger();
        }
    }

    /// A retraining finished: with a new model the open article is suggested for again, so
    /// what the tagger learned shows where the coder is (suggestions already there, and
    /// everything decided, stay as they are).
    pub(super) fn retrained(&mut self, ok: bool) {
        if ok && self.state.reader.is_some() {
            self.start_suggest(false);
        }
    }

    /// `Command::Reindex`.
    pub(super) fn start_reindex(&mut self) {
        let cancel = Arc::new(AtomicBool::new(false));
        let id = self.jobs.reindex(Arc::clone(&cancel));
        self.new_job(id, JobKind::Reindex, cancel);
    }
}

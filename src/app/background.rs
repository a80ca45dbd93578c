//! Starting background jobs from commands (import, suggest, reindex), cancelling them, and
//! the one place a job's `JobView` is made.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::import::ImportOptions;

use super::AnnalistApp;
use super::jobs::{JobId, JobKind};
use super::state::JobView;

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

    /// `Command::RetrainTagger`.
    pub(super) fn start_retrain_tagger(&mut self) {
        let cancel = Arc::new(AtomicBool::new(false));
        let id = self.jobs.retrain_tagger(Arc::clone(&cancel));
        self.new_job(id, JobKind::RetrainTagger, cancel);
    }

    /// `Command::Reindex`.
    pub(super) fn start_reindex(&mut self) {
        let cancel = Arc::new(AtomicBool::new(false));
        let id = self.jobs.reindex(Arc::clone(&cancel));
        self.new_job(id, JobKind::Reindex, cancel);
    }
}

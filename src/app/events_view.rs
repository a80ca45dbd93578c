//! The events view's use of the service: building the points of the current search on a
//! background job whenever the view is open and the search (query plus filters) changed,
//! and taking them in.

use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use crate::model::EventPoint;

use super::AnnalistApp;
use super::jobs::{JobId, JobKind};

impl AnnalistApp {
    /// `Command::ToggleEvents`: opens the view (building its points when the search changed
    /// since they were built) or closes it.
    pub(super) fn toggle_events(&mut self) {
        let view = &mut self.state.events;
        view.open = !view.open;
        if !view.open
            && let Some(job) = view.job.take()
        {
            self.cancel_job(job);
        }
    }

    /// `Command::RefreshEvents`: builds the points again for the current search.
    pub(super) fn refresh_events(&mut self) {
        self.state.events.query = None;
        if let Some(job) = self.state.events.job.take() {
            self.cancel_job(job);
        }
        self.keep_events_in_step();
    }

    /// Called after every batch of commands: while the view is open, a search other than
    /// the one its points (or its running job) are for starts a job, cancelling the old one.
    pub(super) fn keep_events_in_step(&mut self) {
        let view = &self.state.events;
        if !view.open {
            return;
        }
        let query = self.state.search.effective_query.clone();
        let wanted = if view.job.is_some() {
            Some(&view.job_query)
        } else {
            view.query.as_ref()
        };
        if wanted == Some(&query) {
            return;
        }
        if let Some(old) = self.state.events.job.take() {
            self.cancel_job(old);
        }
        let cancel = Arc::new(AtomicBool::new(false));
        let id = self.jobs.event_points(query.clone(), Arc::clone(&cancel));
        self.new_job(id, JobKind::Events, cancel);
        let view = &mut self.state.events;
        view.job = Some(id);
        view.job_query = query;
        view.message = None;
    }

    /// The events job's points (or why there are none).
    pub(super) fn event_points_built(
        &mut self,
        id: JobId,
        result: Result<Option<Vec<EventPoint>>, String>,
    ) {
        let view = &mut self.state.events;
        if view.job != Some(id) {
            return;
        }
        view.job = None;
        match result {
            Ok(Some(points)) => {
                view.points = Arc::new(points);
                view.revision += 1;
                view.query = Some(std::mem::take(&mut view.job_query));
                view.picked_bin = None;
            }
            Ok(None) => view.message = Some("cancelled; the view shows the last events".to_owned()),
            Err(e) => {
                view.query = Some(std::mem::take(&mut view.job_query));
                view.message = Some(e);
            }
        }
    }
}

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

    /// `Command::SuggestEvents`: groups the claims in no event on the events job, which then
    /// builds the points again.
    pub(super) fn suggest_events(&mut self) {
        if let Some(job) = self.state.events.job.take() {
            self.cancel_job(job);
        }
        let query = self.state.search.effective_query.clone();
        let cancel = Arc::new(AtomicBool::new(false));
        let id = self
            .jobs
            .event_points_after(query.clone(), true, Arc::clone(&cancel));
        self.new_job(id, JobKind::Events, cancel);
        let view = &mut self.state.events;
        view.job = Some(id);
        view.job_query = query;
        view.message = None;
        view.marked.clear();
    }

    /// The events view's actions on events (`Command::SuggestEvents`, `AcceptEvents`,
    /// `MergeEvents`, `UngroupEvent`); other commands are not its own and are ignored.
    pub(super) fn apply_event_command(&mut self, command: super::command::Command) {
        use super::command::Command;
        match command {
            Command::SuggestEvents => self.suggest_events(),
            Command::AcceptEvents(ids) => self.change_events(|archive| {
                let ids = (!ids.is_empty()).then_some(ids.as_slice());
                archive.accept_events(ids).map(|done| {
                    format!(
                        "accepted {}",
                        crate::model::plural(done.len() as u64, "event", "events")
                    )
                })
            }),
            Command::MergeEvents(ids) => self.change_events(|archive| {
                archive
                    .merge_events(&ids)
                    .map(|event| format!("merged into event {}", event.id))
            }),
            Command::UngroupEvent(id) => self.change_events(|archive| {
                let event = archive.event(id)?;
                let claims: Vec<_> = event.claims.iter().map(|c| c.annotation_id).collect();
                archive
                    .detach_claims(&claims)
                    .map(|_| format!("event {id} ungrouped: its claims are in no event"))
            }),
            _ => {}
        }
    }

    /// Accept, merge or ungroup events: one quick change in the store, said in the view's
    /// message line, then the points built again.
    pub(super) fn change_events(
        &mut self,
        change: impl FnOnce(&mut crate::service::ArchiveReader) -> crate::service::Result<String>,
    ) {
        let said = match change(&mut self.archive) {
            Ok(said) => said,
            Err(e) => format!("{e:#}"),
        };
        self.state.events.marked.clear();
        self.refresh_events();
        self.state.events.message = Some(said);
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

//! The events view's background work: building the points of a search on a named thread
//! (`annalist-events-N`) with its own reader handle, with progress and cancel.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::model::{EventPoint, plural};
use crate::service::Archive;

use super::{JobEvent, JobId, Jobs, progress};

impl Jobs {
    /// Builds the events of the articles matching `query`; they come back as
    /// [`JobEvent::EventPoints`] before the job's `Finished`.
    pub fn event_points(&mut self, query: String, cancel: Arc<AtomicBool>) -> JobId {
        self.event_points_after(query, false, cancel)
    }

    /// [`Self::event_points`], first grouping the claims in no event into suggested events
    /// when `suggest` is set (`Command::SuggestEvents`).
    pub fn event_points_after(
        &mut self,
        query: String,
        suggest: bool,
        cancel: Arc<AtomicBool>,
    ) -> JobId {
        let id = self.new_id();
        let events = self.events_tx.clone();
        let repaint = Arc::clone(&self.repaint);
        let dir = self.archive_dir.clone();
        let spawned = std::thread::Builder::new()
            .name(format!("annalist-events-{id}"))
            .spawn(move || {
                let result: Result<Option<Vec<EventPoint>>, String> = Archive::open_reader(&dir)
                    .and_then(|mut archive| {
                        if suggest {
                            archive.suggest_events()?;
                        }
                        archive.event_points(&query, &mut |done, total| {
                            progress(&events, &*repaint, id, done, total, String::new());
                            !cancel.load(Ordering::Relaxed)
                        })
                    })
                    .map_err(|e| format!("{e:#}"));
                let outcome = match &result {
                    Ok(Some(points)) => Ok(format!(
                        "built {}",
                        plural(points.len() as u64, "event", "events")
                    )),
                    Ok(None) => Err("building events cancelled".to_owned()),
                    Err(e) => Err(e.clone()),
                };
                let _ = events.send(JobEvent::EventPoints { id, result });
                let _ = events.send(JobEvent::Finished {
                    id,
                    outcome,
                    details: Vec::new(),
                });
                repaint();
            });
        self.unless_started(id, "events", spawned);
        id
    }
}

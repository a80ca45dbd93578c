//! What the events views read (re-exported by `state`): the points of the current search,
//! the job building them, and each panel's choices (sort, period, the bin picked, the map's
//! window on the globe).

use std::sync::Arc;

use chrono::NaiveDate;

use crate::model::EventPoint;
use crate::model::event_stats::{MapView, Period, SortColumn};

use super::jobs::JobId;

/// The events view: table, timeline and map over the same points.
#[derive(Debug, Default)]
pub struct EventsView {
    /// Shown.
    pub open: bool,
    /// The events of the articles of `query`, by id (shared with the caches, never copied).
    pub points: Arc<Vec<EventPoint>>,
    /// Bumped whenever `points` change, so every cache built on them is rebuilt.
    pub revision: u64,
    /// The search (query plus filters) the points were built for; `None` before the first.
    pub query: Option<String>,
    /// The job building points, while it runs.
    pub job: Option<JobId>,
    /// The search of the job running.
    pub job_query: String,
    /// Why the last build failed, or that it was cancelled.
    pub message: Option<String>,
    /// The timeline's bins.
    pub period: Period,
    /// The table's column.
    pub sort: SortColumn,
    /// Ascending or descending.
    pub ascending: bool,
    /// The timeline bin picked (its first day, in `period`): the table shows its events only.
    pub picked_bin: Option<NaiveDate>,
    /// The event picked in the table or on the map.
    pub selected: Option<i64>,
    /// The events marked (Ctrl+click in the table) to merge.
    pub marked: std::collections::BTreeSet<i64>,
    /// The map's window on the globe; `None` shows the whole world.
    pub map: Option<MapView>,
}

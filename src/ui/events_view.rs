//! The events window: the timeline on top, the table and the map below, all three over the
//! events of the current search (the search panel's query and filters restrict them), with
//! the caches that keep a frame from aggregating again.

use chrono::NaiveDate;

use crate::app::command::Command;
use crate::app::state::{AppState, EventsView};
use crate::model::event_stats::{
    Period, SortColumn, Timeline, fatalities_over_time, starts_in, table_order,
};
use crate::model::{EventId, EventStatus};

use super::events_table::events_table_ui;
use super::map::{MapCache, map_ui};
use super::timeline::timeline_ui;

/// What the table's rows were made from: points, column, order, the timeline bin picked.
type RowsKey = (u64, SortColumn, bool, Option<(Period, NaiveDate)>);

/// What the events window derives from its points, each with the inputs it was made from.
#[derive(Default)]
pub struct EventsCache {
    timeline_key: Option<(u64, Period)>,
    timeline: Timeline,
    rows_key: Option<RowsKey>,
    rows: Vec<usize>,
    map: MapCache,
    /// The table's, the timeline's and the map's rectangles drawn last frame.
    pub panels: Vec<(&'static str, egui::Rect)>,
}

/// What a coder does with events: suggest them from the claims, accept the picked one or
/// every suggested one, merge the marked ones (Ctrl+click in the table), ungroup one.
fn actions_ui(ui: &mut egui::Ui, view: &EventsView, commands: &mut Vec<Command>) {
    ui.separator();
    let idle = view.job.is_none();
    if ui
        .add_enabled(idle, egui::Button::new("Suggest events"))
        .on_hover_text(
            "Group the casualty claims in no event: same date (±1 day), place and compatible figures",
        )
        .clicked()
    {
        commands.push(Command::SuggestEvents);
    }
    let picked = view
        .selected
        .and_then(|id| view.points.iter().find(|p| p.id == id))
        .filter(|p| p.status.is_some());
    let suggested = picked.filter(|p| p.status == Some(EventStatus::Suggested));
    if ui
        .add_enabled(idle && suggested.is_some(), egui::Button::new("Accept"))
        .on_hover_text("Accept the picked event")
        .clicked()
        && let Some(point) = suggested
    {
        commands.push(Command::AcceptEvents(vec![EventId(point.id)]));
    }
    let any_suggested = view
        .points
        .iter()
        .any(|p| p.status == Some(EventStatus::Suggested));
    if ui
        .add_enabled(idle && any_suggested, egui::Button::new("Accept all"))
        .on_hover_text("Accept every suggested event")
        .clicked()
    {
        commands.push(Command::AcceptEvents(Vec::new()));
    }
    let marked: Vec<EventId> = view.marked.iter().copied().map(EventId).collect();
    if ui
        .add_enabled(
            idle && marked.len() >= 2,
            egui::Button::new(format!("Merge {} marked", marked.len())),
        )
        .on_hover_text("Ctrl+click events in the table to mark them, then merge them into one")
        .clicked()
    {
        commands.push(Command::MergeEvents(marked));
    }
    if ui
        .add_enabled(idle && picked.is_some(), egui::Button::new("Ungroup"))
        .on_hover_text("Detach the picked event's claims: they are in no event again")
        .clicked()
        && let Some(point) = picked
    {
        commands.push(Command::UngroupEvent(EventId(point.id)));
    }
}

/// The events window, while it is open.
pub(super) fn events_ui(
    ctx: &egui::Context,
    state: &mut AppState,
    cache: &mut EventsCache,
    commands: &mut Vec<Command>,
) {
    cache.panels.clear();
    let theme_choice = state.theme;
    let search = state.search.effective_query.clone();
    let view = &mut state.events;
    if !view.open {
        return;
    }
    let timeline_key = (view.revision, view.period);
    if cache.timeline_key != Some(timeline_key) {
        cache.timeline = fatalities_over_time(&view.points, view.period);
        cache.timeline_key = Some(timeline_key);
    }
    let mut open = true;
    egui::Window::new("Events")
        .id(egui::Id::unique("events-window"))
        .open(&mut open)
        .default_pos([60.0, 60.0])
        .default_size([1100.0, 680.0])
        .show(ctx, |ui| {
            ui.horizontal(|ui| {
                let scope = if search.trim().is_empty() {
                    "every article".to_owned()
                } else {
                    format!("the articles of {search}")
                };
                ui.label(format!(
                    "{} in {scope}",
                    crate::model::plural(view.points.len() as u64, "event", "events")
                ));
                if view.job.is_some() {
                    ui.spinner();
                    ui.label("building (progress and Cancel in the status line)…");
                }
                if ui
                    .button("Refresh")
                    .on_hover_text("Build the events again (after edits)")
                    .clicked()
                {
                    commands.push(Command::RefreshEvents);
                }
                actions_ui(ui, view, commands);
            });
            if let Some(message) = &view.message {
                ui.label(message);
            }
            let top = ui.cursor().min;
            timeline_ui(ui, view, &cache.timeline, theme_choice, 170.0);
            cache.panels.push((
                "timeline",
                egui::Rect::from_min_max(
                    top,
                    ui.cursor().min + egui::vec2(ui.available_width(), 0.0),
                ),
            ));
            ui.separator();
            let filter = view.picked_bin.map(|start| (view.period, start));
            let rows_key = (view.revision, view.sort, view.ascending, filter);
            if cache.rows_key != Some(rows_key) {
                cache.rows = table_order(&view.points, view.sort, view.ascending, |p| {
                    filter.is_none_or(|(period, start)| starts_in(p, period, start))
                });
                cache.rows_key = Some(rows_key);
            }
            let height = ui.available_height().max(200.0);
            let width = ui.available_width();
            ui.horizontal_top(|ui| {
                let table_width = (width * 0.5).max(320.0);
                let table = ui
                    .allocate_ui_with_layout(
                        egui::vec2(table_width, height),
                        egui::Layout::top_down(egui::Align::Min),
                        |ui| {
                            ui.set_min_size(egui::vec2(table_width, height));
                            events_table_ui(ui, view, &cache.rows, commands);
                        },
                    )
                    .response
                    .rect;
                cache.panels.push(("table", table));
                let map_size = egui::vec2(ui.available_width().max(200.0), height);
                let map = map_ui(ui, view, &mut cache.map, theme_choice, map_size, commands);
                cache.panels.push(("map", map));
            });
        });
    if !open {
        commands.push(Command::ToggleEvents);
    }
}

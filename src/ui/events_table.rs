//! The events table: one row per event, sortable by every column (a click on a heading
//! sorts, a second click turns the order), virtualised (only the rows in view are laid
//! out); a click on a row opens its first evidence span in the reader.

use crate::app::command::Command;
use crate::app::state::EventsView;
use crate::model::EventPoint;
use crate::model::event_stats::SortColumn;

/// Row height in points.
const ROW_HEIGHT: f32 = 20.0;

/// Column widths in points, in [`SortColumn::ALL`] order; the title takes the rest.
const WIDTHS: [f32; 8] = [84.0, 110.0, 56.0, 44.0, 44.0, 44.0, 56.0, 80.0];

/// A cell's text.
fn cell(point: &EventPoint, column: SortColumn) -> String {
    let figure = |n: Option<u32>| n.map_or_else(String::new, |n| n.to_string());
    match column {
        SortColumn::Date => point.date_start.map_or_else(String::new, |d| d.to_string()),
        SortColumn::Place => point.place.clone().unwrap_or_default(),
        SortColumn::Country => point.country_code.clone().unwrap_or_default(),
        SortColumn::Best => figure(point.best),
        SortColumn::Low => figure(point.low),
        SortColumn::High => figure(point.high),
        SortColumn::Sources => point.n_sources.to_string(),
        SortColumn::Type => point.violence_name().to_owned(),
    }
}

/// The headings: a click sorts by the column, again turns the order.
fn headings_ui(ui: &mut egui::Ui, view: &mut EventsView) {
    ui.horizontal(|ui| {
        for (column, width) in SortColumn::ALL.into_iter().zip(WIDTHS) {
            let arrow = match (view.sort == column, view.ascending) {
                (true, true) => " ↑",
                (true, false) => " ↓",
                (false, _) => "",
            };
            let heading = format!("{}{arrow}", column.heading());
            let button = egui::Button::new(heading).frame(false);
            if ui
                .add_sized([width, ROW_HEIGHT], button)
                .on_hover_text("Sort by this column (again: the other way)")
                .clicked()
            {
                if view.sort == column {
                    view.ascending = !view.ascending;
                } else {
                    view.sort = column;
                    view.ascending = column == SortColumn::Place || column == SortColumn::Country;
                }
            }
        }
        ui.label("event");
    });
}

/// One row: its cells at the columns' places, one clickable widget named by the event's
/// title (what a screen reader and the tests find).
fn row_ui(ui: &mut egui::Ui, point: &EventPoint, selected: bool) -> egui::Response {
    let width = ui.available_width();
    let (rect, response) =
        ui.allocate_exact_size(egui::vec2(width, ROW_HEIGHT), egui::Sense::click());
    response.widget_info(|| {
        egui::WidgetInfo::selected(egui::Role::Button, true, selected, &point.title)
    });
    if ui.is_rect_visible(rect) {
        let visuals = ui.style().interact_selectable(&response, selected);
        if selected || response.hovered() {
            ui.painter().rect_filled(rect, 2.0, visuals.weak_bg_fill);
        }
        let font = egui::TextStyle::Body.resolve(ui.style());
        let mut x = rect.left() + 4.0;
        let painter = ui.painter_at(rect);
        for (column, column_width) in SortColumn::ALL.into_iter().zip(WIDTHS) {
            let spacing = ui.spacing().item_spacing.x;
            let cell_rect = egui::Rect::from_x_y_ranges(x..=x + column_width, rect.y_range());
            ui.painter_at(cell_rect.intersect(rect)).text(
                egui::pos2(x, rect.center().y),
                egui::Align2::LEFT_CENTER,
                cell(point, column),
                font.clone(),
                visuals.text_color(),
            );
            x += column_width + spacing;
        }
        painter.text(
            egui::pos2(x, rect.center().y),
            egui::Align2::LEFT_CENTER,
            &point.title,
            font,
            visuals.text_color(),
        );
    }
    response.on_hover_text(format!(
        "{}\nclick: open the article at its evidence",
        point.title
    ))
}

/// The table over `rows` (indices into the view's points, in order).
pub(super) fn events_table_ui(
    ui: &mut egui::Ui,
    view: &mut EventsView,
    rows: &[usize],
    commands: &mut Vec<Command>,
) {
    headings_ui(ui, view);
    ui.separator();
    let points = std::sync::Arc::clone(&view.points);
    egui::ScrollArea::vertical()
        .id_salt("events-table")
        .auto_shrink([false, false])
        .show_rows(ui, ROW_HEIGHT, rows.len(), |ui, range| {
            for &index in rows.get(range).unwrap_or_default() {
                let Some(point) = points.get(index) else {
                    continue;
                };
                let picked = view.selected == Some(point.id) || view.marked.contains(&point.id);
                let response = row_ui(ui, point, picked);
                if response.clicked() && ui.input(|i| i.modifiers.command) {
                    // Ctrl+click marks events to merge (claims in no event cannot be).
                    if point.status.is_some() && !view.marked.remove(&point.id) {
                        view.marked.insert(point.id);
                    }
                } else if response.clicked() {
                    view.selected = Some(point.id);
                    if let Some(evidence) = point.evidence.first() {
                        commands.push(Command::OpenArticleAt {
                            article: evidence.article_id,
                            start: evidence.start,
                            end: evidence.end,
                        });
                    }
                }
            }
        });
}

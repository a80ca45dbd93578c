//! The events map: the bundled country outlines drawn with egui's painter (equirectangular;
//! drag pans, scroll zooms about the pointer, double-click shows the world), events as
//! circles sized by deaths, merged per screen cell so a frame draws at most one circle per
//! cell however many events; a click opens the event's evidence.

mod outlines;

use std::sync::Arc;

use crate::app::command::Command;
use crate::app::state::{EventsView, ThemeChoice};
use crate::model::EventPoint;
use crate::model::event_stats::{MapView, ScreenBin, screen_bins};

use super::theme;

/// Screen cell (points) within which events share one circle.
const CELL_PX: f64 = 6.0;

/// The most circles a frame draws; beyond, events share coarser cells.
const MAX_CIRCLES: usize = 2_000;

/// What a cell size is chosen for: the points' revision, the zoom and the map's size.
type Zoom = (u64, u64, [u32; 2]);

/// The circles of the last frame and what they were made from.
#[derive(Default)]
pub struct MapCache {
    key: Option<(u64, [u64; 3], [u32; 2])>,
    bins: Vec<ScreenBin>,
    /// The cell size chosen for these points at this zoom and size: panning keeps it, so a
    /// frame that pans bins the points once.
    cell: Option<(Zoom, f64)>,
}

impl MapCache {
    /// The circles for these points, view and size, made again only when one changed.
    fn bins(
        &mut self,
        points: &[EventPoint],
        revision: u64,
        view: &MapView,
        size: (f64, f64),
    ) -> &[ScreenBin] {
        #[expect(clippy::cast_possible_truncation, reason = "a screen size as a key")]
        let key = (
            revision,
            [
                view.center_lon.to_bits(),
                view.center_lat.to_bits(),
                view.px_per_deg.to_bits(),
            ],
            [size.0 as u32, size.1 as u32],
        );
        if self.key != Some(key) {
            // Cells grow until the circles are few enough to draw in a frame: circles of
            // neighbouring cells overlap anyway, and each is one shape to tessellate.
            let zoom = (key.0, key.1[2], key.2);
            let mut cell = match self.cell {
                Some((at, cell)) if at == zoom => cell,
                _ => CELL_PX,
            };
            self.bins = screen_bins(points, view, size, cell);
            while self.bins.len() > MAX_CIRCLES && cell < 64.0 {
                cell *= 2.0;
                self.bins = screen_bins(points, view, size, cell);
            }
            self.cell = Some((zoom, cell));
            self.key = Some(key);
        }
        &self.bins
    }
}

/// A circle's radius for this many deaths.
fn radius(deaths: u64) -> f32 {
    #[expect(clippy::cast_precision_loss, reason = "a radius")]
    let r = 2.0 + (deaths as f32).sqrt() * 1.2;
    r.min(18.0)
}

/// The map, filling `size` (public for the frame benchmark); returns its rectangle.
pub fn map_ui(
    ui: &mut egui::Ui,
    view: &mut EventsView,
    cache: &mut MapCache,
    theme_choice: ThemeChoice,
    size: egui::Vec2,
    commands: &mut Vec<Command>,
) -> egui::Rect {
    let (rect, response) = ui.allocate_exact_size(size, egui::Sense::click_and_drag());
    let px = (f64::from(rect.width()), f64::from(rect.height()));
    let world = MapView::world(px.0);
    let mut map = view.map.unwrap_or(world);
    if response.dragged() {
        let delta = response.drag_delta();
        map.pan(f64::from(delta.x), f64::from(delta.y));
    }
    if response.hovered() {
        let scroll = ui.input(|i| i.smooth_scroll_delta.y);
        if scroll != 0.0
            && let Some(pointer) = response.hover_pos()
        {
            let at = pointer - rect.min;
            map.zoom_at(
                f64::from((scroll / 200.0).exp()),
                (f64::from(at.x), f64::from(at.y)),
                px,
            );
        }
    }
    if response.double_clicked() {
        map = world;
    }
    view.map = (map != world).then_some(map);
    let painter = ui.painter_at(rect);
    painter.rect_filled(rect, 0.0, theme::map_sea(theme_choice));
    let stroke = theme::map_outline(theme_choice);
    let origin = rect.min;
    #[expect(clippy::cast_possible_truncation, reason = "screen points")]
    let to_screen = |lon: f64, lat: f64| {
        let (x, y) = map.to_screen(lon, lat, px);
        origin + egui::vec2(x as f32, y as f32)
    };
    for line in outlines::outlines() {
        let points: Vec<egui::Pos2> = line
            .iter()
            .map(|&(lon, lat)| to_screen(f64::from(lon), f64::from(lat)))
            .collect();
        if points.iter().any(|p| rect.contains(*p)) {
            painter.add(egui::Shape::line(points, stroke));
        }
    }
    let points = Arc::clone(&view.points);
    let bins = cache.bins(&points, view.revision, &map, px);
    let fill = theme::event_fill(theme_choice);
    let selected_stroke = theme::selected_outline(theme_choice);
    for bin in bins {
        let center = origin + egui::vec2(bin.x, bin.y);
        let selected = points.get(bin.top).map(|p| p.id) == view.selected;
        painter.circle(
            center,
            radius(bin.deaths),
            fill,
            if selected {
                selected_stroke
            } else {
                egui::Stroke::NONE
            },
        );
    }
    let under = |pos: egui::Pos2| {
        bins.iter()
            .filter(|b| (origin + egui::vec2(b.x, b.y)).distance(pos) <= radius(b.deaths) + 3.0)
            .min_by(|a, b| {
                let d = |b: &&ScreenBin| (origin + egui::vec2(b.x, b.y)).distance(pos);
                d(a).total_cmp(&d(b))
            })
            .copied()
    };
    if let Some(bin) = response.hover_pos().and_then(under)
        && let Some(point) = points.get(bin.top)
    {
        let more = match bin.events {
            1 => String::new(),
            n => format!("\n{n} events here, {} dead in all", bin.deaths),
        };
        response.clone().on_hover_text(format!(
            "{}{more}\nclick: open the article at its evidence",
            point.title
        ));
    }
    if response.clicked()
        && let Some(bin) = response.interact_pointer_pos().and_then(under)
        && let Some(point) = points.get(bin.top)
    {
        view.selected = Some(point.id);
        if let Some(evidence) = point.evidence.first() {
            commands.push(Command::OpenArticleAt {
                article: evidence.article_id,
                start: evidence.start,
                end: evidence.end,
            });
        }
    }
    rect
}

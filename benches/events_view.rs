//! The events views' aggregation and map, in-process and without a GPU: deaths per day,
//! week and month, globe bins and the table's order over 1,000,000 synthetic events, and
//! the map's per-frame work (screen bins) over 50,000.
//!
//! Run: `cargo bench --bench events_view` (1,000,000 events) or `cargo bench --bench
//! events_view -- 200000`.

use std::sync::Arc;
use std::time::{Duration, Instant};

use annalist::app::state::{EventsView, ThemeChoice};
use annalist::ui::{MapCache, map_ui, timeline_ui};

use annalist::model::event_stats::{
    MapView, Period, SortColumn, fatalities_over_time, geo_bins, screen_bins, table_order,
};
use annalist::model::{ArticleId, EventPoint, EvidenceSpan};
use chrono::{Duration as Days, NaiveDate};

/// A small deterministic generator (the bench needs no better).
struct Lcg(u64);

impl Lcg {
    /// A number in `0..n`.
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % n.max(1) as u64) as usize
    }
}

const ROUNDS: usize = 15;
const MAP_EVENTS: usize = 50_000;
const MAP_FRAMES: usize = 200;

/// `n` events over ten years, half of them in the Middle East, counts 0..200.
fn synthetic(n: usize) -> Vec<EventPoint> {
    let mut rng = Lcg(16);
    let first = NaiveDate::from_ymd_opt(2015, 1, 1).unwrap_or_default();
    (0..n)
        .map(|i| {
            let day = first + Days::days(i64::from(rng.next(3_650) as u32));
            let best = rng.next(200) as u32;
            let (lon, lat) = if rng.next(2) == 0 {
                (
                    30.0 + rng.next(3_000) as f64 / 100.0,
                    15.0 + rng.next(2_500) as f64 / 100.0,
                )
            } else {
                (
                    rng.next(36_000) as f64 / 100.0 - 180.0,
                    rng.next(14_000) as f64 / 100.0 - 60.0,
                )
            };
            EventPoint {
                id: i as i64,
                title: format!("{best} killed"),
                date_start: Some(day),
                date_end: Some(day),
                date_prec: Some(1),
                place: Some(format!("place {}", rng.next(5_000))),
                country_code: Some(format!("C{}", rng.next(90))),
                lat: Some(lat),
                lon: Some(lon),
                where_prec: Some(1),
                violence: Some(1 + rng.next(3) as u8),
                best: Some(best),
                low: Some(best.saturating_sub(2)),
                high: Some(best + 3),
                n_sources: 1 + rng.next(4) as u32,
                evidence: vec![EvidenceSpan {
                    article_id: ArticleId(i as i64),
                    start: 0,
                    end: 10,
                }],
                ..EventPoint::default()
            }
        })
        .collect()
}

fn percentiles(mut times: Vec<Duration>) -> (f64, f64) {
    times.sort();
    let at = |q: f64| {
        times
            .get(((times.len() as f64 * q) as usize).min(times.len() - 1))
            .map_or(0.0, |t| t.as_secs_f64() * 1e3)
    };
    (at(0.5), at(0.99))
}

fn time<T>(rounds: usize, mut run: impl FnMut() -> T) -> (f64, f64) {
    let times = (0..rounds)
        .map(|_| {
            let started = Instant::now();
            std::hint::black_box(run());
            started.elapsed()
        })
        .collect();
    percentiles(times)
}

fn main() -> anyhow::Result<()> {
    let n: usize = std::env::args()
        .skip(1)
        .find(|a| a != "--bench")
        .map_or(Ok(1_000_000), |s| s.parse())?;
    let points = synthetic(n);
    println!("| step ({n} events) | p50 | p99 |");
    println!("|---|---|---|");
    for period in Period::ALL {
        let (p50, p99) = time(ROUNDS, || fatalities_over_time(&points, period));
        println!(
            "| deaths per {} | {p50:.1} ms | {p99:.1} ms |",
            period.name()
        );
    }
    let (p50, p99) = time(ROUNDS, || {
        Period::ALL.map(|period| fatalities_over_time(&points, period))
    });
    println!("| all three periods | {p50:.1} ms | {p99:.1} ms |");
    let (p50, p99) = time(ROUNDS, || geo_bins(&points, 1.0));
    println!("| globe bins (1°) | {p50:.1} ms | {p99:.1} ms |");
    let (p50, p99) = time(ROUNDS, || {
        table_order(&points, SortColumn::Best, false, |_| true)
    });
    println!("| table order (best, descending) | {p50:.1} ms | {p99:.1} ms |");
    let (p50, p99) = time(ROUNDS, || {
        table_order(&points, SortColumn::Place, true, |_| true)
    });
    println!("| table order (place) | {p50:.1} ms | {p99:.1} ms |");

    let map_points = synthetic(MAP_EVENTS);
    let size = (1_000.0, 600.0);
    let world = MapView::world(size.0);
    let mut zoomed = world;
    zoomed.zoom_at(8.0, (640.0, 220.0), size);
    println!();
    println!("| map frame work ({MAP_EVENTS} events, 1000×600 px) | p50 | p99 |");
    println!("|---|---|---|");
    for (name, view) in [("whole world", world), ("zoomed ×8", zoomed)] {
        let (p50, p99) = time(MAP_FRAMES, || screen_bins(&map_points, &view, size, 6.0));
        println!("| screen bins, {name} | {p50:.2} ms | {p99:.2} ms |");
    }
    map_frames(map_points)?;
    Ok(())
}

/// One frame's input: a 1400×900 screen, the pointer over the map.
fn raw_input(frame: usize) -> egui::RawInput {
    let mut input = egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(
            egui::Pos2::ZERO,
            egui::vec2(1400.0, 900.0),
        )),
        time: Some(frame as f64 / 60.0),
        ..Default::default()
    };
    input
        .events
        .push(egui::Event::PointerMoved(egui::pos2(700.0, 600.0)));
    input
}

/// Whole frames (egui pass plus tessellation, no GPU) of the timeline and the map over
/// `points`: idle (cached circles) and panning every frame (circles made again each frame).
fn map_frames(points: Vec<EventPoint>) -> anyhow::Result<()> {
    let ctx = egui::Context::default();
    annalist::ui::install_fonts(&ctx);
    let n = points.len();
    let mut view = EventsView {
        open: true,
        points: Arc::new(points),
        revision: 1,
        ..EventsView::default()
    };
    let timeline = fatalities_over_time(&view.points, Period::Day);
    let mut cache = MapCache::default();
    let mut commands = Vec::new();
    println!();
    println!(
        "| frame ({n} events, {} day bins, 1400×900) | frames | median | p95 | max |",
        timeline.bins.len()
    );
    println!("|---|---|---|---|---|");
    let mut clock = 0;
    for (name, pan) in [
        ("map, idle", false),
        ("map, panning every frame", true),
        ("timeline + map, panning", true),
    ] {
        let with_timeline = name.starts_with("timeline");
        let mut times = Vec::with_capacity(MAP_FRAMES);
        for frame in 0..MAP_FRAMES + 5 {
            if pan {
                let mut map = MapView::world(1400.0);
                map.zoom_at(2.0, (800.0, 300.0), (1400.0, 700.0));
                map.pan((frame % 50) as f64, 0.0);
                view.map = Some(map);
            }
            clock += 1;
            let started = Instant::now();
            let mut output = ctx.run_ui(raw_input(clock), |ui| {
                if with_timeline {
                    timeline_ui(ui, &mut view, &timeline, ThemeChoice::Light, 180.0);
                }
                let size = ui.available_size();
                map_ui(
                    ui,
                    &mut view,
                    &mut cache,
                    ThemeChoice::Light,
                    size,
                    &mut commands,
                );
            });
            output.textures_delta.clear();
            std::hint::black_box(ctx.tessellate(output.shapes, output.pixels_per_point));
            if frame >= 5 {
                times.push(started.elapsed());
            }
        }
        times.sort();
        let at = |q: f64| {
            times[((times.len() as f64 * q) as usize).min(times.len() - 1)].as_secs_f64() * 1e3
        };
        println!(
            "| {name} | {MAP_FRAMES} | {:.2} ms | {:.2} ms | {:.2} ms |",
            at(0.5),
            at(0.95),
            at(1.0)
        );
    }
    Ok(())
}

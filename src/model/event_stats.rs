//! Aggregation for the events views, pure and linear in the points: deaths per day, week
//! or month (timeline), bins on the globe and on the screen (map), and the table's order.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use chrono::{Datelike, Duration, NaiveDate};

use super::event_point::EventPoint;

/// Longest span of bins (in days, weeks or months) counted in a dense array; wider spans
/// (dates centuries apart) go through a map instead.
const DENSE_SPAN: i64 = 200_000;

/// How the timeline groups days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Period {
    /// One bin per day.
    Day,
    /// One bin per ISO week (Monday to Sunday).
    #[default]
    Week,
    /// One bin per calendar month.
    Month,
}

impl Period {
    /// Every period, in the order the switch shows them.
    pub const ALL: [Self; 3] = [Self::Day, Self::Week, Self::Month];

    /// The word on the switch.
    pub fn name(self) -> &'static str {
        match self {
            Self::Day => "day",
            Self::Week => "week",
            Self::Month => "month",
        }
    }

    /// A bin's number: days since 0001-01-01, weeks since then, or months since year 0.
    fn key(self, date: NaiveDate) -> i64 {
        let days = i64::from(date.num_days_from_ce());
        match self {
            Self::Day => days,
            // 0001-01-01 was a Monday, so day 1 starts week 0.
            Self::Week => (days - 1).div_euclid(7),
            Self::Month => i64::from(date.year()) * 12 + i64::from(date.month0()),
        }
    }

    /// The first day of the bin with this number.
    fn start_of_key(self, key: i64) -> Option<NaiveDate> {
        match self {
            Self::Day => NaiveDate::from_num_days_from_ce_opt(i32::try_from(key).ok()?),
            Self::Week => NaiveDate::from_num_days_from_ce_opt(i32::try_from(key * 7 + 1).ok()?),
            Self::Month => NaiveDate::from_ymd_opt(
                i32::try_from(key.div_euclid(12)).ok()?,
                u32::try_from(key.rem_euclid(12) + 1).ok()?,
                1,
            ),
        }
    }

    /// The first day of the bin `date` falls in.
    pub fn start_of(self, date: NaiveDate) -> NaiveDate {
        self.start_of_key(self.key(date)).unwrap_or(date)
    }

    /// The last day of the bin that starts on `start`.
    pub fn end_of(self, start: NaiveDate) -> NaiveDate {
        match self {
            Self::Day => start,
            Self::Week => start + Duration::days(6),
            Self::Month => self
                .start_of_key(self.key(start) + 1)
                .map_or(start, |next| next - Duration::days(1)),
        }
    }
}

/// One bar of the timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeBin {
    /// First day of the bin.
    pub start: NaiveDate,
    /// Sum of the events' deaths ([`EventPoint::deaths`]).
    pub best: u64,
    /// Sum of the lowest estimates.
    pub low: u64,
    /// Sum of the highest estimates.
    pub high: u64,
    /// Sum of the events' sources (an article reporting two events counts twice).
    pub sources: u64,
    /// How many events start in the bin.
    pub events: u32,
}

/// What the timeline shows: the bins that hold an event, in date order, and the events
/// without a date (counted apart, never dropped silently).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Timeline {
    /// Non-empty bins, oldest first.
    pub bins: Vec<TimeBin>,
    /// Events without a start date.
    pub undated: u32,
}

#[derive(Debug, Clone, Copy, Default)]
struct Sums {
    best: u64,
    low: u64,
    high: u64,
    sources: u64,
    events: u32,
}

impl Sums {
    fn add(&mut self, point: &EventPoint) {
        self.best += u64::from(point.deaths());
        self.low += u64::from(point.deaths_low());
        self.high += u64::from(point.deaths_high());
        self.sources += u64::from(point.n_sources);
        self.events += 1;
    }

    fn bin(self, start: NaiveDate) -> TimeBin {
        TimeBin {
            start,
            best: self.best,
            low: self.low,
            high: self.high,
            sources: self.sources,
            events: self.events,
        }
    }
}

/// Deaths per `period`, by each event's start date: one pass to find the span, one to add.
pub fn fatalities_over_time(points: &[EventPoint], period: Period) -> Timeline {
    let keys: Vec<Option<i64>> = points
        .iter()
        .map(|p| p.date_start.map(|d| period.key(d)))
        .collect();
    let undated = u32::try_from(keys.iter().filter(|k| k.is_none()).count()).unwrap_or(u32::MAX);
    let (Some(min), Some(max)) = (keys.iter().flatten().min(), keys.iter().flatten().max()) else {
        return Timeline {
            bins: Vec::new(),
            undated,
        };
    };
    let (min, max) = (*min, *max);
    let mut bins = Vec::new();
    if max - min < DENSE_SPAN {
        let mut sums = vec![Sums::default(); usize::try_from(max - min + 1).unwrap_or(0)];
        for (point, key) in points.iter().zip(&keys) {
            let slot = key.and_then(|k| usize::try_from(k - min).ok());
            if let Some(sum) = slot.and_then(|s| sums.get_mut(s)) {
                sum.add(point);
            }
        }
        for (offset, sum) in (0_i64..).zip(sums) {
            if sum.events > 0
                && let Some(start) = period.start_of_key(min + offset)
            {
                bins.push(sum.bin(start));
            }
        }
    } else {
        let mut sums: BTreeMap<i64, Sums> = BTreeMap::new();
        for (point, key) in points.iter().zip(&keys) {
            if let Some(key) = key {
                sums.entry(*key).or_default().add(point);
            }
        }
        bins.extend(
            sums.into_iter()
                .filter_map(|(key, sum)| Some(sum.bin(period.start_of_key(key)?))),
        );
    }
    Timeline { bins, undated }
}

/// Whether `point` starts in the bin of `period` that begins on `start`.
pub fn starts_in(point: &EventPoint, period: Period, start: NaiveDate) -> bool {
    point
        .date_start
        .is_some_and(|d| period.start_of(d) == start)
}

// ---

/// A cell of the globe holding events (the map's overview at any zoom).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GeoBin {
    /// Mean longitude of its events.
    pub lon: f64,
    /// Mean latitude.
    pub lat: f64,
    /// Sum of their deaths.
    pub deaths: u64,
    /// How many events.
    pub events: u32,
    /// Index (into the points) of its event with the most deaths, the one a click opens.
    pub top: usize,
}

/// Events with a position, binned into cells of `cell_deg` degrees, in cell order (south to
/// north, west to east).
pub fn geo_bins(points: &[EventPoint], cell_deg: f64) -> Vec<GeoBin> {
    let cell_deg = if cell_deg > 0.0 { cell_deg } else { 1.0 };
    // A hash map while counting (a million points), sorted by cell once at the end so the
    // order stays the same run after run.
    let mut cells: std::collections::HashMap<(i64, i64), (f64, f64, u32, GeoBin)> =
        std::collections::HashMap::new();
    for (index, point) in points.iter().enumerate() {
        let Some((lon, lat)) = point.position() else {
            continue;
        };
        #[expect(clippy::cast_possible_truncation, reason = "a cell of the globe")]
        let cell = (
            (lat / cell_deg).floor() as i64,
            (lon / cell_deg).floor() as i64,
        );
        let deaths = point.deaths();
        let (sum_lon, sum_lat, top_deaths, bin) = cells.entry(cell).or_insert((
            0.0,
            0.0,
            deaths,
            GeoBin {
                lon,
                lat,
                deaths: 0,
                events: 0,
                top: index,
            },
        ));
        *sum_lon += lon;
        *sum_lat += lat;
        if *top_deaths < deaths {
            *top_deaths = deaths;
            bin.top = index;
        }
        bin.deaths += u64::from(deaths);
        bin.events += 1;
    }
    let mut cells: Vec<_> = cells.into_iter().collect();
    cells.sort_unstable_by_key(|(cell, _)| *cell);
    cells
        .into_iter()
        .map(|(_, (sum_lon, sum_lat, _, bin))| GeoBin {
            lon: sum_lon / f64::from(bin.events),
            lat: sum_lat / f64::from(bin.events),
            ..bin
        })
        .collect()
}

/// The map's window on the globe: equirectangular, `px_per_deg` pixels per degree both ways.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MapView {
    /// Longitude at the centre of the map.
    pub center_lon: f64,
    /// Latitude at the centre.
    pub center_lat: f64,
    /// Zoom.
    pub px_per_deg: f64,
}

impl MapView {
    /// The whole world in a map `width` pixels wide.
    pub fn world(width: f64) -> Self {
        Self {
            center_lon: 0.0,
            center_lat: 0.0,
            px_per_deg: (width / 360.0).max(0.1),
        }
    }

    /// Screen position (from the map's top left corner) of a place, in a map of `size`.
    pub fn to_screen(&self, lon: f64, lat: f64, size: (f64, f64)) -> (f64, f64) {
        (
            size.0 / 2.0 + (lon - self.center_lon) * self.px_per_deg,
            size.1 / 2.0 - (lat - self.center_lat) * self.px_per_deg,
        )
    }

    /// The place at a screen position (from the map's top left corner).
    pub fn to_geo(&self, x: f64, y: f64, size: (f64, f64)) -> (f64, f64) {
        (
            self.center_lon + (x - size.0 / 2.0) / self.px_per_deg,
            self.center_lat - (y - size.1 / 2.0) / self.px_per_deg,
        )
    }

    /// Moves the map by a drag of `(dx, dy)` pixels.
    pub fn pan(&mut self, dx: f64, dy: f64) {
        self.center_lon = (self.center_lon - dx / self.px_per_deg).clamp(-180.0, 180.0);
        self.center_lat = (self.center_lat + dy / self.px_per_deg).clamp(-90.0, 90.0);
    }

    /// Zooms by `factor` keeping the place under the screen point `at` where it is.
    pub fn zoom_at(&mut self, factor: f64, at: (f64, f64), size: (f64, f64)) {
        let (lon, lat) = self.to_geo(at.0, at.1, size);
        self.px_per_deg = (self.px_per_deg * factor).clamp(0.5, 2_000.0);
        let (x, y) = self.to_screen(lon, lat, size);
        self.pan(at.0 - x, at.1 - y);
    }
}

/// A circle to draw: the events that fall in one cell of `cell_px` pixels on screen.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScreenBin {
    /// Mean screen position of its events, from the map's top left corner.
    pub x: f32,
    /// Likewise.
    pub y: f32,
    /// Sum of their deaths.
    pub deaths: u64,
    /// How many events.
    pub events: u32,
    /// Index (into the points) of its event with the most deaths.
    pub top: usize,
}

/// The events inside a map of `size` pixels, merged per screen cell of `cell_px`: at most
/// one circle per cell however many events, so drawing stays bounded by the map's area.
pub fn screen_bins(
    points: &[EventPoint],
    view: &MapView,
    size: (f64, f64),
    cell_px: f64,
) -> Vec<ScreenBin> {
    let cell_px = cell_px.max(1.0);
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "a screen is a few thousand pixels"
    )]
    let (cols, rows) = (
        (size.0 / cell_px).ceil().max(1.0) as usize,
        (size.1 / cell_px).ceil().max(1.0) as usize,
    );
    let mut cells: Vec<Option<(f64, f64, ScreenBin)>> = vec![None; cols * rows];
    for (index, point) in points.iter().enumerate() {
        let Some((lon, lat)) = point.position() else {
            continue;
        };
        let (x, y) = view.to_screen(lon, lat, size);
        if !(0.0..size.0).contains(&x) || !(0.0..size.1).contains(&y) {
            continue;
        }
        #[expect(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            reason = "inside the map, checked above"
        )]
        let cell = (y / cell_px) as usize * cols + (x / cell_px) as usize;
        let Some(slot) = cells.get_mut(cell) else {
            continue;
        };
        let (sum_x, sum_y, bin) = slot.get_or_insert((
            0.0,
            0.0,
            ScreenBin {
                x: 0.0,
                y: 0.0,
                deaths: 0,
                events: 0,
                top: index,
            },
        ));
        *sum_x += x;
        *sum_y += y;
        if points.get(bin.top).map_or(0, EventPoint::deaths) < point.deaths() {
            bin.top = index;
        }
        bin.deaths += u64::from(point.deaths());
        bin.events += 1;
    }
    cells
        .into_iter()
        .flatten()
        .map(|(sum_x, sum_y, bin)| {
            let n = f64::from(bin.events);
            #[expect(clippy::cast_possible_truncation, reason = "screen pixels")]
            ScreenBin {
                x: (sum_x / n) as f32,
                y: (sum_y / n) as f32,
                ..bin
            }
        })
        .collect()
}

// ---

/// A column of the events table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum SortColumn {
    /// Start date.
    #[default]
    Date,
    /// Place as named.
    Place,
    /// Country code.
    Country,
    /// Best estimate of deaths.
    Best,
    /// Lowest estimate.
    Low,
    /// Highest estimate.
    High,
    /// Number of sources.
    Sources,
    /// Type of violence.
    Type,
}

impl SortColumn {
    /// Every column, in the table's order.
    pub const ALL: [Self; 8] = [
        Self::Date,
        Self::Place,
        Self::Country,
        Self::Best,
        Self::Low,
        Self::High,
        Self::Sources,
        Self::Type,
    ];

    /// The column's heading.
    pub fn heading(self) -> &'static str {
        match self {
            Self::Date => "date",
            Self::Place => "place",
            Self::Country => "country",
            Self::Best => "best",
            Self::Low => "low",
            Self::High => "high",
            Self::Sources => "sources",
            Self::Type => "type",
        }
    }
}

/// The table's rows: indices into `points`, sorted by `column` (descending when not
/// `ascending`; unknown values last either way), ties by id, then only those `keep` keeps.
pub fn table_order(
    points: &[EventPoint],
    column: SortColumn,
    ascending: bool,
    keep: impl Fn(&EventPoint) -> bool,
) -> Vec<usize> {
    // Sorting a contiguous vector of small keys, not indices that chase points across
    // memory: a million rows sort in a fraction of the time.
    let mut keyed: Vec<(Key<'_>, i64, usize)> = points
        .iter()
        .enumerate()
        .filter(|(_, p)| keep(p))
        .map(|(i, p)| (Key::of(column, p), p.id, i))
        .collect();
    keyed.sort_unstable_by(|(a, a_id, _), (b, b_id, _)| {
        let by_column = match (a, b) {
            (Key::Unknown, Key::Unknown) => Ordering::Equal,
            (Key::Unknown, _) => Ordering::Greater,
            (_, Key::Unknown) => Ordering::Less,
            (a, b) if ascending => a.cmp(b),
            (a, b) => b.cmp(a),
        };
        by_column.then(a_id.cmp(b_id))
    });
    keyed.into_iter().map(|(_, _, i)| i).collect()
}

/// A point's value in a column, as the table sorts it; unknown values sort last.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Key<'a> {
    Number(u64),
    Date(NaiveDate),
    Text(&'a str),
    Unknown,
}

impl<'a> Key<'a> {
    fn of(column: SortColumn, point: &'a EventPoint) -> Self {
        let number = |n: Option<u32>| n.map_or(Self::Unknown, |n| Self::Number(u64::from(n)));
        match column {
            SortColumn::Date => point.date_start.map_or(Self::Unknown, Self::Date),
            SortColumn::Place => point.place.as_deref().map_or(Self::Unknown, Self::Text),
            SortColumn::Country => point
                .country_code
                .as_deref()
                .map_or(Self::Unknown, Self::Text),
            SortColumn::Best => number(point.best),
            SortColumn::Low => number(point.low),
            SortColumn::High => number(point.high),
            SortColumn::Sources => Self::Number(u64::from(point.n_sources)),
            SortColumn::Type => number(point.violence.map(u32::from)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn point(id: i64, date: &str, best: u32, low: Option<u32>, high: Option<u32>) -> EventPoint {
        EventPoint {
            id,
            date_start: Some(day(date)),
            best: Some(best),
            low,
            high,
            n_sources: 1,
            ..EventPoint::default()
        }
    }

    #[test]
    fn periods_start_on_the_first_day_monday_and_first_of_month() {
        // 2024-01-18 was a Thursday.
        assert_eq!(Period::Day.start_of(day("2024-01-18")), day("2024-01-18"));
        assert_eq!(Period::Week.start_of(day("2024-01-18")), day("2024-01-15"));
        assert_eq!(Period::Week.start_of(day("2024-01-15")), day("2024-01-15"));
        assert_eq!(Period::Week.start_of(day("2024-01-14")), day("2024-01-08"));
        assert_eq!(Period::Month.start_of(day("2024-02-29")), day("2024-02-01"));
        assert_eq!(Period::Month.end_of(day("2024-02-01")), day("2024-02-29"));
        assert_eq!(Period::Month.end_of(day("2024-12-01")), day("2024-12-31"));
        assert_eq!(Period::Week.end_of(day("2024-01-15")), day("2024-01-21"));
    }

    #[test]
    fn bins_sum_best_low_high_sources_and_events() {
        let mut points = vec![
            point(1, "2024-01-16", 2, None, None),
            point(2, "2024-01-18", 9, Some(9), Some(11)),
            point(3, "2024-02-03", 4, None, Some(5)),
            EventPoint {
                id: 4,
                best: Some(100),
                ..EventPoint::default()
            },
        ];
        points[1].n_sources = 3;
        let weeks = fatalities_over_time(&points, Period::Week);
        assert_eq!(weeks.undated, 1);
        assert_eq!(
            weeks.bins,
            vec![
                TimeBin {
                    start: day("2024-01-15"),
                    best: 11,
                    low: 11,
                    high: 13,
                    sources: 4,
                    events: 2
                },
                TimeBin {
                    start: day("2024-01-29"),
                    best: 4,
                    low: 4,
                    high: 5,
                    sources: 1,
                    events: 1
                },
            ]
        );
        let days = fatalities_over_time(&points, Period::Day);
        assert_eq!(days.bins.len(), 3);
        let months = fatalities_over_time(&points, Period::Month);
        assert_eq!(
            months
                .bins
                .iter()
                .map(|b| (b.start, b.best))
                .collect::<Vec<_>>(),
            vec![(day("2024-01-01"), 11), (day("2024-02-01"), 4)]
        );
        assert!(starts_in(&points[1], Period::Week, day("2024-01-15")));
        assert!(!starts_in(&points[2], Period::Week, day("2024-01-15")));
        assert!(!starts_in(&points[3], Period::Week, day("2024-01-15")));
    }

    #[test]
    fn dates_centuries_apart_are_binned_through_the_map_alike() {
        let points = vec![
            point(1, "1024-01-16", 2, None, None),
            point(2, "2024-01-18", 9, None, None),
            point(3, "2024-01-19", 1, None, None),
        ];
        let months = fatalities_over_time(&points, Period::Month);
        assert_eq!(
            months
                .bins
                .iter()
                .map(|b| (b.start, b.best))
                .collect::<Vec<_>>(),
            vec![(day("1024-01-01"), 2), (day("2024-01-01"), 10)]
        );
        let days = fatalities_over_time(&points, Period::Day);
        assert_eq!(days.bins.len(), 3);
    }

    #[test]
    fn geo_bins_merge_a_cell_and_keep_its_deadliest_event() {
        let at = |id, lon, lat, best| EventPoint {
            id,
            lon: Some(lon),
            lat: Some(lat),
            best: Some(best),
            ..EventPoint::default()
        };
        let points = vec![
            at(1, 62.2, 27.2, 2),
            at(2, 62.6, 27.6, 9),
            at(3, 2.3, 48.8, 1),
        ];
        let bins = geo_bins(&points, 1.0);
        assert_eq!(bins.len(), 2);
        let iran = bins.iter().find(|b| b.events == 2).unwrap();
        assert_eq!((iran.deaths, iran.top), (11, 1));
        assert!((iran.lon - 62.4).abs() < 1e-9 && (iran.lat - 27.4).abs() < 1e-9);
    }

    #[test]
    fn the_map_view_round_trips_and_zooms_about_the_pointer() {
        let size = (720.0, 360.0);
        let mut view = MapView::world(720.0);
        assert_eq!(view.to_screen(0.0, 0.0, size), (360.0, 180.0));
        assert_eq!(view.to_screen(-180.0, 90.0, size), (0.0, 0.0));
        let (lon, lat) = view.to_geo(500.0, 100.0, size);
        view.zoom_at(4.0, (500.0, 100.0), size);
        let (x, y) = view.to_screen(lon, lat, size);
        assert!((x - 500.0).abs() < 1e-6 && (y - 100.0).abs() < 1e-6);
        view.pan(10.0, 0.0);
        assert!((view.to_screen(lon, lat, size).0 - 510.0).abs() < 1e-6);
    }

    #[test]
    fn screen_bins_cull_outside_and_merge_per_cell() {
        let at = |id, lon, lat| EventPoint {
            id,
            lon: Some(lon),
            lat: Some(lat),
            best: Some(1),
            ..EventPoint::default()
        };
        let points = vec![
            at(1, 0.0, 0.0),
            at(2, 0.001, 0.001),
            at(3, 90.0, 0.0),
            at(4, 179.9, 0.0),
        ];
        let size = (720.0, 360.0);
        let mut view = MapView::world(720.0);
        assert_eq!(screen_bins(&points, &view, size, 8.0).len(), 3);
        view.zoom_at(4.0, (360.0, 180.0), size);
        let bins = screen_bins(&points, &view, size, 8.0);
        assert_eq!(bins.len(), 1);
        assert_eq!((bins[0].events, bins[0].deaths), (2, 2));
    }

    #[test]
    fn the_table_sorts_both_ways_with_unknowns_last_and_filters() {
        let mut points = vec![
            point(1, "2024-01-16", 2, None, None),
            point(2, "2024-01-18", 9, Some(9), Some(11)),
            point(3, "2024-02-03", 4, Some(3), None),
        ];
        points[0].place = Some("Balochistan".to_owned());
        points[1].place = Some("Saravan".to_owned());
        let all = |_: &EventPoint| true;
        assert_eq!(
            table_order(&points, SortColumn::Best, true, all),
            vec![0, 2, 1]
        );
        assert_eq!(
            table_order(&points, SortColumn::Best, false, all),
            vec![1, 2, 0]
        );
        assert_eq!(
            table_order(&points, SortColumn::Low, true, all),
            vec![2, 1, 0]
        );
        assert_eq!(
            table_order(&points, SortColumn::Low, false, all),
            vec![1, 2, 0]
        );
        assert_eq!(
            table_order(&points, SortColumn::Place, false, all),
            vec![1, 0, 2]
        );
        assert_eq!(
            table_order(&points, SortColumn::Date, false, all),
            vec![2, 1, 0]
        );
        let january = |p: &EventPoint| starts_in(p, Period::Month, day("2024-01-01"));
        assert_eq!(
            table_order(&points, SortColumn::Date, true, january),
            vec![0, 1]
        );
    }
}

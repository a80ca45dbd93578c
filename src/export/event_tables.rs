//! The event datasets: `events-ucdp` (the columns of UCDP GED, in its order) and
//! `events-acled` (ACLED's public columns), one row per event, and beside each an evidence
//! file that names, per row and cell, the annotations the value rests on.
//!
//! Only the dataset's own columns go in the table, so it loads beside the real dataset
//! (`pd.concat` adds no column); what Annalist knows beyond them goes in the evidence file.
//! A value nothing says is an empty cell, never a guess.

use std::collections::HashMap;
use std::io::{self, BufWriter, Write};

use super::CsvCells;
use super::iso3166;
use super::values::csv_cell;
use crate::model::{AnnotationId, Event, Evidence, Traced};

/// The columns of UCDP GED (version 19.1 and later), in the dataset's order.
pub const UCDP_COLUMNS: [&str; 41] = [
    "id",
    "year",
    "active_year",
    "type_of_violence",
    "conflict_new_id",
    "conflict_name",
    "dyad_new_id",
    "dyad_name",
    "side_a_new_id",
    "side_a",
    "side_b_new_id",
    "gwnob",
    "side_b",
    "number_of_sources",
    "source_article",
    "source_office",
    "source_date",
    "source_headline",
    "source_original",
    "where_prec",
    "where_coordinates",
    "adm_1",
    "adm_2",
    "latitude",
    "longitude",
    "geom_wkt",
    "priogrid_gid",
    "country",
    "country_id",
    "region",
    "event_clarity",
    "date_prec",
    "date_start",
    "date_end",
    "deaths_a",
    "deaths_b",
    "deaths_civilians",
    "deaths_unknown",
    "low",
    "best",
    "high",
];

/// ACLED's public columns, in the dataset's order.
pub const ACLED_COLUMNS: [&str; 17] = [
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "actor2",
    "country",
    "admin1",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "notes",
    "fatalities",
];

/// The columns of the evidence file beside either table: one row per cell and span it rests
/// on (or one row, without a span, for a value set by hand).
pub const EVIDENCE_COLUMNS: [&str; 9] = [
    "row",
    "event_id",
    "column",
    "value",
    "article_id",
    "annotation_id",
    "annotation_uid",
    "quote",
    "by_hand",
];

/// Which dataset a table follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventDataset {
    /// UCDP GED ([`UCDP_COLUMNS`]).
    Ucdp,
    /// ACLED ([`ACLED_COLUMNS`]).
    Acled,
}

/// An event with what its row needs beyond the event itself: the text of each span its
/// values rest on (for the evidence file's `quote`) and who makes its claims (UCDP's
/// `source_original`), both read from the store by the caller.
#[derive(Debug, Clone)]
pub struct EventRecord<'a> {
    /// The event.
    pub event: &'a Event,
    /// The quoted text of each evidence span, by annotation id (the claims and the spans
    /// they link to); a span missing here gets an empty quote.
    pub quotes: &'a HashMap<AnnotationId, String>,
    /// Who makes the claims, in order, without repeats (`Iran's foreign ministry`).
    pub claimed_by: Vec<String>,
}

/// One table cell: the text written and the evidence it rests on.
struct Cell {
    text: String,
    from: Vec<Evidence>,
    by_hand: bool,
}

impl Cell {
    fn empty() -> Self {
        Self::plain(String::new())
    }

    /// A value that rests on no span (the event's id, a count of sources).
    fn plain(text: String) -> Self {
        Self {
            text,
            from: Vec::new(),
            by_hand: false,
        }
    }

    fn traced<T: ToString>(value: &Traced<T>) -> Self {
        Self::mapped(value, T::to_string)
    }

    /// A traced value written through `write` (a code mapped to another dataset's code).
    fn mapped<T>(value: &Traced<T>, write: impl Fn(&T) -> String) -> Self {
        Self {
            text: value.value.as_ref().map(write).unwrap_or_default(),
            from: value.from.clone(),
            by_hand: value.by_hand,
        }
    }

    /// A value computed from several traced values: it rests on all of their spans.
    fn from_all(text: Option<String>, parts: &[&dyn Tracing]) -> Self {
        let Some(text) = text else {
            return Self::empty();
        };
        let mut from: Vec<Evidence> = parts.iter().flat_map(|p| p.evidence()).collect();
        from.sort();
        from.dedup();
        Self {
            text,
            from,
            by_hand: parts.iter().any(|p| p.set_by_hand()),
        }
    }
}

/// What [`Cell::from_all`] reads of a traced value of any type.
trait Tracing {
    fn evidence(&self) -> Vec<Evidence>;
    fn set_by_hand(&self) -> bool;
}

impl<T> Tracing for Traced<T> {
    fn evidence(&self) -> Vec<Evidence> {
        self.from.clone()
    }

    fn set_by_hand(&self) -> bool {
        self.by_hand
    }
}

/// Writes one dataset table and its evidence file, a row at a time.
pub struct EventTableWriter {
    dataset: EventDataset,
    table: csv::Writer<BufWriter<Box<dyn Write + Send>>>,
    evidence: csv::Writer<BufWriter<Box<dyn Write + Send>>>,
    cells: CsvCells,
    rows: u64,
}

impl EventTableWriter {
    /// Writes both headers at once. The table's rows end in CRLF as RFC 4180 and the other
    /// CSV exports do.
    pub fn new(
        dataset: EventDataset,
        table: Box<dyn Write + Send>,
        evidence: Box<dyn Write + Send>,
        cells: CsvCells,
    ) -> io::Result<Self> {
        let writer = |out| {
            csv::WriterBuilder::new()
                .terminator(csv::Terminator::CRLF)
                .from_writer(BufWriter::new(out))
        };
        let mut table = writer(table);
        let mut evidence = writer(evidence);
        match dataset {
            EventDataset::Ucdp => table.write_record(UCDP_COLUMNS)?,
            EventDataset::Acled => table.write_record(ACLED_COLUMNS)?,
        }
        evidence.write_record(EVIDENCE_COLUMNS)?;
        Ok(Self {
            dataset,
            table,
            evidence,
            cells,
            rows: 0,
        })
    }

    /// Writes one event's row, and one evidence row per cell and span.
    pub fn write(&mut self, record: &EventRecord<'_>) -> io::Result<()> {
        self.rows += 1;
        let row = match self.dataset {
            EventDataset::Ucdp => Vec::from(ucdp_row(record)),
            EventDataset::Acled => Vec::from(acled_row(record)),
        };
        let columns: &[&str] = match self.dataset {
            EventDataset::Ucdp => &UCDP_COLUMNS,
            EventDataset::Acled => &ACLED_COLUMNS,
        };
        let row_number = self.rows.to_string();
        let event_id = record.event.id.to_string();
        for (column, cell) in columns.iter().zip(&row) {
            if cell.by_hand && cell.from.is_empty() {
                self.evidence.write_record([
                    row_number.as_str(),
                    &event_id,
                    column,
                    &csv_cell(cell.text.clone(), self.cells),
                    "",
                    "",
                    "",
                    "",
                    "true",
                ])?;
            }
            for (nth, span) in cell.from.iter().enumerate() {
                let quote = record
                    .quotes
                    .get(&span.annotation_id)
                    .cloned()
                    .unwrap_or_default();
                // The value once per cell: a cell joining many sources rests on as many
                // spans, and repeating it on each row would grow the file quadratically.
                let value = if nth == 0 {
                    csv_cell(cell.text.clone(), self.cells)
                } else {
                    String::new()
                };
                self.evidence.write_record([
                    row_number.as_str(),
                    &event_id,
                    column,
                    &value,
                    &span.article_id.to_string(),
                    &span.annotation_id.to_string(),
                    &span.uid,
                    &csv_cell(quote, self.cells),
                    if cell.by_hand { "true" } else { "false" },
                ])?;
            }
        }
        self.table
            .write_record(row.into_iter().map(|cell| csv_cell(cell.text, self.cells)))?;
        Ok(())
    }

    /// Flushes both files; returns the number of rows written.
    pub fn finish(mut self) -> io::Result<u64> {
        self.table.flush()?;
        self.evidence.flush()?;
        Ok(self.rows)
    }
}

/// Several values in one cell, as UCDP joins its sources.
const UCDP_JOIN: &str = ";";

/// One UCDP GED row, in [`UCDP_COLUMNS`] order.
fn ucdp_row(record: &EventRecord<'_>) -> [Cell; 41] {
    let e = record.event;
    let sources = &e.sources;
    let joined = |part: &dyn Fn(&crate::model::EventSource) -> String| {
        let parts: Vec<String> = sources.iter().map(part).collect();
        (!parts.iter().all(String::is_empty)).then(|| parts.join(UCDP_JOIN))
    };
    let claims = Traced {
        value: Some(()),
        from: e.claims.clone(),
        by_hand: false,
    };
    let source_cell = |text: Option<String>| Cell::from_all(text, &[&claims]);
    let date = |d: &Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let dyad = match (&e.side_a.value, &e.side_b.value) {
        (Some(a), Some(b)) => Some(format!("{a} - {b}")),
        _ => None,
    };
    let point = match (e.lat.value, e.lon.value) {
        (Some(lat), Some(lon)) => Some((lat, lon)),
        _ => None,
    };
    let unknown = e.deaths_best.value.map(|best| {
        best.saturating_sub(e.deaths_civilians.value.unwrap_or(0))
            .to_string()
    });
    [
        Cell::plain(e.id.to_string()),
        Cell::mapped(&e.date_start, |d| chrono::Datelike::year(d).to_string()),
        Cell::empty(),
        Cell::traced(&e.violence),
        Cell::empty(),
        Cell::empty(),
        Cell::empty(),
        Cell::from_all(dyad, &[&e.side_a, &e.side_b]),
        Cell::empty(),
        Cell::traced(&e.side_a),
        Cell::empty(),
        Cell::empty(),
        Cell::traced(&e.side_b),
        source_cell((!sources.is_empty()).then(|| sources.len().to_string())),
        source_cell(joined(&|s| {
            format!(
                "{},{},{}",
                s.outlet.clone().unwrap_or_default(),
                date(&s.published),
                s.headline.clone().unwrap_or_default()
            )
        })),
        source_cell(joined(&|s| s.outlet.clone().unwrap_or_default())),
        source_cell(joined(&|s| date(&s.published))),
        source_cell(joined(&|s| s.headline.clone().unwrap_or_default())),
        source_cell((!record.claimed_by.is_empty()).then(|| record.claimed_by.join(UCDP_JOIN))),
        Cell::traced(&e.where_prec),
        Cell::traced(&e.place),
        Cell::traced(&e.adm1),
        Cell::empty(),
        Cell::traced(&e.lat),
        Cell::traced(&e.lon),
        Cell::from_all(
            point.map(|(lat, lon)| format!("POINT ({lon} {lat})")),
            &[&e.lat, &e.lon],
        ),
        Cell::from_all(
            point.and_then(|(lat, lon)| priogrid_gid(lat, lon).map(|g| g.to_string())),
            &[&e.lat, &e.lon],
        ),
        Cell::traced(&e.country),
        Cell::empty(),
        Cell::empty(),
        Cell::empty(),
        Cell::traced(&e.date_prec),
        Cell::traced(&e.date_start),
        Cell::traced(&e.date_end),
        Cell::empty(),
        Cell::empty(),
        Cell::traced(&e.deaths_civilians),
        Cell::from_all(unknown, &[&e.deaths_best, &e.deaths_civilians]),
        Cell::traced(&e.deaths_low),
        Cell::traced(&e.deaths_best),
        Cell::traced(&e.deaths_high),
    ]
}

/// The PRIO-GRID cell (0.5° × 0.5°, numbered from 1 at 90°S 180°W, row by row eastwards) of
/// a point, as UCDP's `priogrid_gid`; `None` off the globe.
pub fn priogrid_gid(lat: f64, lon: f64) -> Option<u32> {
    if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
        return None;
    }
    // The north pole and the antimeridian belong to the last row and column.
    let row = (((lat + 90.0) * 2.0).floor() as u32).min(359);
    let col = (((lon + 180.0) * 2.0).floor() as u32).min(719);
    Some(row * 720 + col + 1)
}

/// ACLED's `time_precision` (1 day, 2 week, 3 month or coarser) of a UCDP `date_prec`.
fn acled_time_precision(date_prec: u8) -> u8 {
    match date_prec {
        0 | 1 => 1,
        2 | 3 => 2,
        _ => 3,
    }
}

/// ACLED's `geo_precision` (1 the place, 2 near it or part of a region, 3 the region or
/// coarser) of a UCDP `where_prec`.
fn acled_geo_precision(where_prec: u8) -> u8 {
    match where_prec {
        0 | 1 => 1,
        2 | 3 => 2,
        _ => 3,
    }
}

/// Several sources in one cell, as ACLED joins them.
const ACLED_JOIN: &str = "; ";

/// One ACLED row, in [`ACLED_COLUMNS`] order.
fn acled_row(record: &EventRecord<'_>) -> [Cell; 17] {
    let e = record.event;
    let claims = Traced {
        value: Some(()),
        from: e.claims.clone(),
        by_hand: false,
    };
    let id = match e.country_code.value.as_deref().and_then(iso3166::alpha3) {
        Some(prefix) => format!("{prefix}{}", e.id),
        None => e.id.to_string(),
    };
    let mut outlets: Vec<String> = e.sources.iter().filter_map(|s| s.outlet.clone()).collect();
    outlets.dedup();
    let quotes: Vec<String> = e
        .claims
        .iter()
        .filter_map(|claim| record.quotes.get(&claim.annotation_id).cloned())
        .collect();
    [
        Cell::from_all(Some(id), &[&e.country_code]),
        Cell::traced(&e.date_start),
        Cell::mapped(&e.date_start, |d| chrono::Datelike::year(d).to_string()),
        Cell::mapped(&e.date_prec, |p| acled_time_precision(*p).to_string()),
        Cell::traced(&e.event_type),
        Cell::traced(&e.sub_event_type),
        Cell::traced(&e.side_a),
        Cell::traced(&e.side_b),
        Cell::traced(&e.country),
        Cell::traced(&e.adm1),
        Cell::traced(&e.place),
        Cell::traced(&e.lat),
        Cell::traced(&e.lon),
        Cell::mapped(&e.where_prec, |p| acled_geo_precision(*p).to_string()),
        Cell::from_all(
            (!outlets.is_empty()).then(|| outlets.join(ACLED_JOIN)),
            &[&claims],
        ),
        Cell::from_all((!quotes.is_empty()).then(|| quotes.join(" | ")), &[&claims]),
        Cell::traced(&e.fatalities),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn priogrid_cells_are_ucdps() {
        // Rows of the UCDP GED file in ../shared (id 214797 and 214814).
        assert_eq!(priogrid_gid(34.802462, 36.707602), Some(179714));
        assert_eq!(priogrid_gid(36.496133, 37.003318), Some(181875));
        assert_eq!(priogrid_gid(-90.0, -180.0), Some(1));
        assert_eq!(priogrid_gid(90.0, 180.0), Some(360 * 720));
        assert_eq!(priogrid_gid(91.0, 0.0), None);
        assert_eq!(priogrid_gid(f64::NAN, 0.0), None);
    }

    #[test]
    fn precisions_map_to_acleds_codes() {
        assert_eq!([1, 2, 3, 4, 5].map(acled_time_precision), [1, 2, 2, 3, 3]);
        assert_eq!(
            [1, 2, 3, 4, 5, 6, 7].map(acled_geo_precision),
            [1, 2, 2, 3, 3, 3, 3]
        );
    }
}

//! The `csv` export: one RFC 4180 row per annotation with its article's metadata, the
//! attributes as compact JSON and the conventional attributes in columns of their own.

use std::io;

use super::values::{CodePoints, cell, csv_cell};
use super::{CsvCells, Output, RecordSink};
use crate::model::{Annotation, Article, Provenance, attrs};

/// Columns before the attribute columns.
const FIXED_COLUMNS: [&str; 14] = [
    "article_id",
    "title",
    "published",
    "url",
    "source",
    "annotation_id",
    "label",
    "start",
    "end",
    "text",
    "status",
    "annotator",
    "coder",
    "attrs",
];

/// The attribute keys of the default labels, each given a column (LOC's `country_code`,
/// `lat`, `lon`, `adm1` and `where_prec` included, so places need no JSON parsing either).
const ATTRIBUTE_COLUMNS: [&str; 16] = [
    attrs::COUNT,
    attrs::LOW,
    attrs::HIGH,
    attrs::OUTCOME,
    attrs::VICTIMS,
    attrs::QUALIFIER,
    attrs::CLAIMED_BY,
    attrs::VALUE,
    attrs::PRECISION,
    attrs::ANCHOR,
    attrs::CANONICAL,
    attrs::COUNTRY_CODE,
    attrs::LAT,
    attrs::LON,
    attrs::ADM1,
    attrs::WHERE_PREC,
];

/// The columns an export of the adjudicated layer adds after the attribute columns.
const ADJUDICATION_COLUMNS: [&str; 3] = ["adjudicated_by", "from_coders", "edited"];

/// Writes the header before the first row (or at the end of an empty export), then one row
/// per annotation.
pub(super) struct AnnotationsCsvSink {
    out: csv::Writer<Output>,
    cells: CsvCells,
    /// Whether the header is written.
    started: bool,
    /// Whether the adjudication columns are written.
    adjudication: bool,
    /// The provenance given for the next article.
    provenance: Vec<Provenance>,
}

impl AnnotationsCsvSink {
    pub(super) fn new(out: Output, cells: CsvCells) -> io::Result<Self> {
        let out = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(out);
        Ok(Self {
            out,
            cells,
            started: false,
            adjudication: false,
            provenance: Vec::new(),
        })
    }

    fn start(&mut self) -> io::Result<()> {
        if !self.started {
            let extra: &[&str] = if self.adjudication {
                &ADJUDICATION_COLUMNS
            } else {
                &[]
            };
            self.out
                .write_record(FIXED_COLUMNS.iter().chain(&ATTRIBUTE_COLUMNS).chain(extra))?;
            self.started = true;
        }
        Ok(())
    }

    /// The adjudication cells of one annotation (empty without provenance).
    fn adjudication_cells(&self, annotation: &Annotation) -> Vec<String> {
        if !self.adjudication {
            return Vec::new();
        }
        match self
            .provenance
            .iter()
            .find(|p| p.annotation_id == annotation.id)
        {
            Some(p) => vec![p.by.clone(), p.from_coders(), p.edited.to_string()],
            None => vec![String::new(); ADJUDICATION_COLUMNS.len()],
        }
    }
}

impl RecordSink for AnnotationsCsvSink {
    fn write(&mut self, article: &Article, annotations: &[Annotation]) -> io::Result<()> {
        self.start()?;
        if annotations.is_empty() {
            return Ok(());
        }
        let text = CodePoints::new(&article.text);
        let article_id = article.id.to_string();
        let published = article.published.map(|d| d.to_string()).unwrap_or_default();
        let url = article.url.as_deref().unwrap_or_default();
        let source = article.source.as_deref().unwrap_or_default();
        for annotation in annotations {
            let attrs = serde_json::Value::Object(annotation.attrs.clone()).to_string();
            let fixed = [
                article_id.as_str(),
                &article.title,
                &published,
                url,
                source,
                &annotation.id.to_string(),
                &annotation.label,
                &annotation.span.start().to_string(),
                &annotation.span.end().to_string(),
                text.slice(annotation.span.start(), annotation.span.end()),
                annotation.status.as_str(),
                &annotation.annotator,
                &annotation.coder,
                &attrs,
            ]
            .map(str::to_owned);
            let attributes = ATTRIBUTE_COLUMNS.map(|key| cell(annotation.attrs.get(key)));
            let row = fixed
                .into_iter()
                .chain(attributes)
                .chain(self.adjudication_cells(annotation));
            self.out
                .write_record(row.map(|value| csv_cell(value, self.cells)))?;
        }
        Ok(())
    }

    fn finish(mut self: Box<Self>) -> io::Result<()> {
        self.start()?;
        self.out.flush()
    }

    fn provenance(&mut self, provenance: Vec<Provenance>) {
        self.provenance = provenance;
    }

    fn adjudication_columns(&mut self) {
        self.adjudication = true;
    }
}

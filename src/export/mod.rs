//! Export writers: articles and annotations out to a stream or a folder, in a deterministic order.
//!
//! Owns: the byte layout of every export format (`docs/formats.md`). Must not read the
//! store itself: callers hand records in, one article at a time, so exports stream in memory
//! that does not grow with the number of articles.

mod annotations_csv;
mod brat;
mod brat_conf;
mod conll;
mod doccano;
mod event_tables;
mod events_csv;
mod iso3166;
mod json_array;
mod jsonl;
mod label_studio;
mod manifest;
mod parquet;
mod parquet_table;
mod tokenize;
mod values;
mod web_annotation;

#[cfg(test)]
mod tests;

pub use event_tables::{
    ACLED_COLUMNS, EVIDENCE_COLUMNS, EventDataset, EventRecord, EventTableWriter, UCDP_COLUMNS,
    priogrid_gid,
};
pub use events_csv::CLAIM_LABEL;
pub(crate) use jsonl::links_as_uids;
pub use jsonl::{JsonlWriter, NativeAnnotation, NativeProvenance, NativeRecord};
pub use manifest::Manifest;
pub use parquet::{
    ANNOTATIONS_FILE as PARQUET_ANNOTATIONS_FILE, ARTICLES_FILE as PARQUET_ARTICLES_FILE,
};

use std::fmt;
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::str::FromStr;

use crate::model::{Annotation, Article, LabelSchema};

/// Export formats: one per tool a researcher moves data to (see `docs/formats.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ExportFormat {
    /// The native JSONL record (see `docs/formats.md`): lossless, re-importable.
    Jsonl,
    /// One CSV row per annotation, for spreadsheets, R and pandas.
    Csv,
    /// One CSV row per casualty claim with its linked date, place and actors resolved.
    EventsCsv,
    /// CoNLL-2003 style token/IOB2 tag columns, for NER trainers.
    Conll,
    /// brat standoff: a folder of `.txt` and `.ann` files with `annotation.conf`.
    Brat,
    /// doccano sequence-labelling JSONL, to move work to and from doccano.
    Doccano,
    /// Label Studio task JSON, to move work to and from Label Studio.
    LabelStudio,
    /// A W3C Web Annotation `AnnotationPage` (JSON-LD), for archives and digital humanities.
    WebAnnotation,
    /// One row per event in UCDP GED's columns, with an evidence file beside it.
    EventsUcdp,
    /// One row per event in ACLED's public columns, with an evidence file beside it.
    EventsAcled,
    /// Two Parquet files in a folder, articles and annotations, with typed columns: pandas,
    /// pyarrow, R's arrow, DuckDB.
    Parquet,
}

impl ExportFormat {
    /// Every format, in the order help texts list them.
    pub const ALL: [Self; 11] = [
        Self::Jsonl,
        Self::Csv,
        Self::EventsCsv,
        Self::Conll,
        Self::Brat,
        Self::Doccano,
        Self::LabelStudio,
        Self::WebAnnotation,
        Self::EventsUcdp,
        Self::EventsAcled,
        Self::Parquet,
    ];

    /// Name on the command line and in manifests.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Jsonl => "jsonl",
            Self::Csv => "csv",
            Self::EventsCsv => "events-csv",
            Self::Conll => "conll",
            Self::Brat => "brat",
            Self::Doccano => "doccano",
            Self::LabelStudio => "label-studio",
            Self::WebAnnotation => "web-annotation",
            Self::EventsUcdp => "events-ucdp",
            Self::EventsAcled => "events-acled",
            Self::Parquet => "parquet",
        }
    }

    /// Whether the export is a folder of files ([`Destination::Folder`]) rather than one stream,
    /// so callers know which destination to ask the user for.
    pub fn writes_folder(self) -> bool {
        matches!(self, Self::Brat | Self::Parquet)
    }

    /// The event dataset the format writes, for the formats with one row per event (rather
    /// than per article or annotation).
    pub fn event_dataset(self) -> Option<EventDataset> {
        match self {
            Self::EventsUcdp => Some(EventDataset::Ucdp),
            Self::EventsAcled => Some(EventDataset::Acled),
            _ => None,
        }
    }

    /// File name extension (without the dot) to suggest for the output; empty for folders.
    pub fn default_extension(self) -> &'static str {
        match self {
            Self::Jsonl | Self::Doccano => "jsonl",
            Self::Csv | Self::EventsCsv | Self::EventsUcdp | Self::EventsAcled => "csv",
            Self::Conll => "conll",
            Self::Brat | Self::Parquet => "",
            Self::LabelStudio => "json",
            Self::WebAnnotation => "jsonld",
        }
    }

    /// The suggested file (or folder) name for an export in this format; formats that share
    /// an extension get names of their own, so one export never replaces another's file.
    pub fn file_name(self) -> String {
        match self {
            Self::EventsCsv => "annalist-events.csv".to_owned(),
            Self::EventsUcdp => "annalist-events-ucdp.csv".to_owned(),
            Self::EventsAcled => "annalist-events-acled.csv".to_owned(),
            Self::Doccano => "annalist-doccano.jsonl".to_owned(),
            _ => match self.default_extension() {
                "" => format!("annalist-{self}"),
                extension => format!("annalist-export.{extension}"),
            },
        }
    }

    /// The command-line names joined for help and error messages.
    fn names() -> String {
        Self::ALL.map(Self::as_str).join(", ")
    }
}

impl fmt::Display for ExportFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ExportFormat {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|format| format.as_str() == s)
            .ok_or_else(|| format!("unknown export format '{s}': available: {}", Self::names()))
    }
}

// ---

/// Where an export goes: one stream for most formats, a folder for brat.
pub enum Destination {
    /// A file or standard output; the sink buffers it and flushes it in `finish`.
    Stream(Box<dyn Write + Send>),
    /// A folder to create (or an empty one) for formats that write many files.
    Folder(PathBuf),
}

impl fmt::Debug for Destination {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Stream(_) => f.write_str("Stream(..)"),
            Self::Folder(path) => f.debug_tuple("Folder").field(path).finish(),
        }
    }
}

/// Receives articles one at a time, in id order, with the annotations chosen for export
/// (sorted by start, end, label, id). One trait for every format, so the service streams the
/// store into any of them without knowing their layout.
pub trait RecordSink: Send {
    /// Writes one article and its annotations.
    fn write(&mut self, article: &Article, annotations: &[Annotation]) -> io::Result<()>;

    /// Writes what closes the export (closing brackets, brat's configuration files) and
    /// flushes. An export that is not finished is incomplete.
    fn finish(self: Box<Self>) -> io::Result<()>;

    /// The files a folder sink wrote since the last call (none for a stream), so the
    /// manifest can list them and a later export can tell its own files from a user's.
    fn take_files(&mut self) -> Vec<WrittenFile> {
        Vec::new()
    }

    /// The provenance of the adjudicated annotations of the next [`Self::write`]; the
    /// formats that carry it (native JSONL, `csv`) keep it, the others ignore it.
    fn provenance(&mut self, _provenance: Vec<crate::model::Provenance>) {}

    /// Adds the adjudication columns to a table (`csv`: `adjudicated_by`, `from_coders`,
    /// `edited`), for an export of the adjudicated layer; called before the first write.
    fn adjudication_columns(&mut self) {}

    /// [`Self::finish`], returning the files finishing wrote (brat's configuration).
    fn finish_listing(self: Box<Self>) -> io::Result<Vec<WrittenFile>> {
        self.finish().map(|()| Vec::new())
    }
}

/// A file a folder export wrote: its name inside the folder and the SHA-256 of its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrittenFile {
    /// The file name inside the export folder.
    pub name: String,
    /// Lowercase hex SHA-256 of what was written.
    pub sha256: String,
}

/// A sink writing `format` to `destination`. `labels` is the archive's schema: brat's
/// configuration lists its labels and colours. A folder destination for a stream format, or
/// a stream for brat, is refused with an `InvalidInput` error that says what to give instead.
pub fn sink(
    format: ExportFormat,
    destination: Destination,
    labels: &LabelSchema,
) -> io::Result<Box<dyn RecordSink>> {
    sink_with(format, destination, labels, CsvCells::Neutralised)
}

/// How the CSV formats write text cells that a spreadsheet would run as a formula (OWASP
/// "CSV injection": a cell starting with `=`, `+`, `-`, `@`, tab or CR).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum CsvCells {
    /// Such a cell gets a leading `'`, which spreadsheets show as text; numbers (`-5`) are
    /// left as they are.
    #[default]
    Neutralised,
    /// Every cell exactly as stored (`--csv-raw`), for tools that read CSV as data.
    Raw,
}

/// [`sink`], choosing how the CSV formats write cells that look like formulas.
pub fn sink_with(
    format: ExportFormat,
    destination: Destination,
    labels: &LabelSchema,
    cells: CsvCells,
) -> io::Result<Box<dyn RecordSink>> {
    Ok(match format {
        ExportFormat::Jsonl => Box::new(jsonl::JsonlSink::new(stream(format, destination)?)),
        ExportFormat::Csv => Box::new(annotations_csv::AnnotationsCsvSink::new(
            stream(format, destination)?,
            cells,
        )?),
        ExportFormat::EventsCsv => Box::new(events_csv::EventsCsvSink::new(
            stream(format, destination)?,
            cells,
        )?),
        ExportFormat::Conll => Box::new(conll::ConllSink::new(stream(format, destination)?)),
        ExportFormat::Brat => Box::new(brat::BratSink::create(
            folder(format, destination)?,
            labels,
        )?),
        ExportFormat::Doccano => Box::new(doccano::DoccanoSink::new(stream(format, destination)?)),
        ExportFormat::LabelStudio => Box::new(label_studio::LabelStudioSink::new(stream(
            format,
            destination,
        )?)?),
        ExportFormat::WebAnnotation => Box::new(web_annotation::WebAnnotationSink::new(stream(
            format,
            destination,
        )?)?),
        ExportFormat::Parquet => {
            Box::new(parquet::ParquetSink::create(folder(format, destination)?)?)
        }
        ExportFormat::EventsUcdp | ExportFormat::EventsAcled => {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "the {format} export has one row per event, not per article: it is written to a file with its evidence file beside it (give --out FILE)"
                ),
            ));
        }
    })
}

/// The buffered stream every single-file sink writes to.
type Output = BufWriter<Box<dyn Write + Send>>;

fn stream(format: ExportFormat, destination: Destination) -> io::Result<Output> {
    match destination {
        Destination::Stream(out) => Ok(BufWriter::new(out)),
        Destination::Folder(dir) => Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "the {format} export is one file, not a folder: give a file name (or standard output) instead of the folder {}",
                dir.display()
            ),
        )),
    }
}

fn folder(format: ExportFormat, destination: Destination) -> io::Result<PathBuf> {
    match destination {
        Destination::Folder(dir) => Ok(dir),
        Destination::Stream(_) => Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "the {format} export is a folder of {}: give a folder path, not a file or standard output",
                if format == ExportFormat::Parquet {
                    "two Parquet files"
                } else {
                    ".txt and .ann files"
                }
            ),
        )),
    }
}

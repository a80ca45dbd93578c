//! The `parquet` export: a folder with `articles.parquet` (one row per article) and
//! `annotations.parquet` (one row per annotation), flat typed columns (integers for ids,
//! offsets and counts, `date32` for publication dates, UTC millisecond timestamps, UTF-8
//! strings), written in row groups so memory follows the group, not the export.

use std::io;
use std::path::PathBuf;

use chrono::{DateTime, Datelike, NaiveDate};
use serde_json::Value;

use super::parquet_table::{Cell, Column, Kind, Table};
use super::{RecordSink, WrittenFile};
use crate::model::{Annotation, Article, attrs};

/// The articles file's name inside the export folder.
pub const ARTICLES_FILE: &str = "articles.parquet";
/// The annotations file's name inside the export folder.
pub const ANNOTATIONS_FILE: &str = "annotations.parquet";

/// Articles per row group (their texts also close a group at 32 MB).
const ARTICLES_PER_GROUP: usize = 8_192;
/// Annotations per row group.
const ANNOTATIONS_PER_GROUP: usize = 65_536;

/// Days from 0001-01-01 (day 1 of the common era) to 1970-01-01, Arrow's `date32` epoch.
const UNIX_EPOCH_FROM_CE: i32 = 719_163;

const fn column(name: &'static str, kind: Kind, optional: bool) -> Column {
    Column {
        name,
        kind,
        optional,
    }
}

/// The columns of `articles.parquet` (docs/formats.md, `parquet`).
static ARTICLE_COLUMNS: [Column; 10] = [
    column("article_id", Kind::Int64, false),
    column("title", Kind::Text, false),
    column("text", Kind::Text, false),
    column("published", Kind::Text, true),
    column("published_date", Kind::Date, true),
    column("url", Kind::Text, true),
    column("source", Kind::Text, true),
    column("content_sha256", Kind::Text, false),
    column("imported_at", Kind::Timestamp, true),
    column("annotations", Kind::Int64, false),
];

/// The columns of `annotations.parquet` (docs/formats.md, `parquet`).
static ANNOTATION_COLUMNS: [Column; 17] = [
    column("article_id", Kind::Int64, false),
    column("annotation_id", Kind::Int64, false),
    column("uid", Kind::Text, false),
    column("label", Kind::Text, false),
    column("start", Kind::Int64, false),
    column("end", Kind::Int64, false),
    column("text", Kind::Text, false),
    column("status", Kind::Text, false),
    column("annotator", Kind::Text, false),
    column("coder", Kind::Text, true),
    column("attrs", Kind::Text, false),
    column(attrs::COUNT, Kind::Int64, true),
    column(attrs::LOW, Kind::Int64, true),
    column(attrs::HIGH, Kind::Int64, true),
    column(attrs::VALUE, Kind::Text, true),
    column("created_at", Kind::Timestamp, true),
    column("updated_at", Kind::Timestamp, true),
];

/// Writes the two tables into a folder that was empty.
pub(super) struct ParquetSink {
    articles: Table,
    annotations: Table,
}

impl ParquetSink {
    /// Creates the folder, or takes an existing empty one, and the two files in it.
    pub(super) fn create(dir: PathBuf) -> io::Result<Self> {
        super::brat::empty_folder(&dir, "parquet")?;
        Ok(Self {
            articles: Table::create(&dir, ARTICLES_FILE, &ARTICLE_COLUMNS, ARTICLES_PER_GROUP)?,
            annotations: Table::create(
                &dir,
                ANNOTATIONS_FILE,
                &ANNOTATION_COLUMNS,
                ANNOTATIONS_PER_GROUP,
            )?,
        })
    }
}

impl RecordSink for ParquetSink {
    fn write(&mut self, article: &Article, annotations: &[Annotation]) -> io::Result<()> {
        self.articles
            .push(article_row(article, annotations.len()))?;
        for annotation in annotations {
            self.annotations.push(annotation_row(annotation))?;
        }
        Ok(())
    }

    fn finish(self: Box<Self>) -> io::Result<()> {
        self.finish_listing().map(|_| ())
    }

    fn finish_listing(self: Box<Self>) -> io::Result<Vec<WrittenFile>> {
        let articles = self.articles.finish()?;
        let annotations = self.annotations.finish()?;
        Ok(vec![annotations, articles])
    }
}

fn article_row(article: &Article, annotations: usize) -> Vec<Cell> {
    vec![
        Cell::Int(Some(article.id.0)),
        Cell::Text(Some(article.title.clone())),
        Cell::Text(Some(article.text.clone())),
        Cell::Text(article.published.map(|date| date.to_string())),
        Cell::Date(article.published.map(|date| date32(date.first_day()))),
        Cell::Text(article.url.clone()),
        Cell::Text(article.source.clone()),
        Cell::Text(Some(article.content_sha256.clone())),
        Cell::Int(millis(&article.imported_at)),
        Cell::Int(Some(i64::try_from(annotations).unwrap_or(i64::MAX))),
    ]
}

fn annotation_row(annotation: &Annotation) -> Vec<Cell> {
    let integer = |key: &str| annotation.attrs.get(key).and_then(Value::as_i64);
    let offset = |offset: usize| Cell::Int(Some(i64::try_from(offset).unwrap_or(i64::MAX)));
    vec![
        Cell::Int(Some(annotation.article_id.0)),
        Cell::Int(Some(annotation.id.0)),
        Cell::Text(Some(annotation.uid.clone())),
        Cell::Text(Some(annotation.label.clone())),
        offset(annotation.span.start()),
        offset(annotation.span.end()),
        Cell::Text(Some(annotation.text.clone())),
        Cell::Text(Some(annotation.status.as_str().to_owned())),
        Cell::Text(Some(annotation.annotator.clone())),
        Cell::Text((!annotation.coder.is_empty()).then(|| annotation.coder.clone())),
        Cell::Text(Some(Value::Object(annotation.attrs.clone()).to_string())),
        Cell::Int(integer(attrs::COUNT)),
        Cell::Int(integer(attrs::LOW)),
        Cell::Int(integer(attrs::HIGH)),
        Cell::Text(
            annotation
                .attrs
                .get(attrs::VALUE)
                .and_then(Value::as_str)
                .map(str::to_owned),
        ),
        Cell::Int(millis(&annotation.created_at)),
        Cell::Int(millis(&annotation.updated_at)),
    ]
}

/// Days since 1970-01-01.
fn date32(date: NaiveDate) -> i32 {
    date.num_days_from_ce() - UNIX_EPOCH_FROM_CE
}

/// An RFC 3339 time as milliseconds since the epoch; none when it does not parse.
fn millis(text: &str) -> Option<i64> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|time| time.timestamp_millis())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_count_days_from_1970_and_times_milliseconds() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(date32(day(1970, 1, 1)), 0);
        assert_eq!(date32(day(2024, 1, 19)), 19_741);
        assert_eq!(date32(day(1969, 12, 31)), -1);
        assert_eq!(millis("1970-01-01T00:00:01.500Z"), Some(1_500));
        assert_eq!(millis("2024-01-19T10:00:00+02:00"), Some(1_705_651_200_000));
        assert_eq!(millis("yesterday"), None);
    }
}

//! CSV files with a header row: one article per row, columns matched by common names.

use std::borrow::Cow;
use std::ops::ControlFlow;

use csv::{ByteRecord, ReaderBuilder};
use encoding_rs::Encoding;

use super::ImportError;
use super::batch::{Batch, Place};
use super::encoding::{decode_fallback, decode_text, fallback_encoding, is_utf16};
use super::error::human_size;
use super::record::{
    PUBLISHED_FIELDS, RecordFields, SOURCE_FIELDS, TEXT_FIELDS, TITLE_FIELDS, URL_FIELDS,
    build_article, find_column,
};

/// Which column holds which article field.
struct Columns {
    count: usize,
    text: usize,
    title: Option<usize>,
    published: Option<usize>,
    url: Option<usize>,
    source: Option<usize>,
}

/// Imports every row. A missing header or text column is an error; ragged rows are skipped
/// and rows that are not UTF-8 are decoded with the file's fallback encoding, each with a
/// warning naming its line.
pub(crate) fn import(bytes: &[u8], batch: &mut Batch<'_>) -> Result<(), ImportError> {
    let bytes: Cow<'_, [u8]> = if is_utf16(bytes) {
        Cow::Owned(decode_text(bytes, None).0.into_bytes())
    } else {
        Cow::Borrowed(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes))
    };
    let fallback = match std::str::from_utf8(&bytes) {
        Ok(_) => None,
        Err(_) => Some(fallback_encoding(&bytes)),
    };
    import_rows(bytes.as_ref(), fallback, batch, &mut |_, _| {
        ControlFlow::Continue(())
    })
}

/// A row over the size limit was read past without being kept: the CSV reader stops on it
/// (as an I/O error carrying this) and is started again where the next row begins.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RowSkipped {
    /// The skipped row's size.
    pub(crate) row_bytes: u64,
    /// The limit it went over.
    pub(crate) limit: u64,
    /// The line the reader starts again on.
    pub(crate) next_line: u64,
    /// The byte offset the reader starts again at.
    pub(crate) next_byte: u64,
}

impl std::fmt::Display for RowSkipped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "row of {} is over the {} limit: skipped",
            human_size(self.row_bytes),
            human_size(self.limit)
        )
    }
}

impl std::error::Error for RowSkipped {}

/// Where a (restarted) CSV reader's positions are in the file.
#[derive(Debug, Clone, Copy, Default)]
struct Origin {
    /// Lines before the reader's first line.
    lines: u64,
    /// Bytes before the reader's first byte.
    bytes: u64,
}

/// Why [`read_rows`] returned.
enum RowsEnd {
    /// The end of the file, or `after_row` broke.
    Done,
    /// A row over the limit was read past; the reader starts again after it.
    Skipped(RowSkipped),
}

/// Reads the header and every row from `reader`, which may be a stream of any length:
/// `after_row` is called after each row with the byte offset where the next row starts,
/// and stops the file when it breaks. A read error (a cut gzip stream, a row over the
/// size limit that runs to the end of the file) stops the file with
/// [`ImportError::Stopped`] naming the line; the rows before it stay imported. A row that
/// `reader` read past as over the limit ([`RowSkipped`]) is a warning naming its line,
/// and the rows after it are read. `fallback` decodes fields that are not UTF-8.
pub(crate) fn import_rows<R: std::io::Read>(
    reader: R,
    fallback: Option<&'static Encoding>,
    batch: &mut Batch<'_>,
    after_row: &mut dyn FnMut(&mut Batch<'_>, u64) -> ControlFlow<()>,
) -> Result<(), ImportError> {
    let csv_error = |reason: String| ImportError::Csv {
        path: batch.path().to_path_buf(),
        reason,
    };
    let mut reader = ReaderBuilder::new().flexible(true).from_reader(reader);
    let header_record = reader
        .byte_headers()
        .map_err(|error| csv_error(format!("cannot read the header row: {error}")))?
        .clone();
    let headers: Vec<String> = header_record
        .iter()
        .map(|field| decode_field(field, fallback).0.trim().to_owned())
        .collect();
    if headers.iter().all(String::is_empty) {
        return Err(csv_error("no header row".to_owned()));
    }
    let Some(text) = find_column(&headers, TEXT_FIELDS) else {
        return Err(csv_error(format!(
            "no text column: found columns {}; expected one of {}",
            headers.join(", "),
            TEXT_FIELDS.join(", ")
        )));
    };
    let columns = Columns {
        count: headers.len(),
        text,
        title: find_column(&headers, TITLE_FIELDS),
        published: find_column(&headers, PUBLISHED_FIELDS),
        url: find_column(&headers, URL_FIELDS),
        source: find_column(&headers, SOURCE_FIELDS),
    };
    let mut origin = Origin::default();
    let mut rows_before = 0usize;
    loop {
        let read = Rows {
            columns: &columns,
            fallback,
            origin,
        };
        match read.read_rows(&mut reader, &mut rows_before, batch, after_row)? {
            RowsEnd::Done => return Ok(()),
            RowsEnd::Skipped(skipped) => {
                reader = ReaderBuilder::new()
                    .flexible(true)
                    .has_headers(false)
                    .from_reader(reader.into_inner());
                origin = Origin {
                    lines: skipped.next_line.saturating_sub(1),
                    bytes: skipped.next_byte,
                };
            }
        }
    }
}

/// How to read the rows of one reader.
struct Rows<'c> {
    columns: &'c Columns,
    fallback: Option<&'static Encoding>,
    origin: Origin,
}

impl Rows<'_> {
    /// Reads rows until the end, a break, a stop or a skipped row (warned about here).
    fn read_rows<R: std::io::Read>(
        &self,
        reader: &mut csv::Reader<R>,
        row_number: &mut usize,
        batch: &mut Batch<'_>,
        after_row: &mut dyn FnMut(&mut Batch<'_>, u64) -> ControlFlow<()>,
    ) -> Result<RowsEnd, ImportError> {
        let line = |position: &csv::Position| self.origin.lines + position.line();
        let mut record = ByteRecord::new();
        // Where the row being read starts, to name it when reading stops inside it.
        let mut row_line = line(reader.position());
        loop {
            *row_number += 1;
            match reader.read_byte_record(&mut record) {
                Ok(true) => {}
                Ok(false) => return Ok(RowsEnd::Done),
                Err(error) => {
                    if let csv::ErrorKind::Io(io_error) = error.kind() {
                        let skipped = io_error
                            .get_ref()
                            .and_then(|inner| inner.downcast_ref::<RowSkipped>());
                        if let Some(skipped) = skipped {
                            batch.warn(Place::Line(row_line), skipped.to_string());
                            return Ok(RowsEnd::Skipped(*skipped));
                        }
                        return Err(ImportError::Stopped {
                            path: batch.path().to_path_buf(),
                            line: row_line,
                            reason: io_error.to_string(),
                        });
                    }
                    let place = error
                        .position()
                        .map_or(Place::Record(*row_number), |position| {
                            Place::Line(line(position))
                        });
                    batch.warn(place, format!("row skipped: {error}"));
                    continue;
                }
            }
            let place = record
                .position()
                .map_or(Place::Record(*row_number), |position| {
                    Place::Line(line(position))
                });
            import_row(&record, self.columns, self.fallback, batch, place);
            row_line = line(reader.position());
            let next_row = self.origin.bytes + reader.position().byte();
            if after_row(batch, next_row).is_break() {
                return Ok(RowsEnd::Done);
            }
        }
    }
}

fn import_row(
    record: &ByteRecord,
    columns: &Columns,
    fallback: Option<&'static Encoding>,
    batch: &mut Batch<'_>,
    place: Place,
) {
    if record.len() != columns.count {
        batch.warn(
            place,
            format!(
                "expected {} fields, found {}; row skipped",
                columns.count,
                record.len()
            ),
        );
        return;
    }
    let mut fallback_used = None;
    let mut field = |index: Option<usize>| {
        let bytes = record.get(index?)?;
        let (text, used) = decode_field(bytes, fallback);
        fallback_used = fallback_used.or(used);
        Some(text)
    };
    let fields = RecordFields {
        text: field(Some(columns.text)),
        title: field(columns.title),
        published: field(columns.published),
        url: field(columns.url),
        source: field(columns.source),
    };
    if let Some(encoding) = fallback_used {
        batch.warn(place, not_utf8_warning(encoding));
    }
    let article = build_article(fields, batch, place);
    batch.push(article, place);
}

/// A field as text, and the fallback encoding when it had to be used.
fn decode_field(
    bytes: &[u8],
    fallback: Option<&'static Encoding>,
) -> (String, Option<&'static Encoding>) {
    match (std::str::from_utf8(bytes), fallback) {
        (Ok(text), _) => (text.to_owned(), None),
        (Err(_), Some(encoding)) => (decode_fallback(encoding, bytes), Some(encoding)),
        (Err(_), None) => (String::from_utf8_lossy(bytes).into_owned(), None),
    }
}

fn not_utf8_warning(encoding: &'static Encoding) -> String {
    if encoding == encoding_rs::UTF_8 {
        "not valid UTF-8; stray bytes read as windows-1252".to_owned()
    } else {
        format!("not valid UTF-8; read as {}", encoding.name())
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::import::{FileOutcome, Format, ImportOptions, parse_bytes};

    fn import(bytes: &[u8]) -> FileOutcome {
        parse_bytes(bytes, Path::new("t.csv"), &ImportOptions::default()).unwrap()
    }

    #[test]
    fn rows_become_articles_with_titles_from_first_lines() {
        let csv = "Text,Topic,URL\n\"Claxton hunting medal\n\nBritish hurdler \"\"Sarah\"\" Claxton is confident.\",athletics,https://x.org/1\n";
        let outcome = import(csv.as_bytes());
        assert_eq!(outcome.format, Format::Csv);
        let article = &outcome.articles[0];
        assert_eq!(article.title, "Claxton hunting medal");
        assert_eq!(
            article.text,
            "Claxton hunting medal\n\nBritish hurdler \"Sarah\" Claxton is confident."
        );
        assert_eq!(article.url.as_deref(), Some("https://x.org/1"));
        assert!(outcome.warnings.is_empty());
    }

    #[test]
    fn ragged_rows_are_skipped_with_their_line() {
        let csv = "title,body,date\nA,first body,2024-01-02\nB,oops\n\"C\",\"multi\nline\",2024-03\nD,,\n";
        let outcome = import(csv.as_bytes());
        let titles: Vec<&str> = outcome.articles.iter().map(|a| a.title.as_str()).collect();
        assert_eq!(titles, ["A", "C"]);
        assert_eq!(
            outcome.articles[0]
                .published
                .map(|d| d.to_string())
                .as_deref(),
            Some("2024-01-02")
        );
        assert_eq!(
            outcome.articles[1]
                .published
                .map(|d| d.to_string())
                .as_deref(),
            Some("2024-03")
        );
        assert_eq!(outcome.warnings.len(), 2);
        assert_eq!(outcome.warnings[0].line, Some(3));
        assert_eq!(
            outcome.warnings[0].reason,
            "expected 3 fields, found 2; row skipped"
        );
        assert_eq!(outcome.warnings[1].line, Some(6));
        assert_eq!(outcome.warnings[1].reason, "empty text, skipped ('D')");
    }

    #[test]
    fn non_utf8_rows_are_decoded_and_reported() {
        let csv = b"text\n\"caf\xC3\xA9 prices\"\n\"costs \xA35\"\n";
        let outcome = import(csv);
        assert_eq!(outcome.articles[0].text, "café prices");
        assert_eq!(outcome.articles[1].text, "costs £5");
        assert_eq!(outcome.warnings.len(), 1);
        assert_eq!(outcome.warnings[0].line, Some(3));
        assert!(
            outcome.warnings[0].reason.starts_with("not valid UTF-8"),
            "{}",
            outcome.warnings[0]
        );
    }

    #[test]
    fn missing_text_column_names_the_columns_found() {
        let err = parse_bytes(
            b"\xEF\xBB\xBFheadline,topic\nA,b\n",
            Path::new("t.csv"),
            &ImportOptions::default(),
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "t.csv: no text column: found columns headline, topic; expected one of text, content, body, summary, article, description"
        );
    }
}

//! Line-based files of any size (JSON Lines, doccano JSONL, CSV, gzipped or not) read a
//! record at a time through a buffered reader and handed on in parts, so memory is bounded
//! by a part, never by the file. Each record keeps the size limit; the file has none.

use std::borrow::Cow;
use std::cell::Cell;
use std::io::{self, BufRead, Read};
use std::ops::ControlFlow;
use std::rc::Rc;

use encoding_rs::Encoding;
use serde_json::Value;

use super::batch::{Batch, Place};
use super::delimited::RowSkipped;
use super::encoding::{decode_fallback, fallback_encoding};
use super::error::human_size;
use super::json::import_record;
use super::json_fields::serde_reason_in_line;
use super::{Format, ImportError, doccano};

/// Articles handed on per part of a streamed file.
pub(crate) const PART_ARTICLES: usize = 256;
/// Text bytes handed on per part of a streamed file.
pub(crate) const PART_TEXT_BYTES: usize = 4 * 1024 * 1024;
/// How much of a file's (unpacked) start is looked at to choose its format.
pub(crate) const HEAD_BYTES: usize = 64 * 1024;

/// Hands on the part collected so far; breaking stops the file (cancel).
pub(crate) type Flush<'f> = dyn FnMut(&mut Batch<'_>) -> ControlFlow<()> + 'f;

// ---

/// Counts the bytes read from the file itself (before unpacking), for progress by bytes.
pub(crate) struct Counting<R> {
    inner: R,
    read: Rc<Cell<u64>>,
}

impl<R> Counting<R> {
    pub(crate) fn new(inner: R, read: Rc<Cell<u64>>) -> Self {
        Self { inner, read }
    }
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read.set(
            self.read
                .get()
                .saturating_add(u64::try_from(n).unwrap_or(0)),
        );
        Ok(n)
    }
}

/// Says what is wrong with a gzip stream in the words the whole-file path uses.
pub(crate) struct GzipErrors<R>(pub(crate) R);

impl<R: Read> Read for GzipErrors<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.0.read(buf).map_err(|error| {
            let reason = if error.kind() == io::ErrorKind::UnexpectedEof {
                "truncated gzip stream".to_owned()
            } else {
                format!("corrupt gzip stream: {error}")
            };
            io::Error::new(error.kind(), reason)
        })
    }
}

/// Reads up to [`HEAD_BYTES`] from `reader` (fewer only at the end of the stream).
pub(crate) fn read_head(reader: &mut dyn Read) -> io::Result<Vec<u8>> {
    let mut head = Vec::with_capacity(HEAD_BYTES);
    reader
        .take(u64::try_from(HEAD_BYTES).unwrap_or(u64::MAX))
        .read_to_end(&mut head)?;
    Ok(head)
}

/// Whether a file of `format` whose start is `head` can be streamed: JSON Lines (and
/// `.json` files laid out as lines), doccano JSONL (not a doccano JSON array) and CSV, in
/// an 8-bit encoding (UTF-16 is read whole).
pub(crate) fn streamable(format: Format, head: &[u8]) -> bool {
    if super::encoding::is_utf16(head) {
        return false;
    }
    let text = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    match format {
        Format::Jsonl | Format::Csv => true,
        Format::Doccano => text.trim_ascii_start().first() != Some(&b'['),
        // When the first line is a whole object within the head and more follows; a `.json`
        // array or object is read whole.
        Format::Json => {
            let text = text.trim_ascii_start();
            let Some(end) = text.iter().position(|&b| b == b'\n') else {
                return false;
            };
            let (first, rest) = text.split_at(end);
            first.first() == Some(&b'{')
                && !rest.trim_ascii().is_empty()
                && matches!(serde_json::from_slice::<Value>(first), Ok(Value::Object(_)))
        }
        _ => false,
    }
}

// ---

/// Imports JSON Lines from `reader`: native records (with annotations) or, when the first
/// object is a doccano record (or the format is forced to doccano), doccano records. Blank
/// lines are skipped; a line that is not JSON, or over `limit` bytes, is a warning naming
/// it and the rest goes on.
pub(crate) fn json_lines(
    reader: &mut dyn BufRead,
    batch: &mut Batch<'_>,
    limit: u64,
    flush: &mut Flush<'_>,
) -> Result<(), ImportError> {
    let mut doccano: Option<doccano::Reader> = None;
    let mut decided = false;
    if batch.format() == Format::Doccano {
        doccano = Some(doccano::Reader::new(batch));
        decided = true;
    } else {
        batch.set_format(Format::Jsonl);
    }
    let mut fallback: Option<&'static Encoding> = None;
    let mut line = Vec::new();
    let mut number = 0u64;
    loop {
        number += 1;
        let place = Place::Line(number);
        let read = read_line(reader, &mut line, limit).map_err(|error| ImportError::Stopped {
            path: batch.path().to_path_buf(),
            line: number,
            reason: error.to_string(),
        })?;
        match read {
            LineRead::End => break,
            LineRead::TooLong(size) => batch.warn(
                place,
                format!(
                    "record of {} is over the {} limit: skipped",
                    human_size(size),
                    human_size(limit)
                ),
            ),
            LineRead::Line => {
                let bytes = if number == 1 {
                    line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&line)
                } else {
                    &line
                };
                let text = decode_line(bytes, &mut fallback, batch, place);
                let text = text.trim();
                if !text.is_empty() {
                    match serde_json::from_str::<Value>(text) {
                        Err(error) => batch.warn(place, serde_reason_in_line(&error)),
                        Ok(value) => {
                            if !decided && let Value::Object(object) = &value {
                                decided = true;
                                // A streamed dump decides on its first record's shape (keys, not values).
                                if doccano::record_shape(object).is_some() {
                                    batch.set_format(Format::Doccano);
                                    doccano = Some(doccano::Reader::new(batch));
                                }
                            }
                            match doccano.as_mut() {
                                Some(reader) => reader.record(value, batch, place),
                                None => import_record(value, batch, place),
                            }
                        }
                    }
                }
            }
        }
        if batch.part_is_full(PART_ARTICLES, PART_TEXT_BYTES) && flush(batch).is_break() {
            return Ok(());
        }
    }
    if let Some(reader) = doccano {
        reader.finish(batch);
    }
    Ok(())
}

/// A line as text: UTF-8, or else decoded with the encoding guessed from the first line
/// that is not (said once per file, naming that line).
fn decode_line<'l>(
    bytes: &'l [u8],
    fallback: &mut Option<&'static Encoding>,
    batch: &mut Batch<'_>,
    place: Place,
) -> Cow<'l, str> {
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Cow::Borrowed(text);
    }
    let encoding = match *fallback {
        Some(encoding) => encoding,
        None => {
            let encoding = fallback_encoding(bytes);
            *fallback = Some(encoding);
            let read_as = if encoding == encoding_rs::UTF_8 {
                "the stray bytes were read as windows-1252".to_owned()
            } else {
                format!("read as {}", encoding.name())
            };
            batch.warn(
                place,
                format!("not valid UTF-8: {read_as} (here and on any later such line)"),
            );
            encoding
        }
    };
    Cow::Owned(decode_fallback(encoding, bytes))
}

/// What [`read_line`] found.
#[derive(Debug, PartialEq, Eq)]
enum LineRead {
    /// The end of the stream: no more lines.
    End,
    /// A line (without its `\n`), perhaps empty.
    Line,
    /// A line over the limit, of this many bytes: read past, not kept.
    TooLong(u64),
}

/// Reads one line into `line` (cleared first), keeping at most `limit` bytes: a longer
/// line is read to its end and dropped, so memory stays bounded by the limit.
fn read_line(reader: &mut dyn BufRead, line: &mut Vec<u8>, limit: u64) -> io::Result<LineRead> {
    line.clear();
    let mut total = 0u64;
    let mut too_long = false;
    let mut seen = false;
    loop {
        let available = match reader.fill_buf() {
            Ok(available) => available,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
            Err(error) => return Err(error),
        };
        if available.is_empty() {
            return Ok(match (total, too_long) {
                (0, _) if !seen => LineRead::End,
                (_, true) => LineRead::TooLong(total),
                (_, false) => LineRead::Line,
            });
        }
        seen = true;
        let newline = available.iter().position(|&b| b == b'\n');
        let used = newline.map_or(available.len(), |at| at + 1);
        let piece = available.get(..newline.unwrap_or(used)).unwrap_or_default();
        // The record's own bytes count; its `\n` does not.
        total = total.saturating_add(u64::try_from(piece.len()).unwrap_or(u64::MAX));
        if !too_long {
            if total > limit {
                too_long = true;
                *line = Vec::new();
            } else {
                line.extend_from_slice(piece);
            }
        }
        reader.consume(used);
        if newline.is_some() {
            return Ok(if too_long {
                LineRead::TooLong(total)
            } else {
                LineRead::Line
            });
        }
    }
}

// ---

/// Imports CSV from `reader`. A row is bounded by `limit`: a longer one is read past
/// (never held) and skipped with a warning naming its line, and the rows after it are
/// imported; one that runs on to the end of the file (an unclosed quote swallowing it)
/// stops the file at its line, and the rows before it stay imported.
pub(crate) fn csv_rows(
    reader: impl Read,
    head: &[u8],
    batch: &mut Batch<'_>,
    limit: u64,
    flush: &mut Flush<'_>,
) -> Result<(), ImportError> {
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let fallback = Some(fallback_encoding(head));
    let row_start = Rc::new(Cell::new(0u64));
    let guarded = RowGuard {
        inner: reader,
        delivered: 0,
        row_start: Rc::clone(&row_start),
        limit,
        shadow: csv_core::Reader::new(),
        newlines: 0,
        pending: Vec::new(),
    };
    super::delimited::import_rows(guarded, fallback, batch, &mut |batch, next_row| {
        row_start.set(next_row);
        if batch.part_is_full(PART_ARTICLES, PART_TEXT_BYTES) {
            flush(batch)
        } else {
            ControlFlow::Continue(())
        }
    })
}

/// Stops the CSV reader once a row under way has taken more than `limit` bytes (plus the
/// reader's buffer), so one row can never hold the whole file in memory: the rest of the
/// row is read past here, found by a second CSV parser that has seen every byte, and the
/// reader is told where the next row starts ([`RowSkipped`]).
struct RowGuard<R> {
    inner: R,
    /// Bytes handed to the CSV reader (and read past) so far.
    delivered: u64,
    /// Where the row under way starts.
    row_start: Rc<Cell<u64>>,
    limit: u64,
    /// Follows every byte handed on, so it knows where the row under way ends.
    shadow: csv_core::Reader,
    /// Line ends handed on (and read past) so far.
    newlines: u64,
    /// What came after a skipped row, still to hand on.
    pending: Vec<u8>,
}

/// Slack for what the CSV reader buffers ahead of the row it is on.
const ROW_SLACK_BYTES: u64 = 64 * 1024;

impl<R: Read> Read for RowGuard<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let in_row = self.delivered.saturating_sub(self.row_start.get());
        if in_row > self.limit.saturating_add(ROW_SLACK_BYTES) {
            return Err(self.skip_row()?);
        }
        let n = if self.pending.is_empty() {
            self.inner.read(buf)?
        } else {
            let n = self.pending.len().min(buf.len());
            let (head, _) = buf.split_at_mut(n);
            head.copy_from_slice(self.pending.get(..n).unwrap_or_default());
            self.pending.drain(..n);
            n
        };
        self.follow(buf.get(..n).unwrap_or_default(), false);
        Ok(n)
    }
}

impl<R: Read> RowGuard<R> {
    /// Counts `bytes` as handed on and lets the shadow parser see them. With
    /// `to_row_end`, stops just past the first row end among them and says where that is.
    fn follow(&mut self, bytes: &[u8], to_row_end: bool) -> Option<usize> {
        let mut output = [0u8; 4096];
        let mut ends = [0usize; 64];
        let mut at = 0usize;
        let mut row_end = None;
        while at < bytes.len() {
            let rest = bytes.get(at..).unwrap_or_default();
            let (result, read, _, _) = self.shadow.read_record(rest, &mut output, &mut ends);
            at += read;
            if result == csv_core::ReadRecordResult::Record && to_row_end {
                row_end = Some(at);
                break;
            }
            if read == 0 && result == csv_core::ReadRecordResult::InputEmpty {
                break;
            }
        }
        let seen = bytes.get(..at).unwrap_or_default();
        let newlines = seen.iter().filter(|&&b| b == b'\n').count();
        self.newlines = self
            .newlines
            .saturating_add(u64::try_from(newlines).unwrap_or(u64::MAX));
        self.delivered = self
            .delivered
            .saturating_add(u64::try_from(seen.len()).unwrap_or(u64::MAX));
        row_end
    }

    /// Reads past the rest of the row under way, keeping what follows it for the reader,
    /// and gives the error that tells the reader so. A row that runs on to the end of the
    /// file gives an error that stops the file.
    fn skip_row(&mut self) -> io::Result<io::Error> {
        let mut buffer = vec![0u8; 64 * 1024];
        loop {
            let n = self.inner.read(&mut buffer)?;
            if n == 0 {
                return Ok(io::Error::other(format!(
                    "a row longer than the {} limit (an unclosed quote?)",
                    human_size(self.limit)
                )));
            }
            let read = buffer.get(..n).unwrap_or_default();
            let Some(end) = self.follow(read, true) else {
                continue;
            };
            self.pending = read.get(end..).unwrap_or_default().to_vec();
            let row_bytes = self.delivered.saturating_sub(self.row_start.get());
            self.row_start.set(self.delivered);
            return Ok(io::Error::other(RowSkipped {
                row_bytes,
                limit: self.limit,
                next_line: self.newlines.saturating_add(1),
                next_byte: self.delivered,
            }));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(input: &[u8], limit: u64) -> Vec<(LineRead, Vec<u8>)> {
        let mut reader = io::BufReader::with_capacity(4, input);
        let mut line = Vec::new();
        let mut out = Vec::new();
        loop {
            let read = read_line(&mut reader, &mut line, limit).unwrap();
            if read == LineRead::End {
                return out;
            }
            out.push((read, line.clone()));
        }
    }

    #[test]
    fn lines_are_read_whole_across_buffers_and_long_ones_dropped() {
        let got = lines(b"abcdefghij\n\nxy\r\n0123456789abcdef\nlast", 10);
        assert_eq!(
            got,
            [
                (LineRead::Line, b"abcdefghij".to_vec()),
                (LineRead::Line, Vec::new()),
                (LineRead::Line, b"xy\r".to_vec()),
                (LineRead::TooLong(16), Vec::new()),
                (LineRead::Line, b"last".to_vec()),
            ]
        );
        assert!(lines(b"", 10).is_empty());
    }

    #[test]
    fn json_files_stream_only_when_laid_out_as_lines() {
        assert!(streamable(
            Format::Json,
            b"{\"text\": \"a\"}\n{\"text\": \"b\"}\n"
        ));
        assert!(!streamable(
            Format::Json,
            b"[{\"text\": \"a\"},\n{\"text\": \"b\"}]\n"
        ));
        assert!(!streamable(
            Format::Doccano,
            b"\xEF\xBB\xBF [{\"text\": \"a\"}]"
        ));
        assert!(streamable(
            Format::Doccano,
            b"{\"text\": \"a\", \"label\": []}\n"
        ));
        // The second record need not be whole within the head.
        assert!(streamable(
            Format::Json,
            b"\n{\"text\": \"a\"}\r\n{\"text\": \"b"
        ));
        assert!(!streamable(Format::Json, b"{\"text\": \"a\"}\n"));
        assert!(!streamable(Format::Json, b"{\"text\": \"a\""));
        assert!(!streamable(Format::Html, b"<p>x</p>"));
        assert!(!streamable(Format::Csv, b"\xFF\xFEt\0e\0x\0t\0"));
    }
}

#[cfg(test)]
mod csv_skip_tests {
    use std::path::Path;

    use super::*;
    use crate::import::ImportOptions;

    fn skip_warnings(csv: &str) -> (Vec<String>, Vec<String>) {
        let options = ImportOptions::default();
        let mut batch = Batch::new(Path::new("t.csv"), Format::Csv, &options);
        let head = csv.as_bytes().get(..HEAD_BYTES.min(csv.len())).unwrap();
        csv_rows(csv.as_bytes(), head, &mut batch, 100, &mut |_| {
            ControlFlow::Continue(())
        })
        .unwrap();
        let outcome = batch.finish();
        let warnings = outcome.warnings.iter().map(|w| w.to_string()).collect();
        let titles = outcome.articles.iter().map(|a| a.title.clone()).collect();
        (warnings, titles)
    }

    #[test]
    fn a_row_over_the_limit_is_read_past_and_the_rows_after_it_import() {
        let mut csv = String::from("title,text\n");
        for n in 0..3000 {
            if n == 1000 {
                // 110 KB over 10,001 lines, past the limit and the reader's slack.
                csv.push_str(&format!("Long,\"{}\"\n", "0123456789\n".repeat(10_000)));
            }
            if n == 1500 {
                csv.push_str("Ragged,row,more\n");
            }
            csv.push_str(&format!("Row {n},text {n}\n"));
        }
        let (warnings, titles) = skip_warnings(&csv);
        assert_eq!(
            warnings,
            [
                "t.csv:1002: row of 107 KB is over the 100 bytes limit: skipped",
                "t.csv:11503: expected 2 fields, found 3; row skipped"
            ]
        );
        assert_eq!(titles.len(), 3000);
        assert_eq!(titles.get(1000).map(String::as_str), Some("Row 1000"));
        assert_eq!(titles.last().map(String::as_str), Some("Row 2999"));
    }
}

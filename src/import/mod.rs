//! Importers: turn files (text, HTML, RSS/Atom, JSON/JSONL, CSV, optionally gzipped) and
//! annotated datasets (brat, doccano, Label Studio, CoNLL) into [`NewArticle`]s plus warnings.
//!
//! Owns: format detection, text decoding, article extraction and record mapping. Must not
//! write to the store or the index; the service layer decides what to keep.
//!
//! A whole file that cannot be read is an [`ImportError`]; a bad record inside a readable file
//! is an [`ImportWarning`] and the rest of the file still imports.

mod batch;
mod brat;
mod bytes;
mod conll;
mod delimited;
mod doccano;
mod encoding;
mod error;
mod feed;
mod files;
mod format;
mod html;
mod json;
mod json_fields;
mod json_lines;
mod label_studio;
mod nesting;
mod plain;
mod record;
mod spans;
mod stream;
mod text;
mod visible;

use std::cell::Cell;
use std::io::{BufReader, Read as _};
use std::ops::ControlFlow;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use crate::model::{NewArticle, PartialDate};

pub use encoding::decode_text;
pub use error::{ImportError, ImportWarning};
pub use files::collect_files;
pub use format::Format;

use batch::Batch;

/// Caller's hints for one import; the file's own metadata wins where it has any.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportOptions {
    /// Publication date for articles whose file says nothing about it.
    pub published: Option<PartialDate>,
    /// Outlet name for articles whose file says nothing about it; for feeds it replaces the
    /// feed's own title.
    pub source: Option<String>,
    /// Read the file as this format instead of guessing from its name and content.
    pub format: Option<Format>,
    /// Largest file accepted, in bytes, before and after unpacking gzip; `None` means
    /// [`MAX_FILE_BYTES`]. A larger file is refused whole, before it is read.
    pub max_file_bytes: Option<u64>,
}

/// The largest file an import accepts by default (256 MiB), checked on the file's size
/// before it is read and again on what a `.gz` unpacks to.
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

impl ImportOptions {
    /// The size limit in force: [`Self::max_file_bytes`] or [`MAX_FILE_BYTES`].
    pub fn file_limit(&self) -> u64 {
        self.max_file_bytes.unwrap_or(MAX_FILE_BYTES)
    }
}

/// What one file produced: its articles in file order and the records it had to skip.
#[derive(Debug, Clone, PartialEq)]
pub struct FileOutcome {
    /// The file as given by the caller.
    pub path: PathBuf,
    /// The importer that read it.
    pub format: Format,
    /// Articles in file order.
    pub articles: Vec<NewArticle>,
    /// Skipped records and other problems that did not stop the file.
    pub warnings: Vec<ImportWarning>,
}

/// Reads one file from disk (whole, into memory) and imports it; see [`parse_bytes`]. Only
/// a regular file is read (a named pipe, a device or a socket is refused before it is
/// opened), and one over the size limit ([`ImportOptions::file_limit`]) before it is read.
pub fn read_file(path: &Path, options: &ImportOptions) -> Result<FileOutcome, ImportError> {
    let bytes = files::read_regular(path, options.file_limit())?;
    parse_bytes(&bytes, path, options)
}

/// Line-based files up to this size (or the limit, if smaller) are read whole, as
/// [`read_file`] does; larger ones, and every gzipped one, are streamed.
pub const STREAM_FROM_BYTES: u64 = 16 * 1024 * 1024;

/// A part of a streamed file: the articles and warnings of the records read since the last
/// part, and how far into the file reading is.
#[derive(Debug, Clone, PartialEq)]
pub struct FilePart {
    /// The records read since the last part.
    pub outcome: FileOutcome,
    /// Bytes of the file read so far (of the file on disk: gzip counts packed).
    pub bytes_read: u64,
    /// The file's size on disk.
    pub bytes_total: u64,
}

/// Reads one file like [`read_file`], but line-based files (JSON Lines, doccano JSONL, CSV,
/// gzipped or not) over [`STREAM_FROM_BYTES`] or the size limit are streamed: a record at a
/// time, handed to `part` every few hundred articles, with no limit on the file and the
/// size limit on each record (a longer JSON line is skipped with a warning naming it).
/// `part` breaking stops the file (cancel); the records handed on before stay the caller's.
/// The return value is the rest of the file after the last part. A stream that breaks
/// part way (a cut gzip) is [`ImportError::Stopped`], after the records before it were
/// handed on. Formats that need the whole document (HTML, feeds, JSON arrays, Label
/// Studio, brat, CoNLL, text) are read whole, within the limit.
pub fn read_file_in_parts(
    path: &Path,
    options: &ImportOptions,
    part: &mut dyn FnMut(FilePart) -> ControlFlow<()>,
) -> Result<FileOutcome, ImportError> {
    let limit = options.file_limit();
    let (file, size) = files::open_regular(path, None)?;
    let read_count = Rc::new(Cell::new(0u64));
    let mut counted = BufReader::new(stream::Counting::new(file, Rc::clone(&read_count)));
    let read_error = |source| ImportError::Read {
        path: path.to_path_buf(),
        source,
    };
    let gzipped = files::is_gzip(path, &mut counted).map_err(read_error)?;
    if !gzipped && size <= limit.min(STREAM_FROM_BYTES) {
        drop(counted);
        return read_file(path, options);
    }
    let mut unpacked: Box<dyn std::io::Read> = if gzipped {
        Box::new(stream::GzipErrors(flate2::bufread::MultiGzDecoder::new(
            counted,
        )))
    } else {
        Box::new(counted)
    };
    let head = stream::read_head(&mut unpacked).map_err(|source| {
        if gzipped {
            ImportError::Gzip {
                path: path.to_path_buf(),
                reason: source.to_string(),
            }
        } else {
            read_error(source)
        }
    })?;
    // A tar or zip inside the gzip is named, with how to unpack it, as the whole-file path does.
    files::refuse_packed(&head, path, gzipped)?;
    // `x.jsonl.gz` is named for what it unpacks to: the name decides with `.gz` looked through.
    let format = options
        .format
        .unwrap_or_else(|| format::detect(path, &head));
    if !stream::streamable(format, &head) {
        drop(unpacked);
        return read_file(path, options);
    }
    if head.iter().all(u8::is_ascii_whitespace) {
        return Err(ImportError::Empty {
            path: path.to_path_buf(),
        });
    }
    if encoding::looks_binary(&head) {
        return Err(ImportError::Binary {
            path: path.to_path_buf(),
        });
    }
    let mut reader = BufReader::with_capacity(
        stream::HEAD_BYTES,
        std::io::Cursor::new(head.as_slice()).chain(unpacked),
    );
    let mut batch = Batch::new(path, format, options);
    let mut flush = |batch: &mut Batch<'_>| {
        part(FilePart {
            outcome: batch.take_part(),
            bytes_read: read_count.get(),
            bytes_total: size,
        })
    };
    let imported = std::panic::catch_unwind(AssertUnwindSafe(|| match format {
        Format::Csv => stream::csv_rows(&mut reader, &head, &mut batch, limit, &mut flush),
        _ => stream::json_lines(&mut reader, &mut batch, limit, &mut flush),
    }));
    match imported {
        Ok(Ok(())) => Ok(batch.finish()),
        Ok(Err(error)) => {
            // What was read before the stream broke is kept, then the file is reported.
            let _ = flush(&mut batch);
            Err(error)
        }
        Err(payload) => Err(ImportError::Crashed {
            path: path.to_path_buf(),
            format,
            reason: panic_message(payload.as_ref()),
        }),
    }
}

/// Imports a file already in memory. `path` names it in messages and decides the format
/// (`.gz` is unpacked first and the inner name counts), unless `options.format` forces one.
///
/// A brat document is two files: given `X.ann` (or `X.txt` with `--format brat`), the other
/// one is read from disk beside `path`.
pub fn parse_bytes(
    bytes: &[u8],
    path: &Path,
    options: &ImportOptions,
) -> Result<FileOutcome, ImportError> {
    let limit = options.file_limit();
    let size = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    if size > limit {
        return Err(ImportError::TooLarge {
            path: path.to_path_buf(),
            size,
            limit,
            unpacked: false,
        });
    }
    let (bytes, inner_name) = files::gunzip_if_needed(bytes, path, limit)?;
    let format = options
        .format
        .unwrap_or_else(|| format::detect(&inner_name, &bytes));
    // An empty `.ann` is a brat document without annotations yet; its text is elsewhere.
    if format != Format::Brat && bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ImportError::Empty {
            path: path.to_path_buf(),
        });
    }
    if format != Format::Brat
        && let Some(found) = visible::invisible_only_bytes(&bytes)
    {
        return Err(ImportError::NoVisibleText {
            path: path.to_path_buf(),
            found,
        });
    }
    if encoding::looks_binary(&bytes) {
        return Err(ImportError::Binary {
            path: path.to_path_buf(),
        });
    }
    let mut batch = Batch::new(path, format, options);
    // Third-party parsers can panic on hostile input (feed-rs overflows on a huge
    // `<itunes:duration>`): that loses this file, not the whole import.
    let imported = std::panic::catch_unwind(AssertUnwindSafe(|| match format {
        Format::Text => text::import(&bytes, &mut batch),
        Format::Html => html::import(&bytes, &mut batch),
        Format::Feed => feed::import(&bytes, &mut batch),
        Format::Json | Format::Jsonl => json::import(&bytes, &mut batch),
        Format::Csv => delimited::import(&bytes, &mut batch),
        Format::Brat => brat::import(&bytes, &mut batch),
        Format::Doccano => doccano::import(&bytes, &mut batch),
        Format::LabelStudio => label_studio::import(&bytes, &mut batch),
        Format::Conll => {
            conll::import(&bytes, &mut batch);
            Ok(())
        }
    }));
    match imported {
        Ok(result) => result.map(|()| batch.finish()),
        Err(payload) => Err(ImportError::Crashed {
            path: path.to_path_buf(),
            format,
            reason: panic_message(payload.as_ref()),
        }),
    }
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|message| (*message).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_owned())
}

#[cfg(test)]
mod tests;

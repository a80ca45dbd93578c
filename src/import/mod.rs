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
mod json_lines;
mod label_studio;
mod plain;
mod record;
mod spans;
mod text;
mod visible;

use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};

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

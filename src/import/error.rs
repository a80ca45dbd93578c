//! Import failures: [`ImportError`] when a whole file is lost, [`ImportWarning`] when one record is.

use std::fmt;
use std::path::{Path, PathBuf};

use super::Format;

/// A whole file (or folder) could not be imported; every message names the path.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The path names a named pipe, a device, a socket or a folder where a file is read:
    /// reading it could wait for ever or never end, so it is refused before it is opened.
    #[error("{path} is {kind}, not a regular file: refused, nothing read from it")]
    NotAFile {
        /// The path as given (links are followed to see what it is).
        path: PathBuf,
        /// `a named pipe (FIFO)`, `a character device`, ...
        kind: &'static str,
    },
    /// The text or annotations beside a brat file cannot be used (see the reason).
    #[error("{path}: brat document without its other half: {reason}")]
    BratCompanion {
        /// The file named by the user.
        path: PathBuf,
        /// Why its `.txt` or `.ann` was refused, naming that file.
        reason: String,
    },
    /// The file or folder could not be read from disk (missing, no permission, ...).
    #[error("cannot read {path}: {source}")]
    Read {
        /// The path as given.
        path: PathBuf,
        /// What the operating system said.
        #[source]
        source: std::io::Error,
    },
    /// Walking a folder failed part way.
    #[error("cannot list {path}: {reason}")]
    Walk {
        /// The folder or entry that failed.
        path: PathBuf,
        /// What went wrong.
        reason: String,
    },
    /// The bytes contain NULs and are not UTF-16: an image, archive or other binary file.
    #[error("{path} is binary, not text")]
    Binary {
        /// The file.
        path: PathBuf,
    },
    /// The file, or what its gzip unpacks to, is larger than the import limit.
    #[error("{path} {}, over the {} limit: refused, nothing of it imported", describe_size(*.size, *.unpacked), human_size(*.limit))]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size in bytes (for gzip: what was unpacked when unpacking stopped).
        size: u64,
        /// The limit in bytes.
        limit: u64,
        /// Whether `size` is the unpacked size of a gzip file.
        unpacked: bool,
    },
    /// The file holds nothing but whitespace.
    #[error("{path}: empty file")]
    Empty {
        /// The file.
        path: PathBuf,
    },
    /// The file holds nothing a reader can see: whitespace and invisible characters only
    /// (zero-width spaces, no-break spaces, bidi controls, a byte order mark, soft hyphens,
    /// lone combining marks).
    #[error("{path}: no visible text: {found}")]
    NoVisibleText {
        /// The file.
        path: PathBuf,
        /// What it holds instead: `only whitespace and invisible characters (U+200B)`.
        found: String,
    },
    /// The file is an archive or compressed file the importers do not open (zip, tar, 7z,
    /// RAR, bzip2, xz, zstd; gzip holding one of them): it must be unpacked first.
    #[error("{path} is {what}: unpack it first, e.g. `{command}`")]
    Packed {
        /// The file.
        path: PathBuf,
        /// `a zip archive`, `a gzipped tar archive`, ...
        what: String,
        /// A command that unpacks it: `unzip FILE`.
        command: String,
    },
    /// The file is gzipped but the stream is truncated or corrupt.
    #[error("{path}: {reason}")]
    Gzip {
        /// The file.
        path: PathBuf,
        /// `truncated gzip stream` or `corrupt gzip stream: ...`.
        reason: String,
    },
    /// The HTML page cannot be read safely (nested absurdly deep).
    #[error("{path}: {reason}")]
    Html {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// The XML is not an RSS or Atom feed the parser can read.
    #[error("{path}: not a feed: {reason}")]
    Feed {
        /// The file.
        path: PathBuf,
        /// The feed parser's reason.
        reason: String,
    },
    /// The file is not JSON at all, or its top level is not records.
    #[error("{path}: not valid JSON: {reason}")]
    Json {
        /// The file.
        path: PathBuf,
        /// serde's reason with line and column, or what the top level was.
        reason: String,
    },
    /// The CSV has no usable header row or no text column.
    #[error("{path}: {reason}")]
    Csv {
        /// The file.
        path: PathBuf,
        /// What is missing, with the columns found.
        reason: String,
    },
    /// A brat `.ann` file whose text (`X.txt` beside `X.ann`) cannot be read: its offsets
    /// count in that text, so the annotations cannot be placed without it.
    #[error("{path}: brat annotations without their text: cannot read {text_path}: {source}")]
    BratText {
        /// The `.ann` file.
        path: PathBuf,
        /// The sibling file that could not be read.
        text_path: PathBuf,
        /// What the operating system said.
        #[source]
        source: std::io::Error,
    },
    /// A streamed file (JSON Lines, CSV) could not be read on past a line: a corrupt or cut
    /// gzip stream, a read error, a CSV row over the size limit. What came before was
    /// imported.
    #[error("{path}:{line}: reading stopped: {reason}; the records before this line were imported")]
    Stopped {
        /// The file.
        path: PathBuf,
        /// The 1-based line where reading stopped.
        line: u64,
        /// What went wrong.
        reason: String,
    },
    /// A parser failed unexpectedly (a bug in it or in a library it uses) on this file.
    #[error("{path}: the {format} importer failed unexpectedly: {reason}")]
    Crashed {
        /// The file.
        path: PathBuf,
        /// The importer that was running.
        format: Format,
        /// The panic message.
        reason: String,
    },
}

impl ImportError {
    /// The file or folder the error is about.
    pub fn path(&self) -> &Path {
        match self {
            Self::Read { path, .. }
            | Self::NotAFile { path, .. }
            | Self::BratCompanion { path, .. }
            | Self::Walk { path, .. }
            | Self::Binary { path }
            | Self::Empty { path }
            | Self::NoVisibleText { path, .. }
            | Self::Packed { path, .. }
            | Self::TooLarge { path, .. }
            | Self::Gzip { path, .. }
            | Self::Html { path, .. }
            | Self::Feed { path, .. }
            | Self::Json { path, .. }
            | Self::Csv { path, .. }
            | Self::BratText { path, .. }
            | Self::Stopped { path, .. }
            | Self::Crashed { path, .. } => path,
        }
    }
}

fn describe_size(size: u64, unpacked: bool) -> String {
    if unpacked {
        format!("unpacks to over {}", human_size(size.saturating_sub(1)))
    } else {
        format!("is {}", human_size(size))
    }
}

/// Bytes in the largest unit that keeps a whole number: `256 MB`, `1.5 MB` is `1536 KB`.
pub(crate) fn human_size(bytes: u64) -> String {
    const KB: u64 = 1024;
    const MB: u64 = KB * KB;
    if bytes >= MB && bytes.is_multiple_of(MB) || bytes >= 10 * MB {
        format!("{} MB", bytes / MB)
    } else if bytes >= KB {
        format!("{} KB", bytes / KB)
    } else {
        format!("{bytes} bytes")
    }
}

/// One record skipped or imported with a problem; the rest of the file went on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportWarning {
    /// The file.
    pub path: PathBuf,
    /// 1-based line in the file, where the format has lines (JSONL, CSV, brat `.ann`, CoNLL,
    /// and the line where a Label Studio task or a record of a doccano JSON array starts).
    pub line: Option<u64>,
    /// What happened; names the 1-based record or item number when there is no line.
    pub reason: String,
}

impl fmt::Display for ImportWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.path.display(), self.reason),
            None => write!(f, "{}: {}", self.path.display(), self.reason),
        }
    }
}

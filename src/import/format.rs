//! The import formats and how a file's format is guessed from its name, then its content.

use std::fmt;
use std::path::Path;
use std::str::FromStr;

/// Which importer reads a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Plain text: one article per file, first non-empty line is the title.
    Text,
    /// A saved web page: the article is extracted, boilerplate dropped.
    Html,
    /// RSS 0.9x/1.0/2.0 or Atom: one article per item.
    Feed,
    /// A JSON array of records, or one record object.
    Json,
    /// One JSON record per line.
    Jsonl,
    /// CSV with a header row; one article per row.
    Csv,
}

impl Format {
    /// Every format, in the order they are listed to users.
    pub const ALL: [Self; 6] = [
        Self::Text,
        Self::Html,
        Self::Feed,
        Self::Json,
        Self::Jsonl,
        Self::Csv,
    ];

    /// The name used on the command line and stored as an article's `origin_format`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Text => "text",
            Self::Html => "html",
            Self::Feed => "feed",
            Self::Json => "json",
            Self::Jsonl => "jsonl",
            Self::Csv => "csv",
        }
    }

    /// The format a file name promises (`x.html.gz` counts as `x.html`); `None` when the
    /// extension is not one the importers know.
    pub fn from_path(path: &Path) -> Option<Self> {
        let name = path.file_name()?.to_str()?.to_ascii_lowercase();
        let name = name.strip_suffix(".gz").unwrap_or(&name);
        let (_, extension) = name.rsplit_once('.')?;
        match extension {
            "txt" | "text" => Some(Self::Text),
            "html" | "htm" | "xhtml" => Some(Self::Html),
            "xml" | "rss" | "atom" | "rdf" => Some(Self::Feed),
            "json" => Some(Self::Json),
            "jsonl" | "ndjson" => Some(Self::Jsonl),
            "csv" => Some(Self::Csv),
            _ => None,
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Format {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim().to_ascii_lowercase();
        Self::ALL
            .into_iter()
            .find(|format| format.as_str() == wanted)
            .ok_or_else(|| {
                format!("unknown format '{s}': expected text, html, feed, json, jsonl or csv")
            })
    }
}

/// The format of an (already unzipped) file: by extension, else by a look at the content.
pub(crate) fn detect(name: &Path, bytes: &[u8]) -> Format {
    Format::from_path(name).unwrap_or_else(|| sniff(bytes))
}

/// Guesses from the first bytes: markup is a feed or a page, brackets are JSON, else text.
fn sniff(bytes: &[u8]) -> Format {
    let head = bytes.get(..4096).unwrap_or(bytes);
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let start = head
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(head.len());
    let head = head.get(start..).unwrap_or_default().to_ascii_lowercase();
    match head.first() {
        Some(b'<') => {
            let is_feed = [&b"<rss"[..], b"<feed", b"<rdf:rdf"]
                .iter()
                .any(|tag| contains(&head, tag));
            if is_feed { Format::Feed } else { Format::Html }
        }
        Some(b'[' | b'{') => Format::Json,
        _ => Format::Text,
    }
}

/// Whether `needle` occurs in `haystack`.
pub(crate) fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    find(haystack, needle).is_some()
}

/// Byte offset of the first `needle` in `haystack`.
pub(crate) fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_unknown_names_are_refused() {
        for format in Format::ALL {
            assert_eq!(format.as_str().parse::<Format>(), Ok(format));
        }
        assert_eq!("JSONL".parse::<Format>(), Ok(Format::Jsonl));
        let err = "docx".parse::<Format>().unwrap_err();
        assert!(err.contains("'docx'") && err.contains("csv"), "{err}");
    }

    #[test]
    fn extensions_decide_and_gz_is_looked_through() {
        let of = |name: &str| Format::from_path(Path::new(name));
        assert_eq!(of("a/b.TXT"), Some(Format::Text));
        assert_eq!(of("page.html.gz"), Some(Format::Html));
        assert_eq!(of("x.xhtml"), Some(Format::Html));
        assert_eq!(of("feed.xml"), Some(Format::Feed));
        assert_eq!(of("feed.rdf.gz"), Some(Format::Feed));
        assert_eq!(of("d.ndjson"), Some(Format::Jsonl));
        assert_eq!(of("d.csv"), Some(Format::Csv));
        assert_eq!(of("README.md"), None);
        assert_eq!(of("archive.gz"), None);
        assert_eq!(of("noext"), None);
    }

    #[test]
    fn content_decides_when_the_name_does_not() {
        let sniffed = |bytes: &[u8]| detect(Path::new("download"), bytes);
        assert_eq!(
            sniffed(b"  <?xml version='1.0'?><rss version='2.0'>"),
            Format::Feed
        );
        assert_eq!(sniffed(b"<!DOCTYPE html><html><p>x</p>"), Format::Html);
        assert_eq!(sniffed(b"\xEF\xBB\xBF[{\"text\":\"a\"}]"), Format::Json);
        assert_eq!(sniffed(b"Headline\n\nBody"), Format::Text);
    }
}

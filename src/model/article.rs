//! Articles: the stored text every annotation anchors to.

use std::fmt;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{NewAnnotation, PartialDate};

/// The largest article or annotation id a file may ask for (`"id"` in a native record,
/// doccano or Label Studio): 999,999,999,999. A larger one is not used (the record gets the
/// next free id, with a warning), so one record cannot push every later id towards SQLite's
/// rowid ceiling (past it new ids are random 63-bit numbers), and ids stay far below 2^53,
/// the largest integer every JSON reader keeps exact.
pub const MAX_REQUESTED_ID: i64 = 999_999_999_999;

/// Archive-local identity of an article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ArticleId(pub i64);

impl fmt::Display for ArticleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// A stored article. `text` never changes after import, so offsets into it stay valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Article {
    /// Identity in this archive.
    pub id: ArticleId,
    /// Headline.
    pub title: String,
    /// Full text, normalised once at import (no BOM, `\n` line ends).
    pub text: String,
    /// Publication date, as precise as the source says.
    pub published: Option<PartialDate>,
    /// Where the article was published online.
    pub url: Option<String>,
    /// Outlet or feed name.
    pub source: Option<String>,
    /// When it entered this archive (RFC 3339, UTC).
    pub imported_at: String,
    /// File it was imported from.
    pub origin_path: Option<String>,
    /// Importer that read it (`text`, `html`, `feed`, `json`, `jsonl`, `csv`).
    pub origin_format: String,
    /// Lowercase hex SHA-256 of `text`; equal hashes are duplicates.
    pub content_sha256: String,
}

/// An article as an importer produced it, before it has an id.
#[derive(Debug, Clone, PartialEq)]
pub struct NewArticle {
    /// The id the source asked for (native records); used when free in the archive.
    pub requested_id: Option<ArticleId>,
    /// Headline.
    pub title: String,
    /// Full text; pass it through [`normalize_text`] before building.
    pub text: String,
    /// Publication date.
    pub published: Option<PartialDate>,
    /// Online address.
    pub url: Option<String>,
    /// Outlet or feed name.
    pub source: Option<String>,
    /// File it came from.
    pub origin_path: Option<String>,
    /// Importer name.
    pub origin_format: String,
    /// Annotations carried by the source (native JSONL records).
    pub annotations: Vec<NewAnnotation>,
}

impl NewArticle {
    /// An article with only the essentials; the text is normalised here.
    pub fn new(title: &str, text: &str, origin_format: &str) -> Self {
        Self {
            requested_id: None,
            title: title.trim().to_owned(),
            text: normalize_text(text),
            published: None,
            url: None,
            source: None,
            origin_path: None,
            origin_format: origin_format.to_owned(),
            annotations: Vec::new(),
        }
    }

    /// Removes the links (`date`, `place`, `actor`, `part_of`) that point at an id none of
    /// this article's annotations was given by the source, and says what went: `annotation
    /// N (LABEL): link place → 57 dropped: no annotation 57 in this record`. Links are
    /// mapped to the archive's ids when the article is stored.
    pub fn drop_dangling_links(&mut self) -> Vec<String> {
        let known: std::collections::HashSet<i64> = self
            .annotations
            .iter()
            .filter_map(|annotation| annotation.requested_id.map(|id| id.0))
            .collect();
        let mut messages = Vec::new();
        for (index, annotation) in self.annotations.iter_mut().enumerate() {
            let dropped = super::remap_links(&mut annotation.attrs, |id| {
                known.contains(&id).then_some(id)
            });
            for (key, id) in dropped {
                messages.push(format!(
                    "annotation {} ({}): link {key} → {id} dropped: no annotation {id} in this record",
                    index + 1,
                    annotation.label
                ));
            }
        }
        messages
    }

    /// Hash of the text, the duplicate key.
    pub fn content_sha256(&self) -> String {
        content_sha256(&self.text)
    }
}

/// Lowercase hex SHA-256 of a text.
pub fn content_sha256(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    let mut hex = String::with_capacity(64);
    for byte in digest {
        use std::fmt::Write as _;
        let _ = write!(hex, "{byte:02x}");
    }
    hex
}

/// The one normalisation applied before anything is anchored: drop a BOM, turn CRLF and lone
/// CR into LF, drop NUL characters. Nothing else is touched (no Unicode normalisation, no
/// trimming), so offsets that other tools computed on the same text stay valid.
pub fn normalize_text(text: &str) -> String {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if !text.contains(['\r', '\0']) {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push('\n');
            }
            '\0' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_bom_and_line_ends_only() {
        assert_eq!(normalize_text("\u{feff}a\r\nb\rc\n"), "a\nb\nc\n");
        assert_eq!(normalize_text("  keep  spaces "), "  keep  spaces ");
    }

    #[test]
    fn hashes_text_as_hex_sha256() {
        assert_eq!(
            content_sha256("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}

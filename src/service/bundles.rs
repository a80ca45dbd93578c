//! Bundles: one coder's layer in one JSON Lines file, to carry between laptops (a header
//! line, then one line per article the layer touches, in content-hash order, with the
//! coder's annotations by uid and the tombstones of the ones they deleted), written
//! atomically; and how a bundle line is read back. Merging them is `bundle_merge.rs`.

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::export_files::{
    existing_parent, io_error, persist, refuse_unsafe_destination, refused, synced, temporary_file,
};
use super::{ArchiveReader, Result};
use crate::model::{Annotation, AnnotationAttrs, AnnotationStatus, Article, Coder};

/// The bundle format's version, in every header.
pub const BUNDLE_FORMAT: u64 = 1;

/// The longest line read from a bundle; a longer one is reported and skipped.
pub const MAX_BUNDLE_LINE_BYTES: usize = 32 << 20;

/// The first line of a bundle.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct BundleHeader {
    /// [`BUNDLE_FORMAT`].
    pub(super) annalist_bundle: u64,
    /// Whose layer the bundle holds; every annotation in it is in this layer.
    pub(super) coder: String,
    /// When it was written, RFC 3339 UTC (shown, never compared).
    pub(super) exported_at: String,
    /// The schema version of the archive that wrote it.
    pub(super) archive_schema: i64,
}

/// One article's part of a coder's layer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct BundleArticle {
    /// Hex SHA-256 of the text: how the article is found in another archive.
    pub(super) content_sha256: String,
    /// The article itself, when the bundle carries texts (`--with-texts`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) article: Option<BundleText>,
    /// The coder's annotations of it, by uid.
    #[serde(default)]
    pub(super) annotations: Vec<BundleAnnotation>,
    /// The coder's annotations of it deleted since they were made.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(super) tombstones: Vec<BundleTombstone>,
}

/// An article a bundle carries, so that an archive without it can add it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct BundleText {
    /// Its id in the exporting archive (used in the importing one when free).
    pub(super) id: i64,
    /// Headline.
    pub(super) title: String,
    /// Full text; its SHA-256 is the line's `content_sha256`.
    pub(super) text: String,
    /// `YYYY`, `YYYY-MM`, `YYYY-MM-DD` or null.
    pub(super) published: Option<String>,
    /// Online address.
    pub(super) url: Option<String>,
    /// Outlet.
    pub(super) source: Option<String>,
}

/// One version of an annotation; links (`date`, `place`, ...) name uids.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct BundleAnnotation {
    /// Global id.
    pub(super) uid: String,
    /// Label name.
    pub(super) label: String,
    /// First code point.
    pub(super) start: usize,
    /// One past the last code point.
    pub(super) end: usize,
    /// `text[start:end]`.
    pub(super) text: String,
    /// `accepted`, `suggested` or `rejected`.
    pub(super) status: AnnotationStatus,
    /// Who made it.
    pub(super) annotator: String,
    /// Label attributes.
    pub(super) attrs: AnnotationAttrs,
    /// Creation time, RFC 3339 UTC.
    pub(super) created_at: String,
    /// Last change, RFC 3339 UTC: the later version of a uid wins a merge.
    pub(super) updated_at: String,
}

/// A deletion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct BundleTombstone {
    /// The uid the deleted annotation had.
    pub(super) uid: String,
    /// When it was deleted, RFC 3339 UTC.
    pub(super) deleted_at: String,
}

impl BundleAnnotation {
    /// The bundle's version of a stored annotation, its links written as uids.
    pub(super) fn of(annotation: &Annotation, uids: &std::collections::HashMap<i64, &str>) -> Self {
        Self {
            uid: annotation.uid.clone(),
            label: annotation.label.clone(),
            start: annotation.span.start(),
            end: annotation.span.end(),
            text: annotation.text.clone(),
            status: annotation.status,
            annotator: annotation.annotator.clone(),
            attrs: crate::export::links_as_uids(&annotation.attrs, uids),
            created_at: annotation.created_at.clone(),
            updated_at: annotation.updated_at.clone(),
        }
    }
}

/// What `bundle export` wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BundleExportSummary {
    /// The coder whose layer it is.
    pub coder: String,
    /// Article lines written.
    pub articles: u64,
    /// Annotations written (every status).
    pub annotations: u64,
    /// Tombstones written.
    pub tombstones: u64,
    /// Whether the article texts were carried.
    pub with_texts: bool,
    /// Where it went.
    pub path: PathBuf,
}

impl std::fmt::Display for BundleExportSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "bundle of {}'s layer: {} articles{}, {} annotations, {} deletions: {}",
            self.coder,
            self.articles,
            if self.with_texts { " with texts" } else { "" },
            self.annotations,
            self.tombstones,
            self.path.display()
        )
    }
}

impl ArchiveReader {
    /// Writes `coder`'s layer to a bundle at `path`: under a temporary name beside it,
    /// moved into place when complete. Refuses (before writing anything) a path inside the
    /// archive's folder, a link, a device or pipe, and a folder.
    pub fn export_bundle(
        &mut self,
        coder: &Coder,
        path: &Path,
        with_texts: bool,
    ) -> Result<BundleExportSummary> {
        refuse_unsafe_destination(path, &self.dir)?;
        let parent = existing_parent(path)?;
        if path.is_dir() {
            return Err(refused(
                "a bundle is one file and this is a folder; name a file",
                path,
            ));
        }
        let temp = temporary_file(&parent, path)?;
        let mut out = std::io::BufWriter::new(synced(&temp, path)?);
        let mut summary = BundleExportSummary {
            coder: coder.to_string(),
            articles: 0,
            annotations: 0,
            tombstones: 0,
            with_texts,
            path: path.to_owned(),
        };
        let header = BundleHeader {
            annalist_bundle: BUNDLE_FORMAT,
            coder: coder.to_string(),
            exported_at: crate::store::now_rfc3339(),
            archive_schema: self.store.schema_version()?,
        };
        write_line(&mut out, &header, path)?;
        for article_id in self.store.layer_article_ids(coder.as_str())? {
            let Some(article) = self.store.article(article_id)? else {
                continue;
            };
            let line = self.bundle_line(&article, coder.as_str(), with_texts)?;
            summary.articles += 1;
            summary.annotations += u64::try_from(line.annotations.len()).unwrap_or(0);
            summary.tombstones += u64::try_from(line.tombstones.len()).unwrap_or(0);
            write_line(&mut out, &line, path)?;
        }
        out.flush()
            .map_err(io_error("cannot write the bundle", path))?;
        drop(out);
        persist(temp, path)?;
        Ok(summary)
    }

    fn bundle_line(
        &self,
        article: &Article,
        coder: &str,
        with_texts: bool,
    ) -> Result<BundleArticle> {
        let all = self.store.annotations(article.id)?;
        let uids: std::collections::HashMap<i64, &str> =
            all.iter().map(|a| (a.id.0, a.uid.as_str())).collect();
        let mut annotations: Vec<BundleAnnotation> = all
            .iter()
            .filter(|a| a.coder == coder)
            .map(|a| BundleAnnotation::of(a, &uids))
            .collect();
        annotations.sort_by(|a, b| a.uid.cmp(&b.uid));
        let tombstones = self
            .store
            .tombstones(coder, article.id)?
            .into_iter()
            .map(|t| BundleTombstone {
                uid: t.uid,
                deleted_at: t.deleted_at,
            })
            .collect();
        Ok(BundleArticle {
            content_sha256: article.content_sha256.clone(),
            article: with_texts.then(|| BundleText {
                id: article.id.0,
                title: article.title.clone(),
                text: article.text.clone(),
                published: article.published.map(|d| d.to_string()),
                url: article.url.clone(),
                source: article.source.clone(),
            }),
            annotations,
            tombstones,
        })
    }
}

fn write_line(out: &mut impl Write, value: &impl Serialize, path: &Path) -> Result<()> {
    serde_json::to_writer(&mut *out, value)
        .map_err(std::io::Error::from)
        .and_then(|()| out.write_all(b"\n"))
        .map_err(io_error("cannot write the bundle", path))
}

// --- Reading

/// A bundle read from disk: its coder and its article lines with their line numbers,
/// and what could not be read.
pub(super) struct ReadBundle {
    /// The file.
    pub(super) path: PathBuf,
    /// Whose layer.
    pub(super) coder: Coder,
    /// `(line number, line)`.
    pub(super) articles: Vec<(u64, BundleArticle)>,
}

/// Something in a bundle that was not merged, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BundleProblem {
    /// The bundle.
    pub path: PathBuf,
    /// Its line (1-based), when the problem is one line's.
    pub line: Option<u64>,
    /// What was wrong.
    pub reason: String,
}

impl std::fmt::Display for BundleProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(f, "line {line}: {}: {}", self.reason, self.path.display()),
            None => write!(f, "{}: {}", self.reason, self.path.display()),
        }
    }
}

/// Reads a bundle: the whole file is refused (`Err`) when it is not a regular file, cannot be
/// read, or has no bundle header; a line that is too long or not a bundle line is a problem,
/// and the rest is read.
pub(super) fn read_bundle(
    path: &Path,
    problems: &mut Vec<BundleProblem>,
) -> std::result::Result<ReadBundle, BundleProblem> {
    let whole = |reason: String| BundleProblem {
        path: path.to_owned(),
        line: None,
        reason,
    };
    let file = open_regular(path).map_err(whole)?;
    let mut reader = std::io::BufReader::new(file);
    let mut header = None;
    let mut articles = Vec::new();
    let mut number = 0u64;
    let mut buffer = Vec::new();
    loop {
        number += 1;
        let at = |reason: String| BundleProblem {
            path: path.to_owned(),
            line: Some(number),
            reason,
        };
        let line = match read_line(&mut reader, &mut buffer) {
            Ok(Line::End) => break,
            Ok(Line::TooLong) => {
                problems.push(at(format!(
                    "the line is over {} MiB, so it is not a bundle line",
                    MAX_BUNDLE_LINE_BYTES >> 20
                )));
                continue;
            }
            Ok(Line::Read) => buffer.as_slice(),
            Err(e) => return Err(whole(format!("cannot read the bundle ({e})"))),
        };
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        if header.is_none() {
            header = Some(parse_header(line).map_err(at)?);
            continue;
        }
        match serde_json::from_slice::<BundleArticle>(line) {
            Ok(article) => articles.push((number, article)),
            Err(e) => problems.push(at(format!("not a bundle article line ({e})"))),
        }
    }
    let coder = header.ok_or_else(|| whole("the file is empty, not a bundle".to_owned()))?;
    Ok(ReadBundle {
        path: path.to_owned(),
        coder,
        articles,
    })
}

fn parse_header(line: &[u8]) -> std::result::Result<Coder, String> {
    let header: BundleHeader = serde_json::from_slice(line).map_err(|e| {
        format!("the first line is not a bundle header ({e}); is this an Annalist bundle?")
    })?;
    if header.annalist_bundle != BUNDLE_FORMAT {
        return Err(format!(
            "bundle format {} is not known to this build (it reads {BUNDLE_FORMAT})",
            header.annalist_bundle
        ));
    }
    Coder::new(&header.coder).map_err(|e| format!("the bundle's coder: {e}"))
}

/// Opens a path only when it is a regular file (checked on the path and on what was
/// opened, without blocking on a pipe).
fn open_regular(path: &Path) -> std::result::Result<std::fs::File, String> {
    let meta = std::fs::metadata(path).map_err(|e| format!("cannot read the bundle ({e})"))?;
    if meta.is_dir() {
        return Err("this is a folder, not a bundle file".to_owned());
    }
    if !meta.is_file() {
        return Err("this is a device, pipe or socket, not a bundle file".to_owned());
    }
    use std::os::unix::fs::OpenOptionsExt as _;
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
        .map_err(|e| format!("cannot open the bundle ({e})"))?;
    match file.metadata() {
        Ok(meta) if meta.is_file() => Ok(file),
        Ok(_) => Err("this is not a regular file".to_owned()),
        Err(e) => Err(format!("cannot read the bundle ({e})")),
    }
}

enum Line {
    Read,
    TooLong,
    End,
}

/// Reads one line into `buffer` (without its end), never holding more than
/// [`MAX_BUNDLE_LINE_BYTES`] of it: a longer line is read to its end and dropped.
fn read_line(reader: &mut impl BufRead, buffer: &mut Vec<u8>) -> std::io::Result<Line> {
    buffer.clear();
    let mut too_long = false;
    loop {
        let chunk = reader.fill_buf()?;
        if chunk.is_empty() {
            return Ok(if too_long {
                Line::TooLong
            } else if buffer.is_empty() {
                Line::End
            } else {
                Line::Read
            });
        }
        let (part, found) = match chunk.iter().position(|&b| b == b'\n') {
            Some(i) => (chunk.get(..i).unwrap_or_default(), Some(i + 1)),
            None => (chunk, None),
        };
        if !too_long && buffer.len() + part.len() <= MAX_BUNDLE_LINE_BYTES {
            buffer.extend_from_slice(part);
        } else {
            too_long = true;
            buffer.clear();
        }
        let used = found.unwrap_or(chunk.len());
        reader.consume(used);
        if found.is_some() {
            return Ok(if too_long { Line::TooLong } else { Line::Read });
        }
    }
}

//! The manifest written beside an export: what was exported, how, and from which texts, so a
//! dataset can be checked and cited later without the archive.

use std::collections::BTreeMap;
use std::io::{self, BufWriter, Write};

use serde::Serialize;

use super::{ExportFormat, WrittenFile};
use crate::model::{Annotation, Article};

/// Writes the manifest of one export while its records go by: a JSON object with the
/// program, schema version, format, offset unit and filters first, then the text hash of
/// every exported article (streamed, so an export of a million articles holds none of them
/// in memory), then the counts. It holds no timestamp: the same export gives the same bytes.
///
/// ```json
/// {
///   "app": "annalist 0.1.0",
///   "schema_version": 1,
///   "format": "events-csv",
///   "offset_unit": "unicode_code_point",
///   "filters": {"labels": ["CASUALTY"], "status": "accepted"},
///   "content_sha256": [
///     {"id": 1, "content_sha256": "225faa76e1f0..."}
///   ],
///   "articles": 1,
///   "annotations": 4,
///   "annotations_by_label": {"CASUALTY": 2, "DATE": 1, "LOC": 1}
/// }
/// ```
pub struct Manifest {
    out: BufWriter<Box<dyn Write + Send>>,
    articles: u64,
    annotations: u64,
    annotations_by_label: BTreeMap<String, u64>,
    /// The first write error; later writes are skipped and `finish` reports it.
    failed: Option<io::Error>,
}

/// One entry of the hash list.
#[derive(Serialize)]
struct ArticleHash<'a> {
    id: i64,
    content_sha256: &'a str,
    /// For a folder export, the files written for this article and their SHA-256.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    files: BTreeMap<&'a str, &'a str>,
}

/// The files of a folder export, by name, as the manifest lists them.
fn file_map(files: &[WrittenFile]) -> BTreeMap<&str, &str> {
    files
        .iter()
        .map(|f| (f.name.as_str(), f.sha256.as_str()))
        .collect()
}

impl Manifest {
    /// Starts the manifest of an export in `format` on `out`. `filters` describes what the
    /// export was limited to (query, labels, status, dates, ...).
    pub fn begin(
        out: Box<dyn Write + Send>,
        format: ExportFormat,
        schema_version: i64,
        filters: &serde_json::Value,
    ) -> Self {
        let mut manifest = Self {
            out: BufWriter::new(out),
            articles: 0,
            annotations: 0,
            annotations_by_label: BTreeMap::new(),
            failed: None,
        };
        manifest.attempt(|out| {
            out.write_all(b"{\n")?;
            writeln!(
                out,
                "  \"app\": {},",
                json(&format!("annalist {}", env!("CARGO_PKG_VERSION")))?
            )?;
            writeln!(out, "  \"schema_version\": {},", schema_version)?;
            writeln!(out, "  \"format\": {},", json(format.as_str())?)?;
            writeln!(out, "  \"offset_unit\": {},", json("unicode_code_point")?)?;
            writeln!(out, "  \"filters\": {},", json(filters)?)?;
            out.write_all(b"  \"content_sha256\": [")
        });
        manifest
    }

    /// Counts one record as it is handed to the sink and lists its text hash.
    pub fn record(&mut self, article: &Article, annotations: &[Annotation]) {
        self.record_with_files(article, annotations, &[]);
    }

    /// [`Self::record`] for a folder export: also lists the files written for the article,
    /// so that a later export into the folder replaces only what this one wrote.
    pub fn record_with_files(
        &mut self,
        article: &Article,
        annotations: &[Annotation],
        files: &[WrittenFile],
    ) {
        let first = self.articles == 0;
        self.articles += 1;
        self.annotations += annotations.len() as u64;
        for annotation in annotations {
            match self.annotations_by_label.get_mut(&annotation.label) {
                Some(count) => *count += 1,
                None => {
                    self.annotations_by_label
                        .insert(annotation.label.clone(), 1);
                }
            }
        }
        let entry = ArticleHash {
            id: article.id.0,
            content_sha256: &article.content_sha256,
            files: file_map(files),
        };
        let mut line = Vec::with_capacity(100);
        line.extend_from_slice(if first { b"\n    " } else { b",\n    " });
        if serde_json::to_writer(&mut line, &entry).is_ok() {
            self.attempt(|out| out.write_all(&line));
        }
    }

    /// Writes the counts, closes the object and flushes. A manifest is valid JSON only once
    /// finished.
    pub fn finish(self) -> io::Result<()> {
        self.finish_with_files(&[])
    }

    /// [`Self::finish`] for a folder export: `files` are those written at its end (brat's
    /// configuration), listed under `"files"` before the counts.
    pub fn finish_with_files(mut self, files: &[WrittenFile]) -> io::Result<()> {
        let by_label = json(&self.annotations_by_label)?;
        let files = (!files.is_empty())
            .then(|| json(&file_map(files)))
            .transpose()?;
        let (articles, annotations) = (self.articles, self.annotations);
        self.attempt(|out| {
            out.write_all(if articles == 0 { b"],\n" } else { b"\n  ],\n" })?;
            if let Some(files) = &files {
                writeln!(out, "  \"files\": {files},")?;
            }
            writeln!(out, "  \"articles\": {articles},")?;
            writeln!(out, "  \"annotations\": {annotations},")?;
            writeln!(out, "  \"annotations_by_label\": {by_label}")?;
            out.write_all(b"}\n")?;
            out.flush()
        });
        match self.failed {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    /// Runs one write unless an earlier one failed; keeps the first error.
    fn attempt(
        &mut self,
        write: impl FnOnce(&mut BufWriter<Box<dyn Write + Send>>) -> io::Result<()>,
    ) {
        if self.failed.is_none()
            && let Err(e) = write(&mut self.out)
        {
            self.failed = Some(e);
        }
    }
}

/// `value` as compact JSON.
fn json(value: &(impl Serialize + ?Sized)) -> io::Result<String> {
    serde_json::to_string(value).map_err(io::Error::from)
}

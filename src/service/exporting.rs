//! The export use case: choose articles (query, ids, dates) and annotations (labels,
//! status, annotators), stream them into a format's sink, and write the manifest.

use std::path::{Path, PathBuf};

use super::{Archive, ArchiveError, Result};
use crate::export::{CLAIM_LABEL, Destination, ExportFormat, Manifest, sink};
use crate::model::{Annotation, AnnotationStatus, ArticleId, PartialDate};

/// What to export.
#[derive(Debug, Clone, Default)]
pub struct ExportOptions {
    /// Only articles matching this query (all when `None`).
    pub query: Option<String>,
    /// Also export suggested annotations (accepted only by default).
    pub include_suggestions: bool,
    /// Only these articles (a selection); combined with `query` when both are set.
    pub ids: Option<Vec<ArticleId>>,
    /// Only annotations with one of these labels (all when empty).
    pub labels: Vec<String>,
    /// Only annotations with this status (overrides `include_suggestions`).
    pub status: Option<AnnotationStatus>,
    /// Only annotations by one of these annotators (all when empty).
    pub annotators: Vec<String>,
    /// Only articles published on or after the start of this date.
    pub published_from: Option<PartialDate>,
    /// Only articles published on or before the end of this date.
    pub published_to: Option<PartialDate>,
}

impl ExportOptions {
    /// The query that selects articles: the user's query with the date range folded in.
    fn article_query(&self) -> Option<String> {
        let dates = (self.published_from.is_some() || self.published_to.is_some()).then(|| {
            let bound =
                |d: Option<PartialDate>| d.map_or_else(|| "*".to_owned(), |d| d.to_string());
            format!(
                "published:[{} TO {}]",
                bound(self.published_from),
                bound(self.published_to)
            )
        });
        match (
            self.query
                .as_deref()
                .map(str::trim)
                .filter(|q| !q.is_empty()),
            dates,
        ) {
            (Some(query), Some(dates)) => Some(format!("({query}) AND {dates}")),
            (Some(query), None) => Some(query.to_owned()),
            (None, dates) => dates,
        }
    }

    fn status_ok(&self, annotation: &Annotation) -> bool {
        match self.status {
            Some(status) => annotation.status == status,
            None => match annotation.status {
                AnnotationStatus::Accepted => true,
                AnnotationStatus::Suggested => self.include_suggestions,
                AnnotationStatus::Rejected => false,
            },
        }
    }

    fn keeps(&self, annotation: &Annotation) -> bool {
        self.status_ok(annotation)
            && (self.labels.is_empty() || self.labels.contains(&annotation.label))
            && (self.annotators.is_empty() || self.annotators.contains(&annotation.annotator))
    }

    /// Whether `annotation` goes to the sink. The events table writes one row per claim and
    /// resolves the dates, places and actors a claim links to: the label and annotator
    /// filters choose the claims, and every linked span of the right status stays available.
    fn sends(&self, format: ExportFormat, annotation: &Annotation) -> bool {
        if format == ExportFormat::EventsCsv && annotation.label != CLAIM_LABEL {
            self.status_ok(annotation)
        } else {
            self.keeps(annotation)
        }
    }

    fn describe(&self) -> serde_json::Value {
        serde_json::json!({
            "query": self.query,
            "ids": self.ids,
            "labels": self.labels,
            "status": self.status.map(|s| s.as_str()).unwrap_or(if self.include_suggestions { "accepted+suggested" } else { "accepted" }),
            "annotators": self.annotators,
            "published_from": self.published_from.map(|d| d.to_string()),
            "published_to": self.published_to.map(|d| d.to_string()),
        })
    }
}

/// What an export wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct ExportSummary {
    /// Articles written.
    pub articles: u64,
    /// Annotations written (for `events-csv`: the claims and the dates, places and actors
    /// they link to).
    pub annotations: u64,
    /// Rows written, for the formats with one row per unit (`csv`: annotations,
    /// `events-csv`: casualty claims); `None` for the others.
    pub rows: Option<u64>,
    /// Whether the user stopped it (nothing is left under the requested name then).
    pub cancelled: bool,
}

impl ExportSummary {
    /// What was written, in the unit of the format: "2 events rows (one per CASUALTY claim)
    /// from 3 articles" for `events-csv`, "3 articles and 12 annotations" for the others.
    pub fn describe(&self, format: ExportFormat) -> String {
        let plural =
            |n: u64, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        match (format, self.rows) {
            (ExportFormat::EventsCsv, Some(rows)) => format!(
                "{} (one per {CLAIM_LABEL} claim) from {}",
                plural(rows, "events row", "events rows"),
                plural(self.articles, "article", "articles")
            ),
            _ => format!(
                "{} and {}",
                plural(self.articles, "article", "articles"),
                plural(self.annotations, "annotation", "annotations")
            ),
        }
    }
}

impl Archive {
    fn export_ids(&mut self, options: &ExportOptions) -> Result<Option<Vec<ArticleId>>> {
        let mut ids = match options.article_query() {
            Some(query) => {
                self.sync_index()?;
                Some(self.index.matching_ids(&query)?)
            }
            None => None,
        };
        if let Some(chosen) = &options.ids {
            let mut chosen = chosen.clone();
            chosen.sort_unstable();
            chosen.dedup();
            ids = Some(match ids {
                Some(found) => chosen
                    .into_iter()
                    .filter(|id| found.binary_search(id).is_ok())
                    .collect(),
                None => chosen,
            });
        }
        Ok(ids)
    }

    /// Streams the chosen articles into `destination` in `format` and their manifest into
    /// `manifest` (give `std::io::sink()` for none); returns what was written.
    /// `progress(done, total)` returns `false` to cancel.
    pub fn export_to(
        &mut self,
        format: ExportFormat,
        destination: Destination,
        manifest: Box<dyn std::io::Write + Send>,
        options: &ExportOptions,
        progress: &mut dyn FnMut(u64, u64) -> bool,
    ) -> Result<ExportSummary> {
        let ids = self.export_ids(options)?;
        let total = match &ids {
            Some(ids) => u64::try_from(ids.len()).unwrap_or(u64::MAX),
            None => self.store.article_count()?,
        };
        let labels = self.store.labels()?;
        let mut out = sink(format, destination, &labels).map_err(ArchiveError::Export)?;
        let mut manifest = Manifest::begin(
            manifest,
            format,
            self.store.schema_version()?,
            &options.describe(),
        );
        let mut failure = None;
        let mut summary = ExportSummary {
            articles: 0,
            annotations: 0,
            rows: match format {
                ExportFormat::Csv | ExportFormat::EventsCsv => Some(0),
                _ => None,
            },
            cancelled: false,
        };
        self.store
            .for_each_article(ids.as_deref(), |article, mut annotations| {
                annotations.retain(|a| options.sends(format, a));
                if let Err(e) = out.write(&article, &annotations) {
                    failure = Some(e);
                    return false;
                }
                manifest.record(&article, &annotations);
                summary.articles += 1;
                summary.annotations += u64::try_from(annotations.len()).unwrap_or(0);
                if let Some(rows) = summary.rows.as_mut() {
                    // The events table has one row per claim; the annotations table one per
                    // annotation.
                    let written = if format == ExportFormat::EventsCsv {
                        annotations
                            .iter()
                            .filter(|a| a.label == CLAIM_LABEL)
                            .count()
                    } else {
                        annotations.len()
                    };
                    *rows += u64::try_from(written).unwrap_or(0);
                }
                if summary.articles.is_multiple_of(256) && !progress(summary.articles, total) {
                    summary.cancelled = true;
                    return false;
                }
                true
            })?;
        if let Some(e) = failure {
            return Err(ArchiveError::Export(e));
        }
        if summary.cancelled {
            return Ok(summary);
        }
        out.finish().map_err(ArchiveError::Export)?;
        manifest.finish().map_err(ArchiveError::Export)?;
        progress(summary.articles, total);
        Ok(summary)
    }

    /// Exports to a file (or, for brat, a folder) at `path`, with the manifest beside it
    /// (`<path>.manifest.json`, or `manifest.json` inside the folder). The export is written
    /// under a temporary name and moved into place only when complete, so a failed or
    /// cancelled export never leaves a half-written file under the requested name.
    pub fn export_to_path(
        &mut self,
        format: ExportFormat,
        path: &Path,
        options: &ExportOptions,
        progress: &mut dyn FnMut(u64, u64) -> bool,
    ) -> Result<ExportSummary> {
        let io = |what: &'static str, path: &Path| {
            let path = path.to_owned();
            move |source| ArchiveError::Io { what, source, path }
        };
        refuse_unsafe_destination(path, &self.dir)?;
        if format.writes_folder() {
            check_replaceable_folder(path)?;
        } else if path.is_dir() {
            return Err(ArchiveError::Io {
                what: "the export is one file; this is a folder",
                source: std::io::ErrorKind::IsADirectory.into(),
                path: path.to_owned(),
            });
        }
        let partial = partial_path(path);
        let manifest_partial = partial_path(&manifest_path(path));
        for old in [&partial, &manifest_partial] {
            if old.exists() {
                remove(old).map_err(io("cannot remove an old partial export", old))?;
            }
        }
        let destination = if format.writes_folder() {
            std::fs::create_dir_all(&partial)
                .map_err(io("cannot create the export folder", &partial))?;
            Destination::Folder(partial.clone())
        } else {
            Destination::Stream(Box::new(
                synced_file(&partial).map_err(io("cannot create the export file", &partial))?,
            ))
        };
        let manifest = Box::new(
            synced_file(&manifest_partial)
                .map_err(io("cannot create the manifest", &manifest_partial))?,
        );
        let outcome = self.export_to(format, destination, manifest, options, progress);
        let summary = match outcome {
            Ok(summary) if !summary.cancelled => summary,
            done => {
                let _ = remove(&partial);
                let _ = remove(&manifest_partial);
                return done;
            }
        };
        if format.writes_folder() {
            let inside = partial.join("manifest.json");
            std::fs::rename(&manifest_partial, &inside)
                .map_err(io("cannot move the manifest into place", &inside))?;
            if path.is_dir() {
                std::fs::remove_dir_all(path)
                    .map_err(io("cannot replace the old export folder", path))?;
            }
            std::fs::rename(&partial, path)
                .map_err(io("cannot move the export into place", path))?;
        } else {
            std::fs::rename(&partial, path)
                .map_err(io("cannot move the export into place", path))?;
            let beside = manifest_path(path);
            std::fs::rename(&manifest_partial, &beside)
                .map_err(io("cannot move the manifest into place", &beside))?;
        }
        Ok(summary)
    }
}

/// Refuses destinations an export must never replace: anything inside the archive's own
/// folder (its database, lock, index), a link (renaming over it would replace the link, and
/// following it would write somewhere the user did not name), and a node that is not a
/// regular file or folder (a device such as `/dev/null`, a pipe, a socket).
fn refuse_unsafe_destination(path: &Path, archive_dir: &Path) -> Result<()> {
    let refuse = |what: &'static str, kind: std::io::ErrorKind| ArchiveError::Io {
        what,
        source: kind.into(),
        path: path.to_owned(),
    };
    if let Ok(meta) = std::fs::symlink_metadata(path) {
        let kind = meta.file_type();
        if kind.is_symlink() {
            return Err(refuse(
                "the export path is a link; exports never replace links: name a plain file or folder",
                std::io::ErrorKind::InvalidInput,
            ));
        }
        if !kind.is_file() && !kind.is_dir() {
            return Err(refuse(
                "the export path is a device, pipe or socket, not a file; to write to standard output leave out --out",
                std::io::ErrorKind::InvalidInput,
            ));
        }
    }
    // Where the export would land, with links in the folders above resolved.
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    };
    let mut existing = parent.as_path();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.file_name(), existing.parent()) {
            (Some(name), Some(up)) => {
                rest.push(name.to_owned());
                existing = if up.as_os_str().is_empty() {
                    Path::new(".")
                } else {
                    up
                };
            }
            _ => break,
        }
    }
    let (Ok(base), Ok(archive)) = (existing.canonicalize(), archive_dir.canonicalize()) else {
        return Ok(());
    };
    let mut landing = base;
    for name in rest.iter().rev() {
        landing.push(name);
    }
    if let Some(name) = path.file_name() {
        landing.push(name);
    }
    if landing.starts_with(&archive) {
        return Err(refuse(
            "the export would go inside the archive's own folder (its database and index live there); choose a place outside it",
            std::io::ErrorKind::InvalidInput,
        ));
    }
    Ok(())
}

/// What an export to a path would meet on disk, found before it starts so that the user can
/// fix the path, confirm a replacement, or be told which folders will be created.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExportDestination {
    /// Something is already there (a file, or a folder holding an earlier export) and would
    /// be replaced.
    pub exists: bool,
    /// Folders above the path that do not exist yet, outermost first.
    pub missing_folders: Vec<PathBuf>,
}

/// Checks where an export in `format` to `path` would go, without changing anything: a
/// file format needs a path that is not a folder, a folder format a new or empty folder or
/// one holding an earlier brat export; the nearest existing folder above must be a folder.
pub fn check_export_destination(format: ExportFormat, path: &Path) -> Result<ExportDestination> {
    let refuse = |what: &'static str, kind: std::io::ErrorKind, path: &Path| ArchiveError::Io {
        what,
        source: kind.into(),
        path: path.to_owned(),
    };
    if path.as_os_str().is_empty() || path.file_name().is_none() {
        return Err(refuse(
            "the export needs a file or folder name",
            std::io::ErrorKind::InvalidInput,
            path,
        ));
    }
    let mut missing_folders = Vec::new();
    for ancestor in path.ancestors().skip(1) {
        if ancestor.as_os_str().is_empty() {
            break;
        }
        if ancestor.is_dir() {
            break;
        }
        if ancestor.exists() {
            return Err(refuse(
                "a file is in the way of the export folder; choose another place",
                std::io::ErrorKind::NotADirectory,
                ancestor,
            ));
        }
        missing_folders.push(ancestor.to_owned());
    }
    missing_folders.reverse();
    let exists = if format.writes_folder() {
        check_replaceable_folder(path)?;
        if path.exists() && !path.is_dir() {
            return Err(refuse(
                "this format writes a folder; this is a file",
                std::io::ErrorKind::NotADirectory,
                path,
            ));
        }
        std::fs::read_dir(path).is_ok_and(|mut entries| entries.next().is_some())
    } else {
        if path.is_dir() {
            return Err(refuse(
                "the export is one file; this is a folder",
                std::io::ErrorKind::IsADirectory,
                path,
            ));
        }
        path.exists()
    };
    Ok(ExportDestination {
        exists,
        missing_folders,
    })
}

/// Creates the folders [`check_export_destination`] found missing.
pub fn create_export_folders(destination: &ExportDestination) -> Result<()> {
    if let Some(innermost) = destination.missing_folders.last() {
        std::fs::create_dir_all(innermost).map_err(|source| ArchiveError::Io {
            what: "cannot create the export's folder",
            source,
            path: innermost.clone(),
        })?;
    }
    Ok(())
}

/// Files a brat export writes; a folder holding only these may be replaced by a new export.
fn is_brat_export_file(name: &str) -> bool {
    name.ends_with(".txt")
        || name.ends_with(".ann")
        || matches!(
            name,
            "annotation.conf"
                | "visual.conf"
                | "tools.conf"
                | "kb_shortcuts.conf"
                | "manifest.json"
        )
}

/// Refuses to export a folder over one that holds anything but an earlier brat export: the
/// old folder is replaced as a whole, and a researcher's other files must never go with it.
fn check_replaceable_folder(path: &Path) -> Result<()> {
    if !path.exists() {
        return Ok(());
    }
    let refuse = |source: std::io::Error| ArchiveError::Io {
        what: "the export folder holds other files than an earlier brat export; choose a new or empty folder",
        source,
        path: path.to_owned(),
    };
    let entries = std::fs::read_dir(path).map_err(refuse)?;
    for entry in entries {
        let entry = entry.map_err(refuse)?;
        let name = entry.file_name();
        let is_file = entry.file_type().is_ok_and(|t| t.is_file());
        if !is_file || !name.to_str().is_some_and(is_brat_export_file) {
            return Err(refuse(std::io::Error::new(
                std::io::ErrorKind::AlreadyExists,
                format!("it holds {}", name.to_string_lossy()),
            )));
        }
    }
    Ok(())
}

/// A new file at `path` that reaches the disk when flushed.
fn synced_file(path: &Path) -> std::io::Result<SyncOnFlush> {
    std::fs::File::create(path).map(|file| SyncOnFlush(Some(file)))
}

/// Where an export to `path` is written until it is complete.
fn partial_path(path: &Path) -> PathBuf {
    let mut name = path
        .file_name()
        .map(std::ffi::OsStr::to_os_string)
        .unwrap_or_default();
    name.push(".partial");
    path.with_file_name(name)
}

/// The manifest beside an export file.
pub fn manifest_path(path: &Path) -> PathBuf {
    let mut name = path
        .file_name()
        .map(std::ffi::OsStr::to_os_string)
        .unwrap_or_default();
    name.push(".manifest.json");
    path.with_file_name(name)
}

fn remove(path: &Path) -> std::io::Result<()> {
    if path.is_dir() {
        std::fs::remove_dir_all(path)
    } else {
        std::fs::remove_file(path)
    }
}

/// A file that reaches the disk (fsync) whenever it is flushed: the sink flushes once, at the end.
struct SyncOnFlush(Option<std::fs::File>);

impl std::io::Write for SyncOnFlush {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match &mut self.0 {
            Some(file) => file.write(buf),
            None => Ok(0),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match &mut self.0 {
            Some(file) => {
                file.flush()?;
                file.sync_all()
            }
            None => Ok(()),
        }
    }
}

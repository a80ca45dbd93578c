//! The export use case: choose articles (query, ids, dates) and annotations (labels,
//! status, annotators), stream them into a format's sink, and write the manifest.

use std::path::Path;

use super::export_files::{
    EarlierExport, FOLDER_MANIFEST, TEMP_PREFIX, earlier_export, existing_parent, io_error,
    manifest_path, persist, refuse_long_name, refuse_replacing_non_manifest,
    refuse_unsafe_destination, refused, remove_earlier_export, synced, temporary_file,
};
use super::{ArchiveError, ArchiveReader, Result};
use crate::export::{CLAIM_LABEL, CsvCells, Destination, ExportFormat, Manifest, sink_with};
use crate::model::{ADJUDICATED, Annotation, AnnotationStatus, ArticleId, PartialDate};

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
    /// Only annotations in this layer (every layer when `None`): a coder's name, `""` for
    /// the layer of no coder, or [`crate::model::ADJUDICATED`].
    pub layer: Option<String>,
    /// Only articles published on or after the start of this date.
    pub published_from: Option<PartialDate>,
    /// Only articles published on or before the end of this date.
    pub published_to: Option<PartialDate>,
    /// How `csv` and `events-csv` write text cells a spreadsheet would run as formulas
    /// (neutralised by default; `--csv-raw` keeps them).
    pub csv_cells: CsvCells,
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
            && self.layer_ok(annotation)
    }

    fn layer_ok(&self, annotation: &Annotation) -> bool {
        self.layer
            .as_ref()
            .is_none_or(|layer| *layer == annotation.coder)
    }

    /// Whether `annotation` goes to the sink. The events table writes one row per claim and
    /// resolves the dates, places and actors a claim links to: the label and annotator
    /// filters choose the claims, and every linked span of the right status stays available.
    fn sends(&self, format: ExportFormat, annotation: &Annotation) -> bool {
        if format == ExportFormat::EventsCsv && annotation.label != CLAIM_LABEL {
            self.status_ok(annotation) && self.layer_ok(annotation)
        } else {
            self.keeps(annotation)
        }
    }

    pub(super) fn describe(&self) -> serde_json::Value {
        let mut filters = serde_json::json!({
            "query": self.query,
            "ids": self.ids,
            "labels": self.labels,
            "status": self.status.map(|s| s.as_str()).unwrap_or(if self.include_suggestions { "accepted+suggested" } else { "accepted" }),
            "annotators": self.annotators,
            "published_from": self.published_from.map(|d| d.to_string()),
            "published_to": self.published_to.map(|d| d.to_string()),
        });
        if let Some(layer) = &self.layer {
            filters["layer"] = serde_json::Value::from(layer.as_str());
        }
        filters
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
            (ExportFormat::EventsUcdp | ExportFormat::EventsAcled, Some(rows)) => format!(
                "{} from {} ({})",
                plural(rows, "event", "events"),
                plural(self.articles, "article", "articles"),
                plural(self.annotations, "claim", "claims")
            ),
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

impl ArchiveReader {
    pub(super) fn export_ids(&mut self, options: &ExportOptions) -> Result<Option<Vec<ArticleId>>> {
        let mut ids = match options.article_query() {
            Some(query) => {
                self.sync_index()?;
                Some(self.index.matching_ids_in(&query, self.scope())?)
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
        let mut out = sink_with(format, destination, &labels, options.csv_cells)
            .map_err(ArchiveError::Export)?;
        if options.layer.as_deref() == Some(ADJUDICATED) {
            out.adjudication_columns();
        }
        let mut unreadable = None;
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
                if annotations.iter().any(|a| a.coder == ADJUDICATED) {
                    match self.store.provenance(article.id) {
                        Ok(provenance) => out.provenance(provenance),
                        Err(e) => {
                            unreadable = Some(e);
                            return false;
                        }
                    }
                }
                if let Err(e) = out.write(&article, &annotations) {
                    failure = Some(e);
                    return false;
                }
                manifest.record_with_files(&article, &annotations, &out.take_files());
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
        if let Some(e) = unreadable {
            return Err(e.into());
        }
        if summary.cancelled {
            return Ok(summary);
        }
        let closing = out.finish_listing().map_err(ArchiveError::Export)?;
        manifest
            .finish_with_files(&closing)
            .map_err(ArchiveError::Export)?;
        progress(summary.articles, total);
        Ok(summary)
    }

    /// Exports to a file (or, for brat, a folder) at `path`, with the manifest beside it
    /// (`<path>.manifest.json`, or `manifest.json` inside the folder). The export is written
    /// under a temporary name of this process (created new, beside `path`) and moved into
    /// place only when complete, so a failed or cancelled export leaves nothing behind and
    /// never a half-written file under the requested name. A folder export replaces only an
    /// earlier export whose manifest lists every file in the folder, unchanged.
    pub fn export_to_path(
        &mut self,
        format: ExportFormat,
        path: &Path,
        options: &ExportOptions,
        progress: &mut dyn FnMut(u64, u64) -> bool,
    ) -> Result<ExportSummary> {
        if format.event_dataset().is_some() {
            return self.export_events_to_path(format, path, options, progress);
        }
        refuse_unsafe_destination(path, &self.dir)?;
        let parent = existing_parent(path)?;
        refuse_long_name(format, path)?;
        if format.writes_folder() {
            self.export_to_folder(format, path, &parent, options, progress)
        } else {
            self.export_to_file(format, path, &parent, options, progress)
        }
    }

    /// Streams to standard output (or any `out`) with the manifest written to `manifest`
    /// like an export file: the same refusals, through a temporary moved into place.
    pub fn export_with_manifest_file(
        &mut self,
        format: ExportFormat,
        out: Box<dyn std::io::Write + Send>,
        manifest: &Path,
        options: &ExportOptions,
        progress: &mut dyn FnMut(u64, u64) -> bool,
    ) -> Result<ExportSummary> {
        refuse_unsafe_destination(manifest, &self.dir)?;
        let parent = existing_parent(manifest)?;
        refuse_replacing_non_manifest(manifest)?;
        let temp = temporary_file(&parent, manifest)?;
        let summary = self.export_to(
            format,
            Destination::Stream(out),
            synced(&temp, manifest)?,
            options,
            progress,
        )?;
        if !summary.cancelled {
            persist(temp, manifest)?;
        }
        Ok(summary)
    }

    fn export_to_file(
        &mut self,
        format: ExportFormat,
        path: &Path,
        parent: &Path,
        options: &ExportOptions,
        progress: &mut dyn FnMut(u64, u64) -> bool,
    ) -> Result<ExportSummary> {
        if path.is_dir() {
            return Err(refused(
                "the export is one file and this is a folder; name a file (or use --format brat for a folder)",
                path,
            ));
        }
        let beside = manifest_path(path);
        refuse_unsafe_destination(&beside, &self.dir)?;
        refuse_replacing_non_manifest(&beside)?;
        let file = temporary_file(parent, path)?;
        let manifest = temporary_file(parent, path)?;
        let summary = self.export_to(
            format,
            Destination::Stream(synced(&file, path)?),
            synced(&manifest, path)?,
            options,
            progress,
        )?;
        if summary.cancelled {
            return Ok(summary);
        }
        persist(file, path)?;
        persist(manifest, &beside)?;
        Ok(summary)
    }

    fn export_to_folder(
        &mut self,
        format: ExportFormat,
        path: &Path,
        parent: &Path,
        options: &ExportOptions,
        progress: &mut dyn FnMut(u64, u64) -> bool,
    ) -> Result<ExportSummary> {
        let earlier = earlier_export(format, path)?;
        let folder = tempfile::Builder::new()
            .prefix(TEMP_PREFIX)
            .suffix(".tmp")
            .permissions(std::os::unix::fs::PermissionsExt::from_mode(0o777))
            .tempdir_in(parent)
            .map_err(io_error("cannot create the export folder", path))?;
        let manifest = temporary_file(parent, path)?;
        let summary = self.export_to(
            format,
            Destination::Folder(folder.path().to_owned()),
            synced(&manifest, path)?,
            options,
            progress,
        )?;
        if summary.cancelled {
            return Ok(summary);
        }
        persist(manifest, &folder.path().join(FOLDER_MANIFEST))?;
        if let EarlierExport::Listed(files) = earlier {
            remove_earlier_export(format, path, &files)?;
        }
        // Renaming over an empty folder replaces it; over anything else it fails, and the
        // temporary folder goes when `folder` is dropped.
        std::fs::rename(folder.path(), path)
            .map_err(io_error("cannot move the export into place", path))?;
        let _kept = folder.keep();
        Ok(summary)
    }
}

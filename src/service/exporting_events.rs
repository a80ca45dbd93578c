//! The event dataset exports (`events-ucdp`, `events-acled`): the chosen events, one row
//! each, into a table in the dataset's own columns, with the evidence file and the manifest
//! beside it, all three moved into place only when complete.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use super::export_files::{
    evidence_path, existing_parent, io_error, manifest_path, persist_together, refuse_long_name,
    refuse_replacing_non_evidence, refuse_replacing_non_manifest, refuse_unsafe_destination,
    refused, synced, temporary_file,
};
use super::{ArchiveReader, ExportOptions, ExportSummary, Result};
use crate::export::{EventRecord, EventTableWriter, ExportFormat, Manifest};
use crate::model::{
    Annotation, AnnotationId, ArticleId, Event, EventStatus, Evidence, attrs::CLAIMED_BY,
};

impl ArchiveReader {
    /// The events an export in `options` covers: of the chosen layer (or the reader's),
    /// accepted ones (and suggested ones with `include_suggestions`), with at least one
    /// source among the chosen articles, in id order.
    fn events_for_export(&mut self, options: &ExportOptions) -> Result<Vec<Event>> {
        let chosen = self.export_ids(options)?;
        let layer = options.layer.clone();
        let events = self.events()?;
        Ok(events
            .into_iter()
            .filter(|event| {
                layer
                    .as_deref()
                    .is_none_or(|layer| event.coder.as_deref().unwrap_or("") == layer)
            })
            .filter(|event| {
                event.status == EventStatus::Accepted
                    || (options.include_suggestions && event.status == EventStatus::Suggested)
            })
            .filter(|event| {
                chosen.as_ref().is_none_or(|ids| {
                    event
                        .sources
                        .iter()
                        .any(|s| ids.binary_search(&s.article_id).is_ok())
                        || event
                            .claims
                            .iter()
                            .any(|c| ids.binary_search(&c.article_id).is_ok())
                })
            })
            .collect())
    }

    /// Exports the chosen events as `format`'s dataset to `path`, the evidence file beside it
    /// ([`evidence_path`]) and the manifest (`<path>.manifest.json`). Nothing the user did
    /// not name is replaced: not a folder, a link, a device or the archive's own files, and
    /// beside the table only an earlier evidence file and manifest of Annalist's.
    pub fn export_events_to_path(
        &mut self,
        format: ExportFormat,
        path: &Path,
        options: &ExportOptions,
        progress: &mut dyn FnMut(u64, u64) -> bool,
    ) -> Result<ExportSummary> {
        let Some(dataset) = format.event_dataset() else {
            return Err(refused(
                "this format is not an event dataset; use the article export",
                path,
            ));
        };
        let evidence = evidence_path(path);
        let beside = manifest_path(path);
        for place in [path, evidence.as_path(), beside.as_path()] {
            refuse_unsafe_destination(place, &self.dir)?;
        }
        let parent = existing_parent(path)?;
        refuse_long_name(format, path)?;
        refuse_long_name(format, &evidence)?;
        if path.is_dir() {
            return Err(refused(
                "the export is one file and this is a folder; name a file",
                path,
            ));
        }
        refuse_replacing_non_manifest(&beside)?;
        refuse_replacing_non_evidence(&evidence)?;
        let table_file = temporary_file(&parent, path)?;
        let evidence_file = temporary_file(&parent, &evidence)?;
        let manifest_file = temporary_file(&parent, path)?;
        let events = self.events_for_export(options)?;
        let mut writer = EventTableWriter::new(
            dataset,
            synced(&table_file, path)?,
            synced(&evidence_file, &evidence)?,
            options.csv_cells,
        )
        .map_err(super::ArchiveError::Export)?;
        let mut context = EvidenceTexts::default();
        let total = u64::try_from(events.len()).unwrap_or(u64::MAX);
        let mut claims_by_article: BTreeMap<ArticleId, Vec<Annotation>> = BTreeMap::new();
        for (done, event) in events.iter().enumerate() {
            let quotes = context.quotes_of(self, event)?;
            let claimed_by = claimed_by(event, &quotes.claims);
            for claim in &event.claims {
                if let Some(annotation) = quotes.claims.get(&claim.annotation_id) {
                    claims_by_article
                        .entry(claim.article_id)
                        .or_default()
                        .push(annotation.clone());
                }
            }
            writer
                .write(&EventRecord {
                    event,
                    quotes: &quotes.texts,
                    claimed_by,
                })
                .map_err(super::ArchiveError::Export)?;
            let done = u64::try_from(done + 1).unwrap_or(u64::MAX);
            if done.is_multiple_of(256) && !progress(done, total) {
                return Ok(ExportSummary {
                    articles: 0,
                    annotations: 0,
                    rows: Some(done),
                    cancelled: true,
                });
            }
        }
        let rows = writer.finish().map_err(super::ArchiveError::Export)?;
        let (articles, annotations) =
            self.write_event_manifest(format, &manifest_file, path, options, claims_by_article)?;
        persist_together(vec![
            (table_file, path.to_owned()),
            (evidence_file, evidence.clone()),
            (manifest_file, beside.clone()),
        ])?;
        progress(total, total);
        Ok(ExportSummary {
            articles,
            annotations,
            rows: Some(rows),
            cancelled: false,
        })
    }

    /// The manifest of an event export: the source articles of its events (their text
    /// hashes) and the claims it rests on. Returns the counts of both.
    fn write_event_manifest(
        &mut self,
        format: ExportFormat,
        file: &tempfile::NamedTempFile,
        path: &Path,
        options: &ExportOptions,
        claims_by_article: BTreeMap<ArticleId, Vec<Annotation>>,
    ) -> Result<(u64, u64)> {
        let mut manifest = Manifest::begin(
            synced(file, path)?,
            format,
            self.store.schema_version()?,
            &options.describe(),
        );
        let (mut articles, mut annotations) = (0_u64, 0_u64);
        for (article_id, mut claims) in claims_by_article {
            let Some(article) = self.store.article(article_id)? else {
                continue;
            };
            claims.sort_by_key(|a| (a.span.start(), a.span.end(), a.id));
            claims.dedup_by_key(|a| a.id);
            articles += 1;
            annotations += u64::try_from(claims.len()).unwrap_or(0);
            manifest.record(&article, &claims);
        }
        manifest
            .finish()
            .map_err(io_error("cannot write the manifest", path))?;
        Ok((articles, annotations))
    }
}

/// Who makes an event's claims (`claimed_by`), in claim order, without repeats.
fn claimed_by(event: &Event, claims: &HashMap<AnnotationId, Annotation>) -> Vec<String> {
    let mut who: Vec<String> = Vec::new();
    for claim in &event.claims {
        let name = claims
            .get(&claim.annotation_id)
            .and_then(|a| a.attrs.get(CLAIMED_BY))
            .and_then(|v| v.as_str())
            .map(str::trim)
            .filter(|s| !s.is_empty());
        if let Some(name) = name
            && !who.iter().any(|w| w == name)
        {
            who.push(name.to_owned());
        }
    }
    who
}

/// The text of the spans an event rests on, read an article at a time and kept for the
/// events that follow (events of one article are usually neighbours).
#[derive(Default)]
struct EvidenceTexts {
    /// The article last read and its annotations' quotes and annotations.
    cached: HashMap<ArticleId, ArticleSpans>,
}

#[derive(Default, Clone)]
struct ArticleSpans {
    texts: HashMap<AnnotationId, String>,
    annotations: HashMap<AnnotationId, Annotation>,
}

/// The quotes of one event's evidence, and its claims' annotations.
#[derive(Default)]
struct EventQuotes {
    texts: HashMap<AnnotationId, String>,
    claims: HashMap<AnnotationId, Annotation>,
}

/// How many articles' spans [`EvidenceTexts`] keeps before it starts again: bounded memory
/// whatever the number of events.
const CACHED_ARTICLES: usize = 512;

impl EvidenceTexts {
    fn quotes_of(&mut self, archive: &ArchiveReader, event: &Event) -> Result<EventQuotes> {
        let mut spans: Vec<Evidence> = event.claims.clone();
        for (_, value) in event.fields() {
            spans.extend(value.from);
        }
        let mut quotes = EventQuotes::default();
        for span in &spans {
            let article = self.article(archive, span.article_id)?;
            if let Some(text) = article.texts.get(&span.annotation_id) {
                quotes.texts.insert(span.annotation_id, text.clone());
            }
        }
        for claim in &event.claims {
            let article = self.article(archive, claim.article_id)?;
            if let Some(annotation) = article.annotations.get(&claim.annotation_id) {
                quotes
                    .claims
                    .insert(claim.annotation_id, annotation.clone());
            }
        }
        Ok(quotes)
    }

    fn article(&mut self, archive: &ArchiveReader, id: ArticleId) -> Result<&ArticleSpans> {
        if !self.cached.contains_key(&id) {
            if self.cached.len() >= CACHED_ARTICLES {
                self.cached.clear();
            }
            let mut spans = ArticleSpans::default();
            if let Some(article) = archive.store.article(id)? {
                let text = crate::model::CharOffsets::new(&article.text);
                for annotation in archive.store.annotations(id)? {
                    let quote = text
                        .slice(annotation.span.start(), annotation.span.end())
                        .to_owned();
                    spans.texts.insert(annotation.id, quote);
                    spans.annotations.insert(annotation.id, annotation);
                }
            }
            self.cached.insert(id, spans);
        }
        Ok(self.cached.get(&id).map_or(&EMPTY_SPANS, |s| s))
    }
}

static EMPTY_SPANS: std::sync::LazyLock<ArticleSpans> =
    std::sync::LazyLock::new(ArticleSpans::default);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_evidence_file_goes_beside_the_table() {
        assert_eq!(
            evidence_path(Path::new("/d/events.csv")),
            Path::new("/d/events.evidence.csv")
        );
        assert_eq!(
            evidence_path(Path::new("out")),
            Path::new("out.evidence.csv")
        );
        assert_eq!(
            evidence_path(Path::new("/d/x.tsv")),
            Path::new("/d/x.tsv.evidence.csv")
        );
    }
}

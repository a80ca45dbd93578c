//! The native JSONL record: one article per line with its annotations, code point offsets.

use std::io::{self, Write};

use serde::{Deserialize, Serialize};

use crate::model::{
    Annotation, AnnotationAttrs, AnnotationStatus, Article, Provenance, ProvenanceSource,
};

/// One line of the native format. Field order here is the order on disk.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NativeRecord {
    /// Article id in the exporting archive.
    pub id: i64,
    /// Headline.
    pub title: String,
    /// Full text; every offset counts code points of this string.
    pub text: String,
    /// `YYYY`, `YYYY-MM`, `YYYY-MM-DD` or null.
    pub published: Option<String>,
    /// Online address.
    pub url: Option<String>,
    /// Outlet.
    pub source: Option<String>,
    /// Hex SHA-256 of `text` (UTF-8).
    pub content_sha256: String,
    /// Annotations ordered by start, end, label, uid.
    pub annotations: Vec<NativeAnnotation>,
}

/// One annotation of a native record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NativeAnnotation {
    /// The archive-local id: in `show --json` (to name the annotation to other commands),
    /// never in an export.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    /// Global id ([`crate::model::annotation_uid`]), the same in every archive that holds
    /// the annotation; the archive-local integer id is not written (it depends on the order
    /// things arrived in). Links between annotations (`date`, `place`, ...) name uids too.
    pub uid: String,
    /// Label name.
    pub label: String,
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    /// `text[start:end]`.
    pub text: String,
    /// `accepted` or `suggested`.
    pub status: AnnotationStatus,
    /// Who made it.
    pub annotator: String,
    /// Whose layer it is in; left out for the layer of an archive without coders.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub coder: String,
    /// Label attributes.
    pub attrs: AnnotationAttrs,
    /// Where an annotation of the adjudicated layer came from; left out for the others.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adjudicated: Option<NativeProvenance>,
}

/// The provenance of an adjudicated annotation in a native record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NativeProvenance {
    /// Who adjudicated.
    pub by: String,
    /// The coders' annotations it was taken from (coder and id in the exporting archive).
    pub from: Vec<ProvenanceSource>,
    /// Whether the adjudicator changed it after taking it.
    pub edited: bool,
    /// When it was adjudicated, RFC 3339 UTC.
    pub at: String,
}

impl From<&Provenance> for NativeProvenance {
    fn from(p: &Provenance) -> Self {
        Self {
            by: p.by.clone(),
            from: p.from.clone(),
            edited: p.edited,
            at: p.at.clone(),
        }
    }
}

impl NativeRecord {
    /// The record of an article and the annotations chosen for export.
    pub fn new(article: &Article, annotations: &[Annotation]) -> Self {
        Self::with_ids(article, annotations, false, &[])
    }

    /// [`Self::new`], with the provenance of the adjudicated annotations among them.
    pub fn with_provenance(
        article: &Article,
        annotations: &[Annotation],
        provenance: &[Provenance],
    ) -> Self {
        Self::with_ids(article, annotations, false, provenance)
    }

    /// The record as `show --json` prints it: with each annotation's local id too, and
    /// links by local id, as the other commands name annotations.
    pub fn in_archive(article: &Article, annotations: &[Annotation]) -> Self {
        Self::with_ids(article, annotations, true, &[])
    }

    fn with_ids(
        article: &Article,
        annotations: &[Annotation],
        local: bool,
        provenance: &[Provenance],
    ) -> Self {
        let uids: std::collections::HashMap<i64, &str> = annotations
            .iter()
            .map(|a| (a.id.0, a.uid.as_str()))
            .collect();
        let mut sorted: Vec<&Annotation> = annotations.iter().collect();
        sorted.sort_by(|a, b| {
            (a.span.start(), a.span.end(), &a.label, &a.uid).cmp(&(
                b.span.start(),
                b.span.end(),
                &b.label,
                &b.uid,
            ))
        });
        Self {
            id: article.id.0,
            title: article.title.clone(),
            text: article.text.clone(),
            published: article.published.map(|d| d.to_string()),
            url: article.url.clone(),
            source: article.source.clone(),
            content_sha256: article.content_sha256.clone(),
            annotations: sorted
                .into_iter()
                .map(|a| NativeAnnotation {
                    id: local.then_some(a.id.0),
                    uid: a.uid.clone(),
                    label: a.label.clone(),
                    start: a.span.start(),
                    end: a.span.end(),
                    text: a.text.clone(),
                    status: a.status,
                    annotator: a.annotator.clone(),
                    coder: a.coder.clone(),
                    attrs: if local {
                        a.attrs.clone()
                    } else {
                        links_as_uids(&a.attrs, &uids)
                    },
                    adjudicated: provenance
                        .iter()
                        .find(|p| p.annotation_id == a.id)
                        .map(NativeProvenance::from),
                })
                .collect(),
        }
    }
}

/// The attributes with each link to an annotation of the record written as its uid (a
/// link to one not exported stays as it is).
pub(crate) fn links_as_uids(
    attrs: &AnnotationAttrs,
    uids: &std::collections::HashMap<i64, &str>,
) -> AnnotationAttrs {
    let found = crate::model::links_with_uids(attrs, |id| {
        Ok::<_, std::convert::Infallible>(uids.get(&id).map(|uid| (*uid).to_owned()))
    });
    match found {
        Ok(attrs) => attrs,
        Err(never) => match never {},
    }
}

/// Streams native records, one per line.
pub struct JsonlWriter<W: Write> {
    out: W,
    records: u64,
}

impl<W: Write> JsonlWriter<W> {
    /// A writer over `out` (wrap files in a `BufWriter`).
    pub fn new(out: W) -> Self {
        Self { out, records: 0 }
    }

    /// Writes one article.
    pub fn write(&mut self, article: &Article, annotations: &[Annotation]) -> io::Result<()> {
        self.write_with_provenance(article, annotations, &[])
    }

    /// Writes one article, with the provenance of its adjudicated annotations.
    pub fn write_with_provenance(
        &mut self,
        article: &Article,
        annotations: &[Annotation],
        provenance: &[Provenance],
    ) -> io::Result<()> {
        serde_json::to_writer(
            &mut self.out,
            &NativeRecord::with_provenance(article, annotations, provenance),
        )?;
        self.out.write_all(b"\n")?;
        self.records += 1;
        Ok(())
    }

    /// Flushes and returns how many records were written.
    pub fn finish(mut self) -> io::Result<u64> {
        self.out.flush()?;
        Ok(self.records)
    }
}

/// The native writer behind the [`super::RecordSink`] interface.
pub(super) struct JsonlSink {
    writer: JsonlWriter<super::Output>,
    /// The provenance given for the next article.
    provenance: Vec<Provenance>,
}

impl JsonlSink {
    pub(super) fn new(out: super::Output) -> Self {
        Self {
            writer: JsonlWriter::new(out),
            provenance: Vec::new(),
        }
    }
}

impl super::RecordSink for JsonlSink {
    fn write(&mut self, article: &Article, annotations: &[Annotation]) -> io::Result<()> {
        let provenance = std::mem::take(&mut self.provenance);
        self.writer
            .write_with_provenance(article, annotations, &provenance)
    }

    fn provenance(&mut self, provenance: Vec<Provenance>) {
        self.provenance = provenance;
    }

    fn finish(self: Box<Self>) -> io::Result<()> {
        self.writer.finish().map(|_| ())
    }
}

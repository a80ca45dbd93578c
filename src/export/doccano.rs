//! The `doccano` export: doccano's sequence-labelling JSONL, one article per line, with the
//! article metadata and an `annotations_meta` list that keeps the export lossless.

use std::io::{self, Write};

use serde::Serialize;

use super::{Output, RecordSink};
use crate::model::{Annotation, AnnotationAttrs, AnnotationStatus, Article, PartialDate};

/// One line; field order here is the order on disk.
#[derive(Serialize)]
struct DoccanoRecord<'a> {
    id: i64,
    text: &'a str,
    /// `[start, end, label]` in code points.
    label: Vec<(usize, usize, &'a str)>,
    title: &'a str,
    published: Option<PartialDate>,
    url: Option<&'a str>,
    source: Option<&'a str>,
    /// One entry per `label` entry, in the same order.
    annotations_meta: Vec<AnnotationMeta<'a>>,
}

#[derive(Serialize)]
struct AnnotationMeta<'a> {
    id: i64,
    status: AnnotationStatus,
    annotator: &'a str,
    attrs: &'a AnnotationAttrs,
}

/// Writes one JSON line per article, annotated or not.
pub(super) struct DoccanoSink {
    out: Output,
}

impl DoccanoSink {
    pub(super) fn new(out: Output) -> Self {
        Self { out }
    }
}

impl RecordSink for DoccanoSink {
    fn write(&mut self, article: &Article, annotations: &[Annotation]) -> io::Result<()> {
        let record = DoccanoRecord {
            id: article.id.0,
            text: &article.text,
            label: annotations
                .iter()
                .map(|a| (a.span.start(), a.span.end(), a.label.as_str()))
                .collect(),
            title: &article.title,
            published: article.published,
            url: article.url.as_deref(),
            source: article.source.as_deref(),
            annotations_meta: annotations
                .iter()
                .map(|a| AnnotationMeta {
                    id: a.id.0,
                    status: a.status,
                    annotator: &a.annotator,
                    attrs: &a.attrs,
                })
                .collect(),
        };
        serde_json::to_writer(&mut self.out, &record)?;
        self.out.write_all(b"\n")
    }

    fn finish(mut self: Box<Self>) -> io::Result<()> {
        self.out.flush()
    }
}

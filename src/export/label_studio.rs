//! The `label-studio` export: one JSON array of Label Studio tasks, accepted spans as the
//! task's annotation and suggested spans as its prediction, streamed task by task.

use std::io;

use serde::Serialize;

use super::json_array::JsonArrayWriter;
use super::values::CodePoints;
use super::{Output, RecordSink};
use crate::model::{Annotation, AnnotationAttrs, AnnotationStatus, Article, PartialDate};

#[derive(Serialize)]
struct Task<'a> {
    id: i64,
    data: TaskData<'a>,
    /// One annotation (the accepted spans), left out when there are none, so Label Studio
    /// counts an article nobody annotated as still to do rather than done and empty.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    annotations: Vec<ResultSet<'a>>,
    /// One prediction (the suggested spans), left out when there are none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    predictions: Vec<ResultSet<'a>>,
}

#[derive(Serialize)]
struct TaskData<'a> {
    text: &'a str,
    title: &'a str,
    published: Option<PartialDate>,
    url: Option<&'a str>,
    source: Option<&'a str>,
    content_sha256: &'a str,
}

#[derive(Serialize)]
struct ResultSet<'a> {
    result: Vec<Region<'a>>,
}

/// One labelled region, as Label Studio's `<Labels name="label" toName="text">` writes it.
#[derive(Serialize)]
struct Region<'a> {
    id: String,
    from_name: &'static str,
    to_name: &'static str,
    #[serde(rename = "type")]
    kind: &'static str,
    origin: &'static str,
    value: RegionValue<'a>,
    meta: RegionMeta<'a>,
}

#[derive(Serialize)]
struct RegionValue<'a> {
    /// Code points (what Label Studio counts for tasks made in Python).
    start: usize,
    end: usize,
    text: &'a str,
    labels: [&'a str; 1],
}

#[derive(Serialize)]
struct RegionMeta<'a> {
    annotator: &'a str,
    attrs: &'a AnnotationAttrs,
}

/// Streams the task array.
pub(super) struct LabelStudioSink {
    out: JsonArrayWriter<Output>,
}

impl LabelStudioSink {
    pub(super) fn new(out: Output) -> io::Result<Self> {
        Ok(Self {
            out: JsonArrayWriter::begin(out, "[", "]")?,
        })
    }
}

impl RecordSink for LabelStudioSink {
    fn write(&mut self, article: &Article, annotations: &[Annotation]) -> io::Result<()> {
        let text = CodePoints::new(&article.text);
        let regions = |status: AnnotationStatus| -> Vec<Region<'_>> {
            annotations
                .iter()
                .filter(|a| a.status == status)
                .map(|a| region(&text, a))
                .collect()
        };
        let accepted = regions(AnnotationStatus::Accepted);
        let suggested = regions(AnnotationStatus::Suggested);
        let task = Task {
            id: article.id.0,
            data: TaskData {
                text: &article.text,
                title: &article.title,
                published: article.published,
                url: article.url.as_deref(),
                source: article.source.as_deref(),
                content_sha256: &article.content_sha256,
            },
            annotations: if accepted.is_empty() {
                Vec::new()
            } else {
                vec![ResultSet { result: accepted }]
            },
            predictions: if suggested.is_empty() {
                Vec::new()
            } else {
                vec![ResultSet { result: suggested }]
            },
        };
        self.out.item(&task)
    }

    fn finish(self: Box<Self>) -> io::Result<()> {
        self.out.finish()
    }
}

fn region<'a>(text: &CodePoints<'a>, annotation: &'a Annotation) -> Region<'a> {
    Region {
        id: annotation.id.to_string(),
        from_name: "label",
        to_name: "text",
        kind: "labels",
        origin: match annotation.status {
            AnnotationStatus::Accepted | AnnotationStatus::Rejected => "manual",
            AnnotationStatus::Suggested => "prediction",
        },
        value: RegionValue {
            start: annotation.span.start(),
            end: annotation.span.end(),
            text: text.slice(annotation.span.start(), annotation.span.end()),
            labels: [&annotation.label],
        },
        meta: RegionMeta {
            annotator: &annotation.annotator,
            attrs: &annotation.attrs,
        },
    }
}

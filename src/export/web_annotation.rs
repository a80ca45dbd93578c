//! The `web-annotation` export: one W3C Web Annotation `AnnotationPage` (JSON-LD) with one
//! `Annotation` per span, streamed item by item.

use std::io;

use serde::Serialize;

use super::json_array::JsonArrayWriter;
use super::values::CodePoints;
use super::{Output, RecordSink};
use crate::model::{Annotation, Article};

/// Everything before the first item. The W3C model requires the page to have an IRI.
const OPENING: &str = r#"{"@context":"http://www.w3.org/ns/anno.jsonld","id":"urn:annalist:export:page:1","type":"AnnotationPage","items":["#;

/// Code points of context kept before and after the quote.
const CONTEXT_CHARS: usize = 32;

#[derive(Serialize)]
struct Item<'a> {
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    motivation: &'static str,
    creator: Creator<'a>,
    body: Vec<Body>,
    target: Target<'a>,
    #[serde(rename = "annalist:status")]
    status: &'static str,
}

/// An agent given by name (the model wants an IRI or an object, not a bare name).
#[derive(Serialize)]
struct Creator<'a> {
    name: &'a str,
}

#[derive(Serialize)]
struct Body {
    #[serde(rename = "type")]
    kind: &'static str,
    purpose: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    format: Option<&'static str>,
    value: String,
}

#[derive(Serialize)]
struct Target<'a> {
    source: String,
    selector: (PositionSelector, QuoteSelector<'a>),
}

#[derive(Serialize)]
struct PositionSelector {
    #[serde(rename = "type")]
    kind: &'static str,
    /// Code points of the archived text.
    start: usize,
    end: usize,
}

#[derive(Serialize)]
struct QuoteSelector<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    exact: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    prefix: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    suffix: &'a str,
}

/// Streams the page.
pub(super) struct WebAnnotationSink {
    out: JsonArrayWriter<Output>,
}

impl WebAnnotationSink {
    pub(super) fn new(out: Output) -> io::Result<Self> {
        Ok(Self {
            out: JsonArrayWriter::begin(out, OPENING, "]}")?,
        })
    }
}

impl RecordSink for WebAnnotationSink {
    fn write(&mut self, article: &Article, annotations: &[Annotation]) -> io::Result<()> {
        let text = CodePoints::new(&article.text);
        let source = article
            .url
            .clone()
            .unwrap_or_else(|| format!("urn:annalist:article:{}", article.id));
        for annotation in annotations {
            self.out.item(&item(&text, &source, annotation))?;
        }
        Ok(())
    }

    fn finish(self: Box<Self>) -> io::Result<()> {
        self.out.finish()
    }
}

fn item<'a>(text: &CodePoints<'a>, source: &str, annotation: &'a Annotation) -> Item<'a> {
    let (start, end) = (annotation.span.start(), annotation.span.end());
    let mut body = vec![Body {
        kind: "TextualBody",
        purpose: "tagging",
        format: None,
        value: annotation.label.clone(),
    }];
    if !annotation.attrs.is_empty() {
        body.push(Body {
            kind: "TextualBody",
            purpose: "describing",
            format: Some("application/json"),
            value: serde_json::Value::Object(annotation.attrs.clone()).to_string(),
        });
    }
    Item {
        id: format!("urn:annalist:annotation:{}", annotation.id),
        kind: "Annotation",
        motivation: "tagging",
        creator: Creator {
            name: &annotation.annotator,
        },
        body,
        target: Target {
            source: source.to_owned(),
            selector: (
                PositionSelector {
                    kind: "TextPositionSelector",
                    start,
                    end,
                },
                QuoteSelector {
                    kind: "TextQuoteSelector",
                    exact: text.slice(start, end),
                    prefix: text.slice(start.saturating_sub(CONTEXT_CHARS), start),
                    suffix: text.slice(end, end.saturating_add(CONTEXT_CHARS)),
                },
            ),
        },
        status: annotation.status.as_str(),
    }
}

//! doccano sequence-labelling records: `text` plus spans as `label` or `labels`
//! (`[[start, end, "LABEL"], ...]`) or as `entities` (`[{"start_offset", "end_offset",
//! "label"}]`), one record per line, or a JSON array of them.
//!
//! Offsets are code points. doccano gives no span text, so each span is checked against the
//! text here; `annotations_meta` (written by Annalist's own doccano export, parallel to
//! `label`) restores ids, status, annotator and attributes.

use serde_json::{Map, Value};

use crate::model::{AnnotationId, AnnotationStatus, ArticleId, NewAnnotation};

use super::batch::{Batch, Place};
use super::encoding::decode_text;
use super::json_fields::{for_each_line, integer, kind, parse_document, string_field};
use super::json_lines::array_item_lines;
use super::record::{
    PUBLISHED_FIELDS, RecordFields, SOURCE_FIELDS, TITLE_FIELDS, URL_FIELDS, build_article,
};
use super::spans::{SourceText, default_annotator};
use super::{Format, ImportError};

/// Keys that hold a record's spans, in the order they are looked for.
const SPAN_KEYS: [&str; 3] = ["label", "labels", "entities"];

/// Imports a file read as doccano (by `--format doccano`): a JSON array when it starts with
/// `[`, else JSON Lines.
pub(crate) fn import(bytes: &[u8], batch: &mut Batch<'_>) -> Result<(), ImportError> {
    let (text, _) = decode_text(bytes, None);
    if !text.trim_start().starts_with('[') {
        import_lines(&text, batch);
        return Ok(());
    }
    match parse_document(&text, batch)? {
        Value::Array(items) => import_array(items, &text, batch),
        other => import_record(other, batch, Place::File),
    }
    Ok(())
}

/// How one record's span list is shaped, for format detection: a doccano record has a
/// string `text` and a span list (`label`, `labels` or `entities`) most of whose items are
/// shaped like spans (an empty list counts). One bad value (`[0, 5, null]`) does not change
/// the shape; a native record (`annotations`) or a classification label list
/// (`"label": ["sports"]`) is not doccano. `None` when the record is not doccano.
pub(crate) fn record_shape(object: &Map<String, Value>) -> Option<SpanShape> {
    if !matches!(object.get("text"), Some(Value::String(_)))
        || matches!(object.get("annotations"), Some(Value::Array(_)))
    {
        return None;
    }
    SPAN_KEYS.iter().find_map(|key| {
        let Some(Value::Array(items)) = object.get(*key) else {
            return None;
        };
        let (shaped, whole): (ItemTest, ItemTest) = if *key == "entities" {
            (is_entity_like, is_entity)
        } else {
            (is_triple_like, is_triple)
        };
        let like = items.iter().filter(|item| shaped(item)).count();
        (items.is_empty() || like * 2 >= items.len()).then(|| SpanShape {
            spans: items.len(),
            malformed: items.iter().filter(|item| !whole(item)).count(),
        })
    })
}

/// A test of one item of a span list.
type ItemTest = fn(&Value) -> bool;

/// What detection saw of one record's spans.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SpanShape {
    /// Items in the span list.
    pub(crate) spans: usize,
    /// Items not of the exact `[start, end, "LABEL"]` (or entity) shape.
    pub(crate) malformed: usize,
}

fn is_triple(item: &Value) -> bool {
    matches!(
        item.as_array().map(Vec::as_slice),
        Some([Value::Number(_), Value::Number(_), Value::String(_)])
    )
}

/// A list of two to four values with a number among them: a span, maybe a broken one.
fn is_triple_like(item: &Value) -> bool {
    item.as_array().is_some_and(|values| {
        (2..=4).contains(&values.len()) && values.iter().any(Value::is_number)
    })
}

fn is_entity(item: &Value) -> bool {
    item.as_object().is_some_and(|entity| {
        ["start_offset", "end_offset", "label"]
            .iter()
            .all(|key| entity.contains_key(*key))
    })
}

fn is_entity_like(item: &Value) -> bool {
    item.as_object().is_some_and(|entity| {
        ["start_offset", "end_offset"]
            .iter()
            .any(|key| entity.contains_key(*key))
    })
}

/// Imports JSON Lines, one record per line.
pub(crate) fn import_lines(text: &str, batch: &mut Batch<'_>) {
    let mut reader = Reader::new(batch);
    for_each_line(text, batch, |value, batch, place| {
        reader.record(value, batch, place);
    });
    reader.finish(batch);
}

/// Imports the records of a JSON array; `text` is the file, for the records' line numbers.
pub(crate) fn import_array(items: Vec<Value>, text: &str, batch: &mut Batch<'_>) {
    let lines = array_item_lines(text);
    let mut reader = Reader::new(batch);
    for (index, item) in items.into_iter().enumerate() {
        let place = lines
            .get(index)
            .map_or(Place::Record(index + 1), |&line| Place::Line(line));
        reader.record(item, batch, place);
    }
    reader.finish(batch);
}

/// Imports a file that is one record.
pub(crate) fn import_record(value: Value, batch: &mut Batch<'_>, place: Place) {
    let mut reader = Reader::new(batch);
    reader.record(value, batch, place);
    reader.finish(batch);
}

// ---

/// One file's reading state: the default annotator and what was left out.
pub(crate) struct Reader {
    annotator: String,
    relations: usize,
}

impl Reader {
    pub(crate) fn new(batch: &Batch<'_>) -> Self {
        Self {
            annotator: default_annotator(batch, Format::Doccano),
            relations: 0,
        }
    }

    pub(crate) fn record(&mut self, value: Value, batch: &mut Batch<'_>, place: Place) {
        let Value::Object(object) = value else {
            batch.warn(
                place,
                format!("expected a JSON object, found {}", kind(&value)),
            );
            return;
        };
        let raw_text = string_field(&object, &["text"]);
        let fields = RecordFields {
            title: string_field(&object, TITLE_FIELDS),
            text: raw_text.clone(),
            published: string_field(&object, PUBLISHED_FIELDS),
            url: string_field(&object, URL_FIELDS),
            source: string_field(&object, SOURCE_FIELDS),
        };
        let mut article = build_article(fields, batch, place);
        article.requested_id = object.get("id").and_then(integer).map(ArticleId);
        let raw_text = raw_text.unwrap_or_default();
        let source = SourceText::new(&raw_text, &article.text);
        if let Some(Value::Array(relations)) = object.get("relations") {
            self.relations += relations.len();
        }
        let meta = match object.get("annotations_meta") {
            None | Some(Value::Null) => &[][..],
            Some(Value::Array(meta)) => meta.as_slice(),
            Some(other) => {
                batch.warn(
                    place,
                    format!("annotations_meta is {}, not an array; ignored", kind(other)),
                );
                &[][..]
            }
        };
        let spans = SPAN_KEYS.iter().find_map(|key| match object.get(*key) {
            Some(Value::Array(items)) => Some((*key, items)),
            _ => None,
        });
        if let Some((key, items)) = spans {
            for (index, item) in items.iter().enumerate() {
                let span = if key == "entities" {
                    entity_span(item)
                } else {
                    triple_span(item)
                };
                let annotation = span
                    .and_then(|(start, end, label)| {
                        let (span, expected_text) = source.place(start, end, None)?;
                        let mut annotation = NewAnnotation {
                            requested_id: None,
                            label,
                            span,
                            expected_text,
                            attrs: Map::new(),
                            status: AnnotationStatus::Accepted,
                            annotator: self.annotator.clone(),
                            coder: String::new(),
                        };
                        if let Some(meta) = meta.get(index) {
                            apply_meta(&mut annotation, meta)?;
                        }
                        Ok(annotation)
                    })
                    .map_err(|reason| format!("{key} {} skipped: {reason}", index + 1));
                match annotation {
                    Ok(annotation) => article.annotations.push(annotation),
                    Err(reason) => batch.warn(place, reason),
                }
            }
        }
        batch.push(article, place);
    }

    pub(crate) fn finish(self, batch: &mut Batch<'_>) {
        if self.relations > 0 {
            batch.warn(
                Place::File,
                format!("relations are not imported ({} left out)", self.relations),
            );
        }
    }
}

/// `[start, end, "LABEL"]`.
fn triple_span(item: &Value) -> Result<(usize, usize, String), String> {
    let Some([start, end, label]) = item.as_array().map(Vec::as_slice) else {
        return Err(format!("expected [start, end, label], found {item}"));
    };
    Ok((
        offset(start, "start")?,
        offset(end, "end")?,
        label_of(label)?,
    ))
}

/// `{"start_offset": 0, "end_offset": 5, "label": "LOC"}`.
fn entity_span(item: &Value) -> Result<(usize, usize, String), String> {
    let Some(entity) = item.as_object() else {
        return Err(format!("expected an object, found {}", kind(item)));
    };
    let field = |name: &str| entity.get(name).unwrap_or(&Value::Null);
    Ok((
        offset(field("start_offset"), "start_offset")?,
        offset(field("end_offset"), "end_offset")?,
        label_of(field("label"))?,
    ))
}

fn offset(value: &Value, name: &str) -> Result<usize, String> {
    value
        .as_u64()
        .and_then(|offset| usize::try_from(offset).ok())
        .ok_or_else(|| format!("{name} {value} is not a non-negative integer"))
}

fn label_of(value: &Value) -> Result<String, String> {
    value
        .as_str()
        .map(str::trim)
        .filter(|label| !label.is_empty())
        .map(str::to_owned)
        .ok_or_else(|| format!("label {value} is not a non-empty string"))
}

/// Restores what Annalist's doccano export keeps beside each span.
fn apply_meta(annotation: &mut NewAnnotation, meta: &Value) -> Result<(), String> {
    let Value::Object(meta) = meta else {
        return Err(format!(
            "annotations_meta entry is {}, not an object",
            kind(meta)
        ));
    };
    match meta.get("id") {
        None | Some(Value::Null) => {}
        Some(id) => {
            let id = integer(id).ok_or("annotations_meta id is not an integer")?;
            annotation.requested_id = Some(AnnotationId(id));
        }
    }
    match meta.get("status") {
        None | Some(Value::Null) => {}
        Some(Value::String(status)) => annotation.status = status.parse()?,
        Some(other) => return Err(format!("status is {}, not a string", kind(other))),
    }
    if let Some(annotator) = meta
        .get("annotator")
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|annotator| !annotator.is_empty())
    {
        annotator.clone_into(&mut annotation.annotator);
    }
    match meta.get("attrs") {
        None | Some(Value::Null) => {}
        Some(Value::Object(attrs)) => annotation.attrs.clone_from(attrs),
        Some(other) => return Err(format!("attrs is {}, not an object", kind(other))),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use serde_json::json;

    use super::*;
    use crate::import::{FileOutcome, ImportOptions, parse_bytes};
    use crate::model::slice_chars;

    fn import(name: &str, text: &str) -> FileOutcome {
        parse_bytes(text.as_bytes(), Path::new(name), &ImportOptions::default()).unwrap()
    }

    fn line(value: &Value) -> String {
        format!("{value}\n")
    }

    /// `(label, text at the offsets)` of an article's spans.
    fn labelled(outcome: &FileOutcome, article: usize) -> Vec<(String, String)> {
        let article = &outcome.articles[article];
        article
            .annotations
            .iter()
            .map(|a| {
                (
                    a.label.clone(),
                    slice_chars(&article.text, a.span.start(), a.span.end()).to_owned(),
                )
            })
            .collect()
    }

    const TEXT: &str = "کراچی میں 👨‍👩‍👧 خاندان، 北京 and Gaza";

    #[test]
    fn fixture_offsets_are_code_points() {
        // The family emoji is five code points (three people, two joiners).
        assert_eq!(crate::model::char_len("👨‍👩‍👧"), 5);
        assert_eq!(slice_chars(TEXT, 24, 26), "北京");
        assert_eq!(slice_chars(TEXT, 31, 35), "Gaza");
    }

    #[test]
    fn label_triples_with_metadata_and_our_own_meta() {
        let records = [
            json!({"id": 7, "text": TEXT, "label": [[0, 5, "LOC"], [24, 26, "LOC"], [31, 35, "LOC"]],
            "title": "Karachi", "published": "2024-01-19", "url": "https://x.org/7", "source": "Dawn",
            "annotations_meta": [
                {"id": 11, "status": "suggested", "annotator": "rules", "attrs": {"country_code": "PK"}},
                {"id": 12, "status": "accepted", "annotator": "maria", "attrs": {}}
            ]}),
            json!({"text": "Second\nline", "label": []}),
        ];
        let outcome = import("admin.jsonl", &records.iter().map(line).collect::<String>());
        assert_eq!(outcome.format, Format::Doccano);
        assert!(outcome.warnings.is_empty(), "{:?}", outcome.warnings);
        let article = &outcome.articles[0];
        assert_eq!(article.requested_id, Some(ArticleId(7)));
        assert_eq!(article.title, "Karachi");
        assert_eq!(article.url.as_deref(), Some("https://x.org/7"));
        assert_eq!(article.source.as_deref(), Some("Dawn"));
        assert_eq!(
            article.published.map(|d| d.to_string()).as_deref(),
            Some("2024-01-19")
        );
        assert_eq!(article.origin_format, "doccano");
        assert_eq!(
            labelled(&outcome, 0),
            [
                ("LOC".to_owned(), "کراچی".to_owned()),
                ("LOC".to_owned(), "北京".to_owned()),
                ("LOC".to_owned(), "Gaza".to_owned()),
            ]
        );
        let [karachi, beijing, gaza] = article.annotations.as_slice() else {
            panic!("three spans expected");
        };
        assert_eq!(karachi.requested_id, Some(AnnotationId(11)));
        assert_eq!(karachi.status, AnnotationStatus::Suggested);
        assert_eq!(karachi.annotator, "rules");
        assert_eq!(karachi.attrs.get("country_code"), Some(&json!("PK")));
        assert_eq!(karachi.expected_text, None);
        assert_eq!(beijing.annotator, "maria");
        assert_eq!(gaza.requested_id, None);
        assert_eq!(gaza.status, AnnotationStatus::Accepted);
        assert_eq!(gaza.annotator, "doccano:admin.jsonl");
        assert_eq!(outcome.articles[1].title, "Second");
    }

    #[test]
    fn labels_and_entities_shapes() {
        let records = [
            json!({"text": TEXT, "labels": [[24, 26, "LOC"]]}),
            json!({"id": 3, "text": TEXT,
                   "entities": [{"id": 90, "label": "LOC", "start_offset": 31, "end_offset": 35}],
                   "relations": [{"id": 1, "from_id": 90, "to_id": 90, "type": "same"}]}),
        ];
        let outcome = import("all.jsonl", &records.iter().map(line).collect::<String>());
        assert_eq!(outcome.format, Format::Doccano);
        assert_eq!(
            labelled(&outcome, 0),
            [("LOC".to_owned(), "北京".to_owned())]
        );
        assert_eq!(
            labelled(&outcome, 1),
            [("LOC".to_owned(), "Gaza".to_owned())]
        );
        // doccano's entity id is its own, not an archive id.
        assert_eq!(outcome.articles[1].annotations[0].requested_id, None);
        assert_eq!(outcome.articles[1].requested_id, Some(ArticleId(3)));
        let reasons: Vec<&str> = outcome.warnings.iter().map(|w| w.reason.as_str()).collect();
        assert_eq!(reasons, ["relations are not imported (1 left out)"]);
        assert_eq!(outcome.warnings[0].line, None);
    }

    #[test]
    fn bad_lines_spans_and_offsets_are_warnings_with_lines() {
        let text = [
            line(&json!({"text": "abc 😀 def", "label": [[0, 3, "ORG"]]})),
            "{\"text\": broken\n".to_owned(),
            line(&json!({"text": "abc 😀 def", "label": [[4, 5, "EMOJI"], [6, 12, "LOC"], [3, 3, "X"], ["a", 2, "Y"], [0, 1]]})),
            line(&json!({"text": "x", "label": [[0, 1, "A"]], "annotations_meta": [{"status": "maybe"}]})),
        ]
        .concat();
        let outcome = import("bad.jsonl", &text);
        assert_eq!(outcome.format, Format::Doccano);
        assert_eq!(outcome.articles.len(), 3);
        assert_eq!(
            labelled(&outcome, 1),
            [("EMOJI".to_owned(), "😀".to_owned())]
        );
        assert!(outcome.articles[2].annotations.is_empty());
        let warnings: Vec<(Option<u64>, &str)> = outcome
            .warnings
            .iter()
            .map(|w| (w.line, w.reason.as_str()))
            .collect();
        assert_eq!(
            warnings,
            [
                (
                    None,
                    "read as doccano: 3 of 3 records sampled have a text and a label, labels or entities span list (2 of 7 spans sampled malformed, each skipped with its line); pass --format jsonl to read them otherwise"
                ),
                (Some(2), "expected value at column 10"),
                (
                    Some(3),
                    "label 2 skipped: span [6, 12) is outside the text, which has 9 code points"
                ),
                (
                    Some(3),
                    "label 3 skipped: span [3, 3) is empty or reversed: end must be greater than start"
                ),
                (
                    Some(3),
                    "label 4 skipped: start \"a\" is not a non-negative integer"
                ),
                (
                    Some(3),
                    "label 5 skipped: expected [start, end, label], found [0,1]"
                ),
                (
                    Some(4),
                    "label 1 skipped: unknown status 'maybe': expected 'suggested', 'accepted' or 'rejected'"
                ),
            ]
        );
    }

    #[test]
    fn detection_looks_at_the_shape_of_several_records() {
        let judge = |records: &[Value]| {
            let objects: Vec<&Map<String, Value>> =
                records.iter().filter_map(Value::as_object).collect();
            crate::import::format::judge_records(objects, true, Format::Jsonl)
        };
        let doccano = json!({"text": "Gaza", "label": [[0, 4, "LOC"]]});
        let broken = json!({"text": "Gaza", "label": [[0, 4, null], ["x", 1]]});
        let plain = json!({"text": "Gaza", "title": "T"});
        let classified = json!({"text": "Gaza", "label": ["sports"]});
        let native = json!({"text": "Gaza", "label": [], "annotations": []});
        let dialect = judge(&[broken.clone(), doccano.clone()]);
        assert_eq!(dialect.format, Format::Doccano);
        assert!(
            dialect
                .note
                .unwrap()
                .contains("(2 of 3 spans sampled malformed")
        );
        assert_eq!(judge(&[doccano.clone(), doccano.clone()]).note, None);
        assert_eq!(judge(&[classified]).format, Format::Jsonl);
        assert_eq!(judge(&[native]).format, Format::Jsonl);
        let minority = judge(&[plain.clone(), plain.clone(), doccano.clone()]);
        assert_eq!(minority.format, Format::Jsonl);
        assert_eq!(
            minority.note.as_deref(),
            Some(
                "read as plain records: only 1 of 3 records sampled look like doccano; pass --format doccano to read them as doccano"
            )
        );
        let half = judge(&[plain, doccano]);
        assert_eq!(half.format, Format::Doccano);
        assert!(
            half.note
                .unwrap()
                .starts_with("read as doccano: 1 of 2 records")
        );
        let task = json!({"data": {"content": "x"}, "annotations": []});
        assert_eq!(judge(&[task.clone(), task]).format, Format::LabelStudio);
    }

    #[test]
    fn json_arrays_and_forced_format() {
        let array = "[\n  {\"text\": \"Gaza\", \"label\": [[0, 4, \"LOC\"]]},\n  {\"text\": \"Yemen\", \"label\": [[0, 9, \"LOC\"]]}\n]";
        let outcome = import("export.json", array);
        assert_eq!(outcome.format, Format::Doccano);
        assert_eq!(outcome.articles.len(), 2);
        assert_eq!(outcome.warnings.len(), 1);
        assert_eq!(outcome.warnings[0].line, Some(3));
        let forced = ImportOptions {
            format: Some(Format::Doccano),
            ..ImportOptions::default()
        };
        let one = "{\"text\": \"Gaza\", \"label\": [[0, 4, \"LOC\"]]}\n";
        let outcome = parse_bytes(one.as_bytes(), Path::new("data.txt"), &forced).unwrap();
        assert_eq!(outcome.format, Format::Doccano);
        assert_eq!(
            labelled(&outcome, 0),
            [("LOC".to_owned(), "Gaza".to_owned())]
        );
        // Native records stay native.
        let native = import(
            "n.jsonl",
            "{\"text\": \"Gaza\", \"annotations\": []}\n{\"text\": \"b\"}\n",
        );
        assert_eq!(native.format, Format::Jsonl);
    }

    #[test]
    fn crlf_lone_cr_and_nul_offsets_are_mapped_to_the_normalised_text() {
        // "a\r\nGaza\rRafah\0 Gaza": the CR of the CRLF and the NUL are removed.
        let text = line(
            &json!({"text": "a\r\nGaza\rRafah\0 Gaza", "label": [[3, 7, "LOC"], [8, 13, "LOC"], [15, 19, "LOC"]]}),
        );
        let outcome = import("crlf.jsonl", &text);
        let article = &outcome.articles[0];
        assert_eq!(article.text, "a\nGaza\nRafah Gaza");
        assert_eq!(
            labelled(&outcome, 0),
            [
                ("LOC".to_owned(), "Gaza".to_owned()),
                ("LOC".to_owned(), "Rafah".to_owned()),
                ("LOC".to_owned(), "Gaza".to_owned()),
            ]
        );
        assert!(outcome.warnings.is_empty(), "{:?}", outcome.warnings);
    }
}

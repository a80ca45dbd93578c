//! JSON arrays, single JSON objects and JSON Lines: the native record format (with
//! annotations) and the common field names of other dumps. doccano records and Label Studio
//! tasks are recognised here by their first record and handed to their importers.

use serde_json::{Map, Value};

use crate::model::{AnnotationId, AnnotationStatus, ArticleId, CharSpan, NewAnnotation};

use super::batch::{Batch, Place};
use super::encoding::{decode_text, undeclared_encoding_note};
use super::json_fields::{
    check_content_hash, for_each_line, integer, kind, parse_document, string_field,
};
use super::record::{
    PUBLISHED_FIELDS, RecordFields, SOURCE_FIELDS, TEXT_FIELDS, TITLE_FIELDS, URL_FIELDS,
    build_article,
};
use super::spans::SourceText;
use super::{Format, ImportError, doccano, format, label_studio};

/// Keys under which an object may wrap its array of records.
const WRAPPER_KEYS: &[&str] = &[
    "articles",
    "records",
    "items",
    "data",
    "documents",
    "results",
    "entries",
];

/// Imports a JSON or JSONL file. `.json` content that is one object per line is read as
/// JSON Lines (and reported as such); an invalid JSON document is an error.
///
/// The shape of the first records decides between the readers ([`format::judge_records`]):
/// doccano records (`text` plus a `label`/`labels`/`entities` span list) and Label Studio
/// tasks (`data` with a text) go to their importers, and the file is reported as `doccano`
/// or `label-studio`; a note says which was assumed when the sample was not unanimous.
/// `--format json` or `--format jsonl` reads plain records without asking.
pub(crate) fn import(bytes: &[u8], batch: &mut Batch<'_>) -> Result<(), ImportError> {
    let (text, encoding) = decode_text(bytes, None);
    if let Some(note) = undeclared_encoding_note(bytes, encoding) {
        batch.warn(Place::File, note);
    }
    let forced = batch.options().format;
    if batch.format() == Format::Jsonl || looks_like_lines(&text) {
        let dialect = if forced == Some(Format::Jsonl) {
            None
        } else {
            Some(format::judge_records(
                &sample_line_objects(&text),
                false,
                Format::Jsonl,
            ))
        };
        if let Some(note) = dialect.as_ref().and_then(|d| d.note.clone()) {
            batch.warn(Place::File, note);
        }
        if dialect.is_some_and(|d| d.format == Format::Doccano) {
            batch.set_format(Format::Doccano);
            doccano::import_lines(&text, batch);
            return Ok(());
        }
        batch.set_format(Format::Jsonl);
        import_lines(&text, batch);
        return Ok(());
    }
    let value = parse_document(&text, batch)?;
    let judge = |records: Vec<&Map<String, Value>>| {
        if forced == Some(Format::Json) {
            format::Dialect {
                format: Format::Json,
                note: None,
            }
        } else {
            format::judge_records(records, true, Format::Json)
        }
    };
    let dialect = match &value {
        Value::Array(items) => judge(items.iter().filter_map(Value::as_object).collect()),
        Value::Object(object) => judge(vec![object]),
        _ => format::Dialect {
            format: Format::Json,
            note: None,
        },
    };
    if let Some(note) = dialect.note {
        batch.warn(Place::File, note);
    }
    match value {
        Value::Array(items) => match dialect.format {
            Format::LabelStudio => {
                batch.set_format(Format::LabelStudio);
                label_studio::import_tasks(items, &text, batch);
            }
            Format::Doccano => {
                batch.set_format(Format::Doccano);
                doccano::import_array(items, &text, batch);
            }
            _ => import_records(items, batch),
        },
        Value::Object(object) if dialect.format == Format::LabelStudio => {
            batch.set_format(Format::LabelStudio);
            label_studio::import_tasks(vec![Value::Object(object)], &text, batch);
        }
        Value::Object(object) if dialect.format == Format::Doccano => {
            batch.set_format(Format::Doccano);
            doccano::import_record(Value::Object(object), batch, Place::File);
        }
        Value::Object(object) => match take_wrapped_records(&object) {
            Some(items) => import_records(items, batch),
            None => import_record(Value::Object(object), batch, Place::File),
        },
        other => {
            return Err(ImportError::Json {
                path: batch.path().to_path_buf(),
                reason: format!(
                    "expected an array of records or one record object, found {}",
                    kind(&other)
                ),
            });
        }
    }
    Ok(())
}

/// The objects among the first [`format::SAMPLE_RECORDS`] non-blank lines: the records
/// that decide a JSONL file's dialect.
fn sample_line_objects(text: &str) -> Vec<Map<String, Value>> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .take(format::SAMPLE_RECORDS)
        .filter_map(|line| match serde_json::from_str::<Value>(line) {
            Ok(Value::Object(object)) => Some(object),
            _ => None,
        })
        .collect()
}

/// True for JSON text laid out as JSON Lines: the first non-blank line is a whole object and
/// more lines follow.
pub(crate) fn looks_like_lines(text: &str) -> bool {
    let mut lines = text.lines().map(str::trim).filter(|line| !line.is_empty());
    let Some(first) = lines.next() else {
        return false;
    };
    first.starts_with('{')
        && matches!(serde_json::from_str::<Value>(first), Ok(Value::Object(_)))
        && lines.next().is_some()
}

fn import_lines(text: &str, batch: &mut Batch<'_>) {
    for_each_line(text, batch, import_record);
}

fn import_records(items: Vec<Value>, batch: &mut Batch<'_>) {
    for (index, item) in items.into_iter().enumerate() {
        import_record(item, batch, Place::Record(index + 1));
    }
}

fn take_wrapped_records(object: &Map<String, Value>) -> Option<Vec<Value>> {
    if string_field(object, TEXT_FIELDS).is_some() {
        return None;
    }
    WRAPPER_KEYS.iter().find_map(|key| match object.get(*key) {
        Some(Value::Array(items)) => Some(items.clone()),
        _ => None,
    })
}

pub(crate) fn import_record(value: Value, batch: &mut Batch<'_>, place: Place) {
    let Value::Object(object) = value else {
        batch.warn(
            place,
            format!("expected a JSON object, found {}", kind(&value)),
        );
        return;
    };
    let raw_text = string_field(&object, TEXT_FIELDS);
    let fields = RecordFields {
        title: string_field(&object, TITLE_FIELDS),
        text: raw_text.clone(),
        published: string_field(&object, PUBLISHED_FIELDS),
        url: string_field(&object, URL_FIELDS),
        source: string_field(&object, SOURCE_FIELDS),
    };
    let mut article = build_article(fields, batch, place);
    article.requested_id = object.get("id").and_then(integer).map(ArticleId);
    check_content_hash(&object, &article, batch, place);
    match object.get("annotations") {
        None | Some(Value::Null) => {}
        Some(Value::Array(items)) => {
            let annotator = default_annotator(batch);
            // Offsets count the text as the file has it: they are mapped through import
            // normalisation (CRLF, NUL, a byte order mark), and a span that cannot be the
            // text's is named here, with its line, as the other importers do.
            let raw_text = raw_text.unwrap_or_default();
            let source = SourceText::new(&raw_text, &article.text);
            let mut uids = Vec::new();
            for (index, item) in items.iter().enumerate() {
                let checked = annotation(item, &annotator).and_then(|mut annotation| {
                    let given = annotation.expected_text.take();
                    let (span, expected) =
                        source.place(annotation.span.start(), annotation.span.end(), given)?;
                    annotation.span = span;
                    annotation.expected_text = expected;
                    Ok(annotation)
                });
                match checked {
                    Ok(annotation) => {
                        article.annotations.push(annotation);
                        uids.push(
                            item.get("uid")
                                .and_then(Value::as_str)
                                .filter(|uid| crate::model::is_uid(uid))
                                .map(str::to_owned),
                        );
                    }
                    Err(reason) => {
                        batch.warn(place, format!("annotation {} skipped: {reason}", index + 1))
                    }
                }
            }
            follow_uid_links(&mut article.annotations, &uids);
        }
        Some(other) => batch.warn(
            place,
            format!("annotations is {}, not an array; ignored", kind(other)),
        ),
    }
    batch.push(article, place);
}

/// Links of a native export name their targets by uid: each annotation with a uid gets an
/// id to link by (its own, else a [`crate::model::uid_link_id`]), and links naming a uid
/// of the record name that id, which the store maps to the id it gives.
fn follow_uid_links(annotations: &mut [NewAnnotation], uids: &[Option<String>]) {
    let mut by_uid = std::collections::HashMap::new();
    for (index, (annotation, uid)) in annotations.iter_mut().zip(uids).enumerate() {
        let Some(uid) = uid else {
            continue;
        };
        let id = *annotation
            .requested_id
            .get_or_insert(AnnotationId(crate::model::uid_link_id(index)));
        by_uid.insert(uid.as_str(), id.0);
    }
    if by_uid.is_empty() {
        return;
    }
    for annotation in annotations {
        for key in crate::model::attrs::LINKS {
            let items: Vec<&mut Value> = match annotation.attrs.get_mut(key) {
                Some(Value::Array(items)) => items.iter_mut().collect(),
                Some(single) => vec![single],
                None => Vec::new(),
            };
            for item in items {
                if let Some(id) = item.as_str().and_then(|uid| by_uid.get(uid)) {
                    *item = Value::from(*id);
                }
            }
        }
    }
}

fn default_annotator(batch: &Batch<'_>) -> String {
    let name = batch.path().file_name().map_or_else(
        || batch.path().display().to_string(),
        |name| name.to_string_lossy().into_owned(),
    );
    format!("import:{name}")
}

/// Reads one native annotation (its span is checked against the text by the caller).
fn annotation(value: &Value, default_annotator: &str) -> Result<NewAnnotation, String> {
    let Value::Object(object) = value else {
        return Err(format!("expected an object, found {}", kind(value)));
    };
    let label = object
        .get("label")
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|label| !label.is_empty())
        .ok_or("no label")?;
    let offset = |name: &str| {
        object
            .get(name)
            .and_then(Value::as_u64)
            .and_then(|offset| usize::try_from(offset).ok())
            .ok_or_else(|| format!("'{name}' is missing or not a non-negative integer"))
    };
    let (start, end) = (offset("start")?, offset("end")?);
    let requested_id = match object.get("id") {
        None | Some(Value::Null) => None,
        Some(id) => Some(AnnotationId(integer(id).ok_or("'id' is not an integer")?)),
    };
    let status = match object.get("status") {
        None | Some(Value::Null) => AnnotationStatus::default(),
        Some(Value::String(status)) => status.parse()?,
        Some(other) => return Err(format!("'status' is {}, not a string", kind(other))),
    };
    let attrs = match object.get("attrs") {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(attrs)) => attrs.clone(),
        Some(other) => return Err(format!("'attrs' is {}, not an object", kind(other))),
    };
    let annotator = object
        .get("annotator")
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|annotator| !annotator.is_empty())
        .unwrap_or(default_annotator);
    let coder = match object.get("coder") {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(coder)) if coder.trim().is_empty() => String::new(),
        Some(Value::String(coder)) if coder == crate::model::ADJUDICATED => coder.clone(),
        Some(Value::String(coder)) => crate::model::Coder::new(coder)
            .map_err(|e| format!("'coder': {e}"))?
            .to_string(),
        Some(other) => return Err(format!("'coder' is {}, not a string", kind(other))),
    };
    Ok(NewAnnotation {
        requested_id,
        label: label.to_owned(),
        // Checked last, as the other fields are: a reversed span is named as `place` names it.
        span: CharSpan::ordered(start, end).map_err(|error| error.to_string())?,
        expected_text: object
            .get("text")
            .and_then(Value::as_str)
            .map(str::to_owned),
        attrs,
        status,
        annotator: annotator.to_owned(),
        coder,
    })
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::import::{FileOutcome, ImportOptions, parse_bytes};

    fn import(name: &str, bytes: &[u8]) -> FileOutcome {
        parse_bytes(bytes, Path::new(name), &ImportOptions::default()).unwrap()
    }

    #[test]
    fn native_records_keep_ids_and_annotations() {
        let line = r#"{"id": 7, "title": "Raid", "text": "Two killed in Aleppo.", "published": "2024-01-19", "url": "https://x.org/1", "source": "Wire", "annotations": [{"id": 3, "label": "LOC", "start": 14, "end": 20, "text": "Aleppo"}, {"label": "CASUALTY", "start": 0, "end": 10, "status": "suggested", "annotator": "rules", "attrs": {"count": 2}}, {"label": "PER", "start": -1, "end": 2}]}"#;
        let outcome = import("export.jsonl", line.as_bytes());
        assert_eq!(outcome.format, Format::Jsonl);
        let article = &outcome.articles[0];
        assert_eq!(article.requested_id, Some(ArticleId(7)));
        assert_eq!(article.title, "Raid");
        assert_eq!(
            article.published.map(|d| d.to_string()).as_deref(),
            Some("2024-01-19")
        );
        assert_eq!(article.source.as_deref(), Some("Wire"));
        assert_eq!(article.annotations.len(), 2);
        let place = &article.annotations[0];
        assert_eq!(place.requested_id, Some(AnnotationId(3)));
        assert_eq!(
            (place.label.as_str(), place.span.start(), place.span.end()),
            ("LOC", 14, 20)
        );
        assert_eq!(place.expected_text.as_deref(), Some("Aleppo"));
        assert_eq!(place.status, AnnotationStatus::Accepted);
        assert_eq!(place.annotator, "import:export.jsonl");
        let figure = &article.annotations[1];
        assert_eq!(figure.status, AnnotationStatus::Suggested);
        assert_eq!(figure.annotator, "rules");
        assert_eq!(figure.attrs.get("count"), Some(&Value::from(2)));
        assert_eq!(outcome.warnings.len(), 1);
        assert_eq!(outcome.warnings[0].line, Some(1));
        assert!(
            outcome.warnings[0]
                .reason
                .contains("annotation 3 skipped: 'start'"),
            "{}",
            outcome.warnings[0]
        );
    }

    /// Found by the `import_jsonl` fuzz target: a reversed span went through to the store,
    /// which refused it without the line.
    #[test]
    fn native_spans_that_cannot_be_the_texts_are_skipped_with_their_line() {
        let text = "{\"text\": \"x\"}\n{\"title\": \"Strike\", \"text\": \"Two killed in Kharkiv.\", \"annotations\": [{\"start\": 14, \"end\": 10, \"label\": \"LOC\"}, {\"start\": 14, \"end\": 40, \"label\": \"LOC\"}, {\"start\": 14, \"end\": 21, \"label\": \"LOC\"}]}\n";
        let outcome = import("dump.jsonl", text.as_bytes());
        let strike = &outcome.articles[1];
        let kept: Vec<(usize, usize)> = strike
            .annotations
            .iter()
            .map(|a| (a.span.start(), a.span.end()))
            .collect();
        assert_eq!(kept, [(14, 21)]);
        let warnings: Vec<String> = outcome.warnings.iter().map(ToString::to_string).collect();
        assert_eq!(
            warnings,
            [
                "dump.jsonl:2: annotation 1 skipped: span [14, 10) is empty or reversed: end must be greater than start",
                "dump.jsonl:2: annotation 2 skipped: span [14, 40) is outside the text, which has 22 code points",
            ]
        );
    }

    /// A native record written with CRLF line ends (or a NUL): its offsets count the text as
    /// written, and land on the same characters of the stored text.
    #[test]
    fn native_offsets_are_mapped_through_line_end_normalisation() {
        let text = "{\"text\": \"Two\\r\\nkilled\\u0000 in Kharkiv.\", \"annotations\": [{\"start\": 16, \"end\": 23, \"label\": \"LOC\"}, {\"start\": 5, \"end\": 11, \"label\": \"X\", \"text\": \"killed\"}]}\n";
        let outcome = import("crlf.jsonl", text.as_bytes());
        assert!(outcome.warnings.is_empty(), "{:?}", outcome.warnings);
        let article = &outcome.articles[0];
        assert_eq!(article.text, "Two\nkilled in Kharkiv.");
        let spans: Vec<(usize, usize, Option<&str>)> = article
            .annotations
            .iter()
            .map(|a| (a.span.start(), a.span.end(), a.expected_text.as_deref()))
            .collect();
        assert_eq!(spans, [(14, 21, Some("Kharkiv")), (4, 10, Some("killed"))]);
    }

    #[test]
    fn jsonl_bad_lines_are_warnings_and_the_rest_imports() {
        let text = "{\"text\": \"First story.\\nMore.\"}\n\n{\"text\": broken}\r\n{\"content\": \"Third\", \"headline\": \"H3\"}\n[1]\n";
        let outcome = import("dump.jsonl", text.as_bytes());
        let titles: Vec<&str> = outcome.articles.iter().map(|a| a.title.as_str()).collect();
        assert_eq!(titles, ["First story.", "H3"]);
        assert_eq!(outcome.warnings.len(), 2);
        assert_eq!(outcome.warnings[0].line, Some(3));
        assert_eq!(outcome.warnings[0].reason, "expected value at column 10");
        assert_eq!(
            outcome.warnings[0].to_string(),
            "dump.jsonl:3: expected value at column 10"
        );
        assert_eq!(outcome.warnings[1].line, Some(5));
        assert_eq!(
            outcome.warnings[1].reason,
            "expected a JSON object, found an array"
        );
    }

    #[test]
    fn json_file_with_one_object_per_line_is_read_as_lines() {
        let outcome = import("dump.json", b"{\"text\": \"a\"}\n{\"text\": \"b\"}\n");
        assert_eq!(outcome.format, Format::Jsonl);
        assert_eq!(outcome.articles.len(), 2);
        assert_eq!(outcome.articles[1].origin_format, "jsonl");
    }

    #[test]
    fn arrays_use_common_field_names_and_name_bad_records() {
        let text = r#"[
          {"headline": "Quake", "body": "A quake struck.", "pubDate": "Fri, 19 Jan 2024 10:00:00 GMT", "link": "https://x.org/q", "publisher": {"name": "Agency"}},
          "not a record",
          {"title": "Empty", "content": ""},
          {"summary": "Only a summary here", "date": "sometime"}
        ]"#;
        let outcome = import("dump.json", text.as_bytes());
        assert_eq!(outcome.format, Format::Json);
        assert_eq!(outcome.articles.len(), 2);
        let quake = &outcome.articles[0];
        assert_eq!(quake.title, "Quake");
        assert_eq!(quake.text, "A quake struck.");
        assert_eq!(quake.url.as_deref(), Some("https://x.org/q"));
        assert_eq!(quake.source.as_deref(), Some("Agency"));
        assert_eq!(
            quake.published.map(|d| d.to_string()).as_deref(),
            Some("2024-01-19")
        );
        assert_eq!(outcome.articles[1].title, "Only a summary here");
        assert_eq!(outcome.articles[1].published, None);
        let reasons: Vec<&str> = outcome.warnings.iter().map(|w| w.reason.as_str()).collect();
        assert_eq!(
            reasons,
            [
                "record 2: expected a JSON object, found a string",
                "record 3: empty text, skipped ('Empty')",
                "record 4: publication date 'sometime' not understood, left empty",
            ]
        );
    }

    #[test]
    fn newspaper_style_publish_date_is_read() {
        let outcome = import(
            "x.json",
            br#"[{"text": "Shots fired downtown.", "publish_date": "2018-03-09"}]"#,
        );
        let published = outcome.articles[0].published.map(|d| d.to_string());
        assert_eq!(published.as_deref(), Some("2018-03-09"));
    }

    #[test]
    fn one_object_and_wrapped_arrays() {
        let single = import("one.json", br#"{"title": "T", "text": "Body"}"#);
        assert_eq!(single.articles.len(), 1);
        let wrapped = import(
            "api.json",
            br#"{"status": "ok", "articles": [{"text": "A"}, {"text": "B"}]}"#,
        );
        assert_eq!(wrapped.articles.len(), 2);
    }

    #[test]
    fn invalid_json_is_an_error_with_position() {
        let err = parse_bytes(
            b"[{\"text\": \"a\"},\n {\"text\": }]",
            Path::new("bad.json"),
            &ImportOptions::default(),
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "bad.json: not valid JSON: expected value at line 2 column 11"
        );
        let err = parse_bytes(b"42", Path::new("n.json"), &ImportOptions::default()).unwrap_err();
        assert!(err.to_string().ends_with("found a number"), "{err}");
    }

    #[test]
    fn mismatched_hash_is_reported() {
        let outcome = import("x.jsonl", br#"{"text": "abc", "content_sha256": "00"}"#);
        assert_eq!(outcome.articles.len(), 1);
        assert!(outcome.warnings[0].reason.contains("content_sha256"));
        let good = import(
            "y.jsonl",
            br#"{"text": "abc", "content_sha256": "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"}"#,
        );
        assert!(good.warnings.is_empty());
    }
}

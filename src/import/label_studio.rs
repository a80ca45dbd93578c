//! Label Studio JSON exports: an array of tasks, each `{"id", "data": {"text", ...},
//! "annotations": [{"result": [...]}], "predictions": [{"result": [...]}]}`.
//!
//! Each `labels` result becomes one annotation per label: from `annotations` accepted, from
//! `predictions` suggested. Offsets are code points and `value.text` is the span text the
//! archive checks. `meta.annotator` and `meta.attrs` (written by Annalist's own export)
//! restore who made a span and its attributes.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::model::{AnnotationId, AnnotationStatus, ArticleId, NewAnnotation, NewArticle};

use super::batch::{Batch, Place};
use super::encoding::decode_text;
use super::json_fields::{check_content_hash, integer, kind, parse_document, string_field};
use super::json_lines::array_item_lines;
use super::record::{
    PUBLISHED_FIELDS, RecordFields, SOURCE_FIELDS, TEXT_FIELDS, TITLE_FIELDS, URL_FIELDS,
    build_article,
};
use super::spans::{SourceText, default_annotator};
use super::{Format, ImportError};

/// Imports a file read as Label Studio (by `--format label-studio`): an array of tasks, or
/// one task object.
pub(crate) fn import(bytes: &[u8], batch: &mut Batch<'_>) -> Result<(), ImportError> {
    let (text, _) = decode_text(bytes, None);
    match parse_document(&text, batch)? {
        Value::Array(tasks) => import_tasks(tasks, &text, batch),
        task @ Value::Object(_) => import_tasks(vec![task], &text, batch),
        other => {
            return Err(ImportError::Json {
                path: batch.path().to_path_buf(),
                reason: format!(
                    "expected an array of Label Studio tasks, found {}",
                    kind(&other)
                ),
            });
        }
    }
    Ok(())
}

/// True for something shaped like a Label Studio task: a `data` object with a text field
/// (`text`, `content`, ...), or a `data` object beside `annotations` or `predictions`
/// lists. The values are not judged: a task with a bad value is still a task.
pub(crate) fn looks_like_task(object: &Map<String, Value>) -> bool {
    let Some(data) = object.get("data").and_then(Value::as_object) else {
        return false;
    };
    let has_text = data.keys().any(|key| {
        TEXT_FIELDS
            .iter()
            .any(|name| key.eq_ignore_ascii_case(name))
    });
    let has_results = ["annotations", "predictions"]
        .iter()
        .any(|key| matches!(object.get(*key), Some(Value::Array(_))));
    has_text || has_results
}

/// Imports tasks; `text` is the file, for the tasks' line numbers.
pub(crate) fn import_tasks(tasks: Vec<Value>, text: &str, batch: &mut Batch<'_>) {
    let lines = array_item_lines(text);
    let single = tasks.len() == 1 && !text.trim_start().starts_with('[');
    let mut reader = Reader {
        default_annotator: default_annotator(batch, Format::LabelStudio),
        relations: 0,
        other_results: BTreeMap::new(),
    };
    for (index, task) in tasks.into_iter().enumerate() {
        let place = if single {
            Place::File
        } else {
            lines
                .get(index)
                .map_or(Place::Record(index + 1), |&line| Place::Line(line))
        };
        reader.task(task, index + 1, batch, place);
    }
    reader.finish(batch);
}

// ---

/// One file's reading state: the default annotator and what was left out.
struct Reader {
    default_annotator: String,
    relations: usize,
    /// Results of other types (`choices`, `textarea`, ...) by type.
    other_results: BTreeMap<String, usize>,
}

/// Where a result set came from: a person's annotation or a model's prediction.
#[derive(Clone, Copy)]
enum Origin {
    Annotations,
    Predictions,
}

impl Reader {
    fn task(&mut self, task: Value, number: usize, batch: &mut Batch<'_>, place: Place) {
        let Value::Object(task) = task else {
            batch.warn(
                place,
                format!(
                    "task {number}: expected a JSON object, found {}",
                    kind(&task)
                ),
            );
            return;
        };
        let Some(data) = task.get("data").and_then(Value::as_object) else {
            batch.warn(place, format!("task {number}: no data object, skipped"));
            return;
        };
        let raw_text = string_field(data, TEXT_FIELDS);
        let fields = RecordFields {
            title: string_field(data, TITLE_FIELDS),
            text: raw_text.clone(),
            published: string_field(data, PUBLISHED_FIELDS),
            url: string_field(data, URL_FIELDS),
            source: string_field(data, SOURCE_FIELDS),
        };
        let mut article = build_article(fields, batch, place);
        article.requested_id = task.get("id").and_then(integer).map(ArticleId);
        check_content_hash(data, &article, batch, place);
        let raw_text = raw_text.unwrap_or_default();
        let source = SourceText::new(&raw_text, &article.text);
        for origin in [Origin::Annotations, Origin::Predictions] {
            let key = match origin {
                Origin::Annotations => "annotations",
                Origin::Predictions => "predictions",
            };
            match task.get(key) {
                None | Some(Value::Null) => {}
                Some(Value::Array(sets)) => {
                    for (set_index, set) in sets.iter().enumerate() {
                        let context = SetContext {
                            number,
                            key,
                            set_number: set_index + 1,
                            origin,
                            source: &source,
                            place,
                        };
                        self.result_set(set, &context, &mut article, batch);
                    }
                }
                Some(other) => batch.warn(
                    place,
                    format!(
                        "task {number}: {key} is {}, not an array; ignored",
                        kind(other)
                    ),
                ),
            }
        }
        batch.push(article, place);
    }

    fn result_set(
        &mut self,
        set: &Value,
        context: &SetContext<'_>,
        article: &mut NewArticle,
        batch: &mut Batch<'_>,
    ) {
        let (number, key, set_number, place) = (
            context.number,
            context.key,
            context.set_number,
            context.place,
        );
        let Value::Object(set) = set else {
            batch.warn(
                place,
                format!(
                    "task {number}: {key} {set_number} is {}, not an object; ignored",
                    kind(set)
                ),
            );
            return;
        };
        if set.get("was_cancelled").and_then(Value::as_bool) == Some(true) {
            return;
        }
        let annotator = self.set_annotator(set, context.origin);
        let Some(results) = set.get("result").and_then(Value::as_array) else {
            batch.warn(
                place,
                format!("task {number}: {key} {set_number} has no result array; ignored"),
            );
            return;
        };
        let status = match context.origin {
            Origin::Annotations => AnnotationStatus::Accepted,
            Origin::Predictions => AnnotationStatus::Suggested,
        };
        for (index, result) in results.iter().enumerate() {
            match self.result(result, context.source, status, &annotator) {
                Ok(annotations) => article.annotations.extend(annotations),
                Err(reason) => batch.warn(
                    place,
                    format!(
                        "task {number}: {key} {set_number} result {} skipped: {reason}",
                        index + 1
                    ),
                ),
            }
        }
    }

    /// Who made a result set when its results do not say: `completed_by` (an object's
    /// email or username, or `user-<id>`) for annotations, `model_version` for predictions,
    /// else `label-studio:<file name>`.
    fn set_annotator(&self, set: &Map<String, Value>, origin: Origin) -> String {
        let named = match origin {
            Origin::Annotations => match set.get("completed_by") {
                Some(Value::Object(user)) => ["email", "username"]
                    .iter()
                    .find_map(|key| user.get(*key).and_then(Value::as_str))
                    .map(str::to_owned),
                Some(Value::Number(id)) => Some(format!("label-studio:user-{id}")),
                Some(Value::String(name)) => Some(name.clone()),
                _ => None,
            },
            Origin::Predictions => set
                .get("model_version")
                .and_then(Value::as_str)
                .map(str::to_owned),
        };
        named
            .map(|name| name.trim().to_owned())
            .filter(|name| !name.is_empty())
            .unwrap_or_else(|| self.default_annotator.clone())
    }

    /// One result: the annotations of a `labels` region; other types are counted and left
    /// out.
    fn result(
        &mut self,
        result: &Value,
        source: &SourceText<'_>,
        status: AnnotationStatus,
        annotator: &str,
    ) -> Result<Vec<NewAnnotation>, String> {
        let Value::Object(result) = result else {
            return Err(format!("expected an object, found {}", kind(result)));
        };
        match result.get("type").and_then(Value::as_str) {
            Some("labels") => {}
            Some("relation") => {
                self.relations += 1;
                return Ok(Vec::new());
            }
            Some(other) => {
                *self.other_results.entry(other.to_owned()).or_default() += 1;
                return Ok(Vec::new());
            }
            None => return Err("no type".to_owned()),
        }
        let value = result
            .get("value")
            .and_then(Value::as_object)
            .ok_or("no value object")?;
        let offset = |name: &str| {
            value
                .get(name)
                .and_then(Value::as_u64)
                .and_then(|offset| usize::try_from(offset).ok())
                .ok_or_else(|| format!("value.{name} is missing or not a non-negative integer"))
        };
        let (start, end) = (offset("start")?, offset("end")?);
        let given = match value.get("text") {
            Some(Value::String(text)) => Some(text.clone()),
            _ => None,
        };
        let (span, expected_text) = source.place(start, end, given)?;
        let labels: Vec<String> = value
            .get("labels")
            .and_then(Value::as_array)
            .ok_or("value.labels is not an array")?
            .iter()
            .filter_map(Value::as_str)
            .map(str::trim)
            .filter(|label| !label.is_empty())
            .map(str::to_owned)
            .collect();
        if labels.is_empty() {
            return Err("no label in value.labels".to_owned());
        }
        let requested_id = result
            .get("id")
            .and_then(Value::as_str)
            .and_then(|id| id.trim().parse().ok())
            .or_else(|| result.get("id").and_then(Value::as_i64))
            .map(AnnotationId);
        let meta = result.get("meta").and_then(Value::as_object);
        let annotator = meta
            .and_then(|meta| meta.get("annotator"))
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|name| !name.is_empty())
            .unwrap_or(annotator);
        let attrs = match meta.and_then(|meta| meta.get("attrs")) {
            None | Some(Value::Null) => Map::new(),
            Some(Value::Object(attrs)) => attrs.clone(),
            Some(other) => return Err(format!("meta.attrs is {}, not an object", kind(other))),
        };
        Ok(labels
            .into_iter()
            .map(|label| NewAnnotation {
                requested_id,
                label,
                span,
                expected_text: expected_text.clone(),
                attrs: attrs.clone(),
                status,
                annotator: annotator.to_owned(),
                coder: String::new(),
            })
            .collect())
    }

    fn finish(self, batch: &mut Batch<'_>) {
        if self.relations > 0 {
            batch.warn(
                Place::File,
                format!("relations are not imported ({} left out)", self.relations),
            );
        }
        if !self.other_results.is_empty() {
            let kinds: Vec<String> = self
                .other_results
                .iter()
                .map(|(kind, count)| format!("{count} {kind}"))
                .collect();
            batch.warn(
                Place::File,
                format!(
                    "only labels results are imported; left out: {}",
                    kinds.join(", ")
                ),
            );
        }
    }
}

/// Where a result set sits, for its warnings.
struct SetContext<'a> {
    number: usize,
    key: &'static str,
    set_number: usize,
    origin: Origin,
    source: &'a SourceText<'a>,
    place: Place,
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

    /// A pretty-printed export, one task starting per line group, like Label Studio writes.
    fn export(tasks: &[Value]) -> String {
        serde_json::to_string_pretty(&Value::Array(tasks.to_vec())).unwrap()
    }

    fn region(id: &str, start: usize, end: usize, text: &str, labels: &[&str]) -> Value {
        json!({"id": id, "from_name": "label", "to_name": "text", "type": "labels",
               "value": {"start": start, "end": end, "text": text, "labels": labels}})
    }

    /// One annotation as (label, start, end, expected text, status, annotator).
    type Row<'a> = (
        &'a str,
        usize,
        usize,
        Option<&'a str>,
        AnnotationStatus,
        &'a str,
    );

    fn summary(article: &NewArticle) -> Vec<Row<'_>> {
        article
            .annotations
            .iter()
            .map(|a| {
                (
                    a.label.as_str(),
                    a.span.start(),
                    a.span.end(),
                    a.expected_text.as_deref(),
                    a.status,
                    a.annotator.as_str(),
                )
            })
            .collect()
    }

    const TEXT: &str = "دمشق 👨‍👩‍👧 東京 Gaza";

    #[test]
    fn annotations_are_accepted_and_predictions_suggested() {
        assert_eq!(slice_chars(TEXT, 11, 13), "東京");
        assert_eq!(slice_chars(TEXT, 14, 18), "Gaza");
        let mut ours = region("41", 14, 18, "Gaza", &["LOC"]);
        ours["meta"] = json!({"annotator": "maria", "attrs": {"country_code": "PS"}});
        let tasks = [json!({
            "id": 9,
            "data": {"text": TEXT, "title": "Cities", "published": "2024-01", "url": "https://x.org/9", "source": "Wire"},
            "annotations": [{"completed_by": 3, "result": [
                region("wH8vNs3Y_d", 0, 4, "دمشق", &["LOC", "GPE"]),
                ours,
                {"id": "c1", "type": "choices", "value": {"choices": ["war"]}},
                {"type": "relation", "from_id": "41", "to_id": "wH8vNs3Y_d"}
            ]}],
            "predictions": [{"model_version": "ner-v2", "result": [region("7", 11, 13, "東京", &["LOC"])]}]
        })];
        let outcome = import("project-1.json", &export(&tasks));
        assert_eq!(outcome.format, Format::LabelStudio);
        let article = &outcome.articles[0];
        assert_eq!(article.origin_format, "label-studio");
        assert_eq!(article.requested_id, Some(ArticleId(9)));
        assert_eq!(article.title, "Cities");
        assert_eq!(article.source.as_deref(), Some("Wire"));
        assert_eq!(
            article.published.map(|d| d.to_string()).as_deref(),
            Some("2024-01")
        );
        assert_eq!(
            summary(article),
            [
                (
                    "LOC",
                    0,
                    4,
                    Some("دمشق"),
                    AnnotationStatus::Accepted,
                    "label-studio:user-3"
                ),
                (
                    "GPE",
                    0,
                    4,
                    Some("دمشق"),
                    AnnotationStatus::Accepted,
                    "label-studio:user-3"
                ),
                (
                    "LOC",
                    14,
                    18,
                    Some("Gaza"),
                    AnnotationStatus::Accepted,
                    "maria"
                ),
                (
                    "LOC",
                    11,
                    13,
                    Some("東京"),
                    AnnotationStatus::Suggested,
                    "ner-v2"
                ),
            ]
        );
        let ids: Vec<Option<AnnotationId>> =
            article.annotations.iter().map(|a| a.requested_id).collect();
        assert_eq!(
            ids,
            [None, None, Some(AnnotationId(41)), Some(AnnotationId(7))]
        );
        assert_eq!(
            article.annotations[2].attrs.get("country_code"),
            Some(&json!("PS"))
        );
        let reasons: Vec<&str> = outcome.warnings.iter().map(|w| w.reason.as_str()).collect();
        assert_eq!(
            reasons,
            [
                "relations are not imported (1 left out)",
                "only labels results are imported; left out: 1 choices",
            ]
        );
    }

    #[test]
    fn bad_tasks_and_results_are_warnings_with_the_task_line() {
        let tasks = [
            json!({"data": {"text": "Gaza 😀"}, "annotations": [{"result": [
                region("1", 0, 4, "Gaza", &["LOC"]),
                {"type": "labels", "value": {"end": 4, "labels": ["LOC"]}},
                {"type": "labels", "value": {"start": 5, "end": 9, "labels": ["EMOJI"]}},
                {"type": "labels", "value": {"start": 5, "end": 6, "labels": ["EMOJI"]}}
            ]}]}),
            json!("not a task"),
            json!({"data": {"text": "x"}, "predictions": [{"result": [region("2", 0, 1, "x", &[])]}]}),
        ];
        let text = export(&tasks);
        let outcome = import("tasks.json", &text);
        assert_eq!(outcome.format, Format::LabelStudio);
        assert_eq!(outcome.articles.len(), 2);
        let first = &outcome.articles[0];
        assert_eq!(first.annotations.len(), 2);
        // Without value.text the span is range-checked here and has nothing to compare.
        assert_eq!(first.annotations[1].expected_text, None);
        assert_eq!(slice_chars(&first.text, 5, 6), "😀");
        assert_eq!(first.annotations[0].annotator, "label-studio:tasks.json");
        let second_task_line = text
            .lines()
            .position(|line| line.contains("not a task"))
            .unwrap()
            + 1;
        let warnings: Vec<(Option<u64>, &str)> = outcome
            .warnings
            .iter()
            .map(|w| (w.line, w.reason.as_str()))
            .collect();
        assert_eq!(
            warnings,
            [
                (
                    Some(2),
                    "task 1: annotations 1 result 2 skipped: value.start is missing or not a non-negative integer"
                ),
                (
                    Some(2),
                    "task 1: annotations 1 result 3 skipped: span [5, 9) is outside the text, which has 6 code points"
                ),
                (
                    Some(second_task_line as u64),
                    "task 2: expected a JSON object, found a string"
                ),
                (
                    Some(second_task_line as u64 + 1),
                    "task 3: predictions 1 result 1 skipped: no label in value.labels"
                ),
            ]
        );
    }

    #[test]
    fn one_task_object_and_forced_format() {
        let task = json!({"id": "5", "data": {"text": "Aleppo"}, "annotations": [{"result": [region("1", 0, 6, "Aleppo", &["LOC"])]}]});
        let outcome = import("task.json", &task.to_string());
        assert_eq!(outcome.format, Format::LabelStudio);
        assert_eq!(outcome.articles[0].requested_id, Some(ArticleId(5)));
        assert_eq!(outcome.articles[0].annotations.len(), 1);
        let forced = ImportOptions {
            format: Some(Format::LabelStudio),
            ..ImportOptions::default()
        };
        let outcome =
            parse_bytes(export(&[task]).as_bytes(), Path::new("download"), &forced).unwrap();
        assert_eq!(outcome.format, Format::LabelStudio);
        assert_eq!(outcome.articles[0].annotations[0].label, "LOC");
    }
}

//! JSON field helpers shared by the JSON, doccano and Label Studio importers: parsing a
//! document or its lines, reading a field by its usual names, integers, what a value is, and
//! the check of a record's `content_sha256`.

use serde_json::{Map, Value};

use super::ImportError;
use super::batch::{Batch, Place};
use crate::model::NewArticle;

/// Parses a whole JSON document; a syntax error loses the file.
pub(crate) fn parse_document(text: &str, batch: &Batch<'_>) -> Result<Value, ImportError> {
    serde_json::from_str(text).map_err(|error| ImportError::Json {
        path: batch.path().to_path_buf(),
        reason: error.to_string(),
    })
}

/// Calls `each` with every non-blank line parsed as JSON and its line; a line that is not
/// JSON is a warning.
pub(crate) fn for_each_line(
    text: &str,
    batch: &mut Batch<'_>,
    mut each: impl FnMut(Value, &mut Batch<'_>, Place),
) {
    for (index, line) in text.split('\n').enumerate() {
        let place = Place::Line(u64::try_from(index).unwrap_or(u64::MAX).saturating_add(1));
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        match serde_json::from_str::<Value>(line) {
            Ok(value) => each(value, batch, place),
            Err(error) => batch.warn(place, serde_reason_in_line(&error)),
        }
    }
}

/// serde's message with the column only; the line is the warning's own.
pub(crate) fn serde_reason_in_line(error: &serde_json::Error) -> String {
    let message = error.to_string();
    let message = message.split(" at line ").next().unwrap_or(&message);
    format!("{message} at column {}", error.column())
}

/// Warns when the record's `content_sha256` is not the hash of the text it carries.
pub(crate) fn check_content_hash(
    object: &Map<String, Value>,
    article: &NewArticle,
    batch: &mut Batch<'_>,
    place: Place,
) {
    if let Some(claimed) = object.get("content_sha256").and_then(Value::as_str)
        && !article.text.is_empty()
        && !claimed.eq_ignore_ascii_case(&article.content_sha256())
    {
        batch.warn(
            place,
            "content_sha256 does not match the text; the text was kept",
        );
    }
}

/// The first of `names` (ignoring case) holding a non-blank string, a number, or an object
/// with a `name` (`"source": {"name": "BBC"}`).
pub(crate) fn string_field(object: &Map<String, Value>, names: &[&str]) -> Option<String> {
    names.iter().find_map(|name| {
        object
            .iter()
            .filter(|(key, _)| key.eq_ignore_ascii_case(name))
            .find_map(|(_, value)| match value {
                Value::String(text) if !text.trim().is_empty() => Some(text.clone()),
                Value::Number(number) => Some(number.to_string()),
                Value::Object(inner) => inner
                    .get("name")
                    .and_then(Value::as_str)
                    .filter(|text| !text.trim().is_empty())
                    .map(str::to_owned),
                _ => None,
            })
    })
}

/// An integer, or a string of digits.
pub(crate) fn integer(value: &Value) -> Option<i64> {
    match value {
        Value::Number(number) => number.as_i64(),
        Value::String(text) => text.trim().parse().ok(),
        _ => None,
    }
}

/// What a JSON value is, for messages ("an array").
pub(crate) fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

//! What the annotation-carrying importers (brat, doccano, Label Studio, CoNLL) share: the
//! default annotator name, the range check for spans that come without their text, and
//! typed attribute values.

use serde_json::Value;

use crate::model::{CharIndex, CharSpan};

use super::Format;
use super::batch::{Batch, Place};

/// `"<format>:<file name>"`: who made an annotation whose file does not say.
pub(crate) fn default_annotator(batch: &Batch<'_>, format: Format) -> String {
    let name = batch.path().file_name().map_or_else(
        || batch.path().display().to_string(),
        |name| name.to_string_lossy().into_owned(),
    );
    format!("{format}:{name}")
}

/// Checks that `[start, end)` is a non-empty span inside a text of `text_len` code points;
/// the error is the reason for a warning. Spans are never moved to make them fit.
pub(crate) fn check_span(start: usize, end: usize, text_len: usize) -> Result<(), String> {
    CharSpan::new(start, end, text_len)
        .map(|_| ())
        .map_err(|error| error.to_string())
}

/// An attribute value written as text (brat's `A` lines): integers and `true`/`false` become
/// JSON numbers and booleans, anything else stays a string.
pub(crate) fn typed_value(raw: &str) -> Value {
    match raw {
        "true" => Value::Bool(true),
        "false" => Value::Bool(false),
        _ => raw
            .parse::<i64>()
            .map_or_else(|_| Value::String(raw.to_owned()), Value::from),
    }
}

/// A source text as its offsets count it, beside the stored (normalised) text: when import
/// normalisation changed it (CR, NUL, a BOM), spans are checked against the source and carry
/// the source's text, so the archive reports the ones that no longer match instead of
/// storing them on other characters.
pub(crate) struct SourceText<'a> {
    raw: CharIndex<'a>,
    changed: bool,
}

impl<'a> SourceText<'a> {
    /// `raw` as the file had it, `stored` as the article keeps it.
    pub(crate) fn new(raw: &'a str, stored: &str) -> Self {
        Self {
            raw: CharIndex::new(raw),
            changed: raw != stored,
        }
    }

    /// Whether normalisation changed the text (then offsets may not match).
    pub(crate) fn changed(&self) -> bool {
        self.changed
    }

    /// Checks a span without text of its own against the source text.
    pub(crate) fn check(&self, start: usize, end: usize) -> Result<(), String> {
        check_span(start, end, self.raw.len())
    }

    /// The text to check a span without text of its own against: the source's, when the
    /// stored text differs from it.
    pub(crate) fn claimed_text(&self, start: usize, end: usize) -> Option<String> {
        self.changed.then(|| self.raw.slice(start, end).to_owned())
    }
}

/// The warning for a text that import normalisation changed.
pub(crate) const NORMALISED_TEXT_WARNING: &str = "the text has CR line ends, NUL characters or a byte order mark, which import normalises: offsets after them may not match, and spans whose text no longer matches are reported and skipped";

/// The place of the line at 0-based `index`.
pub(crate) fn line_place(index: usize) -> Place {
    Place::Line(u64::try_from(index).unwrap_or(u64::MAX).saturating_add(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attribute_values_are_typed() {
        assert_eq!(typed_value("9"), Value::from(9));
        assert_eq!(typed_value("-3"), Value::from(-3));
        assert_eq!(typed_value("true"), Value::Bool(true));
        assert_eq!(typed_value("False"), Value::from("False"));
        assert_eq!(typed_value("1.5"), Value::from("1.5"));
        assert_eq!(typed_value("killed"), Value::from("killed"));
    }

    #[test]
    fn spans_must_fit_and_not_be_empty() {
        assert!(check_span(0, 3, 3).is_ok());
        assert!(check_span(2, 2, 3).unwrap_err().contains("empty"));
        assert!(
            check_span(1, 4, 3)
                .unwrap_err()
                .contains("outside the text, which has 3 code points")
        );
    }
}

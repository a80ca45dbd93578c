//! What the annotation-carrying importers (brat, doccano, Label Studio, CoNLL) share: the
//! default annotator name, the range check for spans that come without their text, and
//! typed attribute values.

use serde_json::Value;

use crate::model::{CharOffsets, CharSpan, normalize_text};

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
pub(crate) fn check_span(start: usize, end: usize, text_len: usize) -> Result<CharSpan, String> {
    CharSpan::new(start, end, text_len).map_err(|error| error.to_string())
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

/// A source text as its offsets count it, beside the stored (normalised) text. Import
/// normalisation drops a byte order mark, the CR of each CRLF and NUL characters (a lone CR
/// becomes LF in place); offsets counted in the source are mapped through those removals to
/// the stored text, so spans after a CRLF land on the characters the annotator marked.
/// Nothing else is normalised (NFD text keeps its offsets).
pub(crate) struct SourceText<'a> {
    raw: CharOffsets<'a>,
    /// Code point offsets (in the source) of the characters normalisation removed, sorted.
    removed: Vec<usize>,
}

impl<'a> SourceText<'a> {
    /// `raw` as the file had it, `stored` as the article keeps it.
    pub(crate) fn new(raw: &'a str, stored: &str) -> Self {
        let mut removed = Vec::new();
        if raw != stored {
            let mut chars = raw.chars().enumerate().peekable();
            while let Some((index, c)) = chars.next() {
                let crlf = c == '\r' && chars.peek().is_some_and(|&(_, next)| next == '\n');
                if crlf || c == '\0' || (index == 0 && c == '\u{feff}') {
                    removed.push(index);
                }
            }
        }
        Self {
            raw: CharOffsets::new(raw),
            removed,
        }
    }

    /// Checks a span counted in the source, and returns it in the stored text's offsets
    /// (ordered; whether it fits the stored text the archive checks) with the text to check
    /// it by: `given` (the span text the file states), or else the
    /// source's own text at those offsets when normalisation changed anything, either one
    /// normalised like the article.
    pub(crate) fn place(
        &self,
        start: usize,
        end: usize,
        given: Option<String>,
    ) -> Result<(CharSpan, Option<String>), String> {
        let span = check_span(start, end, self.raw.len())?;
        if self.removed.is_empty() {
            return Ok((span, given));
        }
        let expected = given.unwrap_or_else(|| self.raw.slice(start, end).to_owned());
        let mut expected = normalize_text(&expected);
        if start > 0 && self.raw.slice(start, start + 1) == "\u{feff}" {
            expected.insert(0, '\u{feff}');
        }
        // A span ending between the CR and the LF of a CRLF: that CR is gone.
        if self.removed.binary_search(&(end - 1)).is_ok() && expected.ends_with('\n') {
            expected.pop();
        }
        let span = CharSpan::ordered(self.map(start), self.map(end)).map_err(|_| {
            format!(
                "span [{start}, {end}) covers only characters that import normalisation removes (CR, NUL, byte order mark)"
            )
        })?;
        Ok((span, Some(expected)))
    }

    /// A source offset in the stored text.
    fn map(&self, offset: usize) -> usize {
        offset - self.removed.partition_point(|&removed| removed < offset)
    }
}

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

//! Code point offsets: the one unit every span, export and import uses.
//!
//! A `CharSpan` is `[start, end)` in Unicode scalar values of an article's text, exactly
//! Python's `str` indexing, so `text[start:end]` in Python returns the span text.

use std::fmt;

/// A validated `[start, end)` range of Unicode code points inside one text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CharSpan {
    start: usize,
    end: usize,
}

/// Why a span was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SpanError {
    /// The span is empty or reversed.
    #[error("span [{start}, {end}) is empty or reversed: end must be greater than start")]
    Empty {
        /// Requested start.
        start: usize,
        /// Requested end.
        end: usize,
    },
    /// The span reaches past the end of the text.
    #[error("span [{start}, {end}) is outside the text, which has {len} code points")]
    OutOfRange {
        /// Requested start.
        start: usize,
        /// Requested end.
        end: usize,
        /// Length of the text in code points.
        len: usize,
    },
}

impl CharSpan {
    /// Makes a span, checking it is non-empty and fits in a text of `text_len` code points.
    pub fn new(start: usize, end: usize, text_len: usize) -> Result<Self, SpanError> {
        let span = Self::ordered(start, end)?;
        span.fits(text_len)?;
        Ok(span)
    }

    /// Makes a span that is non-empty and ordered, not yet checked against a text: offsets
    /// read back from storage before their article's text, or given before the text is
    /// known. [`Self::fits`] checks it once the text is known.
    pub fn ordered(start: usize, end: usize) -> Result<Self, SpanError> {
        if end <= start {
            return Err(SpanError::Empty { start, end });
        }
        Ok(Self { start, end })
    }

    /// Checks that the span ends inside a text of `text_len` code points.
    pub fn fits(self, text_len: usize) -> Result<(), SpanError> {
        if self.end > text_len {
            return Err(SpanError::OutOfRange {
                start: self.start,
                end: self.end,
                len: text_len,
            });
        }
        Ok(())
    }

    /// First code point of the span.
    pub fn start(self) -> usize {
        self.start
    }

    /// One past the last code point of the span.
    pub fn end(self) -> usize {
        self.end
    }

    /// The covered text. `text` must be the text the span was validated against.
    pub fn slice(self, text: &str) -> &str {
        slice_chars(text, self.start, self.end)
    }
}

impl fmt::Display for CharSpan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}, {})", self.start, self.end)
    }
}

/// Length of `text` in Unicode code points (Python's `len(str)`).
pub fn char_len(text: &str) -> usize {
    text.chars().count()
}

/// `text[start:end]` with code point offsets, clamped to the text like Python slicing.
pub fn slice_chars(text: &str, start: usize, end: usize) -> &str {
    let mut indices = text.char_indices().map(|(byte, _)| byte);
    let byte_start = indices.nth(start).unwrap_or(text.len());
    let byte_end = if end > start {
        indices.nth(end - start - 1).unwrap_or(text.len())
    } else {
        byte_start
    };
    text.get(byte_start..byte_end).unwrap_or_default()
}

/// Code point to byte offsets of one text, for slicing many spans of it: built once in one
/// pass, then each lookup is direct on ASCII text and walks at most [`Self::STRIDE`] code
/// points otherwise, where [`slice_chars`] walks from the start of the text every time.
#[derive(Debug, Clone)]
pub struct CharOffsets<'a> {
    text: &'a str,
    /// Length in code points.
    len: usize,
    /// Byte offset of every `STRIDE`-th code point; empty for ASCII text.
    checkpoints: Vec<usize>,
}

impl<'a> CharOffsets<'a> {
    /// Code points between two checkpoints.
    pub const STRIDE: usize = 64;

    /// Indexes `text` (one pass; `len / STRIDE` offsets kept).
    pub fn new(text: &'a str) -> Self {
        if text.is_ascii() {
            return Self {
                text,
                len: text.len(),
                checkpoints: Vec::new(),
            };
        }
        let mut checkpoints = Vec::with_capacity(text.len() / Self::STRIDE + 1);
        let mut len = 0;
        for (i, (byte, _)) in text.char_indices().enumerate() {
            if i % Self::STRIDE == 0 {
                checkpoints.push(byte);
            }
            len = i + 1;
        }
        Self {
            text,
            len,
            checkpoints,
        }
    }

    /// The indexed text.
    pub fn text(&self) -> &'a str {
        self.text
    }

    /// Length of the text in code points.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the text is empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Byte offset of code point `at`, clamped to the end of the text.
    pub fn byte(&self, at: usize) -> usize {
        if at >= self.len {
            return self.text.len();
        }
        if self.checkpoints.is_empty() {
            return at;
        }
        let from = self.checkpoints[at / Self::STRIDE];
        self.text[from..]
            .char_indices()
            .nth(at % Self::STRIDE)
            .map_or(self.text.len(), |(byte, _)| from + byte)
    }

    /// `text[start:end]` with code point offsets, clamped like [`slice_chars`].
    pub fn slice(&self, start: usize, end: usize) -> &'a str {
        let byte_start = self.byte(start);
        let byte_end = self.byte(end.max(start));
        self.text.get(byte_start..byte_end).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slices_by_code_point_not_byte_or_utf16() {
        let text = "a😀b پاکستان c";
        assert_eq!(char_len(text), 13);
        assert_eq!(slice_chars(text, 1, 2), "😀");
        assert_eq!(slice_chars(text, 4, 11), "پاکستان");
        assert_eq!(slice_chars(text, 12, 13), "c");
        assert_eq!(slice_chars(text, 12, 99), "c");
        assert_eq!(slice_chars(text, 50, 60), "");
    }

    #[test]
    fn refuses_empty_and_out_of_range() {
        assert_eq!(
            CharSpan::new(3, 3, 10),
            Err(SpanError::Empty { start: 3, end: 3 })
        );
        assert!(matches!(
            CharSpan::new(5, 11, 10),
            Err(SpanError::OutOfRange { .. })
        ));
        let span = CharSpan::new(1, 2, 3).unwrap();
        assert_eq!(span.slice("x😀y"), "😀");
    }

    #[test]
    fn an_ordered_span_is_checked_against_its_text_later() {
        assert_eq!(
            CharSpan::ordered(9, 5),
            Err(SpanError::Empty { start: 9, end: 5 })
        );
        let span = CharSpan::ordered(5, 11).unwrap();
        assert_eq!((span.start(), span.end()), (5, 11));
        assert!(span.fits(11).is_ok());
        assert_eq!(
            span.fits(10),
            Err(SpanError::OutOfRange {
                start: 5,
                end: 11,
                len: 10
            })
        );
    }

    #[test]
    fn char_offsets_slice_as_slice_chars_does() {
        let long: String = "a😀b پاکستان c\n".repeat(40);
        for text in ["", "plain ascii text", "a😀b پاکستان c", long.as_str()] {
            let offsets = CharOffsets::new(text);
            let len = char_len(text);
            assert_eq!(offsets.len(), len);
            for start in (0..len + 3).step_by(7) {
                for end in [start, start + 1, start + 9, start + 130, len, len + 5] {
                    assert_eq!(
                        offsets.slice(start, end),
                        slice_chars(text, start, end),
                        "{start}..{end}"
                    );
                }
            }
        }
    }
}

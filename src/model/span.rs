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
        if end <= start {
            return Err(SpanError::Empty { start, end });
        }
        if end > text_len {
            return Err(SpanError::OutOfRange {
                start,
                end,
                len: text_len,
            });
        }
        Ok(Self { start, end })
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

/// A text indexed by code point, so that many spans of one text are cut in time linear in
/// the text plus the spans (`slice_chars` scans from the start each time: 100,000 spans of
/// one article took minutes). Keeps the byte offset of every 64th code point (an eighth of
/// a byte per code point), and walks at most 63 code points from there.
#[derive(Debug, Clone)]
pub struct CharIndex<'a> {
    text: &'a str,
    /// Byte offset of code points 0, 64, 128, ...
    checkpoints: Vec<usize>,
    len: usize,
}

/// Code points between two checkpoints of a [`CharIndex`].
const CHECKPOINT_EVERY: usize = 64;

impl<'a> CharIndex<'a> {
    /// Indexes `text` in one pass.
    pub fn new(text: &'a str) -> Self {
        let mut checkpoints = Vec::with_capacity(text.len() / CHECKPOINT_EVERY + 1);
        let mut len = 0;
        for (byte, _) in text.char_indices() {
            if len % CHECKPOINT_EVERY == 0 {
                checkpoints.push(byte);
            }
            len += 1;
        }
        Self {
            text,
            checkpoints,
            len,
        }
    }

    /// The indexed text.
    pub fn text(&self) -> &'a str {
        self.text
    }

    /// Length in code points.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the text is empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Byte offset of code point `index` (the text's length in bytes at or past its end).
    pub fn byte_offset(&self, index: usize) -> usize {
        if index >= self.len {
            return self.text.len();
        }
        let Some(&from) = self.checkpoints.get(index / CHECKPOINT_EVERY) else {
            return self.text.len();
        };
        let rest = self.text.get(from..).unwrap_or_default();
        rest.char_indices()
            .nth(index % CHECKPOINT_EVERY)
            .map_or(self.text.len(), |(byte, _)| from + byte)
    }

    /// `text[start:end]` in code points, clamped like [`slice_chars`].
    pub fn slice(&self, start: usize, end: usize) -> &'a str {
        if end <= start {
            return "";
        }
        let (from, to) = (self.byte_offset(start), self.byte_offset(end));
        self.text.get(from..to).unwrap_or_default()
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
}

#[cfg(test)]
mod char_index_tests {
    use super::*;

    #[test]
    fn char_index_cuts_like_slice_chars() {
        let text = "ab😀 北京 Gaza\n".repeat(40);
        let index = CharIndex::new(&text);
        let len = char_len(&text);
        assert_eq!(index.len(), len);
        for start in (0..len + 3).step_by(7) {
            for end in [
                start,
                start + 1,
                start + 63,
                start + 64,
                start + 65,
                len + 2,
            ] {
                assert_eq!(
                    index.slice(start, end),
                    slice_chars(&text, start, end),
                    "{start}..{end}"
                );
            }
        }
        assert_eq!(CharIndex::new("").slice(0, 1), "");
    }
}

//! Whether a text has anything a reader can see: a file or record of nothing but
//! whitespace and invisible characters (zero-width spaces, bidi controls, a byte order mark,
//! soft hyphens, lone combining marks) is refused like an empty one.

use icu_properties::props::{DefaultIgnorableCodePoint, GeneralCategory, GeneralCategoryGroup};
use icu_properties::{CodePointMapData, CodePointSetData};

use super::encoding::{decode_text, is_utf16};

/// How many distinct invisible code points a message names.
const NAMED_CODE_POINTS: usize = 3;

/// True for a character that shows nothing on its own: Unicode whitespace (`NBSP`,
/// `U+3000`), default-ignorable code points (`U+200B`, `U+202E`, `U+FEFF`, `U+00AD`, the
/// Hangul fillers, variation selectors), controls, format characters, combining marks
/// (nothing to combine with when they are all there is) and separators; also `U+2800`
/// BRAILLE PATTERN BLANK.
pub(crate) fn is_invisible(c: char) -> bool {
    if c.is_whitespace() || c.is_control() || c == '\u{2800}' {
        return true;
    }
    if CodePointSetData::new::<DefaultIgnorableCodePoint>().contains(c) {
        return true;
    }
    let category = CodePointMapData::<GeneralCategory>::new().get(c);
    [
        GeneralCategoryGroup::Mark,
        GeneralCategoryGroup::Format,
        GeneralCategoryGroup::Separator,
        GeneralCategoryGroup::Control,
        GeneralCategoryGroup::Surrogate,
    ]
    .iter()
    .any(|group| group.contains(category))
}

/// Collects what an invisible-only text holds, to say so.
#[derive(Default)]
struct Invisible {
    named: Vec<char>,
}

impl Invisible {
    /// Looks at one character; false when it is visible (the text is fine).
    fn take(&mut self, c: char) -> bool {
        if !is_invisible(c) {
            return false;
        }
        let plain_space = matches!(c, ' ' | '\t' | '\n' | '\r');
        if !plain_space && self.named.len() < NAMED_CODE_POINTS && !self.named.contains(&c) {
            self.named.push(c);
        }
        true
    }

    fn describe(&self) -> String {
        if self.named.is_empty() {
            return "only whitespace".to_owned();
        }
        let names: Vec<String> = self
            .named
            .iter()
            .map(|c| format!("U+{:04X}", u32::from(*c)))
            .collect();
        format!(
            "only whitespace and invisible characters ({})",
            names.join(", ")
        )
    }
}

/// `None` when `text` has a visible character; else what it holds instead ("only
/// whitespace and invisible characters (U+200B, U+00A0)"). Stops at the first visible
/// character.
pub(crate) fn invisible_only(text: &str) -> Option<String> {
    let mut invisible = Invisible::default();
    text.chars()
        .all(|c| invisible.take(c))
        .then(|| invisible.describe())
}

/// [`invisible_only`] for a whole file's bytes, decoded as the importers decode them. Any
/// printable ASCII byte is visible, so most files are decided on their first bytes; bytes
/// that are not UTF-8 count as visible (they decode to letters of a legacy encoding).
pub(crate) fn invisible_only_bytes(bytes: &[u8]) -> Option<String> {
    if bytes.iter().any(u8::is_ascii_graphic) {
        return None;
    }
    if is_utf16(bytes) {
        return invisible_only(&decode_text(bytes, None).0);
    }
    let mut invisible = Invisible::default();
    for chunk in bytes.utf8_chunks() {
        if !chunk.invalid().is_empty() || !chunk.valid().chars().all(|c| invisible.take(c)) {
            return None;
        }
    }
    Some(invisible.describe())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invisible_texts_are_named_and_visible_ones_pass() {
        for text in [
            "\u{200B}",
            "\u{A0}\u{A0}",
            "\u{3000}",
            "\u{202E}",
            "\u{FEFF}",
            "\u{AD}\u{AD}",
            "\u{301}\u{308}",
            "\u{3164}",
            "\u{2800}",
            "\u{2028}",
            " \u{200D}\n",
            "\u{E0041}",
            "\u{FE0F}",
        ] {
            assert!(invisible_only(text).is_some(), "{text:?}");
            assert!(invisible_only_bytes(text.as_bytes()).is_some(), "{text:?}");
        }
        assert_eq!(
            invisible_only(" \u{200B}\u{A0}\u{200B}\u{3000}\u{202E}\n").as_deref(),
            Some("only whitespace and invisible characters (U+200B, U+00A0, U+3000)")
        );
        assert_eq!(invisible_only(" \t").as_deref(), Some("only whitespace"));
        for text in ["a", "\u{200B}北", "e\u{301}", "٣", "🙂", "·", "\u{E000}"] {
            assert_eq!(invisible_only(text), None, "{text:?}");
            assert_eq!(invisible_only_bytes(text.as_bytes()), None, "{text:?}");
        }
        assert_eq!(invisible_only_bytes(b"\xA0\xA0"), None, "latin-1 bytes");
        let utf16: Vec<u8> = [0xFF, 0xFE, 0x0B, 0x20, 0x0B, 0x20].to_vec();
        assert!(invisible_only_bytes(&utf16).is_some());
    }
}

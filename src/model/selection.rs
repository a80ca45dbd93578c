//! Word boundaries for a selection: a sloppy drag in the reader becomes the whole words it
//! touches, in Latin and Arabic script alike.

use super::span::char_len;

/// Snaps `[start, end)` outwards to word boundaries in `text` (code points), and trims
/// surrounding whitespace, so a sloppy drag selects whole words.
pub fn snap_to_words(text: &str, start: usize, end: usize) -> (usize, usize) {
    let chars: Vec<char> = text.chars().collect();
    // Punctuation of Arabic script (comma, semicolon, question mark, full stop, decimal and
    // thousands separators) and quotation marks and dashes end a word like ASCII punctuation.
    let is_punctuation = |c: char| {
        matches!(
            c,
            '\u{060c}'
                | '\u{061b}'
                | '\u{061f}'
                | '\u{06d4}'
                | '\u{066b}'
                | '\u{066c}'
                | '\u{ab}'
                | '\u{bb}'
                | '\u{201c}'
                | '\u{201d}'
                | '\u{2018}'
                | '\u{2013}'
                | '\u{2014}'
                | '\u{2026}'
                | '\u{3001}'
                | '\u{3002}'
                | '\u{ff0c}'
        )
    };
    let is_word = |c: char| {
        !is_punctuation(c)
            && (c.is_alphanumeric()
                || c == '\''
                || c == '-'
                || c == '\u{200c}'
                || c == '\u{200d}'
                || !c.is_ascii() && !c.is_whitespace() && !c.is_ascii_punctuation())
    };
    let mut s = start.min(chars.len());
    let mut e = end.min(chars.len());
    while s < e && chars.get(s).is_some_and(|c| c.is_whitespace()) {
        s += 1;
    }
    while e > s && chars.get(e - 1).is_some_and(|c| c.is_whitespace()) {
        e -= 1;
    }
    if s == e {
        return (start, end);
    }
    while s > 0
        && chars.get(s - 1).copied().is_some_and(is_word)
        && chars.get(s).copied().is_some_and(is_word)
    {
        s -= 1;
    }
    while e < chars.len()
        && chars.get(e).copied().is_some_and(is_word)
        && chars.get(e - 1).copied().is_some_and(is_word)
    {
        e += 1;
    }
    // A possessive ending is not part of the name or the date ("Thursday's strikes").
    if e >= s + 3
        && chars.get(e - 1) == Some(&'s')
        && chars
            .get(e - 2)
            .is_some_and(|&c| c == '\'' || c == '\u{2019}')
    {
        e -= 2;
    }
    // Punctuation at the ends is rarely meant.
    while e > s + 1
        && chars.get(e - 1).is_some_and(|c| {
            matches!(
                c,
                '.' | ',' | ';' | ':' | '!' | '?' | '"' | ')' | '\u{201d}' | '\u{2019}'
            ) || is_punctuation(*c)
        })
    {
        e -= 1;
    }
    debug_assert!(e <= char_len(text));
    (s, e)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::slice_chars;

    #[test]
    fn snapping_grows_to_whole_words_and_drops_edges() {
        let text = "Iran said nine people were killed, including four children.";
        let start = text.find("ne peo").unwrap();
        let (s, e) = snap_to_words(text, start, start + 6);
        assert_eq!(slice_chars(text, s, e), "nine people");
        let start = text.find(" killed,").unwrap();
        let (s, e) = snap_to_words(text, start, start + 8);
        assert_eq!(slice_chars(text, s, e), "killed");
        let start = text.find("Iran said").unwrap();
        let possessive = "Iran's strikes";
        let (s, e) = snap_to_words(possessive, 1, 3);
        assert_eq!(slice_chars(possessive, s, e), "Iran");
        let _ = start;
        let arabic = "في يناير 2024، وفق";
        let start = arabic.find("2024").unwrap_or(0);
        let at = arabic[..start].chars().count();
        let (s, e) = snap_to_words(arabic, at, at + 1);
        assert_eq!(slice_chars(arabic, s, e), "2024");
        let urdu_stop = "ہلاک ہو گئے۔ اور";
        let (s, e) = snap_to_words(urdu_stop, 8, 10);
        assert_eq!(slice_chars(urdu_stop, s, e), "گئے");
        let urdu = "نو افراد ہلاک";
        let (s, e) = snap_to_words(urdu, 1, 4);
        assert_eq!(slice_chars(urdu, s, e), "نو افراد");
    }
}

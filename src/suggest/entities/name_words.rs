//! The words names are made of, from the shared tokens: letters and digits joined by hyphens,
//! apostrophes and dots, with the dot of "Gen." and "U.S." kept, a possessive "'s" and the
//! lower-case tail of "Iran-backed" left out, and whether punctuation or a stop comes before.

use crate::suggest::text::Token;
use crate::suggest::text::word_end;

/// One word of a name (or of the text between names) with its code point offsets and what
/// surrounds it.
#[derive(Debug)]
pub(super) struct NameWord<'a> {
    /// Position in the token list.
    pub(super) index: usize,
    /// The word without a possessive `'s`.
    pub(super) text: &'a str,
    pub(super) lower: String,
    pub(super) start: usize,
    pub(super) end: usize,
    /// Punctuation (or a line break) between this word and the previous one.
    pub(super) break_before: bool,
    /// First word of a sentence, a line or the text.
    pub(super) sentence_start: bool,
    pub(super) possessive: bool,
    pub(super) capitalised: bool,
    pub(super) all_caps: bool,
}

/// Characters that join letters and digits into one word of a name ("al-Julani", "O'Neill",
/// "U.S").
pub(super) const NAME_JOINERS: [char; 5] = ['-', '\'', '’', '.', '‐'];

/// The words of `text` as names are made of, from its `tokens`.
pub(super) fn name_words<'a>(text: &'a str, tokens: &[Token]) -> Vec<NameWord<'a>> {
    let mut words: Vec<NameWord<'a>> = Vec::new();
    let mut gap_break = true;
    let mut gap_sentence = true;
    let mut index = 0;
    while let Some(first) = tokens.get(index) {
        if first.line_break_before {
            gap_break = true;
            gap_sentence = true;
        }
        let first_char = first.text(text).chars().next();
        if !first_char.is_some_and(char::is_alphanumeric) {
            if matches!(first_char, Some('.' | '!' | '?' | '•')) {
                gap_sentence = true;
            }
            gap_break = true;
            index += 1;
            continue;
        }
        let group_end = word_end(text, tokens, index, &NAME_JOINERS, false);
        let Some(last) = group_end.checked_sub(1).and_then(|i| tokens.get(i)) else {
            break;
        };
        let start = first.char_start;
        let group = text
            .get(first.byte_start..last.byte_end)
            .unwrap_or_default();
        // Dotted abbreviations keep their last dot: "U.S." and "U.N.", "Gen." and "Dr.".
        let mut next_index = group_end;
        let mut byte_end = last.byte_end;
        let mut char_end = last.char_end;
        if let Some(dot) = tokens
            .get(group_end)
            .filter(|t| t.glued && t.text(text) == ".")
        {
            let dotted = last.char_end - start >= 3 && group.chars().rev().nth(1) == Some('.');
            let abbreviated = ABBREVIATED_TITLES.contains(&group.to_lowercase().as_str());
            if dotted || abbreviated {
                next_index = group_end + 1;
                byte_end = dot.byte_end;
                char_end = dot.char_end;
            }
        }
        // "Iran-backed", "Kabul-based": only the name before the hyphen is a word here.
        let mut compound_head = None;
        if let (Some(head_len), Some(tail)) = (group.find('-'), group.rsplit('-').next())
            && tail.chars().count() >= 3
            && tail.chars().all(char::is_lowercase)
            && first_char.is_some_and(char::is_uppercase)
        {
            compound_head = Some(head_len);
        }
        let mut word = text.get(first.byte_start..byte_end).unwrap_or_default();
        let mut possessive = false;
        if let Some(head_len) = compound_head {
            word = word.get(..head_len).unwrap_or(word);
            char_end = start + word.chars().count();
        }
        for suffix in ["'s", "’s", "'S"] {
            if word.len() > suffix.len() + 1
                && let Some(stripped) = word.strip_suffix(suffix)
            {
                word = stripped;
                possessive = true;
                char_end -= 2;
                break;
            }
        }
        let capitalised = word.chars().next().is_some_and(char::is_uppercase);
        let letters = word.chars().filter(|c| c.is_alphabetic()).count();
        let all_caps = letters >= 2 && word.chars().all(|c| !c.is_lowercase());
        words.push(NameWord {
            index: words.len(),
            text: word,
            lower: word.to_lowercase(),
            start,
            end: char_end,
            break_before: gap_break,
            sentence_start: gap_sentence,
            possessive,
            capitalised,
            all_caps,
        });
        gap_break = possessive || compound_head.is_some();
        gap_sentence = false;
        index = next_index;
    }
    words
}

/// Titles written with a full stop that does not end the sentence.
#[rustfmt::skip]
pub(super) const ABBREVIATED_TITLES: &[&str] = &[
    "mr", "mrs", "ms", "dr", "gen", "lt", "col", "maj", "capt", "brig", "sgt", "cpl", "adm",
    "cmdr", "sen", "rep", "gov", "prof", "rev", "st", "no",
];

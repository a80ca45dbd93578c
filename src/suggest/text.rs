//! The suggester's text layer: one tokenizer, the words its tokens make, one sentence splitter,
//! and the vocabulary of months, weekdays and number words (kept in `model::words`, which
//! publication-date parsing shares).
//!
//! Owns: cutting a text into tokens and sentences once, for the date, entity and casualty
//! finders alike. Must not: know any finder's rules or labels.

use std::ops::Range;

pub use crate::model::words::{
    MONTH_NAMES, NUMBER_WORDS, WEEKDAYS, is_calendar_name, month_of_abbreviation, month_of_name,
    number_of_word, weekday_of_name,
};

/// What a token (or a word) is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// Letters. A word may also hold digits, inner hyphens, apostrophes and dots ("9mm").
    Word,
    /// ASCII digits. A word may also hold thousands commas ("1,200").
    Number,
    /// One other character: ".", ",", "$", "٣".
    Punct,
}

/// One token: a run of letters, a run of ASCII digits, or one other character that is not
/// white space, with its code point and byte offsets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// First code point.
    pub char_start: usize,
    /// One past the last code point.
    pub char_end: usize,
    /// First byte.
    pub byte_start: usize,
    /// One past the last byte.
    pub byte_end: usize,
    /// Letters, digits or one other character.
    pub kind: TokenKind,
    /// No white space between this token and the one before.
    pub glued: bool,
    /// A line break (`\n` or `\r`) in the white space before this token.
    pub line_break_before: bool,
}

impl Token {
    /// The token's text in `text`, the text it was cut from.
    pub fn text<'t>(&self, text: &'t str) -> &'t str {
        text.get(self.byte_start..self.byte_end).unwrap_or_default()
    }

    /// The first character of the token in `text`.
    fn first_char(&self, text: &str) -> Option<char> {
        self.text(text).chars().next()
    }

    /// Whether the token is letters starting with a capital, in `text`.
    pub fn is_capitalised_word(&self, text: &str) -> bool {
        self.kind == TokenKind::Word && self.first_char(text).is_some_and(char::is_uppercase)
    }
}

/// Every token of `text`, in order.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens: Vec<Token> = Vec::with_capacity(text.len() / 4);
    let mut chars = text.char_indices().enumerate().peekable();
    let mut space = true;
    let mut line_break = false;
    while let Some((char_at, (byte_at, c))) = chars.next() {
        if c.is_whitespace() {
            space = true;
            line_break |= c == '\n' || c == '\r';
            continue;
        }
        let kind = if c.is_ascii_digit() {
            TokenKind::Number
        } else if c.is_alphabetic() {
            TokenKind::Word
        } else {
            TokenKind::Punct
        };
        let mut end = char_at + 1;
        let mut byte_end = byte_at + c.len_utf8();
        if kind != TokenKind::Punct {
            while let Some(&(next_at, (next_byte, next))) = chars.peek() {
                let same = match kind {
                    TokenKind::Number => next.is_ascii_digit(),
                    _ => next.is_alphabetic(),
                };
                if !same {
                    break;
                }
                end = next_at + 1;
                byte_end = next_byte + next.len_utf8();
                chars.next();
            }
        }
        tokens.push(Token {
            char_start: char_at,
            char_end: end,
            byte_start: byte_at,
            byte_end,
            kind,
            glued: !space,
            line_break_before: line_break,
        });
        space = false;
        line_break = false;
    }
    tokens
}

// ---------------------------------------------------------------------------------------------
// Words.

/// Characters that join the letters and digits on both sides into one word.
pub const WORD_JOINERS: [char; 4] = ['-', '\'', '’', '.'];

/// One word: glued tokens of letters and digits, with the hyphens, apostrophes and dots
/// between them ("twenty-one", "U.S", "o'clock") and thousands commas ("1,200"); or one
/// other character.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word<'a> {
    /// The word as written.
    pub text: &'a str,
    /// Lower case, with `’` written `'`.
    pub lower: String,
    /// A word, a number (digits and thousands commas only) or one other character.
    pub kind: TokenKind,
    /// First code point.
    pub char_start: usize,
    /// One past the last code point.
    pub char_end: usize,
    /// The tokens the word is made of.
    pub tokens: Range<usize>,
}

impl Word<'_> {
    /// Whether the word is `word` (lower case).
    pub fn is(&self, word: &str) -> bool {
        self.lower == word
    }

    /// Whether the word is the punctuation mark `mark`.
    pub fn is_punct(&self, mark: char) -> bool {
        self.kind == TokenKind::Punct && self.text.starts_with(mark)
    }

    /// Whether the word starts with a capital letter.
    pub fn capitalized(&self) -> bool {
        self.text.chars().next().is_some_and(char::is_uppercase)
    }
}

/// One past the last token of the word that starts at token `start`: glued letters and
/// digits, with a `joiners` character between two of them, and (with `thousands`) a comma
/// before three digits ("1,200", not "1,2000"). A token that is not a letter or a digit is
/// a word of its own.
pub fn word_end(
    text: &str,
    tokens: &[Token],
    start: usize,
    joiners: &[char],
    thousands: bool,
) -> usize {
    let is_alphanumeric = |index: usize| {
        tokens
            .get(index)
            .and_then(|t| t.first_char(text))
            .is_some_and(char::is_alphanumeric)
    };
    let glued = |index: usize| tokens.get(index).is_some_and(|t| t.glued);
    if !is_alphanumeric(start) {
        return start + 1;
    }
    let mut end = start + 1;
    while glued(end) {
        if is_alphanumeric(end) {
            end += 1;
            continue;
        }
        let Some(mark) = tokens.get(end).and_then(|t| t.first_char(text)) else {
            break;
        };
        let joins = if joiners.contains(&mark) {
            glued(end + 1) && is_alphanumeric(end + 1)
        } else if mark == ',' && thousands {
            thousands_comma(text, tokens, end)
        } else {
            false
        };
        if !joins {
            break;
        }
        end += 1;
    }
    end
}

/// Whether the comma token at `comma` joins the digits before it to the digits after it:
/// the code point four after the comma is not a digit.
fn thousands_comma(text: &str, tokens: &[Token], comma: usize) -> bool {
    let digits_before = comma
        .checked_sub(1)
        .and_then(|index| tokens.get(index))
        .is_some_and(|t| t.kind == TokenKind::Number);
    let Some(after) = tokens
        .get(comma + 1)
        .filter(|t| t.glued && t.kind == TokenKind::Number)
    else {
        return false;
    };
    let digits_after = after.char_end - after.char_start;
    if !digits_before || digits_after >= 4 {
        return false;
    }
    text.get(after.byte_end..)
        .and_then(|rest| rest.chars().nth(3 - digits_after))
        .is_none_or(|c| !c.is_ascii_digit())
}

/// Every word of `text`, in order, from its `tokens`.
pub fn words<'a>(text: &'a str, tokens: &[Token]) -> Vec<Word<'a>> {
    let mut words = Vec::with_capacity(tokens.len());
    let mut start = 0;
    while let Some(first) = tokens.get(start) {
        let end = word_end(text, tokens, start, &WORD_JOINERS, true);
        let Some(last) = tokens.get(end - 1) else {
            break;
        };
        let Some(slice) = text.get(first.byte_start..last.byte_end) else {
            break;
        };
        let kind = if !slice.chars().next().is_some_and(char::is_alphanumeric) {
            TokenKind::Punct
        } else if slice.chars().all(|c| c.is_ascii_digit() || c == ',') {
            TokenKind::Number
        } else {
            TokenKind::Word
        };
        words.push(Word {
            text: slice,
            lower: slice.to_lowercase().replace('’', "'"),
            kind,
            char_start: first.char_start,
            char_end: last.char_end,
            tokens: start..end,
        });
        start = end;
    }
    words
}

// ---------------------------------------------------------------------------------------------
// Sentences.

/// Words after which a full stop does not end a sentence ("Gen. Smith", "10 a.m. Friday").
pub const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "st", "jr", "sr", "gov", "sgt", "lt", "capt", "det", "col", "gen",
    "no", "ave", "rep", "sen", "a.m", "p.m", "u.s", "inc", "co", "vs", "ft", "mt", "rev", "cpl",
    "ofc", "dep",
];

/// One sentence: a range of words and the code points from its first to its last word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    /// The words of the sentence.
    pub words: Range<usize>,
    /// The tokens of the sentence.
    pub tokens: Range<usize>,
    /// First code point of the first word to one past the last code point of the last.
    pub chars: Range<usize>,
}

/// The sentences of a text from its `words`: a sentence ends after `.`, `!` or `?` followed
/// by a capitalised word, a number, punctuation or the end of the text, except a full stop
/// after an abbreviation ("Gen.") or an initial ("M."); a line break ends one too.
pub fn sentences(words: &[Word<'_>], tokens: &[Token]) -> Vec<Sentence> {
    let mut ranges = Vec::new();
    let mut start = 0;
    for (index, word) in words.iter().enumerate() {
        let line_break = index > start
            && tokens
                .get(word.tokens.start)
                .is_some_and(|t| t.line_break_before);
        if line_break {
            ranges.push(start..index);
            start = index;
        }
        if ends_sentence(words, index) {
            ranges.push(start..index + 1);
            start = index + 1;
        }
    }
    if start < words.len() {
        ranges.push(start..words.len());
    }
    ranges
        .into_iter()
        .filter_map(|range| {
            let first = words.get(range.start)?;
            let last = words.get(range.end.checked_sub(1)?)?;
            Some(Sentence {
                chars: first.char_start..last.char_end,
                tokens: first.tokens.start..last.tokens.end,
                words: range,
            })
        })
        .collect()
}

/// Whether the word at `index` is a stop that ends its sentence.
fn ends_sentence(words: &[Word<'_>], index: usize) -> bool {
    let Some(word) = words.get(index) else {
        return false;
    };
    let stop = word.kind == TokenKind::Punct && matches!(word.text, "." | "!" | "?");
    let next_opens = words
        .get(index + 1)
        .is_none_or(|next| next.capitalized() || next.kind != TokenKind::Word || next.is("\""));
    let abbreviation = word.is_punct('.')
        && index > 0
        && words.get(index - 1).is_some_and(|previous| {
            ABBREVIATIONS.contains(&previous.lower.as_str())
                || (previous.text.chars().count() == 1 && previous.capitalized())
        });
    stop && next_opens && !abbreviation
}

/// A text cut once for every finder: its tokens, words and sentences.
#[derive(Debug, Clone)]
pub struct Tokenized<'a> {
    /// The text the offsets point into.
    pub text: &'a str,
    /// Every token, in order.
    pub tokens: Vec<Token>,
    /// Every word, in order.
    pub words: Vec<Word<'a>>,
    /// Every sentence, in order.
    pub sentences: Vec<Sentence>,
}

impl<'a> Tokenized<'a> {
    /// Cuts `text` into tokens, words and sentences.
    pub fn new(text: &'a str) -> Self {
        let tokens = tokenize(text);
        let words = words(text, &tokens);
        let sentences = sentences(&words, &tokens);
        Self {
            text,
            tokens,
            words,
            sentences,
        }
    }

    /// The index of the sentence a code point belongs to (the next one when it is between
    /// two sentences).
    pub fn containing_sentence(&self, char_at: usize) -> usize {
        self.sentences
            .partition_point(|sentence| sentence.chars.end <= char_at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts_of_sentences(text: &str) -> Vec<String> {
        let tokenized = Tokenized::new(text);
        tokenized
            .sentences
            .iter()
            .map(|s| {
                text.chars()
                    .skip(s.chars.start)
                    .take(s.chars.end - s.chars.start)
                    .collect()
            })
            .collect()
    }

    #[test]
    fn splits_sentences_at_stops_and_line_breaks() {
        let text = "Nine died. Two were hurt!\nNo comment";
        assert_eq!(
            texts_of_sentences(text),
            ["Nine died.", "Two were hurt!", "No comment"]
        );
    }

    #[test]
    fn abbreviations_and_initials_do_not_end_a_sentence() {
        let text = "Gen. Smith said Ethan M. Straub died at 10 a.m. Friday. Two were hurt.";
        assert_eq!(
            texts_of_sentences(text),
            [
                "Gen. Smith said Ethan M. Straub died at 10 a.m. Friday.",
                "Two were hurt."
            ]
        );
    }

    #[test]
    fn tokens_keep_code_point_and_byte_offsets() {
        let text = "🇮🇷 Published18 Jan.";
        let tokens = tokenize(text);
        let texts: Vec<&str> = tokens.iter().map(|t| t.text(text)).collect();
        assert_eq!(texts, ["🇮", "🇷", "Published", "18", "Jan", "."]);
        assert_eq!(tokens[2].char_start, 3);
        assert!(tokens[3].glued && !tokens[2].glued);
    }

    #[test]
    fn words_join_hyphens_dots_and_thousands() {
        let text = "twenty-one U.S. 1,200 1,2000 killed.The 9mm";
        let tokens = tokenize(text);
        let words: Vec<&str> = words(text, &tokens).iter().map(|w| w.text).collect();
        assert_eq!(
            words,
            [
                "twenty-one",
                "U.S",
                ".",
                "1,200",
                "1",
                ",",
                "2000",
                "killed.The",
                "9mm"
            ]
        );
    }
}

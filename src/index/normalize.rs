//! The word tokenizer of the text fields: the same word in any Unicode spelling is one term.
//!
//! `café` typed composed (NFC) and stored decomposed (NFD, `e` + U+0301) are one word; so
//! are a word with a soft hyphen (U+00AD) or another default-ignorable character inside it
//! and the word without, and compatibility forms (`ﬁ`, full-width letters) and their plain
//! letters. Only the terms are normalised (NFKC, ignorables removed): token offsets stay
//! byte offsets into the stored text, which anchors annotations and highlights.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};
use unicode_normalization::UnicodeNormalization as _;
use unicode_normalization::char::is_combining_mark;

/// Splits at what is neither a letter or digit, a combining mark, nor a default-ignorable
/// character (those three continue a word), and normalises each word.
#[derive(Clone, Default)]
pub(super) struct NormalizingTokenizer {
    token: Token,
}

/// The words of one text.
pub(super) struct NormalizingTokenStream<'a> {
    text: &'a str,
    chars: std::iter::Peekable<std::str::CharIndices<'a>>,
    token: &'a mut Token,
}

impl Tokenizer for NormalizingTokenizer {
    type TokenStream<'a> = NormalizingTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> NormalizingTokenStream<'a> {
        self.token.reset();
        NormalizingTokenStream {
            text,
            chars: text.char_indices().peekable(),
            token: &mut self.token,
        }
    }
}

/// Characters Unicode says to ignore when they are not supported (Default_Ignorable_Code_Point):
/// soft hyphen, joiners, bidi controls, variation selectors, the BOM. A zero-width space is
/// one too, but it separates words in scripts written without spaces, so it stays a break.
pub(crate) fn is_ignorable(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}'..='\u{1160}' | '\u{17B4}'..='\u{17B5}'
        | '\u{180B}'..='\u{180F}' | '\u{200C}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}'
        | '\u{FFA0}' | '\u{1BCA0}'..='\u{1BCA3}' | '\u{1D173}'..='\u{1D17A}'
        | '\u{E0000}'..='\u{E0FFF}')
}

/// Whether `c` continues a word begun by a letter or digit.
fn continues_word(c: char) -> bool {
    c.is_alphanumeric() || is_combining_mark(c) || is_ignorable(c)
}

/// Whether a text holds anything this tokenizer reads differently from its bytes (so a
/// byte search for a word may miss where the tokenizer finds it).
pub(super) fn has_variant_spellings(text: &str) -> bool {
    !text.is_ascii()
        && text.chars().any(|c| {
            is_combining_mark(c)
                || is_ignorable(c)
                || (!c.is_ascii()
                    && unicode_normalization::is_nfkc_quick(std::iter::once(c))
                        != unicode_normalization::IsNormalized::Yes)
        })
}

impl TokenStream for NormalizingTokenStream<'_> {
    fn advance(&mut self) -> bool {
        self.token.text.clear();
        self.token.position = self.token.position.wrapping_add(1);
        while let Some((offset_from, c)) = self.chars.next() {
            if !c.is_alphanumeric() {
                continue;
            }
            let mut offset_to = offset_from + c.len_utf8();
            while let Some(&(at, next)) = self.chars.peek() {
                if !continues_word(next) {
                    break;
                }
                offset_to = at + next.len_utf8();
                self.chars.next();
            }
            let word = self.text.get(offset_from..offset_to).unwrap_or_default();
            self.token.offset_from = offset_from;
            self.token.offset_to = offset_to;
            if word.is_ascii() {
                self.token.text.push_str(word);
            } else {
                self.token
                    .text
                    .extend(word.chars().filter(|&c| !is_ignorable(c)).nfkc());
            }
            return true;
        }
        false
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<(String, usize, usize)> {
        let mut tokenizer = NormalizingTokenizer::default();
        let mut stream = tokenizer.token_stream(text);
        let mut out = Vec::new();
        while let Some(token) = stream.next() {
            out.push((token.text.clone(), token.offset_from, token.offset_to));
        }
        out
    }

    #[test]
    fn spellings_of_one_word_are_one_term_and_offsets_point_into_the_text() {
        let nfd = "Cafe\u{301} in Kyiv";
        assert_eq!(
            words(nfd),
            [
                ("Café".to_owned(), 0, 6),
                ("in".to_owned(), 7, 9),
                ("Kyiv".to_owned(), 10, 14)
            ]
        );
        assert_eq!(words("Café")[0].0, "Café");
        let soft = "Bala\u{AD}kliia";
        assert_eq!(words(soft), [("Balakliia".to_owned(), 0, soft.len())]);
        assert_eq!(words("\u{FB01}re")[0].0, "fire");
        // Persian: the zero-width non-joiner inside a word is ignored, a zero-width space
        // still separates.
        assert_eq!(words("می\u{200C}خواهم")[0].0, "میخواهم");
        assert_eq!(words("a\u{200B}b").len(), 2);
        assert!(has_variant_spellings(nfd) && has_variant_spellings(soft));
        assert!(!has_variant_spellings("Café “quoted”") && !has_variant_spellings("plain"));
    }
}

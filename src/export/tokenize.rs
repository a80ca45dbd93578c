//! Tokens and sentences of an article's text for the CoNLL export, as code point ranges.
//! A token never contains whitespace, so a token line can never break the column format.

/// One token: `[start, end)` in code points of the article text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Token {
    pub(super) start: usize,
    pub(super) end: usize,
}

/// Sentences of tokens. Text that came from a CoNLL file (tokens joined by single spaces, one
/// sentence per line) is split back exactly: lines are sentences, whitespace-separated pieces
/// are tokens. Other text goes through [`word_sentences`].
pub(super) fn sentences(chars: &[char], from_conll: bool) -> Vec<Vec<Token>> {
    if from_conll {
        line_sentences(chars)
    } else {
        word_sentences(chars)
    }
}

/// Lines are sentences, maximal runs of non-whitespace are tokens.
fn line_sentences(chars: &[char]) -> Vec<Vec<Token>> {
    let mut sentences = Vec::new();
    let mut current = Vec::new();
    let mut token_start = None;
    for (index, &c) in chars.iter().enumerate() {
        if !c.is_whitespace() {
            token_start.get_or_insert(index);
            continue;
        }
        if let Some(start) = token_start.take() {
            current.push(Token { start, end: index });
        }
        if c == '\n' && !current.is_empty() {
            sentences.push(std::mem::take(&mut current));
        }
    }
    if let Some(start) = token_start {
        current.push(Token {
            start,
            end: chars.len(),
        });
    }
    if !current.is_empty() {
        sentences.push(current);
    }
    sentences
}

/// Words and symbols. A word is a maximal run of letters, digits and combining marks, keeping
/// `'`, `’`, `-`, `‐`, `‑` and the joiners ZWNJ/ZWJ between two word characters
/// (`Anwaar-ul-Haq`, `Iran’s`, Persian `می‌خواهم`) and `.` or `,` between two digits
/// (`1,000`, `2.5`). Han and kana characters are one token each (those scripts are written
/// without spaces). Any other visible character is a token of its own, with what extends it
/// (combining marks, variation selectors, skin tones, ZWJ sequences, flag pairs), so an emoji
/// such as 👨‍👩‍👧 stays one token. Invisible format characters (bidi marks, zero-width space)
/// separate tokens like spaces do.
///
/// A sentence ends at a newline, after a token `.`, `!`, `?`, `…`, `۔` or `؟` (and any closing
/// quotes or brackets right after it) that is followed by whitespace or the end of the text,
/// and right after `。`, `！` or `？`.
fn word_sentences(chars: &[char]) -> Vec<Vec<Token>> {
    let mut sentences = Vec::new();
    let mut current: Vec<Token> = Vec::new();
    let mut ending = false;
    let mut index = 0;
    while let Some(&c) = chars.get(index) {
        if c == '\n' || (ending && c.is_whitespace()) {
            close(&mut sentences, &mut current);
            ending = false;
        }
        if c.is_whitespace() || is_invisible(c) {
            ending &= !c.is_whitespace();
            index += 1;
            continue;
        }
        let end = token_end(chars, index).max(index + 1);
        current.push(Token { start: index, end });
        let single = if end == index + 1 { Some(c) } else { None };
        match single {
            Some('。' | '！' | '？') => {
                close(&mut sentences, &mut current);
                ending = false;
            }
            Some('.' | '!' | '?' | '…' | '۔' | '؟') => ending = true,
            Some('"' | '\'' | '”' | '’' | '»' | ')' | ']' | '}') => {}
            _ => ending = false,
        }
        index = end;
    }
    close(&mut sentences, &mut current);
    sentences
}

fn close(sentences: &mut Vec<Vec<Token>>, current: &mut Vec<Token>) {
    if !current.is_empty() {
        sentences.push(std::mem::take(current));
    }
}

/// One past the last code point of the token starting at `start`.
fn token_end(chars: &[char], start: usize) -> usize {
    let Some(&first) = chars.get(start) else {
        return start;
    };
    if is_word(first) && !is_cjk(first) {
        word_end(chars, start)
    } else {
        symbol_end(chars, start)
    }
}

fn word_end(chars: &[char], start: usize) -> usize {
    let at = |index: usize| chars.get(index).copied();
    let mut end = start + 1;
    while let Some(c) = at(end) {
        let next_is_word = at(end + 1).is_some_and(|n| is_word(n) && !is_cjk(n));
        let between_digits =
            at(end - 1).is_some_and(char::is_numeric) && at(end + 1).is_some_and(char::is_numeric);
        if (is_word(c) && !is_cjk(c)) || is_extender(c) {
            end += 1;
        } else if (is_inner_punctuation(c) && next_is_word)
            || (matches!(c, '.' | ',') && between_digits)
        {
            end += 2;
        } else {
            break;
        }
    }
    end
}

fn symbol_end(chars: &[char], start: usize) -> usize {
    let at = |index: usize| chars.get(index).copied();
    let mut end = start + 1;
    if at(start).is_some_and(is_regional_indicator) && at(end).is_some_and(is_regional_indicator) {
        end += 1;
    }
    while let Some(c) = at(end) {
        let joins_symbol = c == '\u{200d}'
            && at(end + 1).is_some_and(|n| !n.is_whitespace() && !is_word(n) && !is_invisible(n));
        if is_extender(c) {
            end += 1;
        } else if joins_symbol {
            end += 2;
        } else {
            break;
        }
    }
    end
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || is_mark(c)
}

/// Kept inside a word when a word character follows.
fn is_inner_punctuation(c: char) -> bool {
    matches!(
        c,
        '\'' | '\u{2019}' | '-' | '\u{2010}' | '\u{2011}' | '\u{200c}' | '\u{200d}' | '\u{ad}'
    )
}

/// Scripts written without spaces between words: one token per character.
fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30ff}'
        | '\u{31f0}'..='\u{31ff}'
        | '\u{3400}'..='\u{4dbf}'
        | '\u{4e00}'..='\u{9fff}'
        | '\u{f900}'..='\u{faff}'
        | '\u{20000}'..='\u{2fa1f}')
}

/// Combining marks of the common blocks (Rust's `is_alphabetic` already covers most marks of
/// Arabic and Indic scripts).
fn is_mark(c: char) -> bool {
    matches!(c,
        '\u{300}'..='\u{36f}'
        | '\u{483}'..='\u{489}'
        | '\u{591}'..='\u{5bd}'
        | '\u{610}'..='\u{61a}'
        | '\u{64b}'..='\u{65f}'
        | '\u{670}'
        | '\u{6d6}'..='\u{6dc}'
        | '\u{6df}'..='\u{6e4}'
        | '\u{6e7}'..='\u{6e8}'
        | '\u{6ea}'..='\u{6ed}'
        | '\u{1ab0}'..='\u{1aff}'
        | '\u{1dc0}'..='\u{1dff}'
        | '\u{20d0}'..='\u{20ff}'
        | '\u{fe20}'..='\u{fe2f}')
}

/// Continues the character before it: marks, variation selectors, emoji skin tones and tags.
fn is_extender(c: char) -> bool {
    is_mark(c)
        || matches!(c,
            '\u{fe00}'..='\u{fe0f}'
            | '\u{1f3fb}'..='\u{1f3ff}'
            | '\u{e0020}'..='\u{e007f}'
            | '\u{e0100}'..='\u{e01ef}')
}

fn is_regional_indicator(c: char) -> bool {
    matches!(c, '\u{1f1e6}'..='\u{1f1ff}')
}

/// Format and control characters that show nothing: they separate tokens and are dropped.
fn is_invisible(c: char) -> bool {
    (c.is_control() && !c.is_whitespace())
        || matches!(c,
            '\u{200b}'..='\u{200f}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{61c}'
            | '\u{feff}'
            | '\u{ad}')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str, from_conll: bool) -> Vec<Vec<String>> {
        let chars: Vec<char> = text.chars().collect();
        sentences(&chars, from_conll)
            .iter()
            .map(|s| {
                s.iter()
                    .map(|t| chars[t.start..t.end].iter().collect())
                    .collect()
            })
            .collect()
    }

    #[test]
    fn keeps_names_numbers_and_emoji_whole() {
        assert_eq!(
            words(
                "PM Anwaar-ul-Haq Kakar's team: 1,000 (2.5%) 👨‍👩‍👧 🇵🇰 fled.",
                false
            ),
            vec![vec![
                "PM",
                "Anwaar-ul-Haq",
                "Kakar's",
                "team",
                ":",
                "1,000",
                "(",
                "2.5",
                "%",
                ")",
                "👨‍👩‍👧",
                "🇵🇰",
                "fled",
                "."
            ]]
        );
    }

    #[test]
    fn splits_sentences_at_terminal_punctuation_and_newlines() {
        assert_eq!(
            words("Nine died. \"Two fled.\" Who?\nA line\n\nThe end", false),
            vec![
                vec!["Nine", "died", "."],
                vec!["\"", "Two", "fled", ".", "\""],
                vec!["Who", "?"],
                vec!["A", "line"],
                vec!["The", "end"],
            ]
        );
        assert_eq!(words("Mr.Smith", false), vec![vec!["Mr", ".", "Smith"]]);
    }

    #[test]
    fn handles_urdu_persian_and_cjk() {
        assert_eq!(
            words("بلوچستان میں حملہ۔ دو ہلاک", false),
            vec![vec!["بلوچستان", "میں", "حملہ", "۔"], vec!["دو", "ہلاک"]]
        );
        assert_eq!(
            words("می\u{200c}خواهم", false),
            vec![vec!["می\u{200c}خواهم"]]
        );
        assert_eq!(
            words("边境村庄遭袭。两人死亡", false),
            vec![
                vec!["边", "境", "村", "庄", "遭", "袭", "。"],
                vec!["两", "人", "死", "亡"]
            ]
        );
        assert_eq!(words("a\u{200f} b", false), vec![vec!["a", "b"]]);
    }

    #[test]
    fn conll_origin_splits_on_whitespace_and_lines_only() {
        assert_eq!(
            words(
                "@paulwalk It 's the view .\nEmpire State Building = ESB .\n",
                true
            ),
            vec![
                vec!["@paulwalk", "It", "'s", "the", "view", "."],
                vec!["Empire", "State", "Building", "=", "ESB", "."],
            ]
        );
        assert_eq!(words("a  b\n\n\nc", true), vec![vec!["a", "b"], vec!["c"]]);
    }

    #[test]
    fn tokens_never_hold_whitespace() {
        let text = "a\u{2028}b\u{a0}c\u{3000}d\te \u{85}f 👨\u{200d} g";
        let chars: Vec<char> = text.chars().collect();
        for from_conll in [false, true] {
            for sentence in sentences(&chars, from_conll) {
                for token in sentence {
                    assert!(token.end > token.start);
                    assert!(
                        chars[token.start..token.end]
                            .iter()
                            .all(|c| !c.is_whitespace())
                    );
                }
            }
        }
    }
}

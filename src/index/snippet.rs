//! Snippets with highlights in code point offsets, for the CLI, JSON output and the GUI.

use tantivy::query::Query;
use tantivy::schema::Field;
use tantivy::tokenizer::TextAnalyzer;

use super::Result;
use crate::model::HighlightedSnippet;

/// Finds the words of one page's query in texts, with the analyzer the field is indexed with,
/// so a highlight is exactly what the index matched. Made once per page.
///
/// tantivy's `SnippetGenerator` lowercases a fresh copy of every token, looks it up in a
/// tree of scored terms and copies the fragment; with a fragment as long as the text (to pick
/// the window below) that was half of a search's time. Here the analyzer's tokens (already
/// lowercase) are compared in place with the few words of the query.
pub(super) struct Highlighter {
    analyzer: TextAnalyzer,
    terms: Vec<String>,
}

/// The highlighter of one page of hits.
pub(super) fn highlighter(
    index: &tantivy::Index,
    query: &dyn Query,
    field: Field,
) -> Result<Highlighter> {
    let mut terms: Vec<String> = Vec::new();
    query.query_terms(&mut |term, _| {
        if term.field() == field
            && let Some(word) = term.value().as_str()
            && !terms.iter().any(|t| t == word)
        {
            terms.push(word.to_owned());
        }
    });
    Ok(Highlighter {
        analyzer: index.tokenizer_for_field(field)?,
        terms,
    })
}

impl Highlighter {
    /// Byte ranges of the query's words in `text`, in order, from the first match to
    /// `reach` bytes after it: tokenising a long article to its end was most of a search's
    /// time, and the window is chosen near the first match anyway.
    fn matches(&mut self, text: &str, reach: usize) -> Vec<(usize, usize)> {
        let mut found: Vec<(usize, usize)> = Vec::new();
        if self.terms.is_empty() {
            return found;
        }
        // Tokenising starts at the word where a query word first occurs as bytes.
        let from = self.first_occurrence(text);
        let Some(tail) = text.get(from..) else {
            return found;
        };
        let mut stream = self.analyzer.token_stream(tail);
        while let Some(token) = stream.next() {
            let (start, end) = (from + token.offset_from, from + token.offset_to);
            if found
                .first()
                .is_some_and(|&(first, _)| start > first.saturating_add(reach))
            {
                break;
            }
            if self.terms.contains(&token.text) {
                found.push((start, end));
            }
        }
        found
    }

    /// Byte offset of the start of the word holding the first occurrence of a query word
    /// (ASCII case folded, which keeps byte offsets), or 0 where that cannot be told: a
    /// word outside ASCII, or none found as bytes (the analyzer's lowercasing of other
    /// scripts may still match). Every match the analyzer makes lies at or after it.
    fn first_occurrence(&self, text: &str) -> usize {
        // A word spelt with a soft hyphen or decomposed letters matches without matching
        // as bytes: tokenise such a text from its start.
        if !self.terms.iter().all(|t| t.is_ascii()) || super::normalize::has_variant_spellings(text)
        {
            return 0;
        }
        let folded = text.to_ascii_lowercase();
        let Some(at) = self
            .terms
            .iter()
            .filter_map(|t| folded.find(t.as_str()))
            .min()
        else {
            return 0;
        };
        // Back to the start of the word (the tokenizer splits at what is not alphanumeric).
        text.get(..at).map_or(0, |head| {
            head.char_indices()
                .rev()
                .find(|&(_, c)| !c.is_alphanumeric())
                .map_or(0, |(i, c)| i + c.len_utf8())
        })
    }
}

/// How far past the first match (in snippet lengths of one-byte characters) matches are
/// looked for: the window is the densest run of them, so a phrase a little further on wins
/// over a lone word of it.
const REACH_IN_SNIPPETS: usize = 3;

pub(super) fn make(
    highlighter: &mut Highlighter,
    text: &str,
    max_chars: usize,
) -> Result<HighlightedSnippet> {
    // Counted in bytes: three snippet lengths of Latin text, one of CJK.
    let matches = highlighter.matches(text, REACH_IN_SNIPPETS * max_chars);
    if matches.is_empty() {
        // The match was in the title or an annotation: show the opening instead.
        let opening: String = text
            .split_whitespace()
            .scan(0usize, |len, word| {
                *len += word.chars().count() + 1;
                (*len <= max_chars).then_some(word)
            })
            .collect::<Vec<_>>()
            .join(" ");
        return Ok(HighlightedSnippet {
            text: opening,
            highlights: Vec::new(),
        });
    }
    // Cut a window of `max_chars` around the densest run of matches, with context before.
    // Words of a phrase come out as separate matches separated by spaces: such neighbours
    // weigh more, so a phrase query shows the phrase, not a lone word of it.
    let adjacent: Vec<bool> = matches
        .windows(2)
        .map(|pair| {
            let &[(_, end), (start, _)] = pair else {
                return false;
            };
            text.get(end..start)
                .is_some_and(|gap| gap.chars().all(char::is_whitespace))
        })
        .collect();
    let context_before = max_chars / 4;
    let visible_after = max_chars - context_before;
    let best = matches
        .iter()
        .enumerate()
        .max_by_key(|&(i, &(start, _))| {
            let visible_end = byte_after(text, start, visible_after);
            let covered = matches
                .get(i..)
                .unwrap_or_default()
                .iter()
                .take_while(|&&(_, e)| e <= visible_end)
                .count();
            let phrases = adjacent
                .get(i..(i + covered).saturating_sub(1))
                .unwrap_or_default()
                .iter()
                .filter(|&&a| a)
                .count();
            (covered + 2 * phrases, std::cmp::Reverse(i))
        })
        .map(|(_, &m)| m);
    let Some((first_start, _)) = best else {
        return Ok(HighlightedSnippet::default());
    };
    let window_start = word_start_before(text, first_start, context_before);
    let window_end = word_end_after(text, window_start, max_chars);
    let window = text.get(window_start..window_end).unwrap_or_default();
    let to_chars = |byte: usize| {
        text.get(window_start..byte.clamp(window_start, window_end))
            .map_or(0, |s| s.chars().count())
    };
    let mut highlights: Vec<(usize, usize)> = Vec::new();
    for &(start, end) in matches
        .iter()
        .filter(|&&(s, e)| s >= window_start && e <= window_end)
    {
        let (start, end) = (to_chars(start), to_chars(end));
        if let Some(last) = highlights.last_mut() {
            let gap = crate::model::slice_chars(window, last.1, start);
            if gap.chars().all(char::is_whitespace) && start >= last.1 {
                last.1 = end;
                continue;
            }
        }
        highlights.push((start, end));
    }
    Ok(HighlightedSnippet {
        text: window.to_owned(),
        highlights,
    })
}

/// Byte offset `chars` characters after byte `start` (or the end of the text).
fn byte_after(text: &str, start: usize, chars: usize) -> usize {
    text.get(start..)
        .and_then(|tail| tail.char_indices().nth(chars))
        .map_or(text.len(), |(i, _)| start + i)
}

/// Byte offset of a word start about `chars_before` characters before `at`.
fn word_start_before(text: &str, at: usize, chars_before: usize) -> usize {
    let head = text.get(..at).unwrap_or_default();
    let Some((candidate, _)) = head.char_indices().rev().nth(chars_before) else {
        return 0;
    };
    // Move forward to the next word start so the snippet does not open mid-word.
    head.get(candidate..)
        .and_then(|rest| rest.find(char::is_whitespace).map(|ws| candidate + ws))
        .and_then(|ws| {
            text.get(ws..)
                .map(|rest| ws + (rest.len() - rest.trim_start().len()))
        })
        .filter(|&start| start <= at)
        .unwrap_or(candidate)
}

/// Byte offset of a word end about `max_chars` characters after `start`.
fn word_end_after(text: &str, start: usize, max_chars: usize) -> usize {
    let tail = text.get(start..).unwrap_or_default();
    let Some((candidate, _)) = tail.char_indices().nth(max_chars) else {
        return text.len();
    };
    tail.get(..candidate)
        .and_then(|head| head.rfind(char::is_whitespace))
        .filter(|&ws| ws > 0)
        .map_or(start + candidate, |ws| start + ws)
}

//! Snippets with highlights in code point offsets, for the CLI, JSON output and the GUI.

use tantivy::Searcher;
use tantivy::query::Query;
use tantivy::schema::Field;
use tantivy::snippet::SnippetGenerator;

use super::Result;
use crate::model::HighlightedSnippet;

/// The snippet generator of one page of hits: it reads the query's term statistics from
/// every segment, so it is made once per page, not once per hit.
pub(super) fn generator(
    searcher: &Searcher,
    query: &dyn Query,
    field: Field,
) -> Result<SnippetGenerator> {
    Ok(SnippetGenerator::create(searcher, query, field)?)
}

pub(super) fn make(
    generator: &mut SnippetGenerator,
    text: &str,
    max_chars: usize,
) -> Result<HighlightedSnippet> {
    // One fragment over the whole text gives every match; the window is cut below.
    generator.set_max_num_chars(text.len().saturating_add(1));
    let snippet = generator.snippet(text);
    if snippet.is_empty() {
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
    let offset = snippet.fragment_range().start;
    let matches: Vec<(usize, usize)> = snippet
        .highlighted()
        .iter()
        .map(|r| (r.start + offset, r.end + offset))
        .collect();
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
        .take(256)
        .enumerate()
        .max_by_key(|&(i, &(start, _))| {
            let covered = matches
                .get(i..)
                .unwrap_or_default()
                .iter()
                .take_while(|&&(_, e)| e <= byte_after(text, start, visible_after))
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

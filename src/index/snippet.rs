//! Snippets with highlights in code point offsets, for the CLI, JSON output and the GUI.

use serde::Serialize;
use tantivy::Searcher;
use tantivy::query::Query;
use tantivy::schema::Field;
use tantivy::snippet::SnippetGenerator;

use super::Result;

/// A piece of an article around the matched words.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct HighlightedSnippet {
    /// Plain text of the snippet.
    pub text: String,
    /// Matched ranges in `text`, `[start, end)` in code points, merged when only spaces
    /// separate them (so a phrase is one highlight).
    pub highlights: Vec<(usize, usize)>,
}

impl HighlightedSnippet {
    /// The snippet with each highlight wrapped in `open` and `close` (e.g. `<b>`, `</b>`).
    pub fn marked(&self, open: &str, close: &str) -> String {
        let mut out = String::with_capacity(self.text.len() + 16);
        let mut chars = self.text.chars();
        let mut at = 0;
        for &(start, end) in &self.highlights {
            out.extend(chars.by_ref().take(start.saturating_sub(at)));
            out.push_str(open);
            out.extend(chars.by_ref().take(end.saturating_sub(start)));
            out.push_str(close);
            at = end;
        }
        out.extend(chars);
        out
    }
}

pub(super) fn make(
    searcher: &Searcher,
    query: &dyn Query,
    field: Field,
    text: &str,
    max_chars: usize,
) -> Result<HighlightedSnippet> {
    let mut generator = SnippetGenerator::create(searcher, query, field)?;
    generator.set_max_num_chars(max_chars);
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
    let fragment = snippet.fragment();
    let to_chars = |byte: usize| fragment.get(..byte).map_or(0, |s| s.chars().count());
    let mut highlights: Vec<(usize, usize)> = Vec::new();
    for range in snippet.highlighted() {
        let (start, end) = (to_chars(range.start), to_chars(range.end));
        if let Some(last) = highlights.last_mut() {
            let gap = crate::model::slice_chars(fragment, last.1, start);
            if gap.chars().all(char::is_whitespace) && start >= last.1 {
                last.1 = end;
                continue;
            }
        }
        highlights.push((start, end));
    }
    Ok(HighlightedSnippet {
        text: fragment.to_owned(),
        highlights,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_highlights_by_code_point() {
        let s = HighlightedSnippet {
            text: "😀 Balochistan Liberation Army".to_owned(),
            highlights: vec![(2, 24)],
        };
        assert_eq!(
            s.marked("<b>", "</b>"),
            "😀 <b>Balochistan Liberation</b> Army"
        );
    }
}

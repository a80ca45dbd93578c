//! What a search returns: hits, snippets with highlights, sort orders.

use serde::Serialize;

use super::{ArticleId, PartialDate};

/// How hits are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, serde::Deserialize)]
pub enum SortOrder {
    /// Best BM25 score first.
    #[default]
    Relevance,
    /// Latest publication date first (undated last).
    NewestFirst,
    /// Earliest publication date first (undated last).
    OldestFirst,
}

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

/// One search hit, ready to show.
#[derive(Debug, Clone, Serialize)]
pub struct SearchHit {
    /// Article.
    pub id: ArticleId,
    /// Headline.
    pub title: String,
    /// Publication date.
    pub published: Option<PartialDate>,
    /// Outlet.
    pub source: Option<String>,
    /// BM25 score.
    pub score: f32,
    /// Text around the match, with highlights.
    pub snippet: HighlightedSnippet,
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

/// The words and phrases of a query that text is searched for: what the reader highlights
/// in the open article. Operators (`AND`, `OR`, `NOT`), field filters (`label:LOC`),
/// excluded words (`-word`) and wildcards' stars are left out; a quoted phrase is one term.
pub fn query_terms(query: &str) -> Vec<String> {
    let mut terms = Vec::new();
    let mut rest = query;
    while let Some(c) = rest.chars().next() {
        if c == '"' {
            let body = rest.get(1..).unwrap_or_default();
            let (phrase, after) = body.split_once('"').unwrap_or((body, ""));
            let phrase = phrase.split_whitespace().collect::<Vec<_>>().join(" ");
            if !phrase.is_empty() {
                terms.push(phrase);
            }
            rest = after;
            continue;
        }
        if c.is_whitespace() || c == '(' || c == ')' {
            rest = rest.get(c.len_utf8()..).unwrap_or_default();
            continue;
        }
        let end = rest
            .find(|c: char| c.is_whitespace() || c == '(' || c == ')' || c == '"')
            .unwrap_or(rest.len());
        let word = rest.get(..end).unwrap_or_default();
        rest = rest.get(end..).unwrap_or_default();
        let excluded = word.starts_with('-') || word.starts_with('!');
        let word = word.trim_start_matches('+').trim_end_matches(['*', '?']);
        if excluded
            || word.is_empty()
            || word.contains(':')
            || matches!(word, "AND" | "OR" | "NOT" | "&&" | "||")
        {
            continue;
        }
        terms.push(word.to_owned());
    }
    terms.sort();
    terms.dedup();
    terms
}

#[cfg(test)]
mod terms_tests {
    use super::query_terms;

    #[test]
    fn terms_leave_out_operators_filters_and_exclusions() {
        assert_eq!(
            query_terms("\"Balochistan  Liberation\" AND (Saravan OR strike*) -Iran label:LOC"),
            vec!["Balochistan Liberation", "Saravan", "strike"]
        );
        assert!(query_terms("").is_empty());
        assert_eq!(query_terms("\"unclosed phrase"), vec!["unclosed phrase"]);
    }
}

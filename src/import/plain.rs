//! Plain-text helpers shared by importers: HTML fragments to text, tidying extracted text,
//! and titles taken from a text's first line.

use dom_query::Document;

/// Longest title derived from a text's first line, in characters.
pub(crate) const MAX_DERIVED_TITLE_CHARS: usize = 200;

/// Elements whose text is never article text.
const NON_TEXT_ELEMENTS: &str = "script, style, noscript, template";

/// Turns an HTML fragment (a feed summary, say) into plain text: tags dropped, entities
/// decoded, block elements become paragraph breaks. Text without `<` or `&` is taken as
/// plain text already and only tidied, so its own line breaks survive.
pub(crate) fn html_to_text(fragment: &str) -> String {
    if !fragment.contains(['<', '&']) {
        return tidy(fragment);
    }
    let Ok(document) = super::nesting::parse_fragment(fragment) else {
        // A feed item nested too deep for the parser to handle in bounded time: its text
        // without the tags, in one linear pass.
        return tidy(&strip_tags(fragment));
    };
    if let Some(hidden) = document.try_select(NON_TEXT_ELEMENTS) {
        hidden.remove();
    }
    tidy(&document.formatted_text())
}

/// `fragment` with every `<...>` left out (entities stay as written).
fn strip_tags(fragment: &str) -> String {
    let mut out = String::with_capacity(fragment.len());
    let mut in_tag = false;
    for c in fragment.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// The text of a whole page, without scripts and styles: the fallback when no article is found.
pub(crate) fn page_text(document: &Document) -> String {
    if let Some(hidden) = document.try_select(NON_TEXT_ELEMENTS) {
        hidden.remove();
    }
    let text = match document.body() {
        Some(body) => body.formatted_text(),
        None => document.formatted_text(),
    };
    tidy(&text)
}

/// Tidies extracted text: trailing spaces cut from each line, runs of three or more line
/// breaks collapsed to one blank line, and the whole trimmed.
pub(crate) fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_newlines = 0usize;
    for line in text.trim().split('\n') {
        let line = line.trim_end();
        if line.is_empty() {
            pending_newlines += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if pending_newlines > 0 { "\n\n" } else { "\n" });
        }
        pending_newlines = 0;
        out.push_str(line);
    }
    out
}

/// Text on one line: runs of whitespace (line breaks included) become one space.
pub(crate) fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A title for a text that has none: its first non-empty line, cut to at most
/// [`MAX_DERIVED_TITLE_CHARS`] characters at a word boundary.
pub(crate) fn title_from_text(text: &str) -> String {
    let first_line = text
        .lines()
        .map(str::trim)
        .find(|line| !line.is_empty())
        .unwrap_or_default();
    shorten(first_line, MAX_DERIVED_TITLE_CHARS)
}

/// Cuts `text` to at most `max_chars` characters, at the last whitespace that fits when there
/// is one (text without spaces, such as Chinese, is cut at the limit).
pub(crate) fn shorten(text: &str, max_chars: usize) -> String {
    let Some((cut, _)) = text.char_indices().nth(max_chars) else {
        return text.to_owned();
    };
    let head = text.get(..cut).unwrap_or(text);
    let at_word = text
        .get(cut..)
        .and_then(|rest| rest.chars().next())
        .is_some_and(char::is_whitespace);
    if at_word {
        return head.trim_end().to_owned();
    }
    match head.rfind(char::is_whitespace) {
        Some(space) if space > 0 => head.get(..space).unwrap_or(head).trim_end().to_owned(),
        _ => head.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fragments_become_paragraphs_with_entities_decoded() {
        let html = "<p>Fire &amp; rescue crews&nbsp;arrived.</p><p>Two people were <b>hurt</b>.<br>More soon.</p><script>var x = 1;</script>";
        assert_eq!(
            html_to_text(html),
            "Fire & rescue crews arrived.\n\nTwo people were hurt.\nMore soon."
        );
    }

    #[test]
    fn plain_text_keeps_its_line_breaks() {
        assert_eq!(
            html_to_text("  line one\nline two  \n\n\n\nend "),
            "line one\nline two\n\nend"
        );
    }

    #[test]
    fn tidy_trims_lines_and_collapses_blank_runs() {
        assert_eq!(tidy("\n\n a  \t\nb\n\n\n\n\nc   \n"), "a\nb\n\nc");
    }

    #[test]
    fn page_text_skips_scripts() {
        let html = "<html><head><title>T</title><style>p{}</style></head><body><p>Body one.</p><script>alert(1)</script><div>Two</div></body></html>";
        assert_eq!(page_text(&Document::from(html)), "Body one.\n\nTwo");
    }

    #[test]
    fn derived_titles_are_cut_at_words() {
        assert_eq!(title_from_text("\n\n  First line  \nsecond"), "First line");
        let long = "word ".repeat(60);
        let title = title_from_text(&long);
        assert!(title.chars().count() <= MAX_DERIVED_TITLE_CHARS);
        assert!(title.ends_with("word"), "{title}");
        assert_eq!(shorten("abcdef", 3), "abc");
        assert_eq!(shorten("ab cd ef", 5), "ab cd");
        assert_eq!(shorten("ab cdef", 5), "ab");
        assert_eq!(shorten("短文本", 5), "短文本");
        assert_eq!(shorten("中文标题没有空格", 4), "中文标题");
    }
}

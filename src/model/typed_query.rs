//! A query as it stands while someone is typing it: an opened phrase or group that is not
//! closed yet is closed for them, so the list follows the keystrokes instead of showing a
//! parser error.

/// The query to run for what is typed so far, and what was still open in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypedQuery {
    /// The query with open quotes and parentheses closed and a dangling operator dropped.
    pub query: String,
    /// A calm hint on what is not finished yet ("phrase not closed yet"), if anything.
    pub unfinished: Option<&'static str>,
}

/// Completes `typed` so it parses: an unclosed `"` is closed, unclosed `(` are closed, a
/// trailing `AND`, `OR`, `NOT`, `+`, `-` or `field:` is left out. A `)` without its `(` is
/// left as typed: that is an error to show, not something being typed.
pub fn complete_typed_query(typed: &str) -> TypedQuery {
    let mut in_quotes = false;
    let mut depth: usize = 0;
    for c in typed.chars() {
        match c {
            '"' => in_quotes = !in_quotes,
            '(' if !in_quotes => depth += 1,
            ')' if !in_quotes => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    let mut query = typed.trim_end().to_owned();
    let mut unfinished = None;
    if in_quotes {
        query.push('"');
        unfinished = Some("phrase not closed yet");
    } else {
        // Drop an operator or field name that waits for its operand.
        loop {
            let last_word_start = query
                .rfind(|c: char| c.is_whitespace() || c == '(')
                .map_or(0, |i| i + 1);
            let last = query.get(last_word_start..).unwrap_or_default();
            let dangling = matches!(last, "AND" | "OR" | "NOT" | "+" | "-" | "&&" | "||")
                || (last.ends_with(':') && !last.contains('"'));
            if last.is_empty() || !dangling {
                break;
            }
            query.truncate(last_word_start);
            query.truncate(query.trim_end().len());
            unfinished = Some("query not finished yet");
        }
        // An empty group "(" alone: drop it rather than search for "()".
        while query.ends_with('(') {
            query.pop();
            query.truncate(query.trim_end().len());
            depth = depth.saturating_sub(1);
        }
    }
    if depth > 0 {
        query.extend(std::iter::repeat_n(')', depth));
        unfinished = unfinished.or(Some("parenthesis not closed yet"));
    }
    TypedQuery { query, unfinished }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(typed: &str) -> (String, Option<&'static str>) {
        let t = complete_typed_query(typed);
        (t.query, t.unfinished)
    }

    #[test]
    fn open_phrases_and_groups_are_closed_while_typing() {
        assert_eq!(
            run("\"Balochistan Lib"),
            (
                "\"Balochistan Lib\"".to_owned(),
                Some("phrase not closed yet")
            )
        );
        assert_eq!(
            run("\""),
            ("\"\"".to_owned(), Some("phrase not closed yet"))
        );
        assert_eq!(
            run("(iran OR pakistan"),
            (
                "(iran OR pakistan)".to_owned(),
                Some("parenthesis not closed yet")
            )
        );
        assert_eq!(
            run("(iran \"two chil"),
            (
                "(iran \"two chil\")".to_owned(),
                Some("phrase not closed yet")
            )
        );
        assert_eq!(
            run("iran AND"),
            ("iran".to_owned(), Some("query not finished yet"))
        );
        assert_eq!(
            run("iran title:"),
            ("iran".to_owned(), Some("query not finished yet"))
        );
        assert_eq!(run("iran ("), ("iran".to_owned(), None));
    }

    #[test]
    fn finished_queries_are_left_alone() {
        for q in [
            "",
            "iran",
            "\"nine people\" AND title:iran",
            "(a OR b) c",
            "a)",
        ] {
            assert_eq!(run(q), (q.to_owned(), None), "{q}");
        }
    }
}

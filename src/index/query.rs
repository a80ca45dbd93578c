//! Date-aware rewriting of queries before tantivy parses them.
//!
//! Researchers write `published:2024-01`, `published:[2024-01-01 TO 2024-01-31]` or
//! `published:>=2024`; tantivy wants RFC 3339 instants. Partial dates cover their whole
//! period: `[2024-01 TO 2024-02]` includes every day of February.

use crate::model::PartialDate;

const FIELD: &str = "published:";

/// Deepest nesting of parentheses a query may have. tantivy's parser recurses once per
/// level (and more per operator), so a deep query overflows a thread's stack; people write
/// a handful of levels.
pub const MAX_QUERY_DEPTH: usize = 100;

/// Refuses a query nested deeper than [`MAX_QUERY_DEPTH`] (parentheses outside quotes),
/// before any parser recursion; linear in the query.
pub fn check_query_depth(query: &str) -> Result<(), String> {
    let mut in_quotes = false;
    let mut depth: usize = 0;
    let mut deepest: usize = 0;
    for c in query.chars() {
        match c {
            '"' => in_quotes = !in_quotes,
            '(' if !in_quotes => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            ')' if !in_quotes => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    if deepest > MAX_QUERY_DEPTH {
        return Err(format!(
            "the query nests parentheses {deepest} levels deep; at most {MAX_QUERY_DEPTH} are allowed"
        ));
    }
    Ok(())
}

/// Rewrites every `published:` clause into a tantivy range over RFC 3339 instants.
pub fn rewrite_date_ranges(query: &str) -> Result<String, String> {
    let mut out = String::with_capacity(query.len() + 32);
    let mut rest = query;
    while let Some(pos) = find_field(rest) {
        let (before, after) = rest.split_at(pos);
        out.push_str(before);
        let clause = &after[FIELD.len()..];
        let (range, consumed) = rewrite_clause(clause)?;
        out.push_str(FIELD);
        out.push_str(&range);
        rest = &clause[consumed..];
    }
    out.push_str(rest);
    Ok(out)
}

/// Finds `published:` at a word start, outside quotes.
fn find_field(text: &str) -> Option<usize> {
    let mut in_quotes = false;
    let mut previous: Option<char> = None;
    for (i, c) in text.char_indices() {
        if c == '"' {
            in_quotes = !in_quotes;
        } else if !in_quotes
            && text[i..].starts_with(FIELD)
            && previous.is_none_or(|p| p.is_whitespace() || matches!(p, '(' | '+' | '-'))
        {
            return Some(i);
        }
        previous = Some(c);
    }
    None
}

fn parse_date(text: &str) -> Result<PartialDate, String> {
    text.parse::<PartialDate>().map_err(|e| {
        format!("{e} in a published: filter (write published:2024-01-19, published:[2024-01 TO 2024-03] or published:>=2024)")
    })
}

fn instant(date: chrono::NaiveDate) -> String {
    format!("{}T00:00:00Z", date.format("%Y-%m-%d"))
}

/// Returns the rewritten range and how many bytes of `clause` it replaced.
fn rewrite_clause(clause: &str) -> Result<(String, usize), String> {
    let end_of_word = clause
        .find(|c: char| c.is_whitespace() || c == ')')
        .unwrap_or(clause.len());
    if let Some(body) = clause.strip_prefix(['[', '{']) {
        let lower_inclusive = clause.starts_with('[');
        let close = body
            .find([']', '}'])
            .ok_or_else(|| "a published: range is missing its closing ']' or '}'".to_owned())?;
        let upper_inclusive = body[close..].starts_with(']');
        let inner = &body[..close];
        let (low, high) = inner
            .split_once(" TO ")
            .ok_or_else(|| format!("a published: range needs 'TO' between two dates: '{inner}'"))?;
        let low = low.trim();
        let high = high.trim();
        let low = match low {
            "*" => "*".to_owned(),
            d => {
                let date = parse_date(d)?;
                instant(if lower_inclusive {
                    date.first_day()
                } else {
                    date.day_after_end()
                })
            }
        };
        let high = match high {
            "*" => "*".to_owned(),
            d => {
                let date = parse_date(d)?;
                instant(if upper_inclusive {
                    date.day_after_end()
                } else {
                    date.first_day()
                })
            }
        };
        return Ok((format!("[{low} TO {high}}}"), 1 + close + 1));
    }
    let word = &clause[..end_of_word];
    let range = if let Some(d) = word.strip_prefix(">=") {
        format!("[{} TO *}}", instant(parse_date(d)?.first_day()))
    } else if let Some(d) = word.strip_prefix('>') {
        format!("[{} TO *}}", instant(parse_date(d)?.day_after_end()))
    } else if let Some(d) = word.strip_prefix("<=") {
        format!("[* TO {}}}", instant(parse_date(d)?.day_after_end()))
    } else if let Some(d) = word.strip_prefix('<') {
        format!("[* TO {}}}", instant(parse_date(d)?.first_day()))
    } else {
        let date = parse_date(word)?;
        format!(
            "[{} TO {}}}",
            instant(date.first_day()),
            instant(date.day_after_end())
        )
    };
    Ok((range, end_of_word))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewrites_partial_dates_to_half_open_ranges() {
        assert_eq!(
            rewrite_date_ranges("strikes published:2024-01").unwrap(),
            "strikes published:[2024-01-01T00:00:00Z TO 2024-02-01T00:00:00Z}"
        );
        assert_eq!(
            rewrite_date_ranges("published:[2024-01-16 TO 2024-01-19] AND iran").unwrap(),
            "published:[2024-01-16T00:00:00Z TO 2024-01-20T00:00:00Z} AND iran"
        );
        assert_eq!(
            rewrite_date_ranges("(published:>=2024)").unwrap(),
            "(published:[2024-01-01T00:00:00Z TO *})"
        );
        assert_eq!(
            rewrite_date_ranges("published:<2005-03").unwrap(),
            "published:[* TO 2005-03-01T00:00:00Z}"
        );
        assert_eq!(
            rewrite_date_ranges("published:{2004 TO *]").unwrap(),
            "published:[2005-01-01T00:00:00Z TO *}"
        );
    }

    #[test]
    fn leaves_quoted_text_and_other_fields_alone() {
        let q = r#""published:2024" title:iran unpublished:x"#;
        assert_eq!(rewrite_date_ranges(q).unwrap(), q);
    }

    #[test]
    fn explains_bad_dates() {
        let err = rewrite_date_ranges("published:19/01/2024").unwrap_err();
        assert!(err.contains("not a date"), "{err}");
        assert!(rewrite_date_ranges("published:[2024 TO").is_err());
    }
}

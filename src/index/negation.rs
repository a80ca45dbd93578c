//! `NOT` as researchers write it: `strikes AND NOT drone`, `NOT drone`, `(NOT drone)`.
//!
//! tantivy's parser reads `NOT x` after `AND` as a group that only excludes, which matches
//! nothing, so `a AND NOT b` found no article at all, and refuses a query that only excludes.
//! Here, outside quotes, the operator `NOT` becomes the `-` prefix of its operand, and a
//! group (the whole query, or one in parentheses) whose every clause excludes gets `*` (every
//! article) to exclude from: `NOT drone` is every article without "drone". Linear in the query.

/// Rewrites `NOT` operators and exclusion-only groups (see the module docs).
pub(super) fn rewrite_negations(query: &str) -> String {
    let mut out = String::with_capacity(query.len() + 8);
    // One entry per open group: where `*` would go, and what its clauses are.
    let mut groups = vec![Group::at(0)];
    let mut in_quotes = false;
    let mut at_word_start = true;
    let mut i = 0;
    while let Some(c) = query[i..].chars().next() {
        if in_quotes {
            if c == '\\' {
                let escaped = query[i + 1..].chars().next().map_or(0, char::len_utf8);
                out.push_str(&query[i..i + 1 + escaped]);
                i += 1 + escaped;
                continue;
            }
            in_quotes = c != '"';
            out.push(c);
            i += c.len_utf8();
            continue;
        }
        if at_word_start && !c.is_whitespace() && !matches!(c, '(' | ')') {
            let rest = &query[i..];
            if let Some(skip) = not_operator(rest) {
                // `NOT x` → `(* -x)`: every article but those matching x. (A bare `-x`
                // after `AND`, or after a group, is dropped by tantivy's parser.)
                let operand = &rest[skip..];
                let len = operand_len(operand);
                out.push_str("(* -");
                out.push_str(&rewrite_negations(&operand[..len]));
                out.push(')');
                i += skip + len;
                at_word_start = false;
                mark(&mut groups, Clause::Including);
                continue;
            }
            if !is_operator(rest) {
                mark(
                    &mut groups,
                    if c == '-' {
                        Clause::Excluding
                    } else {
                        Clause::Including
                    },
                );
            }
        }
        match c {
            '"' => in_quotes = true,
            '\\' => {
                let escaped = query[i + 1..].chars().next().map_or(0, char::len_utf8);
                out.push_str(&query[i..i + 1 + escaped]);
                i += 1 + escaped;
                at_word_start = false;
                continue;
            }
            '(' => {
                out.push(c);
                i += 1;
                groups.push(Group::at(out.len()));
                at_word_start = true;
                continue;
            }
            ')' => {
                if groups.len() > 1
                    && let Some(group) = groups.pop()
                {
                    group.close(&mut out);
                }
            }
            _ => {}
        }
        at_word_start = c.is_whitespace() || matches!(c, '(' | ')');
        out.push(c);
        i += c.len_utf8();
    }
    // Groups left open (an unbalanced query, which the parser reports) and the whole query.
    while let Some(group) = groups.pop() {
        group.close(&mut out);
    }
    out
}

#[derive(Clone, Copy)]
enum Clause {
    Including,
    Excluding,
}

/// An open group: where it starts in the output and whether its clauses include or exclude.
struct Group {
    start: usize,
    including: bool,
    excluding: bool,
}

impl Group {
    fn at(start: usize) -> Self {
        Self {
            start,
            including: false,
            excluding: false,
        }
    }

    /// Gives a group that only excludes every article to exclude from.
    fn close(self, out: &mut String) {
        if self.excluding && !self.including {
            out.insert_str(self.start, "* ");
        }
    }
}

/// Records a clause in the innermost group; the first character of a clause decides.
fn mark(groups: &mut [Group], clause: Clause) {
    if let Some(group) = groups.last_mut() {
        match clause {
            Clause::Including => group.including = true,
            Clause::Excluding => group.excluding = true,
        }
    }
}

/// At `NOT` followed by an operand: the bytes up to the operand (the word and the spaces
/// after it). `NOT` at the end, before `)`, or inside a word (`NOTE`) is no operator.
fn not_operator(rest: &str) -> Option<usize> {
    // A `NOT` followed by an operand that is itself a `NOT` operator is not one: walk the
    // chain of `NOT`s ahead (a loop, not a recursion: `NOT NOT … x` may be thousands long
    // and the search threads have small stacks), then decide from its end back.
    let mut skips = Vec::new();
    let mut cur = rest;
    while let Some(after) = cur.strip_prefix("NOT") {
        let spaces = after.len() - after.trim_start().len();
        let next = &after[spaces..];
        let Some(operand) = next.chars().next() else {
            break;
        };
        if !(spaces > 0 && operand != ')' && !is_operator(next)) {
            break;
        }
        skips.push(3 + spaces);
        cur = next;
    }
    // From the last link back: an operator when the one after it is not.
    let mut after_is_operator = false;
    let mut first = None;
    for &skip in skips.iter().rev() {
        let is_operator = !after_is_operator;
        first = is_operator.then_some(skip);
        after_is_operator = is_operator;
    }
    first
}

/// The length of the operand at the start of `text`: a group up to its closing parenthesis,
/// else a word (with a quoted phrase in it, `title:"air strike"`) up to a space or `)`.
fn operand_len(text: &str) -> usize {
    let mut depth = 0_usize;
    let mut in_quotes = false;
    let mut escaped = false;
    for (at, c) in text.char_indices() {
        if escaped {
            escaped = false;
            continue;
        }
        match c {
            '\\' => escaped = true,
            '"' => in_quotes = !in_quotes,
            _ if in_quotes => {}
            '(' => depth += 1,
            ')' if depth <= 1 => return at + usize::from(depth == 1),
            ')' => depth -= 1,
            c if c.is_whitespace() && depth == 0 => return at,
            _ => {}
        }
    }
    text.len()
}

/// Whether `rest` starts with the operator `AND` or `OR` (a word of its own).
fn is_operator(rest: &str) -> bool {
    ["AND", "OR"].iter().any(|op| {
        rest.strip_prefix(op).is_some_and(|after| {
            after
                .chars()
                .next()
                .is_none_or(|c| c.is_whitespace() || c == '(')
        })
    })
}

#[cfg(test)]
mod tests {
    use super::rewrite_negations as r;

    #[test]
    fn not_becomes_the_prefix_of_its_operand() {
        assert_eq!(r("strikes AND NOT drone"), "strikes AND (* -drone)");
        assert_eq!(r("strikes NOT drone"), "strikes (* -drone)");
        assert_eq!(
            r("strikes AND NOT (drone OR missile)"),
            "strikes AND (* -(drone OR missile))"
        );
        assert_eq!(r("a NOT   label:LOC)"), "a (* -label:LOC))");
        assert_eq!(
            r("a NOT title:\"air strike\" b"),
            "a (* -title:\"air strike\") b"
        );
        assert_eq!(
            r("a AND NOT (b AND NOT (c OR d))"),
            "a AND (* -(b AND (* -(c OR d))))"
        );
    }

    #[test]
    fn groups_that_only_exclude_exclude_from_every_article() {
        assert_eq!(r("NOT drone"), "(* -drone)");
        assert_eq!(r("-drone"), "* -drone");
        assert_eq!(r("strikes AND (-drone)"), "strikes AND (* -drone)");
        assert_eq!(r("(-a) OR (b -c)"), "(* -a) OR (b -c)");
        assert_eq!(r("NOT a NOT b"), "(* -a) (* -b)");
        assert_eq!(r("NOT NOT a"), "NOT (* -a)");
    }

    #[test]
    fn leaves_everything_else_alone() {
        for q in [
            "strikes",
            "strikes -drone",
            "\"NOT drone\"",
            "NOTE drone",
            "KNOT drone",
            "a AND",
            "a NOT",
            "a NOT )",
            "a NOT AND b",
            "title:\"say \\\"NOT\\\" x\" y",
            "",
            "published:[2024-01-01T00:00:00Z TO *}",
            "(a OR b) AND c",
        ] {
            assert_eq!(r(q), q, "{q:?}");
        }
    }

    #[test]
    fn unbalanced_and_non_ascii_queries_pass_through() {
        assert_eq!(r("((a"), "((a");
        assert_eq!(r("a))"), "a))");
        assert_eq!(r("بلوچستان NOT پاکستان"), "بلوچستان (* -پاکستان)");
        assert_eq!(r("(NOT 🌍"), "((* -🌍)");
        assert_eq!(r("NOT (a"), "(* -(a)");
    }
}

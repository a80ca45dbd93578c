//! Organisations no list knows, named where business and politics news names them: "shares
//! in Vodafone", "the chief executive of Ofcom", "Siemens shares", "a Nokia spokesman".
//!
//! Owns: the cue words around a capitalised name that make it ORG. Must not: relabel what
//! the gazetteer or the name rules found (only names nothing else proposed are added).

use std::collections::HashSet;

use super::EntityMention;
use super::vocabulary::{FUNCTION_WORDS, STOPWORDS};
use crate::suggest::text::{Token, TokenKind};

/// Two words before the name ("shares in Vodafone").
const BEFORE: [(&str, &str); 11] = [
    ("shares", "in"),
    ("shares", "of"),
    ("stake", "in"),
    ("executive", "of"),
    ("chairman", "of"),
    ("takeover", "of"),
    ("merger", "with"),
    ("subsidiary", "of"),
    ("spokesman", "for"),
    ("spokeswoman", "for"),
    ("spokesperson", "for"),
];

/// One word after the name ("Siemens shares", "a Nokia spokesman").
const AFTER: [&str; 6] = [
    "shares",
    "plc",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "shareholders",
];

/// Capitalised words that describe rather than name ("Company spokesman Glenn Waller",
/// "Fellow shareholders").
const GENERIC: [&str; 14] = [
    "company",
    "firm",
    "group",
    "fellow",
    "other",
    "rival",
    "bank",
    "government",
    "party",
    "union",
    "club",
    "council",
    "ministry",
    "department",
];

/// A name that may be an organisation: its code points, its bytes, and whether a cue marks
/// it.
type Candidate = ((usize, usize), (usize, usize), bool);

/// Adds an ORG for each capitalised name (one to four words on one line) that nothing
/// found yet and a cue marks as an organisation, and for its other mentions in the text as
/// the same name ("Gazprom chief Alexei Miller" after "shares in Gazprom": one sense per
/// article); keeps `out` in text order.
pub(super) fn cued_organisations(text: &str, tokens: &[Token], out: &mut Vec<EntityMention>) {
    let lower: Vec<String> = tokens.iter().map(|t| t.text(text).to_lowercase()).collect();
    let capitalised = |i: usize| tokens.get(i).is_some_and(|t| t.is_capitalised_word(text));
    let word = |i: usize| lower.get(i).map(String::as_str);
    let same_line = |i: usize| tokens.get(i).is_some_and(|t| !t.line_break_before);
    // Every name that may be one.
    let mut names: Vec<Candidate> = Vec::new();
    // The next name is cued too: "shares in Vodafone and BT".
    let mut carried: Option<usize> = None;
    let mut i = 0;
    while i < tokens.len() {
        if !capitalised(i) {
            i += 1;
            continue;
        }
        let mut end = i + 1;
        while end < tokens.len() && end - i < 4 && capitalised(end) && same_line(end) {
            end += 1;
        }
        let mut start = i;
        let cue_carried = carried.take() == Some(i);
        i = end;
        // Leading function or stop words ("The", "Mr") are no part of it.
        let stop = |k: usize| {
            word(k).is_some_and(|w| FUNCTION_WORDS.contains(&w) || STOPWORDS.contains(&w))
        };
        while start < end && stop(start) {
            start += 1;
        }
        if start == end || !(cue_carried || stands_alone(text, tokens, &lower, (start, end), out)) {
            continue;
        }
        if end - start == 1 && word(start).is_some_and(|w| GENERIC.contains(&w)) {
            continue;
        }
        let before = start
            .checked_sub(2)
            .filter(|&b| same_line(b + 1) && same_line(start));
        let cue_before = before.is_some_and(|b| {
            BEFORE
                .iter()
                .any(|&(x, y)| word(b) == Some(x) && word(b + 1) == Some(y))
        });
        let cue_after = same_line(end) && word(end).is_some_and(|w| AFTER.contains(&w));
        let cued = cue_before || cue_after || cue_carried;
        carried = ((cue_before || cue_carried)
            && word(end) == Some("and")
            && same_line(end + 1)
            && capitalised(end + 1))
        .then_some(end + 1);
        if let (Some(first), Some(last)) = (tokens.get(start), tokens.get(end - 1)) {
            names.push((
                (first.char_start, last.char_end),
                (first.byte_start, last.byte_end),
                cued,
            ));
        }
    }
    // `out` is in text order and never overlaps, so its ends are in order too: the one
    // mention that may overlap `s..e` is the first that ends after `s`.
    let free = |(s, e): (usize, usize)| {
        let first = out.partition_point(|m| m.end <= s);
        out.get(first).is_none_or(|m| m.start >= e)
    };
    let cued: HashSet<&str> = names
        .iter()
        .filter(|(chars, _, cued)| *cued && free(*chars))
        .filter_map(|(_, (b, e), _)| text.get(*b..*e))
        .collect();
    let added: Vec<EntityMention> = names
        .iter()
        .filter(|(chars, (b, e), _)| {
            free(*chars) && text.get(*b..*e).is_some_and(|name| cued.contains(name))
        })
        .map(|&((start, end), _, _)| EntityMention {
            start,
            end,
            label: "ORG",
            canonical: None,
            country_code: None,
            place: None,
        })
        .collect();
    if !added.is_empty() {
        out.extend(added);
        out.sort_by_key(|m| m.start);
    }
}

/// Whether tokens `start..end` are a name of their own: not part of a hyphenated or glued
/// word ("Wal-Mart", "M&S", "P2P", "Anglo-Swedish"), nor the tail of a longer name ("Top of
/// the Pops", "Department for Media, Culture and Sport").
fn stands_alone(
    text: &str,
    tokens: &[Token],
    lower: &[String],
    (start, end): (usize, usize),
    found: &[EntityMention],
) -> bool {
    let word = |i: usize| lower.get(i).map(String::as_str);
    let joined_before = tokens.get(start).is_some_and(|t| t.glued)
        && start
            .checked_sub(1)
            .and_then(|b| tokens.get(b))
            .is_some_and(|t| t.kind != TokenKind::Punct || matches!(t.text(text), "-" | "&" | "/"));
    let joined_after = tokens.get(end).is_some_and(|t| {
        t.glued && (t.kind != TokenKind::Punct || matches!(t.text(text), "-" | "&" | "/"))
    });
    if joined_before || joined_after {
        return false;
    }
    let Some(before) = start.checked_sub(1) else {
        return true;
    };
    let capitalised_at = |i: usize| tokens.get(i).is_some_and(|t| t.is_capitalised_word(text));
    let is_connector =
        |i: usize| word(i).is_some_and(|w| matches!(w, "and" | "&" | "of" | "the" | "for"));
    let mut b = before;
    while is_connector(b) && b > 0 && tokens.get(b).is_some_and(|t| !t.line_break_before) {
        b -= 1;
    }
    // After "of", "the" or "for", any capitalised word before makes it a tail ("Top of the
    // Pops"); after "and" only a name found already ("Culture and Sport"), for two names
    // may be joined ("Ofcom and Nokia").
    let joined_by_and = word(before).is_some_and(|w| w == "and" || w == "&");
    let tail = b < before
        && ((capitalised_at(b) && !joined_by_and)
            || tokens
                .get(b)
                .is_some_and(|t| found.binary_search_by_key(&t.char_end, |m| m.end).is_ok()));
    !tail
}

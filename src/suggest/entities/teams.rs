//! Towns that are teams: a club named after its town or county ("Liverpool drew with
//! Everton", "Leeds 2 Bolton 1", "Newcastle manager Alan Shearer") is an organisation,
//! not a place. Sports pages are full of them, and the gazetteer alone reads each as a
//! place.
//!
//! Owns: the sports contexts that turn a gazetteer town or region into ORG. Must not:
//! touch countries (national teams stay places, as CoNLL-2003 and ACE annotate them) or
//! anything but a gazetteer place.

use super::EntityMention;
use crate::suggest::text::{Token, TokenKind};

/// Verbs of a result after the team ("Leeds beat Bolton"), each taken only before a
/// capitalised opponent.
const RESULT_VERBS: [&str; 12] = [
    "v",
    "vs",
    "versus",
    "beat",
    "beats",
    "defeated",
    "thrashed",
    "hammered",
    "edged",
    "overcame",
    "routed",
    "outclassed",
];

/// A result whose next word must be this one ("drew with", "lost to").
const RESULT_PAIRS: [(&str, &str); 8] = [
    ("drew", "with"),
    ("draw", "with"),
    ("lost", "to"),
    ("lose", "to"),
    ("losing", "to"),
    ("lost", "at"),
    ("were", "relegated"),
    ("were", "promoted"),
];

/// Words before the team ("beat Bolton", "drew with Everton", "Leeds v Bolton").
const BEFORE: [&str; 8] = [
    "beat", "defeated", "thrashed", "hammered", "edged", "v", "vs", "versus",
];

/// A team's people and followers after its name ("Newcastle manager").
const ROLES: [&str; 14] = [
    "manager",
    "boss",
    "striker",
    "midfielder",
    "defender",
    "goalkeeper",
    "keeper",
    "winger",
    "full-back",
    "captain",
    "fans",
    "supporters",
    "chairman",
    "skipper",
];

/// Nations the gazetteer holds as first-level regions of a country: their teams are
/// national teams, which stay places ("England beat Wales").
const NATIONS: [&str; 4] = ["England", "Scotland", "Wales", "Northern Ireland"];

/// The tokens of a text with their lower case.
struct Words<'t> {
    text: &'t str,
    words: Vec<(&'t Token, String)>,
}

impl<'t> Words<'t> {
    fn new(text: &'t str, tokens: &'t [Token]) -> Self {
        Self {
            text,
            words: tokens
                .iter()
                .map(|t| (t, t.text(text).to_lowercase()))
                .collect(),
        }
    }

    /// The lower case of token `i` when it is on the same line as the one before it.
    fn lower(&self, i: usize) -> Option<&str> {
        self.words
            .get(i)
            .filter(|_| self.same_line(i))
            .map(|(_, w)| w.as_str())
    }

    /// The lower case of token `i`, wherever it is.
    fn word(&self, i: usize) -> Option<&str> {
        self.words.get(i).map(|(_, w)| w.as_str())
    }

    /// Whether token `i` follows the one before it with no space ("-" in "Moscow-backed").
    fn glued(&self, i: usize) -> bool {
        self.words.get(i).is_some_and(|(t, _)| t.glued)
    }

    /// Whether there is a token at `i` on the same line as the one before it.
    fn same_line(&self, i: usize) -> bool {
        self.words.get(i).is_some_and(|(t, _)| !t.line_break_before)
    }

    /// Whether token `i` is a capitalised word on the same line.
    fn capitalised(&self, i: usize) -> bool {
        self.same_line(i)
            && self
                .words
                .get(i)
                .is_some_and(|(t, _)| t.is_capitalised_word(self.text))
    }

    /// Whether tokens from `i` on its line make a score: a number of at most two digits.
    fn score(&self, i: usize) -> bool {
        self.same_line(i)
            && self
                .words
                .get(i)
                .is_some_and(|(t, _)| t.kind == TokenKind::Number && t.char_end - t.char_start <= 2)
    }
}

/// Relabels each gazetteer place that is no country (nor sea) ORG where the text reads it
/// as a team, dropping the place's values.
pub(super) fn teams_are_organisations(text: &str, tokens: &[Token], out: &mut [EntityMention]) {
    let words = Words::new(text, tokens);
    for mention in out.iter_mut() {
        let town = mention
            .place
            .as_ref()
            .is_some_and(|p| (1..=5).contains(&p.where_prec))
            && !mention
                .canonical
                .as_deref()
                .is_some_and(|c| NATIONS.contains(&c));
        if mention.label != "LOC" || !town {
            continue;
        }
        let first = tokens.partition_point(|t| t.char_start < mention.start);
        let after = tokens.partition_point(|t| t.char_start < mention.end);
        if reads_as_team(&words, first, after) {
            mention.label = "ORG";
            mention.place = None;
            mention.country_code = None;
            mention.canonical = None;
        }
    }
}

/// Whether the name of tokens `first..after` is a team where it stands.
fn reads_as_team(words: &Words<'_>, first: usize, after: usize) -> bool {
    // Part of a compound ("Moscow-backed"): a place's adjective, no team.
    let hyphen = |i: usize| words.word(i) == Some("-");
    if (hyphen(after) && words.glued(after))
        || (words.glued(first) && first.checked_sub(1).is_some_and(hyphen))
    {
        return false;
    }
    let next = words.lower(after);
    let then = words.lower(after + 1);
    // The words before the name, on its line.
    let previous = first
        .checked_sub(1)
        .filter(|_| words.same_line(first))
        .and_then(|i| words.word(i));
    let before_previous = first
        .checked_sub(2)
        .filter(|&i| words.same_line(i + 1) && words.same_line(first))
        .and_then(|i| words.word(i));
    let result_after = next.is_some_and(|w| RESULT_VERBS.contains(&w))
        && words.capitalised(after + 1)
        || RESULT_PAIRS
            .iter()
            .any(|&(a, b)| next == Some(a) && then == Some(b));
    let result_before = previous.is_some_and(|w| BEFORE.contains(&w))
        || RESULT_PAIRS
            .iter()
            .filter(|(a, _)| *a != "were")
            .any(|&(a, b)| before_previous == Some(a) && previous == Some(b));
    let role_after = next.is_some_and(|w| ROLES.contains(&w));
    result_after || result_before || role_after || is_result_line(words, first, after)
}

/// A results line: the team opens its line (or follows the other side's score), a score
/// follows it, then the other side's name, a hyphen and a score, or the line's end
/// ("Leeds 2 Bolton 1", "Leeds 2-1").
fn is_result_line(words: &Words<'_>, first: usize, after: usize) -> bool {
    let opens = !words.same_line(first)
        || first
            .checked_sub(1)
            .is_some_and(|b| words.score(b) && words.same_line(first));
    if !opens || !words.score(after) {
        return false;
    }
    let following = after + 1;
    if !words.same_line(following) {
        return true;
    }
    match words.lower(following) {
        Some("-") => words.score(following + 1),
        _ => words.capitalised(following),
    }
}

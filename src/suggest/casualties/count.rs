//! Counts: digits, number words, vague quantities, ranges and the qualifier before them ("at
//! least 12", "between 10 and 15", "dozens").

use crate::suggest::text::{TokenKind, Word, number_of_word};

/// A count with its qualifier, before any victim noun.
#[derive(Debug, Clone, Copy)]
pub(super) struct Count {
    pub(super) count: Option<u64>,
    pub(super) low: Option<u64>,
    pub(super) high: Option<u64>,
    pub(super) qualifier: &'static str,
    /// Token index one past the count (and its range).
    pub(super) end: usize,
    /// Token index of the first token (qualifier included).
    pub(super) start: usize,
    /// Whether the count is an article with a singular noun ("a man").
    pub(super) singular_article: bool,
}

/// "twenty-one", "nine", "21".
pub(super) fn simple_number(token: &Word<'_>) -> Option<u64> {
    if token.kind == TokenKind::Number {
        let digits: String = token.text.chars().filter(char::is_ascii_digit).collect();
        return digits.parse().ok();
    }
    if let Some(value) = number_of_word(&token.lower) {
        return Some(value);
    }
    let (tens, units) = token.lower.split_once('-')?;
    let tens = number_of_word(tens).filter(|value| *value >= 20 && value % 10 == 0)?;
    let units = number_of_word(units).filter(|value| *value < 10)?;
    Some(tens + units)
}

/// A number starting at token `at`: value and the index one past it. Handles "two hundred",
/// "a dozen", "two dozen", "twenty one".
pub(super) fn number_at(tokens: &[Word<'_>], at: usize) -> Option<(u64, usize)> {
    let token = tokens.get(at)?;
    let next = tokens.get(at + 1);
    if (token.is("a") || token.is("one"))
        && let Some(next) = next
    {
        match next.lower.as_str() {
            "dozen" => return Some((12, at + 2)),
            "hundred" => return Some((100, at + 2)),
            "thousand" => return Some((1000, at + 2)),
            _ => {}
        }
    }
    let mut value = simple_number(token)?;
    let mut end = at + 1;
    if token.kind == TokenKind::Word
        && value >= 20
        && value % 10 == 0
        && let Some(units) = tokens
            .get(end)
            .and_then(|next| number_of_word(&next.lower))
            .filter(|units| *units < 10)
    {
        value += units;
        end += 1;
    }
    match tokens.get(end).map(|next| next.lower.as_str()) {
        Some("dozen") => Some((value.saturating_mul(12), end + 1)),
        Some("hundred") => Some((value.saturating_mul(100), end + 1)),
        Some("thousand") => Some((value.saturating_mul(1000), end + 1)),
        _ => Some((value, end)),
    }
}

/// Vague quantity words and their ACLED value.
pub(super) fn vague_at(tokens: &[Word<'_>], at: usize) -> Option<(Option<u64>, usize)> {
    let token = tokens.get(at)?;
    let base = match token.lower.as_str() {
        "tens" => Some(10),
        "dozens" => Some(12),
        "scores" => Some(20),
        "hundreds" => Some(100),
        "thousands" => Some(1000),
        "several" | "many" | "multiple" | "numerous" => None,
        _ => return None,
    };
    // "Tens of thousands", "hundreds of thousands".
    let of_more = tokens.get(at + 1).is_some_and(|next| next.is("of"))
        && tokens
            .get(at + 2)
            .is_some_and(|next| next.is("thousands") || next.is("hundreds"));
    if of_more {
        let multiplier = tokens
            .get(at + 2)
            .map_or(1, |next| if next.is("thousands") { 1000 } else { 100 });
        return Some((
            base.map(|value: u64| value.saturating_mul(multiplier)),
            at + 3,
        ));
    }
    // "Dozens of people": skip the "of".
    let end = if base.is_some() && tokens.get(at + 1).is_some_and(|next| next.is("of")) {
        at + 2
    } else {
        at + 1
    };
    Some((base, end))
}

/// The qualifier ending just before token `at`: (qualifier, first token).
pub(super) fn qualifier_before(tokens: &[Word<'_>], at: usize) -> Option<(&'static str, usize)> {
    let word = |back: usize| {
        at.checked_sub(back)
            .and_then(|index| tokens.get(index))
            .map_or("", |token| token.lower.as_str())
    };
    let two = (word(2), word(1));
    let pair = match two {
        ("at", "least") => Some("at least"),
        ("more", "than") => Some("more than"),
        ("up", "to") => Some("up to"),
        ("fewer" | "less", "than") => Some("up to"),
        ("an", "estimated") => Some("about"),
        _ => None,
    };
    if let Some(qualifier) = pair {
        return Some((qualifier, at - 2));
    }
    if word(3) == "as" && word(2) == "many" && word(1) == "as" {
        return Some(("up to", at - 3));
    }
    let single = match word(1) {
        "about" | "around" | "nearly" | "almost" | "approximately" | "roughly" | "some" => "about",
        "over" => "more than",
        _ => return None,
    };
    Some((single, at - 1))
}

/// A count starting at token `at`, with the qualifier before it and a range after it.
pub(super) fn count_at(tokens: &[Word<'_>], at: usize) -> Option<Count> {
    let token = tokens.get(at)?;
    let previous = at.checked_sub(1).and_then(|index| tokens.get(index));
    // Money, hashtags, ordinals.
    if previous.is_some_and(|p| matches!(p.text, "$" | "£" | "€" | "#" | "№")) {
        return None;
    }
    // Ages ("a 20 year-old man", "the age of 25") are no counts.
    let next = tokens.get(at + 1);
    let before_previous = at.checked_sub(2).and_then(|index| tokens.get(index));
    if next.is_some_and(|n| n.lower.starts_with("year") || n.lower.starts_with("-year"))
        || (previous.is_some_and(|p| p.is("of")) && before_previous.is_some_and(|p| p.is("age")))
    {
        return None;
    }
    // Clock times ("6:30") and long codes ("1401140105") are no counts.
    if previous.is_some_and(|p| p.is_punct(':'))
        || (token.kind == TokenKind::Number
            && (next.is_some_and(|n| n.is_punct(':'))
                || (!token.text.contains(',') && token.text.len() > 4)))
    {
        return None;
    }
    // A "10-15" token.
    if token.kind == TokenKind::Word
        && let Some((low, high)) = token.lower.split_once('-')
        && let (Ok(low), Ok(high)) = (low.parse::<u64>(), high.parse::<u64>())
        && low < high
    {
        return Some(range(low, high, at, at + 1));
    }
    if let Some((value, end)) = vague_at(tokens, at) {
        return Some(Count {
            count: value,
            low: value,
            high: None,
            qualifier: "vague",
            end,
            start: at,
            singular_article: false,
        });
    }
    if token.is("both") {
        return Some(exact(2, at, at + 1));
    }
    // "He shot himself in the arm".
    if token.is("himself") || token.is("herself") {
        return Some(exact(1, at, at + 1));
    }
    if token.is("a") && tokens.get(at + 1).is_some_and(|next| next.is("couple")) {
        let end = if tokens.get(at + 2).is_some_and(|next| next.is("of")) {
            at + 3
        } else {
            at + 2
        };
        return Some(exact(2, at, end));
    }
    let Some((value, end)) = number_at(tokens, at) else {
        if matches!(
            token.lower.as_str(),
            "a" | "an" | "another" | "the" | "his" | "her" | "their"
        ) {
            let mut count = exact(1, at, at + 1);
            count.singular_article = true;
            return Some(count);
        }
        return None;
    };
    // "Between 10 and 15".
    if previous.is_some_and(|p| p.is("between"))
        && let Some(high) = tokens
            .get(end)
            .filter(|t| t.is("and"))
            .and_then(|_| number_at(tokens, end + 1))
    {
        return Some(range(value, high.0, at - 1, high.1));
    }
    // "10 to 15", "two or three".
    if tokens
        .get(end)
        .is_some_and(|t| t.is("to") || t.is("or") || t.is_punct('-'))
        && let Some((high, high_end)) = number_at(tokens, end + 1)
        && high > value
    {
        return Some(range(value, high, at, high_end));
    }
    let mut count = exact(value, at, end);
    if let Some((qualifier, start)) = qualifier_before(tokens, at) {
        count.start = start;
        count.qualifier = qualifier;
        match qualifier {
            "at least" | "more than" => count.high = None,
            "up to" => count.low = None,
            _ => {
                count.low = None;
                count.high = None;
            }
        }
    }
    Some(count)
}

pub(super) fn exact(value: u64, start: usize, end: usize) -> Count {
    Count {
        count: Some(value),
        low: Some(value),
        high: Some(value),
        qualifier: "exact",
        end,
        start,
        singular_article: false,
    }
}

pub(super) fn range(low: u64, high: u64, start: usize, end: usize) -> Count {
    Count {
        count: Some(low),
        low: Some(low),
        high: Some(high),
        qualifier: "range",
        end,
        start,
        singular_article: false,
    }
}

//! Date mentions: absolute and relative expressions, normalised to TIMEX3-style values
//! against the publication date.
//!
//! The text is cut into word, number and punctuation tokens (with code point and byte
//! offsets), expressions are matched on tokens left to right, longest first, and each one is
//! resolved with HeidelTime's news rules: a bare weekday is the latest such day on or before
//! the publication date unless the sentence speaks of the future; "last" is strictly before,
//! "next" strictly after; a month without a year takes the publication year (the year before
//! when the sentence is in the past tense and the month is still to come).

mod expression;
mod matchers;
mod relative;
mod resolver;
mod vocabulary;

use super::text::Tokenized;
use crate::model::PartialDate;
use matchers::DateMatcher;
use resolver::Resolver;

/// One date expression found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateMention {
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    /// TIMEX3-style value: `2024-01-18`, `2024-01`, `2024`, `2024-W03`, `XXXX-WXX-4`,
    /// `2024-Q3`, `2023-SU`, `199` (a decade), `PRESENT_REF`, ...
    pub value: String,
    /// `day`, `week`, `month`, `quarter`, `season`, `year`, `decade`, `century`, or `vague`
    /// for `PRESENT_REF`, `PAST_REF` and `FUTURE_REF`.
    pub precision: TimexPrecision,
    /// The date the value was resolved against (ISO), for relative expressions.
    pub anchor: Option<String>,
}

/// How much of the calendar a TIMEX3-style value pins down; stored as its lower-case name
/// (`day`, `week`, ...) in the `precision` attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TimexPrecision {
    /// A day (`2024-01-18`, `XXXX-WXX-4`).
    Day,
    /// A week or a weekend (`2024-W03`, `2024-W03-WE`).
    Week,
    /// A month (`2024-01`).
    Month,
    /// A quarter or a half year (`2024-Q3`, `2024-H1`).
    Quarter,
    /// A season (`2023-SU`).
    Season,
    /// A year (`2024`).
    Year,
    /// A decade (`199`).
    Decade,
    /// A century (`19`).
    Century,
    /// No calendar value: `PRESENT_REF`, `PAST_REF`, `FUTURE_REF`.
    Vague,
}

impl TimexPrecision {
    /// The name stored in the `precision` attribute.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Day => "day",
            Self::Week => "week",
            Self::Month => "month",
            Self::Quarter => "quarter",
            Self::Season => "season",
            Self::Year => "year",
            Self::Decade => "decade",
            Self::Century => "century",
            Self::Vague => "vague",
        }
    }
}

impl std::fmt::Display for TimexPrecision {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<&str> for TimexPrecision {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// Every date expression in `text`, in order, not overlapping.
///
/// Relative expressions ("Thursday", "last week", "in March") are resolved against
/// `published`; without it they get TIMEX3 values with `X` for what is unknown
/// (`XXXX-WXX-4`, `XXXX-01`), never a guess.
pub fn find_dates(text: &str, published: Option<PartialDate>) -> Vec<DateMention> {
    find_dates_in(&Tokenized::new(text), published)
}

/// Every date expression in a text already cut into tokens and sentences, in order, not
/// overlapping.
pub fn find_dates_in(
    tokenized: &Tokenized<'_>,
    published: Option<PartialDate>,
) -> Vec<DateMention> {
    let matcher = DateMatcher::new(tokenized);
    let mut resolver = Resolver {
        dct: published,
        last_quarter: None,
        quarter_is_topic: false,
    };
    let mut out = Vec::new();
    let mut floor = 0;
    let mut i = 0;
    while i < matcher.tokens.len() {
        let Some((end, expression)) = matcher.match_at(i) else {
            i += 1;
            continue;
        };
        let start = matcher.extend_left(i, floor, &expression);
        if let (Some(first), Some(last)) = (matcher.tokens.get(start), matcher.tokens.get(end - 1))
            && let Some(resolved) = resolver.resolve(&matcher, &expression, i, end)
        {
            resolver.quarter_is_topic = resolved.precision == TimexPrecision::Quarter;
            out.push(DateMention {
                start: first.char_start,
                end: last.char_end,
                value: resolved.value,
                precision: resolved.precision,
                anchor: resolved.anchored.then(|| resolver.anchor()).flatten(),
            });
        }
        floor = end;
        i = end;
    }
    out
}

#[cfg(test)]
mod tests;

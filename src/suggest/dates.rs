//! Date mentions: absolute and relative expressions, normalised to TIMEX3-style values
//! against the publication date.
//!
//! The text is cut into word, number and punctuation tokens (with code point and byte
//! offsets), expressions are matched on tokens left to right, longest first, and each one is
//! resolved with HeidelTime's news rules: a bare weekday is the latest such day on or before
//! the publication date unless the sentence speaks of the future; "last" is strictly before,
//! "next" strictly after; a month without a year takes the publication year (the year before
//! when the sentence is in the past tense and the month is still to come).

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};

use super::text::{
    Token, TokenKind, Tokenized, month_of_abbreviation, month_of_name, number_of_word,
    weekday_of_name,
};
use crate::model::{DatePrecision, PartialDate};

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
    pub precision: &'static str,
    /// The date the value was resolved against (ISO), for relative expressions.
    pub anchor: Option<String>,
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
    let scan = Scan::new(tokenized);
    let mut resolver = Resolver {
        dct: published,
        last_quarter: None,
        quarter_is_topic: false,
    };
    let mut out = Vec::new();
    let mut floor = 0;
    let mut i = 0;
    while i < scan.toks.len() {
        let Some((end, sem)) = scan.match_at(i) else {
            i += 1;
            continue;
        };
        let start = scan.extend_left(i, floor, &sem);
        if let (Some(first), Some(last)) = (scan.toks.get(start), scan.toks.get(end - 1))
            && let Some(resolved) = resolver.resolve(&scan, &sem, i, end)
        {
            resolver.quarter_is_topic = resolved.precision == "quarter";
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

// --- Tokens ---

// Per token: part of a number with thousands or decimal separators ("2,000", "2.5"): counts
// and amounts, never dates.
fn separated_numbers(text: &str, tokens: &[Token]) -> Vec<bool> {
    let mut compound = vec![false; tokens.len()];
    for k in 1..tokens.len() {
        let is_sep = tokens.get(k).is_some_and(|t| {
            t.kind == TokenKind::Punct
                && t.glued
                && t.byte_end - t.byte_start == 1
                && matches!(t.text(text), "," | ".")
        });
        let before_num = tokens
            .get(k - 1)
            .is_some_and(|t| t.kind == TokenKind::Number);
        let after_num = tokens
            .get(k + 1)
            .is_some_and(|t| t.kind == TokenKind::Number && t.glued);
        if is_sep && before_num && after_num {
            if let Some(flag) = compound.get_mut(k - 1) {
                *flag = true;
            }
            if let Some(flag) = compound.get_mut(k + 1) {
                *flag = true;
            }
        }
    }
    compound
}

// --- Vocabulary ---

const ORDINALS: [(&str, u32); 4] = [("first", 1), ("second", 2), ("third", 3), ("fourth", 4)];

const DECADE_WORDS: [(&str, i32); 8] = [
    ("twenties", 192),
    ("thirties", 193),
    ("forties", 194),
    ("fifties", 195),
    ("sixties", 196),
    ("seventies", 197),
    ("eighties", 198),
    ("nineties", 199),
];

// Words after a four-digit number that make it a count, not a year.
const COUNT_NOUNS: [&str; 48] = [
    "people",
    "persons",
    "person",
    "troops",
    "soldiers",
    "civilians",
    "men",
    "women",
    "children",
    "deaths",
    "dead",
    "killed",
    "injured",
    "wounded",
    "casualties",
    "victims",
    "refugees",
    "fighters",
    "militants",
    "rebels",
    "police",
    "officers",
    "prisoners",
    "detainees",
    "families",
    "homes",
    "houses",
    "buildings",
    "km",
    "kilometres",
    "kilometers",
    "miles",
    "metres",
    "meters",
    "feet",
    "tonnes",
    "tons",
    "dollars",
    "euros",
    "pounds",
    "shares",
    "gmt",
    "utc",
    "hours",
    "hrs",
    "percent",
    "votes",
    "points",
];

// Words before a four-digit number that make it a count.
const COUNT_CONTEXT: [&str; 22] = [
    "killed",
    "killing",
    "kill",
    "kills",
    "wounded",
    "injured",
    "injuring",
    "wounding",
    "about",
    "around",
    "nearly",
    "almost",
    "some",
    "least",
    "than",
    "estimated",
    "approximately",
    "roughly",
    "total",
    "only",
    "number",
    "no",
];

// Words before a number or a month that make it a date.
const DATE_CONTEXT: [&str; 22] = [
    "in", "since", "by", "until", "till", "from", "during", "before", "after", "of", "on", "early",
    "late", "mid", "fiscal", "last", "next", "this", "through", "between", "and", "to",
];

// Every word that can begin an expression, sorted: the scanner skips all others at once.
const STARTERS: [&[u8]; 85] = [
    b"a",
    b"an",
    b"apr",
    b"april",
    b"aug",
    b"august",
    b"autumn",
    b"coming",
    b"current",
    b"currently",
    b"dec",
    b"december",
    b"eight",
    b"eighties",
    b"eleven",
    b"fall",
    b"feb",
    b"february",
    b"fifties",
    b"first",
    b"five",
    b"forties",
    b"four",
    b"fourth",
    b"friday",
    b"jan",
    b"january",
    b"jul",
    b"july",
    b"jun",
    b"june",
    b"last",
    b"mar",
    b"march",
    b"may",
    b"monday",
    b"next",
    b"nine",
    b"nineteen",
    b"nineties",
    b"nov",
    b"november",
    b"now",
    b"nowadays",
    b"oct",
    b"october",
    b"one",
    b"past",
    b"previous",
    b"q",
    b"recent",
    b"recently",
    b"saturday",
    b"second",
    b"sep",
    b"sept",
    b"september",
    b"seven",
    b"seventies",
    b"six",
    b"sixties",
    b"soon",
    b"spring",
    b"summer",
    b"sunday",
    b"ten",
    b"the",
    b"these",
    b"third",
    b"thirties",
    b"this",
    b"three",
    b"thursday",
    b"today",
    b"tomorrow",
    b"tonight",
    b"tuesday",
    b"twelve",
    b"twenties",
    b"twenty",
    b"two",
    b"wednesday",
    b"winter",
    b"year",
    b"yesterday",
];

// True when the word can begin a date expression (allocation-free, case-insensitive).
fn may_start(word: &str) -> bool {
    let mut buffer = [0_u8; 12];
    let Some(lower) = buffer.get_mut(..word.len()) else {
        return false;
    };
    lower.copy_from_slice(word.as_bytes());
    lower.make_ascii_lowercase();
    STARTERS.binary_search(&&*lower).is_ok()
}

// --- Scanner ---

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rel {
    Bare,
    Last,
    Next,
    This,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    Day,
    Week,
    Month,
    Quarter,
    Year,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Sem {
    Day {
        year: Option<i32>,
        month: u32,
        day: u32,
        // Said next to the date ("Friday, 25 February"): picks the year when none is given.
        weekday: Option<Weekday>,
        // "7 October last year": the year relative to the publication year.
        year_shift: Option<i32>,
    },
    Month {
        year: Option<i32>,
        month: u32,
        rel: Rel,
    },
    Year(i32),
    Decade(i32),
    Century(i32),
    Season {
        year: Option<i32>,
        season: &'static str,
        rel: Rel,
    },
    Quarter {
        year: Option<i32>,
        quarter: u32,
        shift: i32,
    },
    Half {
        year: Option<i32>,
        half: u32,
    },
    Weekday {
        weekday: Weekday,
        rel: Rel,
    },
    Weekend(Rel),
    Offset {
        unit: Unit,
        amount: i64,
    },
    // "the quarter" (-1: the last one reported), "this quarter" (0).
    RelQuarter(i64),
    // "a year ago", "year-earlier": a year before the quarter being discussed, if any.
    YearEarlier,
    Ref(&'static str),
}

struct Scan<'a> {
    text: &'a str,
    toks: &'a [Token],
    // Per token: part of a number written with separators ("2,000", "2.5").
    compound: Vec<bool>,
    // The token range of each sentence.
    sentences: Vec<std::ops::Range<usize>>,
}

impl<'a> Scan<'a> {
    fn new(tokenized: &'a Tokenized<'a>) -> Self {
        Self {
            text: tokenized.text,
            toks: &tokenized.tokens,
            compound: separated_numbers(tokenized.text, &tokenized.tokens),
            sentences: tokenized
                .sentences
                .iter()
                .map(|s| s.tokens.clone())
                .collect(),
        }
    }

    fn str_at(&self, i: usize) -> Option<&str> {
        let t = self.toks.get(i)?;
        self.text.get(t.byte_start..t.byte_end)
    }

    fn word(&self, i: usize) -> Option<&str> {
        let t = self.toks.get(i)?;
        if t.kind == TokenKind::Word {
            self.str_at(i)
        } else {
            None
        }
    }

    fn is(&self, i: usize, word: &str) -> bool {
        self.word(i).is_some_and(|w| w.eq_ignore_ascii_case(word))
    }

    fn is_any(&self, i: usize, words: &[&str]) -> bool {
        self.word(i)
            .is_some_and(|w| words.iter().any(|x| w.eq_ignore_ascii_case(x)))
    }

    fn punct(&self, i: usize, c: char) -> bool {
        self.toks.get(i).is_some_and(|t| t.kind == TokenKind::Punct)
            && self
                .str_at(i)
                .is_some_and(|s| s.starts_with(c) || (c == '\'' && s == "\u{2019}"))
    }

    fn glued(&self, i: usize) -> bool {
        self.toks.get(i).is_some_and(|t| t.glued)
    }

    fn capitalized(&self, i: usize) -> bool {
        self.word(i)
            .and_then(|w| w.chars().next())
            .is_some_and(char::is_uppercase)
    }

    // A plain number (not part of "2,000"): value and digit count.
    fn num(&self, i: usize) -> Option<(u32, usize)> {
        let t = self.toks.get(i)?;
        if t.kind != TokenKind::Number || self.compound.get(i).copied().unwrap_or(false) {
            return None;
        }
        let s = self.str_at(i)?;
        if s.len() > 6 {
            return None;
        }
        Some((s.parse().ok()?, s.len()))
    }

    // A day of the month, with an optional glued ordinal suffix: (day, next token).
    fn day_at(&self, i: usize) -> Option<(u32, usize)> {
        let (day, len) = self.num(i)?;
        if len > 2 || !(1..=31).contains(&day) {
            return None;
        }
        // Not "18/01" or "18.5" or "18:00".
        if self.glued(i + 1) && (self.punct(i + 1, ':') || self.punct(i + 1, '/')) {
            return None;
        }
        if self.glued(i + 1) && self.is_any(i + 1, &["st", "nd", "rd", "th"]) {
            return Some((day, i + 2));
        }
        if self.glued(i + 1) && self.word(i + 1).is_some() {
            return None;
        }
        Some((day, i + 1))
    }

    // A month name: (month, next token, abbreviated).
    fn month_at(&self, i: usize) -> Option<(u32, usize, bool)> {
        let w = self.word(i)?;
        if let Some(m) = month_of_name(w) {
            return Some((m, i + 1, false));
        }
        let m = month_of_abbreviation(w)?;
        if !self.capitalized(i) {
            return None;
        }
        if self.punct(i + 1, '.') && self.glued(i + 1) {
            return Some((m, i + 2, true));
        }
        Some((m, i + 1, true))
    }

    fn weekday_at(&self, i: usize) -> Option<Weekday> {
        if !self.capitalized(i) {
            return None;
        }
        weekday_of_name(self.word(i)?)
    }

    // A four-digit year right after a month or a day ("January 2024", "18 Jan, 2024").
    fn year_after(&self, i: usize) -> Option<(i32, usize)> {
        let j = if self.punct(i, ',') { i + 1 } else { i };
        if let Some(found) = self.spoken_year(j) {
            return Some(found);
        }
        let (y, len) = self.num(j)?;
        if len != 4 || !(1000..=2100).contains(&y) {
            return None;
        }
        if self.glued(j + 1) && (self.word(j + 1).is_some() || self.num(j + 1).is_some()) {
            return None;
        }
        if self.is_any(j + 1, &COUNT_NOUNS) || self.hyphen_compound(j + 1) {
            return None;
        }
        Some((i32::try_from(y).ok()?, j + 1))
    }

    // The year after a day and month: written ("2024"), relative ("last year") or none.
    fn year_of_date(&self, k: usize) -> (Option<i32>, Option<i32>, usize) {
        if let Some((year, end)) = self.year_after(k) {
            return (Some(year), None, end);
        }
        if self.is_any(k, &["last", "this", "next"])
            && let Some((
                end,
                Sem::Offset {
                    unit: Unit::Year,
                    amount,
                },
            )) = self.relative_expression(k)
            && end == k + 2
        {
            return (None, i32::try_from(amount).ok(), end);
        }
        (None, None, k)
    }

    // "nineteen ninety-six", as broadcast transcripts write years.
    fn spoken_year(&self, i: usize) -> Option<(i32, usize)> {
        if !self.is(i, "nineteen") {
            return None;
        }
        let w = self.word(i + 1)?;
        let tens = number_of_word(w).filter(|n| n % 10 == 0)?;
        let tens = i32::try_from(tens).ok()?;
        if self.punct(i + 2, '-')
            && let Some(unit) = self.number_word(i + 3).filter(|n| (1..=9).contains(n))
            && self.word(i + 3).is_some_and(|w| w.len() > 2)
        {
            return Some((1900 + tens + i32::try_from(unit).ok()?, i + 4));
        }
        Some((1900 + tens, i + 2))
    }

    fn number_word(&self, i: usize) -> Option<i64> {
        if let Some((n, len)) = self.num(i) {
            return (len <= 3).then_some(i64::from(n));
        }
        // "a" and "an" count one; the cardinals up to twelve and "twenty" count.
        let w = self.word(i)?;
        if w.eq_ignore_ascii_case("a") || w.eq_ignore_ascii_case("an") {
            return Some(1);
        }
        let n = number_of_word(w).filter(|&n| n <= 12 || n == 20)?;
        i64::try_from(n).ok()
    }

    fn unit_at(&self, i: usize) -> Option<Unit> {
        let w = self.word(i)?;
        let w = w.strip_suffix(['s', 'S']).unwrap_or(w);
        [
            ("day", Unit::Day),
            ("week", Unit::Week),
            ("month", Unit::Month),
            ("quarter", Unit::Quarter),
            ("year", Unit::Year),
        ]
        .iter()
        .find(|(name, _)| w.eq_ignore_ascii_case(name))
        .map(|&(_, u)| u)
    }

    fn ordinal_at(&self, i: usize) -> Option<(u32, usize)> {
        if let Some(w) = self.word(i) {
            return ORDINALS
                .iter()
                .find(|(name, _)| w.eq_ignore_ascii_case(name))
                .map(|&(_, n)| (n, i + 1));
        }
        let (n, len) = self.num(i)?;
        (len == 1 && (1..=4).contains(&n) && self.is_any(i + 1, &["st", "nd", "rd", "th"]))
            .then_some((n, i + 2))
    }

    // "third quarter", "third-quarter", "Q3": (quarter, next token).
    fn quarter_at(&self, i: usize) -> Option<(u32, usize)> {
        if self.word(i).is_some_and(|w| w == "Q")
            && let Some((q, 1)) = self.num(i + 1)
            && self.glued(i + 1)
            && (1..=4).contains(&q)
        {
            return Some((q, i + 2));
        }
        let (q, j) = self.ordinal_at(i)?;
        let j = if self.punct(j, '-') { j + 1 } else { j };
        let j = if self.is(j, "fiscal") { j + 1 } else { j };
        self.is_quarter(j).then_some((q, j + 1))
    }

    fn season_at(&self, i: usize) -> Option<&'static str> {
        let w = self.word(i)?;
        [
            ("spring", "SP"),
            ("summer", "SU"),
            ("autumn", "FA"),
            ("fall", "FA"),
            ("winter", "WI"),
        ]
        .iter()
        .find(|(name, _)| w.eq_ignore_ascii_case(name))
        .map(|&(_, s)| s)
    }

    // "quarter" as a date word, not in "quarter-final" or "quarters".
    fn is_quarter(&self, i: usize) -> bool {
        self.is(i, "quarter") && !(self.punct(i + 1, '-') && self.glued(i + 1) && self.glued(i + 2))
    }

    // A hyphenated compound starts here: "2048-bit", "1,500-strong".
    fn hyphen_compound(&self, i: usize) -> bool {
        self.punct(i, '-') && self.glued(i) && self.glued(i + 1) && self.word(i + 1).is_some()
    }

    fn prev_is_any(&self, i: usize, words: &[&str]) -> bool {
        i > 0 && self.is_any(i - 1, words)
    }

    // --- Core matchers ---

    fn match_at(&self, i: usize) -> Option<(usize, Sem)> {
        let tok = self.toks.get(i)?;
        match tok.kind {
            TokenKind::Number => self.numeric_at(i),
            TokenKind::Word => self.words_at(i),
            TokenKind::Punct => self.apostrophe_decade(i),
        }
    }

    fn apostrophe_decade(&self, i: usize) -> Option<(usize, Sem)> {
        if !self.punct(i, '\'') || i > 0 && self.glued(i) && self.word(i - 1).is_some() {
            return None;
        }
        let (n, 2) = self.num(i + 1)? else {
            return None;
        };
        (self.glued(i + 1) && self.glued(i + 2) && self.is(i + 2, "s") && n % 10 == 0)
            .then(|| (i + 3, Sem::Decade(i32::try_from(190 + n / 10).unwrap_or(0))))
    }

    fn numeric_at(&self, i: usize) -> Option<(usize, Sem)> {
        if let Some(found) = self.numeric_date(i) {
            return Some(found);
        }
        if let Some((day, j)) = self.day_at(i) {
            let k = if self.is(j, "of") { j + 1 } else { j };
            if let Some((month, k, _)) = self.month_at(k) {
                let (year, year_shift, k) = self.year_of_date(k);
                return Some((
                    k,
                    Sem::Day {
                        year,
                        month,
                        day,
                        weekday: None,
                        year_shift,
                    },
                ));
            }
        }
        self.period_expression(i).or_else(|| self.year_at(i))
    }

    // 2024-01-18, 18/01/2024, 01/18/2024 (only where day and month cannot be confused).
    fn numeric_date(&self, i: usize) -> Option<(usize, Sem)> {
        let (a, alen) = self.num(i)?;
        let sep = ['-', '/', '.']
            .into_iter()
            .find(|&c| self.punct(i + 1, c) && self.glued(i + 1))?;
        if !(self.glued(i + 2) && self.punct(i + 3, sep) && self.glued(i + 3) && self.glued(i + 4))
        {
            return None;
        }
        let (b, blen) = self.num(i + 2)?;
        let (c, clen) = self.num(i + 4)?;
        // "2024-01-18T10:00:00Z" is a date with a time; "18/01/2024x" is something else.
        let with_time =
            self.word(i + 5) == Some("T") && self.glued(i + 6) && self.num(i + 6).is_some();
        if self.glued(i + 5)
            && (self.num(i + 5).is_some() || self.word(i + 5).is_some())
            && !with_time
        {
            return None;
        }
        let (year, month, day) = if alen == 4 && blen <= 2 && clen <= 2 {
            (a, b, c)
        } else if alen <= 2 && blen <= 2 && clen == 4 && sep != '-' {
            if a == b || a > 12 {
                (c, b, a)
            } else if b > 12 {
                (c, a, b)
            } else {
                return None;
            }
        } else {
            return None;
        };
        let year = i32::try_from(year).ok()?;
        NaiveDate::from_ymd_opt(year, month, day)?;
        Some((
            i + 5,
            Sem::Day {
                year: Some(year),
                month,
                day,
                weekday: None,
                year_shift: None,
            },
        ))
    }

    fn year_at(&self, i: usize) -> Option<(usize, Sem)> {
        let (y, len) = self.num(i)?;
        if len != 4 || !(1000..=2100).contains(&y) {
            return None;
        }
        let year = i32::try_from(y).ok()?;
        // "1990s", "1990's".
        if self.glued(i + 1) && self.is(i + 1, "s") && y % 10 == 0 {
            return Some((i + 2, Sem::Decade(year / 10)));
        }
        if self.glued(i + 1) && (self.word(i + 1).is_some() || self.num(i + 1).is_some()) {
            return None;
        }
        if self.glued(i + 1) && self.punct(i + 1, '%') || self.hyphen_compound(i + 1) {
            return None;
        }
        if i > 0 && (self.punct(i - 1, '$') || self.punct(i - 1, '£') || self.punct(i - 1, '€'))
        {
            return None;
        }
        // The end of a numeric date left out as ambiguous ("05/06/2024").
        if i > 0 && self.glued(i) && (self.punct(i - 1, '/') || self.punct(i - 1, '.')) {
            return None;
        }
        if self.is_any(i + 1, &COUNT_NOUNS) || self.prev_is_any(i, &COUNT_CONTEXT) {
            return None;
        }
        // "1,500-strong", "1500 to 2000 people".
        if self.is_any(i + 1, &["to", "and", "or"])
            && self.num(i + 2).is_some()
            && self.is_any(i + 3, &COUNT_NOUNS)
        {
            return None;
        }
        let dated = self.prev_is_any(i, &DATE_CONTEXT) || (i > 0 && self.month_at(i - 1).is_some());
        if !(1900..=2100).contains(&y) && !dated {
            return None;
        }
        // "1998 third quarter".
        if let Some((quarter, j)) = self.quarter_at(i + 1) {
            return Some((
                j,
                Sem::Quarter {
                    year: Some(year),
                    quarter,
                    shift: 0,
                },
            ));
        }
        Some((i + 1, Sem::Year(year)))
    }

    fn words_at(&self, i: usize) -> Option<(usize, Sem)> {
        if !self.word(i).is_some_and(may_start) {
            return None;
        }
        if let Some((year, end)) = self.spoken_year(i) {
            return Some((end, Sem::Year(year)));
        }
        if let Some(found) = self.month_expression(i) {
            return Some(found);
        }
        if let Some(found) = self.weekday_expression(i) {
            return Some(found);
        }
        if let Some(found) = self.relative_expression(i) {
            return Some(found);
        }
        if let Some(found) = self.period_expression(i) {
            return Some(found);
        }
        self.reference_expression(i)
    }

    fn month_expression(&self, i: usize) -> Option<(usize, Sem)> {
        let (month, j, abbreviated) = self.month_at(i)?;
        if let Some((day, k)) = self.day_at(j) {
            // "January 18" but not "March 3-5 people"; the comma before a year is optional.
            let (year, year_shift, k) = self.year_of_date(k);
            return Some((
                k,
                Sem::Day {
                    year,
                    month,
                    day,
                    weekday: None,
                    year_shift,
                },
            ));
        }
        let k = if self.is(j, "of") { j + 1 } else { j };
        if let Some((year, k)) = self.year_after(k) {
            return Some((
                k,
                Sem::Month {
                    year: Some(year),
                    month,
                    rel: Rel::Bare,
                },
            ));
        }
        if abbreviated || !self.capitalized(i) {
            return None;
        }
        // "May" and "March" alone are words more often than months.
        if (month == 5 || month == 3)
            && !self.prev_is_any(i, &DATE_CONTEXT)
            && !(i > 1 && self.punct(i - 1, '-') && self.is(i - 2, "mid"))
        {
            return None;
        }
        // "June last year".
        if let Some((
            end,
            Sem::Offset {
                unit: Unit::Year,
                amount,
            },
        )) = self.relative_expression(j)
            && end == j + 2
        {
            return Some((
                end,
                Sem::Month {
                    year: None,
                    month,
                    rel: match amount {
                        -1 => Rel::Last,
                        1 => Rel::Next,
                        _ => Rel::This,
                    },
                },
            ));
        }
        Some((
            j,
            Sem::Month {
                year: None,
                month,
                rel: Rel::Bare,
            },
        ))
    }

    fn weekday_expression(&self, i: usize) -> Option<(usize, Sem)> {
        let weekday = self.weekday_at(i)?;
        let j = if self.punct(i + 1, ',') { i + 2 } else { i + 1 };
        let dated = self
            .month_expression(j)
            .or_else(|| self.num(j).is_some().then(|| self.numeric_at(j)).flatten());
        if let Some((
            end,
            Sem::Day {
                year,
                month,
                day,
                year_shift,
                ..
            },
        )) = dated
        {
            let weekday = Some(weekday);
            return Some((
                end,
                Sem::Day {
                    year,
                    month,
                    day,
                    weekday,
                    year_shift,
                },
            ));
        }
        Some((
            i + 1,
            Sem::Weekday {
                weekday,
                rel: Rel::Bare,
            },
        ))
    }

    // today, yesterday, last week, next year, this month, two days ago, a year earlier, ...
    fn relative_expression(&self, i: usize) -> Option<(usize, Sem)> {
        let w = self.word(i)?;
        let lower = |s: &str| w.eq_ignore_ascii_case(s);
        if lower("today") || lower("tonight") {
            return Some((
                i + 1,
                Sem::Offset {
                    unit: Unit::Day,
                    amount: 0,
                },
            ));
        }
        if lower("yesterday") {
            return Some((
                i + 1,
                Sem::Offset {
                    unit: Unit::Day,
                    amount: -1,
                },
            ));
        }
        if lower("tomorrow") {
            return Some((
                i + 1,
                Sem::Offset {
                    unit: Unit::Day,
                    amount: 1,
                },
            ));
        }
        if lower("year") && self.punct(i + 1, '-') && self.is_any(i + 2, &["earlier", "ago"]) {
            let end = if self.is_any(i + 3, &["quarter", "period"]) {
                i + 4
            } else {
                i + 3
            };
            return Some((end, Sem::YearEarlier));
        }
        let rel = if lower("last") || lower("past") || lower("previous") {
            Some(Rel::Last)
        } else if lower("next") || lower("coming") {
            Some(Rel::Next)
        } else if lower("this") || lower("current") {
            Some(Rel::This)
        } else {
            None
        };
        if let Some(rel) = rel {
            // "this coming Sunday", "this past week".
            let (rel, j) = if rel == Rel::This && self.is_any(i + 1, &["coming", "past"]) {
                let rel = if self.is(i + 1, "coming") {
                    Rel::Next
                } else {
                    Rel::Last
                };
                (rel, i + 2)
            } else {
                (rel, i + 1)
            };
            return self.relational(i, j, rel);
        }
        // "two days ago", "a year earlier".
        let n = self.number_word(i)?;
        let unit = self.unit_at(i + 1)?;
        if !self.is_any(i + 2, &["ago", "earlier", "before"]) {
            return None;
        }
        if self.is(i + 2, "before") && !self.prev_is_any(i, &["the"]) {
            return None;
        }
        if unit == Unit::Year && n == 1 && !self.is(i + 2, "before") {
            return Some((i + 3, Sem::YearEarlier));
        }
        if unit == Unit::Quarter {
            return None;
        }
        Some((i + 3, Sem::Offset { unit, amount: -n }))
    }

    fn relational(&self, i: usize, j: usize, rel: Rel) -> Option<(usize, Sem)> {
        let amount = match rel {
            Rel::Last => -1,
            Rel::Next => 1,
            Rel::Bare | Rel::This => 0,
        };
        let current = self.is(i, "current");
        let past = self.is(i, "past") || self.is(i, "previous");
        if let Some(weekday) = self.weekday_at(j) {
            if current || past && !self.prev_is_any(i, &["the", "this"]) {
                return None;
            }
            return Some((j + 1, Sem::Weekday { weekday, rel }));
        }
        if self.is(j, "weekend") && !current {
            return Some((j + 1, Sem::Weekend(rel)));
        }
        if let Some((month, k, false)) = self.month_at(j)
            && self.capitalized(j)
            && !current
            && !past
        {
            return Some((
                k,
                Sem::Month {
                    year: None,
                    month,
                    rel,
                },
            ));
        }
        if let Some(season) = self.season_at(j)
            && !current
        {
            return Some((
                j + 1,
                Sem::Season {
                    year: None,
                    season,
                    rel,
                },
            ));
        }
        // "past" and "previous" with units are durations ("the past week").
        if past {
            return None;
        }
        let unit = self.unit_at(j)?;
        if self.word(j).is_some_and(|w| w.ends_with(['s', 'S']))
            || unit == Unit::Quarter && !self.is_quarter(j)
        {
            return None;
        }
        // "this year's third quarter".
        if unit == Unit::Year
            && self.punct(j + 1, '\'')
            && self.is(j + 2, "s")
            && let Some((quarter, k)) = self.quarter_at(j + 3)
        {
            return Some((
                k,
                Sem::Quarter {
                    year: None,
                    quarter,
                    shift: i32::try_from(amount).unwrap_or(0),
                },
            ));
        }
        if unit == Unit::Quarter {
            return Some((j + 1, Sem::RelQuarter(amount)));
        }
        if unit == Unit::Day {
            return None;
        }
        Some((j + 1, Sem::Offset { unit, amount }))
    }

    // Quarters, halves, seasons, decades, centuries, weekends.
    fn period_expression(&self, i: usize) -> Option<(usize, Sem)> {
        if let Some((quarter, j)) = self.quarter_at(i) {
            let k = if self.is(j, "of") { j + 1 } else { j };
            if let Some((y, k)) = self.year_after(k) {
                let sem = Sem::Quarter {
                    year: Some(y),
                    quarter,
                    shift: 0,
                };
                return Some((k, sem));
            }
            // "the first quarter of next year".
            if self.is(j, "of")
                && let Some((
                    end,
                    Sem::Offset {
                        unit: Unit::Year,
                        amount,
                    },
                )) = self.relative_expression(k)
            {
                let shift = i32::try_from(amount).unwrap_or(0);
                return Some((
                    end,
                    Sem::Quarter {
                        year: None,
                        quarter,
                        shift,
                    },
                ));
            }
            return Some((
                j,
                Sem::Quarter {
                    year: None,
                    quarter,
                    shift: 0,
                },
            ));
        }
        // "the first half of 1990".
        if let Some((n, j)) = self
            .ordinal_at(i)
            .or_else(|| (self.is(i, "last") && self.prev_is_any(i, &["the"])).then_some((2, i + 1)))
            && n <= 2
            && self.is(j, "half")
            && self.is(j + 1, "of")
        {
            if let Some((y, k)) = self.year_after(j + 2) {
                return Some((
                    k,
                    Sem::Half {
                        year: Some(y),
                        half: n,
                    },
                ));
            }
            return None;
        }
        // "the latest quarter", "the quarter".
        if self.is(i, "the") {
            if self.is_quarter(i + 1) && !self.is(i + 2, "of") {
                return Some((i + 2, Sem::RelQuarter(-1)));
            }
            if self.is(i + 1, "latest") && self.is_any(i + 2, &["quarter", "period"]) {
                return Some((i + 3, Sem::RelQuarter(-1)));
            }
            if self.is(i + 1, "weekend") {
                return Some((i + 2, Sem::Weekend(Rel::Bare)));
            }
        }
        if let Some(season) = self.season_at(i) {
            let k = if self.is(i + 1, "of") { i + 2 } else { i + 1 };
            if let Some((y, k)) = self.year_after(k) {
                return Some((
                    k,
                    Sem::Season {
                        year: Some(y),
                        season,
                        rel: Rel::Bare,
                    },
                ));
            }
            if self.prev_is_any(i, &["the", "in", "early", "late", "during"]) && season != "FA"
                || self.prev_is_any(i, &["the"]) && self.prev_is_any(i - 1, &["in", "during"])
            {
                return Some((
                    i + 1,
                    Sem::Season {
                        year: None,
                        season,
                        rel: Rel::Bare,
                    },
                ));
            }
            return None;
        }
        // "the 20th century".
        if let Some((n, 2)) = self.num(i)
            && self.glued(i + 1)
            && self.is_any(i + 1, &["st", "nd", "rd", "th"])
            && self.is(i + 2, "century")
            && (1..=30).contains(&n)
        {
            return Some((i + 3, Sem::Century(i32::try_from(n).unwrap_or(1) - 1)));
        }
        // "the nineties".
        if self.prev_is_any(i, &["the"])
            && let Some(w) = self.word(i)
            && let Some(&(_, d)) = DECADE_WORDS.iter().find(|(n, _)| w.eq_ignore_ascii_case(n))
        {
            return Some((i + 1, Sem::Decade(d)));
        }
        None
    }

    // now, currently, recently, the past, the future, soon.
    fn reference_expression(&self, i: usize) -> Option<(usize, Sem)> {
        let w = self.word(i)?;
        let lower = |s: &str| w.eq_ignore_ascii_case(s);
        if lower("now") && !self.is(i + 1, "that") || lower("currently") || lower("nowadays") {
            return Some((i + 1, Sem::Ref("PRESENT_REF")));
        }
        if lower("these") && self.is(i + 1, "days") {
            return Some((i + 2, Sem::Ref("PRESENT_REF")));
        }
        if lower("recently") {
            return Some((i + 1, Sem::Ref("PAST_REF")));
        }
        if lower("recent") && self.is_any(i + 1, &["years", "months", "weeks", "days"]) {
            return Some((i + 2, Sem::Ref("PAST_REF")));
        }

        if lower("soon") && !self.is(i + 1, "after") && !self.prev_is_any(i, &["as"]) {
            return Some((i + 1, Sem::Ref("FUTURE_REF")));
        }
        if lower("the") {
            if self.is(i + 1, "past")
                && !self.glued(i + 2)
                && self.unit_at(i + 2).is_none()
                && self.number_word(i + 2).is_none()
                && !self.is_any(i + 2, &["few", "several", "decade", "century"])
            {
                return Some((i + 2, Sem::Ref("PAST_REF")));
            }
            if self.is(i + 1, "future") {
                return Some((i + 2, Sem::Ref("FUTURE_REF")));
            }
            if self.is(i + 1, "near") && self.is_any(i + 2, &["future", "term"])
                || self.is(i + 1, "short") && self.is(i + 2, "term")
            {
                return Some((i + 3, Sem::Ref("FUTURE_REF")));
            }
        }
        if lower("coming") && self.is_any(i + 1, &["months", "weeks", "years", "days"]) {
            return Some((i + 2, Sem::Ref("FUTURE_REF")));
        }
        None
    }

    // Words before a match that belong to it: "the", "early", "mid-", "the end of", "fiscal".
    fn extend_left(&self, start: usize, floor: usize, sem: &Sem) -> usize {
        let mut s = start;
        loop {
            if s <= floor {
                return s;
            }
            let p = s - 1;
            if self.is_any(p, &["early", "late", "earlier", "later", "fiscal", "mid"]) {
                s = p;
                continue;
            }
            // "nearly four years ago", "more recently".
            let hedge = match sem {
                Sem::Offset { .. } | Sem::YearEarlier => {
                    self.is_any(p, &["nearly", "almost", "about", "some", "roughly"])
                }
                Sem::Ref(_) => self.is_any(p, &["more", "most", "very"]),
                _ => false,
            };
            if hedge {
                return p;
            }
            if self.punct(p, '-') && p > floor && self.is(p - 1, "mid") {
                s = p - 1;
                continue;
            }
            if self.is_any(p, &["of"])
                && p >= floor + 2
                && self.is_any(p - 1, &["end", "beginning", "start", "middle", "turn"])
            {
                s = p - 1;
                if self.is(s - 1, "the") {
                    return s - 1;
                }
                continue;
            }
            let takes_the = matches!(
                sem,
                Sem::Quarter { .. }
                    | Sem::Half { .. }
                    | Sem::Decade(_)
                    | Sem::Century(_)
                    | Sem::Season { .. }
                    | Sem::YearEarlier
            ) || s < start
                || self.is(start, "current");
            // "the third-quarter profit": a hyphenated quarter is an adjective, bare.
            let adjective = matches!(sem, Sem::Quarter { .. })
                && (start..start + 4).any(|k| self.punct(k, '-') && self.is(k + 1, "quarter"));
            if takes_the && !adjective && self.is(p, "the") {
                s = p;
            }
            return s;
        }
    }
}

// --- Resolution ---

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tense {
    Past,
    Future,
    Unknown,
}

const FUTURE_MARKERS: [&str; 11] = [
    "will",
    "shall",
    "ll",
    "won",
    "would",
    "going",
    "scheduled",
    "expected",
    "due",
    "plans",
    "upcoming",
];

const PAST_MARKERS: [&str; 10] = [
    "said", "was", "were", "had", "did", "ago", "told", "began", "met", "went",
];

const NOT_PAST: [&str; 8] = [
    "need", "speed", "feed", "seed", "bed", "red", "hundred", "indeed",
];

impl Scan<'_> {
    fn tense_marker(&self, i: usize) -> Option<Tense> {
        let w = self.word(i)?;
        if FUTURE_MARKERS.iter().any(|m| w.eq_ignore_ascii_case(m)) {
            return Some(Tense::Future);
        }
        let past_form = w.len() >= 4
            && w.ends_with("ed")
            && !self.capitalized(i)
            && !NOT_PAST.iter().any(|m| w.eq_ignore_ascii_case(m));
        if past_form || PAST_MARKERS.iter().any(|m| w.eq_ignore_ascii_case(m)) {
            return Some(Tense::Past);
        }
        None
    }

    // The token range of the sentence that holds token `i`.
    fn containing_sentence(&self, i: usize) -> std::ops::Range<usize> {
        let index = self.sentences.partition_point(|s| s.end <= i);
        self.sentences.get(index).cloned().unwrap_or(i..i + 1)
    }

    // The tense of the verb closest to tokens [start, end) in their sentence, looking back
    // first, at most 30 tokens each way.
    fn tense(&self, start: usize, end: usize) -> Tense {
        let sentence = self.containing_sentence(start);
        let back = sentence.start.max(start.saturating_sub(30))..start;
        for k in back.rev() {
            if let Some(t) = self.tense_marker(k) {
                return t;
            }
        }
        for k in end..sentence.end.min(end + 30) {
            if let Some(t) = self.tense_marker(k) {
                return t;
            }
        }
        Tense::Unknown
    }

    // Whether one of `words` is in the sentence of token `start`, at most 40 tokens away.
    fn mentions_in_sentence(&self, start: usize, words: &[&str]) -> bool {
        let sentence = self.containing_sentence(start);
        (sentence.start.max(start.saturating_sub(40))..sentence.end.min(start + 40))
            .any(|k| self.is_any(k, words))
    }
}

struct Resolved {
    value: String,
    precision: &'static str,
    anchored: bool,
}

struct Resolver {
    dct: Option<PartialDate>,
    last_quarter: Option<(i32, u32)>,
    // The date mentioned last was a quarter: "a year ago" then means that quarter's.
    quarter_is_topic: bool,
}

fn ymd(date: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", date.year(), date.month(), date.day())
}

fn iso_week(date: NaiveDate) -> String {
    let week = date.iso_week();
    format!("{:04}-W{:02}", week.year(), week.week())
}

fn quarter_of(month: u32) -> u32 {
    month.div_ceil(3)
}

fn shift_quarter(year: i32, quarter: u32, by: i64) -> (i32, u32) {
    let index = i64::from(year) * 4 + i64::from(quarter) - 1 + by;
    (
        i32::try_from(index.div_euclid(4)).unwrap_or(year),
        u32::try_from(index.rem_euclid(4) + 1).unwrap_or(quarter),
    )
}

impl Resolver {
    fn anchor(&self) -> Option<String> {
        self.dct.map(|d| d.to_string())
    }

    fn day(&self) -> Option<NaiveDate> {
        self.dct
            .filter(|d| d.precision() == DatePrecision::Day)
            .map(PartialDate::first_day)
    }

    fn month(&self) -> Option<NaiveDate> {
        self.dct
            .filter(|d| d.precision() >= DatePrecision::Month)
            .map(PartialDate::first_day)
    }

    fn year(&self) -> Option<i32> {
        self.dct.map(|d| d.first_day().year())
    }

    fn resolve(
        &mut self,
        scan: &Scan<'_>,
        sem: &Sem,
        start: usize,
        end: usize,
    ) -> Option<Resolved> {
        let absolute = |value: String, precision| {
            Some(Resolved {
                value,
                precision,
                anchored: false,
            })
        };
        let relative = |value: Option<String>, unknown: String, precision| {
            Some(match value {
                Some(value) => Resolved {
                    value,
                    precision,
                    anchored: true,
                },
                None => Resolved {
                    value: unknown,
                    precision,
                    anchored: false,
                },
            })
        };
        match *sem {
            Sem::Day {
                year: Some(year),
                month,
                day,
                ..
            } => {
                let date = NaiveDate::from_ymd_opt(year, month, day)?;
                absolute(ymd(date), "day")
            }
            Sem::Day {
                year: None,
                month,
                day,
                year_shift: Some(shift),
                ..
            } => {
                let value = self
                    .year()
                    .and_then(|y| NaiveDate::from_ymd_opt(y + shift, month, day))
                    .map(ymd);
                relative(value, format!("XXXX-{month:02}-{day:02}"), "day")
            }
            Sem::Day {
                year: None,
                month,
                day,
                weekday,
                year_shift: None,
            } => {
                if !(1..=31).contains(&day) {
                    return None;
                }
                // The publication year; the next one for a future event in an earlier month.
                let year = match (self.month(), self.year()) {
                    (Some(dct), _) => {
                        let future = month < dct.month() && scan.tense(start, end) == Tense::Future;
                        Some(dct.year() + i32::from(future))
                    }
                    (None, year) => year,
                };
                // A weekday said with the date settles the year, if a near one fits.
                let fits = |y: i32| {
                    NaiveDate::from_ymd_opt(y, month, day)
                        .filter(|d| weekday.is_none_or(|w| d.weekday() == w))
                };
                let value = year.and_then(|year| {
                    fits(year)
                        .or_else(|| fits(year - 1))
                        .or_else(|| fits(year + 1))
                        .or_else(|| NaiveDate::from_ymd_opt(year, month, day))
                        .map(ymd)
                });
                relative(value, format!("XXXX-{month:02}-{day:02}"), "day")
            }
            Sem::Month {
                year: Some(year),
                month,
                ..
            } => absolute(format!("{year:04}-{month:02}"), "month"),
            Sem::Month {
                year: None,
                month,
                rel,
            } => {
                // Known to the month, "last June" and "next June" can be placed; known to the
                // year only, a bare month still takes the publication year.
                let value = match (self.month(), self.year()) {
                    (Some(dct), _) => {
                        let year = dct.year();
                        let year = match rel {
                            Rel::Last if month >= dct.month() => year - 1,
                            Rel::Next if month <= dct.month() => year + 1,
                            Rel::Bare => match scan.tense(start, end) {
                                Tense::Future if month < dct.month() => year + 1,
                                _ => year,
                            },
                            _ => year,
                        };
                        Some(format!("{year:04}-{month:02}"))
                    }
                    (None, Some(year)) if matches!(rel, Rel::Bare | Rel::This) => {
                        Some(format!("{year:04}-{month:02}"))
                    }
                    _ => None,
                };
                relative(value, format!("XXXX-{month:02}"), "month")
            }
            Sem::Year(year) => absolute(format!("{year:04}"), "year"),
            Sem::Decade(decade) => absolute(format!("{decade:03}"), "decade"),
            Sem::Century(century) => absolute(format!("{century:02}"), "century"),
            Sem::Season {
                year: Some(year),
                season,
                ..
            } => absolute(format!("{year:04}-{season}"), "season"),
            Sem::Season {
                year: None,
                season,
                rel,
            } => {
                let shift = match rel {
                    Rel::Last => -1,
                    Rel::Next => 1,
                    _ => 0,
                };
                let value = self.year().map(|y| format!("{:04}-{season}", y + shift));
                relative(value, format!("XXXX-{season}"), "season")
            }
            Sem::Quarter {
                year: Some(year),
                quarter,
                shift,
            } => {
                self.last_quarter = Some((year + shift, quarter));
                absolute(format!("{:04}-Q{quarter}", year + shift), "quarter")
            }
            Sem::Quarter {
                year: None,
                quarter,
                shift,
            } => {
                let value = self.year().map(|y| {
                    let mut year = y + shift;
                    if shift == 0
                        && let Some(dct) = self.month()
                        && quarter > quarter_of(dct.month())
                        && scan.tense(start, end) == Tense::Past
                    {
                        year -= 1;
                    }
                    self.last_quarter = Some((year, quarter));
                    format!("{year:04}-Q{quarter}")
                });
                relative(value, format!("XXXX-Q{quarter}"), "quarter")
            }
            Sem::Half { year, half } => match year {
                Some(y) => absolute(format!("{y:04}-H{half}"), "quarter"),
                None => relative(
                    self.year().map(|y| format!("{y:04}-H{half}")),
                    format!("XXXX-H{half}"),
                    "quarter",
                ),
            },
            Sem::RelQuarter(by) => {
                let value = self.month().map(|dct| {
                    let (y, q) = shift_quarter(dct.year(), quarter_of(dct.month()), by);
                    self.last_quarter = Some((y, q));
                    format!("{y:04}-Q{q}")
                });
                relative(value, "XXXX-QX".to_owned(), "quarter")
            }
            Sem::YearEarlier => {
                if let Some((y, q)) = self.last_quarter
                    && (self.quarter_is_topic
                        || scan.mentions_in_sentence(start, &["quarter", "quarterly", "period"]))
                {
                    return relative(Some(format!("{:04}-Q{q}", y - 1)), String::new(), "quarter");
                }
                relative(
                    self.year().map(|y| format!("{:04}", y - 1)),
                    "XXXX".to_owned(),
                    "year",
                )
            }
            Sem::Weekday { weekday, rel } => {
                let value = self.day().and_then(|dct| {
                    let tense = match rel {
                        Rel::Bare | Rel::This => scan.tense(start, end),
                        _ => Tense::Unknown,
                    };
                    weekday_near(dct, weekday, rel, tense).map(ymd)
                });
                let unknown = format!("XXXX-WXX-{}", weekday.number_from_monday());
                relative(value, unknown, "day")
            }
            Sem::Weekend(rel) => {
                let value = self.day().and_then(|dct| {
                    let saturday = weekday_near(dct, Weekday::Sat, rel, scan.tense(start, end))?;
                    Some(format!("{}-WE", iso_week(saturday)))
                });
                relative(value, "XXXX-WXX-WE".to_owned(), "week")
            }
            Sem::Offset { unit, amount } => self.offset(unit, amount),
            Sem::Ref(value) => absolute(value.to_owned(), "vague"),
        }
    }

    fn offset(&self, unit: Unit, amount: i64) -> Option<Resolved> {
        let shifted_month = |dct: NaiveDate| {
            let months = u32::try_from(amount.unsigned_abs()).ok()?;
            let first = dct.with_day(1)?;
            if amount < 0 {
                first.checked_sub_months(Months::new(months))
            } else {
                first.checked_add_months(Months::new(months))
            }
        };
        let shift_days = |dct: NaiveDate, days: i64| {
            let n = Days::new(days.unsigned_abs());
            if days < 0 {
                dct.checked_sub_days(n)
            } else {
                dct.checked_add_days(n)
            }
        };
        let (value, unknown, precision) = match unit {
            Unit::Day => (
                self.day().and_then(|d| shift_days(d, amount)).map(ymd),
                "XXXX-XX-XX",
                "day",
            ),
            Unit::Week => (
                self.day()
                    .and_then(|d| shift_days(d, amount * 7))
                    .map(iso_week),
                "XXXX-WXX",
                "week",
            ),
            Unit::Month => (
                self.month()
                    .and_then(shifted_month)
                    .map(|d| format!("{:04}-{:02}", d.year(), d.month())),
                "XXXX-XX",
                "month",
            ),
            Unit::Quarter => return None,
            Unit::Year => (
                self.year()
                    .and_then(|y| i32::try_from(i64::from(y) + amount).ok())
                    .map(|y| format!("{y:04}")),
                "XXXX",
                "year",
            ),
        };
        Some(match value {
            Some(value) => Resolved {
                value,
                precision,
                anchored: true,
            },
            None => Resolved {
                value: unknown.to_owned(),
                precision,
                anchored: false,
            },
        })
    }
}

// The weekday meant by a mention, seen from the publication date `dct`.
fn weekday_near(dct: NaiveDate, weekday: Weekday, rel: Rel, tense: Tense) -> Option<NaiveDate> {
    let from = i64::from(dct.weekday().num_days_from_monday());
    let to = i64::from(weekday.num_days_from_monday());
    let back = (from - to).rem_euclid(7);
    let forward = (to - from).rem_euclid(7);
    let days = match rel {
        Rel::Last => -(if back == 0 { 7 } else { back }),
        Rel::Next => {
            if forward == 0 {
                7
            } else {
                forward
            }
        }
        Rel::Bare | Rel::This => {
            if tense == Tense::Future {
                forward
            } else {
                -back
            }
        }
    };
    if days < 0 {
        dct.checked_sub_days(Days::new(days.unsigned_abs()))
    } else {
        dct.checked_add_days(Days::new(days.unsigned_abs()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn published() -> Option<PartialDate> {
        // Friday.
        PartialDate::from_parts(2024, Some(1), Some(19))
    }

    fn span(text: &str, m: &DateMention) -> String {
        text.chars().skip(m.start).take(m.end - m.start).collect()
    }

    // (span, value, precision) of every mention.
    fn dates(text: &str, dct: Option<PartialDate>) -> Vec<(String, String, &'static str)> {
        find_dates(text, dct)
            .iter()
            .map(|m| (span(text, m), m.value.clone(), m.precision))
            .collect()
    }

    fn one(text: &str) -> (String, String) {
        let found = dates(text, published());
        assert_eq!(found.len(), 1, "{text}: {found:?}");
        (found[0].0.clone(), found[0].1.clone())
    }

    fn pair(a: &str, b: &str) -> (String, String) {
        (a.to_owned(), b.to_owned())
    }

    #[test]
    fn domain_worked_example_resolves_weekdays_against_a_friday() {
        let text = "Iran said Thursday's strikes killed nine people. Pakistan condemned an \
                    Iranian attack on Tuesday. Earlier on Friday, Pakistan struck back.";
        let found = find_dates(text, published());
        let got: Vec<_> = found
            .iter()
            .map(|m| {
                (
                    span(text, m),
                    m.value.as_str(),
                    m.precision,
                    m.anchor.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    "Thursday".to_owned(),
                    "2024-01-18",
                    "day",
                    Some("2024-01-19")
                ),
                (
                    "Tuesday".to_owned(),
                    "2024-01-16",
                    "day",
                    Some("2024-01-19")
                ),
                ("Friday".to_owned(), "2024-01-19", "day", Some("2024-01-19")),
            ]
        );
    }

    #[test]
    fn date_glued_to_a_word_is_cut_out_and_absolute() {
        let text = "Pakistan strikes Iran - Published18 January 2024";
        let found = find_dates(text, published());
        assert_eq!(found.len(), 1);
        assert_eq!(span(text, &found[0]), "18 January 2024");
        assert_eq!(found[0].value, "2024-01-18");
        assert_eq!(found[0].precision, "day");
        assert_eq!(found[0].anchor, None);
    }

    #[test]
    fn offsets_are_code_points_after_emoji_and_arabic() {
        let text = "🇮🇷🔥 قالت إيران يوم الخميس: strikes on 16 January 2024 and Thursday";
        let found = find_dates(text, published());
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(span(text, &found[0]), "16 January 2024");
        assert_eq!(found[0].start, text.chars().position(|c| c == '1').unwrap());
        assert_eq!(span(text, &found[1]), "Thursday");
        assert_eq!(found[1].value, "2024-01-18");
    }

    #[test]
    fn without_publication_date_relative_values_stay_unknown() {
        let text = "Officials said Thursday that the attack last year, in March, \
                    was the worst since 2019.";
        let found = find_dates(text, None);
        let got: Vec<_> = found
            .iter()
            .map(|m| (span(text, m), m.value.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("Thursday".to_owned(), "XXXX-WXX-4"),
                ("last year".to_owned(), "XXXX"),
                ("March".to_owned(), "XXXX-03"),
                ("2019".to_owned(), "2019"),
            ]
        );
        assert!(found.iter().all(|m| m.anchor.is_none()));
        // Known to the year only: a bare month takes it, a weekday cannot be placed.
        let year_only = PartialDate::from_parts(2024, None, None);
        assert_eq!(
            dates("In March, he said Thursday.", year_only),
            vec![
                ("March".to_owned(), "2024-03".to_owned(), "month"),
                ("Thursday".to_owned(), "XXXX-WXX-4".to_owned(), "day"),
            ]
        );
    }

    #[test]
    fn counts_are_not_years() {
        for text in [
            "More than 2,000 people fled the town.",
            "The militia killed 1500 in the raid.",
            "Some 1800 soldiers were deployed.",
            "The offensive killed 1,500 and wounded 2000 people.",
            "It cost $2000 to rebuild.",
            "Turnout rose 2020% overnight.",
            "Curfew starts at 1900 GMT.",
        ] {
            assert_eq!(dates(text, published()), vec![], "{text}");
        }
        assert_eq!(one("The war began in 1998."), pair("1998", "1998"));
        assert_eq!(
            one("Elections held in 2000 were rigged."),
            pair("2000", "2000")
        );
    }

    #[test]
    fn absolute_forms_of_news_text() {
        assert_eq!(
            one("on 18 January 2024,"),
            pair("18 January 2024", "2024-01-18")
        );
        assert_eq!(
            one("on January 18, 2024."),
            pair("January 18, 2024", "2024-01-18")
        );
        assert_eq!(one("on Jan. 18 the talks"), pair("Jan. 18", "2024-01-18"));
        assert_eq!(one("since 18 Jan the border"), pair("18 Jan", "2024-01-18"));
        assert_eq!(one("dated 18/01/2024."), pair("18/01/2024", "2024-01-18"));
        assert_eq!(one("dated 2024-01-18."), pair("2024-01-18", "2024-01-18"));
        assert_eq!(
            one("at 2024-01-18T10:00:00Z"),
            pair("2024-01-18", "2024-01-18")
        );
        assert_eq!(
            one("on the 3rd of March 2022"),
            pair("3rd of March 2022", "2022-03-03")
        );
        assert_eq!(one("in January 2024"), pair("January 2024", "2024-01"));
        assert_eq!(one("the 1990s were violent"), pair("the 1990s", "199"));
        assert_eq!(one("in summer 2023"), pair("summer 2023", "2023-SU"));
        assert_eq!(
            one("on Friday, Oct. 13, 1989"),
            pair("Friday, Oct. 13, 1989", "1989-10-13")
        );
        assert_eq!(
            one("in nineteen ninety-six"),
            pair("nineteen ninety-six", "1996")
        );
        // Day and month could be swapped: no guess.
        assert_eq!(dates("dated 05/06/2024.", published()), vec![]);
        // "May" the verb is not a month.
        assert_eq!(dates("Talks May resume.", published()), vec![]);
    }

    #[test]
    fn months_and_relative_periods_resolve_against_publication() {
        assert_eq!(one("fighting in March"), pair("March", "2024-03"));
        assert_eq!(one("since last January"), pair("last January", "2023-01"));
        assert_eq!(one("talks next June"), pair("next June", "2024-06"));
        assert_eq!(one("It rained today."), pair("today", "2024-01-19"));
        assert_eq!(one("It rained yesterday."), pair("yesterday", "2024-01-18"));
        assert_eq!(
            one("Talks resume tomorrow."),
            pair("tomorrow", "2024-01-20")
        );
        assert_eq!(one("Talks this week."), pair("this week", "2024-W03"));
        assert_eq!(one("Talks last week."), pair("last week", "2024-W02"));
        assert_eq!(one("Talks next week."), pair("next week", "2024-W04"));
        assert_eq!(one("Talks this month."), pair("this month", "2024-01"));
        assert_eq!(one("Talks last month."), pair("last month", "2023-12"));
        assert_eq!(one("Talks last year."), pair("last year", "2023"));
        assert_eq!(
            one("Talks earlier this year."),
            pair("earlier this year", "2024")
        );
        assert_eq!(
            one("It fell two days ago."),
            pair("two days ago", "2024-01-17")
        );
        assert_eq!(
            one("It fell three weeks ago."),
            pair("three weeks ago", "2023-W52")
        );
        assert_eq!(one("It fell a year ago."), pair("a year ago", "2023"));
        assert_eq!(one("Prices are rising now."), pair("now", "PRESENT_REF"));
        let found = find_dates("Talks last week.", published());
        assert_eq!(found[0].anchor.as_deref(), Some("2024-01-19"));
        assert_eq!(found[0].precision, "week");
    }

    #[test]
    fn weekdays_follow_tense_and_last_next() {
        assert_eq!(
            one("The envoys will meet on Monday."),
            pair("Monday", "2024-01-22")
        );
        assert_eq!(
            one("The envoys met on Monday."),
            pair("Monday", "2024-01-15")
        );
        assert_eq!(
            one("They met last Monday."),
            pair("last Monday", "2024-01-15")
        );
        assert_eq!(
            one("They said next Monday."),
            pair("next Monday", "2024-01-22")
        );
        assert_eq!(
            one("They said last Friday."),
            pair("last Friday", "2024-01-12")
        );
    }

    #[test]
    fn quarters_and_year_ago_quarters() {
        let text = "Profit in the third quarter rose from $2 a share a year earlier.";
        assert_eq!(
            dates(text, published()),
            vec![
                (
                    "the third quarter".to_owned(),
                    "2024-Q3".to_owned(),
                    "quarter"
                ),
                ("a year earlier".to_owned(), "2023-Q3".to_owned(), "quarter"),
            ]
        );
    }

    #[test]
    fn look_alikes_are_not_dates() {
        for text in [
            "He reached the quarter-finals of the Open.",
            "It uses a 2048-bit key.",
            "A 1500-strong force moved in.",
        ] {
            assert_eq!(dates(text, published()), vec![], "{text}");
        }
        assert_eq!(
            one("Friday, 26 January 2000 GMT kick-off"),
            pair("Friday, 26 January", "2024-01-26")
        );
        // The weekday settles the year: 31 December 2023 was a Sunday.
        assert_eq!(
            one("On Sunday, 31 December, the ceasefire collapsed."),
            pair("Sunday, 31 December", "2023-12-31")
        );
    }

    #[test]
    fn starters_are_sorted_for_binary_search() {
        assert!(STARTERS.windows(2).all(|w| w[0] < w[1]));
        assert!(may_start("Thursday") && may_start("SEPT") && !may_start("Thursdays"));
        assert!(!may_start("قالت") && !may_start("extraordinarily"));
    }

    #[test]
    fn no_panic_on_any_cut_of_tricky_text() {
        let text = "🇮🇷 Published18 January 2024 - 18/01/2024, Jan. 5, '80s, mid-1990s, \
                    the 20th century, Q3 2023, 1,500 killed; نيسان 2023 this coming Sunday";
        let chars: Vec<char> = text.chars().collect();
        for cut in 0..=chars.len() {
            let head: String = chars[..cut].iter().collect();
            let tail: String = chars[cut..].iter().collect();
            for part in [&head, &tail] {
                for dct in [published(), None, PartialDate::from_parts(2024, None, None)] {
                    for m in find_dates(part, dct) {
                        assert!(m.start < m.end && m.end <= part.chars().count());
                    }
                }
            }
        }
    }
}

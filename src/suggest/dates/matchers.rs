//! Matching absolute date expressions on tokens: numeric dates, days and months, years,
//! weekdays, and the token helpers the other matchers share.

use chrono::{NaiveDate, Weekday};

use super::expression::{DateExpression, Relation, Unit};
use super::vocabulary::{COUNT_CONTEXT, COUNT_NOUNS, DATE_CONTEXT, ORDINALS, may_start};
use crate::suggest::text::{
    Token, TokenKind, Tokenized, month_of_abbreviation, month_of_name, number_of_word,
    weekday_of_name,
};

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

pub(super) struct DateMatcher<'a> {
    pub(super) text: &'a str,
    pub(super) tokens: &'a [Token],
    // Per token: part of a number written with separators ("2,000", "2.5").
    pub(super) compound: Vec<bool>,
    // The token range of each sentence.
    pub(super) sentences: Vec<std::ops::Range<usize>>,
}

impl<'a> DateMatcher<'a> {
    pub(super) fn new(tokenized: &'a Tokenized<'a>) -> Self {
        Self {
            text: tokenized.text,
            tokens: &tokenized.tokens,
            compound: separated_numbers(tokenized.text, &tokenized.tokens),
            sentences: tokenized
                .sentences
                .iter()
                .map(|s| s.tokens.clone())
                .collect(),
        }
    }

    pub(super) fn str_at(&self, i: usize) -> Option<&str> {
        let t = self.tokens.get(i)?;
        self.text.get(t.byte_start..t.byte_end)
    }

    pub(super) fn word(&self, i: usize) -> Option<&str> {
        let t = self.tokens.get(i)?;
        if t.kind == TokenKind::Word {
            self.str_at(i)
        } else {
            None
        }
    }

    pub(super) fn is(&self, i: usize, word: &str) -> bool {
        self.word(i).is_some_and(|w| w.eq_ignore_ascii_case(word))
    }

    pub(super) fn is_any(&self, i: usize, words: &[&str]) -> bool {
        self.word(i)
            .is_some_and(|w| words.iter().any(|x| w.eq_ignore_ascii_case(x)))
    }

    pub(super) fn punct(&self, i: usize, c: char) -> bool {
        self.tokens
            .get(i)
            .is_some_and(|t| t.kind == TokenKind::Punct)
            && self
                .str_at(i)
                .is_some_and(|s| s.starts_with(c) || (c == '\'' && s == "\u{2019}"))
    }

    pub(super) fn glued(&self, i: usize) -> bool {
        self.tokens.get(i).is_some_and(|t| t.glued)
    }

    pub(super) fn capitalized(&self, i: usize) -> bool {
        self.word(i)
            .and_then(|w| w.chars().next())
            .is_some_and(char::is_uppercase)
    }

    // A plain number (not part of "2,000"): value and digit count.
    pub(super) fn num(&self, i: usize) -> Option<(u32, usize)> {
        let t = self.tokens.get(i)?;
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
    pub(super) fn day_at(&self, i: usize) -> Option<(u32, usize)> {
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
    pub(super) fn month_at(&self, i: usize) -> Option<(u32, usize, bool)> {
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

    pub(super) fn weekday_at(&self, i: usize) -> Option<Weekday> {
        if !self.capitalized(i) {
            return None;
        }
        weekday_of_name(self.word(i)?)
    }

    // A four-digit year right after a month or a day ("January 2024", "18 Jan, 2024").
    pub(super) fn year_after(&self, i: usize) -> Option<(i32, usize)> {
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
    pub(super) fn year_of_date(&self, k: usize) -> (Option<i32>, Option<i32>, usize) {
        if let Some((year, end)) = self.year_after(k) {
            return (Some(year), None, end);
        }
        if self.is_any(k, &["last", "this", "next"])
            && let Some((
                end,
                DateExpression::Offset {
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
    pub(super) fn spoken_year(&self, i: usize) -> Option<(i32, usize)> {
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

    pub(super) fn number_word(&self, i: usize) -> Option<i64> {
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

    pub(super) fn unit_at(&self, i: usize) -> Option<Unit> {
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

    pub(super) fn ordinal_at(&self, i: usize) -> Option<(u32, usize)> {
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
    pub(super) fn quarter_at(&self, i: usize) -> Option<(u32, usize)> {
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

    pub(super) fn season_at(&self, i: usize) -> Option<&'static str> {
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
    pub(super) fn is_quarter(&self, i: usize) -> bool {
        self.is(i, "quarter") && !(self.punct(i + 1, '-') && self.glued(i + 1) && self.glued(i + 2))
    }

    // A hyphenated compound starts here: "2048-bit", "1,500-strong".
    pub(super) fn hyphen_compound(&self, i: usize) -> bool {
        self.punct(i, '-') && self.glued(i) && self.glued(i + 1) && self.word(i + 1).is_some()
    }

    pub(super) fn prev_is_any(&self, i: usize, words: &[&str]) -> bool {
        i > 0 && self.is_any(i - 1, words)
    }

    // --- Core matchers ---

    pub(super) fn match_at(&self, i: usize) -> Option<(usize, DateExpression)> {
        let tok = self.tokens.get(i)?;
        match tok.kind {
            TokenKind::Number => self.numeric_at(i),
            TokenKind::Word => self.words_at(i),
            TokenKind::Punct => self.apostrophe_decade(i),
        }
    }

    pub(super) fn apostrophe_decade(&self, i: usize) -> Option<(usize, DateExpression)> {
        if !self.punct(i, '\'') || i > 0 && self.glued(i) && self.word(i - 1).is_some() {
            return None;
        }
        let (n, 2) = self.num(i + 1)? else {
            return None;
        };
        (self.glued(i + 1) && self.glued(i + 2) && self.is(i + 2, "s") && n % 10 == 0).then(|| {
            (
                i + 3,
                DateExpression::Decade(i32::try_from(190 + n / 10).unwrap_or(0)),
            )
        })
    }

    pub(super) fn numeric_at(&self, i: usize) -> Option<(usize, DateExpression)> {
        if let Some(found) = self.numeric_date(i) {
            return Some(found);
        }
        if let Some((day, j)) = self.day_at(i) {
            let k = if self.is(j, "of") { j + 1 } else { j };
            if let Some((month, k, _)) = self.month_at(k) {
                let (year, year_shift, k) = self.year_of_date(k);
                return Some((
                    k,
                    DateExpression::Day {
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
    pub(super) fn numeric_date(&self, i: usize) -> Option<(usize, DateExpression)> {
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
            DateExpression::Day {
                year: Some(year),
                month,
                day,
                weekday: None,
                year_shift: None,
            },
        ))
    }

    pub(super) fn year_at(&self, i: usize) -> Option<(usize, DateExpression)> {
        let (y, len) = self.num(i)?;
        if len != 4 || !(1000..=2100).contains(&y) {
            return None;
        }
        let year = i32::try_from(y).ok()?;
        // "1990s", "1990's".
        if self.glued(i + 1) && self.is(i + 1, "s") && y % 10 == 0 {
            return Some((i + 2, DateExpression::Decade(year / 10)));
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
                DateExpression::Quarter {
                    year: Some(year),
                    quarter,
                    shift: 0,
                },
            ));
        }
        Some((i + 1, DateExpression::Year(year)))
    }

    pub(super) fn words_at(&self, i: usize) -> Option<(usize, DateExpression)> {
        if !self.word(i).is_some_and(may_start) {
            return None;
        }
        if let Some((year, end)) = self.spoken_year(i) {
            return Some((end, DateExpression::Year(year)));
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

    pub(super) fn month_expression(&self, i: usize) -> Option<(usize, DateExpression)> {
        let (month, j, abbreviated) = self.month_at(i)?;
        if let Some((day, k)) = self.day_at(j) {
            // "January 18" but not "March 3-5 people"; the comma before a year is optional.
            let (year, year_shift, k) = self.year_of_date(k);
            return Some((
                k,
                DateExpression::Day {
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
                DateExpression::Month {
                    year: Some(year),
                    month,
                    relation: Relation::Bare,
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
            DateExpression::Offset {
                unit: Unit::Year,
                amount,
            },
        )) = self.relative_expression(j)
            && end == j + 2
        {
            return Some((
                end,
                DateExpression::Month {
                    year: None,
                    month,
                    relation: match amount {
                        -1 => Relation::Last,
                        1 => Relation::Next,
                        _ => Relation::This,
                    },
                },
            ));
        }
        Some((
            j,
            DateExpression::Month {
                year: None,
                month,
                relation: Relation::Bare,
            },
        ))
    }

    pub(super) fn weekday_expression(&self, i: usize) -> Option<(usize, DateExpression)> {
        let weekday = self.weekday_at(i)?;
        let j = if self.punct(i + 1, ',') { i + 2 } else { i + 1 };
        let dated = self
            .month_expression(j)
            .or_else(|| self.num(j).is_some().then(|| self.numeric_at(j)).flatten());
        if let Some((
            end,
            DateExpression::Day {
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
                DateExpression::Day {
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
            DateExpression::Weekday {
                weekday,
                relation: Relation::Bare,
            },
        ))
    }
}

//! Matching relative date expressions on tokens: "today", "last week", "this coming Sunday",
//! quarters, halves, seasons, decades, centuries, vague references ("now"), and the words
//! before a match that belong to it.

use super::expression::{DateExpression, Relation, Unit};
use super::matchers::DateMatcher;
use super::vocabulary::DECADE_WORDS;

impl DateMatcher<'_> {
    // today, yesterday, last week, next year, this month, two days ago, a year earlier, ...
    pub(super) fn relative_expression(&self, i: usize) -> Option<(usize, DateExpression)> {
        let w = self.word(i)?;
        let lower = |s: &str| w.eq_ignore_ascii_case(s);
        if lower("today") || lower("tonight") {
            return Some((
                i + 1,
                DateExpression::Offset {
                    unit: Unit::Day,
                    amount: 0,
                },
            ));
        }
        if lower("yesterday") {
            return Some((
                i + 1,
                DateExpression::Offset {
                    unit: Unit::Day,
                    amount: -1,
                },
            ));
        }
        if lower("tomorrow") {
            return Some((
                i + 1,
                DateExpression::Offset {
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
            return Some((end, DateExpression::YearEarlier));
        }
        let relation = if lower("last") || lower("past") || lower("previous") {
            Some(Relation::Last)
        } else if lower("next") || lower("coming") {
            Some(Relation::Next)
        } else if lower("this") || lower("current") {
            Some(Relation::This)
        } else {
            None
        };
        if let Some(relation) = relation {
            // "this coming Sunday", "this past week".
            let (relation, j) =
                if relation == Relation::This && self.is_any(i + 1, &["coming", "past"]) {
                    let relation = if self.is(i + 1, "coming") {
                        Relation::Next
                    } else {
                        Relation::Last
                    };
                    (relation, i + 2)
                } else {
                    (relation, i + 1)
                };
            return self.relational(i, j, relation);
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
            return Some((i + 3, DateExpression::YearEarlier));
        }
        if unit == Unit::Quarter {
            return None;
        }
        Some((i + 3, DateExpression::Offset { unit, amount: -n }))
    }

    pub(super) fn relational(
        &self,
        i: usize,
        j: usize,
        relation: Relation,
    ) -> Option<(usize, DateExpression)> {
        let amount = match relation {
            Relation::Last => -1,
            Relation::Next => 1,
            Relation::Bare | Relation::This => 0,
        };
        let current = self.is(i, "current");
        let past = self.is(i, "past") || self.is(i, "previous");
        if let Some(weekday) = self.weekday_at(j) {
            if current || past && !self.prev_is_any(i, &["the", "this"]) {
                return None;
            }
            return Some((j + 1, DateExpression::Weekday { weekday, relation }));
        }
        if self.is(j, "weekend") && !current {
            return Some((j + 1, DateExpression::Weekend(relation)));
        }
        if let Some((month, k, false)) = self.month_at(j)
            && self.capitalized(j)
            && !current
            && !past
        {
            return Some((
                k,
                DateExpression::Month {
                    year: None,
                    month,
                    relation,
                },
            ));
        }
        if let Some(season) = self.season_at(j)
            && !current
        {
            return Some((
                j + 1,
                DateExpression::Season {
                    year: None,
                    season,
                    relation,
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
                DateExpression::Quarter {
                    year: None,
                    quarter,
                    shift: i32::try_from(amount).unwrap_or(0),
                },
            ));
        }
        if unit == Unit::Quarter {
            return Some((j + 1, DateExpression::RelativeQuarter(amount)));
        }
        if unit == Unit::Day {
            return None;
        }
        Some((j + 1, DateExpression::Offset { unit, amount }))
    }

    // Quarters, halves, seasons, decades, centuries, weekends.
    // The rest of a quarter expression after "third quarter" (ending before token `j`): "of
    // 2024", "of next year", or nothing.
    fn quarter_expression(&self, quarter: u32, j: usize) -> Option<(usize, DateExpression)> {
        let k = if self.is(j, "of") { j + 1 } else { j };
        if let Some((y, k)) = self.year_after(k) {
            let expression = DateExpression::Quarter {
                year: Some(y),
                quarter,
                shift: 0,
            };
            return Some((k, expression));
        }
        // "the first quarter of next year".
        if self.is(j, "of")
            && let Some((
                end,
                DateExpression::Offset {
                    unit: Unit::Year,
                    amount,
                },
            )) = self.relative_expression(k)
        {
            let shift = i32::try_from(amount).unwrap_or(0);
            return Some((
                end,
                DateExpression::Quarter {
                    year: None,
                    quarter,
                    shift,
                },
            ));
        }
        Some((
            j,
            DateExpression::Quarter {
                year: None,
                quarter,
                shift: 0,
            },
        ))
    }

    pub(super) fn period_expression(&self, i: usize) -> Option<(usize, DateExpression)> {
        if let Some((quarter, j)) = self.quarter_at(i) {
            return self.quarter_expression(quarter, j);
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
                    DateExpression::Half {
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
                return Some((i + 2, DateExpression::RelativeQuarter(-1)));
            }
            if self.is(i + 1, "latest") && self.is_any(i + 2, &["quarter", "period"]) {
                return Some((i + 3, DateExpression::RelativeQuarter(-1)));
            }
            if self.is(i + 1, "weekend") {
                return Some((i + 2, DateExpression::Weekend(Relation::Bare)));
            }
        }
        if let Some(season) = self.season_at(i) {
            let k = if self.is(i + 1, "of") { i + 2 } else { i + 1 };
            if let Some((y, k)) = self.year_after(k) {
                return Some((
                    k,
                    DateExpression::Season {
                        year: Some(y),
                        season,
                        relation: Relation::Bare,
                    },
                ));
            }
            if self.prev_is_any(i, &["the", "in", "early", "late", "during"]) && season != "FA"
                || self.prev_is_any(i, &["the"]) && self.prev_is_any(i - 1, &["in", "during"])
            {
                return Some((
                    i + 1,
                    DateExpression::Season {
                        year: None,
                        season,
                        relation: Relation::Bare,
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
            return Some((
                i + 3,
                DateExpression::Century(i32::try_from(n).unwrap_or(1) - 1),
            ));
        }
        // "the nineties".
        if self.prev_is_any(i, &["the"])
            && let Some(w) = self.word(i)
            && let Some(&(_, d)) = DECADE_WORDS.iter().find(|(n, _)| w.eq_ignore_ascii_case(n))
        {
            return Some((i + 1, DateExpression::Decade(d)));
        }
        None
    }

    // now, currently, recently, the past, the future, soon.
    pub(super) fn reference_expression(&self, i: usize) -> Option<(usize, DateExpression)> {
        let w = self.word(i)?;
        let lower = |s: &str| w.eq_ignore_ascii_case(s);
        if lower("now") && !self.is(i + 1, "that") || lower("currently") || lower("nowadays") {
            return Some((i + 1, DateExpression::Reference("PRESENT_REF")));
        }
        if lower("these") && self.is(i + 1, "days") {
            return Some((i + 2, DateExpression::Reference("PRESENT_REF")));
        }
        if lower("recently") {
            return Some((i + 1, DateExpression::Reference("PAST_REF")));
        }
        if lower("recent") && self.is_any(i + 1, &["years", "months", "weeks", "days"]) {
            return Some((i + 2, DateExpression::Reference("PAST_REF")));
        }

        if lower("soon") && !self.is(i + 1, "after") && !self.prev_is_any(i, &["as"]) {
            return Some((i + 1, DateExpression::Reference("FUTURE_REF")));
        }
        if lower("the") {
            if self.is(i + 1, "past")
                && !self.glued(i + 2)
                && self.unit_at(i + 2).is_none()
                && self.number_word(i + 2).is_none()
                && !self.is_any(i + 2, &["few", "several", "decade", "century"])
            {
                return Some((i + 2, DateExpression::Reference("PAST_REF")));
            }
            if self.is(i + 1, "future") {
                return Some((i + 2, DateExpression::Reference("FUTURE_REF")));
            }
            if self.is(i + 1, "near") && self.is_any(i + 2, &["future", "term"])
                || self.is(i + 1, "short") && self.is(i + 2, "term")
            {
                return Some((i + 3, DateExpression::Reference("FUTURE_REF")));
            }
        }
        if lower("coming") && self.is_any(i + 1, &["months", "weeks", "years", "days"]) {
            return Some((i + 2, DateExpression::Reference("FUTURE_REF")));
        }
        None
    }

    // Words before a match that belong to it: "the", "early", "mid-", "the end of", "fiscal".
    pub(super) fn extend_left(
        &self,
        start: usize,
        floor: usize,
        expression: &DateExpression,
    ) -> usize {
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
            let hedge = match expression {
                DateExpression::Offset { .. } | DateExpression::YearEarlier => {
                    self.is_any(p, &["nearly", "almost", "about", "some", "roughly"])
                }
                DateExpression::Reference(_) => self.is_any(p, &["more", "most", "very"]),
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
                expression,
                DateExpression::Quarter { .. }
                    | DateExpression::Half { .. }
                    | DateExpression::Decade(_)
                    | DateExpression::Century(_)
                    | DateExpression::Season { .. }
                    | DateExpression::YearEarlier
            ) || s < start
                || self.is(start, "current");
            // "the third-quarter profit": a hyphenated quarter is an adjective, bare.
            let adjective = matches!(expression, DateExpression::Quarter { .. })
                && (start..start + 4).any(|k| self.punct(k, '-') && self.is(k + 1, "quarter"));
            if takes_the && !adjective && self.is(p, "the") {
                s = p;
            }
            return s;
        }
    }
}

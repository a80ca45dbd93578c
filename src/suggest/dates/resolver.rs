//! Placing a date expression on the calendar with HeidelTime's news rules, against the
//! publication date: the tense of the sentence, "last" and "next", the quarter being talked
//! about.

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};

use super::TimexPrecision;
use super::expression::{DateExpression, Relation, Unit};
use super::matchers::DateMatcher;
use super::vocabulary::{FUTURE_MARKERS, NOT_PAST, PAST_MARKERS};
use crate::model::{DatePrecision, PartialDate};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Tense {
    Past,
    Future,
    Unknown,
}

impl DateMatcher<'_> {
    pub(super) fn tense_marker(&self, i: usize) -> Option<Tense> {
        let w = self.word(i)?;
        if FUTURE_MARKERS.iter().any(|m| w.eq_ignore_ascii_case(m)) {
            return Some(Tense::Future);
        }
        // A participle after a present or future "be" is a passive, not a past tense: "he will
        // be presented with the award on February 25", "the bill is expected to pass".
        let passive = i
            .checked_sub(1)
            .and_then(|k| self.word(k))
            .is_some_and(|b| {
                ["be", "is", "are", "am", "being"]
                    .iter()
                    .any(|m| b.eq_ignore_ascii_case(m))
            });
        let past_form = w.len() >= 4
            && w.ends_with("ed")
            && !passive
            && !self.capitalized(i)
            && !NOT_PAST.iter().any(|m| w.eq_ignore_ascii_case(m));
        if past_form || PAST_MARKERS.iter().any(|m| w.eq_ignore_ascii_case(m)) {
            return Some(Tense::Past);
        }
        None
    }

    // The token range of the sentence that holds token `i`.
    pub(super) fn containing_sentence(&self, i: usize) -> std::ops::Range<usize> {
        let index = self.sentences.partition_point(|s| s.end <= i);
        self.sentences.get(index).cloned().unwrap_or(i..i + 1)
    }

    // The tense of the verb closest to tokens [start, end) in their sentence, looking back
    // first, at most 30 tokens each way.
    pub(super) fn tense(&self, start: usize, end: usize) -> Tense {
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
    pub(super) fn mentions_in_sentence(&self, start: usize, words: &[&str]) -> bool {
        let sentence = self.containing_sentence(start);
        (sentence.start.max(start.saturating_sub(40))..sentence.end.min(start + 40))
            .any(|k| self.is_any(k, words))
    }
}

pub(super) struct Resolved {
    pub(super) value: String,
    pub(super) precision: TimexPrecision,
    pub(super) anchored: bool,
}

pub(super) struct Resolver {
    pub(super) dct: Option<PartialDate>,
    pub(super) last_quarter: Option<(i32, u32)>,
    // The date mentioned last was a quarter: "a year ago" then means that quarter's.
    pub(super) quarter_is_topic: bool,
}

pub(super) fn ymd(date: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", date.year(), date.month(), date.day())
}

pub(super) fn iso_week(date: NaiveDate) -> String {
    let week = date.iso_week();
    format!("{:04}-W{:02}", week.year(), week.week())
}

pub(super) fn quarter_of(month: u32) -> u32 {
    month.div_ceil(3)
}

pub(super) fn shift_quarter(year: i32, quarter: u32, by: i64) -> (i32, u32) {
    let index = i64::from(year) * 4 + i64::from(quarter) - 1 + by;
    (
        i32::try_from(index.div_euclid(4)).unwrap_or(year),
        u32::try_from(index.rem_euclid(4) + 1).unwrap_or(quarter),
    )
}

/// A value that needs no publication date.
fn absolute(value: String, precision: TimexPrecision) -> Option<Resolved> {
    Some(Resolved {
        value,
        precision,
        anchored: false,
    })
}

/// A value placed against the publication date, or `unknown` (with `X` for what is not
/// known) without one.
fn relative(value: Option<String>, unknown: String, precision: TimexPrecision) -> Option<Resolved> {
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
}

impl Resolver {
    pub(super) fn anchor(&self) -> Option<String> {
        self.dct.map(|d| d.to_string())
    }

    pub(super) fn day(&self) -> Option<NaiveDate> {
        self.dct
            .filter(|d| d.precision() == DatePrecision::Day)
            .map(PartialDate::first_day)
    }

    pub(super) fn month(&self) -> Option<NaiveDate> {
        self.dct
            .filter(|d| d.precision() >= DatePrecision::Month)
            .map(PartialDate::first_day)
    }

    pub(super) fn year(&self) -> Option<i32> {
        self.dct.map(|d| d.first_day().year())
    }

    pub(super) fn resolve(
        &mut self,
        matcher: &DateMatcher<'_>,
        expression: &DateExpression,
        start: usize,
        end: usize,
    ) -> Option<Resolved> {
        match *expression {
            DateExpression::Day {
                year: Some(year),
                month,
                day,
                ..
            } => {
                let date = NaiveDate::from_ymd_opt(year, month, day)?;
                absolute(ymd(date), TimexPrecision::Day)
            }
            DateExpression::Day {
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
                relative(
                    value,
                    format!("XXXX-{month:02}-{day:02}"),
                    TimexPrecision::Day,
                )
            }
            DateExpression::Day {
                year: None,
                month,
                day,
                weekday,
                year_shift: None,
            } => self.day_in_publication_year(matcher, (month, day, weekday), start, end),
            DateExpression::Month {
                year: Some(year),
                month,
                ..
            } => absolute(format!("{year:04}-{month:02}"), TimexPrecision::Month),
            DateExpression::Month {
                year: None,
                month,
                relation,
            } => self.month_near_publication(matcher, month, relation, (start, end)),
            DateExpression::Year(year) => absolute(format!("{year:04}"), TimexPrecision::Year),
            DateExpression::Decade(decade) => {
                absolute(format!("{decade:03}"), TimexPrecision::Decade)
            }
            DateExpression::Century(century) => {
                absolute(format!("{century:02}"), TimexPrecision::Century)
            }
            DateExpression::Season {
                year: Some(year),
                season,
                ..
            } => absolute(format!("{year:04}-{season}"), TimexPrecision::Season),
            DateExpression::Season {
                year: None,
                season,
                relation,
            } => self.season_near_publication(season, relation),
            DateExpression::Quarter {
                year: Some(year),
                quarter,
                shift,
            } => {
                self.last_quarter = Some((year + shift, quarter));
                absolute(
                    format!("{:04}-Q{quarter}", year + shift),
                    TimexPrecision::Quarter,
                )
            }
            DateExpression::Quarter {
                year: None,
                quarter,
                shift,
            } => self.quarter_near_publication(matcher, quarter, shift, (start, end)),
            DateExpression::Half { year, half } => match year {
                Some(y) => absolute(format!("{y:04}-H{half}"), TimexPrecision::Quarter),
                None => relative(
                    self.year().map(|y| format!("{y:04}-H{half}")),
                    format!("XXXX-H{half}"),
                    TimexPrecision::Quarter,
                ),
            },
            DateExpression::RelativeQuarter(by) => self.quarter_from_publication(by),
            DateExpression::YearEarlier => self.year_earlier(matcher, start),
            DateExpression::Weekday { weekday, relation } => {
                self.weekday_near_publication(matcher, weekday, relation, (start, end))
            }
            DateExpression::Weekend(relation) => {
                self.weekend_near_publication(matcher, relation, (start, end))
            }
            DateExpression::Offset { unit, amount } => self.offset(unit, amount),
            DateExpression::Reference(value) => absolute(value.to_owned(), TimexPrecision::Vague),
        }
    }

    // A day and month without a year: the year `year_by_tense` gives, or a near year where a
    // weekday said with the date falls.
    fn day_in_publication_year(
        &self,
        matcher: &DateMatcher<'_>,
        (month, day, weekday): (u32, u32, Option<Weekday>),
        start: usize,
        end: usize,
    ) -> Option<Resolved> {
        if !(1..=31).contains(&day) {
            return None;
        }
        let year = match (self.month(), self.year()) {
            (Some(dct), _) => Some(year_by_tense(dct, month, matcher.tense(start, end))),
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
        relative(
            value,
            format!("XXXX-{month:02}-{day:02}"),
            TimexPrecision::Day,
        )
    }

    // A month without a year, bare or with "last", "next", "this".
    fn month_near_publication(
        &self,
        matcher: &DateMatcher<'_>,
        month: u32,
        relation: Relation,
        (start, end): (usize, usize),
    ) -> Option<Resolved> {
        // Known to the month, "last June" and "next June" can be placed; known to the
        // year only, a bare month still takes the publication year.
        let value = match (self.month(), self.year()) {
            (Some(dct), _) => {
                let year = dct.year();
                let year = match relation {
                    Relation::Last if month >= dct.month() => year - 1,
                    Relation::Next if month <= dct.month() => year + 1,
                    Relation::Bare => year_by_tense(dct, month, matcher.tense(start, end)),
                    _ => year,
                };
                Some(format!("{year:04}-{month:02}"))
            }
            (None, Some(year)) if matches!(relation, Relation::Bare | Relation::This) => {
                Some(format!("{year:04}-{month:02}"))
            }
            _ => None,
        };
        relative(value, format!("XXXX-{month:02}"), TimexPrecision::Month)
    }

    // A quarter without a year: the publication year's (shifted), the year before's when the
    // sentence is in the past and the quarter is still to come.
    fn quarter_near_publication(
        &mut self,
        matcher: &DateMatcher<'_>,
        quarter: u32,
        shift: i32,
        (start, end): (usize, usize),
    ) -> Option<Resolved> {
        let value = self.year().map(|y| {
            let mut year = y + shift;
            if shift == 0
                && let Some(dct) = self.month()
                && quarter > quarter_of(dct.month())
                && matcher.tense(start, end) == Tense::Past
            {
                year -= 1;
            }
            self.last_quarter = Some((year, quarter));
            format!("{year:04}-Q{quarter}")
        });
        relative(value, format!("XXXX-Q{quarter}"), TimexPrecision::Quarter)
    }

    // "A year ago": the quarter a year before the one being discussed, or the year before
    // the publication year.
    fn year_earlier(&self, matcher: &DateMatcher<'_>, start: usize) -> Option<Resolved> {
        if let Some((y, q)) = self.last_quarter
            && (self.quarter_is_topic
                || matcher.mentions_in_sentence(start, &["quarter", "quarterly", "period"]))
        {
            return relative(
                Some(format!("{:04}-Q{q}", y - 1)),
                String::new(),
                TimexPrecision::Quarter,
            );
        }
        relative(
            self.year().map(|y| format!("{:04}", y - 1)),
            "XXXX".to_owned(),
            TimexPrecision::Year,
        )
    }

    // A weekday, bare or with "last", "next", "this".
    fn weekday_near_publication(
        &self,
        matcher: &DateMatcher<'_>,
        weekday: Weekday,
        relation: Relation,
        (start, end): (usize, usize),
    ) -> Option<Resolved> {
        let value = self.day().and_then(|dct| {
            let tense = match relation {
                Relation::Bare | Relation::This => matcher.tense(start, end),
                _ => Tense::Unknown,
            };
            weekday_near(dct, weekday, relation, tense).map(ymd)
        });
        let unknown = format!("XXXX-WXX-{}", weekday.number_from_monday());
        relative(value, unknown, TimexPrecision::Day)
    }

    // A weekend, bare or with "last", "next", "this".
    fn weekend_near_publication(
        &self,
        matcher: &DateMatcher<'_>,
        relation: Relation,
        (start, end): (usize, usize),
    ) -> Option<Resolved> {
        let value = self.day().and_then(|dct| {
            let saturday = weekday_near(dct, Weekday::Sat, relation, matcher.tense(start, end))?;
            Some(format!("{}-WE", iso_week(saturday)))
        });
        relative(value, "XXXX-WXX-WE".to_owned(), TimexPrecision::Week)
    }

    // A season without a year: the publication year's, or the one before or after.
    fn season_near_publication(&self, season: &str, relation: Relation) -> Option<Resolved> {
        let shift = match relation {
            Relation::Last => -1,
            Relation::Next => 1,
            _ => 0,
        };
        let value = self.year().map(|y| format!("{:04}-{season}", y + shift));
        relative(value, format!("XXXX-{season}"), TimexPrecision::Season)
    }

    // "The quarter", "this quarter": the publication date's quarter, shifted by `by`.
    fn quarter_from_publication(&mut self, by: i64) -> Option<Resolved> {
        let value = self.month().map(|dct| {
            let (y, q) = shift_quarter(dct.year(), quarter_of(dct.month()), by);
            self.last_quarter = Some((y, q));
            format!("{y:04}-Q{q}")
        });
        relative(value, "XXXX-QX".to_owned(), TimexPrecision::Quarter)
    }

    pub(super) fn offset(&self, unit: Unit, amount: i64) -> Option<Resolved> {
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
                TimexPrecision::Day,
            ),
            Unit::Week => (
                self.day()
                    .and_then(|d| shift_days(d, amount * 7))
                    .map(iso_week),
                "XXXX-WXX",
                TimexPrecision::Week,
            ),
            Unit::Month => (
                self.month()
                    .and_then(shifted_month)
                    .map(|d| format!("{:04}-{:02}", d.year(), d.month())),
                "XXXX-XX",
                TimexPrecision::Month,
            ),
            Unit::Quarter => return None,
            Unit::Year => (
                self.year()
                    .and_then(|y| i32::try_from(i64::from(y) + amount).ok())
                    .map(|y| format!("{y:04}")),
                "XXXX",
                TimexPrecision::Year,
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

/// The year of a month said without one ("on December 17", "in May"), against the month of
/// publication: the publication year; the year after for a future event in an earlier month
/// ("talks will resume in January", published in November); the year before for a past
/// event in a month more than half a year ahead ("the residence they had seized December
/// 17", published in April), where last year's month is the nearer. A past tense alone does
/// not move a month a few weeks ahead: "the company said the dividend is payable Dec. 15"
/// (published in October) is this December's, the tense being the reporting verb's.
pub(super) fn year_by_tense(publication: NaiveDate, month: u32, tense: Tense) -> i32 {
    let year = publication.year();
    match tense {
        Tense::Past if month > publication.month() + 6 => year - 1,
        Tense::Future if month < publication.month() => year + 1,
        _ => year,
    }
}

// The weekday meant by a mention, seen from the publication date `dct`.
pub(super) fn weekday_near(
    dct: NaiveDate,
    weekday: Weekday,
    relation: Relation,
    tense: Tense,
) -> Option<NaiveDate> {
    let from = i64::from(dct.weekday().num_days_from_monday());
    let to = i64::from(weekday.num_days_from_monday());
    let back = (from - to).rem_euclid(7);
    let forward = (to - from).rem_euclid(7);
    let days = match relation {
        Relation::Last => -(if back == 0 { 7 } else { back }),
        Relation::Next => {
            if forward == 0 {
                7
            } else {
                forward
            }
        }
        Relation::Bare | Relation::This => {
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

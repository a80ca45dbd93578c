//! What a date expression says before it is placed on the calendar: a day, a month, "last
//! week", "the third quarter", "now".

use chrono::Weekday;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Relation {
    Bare,
    Last,
    Next,
    This,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Unit {
    Day,
    Week,
    Month,
    Quarter,
    Year,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum DateExpression {
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
        relation: Relation,
    },
    Year(i32),
    Decade(i32),
    Century(i32),
    Season {
        year: Option<i32>,
        season: &'static str,
        relation: Relation,
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
        relation: Relation,
    },
    Weekend(Relation),
    Offset {
        unit: Unit,
        amount: i64,
    },
    // "the quarter" (-1: the last one reported), "this quarter" (0).
    RelativeQuarter(i64),
    // "a year ago", "year-earlier": a year before the quarter being discussed, if any.
    YearEarlier,
    Reference(&'static str),
}

//! Calendar dates known to a day, a month or a year: publication dates as sources give them.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// How much of a date is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DatePrecision {
    /// Only the year.
    Year,
    /// Year and month.
    Month,
    /// The exact day.
    Day,
}

/// A date with its precision; written as `2024`, `2024-01` or `2024-01-19` (ISO 8601 prefixes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PartialDate {
    first_day: NaiveDate,
    precision: DatePrecision,
}

impl PartialDate {
    /// A date known to the day.
    pub fn day(date: NaiveDate) -> Self {
        Self {
            first_day: date,
            precision: DatePrecision::Day,
        }
    }

    /// Builds from parts; `None` when the parts are not a real calendar date.
    pub fn from_parts(year: i32, month: Option<u32>, day: Option<u32>) -> Option<Self> {
        let (first_day, precision) = match (month, day) {
            (Some(m), Some(d)) => (NaiveDate::from_ymd_opt(year, m, d)?, DatePrecision::Day),
            (Some(m), None) => (NaiveDate::from_ymd_opt(year, m, 1)?, DatePrecision::Month),
            (None, _) => (NaiveDate::from_ymd_opt(year, 1, 1)?, DatePrecision::Year),
        };
        Some(Self {
            first_day,
            precision,
        })
    }

    /// How much is known.
    pub fn precision(self) -> DatePrecision {
        self.precision
    }

    /// The first day of the period (the day itself for day precision).
    pub fn first_day(self) -> NaiveDate {
        self.first_day
    }

    /// The first day after the period, for half-open range queries.
    pub fn day_after_end(self) -> NaiveDate {
        let d = self.first_day;
        let next = match self.precision {
            DatePrecision::Day => d.succ_opt(),
            DatePrecision::Month => {
                let (y, m) = if d.month() == 12 {
                    (d.year() + 1, 1)
                } else {
                    (d.year(), d.month() + 1)
                };
                NaiveDate::from_ymd_opt(y, m, 1)
            }
            DatePrecision::Year => NaiveDate::from_ymd_opt(d.year() + 1, 1, 1),
        };
        next.unwrap_or(NaiveDate::MAX)
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.first_day;
        match self.precision {
            DatePrecision::Day => write!(f, "{:04}-{:02}-{:02}", d.year(), d.month(), d.day()),
            DatePrecision::Month => write!(f, "{:04}-{:02}", d.year(), d.month()),
            DatePrecision::Year => write!(f, "{:04}", d.year()),
        }
    }
}

/// Error for a string that is not `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{0}' is not a date: expected YYYY, YYYY-MM or YYYY-MM-DD")]
pub struct BadDate(String);

impl FromStr for PartialDate {
    type Err = BadDate;

    /// Strict ISO prefixes only; use [`parse_loose_date`] for dates found in the wild.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || BadDate(s.to_owned());
        let mut parts = s.trim().split('-');
        let year_text = parts.next().ok_or_else(bad)?;
        if year_text.len() != 4 {
            return Err(bad());
        }
        let year: i32 = year_text.parse().map_err(|_| bad())?;
        let month = parts
            .next()
            .map(|m| {
                if m.len() == 2 {
                    m.parse::<u32>().ok()
                } else {
                    None
                }
            })
            .map(|m| m.ok_or_else(bad))
            .transpose()?;
        let day = parts
            .next()
            .map(|d| {
                if d.len() == 2 {
                    d.parse::<u32>().ok()
                } else {
                    None
                }
            })
            .map(|d| d.ok_or_else(bad))
            .transpose()?;
        if parts.next().is_some() {
            return Err(bad());
        }
        Self::from_parts(year, month, day).ok_or_else(bad)
    }
}

impl PartialDate {
    /// Reads a date typed in a form field, where an empty field means "unknown" (`None`).
    pub fn parse_optional(text: &str) -> Result<Option<Self>, BadDate> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(None);
        }
        text.parse::<Self>().map(Some)
    }
}

impl Serialize for PartialDate {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for PartialDate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        parse_loose_date(&text).ok_or_else(|| serde::de::Error::custom(BadDate(text)))
    }
}

fn month_from_word(word: &str) -> Option<u32> {
    super::words::month_of_word(word.trim_end_matches('.'))
}

/// Reads a publication date as sources write it: ISO 8601 / RFC 3339 (`2024-01-19T10:00:00Z`,
/// `2018-09-18 14:38:10`), RFC 2822 (`Fri, 19 Jan 2024 10:00:00 GMT`), `19 January 2024`,
/// `January 19, 2024`, and month names in a few languages. Returns `None` rather than guess.
///
/// Years before 1000 are placeholders (`0001-01-01` in CMS templates), not dates: `None`.
pub fn parse_loose_date(text: &str) -> Option<PartialDate> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let date = parse_iso_prefix(text)
        .or_else(|| {
            chrono::DateTime::parse_from_rfc2822(text)
                .ok()
                .map(|dt| PartialDate::day(dt.date_naive()))
        })
        .or_else(|| parse_words(text))?;
    (date.first_day().year() >= 1000).then_some(date)
}

fn parse_iso_prefix(text: &str) -> Option<PartialDate> {
    let bytes = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| -> Option<u32> {
        let part = text.get(range)?;
        if part.bytes().all(|b| b.is_ascii_digit()) {
            part.parse().ok()
        } else {
            None
        }
    };
    let year = digits(0..4)?;
    let year = i32::try_from(year).ok()?;
    match bytes.get(4) {
        None => return PartialDate::from_parts(year, None, None),
        Some(b'-') => {}
        Some(_) => return None,
    }
    let month = digits(5..7)?;
    match bytes.get(7) {
        None => return PartialDate::from_parts(year, Some(month), None),
        Some(b'-') => {}
        Some(_) => return None,
    }
    let day = digits(8..10)?;
    match bytes.get(10) {
        None | Some(b'T' | b't' | b' ' | b'_') => {
            PartialDate::from_parts(year, Some(month), Some(day))
        }
        Some(_) => None,
    }
}

fn parse_words(text: &str) -> Option<PartialDate> {
    let tokens: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c == ',' || c == '/')
        .filter(|t| !t.is_empty())
        .collect();
    let mut year = None;
    let mut month = None;
    let mut day = None;
    for token in tokens {
        if token.contains(':') {
            continue;
        }
        let token = token.trim_end_matches(['.', ',']);
        if let Some(m) = month_from_word(token) {
            month.get_or_insert(m);
            continue;
        }
        let number = token.trim_end_matches(|c: char| c.is_ascii_alphabetic());
        if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        let Ok(value) = number.parse::<u32>() else {
            continue;
        };
        if number.len() == 4 && year.is_none() {
            year = i32::try_from(value).ok();
        } else if (1..=31).contains(&value) && day.is_none() && number.len() <= 2 {
            day = Some(value);
        }
    }
    let year = year?;
    match (month, day) {
        (Some(m), d) => PartialDate::from_parts(year, Some(m), d),
        (None, _) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loose(s: &str) -> Option<String> {
        parse_loose_date(s).map(|d| d.to_string())
    }

    #[test]
    fn reads_dates_in_the_forms_sources_use() {
        assert_eq!(loose("2024-01-19").as_deref(), Some("2024-01-19"));
        assert_eq!(loose("2024-01").as_deref(), Some("2024-01"));
        assert_eq!(loose("2024").as_deref(), Some("2024"));
        assert_eq!(loose("2018-09-18 14:38:10").as_deref(), Some("2018-09-18"));
        assert_eq!(
            loose("2024-01-19T10:00:00+05:00").as_deref(),
            Some("2024-01-19")
        );
        assert_eq!(
            loose("Fri, 19 Jan 2024 10:00:00 GMT").as_deref(),
            Some("2024-01-19")
        );
        assert_eq!(loose("19 January 2024").as_deref(), Some("2024-01-19"));
        assert_eq!(loose("January 19, 2024").as_deref(), Some("2024-01-19"));
        assert_eq!(
            loose("Seg, 24 Set 2018 19:23:00 -0300").as_deref(),
            Some("2018-09-24")
        );
        assert_eq!(loose("March 2024").as_deref(), Some("2024-03"));
        assert_eq!(loose("yesterday"), None);
        assert_eq!(loose("2024-02-30"), None);
        assert_eq!(loose("0001-01-01T00:00:00"), None);
    }

    #[test]
    fn strict_parse_and_period_ends() {
        let month: PartialDate = "2024-12".parse().unwrap();
        assert_eq!(month.precision(), DatePrecision::Month);
        assert_eq!(month.day_after_end().to_string(), "2025-01-01");
        assert!("19/01/2024".parse::<PartialDate>().is_err());
        let day: PartialDate = "2024-01-19".parse().unwrap();
        assert_eq!(day.day_after_end().to_string(), "2024-01-20");
    }
}

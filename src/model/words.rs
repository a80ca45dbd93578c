//! The words of the calendar and of counting: month names (English, with the abbreviations of
//! a few other languages seen in feeds), weekday names and English number words.
//!
//! Owns: one vocabulary shared by publication-date parsing (`model::date`) and by the
//! suggester's date and casualty rules. Must not: know tokens or texts.

use chrono::Weekday;

/// English month names, January first: the month is the position plus one.
pub const MONTH_NAMES: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// English month abbreviations ("May" has none) and their months.
pub const MONTH_ABBREVIATIONS: [(&str, u32); 12] = [
    ("jan", 1),
    ("feb", 2),
    ("mar", 3),
    ("apr", 4),
    ("jun", 6),
    ("jul", 7),
    ("aug", 8),
    ("sep", 9),
    ("sept", 9),
    ("oct", 10),
    ("nov", 11),
    ("dec", 12),
];

/// Portuguese, Spanish, French, German and Italian month names and abbreviations seen in
/// the dates of real feeds.
pub const FOREIGN_MONTH_NAMES: [(&str, u32); 16] = [
    ("janeiro", 1),
    ("fevereiro", 2),
    ("fev", 2),
    ("abr", 4),
    ("mai", 5),
    ("ago", 8),
    ("set", 9),
    ("out", 10),
    ("dez", 12),
    ("ene", 1),
    ("dic", 12),
    ("gen", 1),
    ("okt", 10),
    ("mrz", 3),
    ("juin", 6),
    ("juil", 7),
];

/// English weekday names, Monday first.
pub const WEEKDAYS: [(&str, Weekday); 7] = [
    ("monday", Weekday::Mon),
    ("tuesday", Weekday::Tue),
    ("wednesday", Weekday::Wed),
    ("thursday", Weekday::Thu),
    ("friday", Weekday::Fri),
    ("saturday", Weekday::Sat),
    ("sunday", Weekday::Sun),
];

/// English cardinal number words from one to twenty and the tens to ninety.
pub const NUMBER_WORDS: [(&str, u64); 27] = [
    ("one", 1),
    ("two", 2),
    ("three", 3),
    ("four", 4),
    ("five", 5),
    ("six", 6),
    ("seven", 7),
    ("eight", 8),
    ("nine", 9),
    ("ten", 10),
    ("eleven", 11),
    ("twelve", 12),
    ("thirteen", 13),
    ("fourteen", 14),
    ("fifteen", 15),
    ("sixteen", 16),
    ("seventeen", 17),
    ("eighteen", 18),
    ("nineteen", 19),
    ("twenty", 20),
    ("thirty", 30),
    ("forty", 40),
    ("fifty", 50),
    ("sixty", 60),
    ("seventy", 70),
    ("eighty", 80),
    ("ninety", 90),
];

/// The month of an English month name (`january`), ignoring case.
pub fn month_of_name(word: &str) -> Option<u32> {
    let position = MONTH_NAMES
        .iter()
        .position(|name| word.eq_ignore_ascii_case(name))?;
    u32::try_from(position).ok().map(|m| m + 1)
}

/// The month of an English abbreviation (`jan`, `sept`), ignoring case.
pub fn month_of_abbreviation(word: &str) -> Option<u32> {
    MONTH_ABBREVIATIONS
        .iter()
        .find(|(name, _)| word.eq_ignore_ascii_case(name))
        .map(|&(_, month)| month)
}

/// The month of any name or abbreviation the vocabulary knows, in any of its languages,
/// ignoring case.
pub fn month_of_word(word: &str) -> Option<u32> {
    let lower = word.to_lowercase();
    month_of_name(&lower).or_else(|| {
        MONTH_ABBREVIATIONS
            .iter()
            .chain(&FOREIGN_MONTH_NAMES)
            .find(|(name, _)| lower == *name)
            .map(|&(_, month)| month)
    })
}

/// The weekday of an English weekday name, ignoring case.
pub fn weekday_of_name(word: &str) -> Option<Weekday> {
    WEEKDAYS
        .iter()
        .find(|(name, _)| word.eq_ignore_ascii_case(name))
        .map(|&(_, day)| day)
}

/// The value of an English cardinal number word (`nine`, `ninety`), ignoring case.
pub fn number_of_word(word: &str) -> Option<u64> {
    NUMBER_WORDS
        .iter()
        .find(|(name, _)| word.eq_ignore_ascii_case(name))
        .map(|&(_, value)| value)
}

/// Whether `word` (lower case) names a month or a weekday in English.
pub fn is_calendar_name(word: &str) -> bool {
    MONTH_NAMES.contains(&word) || WEEKDAYS.iter().any(|(name, _)| *name == word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_are_found_in_every_form_and_language() {
        assert_eq!(month_of_word("January"), Some(1));
        assert_eq!(month_of_word("SEPT"), Some(9));
        assert_eq!(month_of_word("Set"), Some(9));
        assert_eq!(month_of_word("juil"), Some(7));
        assert_eq!(month_of_word("mayo"), None);
        assert_eq!(month_of_abbreviation("may"), None);
        assert_eq!(weekday_of_name("thursday"), Some(Weekday::Thu));
        assert_eq!(number_of_word("ninety"), Some(90));
        assert!(is_calendar_name("may") && is_calendar_name("sunday"));
    }
}

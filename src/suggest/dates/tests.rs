//! Tests of date finding and resolution, through `find_dates`.

use super::vocabulary::{STARTERS, may_start};
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
        .map(|m| (span(text, m), m.value.clone(), m.precision.as_str()))
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
                m.precision.as_str(),
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

#[test]
fn a_past_month_more_than_half_a_year_ahead_is_last_years() {
    let april = PartialDate::from_parts(1997, Some(4), Some(23));
    let value = |text: &str, dct| {
        let found = dates(text, dct);
        assert_eq!(found.len(), 1, "{text}: {found:?}");
        found[0].1.clone()
    };
    // Past tense, December seen from April: last December, the nearer one.
    assert_eq!(
        value("The rebels had seized the residence on December 17.", april),
        "1996-12-17"
    );
    assert_eq!(value("The talks collapsed in November.", april), "1996-11");
    // Past tense but a month a few weeks ahead: the reporting verb's tense, this year's date.
    let october = PartialDate::from_parts(1989, Some(10), Some(30));
    assert_eq!(
        value("The company said the dividend is payable Dec. 15.", october),
        "1989-12-15"
    );
    // Future tense, an earlier month: next year's.
    assert_eq!(
        value("The court will rule in February.", october),
        "1990-02"
    );
    // No tense: the publication year.
    assert_eq!(value("Elections in December.", april), "1997-12");
    // A passive after "will be" is no past tense: the future's "will" decides.
    let december = PartialDate::from_parts(2006, Some(12), Some(14));
    assert_eq!(
        value(
            "He will be presented with the award on February 25.",
            december
        ),
        "2007-02-25"
    );
}

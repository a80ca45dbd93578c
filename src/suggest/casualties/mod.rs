//! Casualty figures: counts (digits, words, vague quantities, ranges, qualifiers), outcome,
//! victim group, claimant and sub-counts.
//!
//! The finder works on word tokens, one sentence at a time, with fixed word lists (no regex,
//! no allocation per character). A figure is kept only when an outcome is attached to it
//! ("nine people were killed", "killed nine people", "30 dead", "the death toll rose to 30"),
//! so "2,000 troops were deployed" is not a casualty figure.
//!
//! Conventions (ACLED's conservative rule where reports are imprecise):
//! - exact figures have `low == high == count`;
//! - "at least 12" and "more than 100" give `low` (12, 100) and `count` = `low`; "more than
//!   100" is *not* turned into 101: coders record the stated figure as the floor;
//! - "up to 15" and "as many as 15" give `high` = `count` = 15;
//! - "about 30" ("around", "nearly", "some", "an estimated") gives `count` = 30 only;
//! - ranges ("between 10 and 15", "10 to 15", "10-15", "two or three") give `low`, `high`
//!   and `count` = `low`;
//! - vague words: "tens" = 10, "dozens" = 12, "scores" = 20, "hundreds" = 100,
//!   "thousands" = 1000 (qualifier `vague`); "several", "many", "multiple" have no count.
//! - a singular noun with an article ("a man was shot and killed") counts 1; so does a named
//!   or pronoun subject of a singular outcome ("Straub was pronounced dead").

mod claimant;
mod count;
mod implicit;
mod mention;
mod outcome;
mod victims;

use super::text::Tokenized;
use mention::find_in_sentence;

/// One casualty figure found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CasualtyMention {
    /// First code point of the span (the figure with its victims and outcome where they are
    /// next to it, e.g. "nine people" or "killed nine people").
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    /// Best count.
    pub count: Option<u64>,
    /// Low estimate (ranges, "at least").
    pub low: Option<u64>,
    /// High estimate (ranges, "up to").
    pub high: Option<u64>,
    /// `exact`, `at least`, `more than`, `up to`, `about`, `range`, `vague`.
    pub qualifier: &'static str,
    /// `killed`, `injured`, `missing`, `kidnapped`, `arrested`, ... (normalised).
    pub outcome: String,
    /// `people`, `civilians`, `children`, `soldiers`, `militants`, ... when said.
    pub victims: Option<String>,
    /// Who the sentence attributes the figure to ("Iran" in "Iran said ..."), when it does.
    pub claimed_by: Option<String>,
    /// Index (in the returned list) of the figure this one is a part of ("including four
    /// children" inside "nine people killed").
    pub part_of: Option<usize>,
}

/// Every casualty figure in `text`, in order.
pub fn find_casualties(text: &str) -> Vec<CasualtyMention> {
    find_casualties_in(&Tokenized::new(text))
}

/// Every casualty figure in a text already cut into words and sentences, in order.
pub fn find_casualties_in(tokenized: &Tokenized<'_>) -> Vec<CasualtyMention> {
    let mut mentions = Vec::new();
    for sentence in &tokenized.sentences {
        let Some(sentence) = tokenized.words.get(sentence.words.clone()) else {
            continue;
        };
        find_in_sentence(sentence, &mut mentions);
    }
    mentions
}

/// Per-article (killed, injured) totals from the mentions of one article.
///
/// An article repeats the figure of the event it reports ("a man was shot and killed ... the
/// victim was pronounced dead") and may quote other figures for context (a city's year
/// toll, another shooting). So a total is the most often stated figure (the first stated
/// one on a tie), never a sum. Sub-counts are only used when their parent has another
/// outcome ("two people were shot, one fatally": one killed).
///
/// Injured pools "injured" and "shot" (fate unstated) figures. When the article never says
/// "injured" or "wounded", its "shot" figure includes the dead, so the killed are taken off:
/// two shot and one killed leave one injured.
pub fn article_totals(mentions: &[CasualtyMention]) -> (u64, u64) {
    let killed = stated_figure(mentions, &["killed"]).unwrap_or(0);
    let injured = stated_figure(mentions, &["injured", "shot"]).unwrap_or(0);
    if stated_figure(mentions, &["injured"]).is_some() {
        (killed, injured)
    } else {
        (killed, injured.saturating_sub(killed))
    }
}

/// The most often stated top-level figure with one of `outcomes` (the first one on a tie).
fn stated_figure(mentions: &[CasualtyMention], outcomes: &[&str]) -> Option<u64> {
    let figures: Vec<u64> = mentions
        .iter()
        .filter(|mention| outcomes.contains(&mention.outcome.as_str()))
        .filter(|mention| {
            mention.part_of.is_none_or(|parent| {
                mentions
                    .get(parent)
                    .is_none_or(|parent| parent.outcome != mention.outcome)
            })
        })
        .filter_map(|mention| mention.count)
        .collect();
    let mut best: Option<(u64, usize)> = None;
    for (position, figure) in figures.iter().enumerate() {
        if figures
            .get(..position)
            .is_some_and(|seen| seen.contains(figure))
        {
            continue;
        }
        let times = figures.iter().filter(|other| *other == figure).count();
        if best.is_none_or(|(_, best_times)| times > best_times) {
            best = Some((*figure, times));
        }
    }
    best.map(|(figure, _)| figure)
}

#[cfg(test)]
mod tests;

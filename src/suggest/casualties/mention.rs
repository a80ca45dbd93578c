//! Sentences to mentions: a count with its victims, outcome, claimant and the figure it is part
//! of.

use super::CasualtyMention;
use super::claimant::claimant;
use super::count::{Count, count_at};
use super::implicit::{implicit_mention, token_is};
use super::outcome::{outcome_after, outcome_following, outcome_preceding};
use super::victims::{SINGULAR_ARTICLE_NOUNS, victim_after};
use crate::suggest::text::{TokenKind, Word};

/// Units and contexts after which a number is no casualty count.
pub(super) const NOT_VICTIMS: &[&str] = &[
    "a.m", "p.m", "percent", "%", "years", "year", "months", "days", "hours", "minutes", "seconds",
    "times", "rounds", "shots", "bullets", "miles", "feet", "blocks", "pounds", "dollars",
    "o'clock", "mm", "caliber",
];

pub(super) fn find_in_sentence(sentence: &[Word<'_>], mentions: &mut Vec<CasualtyMention>) {
    let first_in_sentence = mentions.len();
    let claimed_by = claimant(sentence);
    let mut covered_until = 0;
    let mut index = 0;
    while index < sentence.len() {
        if index < covered_until {
            index += 1;
            continue;
        }
        if let Some((mention, end)) = mention_at(sentence, index, first_in_sentence, mentions) {
            let mut mention = mention;
            mention.claimed_by.clone_from(&claimed_by);
            mentions.push(mention);
            covered_until = end;
            index = end;
            continue;
        }
        index += 1;
    }
    // One victim without a count: "Straub was pronounced dead", "fatally wounding Quincetta
    // Daniels", "a fatal shooting".
    if mentions.len() > first_in_sentence {
        return;
    }
    let Some(implicit) = implicit_mention(sentence) else {
        return;
    };
    let (Some(first), Some(last)) = (
        sentence.get(implicit.start),
        sentence.get(implicit.end.saturating_sub(1)),
    ) else {
        return;
    };
    mentions.push(CasualtyMention {
        start: first.char_start,
        end: last.char_end,
        count: Some(implicit.count),
        low: Some(implicit.count),
        high: (implicit.qualifier == "exact").then_some(implicit.count),
        qualifier: implicit.qualifier,
        outcome: implicit.outcome.to_owned(),
        victims: None,
        claimed_by,
        part_of: None,
    });
}

/// "A man and a teenage boy are dead": two victim phrases joined by "and" make one figure.
pub(super) fn coordinated(
    sentence: &[Word<'_>],
    count: Count,
    victim: Option<(String, usize, bool)>,
) -> (Count, Option<(String, usize, bool)>) {
    let Some((group, end, _)) = &victim else {
        return (count, victim);
    };
    if !sentence.get(*end).is_some_and(|t| t.is("and")) {
        return (count, victim);
    }
    let Some(other) = count_at(sentence, end + 1).filter(|other| other.qualifier == "exact") else {
        // "Civilians and fighters were killed": one more group, no more count.
        if let Some((other_group, other_end, other_singular)) = victim_after(sentence, end + 1) {
            let group = if *group == other_group {
                other_group
            } else {
                "people".to_owned()
            };
            // "A man and woman were found shot": one victim and one more, two.
            let one_more = count.singular_article && other_singular && count.count == Some(1);
            let count = if one_more {
                Count {
                    count: Some(2),
                    low: Some(2),
                    high: Some(2),
                    ..count
                }
            } else {
                count
            };
            return (count, Some((group, other_end, false)));
        }
        return (count, victim);
    };
    if count.qualifier != "exact" {
        return (count, victim);
    }
    let Some((other_group, other_end, other_singular)) = victim_after(sentence, other.end) else {
        return (count, victim);
    };
    if other.singular_article {
        let noun_fits = sentence
            .get(other_end - 1)
            .is_some_and(|noun| SINGULAR_ARTICLE_NOUNS.contains(&noun.lower.as_str()));
        if !other_singular || !noun_fits {
            return (count, victim);
        }
    }
    let (Some(first), Some(second)) = (count.count, other.count) else {
        return (count, victim);
    };
    let total = first.saturating_add(second);
    let merged = Count {
        count: Some(total),
        low: Some(total),
        high: Some(total),
        ..count
    };
    let group = if *group == other_group {
        other_group
    } else {
        "people".to_owned()
    };
    (merged, Some((group, other_end, false)))
}

/// The victims of the count starting at word `index`: (group, index one past, singular
/// noun), `Some(None)` for a bare count, `None` when a singular article ("a", "the", "his")
/// has no singular person noun after it, so that the count is no count.
fn victim_of(
    sentence: &[Word<'_>],
    index: usize,
    count: &Count,
) -> Option<Option<(String, usize, bool)>> {
    let victim = victim_after(sentence, count.end);
    // "One dead, another wounded".
    let another_bare = token_is(sentence, index, "another")
        && victim.is_none()
        && outcome_after(sentence, count.end).is_some();
    if count.singular_article && !another_bare {
        // Only "a man", "the victim", "his girlfriend": singular person nouns.
        let (_, _, singular) = victim.as_ref()?;
        let noun = sentence.get(victim.as_ref()?.1 - 1)?;
        let person = SINGULAR_ARTICLE_NOUNS.contains(&noun.lower.as_str())
            || noun.lower.ends_with("-year-old");
        if !singular || !person {
            return None;
        }
    }
    // "10 SDF killed": a group name straight before the outcome.
    Some(victim.or_else(|| {
        let group = sentence.get(count.end)?;
        let named = group.kind == TokenKind::Word
            && group.capitalized()
            && !count.singular_article
            && outcome_after(sentence, count.end + 1).is_some();
        named.then(|| (group.lower.clone(), count.end + 1, false))
    }))
}

/// The figure of this sentence a sub-count is part of: the latest top-level one with a count
/// at least as large.
fn parent_of(
    count: &Count,
    first_in_sentence: usize,
    mentions: &[CasualtyMention],
) -> Option<usize> {
    (first_in_sentence..mentions.len()).rev().find(|&i| {
        mentions
            .get(i)
            .is_some_and(|m| m.part_of.is_none() && m.count >= count.count)
    })
}

/// "Sent two men to the hospital": the count follows "sent" and "hospital" comes soon after
/// the victims ending at `phrase_end`.
fn sent_to_hospital(sentence: &[Word<'_>], count: &Count, phrase_end: usize) -> bool {
    let sent = count
        .start
        .checked_sub(1)
        .and_then(|i| sentence.get(i))
        .is_some_and(|t| matches!(t.lower.as_str(), "sent" | "sends" | "sending"));
    let to_hospital = (phrase_end..phrase_end + 4).any(|i| token_is(sentence, i, "hospital"));
    sent && to_hospital
}

/// A casualty mention whose count starts at token `index` (or whose qualifier does).
pub(super) fn mention_at(
    sentence: &[Word<'_>],
    index: usize,
    first_in_sentence: usize,
    mentions: &[CasualtyMention],
) -> Option<(CasualtyMention, usize)> {
    let count = count_at(sentence, index)?;
    let previous = index.checked_sub(1).and_then(|i| sentence.get(i));
    if previous.is_some_and(|p| p.is("aged") || p.is("age") || p.is("in") || p.is("since"))
        && !count.singular_article
        && count.qualifier != "vague"
    {
        return None;
    }
    // "No one was hurt".
    if previous.is_some_and(|p| p.is("no")) {
        return None;
    }
    let victim = victim_of(sentence, index, &count)?;
    let (count, victim) = coordinated(sentence, count, victim);
    let after_count = sentence.get(count.end);
    if victim.is_none()
        && after_count.is_some_and(|next| NOT_VICTIMS.contains(&next.lower.as_str()))
    {
        return None;
    }
    // "Two of them", "one of whom": a sub-count.
    let of_them = victim.is_none()
        && after_count.is_some_and(|t| t.is("of"))
        && sentence
            .get(count.end + 1)
            .is_some_and(|t| matches!(t.lower.as_str(), "them" | "whom" | "those" | "the"));
    let of_group = if of_them {
        // "One of the robbery suspects": one unknown modifier may come first.
        victim_after(sentence, count.end + 2)
            .or_else(|| victim_after(sentence, count.end + 3))
            .map(|(_, end, _)| end)
    } else {
        None
    };
    let phrase_end = match &victim {
        Some((_, end, _)) => *end,
        None if of_them => of_group.unwrap_or(count.end + 2),
        None => count.end,
    };
    let bare = victim.is_none();
    let mut outcome = outcome_following(sentence, phrase_end, bare && !of_them);
    let mut span_end = phrase_end;
    if bare && !of_them {
        // "30 dead": the outcome word is part of the span.
        if let Some((_, end)) = outcome_after(sentence, phrase_end)
            && outcome.is_some()
        {
            span_end = end;
        }
    }
    // "Fired one shot": a bare count before "shot" is a shot fired unless it opens the
    // sentence ("Two shot in drive-by").
    if bare && outcome == Some("shot") && count.start > 0 {
        outcome = None;
    }
    if outcome.is_none() {
        outcome = outcome_preceding(sentence, count.start);
    }
    // "A shooting sent two men to the hospital".
    if outcome.is_none() && !bare && sent_to_hospital(sentence, &count, phrase_end) {
        outcome = Some("injured");
    }
    // A bare year or age is never a count on its own.
    if bare
        && count
            .count
            .is_some_and(|value| (1900..=2100).contains(&value))
    {
        return None;
    }
    // Sub-counts: "including four children", "two people were shot, one fatally".
    let introduced = (1..=2).any(|back| {
        count
            .start
            .checked_sub(back)
            .and_then(|i| sentence.get(i))
            .is_some_and(|t| t.is("including") || t.is("among"))
    }) || of_them
        || (bare
            && previous.is_some_and(|p| p.is_punct(','))
            && sentence.get(count.end).is_some_and(|t| t.is("fatally")));
    let parent = introduced
        .then(|| parent_of(&count, first_in_sentence, mentions))
        .flatten();
    let outcome = match (outcome, parent) {
        (Some(outcome), _) => outcome.to_owned(),
        (None, Some(parent)) => mentions.get(parent)?.outcome.clone(),
        (None, None) => return None,
    };
    let first = sentence.get(count.start)?;
    let last = sentence.get(span_end.checked_sub(1)?)?;
    let mention = CasualtyMention {
        start: first.char_start,
        end: last.char_end,
        count: count.count,
        low: count.low,
        high: count.high,
        qualifier: count.qualifier,
        outcome,
        victims: victim.map(|(group, _, _)| group),
        claimed_by: None,
        part_of: parent,
    };
    Some((mention, span_end.max(count.end)))
}

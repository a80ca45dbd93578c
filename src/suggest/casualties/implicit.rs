//! Figures without a count: one victim implied by a singular outcome ("Straub was pronounced
//! dead", "fatally wounding Quincetta Daniels") or an event noun ("a fatal shooting").

use super::outcome::outcome_after;
use super::victims::VICTIMS;
use crate::suggest::text::{TokenKind, Word, is_calendar_name};

/// Pronoun and name subjects of a singular outcome ("He was pronounced dead").
pub(super) fn singular_subject(sentence: &[Word<'_>], verb: usize) -> Option<(usize, usize)> {
    let mut verb = verb;
    // "He later died".
    while sentence.get(verb.checked_sub(1)?).is_some_and(|t| {
        matches!(
            t.lower.as_str(),
            "later" | "also" | "then" | "eventually" | "subsequently" | "ultimately"
        )
    }) {
        verb -= 1;
    }
    let previous = sentence.get(verb.checked_sub(1)?)?;
    if matches!(previous.lower.as_str(), "he" | "she") {
        return Some((verb - 1, verb));
    }
    // "Ethan M. Straub, 25, of Wamego, was killed": walk back over an appositive.
    let mut end = verb;
    if previous.is_punct(',') {
        // The first comma that follows a capitalised word opens the appositive.
        end = (verb.saturating_sub(9).max(1)..verb - 1).find(|&i| {
            sentence.get(i).is_some_and(|t| t.is_punct(','))
                && sentence
                    .get(i - 1)
                    .is_some_and(|t| t.kind == TokenKind::Word && t.capitalized())
        })?;
    }
    let mut start = end;
    while start > 0 {
        let Some(token) = sentence.get(start - 1) else {
            break;
        };
        if token.kind == TokenKind::Word && token.capitalized() {
            start -= 1;
        } else if token.is_punct('.') && start >= 2 && end - start > 0 {
            // "M." inside a name.
            start -= 1;
        } else {
            break;
        }
    }
    // Drop a leading full stop, and names that are a sentence's first word only ("The").
    while sentence
        .get(start)
        .is_some_and(|t| t.kind == TokenKind::Punct)
    {
        start += 1;
    }
    if start >= end {
        return None;
    }
    let first = sentence.get(start)?;
    let articles = ["the", "a", "an", "police", "it", "this", "that", "there"];
    if articles.contains(&first.lower.as_str()) || end - start > 4 {
        return None;
    }
    Some((start, end))
}
/// A figure implied by a singular outcome or an event noun.
pub(super) struct Implicit {
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) count: u64,
    pub(super) qualifier: &'static str,
    pub(super) outcome: &'static str,
}

/// Whether the token at `index` is `word`.
pub(super) fn token_is(sentence: &[Word<'_>], index: usize, word: &str) -> bool {
    sentence.get(index).is_some_and(|token| token.is(word))
}

/// A victim noun, an age noun ("17-year-old") or "who".
pub(super) fn is_person_word(token: &Word<'_>) -> bool {
    token.is("who")
        || token.is("someone")
        || token.is("somebody")
        || token.lower.ends_with("-year-old")
        || VICTIMS
            .iter()
            .any(|(singular, plural)| token.is(singular) || token.is(plural))
}

/// Capitalised words that are no names, besides the names of months and weekdays.
pub(super) const NOT_NAMES: &[&str] = &[
    "police", "i", "the", "a", "an", "in", "on", "at", "this", "that",
];

/// Whether a capitalised word is no name: a month, a weekday, "Police", "The", ...
pub(super) fn is_not_name(lower: &str) -> bool {
    is_calendar_name(lower) || NOT_NAMES.contains(&lower)
}

/// The capitalised name starting at `at`: index one past it.
pub(super) fn name_at(sentence: &[Word<'_>], at: usize) -> Option<usize> {
    let mut end = at;
    while let Some(token) = sentence.get(end) {
        let part =
            token.kind == TokenKind::Word && token.capitalized() && !is_not_name(&token.lower);
        let initial = token.is_punct('.') && end > at;
        if !(part || initial) || end - at >= 4 {
            break;
        }
        end += 1;
    }
    while end > at
        && sentence
            .get(end - 1)
            .is_some_and(|t| t.kind == TokenKind::Punct)
    {
        end -= 1;
    }
    (end > at).then_some(end)
}

/// Nouns after "homicide" that name who investigates killings, not a killing ("a homicide
/// detective said").
const HOMICIDE_UNITS: &[&str] = &[
    "detective",
    "detectives",
    "unit",
    "office",
    "investigator",
    "investigators",
    "squad",
    "division",
    "bureau",
    "charge",
    "charges",
    "rate",
    "count",
    "suspect",
    "case",
    "cases",
];

/// "His body was found", "whose body was discovered", "found the body of": one dead; not
/// "the second body was found", one of several counted elsewhere.
fn body_found(sentence: &[Word<'_>], index: usize) -> bool {
    let word = |index: usize| sentence.get(index).map_or("", |t| t.lower.as_str());
    if matches!(
        word(index.wrapping_sub(1)),
        "first" | "second" | "third" | "other" | "another" | "last"
    ) {
        return false;
    }
    let found = |w: &str| matches!(w, "found" | "discovered" | "recovered" | "located");
    let passive = matches!(word(index + 1), "was" | "had" | "has" | "is")
        && (2..=3).any(|k| found(word(index + k)));
    let active = word(index.wrapping_sub(1)) == "the" && found(word(index.wrapping_sub(2)));
    passive || active
}

/// Whether the victim of a non-fatal outcome ending at `from` died later in the sentence: "a
/// man who was shot in the stomach ... passed away Tuesday", "was taken to hospital, where
/// he was pronounced dead". Another victim ("another", "a second", a number) ends the search.
pub(super) fn died_later(sentence: &[Word<'_>], from: usize) -> bool {
    let word = |index: usize| sentence.get(index).map_or("", |t| t.lower.as_str());
    for index in from..sentence.len().min(from + 30) {
        match word(index) {
            "another" | "second" | "others" | "but" | "while" | "not" | "one" | "two" | "three"
            | "four" | "five" | "both" | "all" => return false,
            w if w.starts_with(|c: char| c.is_ascii_digit()) => return false,
            "died" | "succumbed" => return true,
            "passed" if word(index + 1) == "away" => return true,
            "pronounced" | "declared" if matches!(word(index + 1), "dead" | "deceased") => {
                return true;
            }
            _ => {}
        }
    }
    false
}

/// A singular passive outcome at word `index`: "was (later) killed", "has died", "being
/// shot", "died": (outcome, index one past it).
fn passive_outcome(sentence: &[Word<'_>], index: usize) -> Option<(&'static str, usize)> {
    let word = |index: usize| sentence.get(index).map_or("", |t| t.lower.as_str());
    let token = sentence.get(index)?;
    match token.lower.as_str() {
        "was" | "has" | "had" => {
            let mut next = index + 1;
            while matches!(
                word(next),
                "been" | "later" | "also" | "reportedly" | "then" | "since" | "now" | "found"
            ) && next < index + 3
            {
                next += 1;
            }
            // "Has killed opportunities" is active: "has" needs "been" or "died".
            let perfect_active = token.lower != "was"
                && !(index + 1..next).any(|i| word(i) == "been")
                && !matches!(word(next), "died" | "succumbed" | "passed");
            outcome_after(sentence, next)
                .filter(|(outcome, _)| matches!(*outcome, "killed" | "injured" | "shot"))
                .filter(|_| !perfect_active && word(next + 1) != "up")
        }
        "died" | "dies" => Some(("killed", index + 1)),
        // "A Ringgold man took his own life", "the first victim lost his life".
        "took" | "lost" => {
            outcome_after(sentence, index).filter(|(outcome, _)| *outcome == "killed")
        }
        // "After being shot".
        "being" => outcome_after(sentence, index + 1)
            .filter(|(outcome, _)| matches!(*outcome, "killed" | "injured" | "shot")),
        _ => None,
    }
}

pub(super) fn implicit_mention(sentence: &[Word<'_>]) -> Option<Implicit> {
    let word = |index: usize| sentence.get(index).map_or("", |t| t.lower.as_str());
    for (index, token) in sentence.iter().enumerate() {
        // "Straub was pronounced dead", "the man, who was shot, died".
        let passive = passive_outcome(sentence, index);
        // "No one was hurt", "nobody was injured", "none were wounded".
        let negated = (1..=4).any(|back| {
            matches!(
                word(index.wrapping_sub(back)),
                "nobody" | "none" | "anyone" | "anybody" | "no-one" | "no" | "whether" | "if"
            )
        });
        if let (Some((outcome, outcome_end)), false) = (passive, negated) {
            // Without a named or pronoun subject, a person must be named just before ("a man
            // who threatened deputies was shot") so that "its reputation was hurt" is no
            // casualty.
            let person_before = matches!(word(index.wrapping_sub(1)), "and" | "where")
                || sentence
                    .get(index.saturating_sub(8).max(1)..index)
                    .is_some_and(|before| {
                        before.iter().any(|t| {
                            is_person_word(t) || (t.kind == TokenKind::Word && t.capitalized())
                        })
                    });
            let subject = singular_subject(sentence, index);
            if subject.is_none() && !person_before {
                continue;
            }
            let (start, end) = subject.unwrap_or((index, outcome_end.max(index + 1)));
            return Some(Implicit {
                start,
                end,
                count: 1,
                qualifier: "exact",
                outcome: if outcome != "killed" && died_later(sentence, outcome_end) {
                    "killed"
                } else {
                    outcome
                },
            });
        }
        // "fatally wounding Quincetta Daniels", "the shooting death of Lavon Spaights".
        let active = match token.lower.as_str() {
            "killed" | "killing" | "murdered" | "murdering" => Some("killed"),
            "shot" | "wounding" | "wounded" => {
                if word(index.wrapping_sub(1)) == "fatally" {
                    Some("killed")
                } else {
                    Some("shot")
                }
            }
            "of" if matches!(
                word(index.wrapping_sub(1)),
                "death" | "murder" | "killing" | "homicide" | "slaying"
            ) =>
            {
                Some("killed")
            }
            _ => None,
        };
        if let Some(outcome) = active
            && let Some(end) = name_at(sentence, index + 1)
        {
            return Some(Implicit {
                start: index + 1,
                end,
                count: 1,
                qualifier: "exact",
                outcome,
            });
        }
        // "A fatal shooting", "a murder-suicide", "the scene of a homicide", "his body was
        // found".
        let event = match (token.lower.as_str(), word(index + 1)) {
            ("fatal" | "deadly", "shooting" | "stabbing" | "attack") => Some((1, 2)),
            ("shooting", "death") => Some((1, 2)),
            ("double", "homicide" | "murder" | "murder-suicide" | "killing" | "slaying") => {
                Some((2, 2))
            }
            ("triple", "homicide" | "murder" | "killing" | "slaying") => Some((3, 2)),
            ("quadruple", "homicide" | "murder" | "killing" | "slaying") => Some((4, 2)),
            ("murder-suicide", _) => Some((2, 1)),
            ("a", "homicide") if !HOMICIDE_UNITS.contains(&word(index + 2)) => Some((1, 2)),
            ("body", _) if body_found(sentence, index) => Some((1, 1)),
            _ => None,
        };
        if let Some((count, length)) = event {
            return Some(Implicit {
                start: index,
                end: index + length,
                count,
                qualifier: "at least",
                outcome: "killed",
            });
        }
        // "Found with a gunshot wound": one person shot.
        if token.is("gunshot") && word(index + 1) == "wound" {
            return Some(Implicit {
                start: index,
                end: index + 2,
                count: 1,
                qualifier: "at least",
                outcome: "shot",
            });
        }
    }
    None
}

//! Names from runs of capitalised words: places and organisations from the gazetteer and by
//! head words, people by titles and the shape of their names, surnames repeated later.

use super::gazetteer::{GAZETTEER, Gazetteer, Kind, Name, gazetteer_match};
use super::name_words::NameWord;
use super::vocabulary::{
    Heads, PERSON_BREAKS, WORDS, is_connector, is_name_word, is_title_head, is_title_word,
};
use super::{EntityMention, PlacePoint};
use std::collections::HashSet;

/// Where the run of capitalised words starting at `start` ends (exclusive), if one starts
/// there.
pub(super) fn run_end(tokens: &[NameWord<'_>], start: usize) -> Option<usize> {
    let first = tokens.get(start)?;
    if !is_name_word(first) {
        return None;
    }
    let mut end = start + 1;
    let mut last_name = start + 1;
    if first.possessive {
        return Some(end);
    }
    while let Some(token) = tokens.get(end) {
        if token.break_before {
            break;
        }
        if is_name_word(token) {
            end += 1;
            last_name = end;
            if token.possessive {
                break;
            }
        } else if is_connector(token) {
            end += 1;
        } else {
            break;
        }
    }
    Some(last_name)
}

/// A mention before the final clean-up: token range, label and gazetteer names.
#[derive(Debug)]
pub(super) struct Found {
    pub(super) first: usize,
    pub(super) last: usize,
    pub(super) label: &'static str,
    pub(super) names: &'static [Name],
    /// Code point span when it is part of a token ("Iran" in "Pakistan-Iran").
    pub(super) part: Option<(usize, usize)>,
}

/// Whether a gazetteer match of `len` words is a place here: a one-word place that is also
/// an ordinary capitalised word ("German") is not one, unless it is a country or an
/// organisation.
fn reads_as_place(gazetteer: &Gazetteer, token: &NameWord<'_>, len: usize, names: &[Name]) -> bool {
    len > 1
        || token.all_caps
        || !WORDS.stop.contains(token.lower.as_str())
        || names.first().is_some_and(|n| {
            gazetteer
                .entries
                .get(n.entry as usize)
                .is_some_and(|e| matches!(e.kind, Kind::Country | Kind::Organisation))
        })
}

/// Labels the run `tokens[start..end]`; returns the index of the first token not consumed.
pub(super) fn process_run(
    tokens: &[NameWord<'_>],
    start: usize,
    end: usize,
    title_before: bool,
    gazetteer: &'static Gazetteer,
    found: &mut Vec<Found>,
    maybe_people: &mut Vec<usize>,
) -> usize {
    let words = &*WORDS;
    let mut person: Vec<usize> = Vec::new();
    let mut titled = title_before;
    let mut k = start;
    while k < end {
        let Some(token) = tokens.get(k) else {
            break;
        };
        // Listed names may go on in lower case: "Islamic State group".
        let place = gazetteer_match(gazetteer, tokens, k, tokens.len());
        let org = by_head(tokens, k, end, &words.org);
        let shaped_place = by_head(tokens, k, end, &words.loc);
        let place_len = place.as_ref().map_or(0, |(len, _)| *len);
        if shaped_place > place_len && shaped_place > org {
            flush_person(tokens, &mut person, titled, found, maybe_people);
            titled = false;
            found.push(Found {
                first: k,
                last: k + shaped_place - 1,
                label: "LOC",
                names: &[],
                part: None,
            });
            k += shaped_place;
            continue;
        }
        let titled_org = tokens
            .get(k..k + org.saturating_sub(1))
            .is_some_and(|span| span.iter().any(|t| is_title_head(&t.lower)));
        if org > place_len && !titled_org {
            flush_person(tokens, &mut person, titled, found, maybe_people);
            titled = false;
            found.push(Found {
                first: k,
                last: k + org - 1,
                label: "ORG",
                names: &[],
                part: None,
            });
            k += org;
            continue;
        }
        let place = place.filter(|(len, names)| reads_as_place(gazetteer, token, *len, names));
        if let Some((len, names)) = place {
            let kind = names
                .first()
                .and_then(|n| gazetteer.entries.get(n.entry as usize))
                .map(|e| e.kind);
            // A one-word town that is a name here: "Norman Tebbit", "Mr Lincoln".
            let next_is_name = tokens.get(k + 1).is_some_and(|t| {
                k + 1 < end
                    && !t.break_before
                    && is_name_word(t)
                    && !words.stop.contains(t.lower.as_str())
                    && !is_title_word(&t.lower)
                    && !words.non_entity_heads.contains(t.lower.as_str())
                    && gazetteer_match(gazetteer, tokens, k + 1, end).is_none()
            });
            let town_as_name = len == 1
                && matches!(kind, Some(Kind::Town | Kind::Region))
                && (titled
                    || (next_is_name && !token.possessive)
                    || (kind == Some(Kind::Town) && !person.is_empty()));
            if !town_as_name {
                flush_person(tokens, &mut person, titled, found, maybe_people);
                titled = false;
                let label = if kind == Some(Kind::Organisation) {
                    "ORG"
                } else {
                    "LOC"
                };
                found.push(Found {
                    first: k,
                    last: k + len - 1,
                    label,
                    names,
                    part: None,
                });
                k += len;
                continue;
            }
        }
        if place.is_none() && push_compound_places(gazetteer, token, found) {
            flush_person(tokens, &mut person, titled, found, maybe_people);
            titled = false;
            k += 1;
            continue;
        }
        take_name_word(tokens, k, &mut person, &mut titled, found, maybe_people);
        k += 1;
    }
    flush_person(tokens, &mut person, titled, found, maybe_people);
    k
}

/// A word of a run that is no place or organisation: a title, a connector, a stop word, or
/// one more word of the person's name pending in `person`.
fn take_name_word(
    tokens: &[NameWord<'_>],
    k: usize,
    person: &mut Vec<usize>,
    titled: &mut bool,
    found: &mut Vec<Found>,
    maybe_people: &mut Vec<usize>,
) {
    let words = &*WORDS;
    let Some(token) = tokens.get(k) else {
        return;
    };
    let lower = token.lower.as_str();
    if token.capitalised && is_title_word(lower) && person.is_empty() {
        *titled |= is_title_head(lower);
    } else if token.capitalised && is_title_head(lower) {
        // "Constitutional Affairs Minister David Lammy": the words before were a portfolio.
        person.clear();
        *titled = true;
    } else if !token.capitalised && WORDS.connectors.contains(lower) && person.is_empty() {
        // A connector before any name word: nothing to join ("Prince of Wales").
        *titled &= !PERSON_BREAKS.contains(&lower);
    } else if !token.capitalised && PERSON_BREAKS.contains(&lower) {
        // "Prince of Wales": a title, then no name.
        flush_person(tokens, person, *titled, found, maybe_people);
        *titled = false;
    } else if words.non_entity_heads.contains(lower) {
        // "Mental Capacity Bill", "Wales Open": the words before were no name.
        person.clear();
        *titled = false;
    } else if words.stop.contains(lower) || token.all_caps {
        flush_person(tokens, person, *titled, found, maybe_people);
        *titled = false;
    } else {
        person.push(k);
        if token.possessive {
            flush_person(tokens, person, *titled, found, maybe_people);
            *titled = false;
        }
    }
}

/// "Pakistan-Iran", "Israel-Gaza": when every part of a hyphenated word is a country or
/// region, each part is a place. Returns whether it was.
pub(super) fn push_compound_places(
    gazetteer: &'static Gazetteer,
    token: &NameWord<'_>,
    found: &mut Vec<Found>,
) -> bool {
    if !token.text.contains('-') {
        return false;
    }
    let mut parts: Vec<(usize, usize, &'static [Name])> = Vec::new();
    let mut offset = token.start;
    for part in token.text.split('-') {
        let len = part.chars().count();
        let capitalised = part.chars().next().is_some_and(char::is_uppercase);
        let names = gazetteer.by_key.get(&part.to_lowercase()).filter(|names| {
            names.first().is_some_and(|n| {
                n.cases.len() == 1
                    && gazetteer.entries.get(n.entry as usize).is_some_and(|e| {
                        matches!(e.kind, Kind::Country | Kind::Region | Kind::Area)
                    })
            })
        });
        let Some(names) = names.filter(|_| capitalised) else {
            return false;
        };
        parts.push((offset, offset + len, names.as_slice()));
        offset += len + 1;
    }
    for (start, end, names) in parts {
        found.push(Found {
            first: token.index,
            last: token.index,
            label: "LOC",
            names,
            part: Some((start, end)),
        });
    }
    true
}

/// Length in tokens of a name recognised by its head words, starting at `start`:
/// "Balochistan Liberation Army", "Ministry of Defence", "Jaysh Khalid Ibn al-Walid",
/// "Yarmouk Basin". Zero when there is none.
pub(super) fn by_head(
    tokens: &[NameWord<'_>],
    start: usize,
    end: usize,
    heads: &Heads<'_>,
) -> usize {
    let words = &*WORDS;
    let Some(first) = tokens.get(start) else {
        return 0;
    };
    if !first.capitalised
        || words.function.contains(first.lower.as_str())
        || words.non_entity_heads.contains(first.lower.as_str())
    {
        return 0;
    }
    let span = tokens.get(start..end).unwrap_or_default();
    // "Jaysh Khalid Ibn al-Walid", "Deir Ezzor": a first word, then the rest of the name.
    if heads.first.contains(first.lower.as_str()) && !first.possessive {
        let mut last = 0;
        for (offset, token) in span.iter().enumerate().skip(1) {
            if PERSON_BREAKS.contains(&token.lower.as_str()) && !token.capitalised {
                break;
            }
            if is_name_word(token) {
                last = offset;
            }
            if token.possessive {
                break;
            }
        }
        if last > 0 {
            return last + 1;
        }
    }
    // "Ministry of Defence", "Bank of England": head, "of", capitalised words.
    if heads.before_of.contains(first.lower.as_str())
        && tokens
            .get(start + 1)
            .is_some_and(|t| matches!(t.text, "of" | "for") && start + 2 < end)
        && let Some(len) = of_tail(span, 1)
    {
        return len;
    }
    // "... Army": the last head word before any "and"/"the"/"for" and before a possessive.
    let mut best = 0;
    for (offset, token) in span.iter().enumerate() {
        if offset > 0 && matches!(token.lower.as_str(), "and" | "the" | "for") {
            break;
        }
        if offset > 0 && token.capitalised && heads.last.contains(token.lower.as_str()) {
            best = offset + 1;
        }
        if token.possessive {
            break;
        }
    }
    // "Arts Council of Wales": the head goes on with "of" and capitalised words.
    if best > 0
        && span.get(best - 1).is_some_and(|t| !t.possessive)
        && span.get(best).is_some_and(|t| t.lower == "of")
        && let Some(len) = of_tail(span, best)
    {
        best = len;
    }
    best
}

/// With `span[of_at]` = "of": the length of the span through the capitalised words after it
/// ("of the Interior"), if there are any.
pub(super) fn of_tail(span: &[NameWord<'_>], of_at: usize) -> Option<usize> {
    let mut last = None;
    for (offset, token) in span.iter().enumerate().skip(of_at + 1) {
        if token.capitalised {
            last = Some(offset + 1);
        } else if !matches!(token.lower.as_str(), "the" | "of") {
            break;
        }
        if token.possessive {
            break;
        }
    }
    last
}

/// Turns the pending name words into a person when the evidence allows.
pub(super) fn flush_person(
    tokens: &[NameWord<'_>],
    person: &mut Vec<usize>,
    titled: bool,
    found: &mut Vec<Found>,
    maybe_people: &mut Vec<usize>,
) {
    let words = &*WORDS;
    let (Some(&first), Some(&last)) = (person.first(), person.last()) else {
        return;
    };
    person.clear();
    let Some(last_token) = tokens.get(last) else {
        return;
    };
    if words.non_entity_heads.contains(last_token.lower.as_str()) {
        return;
    }
    let count = last + 1 - first;
    if count > 5 {
        return;
    }
    // "clashes in Jrood al-Qalamoun": after a place preposition, an unknown Arabic name is a
    // place.
    let after_place_word = first > 0
        && tokens.get(first).is_some_and(|t| !t.break_before)
        && tokens
            .get(first - 1)
            .is_some_and(|t| matches!(t.text, "in" | "near" | "around" | "outside" | "towards"));
    let arabic_article = tokens.get(first..=last).is_some_and(|span| {
        span.iter().any(|t| {
            t.lower
                .split_once('-')
                .is_some_and(|(article, _)| matches!(article, "al" | "el" | "ar" | "as" | "ad"))
                || matches!(t.text, "al" | "el")
        })
    });
    if count >= 2 && !titled && after_place_word && arabic_article && !last_token.possessive {
        found.push(Found {
            first,
            last,
            label: "LOC",
            names: &[],
            part: None,
        });
    } else if count >= 2 || titled {
        found.push(Found {
            first,
            last,
            label: "PER",
            names: &[],
            part: None,
        });
    } else if !tokens.get(first).is_some_and(|t| t.sentence_start) {
        maybe_people.push(first);
    }
}

/// Single words that repeat the surname of a person named in full earlier or later
/// ("Anwaar-ul-Haq Kakar" ... "Kakar said") become people; so do one-word towns with a
/// person's surname ("Mr Lincoln" ... "Lincoln said").
pub(super) fn resolve_people(
    tokens: &[NameWord<'_>],
    found: &mut Vec<Found>,
    maybe_people: &[usize],
) {
    let surnames: HashSet<&str> = found
        .iter()
        .filter(|f| f.label == "PER")
        .filter_map(|f| tokens.get(f.last).map(|t| t.lower.as_str()))
        .collect();
    if surnames.is_empty() {
        return;
    }
    for f in found.iter_mut() {
        let is_town = f.names.first().is_some_and(|n| {
            GAZETTEER
                .entries
                .get(n.entry as usize)
                .is_some_and(|e| e.kind == Kind::Town)
        });
        if f.label == "LOC"
            && is_town
            && f.first == f.last
            && tokens
                .get(f.first)
                .is_some_and(|t| surnames.contains(t.lower.as_str()))
        {
            f.label = "PER";
            f.names = &[];
        }
    }
    for &index in maybe_people {
        if tokens
            .get(index)
            .is_some_and(|t| surnames.contains(t.lower.as_str()))
        {
            found.push(Found {
                first: index,
                last: index,
                label: "PER",
                names: &[],
                part: None,
            });
        }
    }
}

/// Picks the gazetteer entry of each place (preferring countries the text names), sorts and
/// converts token ranges to code point offsets.
pub(super) fn finish(tokens: &[NameWord<'_>], mut found: Vec<Found>) -> Vec<EntityMention> {
    let gazetteer = &*GAZETTEER;
    // Countries the text names, or whose places it names without ambiguity.
    let mentioned: HashSet<&str> = found
        .iter()
        .filter_map(|f| match f.names {
            [only] => gazetteer.entries.get(only.entry as usize),
            [first, ..] => gazetteer
                .entries
                .get(first.entry as usize)
                .filter(|e| e.kind == Kind::Country),
            [] => None,
        })
        .map(|e| e.country_code)
        .filter(|code| !code.is_empty())
        .collect();
    found.sort_by_key(|f| (f.first, std::cmp::Reverse(f.last)));
    let mut out: Vec<EntityMention> = Vec::with_capacity(found.len());
    let mut next_free = 0;
    for f in found {
        let (Some(first), Some(last)) = (tokens.get(f.first), tokens.get(f.last)) else {
            continue;
        };
        let (start, end) = f.part.unwrap_or((first.start, last.end));
        if start < next_free || end <= start {
            continue;
        }
        let entry = f
            .names
            .iter()
            .filter_map(|n| gazetteer.entries.get(n.entry as usize))
            .find(|e| mentioned.contains(e.country_code))
            .or_else(|| {
                f.names
                    .first()
                    .and_then(|n| gazetteer.entries.get(n.entry as usize))
            });
        let country_code = entry
            .filter(|e| f.label == "LOC" && !e.country_code.is_empty())
            .map(|e| e.country_code.to_owned());
        let place = entry
            .filter(|_| f.label == "LOC")
            .and_then(|e| e.point.map(|(lat, lon)| (e, lat, lon)))
            .map(|(e, lat, lon)| PlacePoint {
                lat,
                lon,
                adm1: (!e.adm1.is_empty()).then(|| e.adm1.to_owned()),
                where_prec: e.where_prec,
            });
        next_free = end;
        out.push(EntityMention {
            start,
            end,
            label: f.label,
            canonical: entry.map(|e| e.canonical.to_owned()),
            country_code,
            place,
        });
    }
    out
}

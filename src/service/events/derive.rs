//! Deriving an event's fields from the facts of its claims, each value with the spans it
//! rests on. The rules (docs/events.md): deaths count only claims of people killed; `low` /
//! `high` are the least and greatest figure across claims, `best` the figure the most
//! articles give (on a tie, the lower), ACLED `fatalities` the lowest figure; civilians come
//! from claims or sub-counts about civilians, children or women; the dates are those of the
//! most precise dates given; the place is the one most claims name, the finest on a tie.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;

use super::facts::{ClaimFacts, ClaimPlace};
use crate::model::{Event, EventField, Evidence, Traced};

/// The fields of an event grouping `claims`; fields of `previous` set by hand are kept.
pub(super) fn derive(claims: &[ClaimFacts], previous: &Event) -> Event {
    let mut event = Event {
        id: previous.id,
        status: previous.status,
        coder: previous.coder.clone(),
        claims: claims.iter().map(|c| c.evidence.clone()).collect(),
        ..Event::default()
    };
    event.claims.sort();
    derive_deaths(claims, &mut event);
    derive_dates(claims, &mut event);
    derive_place(claims, &mut event);
    derive_sides(claims, &mut event);
    for field in EventField::ALL {
        if previous.is_by_hand(field) {
            event.set_field(field, &previous.field(field));
        }
    }
    event
}

/// A figure of a claim of killed people with the claim it rests on.
struct Figure<'a> {
    claim: &'a ClaimFacts,
    best: u32,
    low: u32,
    high: u32,
}

fn derive_deaths(claims: &[ClaimFacts], event: &mut Event) {
    let figures: Vec<Figure<'_>> = claims
        .iter()
        .filter(|c| c.killed)
        .filter_map(|claim| {
            let best = claim.figure?;
            Some(Figure {
                claim,
                best,
                low: claim.low.unwrap_or(best).min(best),
                high: claim.high.unwrap_or(best).max(best),
            })
        })
        .collect();
    let from = |pick: &dyn Fn(&Figure<'_>) -> bool| -> Vec<Evidence> {
        figures
            .iter()
            .filter(|f| pick(f))
            .map(|f| f.claim.evidence.clone())
            .collect()
    };
    if let Some(low) = figures.iter().map(|f| f.low).min() {
        event.deaths_low = Traced::derived(low, from(&|f| f.low == low));
    }
    if let Some(high) = figures.iter().map(|f| f.high).max() {
        event.deaths_high = Traced::derived(high, from(&|f| f.high == high));
    }
    if let Some(best) = most_sources(figures.iter().map(|f| (f.best, &f.claim.evidence))) {
        event.deaths_best = Traced::derived(best, from(&|f| f.best == best));
    }
    if let Some(lowest) = figures.iter().map(|f| f.best).min() {
        event.fatalities = Traced::derived(lowest, from(&|f| f.best == lowest));
    }
    // Civilians: a claim about civilians counts whole; else the sum of its civilian
    // sub-counts. Across claims, the same rule as `best`.
    let civilians: Vec<(u32, Vec<Evidence>)> = figures
        .iter()
        .filter_map(|f| {
            if f.claim.civilian {
                return Some((f.best, vec![f.claim.evidence.clone()]));
            }
            let subs: Vec<_> = f.claim.sub_counts.iter().filter(|s| s.civilian).collect();
            if subs.is_empty() {
                return None;
            }
            let sum = subs.iter().map(|s| s.count).sum::<u32>().min(f.best);
            Some((sum, subs.iter().map(|s| s.evidence.clone()).collect()))
        })
        .collect();
    if let Some(count) = most_sources(
        civilians
            .iter()
            .filter_map(|(n, ev)| Some((*n, ev.first()?))),
    ) {
        let mut from: Vec<Evidence> = civilians
            .iter()
            .filter(|(n, _)| *n == count)
            .flat_map(|(_, ev)| ev.clone())
            .collect();
        // Civilians are among the dead: where sources differ ("11 civilians" in one, "9
        // killed" the best figure), no more civilians than the best figure of deaths, resting
        // on that figure too.
        let count = match event.deaths_best.value {
            Some(best) if best < count => {
                from.extend(event.deaths_best.from.iter().cloned());
                best
            }
            _ => count,
        };
        event.deaths_civilians = Traced::derived(count, from);
    }
}

/// The value the most articles give (each article counted once per value), the lower on a
/// tie.
fn most_sources<'a>(values: impl Iterator<Item = (u32, &'a Evidence)>) -> Option<u32> {
    let mut articles: BTreeMap<u32, BTreeSet<i64>> = BTreeMap::new();
    for (value, evidence) in values {
        articles
            .entry(value)
            .or_default()
            .insert(evidence.article_id.0);
    }
    // BTreeMap iterates in ascending value order: `max_by_key` keeps the last maximum, so
    // reverse to keep the lowest value among equals.
    articles
        .iter()
        .rev()
        .max_by_key(|(_, sources)| sources.len())
        .map(|(value, _)| *value)
}

fn derive_dates(claims: &[ClaimFacts], event: &mut Event) {
    let dates: Vec<_> = claims.iter().filter_map(|c| c.date.as_ref()).collect();
    let Some(finest) = dates.iter().map(|d| (d.end - d.start).num_days()).min() else {
        return;
    };
    let used: Vec<_> = dates
        .iter()
        .filter(|d| (d.end - d.start).num_days() == finest)
        .collect();
    let (Some(start), Some(end)) = (
        used.iter().map(|d| d.start).min(),
        used.iter().map(|d| d.end).max(),
    ) else {
        return;
    };
    let from: Vec<Evidence> = used.iter().map(|d| d.evidence.clone()).collect();
    let pick = |day: NaiveDate, first: bool| -> Vec<Evidence> {
        used.iter()
            .filter(|d| if first { d.start == day } else { d.end == day })
            .map(|d| d.evidence.clone())
            .collect()
    };
    event.date_start = Traced::derived(start, pick(start, true));
    event.date_end = Traced::derived(end, pick(end, false));
    event.date_prec = Traced::derived(ucdp_date_prec(start, end, finest), from);
}

/// UCDP `date_prec` of a period from `start` to `end` whose finest date spans
/// `finest_days` + 1 days.
fn ucdp_date_prec(start: NaiveDate, end: NaiveDate, finest_days: i64) -> u8 {
    let days = (end - start).num_days() + 1;
    match (days, finest_days) {
        (1, _) => 1,
        (_, 6) if days <= 7 => 3,
        (2..=6, _) => 2,
        (7, _) => 3,
        (8..=31, _) => 4,
        _ => 5,
    }
}

fn derive_place(claims: &[ClaimFacts], event: &mut Event) {
    let places: Vec<&ClaimPlace> = claims.iter().filter_map(|c| c.place.as_ref()).collect();
    // The place most claims name; on a tie the finest (lowest where_prec), then by name.
    let mut named: BTreeMap<&str, Vec<&ClaimPlace>> = BTreeMap::new();
    for place in &places {
        named.entry(place.name.as_str()).or_default().push(place);
    }
    let Some((_, chosen)) = named.iter().max_by_key(|(name, same)| {
        let prec = same.iter().filter_map(|p| p.where_prec).min().unwrap_or(3);
        (
            same.len(),
            std::cmp::Reverse(prec),
            std::cmp::Reverse(*name),
        )
    }) else {
        return;
    };
    let from: Vec<Evidence> = chosen.iter().map(|p| p.evidence.clone()).collect();
    let Some(first) = chosen.first() else {
        return;
    };
    let with = |pick: &dyn Fn(&ClaimPlace) -> bool| -> Vec<Evidence> {
        chosen
            .iter()
            .filter(|p| pick(p))
            .map(|p| p.evidence.clone())
            .collect()
    };
    event.place = Traced::derived(first.name.clone(), from);
    if let Some(code) = chosen.iter().find_map(|p| p.country_code.clone()) {
        let from = with(&|p| p.country_code.as_deref() == Some(code.as_str()));
        let country = crate::suggest::entities::country_name(&code)
            .map_or_else(|| code.clone(), str::to_owned);
        event.country = Traced::derived(country, from.clone());
        event.country_code = Traced::derived(code, from);
    }
    if let Some(adm1) = chosen.iter().find_map(|p| p.adm1.clone()) {
        event.adm1 = Traced::derived(
            adm1.clone(),
            with(&|p| p.adm1.as_deref() == Some(adm1.as_str())),
        );
    }
    if let Some(located) = chosen.iter().find(|p| p.lat.is_some() && p.lon.is_some()) {
        let from = vec![located.evidence.clone()];
        if let (Some(lat), Some(lon)) = (located.lat, located.lon) {
            event.lat = Traced::derived(lat, from.clone());
            event.lon = Traced::derived(lon, from);
        }
    }
    if let Some(prec) = chosen.iter().filter_map(|p| p.where_prec).min() {
        event.where_prec = Traced::derived(prec, with(&|p| p.where_prec == Some(prec)));
    }
}

/// Sides: the actors (ORG or LOC spans) the claims link to, most often linked first (then in
/// order of appearance). Who makes a claim is its source, not a side: it goes to UCDP's
/// `source_original`, never to `side_b`.
fn derive_sides(claims: &[ClaimFacts], event: &mut Event) {
    let mut actors: Vec<(String, Vec<Evidence>)> = Vec::new();
    for (name, evidence) in claims.iter().flat_map(|c| c.actors.iter()) {
        match actors.iter_mut().find(|(n, _)| n == name) {
            Some((_, from)) => from.push(evidence.clone()),
            None => actors.push((name.clone(), vec![evidence.clone()])),
        }
    }
    actors.sort_by_key(|(_, from)| std::cmp::Reverse(from.len()));
    let mut sides = actors.into_iter();
    if let Some((name, from)) = sides.next() {
        event.side_a = Traced::derived(name, from);
    }
    if let Some((name, from)) = sides.next() {
        event.side_b = Traced::derived(name, from);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AnnotationId, ArticleId};

    fn ev(article: i64, id: i64) -> Evidence {
        Evidence {
            article_id: ArticleId(article),
            annotation_id: AnnotationId(id),
            uid: format!("u{id}"),
        }
    }

    fn claim(article: i64, id: i64, figure: u32) -> ClaimFacts {
        ClaimFacts {
            evidence: ev(article, id),
            killed: true,
            outcome: "killed".into(),
            figure: Some(figure),
            low: Some(figure),
            high: Some(figure),
            civilian: false,
            claimed_by: None,
            date: None,
            place: None,
            actors: Vec::new(),
            sub_counts: Vec::new(),
            published: None,
        }
    }

    #[test]
    fn best_is_the_figure_of_most_sources_and_the_lower_on_a_tie() {
        let claims = [claim(1, 10, 9), claim(2, 20, 11), claim(3, 30, 11)];
        let event = derive(&claims, &Event::default());
        assert_eq!(event.deaths_best.value, Some(11));
        assert_eq!(event.deaths_best.from, [ev(2, 20), ev(3, 30)]);
        assert_eq!(
            (event.deaths_low.value, event.deaths_high.value),
            (Some(9), Some(11))
        );
        assert_eq!(event.fatalities.value, Some(9));
        assert_eq!(event.fatalities.from, [ev(1, 10)]);
        let tie = derive(&[claim(1, 10, 9), claim(2, 20, 11)], &Event::default());
        assert_eq!(tie.deaths_best.value, Some(9));
    }

    #[test]
    fn injured_do_not_count_and_by_hand_values_stay() {
        let mut injured = claim(1, 11, 40);
        injured.killed = false;
        let mut previous = Event::default();
        previous.set_by_hand(EventField::DeathsHigh, "12").unwrap();
        let event = derive(&[claim(1, 10, 9), injured], &previous);
        assert_eq!(event.deaths_low.value, Some(9));
        assert_eq!(event.deaths_high, Traced::by_hand(Some(12)));
        assert_eq!(event.claims, [ev(1, 10), ev(1, 11)]);
    }

    #[test]
    fn date_precision_follows_ucdp() {
        let day = |d: u32| NaiveDate::from_ymd_opt(2024, 1, d).unwrap();
        assert_eq!(ucdp_date_prec(day(18), day(18), 0), 1);
        assert_eq!(ucdp_date_prec(day(16), day(18), 0), 2);
        assert_eq!(ucdp_date_prec(day(15), day(21), 6), 3);
        assert_eq!(ucdp_date_prec(day(1), day(31), 30), 4);
        assert_eq!(
            ucdp_date_prec(day(1), NaiveDate::from_ymd_opt(2024, 12, 31).unwrap(), 365),
            5
        );
    }
}

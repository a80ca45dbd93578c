//! Where the events views' points come from: the only place that knows. Each event of the
//! handle's layer (accepted or suggested, see docs/events.md) is one point with its derived
//! fields; a casualty claim (a `CASUALTY` annotation) that is in no event yet is a point of its
//! own, with its count, the linked DATE's value and the linked LOC's coordinates, so the
//! views show the figures before events are suggested.

use std::collections::{HashMap, HashSet};

use chrono::{Datelike, NaiveDate};
use serde_json::Value;

use super::events::facts::{date_range, number_attr};
use super::{ArchiveReader, Result};
use crate::model::attrs::{self, CasualtyAttrs, DateAttrs, LinkTarget};
use crate::model::{
    Annotation, AnnotationId, AnnotationStatus, Article, ArticleId, Event, EventPoint, EventStatus,
    EvidenceSpan,
};

/// The label whose annotations are claims.
const CLAIM_LABEL: &str = "CASUALTY";

impl ArchiveReader {
    /// The events of the articles matching `query` (the search with its filters; every
    /// article when blank), sorted by id. `progress` hears the articles read and in all after
    /// each one; returning `false` cancels (`Ok(None)`).
    pub fn event_points(
        &mut self,
        query: &str,
        progress: &mut dyn FnMut(u64, u64) -> bool,
    ) -> Result<Option<Vec<EventPoint>>> {
        let ids: Option<Vec<ArticleId>> = match query.trim() {
            "" => None,
            query => {
                self.sync_index()?;
                Some(self.index.matching_ids_in(query, self.scope())?)
            }
        };
        let total = match &ids {
            Some(ids) => ids.len() as u64,
            None => self.store.article_count()?,
        };
        let (mut points, grouped) = self.points_of_events(ids.as_deref())?;
        let mut read = 0_u64;
        let mut cancelled = false;
        let store = &self.store;
        store.for_each_article(ids.as_deref(), |article, annotations| {
            read += 1;
            if !progress(read, total) {
                cancelled = true;
                return false;
            }
            let shown: Vec<Annotation> = annotations
                .into_iter()
                .filter(|a| a.status != AnnotationStatus::Rejected && self.shows(a))
                .collect();
            claim_points(&article, &shown, &grouped, &mut points);
            true
        })?;
        if cancelled {
            return Ok(None);
        }
        points.sort_by_key(|p: &EventPoint| p.id);
        Ok(Some(points))
    }

    /// The points of this layer's events with a claim in `ids` (all when `None`), and every
    /// claim in an event of the layer (those are not points of their own).
    fn points_of_events(
        &mut self,
        ids: Option<&[ArticleId]>,
    ) -> Result<(Vec<EventPoint>, HashSet<AnnotationId>)> {
        let events = self.events()?;
        let mut grouped = HashSet::new();
        let mut points = Vec::new();
        for event in events {
            grouped.extend(event.claims.iter().map(|c| c.annotation_id));
            let chosen = ids.is_none_or(|ids| {
                event
                    .claims
                    .iter()
                    .any(|c| ids.binary_search(&c.article_id).is_ok())
            });
            if !chosen {
                continue;
            }
            let mut evidence = Vec::new();
            for claim in &event.claims {
                if let Some(annotation) = self.store.annotation(claim.annotation_id)? {
                    evidence.push(EvidenceSpan {
                        article_id: claim.article_id,
                        start: annotation.span.start(),
                        end: annotation.span.end(),
                    });
                }
            }
            let headline = event
                .sources
                .first()
                .and_then(|source| source.headline.clone())
                .unwrap_or_default();
            points.push(event_point(&event, evidence, &headline));
        }
        Ok((points, grouped))
    }
}

/// Ids of the points of claims in no event: after every event's id, so the two never meet
/// (`EventPoint::id` is unique in one list).
const CLAIM_POINT_IDS: i64 = 1 << 40;

/// One event as a point: its derived fields, its claims' spans as evidence.
fn event_point(event: &Event, evidence: Vec<EvidenceSpan>, headline: &str) -> EventPoint {
    let mut point = EventPoint {
        id: event.id.0,
        date_start: event.date_start.value,
        date_end: event.date_end.value,
        date_prec: event.date_prec.value,
        place: event.place.value.clone(),
        country_code: event.country_code.value.clone(),
        lat: event.lat.value,
        lon: event.lon.value,
        where_prec: event.where_prec.value,
        violence: event.violence.value,
        side_a: event.side_a.value.clone(),
        side_b: event.side_b.value.clone(),
        best: event.deaths_best.value,
        low: event.deaths_low.value,
        high: event.deaths_high.value,
        n_sources: u32::try_from(event.sources.len()).unwrap_or(u32::MAX),
        evidence,
        status: Some(event.status),
        ..EventPoint::default()
    };
    point.title = title(&point, Some("killed"), headline);
    if event.status == EventStatus::Suggested {
        point.title.push_str(" (suggested)");
    }
    point
}

/// One point per claim of `article` that is in no event (nor part of another claim: a
/// sub-count such as "including four children" is in its total's point), appended to
/// `points`.
fn claim_points(
    article: &Article,
    annotations: &[Annotation],
    grouped: &HashSet<AnnotationId>,
    points: &mut Vec<EventPoint>,
) {
    let by_id: HashMap<i64, &Annotation> = annotations.iter().map(|a| (a.id.0, a)).collect();
    for claim in annotations.iter().filter(|a| {
        a.label == CLAIM_LABEL
            && !grouped.contains(&a.id)
            && CasualtyAttrs::of(&a.attrs).links(attrs::PART_OF).is_empty()
    }) {
        points.push(claim_point(article, claim, &by_id));
    }
}

/// A figure as a count of people (negative or absurd ones are no count).
fn people(figure: Option<i64>) -> Option<u32> {
    figure.and_then(|n| u32::try_from(n).ok())
}

/// UCDP's `date_prec` for a DATE precision word, else from the span of days.
fn date_prec(precision: Option<&str>, range: (NaiveDate, NaiveDate)) -> u8 {
    match precision {
        Some("day") => 1,
        Some("week") => 3,
        Some("month") => 4,
        Some("year") => 5,
        _ => match (range.1 - range.0).num_days() {
            0 => 1,
            1..=6 => 2,
            7..=31 => 4,
            _ => 5,
        },
    }
}

/// The linked annotation of `key`, or a literal typed in its place.
fn first_link<'a>(
    claim: CasualtyAttrs<'a>,
    key: &str,
    by_id: &HashMap<i64, &'a Annotation>,
) -> Option<Result<&'a Annotation, &'a str>> {
    claim
        .links(key)
        .into_iter()
        .find_map(|target| match target {
            LinkTarget::Id(id) => by_id.get(&id).map(|a| Ok(*a)),
            LinkTarget::Literal(literal) => Some(Err(literal)),
        })
}

/// One claim as a point: its figures, date, place and coordinates, and itself as evidence.
fn claim_point(
    article: &Article,
    claim: &Annotation,
    by_id: &HashMap<i64, &Annotation>,
) -> EventPoint {
    let figures = CasualtyAttrs::of(&claim.attrs);
    let mut point = EventPoint {
        id: CLAIM_POINT_IDS + claim.id.0,
        best: people(figures.count()),
        low: people(figures.low()),
        high: people(figures.high()),
        n_sources: 1,
        evidence: vec![EvidenceSpan {
            article_id: article.id,
            start: claim.span.start(),
            end: claim.span.end(),
        }],
        ..EventPoint::default()
    };
    let date = match first_link(figures, attrs::DATE, by_id) {
        Some(Ok(date)) => {
            let date_attrs = DateAttrs::of(&date.attrs);
            date_attrs
                .value()
                .and_then(|value| date_range(value.trim()))
                .map(|range| (range, date_prec(date_attrs.precision(), range)))
        }
        Some(Err(literal)) => {
            date_range(literal.trim()).map(|range| (range, date_prec(None, range)))
        }
        None => None,
    };
    if let Some(((start, end), prec)) = date {
        point.date_start = Some(start);
        point.date_end = Some(end);
        point.date_prec = Some(prec);
    }
    match first_link(figures, attrs::PLACE, by_id) {
        Some(Ok(place)) => {
            let place_attrs = DateAttrs::of(&place.attrs);
            point.place = Some(place.text.clone());
            point.country_code = place_attrs
                .raw(attrs::COUNTRY_CODE)
                .and_then(Value::as_str)
                .map(str::to_owned);
            point.lat = number_attr(place_attrs.raw(attrs::LAT));
            point.lon = number_attr(place_attrs.raw(attrs::LON));
        }
        Some(Err(literal)) => point.place = Some(literal.to_owned()),
        None => {}
    }
    point.side_a = match first_link(figures, attrs::ACTOR, by_id) {
        Some(Ok(actor)) => Some(actor.text.clone()),
        Some(Err(literal)) => Some(literal.to_owned()),
        None => figures.claimed_by().map(str::to_owned),
    };
    point.title = title(&point, figures.outcome(), &article.title);
    point
}

/// "9 killed · Saravan, IR"; the article's headline where the claim names no place.
fn title(point: &EventPoint, outcome: Option<&str>, headline: &str) -> String {
    let figure = match (point.best, point.low, point.high) {
        (Some(best), _, _) => best.to_string(),
        (None, Some(low), Some(high)) => format!("{low}–{high}"),
        (None, Some(low), None) => format!("≥{low}"),
        (None, None, Some(high)) => format!("≤{high}"),
        (None, None, None) => "?".to_owned(),
    };
    let what = format!("{figure} {}", outcome.unwrap_or("casualties"));
    let place = match (&point.place, &point.country_code) {
        (Some(place), Some(cc)) => format!("{place}, {cc}"),
        (Some(place), None) => place.clone(),
        (None, Some(cc)) => cc.clone(),
        (None, None) => {
            let year = point.date_start.map(|d| d.year().to_string());
            return [Some(what), year, Some(headline.to_owned())]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" · ");
        }
    };
    format!("{what} · {place}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_values_cover_their_days() {
        let day = |s| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(
            date_range("2024-01-18"),
            Some((day("2024-01-18"), day("2024-01-18")))
        );
        assert_eq!(
            date_range("2024-02"),
            Some((day("2024-02-01"), day("2024-02-29")))
        );
        assert_eq!(
            date_range("2024"),
            Some((day("2024-01-01"), day("2024-12-31")))
        );
        assert_eq!(date_range("2024-13-01"), None);
        assert_eq!(date_range("soon"), None);
        assert_eq!(date_prec(None, (day("2024-02-01"), day("2024-02-29"))), 4);
        assert_eq!(
            date_prec(Some("week"), (day("2024-02-01"), day("2024-02-07"))),
            3
        );
    }

    #[test]
    fn coordinates_read_numbers_and_text() {
        assert_eq!(number_attr(Some(&serde_json::json!(27.4))), Some(27.4));
        assert_eq!(number_attr(Some(&serde_json::json!(" 62.3"))), Some(62.3));
        assert_eq!(number_attr(Some(&serde_json::json!(true))), None);
        assert_eq!(number_attr(None), None);
    }
}

//! What one CASUALTY claim says, read from its attributes and the DATE, LOC and ORG
//! annotations it links to (and the sub-counts that link to it), each with the span it
//! comes from: the input of derivation and grouping.

use chrono::{Datelike, Duration, NaiveDate, Weekday};

use crate::model::attrs::{self, CasualtyAttrs, DateAttrs, LinkTarget};
use crate::model::{Annotation, AnnotationId, AnnotationStatus, Article, Evidence};

/// Victims whose deaths count as civilian deaths.
pub(super) const CIVILIAN_VICTIMS: [&str; 5] = [
    "civilians",
    "children",
    "women",
    "aid workers",
    "journalists",
];

/// Words after a figure that say people died, for a claim stored without an outcome.
const KILLING_WORDS: [&str; 8] = [
    "killed",
    "dead",
    "died",
    "deaths",
    "killing",
    "lives",
    "fatalities",
    "bodies",
];

/// A date a claim links to: the days it may be, and its precision.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct ClaimDate {
    /// First possible day.
    pub(super) start: NaiveDate,
    /// Last possible day.
    pub(super) end: NaiveDate,
    /// The DATE annotation.
    pub(super) evidence: Evidence,
}

/// A place a claim links to, with its LOC attributes.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct ClaimPlace {
    /// The gazetteer's name, else the span's text.
    pub(super) name: String,
    /// ISO country code.
    pub(super) country_code: Option<String>,
    /// First-level region.
    pub(super) adm1: Option<String>,
    /// Latitude.
    pub(super) lat: Option<f64>,
    /// Longitude.
    pub(super) lon: Option<f64>,
    /// UCDP `where_prec`, when the LOC says it (a country is 6).
    pub(super) where_prec: Option<u8>,
    /// The LOC annotation.
    pub(super) evidence: Evidence,
}

impl ClaimPlace {
    /// Whether it names a region or a country rather than a place (`where_prec` 4 or more).
    pub(super) fn is_coarse(&self) -> bool {
        self.where_prec.is_some_and(|p| p >= 4)
    }
}

/// A sub-count of a claim (`including four children`).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct SubCount {
    /// The figure.
    pub(super) count: u32,
    /// Whether its victims are civilians.
    pub(super) civilian: bool,
    /// The sub-count's annotation.
    pub(super) evidence: Evidence,
}

/// What one claim says.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct ClaimFacts {
    /// The claim.
    pub(super) evidence: Evidence,
    /// Whether its figure is of people killed.
    pub(super) killed: bool,
    /// Its outcome as stored (`injured`, ...), empty when none.
    pub(super) outcome: String,
    /// The figure (the count, else the lower end).
    pub(super) figure: Option<u32>,
    /// The lower end (the count when no range).
    pub(super) low: Option<u32>,
    /// The upper end (the count when no range).
    pub(super) high: Option<u32>,
    /// Whether its victims are civilians.
    pub(super) civilian: bool,
    /// Who makes the claim.
    pub(super) claimed_by: Option<String>,
    /// Linked date.
    pub(super) date: Option<ClaimDate>,
    /// Linked place.
    pub(super) place: Option<ClaimPlace>,
    /// Linked actors (ORG), in link order.
    pub(super) actors: Vec<(String, Evidence)>,
    /// Sub-counts that link to it.
    pub(super) sub_counts: Vec<SubCount>,
    /// The article's publication day, for claims without a date.
    pub(super) published: Option<NaiveDate>,
}

/// The evidence of an annotation.
pub(super) fn evidence_of(annotation: &Annotation) -> Evidence {
    Evidence {
        article_id: annotation.article_id,
        annotation_id: annotation.id,
        uid: annotation.uid.clone(),
    }
}

/// Whether an annotation can be a claim of an event of `layer`: a CASUALTY of that layer,
/// not rejected, not a sub-count of another claim.
pub(super) fn is_claim(annotation: &Annotation, layer: &str) -> bool {
    annotation.label == "CASUALTY"
        && annotation.coder == layer
        && annotation.status != AnnotationStatus::Rejected
        && CasualtyAttrs::of(&annotation.attrs).part_of().is_none()
}

/// What `claim` says, reading the annotations of its article (`annotations`, of one layer).
pub(super) fn claim_facts(
    claim: &Annotation,
    article: &Article,
    annotations: &[Annotation],
) -> ClaimFacts {
    let view = CasualtyAttrs::of(&claim.attrs);
    let figure = |n: Option<i64>| n.and_then(|n| u32::try_from(n).ok());
    let (count, low, high) = (
        figure(view.count()),
        figure(view.low()),
        figure(view.high()),
    );
    let outcome = view.outcome().unwrap_or("").trim().to_owned();
    let killed = outcome == "killed" || (outcome.is_empty() && says_killed(claim, &article.text));
    let linked = |key: &str| -> Vec<&Annotation> {
        view.links(key)
            .into_iter()
            .filter_map(|target| match target {
                LinkTarget::Id(id) => annotations.iter().find(|a| a.id == AnnotationId(id)),
                LinkTarget::Literal(_) => None,
            })
            .filter(|a| a.status != AnnotationStatus::Rejected)
            .collect()
    };
    let date = linked(attrs::DATE).into_iter().find_map(claim_date);
    let place = linked(attrs::PLACE).into_iter().map(claim_place).next();
    let actors = linked(attrs::ACTOR)
        .into_iter()
        .map(|a| (canonical_or_text(a), evidence_of(a)))
        .collect();
    let sub_counts = annotations
        .iter()
        .filter(|a| {
            a.label == "CASUALTY"
                && a.status != AnnotationStatus::Rejected
                && CasualtyAttrs::of(&a.attrs).part_of() == Some(claim.id)
        })
        .filter_map(|a| {
            let sub = CasualtyAttrs::of(&a.attrs);
            Some(SubCount {
                count: figure(sub.count().or(sub.low()))?,
                civilian: sub.victims().is_some_and(is_civilian),
                evidence: evidence_of(a),
            })
        })
        .collect();
    ClaimFacts {
        evidence: evidence_of(claim),
        killed,
        outcome,
        figure: count.or(low),
        low: low.or(count),
        high: high.or(count),
        civilian: view.victims().is_some_and(is_civilian),
        claimed_by: view.claimed_by().map(str::to_owned),
        date,
        place,
        actors,
        sub_counts,
        published: article.published.map(|p| p.first_day()).filter(|_| {
            article
                .published
                .is_some_and(|p| p.precision() == crate::model::DatePrecision::Day)
        }),
    }
}

fn is_civilian(victims: &str) -> bool {
    CIVILIAN_VICTIMS.contains(&victims.trim())
}

fn canonical_or_text(annotation: &Annotation) -> String {
    annotation
        .attrs
        .get(attrs::CANONICAL)
        .and_then(serde_json::Value::as_str)
        .filter(|s| !s.trim().is_empty())
        .map_or_else(|| annotation.text.clone(), str::to_owned)
}

/// Whether the claim's span, or the few words after it, say people died.
fn says_killed(claim: &Annotation, text: &str) -> bool {
    let after: String = text.chars().skip(claim.span.end()).take(40).collect();
    let words = format!("{} {after}", claim.text).to_lowercase();
    words
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| KILLING_WORDS.contains(&w))
}

/// The days a DATE annotation's value may be: `2024-01-18`, `2024-W03`, `2024-01`, `2024`.
fn claim_date(annotation: &Annotation) -> Option<ClaimDate> {
    let value = DateAttrs::of(&annotation.attrs).value()?.trim();
    let (start, end) = date_range(value)?;
    Some(ClaimDate {
        start,
        end,
        evidence: evidence_of(annotation),
    })
}

/// First and last day of a calendar value.
pub(in crate::service) fn date_range(value: &str) -> Option<(NaiveDate, NaiveDate)> {
    if let Ok(day) = NaiveDate::parse_from_str(value, "%Y-%m-%d") {
        return Some((day, day));
    }
    if let Some((year, week)) = value.split_once("-W") {
        let monday =
            NaiveDate::from_isoywd_opt(year.parse().ok()?, week.parse().ok()?, Weekday::Mon)?;
        return Some((monday, monday + Duration::days(6)));
    }
    if let Some((year, month)) = value.split_once('-') {
        let first = NaiveDate::from_ymd_opt(year.parse().ok()?, month.parse().ok()?, 1)?;
        let next = if first.month() == 12 {
            NaiveDate::from_ymd_opt(first.year() + 1, 1, 1)?
        } else {
            NaiveDate::from_ymd_opt(first.year(), first.month() + 1, 1)?
        };
        return Some((first, next.pred_opt()?));
    }
    let year: i32 = value.parse().ok()?;
    Some((
        NaiveDate::from_ymd_opt(year, 1, 1)?,
        NaiveDate::from_ymd_opt(year, 12, 31)?,
    ))
}

/// A number attribute stored as a number or as text (`27.4`, `" 62.3"`).
pub(in crate::service) fn number_attr(value: Option<&serde_json::Value>) -> Option<f64> {
    match value? {
        serde_json::Value::Number(n) => n.as_f64(),
        serde_json::Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn claim_place(annotation: &Annotation) -> ClaimPlace {
    let text = |key: &str| {
        annotation
            .attrs
            .get(key)
            .and_then(serde_json::Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let number = |key: &str| number_attr(annotation.attrs.get(key));
    let name = canonical_or_text(annotation);
    let country_code = text(attrs::COUNTRY_CODE);
    let is_country = country_code
        .as_deref()
        .and_then(crate::suggest::entities::country_name)
        .is_some_and(|country| country == name);
    let where_prec = number(attrs::WHERE_PREC)
        .filter(|p| (1.0..=7.0).contains(p))
        .map(|p| p as u8)
        .or(is_country.then_some(6));
    ClaimPlace {
        name,
        country_code,
        adm1: text(attrs::ADM1),
        lat: number(attrs::LAT).filter(|n| n.abs() <= 90.0),
        lon: number(attrs::LON).filter(|n| n.abs() <= 180.0),
        where_prec,
        evidence: evidence_of(annotation),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calendar_values_become_day_ranges() {
        let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(
            date_range("2024-01-18"),
            Some((day("2024-01-18"), day("2024-01-18")))
        );
        assert_eq!(
            date_range("2024-W03"),
            Some((day("2024-01-15"), day("2024-01-21")))
        );
        assert_eq!(
            date_range("2023-12"),
            Some((day("2023-12-01"), day("2023-12-31")))
        );
        assert_eq!(
            date_range("2024"),
            Some((day("2024-01-01"), day("2024-12-31")))
        );
        assert_eq!(date_range("last week"), None);
        assert_eq!(date_range("2024-13"), None);
    }
}

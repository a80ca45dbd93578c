//! Grouping claims into proposed events: claims whose dates overlap (±1 day, a coarse date
//! covering its whole period), whose places agree (the same place, or the same region or
//! country where one is coarse) and whose figures of the same outcome are compatible go in
//! one group; every member of a group is compatible with every other. Claims are bucketed by
//! day, so a claim is only compared with those whose dates are near its own.

use std::collections::HashMap;

use chrono::{Duration, NaiveDate};

use super::facts::{ClaimFacts, ClaimPlace};

/// Days a date may be off by between two reports of one incident.
const SLACK_DAYS: i64 = 1;

/// A claim's window is bucketed day by day up to this many days; a longer one (a year) is
/// bucketed by its first day only.
const MAX_BUCKET_DAYS: i64 = 40;

/// Days before publication a claim without a date may be about.
const UNDATED_DAYS: i64 = 7;

/// The days a claim may be about: its date's period, or the week before publication.
fn window(claim: &ClaimFacts) -> Option<(NaiveDate, NaiveDate)> {
    if let Some(date) = &claim.date {
        return Some((date.start, date.end));
    }
    claim
        .published
        .map(|day| (day - Duration::days(UNDATED_DAYS), day))
}

/// Groups of indexes into `claims`, each group sorted, groups in order of their first claim.
pub(super) fn group(claims: &[ClaimFacts]) -> Vec<Vec<usize>> {
    let mut order: Vec<usize> = (0..claims.len()).collect();
    order.sort_by_key(|&i| {
        (
            claims.get(i).and_then(window),
            claims.get(i).map(|c| c.evidence.clone()),
        )
    });
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut buckets: HashMap<NaiveDate, Vec<usize>> = HashMap::new();
    for i in order {
        let Some(claim) = claims.get(i) else { continue };
        let Some((start, end)) = window(claim) else {
            groups.push(vec![i]);
            continue;
        };
        let days = bucket_days(
            start - Duration::days(SLACK_DAYS),
            end + Duration::days(SLACK_DAYS),
        );
        let mut candidates: Vec<usize> = days
            .iter()
            .filter_map(|day| buckets.get(day))
            .flatten()
            .copied()
            .collect();
        candidates.sort_unstable();
        candidates.dedup();
        let joined = candidates.into_iter().find(|&g| {
            groups.get(g).is_some_and(|members| {
                members
                    .iter()
                    .all(|&m| claims.get(m).is_some_and(|other| compatible(claim, other)))
            })
        });
        let g = match joined {
            Some(g) => g,
            None => {
                groups.push(Vec::new());
                groups.len() - 1
            }
        };
        if let Some(members) = groups.get_mut(g) {
            members.push(i);
        }
        for day in bucket_days(start, end) {
            let bucket = buckets.entry(day).or_default();
            if !bucket.contains(&g) {
                bucket.push(g);
            }
        }
    }
    for members in &mut groups {
        members.sort_unstable();
    }
    groups.sort();
    groups
}

/// The days of a window that are bucketed.
fn bucket_days(start: NaiveDate, end: NaiveDate) -> Vec<NaiveDate> {
    let days = (end - start).num_days();
    if !(0..=MAX_BUCKET_DAYS).contains(&days) {
        return vec![start];
    }
    (0..=days).map(|n| start + Duration::days(n)).collect()
}

/// Whether two claims may be reports of one incident.
pub(super) fn compatible(a: &ClaimFacts, b: &ClaimFacts) -> bool {
    dates_agree(a, b)
        && places_agree(
            a.place.as_ref(),
            b.place.as_ref(),
            a.evidence.article_id == b.evidence.article_id,
        )
        && figures_agree(a, b)
}

fn dates_agree(a: &ClaimFacts, b: &ClaimFacts) -> bool {
    let (Some((a_start, a_end)), Some((b_start, b_end))) = (window(a), window(b)) else {
        return false;
    };
    let slack = Duration::days(SLACK_DAYS);
    a_start <= b_end + slack && b_start <= a_end + slack
}

/// Whether two claims' places agree. A claim that names no place agrees only with a claim
/// of its own article: across articles, "a man was shot dead on Friday" in three cities is
/// three incidents, not one with three sources.
fn places_agree(a: Option<&ClaimPlace>, b: Option<&ClaimPlace>, same_article: bool) -> bool {
    let (Some(a), Some(b)) = (a, b) else {
        return same_article;
    };
    if a.name == b.name {
        return true;
    }
    if let (Some(x), Some(y)) = (&a.country_code, &b.country_code)
        && x != y
    {
        return false;
    }
    if !a.is_coarse() && !b.is_coarse() {
        return false;
    }
    // One is a region or a country: it must contain the other.
    let (coarse, fine) = if a.where_prec >= b.where_prec {
        (a, b)
    } else {
        (b, a)
    };
    match coarse.where_prec {
        Some(6..) => coarse.country_code.is_some() && coarse.country_code == fine.country_code,
        _ => {
            fine.adm1.as_deref() == Some(coarse.name.as_str())
                || (fine.adm1.is_some() && fine.adm1 == coarse.adm1)
        }
    }
}

/// Figures of the same outcome agree when their ranges overlap or the larger is at most
/// twice the smaller plus three (`9` and `11`, `2` and `5`; not `2` and `40`).
fn figures_agree(a: &ClaimFacts, b: &ClaimFacts) -> bool {
    if a.outcome != b.outcome || a.killed != b.killed {
        return true;
    }
    let (Some(a_low), Some(a_high), Some(b_low), Some(b_high)) = (a.low, a.high, b.low, b.high)
    else {
        return true;
    };
    if a_low <= b_high && b_low <= a_high {
        return true;
    }
    let (small, large) = if a_high < b_low {
        (a_high, b_low)
    } else {
        (b_high, a_low)
    };
    large <= small.saturating_mul(2).saturating_add(3)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AnnotationId, ArticleId, Evidence};
    use crate::service::events::facts::ClaimDate;

    fn ev(id: i64) -> Evidence {
        Evidence {
            article_id: ArticleId(id),
            annotation_id: AnnotationId(id),
            uid: String::new(),
        }
    }

    fn claim(id: i64, day: &str, place: &str, figure: u32) -> ClaimFacts {
        let (start, end) = super::super::facts::date_range(day).unwrap();
        ClaimFacts {
            evidence: ev(id),
            killed: true,
            outcome: "killed".into(),
            figure: Some(figure),
            low: Some(figure),
            high: Some(figure),
            civilian: false,
            claimed_by: None,
            date: Some(ClaimDate {
                start,
                end,
                evidence: ev(id + 100),
            }),
            place: Some(ClaimPlace {
                name: place.into(),
                country_code: Some("SY".into()),
                adm1: Some("Idlib".into()),
                lat: None,
                lon: None,
                where_prec: Some(if place == "Idlib" { 4 } else { 1 }),
                evidence: ev(id + 200),
            }),
            actors: Vec::new(),
            sub_counts: Vec::new(),
            published: None,
        }
    }

    #[test]
    fn reports_of_one_incident_group_and_others_do_not() {
        let claims = [
            claim(1, "2023-05-04", "Ariha", 9),
            claim(2, "2023-05-05", "Ariha", 11),
            claim(3, "2023-05-04", "Idlib", 10),
            claim(4, "2023-05-04", "Saraqib", 10),
            claim(5, "2023-05-04", "Ariha", 60),
            claim(6, "2023-05-09", "Ariha", 9),
            claim(7, "2023-W18", "Ariha", 8),
        ];
        assert_eq!(
            group(&claims),
            [vec![0, 1, 2, 6], vec![3], vec![4], vec![5]]
        );
    }
}

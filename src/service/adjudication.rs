//! The adjudication use case: for one article and two or more coders, the units to
//! adjudicate (agreements and disagreements), the actions on a unit (take one coder's spans,
//! take every coder's, reject all, accept every agreement, edit what was taken), and the
//! adjudicated layer they write with its provenance.
//!
//! Owns the unit rule. A coder's spans are what agreement reads as their layer
//! ([`super::layer_of`]: what they accepted in their own layer). Over the chosen coders'
//! spans of every label, two spans *touch* when they share a code point; a **unit** is a
//! connected group of touching spans (so chains and nested spans of one coder join the unit
//! of whatever they touch). A unit is an **agreement** when every chosen coder has exactly
//! the same spans in it (label, boundaries and compared attributes, the links to other
//! annotations aside, since those name ids of each coder's own layer); else it is a
//! **disagreement** (another label, other boundaries, other values, or spans only some
//! coders have). A unit is named by its coders' annotation ids, ascending (`12,15`), and
//! numbered by position in the text. A resolution records the unit's **fingerprint** (the
//! article's content hash and each input's coder, label, boundaries and compared
//! attributes): when a coder adds, changes or removes a span of the unit, or the text
//! changes, the unit is open again (re-opened, its earlier result shown until it is
//! resolved anew, which replaces that result).

use std::collections::{BTreeMap, BTreeSet};

use sha2::{Digest, Sha256};

use super::{ArchiveError, ArchiveReader, Result, check_annotation, layer_of};
use crate::model::{
    ADJUDICATED, Annotation, AnnotationAttrs, AnnotationId, AnnotationStatus, ArticleId, CharSpan,
    NewAnnotation, Provenance, ProvenanceSource, UnitDecision, UnitResolution, attrs, remap_links,
    unit_ids,
};
use crate::store::UnitWrite;

/// Whether a unit was resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UnitState {
    /// Nobody resolved it yet.
    Open,
    /// Resolved, and its inputs are as they were then.
    Resolved(UnitResolution),
    /// Resolved once, but a coder changed its spans (or the text changed) since: open again.
    Reopened(UnitResolution),
}

/// One unit to adjudicate: a group of touching spans across the coders.
#[derive(Debug, Clone, PartialEq)]
pub struct AdjudicationUnit {
    /// Its position among the article's units, from 1.
    pub number: usize,
    /// Its name: the coders' annotation ids, ascending, comma-separated.
    pub key: String,
    /// First code point any of its spans covers.
    pub start: usize,
    /// One past the last.
    pub end: usize,
    /// Whether every coder has the same spans in it.
    pub agreement: bool,
    /// Each chosen coder's spans in it (empty when the coder has none), in coder order.
    pub spans: Vec<(String, Vec<Annotation>)>,
    /// Whether it was resolved.
    pub state: UnitState,
    /// What the adjudicated layer holds for it now (taken when it was resolved, or before it
    /// was re-opened).
    pub result: Vec<Annotation>,
    /// The fingerprint of its inputs now.
    fingerprint: String,
}

impl AdjudicationUnit {
    /// Whether it still needs the adjudicator (open or re-opened).
    pub fn is_open(&self) -> bool {
        !matches!(self.state, UnitState::Resolved(_))
    }

    /// The coders' annotations in it.
    pub fn inputs(&self) -> impl Iterator<Item = &Annotation> {
        self.spans.iter().flat_map(|(_, spans)| spans)
    }
}

/// An article as the adjudicator sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Adjudication {
    /// The article.
    pub article_id: ArticleId,
    /// The coders compared, in the order asked (else by name).
    pub coders: Vec<String>,
    /// The units, by position in the text.
    pub units: Vec<AdjudicationUnit>,
    /// The adjudicated layer of the article, with the provenance of each annotation that
    /// has one.
    pub adjudicated: Vec<(Annotation, Option<Provenance>)>,
}

impl Adjudication {
    /// The unit named by its number (`3`), else by its key (`12,15`).
    pub fn unit(&self, name: &str) -> Result<&AdjudicationUnit> {
        let name = name.trim();
        let found = name
            .parse::<usize>()
            .ok()
            .and_then(|number| self.units.iter().find(|u| u.number == number))
            .or_else(|| self.units.iter().find(|u| u.key == name));
        found.ok_or_else(|| {
            ArchiveError::Adjudication(format!(
                "article {} has no unit '{name}': it has {} (numbered 1 to {})",
                self.article_id,
                crate::model::plural(self.units.len(), "unit", "units"),
                self.units.len()
            ))
        })
    }

    /// The disagreements (and re-opened units) not yet resolved.
    pub fn open_disagreements(&self) -> impl Iterator<Item = &AdjudicationUnit> {
        self.units.iter().filter(|u| u.is_open() && !u.agreement)
    }

    /// The provenance of an adjudicated annotation.
    pub fn provenance_of(&self, id: AnnotationId) -> Option<&Provenance> {
        self.adjudicated
            .iter()
            .find(|(a, _)| a.id == id)
            .and_then(|(_, p)| p.as_ref())
    }
}

/// What the adjudicator does with a unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AdjudicationAction {
    /// Take this coder's spans of the unit.
    Take(String),
    /// Take every coder's spans (spans that are the same taken once).
    All,
    /// Take nothing: the unit is resolved as empty.
    Reject,
}

/// What the adjudicator changes on a taken span (`None`: as it is).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AdjudicatedChange {
    /// Another label.
    pub label: Option<String>,
    /// Other boundaries.
    pub span: Option<CharSpan>,
    /// Other attributes (the whole map).
    pub attrs: Option<AnnotationAttrs>,
}

impl ArchiveReader {
    /// The units of `article_id` between `coders` (every coder with spans in it, or assigned
    /// to it, when empty); two coders at least.
    pub fn adjudication(&self, article_id: ArticleId, coders: &[String]) -> Result<Adjudication> {
        let article = self.article(article_id)?;
        let annotations = self.store.annotations(article_id)?;
        let coders = self.adjudicated_coders(article_id, &annotations, coders)?;
        let spans: Vec<&Annotation> = annotations
            .iter()
            .filter(|a| layer_of(a).is_some_and(|c| coders.iter().any(|x| x == c)))
            .collect();
        let provenance: BTreeMap<AnnotationId, Provenance> = self
            .store
            .provenance(article_id)?
            .into_iter()
            .map(|p| (p.annotation_id, p))
            .collect();
        let adjudicated: Vec<(Annotation, Option<Provenance>)> = annotations
            .iter()
            .filter(|a| a.coder == ADJUDICATED && a.status == AnnotationStatus::Accepted)
            .map(|a| (a.clone(), provenance.get(&a.id).cloned()))
            .collect();
        let resolutions = self.store.unit_resolutions(article_id)?;
        let units = group(&spans)
            .into_iter()
            .enumerate()
            .map(|(position, members)| {
                unit_of(
                    position + 1,
                    &members,
                    &coders,
                    &article.content_sha256,
                    &resolutions,
                    &adjudicated,
                )
            })
            .collect::<Vec<_>>();
        let units = with_orphans(
            units,
            &coders,
            &article.content_sha256,
            &resolutions,
            &adjudicated,
        );
        Ok(Adjudication {
            article_id,
            coders,
            units,
            adjudicated,
        })
    }

    fn adjudicated_coders(
        &self,
        article_id: ArticleId,
        annotations: &[Annotation],
        asked: &[String],
    ) -> Result<Vec<String>> {
        let with_spans: BTreeSet<&str> = annotations.iter().filter_map(layer_of).collect();
        let coders: Vec<String> = if asked.is_empty() {
            let mut all: BTreeSet<String> = with_spans.iter().map(|c| (*c).to_owned()).collect();
            all.extend(self.store.coders_of_article(article_id)?);
            all.into_iter().collect()
        } else {
            let mut unique: Vec<String> = Vec::new();
            for coder in asked {
                if crate::model::Coder::new(coder).is_err() || unique.contains(coder) {
                    return Err(ArchiveError::Adjudication(format!(
                        "'{coder}' is not a coder to compare (a coder's name, each once)"
                    )));
                }
                unique.push(coder.clone());
            }
            unique
        };
        if coders.len() < 2 {
            let who = if with_spans.is_empty() {
                "nobody".to_owned()
            } else {
                with_spans.into_iter().collect::<Vec<_>>().join(", ")
            };
            return Err(ArchiveError::Adjudication(format!(
                "article {article_id} has the accepted spans of {who} and is assigned to {}: adjudication compares two coders or more (name them with --coders a,b)",
                match self.store.coders_of_article(article_id)?.as_slice() {
                    [] => "nobody".to_owned(),
                    assigned => assigned.join(", "),
                }
            )));
        }
        Ok(coders)
    }

    /// Resolves one unit (by number or key) as `action` says, in the adjudicated layer, as
    /// the coder this handle codes as; replaces what the unit held before. Returns the
    /// article as it is now.
    pub fn adjudicate(
        &mut self,
        article_id: ArticleId,
        coders: &[String],
        unit: &str,
        action: &AdjudicationAction,
    ) -> Result<Adjudication> {
        let by = self.adjudicator()?;
        let adjudication = self.adjudication(article_id, coders)?;
        let unit = adjudication.unit(unit)?.clone();
        let (decision, takes) = match action {
            AdjudicationAction::Take(coder) => {
                let Some((_, spans)) = unit.spans.iter().find(|(c, _)| c == coder) else {
                    return Err(ArchiveError::Adjudication(format!(
                        "'{coder}' is not one of the coders compared ({})",
                        adjudication.coders.join(", ")
                    )));
                };
                let mut takes = taken_once(spans.iter());
                // The provenance names every coder whose span was the same.
                for other in unit.inputs().filter(|a| &a.coder != coder) {
                    let same = compared(other);
                    if let Some(taken) = takes.iter_mut().find(|t| compared(t.annotation) == same) {
                        taken.sources.push(source_of(other));
                        taken.sources.sort();
                    }
                }
                (UnitDecision::Take(coder.clone()), takes)
            }
            AdjudicationAction::All => (UnitDecision::All, taken_once(unit.inputs())),
            AdjudicationAction::Reject => (UnitDecision::Reject, Vec::new()),
        };
        self.write_unit(&adjudication, &unit, decision, &takes, &by)?;
        self.adjudication(article_id, coders)
    }

    /// Takes every open agreement once, each with all its coders as provenance. Returns how
    /// many units it resolved.
    pub fn accept_agreements(&mut self, article_id: ArticleId, coders: &[String]) -> Result<usize> {
        let by = self.adjudicator()?;
        let adjudication = self.adjudication(article_id, coders)?;
        let mut resolved = 0;
        for unit in adjudication
            .units
            .iter()
            .filter(|u| u.agreement && u.is_open())
        {
            let takes = taken_once(unit.inputs());
            self.write_unit(&adjudication, unit, UnitDecision::Agreement, &takes, &by)?;
            resolved += 1;
        }
        Ok(resolved)
    }

    /// Changes an annotation of the adjudicated layer (label, boundaries, attributes) and
    /// marks its provenance edited. New boundaries store it anew (a span never changes in
    /// place), with the same provenance. Returns it as stored.
    /// `article` is the article being adjudicated: an annotation of another is refused.
    pub fn edit_adjudicated(
        &mut self,
        article_id: ArticleId,
        id: AnnotationId,
        change: &AdjudicatedChange,
    ) -> Result<Annotation> {
        self.adjudicator()?;
        let before = self
            .store
            .annotation(id)?
            .ok_or(ArchiveError::NoSuchAnnotation(id))?;
        if before.article_id != article_id {
            return Err(ArchiveError::Adjudication(format!(
                "annotation {id} is in article {}, not in article {article_id} being adjudicated",
                before.article_id
            )));
        }
        if before.coder != ADJUDICATED {
            return Err(ArchiveError::Adjudication(format!(
                "annotation {id} is in {}'s layer, not the adjudicated one: take it into the adjudicated layer first (`annalist adjudicate {} take UNIT CODER`)",
                if before.coder.is_empty() {
                    "no coder"
                } else {
                    &before.coder
                },
                before.article_id
            )));
        }
        let label = change.label.clone().unwrap_or_else(|| before.label.clone());
        let attrs = change.attrs.clone().unwrap_or_else(|| before.attrs.clone());
        let article = self.article(before.article_id)?;
        let schema = self.store.labels()?;
        let span = change.span.unwrap_or(before.span);
        let new = NewAnnotation {
            requested_id: None,
            label: label.clone(),
            span,
            expected_text: None,
            attrs: attrs.clone(),
            status: AnnotationStatus::Accepted,
            annotator: before.annotator.clone(),
            coder: ADJUDICATED.to_owned(),
        };
        check_annotation(&new, &article.text, &schema).map_err(ArchiveError::InvalidAnnotation)?;
        if span == before.span {
            let after = self
                .store
                .update_annotation(id, &label, &attrs, AnnotationStatus::Accepted)?
                .ok_or(ArchiveError::NoSuchAnnotation(id))?;
            self.store.mark_adjudication_edited(id)?;
            return Ok(after);
        }
        let after = self
            .store
            .insert_annotation(before.article_id, &new, &article.text)?;
        self.store.move_provenance(id, after.id)?;
        self.store.delete_annotation(id)?;
        Ok(after)
    }

    /// The adjudicator: the coder this handle codes as.
    fn adjudicator(&self) -> Result<String> {
        self.coder().map(ToString::to_string).ok_or_else(|| {
            ArchiveError::Adjudication(
                "say who adjudicates: --coder NAME, or set ANNALIST_CODER to your name".to_owned(),
            )
        })
    }

    fn write_unit(
        &mut self,
        adjudication: &Adjudication,
        unit: &AdjudicationUnit,
        decision: UnitDecision,
        takes: &[Taken<'_>],
        by: &str,
    ) -> Result<()> {
        let article = self.article(adjudication.article_id)?;
        let schema = self.store.labels()?;
        // Links of a taken span point at its coder's annotations: they follow to what the
        // adjudicated layer took from those, else they go.
        let mut taken_from: BTreeMap<i64, i64> = BTreeMap::new();
        for (annotation, provenance) in &adjudication.adjudicated {
            for source in provenance.iter().flat_map(|p| &p.from) {
                taken_from.insert(source.id, annotation.id.0);
            }
        }
        let mut rows = Vec::with_capacity(takes.len());
        for taken in takes {
            let mut attrs = taken.annotation.attrs.clone();
            remap_links(&mut attrs, |id| taken_from.get(&id).copied());
            let new = NewAnnotation {
                requested_id: None,
                label: taken.annotation.label.clone(),
                span: taken.annotation.span,
                expected_text: Some(taken.annotation.text.clone()),
                attrs,
                status: AnnotationStatus::Accepted,
                annotator: by.to_owned(),
                coder: ADJUDICATED.to_owned(),
            };
            check_annotation(&new, &article.text, &schema).map_err(|e| {
                ArchiveError::Adjudication(format!(
                    "{}'s annotation {} cannot be taken: {e}",
                    taken.annotation.coder, taken.annotation.id
                ))
            })?;
            rows.push((new, taken.sources.clone()));
        }
        let inputs: BTreeSet<i64> = unit.inputs().map(|a| a.id.0).collect();
        let replaces = self
            .store
            .unit_resolutions(adjudication.article_id)?
            .into_iter()
            .filter(|r| r.unit != unit.key && r.inputs().iter().any(|id| inputs.contains(id)))
            .map(|r| r.unit)
            .collect();
        self.store.resolve_unit(&UnitWrite {
            article_id: adjudication.article_id,
            text: &article.text,
            resolution: UnitResolution {
                unit: unit.key.clone(),
                fingerprint: unit.fingerprint.clone(),
                decision,
                by: by.to_owned(),
                at: String::new(),
            },
            replaces,
            removes: unit.result.iter().map(|a| a.id).collect(),
            takes: rows,
        })?;
        Ok(())
    }
}

// --- The unit rule

/// Groups spans that share a code point, directly or through others; each group sorted by
/// start, end, label, id, and the groups by their first span.
fn group<'a>(spans: &[&'a Annotation]) -> Vec<Vec<&'a Annotation>> {
    let mut sorted: Vec<&Annotation> = spans.to_vec();
    sorted.sort_by_key(|a| (a.span.start(), a.span.end(), a.label.clone(), a.id));
    let mut groups: Vec<Vec<&Annotation>> = Vec::new();
    let mut reach = 0;
    for span in sorted {
        match groups.last_mut() {
            Some(last) if span.span.start() < reach => {
                last.push(span);
                reach = reach.max(span.span.end());
            }
            _ => {
                groups.push(vec![span]);
                reach = span.span.end();
            }
        }
    }
    groups
}

/// What is compared of a span: label, boundaries and the attributes that are not links.
fn compared(annotation: &Annotation) -> (String, usize, usize, String) {
    let mut values = annotation.attrs.clone();
    for key in attrs::LINKS {
        values.remove(key);
    }
    (
        annotation.label.clone(),
        annotation.span.start(),
        annotation.span.end(),
        serde_json::Value::Object(values).to_string(),
    )
}

fn unit_of(
    number: usize,
    members: &[&Annotation],
    coders: &[String],
    content_sha256: &str,
    resolutions: &[UnitResolution],
    adjudicated: &[(Annotation, Option<Provenance>)],
) -> AdjudicationUnit {
    let mut ids: Vec<i64> = members.iter().map(|a| a.id.0).collect();
    ids.sort_unstable();
    let key = ids
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(",");
    let spans: Vec<(String, Vec<Annotation>)> = coders
        .iter()
        .map(|coder| {
            let own = members
                .iter()
                .filter(|a| a.coder == *coder)
                .map(|a| (*a).clone())
                .collect();
            (coder.clone(), own)
        })
        .collect();
    let seen: Vec<Vec<_>> = spans
        .iter()
        .map(|(_, own)| {
            let mut list: Vec<_> = own.iter().map(compared).collect();
            list.sort();
            list
        })
        .collect();
    let agreement = seen.windows(2).all(|w| w.first() == w.get(1));
    let fingerprint = fingerprint(content_sha256, members);
    let touched: BTreeSet<i64> = ids.iter().copied().collect();
    let earlier = resolutions
        .iter()
        .find(|r| r.unit == key)
        .or_else(|| {
            resolutions
                .iter()
                .find(|r| r.inputs().iter().any(|id| touched.contains(id)))
        })
        .cloned();
    let state = match earlier {
        None => UnitState::Open,
        Some(r) if r.unit == key && r.fingerprint == fingerprint => UnitState::Resolved(r),
        Some(r) => UnitState::Reopened(r),
    };
    let result = adjudicated
        .iter()
        .filter(|(_, p)| {
            p.as_ref()
                .is_some_and(|p| unit_ids(&p.unit).iter().any(|id| touched.contains(id)))
        })
        .map(|(a, _)| a.clone())
        .collect();
    AdjudicationUnit {
        number,
        key,
        start: members.iter().map(|a| a.span.start()).min().unwrap_or(0),
        end: members.iter().map(|a| a.span.end()).max().unwrap_or(0),
        agreement,
        spans,
        state,
        result,
        fingerprint,
    }
}

/// The units, with one more for each resolved unit whose coders' spans are all gone while
/// the adjudicated layer still holds what was taken from them: open again (re-opened, with
/// no spans to take), so the adjudicator sees it and resolving it removes what it held.
/// Numbered again by position.
fn with_orphans(
    mut units: Vec<AdjudicationUnit>,
    coders: &[String],
    content_sha256: &str,
    resolutions: &[UnitResolution],
    adjudicated: &[(Annotation, Option<Provenance>)],
) -> Vec<AdjudicationUnit> {
    let seen: BTreeSet<i64> = units
        .iter()
        .flat_map(|u| u.inputs().map(|a| a.id.0))
        .collect();
    for resolution in resolutions {
        let inputs = resolution.inputs();
        if units.iter().any(|u| u.key == resolution.unit)
            || inputs.iter().any(|id| seen.contains(id))
        {
            continue;
        }
        let result: Vec<Annotation> = adjudicated
            .iter()
            .filter(|(_, p)| {
                p.as_ref()
                    .is_some_and(|p| unit_ids(&p.unit).iter().any(|id| inputs.contains(id)))
            })
            .map(|(a, _)| a.clone())
            .collect();
        if result.is_empty() {
            continue;
        }
        units.push(AdjudicationUnit {
            number: 0,
            key: resolution.unit.clone(),
            start: result.iter().map(|a| a.span.start()).min().unwrap_or(0),
            end: result.iter().map(|a| a.span.end()).max().unwrap_or(0),
            agreement: false,
            spans: coders.iter().map(|c| (c.clone(), Vec::new())).collect(),
            state: UnitState::Reopened(resolution.clone()),
            result,
            fingerprint: fingerprint(content_sha256, &[]),
        });
    }
    units.sort_by_key(|u| (u.start, u.end));
    for (position, unit) in units.iter_mut().enumerate() {
        unit.number = position + 1;
    }
    units
}

/// SHA-256 of the article's content hash and each input's id, coder and compared values.
fn fingerprint(content_sha256: &str, members: &[&Annotation]) -> String {
    let mut sorted: Vec<&&Annotation> = members.iter().collect();
    sorted.sort_by_key(|a| a.id);
    let mut hasher = Sha256::new();
    hasher.update(content_sha256.as_bytes());
    for annotation in sorted {
        let (label, start, end, values) = compared(annotation);
        hasher.update(
            format!(
                "\n{}\t{}\t{label}\t{start}\t{end}\t{values}",
                annotation.id, annotation.coder
            )
            .as_bytes(),
        );
    }
    hasher
        .finalize()
        .iter()
        .fold(String::with_capacity(64), |mut hex, byte| {
            use std::fmt::Write as _;
            let _ = write!(hex, "{byte:02x}");
            hex
        })
}

/// A span to take, with every coder's annotation that is the same span.
struct Taken<'a> {
    annotation: &'a Annotation,
    sources: Vec<ProvenanceSource>,
}

/// Where a taken span came from.
fn source_of(annotation: &Annotation) -> ProvenanceSource {
    ProvenanceSource {
        coder: annotation.coder.clone(),
        id: annotation.id.0,
        uid: annotation.uid.clone(),
    }
}

/// The spans, the same ones (label, boundaries, compared attributes) taken once with all
/// their coders as sources.
fn taken_once<'a>(spans: impl Iterator<Item = &'a Annotation>) -> Vec<Taken<'a>> {
    let mut out: Vec<(_, Taken<'a>)> = Vec::new();
    for annotation in spans {
        let same = compared(annotation);
        let source = source_of(annotation);
        match out.iter_mut().find(|(c, _)| *c == same) {
            Some((_, taken)) => taken.sources.push(source),
            None => out.push((
                same,
                Taken {
                    annotation,
                    sources: vec![source],
                },
            )),
        }
    }
    let mut taken: Vec<Taken<'a>> = out.into_iter().map(|(_, t)| t).collect();
    for t in &mut taken {
        t.sources.sort();
    }
    taken
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::AnnotationAttrs;

    fn span(id: i64, coder: &str, label: &str, start: usize, end: usize) -> Annotation {
        Annotation {
            id: AnnotationId(id),
            article_id: ArticleId(1),
            label: label.to_owned(),
            span: CharSpan::ordered(start, end).unwrap(),
            text: String::new(),
            attrs: AnnotationAttrs::new(),
            status: AnnotationStatus::Accepted,
            annotator: coder.to_owned(),
            coder: coder.to_owned(),
            uid: format!("u{id}"),
            created_at: String::new(),
            updated_at: String::new(),
        }
    }

    fn keys(spans: &[Annotation]) -> Vec<Vec<i64>> {
        let refs: Vec<&Annotation> = spans.iter().collect();
        group(&refs)
            .iter()
            .map(|g| g.iter().map(|a| a.id.0).collect())
            .collect()
    }

    #[test]
    fn spans_that_share_a_code_point_form_a_unit_through_chains() {
        let spans = [
            span(1, "ana", "PER", 0, 5),
            span(2, "ben", "PER", 4, 9),
            span(3, "ana", "LOC", 8, 12),
            // Touching end to start shares no code point.
            span(4, "ben", "LOC", 12, 15),
            span(5, "ana", "LOC", 20, 30),
            span(6, "ben", "ORG", 22, 24),
            span(7, "ana", "ORG", 25, 27),
        ];
        assert_eq!(keys(&spans), [vec![1, 2, 3], vec![4], vec![5, 6, 7]]);
    }

    #[test]
    fn a_unit_agrees_when_every_coder_has_the_same_spans_links_aside() {
        let coders = ["ana".to_owned(), "ben".to_owned()];
        let mut a = span(1, "ana", "CASUALTY", 0, 5);
        let mut b = span(2, "ben", "CASUALTY", 0, 5);
        a.attrs.insert(attrs::COUNT.to_owned(), 9.into());
        b.attrs.insert(attrs::COUNT.to_owned(), 9.into());
        a.attrs.insert(attrs::DATE.to_owned(), 10.into());
        b.attrs.insert(attrs::DATE.to_owned(), 11.into());
        let unit = unit_of(1, &[&a, &b], &coders, "h", &[], &[]);
        assert!(unit.agreement);
        assert_eq!(unit.key, "1,2");
        b.attrs.insert(attrs::COUNT.to_owned(), 8.into());
        assert!(!unit_of(1, &[&a, &b], &coders, "h", &[], &[]).agreement);
        assert!(!unit_of(1, &[&a], &coders, "h", &[], &[]).agreement);
    }

    #[test]
    fn a_resolved_unit_opens_again_when_its_inputs_change() {
        let coders = ["ana".to_owned(), "ben".to_owned()];
        let a = span(1, "ana", "PER", 0, 5);
        let b = span(2, "ben", "LOC", 0, 5);
        let open = unit_of(1, &[&a, &b], &coders, "h", &[], &[]);
        let resolution = UnitResolution {
            unit: open.key.clone(),
            fingerprint: open.fingerprint.clone(),
            decision: UnitDecision::Take("ana".to_owned()),
            by: "cara".to_owned(),
            at: String::new(),
        };
        let resolved = unit_of(
            1,
            &[&a, &b],
            &coders,
            "h",
            std::slice::from_ref(&resolution),
            &[],
        );
        assert!(matches!(resolved.state, UnitState::Resolved(_)));
        let text_changed = unit_of(
            1,
            &[&a, &b],
            &coders,
            "h2",
            std::slice::from_ref(&resolution),
            &[],
        );
        assert!(matches!(text_changed.state, UnitState::Reopened(_)));
        let b_removed = unit_of(1, &[&a], &coders, "h", &[resolution], &[]);
        assert!(matches!(b_removed.state, UnitState::Reopened(_)));
    }
}

//! The agreement report over coded articles: every measure of this layer, per coder pair,
//! per label and per attribute, each with the articles, units and coders it rests on.
//!
//! Which articles each figure uses: a pair's figures use the articles both coders coded;
//! Fleiss' κ and α_u use the articles every coder of the report coded (those measures
//! assume the same coders throughout); the articles only some coders coded are counted in
//! `partial` (articles, tokens, code points) and left out of those two, never dropped
//! silently. Values use every matched claim of the articles two or more coders coded,
//! missing values allowed.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::alpha::{Metric, alpha};
use super::kappa::{cohen, fleiss_table};
use super::spans::{self, Range};
use super::tokens::{Tag, bio_tags};
use super::unitizing::{self, Unit};
use super::values::{self, COMPARED};
use crate::model::{AnnotationAttrs, ArticleId};

/// One span of a coder's layer.
#[derive(Debug, Clone, PartialEq)]
pub struct CodedSpan {
    /// Label name.
    pub label: String,
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    /// The covered text.
    pub text: String,
    /// The values the coder gave.
    pub attrs: AnnotationAttrs,
}

/// One article with the layer of each coder who coded it.
#[derive(Debug, Clone, PartialEq)]
pub struct CodedArticle {
    /// The article.
    pub article_id: ArticleId,
    /// Length of its text in code points.
    pub length: usize,
    /// Its tokens, `[start, end)` in code points, in text order.
    pub tokens: Vec<Range>,
    /// Coder name → the spans of their layer.
    pub layers: BTreeMap<String, Vec<CodedSpan>>,
}

/// Everything `annalist agree` reports.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// The coders, sorted.
    pub coders: Vec<String>,
    /// The labels measured, sorted.
    pub labels: Vec<String>,
    /// Articles coded by two or more of the coders (the ones measured).
    pub articles: usize,
    /// Articles coded by every coder.
    pub complete_articles: usize,
    /// Articles coded by one coder only: not measured.
    pub single_coder_articles: usize,
    /// What only some coders saw: in the pairs' figures, not in Fleiss' κ nor α_u.
    pub partial: Partial,
    /// Figures per pair of coders.
    pub pairs: Vec<PairFigures>,
    /// Figures per label over all coders (Fleiss' κ over tokens, α_u).
    pub labels_all_coders: Vec<LabelFigures>,
    /// α_u of all labels together (mean observed over mean expected disagreement).
    pub unitizing_alpha_all_labels: Option<f64>,
    /// α of the values of matched spans, per attribute and metric.
    pub values: Vec<ValueFigure>,
    /// Matched spans whose values differ.
    pub disagreements: Vec<Disagreement>,
}

/// Positions coded by two or more but not all of the coders.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct Partial {
    /// Such articles.
    pub articles: usize,
    /// Their tokens.
    pub tokens: usize,
    /// Their code points.
    pub code_points: usize,
}

/// The figures of one pair of coders.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PairFigures {
    /// First coder (the earlier name).
    pub coder_a: String,
    /// Second coder.
    pub coder_b: String,
    /// Articles both coded.
    pub articles: usize,
    /// Tokens of those articles.
    pub tokens: usize,
    /// Per label.
    pub labels: Vec<PairLabel>,
}

/// One label's figures for one pair.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PairLabel {
    /// Label name.
    pub label: String,
    /// F1 with exact boundaries.
    pub exact: SpanF1,
    /// F1 with overlapping boundaries.
    pub overlap: SpanF1,
    /// Cohen's κ over the BIO tags of the tokens.
    pub token_kappa: Option<f64>,
    /// Tokens the κ rests on.
    pub tokens: usize,
}

/// Span F1 with its counts.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct SpanF1 {
    /// `2 · matched / (spans_a + spans_b)`; `None` when neither marked a span.
    pub f1: Option<f64>,
    /// Pairs matched one to one.
    pub matched: usize,
    /// Spans of the first coder.
    pub spans_a: usize,
    /// Spans of the second coder.
    pub spans_b: usize,
}

impl From<spans::SpanMatch> for SpanF1 {
    fn from(m: spans::SpanMatch) -> Self {
        Self {
            f1: m.f1(),
            matched: m.matched,
            spans_a: m.first,
            spans_b: m.second,
        }
    }
}

/// One label's figures over all coders, on the articles every coder coded.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LabelFigures {
    /// Label name.
    pub label: String,
    /// Coders.
    pub coders: usize,
    /// Articles (every coder coded them).
    pub articles: usize,
    /// Fleiss' κ over the BIO tags of the tokens; `None` with fewer than two coders or no
    /// variation.
    pub fleiss_kappa: Option<f64>,
    /// Tokens the κ rests on.
    pub tokens: usize,
    /// Krippendorff's α_u over the articles' code points, one continuum end to end.
    pub unitizing_alpha: Option<f64>,
    /// α_u's observed disagreement.
    pub unitizing_observed: f64,
    /// α_u's expected disagreement.
    pub unitizing_expected: f64,
    /// Units (spans, a coder's overlapping ones merged) α_u rests on.
    pub units: usize,
    /// Length of the continuum in code points.
    pub code_points: usize,
}

/// α of one attribute of matched spans.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ValueFigure {
    /// Label of the spans.
    pub label: String,
    /// Attribute key.
    pub attribute: String,
    /// Metric.
    pub metric: Metric,
    /// Krippendorff's α; `None` without two values in one unit or without variation.
    pub alpha: Option<f64>,
    /// Matched spans with two or more values (the pairable units).
    pub units: usize,
    /// Values in those units.
    pub values: usize,
    /// Coders who gave a value in them.
    pub coders: usize,
    /// Articles they are in.
    pub articles: usize,
}

/// Matched spans (one per coder) whose values of one attribute differ.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Disagreement {
    /// The article.
    pub article_id: ArticleId,
    /// Label of the spans.
    pub label: String,
    /// Attribute key.
    pub attribute: String,
    /// Each coder's span and value (`None`: the coder gave none).
    pub spans: Vec<CoderValue>,
}

/// One coder's side of a disagreement.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CoderValue {
    /// Coder name.
    pub coder: String,
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    /// Covered text.
    pub text: String,
    /// The value, as text.
    pub value: Option<String>,
}

/// The per-label data of one article, computed once.
struct Prepared<'a> {
    article: &'a CodedArticle,
    /// Coder index (into the report's coders) → label → spans.
    ranges: BTreeMap<usize, BTreeMap<&'a str, Vec<Range>>>,
    /// Coder index → label → tags.
    tags: BTreeMap<usize, BTreeMap<&'a str, Vec<Tag>>>,
}

/// The report over `articles`: the coders are every coder with a layer in them.
pub fn report(articles: &[CodedArticle]) -> Report {
    let coders: Vec<String> = articles
        .iter()
        .flat_map(|a| a.layers.keys().cloned())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let measured: Vec<&CodedArticle> = articles.iter().filter(|a| a.layers.len() >= 2).collect();
    let labels: Vec<String> = measured
        .iter()
        .flat_map(|a| a.layers.values().flatten().map(|s| s.label.clone()))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let prepared: Vec<Prepared<'_>> = measured
        .iter()
        .map(|a| prepare(a, &coders, &labels))
        .collect();
    let complete: Vec<&Prepared<'_>> = prepared
        .iter()
        .filter(|p| p.ranges.len() == coders.len())
        .collect();
    let partial = prepared
        .iter()
        .filter(|p| p.ranges.len() < coders.len())
        .fold(Partial::default(), |mut sum, p| {
            sum.articles += 1;
            sum.tokens += p.article.tokens.len();
            sum.code_points += p.article.length;
            sum
        });
    let labels_all_coders: Vec<LabelFigures> = labels
        .iter()
        .map(|label| label_figures(label, coders.len(), &complete))
        .collect();
    let unitizing: Vec<unitizing::UnitizingAlpha> = labels_all_coders
        .iter()
        .map(|f| unitizing::UnitizingAlpha {
            alpha: f.unitizing_alpha,
            observed: f.unitizing_observed,
            expected: f.unitizing_expected,
            units: f.units,
        })
        .collect();
    let (values, disagreements) = value_figures(&prepared, &coders);
    Report {
        pairs: pair_figures(&coders, &labels, &prepared),
        labels_all_coders,
        unitizing_alpha_all_labels: if complete.is_empty() {
            None
        } else {
            unitizing::combined(&unitizing)
        },
        values,
        disagreements,
        articles: measured.len(),
        complete_articles: complete.len(),
        single_coder_articles: articles.len() - measured.len(),
        partial,
        coders,
        labels,
    }
}

fn prepare<'a>(article: &'a CodedArticle, coders: &[String], labels: &'a [String]) -> Prepared<'a> {
    let mut ranges = BTreeMap::new();
    let mut tags = BTreeMap::new();
    for (coder, spans) in &article.layers {
        let Ok(index) = coders.binary_search(coder) else {
            continue;
        };
        let mut by_label: BTreeMap<&str, Vec<Range>> =
            labels.iter().map(|l| (l.as_str(), Vec::new())).collect();
        for span in spans {
            if let Some(list) = by_label.get_mut(span.label.as_str()) {
                list.push((span.start, span.end));
            }
        }
        let tagged = by_label
            .iter()
            .map(|(label, list)| (*label, bio_tags(&article.tokens, list)))
            .collect();
        ranges.insert(index, by_label);
        tags.insert(index, tagged);
    }
    Prepared {
        article,
        ranges,
        tags,
    }
}

fn pair_figures(
    coders: &[String],
    labels: &[String],
    prepared: &[Prepared<'_>],
) -> Vec<PairFigures> {
    let mut pairs = Vec::new();
    for (a, coder_a) in coders.iter().enumerate() {
        for (b, coder_b) in coders.iter().enumerate().skip(a + 1) {
            let both: Vec<&Prepared<'_>> = prepared
                .iter()
                .filter(|p| p.ranges.contains_key(&a) && p.ranges.contains_key(&b))
                .collect();
            let labels = labels
                .iter()
                .map(|label| pair_label(label, a, b, &both))
                .collect();
            pairs.push(PairFigures {
                coder_a: coder_a.clone(),
                coder_b: coder_b.clone(),
                articles: both.len(),
                tokens: both.iter().map(|p| p.article.tokens.len()).sum(),
                labels,
            });
        }
    }
    pairs
}

fn pair_label(label: &str, a: usize, b: usize, both: &[&Prepared<'_>]) -> PairLabel {
    let mut exact = spans::SpanMatch::default();
    let mut overlap = spans::SpanMatch::default();
    let mut tag_pairs = Vec::new();
    for p in both {
        let ranges = |c: usize| {
            p.ranges
                .get(&c)
                .and_then(|l| l.get(label))
                .map_or(&[][..], Vec::as_slice)
        };
        exact.add(spans::exact(ranges(a), ranges(b)));
        overlap.add(spans::overlapping(ranges(a), ranges(b)));
        let tags = |c: usize| {
            p.tags
                .get(&c)
                .and_then(|l| l.get(label))
                .map_or(&[][..], Vec::as_slice)
        };
        tag_pairs.extend(tags(a).iter().copied().zip(tags(b).iter().copied()));
    }
    let kappa = cohen(&tag_pairs);
    PairLabel {
        label: label.to_owned(),
        exact: exact.into(),
        overlap: overlap.into(),
        token_kappa: kappa.kappa,
        tokens: kappa.items,
    }
}

fn label_figures(label: &str, coders: usize, complete: &[&Prepared<'_>]) -> LabelFigures {
    // A row per token: how many coders tagged it O, B and I.
    let mut items: Vec<[u64; 3]> = Vec::new();
    let mut continuum: Vec<Vec<Unit>> = vec![Vec::new(); coders];
    let mut offset = 0_u64;
    for p in complete {
        let count = p.article.tokens.len();
        let first = items.len();
        items.resize(first + count, [0; 3]);
        for tags in p.tags.values().filter_map(|l| l.get(label)) {
            for (row, tag) in items.iter_mut().skip(first).zip(tags) {
                let column = match tag {
                    Tag::O => 0,
                    Tag::B => 1,
                    Tag::I => 2,
                };
                if let Some(cell) = row.get_mut(column) {
                    *cell += 1;
                }
            }
        }
        for (coder, units) in continuum.iter_mut().enumerate() {
            let list = p.ranges.get(&coder).and_then(|l| l.get(label));
            units.extend(list.into_iter().flatten().map(|&(start, end)| Unit {
                start: offset + start as u64,
                end: offset + end as u64,
            }));
        }
        offset += p.article.length as u64;
    }
    let continuum: Vec<Vec<Unit>> = continuum.into_iter().map(unitizing::merged).collect();
    let fleiss = (coders >= 2 && !items.is_empty())
        .then(|| fleiss_table(&items).kappa)
        .flatten();
    let unitizing = unitizing::unitizing_alpha(offset, &continuum);
    LabelFigures {
        label: label.to_owned(),
        coders,
        articles: complete.len(),
        fleiss_kappa: fleiss,
        tokens: items.len(),
        unitizing_alpha: unitizing.alpha,
        unitizing_observed: unitizing.observed,
        unitizing_expected: unitizing.expected,
        units: unitizing.units,
        code_points: usize::try_from(offset).unwrap_or(usize::MAX),
    }
}

/// A matched claim: the article and each member's coder and span.
struct Cluster<'a> {
    article_id: ArticleId,
    members: Vec<(&'a str, &'a CodedSpan)>,
}

fn clusters_of<'a>(label: &str, prepared: &[Prepared<'a>]) -> Vec<Cluster<'a>> {
    let mut out = Vec::new();
    for p in prepared {
        let layers: Vec<(&'a str, Vec<&'a CodedSpan>)> = p
            .article
            .layers
            .iter()
            .map(|(coder, spans)| {
                (
                    coder.as_str(),
                    spans.iter().filter(|s| s.label == label).collect(),
                )
            })
            .collect();
        let ranges: Vec<Vec<Range>> = layers
            .iter()
            .map(|(_, spans)| spans.iter().map(|s| (s.start, s.end)).collect())
            .collect();
        for members in spans::clusters(&ranges) {
            let members = members
                .into_iter()
                .filter_map(|(c, i)| {
                    let (coder, spans) = layers.get(c)?;
                    Some((*coder, *spans.get(i)?))
                })
                .collect();
            out.push(Cluster {
                article_id: p.article.article_id,
                members,
            });
        }
    }
    out
}

fn value_figures(
    prepared: &[Prepared<'_>],
    _coders: &[String],
) -> (Vec<ValueFigure>, Vec<Disagreement>) {
    let mut figures = Vec::new();
    let mut disagreements = Vec::new();
    let labels: BTreeSet<&str> = COMPARED.iter().map(|(label, _, _)| *label).collect();
    for label in labels {
        let clusters = clusters_of(label, prepared);
        for (_, key, metrics) in COMPARED.iter().filter(|(l, _, _)| *l == label) {
            for &metric in *metrics {
                figures.push(value_figure(label, key, metric, &clusters));
            }
            disagreements.extend(differing(label, key, &clusters));
        }
    }
    disagreements.sort_by(|x, y| {
        (
            x.article_id,
            x.spans.first().map(|s| s.start),
            &x.label,
            &x.attribute,
        )
            .cmp(&(
                y.article_id,
                y.spans.first().map(|s| s.start),
                &y.label,
                &y.attribute,
            ))
    });
    (figures, disagreements)
}

fn value_figure(label: &str, key: &str, metric: Metric, clusters: &[Cluster<'_>]) -> ValueFigure {
    // Categories become codes in the order of their names; numbers stay numbers.
    let categories: BTreeSet<String> = if metric == Metric::Nominal {
        clusters
            .iter()
            .flat_map(|c| {
                c.members
                    .iter()
                    .filter_map(|(_, s)| values::category(&s.attrs, key))
            })
            .collect()
    } else {
        BTreeSet::new()
    };
    let code = |s: &CodedSpan| -> Option<f64> {
        if metric == Metric::Nominal {
            let value = values::category(&s.attrs, key)?;
            categories
                .iter()
                .position(|c| *c == value)
                .map(|i| i as f64)
        } else {
            values::number(&s.attrs, key)
        }
    };
    let mut units = Vec::new();
    let mut coders = BTreeSet::new();
    let mut articles = BTreeSet::new();
    for cluster in clusters {
        let given: Vec<(&str, f64)> = cluster
            .members
            .iter()
            .filter_map(|(coder, s)| Some((*coder, code(s)?)))
            .collect();
        if given.len() < 2 {
            continue;
        }
        coders.extend(given.iter().map(|(coder, _)| *coder));
        articles.insert(cluster.article_id);
        units.push(given.into_iter().map(|(_, v)| v).collect());
    }
    let result = alpha(&units, metric);
    ValueFigure {
        label: label.to_owned(),
        attribute: key.to_owned(),
        metric,
        alpha: result.alpha,
        units: result.units,
        values: result.values,
        coders: coders.len(),
        articles: articles.len(),
    }
}

fn differing(label: &str, key: &str, clusters: &[Cluster<'_>]) -> Vec<Disagreement> {
    let mut out = Vec::new();
    for cluster in clusters.iter().filter(|c| c.members.len() >= 2) {
        let spans: Vec<CoderValue> = cluster
            .members
            .iter()
            .map(|(coder, s)| CoderValue {
                coder: (*coder).to_owned(),
                start: s.start,
                end: s.end,
                text: s.text.clone(),
                value: values::category(&s.attrs, key),
            })
            .collect();
        let distinct: BTreeSet<&Option<String>> = spans.iter().map(|s| &s.value).collect();
        if distinct.len() > 1 {
            out.push(Disagreement {
                article_id: cluster.article_id,
                label: label.to_owned(),
                attribute: key.to_owned(),
                spans,
            });
        }
    }
    out
}

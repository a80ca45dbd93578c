//! Pre-annotation: proposes DATE, CASUALTY and PER/ORG/LOC spans with normalised values, from
//! rules, a bundled gazetteer and what people accepted before.
//!
//! Owns: finding mentions in one text and turning them into proposals with links (a casualty
//! figure to the date and place of its sentence, a sub-count to its total). Must not: mutate
//! the store or the index; the service decides what to store.

pub mod casualties;
pub mod dates;
pub mod entities;
mod learned;
pub mod tagger;
pub mod text;

pub use learned::{
    CONFIRM_ABOVE_ARTICLES, MIN_CONSISTENCY, Vocabulary, VocabularyEntry, drop_links, occurrences,
    unlearnable,
};

use std::collections::HashMap;

use serde_json::Value;

use crate::model::{AnnotationAttrs, CharOffsets, CharSpan, PartialDate, attrs};

use text::Tokenized;

/// The annotator name of suggestions made by rules and the gazetteer.
pub const RULES_ANNOTATOR: &str = "annalist-suggest";

/// The annotator name of suggestions learned from accepted annotations.
pub const LEARNED_ANNOTATOR: &str = "annalist-learned";

/// Labels whose values depend on the context (a date's value, a figure's count): never
/// learned from one article and proposed in another.
pub const NOT_LEARNED: [&str; 2] = ["DATE", "CASUALTY"];

/// One proposed span.
#[derive(Debug, Clone, PartialEq)]
pub struct Proposal {
    /// Label name.
    pub label: String,
    /// Where it is in the text.
    pub span: CharSpan,
    /// Normalised values (`value`, `count`, `country_code`, ...).
    pub attrs: AnnotationAttrs,
    /// `(attribute, index)`: the attribute points at the proposal at `index` of the same
    /// list, which comes earlier in it.
    pub links: Vec<(String, usize)>,
}

impl Proposal {
    /// A proposal of `label` over `[start, end)`; `None` for an empty span, which no finder
    /// means to make.
    fn new(label: &str, start: usize, end: usize) -> Option<Self> {
        let span = CharSpan::ordered(start, end).ok();
        debug_assert!(
            span.is_some(),
            "a finder made an empty span [{start}, {end})"
        );
        Some(Self {
            label: label.to_owned(),
            span: span?,
            attrs: AnnotationAttrs::new(),
            links: Vec::new(),
        })
    }

    fn set(&mut self, key: &str, value: impl Into<Value>) {
        self.attrs.insert(key.to_owned(), value.into());
    }
}

/// The dates (without the vague ones) and then the entities of a text, as proposals.
fn dates_and_entities(
    text: &str,
    tokenized: &Tokenized<'_>,
    published: Option<PartialDate>,
) -> Vec<Proposal> {
    let mut out = Vec::new();
    for date in dates::find_dates_in(tokenized, published)
        .into_iter()
        .filter(|d| !is_vague_date(d))
    {
        let Some(mut p) = Proposal::new("DATE", date.start, date.end) else {
            continue;
        };
        p.set(attrs::VALUE, date.value);
        p.set(attrs::PRECISION, date.precision.as_str());
        if let Some(anchor) = date.anchor {
            p.set(attrs::ANCHOR, anchor);
        }
        out.push(p);
    }
    for entity in entities::find_entities_in(text, &tokenized.tokens) {
        let Some(mut p) = Proposal::new(entity.label, entity.start, entity.end) else {
            continue;
        };
        if let Some(canonical) = entity.canonical {
            p.set(attrs::CANONICAL, canonical);
        }
        if let Some(code) = entity.country_code {
            p.set(attrs::COUNTRY_CODE, code);
        }
        if let Some(place) = entity.place {
            p.set(attrs::LAT, place.lat);
            p.set(attrs::LON, place.lon);
            if let Some(adm1) = place.adm1 {
                p.set(attrs::ADM1, adm1);
            }
            p.set(attrs::WHERE_PREC, place.where_prec);
        }
        out.push(p);
    }
    out
}

/// Everything the rules and the gazetteer propose for one text published on `published`:
/// dates, then entities, then casualty figures linked to the nearest date and place of their
/// sentence and to the figure they are part of. Links always point backwards in the list.
pub fn propose(text: &str, published: Option<PartialDate>) -> Vec<Proposal> {
    propose_with(text, published, None)
}

/// [`propose`], with the entity tagger's spans merged into the rules' entities when a
/// model is given (`tagger::merge_tagger`: one proposal per span, with a `confidence`),
/// before casualty figures are linked to the places of their sentence.
pub fn propose_with(
    text: &str,
    published: Option<PartialDate>,
    model: Option<&tagger::TaggerModel>,
) -> Vec<Proposal> {
    let tokenized = Tokenized::new(text);
    let mut out = dates_and_entities(text, &tokenized, published);
    if let Some(model) = model {
        tagger::merge_tagger(model, &tokenized, &mut out);
    }
    let sentence_of = |at: usize| tokenized.containing_sentence(at);
    let offsets = CharOffsets::new(text);
    // The dates and places of each sentence, so that each figure looks only at its own.
    let mut in_sentence: HashMap<(usize, &str), Vec<usize>> = HashMap::new();
    for (index, q) in out.iter().enumerate() {
        for label in ["DATE", "LOC"] {
            if q.label == label {
                in_sentence
                    .entry((sentence_of(q.span.start()), label))
                    .or_default()
                    .push(index);
            }
        }
    }
    for bucket in in_sentence.values_mut() {
        bucket.sort_by_key(|&index| (out[index].span.start(), index));
    }
    let figures = casualties::find_casualties_in(&tokenized);
    // Where each figure lands in `out` (a figure without a span has no place), for the
    // sub-count links, which count figures.
    let mut next_place = out.len();
    let place_of: Vec<Option<usize>> = figures
        .iter()
        .map(|figure| {
            (figure.end > figure.start).then(|| {
                next_place += 1;
                next_place - 1
            })
        })
        .collect();
    for figure in figures {
        let Some(mut p) = Proposal::new("CASUALTY", figure.start, figure.end) else {
            continue;
        };
        if let Some(count) = figure.count {
            p.set(attrs::COUNT, count);
        }
        if let Some(low) = figure.low {
            p.set(attrs::LOW, low);
        }
        if let Some(high) = figure.high {
            p.set(attrs::HIGH, high);
        }
        p.set(attrs::QUALIFIER, figure.qualifier);
        p.set(attrs::OUTCOME, figure.outcome);
        if let Some(victims) = figure.victims {
            p.set(attrs::VICTIMS, victims);
        }
        let sentence = sentence_of(figure.start);
        for (attribute, label) in [(attrs::DATE, "DATE"), (attrs::PLACE, "LOC")] {
            // "Iran said ... nine people in a village near Saravan": the place is Saravan,
            // not the claimant; the claimant's country only when no other place is named.
            let is_claimant = |q: &Proposal| {
                label == "LOC"
                    && figure.claimed_by.as_deref().is_some_and(|claimant| {
                        offsets.slice(q.span.start(), q.span.end()) == claimant
                    })
            };
            let bucket = in_sentence
                .get(&(sentence, label))
                .map_or(&[][..], Vec::as_slice);
            let nearest = |skip_claimant: bool| {
                nearest_in(bucket, &out, figure.start, &|q| {
                    skip_claimant && is_claimant(q)
                })
            };
            if let Some(index) = nearest(true).or_else(|| nearest(false)) {
                p.links.push((attribute.to_owned(), index));
            }
        }
        if let Some(claimant) = figure.claimed_by {
            p.set(attrs::CLAIMED_BY, claimant);
        }
        if let Some(Some(parent)) = figure
            .part_of
            .map(|parent| place_of.get(parent).copied().flatten())
        {
            p.links.push((attrs::PART_OF.to_owned(), parent));
        }
        out.push(p);
    }
    // A sub-count's parent is normally earlier; drop a link that is not, rather than break
    // the "links point backwards" promise.
    for (index, p) in out.iter_mut().enumerate() {
        p.links.retain(|&(_, target)| target < index);
    }
    out
}

/// Candidates looked at on each side of a figure when linking it: enough for any real
/// sentence, and a bound for a "sentence" of a million words.
const NEAREST_REACH: usize = 32;

/// The proposal in `bucket` (indices into `out`, ordered by start, then index) whose start
/// is nearest `at`, the earliest in `out` on a tie, leaving out those `skip` refuses. Looks
/// at [`NEAREST_REACH`] candidates on each side of `at`, so linking stays linear in the text.
fn nearest_in(
    bucket: &[usize],
    out: &[Proposal],
    at: usize,
    skip: &dyn Fn(&Proposal) -> bool,
) -> Option<usize> {
    let split = bucket.partition_point(|&index| out[index].span.start() < at);
    let before = bucket[..split].iter().rev().take(NEAREST_REACH);
    let after = bucket[split..].iter().take(NEAREST_REACH);
    before
        .chain(after)
        .copied()
        .filter(|&index| !skip(&out[index]))
        .min_by_key(|&index| (out[index].span.start().abs_diff(at), index))
}

/// A reference without a calendar value ("now", "recently", "the future": TIMEX3's
/// PRESENT_REF, PAST_REF, FUTURE_REF). TimeBank marks them as dates; suggesting them would
/// bury the dates a researcher codes (the BBC corpus says "now" a thousand times).
pub fn is_vague_date(date: &dates::DateMention) -> bool {
    date.precision == dates::TimexPrecision::Vague
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_worked_example_links_figures_to_their_sentence() {
        let text = "Iran said Thursday's strikes killed nine people in a border village near Saravan, including four children. Pakistan said an Iranian attack on Tuesday killed two children.";
        let published = PartialDate::from_parts(2024, Some(1), Some(19));
        let proposals = propose(text, published);
        let span = |p: &Proposal| {
            text.chars()
                .skip(p.span.start())
                .take(p.span.end() - p.span.start())
                .collect::<String>()
        };
        let figures: Vec<&Proposal> = proposals.iter().filter(|p| p.label == "CASUALTY").collect();
        for figure in &figures {
            for (attribute, target) in &figure.links {
                let target = &proposals[*target];
                match attribute.as_str() {
                    attrs::DATE => assert_eq!(target.label, "DATE"),
                    attrs::PLACE => assert_eq!(target.label, "LOC"),
                    attrs::PART_OF => assert_eq!(target.label, "CASUALTY"),
                    other => panic!("unexpected link {other}"),
                }
            }
        }
        let nine = figures.iter().find(|p| span(p) == "nine people").unwrap();
        let place = nine
            .links
            .iter()
            .find(|(a, _)| a == attrs::PLACE)
            .map(|(_, i)| &proposals[*i]);
        assert_eq!(
            place.map(span).as_deref(),
            Some("Saravan"),
            "not the claimant Iran"
        );
        let two = figures.iter().find(|p| span(p) == "two children").unwrap();
        let date = two
            .links
            .iter()
            .find(|(a, _)| a == attrs::DATE)
            .map(|(_, i)| &proposals[*i]);
        assert_eq!(date.map(span).as_deref(), Some("Tuesday"));
    }

    #[test]
    fn a_title_with_a_full_stop_does_not_cut_a_figure_from_its_date() {
        // The splitter propose() used before broke this sentence after "Gen.", so the figure
        // lost its date.
        let text = "On Tuesday, Gen. Smith said nine people were killed.";
        let published = PartialDate::from_parts(2024, Some(1), Some(19));
        let proposals = propose(text, published);
        let figure = proposals
            .iter()
            .find(|p| p.label == "CASUALTY")
            .expect("a figure");
        let date = figure
            .links
            .iter()
            .find(|(attribute, _)| attribute == attrs::DATE)
            .map(|(_, index)| &proposals[*index]);
        assert_eq!(
            date.map(|d| (d.span.start(), d.span.end())),
            Some((3, 10)),
            "{proposals:?}"
        );
    }

    #[test]
    fn a_figure_is_linked_only_within_its_line() {
        let text = "Clashes on Tuesday\nNine people were killed in the clashes.";
        let proposals = propose(text, PartialDate::from_parts(2024, Some(1), Some(19)));
        let figure = proposals
            .iter()
            .find(|p| p.label == "CASUALTY")
            .expect("a figure");
        assert!(figure.links.is_empty(), "{proposals:?}");
    }
}

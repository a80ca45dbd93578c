//! Joining the tagger's spans to the rules' proposals: one proposal per span, the rules'
//! boundaries and gazetteer values kept, the tagger's label taken only when it is sure.
//!
//! Owns: the merge rule (docs/tagger.md, "Suggestions"). Must not: find anything itself.

use serde_json::Value;

use super::{TaggedSpan, TaggerModel};
use crate::model::{CharSpan, attrs};
use crate::suggest::Proposal;
use crate::suggest::text::{TokenKind, Tokenized, Word};

/// Labels the tagger may propose.
pub const TAGGER_LABELS: [&str; 3] = ["PER", "ORG", "LOC"];

/// Below this confidence a span of the tagger's own is not proposed.
pub const MIN_CONFIDENCE: f32 = 0.6;

/// At or above this confidence the tagger's ORG replaces the rules' LOC on the same span
/// ("Chelsea" in "Chelsea beat Arsenal": the gazetteer's town becomes a club), unless the
/// place is a country.
pub const OVERRIDE_CONFIDENCE: f32 = 0.9;

/// The gazetteer's values of a place, which do not belong to an organisation or a person.
const PLACE_ATTRS: [&str; 6] = [
    attrs::CANONICAL,
    attrs::COUNTRY_CODE,
    attrs::LAT,
    attrs::LON,
    attrs::ADM1,
    attrs::WHERE_PREC,
];

fn rounded(confidence: f32) -> Value {
    Value::from((f64::from(confidence) * 100.0).round() / 100.0)
}

/// Tags the text and merges the tagger's spans into `out` (the rules' dates and entities):
///
/// - the same span as a rules' entity: one proposal; it takes the tagger's `confidence` when
///   they agree; when they differ, the rules' label stays, except a LOC that is no country
///   the tagger calls ORG with at least [`OVERRIDE_CONFIDENCE`] (the rules' known failure:
///   clubs named after towns), which becomes ORG without the place's gazetteer values;
/// - a span that overlaps any rules' proposal (entity or date) otherwise: left out, the
///   rules' boundaries win;
/// - any other span with at least [`MIN_CONFIDENCE`]: a new proposal with its confidence.
pub fn merge_tagger(model: &TaggerModel, tokenized: &Tokenized<'_>, out: &mut Vec<Proposal>) {
    let rules: Vec<(usize, usize, &'static str, bool)> = out
        .iter()
        .filter_map(|p| {
            let label = TAGGER_LABELS.into_iter().find(|l| *l == p.label)?;
            let gazetteer = p.attrs.contains_key(attrs::LAT)
                || (label == "ORG" && p.attrs.contains_key(attrs::CANONICAL));
            Some((p.span.start(), p.span.end(), label, gazetteer))
        })
        .collect();
    let spans = model.tag_text(tokenized, &rules);
    let mut taken: Vec<(usize, usize)> =
        out.iter().map(|p| (p.span.start(), p.span.end())).collect();
    taken.sort_unstable();
    let mut added = Vec::new();
    for span in spans {
        if !TAGGER_LABELS.contains(&span.label.as_str()) {
            continue;
        }
        if let Some(same) = out
            .iter_mut()
            .find(|p| p.span.start() == span.start && p.span.end() == span.end)
        {
            if TAGGER_LABELS.contains(&same.label.as_str()) {
                relabel(same, &span);
            }
            continue;
        }
        let first_after = taken.partition_point(|&(start, _)| start < span.end);
        let overlaps = taken
            .get(..first_after)
            .unwrap_or_default()
            .iter()
            .any(|&(_, end)| end > span.start);
        if overlaps || span.confidence < MIN_CONFIDENCE || one_word_not_a_name(tokenized, &span) {
            continue;
        }
        let Ok(char_span) = CharSpan::ordered(span.start, span.end) else {
            continue;
        };
        let mut p = Proposal {
            label: acronym_label(tokenized, &span),
            span: char_span,
            attrs: crate::model::AnnotationAttrs::new(),
            links: Vec::new(),
        };
        p.set(attrs::CONFIDENCE, rounded(span.confidence));
        added.push(p);
    }
    name_parts_stay_people(tokenized, out, &mut added);
    out.extend(added);
}

/// The words of `span`.
fn words_in<'t, 'a>(tokenized: &'t Tokenized<'a>, span: CharSpan) -> &'t [Word<'a>] {
    let first = tokenized
        .words
        .partition_point(|w| w.char_start < span.start());
    let inside = tokenized
        .words
        .get(first..)
        .unwrap_or_default()
        .iter()
        .take_while(|w| w.char_end <= span.end())
        .count();
    tokenized
        .words
        .get(first..first + inside)
        .unwrap_or_default()
}

/// One sense per article for a person's names: a new one-word span of the tagger's
/// (`added`) that is a word of a person's name proposed in the same text (`known` or
/// `added`: "Paula" after "Paula Radcliffe", which the base model took for a place) is that
/// person, PER, without the model's confidence (which was in the other label). The rules'
/// proposals (`known`) keep their labels.
fn name_parts_stay_people(tokenized: &Tokenized<'_>, known: &[Proposal], added: &mut [Proposal]) {
    let mut names: Vec<&str> = known
        .iter()
        .chain(added.iter())
        .filter(|p| p.label == "PER")
        .flat_map(|p| words_in(tokenized, p.span))
        .filter(|w| w.kind == TokenKind::Word)
        .map(|w| w.text)
        .collect();
    names.sort_unstable();
    names.dedup();
    for p in added.iter_mut() {
        if p.label == "PER" {
            continue;
        }
        if let [word] = words_in(tokenized, p.span)
            && names.binary_search(&word.text).is_ok()
        {
            // The label is the article's, not the model's: the model's confidence was in
            // the label it gave, so it goes.
            p.label = "PER".to_owned();
            p.attrs.remove(attrs::CONFIDENCE);
        }
    }
}

/// Whether `span` is one word the rules never take for a name ("Kenyan", "European"): the
/// base model, trained on social-media text, tags demonyms as people.
fn one_word_not_a_name(tokenized: &Tokenized<'_>, span: &TaggedSpan) -> bool {
    let first = tokenized
        .words
        .partition_point(|w| w.char_start < span.start);
    let mut inside = tokenized
        .words
        .get(first..)
        .unwrap_or_default()
        .iter()
        .take_while(|w| w.char_end <= span.end);
    match (inside.next(), inside.next()) {
        (Some(word), None) => crate::suggest::entities::is_not_a_name(&word.lower),
        _ => false,
    }
}

/// The label of a new span of the tagger's: its own, except a LOC of one all-caps word
/// ("CAS", "EAA"), which the gazetteer would have known as a place: an acronym, of an
/// organisation far more often than of a place (the base model's error on sports news).
fn acronym_label(tokenized: &Tokenized<'_>, span: &TaggedSpan) -> String {
    let text: String = tokenized
        .text
        .chars()
        .skip(span.start)
        .take(span.end - span.start)
        .collect();
    let acronym = text.chars().count() >= 2 && text.chars().all(|c| c.is_ascii_uppercase());
    if span.label == "LOC" && acronym {
        "ORG".to_owned()
    } else {
        span.label.clone()
    }
}

/// The rules' proposal of the same span as `span`: the tagger's confidence, and its label
/// when it is sure enough.
fn relabel(same: &mut Proposal, span: &TaggedSpan) {
    if same.label != span.label {
        let country = same.attrs.get(attrs::WHERE_PREC).and_then(Value::as_u64) == Some(6);
        let club = same.label == "LOC" && span.label == "ORG" && !country;
        if !club || span.confidence < OVERRIDE_CONFIDENCE {
            return;
        }
        same.label = span.label.clone();
        for key in PLACE_ATTRS {
            same.attrs.remove(key);
        }
    }
    same.set(attrs::CONFIDENCE, rounded(span.confidence));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(start: usize, end: usize) -> TaggedSpan {
        TaggedSpan {
            start,
            end,
            label: "PER".to_owned(),
            confidence: 1.0,
        }
    }

    #[test]
    fn a_demonym_alone_is_no_name_but_a_name_after_it_is() {
        let text = "The Kenyan Susan Chepkemei won in Kenya.";
        let tokenized = Tokenized::new(text);
        let at = |w: &str| text.find(w).map(|b| text[..b].chars().count()).unwrap_or(0);
        let kenyan = at("Kenyan");
        assert!(one_word_not_a_name(&tokenized, &span(kenyan, kenyan + 6)));
        let susan = at("Susan");
        assert!(!one_word_not_a_name(&tokenized, &span(susan, susan + 15)));
        // Two words, one of them a demonym: the tagger's span stands.
        assert!(!one_word_not_a_name(&tokenized, &span(kenyan, susan + 5)));
        let kenya = at("Kenya.");
        assert!(!one_word_not_a_name(&tokenized, &span(kenya, kenya + 5)));
    }

    fn proposal(text: &str, word: &str, nth: usize, label: &str, tagger: bool) -> Proposal {
        let byte = text
            .match_indices(word)
            .nth(nth)
            .map(|(b, _)| b)
            .unwrap_or(0);
        let start = text[..byte].chars().count();
        let span = CharSpan::ordered(start, start + word.chars().count()).expect("a span");
        let mut p = Proposal {
            label: label.to_owned(),
            span,
            attrs: crate::model::AnnotationAttrs::new(),
            links: Vec::new(),
        };
        if tagger {
            p.set(attrs::CONFIDENCE, rounded(0.7));
        }
        p
    }

    #[test]
    fn a_word_of_a_person_s_name_stays_that_person() {
        let text = "Paula Radcliffe won in Paris. Paula said Paris and Radcliffe \
                    were great; Jordan Smith thanked Jordan. Smith left.";
        let tokenized = Tokenized::new(text);
        let known = vec![
            proposal(text, "Paula Radcliffe", 0, "PER", false),
            proposal(text, "Paris", 0, "LOC", false),
            // The rules' place stays a place.
            proposal(text, "Jordan", 1, "LOC", false),
        ];
        let mut added = vec![
            proposal(text, "Paula", 1, "LOC", true),
            proposal(text, "Paris", 1, "ORG", true),
            proposal(text, "Radcliffe", 1, "ORG", true),
            // A person the tagger found itself lends its names too.
            proposal(text, "Jordan Smith", 0, "PER", true),
            proposal(text, "Smith", 1, "ORG", true),
        ];
        name_parts_stay_people(&tokenized, &known, &mut added);
        let labels: Vec<&str> = added.iter().map(|p| p.label.as_str()).collect();
        assert_eq!(labels, ["PER", "ORG", "PER", "PER", "PER"]);
        let confident: Vec<bool> = added
            .iter()
            .map(|p| p.attrs.contains_key(attrs::CONFIDENCE))
            .collect();
        assert_eq!(confident, [false, true, false, true, false]);
        assert_eq!(known[2].label, "LOC");
    }

    #[test]
    fn a_new_all_caps_place_is_taken_for_an_organisation() {
        let text = "The CAS ruled in Lausanne.";
        let tokenized = Tokenized::new(text);
        let loc = |start, end| TaggedSpan {
            label: "LOC".to_owned(),
            ..span(start, end)
        };
        assert_eq!(acronym_label(&tokenized, &loc(4, 7)), "ORG");
        assert_eq!(acronym_label(&tokenized, &loc(17, 25)), "LOC");
        assert_eq!(acronym_label(&tokenized, &span(4, 7)), "PER");
    }
}

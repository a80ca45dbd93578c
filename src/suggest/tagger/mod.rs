//! A statistical sequence tagger for PER, ORG and LOC (or any labels it is trained on): an
//! averaged structured perceptron over BIO tags with Viterbi decoding, on the words of the
//! project's text layer, with the rules' own proposals among its features.
//!
//! Owns: features, decoding, training, the model format and the bundled base model. Must
//! not: touch the store or files; the service hands it sentences and stores what it says.

mod features;
mod format;
mod merge;
mod perceptron;
#[cfg(test)]
mod tests;

use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

pub use features::{RuleHint, TagWord};
pub use format::FORMAT_VERSION;
pub use merge::{MIN_CONFIDENCE, OVERRIDE_CONFIDENCE, TAGGER_LABELS, merge_tagger};

use super::entities::find_entities_in;
use super::text::{Token, Tokenized, Word, tokenize};
use perceptron::{Example, Weights, allowed, tag_count};

/// Bits of the feature hash: 2^19 buckets, few collisions for a few hundred thousand
/// distinct features.
pub const HASH_BITS: u8 = 19;

/// Passes over the training sentences.
pub const EPOCHS: usize = 8;

/// The seed of the shuffle: the same sentences give the same model.
pub const SEED: u64 = 17;

/// Words per decoded piece: a "sentence" of a million words is tagged in pieces of this
/// many, so memory stays bounded.
const MAX_PIECE_WORDS: usize = 200;

/// The bytes of the bundled base model (`assets/tagger/`, see its `SOURCE.md`).
const BASE_MODEL: &[u8] = include_bytes!("../../../assets/tagger/base.antg");

static BASE: LazyLock<Option<TaggerModel>> =
    LazyLock::new(|| TaggerModel::from_bytes(BASE_MODEL).ok());

/// The bundled base model, read once on first use; `None` only if the bundled bytes are
/// damaged (a test checks they are not).
pub fn base_model() -> Option<&'static TaggerModel> {
    BASE.as_ref()
}

/// What went wrong reading or training a model.
#[derive(Debug, thiserror::Error)]
pub enum TaggerError {
    /// The bytes do not start with the model's magic number.
    #[error("not an Annalist tagger model")]
    NotAModel,
    /// Written by another version of the format.
    #[error("tagger model format version {found}; this build reads version {supported}")]
    Version {
        /// The version in the file.
        found: u16,
        /// The version this build reads.
        supported: u16,
    },
    /// Damaged or cut bytes.
    #[error("damaged tagger model: {0}")]
    Corrupt(String),
    /// A gold tag that is not BIO over a label.
    #[error("sentence {sentence}, word {word}: tag {tag:?} is not O, B-LABEL or I-LABEL")]
    BadTag {
        /// Sentence number (from 1).
        sentence: usize,
        /// Word number (from 1).
        word: usize,
        /// The tag.
        tag: String,
    },
    /// Nothing to train on.
    #[error("no sentence to train on")]
    Empty,
    /// Writing or compressing.
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// What a model was trained on, kept inside it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ModelInfo {
    /// Where the sentences came from ("WNUT-17 train+dev", "archive, coder ana").
    pub source: String,
    /// Sentences trained on.
    pub sentences: u64,
    /// Words trained on.
    pub words: u64,
    /// Gold spans trained on.
    pub spans: u64,
    /// Articles trained on (0 for CoNLL files).
    pub articles: u64,
    /// Passes over the sentences.
    pub epochs: u32,
    /// Seed of the shuffle.
    pub seed: u64,
    /// The model it was refined from, if any (its `source`).
    pub refined_from: Option<String>,
}

/// One span the tagger proposes, in code points of the text.
#[derive(Debug, Clone, PartialEq)]
pub struct TaggedSpan {
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    /// Label name.
    pub label: String,
    /// The lowest, over the span's words, of the softmax probability of the word's tag among
    /// the tags allowed after the tag before it (0 to 1).
    pub confidence: f32,
}

/// One sentence to learn from: words, what the rules said about each, and the gold BIO tag
/// of each (IOB2: `B-` opens every span).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TrainingSentence {
    /// The words.
    pub words: Vec<String>,
    /// The rules' proposals on them.
    pub hints: Vec<RuleHint>,
    /// The gold tags.
    pub tags: Vec<String>,
}

/// A trained model: its labels, weights and what it was trained on.
#[derive(Debug, Clone, PartialEq)]
pub struct TaggerModel {
    labels: Vec<String>,
    weights: Weights,
    info: ModelInfo,
}

impl TaggerModel {
    /// The labels it proposes.
    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    /// What it was trained on.
    pub fn info(&self) -> &ModelInfo {
        &self.info
    }

    /// The model as bytes (see `format.rs`).
    pub fn to_bytes(&self) -> Result<Vec<u8>, TaggerError> {
        format::to_bytes(self)
    }

    /// Reads a model; damaged bytes are an error.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, TaggerError> {
        format::from_bytes(bytes)
    }

    fn tag_name(&self, tag: usize) -> String {
        if tag == 0 {
            return "O".to_owned();
        }
        let label = self.labels.get((tag - 1) / 2).map_or("?", String::as_str);
        let prefix = if tag % 2 == 1 { "B" } else { "I" };
        format!("{prefix}-{label}")
    }

    fn tag_index(&self, tag: &str) -> Option<usize> {
        if tag == "O" {
            return Some(0);
        }
        let (prefix, label) = tag.split_once('-')?;
        let k = self.labels.iter().position(|l| l == label)?;
        match prefix {
            "B" => Some(1 + 2 * k),
            "I" => Some(2 + 2 * k),
            _ => None,
        }
    }

    /// The IOB2 tag and its local confidence for each word of one sentence.
    pub fn tag_words(&self, words: &[TagWord<'_>]) -> Vec<(String, f32)> {
        let mut out = Vec::with_capacity(words.len());
        for piece in words.chunks(MAX_PIECE_WORDS) {
            let features = features::sentence_features(self.weights.bits, piece);
            let (path, confidence) = self.weights.decode(&features);
            out.extend(
                path.into_iter()
                    .zip(confidence)
                    .map(|(tag, c)| (self.tag_name(tag), c)),
            );
        }
        out
    }

    /// The spans of a whole text, cut once by the text layer, with `rules`: the rules'
    /// entity proposals `(start, end, label, from the gazetteer)` in code points, as
    /// features. Spans come sorted and never overlap.
    pub fn tag_text(
        &self,
        tokenized: &Tokenized<'_>,
        rules: &[(usize, usize, &'static str, bool)],
    ) -> Vec<TaggedSpan> {
        let hints = hints_for(&tokenized.words, rules);
        let mut spans = Vec::new();
        for sentence in &tokenized.sentences {
            let Some(words) = tokenized.words.get(sentence.words.clone()) else {
                continue;
            };
            let hints = hints.get(sentence.words.clone()).unwrap_or_default();
            let input: Vec<TagWord<'_>> = words
                .iter()
                .zip(hints)
                .map(|(w, &hint)| TagWord { text: w.text, hint })
                .collect();
            let tags = self.tag_words(&input);
            spans.extend(spans_of(&tags, words));
        }
        spans
    }

    /// Trains a model on `sentences` (gold IOB2 tags), from `start` when given and its
    /// labels cover the sentences' (refining it: its weights are the starting point), else
    /// from zero weights. `progress(done, total)` returns `false` to stop (then `Ok(None)`).
    pub fn train(
        sentences: &[TrainingSentence],
        start: Option<&Self>,
        mut info: ModelInfo,
        progress: &mut dyn FnMut(u64, u64) -> bool,
    ) -> Result<Option<Self>, TaggerError> {
        if sentences.iter().all(|s| s.words.is_empty()) {
            return Err(TaggerError::Empty);
        }
        let labels = labels_of(sentences)?;
        let (labels, weights) = match start {
            Some(model) if labels.iter().all(|l| model.labels.contains(l)) => {
                info.refined_from = Some(model.info.source.clone());
                (model.labels.clone(), model.weights.clone())
            }
            _ => {
                let weights = Weights::zero(HASH_BITS, tag_count(labels.len()));
                (labels, weights)
            }
        };
        let mut model = Self {
            labels,
            weights: Weights::zero(1, 1),
            info: ModelInfo::default(),
        };
        let examples = sentences
            .iter()
            .filter(|s| !s.words.is_empty())
            .map(|s| model.example(s, weights.bits))
            .collect::<Vec<_>>();
        info.sentences = u64::try_from(examples.len()).unwrap_or(u64::MAX);
        info.words = sentences.iter().map(|s| s.words.len() as u64).sum();
        info.spans = sentences
            .iter()
            .flat_map(|s| &s.tags)
            .filter(|t| t.starts_with("B-"))
            .count() as u64;
        info.epochs = u32::try_from(EPOCHS).unwrap_or(u32::MAX);
        info.seed = SEED;
        let Some(trained) = perceptron::train(weights, &examples, EPOCHS, SEED, progress) else {
            return Ok(None);
        };
        model.weights = trained;
        model.info = info;
        Ok(Some(model))
    }

    fn example(&self, sentence: &TrainingSentence, bits: u8) -> Example {
        let words: Vec<TagWord<'_>> = sentence
            .words
            .iter()
            .enumerate()
            .map(|(i, text)| TagWord {
                text,
                hint: sentence.hints.get(i).copied().unwrap_or_default(),
            })
            .collect();
        let mut gold: Vec<usize> = sentence
            .tags
            .iter()
            .map(|t| self.tag_index(t).unwrap_or(0))
            .collect();
        gold.resize(words.len(), 0);
        // A gold I- after the wrong tag would be a path the decoder never makes: open it.
        for i in 0..gold.len() {
            let previous = i.checked_sub(1).and_then(|p| gold.get(p).copied());
            if let Some(tag) = gold.get_mut(i)
                && !allowed(previous, *tag)
            {
                *tag -= 1;
            }
        }
        Example {
            features: features::sentence_features(bits, &words),
            gold,
        }
    }
}

/// The labels of the sentences' tags, sorted; a tag that is not BIO is an error.
fn labels_of(sentences: &[TrainingSentence]) -> Result<Vec<String>, TaggerError> {
    let mut labels = std::collections::BTreeSet::new();
    for (s, sentence) in sentences.iter().enumerate() {
        for (w, tag) in sentence.tags.iter().enumerate() {
            if tag == "O" {
                continue;
            }
            match tag.split_once('-') {
                Some(("B" | "I", label)) if !label.is_empty() => {
                    labels.insert(label.to_owned());
                }
                _ => {
                    return Err(TaggerError::BadTag {
                        sentence: s + 1,
                        word: w + 1,
                        tag: tag.clone(),
                    });
                }
            }
        }
    }
    Ok(labels.into_iter().collect())
}

/// What the rules said about each word: the rules' span that holds the word's first code
/// point, `begin` on the first word of it.
pub fn hints_for(
    words: &[Word<'_>],
    rules: &[(usize, usize, &'static str, bool)],
) -> Vec<RuleHint> {
    let starts: Vec<usize> = words.iter().map(|w| w.char_start).collect();
    hints_at(&starts, rules)
}

/// The rules' entity proposals of a text as `(start, end, label, from the gazetteer)`.
pub fn rule_spans(text: &str, tokens: &[Token]) -> Vec<(usize, usize, &'static str, bool)> {
    find_entities_in(text, tokens)
        .into_iter()
        .map(|e| {
            let gazetteer = e.place.is_some() || (e.label == "ORG" && e.canonical.is_some());
            (e.start, e.end, e.label, gazetteer)
        })
        .collect()
}

/// What the rules say about the tokens of a CoNLL sentence, read as the tokens joined by
/// single spaces.
pub fn conll_hints(tokens: &[&str]) -> Vec<RuleHint> {
    let text = tokens.join(" ");
    let mut starts = Vec::with_capacity(tokens.len());
    let mut at = 0;
    for token in tokens {
        starts.push(at);
        at += token.chars().count() + 1;
    }
    let rules = rule_spans(&text, &tokenize(&text));
    hints_at(&starts, &rules)
}

/// What the rules said about the words starting at `starts` (code points, ascending).
fn hints_at(starts: &[usize], rules: &[(usize, usize, &'static str, bool)]) -> Vec<RuleHint> {
    let mut sorted: Vec<_> = rules.to_vec();
    sorted.sort_by_key(|r| (r.0, r.1));
    let mut next = 0;
    let mut current: Option<(usize, usize, &'static str, bool)> = None;
    let mut seen_start = usize::MAX;
    starts
        .iter()
        .map(|&word_start| {
            while let Some(&rule) = sorted.get(next) {
                if rule.0 > word_start {
                    break;
                }
                current = Some(rule);
                next += 1;
            }
            match current {
                Some((start, end, label, gazetteer)) if word_start < end => {
                    let begin = seen_start != start;
                    seen_start = start;
                    RuleHint {
                        label: Some(label),
                        begin,
                        gazetteer,
                    }
                }
                _ => RuleHint::default(),
            }
        })
        .collect()
}

/// The spans of one sentence's tags (IOB2 from the decoder) over its words.
fn spans_of(tags: &[(String, f32)], words: &[Word<'_>]) -> Vec<TaggedSpan> {
    let mut out: Vec<TaggedSpan> = Vec::new();
    let mut open: Option<TaggedSpan> = None;
    for ((tag, confidence), word) in tags.iter().zip(words) {
        let inside = tag.strip_prefix("I-");
        if let (Some(label), Some(span)) = (inside, open.as_mut())
            && span.label == label
        {
            span.end = word.char_end;
            span.confidence = span.confidence.min(*confidence);
            continue;
        }
        out.extend(open.take());
        if let Some(label) = tag.strip_prefix("B-").or(inside) {
            open = Some(TaggedSpan {
                start: word.char_start,
                end: word.char_end,
                label: label.to_owned(),
                confidence: *confidence,
            });
        }
    }
    out.extend(open);
    out
}

/// IOB1 or IOB2 tags as IOB2: an `I-X` that opens a span (after `O` or another label)
/// becomes `B-X`, so every span starts with `B-`.
pub fn to_iob2(tags: &mut [String]) {
    let mut previous: Option<String> = None;
    for tag in tags.iter_mut() {
        if let Some(label) = tag.strip_prefix("I-") {
            let continues = previous
                .as_deref()
                .and_then(|p| p.get(2..))
                .is_some_and(|p| p == label)
                && previous.as_deref().is_some_and(|p| p != "O");
            if !continues {
                *tag = format!("B-{label}");
            }
        }
        previous = Some(tag.clone());
    }
}

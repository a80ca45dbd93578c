//! The entity tagger's model in the archive: trained on the accepted PER/ORG/LOC spans of
//! this handle's coder layer (refining the bundled base model), kept per layer, used by
//! suggestions, reset to the base model.

use std::borrow::Cow;
use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use super::{Archive, ArchiveError, ArchiveReader, Result};
use crate::model::{Annotation, AnnotationStatus, Article};
use crate::store::StoredModel;
use crate::suggest::tagger::{
    FORMAT_VERSION, ModelInfo, TAGGER_LABELS, TaggerModel, TrainingSentence, base_model, hints_for,
    rule_spans,
};
use crate::suggest::text::Tokenized;

/// Every this many articles one is held out of the first training to measure F1.
const HOLD_OUT_EVERY: usize = 10;

/// What training the archive's model did, and what `model info` shows.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TaggerTraining {
    /// The layer it was trained on (`""` without a coder).
    pub coder: String,
    /// Articles with accepted PER/ORG/LOC spans trained on.
    pub articles: u64,
    /// Sentences trained on (those holding an accepted span).
    pub sentences: u64,
    /// Accepted spans trained on.
    pub spans: u64,
    /// Exact-span micro F1 on every tenth article, held out of a first training (none
    /// with fewer than ten articles).
    pub held_out_f1: Option<f64>,
    /// When it was trained (RFC 3339), as stored.
    pub trained_at: Option<String>,
    /// Whether the user stopped it (nothing was stored).
    pub cancelled: bool,
}

/// What `model info` says.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TaggerStatus {
    /// `archive` (trained on this layer) or `base` (the bundled model).
    pub model: &'static str,
    /// The model's format version.
    pub format_version: u16,
    /// The labels it proposes.
    pub labels: Vec<String>,
    /// What the model was trained on (for the archive's: its last training).
    pub trained_on: ModelInfo,
    /// The archive's training, when there is one.
    pub training: Option<TaggerTraining>,
}

impl ArchiveReader {
    /// The model suggestions use: the one trained on this layer, else the bundled one. A
    /// stored model this build cannot read falls back to the bundled one, with a warning.
    pub(super) fn tagger_model(&mut self) -> Result<Option<Cow<'static, TaggerModel>>> {
        if let Some(stored) = self.store.tagger_model(self.layer())? {
            match TaggerModel::from_bytes(&stored.model) {
                Ok(model) => return Ok(Some(Cow::Owned(model))),
                Err(e) => self.warnings.push(format!(
                    "the archive's tagger model cannot be read ({e}); the bundled model suggests"
                )),
            }
        }
        Ok(base_model().map(Cow::Borrowed))
    }

    /// Which model suggests, and what it was trained on.
    pub fn tagger_status(&mut self) -> Result<TaggerStatus> {
        let stored = self.store.tagger_model(self.layer())?;
        let training = stored.as_ref().and_then(|s| {
            let mut t: TaggerTraining = serde_json::from_str(&s.info).ok()?;
            t.trained_at = Some(s.trained_at.clone());
            Some(t)
        });
        let model = self
            .tagger_model()?
            .ok_or_else(|| ArchiveError::Tagger("the bundled tagger model is damaged".into()))?;
        Ok(TaggerStatus {
            model: if training.is_some() {
                "archive"
            } else {
                "base"
            },
            format_version: FORMAT_VERSION,
            labels: model.labels().to_vec(),
            trained_on: model.info().clone(),
            training,
        })
    }

    /// The training sentences of the layer's articles with accepted PER/ORG/LOC spans, per
    /// article.
    fn tagger_sentences(
        &self,
        progress: &mut dyn FnMut(u64, u64) -> bool,
    ) -> Result<Option<Vec<Vec<TrainingSentence>>>> {
        let layer = self.layer().to_owned();
        let ids = self.store.articles_with_accepted(&TAGGER_LABELS, &layer)?;
        let total = u64::try_from(ids.len()).unwrap_or(u64::MAX);
        let mut out = Vec::with_capacity(ids.len());
        let mut stopped = false;
        for slice in ids.chunks(200) {
            self.store
                .for_each_article(Some(slice), |article, annotations| {
                    out.push(article_sentences(&article, &annotations, &layer));
                    true
                })?;
            if !progress(u64::try_from(out.len()).unwrap_or(u64::MAX), total) {
                stopped = true;
                break;
            }
        }
        Ok((!stopped).then_some(out))
    }
}

impl Archive {
    /// Trains the tagger on the accepted PER/ORG/LOC spans of this handle's layer, from the
    /// bundled model, and keeps it in the archive for that layer: first on nine tenths to
    /// measure F1 on the tenth held out, then on everything. `progress(done, total)` returns
    /// `false` to cancel (nothing is stored).
    pub fn train_tagger(
        &mut self,
        progress: &mut dyn FnMut(u64, u64) -> bool,
    ) -> Result<TaggerTraining> {
        let mut training = TaggerTraining {
            coder: self.layer().to_owned(),
            ..TaggerTraining::default()
        };
        let Some(articles) = self.tagger_sentences(&mut |_, _| true)? else {
            training.cancelled = true;
            return Ok(training);
        };
        let all: Vec<TrainingSentence> = articles.iter().flatten().cloned().collect();
        if all.is_empty() {
            return Err(ArchiveError::Tagger(format!(
                "no accepted PER, ORG or LOC span in the layer {:?} to train on",
                training.coder
            )));
        }
        training.articles = u64::try_from(articles.len()).unwrap_or(u64::MAX);
        training.sentences = u64::try_from(all.len()).unwrap_or(u64::MAX);
        training.spans = all
            .iter()
            .flat_map(|s| &s.tags)
            .filter(|t| t.starts_with("B-"))
            .count() as u64;
        let base = base_model();
        let info = ModelInfo {
            source: format!("archive, layer {:?}", training.coder),
            articles: training.articles,
            ..ModelInfo::default()
        };
        let tagger_error =
            |e: crate::suggest::tagger::TaggerError| ArchiveError::Tagger(e.to_string());
        // Each phase reports its own half of the progress.
        let held_out_phase = articles.len() >= HOLD_OUT_EVERY;
        if held_out_phase {
            let (train, test): (Vec<_>, Vec<_>) = articles
                .iter()
                .enumerate()
                .partition(|(i, _)| i % HOLD_OUT_EVERY != HOLD_OUT_EVERY - 1);
            let train: Vec<TrainingSentence> = train
                .into_iter()
                .flat_map(|(_, s)| s.iter().cloned())
                .collect();
            let test: Vec<TrainingSentence> = test
                .into_iter()
                .flat_map(|(_, s)| s.iter().cloned())
                .collect();
            let mut half = |done: u64, total: u64| progress(done, total.saturating_mul(2));
            let Some(model) =
                TaggerModel::train(&train, base, info.clone(), &mut half).map_err(tagger_error)?
            else {
                training.cancelled = true;
                return Ok(training);
            };
            training.held_out_f1 = Some(micro_f1(&model, &test));
        }
        let mut rest = |done: u64, total: u64| {
            let offset = if held_out_phase { total } else { 0 };
            progress(
                offset + done,
                if held_out_phase { 2 * total } else { total },
            )
        };
        let Some(model) = TaggerModel::train(&all, base, info, &mut rest).map_err(tagger_error)?
        else {
            training.cancelled = true;
            return Ok(training);
        };
        let bytes = model.to_bytes().map_err(tagger_error)?;
        let json =
            serde_json::to_string(&training).map_err(|e| ArchiveError::Tagger(e.to_string()))?;
        let layer = training.coder.clone();
        self.reader
            .store
            .save_tagger_model(&layer, i64::from(FORMAT_VERSION), &bytes, &json)?;
        let stored: Option<StoredModel> = self.reader.store.tagger_model(&layer)?;
        training.trained_at = stored.map(|s| s.trained_at);
        Ok(training)
    }

    /// Forgets this layer's trained model: suggestions go back to the bundled one. Whether
    /// there was one.
    pub fn reset_tagger(&mut self) -> Result<bool> {
        let layer = self.layer().to_owned();
        Ok(self.reader.store.delete_tagger_model(&layer)?)
    }
}

/// The sentences of one article that hold an accepted PER/ORG/LOC span of `layer`, tagged
/// IOB2 from those spans, with the rules' hints.
fn article_sentences(
    article: &Article,
    annotations: &[Annotation],
    layer: &str,
) -> Vec<TrainingSentence> {
    let mut gold: Vec<(usize, usize, &str)> = annotations
        .iter()
        .filter(|a| {
            a.coder == layer
                && a.status == AnnotationStatus::Accepted
                && TAGGER_LABELS.contains(&a.label.as_str())
        })
        .map(|a| (a.span.start(), a.span.end(), a.label.as_str()))
        .collect();
    gold.sort_unstable();
    let tokenized = Tokenized::new(&article.text);
    let rules = rule_spans(&article.text, &tokenized.tokens);
    let hints = hints_for(&tokenized.words, &rules);
    let mut out = Vec::new();
    for sentence in &tokenized.sentences {
        let Some(words) = tokenized.words.get(sentence.words.clone()) else {
            continue;
        };
        let mut tags = Vec::with_capacity(words.len());
        let mut opened: HashSet<usize> = HashSet::new();
        let mut any = false;
        for word in words {
            let inside = gold
                .iter()
                .position(|&(start, end, _)| start <= word.char_start && word.char_start < end);
            match inside.and_then(|i| gold.get(i).map(|g| (i, g))) {
                Some((i, &(_, _, label))) => {
                    any = true;
                    let prefix = if opened.insert(i) { "B" } else { "I" };
                    tags.push(format!("{prefix}-{label}"));
                }
                None => tags.push("O".to_owned()),
            }
        }
        if any {
            out.push(TrainingSentence {
                words: words.iter().map(|w| w.text.to_owned()).collect(),
                hints: hints
                    .get(sentence.words.clone())
                    .unwrap_or_default()
                    .to_vec(),
                tags,
            });
        }
    }
    out
}

/// Exact-span micro F1 of `model` on `sentences` (chunks of IOB2 tags).
fn micro_f1(model: &TaggerModel, sentences: &[TrainingSentence]) -> f64 {
    let (mut gold, mut predicted, mut correct) = (0usize, 0usize, 0usize);
    for sentence in sentences {
        let words: Vec<crate::suggest::tagger::TagWord<'_>> = sentence
            .words
            .iter()
            .zip(&sentence.hints)
            .map(|(text, &hint)| crate::suggest::tagger::TagWord { text, hint })
            .collect();
        let tags: Vec<String> = model
            .tag_words(&words)
            .into_iter()
            .map(|(t, _)| t)
            .collect();
        let g = chunks(&sentence.tags);
        let p = chunks(&tags);
        gold += g.len();
        predicted += p.len();
        correct += p.iter().filter(|c| g.contains(c)).count();
    }
    let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    let (precision, recall) = (ratio(correct, predicted), ratio(correct, gold));
    if precision + recall > 0.0 {
        2.0 * precision * recall / (precision + recall)
    } else {
        0.0
    }
}

/// The spans `(start, end, label)` of IOB2 tags.
fn chunks(tags: &[String]) -> Vec<(usize, usize, &str)> {
    let mut out = Vec::new();
    let mut open: Option<(usize, &str)> = None;
    for (i, tag) in tags.iter().enumerate() {
        let continues = tag
            .strip_prefix("I-")
            .is_some_and(|label| open.is_some_and(|(_, l)| l == label));
        if continues {
            continue;
        }
        if let Some((start, label)) = open.take() {
            out.push((start, i, label));
        }
        if let Some(label) = tag.strip_prefix("B-").or_else(|| tag.strip_prefix("I-")) {
            open = Some((i, label));
        }
    }
    if let Some((start, label)) = open {
        out.push((start, tags.len(), label));
    }
    out
}

//! The suggest use case: run the suggester over articles, keep only what nobody decided on
//! yet, store the rest as `suggested`; learn from accepted spans; review in batches.

use std::collections::{HashMap, HashSet};

use super::{ArchiveReader, Result};
use crate::model::{
    Annotation, AnnotationAttrs, AnnotationId, AnnotationStatus, Article, ArticleId, CharSpan,
    Edit, LabelSchema, LinkedAnnotation, NewAnnotation, char_len,
};
use crate::suggest::{
    CONFIRM_ABOVE_ARTICLES, LEARNED_ANNOTATOR, NOT_LEARNED, Proposal, RULES_ANNOTATOR, Vocabulary,
    VocabularyEntry, drop_links, occurrences, propose_with, tagger, unlearnable,
};

/// Articles stored per transaction while suggesting.
const BATCH: usize = 200;

/// What a suggestion run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct SuggestReport {
    /// Articles looked at.
    pub articles: u64,
    /// Suggestions stored from rules and the gazetteer.
    pub suggested: u64,
    /// Suggestions stored from what people accepted elsewhere.
    pub learned: u64,
    /// Proposals left out because someone already decided on that span (accepted, rejected
    /// or already suggested).
    pub already_decided: u64,
    /// Accepted texts not proposed because each occurs in more than
    /// [`CONFIRM_ABOVE_ARTICLES`] articles (`Archive::learn_from` with
    /// [`LearnScope::Everywhere`] proposes one everywhere).
    pub too_common: u64,
    /// Whether the user stopped it; what was stored before stays stored.
    pub cancelled: bool,
}

impl ArchiveReader {
    /// Suggests annotations for the given articles (all when `None`): dates, casualty figures
    /// and entities from the rules, plus the span texts people accepted elsewhere. Never
    /// touches an accepted or rejected annotation and never proposes a span again that
    /// someone rejected. `progress(done, total)` returns `false` to cancel.
    pub(super) fn suggest(
        &mut self,
        ids: Option<&[ArticleId]>,
        progress: &mut dyn FnMut(u64, u64) -> bool,
    ) -> Result<SuggestReport> {
        self.sync_index()?;
        let total = match ids {
            Some(ids) => u64::try_from(ids.len()).unwrap_or(u64::MAX),
            None => self.store.article_count()?,
        };
        let schema = self.store.labels()?;
        let model = self.tagger_model()?;
        let vocabulary = Vocabulary::from_rows(
            self.store
                .accepted_vocabulary(&NOT_LEARNED, self.learning_layer())?,
        );
        // Which articles each learned text occurs in, through the index: one query per text
        // instead of scanning every article for every text.
        let mut learned_in: HashMap<ArticleId, Vec<&VocabularyEntry>> = HashMap::new();
        let mut report = SuggestReport::default();
        for entry in vocabulary.ranked() {
            let ids = self.read_index(|index| index.phrase_ids(&entry.text))?;
            if ids.len() > CONFIRM_ABOVE_ARTICLES {
                report.too_common += 1;
                continue;
            }
            for id in ids {
                learned_in.entry(id).or_default().push(entry);
            }
        }
        // Read a slice of articles, then store its suggestions in one transaction: memory
        // stays bounded and a cancel or crash keeps every finished slice.
        let all_ids = match ids {
            Some(ids) => ids.to_vec(),
            None => self.store.article_ids()?,
        };
        for slice in all_ids.chunks(BATCH) {
            let mut articles = Vec::with_capacity(slice.len());
            self.store_read(slice, &mut articles)?;
            let mut batch = Vec::with_capacity(articles.len());
            for (article, existing) in &articles {
                let learned = learned_in.get(&article.id).map_or(&[][..], Vec::as_slice);
                let (mut list, counts) =
                    plan(article, existing, learned, &schema, model.as_deref());
                self.stamp_all(&mut list);
                report.suggested += counts.0;
                report.learned += counts.1;
                report.already_decided += counts.2;
                report.articles += 1;
                batch.push((article.id, article.text.as_str(), list));
            }
            self.store.insert_linked(&batch)?;
            if !progress(report.articles, total) {
                report.cancelled = true;
                break;
            }
        }
        self.sync_index()?;
        Ok(report)
    }

    /// Proposes the label people gave `text` wherever else it occurs in the archive (found
    /// through the index), when they agree on it. Holds back, storing nothing, when the text
    /// is never learned (a function word, fewer than two letters) or, unless `scope` is
    /// [`LearnScope::Everywhere`] (the user confirmed it), when it occurs in more than
    /// [`CONFIRM_ABOVE_ARTICLES`] articles.
    pub(super) fn learn_from(&mut self, text: &str, scope: LearnScope) -> Result<Learned> {
        let rows = self
            .store
            .accepted_labels_of(text, self.learning_layer())?
            .into_iter()
            .map(|(label, count)| (text.to_owned(), label, count, String::from("{}")))
            .collect::<Vec<_>>();
        if let Some(why) = unlearnable(text) {
            // Worth saying only where the label is one that is learned at all ("2024" as
            // DATE never is, so there is nothing held back).
            let learnable_label = rows
                .iter()
                .any(|(_, label, _, _)| !NOT_LEARNED.contains(&label.as_str()));
            return Ok(if learnable_label {
                Learned::held_back(HeldBack::Unlearnable {
                    text: text.to_owned(),
                    why,
                })
            } else {
                Learned::default()
            });
        }
        let vocabulary = Vocabulary::from_rows(rows);
        let Some(entry) = vocabulary.get(text) else {
            return Ok(Learned::default());
        };
        if NOT_LEARNED.contains(&entry.label.as_str()) {
            return Ok(Learned::default());
        }
        let mut entry = entry.clone();
        if let Some(mut attrs) =
            self.store
                .latest_accepted_attrs(text, &entry.label, self.learning_layer())?
        {
            drop_links(&mut attrs);
            entry.attrs = attrs;
        }
        self.sync_index()?;
        let ids = self.read_index(|index| index.phrase_ids(text))?;
        if scope == LearnScope::Bounded && ids.len() > CONFIRM_ABOVE_ARTICLES {
            return Ok(Learned::held_back(HeldBack::TooCommon {
                text: text.to_owned(),
                label: entry.label,
                articles: u64::try_from(ids.len()).unwrap_or(u64::MAX),
            }));
        }
        let schema = self.store.labels()?;
        let mut stored = Vec::new();
        for slice in ids.chunks(BATCH) {
            let mut articles = Vec::with_capacity(slice.len());
            self.store_read(slice, &mut articles)?;
            let mut batch = Vec::new();
            for (article, existing) in &articles {
                let mut list = learned_only(article, existing, &entry, &schema);
                self.stamp_all(&mut list);
                if !list.is_empty() {
                    batch.push((article.id, article.text.as_str(), list));
                }
            }
            stored.extend(self.store.insert_linked(&batch)?);
        }
        self.sync_index()?;
        let mut created = Vec::with_capacity(stored.len());
        for id in stored {
            created.extend(self.store.annotation(id)?);
        }
        Ok(Learned {
            created,
            held_back: None,
        })
    }

    /// Takes back the unreviewed learned suggestions of `text` that no accepted annotation
    /// backs any more (its accepted spans were removed, rejected or given another label); a
    /// learned suggestion someone reviewed stays, and so do those of the label people still
    /// accept for it. Returns what it deleted, as it was, so that one undo brings it back.
    pub fn unlearn(&mut self, text: &str) -> Result<Vec<Annotation>> {
        let rows = self
            .store
            .accepted_labels_of(text, self.learning_layer())?
            .into_iter()
            .map(|(label, count)| (text.to_owned(), label, count, String::from("{}")));
        let vocabulary = Vocabulary::from_rows(rows);
        let backed = vocabulary.get(text).map(|entry| entry.label.as_str());
        let stale: Vec<AnnotationId> = self
            .store
            .suggestions_of_text(text, LEARNED_ANNOTATOR, self.layer())?
            .into_iter()
            .filter(|a| Some(a.label.as_str()) != backed)
            .map(|a| a.id)
            .collect();
        if stale.is_empty() {
            return Ok(Vec::new());
        }
        Ok(self.store.delete_annotations(&stale)?)
    }

    /// Deletes the learned suggestions in `created` that nobody touched since they were
    /// stored (still suggested, same label, attributes and time stamp); a suggestion someone
    /// accepted, rejected or edited stays. Returns how many were deleted.
    pub fn withdraw_learned(&mut self, created: &[Annotation]) -> Result<u64> {
        let mut withdrawn = 0;
        for annotation in created {
            let current = self.store.annotation(annotation.id)?;
            if current.as_ref() == Some(annotation)
                && annotation.status == AnnotationStatus::Suggested
                && annotation.annotator == LEARNED_ANNOTATOR
            {
                self.store.delete_annotation(annotation.id)?;
                withdrawn += 1;
            }
        }
        Ok(withdrawn)
    }

    /// Accepts or rejects suggestions: these ids, or every suggestion of an article (or of
    /// the archive) with an optional label. Returns the change as one undoable edit.
    pub fn review_suggestions(
        &mut self,
        scope: &ReviewScope,
        status: AnnotationStatus,
    ) -> Result<Edit> {
        let ids = match &scope.ids {
            Some(ids) => {
                for id in ids {
                    if let Some(annotation) = self.store.annotation(*id)? {
                        self.check_own(&annotation)?;
                    }
                }
                ids.clone()
            }
            None => {
                self.store
                    .suggested_ids(scope.article, scope.label.as_deref(), self.layer())?
            }
        };
        let before = self.store.set_statuses(&ids, status)?;
        let mut edits: Vec<Edit> = before
            .into_iter()
            .filter(|b| b.status == AnnotationStatus::Suggested)
            .map(|before| {
                let mut after = before.clone();
                after.status = status;
                Edit::UpdateAnnotation { before, after }
            })
            .collect();
        if status == AnnotationStatus::Accepted {
            // Accepted claims take the suggested dates, places and actors they link to along.
            let accepted: Vec<Annotation> = edits
                .iter()
                .filter_map(|e| match e {
                    Edit::UpdateAnnotation { after, .. } => Some(after.clone()),
                    _ => None,
                })
                .collect();
            let targets = self.suggested_link_targets(&accepted)?;
            edits.extend(self.accept_all(&targets)?);
        }
        Ok(Edit::Batch(edits))
    }

    fn store_read(
        &self,
        ids: &[ArticleId],
        out: &mut Vec<(Article, Vec<Annotation>)>,
    ) -> Result<()> {
        let layer = self.layer();
        self.store
            .for_each_article(Some(ids), |article, mut annotations| {
                annotations.retain(|a| a.coder == layer);
                out.push((article, annotations));
                true
            })?;
        Ok(())
    }
}

/// How far learning one text may go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LearnScope {
    /// Up to [`CONFIRM_ABOVE_ARTICLES`] articles; beyond, hold back and ask.
    Bounded,
    /// Every article that contains the text: the user confirmed it.
    Everywhere,
}

/// What learning one accepted text did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Learned {
    /// The suggestions stored, as stored: undoing the acceptance that taught them takes them
    /// back ([`Archive::withdraw_learned`]).
    pub created: Vec<Annotation>,
    /// Why nothing was stored, when learning held back.
    pub held_back: Option<HeldBack>,
}

impl Learned {
    fn held_back(why: HeldBack) -> Self {
        Self {
            created: Vec::new(),
            held_back: Some(why),
        }
    }
}

/// Why learning a text stored nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeldBack {
    /// Never learned: a function word, or fewer than two letters.
    Unlearnable {
        /// The accepted text.
        text: String,
        /// Why.
        why: &'static str,
    },
    /// In more than [`CONFIRM_ABOVE_ARTICLES`] articles: learned only when the user
    /// confirms ([`LearnScope::Everywhere`]).
    TooCommon {
        /// The accepted text.
        text: String,
        /// The label it would be suggested with.
        label: String,
        /// Articles that contain it.
        articles: u64,
    },
}

impl std::fmt::Display for HeldBack {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Unlearnable { text, why } => {
                write!(f, "{text:?} is not suggested elsewhere: {why}")
            }
            Self::TooCommon {
                text,
                label,
                articles,
            } => write!(
                f,
                "{text:?} occurs in {articles} articles, more than {CONFIRM_ABOVE_ARTICLES}: not \
                 suggested there as {label} until you confirm it"
            ),
        }
    }
}

/// Which suggestions to review.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReviewScope {
    /// Only these annotations (then `article` and `label` are ignored).
    pub ids: Option<Vec<AnnotationId>>,
    /// Only this article's suggestions.
    pub article: Option<ArticleId>,
    /// Only suggestions with this label.
    pub label: Option<String>,
}

/// Counts of one article's plan: (from rules, learned, already decided).
type PlanCounts = (u64, u64, u64);

/// What to store for one article: the rules' proposals and the learned texts that occur in
/// it, minus every span someone already decided on, with links resolved.
fn plan(
    article: &Article,
    existing: &[Annotation],
    learned: &[&VocabularyEntry],
    schema: &LabelSchema,
    model: Option<&tagger::TaggerModel>,
) -> (Vec<LinkedAnnotation>, PlanCounts) {
    let text_len = char_len(&article.text);
    let mut proposals = propose_with(&article.text, article.published, model);
    let rules = proposals.len();
    for entry in learned {
        for (start, end) in occurrences(&article.text, &entry.text) {
            proposals.extend(learned_proposal(entry, start, end));
        }
    }
    // Spans people taught win over the rules' guess for the same span.
    let taught: HashSet<CharSpan> = proposals[rules..].iter().map(|p| p.span).collect();
    let decided = Decided::new(existing);
    let mut kept_index: Vec<Option<usize>> = vec![None; proposals.len()];
    let mut existing_link: Vec<Option<AnnotationId>> = vec![None; proposals.len()];
    let mut list: Vec<LinkedAnnotation> = Vec::new();
    let mut counts = (0, 0, 0);
    let mut seen = HashSet::new();
    for (index, p) in proposals.iter().enumerate() {
        let from_rules = index < rules;
        if p.span.fits(text_len).is_err() || schema.find(&p.label).is_none() {
            continue;
        }
        if from_rules && taught.contains(&p.span) {
            continue;
        }
        if !seen.insert((p.span, p.label.clone())) {
            continue;
        }
        if let Some(id) = decided.blocks(p) {
            counts.2 += 1;
            // A claim can still link to the date or place someone accepted there.
            existing_link[index] = id;
            continue;
        }
        let mut attrs = p.attrs.clone();
        let mut links = Vec::new();
        for (attribute, target) in &p.links {
            if let Some(new_index) = kept_index.get(*target).copied().flatten() {
                links.push((attribute.clone(), new_index));
            } else if let Some(id) = existing_link.get(*target).copied().flatten() {
                attrs.insert(attribute.clone(), serde_json::Value::from(id.0));
            }
        }
        kept_index[index] = Some(list.len());
        list.push(LinkedAnnotation {
            annotation: NewAnnotation {
                requested_id: None,
                label: p.label.clone(),
                span: p.span,
                expected_text: None,
                attrs,
                status: AnnotationStatus::Suggested,
                annotator: if from_rules {
                    RULES_ANNOTATOR
                } else {
                    LEARNED_ANNOTATOR
                }
                .to_owned(),
                coder: String::new(),
            },
            links,
        });
        if from_rules {
            counts.0 += 1;
        } else {
            counts.1 += 1;
        }
    }
    (list, counts)
}

/// The learned suggestions of one text in one article.
fn learned_only(
    article: &Article,
    existing: &[Annotation],
    entry: &VocabularyEntry,
    schema: &LabelSchema,
) -> Vec<LinkedAnnotation> {
    if schema.find(&entry.label).is_none() {
        return Vec::new();
    }
    let decided = Decided::new(existing);
    occurrences(&article.text, &entry.text)
        .into_iter()
        .filter_map(|(start, end)| learned_proposal(entry, start, end))
        .filter(|p| decided.blocks(p).is_none())
        .map(|p| LinkedAnnotation {
            annotation: NewAnnotation {
                requested_id: None,
                label: p.label,
                span: p.span,
                expected_text: None,
                attrs: p.attrs,
                status: AnnotationStatus::Suggested,
                annotator: LEARNED_ANNOTATOR.to_owned(),
                coder: String::new(),
            },
            links: Vec::new(),
        })
        .collect()
}

/// The proposal of a learned text found at `[start, end)`; `None` for an empty occurrence,
/// which `occurrences` never gives.
fn learned_proposal(entry: &VocabularyEntry, start: usize, end: usize) -> Option<Proposal> {
    let span = CharSpan::ordered(start, end).ok()?;
    let mut attrs: AnnotationAttrs = entry.attrs.clone();
    attrs.insert(
        crate::model::attrs::CONFIDENCE.to_owned(),
        serde_json::Value::from((entry.consistency * 100.0).round() / 100.0),
    );
    Some(Proposal {
        label: entry.label.clone(),
        span,
        attrs,
        links: Vec::new(),
    })
}

/// The spans an article's people and earlier runs already decided on.
struct Decided {
    /// `(span, label)` of every annotation, any status, with its id and status.
    labelled: HashMap<(CharSpan, String), (AnnotationId, AnnotationStatus)>,
    /// The spans of accepted annotations: a person said what this span is.
    accepted_spans: HashSet<CharSpan>,
}

impl Decided {
    fn new(existing: &[Annotation]) -> Self {
        Self {
            labelled: existing
                .iter()
                .map(|a| ((a.span, a.label.clone()), (a.id, a.status)))
                .collect(),
            accepted_spans: existing
                .iter()
                .filter(|a| a.status == AnnotationStatus::Accepted)
                .map(|a| a.span)
                .collect(),
        }
    }

    /// `Some(existing id or None)` when the proposal must not be stored: the same span and
    /// label exists in any status (with its id, so links can point at it, unless it was
    /// rejected), or a person accepted the span with another label.
    fn blocks(&self, p: &Proposal) -> Option<Option<AnnotationId>> {
        if let Some(&(id, status)) = self.labelled.get(&(p.span, p.label.clone())) {
            return Some((status != AnnotationStatus::Rejected).then_some(id));
        }
        self.accepted_spans.contains(&p.span).then_some(None)
    }
}

//! The annotate use case as a person does it: labelling a span that already carries a
//! suggestion reviews that suggestion instead of adding a second annotation, and accepting a
//! claim accepts the suggested dates, places and actors it links to.

use super::{ArchiveError, ArchiveReader, Result, check_annotation};
use crate::model::{
    Annotation, AnnotationAttrs, AnnotationId, AnnotationStatus, Edit, NewAnnotation, attrs,
};

/// The edge a person annotates through, for the name stored when nobody says who
/// annotates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnnotatingEdge {
    /// The desktop app.
    Desktop,
    /// The command line (`annalist annotate add` without `--annotator`).
    Cli,
}

/// Who made an annotation by hand when nobody said: the desktop app takes
/// `ANNALIST_ANNOTATOR`, then `USER`, then "annalist"; the CLI takes `USER`, then
/// "annalist-cli". Each edge keeps the name it has always stored, decided here only.
pub fn default_annotator(edge: AnnotatingEdge) -> String {
    let (from_environment, fallback) = match edge {
        AnnotatingEdge::Desktop => (
            std::env::var("ANNALIST_ANNOTATOR").or_else(|_| std::env::var("USER")),
            "annalist",
        ),
        AnnotatingEdge::Cli => (std::env::var("USER"), "annalist-cli"),
    };
    from_environment.unwrap_or_else(|_| fallback.to_owned())
}

/// Paragraphs longer than this are not read for prefilled values (the suggester's work
/// grows with the text; a person's keystroke must not wait for it).
const PREFILL_MAX_CHARS: usize = 20_000;

/// What the suggester would say of a span labelled by hand: its values (a casualty figure's
/// count, outcome, victims and claimant; a date's value and precision; a place's country)
/// and links to the dates, places and actors of its sentence that are already annotated.
/// Read from the span's paragraph only, so it stays quick in long articles. Empty when the
/// suggester proposes nothing with that label on exactly that span.
fn prefilled_attrs(
    article: &crate::model::Article,
    annotation: &NewAnnotation,
    existing: &[Annotation],
) -> AnnotationAttrs {
    let chars: Vec<char> = article.text.chars().collect();
    let (start, end) = (
        annotation.span.start(),
        annotation.span.end().min(chars.len()),
    );
    let mut from = start.min(chars.len());
    while from > 0 && chars.get(from - 1).is_some_and(|&c| c != '\n') {
        from -= 1;
        if start - from > PREFILL_MAX_CHARS {
            return AnnotationAttrs::new();
        }
    }
    let mut to = end;
    while chars.get(to).is_some_and(|&c| c != '\n') {
        to += 1;
        if to - end > PREFILL_MAX_CHARS {
            return AnnotationAttrs::new();
        }
    }
    let paragraph: String = chars.get(from..to).unwrap_or_default().iter().collect();
    let proposals = crate::suggest::propose(&paragraph, article.published);
    let Some(found) = proposals.iter().find(|p| {
        p.label == annotation.label && p.span.start() + from == start && p.span.end() + from == end
    }) else {
        return AnnotationAttrs::new();
    };
    let mut attrs = found.attrs.clone();
    for (key, index) in &found.links {
        let Some(target) = proposals.get(*index) else {
            continue;
        };
        let same = existing.iter().find(|a| {
            a.status != AnnotationStatus::Rejected
                && a.label == target.label
                && a.span.start() == target.span.start() + from
                && a.span.end() == target.span.end() + from
        });
        if let Some(same) = same {
            attrs.insert(key.clone(), serde_json::Value::from(same.id.0));
        }
    }
    attrs
}

impl ArchiveReader {
    /// Fills in what the suggester would say of a span a person labels by hand, when it
    /// has no attributes yet (see `prefilled_attrs`). The app does this; the CLI stores what
    /// it is given.
    pub fn prefill(
        &self,
        article_id: crate::model::ArticleId,
        annotation: &mut NewAnnotation,
    ) -> Result<()> {
        if annotation.attrs.is_empty() {
            let article = self.article(article_id)?;
            let existing = self.own_layer(self.store.annotations(article_id)?);
            annotation.attrs = prefilled_attrs(&article, annotation, &existing);
        }
        Ok(())
    }

    /// Labels `[start, end)` of an article as a person: when a suggestion covers exactly that
    /// span, it is reviewed instead of duplicated (the same label accepts it with its
    /// attributes, `annotation.attrs` added on top; another label replaces it, and the old
    /// label's attributes go). Otherwise the annotation is added. Returns the annotation as
    /// stored and the change as one undoable edit.
    pub fn annotate(
        &mut self,
        article_id: crate::model::ArticleId,
        mut annotation: NewAnnotation,
    ) -> Result<(Annotation, Edit)> {
        self.stamp(&mut annotation);
        let article = self.article(article_id)?;
        let schema = self.store.labels()?;
        check_annotation(&annotation, &article.text, &schema)
            .map_err(ArchiveError::InvalidAnnotation)?;
        let suggestions: Vec<Annotation> = self
            .own_layer(self.store.annotations(article_id)?)
            .into_iter()
            .filter(|a| a.status == AnnotationStatus::Suggested && a.span == annotation.span)
            .collect();
        let reviewed = suggestions
            .iter()
            .find(|a| a.label == annotation.label)
            .or_else(|| suggestions.first());
        if let Some(suggestion) = reviewed {
            let attrs = if suggestion.label == annotation.label {
                let mut attrs = suggestion.attrs.clone();
                attrs.extend(annotation.attrs);
                attrs
            } else {
                annotation.attrs
            };
            let id = suggestion.id;
            let edit = self.update_annotation(id, &annotation.label, attrs, annotation.status)?;
            let stored = self
                .store
                .annotation(id)?
                .ok_or(ArchiveError::NoSuchAnnotation(id))?;
            return Ok((stored, edit));
        }
        let stored = self
            .store
            .insert_annotation(article_id, &annotation, &article.text)?;
        let added = Edit::AddAnnotation(stored.clone());
        let edit = self.with_linked_accepted(added, &stored)?;
        Ok((stored, edit))
    }

    /// Changes an annotation's label, attributes or status, returning the edit. Accepting a
    /// claim also accepts the suggestions it links to, in the same edit.
    pub fn update_annotation(
        &mut self,
        id: AnnotationId,
        label: &str,
        attrs: AnnotationAttrs,
        status: AnnotationStatus,
    ) -> Result<Edit> {
        let before = self
            .store
            .annotation(id)?
            .ok_or(ArchiveError::NoSuchAnnotation(id))?;
        self.check_own(&before)?;
        let schema = self.store.labels()?;
        if schema.find(label).is_none() {
            return Err(ArchiveError::InvalidAnnotation(format!(
                "label '{label}' is not in the schema (labels: {})",
                schema.names()
            )));
        }
        let after = self
            .store
            .update_annotation(id, label, &attrs, status)?
            .ok_or(ArchiveError::NoSuchAnnotation(id))?;
        if after.coder == crate::model::ADJUDICATED {
            self.store.mark_adjudication_edited(id)?;
        }
        let unaccepted = before.status == AnnotationStatus::Accepted
            && (after.status != AnnotationStatus::Accepted || after.label != before.label);
        let text = before.text.clone();
        let edit = Edit::UpdateAnnotation {
            before,
            after: after.clone(),
        };
        let edit = self.with_linked_accepted(edit, &after)?;
        if !unaccepted {
            return Ok(edit);
        }
        // What this span taught under its old label goes, unless other spans back it.
        let withdrawn = self.unlearn(&text)?;
        if withdrawn.is_empty() {
            return Ok(edit);
        }
        let mut edits = match edit {
            Edit::Batch(edits) => edits,
            edit => vec![edit],
        };
        edits.extend(withdrawn.into_iter().map(Edit::RemoveAnnotation));
        Ok(Edit::Batch(edits))
    }

    /// Accepts the suggestions an accepted claim links to and folds those changes into
    /// `edit`, so one undo takes both back.
    ///
    /// Why accept rather than export a suggested link target as it is: a researcher who
    /// accepts "nine people … on Thursday in Saravan" vouches for the claim with its date and
    /// place; the events table must then carry that date and place. Exporting unreviewed
    /// suggestions silently would mix reviewed and unreviewed values in one row, while
    /// accepting them here keeps every exported value reviewed, visible in the reader as
    /// accepted, and undoable together with the claim.
    pub(super) fn with_linked_accepted(&mut self, edit: Edit, claim: &Annotation) -> Result<Edit> {
        if claim.status != AnnotationStatus::Accepted {
            return Ok(edit);
        }
        let targets = self.suggested_link_targets(std::slice::from_ref(claim))?;
        if targets.is_empty() {
            return Ok(edit);
        }
        let mut edits = vec![edit];
        edits.extend(self.accept_all(&targets)?);
        Ok(Edit::Batch(edits))
    }

    /// The suggestions of the same article that these annotations' link attributes point
    /// at, each once, in id order.
    pub(super) fn suggested_link_targets(
        &self,
        claims: &[Annotation],
    ) -> Result<Vec<AnnotationId>> {
        let mut targets = Vec::new();
        for claim in claims {
            for key in attrs::CLAIM_LINKS {
                let Some(id) = claim.attrs.get(key).and_then(serde_json::Value::as_i64) else {
                    continue;
                };
                let Some(target) = self.store.annotation(AnnotationId(id))? else {
                    continue;
                };
                if target.article_id == claim.article_id
                    && target.coder == claim.coder
                    && target.status == AnnotationStatus::Suggested
                {
                    targets.push(target.id);
                }
            }
        }
        targets.sort_unstable();
        targets.dedup();
        Ok(targets)
    }

    /// Marks these annotations accepted; returns one edit per annotation that changed.
    pub(super) fn accept_all(&mut self, ids: &[AnnotationId]) -> Result<Vec<Edit>> {
        let before = self.store.set_statuses(ids, AnnotationStatus::Accepted)?;
        Ok(before
            .into_iter()
            .filter(|b| b.status != AnnotationStatus::Accepted)
            .map(|before| {
                let mut after = before.clone();
                after.status = AnnotationStatus::Accepted;
                Edit::UpdateAnnotation { before, after }
            })
            .collect())
    }
}

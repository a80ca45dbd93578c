//! Annotating in the reader: labelling a span (by button or label key), changing, deleting,
//! accepting and rejecting annotations, and saving the article's metadata.

use crate::model::{AnnotationAttrs, AnnotationId, AnnotationStatus, ArticleMeta, CharSpan, Edit};
use crate::service::{AnnotatingEdge, ArchiveError, ReviewScope, manual_annotation};

use super::AnnalistApp;

impl AnnalistApp {
    /// `Command::Annotate`: labels `[start, end)` of the open article and selects it.
    pub(super) fn annotate(&mut self, label: &str, start: usize, end: usize) {
        let Some(article_id) = self.state.reader.as_ref().map(|r| r.article.id) else {
            return;
        };
        let span = CharSpan::ordered(start, end)
            .map_err(|e| ArchiveError::InvalidAnnotation(e.to_string()));
        let Some(span) = self.report(span) else {
            return;
        };
        let mut annotation = manual_annotation(
            label,
            span,
            AnnotationAttrs::default(),
            &self.archive.hand_annotator(AnnotatingEdge::Desktop),
        );
        // By hand, a span gets the values the suggester would give it (a figure's
        // count, outcome and claimant; a date's value), to be checked, not typed.
        if let Err(e) = self.archive.prefill(article_id, &mut annotation) {
            self.state.status = Some(Err(format!("{e:#}")));
        }
        // Over a suggestion of the same span this reviews it instead of adding a twin.
        let result = self.archive.annotate(article_id, annotation);
        if let Some((stored, edit)) = self.report(result) {
            let id = stored.id;
            self.edited(edit);
            if let Some(reader) = &mut self.state.reader {
                reader.selected = Some(id);
                reader.selection = None;
            }
        }
    }

    /// `Command::AnnotateSelectionWithShortcut`: the label bound to `key` on the selection.
    pub(super) fn annotate_selection_with_shortcut(&mut self, key: char) {
        let Some(label) = self
            .state
            .labels
            .labels
            .iter()
            .find(|l| l.shortcut == Some(key))
        else {
            return;
        };
        let Some(reader) = &self.state.reader else {
            return;
        };
        let Some((start, end)) = reader.selection else {
            self.state.status = Some(Err(
                "select some text first, then press a label key".to_owned()
            ));
            return;
        };
        let label = label.name.clone();
        self.annotate(&label, start, end);
    }

    /// `Command::UpdateAnnotation`.
    pub(super) fn update_annotation(
        &mut self,
        id: AnnotationId,
        label: &str,
        attrs: AnnotationAttrs,
        status: AnnotationStatus,
    ) {
        let result = self.archive.update_annotation(id, label, attrs, status);
        if let Some(edit) = self.report(result) {
            self.edited(edit);
        }
    }

    /// `Command::DeleteAnnotation`.
    pub(super) fn delete_annotation(&mut self, id: AnnotationId) {
        let result = self.archive.remove_annotation(id);
        if let Some(removal) = self.report(result) {
            self.edited(removal.edit());
        }
    }

    /// `Command::DeleteSelected`.
    pub(super) fn delete_selected(&mut self) {
        if let Some(annotation) = self.selected_annotation() {
            let id = annotation.id;
            self.delete_annotation(id);
        }
    }

    /// `Command::AcceptSelected` and `Command::RejectSelected`: only a suggestion is
    /// reviewed. A rejection is kept (hidden), so suggesting again does not bring it back.
    pub(super) fn review_selected(&mut self, status: AnnotationStatus) {
        let Some(annotation) = self.selected_annotation() else {
            return;
        };
        if annotation.status != AnnotationStatus::Suggested {
            return;
        }
        let (id, label, attrs) = (
            annotation.id,
            annotation.label.clone(),
            annotation.attrs.clone(),
        );
        self.update_annotation(id, &label, attrs, status);
    }

    /// `Command::ReviewLabel`: every suggestion of `label` in the open article.
    pub(super) fn review_label(&mut self, label: String, accept: bool) {
        let Some(reader) = &self.state.reader else {
            return;
        };
        let scope = ReviewScope {
            ids: None,
            article: Some(reader.article.id),
            label: Some(label),
        };
        let status = if accept {
            AnnotationStatus::Accepted
        } else {
            AnnotationStatus::Rejected
        };
        let result = self.archive.review_suggestions(&scope, status);
        match self.report(result) {
            Some(Edit::Batch(edits)) if edits.is_empty() => {
                self.state.status = Some(Ok("no suggestions of that label".to_owned()));
            }
            Some(edit) => self.edited(edit),
            None => {}
        }
    }

    /// `Command::UpdateArticle`.
    pub(super) fn update_article(&mut self, meta: ArticleMeta) {
        let result = self.archive.update_article(meta);
        if let Some(edit) = self.report(result) {
            self.edited(edit);
        }
    }
}

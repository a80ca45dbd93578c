//! Annotations and article metadata edited by hand: adding and removing annotations,
//! applying a reversible `Edit`, and checking an annotation against its text and the schema.

use super::labelling::no_such_label;
use super::{ArchiveError, ArchiveReader, Result};
use crate::model::{
    Annotation, AnnotationAttrs, AnnotationId, AnnotationStatus, ArticleId, ArticleMeta, CharSpan,
    Edit, LabelSchema, NewAnnotation, slice_chars, validate_label_name,
};

impl ArchiveReader {
    /// Annotations of an article that this handle shows (see [`Self::shows`]).
    pub fn annotations(&self, article_id: ArticleId) -> Result<Vec<Annotation>> {
        self.article(article_id)?;
        Ok(self.visible(self.store.annotations(article_id)?))
    }

    /// Every annotation of an article, in every coder's layer (agreement, adjudication).
    pub fn annotations_of_every_layer(&self, article_id: ArticleId) -> Result<Vec<Annotation>> {
        self.article(article_id)?;
        Ok(self.store.annotations(article_id)?)
    }

    /// Validates and stores an annotation. It is durable in SQLite when this returns; the
    /// index follows at the next [`Self::sync_index`].
    pub fn add_annotation(
        &mut self,
        article_id: ArticleId,
        mut annotation: NewAnnotation,
    ) -> Result<Annotation> {
        self.stamp(&mut annotation);
        let article = self.article(article_id)?;
        let schema = self.store.labels()?;
        check_annotation(&annotation, &article.text, &schema)
            .map_err(ArchiveError::InvalidAnnotation)?;
        Ok(self
            .store
            .insert_annotation(article_id, &annotation, &article.text)?)
    }

    /// Changes an article's metadata, returning the edit.
    pub fn update_article(&mut self, after: ArticleMeta) -> Result<Edit> {
        let article = self.article(after.id)?;
        let before = ArticleMeta {
            id: article.id,
            title: article.title,
            published: article.published,
            url: article.url,
            source: article.source,
        };
        if after.title.trim().is_empty() {
            return Err(ArchiveError::InvalidArticle(
                "the title cannot be empty".to_owned(),
            ));
        }
        self.store.update_article_meta(&after)?;
        Ok(Edit::UpdateArticle { before, after })
    }

    /// Applies an edit (to redo it, or its inverse to undo). Durable when it returns.
    pub fn apply_edit(&mut self, edit: &Edit) -> Result<()> {
        match edit {
            Edit::AddAnnotation(annotation) => self.store.restore_annotation(annotation)?,
            Edit::RemoveAnnotation(annotation) => {
                self.store
                    .delete_annotation(annotation.id)?
                    .ok_or(ArchiveError::NoSuchAnnotation(annotation.id))?;
            }
            Edit::UpdateAnnotation { after, .. } => {
                self.store
                    .update_annotation(after.id, &after.label, &after.attrs, after.status)?
                    .ok_or(ArchiveError::NoSuchAnnotation(after.id))?;
            }
            Edit::UpdateArticle { after, .. } => {
                if !self.store.update_article_meta(after)? {
                    return Err(ArchiveError::NoSuchArticle(after.id));
                }
            }
            Edit::Batch(edits) => {
                for edit in edits {
                    self.apply_edit(edit)?;
                }
            }
            Edit::RenameLabel { from, to } => {
                self.store
                    .rename_label(from, to)?
                    .ok_or_else(|| no_such_label(from))?;
            }
            Edit::UpdateLabel { after, .. } => {
                if !self.store.update_label(after)? {
                    return Err(no_such_label(&after.name));
                }
            }
            Edit::RemoveLabel(removed) => {
                self.store
                    .remove_label(&removed.label.name)?
                    .ok_or_else(|| no_such_label(&removed.label.name))?;
            }
            Edit::RestoreLabel(removed) => self.store.restore_label(removed)?,
        }
        Ok(())
    }

    /// Deletes an annotation. When it was an accepted span, the unreviewed suggestions it
    /// taught elsewhere go too, unless other accepted spans still back them
    /// ([`Self::unlearn`]).
    pub fn remove_annotation(&mut self, id: AnnotationId) -> Result<Removal> {
        if let Some(annotation) = self.store.annotation(id)? {
            self.check_own(&annotation)?;
        }
        let annotation = self
            .store
            .delete_annotation(id)?
            .ok_or(ArchiveError::NoSuchAnnotation(id))?;
        let withdrawn = if annotation.status == AnnotationStatus::Accepted {
            self.unlearn(&annotation.text)?
        } else {
            Vec::new()
        };
        Ok(Removal {
            annotation,
            withdrawn,
        })
    }
}

/// What removing an annotation did.
#[derive(Debug, Clone, PartialEq)]
pub struct Removal {
    /// The annotation, as it was.
    pub annotation: Annotation,
    /// The learned suggestions that went with it, as they were.
    pub withdrawn: Vec<Annotation>,
}

impl Removal {
    /// The change as one undoable edit, the annotation first.
    pub fn edit(&self) -> Edit {
        let removed = Edit::RemoveAnnotation(self.annotation.clone());
        if self.withdrawn.is_empty() {
            return removed;
        }
        let mut edits = vec![removed];
        edits.extend(self.withdrawn.iter().cloned().map(Edit::RemoveAnnotation));
        Edit::Batch(edits)
    }
}

/// Checks an annotation against the article text and the label schema.
pub(crate) fn check_annotation(
    annotation: &NewAnnotation,
    text: &str,
    schema: &LabelSchema,
) -> Result<(), String> {
    check_annotation_in(annotation, &crate::model::CharOffsets::new(text), schema)
}

/// [`check_annotation`] against a text indexed once for all of its annotations.
pub(crate) fn check_annotation_in(
    annotation: &NewAnnotation,
    text: &crate::model::CharOffsets<'_>,
    schema: &LabelSchema,
) -> Result<(), String> {
    if schema.find(&annotation.label).is_none() {
        // Only a valid name can be added: the advice must be one that works.
        validate_label_name(&annotation.label)?;
        return Err(format!(
            "label '{}' is not in the schema (labels: {}); add it with `annalist labels add`",
            annotation.label,
            schema.names()
        ));
    }
    let span = annotation.span;
    span.fits(text.len()).map_err(|e| e.to_string())?;
    if let Some(expected) = &annotation.expected_text {
        let actual = text.slice(span.start(), span.end());
        if actual != expected {
            return Err(format!(
                "span {span} of label {} reads {actual:?} in the text, not {expected:?}",
                annotation.label
            ));
        }
    }
    Ok(())
}

/// An accepted annotation made by a person, for scripts and the CLI.
pub fn manual_annotation(
    label: &str,
    span: CharSpan,
    attrs: AnnotationAttrs,
    annotator: &str,
) -> NewAnnotation {
    NewAnnotation {
        requested_id: None,
        label: label.to_owned(),
        span,
        expected_text: None,
        attrs,
        status: AnnotationStatus::Accepted,
        annotator: annotator.to_owned(),
        coder: String::new(),
    }
}

/// The text an annotation would cover, for messages.
pub fn span_text(text: &str, start: usize, end: usize) -> &str {
    slice_chars(text, start, end)
}

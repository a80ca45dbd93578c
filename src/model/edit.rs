//! Reversible changes: every user edit is one `Edit`, and undo applies its inverse.

use super::{Annotation, ArticleId, LabelDef, PartialDate, RemovedLabel};

/// The editable metadata of an article (its text never changes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleMeta {
    /// Article.
    pub id: ArticleId,
    /// Headline.
    pub title: String,
    /// Publication date.
    pub published: Option<PartialDate>,
    /// Online address.
    pub url: Option<String>,
    /// Outlet.
    pub source: Option<String>,
}

/// One change to the archive, with what is needed to take it back.
#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    /// An annotation was added (as stored, with its id).
    AddAnnotation(Annotation),
    /// An annotation was removed (as it was).
    RemoveAnnotation(Annotation),
    /// An annotation's label, attributes or status changed.
    UpdateAnnotation {
        /// As it was.
        before: Annotation,
        /// As it is.
        after: Annotation,
    },
    /// An article's metadata changed.
    UpdateArticle {
        /// As it was.
        before: ArticleMeta,
        /// As it is.
        after: ArticleMeta,
    },
    /// Several edits of one article made as one step ("accept all LOC"), undone together.
    Batch(Vec<Edit>),
    /// A label was renamed, and every annotation that carried it relabelled.
    RenameLabel {
        /// The old name.
        from: String,
        /// The new name.
        to: String,
    },
    /// A label's colour, key or description changed.
    UpdateLabel {
        /// As it was.
        before: LabelDef,
        /// As it is.
        after: LabelDef,
    },
    /// A label was removed from the schema with its annotations.
    RemoveLabel(RemovedLabel),
    /// A removed label was put back with its annotations (undoing a removal).
    RestoreLabel(RemovedLabel),
}

impl Edit {
    /// The edit that undoes this one.
    #[must_use]
    pub fn inverse(&self) -> Self {
        match self {
            Self::AddAnnotation(a) => Self::RemoveAnnotation(a.clone()),
            Self::RemoveAnnotation(a) => Self::AddAnnotation(a.clone()),
            Self::UpdateAnnotation { before, after } => Self::UpdateAnnotation {
                before: after.clone(),
                after: before.clone(),
            },
            Self::UpdateArticle { before, after } => Self::UpdateArticle {
                before: after.clone(),
                after: before.clone(),
            },
            Self::Batch(edits) => Self::Batch(edits.iter().rev().map(Self::inverse).collect()),
            Self::RenameLabel { from, to } => Self::RenameLabel {
                from: to.clone(),
                to: from.clone(),
            },
            Self::UpdateLabel { before, after } => Self::UpdateLabel {
                before: after.clone(),
                after: before.clone(),
            },
            Self::RemoveLabel(removed) => Self::RestoreLabel(removed.clone()),
            Self::RestoreLabel(removed) => Self::RemoveLabel(removed.clone()),
        }
    }

    /// Whether the edit changes the label schema (every view's labels are then reloaded).
    pub fn changes_labels(&self) -> bool {
        match self {
            Self::RenameLabel { .. }
            | Self::UpdateLabel { .. }
            | Self::RemoveLabel(_)
            | Self::RestoreLabel(_) => true,
            Self::Batch(edits) => edits.iter().any(Self::changes_labels),
            _ => false,
        }
    }

    /// The article the edit touches; `ArticleId(0)` (no article) for edits of the label
    /// schema, which touch every article with the label.
    pub fn article_id(&self) -> ArticleId {
        match self {
            Self::AddAnnotation(a) | Self::RemoveAnnotation(a) => a.article_id,
            Self::UpdateAnnotation { after, .. } => after.article_id,
            Self::UpdateArticle { after, .. } => after.id,
            Self::Batch(edits) => edits.first().map_or(ArticleId(0), Self::article_id),
            Self::RenameLabel { .. }
            | Self::UpdateLabel { .. }
            | Self::RemoveLabel(_)
            | Self::RestoreLabel(_) => ArticleId(0),
        }
    }

    /// A short description for the Edit menu ("Undo add CASUALTY").
    pub fn describe(&self) -> String {
        match self {
            Self::AddAnnotation(a) => format!("add {} \u{201c}{}\u{201d}", a.label, short(&a.text)),
            Self::RemoveAnnotation(a) => {
                format!("delete {} \u{201c}{}\u{201d}", a.label, short(&a.text))
            }
            Self::UpdateAnnotation { after, .. } => {
                format!(
                    "edit {} \u{201c}{}\u{201d}",
                    after.label,
                    short(&after.text)
                )
            }
            Self::UpdateArticle { .. } => "edit article details".to_owned(),
            Self::Batch(edits) => match edits.as_slice() {
                [one] => one.describe(),
                _ => format!("{} changes", edits.len()),
            },
            Self::RenameLabel { from, to } => format!("rename label {from} to {to}"),
            Self::UpdateLabel { after, .. } => format!("change label {}", after.name),
            Self::RemoveLabel(removed) => format!(
                "remove label {} with {}",
                removed.label.name,
                super::plural(removed.annotations.len(), "annotation", "annotations")
            ),
            Self::RestoreLabel(removed) => format!("restore label {}", removed.label.name),
        }
    }
}

fn short(text: &str) -> String {
    let mut out: String = text.chars().take(24).collect();
    if text.chars().count() > 24 {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_edits_undo_into_their_opposite() {
        let rename = Edit::RenameLabel {
            from: "LOC".to_owned(),
            to: "PLACE".to_owned(),
        };
        assert_eq!(
            rename.inverse(),
            Edit::RenameLabel {
                from: "PLACE".to_owned(),
                to: "LOC".to_owned(),
            }
        );
        assert!(rename.changes_labels());
        assert_eq!(rename.article_id(), ArticleId(0));
        assert_eq!(rename.describe(), "rename label LOC to PLACE");
    }
}

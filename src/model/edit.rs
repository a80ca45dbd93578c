//! Reversible changes: every user edit is one `Edit`, and undo applies its inverse.

use super::{Annotation, ArticleId, PartialDate};

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
        }
    }

    /// The article the edit touches.
    pub fn article_id(&self) -> ArticleId {
        match self {
            Self::AddAnnotation(a) | Self::RemoveAnnotation(a) => a.article_id,
            Self::UpdateAnnotation { after, .. } => after.article_id,
            Self::UpdateArticle { after, .. } => after.id,
            Self::Batch(edits) => edits.first().map_or(ArticleId(0), Self::article_id),
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

//! Reversible changes: every user edit is one `Edit`, and undo applies its inverse.

use super::{Annotation, AnnotationStatus, ArticleId, LabelDef, PartialDate, RemovedLabel};

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
#[expect(
    clippy::large_enum_variant,
    reason = "one edit per user action, kept in the undo history: its size never matters, and boxing would blur every match on it"
)]
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
            Self::AddAnnotation(a) => {
                format!("labelled {} \u{201c}{}\u{201d}", a.label, short(&a.text))
            }
            Self::RemoveAnnotation(a) => {
                format!("removed {} \u{201c}{}\u{201d}", a.label, short(&a.text))
            }
            Self::UpdateAnnotation { before, after } => {
                let verb = match (before.status, after.status) {
                    (AnnotationStatus::Suggested, AnnotationStatus::Rejected) => {
                        "rejected suggestion"
                    }
                    (AnnotationStatus::Suggested, AnnotationStatus::Accepted) => "accepted",
                    _ if before.label != after.label => "relabelled",
                    _ => "edited",
                };
                format!(
                    "{verb} {} \u{201c}{}\u{201d}",
                    after.label,
                    short(&after.text)
                )
            }
            Self::UpdateArticle { .. } => "edit article details".to_owned(),
            Self::Batch(edits) => match edits.as_slice() {
                [one] => one.describe(),
                [first, taught @ ..] if taught.iter().all(Self::is_removed_suggestion) => {
                    format!(
                        "{} and the {} it taught",
                        first.describe(),
                        super::plural(taught.len(), "suggestion", "suggestions")
                    )
                }
                _ => batch_description(edits),
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

impl Edit {
    /// The texts this edit made accepted (a new accepted span, an accepted suggestion, a
    /// relabelled accepted span), sorted and without repeats: what learning suggests
    /// wherever else it occurs. The one rule both the app and the CLI follow.
    pub fn accepted_texts(&self) -> Vec<String> {
        let mut texts: Vec<String> = self
            .accepted()
            .into_iter()
            .map(|a| a.text.clone())
            .collect();
        texts.sort();
        texts.dedup();
        texts
    }

    /// The annotations this edit made accepted, as they are after it (the spans of
    /// [`Edit::accepted_texts`], with their labels).
    pub fn accepted(&self) -> Vec<&Annotation> {
        let mut out = Vec::new();
        self.collect_accepted(&mut out);
        out
    }

    fn collect_accepted<'a>(&'a self, out: &mut Vec<&'a Annotation>) {
        match self {
            Self::AddAnnotation(a) if a.status == AnnotationStatus::Accepted => out.push(a),
            Self::UpdateAnnotation { before, after }
                if after.status == AnnotationStatus::Accepted
                    && (before.status != AnnotationStatus::Accepted
                        || before.label != after.label) =>
            {
                out.push(after);
            }
            Self::Batch(edits) => {
                for edit in edits {
                    edit.collect_accepted(out);
                }
            }
            _ => {}
        }
    }

    /// A learned suggestion taken back with the span that taught it.
    fn is_removed_suggestion(&self) -> bool {
        matches!(self, Self::RemoveAnnotation(a) if a.status == AnnotationStatus::Suggested)
    }
}

/// "accepted 3 LOC", "rejected 2 suggestions", "5 changes": one step of many edits.
fn batch_description(edits: &[Edit]) -> String {
    let statuses: Vec<(AnnotationStatus, &str)> = edits
        .iter()
        .filter_map(|e| match e {
            Edit::UpdateAnnotation { before, after }
                if before.status == AnnotationStatus::Suggested =>
            {
                Some((after.status, after.label.as_str()))
            }
            _ => None,
        })
        .collect();
    let all_one_status = statuses.len() == edits.len()
        && statuses
            .windows(2)
            .all(|w| w.first().map(|x| x.0) == w.get(1).map(|x| x.0));
    let label = statuses
        .first()
        .map(|s| s.1)
        .filter(|first| statuses.iter().all(|(_, label)| label == first));
    match (all_one_status, statuses.first().map(|s| s.0), label) {
        (true, Some(AnnotationStatus::Accepted), Some(label)) => {
            format!("accepted {} {label}", edits.len())
        }
        (true, Some(AnnotationStatus::Rejected), Some(label)) => {
            format!("rejected {} {label} suggestions", edits.len())
        }
        _ => super::plural(edits.len(), "change", "changes"),
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
    use crate::model::AnnotationId;

    fn casualty(status: AnnotationStatus) -> Annotation {
        Annotation {
            id: AnnotationId(7),
            uid: String::new(),
            article_id: ArticleId(1),
            label: "CASUALTY".to_owned(),
            span: crate::model::CharSpan::ordered(10, 21).unwrap(),
            text: "nine people".to_owned(),
            attrs: crate::model::AnnotationAttrs::default(),
            status,
            annotator: "tester".to_owned(),
            coder: String::new(),
            created_at: String::new(),
            updated_at: String::new(),
        }
    }

    #[test]
    fn edits_describe_what_the_user_did() {
        let suggested = casualty(AnnotationStatus::Suggested);
        let rejected = casualty(AnnotationStatus::Rejected);
        let accepted = casualty(AnnotationStatus::Accepted);
        let update = |before: &Annotation, after: &Annotation| Edit::UpdateAnnotation {
            before: before.clone(),
            after: after.clone(),
        };
        assert_eq!(
            update(&suggested, &rejected).describe(),
            "rejected suggestion CASUALTY \u{201c}nine people\u{201d}"
        );
        assert_eq!(
            update(&suggested, &accepted).describe(),
            "accepted CASUALTY \u{201c}nine people\u{201d}"
        );
        assert_eq!(
            Edit::AddAnnotation(accepted.clone()).describe(),
            "labelled CASUALTY \u{201c}nine people\u{201d}"
        );
        assert_eq!(
            Edit::RemoveAnnotation(accepted.clone()).describe(),
            "removed CASUALTY \u{201c}nine people\u{201d}"
        );
        let two = Edit::Batch(vec![
            update(&suggested, &accepted),
            update(&suggested, &accepted),
        ]);
        assert_eq!(two.describe(), "accepted 2 CASUALTY");
    }

    #[test]
    fn accepted_texts_are_what_an_edit_newly_accepted() {
        let suggested = casualty(AnnotationStatus::Suggested);
        let accepted = casualty(AnnotationStatus::Accepted);
        let relabelled = Annotation {
            label: "ACTOR".to_owned(),
            ..accepted.clone()
        };
        let update = |before: &Annotation, after: &Annotation| Edit::UpdateAnnotation {
            before: before.clone(),
            after: after.clone(),
        };
        let nine = vec!["nine people".to_owned()];
        assert_eq!(Edit::AddAnnotation(accepted.clone()).accepted_texts(), nine);
        assert_eq!(
            Edit::AddAnnotation(suggested.clone()).accepted_texts(),
            Vec::<String>::new()
        );
        assert_eq!(update(&suggested, &accepted).accepted_texts(), nine);
        assert_eq!(update(&accepted, &relabelled).accepted_texts(), nine);
        assert!(update(&accepted, &accepted).accepted_texts().is_empty());
        assert!(update(&accepted, &suggested).accepted_texts().is_empty());
        let batch = Edit::Batch(vec![
            update(&suggested, &accepted),
            Edit::AddAnnotation(accepted.clone()),
        ]);
        assert_eq!(batch.accepted_texts(), nine, "once, though accepted twice");
    }

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

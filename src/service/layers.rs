//! Coder layers: who this handle codes as, what it shows (blind: only the coder's own
//! layer; else every coder's accepted spans with only the coder's own suggestions), which
//! layer new annotations go in, and the rule that a coder changes only their own layer.

use super::{ArchiveError, ArchiveReader, Result};
use crate::index::Scope;
use crate::model::{Annotation, AnnotationStatus, Coder, LinkedAnnotation, NewAnnotation};

/// What a handle shows of the layers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LayerView {
    /// Blind when the corpus is double-coded and a coder is named; else every layer.
    #[default]
    Auto,
    /// Only the coder's own layer (blind coding).
    Own,
    /// Every coder's accepted spans, and the coder's own suggestions (a reviewer).
    All,
}

/// Who a handle codes as and what it shows.
#[derive(Debug, Clone, Default)]
pub(super) struct Coding {
    /// The coder; `None` works in the layer of an archive without coders (`""`).
    pub(super) coder: Option<Coder>,
    /// Whether only the coder's own layer is shown.
    pub(super) blind: bool,
    /// Whether learning takes what every coder accepted, not only this one.
    pub(super) learn_from_everyone: bool,
}

impl ArchiveReader {
    /// Codes as `coder` from now on: new annotations go in their layer, reads show what
    /// `view` says, and learning takes only this coder's acceptances unless
    /// `learn_from_everyone`. [`LayerView::Auto`] is blind when a coder is named and some
    /// article is assigned to two coders or more.
    pub fn code_as(
        &mut self,
        coder: Option<Coder>,
        view: LayerView,
        learn_from_everyone: bool,
    ) -> Result<()> {
        let blind = match view {
            LayerView::Own => {
                if coder.is_none() {
                    return Err(ArchiveError::InvalidCoder(
                        "blind coding shows a coder their own layer: name the coder (--coder NAME, or ANNALIST_CODER)".to_owned(),
                    ));
                }
                true
            }
            LayerView::All => false,
            LayerView::Auto => coder.is_some() && self.store.has_double_coded_article()?,
        };
        self.coding = Coding {
            coder,
            blind,
            learn_from_everyone,
        };
        Ok(())
    }

    /// Codes as `$ANNALIST_CODER` (nobody when it is unset), with the layers shown as
    /// [`LayerView::Auto`] says: what the desktop app does on opening an archive.
    pub fn code_as_environment(&mut self) -> Result<()> {
        let coder = super::coder_from_environment()?;
        self.code_as(coder, LayerView::Auto, false)
    }

    /// "coding as ben (blind)", or `None` when no coder is named.
    pub fn coding_description(&self) -> Option<String> {
        self.coder().map(|coder| {
            let view = if self.coding.blind {
                "blind: only your own layer is shown"
            } else {
                "every coder's accepted spans are shown"
            };
            format!("coding as {coder} ({view})")
        })
    }

    /// The coder this handle codes as.
    pub fn coder(&self) -> Option<&Coder> {
        self.coding.coder.as_ref()
    }

    /// Whether this handle shows only its coder's own layer.
    pub fn is_blind(&self) -> bool {
        self.coding.blind
    }

    /// Who is recorded as having made an annotation by hand through `edge`: the coder,
    /// else the edge's default ([`super::default_annotator`]).
    pub fn hand_annotator(&self, edge: super::AnnotatingEdge) -> String {
        self.coder()
            .map_or_else(|| super::default_annotator(edge), ToString::to_string)
    }

    /// The name of the layer this handle writes in (`""` without a coder).
    pub fn layer(&self) -> &str {
        self.coding.coder.as_ref().map_or("", Coder::as_str)
    }

    /// Whether this handle shows `annotation`: its own layer always; another coder's only
    /// when not blind, and then only what that coder accepted.
    pub fn shows(&self, annotation: &Annotation) -> bool {
        annotation.coder == self.layer()
            || (!self.coding.blind && annotation.status == AnnotationStatus::Accepted)
    }

    /// What this handle's searches read: a blind coder's own layer, else every layer.
    pub(super) fn scope(&self) -> Scope<'_> {
        self.search_layer().map_or(Scope::AllLayers, Scope::Layer)
    }

    /// The layer a blind coder's searches read (`None`: every layer).
    pub(super) fn search_layer(&self) -> Option<&str> {
        match &self.coding.coder {
            Some(coder) if self.coding.blind => Some(coder.as_str()),
            _ => None,
        }
    }

    /// The layer learning reads (`None`: everyone's).
    pub(super) fn learning_layer(&self) -> Option<&str> {
        (!self.coding.learn_from_everyone && self.coding.coder.is_some()).then(|| self.layer())
    }

    /// Puts an annotation that names no layer in this handle's.
    pub(super) fn stamp(&self, annotation: &mut NewAnnotation) {
        if annotation.coder.is_empty() {
            self.layer().clone_into(&mut annotation.coder);
        }
    }

    /// [`Self::stamp`] for a list.
    pub(super) fn stamp_all(&self, list: &mut [LinkedAnnotation]) {
        for linked in list {
            self.stamp(&mut linked.annotation);
        }
    }

    /// Refuses a change to an annotation in another coder's layer.
    pub(super) fn check_own(&self, annotation: &Annotation) -> Result<()> {
        // The adjudicated layer is nobody's: any named coder adjudicates in it.
        let adjudicating = annotation.coder == crate::model::ADJUDICATED && self.coder().is_some();
        if annotation.coder == self.layer() || adjudicating {
            return Ok(());
        }
        let whose = if annotation.coder.is_empty() {
            "the layer of no coder (made before coders were named)".to_owned()
        } else {
            format!("{}'s layer", annotation.coder)
        };
        let you = match self.coder() {
            Some(coder) => format!("you code as {coder}"),
            None => "no coder is named (--coder NAME, or ANNALIST_CODER)".to_owned(),
        };
        Err(ArchiveError::InvalidCoder(format!(
            "annotation {} is in {whose} and {you}: a coder changes only their own layer",
            annotation.id
        )))
    }

    /// Keeps what this handle shows.
    pub(super) fn visible(&self, annotations: Vec<Annotation>) -> Vec<Annotation> {
        annotations.into_iter().filter(|a| self.shows(a)).collect()
    }

    /// Keeps this handle's own layer: what the suggester and the annotate rule weigh.
    pub(super) fn own_layer(&self, annotations: Vec<Annotation>) -> Vec<Annotation> {
        let layer = self.layer();
        annotations
            .into_iter()
            .filter(|a| a.coder == layer)
            .collect()
    }
}

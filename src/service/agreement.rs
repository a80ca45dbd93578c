//! The agreement use case: which annotations form a coder's layer, which articles are
//! measured, and handing their spans and token boundaries to `agree::report`.
//!
//! Owns: the rule of what a coder's layer is ([`layer_of`], the one place it is spelled)
//! and the one conversion of a stored annotation into a coded span ([`coded_span`]).

use std::collections::BTreeSet;

use super::{ArchiveError, ArchiveReader, Result};
use crate::agree::{CodedArticle, CodedSpan, Report, report};
use crate::model::{ADJUDICATED, Annotation, AnnotationStatus, Article, ArticleId};
use crate::suggest::text::tokenize;

/// The agreement report, as the edges read it (its parts are in `agree`).
pub type AgreementReport = Report;

/// What to measure.
#[derive(Debug, Clone, Default)]
pub struct AgreementOptions {
    /// Only these coders (all coders with a layer when empty).
    pub coders: Vec<String>,
    /// Only spans of this label (all labels when `None`).
    pub label: Option<String>,
    /// Only articles matching this query (all when `None`).
    pub query: Option<String>,
}

/// The coder whose layer `annotation` is in, if any.
///
/// A coder's layer, as agreement reads it, is what that coder *accepted* in their own
/// layer (the annotation's `coder`): their suggestions and what they rejected are not their
/// coding, the layer of no coder (`""`, an archive before coders were named) is nobody's,
/// and the adjudicated layer is the result agreement is not measured on. Whoever made the
/// span (`annotator`: the coder, the suggester, an import) does not matter.
pub fn layer_of(annotation: &Annotation) -> Option<&str> {
    (annotation.status == AnnotationStatus::Accepted
        && !annotation.coder.is_empty()
        && annotation.coder != ADJUDICATED)
        .then_some(annotation.coder.as_str())
}

/// The span of `annotation` as the agreement measures read it: the one place positions
/// are read from a stored annotation here.
fn coded_span(annotation: &Annotation) -> CodedSpan {
    CodedSpan {
        label: annotation.label.clone(),
        start: annotation.span.start(),
        end: annotation.span.end(),
        text: annotation.text.clone(),
        attrs: annotation.attrs.clone(),
    }
}

/// The article with the layers of the chosen coders; an article a coder has no span in is
/// not in that coder's layers (it counts as not coded by them).
fn coded_article(
    article: &Article,
    annotations: &[Annotation],
    options: &AgreementOptions,
) -> CodedArticle {
    let mut layers = std::collections::BTreeMap::<String, Vec<CodedSpan>>::new();
    for annotation in annotations {
        let Some(coder) = layer_of(annotation) else {
            continue;
        };
        if !options.coders.is_empty() && !options.coders.iter().any(|c| c == coder) {
            continue;
        }
        let layer = layers.entry(coder.to_owned()).or_default();
        if options
            .label
            .as_ref()
            .is_none_or(|l| *l == annotation.label)
        {
            layer.push(coded_span(annotation));
        }
    }
    for layer in layers.values_mut() {
        layer.sort_by(|a, b| (a.start, a.end, &a.label).cmp(&(b.start, b.end, &b.label)));
    }
    CodedArticle {
        article_id: article.id,
        length: article.text.chars().count(),
        tokens: tokenize(&article.text)
            .iter()
            .map(|t| (t.char_start, t.char_end))
            .collect(),
        layers,
    }
}

impl ArchiveReader {
    /// Agreement between the chosen coders on the articles two or more of them coded
    /// (an article is coded by a coder when their layer has a span in it, of any label).
    pub fn agreement(&mut self, options: &AgreementOptions) -> Result<Report> {
        self.agreement_with_progress(options, &mut |_, _| true)?
            .ok_or_else(|| ArchiveError::Agreement("the agreement report was cancelled".to_owned()))
    }

    /// [`Self::agreement`], telling `progress` the articles read and in all after each one;
    /// `progress` returning `false` cancels it (`Ok(None)`).
    pub fn agreement_with_progress(
        &mut self,
        options: &AgreementOptions,
        progress: &mut dyn FnMut(u64, u64) -> bool,
    ) -> Result<Option<Report>> {
        let ids: Option<Vec<ArticleId>> = match options
            .query
            .as_deref()
            .map(str::trim)
            .filter(|q| !q.is_empty())
        {
            Some(query) => {
                self.sync_index()?;
                Some(self.index.matching_ids_in(query, self.scope())?)
            }
            None => None,
        };
        let total = match &ids {
            Some(ids) => ids.len() as u64,
            None => self.store.article_count()?,
        };
        let mut articles = Vec::new();
        let mut everyone = BTreeSet::new();
        let mut read = 0_u64;
        let mut cancelled = false;
        self.store
            .for_each_article(ids.as_deref(), |article, annotations| {
                read += 1;
                if !progress(read, total) {
                    cancelled = true;
                    return false;
                }
                everyone.extend(
                    annotations
                        .iter()
                        .filter_map(|a| layer_of(a).map(str::to_owned)),
                );
                let coded = coded_article(&article, &annotations, options);
                if !coded.layers.is_empty() {
                    articles.push(coded);
                }
                true
            })?;
        if cancelled {
            return Ok(None);
        }
        let found: BTreeSet<&str> = articles
            .iter()
            .flat_map(|a| a.layers.keys().map(String::as_str))
            .collect();
        if let Some(missing) = options.coders.iter().find(|c| !found.contains(c.as_str())) {
            return Err(ArchiveError::Agreement(format!(
                "coder '{missing}' has no accepted annotation in the articles chosen (coders there: {})",
                listed(&everyone.iter().map(String::as_str).collect())
            )));
        }
        if found.len() < 2 {
            return Err(ArchiveError::Agreement(format!(
                "agreement needs two coders, and the articles chosen have accepted annotations by {} (the coder of an annotation is its annotator: `annotate add --annotator NAME`, or `annotator` in imported records)",
                if found.is_empty() {
                    "nobody".to_owned()
                } else {
                    listed(&found)
                }
            )));
        }
        Ok(Some(report(&articles)))
    }
}

fn listed(coders: &BTreeSet<&str>) -> String {
    if coders.is_empty() {
        return "none".to_owned();
    }
    coders.iter().copied().collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AnnotationAttrs, AnnotationId};

    fn annotation(coder: &str, status: AnnotationStatus) -> Annotation {
        Annotation {
            id: AnnotationId(1),
            uid: String::new(),
            article_id: ArticleId(1),
            label: "LOC".to_owned(),
            span: crate::model::CharSpan::ordered(0, 4).unwrap(),
            text: "Iran".to_owned(),
            attrs: AnnotationAttrs::new(),
            status,
            annotator: "rules".to_owned(),
            coder: coder.to_owned(),
            created_at: String::new(),
            updated_at: String::new(),
        }
    }

    #[test]
    fn a_layer_holds_what_a_coder_accepted_in_their_own_layer() {
        let accepted =
            |coder| layer_of(&annotation(coder, AnnotationStatus::Accepted)).map(str::to_owned);
        assert_eq!(
            accepted("ana").as_deref(),
            Some("ana"),
            "an accepted suggestion is the coder's"
        );
        assert_eq!(
            layer_of(&annotation("ana", AnnotationStatus::Suggested)),
            None
        );
        assert_eq!(
            layer_of(&annotation("ana", AnnotationStatus::Rejected)),
            None
        );
        assert_eq!(accepted(""), None, "the layer of no coder is nobody's");
        assert_eq!(accepted(ADJUDICATED), None);
    }
}

//! The search use case: ranked hits with article metadata and highlighted snippets.

use serde::Serialize;

use super::{ArchiveReader, Result};
use crate::index::{Scope, SortOrder};
pub use crate::model::SearchHit;

/// Longest snippet, in characters.
const SNIPPET_CHARS: usize = 200;

/// A page of results.
#[derive(Debug, Clone, Serialize)]
pub struct SearchPage {
    /// All matching articles.
    pub total: usize,
    /// This page, best first.
    pub hits: Vec<SearchHit>,
}

impl ArchiveReader {
    /// Runs a query (syntax in `docs/search.md`) and returns one page of hits. Snippets are
    /// made only for the hits on the page.
    pub fn search(&mut self, query: &str, limit: usize, offset: usize) -> Result<SearchPage> {
        self.search_sorted(query, limit, offset, SortOrder::Relevance)
    }

    /// How the articles matching a query divide by label, outlet and publication year.
    pub fn facets(&mut self, query: &str) -> Result<crate::index::Facets> {
        self.sync_index()?;
        let layer = self.search_layer().map(str::to_owned);
        let scope = layer.as_deref().map_or(Scope::AllLayers, Scope::Layer);
        self.read_index(|index| index.facets_in(query, scope))
    }

    /// Like [`Self::search`], in the given order.
    pub fn search_sorted(
        &mut self,
        query: &str,
        limit: usize,
        offset: usize,
        order: SortOrder,
    ) -> Result<SearchPage> {
        self.sync_index()?;
        let layer = self.search_layer().map(str::to_owned);
        let scope = layer.as_deref().map_or(Scope::AllLayers, Scope::Layer);
        let ranked =
            self.read_index(|index| index.search_in(query, limit, offset, order, scope))?;
        let mut found = Vec::with_capacity(ranked.hits.len());
        for hit in &ranked.hits {
            match self.store.article(hit.article_id) {
                Ok(Some(article)) => found.push((article, hit.score)),
                Ok(None) => {}
                // A row that cannot be read is left out of the page, with a warning.
                Err(e) => self.store.skip_damaged(e)?,
            }
        }
        // Text files repeat the headline as their first line; the hit shows it already.
        let bodies: Vec<&str> = found
            .iter()
            .map(|(article, _)| {
                article
                    .text
                    .trim_start()
                    .strip_prefix(article.title.as_str())
                    .map_or(article.text.as_str(), str::trim_start)
            })
            .collect();
        let snippets = self.index.snippets(&ranked, &bodies, SNIPPET_CHARS)?;
        let hits = found
            .into_iter()
            .zip(snippets)
            .map(|((article, score), snippet)| SearchHit {
                id: article.id,
                title: article.title,
                published: article.published,
                source: article.source,
                score,
                snippet,
            })
            .collect();
        Ok(SearchPage {
            total: ranked.total,
            hits,
        })
    }
}

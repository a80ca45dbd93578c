//! The search use case: ranked hits with article metadata and highlighted snippets.

use serde::Serialize;

use super::{Archive, Result};
use crate::index::HighlightedSnippet;
use crate::model::{ArticleId, PartialDate};

/// Longest snippet, in characters.
const SNIPPET_CHARS: usize = 200;

/// One search hit, ready to show.
#[derive(Debug, Clone, Serialize)]
pub struct SearchHit {
    /// Article.
    pub id: ArticleId,
    /// Headline.
    pub title: String,
    /// Publication date.
    pub published: Option<PartialDate>,
    /// Outlet.
    pub source: Option<String>,
    /// BM25 score.
    pub score: f32,
    /// Text around the match, with highlights.
    pub snippet: HighlightedSnippet,
}

/// A page of results.
#[derive(Debug, Clone, Serialize)]
pub struct SearchPage {
    /// All matching articles.
    pub total: usize,
    /// This page, best first.
    pub hits: Vec<SearchHit>,
}

impl Archive {
    /// Runs a query (syntax in `docs/search.md`) and returns one page of hits. Snippets are
    /// made only for the hits on the page.
    pub fn search(&mut self, query: &str, limit: usize, offset: usize) -> Result<SearchPage> {
        self.sync_index()?;
        let ranked = self.index.search(query, limit, offset)?;
        let mut hits = Vec::with_capacity(ranked.hits.len());
        for hit in &ranked.hits {
            let Some(article) = self.store.article(hit.article_id)? else {
                continue;
            };
            let snippet = self.index.snippet(&ranked, &article.text, SNIPPET_CHARS)?;
            hits.push(SearchHit {
                id: article.id,
                title: article.title,
                published: article.published,
                source: article.source,
                score: hit.score,
                snippet,
            });
        }
        Ok(SearchPage {
            total: ranked.total,
            hits,
        })
    }
}

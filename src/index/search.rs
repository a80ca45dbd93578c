//! Reading the index: parsing queries, ranked pages of hits, ids matching a phrase or a
//! query, facets and snippets.

use tantivy::collector::{Count, TopDocs};
use tantivy::query::{Query, QueryParser};
use tantivy::schema::IndexRecordOption;
use tantivy::tokenizer::TokenizerManager;
use tantivy::{DateTime, Term};

use super::{
    Facets, IndexError, Result, Scope, SearchIndex, SortOrder, facets, guard, layers, negation,
    query, rewrite_date_ranges, snippet,
};
use crate::model::{ArticleId, HighlightedSnippet};

/// One ranked hit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RankedHit {
    /// Article.
    pub article_id: ArticleId,
    /// BM25 score.
    pub score: f32,
}

/// A page of ranked hits with the total count.
pub struct RankedPage {
    /// Hits on this page, best first.
    pub hits: Vec<RankedHit>,
    /// All matching articles.
    pub total: usize,
    query: Box<dyn Query>,
}

impl SearchIndex {
    /// Parses a query in Annalist's syntax (see `docs/search.md`), read in `scope`: in a
    /// coder's layer, `label:`, `entity:`, `state:` and bare words in entities see only
    /// that coder's annotations.
    fn parse(&self, query_text: &str, scope: Scope<'_>) -> Result<Box<dyn Query>> {
        if query_text.trim().is_empty() {
            return Ok(Box::new(tantivy::query::AllQuery));
        }
        let f = self.fields;
        query::check_query_depth(query_text).map_err(|reason| IndexError::Query { reason })?;
        let rewritten = negation::rewrite_negations(
            &rewrite_date_ranges(query_text).map_err(|reason| IndexError::Query { reason })?,
        );
        let (mut parser, rewritten) = match scope {
            Scope::AllLayers => (
                QueryParser::for_index(&self.index, vec![f.title, f.text, f.entity]),
                rewritten,
            ),
            Scope::Layer(coder) => {
                let tokenizers = TokenizerManager::new();
                layers::register_tokenizers(&tokenizers, &layers::tag(coder));
                (
                    QueryParser::new(
                        self.index.schema(),
                        vec![f.title, f.text, f.layer_entity],
                        tokenizers,
                    ),
                    layers::rewrite_for_layer(&rewritten),
                )
            }
        };
        parser.set_conjunction_by_default();
        parser.set_field_boost(f.title, 2.0);
        parser
            .parse_query(&rewritten)
            .map_err(|e| IndexError::Query {
                reason: human_query_error(&e),
            })
    }

    /// Ranked hits for a query (an empty query matches every article).
    pub fn search(
        &self,
        query_text: &str,
        limit: usize,
        offset: usize,
        order: SortOrder,
    ) -> Result<RankedPage> {
        self.search_in(query_text, limit, offset, order, Scope::AllLayers)
    }

    /// [`Self::search`], read in `scope`.
    pub fn search_in(
        &self,
        query_text: &str,
        limit: usize,
        offset: usize,
        order: SortOrder,
        scope: Scope<'_>,
    ) -> Result<RankedPage> {
        let query = self.parse(query_text, scope)?;
        self.usable()?;
        guard::reading(|| self.search_parsed(query, limit, offset, order))
    }

    /// Fails with [`IndexError::Damaged`] when this handle has no index to search.
    fn usable(&self) -> Result<()> {
        match &self.unusable {
            Some(reason) => Err(IndexError::Damaged {
                reason: reason.clone(),
            }),
            None => Ok(()),
        }
    }

    fn search_parsed(
        &self,
        query: Box<dyn Query>,
        limit: usize,
        offset: usize,
        order: SortOrder,
    ) -> Result<RankedPage> {
        let searcher = self.reader.searcher();
        // tantivy keeps room for `limit + offset` hits up front: never more than there are
        // documents (a limit of 4,000,000,000 allocated 64 GB; usize::MAX overflowed).
        let docs = usize::try_from(searcher.num_docs()).unwrap_or(usize::MAX);
        let offset = offset.min(docs);
        let top_docs = TopDocs::with_limit(limit.clamp(1, docs.saturating_sub(offset).max(1)))
            .and_offset(offset);
        let (top, total): (Vec<(f32, tantivy::DocAddress)>, usize) = match order {
            // One pass for the page and the count. Apart, the page alone is found with
            // block-max pruning, but counting then walks the matches again: measured on
            // 100,000 articles that was no faster for words and slower for boolean and
            // date-filtered queries.
            SortOrder::Relevance => {
                searcher.search(&*query, &(top_docs.order_by_score(), Count))?
            }
            SortOrder::NewestFirst | SortOrder::OldestFirst => {
                let direction = if order == SortOrder::NewestFirst {
                    tantivy::Order::Desc
                } else {
                    tantivy::Order::Asc
                };
                let (dated, total) = searcher.search(
                    &*query,
                    &(
                        top_docs.order_by_fast_field::<DateTime>("published", direction),
                        Count,
                    ),
                )?;
                (
                    dated
                        .into_iter()
                        .map(|(_, address)| (0.0, address))
                        .collect(),
                    total,
                )
            }
        };
        let mut ids = ArticleIds::new(&searcher);
        let mut hits = Vec::with_capacity(top.len());
        for (score, address) in top {
            if let Some(article_id) = ids.get(address)? {
                hits.push(RankedHit { article_id, score });
            }
        }
        if limit == 0 {
            hits.clear();
        }
        Ok(RankedPage { hits, total, query })
    }

    /// Every article whose text contains `phrase` (as words, case-insensitively), ascending.
    /// Reads ids from the fast field, no stored documents: cheap even with many matches.
    pub fn phrase_ids(&self, phrase: &str) -> Result<Vec<ArticleId>> {
        self.usable()?;
        guard::reading(|| self.phrase_ids_unguarded(phrase))
    }

    fn phrase_ids_unguarded(&self, phrase: &str) -> Result<Vec<ArticleId>> {
        let field = self.fields.text;
        let mut analyzer = self.index.tokenizer_for_field(field)?;
        let mut stream = analyzer.token_stream(phrase);
        let mut terms = Vec::new();
        while let Some(token) = stream.next() {
            terms.push((token.position, Term::from_field_text(field, &token.text)));
        }
        let query: Box<dyn Query> = match terms.len() {
            0 => return Ok(Vec::new()),
            1 => Box::new(tantivy::query::TermQuery::new(
                terms.remove(0).1,
                IndexRecordOption::Basic,
            )),
            _ => Box::new(tantivy::query::PhraseQuery::new_with_offset(terms)),
        };
        let searcher = self.reader.searcher();
        let found = searcher.search(&*query, &tantivy::collector::DocSetCollector)?;
        let mut columns = ArticleIds::new(&searcher);
        let mut ids = Vec::with_capacity(found.len());
        for address in found {
            ids.extend(columns.get(address)?);
        }
        ids.sort_unstable();
        ids.dedup();
        Ok(ids)
    }

    /// Every article id matching a query, ascending (for exports limited by a query).
    pub fn matching_ids(&self, query_text: &str) -> Result<Vec<ArticleId>> {
        self.matching_ids_in(query_text, Scope::AllLayers)
    }

    /// [`Self::matching_ids`], read in `scope`.
    pub fn matching_ids_in(&self, query_text: &str, scope: Scope<'_>) -> Result<Vec<ArticleId>> {
        let query = self.parse(query_text, scope)?;
        self.usable()?;
        let total = guard::reading(|| Ok(self.reader.searcher().search(&*query, &Count)?))?;
        let page = self.search_in(query_text, total, 0, SortOrder::Relevance, scope)?;
        let mut ids: Vec<ArticleId> = page.hits.iter().map(|h| h.article_id).collect();
        ids.sort_unstable();
        Ok(ids)
    }

    /// Labels, outlets and years of every article matching a query (all for an empty one).
    pub fn facets(&self, query_text: &str) -> Result<Facets> {
        self.facets_in(query_text, Scope::AllLayers)
    }

    /// [`Self::facets`], read in `scope`: the labels counted are that layer's.
    pub fn facets_in(&self, query_text: &str, scope: Scope<'_>) -> Result<Facets> {
        let query = self.parse(query_text, scope)?;
        self.usable()?;
        let collector = match scope {
            Scope::AllLayers => facets::FacetCollector::all_layers(),
            Scope::Layer(coder) => facets::FacetCollector::layer(layers::tag(coder)),
        };
        guard::reading(|| Ok(self.reader.searcher().search(&*query, &collector)?))
    }

    /// A snippet of `text` around the words of the page's query, with highlights.
    pub fn snippet(
        &self,
        page: &RankedPage,
        text: &str,
        max_chars: usize,
    ) -> Result<HighlightedSnippet> {
        Ok(self
            .snippets(page, &[text], max_chars)?
            .into_iter()
            .next()
            .unwrap_or_default())
    }

    /// Snippets of several texts for one page's query (one per text, in order), with the
    /// query's statistics read once for the page.
    pub fn snippets(
        &self,
        page: &RankedPage,
        texts: &[&str],
        max_chars: usize,
    ) -> Result<Vec<HighlightedSnippet>> {
        guard::reading(|| {
            let mut highlighter =
                snippet::highlighter(&self.index, &*page.query, self.fields.text)?;
            texts
                .iter()
                .map(|text| snippet::make(&mut highlighter, text, max_chars))
                .collect()
        })
    }
}

/// Article ids of documents, read from the `article_id` fast field (no stored document is
/// decompressed), one column per segment opened on first use.
struct ArticleIds<'a> {
    searcher: &'a tantivy::Searcher,
    columns: std::collections::HashMap<u32, tantivy::columnar::Column<i64>>,
}

impl<'a> ArticleIds<'a> {
    fn new(searcher: &'a tantivy::Searcher) -> Self {
        Self {
            searcher,
            columns: std::collections::HashMap::new(),
        }
    }

    fn get(&mut self, address: tantivy::DocAddress) -> Result<Option<ArticleId>> {
        let column = match self.columns.entry(address.segment_ord) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(e) => e.insert(
                self.searcher
                    .segment_reader(address.segment_ord)
                    .fast_fields()
                    .i64("article_id")?,
            ),
        };
        Ok(column.first(address.doc_id).map(ArticleId))
    }
}

/// A parser error in words a researcher reads at a glance, instead of the parser's own
/// (`Syntax Error: ...`).
fn human_query_error(error: &tantivy::query::QueryParserError) -> String {
    use tantivy::query::QueryParserError as E;
    match error {
        E::SyntaxError(_) => {
            "check the quotes, the parentheses and the words AND, OR, NOT".to_owned()
        }
        E::FieldDoesNotExist(field) => format!(
            "there is no field '{field}:' (fields: title:, text:, source:, label:, entity:, state:, published:)"
        ),
        E::RangeMustNotHavePhrase => "a range cannot contain a phrase in quotes".to_owned(),
        E::ExpectedInt(_) | E::ExpectedFloat(_) => "a number was expected".to_owned(),
        E::DateFormatError(_) => {
            "a date was expected (published:2024-01-19, published:2024-01)".to_owned()
        }
        other => other.to_string(),
    }
}

//! The coding team's use cases: spreading articles over coders with a share double-coded,
//! each coder's queue, and marking an article done.

use std::fmt;

use super::{Archive, ArchiveError, ArchiveReader, Result};
use crate::model::{ArticleId, Assignment, AssignmentPlan, Coder, plural};
pub use crate::store::CoderWork;

/// Who a person is when nobody said, for the edges that ask: `ANNALIST_CODER`, unset or
/// empty meaning nobody (the layer of an archive without coders).
pub fn coder_from_environment() -> Result<Option<Coder>> {
    match std::env::var("ANNALIST_CODER") {
        Ok(name) if !name.trim().is_empty() => Coder::new(&name)
            .map(Some)
            .map_err(|e| ArchiveError::InvalidCoder(format!("ANNALIST_CODER: {e}"))),
        _ => Ok(None),
    }
}

/// What to assign.
#[derive(Debug, Clone)]
pub struct AssignRequest {
    /// The coders, in the order they are dealt.
    pub coders: Vec<Coder>,
    /// Share of the articles given to two coders, `0..=1`.
    pub overlap: f64,
    /// Seed of the draw; the same request with the same seed gives the same plan.
    pub seed: u64,
    /// Only articles matching this query (search syntax); all when `None`.
    pub query: Option<String>,
}

/// What an assignment did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssignReport {
    /// Articles given out now.
    pub articles: usize,
    /// Of those, given to two coders.
    pub double_coded: usize,
    /// Articles left alone because they had coders already.
    pub already_assigned: usize,
    /// Each coder's new articles, in the request's order.
    pub per_coder: Vec<(String, usize)>,
    /// Seed of the draw.
    pub seed: u64,
    /// Share asked for.
    pub overlap_permille: u32,
}

impl fmt::Display for AssignReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.articles == 0 {
            return write!(
                f,
                "nothing assigned: every article chosen has its coders already ({})",
                plural(self.already_assigned, "article", "articles")
            );
        }
        let coders: Vec<String> = self
            .per_coder
            .iter()
            .map(|(coder, n)| format!("{coder} {n}"))
            .collect();
        write!(
            f,
            "assigned {} to {} ({}); {} double-coded (overlap {}, seed {})",
            plural(self.articles, "article", "articles"),
            plural(self.per_coder.len(), "coder", "coders"),
            coders.join(", "),
            self.double_coded,
            f64::from(self.overlap_permille) / 1000.0,
            self.seed
        )?;
        if self.already_assigned > 0 {
            write!(
                f,
                "; {} already assigned kept their coders",
                plural(self.already_assigned, "article", "articles")
            )?;
        }
        Ok(())
    }
}

/// One article of a coder's queue.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct QueueEntry {
    /// The article.
    pub article_id: ArticleId,
    /// Its title.
    pub title: String,
    /// Every coder the article is assigned to (more than one: double-coded).
    pub coders: Vec<String>,
    /// When this coder marked it done, RFC 3339 UTC.
    pub done_at: Option<String>,
}

impl Archive {
    /// Spreads the articles (those matching the query, else all) that have no coder yet
    /// over the request's coders; articles already assigned keep theirs.
    pub fn assign(&mut self, request: &AssignRequest) -> Result<AssignReport> {
        let candidates = match &request.query {
            Some(query) => {
                self.sync_index()?;
                self.index.matching_ids_in(query, self.scope())?
            }
            None => self.store.article_ids()?,
        };
        let assigned = self.store.assigned_article_ids()?;
        let (kept, free): (Vec<ArticleId>, Vec<ArticleId>) = candidates
            .into_iter()
            .partition(|id| assigned.binary_search(id).is_ok());
        let plan = AssignmentPlan::draw(&free, &request.coders, request.overlap, request.seed)
            .map_err(ArchiveError::InvalidCoder)?;
        self.store.assign(&plan.pairs)?;
        let per_coder = request
            .coders
            .iter()
            .map(|coder| {
                let n = plan.pairs.iter().filter(|(_, c)| c == coder).count();
                (coder.to_string(), n)
            })
            .collect();
        Ok(AssignReport {
            articles: free.len(),
            double_coded: plan.double_coded,
            already_assigned: kept.len(),
            per_coder,
            seed: plan.seed,
            overlap_permille: (request.overlap * 1000.0).round().clamp(0.0, 1000.0) as u32,
        })
    }
}

impl ArchiveReader {
    /// A coder's articles, to do first (by id), then done (by id). One query over the
    /// assignments and the titles: no article text is read, so a queue of 10,000 articles
    /// loads in milliseconds.
    pub fn queue(&self, coder: &Coder) -> Result<Vec<QueueEntry>> {
        let mut entries: Vec<QueueEntry> = self
            .store
            .queue_rows(coder.as_str())?
            .into_iter()
            .map(|row| QueueEntry {
                article_id: row.article_id,
                title: row.title,
                coders: row.coders,
                done_at: row.done_at,
            })
            .collect();
        entries.sort_by_key(|e| (e.done_at.is_some(), e.article_id));
        Ok(entries)
    }

    /// The coders an article is assigned to.
    pub fn coders_of_article(&self, article: ArticleId) -> Result<Vec<String>> {
        Ok(self.store.coders_of_article(article)?)
    }

    /// Whether a coding team works on this archive (some article is assigned to a coder):
    /// the desktop app then asks an unnamed user for their name, once.
    pub fn has_coding_team(&self) -> Result<bool> {
        Ok(!self.store.coder_work()?.is_empty())
    }

    /// Every coder's assigned and done counts.
    pub fn coder_work(&self) -> Result<Vec<CoderWork>> {
        Ok(self.store.coder_work()?)
    }

    /// Marks an article done (or to do again) in a coder's queue.
    pub fn mark_done(
        &mut self,
        article: ArticleId,
        coder: &Coder,
        done: bool,
    ) -> Result<Assignment> {
        if self.store.article(article)?.is_none() {
            return Err(ArchiveError::NoSuchArticle(article));
        }
        self.store
            .set_done(article, coder.as_str(), done)?
            .ok_or_else(|| {
                ArchiveError::InvalidCoder(format!(
                    "article {article} is not assigned to {coder} (see `annalist queue --coder {coder}`)"
                ))
            })
    }
}

//! The index queue: articles whose index entry is stale, written in the same transaction as
//! the change, cleared only after the index has committed them.

use super::{Result, Store};
use crate::model::ArticleId;

impl Store {
    /// Articles whose index entry is stale, with the queue position to clear up to.
    pub fn pending_index(&self) -> Result<(Vec<ArticleId>, i64)> {
        let max_seq: Option<i64> =
            self.conn
                .query_row("SELECT MAX(seq) FROM index_queue", [], |r| r.get(0))?;
        let Some(max_seq) = max_seq else {
            return Ok((Vec::new(), 0));
        };
        let mut stmt = self.conn.prepare_cached(
            "SELECT DISTINCT article_id FROM index_queue WHERE seq <= ?1 ORDER BY article_id",
        )?;
        let ids = stmt
            .query_map([max_seq], |r| r.get::<_, i64>(0).map(ArticleId))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok((ids, max_seq))
    }

    /// Forgets queue entries up to `seq` once the index has committed them.
    pub fn clear_pending_index(&mut self, up_to_seq: i64) -> Result<()> {
        self.conn
            .execute("DELETE FROM index_queue WHERE seq <= ?1", [up_to_seq])?;
        Ok(())
    }

    /// Empties the queue (after a full rebuild from the articles table).
    pub fn clear_all_pending_index(&mut self) -> Result<()> {
        self.conn.execute("DELETE FROM index_queue", [])?;
        Ok(())
    }
}

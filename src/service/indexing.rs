//! Keeping the index in step with the store: syncing the index queue, warnings when the
//! index cannot follow, rows that cannot be read, and rebuilding the index from SQLite.

use super::{ArchiveError, ArchiveReader, Result};
use crate::index::{IndexError, SearchIndex};
use crate::model::{ArticleId, plural};

impl ArchiveReader {
    /// Picks up what the writer handle committed to the index.
    pub fn reload_index(&mut self) -> Result<()> {
        Ok(self.index.reload()?)
    }

    /// What went wrong after the store had done its part (the search index could not
    /// follow), taken once: the caller reports it when the command is done.
    pub fn take_warnings(&mut self) -> Vec<String> {
        std::mem::take(&mut self.warnings)
    }

    /// Stored rows that lists, exports and the index skipped since the last call because
    /// they cannot be read back (table, id, column, reason), taken once.
    pub fn take_damaged_rows(&mut self) -> Vec<String> {
        self.store
            .take_damaged_rows()
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    /// Records that the index could not follow what the store now holds. The store's index
    /// queue keeps the articles, so nothing is lost: the next open catches up.
    pub(super) fn index_fell_behind(&mut self, error: &IndexError) {
        self.index.discard_writer();
        if std::mem::replace(&mut self.index_lagging, true) {
            // Reported once: later failures of the same handle follow from the first.
            return;
        }
        let reason = if error.is_permission_denied() {
            format!(
                "the index folder {} cannot be written (permission denied)",
                self.index.path().display()
            )
        } else {
            error.short_reason()
        };
        let warning = format!(
            "the search index is behind the database: {reason}; what was stored is safe, and the index catches up the next time the archive is opened (or run `annalist reindex`)"
        );
        if !self.warnings.contains(&warning) {
            self.warnings.push(warning);
        }
    }

    /// Indexes every article whose SQLite state changed since the index last committed.
    /// A reader handle leaves this to the writer and returns at once. When the index
    /// cannot be written, that is a warning ([`Self::take_warnings`]), not an error: what
    /// the store holds is safe and stays queued.
    pub(super) fn sync_index(&mut self) -> Result<()> {
        if !self.index.is_writable() || self.index_lagging {
            return Ok(());
        }
        let (pending, up_to) = self.store.pending_index()?;
        if pending.is_empty() {
            return Ok(());
        }
        match self.index_articles(&pending) {
            Ok(()) => {}
            // The folder refuses writes: nothing to rebuild, the queue waits.
            Err(ArchiveError::Index(e)) if e.is_permission_denied() || e.is_disk_full() => {
                self.index_fell_behind(&e);
                return Ok(());
            }
            // Anything else tantivy says while writing comes from its files: rebuild them.
            Err(ArchiveError::Index(e)) => {
                self.index.discard_writer();
                let damage = IndexError::Damaged {
                    reason: e.short_reason(),
                };
                if let Err(ArchiveError::Index(e)) = self.rebuild_damaged(damage) {
                    self.index_fell_behind(&e);
                }
                return Ok(());
            }
            Err(e) => return Err(e),
        }
        self.index_lagging = false;
        self.store.clear_pending_index(up_to)?;
        Ok(())
    }

    fn index_articles(&mut self, ids: &[ArticleId]) -> Result<()> {
        for &id in ids {
            match self.store.article(id) {
                Ok(Some(article)) => {
                    let annotations = self.store.annotations(id)?;
                    self.index.upsert(&article, &annotations)?;
                }
                Ok(None) => self.index.remove(id)?,
                // Left as the index had it; the warning names the row.
                Err(e) => self.store.skip_damaged(e)?,
            }
        }
        self.index.commit()?;
        Ok(())
    }

    /// Runs a read of the index; when it finds the index damaged, a writer rebuilds it
    /// from the database and reads again (a reader's error says what to do).
    pub(super) fn read_index<T>(
        &mut self,
        read: impl Fn(&SearchIndex) -> crate::index::Result<T>,
    ) -> Result<T> {
        match read(&self.index) {
            Err(e @ IndexError::Damaged { .. }) => {
                self.rebuild_damaged(e)?;
                Ok(read(&self.index)?)
            }
            other => Ok(other?),
        }
    }

    /// After a search found the index damaged: a writer creates it anew and rebuilds it
    /// from the database (with a notice); a reader cannot, and the error says what to do.
    fn rebuild_damaged(&mut self, error: IndexError) -> Result<()> {
        let IndexError::Damaged { reason } = &error else {
            return Err(error.into());
        };
        if !self.index.is_writable() {
            return Err(error.into());
        }
        self.index.recreate()?;
        let rebuilt = self.reindex(&mut |_, _| true)?;
        self.warnings.push(format!(
            "the search index was damaged ({reason}); it was rebuilt from the database ({})",
            plural(rebuilt, "article", "articles")
        ));
        Ok(())
    }

    /// Rebuilds the index from SQLite. `progress(done, total)` returns `false` to cancel,
    /// which keeps the old index.
    pub(super) fn reindex(&mut self, progress: &mut dyn FnMut(u64, u64) -> bool) -> Result<u64> {
        let total = self.store.article_count()?;
        self.index.clear()?;
        let mut done = 0u64;
        let mut failure = None;
        let mut cancelled = false;
        let index = &mut self.index;
        self.store.for_each_article(None, |article, annotations| {
            if let Err(e) = index.upsert(&article, &annotations) {
                failure = Some(e);
                return false;
            }
            done += 1;
            if done.is_multiple_of(256) || done == total {
                cancelled = !progress(done, total);
            }
            !cancelled
        })?;
        if let Some(e) = failure {
            self.index.rollback()?;
            return Err(e.into());
        }
        if cancelled {
            self.index.rollback()?;
            return Ok(done);
        }
        // Rows that cannot be read are not indexed; one notice says so (check lists them).
        let unreadable = self
            .store
            .take_damaged_rows()
            .iter()
            .filter(|row| row.table == "articles" && row.column != "annotations")
            .count();
        self.unreadable_articles = u64::try_from(unreadable).unwrap_or(u64::MAX);
        if unreadable > 0 {
            self.warnings.push(format!(
                "the search index leaves out {} that cannot be read from the database (`annalist check` lists them)",
                plural(self.unreadable_articles, "article", "articles")
            ));
        }
        self.index.commit()?;
        self.store.clear_all_pending_index()?;
        progress(done, total);
        Ok(done)
    }
}

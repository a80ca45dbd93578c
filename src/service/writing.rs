//! What only the writer does: every use case that writes the search index (import,
//! suggest, learn, sync, reindex, repair). An [`super::ArchiveReader`] has none of them, so writing
//! the index through a reader handle does not compile.

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

use super::SuggestReport;
use super::{Archive, CheckReport, ImportProgress, ImportReport, LearnScope, Learned, Result};
use crate::import::{FileOutcome, ImportOptions};
use crate::model::ArticleId;

impl Archive {
    /// Imports files and folders. Files are parsed on worker threads, stored in SQLite in
    /// batches (the truth), then indexed. Large line-based files (JSON Lines, CSV) are
    /// streamed in parts, so a dump of any size imports in bounded memory. A file that
    /// fails is reported and the rest goes on. `progress` is called after each file and
    /// each part of a streamed one; setting `cancel` stops after the current part,
    /// keeping what was stored.
    pub fn import(
        &mut self,
        paths: &[PathBuf],
        options: &ImportOptions,
        progress: &mut dyn FnMut(&ImportProgress),
        cancel: &AtomicBool,
    ) -> Result<ImportReport> {
        self.reader.import(paths, options, progress, cancel)
    }

    /// Stores articles an importer already parsed (the demo articles, pasted text), as one
    /// batch, and indexes them.
    pub fn import_parsed(&mut self, file: FileOutcome) -> Result<ImportReport> {
        self.reader.import_parsed(file)
    }

    /// Suggests annotations for the given articles (all when `None`): dates, casualty figures
    /// and entities from the rules, plus the span texts people accepted elsewhere. Never
    /// touches an accepted or rejected annotation and never proposes a span again that
    /// someone rejected. `progress(done, total)` returns `false` to cancel.
    pub fn suggest(
        &mut self,
        ids: Option<&[ArticleId]>,
        progress: &mut dyn FnMut(u64, u64) -> bool,
    ) -> Result<SuggestReport> {
        self.reader.suggest(ids, progress)
    }

    /// Proposes the label people gave `text` wherever else it occurs in the archive (found
    /// through the index), when they agree on it. Holds back, storing nothing, when the text
    /// is never learned (a function word, fewer than two letters) or, unless `scope` is
    /// [`LearnScope::Everywhere`] (the user confirmed it), when it occurs in more than
    /// [`super::CONFIRM_ABOVE_ARTICLES`] articles.
    pub fn learn_from(&mut self, text: &str, scope: LearnScope) -> Result<Learned> {
        self.reader.learn_from(text, scope)
    }

    /// Indexes every article whose SQLite state changed since the index last committed
    /// (what readers queued too). When the index cannot be written, that is a warning
    /// ([`super::ArchiveReader::take_warnings`]), not an error: what the store holds is safe and
    /// stays queued.
    pub fn sync_index(&mut self) -> Result<()> {
        self.reader.sync_index()
    }

    /// Rebuilds the index from SQLite. `progress(done, total)` returns `false` to cancel,
    /// which keeps the old index.
    pub fn reindex(&mut self, progress: &mut dyn FnMut(u64, u64) -> bool) -> Result<u64> {
        self.reader.reindex(progress)
    }

    /// [`super::ArchiveReader::check`], then repairs what can be: rebuilds the index (it is
    /// derived) and removes annotations whose article is gone; annotations whose offsets no
    /// longer fit their text, and damage SQLite reports, are listed as not repaired: they
    /// need a person (or a backup).
    pub fn check_and_repair(&mut self) -> Result<CheckReport> {
        self.reader.check_with(true)
    }
}

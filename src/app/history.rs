//! The undo history: every persisted edit, undone and redone through one replay, and what
//! learning taught with each edit so undoing it takes that back too.

use std::collections::HashMap;
use std::sync::Arc;

use crate::model::{Annotation, ArticleId, Edit};
use crate::service::LearnScope;

use super::AnnalistApp;
use super::jobs::{JobId, JobKind};

/// Which suggestions each edit taught, so undoing the edit takes them back. Every entry of
/// the undo history has a serial number; `done` and `undone` run beside `History::done` and
/// `History::undone`.
#[derive(Debug, Default)]
pub(super) struct Learning {
    pub(super) next_serial: u64,
    pub(super) done: Vec<u64>,
    pub(super) undone: Vec<u64>,
    /// Learning jobs still running, by the serial of the edit that started them.
    pub(super) jobs: HashMap<JobId, u64>,
    /// The suggestions each edit's learning stored.
    pub(super) created: HashMap<u64, Vec<Annotation>>,
    /// PER/ORG/LOC spans accepted since the tagger was last retrained (by the app).
    pub(super) tagger_accepts: usize,
}

/// Which way an edit of the history is replayed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Replay {
    /// Apply the inverse of the last edit done.
    Undo,
    /// Apply again the last edit undone.
    Redo,
}

impl AnnalistApp {
    /// Records a persisted edit: undo history, views, and the index in the background.
    pub(super) fn edited(&mut self, edit: Edit) {
        self.state.status = Some(Ok(format!("saved: {}", edit.describe())));
        let serial = self.learning.next_serial;
        self.learning.next_serial += 1;
        self.learn(&edit, serial);
        self.count_accepts_for_tagger(&edit);
        let article_id = edit.article_id();
        self.state.history.done.push(edit);
        self.learning.done.push(serial);
        self.state.history.undone.clear();
        for undone in std::mem::take(&mut self.learning.undone) {
            self.learning.created.remove(&undone);
        }
        self.after_edit(article_id);
    }

    /// Learning: a text someone just accepted is suggested wherever else it occurs. What the
    /// jobs store is recorded under the edit's `serial`.
    fn learn(&mut self, edit: &Edit, serial: u64) {
        for text in edit.accepted_texts() {
            let id = self.jobs.learn(text.clone(), LearnScope::Bounded);
            self.learning.jobs.insert(id, serial);
            self.new_job_about(id, JobKind::Learn, Arc::default(), text);
        }
    }

    /// Takes back the suggestions that the edit with this serial taught, where nobody
    /// reviewed them since; returns how many.
    fn withdraw_learned(&mut self, serial: u64) -> u64 {
        let Some(created) = self.learning.created.remove(&serial) else {
            return 0;
        };
        let result = self.archive.withdraw_learned(&created);
        self.report(result).unwrap_or(0)
    }

    fn after_edit(&mut self, article_id: ArticleId) {
        if article_id == ArticleId(0) {
            // A label schema edit: every article with the label may have changed.
            self.refresh_archive_info();
            self.view_cache.invalidate();
            self.reload_reader();
            self.sync_requested = self.jobs.sync();
            return;
        }
        if self
            .state
            .reader
            .as_ref()
            .is_some_and(|r| r.article.id == article_id)
        {
            self.reload_reader();
        } else {
            self.open_article(article_id);
        }
        self.sync_requested = self.jobs.sync();
    }

    /// Undo or redo: the edit at the top of one stack is applied (its inverse for undo),
    /// moves to the other stack with its learning serial, and the status says what was
    /// replayed. Undoing an acceptance takes back what it taught; redoing it teaches again.
    pub(super) fn replay(&mut self, direction: Replay) {
        let history = &mut self.state.history;
        let popped = match direction {
            Replay::Undo => history.done.pop(),
            Replay::Redo => history.undone.pop(),
        };
        let Some(edit) = popped else {
            return;
        };
        let result = match direction {
            Replay::Undo => self.archive.apply_edit(&edit.inverse()),
            Replay::Redo => self.archive.apply_edit(&edit),
        };
        if self.report(result).is_none() {
            let history = &mut self.state.history;
            match direction {
                Replay::Undo => history.done.push(edit),
                Replay::Redo => history.undone.push(edit),
            }
            return;
        }
        let article_id = edit.article_id();
        match direction {
            Replay::Undo => {
                let serial = self.learning.done.pop().unwrap_or(u64::MAX);
                let learned = self.unlearn(serial);
                self.state.status = Some(Ok(format!("undone: {}{learned}", edit.describe())));
                self.state.history.undone.push(edit);
                self.learning.undone.push(serial);
            }
            Replay::Redo => {
                self.state.status = Some(Ok(format!("redone: {}", edit.describe())));
                let serial = self.learning.undone.pop().unwrap_or_else(|| {
                    self.learning.next_serial += 1;
                    self.learning.next_serial
                });
                self.learn(&edit, serial);
                self.state.history.done.push(edit);
                self.learning.done.push(serial);
            }
        }
        self.after_edit(article_id);
    }

    /// Takes back what the undone edit with this serial taught (and its pending question),
    /// and says so for the status line: "" or " and the 2 suggestions it taught".
    fn unlearn(&mut self, serial: u64) -> String {
        if self
            .state
            .learn_confirm
            .as_ref()
            .is_some_and(|c| c.serial == serial)
        {
            self.state.learn_confirm = None;
        }
        match self.withdraw_learned(serial) {
            0 => String::new(),
            1 => " and the 1 suggestion it taught".to_owned(),
            n => format!(" and the {n} suggestions it taught"),
        }
    }

    /// `Command::LearnEverywhere`: the user said yes to suggesting a held-back text in
    /// every article that contains it.
    pub(super) fn learn_everywhere(&mut self) {
        let Some(confirm) = self.state.learn_confirm.take() else {
            return;
        };
        if !self.learning.done.contains(&confirm.serial) {
            // The acceptance that taught it was undone meanwhile.
            return;
        }
        let id = self
            .jobs
            .learn(confirm.text.clone(), LearnScope::Everywhere);
        self.learning.jobs.insert(id, confirm.serial);
        self.new_job_about(id, JobKind::Learn, Arc::default(), confirm.text);
    }
}

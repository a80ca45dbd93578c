//! The eframe application: owns the archive handle, the background jobs and the state;
//! `logic()` drains job events and applies commands, `ui()` only draws.
//!
//! Owns: applying `Command`s, undo history, settings. Must not contain widget code beyond
//! the root call into `ui`.

pub mod command;
pub mod jobs;
pub mod state;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::Context as _;

use crate::export::ExportFormat;
use crate::import::ImportOptions;
use crate::model::{
    AnnotationStatus, ArticleId, Edit, LabelDef, PartialDate, SortOrder, char_len, plural,
};
use crate::service::{
    Archive, ExportOptions, LearnScope, ReviewScope, check_export_destination,
    create_export_folders, default_archive_dir, demo_archive_dir, is_demo_archive,
    manual_annotation, open_demo,
};
use crate::ui;

use command::{Command, ExportScope};
use jobs::{JobEvent, JobId, JobKind, Jobs};
use state::{
    AppState, HITS_PAGE, JobView, MetaDraft, PendingExport, ReaderState, StateFilter, ThemeChoice,
};

const SETTINGS_KEY: &str = "annalist-settings";

/// The environment variable naming the layout file (see `AnnalistApp::write_layout_file`).
pub const LAYOUT_FILE_VAR: &str = "ANNALIST_LAYOUT_FILE";

/// What persists between runs.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Settings {
    /// The archive that was open last.
    pub last_archive: Option<PathBuf>,
    /// Light or dark.
    pub theme: ThemeChoice,
    /// Where the work stood in the last archive, to pick it up again after a restart.
    pub session: Option<Session>,
}

/// The search and the open article of one archive, as they were when the app closed.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Session {
    /// The archive this belongs to: restored only when the same archive opens again.
    pub archive: PathBuf,
    /// Query as typed.
    pub query: String,
    /// Order of hits.
    pub order: SortOrder,
    /// Label filter.
    pub label: Option<String>,
    /// Review-state filter.
    pub state: Option<StateFilter>,
    /// Outlet filter.
    pub source: Option<String>,
    /// Published from.
    pub from: String,
    /// Published to.
    pub to: String,
    /// The article that was open (ignored if it no longer exists).
    pub open_article: Option<ArticleId>,
}

/// The desktop app.
pub struct AnnalistApp {
    archive: Archive,
    jobs: Jobs,
    /// What the views show.
    pub state: AppState,
    pending: Vec<Command>,
    /// Caches of the views (laid-out article text).
    pub view_cache: ui::ViewCache,
    repaint: Arc<dyn Fn() + Send + Sync>,
    sync_requested: u64,
    sync_done: u64,
    /// The status message last copied into the status history.
    logged_status: Option<Result<String, String>>,
    /// `ANNALIST_LAYOUT_FILE`: where to write what the reader draws, for tests that drive
    /// the real window.
    layout_file: Option<PathBuf>,
    layout_written: Option<String>,
    learning: Learning,
}

/// Which suggestions each edit taught, so undoing the edit takes them back. Every entry of
/// the undo history has a serial number; `done` and `undone` run beside `History::done` and
/// `History::undone`.
#[derive(Debug, Default)]
struct Learning {
    next_serial: u64,
    done: Vec<u64>,
    undone: Vec<u64>,
    /// Learning jobs still running, by the serial of the edit that started them.
    jobs: std::collections::HashMap<jobs::JobId, u64>,
    /// The suggestions each edit's learning stored.
    created: std::collections::HashMap<u64, Vec<crate::model::Annotation>>,
}

impl AnnalistApp {
    /// Opens the app on `archive_dir`. `repaint` wakes the UI from background threads.
    pub fn new(
        archive_dir: &Path,
        theme: ThemeChoice,
        repaint: Arc<dyn Fn() + Send + Sync>,
    ) -> anyhow::Result<Self> {
        let archive = Archive::open_reader(archive_dir)
            .with_context(|| format!("cannot open the archive {}", archive_dir.display()))?;
        let (jobs, open_job) = Jobs::start(archive_dir.to_owned(), Arc::clone(&repaint))
            .context("cannot start the archive's writer thread")?;
        let mut app = Self {
            archive,
            jobs,
            state: AppState {
                archive_dir: archive_dir.to_owned(),
                article_count: 0,
                labels: crate::model::LabelSchema::default(),
                sources: Vec::new(),
                search: state::SearchState::default(),
                reader: None,
                jobs: Vec::new(),
                dialogs: state::Dialogs::default(),
                history: state::History::default(),
                theme,
                status: None,
                log: Vec::new(),
                log_open: false,
                learn_confirm: None,
                focus_search: true,
                release_focus: false,
                is_demo: is_demo_archive(archive_dir),
                quit_requested: false,
            },
            pending: Vec::new(),
            view_cache: ui::ViewCache::default(),
            repaint,
            sync_requested: 0,
            sync_done: 0,
            layout_file: std::env::var_os(LAYOUT_FILE_VAR)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from),
            layout_written: None,
            learning: Learning::default(),
            logged_status: None,
        };
        app.state.jobs.push(JobView {
            id: open_job,
            kind: JobKind::Open,
            done: 0,
            total: 0,
            message: String::new(),
            outcome: None,
            details: Vec::new(),
            cancel: Arc::new(AtomicBool::new(false)),
            started: std::time::Instant::now(),
            subject: String::new(),
        });
        app.refresh_archive_info();
        app.run_search();
        Ok(app)
    }

    /// Queues a command for the next `logic` pass.
    pub fn push(&mut self, command: Command) {
        self.pending.push(command);
    }

    /// Whether background work is still running (jobs, or edits not yet in the index).
    pub fn jobs_running(&self) -> bool {
        self.sync_done < self.sync_requested || self.state.jobs.iter().any(|j| j.outcome.is_none())
    }

    /// Blocks until background jobs finish or `timeout` passes (tests and scripts).
    pub fn wait_for_jobs(&mut self, timeout: std::time::Duration) -> bool {
        let deadline = std::time::Instant::now() + timeout;
        while self.jobs_running() {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            if left.is_zero() {
                return false;
            }
            if let Some(event) = self.jobs.wait_event(left) {
                self.handle_event(event);
            }
        }
        for event in self.jobs.drain() {
            self.handle_event(event);
        }
        true
    }

    /// Drains job events and applies queued commands. No drawing.
    pub fn logic(&mut self) {
        for event in self.jobs.drain() {
            self.handle_event(event);
        }
        let commands = std::mem::take(&mut self.pending);
        for command in commands {
            self.apply(command);
            self.log_status();
        }
    }

    /// Copies a new status message into the status history.
    fn log_status(&mut self) {
        if self.state.status == self.logged_status {
            return;
        }
        self.logged_status.clone_from(&self.state.status);
        if let Some(message) = &self.state.status {
            self.log(message.clone(), None);
        }
    }

    fn log(&mut self, message: Result<String, String>, job: Option<JobId>) {
        let log = &mut self.state.log;
        log.push(state::LogEntry { message, job });
        if log.len() > state::LOG_LIMIT {
            log.drain(..log.len() - state::LOG_LIMIT);
        }
    }

    /// Draws the whole window; views push commands, applied in the next `logic`.
    pub fn draw(&mut self, ui: &mut egui::Ui) {
        let mut commands = Vec::new();
        ui::app_ui(ui, &mut self.state, &mut self.view_cache, &mut commands);
        if self.state.quit_requested {
            ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
        }
        if !commands.is_empty() {
            self.pending.extend(commands);
            ui.ctx().request_repaint();
        }
        if self.layout_file.is_some() {
            self.write_layout_file(ui.ctx().pixels_per_point());
        }
    }

    /// Writes the layout file (`ANNALIST_LAYOUT_FILE`) when what it says changed: the open
    /// article, the words visible in the reader with their rectangles on screen (points),
    /// the selection as it will be stored, the open context menu's entries, the status
    /// area's question buttons, the theme and the article ids of the loaded result list in
    /// order. Written to a temporary name and
    /// renamed, so a reader never sees half a file.
    fn write_layout_file(&mut self, pixels_per_point: f32) {
        let Some(path) = &self.layout_file else {
            return;
        };
        let rect = |r: &egui::Rect| [r.min.x, r.min.y, r.max.x, r.max.y];
        let reader = self.state.reader.as_ref();
        let drawn = self
            .view_cache
            .reader
            .drawn
            .as_ref()
            .filter(|d| reader.is_some_and(|r| r.article.id == d.article));
        let words: Vec<serde_json::Value> = match (drawn, reader) {
            (Some(drawn), Some(reader)) => drawn
                .words
                .iter()
                .map(|(chars, r)| {
                    serde_json::json!({
                        "start": chars.start,
                        "end": chars.end,
                        "text": crate::model::slice_chars(&reader.article.text, chars.start, chars.end),
                        "rect": rect(r),
                    })
                })
                .collect(),
            _ => Vec::new(),
        };
        let menu: Vec<serde_json::Value> = drawn
            .map(|d| {
                d.menu
                    .iter()
                    .map(|(label, r)| serde_json::json!({"label": label, "rect": rect(r)}))
                    .collect()
            })
            .unwrap_or_default();
        let buttons: Vec<serde_json::Value> = self
            .view_cache
            .status_buttons
            .iter()
            .map(|(label, r)| serde_json::json!({"label": label, "rect": rect(r)}))
            .collect();
        let hits: Vec<i64> = self
            .state
            .search
            .pages
            .values()
            .flatten()
            .map(|h| h.id.0)
            .collect();
        let value = serde_json::json!({
            "article": reader.map(|r| r.article.id.0),
            "selection": reader.and_then(|r| r.selection),
            "selected": reader.and_then(|r| r.selected).map(|a| a.0),
            "theme": match self.state.theme { ThemeChoice::Light => "light", ThemeChoice::Dark => "dark" },
            "pixels_per_point": pixels_per_point,
            "words": words,
            "menu": menu,
            "buttons": buttons,
            "hits": hits,
        });
        let text = value.to_string();
        if self.layout_written.as_deref() == Some(text.as_str()) {
            return;
        }
        if let Err(e) = replace_regular_file(path, &text) {
            self.state.status = Some(Err(format!(
                "cannot write the layout file {}: {e}",
                path.display()
            )));
            self.layout_file = None;
            return;
        }
        self.layout_written = Some(text);
    }

    /// Settings to persist.
    pub fn settings(&self) -> Settings {
        let search = &self.state.search;
        Settings {
            last_archive: Some(self.state.archive_dir.clone()),
            theme: self.state.theme,
            session: Some(Session {
                archive: self.state.archive_dir.clone(),
                query: search.query.clone(),
                order: search.order,
                label: search.label.clone(),
                state: search.state,
                source: search.source.clone(),
                from: search.from.clone(),
                to: search.to.clone(),
                open_article: self.state.reader.as_ref().map(|r| r.article.id),
            }),
        }
    }

    /// Picks up the search and the open article where the last run left them, if that run
    /// had this archive open. An article that is gone since is quietly not opened.
    pub fn restore(&mut self, settings: &Settings) {
        let Some(session) = &settings.session else {
            return;
        };
        if session.archive != self.state.archive_dir {
            return;
        }
        let search = &mut self.state.search;
        search.query.clone_from(&session.query);
        search.order = session.order;
        search.label.clone_from(&session.label);
        search.state = session.state;
        search.source.clone_from(&session.source);
        search.from.clone_from(&session.from);
        search.to.clone_from(&session.to);
        if let Some(id) = session.open_article
            && self.archive.article(id).is_ok()
        {
            self.open_article(id);
        }
        self.run_search();
    }

    fn handle_event(&mut self, event: JobEvent) {
        self.handle_job_event(event);
        self.log_status();
    }

    fn handle_job_event(&mut self, event: JobEvent) {
        match event {
            JobEvent::Progress {
                id,
                done,
                total,
                message,
            } => {
                if let Some(job) = self.state.jobs.iter_mut().find(|j| j.id == id) {
                    job.done = done;
                    job.total = total;
                    job.message = message;
                }
            }
            JobEvent::Finished {
                id,
                outcome,
                details,
            } => {
                let cancelled = self
                    .state
                    .jobs
                    .iter()
                    .any(|j| j.id == id && j.cancel.load(Ordering::Relaxed));
                let dialog = &mut self.state.dialogs.export;
                if dialog.job == Some(id) {
                    dialog.job = None;
                    if let Err(e) = &outcome
                        && !cancelled
                    {
                        // The user must fix something: the dialog comes back with the reason.
                        dialog.open = true;
                        dialog.message = Some(Err(e.clone()));
                    }
                }
                let known = self.state.jobs.iter().any(|j| j.id == id);
                if known {
                    self.log(outcome.clone(), Some(id));
                }
                if let Some(job) = self.state.jobs.iter_mut().find(|j| j.id == id) {
                    job.outcome = Some(outcome);
                    job.details = details;
                    if matches!(job.kind, JobKind::Suggest | JobKind::Learn) {
                        // The open article may have new suggestions.
                        self.reload_reader();
                    }
                } else if let Err(e) = outcome {
                    self.state.status = Some(Err(e));
                }
            }
            JobEvent::Learned {
                id,
                created,
                held_back,
            } => {
                let Some(serial) = self.learning.jobs.remove(&id) else {
                    return;
                };
                if let Some(crate::service::HeldBack::TooCommon {
                    text,
                    label,
                    articles,
                }) = held_back
                    && self.learning.done.contains(&serial)
                {
                    self.state.learn_confirm = Some(state::LearnConfirm {
                        text,
                        label,
                        articles,
                        serial,
                    });
                }
                if self.learning.done.contains(&serial) {
                    self.learning
                        .created
                        .entry(serial)
                        .or_default()
                        .extend(created);
                } else {
                    // The edit that taught them was undone while the job ran.
                    let result = self.archive.withdraw_learned(&created);
                    if self.report(result).is_some() {
                        self.sync_requested = self.jobs.sync();
                    }
                }
            }
            JobEvent::Synced(ticket) => self.sync_done = self.sync_done.max(ticket),
            JobEvent::Warnings(warnings) => self.warn(warnings),
            JobEvent::IndexChanged => {
                if let Err(e) = self.archive.reload_index() {
                    self.state.status = Some(Err(format!("{e:#}")));
                }
                self.refresh_archive_info();
                self.rerun_search();
            }
        }
    }

    fn refresh_archive_info(&mut self) {
        match (
            self.archive.labels(),
            self.archive.sources(),
            self.archive.stats(),
        ) {
            (Ok(labels), Ok(sources), Ok(stats)) => {
                self.state.labels = labels;
                self.state.sources = sources;
                self.state.article_count = stats.store.articles;
            }
            (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => {
                self.state.status = Some(Err(format!("{e:#}")))
            }
        }
    }

    /// The query with the panel's filters folded in, and what is unfinished in the typed
    /// part (searched as if it were finished, so typing a phrase shows no parser error).
    fn effective_query(&self) -> (String, Option<&'static str>) {
        let s = &self.state.search;
        let typed = crate::model::complete_typed_query(s.query.trim());
        let mut parts = Vec::new();
        if !typed.query.trim().is_empty() {
            parts.push(format!("({})", typed.query.trim()));
        }
        if let Some(label) = &s.label {
            parts.push(format!("label:{label}"));
        }
        if let Some(state) = s.state {
            parts.push(
                match state {
                    StateFilter::Unannotated => "state:unannotated",
                    StateFilter::HasSuggestions => "state:suggested",
                    StateFilter::Done => "state:done",
                }
                .to_owned(),
            );
        }
        if let Some(source) = &s.source {
            parts.push(format!("source:\"{}\"", source.replace('"', " ")));
        }
        let from = s.from.trim();
        let to = s.to.trim();
        if !from.is_empty() || !to.is_empty() {
            let bound = |t: &str| {
                if t.is_empty() {
                    "*".to_owned()
                } else {
                    t.to_owned()
                }
            };
            parts.push(format!("published:[{} TO {}]", bound(from), bound(to)));
        }
        (parts.join(" AND "), typed.unfinished)
    }

    fn run_search(&mut self) {
        let (query, unfinished) = self.effective_query();
        let search = &mut self.state.search;
        search.effective_query = query;
        search.unfinished = unfinished;
        search.pages.clear();
        search.revision += 1;
        search.error = None;
        self.load_page(0);
        let open = self.state.reader.as_ref().map(|r| r.article.id);
        let search = &mut self.state.search;
        search.open_row = open.and_then(|id| search.position_of(id));
        search.neighbours = (None, None);
    }

    /// After the index changed: same query, fresh hits, same article open. The open
    /// article's neighbours are remembered first, so the next step goes where it would have
    /// gone before the list changed.
    fn rerun_search(&mut self) {
        let open = self.state.reader.as_ref().map(|r| r.article.id);
        let search = &mut self.state.search;
        if let Some(row) = search.open_row
            && open.is_some()
            && search.hit(row).map(|h| h.id) == open
        {
            let id_at = |r: Option<usize>| r.and_then(|r| search.hit(r)).map(|h| h.id);
            search.neighbours = (id_at(row.checked_sub(1)), id_at(row.checked_add(1)));
        }
        let loaded: Vec<usize> = self.state.search.pages.keys().copied().collect();
        self.state.search.pages.clear();
        for page in loaded.into_iter().chain(std::iter::once(0)) {
            if !self.state.search.pages.contains_key(&page) {
                self.load_page(page);
            }
        }
    }

    fn load_page(&mut self, page: usize) {
        let query = self.state.search.effective_query.clone();
        // Without words to rank by, "relevance" means the newest first.
        let order = match self.state.search.order {
            SortOrder::Relevance if self.state.search.query.trim().is_empty() => {
                SortOrder::NewestFirst
            }
            order => order,
        };
        match self
            .archive
            .search_sorted(&query, HITS_PAGE, page * HITS_PAGE, order)
        {
            Ok(result) => {
                self.state.search.total = result.total;
                self.state.search.pages.insert(page, result.hits);
            }
            Err(e) => {
                self.state.search.total = 0;
                self.state.search.error = Some(format!("{e:#}"));
            }
        }
    }

    fn open_article(&mut self, id: ArticleId) {
        let loaded = self
            .archive
            .article(id)
            .and_then(|article| Ok((self.archive.annotations(id)?, article)));
        match loaded {
            Ok((mut annotations, article)) => {
                annotations.retain(|a| a.status != AnnotationStatus::Rejected);
                let meta_draft = MetaDraft::of(&article);
                let revision = self.state.reader.as_ref().map_or(0, |r| r.revision + 1);
                self.state.reader = Some(ReaderState {
                    article,
                    annotations,
                    revision,
                    selection: None,
                    selecting: None,
                    find: None,
                    selected: None,
                    scroll_to: Some(0),
                    meta_draft,
                    draft: None,
                });
                self.state.release_focus = true;
                let search = &mut self.state.search;
                search.open_row = search.position_of(id);
                search.neighbours = (None, None);
            }
            Err(e) => self.state.status = Some(Err(format!("{e:#}"))),
        }
    }

    /// Re-reads the open article's annotations after an edit.
    fn reload_reader(&mut self) {
        let Some(reader) = &mut self.state.reader else {
            return;
        };
        let id = reader.article.id;
        match (self.archive.article(id), self.archive.annotations(id)) {
            (Ok(article), Ok(mut annotations)) => {
                annotations.retain(|a| a.status != AnnotationStatus::Rejected);
                reader.meta_draft = MetaDraft::of(&article);
                reader.article = article;
                reader.annotations = annotations;
                reader.revision += 1;
                reader.draft = None;
                if let Some(selected) = reader.selected
                    && !reader.annotations.iter().any(|a| a.id == selected)
                {
                    reader.selected = None;
                }
            }
            (Err(e), _) | (_, Err(e)) => self.state.status = Some(Err(format!("{e:#}"))),
        }
    }

    /// Records a persisted edit: undo history, views, and the index in the background.
    fn edited(&mut self, edit: Edit) {
        self.state.status = Some(Ok(format!("saved: {}", edit.describe())));
        let serial = self.learning.next_serial;
        self.learning.next_serial += 1;
        self.learn(&edit, serial);
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
        let mut texts = Vec::new();
        newly_accepted(edit, &mut texts);
        texts.sort();
        texts.dedup();
        for text in texts {
            let id = self.jobs.learn(text.clone(), LearnScope::Bounded);
            self.learning.jobs.insert(id, serial);
            self.new_job_about(id, JobKind::Learn, Arc::new(AtomicBool::new(false)), text);
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

    /// Shows what went wrong after the store did its part (the newest status line, and the
    /// history for the rest).
    fn warn(&mut self, warnings: Vec<String>) {
        let count = warnings.len();
        if let Some(first) = warnings.into_iter().next() {
            let more = match count {
                1 => String::new(),
                n => format!(" (and {} more)", n - 1),
            };
            self.state.status = Some(Err(format!("{first}{more}")));
        }
    }

    fn report<T>(&mut self, result: Result<T, crate::service::ArchiveError>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(e) => {
                self.state.status = Some(Err(format!("{e:#}")));
                None
            }
        }
    }

    fn selected_annotation(&self) -> Option<&crate::model::Annotation> {
        let reader = self.state.reader.as_ref()?;
        let id = reader.selected?;
        reader.annotations.iter().find(|a| a.id == id)
    }

    /// Opens the next (or previous) hit, counted from where the open article was in the
    /// list, not from where an edit since moved it.
    fn step_article(&mut self, forward: bool) {
        let Some(next) = self.next_row(forward) else {
            return;
        };
        if next >= self.state.search.total {
            return;
        }
        if self.state.search.hit(next).is_none() {
            self.load_page(next / HITS_PAGE);
        }
        if let Some(id) = self.state.search.hit(next).map(|h| h.id) {
            self.open_article(id);
            self.state.search.open_row = Some(next);
        }
    }

    /// The row to open when stepping; `None` when there is nothing before the first.
    fn next_row(&mut self, forward: bool) -> Option<usize> {
        let Some(open) = self.state.reader.as_ref().map(|r| r.article.id) else {
            return Some(0);
        };
        let step = |row: usize| {
            if forward {
                row.checked_add(1)
            } else {
                row.checked_sub(1)
            }
        };
        let row = self.state.search.open_row;
        if let Some(row) = row
            && self.state.search.hit(row).is_none()
        {
            self.load_page(row / HITS_PAGE);
        }
        let search = &self.state.search;
        // Still where it was: the plain case.
        if let Some(row) = row
            && search.hit(row).map(|h| h.id) == Some(open)
        {
            return step(row);
        }
        // Moved or gone: the hit that was next to it, wherever it is now.
        let neighbour = if forward {
            search.neighbours.1
        } else {
            search.neighbours.0
        };
        if let Some(position) = neighbour.and_then(|id| search.position_of(id)) {
            return Some(position);
        }
        // Gone from its row: the rows after it moved up by one.
        if let Some(row) = row {
            return if forward {
                Some(row)
            } else {
                row.checked_sub(1)
            };
        }
        match search.position_of(open) {
            Some(position) => step(position),
            None => Some(0),
        }
    }

    fn step_annotation(&mut self, forward: bool) {
        let Some(reader) = &mut self.state.reader else {
            return;
        };
        if reader.annotations.is_empty() {
            return;
        }
        let current = reader
            .selected
            .and_then(|id| reader.annotations.iter().position(|a| a.id == id));
        let len = reader.annotations.len();
        let next = match current {
            None if forward => 0,
            None => len - 1,
            Some(i) if forward => (i + 1) % len,
            Some(i) => (i + len - 1) % len,
        };
        if let Some(annotation) = reader.annotations.get(next) {
            reader.selected = Some(annotation.id);
            reader.scroll_to = Some(annotation.start);
        }
    }

    fn new_job(&mut self, id: u64, kind: JobKind, cancel: Arc<AtomicBool>) {
        self.new_job_about(id, kind, cancel, String::new());
    }

    fn new_job_about(&mut self, id: u64, kind: JobKind, cancel: Arc<AtomicBool>, subject: String) {
        self.state.jobs.push(JobView {
            id,
            kind,
            done: 0,
            total: 0,
            message: String::new(),
            outcome: None,
            details: Vec::new(),
            cancel,
            started: std::time::Instant::now(),
            subject,
        });
    }

    /// Starts an export after checking its path: a path that cannot be written keeps the
    /// dialog open with the reason, an existing one waits for "replace", and missing folders
    /// are created (and named in the status line).
    fn start_export(&mut self, request: PendingExport, replace_confirmed: bool) {
        let dialog = &mut self.state.dialogs.export;
        let destination = match check_export_destination(request.format, &request.path) {
            Ok(destination) => destination,
            Err(e) => {
                dialog.open = true;
                dialog.message = Some(Err(format!("{e:#}")));
                return;
            }
        };
        if destination.exists && !replace_confirmed {
            dialog.open = true;
            dialog.message = None;
            dialog.pending_replace = Some(request);
            return;
        }
        if let Err(e) = create_export_folders(&destination) {
            dialog.open = true;
            dialog.message = Some(Err(format!("{e:#}")));
            return;
        }
        let mut options = ExportOptions {
            include_suggestions: request.include_suggestions,
            csv_cells: if request.csv_raw {
                crate::export::CsvCells::Raw
            } else {
                crate::export::CsvCells::Neutralised
            },
            labels: request.labels,
            ..ExportOptions::default()
        };
        match request.scope {
            ExportScope::All => {}
            ExportScope::CurrentSearch => {
                options.query = Some(self.state.search.effective_query.clone());
            }
            ExportScope::OpenArticle => {
                options.ids = Some(self.state.reader.iter().map(|r| r.article.id).collect());
            }
        }
        let cancel = Arc::new(AtomicBool::new(false));
        let id = self
            .jobs
            .export(request.format, request.path, options, Arc::clone(&cancel));
        self.new_job(id, JobKind::Export, cancel);
        let dialog = &mut self.state.dialogs.export;
        dialog.open = false;
        dialog.job = Some(id);
        dialog.pending_replace = None;
        dialog.message = None;
        if !destination.missing_folders.is_empty() {
            let folders: Vec<String> = destination
                .missing_folders
                .iter()
                .map(|f| f.display().to_string())
                .collect();
            self.state.status = Some(Ok(format!(
                "created {} for the export: {}",
                plural(folders.len(), "missing folder", "missing folders"),
                folders.join(", ")
            )));
        }
    }

    /// Stores the label editor's changes: colour, key and description first (under the old
    /// name), then the new name. Both steps are one undoable edit.
    fn save_label(&mut self, name: &str, label: LabelDef) {
        let Some(before) = self.state.labels.find(name).cloned() else {
            return;
        };
        let mut edits = Vec::new();
        let mut failed = false;
        let attributes = LabelDef {
            name: name.to_owned(),
            ..label.clone()
        };
        if attributes != before {
            let result = self.archive.update_label(&attributes);
            match self.report(result) {
                Some(edit) => edits.push(edit),
                None => failed = true,
            }
        }
        if !failed && label.name != name {
            let result = self.archive.rename_label(name, &label.name);
            match self.report(result) {
                Some(edit) => edits.push(edit),
                None => failed = true,
            }
        }
        if !failed {
            self.state.dialogs.label_edit = None;
        }
        // The error stays in the status line; what did succeed is kept and undoable.
        let status = self.state.status.clone();
        match edits.len() {
            0 => {}
            1 => {
                if let Some(edit) = edits.pop() {
                    self.edited(edit);
                }
            }
            _ => self.edited(Edit::Batch(edits)),
        }
        if failed {
            self.state.status = status;
        }
    }

    fn start_import(&mut self, paths: Vec<PathBuf>, options: ImportOptions) {
        let cancel = Arc::new(AtomicBool::new(false));
        let id = self.jobs.import(paths, options, Arc::clone(&cancel));
        self.new_job(id, JobKind::Import, cancel);
        self.state.dialogs.import_open = false;
    }

    /// Applies one command. The only place that changes durable state. What the store did
    /// but the index could not follow (or rows it could not read back) is said after it.
    pub fn apply(&mut self, command: Command) {
        self.apply_command(command);
        let mut warnings = self.archive.take_warnings();
        warnings.extend(self.archive.take_damaged_rows());
        if !warnings.is_empty() {
            self.warn(warnings);
        }
    }

    #[expect(
        clippy::too_many_lines,
        reason = "one arm per command reads best as one match"
    )]
    fn apply_command(&mut self, command: Command) {
        match command {
            Command::Search => self.run_search(),
            Command::ClearFilters => {
                let search = &mut self.state.search;
                search.label = None;
                search.state = None;
                search.source = None;
                search.from.clear();
                search.to.clear();
                self.run_search();
            }
            Command::LoadHitsPage(page) => {
                if !self.state.search.pages.contains_key(&page) {
                    self.load_page(page);
                }
            }
            Command::OpenArticle(id) => self.open_article(id),
            Command::NextArticle => self.step_article(true),
            Command::PreviousArticle => self.step_article(false),
            Command::Annotate { label, start, end } => {
                let Some(article_id) = self.state.reader.as_ref().map(|r| r.article.id) else {
                    return;
                };
                let mut annotation =
                    manual_annotation(&label, start, end, Default::default(), &annotator());
                // By hand, a span gets the values the suggester would give it (a figure's
                // count, outcome and claimant; a date's value), to be checked, not typed.
                if let Err(e) = self.archive.prefill(article_id, &mut annotation) {
                    self.state.status = Some(Err(format!("{e:#}")));
                }
                // Over a suggestion of the same span this reviews it instead of adding a twin.
                let result = self.archive.annotate(article_id, annotation);
                if let Some((stored, edit)) = self.report(result) {
                    let id = stored.id;
                    self.edited(edit);
                    if let Some(reader) = &mut self.state.reader {
                        reader.selected = Some(id);
                        reader.selection = None;
                    }
                }
            }
            Command::AnnotateSelectionWithShortcut(key) => {
                let Some(label) = self
                    .state
                    .labels
                    .labels
                    .iter()
                    .find(|l| l.shortcut == Some(key))
                else {
                    return;
                };
                let Some(reader) = &self.state.reader else {
                    return;
                };
                let Some((start, end)) = reader.selection else {
                    self.state.status = Some(Err(
                        "select some text first, then press a label key".to_owned()
                    ));
                    return;
                };
                let label = label.name.clone();
                self.apply(Command::Annotate { label, start, end });
            }
            Command::SelectAnnotation(id) => {
                if let Some(reader) = &mut self.state.reader {
                    reader.selected = id;
                }
            }
            Command::JumpToAnnotation(id) => {
                if let Some(reader) = &mut self.state.reader
                    && let Some(annotation) = reader.annotations.iter().find(|a| a.id == id)
                {
                    reader.selected = Some(id);
                    reader.scroll_to = Some(annotation.start);
                }
            }
            Command::NextAnnotation => self.step_annotation(true),
            Command::PreviousAnnotation => self.step_annotation(false),
            Command::UpdateAnnotation {
                id,
                label,
                attrs,
                status,
            } => {
                let result = self.archive.update_annotation(id, &label, attrs, status);
                if let Some(edit) = self.report(result) {
                    self.edited(edit);
                }
            }
            Command::DeleteAnnotation(id) => {
                let result = self.archive.remove_annotation(id);
                if let Some(removal) = self.report(result) {
                    self.edited(removal.edit());
                }
            }
            Command::LearnEverywhere => {
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
                self.new_job_about(
                    id,
                    JobKind::Learn,
                    Arc::new(AtomicBool::new(false)),
                    confirm.text,
                );
            }
            Command::DismissLearnConfirm => self.state.learn_confirm = None,
            Command::DeleteSelected => {
                if let Some(annotation) = self.selected_annotation() {
                    let id = annotation.id;
                    self.apply(Command::DeleteAnnotation(id));
                }
            }
            Command::AcceptSelected | Command::RejectSelected => {
                let Some(annotation) = self.selected_annotation() else {
                    return;
                };
                if annotation.status != AnnotationStatus::Suggested {
                    return;
                }
                // A rejection is kept (hidden), so suggesting again does not bring it back.
                let status = if matches!(command, Command::AcceptSelected) {
                    AnnotationStatus::Accepted
                } else {
                    AnnotationStatus::Rejected
                };
                let (id, label, attrs) = (
                    annotation.id,
                    annotation.label.clone(),
                    annotation.attrs.clone(),
                );
                self.apply(Command::UpdateAnnotation {
                    id,
                    label,
                    attrs,
                    status,
                });
            }
            Command::UpdateArticle(meta) => {
                let result = self.archive.update_article(meta);
                if let Some(edit) = self.report(result) {
                    self.edited(edit);
                }
            }
            Command::Undo => {
                let Some(edit) = self.state.history.done.pop() else {
                    return;
                };
                let result = self.archive.apply_edit(&edit.inverse());
                if self.report(result).is_some() {
                    let serial = self.learning.done.pop().unwrap_or(u64::MAX);
                    if self
                        .state
                        .learn_confirm
                        .as_ref()
                        .is_some_and(|c| c.serial == serial)
                    {
                        self.state.learn_confirm = None;
                    }
                    let withdrawn = self.withdraw_learned(serial);
                    let learned = match withdrawn {
                        0 => String::new(),
                        1 => " and the 1 suggestion it taught".to_owned(),
                        n => format!(" and the {n} suggestions it taught"),
                    };
                    self.state.status = Some(Ok(format!("undone: {}{learned}", edit.describe())));
                    let article_id = edit.article_id();
                    self.state.history.undone.push(edit);
                    self.learning.undone.push(serial);
                    self.after_edit(article_id);
                } else {
                    self.state.history.done.push(edit);
                }
            }
            Command::Redo => {
                let Some(edit) = self.state.history.undone.pop() else {
                    return;
                };
                let result = self.archive.apply_edit(&edit);
                if self.report(result).is_some() {
                    self.state.status = Some(Ok(format!("redone: {}", edit.describe())));
                    let serial = self.learning.undone.pop().unwrap_or_else(|| {
                        self.learning.next_serial += 1;
                        self.learning.next_serial
                    });
                    // Redoing an acceptance teaches again what undoing it took back.
                    self.learn(&edit, serial);
                    let article_id = edit.article_id();
                    self.state.history.done.push(edit);
                    self.learning.done.push(serial);
                    self.after_edit(article_id);
                } else {
                    self.state.history.undone.push(edit);
                }
            }
            Command::ShowImportDialog => self.state.dialogs.import_open = true,
            Command::PickImportFiles { folder } => {
                let dialog = rfd::FileDialog::new();
                let picked = if folder {
                    dialog.pick_folders()
                } else {
                    dialog.pick_files()
                };
                let dialogs = &mut self.state.dialogs;
                dialogs.import_open = true;
                match picked {
                    // The dialog keeps them, so outlet, date and format can still be set.
                    Some(paths) if !paths.is_empty() => {
                        for path in paths {
                            if !dialogs.import_paths.is_empty()
                                && !dialogs.import_paths.ends_with('\n')
                            {
                                dialogs.import_paths.push('\n');
                            }
                            dialogs.import_paths.push_str(&path.display().to_string());
                        }
                    }
                    _ => {
                        self.state.status = Some(Err(
                            "no file was picked (if no system file dialog appeared, type the paths in the Import dialog)"
                                .to_owned(),
                        ));
                    }
                }
            }
            Command::Import(paths) => self.start_import(paths, ImportOptions::default()),
            Command::ImportWithOptions { paths, options } => self.start_import(paths, options),
            Command::CancelJob(id) => {
                if let Some(job) = self.state.jobs.iter().find(|j| j.id == id) {
                    job.cancel.store(true, Ordering::Relaxed);
                }
            }
            Command::Suggest { all } => {
                let ids = if all {
                    None
                } else {
                    match &self.state.reader {
                        Some(reader) => Some(vec![reader.article.id]),
                        None => return,
                    }
                };
                let cancel = Arc::new(AtomicBool::new(false));
                let id = self.jobs.suggest(ids, Arc::clone(&cancel));
                self.new_job(id, JobKind::Suggest, cancel);
            }
            Command::ReviewLabel { label, accept } => {
                let Some(reader) = &self.state.reader else {
                    return;
                };
                let scope = ReviewScope {
                    ids: None,
                    article: Some(reader.article.id),
                    label: Some(label),
                };
                let status = if accept {
                    AnnotationStatus::Accepted
                } else {
                    AnnotationStatus::Rejected
                };
                let result = self.archive.review_suggestions(&scope, status);
                match self.report(result) {
                    Some(Edit::Batch(edits)) if edits.is_empty() => {
                        self.state.status = Some(Ok("no suggestions of that label".to_owned()));
                    }
                    Some(edit) => self.edited(edit),
                    None => {}
                }
            }
            Command::Reindex => {
                let cancel = Arc::new(AtomicBool::new(false));
                let id = self.jobs.reindex(Arc::clone(&cancel));
                self.new_job(id, JobKind::Reindex, cancel);
            }
            Command::ShowExportDialog => {
                let dialog = &mut self.state.dialogs.export;
                dialog.open = true;
                if dialog.path.is_empty() {
                    dialog.path = default_export_path(dialog.format).display().to_string();
                }
            }
            Command::PickExportFile => {
                let format = self.state.dialogs.export.format;
                let picked = if format.writes_folder() {
                    rfd::FileDialog::new()
                        .set_title("Export folder (new or empty)")
                        .pick_folder()
                } else {
                    let extension = format.default_extension();
                    rfd::FileDialog::new()
                        .add_filter(format.as_str(), &[extension])
                        .set_file_name(export_file_name(format))
                        .save_file()
                };
                if let Some(path) = picked {
                    self.state.dialogs.export.path = path.display().to_string();
                }
            }
            Command::Export {
                format,
                scope,
                include_suggestions,
                labels,
                path,
            } => {
                // The raw-cells choice is the dialog's; every other export neutralises.
                let request = PendingExport {
                    format,
                    scope,
                    include_suggestions,
                    csv_raw: self.state.dialogs.export.csv_raw,
                    labels,
                    path,
                };
                self.start_export(request, false);
            }
            Command::ConfirmExportReplace => {
                if let Some(request) = self.state.dialogs.export.pending_replace.take() {
                    self.start_export(request, true);
                }
            }
            Command::ShowArchiveDialog => {
                self.state.dialogs.archive_open = true;
                if self.state.dialogs.archive_path.is_empty() {
                    // From the demo, offer a folder of one's own rather than the demo again.
                    let own = self
                        .state
                        .is_demo
                        .then(default_archive_dir)
                        .flatten()
                        .filter(|dir| !is_demo_archive(dir));
                    let suggested = own.unwrap_or_else(|| self.state.archive_dir.clone());
                    self.state.dialogs.archive_path = suggested.display().to_string();
                }
            }
            Command::PickArchiveFolder => {
                if let Some(folder) = rfd::FileDialog::new().pick_folder() {
                    self.state.dialogs.archive_path = folder.display().to_string();
                }
            }
            Command::OpenArchive(dir) => {
                match Self::new(&dir, self.state.theme, Arc::clone(&self.repaint)) {
                    Ok(app) => {
                        *self = app;
                        self.state.status = Some(Ok(format!("opened {}", dir.display())));
                    }
                    Err(e) => self.state.status = Some(Err(format!("{e:#}"))),
                }
            }
            Command::AddLabel(label) => {
                let result = self.archive.add_label(&label);
                if self.report(result).is_some() {
                    self.state.status = Some(Ok(format!("label {} added", label.name)));
                    self.refresh_archive_info();
                    self.view_cache.invalidate();
                }
            }
            Command::ShowLabelEditor => self.state.dialogs.labels_open = true,
            Command::EditLabel(name) => {
                let Some(label) = self.state.labels.find(&name).cloned() else {
                    return;
                };
                let result = self.archive.label_usage(&name);
                if let Some(usage) = self.report(result) {
                    self.state.dialogs.label_edit = Some(state::LabelEditDraft::of(&label, usage));
                }
            }
            Command::SaveLabel { name, label } => self.save_label(&name, label),
            Command::RemoveLabel(name) => {
                let result = self.archive.remove_label(&name, true);
                if let Some(edit) = self.report(result) {
                    self.state.dialogs.label_edit = None;
                    self.edited(edit);
                }
            }
            Command::ToggleTheme => {
                self.state.theme = match self.state.theme {
                    ThemeChoice::Light => ThemeChoice::Dark,
                    ThemeChoice::Dark => ThemeChoice::Light,
                };
                self.view_cache.invalidate();
            }
            Command::ToggleShortcutHelp => {
                self.state.dialogs.shortcuts_open = !self.state.dialogs.shortcuts_open;
            }
            Command::FocusSearch => self.state.focus_search = true,
            Command::FindInArticle => match &mut self.state.reader {
                Some(reader) => {
                    let find = reader.find.get_or_insert_with(Default::default);
                    find.focus = true;
                }
                None => self.state.focus_search = true,
            },
            Command::Quit => self.state.quit_requested = true,
            Command::Escape => {
                let d = &mut self.state.dialogs;
                if d.import_open
                    || d.export.open
                    || d.archive_open
                    || d.labels_open
                    || d.shortcuts_open
                    || d.job_details.is_some()
                {
                    d.import_open = false;
                    d.export.open = false;
                    d.archive_open = false;
                    d.labels_open = false;
                    d.shortcuts_open = false;
                    d.job_details = None;
                } else if let Some(reader) = &mut self.state.reader
                    && reader.find.take().is_none()
                {
                    reader.selection = None;
                    reader.selecting = None;
                    reader.selected = None;
                }
            }
        }
    }
}

/// Writes `text` to `path` whole: to a new file of this process beside it, then renamed over
/// it. Refuses a `path` that is a link, a folder or a device (only a regular file, or
/// nothing, is replaced), and never overwrites an existing file under the temporary name.
fn replace_regular_file(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write as _;
    if let Ok(meta) = std::fs::symlink_metadata(path)
        && !meta.file_type().is_file()
    {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "it is a link, a folder or a device, not a file: name a plain file",
        ));
    }
    let mut partial = path.as_os_str().to_owned();
    partial.push(format!(".{}.writing", std::process::id()));
    let partial = PathBuf::from(partial);
    let written = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&partial)
        .and_then(|mut f| f.write_all(text.as_bytes()));
    match written {
        Ok(()) => std::fs::rename(&partial, path),
        Err(e) => {
            // Only a file this call created is removed.
            if e.kind() != std::io::ErrorKind::AlreadyExists {
                let _ = std::fs::remove_file(&partial);
            }
            Err(e)
        }
    }
}

/// Parses the date typed in the inspector (empty means unknown).
pub fn parse_draft_date(text: &str) -> Result<Option<PartialDate>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    text.parse::<PartialDate>()
        .map(Some)
        .map_err(|e| e.to_string())
}

fn annotator() -> String {
    std::env::var("ANNALIST_ANNOTATOR")
        .or_else(|_| std::env::var("USER"))
        .unwrap_or_else(|_| "annalist".to_owned())
}

/// Where an export goes unless the user says otherwise: the documents folder.
pub fn default_export_path(format: ExportFormat) -> PathBuf {
    let dir = directories::UserDirs::new()
        .map(|d| d.document_dir().unwrap_or(d.home_dir()).to_path_buf())
        .unwrap_or_else(|| PathBuf::from("."));
    dir.join(export_file_name(format))
}

/// The suggested file (or folder) name for an export in `format`; formats that share an
/// extension get names of their own, so one export never replaces another's file.
pub fn export_file_name(format: ExportFormat) -> String {
    match format {
        ExportFormat::EventsCsv => "annalist-events.csv".to_owned(),
        ExportFormat::Doccano => "annalist-doccano.jsonl".to_owned(),
        _ => match format.default_extension() {
            "" => format!("annalist-{format}"),
            extension => format!("annalist-export.{extension}"),
        },
    }
}

/// Texts an edit made accepted (a new accepted span, an accepted suggestion, a relabelled
/// accepted span), for learning.
fn newly_accepted(edit: &Edit, out: &mut Vec<String>) {
    match edit {
        Edit::AddAnnotation(a) if a.status == AnnotationStatus::Accepted => {
            out.push(a.text.clone())
        }
        Edit::UpdateAnnotation { before, after }
            if after.status == AnnotationStatus::Accepted
                && (before.status != AnnotationStatus::Accepted || before.label != after.label) =>
        {
            out.push(after.text.clone());
        }
        Edit::Batch(edits) => {
            for edit in edits {
                newly_accepted(edit, out);
            }
        }
        _ => {}
    }
}

/// Snaps `[start, end)` outwards to word boundaries in `text` (code points), and trims
/// surrounding whitespace, so a sloppy drag selects whole words.
pub fn snap_to_words(text: &str, start: usize, end: usize) -> (usize, usize) {
    let chars: Vec<char> = text.chars().collect();
    // Punctuation of Arabic script (comma, semicolon, question mark, full stop, decimal and
    // thousands separators) and quotation marks and dashes end a word like ASCII punctuation.
    let is_punctuation = |c: char| {
        matches!(
            c,
            '\u{060c}'
                | '\u{061b}'
                | '\u{061f}'
                | '\u{06d4}'
                | '\u{066b}'
                | '\u{066c}'
                | '\u{ab}'
                | '\u{bb}'
                | '\u{201c}'
                | '\u{201d}'
                | '\u{2018}'
                | '\u{2013}'
                | '\u{2014}'
                | '\u{2026}'
                | '\u{3001}'
                | '\u{3002}'
                | '\u{ff0c}'
        )
    };
    let is_word = |c: char| {
        !is_punctuation(c)
            && (c.is_alphanumeric()
                || c == '\''
                || c == '-'
                || c == '\u{200c}'
                || c == '\u{200d}'
                || !c.is_ascii() && !c.is_whitespace() && !c.is_ascii_punctuation())
    };
    let mut s = start.min(chars.len());
    let mut e = end.min(chars.len());
    while s < e && chars.get(s).is_some_and(|c| c.is_whitespace()) {
        s += 1;
    }
    while e > s && chars.get(e - 1).is_some_and(|c| c.is_whitespace()) {
        e -= 1;
    }
    if s == e {
        return (start, end);
    }
    while s > 0
        && chars.get(s - 1).copied().is_some_and(is_word)
        && chars.get(s).copied().is_some_and(is_word)
    {
        s -= 1;
    }
    while e < chars.len()
        && chars.get(e).copied().is_some_and(is_word)
        && chars.get(e - 1).copied().is_some_and(is_word)
    {
        e += 1;
    }
    // A possessive ending is not part of the name or the date ("Thursday's strikes").
    if e >= s + 3
        && chars.get(e - 1) == Some(&'s')
        && chars
            .get(e - 2)
            .is_some_and(|&c| c == '\'' || c == '\u{2019}')
    {
        e -= 2;
    }
    // Punctuation at the ends is rarely meant.
    while e > s + 1
        && chars.get(e - 1).is_some_and(|c| {
            matches!(
                c,
                '.' | ',' | ';' | ':' | '!' | '?' | '"' | ')' | '\u{201d}' | '\u{2019}'
            ) || is_punctuation(*c)
        })
    {
        e -= 1;
    }
    debug_assert!(e <= char_len(text));
    (s, e)
}

// --- eframe glue

/// The eframe wrapper: splits a frame into `logic` and `ui`, and persists settings.
struct EframeApp {
    app: AnnalistApp,
}

impl eframe::App for EframeApp {
    fn logic(&mut self, _ctx: &egui::Context, _frame: &mut eframe::Frame) {
        self.app.logic();
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.app.draw(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, SETTINGS_KEY, &self.app.settings());
    }
}

/// Which archive the app opens: the one asked for, else the last one, else the demo.
fn choose_archive(asked: Option<PathBuf>, settings: &Settings) -> anyhow::Result<PathBuf> {
    if let Some(dir) = asked {
        return Ok(dir);
    }
    if let Some(last) = settings
        .last_archive
        .as_ref()
        .filter(|d| d.join(crate::service::DATABASE_FILE).exists())
    {
        return Ok(last.clone());
    }
    let demo = demo_archive_dir()
        .or_else(default_archive_dir)
        .context("no folder for the demo archive: pass --archive DIR")?;
    // Loads the demo articles on first start; later starts find them there.
    open_demo(&demo)
        .with_context(|| format!("cannot create the demo archive {}", demo.display()))?;
    Ok(demo)
}

/// Runs the desktop app until its window closes.
pub fn run_gui(archive: Option<PathBuf>) -> anyhow::Result<()> {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Annalist")
            .with_inner_size([1280.0, 800.0])
            .with_min_inner_size([720.0, 480.0])
            .with_drag_and_drop(true),
        ..eframe::NativeOptions::default()
    };
    eframe::run_native(
        "Annalist",
        options,
        Box::new(move |cc| {
            let settings: Settings = cc
                .storage
                .and_then(|s| eframe::get_value(s, SETTINGS_KEY))
                .unwrap_or_default();
            ui::install_fonts(&cc.egui_ctx);
            let dir = choose_archive(archive, &settings)?;
            let ctx = cc.egui_ctx.clone();
            let repaint: Arc<dyn Fn() + Send + Sync> = Arc::new(move || ctx.request_repaint());
            let mut app = AnnalistApp::new(&dir, settings.theme, repaint)?;
            app.restore(&settings);
            Ok(Box::new(EframeApp { app }))
        }),
    )
    .map_err(|e| anyhow::anyhow!("the window could not be opened: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_layout_file_replaces_only_a_plain_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("layout.json");
        replace_regular_file(&file, "one").unwrap();
        replace_regular_file(&file, "two").unwrap();
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "two");
        // A link is refused; it stays a link and its target is untouched.
        let target = dir.path().join("notes.txt");
        std::fs::write(&target, "mine").unwrap();
        let link = dir.path().join("link.json");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        assert!(replace_regular_file(&link, "x").is_err());
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "mine");
        // A folder and a device are refused.
        assert!(replace_regular_file(dir.path(), "x").is_err());
        assert!(replace_regular_file(Path::new("/dev/null"), "x").is_err());
        // A file already under the temporary name is neither overwritten nor removed.
        let mut taken = file.as_os_str().to_owned();
        taken.push(format!(".{}.writing", std::process::id()));
        std::fs::write(&taken, "someone's").unwrap();
        assert!(replace_regular_file(&file, "three").is_err());
        assert_eq!(std::fs::read_to_string(&taken).unwrap(), "someone's");
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "two");
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            4,
            "nothing else was created or left behind"
        );
    }

    #[test]
    fn snapping_grows_to_whole_words_and_drops_edges() {
        let text = "Iran said nine people were killed, including four children.";
        let start = text.find("ne peo").unwrap();
        let (s, e) = snap_to_words(text, start, start + 6);
        assert_eq!(crate::model::slice_chars(text, s, e), "nine people");
        let start = text.find(" killed,").unwrap();
        let (s, e) = snap_to_words(text, start, start + 8);
        assert_eq!(crate::model::slice_chars(text, s, e), "killed");
        let start = text.find("Iran said").unwrap();
        let possessive = "Iran's strikes";
        let (s, e) = snap_to_words(possessive, 1, 3);
        assert_eq!(crate::model::slice_chars(possessive, s, e), "Iran");
        let _ = start;
        let arabic = "في يناير 2024، وفق";
        let start = arabic.find("2024").unwrap_or(0);
        let at = arabic[..start].chars().count();
        let (s, e) = snap_to_words(arabic, at, at + 1);
        assert_eq!(crate::model::slice_chars(arabic, s, e), "2024");
        let urdu_stop = "ہلاک ہو گئے۔ اور";
        let (s, e) = snap_to_words(urdu_stop, 8, 10);
        assert_eq!(crate::model::slice_chars(urdu_stop, s, e), "گئے");
        let urdu = "نو افراد ہلاک";
        let (s, e) = snap_to_words(urdu, 1, 4);
        assert_eq!(crate::model::slice_chars(urdu, s, e), "نو افراد");
    }
}

//! The eframe application: owns the archive handle, the background jobs and the state;
//! `logic()` drains job events and applies commands, `ui()` only draws.
//!
//! Owns: applying `Command`s, undo history, settings. Must not contain widget code beyond
//! the root call into `ui`. One concept per file: `apply.rs` dispatches each command to the
//! file that does it (`search.rs`, `reading.rs`, `annotating.rs`, `history.rs`,
//! `background.rs`, `exporting.rs`, `labels.rs`, `pickers.rs`, `window.rs`); `events.rs`
//! takes in what the jobs report; `settings.rs` and `layout_file.rs` are what the app writes
//! out; `run.rs` is the eframe glue.

mod adjudicating;
mod agreement;
mod annotating;
mod apply;
mod background;
mod coding;
mod coding_state;
pub mod command;
mod events;
mod events_state;
mod events_view;
mod exporting;
mod history;
pub mod jobs;
mod labels;
mod layout_file;
mod pickers;
mod reading;
mod run;
mod search;
mod settings;
pub mod state;
mod window;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context as _;

use crate::service::{Archive, ArchiveReader, is_demo_archive};
use crate::ui;

use command::Command;
use history::Learning;
use jobs::{JobId, JobKind, Jobs};
use state::{AppState, JobView, ThemeChoice};

pub use exporting::default_export_path;
pub use layout_file::LAYOUT_FILE_VAR;
pub use run::run_gui;
pub use settings::{Session, Settings};

/// The desktop app.
pub struct AnnalistApp {
    archive: ArchiveReader,
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

impl AnnalistApp {
    /// Opens the app on `archive_dir`. `repaint` wakes the UI from background threads.
    pub fn new(
        archive_dir: &Path,
        theme: ThemeChoice,
        repaint: Arc<dyn Fn() + Send + Sync>,
    ) -> anyhow::Result<Self> {
        let mut archive = Archive::open_reader(archive_dir)
            .with_context(|| format!("cannot open the archive {}", archive_dir.display()))?;
        archive
            .code_as_environment()
            .with_context(|| format!("cannot open the archive {}", archive_dir.display()))?;
        let coding = archive.coding_description();
        let from_environment = archive.coder().map(ToString::to_string);
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
                coding,
                team: None,
                adjudication: None,
                quit_requested: false,
                coders: state::CodersState {
                    from_environment,
                    ..state::CodersState::default()
                },
                events: state::EventsView::default(),
            },
            pending: Vec::new(),
            view_cache: ui::ViewCache::default(),
            repaint,
            sync_requested: 0,
            sync_done: 0,
            layout_file: layout_file::from_environment(),
            layout_written: None,
            learning: Learning::default(),
            logged_status: None,
        };
        app.state.jobs.push(JobView::new(
            open_job,
            JobKind::Open,
            Arc::default(),
            String::new(),
        ));
        if let Some(copy_job) = app.jobs.team_copy_job() {
            app.state.jobs.push(JobView::new(
                copy_job,
                JobKind::Open,
                Arc::default(),
                "the team archive".to_owned(),
            ));
        }
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
        self.keep_events_in_step();
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
}

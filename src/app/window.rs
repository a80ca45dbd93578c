//! The window as a whole: which archive is open, the theme, the dialogs that open and
//! close, focus, Escape and quitting.

use std::path::Path;
use std::sync::Arc;

use crate::service::{default_archive_dir, is_demo_archive};

use super::AnnalistApp;
use super::state::ThemeChoice;

impl AnnalistApp {
    /// `Command::ShowArchiveDialog`: from the demo, it offers a folder of one's own rather
    /// than the demo again.
    pub(super) fn show_archive_dialog(&mut self) {
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

    /// `Command::OpenArchive`: a new app on that folder replaces this one, coding as the
    /// same coder.
    pub(super) fn open_archive(&mut self, dir: &Path) {
        let coding = self.state.coders.settings.clone();
        match Self::new(dir, self.state.theme, Arc::clone(&self.repaint)) {
            Ok(app) => {
                *self = app;
                self.restore_coding(&coding);
                self.state.status = Some(Ok(format!("opened {}", dir.display())));
            }
            Err(e) => self.state.status = Some(Err(format!("{e:#}"))),
        }
    }

    /// `Command::ToggleTheme`.
    pub(super) fn toggle_theme(&mut self) {
        self.state.theme = match self.state.theme {
            ThemeChoice::Light => ThemeChoice::Dark,
            ThemeChoice::Dark => ThemeChoice::Light,
        };
        self.view_cache.invalidate();
    }

    /// `Command::ToggleShortcutHelp`.
    pub(super) fn toggle_shortcut_help(&mut self) {
        self.state.dialogs.shortcuts_open = !self.state.dialogs.shortcuts_open;
    }

    /// `Command::Escape`: closes the open dialogs; with none open, closes the find bar, or
    /// else clears the reader's selection.
    pub(super) fn escape(&mut self) {
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

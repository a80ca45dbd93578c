//! Exports from the export dialog: the default path, the checks before a job starts
//! (unwritable path, existing file, missing folders) and the request the job gets.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use crate::export::ExportFormat;
use crate::model::plural;
use crate::service::{ExportOptions, check_export_destination, create_export_folders};

use super::AnnalistApp;
use super::command::ExportScope;
use super::jobs::JobKind;
use super::state::PendingExport;

/// Where an export goes unless the user says otherwise: the documents folder.
pub fn default_export_path(format: ExportFormat) -> PathBuf {
    let dir = directories::UserDirs::new()
        .map(|d| d.document_dir().unwrap_or(d.home_dir()).to_path_buf())
        .unwrap_or_else(|| PathBuf::from("."));
    dir.join(format.file_name())
}

impl AnnalistApp {
    /// `Command::ShowExportDialog`: opens it, with the default path the first time.
    pub(super) fn show_export_dialog(&mut self) {
        let dialog = &mut self.state.dialogs.export;
        dialog.open = true;
        if dialog.path.is_empty() {
            dialog.path = default_export_path(dialog.format).display().to_string();
        }
    }

    /// `Command::Export`: the raw-cells choice is the dialog's; every other export
    /// neutralises.
    pub(super) fn export(
        &mut self,
        format: ExportFormat,
        scope: ExportScope,
        include_suggestions: bool,
        labels: Vec<String>,
        path: PathBuf,
    ) {
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

    /// `Command::ConfirmExportReplace`: the held-back export goes on over the existing path.
    pub(super) fn confirm_export_replace(&mut self) {
        if let Some(request) = self.state.dialogs.export.pending_replace.take() {
            self.start_export(request, true);
        }
    }

    /// Starts an export after checking its path: a path that cannot be written keeps the
    /// dialog open with the reason, an existing one waits for "replace", and missing folders
    /// are created (and named in the status line).
    pub(super) fn start_export(&mut self, request: PendingExport, replace_confirmed: bool) {
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
}

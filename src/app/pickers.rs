//! The system file dialogs (rfd): files or a folder to import, the export file, an archive
//! folder. Where no dialog can open, the dialogs' typed paths are the way.

use super::AnnalistApp;

impl AnnalistApp {
    /// `Command::PickImportFiles`: the picked paths go into the import dialog, so outlet,
    /// date and format can still be set.
    pub(super) fn pick_import_files(&mut self, folder: bool) {
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
                    if !dialogs.import_paths.is_empty() && !dialogs.import_paths.ends_with('\n') {
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

    /// `Command::PickExportFile`: a folder for formats that write one, else a file named
    /// for the format.
    pub(super) fn pick_export_file(&mut self) {
        let format = self.state.dialogs.export.format;
        let picked = if format.writes_folder() {
            rfd::FileDialog::new()
                .set_title("Export folder (new or empty)")
                .pick_folder()
        } else {
            let extension = format.default_extension();
            rfd::FileDialog::new()
                .add_filter(format.as_str(), &[extension])
                .set_file_name(format.file_name())
                .save_file()
        };
        if let Some(path) = picked {
            self.state.dialogs.export.path = path.display().to_string();
        }
    }

    /// `Command::PickArchiveFolder`.
    pub(super) fn pick_archive_folder(&mut self) {
        if let Some(folder) = rfd::FileDialog::new().pick_folder() {
            self.state.dialogs.archive_path = folder.display().to_string();
        }
    }
}

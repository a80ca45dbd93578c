//! The demo archive's notice: while the sample archive is open, say so above the search and
//! the reader, and offer the way to an archive of one's own.

use crate::app::command::Command;
use crate::app::state::AppState;

/// The banner line shown while the demo archive is open. While the import or export dialog
/// is open it says what that dialog is about to do with the demo.
pub(crate) fn demo_banner_ui(ui: &mut egui::Ui, state: &AppState, commands: &mut Vec<Command>) {
    let text = if state.dialogs.import_open {
        "Importing into the demo archive: your files would sit beside the sample articles. \
         Create your own archive for your work first."
    } else if state.dialogs.export.open {
        "Exporting from the demo archive: the export holds the sample articles."
    } else {
        "This is the demo archive (sample articles). Create your own archive for your work: \
         File > Open or create archive…"
    };
    ui.horizontal_wrapped(|ui| {
        ui.label(egui::RichText::new("Demo archive").strong());
        ui.label(text);
        if ui
            .button("Create your own archive…")
            .on_hover_text("Open or create an archive folder; the demo stays where it is")
            .clicked()
        {
            commands.push(Command::ShowArchiveDialog);
        }
    });
}

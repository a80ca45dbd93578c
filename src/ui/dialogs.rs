//! Dialogs: import, export, open/new archive, label editor, shortcut help, job details.

use std::path::PathBuf;

use crate::app::command::{Command, ExportScope, SHORTCUTS, format_keys};
use crate::app::command::{ExportFormat, Format, ImportOptions};
use crate::app::state::{AppState, Dialogs, ExportDialog, LabelEditDraft, ThemeChoice, color_hex};
use crate::model::{LabelDef, LabelSchema, PartialDate, plural};

use super::theme;

/// Draws whichever dialogs are open.
pub(crate) fn dialogs_ui(ctx: &egui::Context, state: &mut AppState, commands: &mut Vec<Command>) {
    import_dialog(ctx, state, commands);
    export_dialog(ctx, state, commands);
    archive_dialog(ctx, state, commands);
    label_editor(ctx, state, commands);
    shortcut_help(ctx, state);
    job_details(ctx, state);
}

fn paths_from_lines(text: &str) -> Vec<PathBuf> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(PathBuf::from)
        .collect()
}

/// How the import dialog names a format; `None` is detection from each file.
fn import_format_name(format: Option<Format>) -> &'static str {
    match format {
        None => "auto-detect from each file",
        Some(Format::Text) => "plain text",
        Some(Format::Html) => "HTML page",
        Some(Format::Feed) => "RSS / Atom feed",
        Some(Format::Json) => "JSON records",
        Some(Format::Jsonl) => "JSONL records (annotated: the native record)",
        Some(Format::Csv) => "CSV with a header row",
        Some(Format::Brat) => "brat folder (.txt + .ann, annotated)",
        Some(Format::Doccano) => "doccano JSONL (annotated)",
        Some(Format::LabelStudio) => "Label Studio JSON (annotated)",
        Some(Format::Conll) => "CoNLL (annotated)",
    }
}

fn import_dialog(ctx: &egui::Context, state: &mut AppState, commands: &mut Vec<Command>) {
    let error_color = theme::error_color(state.theme);
    let dialogs = &mut state.dialogs;
    if !dialogs.import_open {
        return;
    }
    let mut open = true;
    egui::Window::new("Import")
        .open(&mut open)
        .collapsible(false)
        .default_width(520.0)
        .show(ctx, |ui| {
            ui.label("Text, HTML, RSS/Atom, JSON/JSONL and CSV files, gzipped or not, and annotated brat, doccano, Label Studio and CoNLL files; folders are read recursively. You can also drop files and folders on the window.");
            ui.horizontal(|ui| {
                if ui.button("Choose files…").clicked() {
                    commands.push(Command::PickImportFiles { folder: false });
                }
                if ui.button("Choose a folder…").clicked() {
                    commands.push(Command::PickImportFiles { folder: true });
                }
            });
            ui.label("Or type paths, one per line:");
            ui.add(
                egui::TextEdit::multiline(&mut dialogs.import_paths)
                    .id_salt("import-paths")
                    .desired_rows(3)
                    .desired_width(f32::INFINITY)
                    .hint_text("/home/me/news/feeds"),
            );
            egui::Grid::new("import-options").num_columns(2).show(ui, |ui| {
                let format_label = ui.label("Format");
                egui::ComboBox::from_id_salt("import-format")
                    .selected_text(import_format_name(dialogs.import_format))
                    .width(260.0)
                    .show_ui(ui, |ui| {
                        ui.selectable_value(
                            &mut dialogs.import_format,
                            None,
                            import_format_name(None),
                        );
                        for format in Format::ALL {
                            ui.selectable_value(
                                &mut dialogs.import_format,
                                Some(format),
                                import_format_name(Some(format)),
                            );
                        }
                    })
                    .response
                    .labelled_by(format_label.id);
                ui.end_row();
                let outlet = ui.label("Outlet");
                ui.add(
                    egui::TextEdit::singleline(&mut dialogs.import_source)
                        .id_salt("import-source")
                        .hint_text("for files that name none, e.g. Dawn"),
                )
                .labelled_by(outlet.id);
                ui.end_row();
                let published = ui.label("Published");
                ui.add(
                    egui::TextEdit::singleline(&mut dialogs.import_published)
                        .id_salt("import-published")
                        .hint_text("YYYY, YYYY-MM or YYYY-MM-DD, for files that give none"),
                )
                .labelled_by(published.id);
                ui.end_row();
            });
            let published = dialogs.import_published.trim();
            let date = if published.is_empty() {
                Ok(None)
            } else {
                published.parse::<PartialDate>().map(Some).map_err(|e| e.to_string())
            };
            if let Err(reason) = &date {
                ui.colored_label(error_color, reason);
            }
            let paths = paths_from_lines(&dialogs.import_paths);
            let ready = !paths.is_empty() && date.is_ok();
            if ui.add_enabled(ready, egui::Button::new("Import")).clicked() {
                let source = dialogs.import_source.trim();
                commands.push(Command::ImportWithOptions {
                    paths,
                    options: ImportOptions {
                        published: date.ok().flatten(),
                        source: (!source.is_empty()).then(|| source.to_owned()),
                        format: dialogs.import_format,
                        max_file_bytes: None,
                    },
                });
            }
        });
    dialogs.import_open &= open;
}

fn export_dialog(ctx: &egui::Context, state: &mut AppState, commands: &mut Vec<Command>) {
    let has_article = state.reader.is_some();
    let search_total = state.search.total;
    let labels = &state.labels;
    let theme_choice = state.theme;
    let dialog = &mut state.dialogs.export;
    if !dialog.open {
        return;
    }
    let mut open = true;
    egui::Window::new("Export")
        .open(&mut open)
        .collapsible(false)
        .default_width(560.0)
        .show(ctx, |ui| {
            export_format_ui(ui, dialog);
            ui.separator();
            export_contents_ui(ui, dialog, labels, search_total, has_article);
            ui.separator();
            export_path_ui(ui, dialog, commands);
            export_footer_ui(ui, dialog, labels, theme_choice, commands);
        });
    dialog.open &= open;
}

/// The format picker, with a line on what the format is for.
fn export_format_ui(ui: &mut egui::Ui, dialog: &mut ExportDialog) {
    let before = dialog.format;
    egui::ComboBox::from_label("Format")
        .selected_text(dialog.format.as_str())
        .width(180.0)
        .show_ui(ui, |ui| {
            for format in ExportFormat::ALL {
                ui.selectable_value(&mut dialog.format, format, format.as_str())
                    .on_hover_text(format_description(format));
            }
        });
    if dialog.format != before {
        dialog.path = renamed_for(&dialog.path, before, dialog.format);
        dialog.pending_replace = None;
        dialog.message = None;
    }
    ui.weak(format_description(dialog.format));
}

/// Which articles and annotations go out.
fn export_contents_ui(
    ui: &mut egui::Ui,
    dialog: &mut ExportDialog,
    labels: &LabelSchema,
    search_total: usize,
    has_article: bool,
) {
    ui.label("Articles:");
    ui.radio_value(&mut dialog.scope, ExportScope::All, "the whole archive");
    ui.radio_value(
        &mut dialog.scope,
        ExportScope::CurrentSearch,
        format!(
            "the current search with its filters ({})",
            plural(search_total, "article", "articles")
        ),
    );
    ui.add_enabled_ui(has_article, |ui| {
        ui.radio_value(
            &mut dialog.scope,
            ExportScope::OpenArticle,
            "the open article",
        );
    });
    ui.label("Annotations:");
    ui.horizontal_wrapped(|ui| {
        for label in &labels.labels {
            let mut included = !dialog.excluded_labels.contains(&label.name);
            let color = theme::label_color(&label.color);
            let text = egui::RichText::new(&label.name).color(color);
            if ui.checkbox(&mut included, text).changed() {
                if included {
                    dialog.excluded_labels.remove(&label.name);
                } else {
                    dialog.excluded_labels.insert(label.name.clone());
                }
            }
        }
    });
    ui.checkbox(
        &mut dialog.include_suggestions,
        "include suggested annotations (status \"suggested\")",
    );
    if matches!(dialog.format, ExportFormat::Csv | ExportFormat::EventsCsv) {
        ui.checkbox(
            &mut dialog.csv_raw,
            "raw cells: keep text starting with = + - @ as it is (spreadsheets may run it as a formula)",
        );
    }
}

/// Where it goes: the path field and the system dialog.
fn export_path_ui(ui: &mut egui::Ui, dialog: &mut ExportDialog, commands: &mut Vec<Command>) {
    ui.horizontal(|ui| {
        let label = ui.label(if dialog.format.writes_folder() {
            "Folder:"
        } else {
            "File:"
        });
        let edited = ui
            .add(
                egui::TextEdit::singleline(&mut dialog.path)
                    .id_salt("export-path")
                    .desired_width(340.0),
            )
            .labelled_by(label.id)
            .changed();
        if edited {
            dialog.pending_replace = None;
            dialog.message = None;
        }
        if ui.button("Choose…").clicked() {
            commands.push(Command::PickExportFile);
        }
    });
    ui.weak(if dialog.format.writes_folder() {
        "A new or empty folder; manifest.json is written inside it."
    } else {
        "The manifest is written beside the file as <file>.manifest.json."
    });
}

/// The dialog's message, the question before replacing an earlier export, and the Export
/// button.
fn export_footer_ui(
    ui: &mut egui::Ui,
    dialog: &mut ExportDialog,
    labels: &LabelSchema,
    theme_choice: ThemeChoice,
    commands: &mut Vec<Command>,
) {
    let path = dialog.path.trim();
    let chosen: Vec<String> = labels
        .labels
        .iter()
        .filter(|l| !dialog.excluded_labels.contains(&l.name))
        .map(|l| l.name.clone())
        .collect();
    match &dialog.message {
        Some(Ok(message)) => {
            ui.label(message);
        }
        Some(Err(error)) => {
            ui.colored_label(theme::error_color(theme_choice), error);
        }
        None => {}
    }
    if let Some(pending) = &dialog.pending_replace {
        let what = if pending.format.writes_folder() {
            "The folder holds an earlier export"
        } else {
            "The file exists"
        };
        ui.colored_label(
            theme::error_color(theme_choice),
            format!("{what}: {}. Replace it?", pending.path.display()),
        );
        let mut keep = false;
        ui.horizontal(|ui| {
            if ui.button("Replace").clicked() {
                commands.push(Command::ConfirmExportReplace);
            }
            keep = ui.button("Keep it").clicked();
        });
        if keep {
            dialog.pending_replace = None;
        }
        return;
    }
    let ready = !path.is_empty() && !chosen.is_empty();
    if ui.add_enabled(ready, egui::Button::new("Export")).clicked() {
        // Every label chosen means no label filter: labels added later are exported too.
        let labels = if chosen.len() == labels.labels.len() {
            Vec::new()
        } else {
            chosen
        };
        commands.push(Command::Export {
            format: dialog.format,
            scope: dialog.scope,
            include_suggestions: dialog.include_suggestions,
            labels,
            path: PathBuf::from(path),
        });
    }
}

/// One line on what a format is for, shown under the format picker.
fn format_description(format: ExportFormat) -> &'static str {
    match format {
        ExportFormat::Jsonl => {
            "The native record: one article per line with every annotation and attribute; re-importable, lossless."
        }
        ExportFormat::Csv => {
            "One row per annotation, attributes as columns: spreadsheets, R, pandas."
        }
        ExportFormat::EventsCsv => {
            "One row per casualty claim with its linked date, place and actors resolved (ACLED/UCDP style)."
        }
        ExportFormat::Conll => {
            "CoNLL-2003 token and IOB2 tag columns for NER training (spaCy, Hugging Face)."
        }
        ExportFormat::Brat => {
            "A folder of .txt and .ann files with annotation.conf, for brat and INCEpTION."
        }
        ExportFormat::Doccano => {
            "doccano's sequence-labelling JSONL: text and [start, end, label] spans."
        }
        ExportFormat::LabelStudio => {
            "Label Studio task JSON with annotations (and predictions for suggestions)."
        }
        ExportFormat::WebAnnotation => {
            "W3C Web Annotation JSON-LD with position and quote selectors."
        }
        ExportFormat::EventsUcdp => {
            "One row per event in UCDP GED's columns (best/low/high deaths, where_prec, date_prec), with an evidence file beside it."
        }
        ExportFormat::EventsAcled => {
            "One row per event in ACLED's public columns (one conservative fatalities figure), with an evidence file beside it."
        }
        ExportFormat::Parquet => {
            "A folder with articles.parquet and annotations.parquet, typed columns: pandas, pyarrow, R's arrow, DuckDB."
        }
    }
}

/// The path with its file name changed to suit `to`: a name the app suggested becomes the
/// name suggested for `to` (`annalist-export.csv` → `annalist-export.jsonl`, `annalist-brat`);
/// a name the user chose keeps its stem and changes only its extension (none for folders).
fn renamed_for(path: &str, from: ExportFormat, to: ExportFormat) -> String {
    let trimmed = path.trim();
    let path = std::path::Path::new(trimmed);
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return trimmed.to_owned();
    };
    let suggested = ExportFormat::ALL
        .into_iter()
        .any(|format| format.file_name() == name);
    if suggested {
        return path.with_file_name(to.file_name()).display().to_string();
    }
    // A file's extension goes; a folder's name loses only an export extension (a dot in
    // "strikes.v2" is part of the name).
    let stem = match name.rsplit_once('.') {
        Some((stem, extension))
            if !stem.is_empty()
                && (!from.writes_folder()
                    || ExportFormat::ALL
                        .into_iter()
                        .any(|f| !f.writes_folder() && f.default_extension() == extension)) =>
        {
            stem
        }
        _ => name,
    };
    let renamed = match to.default_extension() {
        "" => stem.to_owned(),
        extension => format!("{stem}.{extension}"),
    };
    path.with_file_name(renamed).display().to_string()
}

fn archive_dialog(ctx: &egui::Context, state: &mut AppState, commands: &mut Vec<Command>) {
    let dialogs = &mut state.dialogs;
    if !dialogs.archive_open {
        return;
    }
    let mut open = true;
    egui::Window::new("Open or create an archive")
        .open(&mut open)
        .collapsible(false)
        .default_width(520.0)
        .show(ctx, |ui| {
            ui.label(format!("Open now: {}", state.archive_dir.display()));
            ui.label(
                "Choose an archive folder, or an empty or new folder to create an archive there.",
            );
            ui.horizontal(|ui| {
                ui.add(
                    egui::TextEdit::singleline(&mut dialogs.archive_path)
                        .id_salt("archive-path")
                        .desired_width(360.0),
                );
                if ui.button("Choose…").clicked() {
                    commands.push(Command::PickArchiveFolder);
                }
            });
            let path = dialogs.archive_path.trim();
            if ui
                .add_enabled(!path.is_empty(), egui::Button::new("Open"))
                .clicked()
            {
                commands.push(Command::OpenArchive(PathBuf::from(path)));
            }
        });
    dialogs.archive_open &= open;
}

fn label_editor(ctx: &egui::Context, state: &mut AppState, commands: &mut Vec<Command>) {
    let dialogs = &mut state.dialogs;
    if !dialogs.labels_open {
        return;
    }
    let error_color = theme::error_color(state.theme);
    let labels = &state.labels;
    let mut open = true;
    egui::Window::new("Labels")
        .open(&mut open)
        .collapsible(false)
        .show(ctx, |ui| {
            egui::Grid::new("label-list").num_columns(4).show(ui, |ui| {
                for label in &labels.labels {
                    ui.colored_label(theme::label_color(&label.color), &label.name);
                    ui.label(label.shortcut.map(String::from).unwrap_or_default());
                    ui.label(&label.description);
                    let editing = dialogs
                        .label_edit
                        .as_ref()
                        .is_some_and(|d| d.original.name == label.name);
                    if ui
                        .add_enabled(!editing, egui::Button::new("Change…"))
                        .on_hover_text(format!(
                            "Rename, recolour, re-key, describe or delete {}",
                            label.name
                        ))
                        .clicked()
                    {
                        commands.push(Command::EditLabel(label.name.clone()));
                    }
                    ui.end_row();
                }
            });
            if let Some(draft) = &mut dialogs.label_edit {
                ui.separator();
                let close = label_change_ui(ui, draft, labels, error_color, commands);
                if close {
                    dialogs.label_edit = None;
                }
            }
            ui.separator();
            new_label_ui(ui, dialogs, labels, error_color, commands);
        });
    dialogs.labels_open &= open;
}

/// The form that adds a label: name, colour, key and description, with what is wrong
/// with them before the button takes them.
fn new_label_ui(
    ui: &mut egui::Ui,
    dialogs: &mut Dialogs,
    labels: &LabelSchema,
    error_color: egui::Color32,
    commands: &mut Vec<Command>,
) {
    ui.label("New label");
    egui::Grid::new("new-label").num_columns(2).show(ui, |ui| {
        let name = ui.label("Name");
        ui.add(
            egui::TextEdit::singleline(&mut dialogs.label_name)
                .id_salt("label-name")
                .hint_text("WEAPON"),
        )
        .labelled_by(name.id);
        ui.end_row();
        ui.label("Colour");
        ui.color_edit_button_srgba(&mut dialogs.label_color);
        ui.end_row();
        let key = ui.label("Shortcut");
        ui.add(
            egui::TextEdit::singleline(&mut dialogs.label_shortcut)
                .id_salt("label-key")
                .char_limit(1)
                .desired_width(24.0),
        )
        .labelled_by(key.id);
        ui.end_row();
        let description = ui.label("Description");
        ui.add(
            egui::TextEdit::singleline(&mut dialogs.label_description).id_salt("label-description"),
        )
        .labelled_by(description.id);
        ui.end_row();
    });
    let name = dialogs.label_name.trim().to_owned();
    let key = dialogs.label_shortcut.chars().next();
    // An empty name is not a problem to show yet (the button waits for one).
    let problem = if name.is_empty() {
        labels.check_key(key, &name)
    } else {
        labels.check_new(&name, key)
    }
    .err();
    if let Some(reason) = &problem {
        ui.colored_label(error_color, reason);
    }
    let ready = !name.is_empty() && problem.is_none();
    if ui
        .add_enabled(ready, egui::Button::new("Add label"))
        .clicked()
    {
        commands.push(Command::AddLabel(LabelDef {
            name,
            description: dialogs.label_description.trim().to_owned(),
            color: color_hex(dialogs.label_color),
            shortcut: key,
        }));
        dialogs.label_name.clear();
        dialogs.label_shortcut.clear();
        dialogs.label_description.clear();
    }
}

/// The form that changes one label; says what a rename or delete does to its annotations
/// before it happens. Returns whether the form should close.
fn label_change_ui(
    ui: &mut egui::Ui,
    draft: &mut LabelEditDraft,
    labels: &LabelSchema,
    error_color: egui::Color32,
    commands: &mut Vec<Command>,
) -> bool {
    let original = draft.original.name.clone();
    ui.strong(format!("Change {original}"));
    let touched = draft.usage.annotations + draft.usage.rejected;
    if draft.confirm_delete {
        confirm_delete_ui(ui, draft, error_color, commands);
        return false;
    }
    egui::Grid::new("change-label")
        .num_columns(2)
        .show(ui, |ui| {
            let name = ui.label("New name");
            ui.add(egui::TextEdit::singleline(&mut draft.name).id_salt("change-label-name"))
                .labelled_by(name.id);
            ui.end_row();
            ui.label("Colour");
            ui.color_edit_button_srgba(&mut draft.color);
            ui.end_row();
            let key = ui.label("Key");
            ui.add(
                egui::TextEdit::singleline(&mut draft.key)
                    .id_salt("change-label-key")
                    .char_limit(1)
                    .desired_width(24.0),
            )
            .labelled_by(key.id);
            ui.end_row();
            let description = ui.label("What it is for");
            ui.add(
                egui::TextEdit::singleline(&mut draft.description)
                    .id_salt("change-label-description"),
            )
            .labelled_by(description.id);
            ui.end_row();
        });
    let name = draft.name.trim().to_owned();
    let key = draft.key.chars().next();
    let renamed = name != original;
    let problem = labels.check_change(&original, &name, key).err();
    match &problem {
        Some(reason) => {
            ui.colored_label(error_color, reason);
        }
        None if renamed => {
            ui.label(format!(
                "Rename {original} to {name}: {} will be relabelled.",
                plural(touched, "annotation", "annotations")
            ));
        }
        None => {}
    }
    let label = LabelDef {
        name,
        description: draft.description.trim().to_owned(),
        color: color_hex(draft.color),
        shortcut: key,
    };
    let changed = label != draft.original;
    let mut close = false;
    ui.horizontal(|ui| {
        if ui
            .add_enabled(changed && problem.is_none(), egui::Button::new("Save"))
            .clicked()
        {
            commands.push(Command::SaveLabel {
                name: original.clone(),
                label,
            });
        }
        close = ui.button("Cancel").clicked();
        if ui.button("Delete…").clicked() {
            draft.confirm_delete = true;
        }
    });
    close
}

/// The question before a label is deleted, with what it takes along.
fn confirm_delete_ui(
    ui: &mut egui::Ui,
    draft: &mut LabelEditDraft,
    error_color: egui::Color32,
    commands: &mut Vec<Command>,
) {
    let original = draft.original.name.clone();
    let touched = draft.usage.annotations + draft.usage.rejected;
    let consequence = if touched == 0 {
        "no annotations carry it".to_owned()
    } else {
        format!("{} will be removed", draft.usage.describe())
    };
    ui.colored_label(error_color, format!("Delete {original}: {consequence}."));
    ui.weak("Undo (Ctrl+Z) puts the label and its annotations back.");
    ui.horizontal(|ui| {
        let button = if touched == 0 {
            format!("Delete {original}")
        } else {
            format!("Delete {original} and its annotations")
        };
        if ui.button(button).clicked() {
            commands.push(Command::RemoveLabel(original.clone()));
        }
        if ui.button("Keep it").clicked() {
            draft.confirm_delete = false;
        }
    });
}

fn shortcut_help(ctx: &egui::Context, state: &mut AppState) {
    if !state.dialogs.shortcuts_open {
        return;
    }
    let mut open = true;
    egui::Window::new("Keyboard shortcuts")
        .open(&mut open)
        .collapsible(false)
        .show(ctx, |ui| {
            egui::Grid::new("shortcut-table")
                .num_columns(2)
                .striped(true)
                .show(ui, |ui| {
                    for label in &state.labels.labels {
                        if let Some(key) = label.shortcut {
                            ui.monospace(key.to_string());
                            ui.label(format!("Label the selection {}", label.name));
                            ui.end_row();
                        }
                    }
                    ui.monospace("Alt + drag");
                    ui.label("Select without snapping to words");
                    ui.end_row();
                    let is_mac = ctx.os().is_mac();
                    for shortcut in SHORTCUTS {
                        ui.monospace(format_keys(&shortcut.keys, is_mac));
                        ui.label(shortcut.description);
                        ui.end_row();
                    }
                });
        });
    state.dialogs.shortcuts_open &= open;
}

fn job_details(ctx: &egui::Context, state: &mut AppState) {
    let Some(id) = state.dialogs.job_details else {
        return;
    };
    let Some(job) = state.jobs.iter().find(|j| j.id == id) else {
        state.dialogs.job_details = None;
        return;
    };
    let mut open = true;
    egui::Window::new(job.heading())
        .id(egui::Id::unique(("job-details", id)))
        .open(&mut open)
        .default_width(640.0)
        .show(ctx, |ui| {
            match &job.outcome {
                Some(Ok(summary)) => ui.label(summary),
                Some(Err(error)) => ui.colored_label(theme::error_color(state.theme), error),
                None => ui.label("running…"),
            };
            let row_height = ui.text_style_height(&egui::TextStyle::Monospace);
            egui::ScrollArea::vertical().max_height(400.0).show_rows(
                ui,
                row_height,
                job.details.len(),
                |ui, rows| {
                    for line in job.details.get(rows).unwrap_or_default() {
                        ui.monospace(line);
                    }
                },
            );
        });
    if !open {
        state.dialogs.job_details = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_suggested_name_follows_the_format() {
        let rename = |path, from, to| renamed_for(path, from, to);
        assert_eq!(
            rename(
                "/d/annalist-export.csv",
                ExportFormat::Csv,
                ExportFormat::Jsonl
            ),
            "/d/annalist-export.jsonl"
        );
        assert_eq!(
            rename(
                "/d/annalist-export.csv",
                ExportFormat::Csv,
                ExportFormat::EventsCsv
            ),
            "/d/annalist-events.csv",
            "two formats with one extension still get two names"
        );
        assert_eq!(
            rename(
                "/d/annalist-export.jsonl",
                ExportFormat::Jsonl,
                ExportFormat::Brat
            ),
            "/d/annalist-brat"
        );
        assert_eq!(
            rename(
                "/d/annalist-brat",
                ExportFormat::Brat,
                ExportFormat::Doccano
            ),
            "/d/annalist-doccano.jsonl"
        );
    }

    #[test]
    fn a_typed_name_keeps_its_stem_and_changes_its_extension() {
        let rename = |path, from, to| renamed_for(path, from, to);
        assert_eq!(
            rename("/d/strikes.csv", ExportFormat::Csv, ExportFormat::Jsonl),
            "/d/strikes.jsonl"
        );
        assert_eq!(
            rename("/d/strikes.jsonl", ExportFormat::Jsonl, ExportFormat::Brat),
            "/d/strikes"
        );
        assert_eq!(
            rename("/d/strikes.v2", ExportFormat::Brat, ExportFormat::Conll),
            "/d/strikes.v2.conll"
        );
        assert_eq!(rename("", ExportFormat::Csv, ExportFormat::Jsonl), "");
    }
}

//! Views: functions that take `&mut egui::Ui`, read the app state and push `Command`s.
//!
//! Owns: every widget and colour. Must not import rusqlite, tantivy, `std::fs`,
//! `std::thread`, `store`, `index` or `service` (a test reads these files to check).

mod dialogs;
mod inspector;
mod reader;
mod search_panel;
mod theme;

use crate::app::command::{Command, shortcut_text, shortcuts};
use crate::app::state::AppState;

pub use reader::ReaderCache;
pub use theme::install_fonts;

/// Caches that outlive a frame.
#[derive(Default)]
pub struct ViewCache {
    /// The reader's laid-out text.
    pub reader: ReaderCache,
}

impl ViewCache {
    /// Forgets everything derived from labels, fonts or theme.
    pub fn invalidate(&mut self) {
        self.reader.invalidate();
    }
}

/// The whole window.
pub fn app_ui(
    ui: &mut egui::Ui,
    state: &mut AppState,
    cache: &mut ViewCache,
    commands: &mut Vec<Command>,
) {
    let ctx = ui.ctx().clone();
    ctx.set_visuals(theme::visuals(state.theme));
    dropped_files(&ctx, commands);

    egui::Panel::top("menu").show(ui, |ui| menu_ui(ui, state, commands));
    egui::Panel::bottom("status").show(ui, |ui| status_ui(ui, state, commands));
    let search_focused = egui::Panel::left("search")
        .resizable(true)
        .default_size(380.0)
        .min_size(260.0)
        .show(ui, |ui| search_panel::search_panel_ui(ui, state, commands))
        .inner;
    if let Some(reader) = &mut state.reader {
        egui::Panel::right("inspector")
            .resizable(true)
            .default_size(330.0)
            .min_size(240.0)
            .show(ui, |ui| {
                inspector::inspector_ui(ui, reader, &state.labels, commands)
            });
    }
    let reader_id = cache.reader.text_id;
    let other_text_focused = ctx.egui_wants_keyboard_input()
        && ctx
            .memory(|m| m.focused())
            .is_some_and(|focused| Some(focused) != reader_id);
    let text_field_focused = search_focused || other_text_focused;
    egui::CentralPanel::default().show(ui, |ui| match &mut state.reader {
        Some(reader) => reader::reader_ui(
            ui,
            reader,
            &state.labels,
            state.theme,
            !text_field_focused,
            &mut cache.reader,
            commands,
        ),
        None => {
            ui.centered_and_justified(|ui| {
                ui.label("Pick an article on the left to read and annotate it.");
            });
        }
    });
    dialogs::dialogs_ui(&ctx, state, commands);
    keyboard_shortcuts(&ctx, text_field_focused, commands);
}

fn keyboard_shortcuts(ctx: &egui::Context, text_field_focused: bool, commands: &mut Vec<Command>) {
    for shortcut in shortcuts() {
        if (shortcut.in_text_fields || !text_field_focused)
            && ctx.input_mut(|i| i.consume_shortcut(&shortcut.keys))
        {
            commands.push(shortcut.command);
        }
    }
}

fn dropped_files(ctx: &egui::Context, commands: &mut Vec<Command>) {
    let paths: Vec<std::path::PathBuf> = ctx.input(|i| {
        i.raw
            .dropped_files
            .iter()
            .map(|f| f.path().to_path_buf())
            .filter(|p| !p.as_os_str().is_empty())
            .collect()
    });
    if !paths.is_empty() {
        commands.push(Command::Import(paths));
    }
}

fn menu_item(ui: &mut egui::Ui, text: &str, command: Command, commands: &mut Vec<Command>) {
    let mut button = egui::Button::new(text);
    if let Some(keys) = shortcut_text(ui.ctx(), &command) {
        button = button.shortcut_text(keys);
    }
    if ui.add(button).clicked() {
        commands.push(command);
        ui.close();
    }
}

fn menu_ui(ui: &mut egui::Ui, state: &AppState, commands: &mut Vec<Command>) {
    egui::MenuBar::new().ui(ui, |ui| {
        ui.menu_button("File", |ui| {
            menu_item(ui, "Import…", Command::ShowImportDialog, commands);
            menu_item(ui, "Export…", Command::ShowExportDialog, commands);
            ui.separator();
            menu_item(
                ui,
                "Open or create archive…",
                Command::ShowArchiveDialog,
                commands,
            );
            menu_item(ui, "Rebuild search index", Command::Reindex, commands);
            ui.separator();
            menu_item(ui, "Quit", Command::Quit, commands);
        });
        ui.menu_button("Edit", |ui| {
            let undo = state
                .history
                .done
                .last()
                .map_or_else(|| "Undo".to_owned(), |e| format!("Undo {}", e.describe()));
            ui.add_enabled_ui(!state.history.done.is_empty(), |ui| {
                menu_item(ui, &undo, Command::Undo, commands)
            });
            let redo = state
                .history
                .undone
                .last()
                .map_or_else(|| "Redo".to_owned(), |e| format!("Redo {}", e.describe()));
            ui.add_enabled_ui(!state.history.undone.is_empty(), |ui| {
                menu_item(ui, &redo, Command::Redo, commands)
            });
            ui.separator();
            menu_item(ui, "Labels…", Command::ShowLabelEditor, commands);
        });
        ui.menu_button("Suggest", |ui| {
            let has_article = state.reader.is_some();
            ui.add_enabled_ui(has_article, |ui| {
                menu_item(
                    ui,
                    "Suggest for this article",
                    Command::Suggest { all: false },
                    commands,
                );
            });
            menu_item(
                ui,
                "Suggest for the whole archive",
                Command::Suggest { all: true },
                commands,
            );
        });
        ui.menu_button("Go", |ui| {
            menu_item(ui, "Search", Command::FocusSearch, commands);
            menu_item(ui, "Next article", Command::NextArticle, commands);
            menu_item(ui, "Previous article", Command::PreviousArticle, commands);
            menu_item(ui, "Next annotation", Command::NextAnnotation, commands);
            menu_item(
                ui,
                "Previous annotation",
                Command::PreviousAnnotation,
                commands,
            );
        });
        ui.menu_button("View", |ui| {
            menu_item(ui, "Light / dark", Command::ToggleTheme, commands);
            menu_item(
                ui,
                "Keyboard shortcuts",
                Command::ToggleShortcutHelp,
                commands,
            );
        });
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            ui.label(format!(
                "{} · {} articles",
                state.archive_dir.display(),
                state.article_count
            ));
        });
    });
}

fn status_ui(ui: &mut egui::Ui, state: &mut AppState, commands: &mut Vec<Command>) {
    // Running jobs first (an import's progress must not scroll away behind quick jobs),
    // then the latest finished ones.
    let running = state.jobs.iter().rev().filter(|j| j.outcome.is_none());
    let finished = state.jobs.iter().rev().filter(|j| j.outcome.is_some());
    for job in running.chain(finished).take(3) {
        ui.horizontal(|ui| {
            ui.label(format!("{} #{}", job.kind.title(), job.id));
            match &job.outcome {
                None => {
                    let fraction = if job.total > 0 {
                        job.done as f32 / job.total as f32
                    } else {
                        0.0
                    };
                    let pace = job.rate_and_eta().map_or_else(String::new, |(rate, left)| {
                        let left = left.map_or_else(String::new, |d| {
                            format!(", {} left", human_duration(d.as_secs()))
                        });
                        format!(" · {rate:.0}/s{left}")
                    });
                    let text = if job.total > 0 {
                        format!("{}/{}{pace} {}", job.done, job.total, job.message)
                    } else {
                        format!("working…{pace} {}", job.message)
                    };
                    ui.add(
                        egui::ProgressBar::new(fraction)
                            .text(text)
                            .desired_width(360.0)
                            .animate(job.total == 0),
                    );
                    if ui.button("Cancel").clicked() {
                        commands.push(Command::CancelJob(job.id));
                    }
                }
                Some(Ok(summary)) => {
                    ui.label(summary);
                }
                Some(Err(error)) => {
                    ui.colored_label(theme::error_color(state.theme), error);
                }
            }
            if !job.details.is_empty()
                && ui.link(format!("{} details", job.details.len())).clicked()
            {
                state.dialogs.job_details = Some(job.id);
            }
        });
    }
    if let Some(status) = &state.status {
        match status {
            Ok(message) => ui.label(message),
            Err(error) => ui.colored_label(theme::error_color(state.theme), error),
        };
    }
}

/// "42 s", "3 min 05 s", "1 h 02 min": time left in a progress bar.
fn human_duration(secs: u64) -> String {
    match secs {
        0..60 => format!("{secs} s"),
        60..3600 => format!("{} min {:02} s", secs / 60, secs % 60),
        _ => format!("{} h {:02} min", secs / 3600, secs % 3600 / 60),
    }
}

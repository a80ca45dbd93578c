//! Views: functions that take `&mut egui::Ui`, read the app state and push `Command`s.
//!
//! Owns: every widget and colour. Must not import rusqlite, tantivy, `std::fs`,
//! `std::thread`, `store`, `index` or `service` (a test reads these files to check).

mod adjudication;
mod agreement;
mod coder;
mod demo;
mod dialogs;
mod events_table;
mod events_view;
mod inspector;
mod map;
mod queue;
mod reader;
mod search_panel;
mod text_layout;
mod theme;
mod timeline;

use crate::app::command::{Command, SHORTCUTS, shortcut_text};
use crate::app::state::{AppState, LogEntry};
use crate::model::plural;

pub use adjudication::AdjudicationCache;
pub use events_view::EventsCache;
pub use map::{MapCache, map_ui};
pub use reader::{DrawnText, ReaderCache};
pub use theme::install_fonts;
pub use timeline::timeline_ui;

/// Caches that outlive a frame.
#[derive(Default)]
pub struct ViewCache {
    /// The reader's laid-out text.
    pub reader: ReaderCache,
    /// The adjudication view's laid-out text.
    pub adjudication: AdjudicationCache,
    /// The status area's height as its contents measured last frame (0 before the first).
    pub status_height: f32,
    /// The status area's question buttons drawn last frame, with their rectangles (the
    /// layout file lists them for the real-window tests).
    pub status_buttons: Vec<(String, egui::Rect)>,
    /// The coding team's windows drawn last frame (`queue`, `agreement` for its figures
    /// table, `prompt`), with their rectangles (the layout file lists them for the real-window tests).
    pub coding_windows: Vec<(&'static str, egui::Rect)>,
    /// The events window's aggregates and circles, and its panels' rectangles.
    pub events: EventsCache,
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
    if std::mem::take(&mut state.release_focus)
        && let Some(focused) = ctx.memory(|m| m.focused())
    {
        ctx.memory_mut(|m| m.surrender_focus(focused));
    }

    egui::Panel::top("menu").show(ui, |ui| menu_ui(ui, state, commands));
    if state.is_demo {
        egui::Panel::top("demo-banner").show(ui, |ui| demo::demo_banner_ui(ui, state, commands));
    }
    status_panel(ui, state, cache, commands);
    // Side panels never take the reader's room: each at most 30 % of the window (so the
    // reader keeps 40 % at the smallest window), and their content wraps instead of
    // widening them.
    let window_width = ui.available_width();
    let side_max = (window_width * 0.3).max(200.0);
    let search_focused = egui::Panel::left("search")
        .resizable(true)
        .default_size(380.0_f32.min(side_max))
        .min_size(200.0_f32.min(side_max))
        .max_size(side_max)
        .show(ui, |ui| search_panel::search_panel_ui(ui, state, commands))
        .inner;
    if let Some(reader) = &mut state.reader {
        egui::Panel::right("inspector")
            .resizable(true)
            .default_size(330.0_f32.min(side_max))
            .min_size(200.0_f32.min(side_max))
            .max_size(side_max)
            .show(ui, |ui| {
                inspector::inspector_ui(ui, reader, &state.labels, state.theme, commands)
            });
    }
    let text_field_focused = search_focused || ctx.text_edit_focused();
    let terms = crate::model::query_terms(&state.search.query);
    egui::CentralPanel::default().show(ui, |ui| {
        match (&mut state.adjudication, &mut state.reader) {
            (Some(view), _) => adjudication::adjudication_ui(
                ui,
                view,
                &state.labels,
                state.theme,
                !text_field_focused,
                &mut cache.adjudication,
                commands,
            ),
            (None, Some(reader)) => reader::reader_ui(
                ui,
                reader,
                &state.labels,
                state.theme,
                &terms,
                !text_field_focused,
                &mut cache.reader,
                commands,
            ),
            (None, None) => {
                ui.centered_and_justified(|ui| {
                    if state.article_count == 0 {
                        ui.label(
                            "This archive is empty: import articles with File > Import (Ctrl+I), \
                         or drop files and folders on the window.",
                        );
                    } else {
                        ui.label("Pick an article on the left to read and annotate it.");
                    }
                });
            }
        }
    });
    dialogs::dialogs_ui(&ctx, state, commands);
    cache.coding_windows.clear();
    if let Some(rect) = queue::queue_ui(&ctx, state, commands) {
        cache.coding_windows.push(("queue", rect));
    }
    if let Some(rect) = agreement::agreement_ui(&ctx, state, commands) {
        cache.coding_windows.push(("agreement", rect));
    }
    events_view::events_ui(&ctx, state, &mut cache.events, commands);
    coder::coder_settings_ui(&ctx, state, commands);
    if let Some(rect) = coder::coder_prompt_ui(&ctx, state, commands) {
        cache.coding_windows.push(("prompt", rect));
    }
    keyboard_shortcuts(&ctx, text_field_focused, commands);
}

/// The status area, as high as its contents: egui's panels keep the largest size they ever
/// had, so a few running jobs would leave it tall for good; it is sized to what it showed
/// last frame instead.
fn status_panel(
    ui: &mut egui::Ui,
    state: &mut AppState,
    cache: &mut ViewCache,
    commands: &mut Vec<Command>,
) {
    let mut panel = egui::Panel::bottom("status");
    if cache.status_height > 0.0 {
        panel = panel.exact_size(cache.status_height);
    }
    let content_height = panel
        .show(ui, |ui| {
            let top = ui.cursor().min.y;
            cache.status_buttons.clear();
            status_ui(ui, state, &mut cache.status_buttons, commands);
            ui.cursor().min.y - top - ui.spacing().item_spacing.y
        })
        .inner;
    // The panel's frame margins plus the separator line above it.
    let margins = egui::Frame::side_top_panel(ui.style())
        .total_margin()
        .sum()
        .y
        + 2.0;
    let wanted = (content_height + margins).ceil();
    if (wanted - cache.status_height).abs() >= 1.0 {
        cache.status_height = wanted;
        ui.ctx().request_repaint();
    }
}

fn keyboard_shortcuts(ctx: &egui::Context, text_field_focused: bool, commands: &mut Vec<Command>) {
    for shortcut in SHORTCUTS {
        if (shortcut.in_text_fields || !text_field_focused)
            && ctx.input_mut(|i| i.consume_shortcut(&shortcut.keys))
        {
            commands.push(shortcut.command.clone());
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
            menu_item(
                ui,
                "Adjudicate this article",
                Command::ToggleAdjudication,
                commands,
            );
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
            ui.separator();
            menu_item(
                ui,
                "Retrain the entity tagger on accepted spans",
                Command::RetrainTagger,
                commands,
            );
        });
        ui.menu_button("Go", |ui| {
            menu_item(ui, "Search", Command::FocusSearch, commands);
            menu_item(ui, "Find in article", Command::FindInArticle, commands);
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
        coder::coding_menu_ui(ui, state, commands);
        ui.menu_button("View", |ui| {
            menu_item(ui, "Events…", Command::ToggleEvents, commands);
            menu_item(ui, "Light / dark", Command::ToggleTheme, commands);
            menu_item(
                ui,
                "Keyboard shortcuts",
                Command::ToggleShortcutHelp,
                commands,
            );
        });
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            archive_labels_ui(ui, state);
        });
    });
}

/// The menu bar's right end: the archive, who codes, how a team replica stands.
fn archive_labels_ui(ui: &mut egui::Ui, state: &AppState) {
    ui.label(format!(
        "{} · {}",
        state.archive_dir.display(),
        plural(state.article_count, "article", "articles")
    ));
    if let Some(coding) = &state.coding {
        ui.label(coding);
    }
    if let Some(team) = &state.team {
        ui.label(format!("team: {team}"));
    }
}

/// The status area: one line per running job, then one line with the newest message (a
/// later success replaces an earlier error) and a toggle for the older ones.
fn status_ui(
    ui: &mut egui::Ui,
    state: &mut AppState,
    buttons: &mut Vec<(String, egui::Rect)>,
    commands: &mut Vec<Command>,
) {
    let error_color = theme::error_color(state.theme);
    if let Some(confirm) = &state.learn_confirm {
        ui.horizontal(|ui| {
            ui.label(format!(
                "\u{201c}{}\u{201d} occurs in {}. Suggest it as {} in all of them?",
                confirm.text,
                plural(confirm.articles, "article", "articles"),
                confirm.label
            ));
            for (label, command) in [
                ("Suggest everywhere", Command::LearnEverywhere),
                ("Not now", Command::DismissLearnConfirm),
            ] {
                let button = ui.button(label);
                buttons.push((label.to_owned(), button.rect));
                if button.clicked() {
                    commands.push(command);
                }
            }
        });
    }
    for job in state.jobs.iter().filter(|j| j.outcome.is_none()) {
        ui.horizontal(|ui| {
            ui.label(job.heading());
            running_job_ui(ui, job, commands);
        });
    }
    let mut show_details = None;
    ui.horizontal(|ui| {
        let older = state.log.len().saturating_sub(1);
        if older > 0 {
            let toggle = if state.log_open {
                "Hide history"
            } else {
                "History"
            };
            if ui
                .small_button(toggle)
                .on_hover_text(format!(
                    "{} before this one",
                    plural(older, "message", "messages")
                ))
                .clicked()
            {
                state.log_open = !state.log_open;
            }
        }
        match state.log.last() {
            Some(entry) => {
                show_details = log_entry_ui(ui, entry, state, error_color);
            }
            None => {
                ui.weak("Ready.");
            }
        }
    });
    if state.log_open {
        // A fixed height, so that the panel sized to its contents settles in one frame.
        const HISTORY_ROWS: usize = 6;
        let rows = state.log.len().saturating_sub(1).min(HISTORY_ROWS);
        let row_height = ui.spacing().interact_size.y + ui.spacing().item_spacing.y;
        let height = row_height * rows as f32;
        egui::ScrollArea::vertical()
            .id_salt("status-history")
            .min_scrolled_height(height)
            .max_height(height)
            .show(ui, |ui| {
                for entry in state.log.iter().rev().skip(1) {
                    ui.horizontal(|ui| {
                        if let Some(id) = log_entry_ui(ui, entry, state, error_color) {
                            show_details = Some(id);
                        }
                    });
                }
            });
    }
    if let Some(id) = show_details {
        state.dialogs.job_details = Some(id);
    }
}

fn running_job_ui(
    ui: &mut egui::Ui,
    job: &crate::app::state::JobView,
    commands: &mut Vec<Command>,
) {
    let fraction = if job.total > 0 {
        job.done as f32 / job.total as f32
    } else {
        0.0
    };
    // An import counts bytes, so one large dump moves the bar as it streams.
    let by_bytes = job.kind == crate::app::state::JobKind::Import;
    let pace = job.rate_and_eta().map_or_else(String::new, |(rate, left)| {
        let left = left.map_or_else(String::new, |d| {
            format!(", {} left", human_duration(d.as_secs()))
        });
        if by_bytes {
            format!(" · {}/s{left}", human_bytes(rate as u64))
        } else {
            format!(" · {rate:.0}/s{left}")
        }
    });
    let text = if job.total > 0 && by_bytes {
        let (done, total) = (human_bytes(job.done), human_bytes(job.total));
        format!("{done} of {total}{pace} {}", job.message)
    } else if job.total > 0 {
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

/// One status message; returns the job whose details were asked for.
fn log_entry_ui(
    ui: &mut egui::Ui,
    entry: &LogEntry,
    state: &AppState,
    error_color: egui::Color32,
) -> Option<crate::app::state::JobId> {
    match &entry.message {
        Ok(message) => ui.label(message),
        Err(error) => ui.colored_label(error_color, error),
    };
    let job = state.jobs.iter().find(|j| Some(j.id) == entry.job)?;
    (!job.details.is_empty()
        && ui
            .link(plural(job.details.len(), "detail", "details"))
            .clicked())
    .then_some(job.id)
}

/// "812 KB", "3.4 MB", "2.1 GB": bytes in a progress line.
#[expect(
    clippy::cast_precision_loss,
    reason = "a progress line shows one decimal"
)]
fn human_bytes(bytes: u64) -> String {
    const KB: f64 = 1024.0;
    let value = bytes as f64;
    if value < KB * KB {
        format!("{:.0} KB", value / KB)
    } else if value < KB * KB * KB {
        format!("{:.1} MB", value / (KB * KB))
    } else {
        format!("{:.1} GB", value / (KB * KB * KB))
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

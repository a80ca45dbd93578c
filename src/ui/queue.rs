//! The coder's queue: a window listing the coder's articles, to do first then done, with
//! the counts at the top; a click opens an article, "Mark done" (Ctrl+D) marks the open one
//! and opens the next to do, and a done article can be made to do again.

use crate::app::command::{Command, shortcut_text};
use crate::app::state::AppState;

use super::theme;

/// The queue window, while it is shown; returns its rectangle.
pub(super) fn queue_ui(
    ctx: &egui::Context,
    state: &mut AppState,
    commands: &mut Vec<Command>,
) -> Option<egui::Rect> {
    let error_color = theme::error_color(state.theme);
    if !state.coders.queue.open {
        return None;
    }
    let open_article = state.reader.as_ref().map(|r| r.article.id);
    let queue = &state.coders.queue;
    let title = match &queue.coder {
        Some(coder) => format!("Queue of {coder}"),
        None => "Queue".to_owned(),
    };
    let mut open = true;
    let shown = egui::Window::new(title)
        .id(egui::Id::unique("queue-window"))
        .open(&mut open)
        .default_pos([12.0, 420.0])
        .default_width(360.0)
        .default_height(300.0)
        .show(ctx, |ui| {
            ui.horizontal(|ui| {
                ui.strong(format!("{} to do · {} done", queue.to_do(), queue.done()));
                if queue.loading {
                    ui.spinner();
                }
                if ui.small_button("Refresh").clicked() {
                    commands.push(Command::RefreshQueue);
                }
            });
            if let Some(error) = &queue.error {
                ui.colored_label(error_color, error);
            }
            ui.horizontal(|ui| {
                let can_mark = open_article.is_some_and(|id| queue.state_of(id) == Some(false));
                let mut mark = egui::Button::new("Mark done");
                if let Some(keys) = shortcut_text(ui.ctx(), &Command::MarkOpenArticleDone) {
                    mark = mark.shortcut_text(keys);
                }
                if ui.add_enabled(can_mark, mark).clicked() {
                    commands.push(Command::MarkOpenArticleDone);
                }
                let mut undo = egui::Button::new("Undo mark done");
                if let Some(keys) = shortcut_text(ui.ctx(), &Command::UndoMarkDone) {
                    undo = undo.shortcut_text(keys);
                }
                if ui.add_enabled(queue.last_done.is_some(), undo).clicked() {
                    commands.push(Command::UndoMarkDone);
                }
            });
            ui.separator();
            let row_height = ui.spacing().interact_size.y;
            egui::ScrollArea::vertical()
                .id_salt("queue-rows")
                .auto_shrink([false, true])
                .show_rows(ui, row_height, queue.items.len(), |ui, rows| {
                    for item in queue.items.get(rows).unwrap_or_default() {
                        ui.horizontal(|ui| {
                            ui.label(if item.done { "done" } else { "to do" });
                            let mut text = format!("{} {}", item.article_id, item.title);
                            if !item.others.is_empty() {
                                text.push_str(&format!(" (also {})", item.others.join(", ")));
                            }
                            let selected = open_article == Some(item.article_id);
                            if ui.selectable_label(selected, text).clicked() {
                                commands.push(Command::OpenArticle(item.article_id));
                            }
                            if item.done && ui.small_button("to do again").clicked() {
                                commands.push(Command::MarkDone {
                                    article: item.article_id,
                                    done: false,
                                });
                            }
                        });
                    }
                });
        });
    if !open {
        commands.push(Command::ToggleQueue);
    }
    shown.map(|s| s.response.rect)
}

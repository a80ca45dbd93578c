//! The search panel: query box, filters, result count and the virtualised hit list.

use egui::text::LayoutJob;
use egui::{Color32, FontId, TextFormat};

use crate::app::command::Command;
use crate::app::state::{AppState, HITS_PAGE, StateFilter};
use crate::model::{HighlightedSnippet, SortOrder};

use super::theme;

/// Height of one hit row (title, date line, two lines of snippet).
const ROW_HEIGHT: f32 = 78.0;

/// Draws the search panel.
pub(crate) fn search_panel_ui(
    ui: &mut egui::Ui,
    state: &mut AppState,
    commands: &mut Vec<Command>,
) -> bool {
    let mut search_focused = false;
    ui.add_space(4.0);
    let response = ui.add(
        egui::TextEdit::singleline(&mut state.search.query)
            .id_salt("search-box")
            .hint_text("Search: words, \"phrases\", OR, NOT, title:, label:, published:2024-01")
            .desired_width(f32::INFINITY),
    );
    if state.focus_search {
        response.request_focus();
        state.focus_search = false;
    }
    search_focused |= response.has_focus();
    if response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) || response.changed()
    {
        commands.push(Command::Search);
    }
    if let Some(unfinished) = state.search.unfinished {
        ui.weak(unfinished);
    }
    filters_ui(ui, state, commands, &mut search_focused);
    ui.separator();
    let theme_choice = state.theme;
    let search = &state.search;
    if let Some(error) = &search.error {
        ui.colored_label(theme::error_color(theme_choice), error);
        return search_focused;
    }
    ui.label(format!(
        "{} of {} articles",
        search.total, state.article_count
    ));
    if search.total == 0 {
        no_hits_ui(ui, &search.active_filters(), commands);
    }
    let open_id = state.reader.as_ref().map(|r| r.article.id);
    let row_height = ROW_HEIGHT;
    egui::ScrollArea::vertical()
        .id_salt(("hits", search.revision))
        .auto_shrink([false, false])
        .show_rows(ui, row_height, search.total, |ui, rows| {
            let mut requested = Vec::new();
            for row in rows {
                let Some(hit) = search.hit(row) else {
                    let page = row / HITS_PAGE;
                    if !requested.contains(&page) {
                        requested.push(page);
                        commands.push(Command::LoadHitsPage(page));
                    }
                    ui.add_sized([ui.available_width(), row_height], egui::Label::new("…"));
                    continue;
                };
                let selected = open_id == Some(hit.id);
                let response = ui
                    .allocate_ui(egui::vec2(ui.available_width(), row_height), |ui| {
                        ui.set_min_height(row_height);
                        let frame = egui::Frame::NONE
                            .inner_margin(egui::Margin::symmetric(4, 2))
                            .fill(if selected {
                                ui.visuals().selection.bg_fill.gamma_multiply(0.5)
                            } else {
                                Color32::TRANSPARENT
                            });
                        frame
                            .show(ui, |ui| {
                                ui.set_width(ui.available_width());
                                ui.add(
                                    egui::Label::new(egui::RichText::new(&hit.title).strong())
                                        .truncate(),
                                );
                                let weak = theme::weak_color(ui.visuals());
                                let meta =
                                    [hit.published.map(|d| d.to_string()), hit.source.clone()]
                                        .into_iter()
                                        .flatten()
                                        .collect::<Vec<_>>()
                                        .join(" · ");
                                ui.colored_label(weak, meta);
                                ui.add(
                                    egui::Label::new(snippet_job(&hit.snippet, ui, theme_choice))
                                        .wrap(),
                                );
                            })
                            .response
                    })
                    .inner;
                let response = response.interact(egui::Sense::click());
                if response.clicked() {
                    commands.push(Command::OpenArticle(hit.id));
                }
            }
        });
    search_focused
}

/// Nothing found: say which filters narrowed the search, with a way out.
fn no_hits_ui(ui: &mut egui::Ui, active: &[String], commands: &mut Vec<Command>) {
    if active.is_empty() {
        return;
    }
    ui.horizontal_wrapped(|ui| {
        ui.weak(format!(
            "Nothing found with the filters: {}.",
            active.join(", ")
        ));
        if ui.button("Clear filters").clicked() {
            commands.push(Command::ClearFilters);
        }
    });
}

fn filters_ui(
    ui: &mut egui::Ui,
    state: &mut AppState,
    commands: &mut Vec<Command>,
    focused: &mut bool,
) {
    let search = &mut state.search;
    let mut changed = false;
    egui::Grid::new("filters")
        .num_columns(4)
        .spacing([6.0, 4.0])
        .show(ui, |ui| {
            let name = ui.label("Label");
            egui::ComboBox::new("filter-label", "")
                .selected_text(search.label.as_deref().unwrap_or("any"))
                .show_ui(ui, |ui| {
                    changed |= ui
                        .selectable_value(&mut search.label, None, "any")
                        .changed();
                    for label in &state.labels.labels {
                        changed |= ui
                            .selectable_value(
                                &mut search.label,
                                Some(label.name.clone()),
                                &label.name,
                            )
                            .changed();
                    }
                })
                .response
                .labelled_by(name.id);
            let name = ui.label("Status");
            let state_text = search.state.map_or("any", StateFilter::as_str);
            egui::ComboBox::new("filter-state", "")
                .selected_text(state_text)
                .show_ui(ui, |ui| {
                    changed |= ui
                        .selectable_value(&mut search.state, None, "any")
                        .changed();
                    changed |= ui
                        .selectable_value(
                            &mut search.state,
                            Some(StateFilter::Unannotated),
                            "unannotated",
                        )
                        .changed();
                    changed |= ui
                        .selectable_value(
                            &mut search.state,
                            Some(StateFilter::HasSuggestions),
                            "has suggestions",
                        )
                        .changed();
                    changed |= ui
                        .selectable_value(&mut search.state, Some(StateFilter::Done), "done")
                        .changed();
                })
                .response
                .labelled_by(name.id);
            ui.end_row();
            let name = ui.label("Outlet");
            egui::ComboBox::new("filter-source", "")
                .selected_text(search.source.as_deref().unwrap_or("any"))
                .show_ui(ui, |ui| {
                    changed |= ui
                        .selectable_value(&mut search.source, None, "any")
                        .changed();
                    for (source, count) in &state.sources {
                        changed |= ui
                            .selectable_value(
                                &mut search.source,
                                Some(source.clone()),
                                format!("{source} ({count})"),
                            )
                            .changed();
                    }
                })
                .response
                .labelled_by(name.id);
            let name = ui.label("Order");
            let order_text = match search.order {
                SortOrder::Relevance => "relevance",
                SortOrder::NewestFirst => "newest first",
                SortOrder::OldestFirst => "oldest first",
            };
            egui::ComboBox::new("sort-order", "")
                .selected_text(order_text)
                .show_ui(ui, |ui| {
                    changed |= ui
                        .selectable_value(&mut search.order, SortOrder::Relevance, "relevance")
                        .changed();
                    changed |= ui
                        .selectable_value(&mut search.order, SortOrder::NewestFirst, "newest first")
                        .changed();
                    changed |= ui
                        .selectable_value(&mut search.order, SortOrder::OldestFirst, "oldest first")
                        .changed();
                })
                .response
                .labelled_by(name.id);
            ui.end_row();
            let published = ui.label("From");
            let response = ui
                .add(
                    egui::TextEdit::singleline(&mut search.from)
                        .hint_text("2024-01")
                        .desired_width(90.0),
                )
                .labelled_by(published.id);
            *focused |= response.has_focus();
            changed |= response.lost_focus()
                || (response.changed() && (search.from.is_empty() || search.from.len() >= 4));
            let until = ui.label("To");
            let response = ui
                .add(
                    egui::TextEdit::singleline(&mut search.to)
                        .hint_text("2024-12-31")
                        .desired_width(90.0),
                )
                .labelled_by(until.id);
            *focused |= response.has_focus();
            changed |= response.lost_focus()
                || (response.changed() && (search.to.is_empty() || search.to.len() >= 4));
            ui.end_row();
        });
    if changed {
        commands.push(Command::Search);
    }
}

fn snippet_job(
    snippet: &HighlightedSnippet,
    ui: &egui::Ui,
    theme_choice: crate::app::state::ThemeChoice,
) -> LayoutJob {
    let mut job = LayoutJob::default();
    let plain = TextFormat {
        font_id: FontId::proportional(13.0),
        color: ui.visuals().text_color(),
        ..TextFormat::default()
    };
    let marked = TextFormat {
        background: theme::match_fill(theme_choice),
        ..plain.clone()
    };
    let text = snippet.text.replace('\n', " ");
    let mut chars = text.chars();
    let mut at = 0;
    for &(start, end) in &snippet.highlights {
        let before: String = chars.by_ref().take(start.saturating_sub(at)).collect();
        job.append(&before, 0.0, plain.clone());
        let inside: String = chars.by_ref().take(end.saturating_sub(start)).collect();
        job.append(&inside, 0.0, marked.clone());
        at = end;
    }
    let rest: String = chars.collect();
    job.append(&rest, 0.0, plain);
    job.wrap.max_rows = 2;
    job
}

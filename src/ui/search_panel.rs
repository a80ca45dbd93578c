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
            let labels = state
                .labels
                .labels
                .iter()
                .map(|l| (Some(l.name.clone()), l.name.clone()));
            let selected = search.label.clone().unwrap_or_else(|| "any".to_owned());
            let options = std::iter::once((None, "any".to_owned())).chain(labels);
            changed |= combo_ui(
                ui,
                "filter-label",
                "Label",
                &selected,
                &mut search.label,
                options,
            );
            let selected = search.state.map_or("any", StateFilter::as_str);
            let options = [
                None,
                Some(StateFilter::Unannotated),
                Some(StateFilter::HasSuggestions),
                Some(StateFilter::Done),
            ]
            .map(|f| (f, f.map_or("any", StateFilter::as_str).to_owned()));
            changed |= combo_ui(
                ui,
                "filter-state",
                "Status",
                selected,
                &mut search.state,
                options,
            );
            ui.end_row();
            let sources = state
                .sources
                .iter()
                .map(|(source, count)| (Some(source.clone()), format!("{source} ({count})")));
            let selected = search.source.clone().unwrap_or_else(|| "any".to_owned());
            let options = std::iter::once((None, "any".to_owned())).chain(sources);
            changed |= combo_ui(
                ui,
                "filter-source",
                "Outlet",
                &selected,
                &mut search.source,
                options,
            );
            let options = [
                SortOrder::Relevance,
                SortOrder::NewestFirst,
                SortOrder::OldestFirst,
            ]
            .map(|o| (o, order_text(o).to_owned()));
            let selected = order_text(search.order);
            changed |= combo_ui(
                ui,
                "sort-order",
                "Order",
                selected,
                &mut search.order,
                options,
            );
            ui.end_row();
            changed |= date_field_ui(ui, "From", "2024-01", &mut search.from, focused);
            changed |= date_field_ui(ui, "To", "2024-12-31", &mut search.to, focused);
            ui.end_row();
        });
    if changed {
        commands.push(Command::Search);
    }
}

/// How the order picker names an order.
fn order_text(order: SortOrder) -> &'static str {
    match order {
        SortOrder::Relevance => "relevance",
        SortOrder::NewestFirst => "newest first",
        SortOrder::OldestFirst => "oldest first",
    }
}

/// A named picker of one of `options` (value, text) into `value`. Returns whether the
/// choice changed.
fn combo_ui<T: PartialEq>(
    ui: &mut egui::Ui,
    id: &str,
    name: &str,
    selected_text: &str,
    value: &mut T,
    options: impl IntoIterator<Item = (T, String)>,
) -> bool {
    let mut changed = false;
    let name = ui.label(name);
    egui::ComboBox::new(id, "")
        .selected_text(selected_text)
        .show_ui(ui, |ui| {
            for (option, text) in options {
                changed |= ui.selectable_value(value, option, text).changed();
            }
        })
        .response
        .labelled_by(name.id);
    changed
}

/// A publication-date bound: searched when the field loses focus, or as it is typed once
/// it holds a year (or nothing).
fn date_field_ui(
    ui: &mut egui::Ui,
    name: &str,
    hint: &str,
    text: &mut String,
    focused: &mut bool,
) -> bool {
    let label = ui.label(name);
    let response = ui
        .add(
            egui::TextEdit::singleline(text)
                .hint_text(hint)
                .desired_width(90.0),
        )
        .labelled_by(label.id);
    *focused |= response.has_focus();
    response.lost_focus() || (response.changed() && (text.is_empty() || text.len() >= 4))
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

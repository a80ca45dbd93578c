//! The Agreement view: a window with the coder and label filters, the report's figures per
//! label (F1 exact and overlapping and Cohen's κ per pair, Fleiss' κ and α_u over all
//! coders, α of the values per attribute), each with what it rests on, the disagreement
//! table (a click opens the article at the span) and "Save CSV…".

use std::path::PathBuf;

use crate::app::command::Command;
use crate::app::state::{AgreementView, AppState, DisagreementRow, FigureRow};

use super::theme;

/// The Agreement window, while it is open; returns the rectangle of its figures table.
pub(super) fn agreement_ui(
    ctx: &egui::Context,
    state: &mut AppState,
    commands: &mut Vec<Command>,
) -> Option<egui::Rect> {
    let error_color = theme::error_color(state.theme);
    let labels: Vec<String> = state.labels.labels.iter().map(|l| l.name.clone()).collect();
    let view = &mut state.coders.agreement;
    if !view.open {
        return None;
    }
    let mut open = true;
    let mut table = None;
    egui::Window::new("Agreement")
        .id(egui::Id::unique("agreement-window"))
        .open(&mut open)
        .default_pos([200.0, 80.0])
        .default_size([900.0, 620.0])
        .show(ctx, |ui| {
            filters_ui(ui, view, &labels, commands);
            save_ui(ui, view, commands);
            match &view.message {
                Some(Err(e)) => {
                    ui.colored_label(error_color, e);
                }
                Some(Ok(m)) => {
                    ui.label(m);
                }
                None => {}
            }
            if view.job.is_some() {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label("computing (progress and Cancel in the status line)…");
                });
            }
            if view.report.is_none() {
                return;
            }
            ui.separator();
            ui.label(&view.summary);
            if let Some(partial) = &view.partial {
                ui.weak(partial);
            }
            egui::ScrollArea::vertical()
                .id_salt("agreement-scroll")
                .show(ui, |ui| {
                    table = Some(figures_ui(ui, &view.rows));
                    ui.separator();
                    disagreements_ui(ui, &view.disagreements, commands);
                });
        });
    view.open &= open;
    table
}

fn filters_ui(
    ui: &mut egui::Ui,
    view: &mut AgreementView,
    labels: &[String],
    commands: &mut Vec<Command>,
) {
    ui.horizontal_wrapped(|ui| {
        ui.label("Coders (none ticked: all):");
        for (coder, ticked) in &mut view.coders {
            ui.checkbox(ticked, coder.as_str());
        }
    });
    ui.horizontal(|ui| {
        ui.label("Label:");
        egui::ComboBox::from_id_salt("agreement-label")
            .selected_text(view.label.as_deref().unwrap_or("all labels"))
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut view.label, None, "all labels");
                for label in labels {
                    ui.selectable_value(&mut view.label, Some(label.clone()), label);
                }
            });
        if ui.button("Compute").clicked() {
            commands.push(Command::ComputeAgreement);
        }
    });
}

fn save_ui(ui: &mut egui::Ui, view: &mut AgreementView, commands: &mut Vec<Command>) {
    ui.horizontal(|ui| {
        let has_report = view.report.is_some();
        if ui
            .add_enabled(has_report, egui::Button::new("Save CSV…"))
            .clicked()
        {
            commands.push(Command::SaveAgreementCsv(None));
        }
        ui.add(
            egui::TextEdit::singleline(&mut view.csv_path)
                .id_salt("agreement-csv-path")
                .hint_text("or type a path: /home/me/agreement.csv")
                .desired_width(360.0),
        );
        let path = view.csv_path.trim();
        if ui
            .add_enabled(has_report && !path.is_empty(), egui::Button::new("Save"))
            .clicked()
        {
            commands.push(Command::SaveAgreementCsv(Some(PathBuf::from(path))));
        }
    });
}

/// The figures as a grid; returns its rectangle.
fn figures_ui(ui: &mut egui::Ui, rows: &[FigureRow]) -> egui::Rect {
    let shown = |v: Option<f64>| v.map_or_else(|| "–".to_owned(), |v| format!("{v:.3}"));
    egui::Grid::new("agreement-figures")
        .striped(true)
        .num_columns(6)
        .show(ui, |ui| {
            for heading in [
                "Measure",
                "Label",
                "Attribute",
                "Coders",
                "Value",
                "Rests on",
            ] {
                ui.strong(heading);
            }
            ui.end_row();
            for row in rows {
                ui.label(row.measure);
                ui.label(&row.label);
                ui.label(&row.attribute);
                ui.label(&row.coders);
                ui.monospace(shown(row.value));
                ui.weak(&row.rests_on);
                ui.end_row();
            }
        })
        .response
        .rect
}

fn disagreements_ui(ui: &mut egui::Ui, rows: &[DisagreementRow], commands: &mut Vec<Command>) {
    if rows.is_empty() {
        ui.weak("No matched spans whose values differ.");
        return;
    }
    ui.strong(format!(
        "Values that differ on matched spans ({}); click one to open the article there",
        rows.len()
    ));
    egui::Grid::new("agreement-disagreements")
        .striped(true)
        .num_columns(4)
        .show(ui, |ui| {
            for row in rows {
                ui.label(format!("article {}", row.article_id));
                ui.label(&row.label);
                ui.label(&row.attribute);
                ui.horizontal(|ui| {
                    for side in &row.sides {
                        let value = side.value.as_deref().unwrap_or("(none)");
                        let text = format!("{}: “{}” = {value}", side.coder, side.text);
                        if ui.link(text).clicked() {
                            commands.push(Command::OpenArticleAt {
                                article: row.article_id,
                                start: side.start,
                                end: side.end,
                            });
                        }
                    }
                });
                ui.end_row();
            }
        });
}

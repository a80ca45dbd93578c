//! The inspector: the selected annotation's label and attributes, the article's
//! annotations, and its metadata. Edits are saved as they are made (each one undoable).

use egui::RichText;
use serde_json::Value;

use crate::app::command::Command;
use crate::app::parse_draft_date;
use crate::app::state::{AnnotationDraft, ReaderState};
use crate::model::{Annotation, AnnotationStatus, ArticleMeta, LabelSchema};

use super::theme;

const OUTCOMES: &[&str] = &[
    "killed",
    "injured",
    "missing",
    "abducted",
    "arrested",
    "displaced",
];
const VICTIMS: &[&str] = &[
    "people",
    "civilians",
    "children",
    "women",
    "soldiers",
    "police",
    "militants",
    "journalists",
    "aid workers",
];
const QUALIFIERS: &[&str] = &["exact", "at least", "up to", "about", "vague"];
const PRECISIONS: &[&str] = &["day", "week", "month", "year"];

/// Draws the inspector for the open article.
pub(crate) fn inspector_ui(
    ui: &mut egui::Ui,
    reader: &mut ReaderState,
    labels: &LabelSchema,
    commands: &mut Vec<Command>,
) {
    egui::ScrollArea::vertical()
        .id_salt("inspector")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            selected_ui(ui, reader, labels, commands);
            ui.separator();
            annotation_list_ui(ui, reader, labels, commands);
            ui.separator();
            metadata_ui(ui, reader, commands);
        });
}

/// The text selected in the reader, as it will be stored, and a button per label.
fn selection_ui(
    ui: &mut egui::Ui,
    reader: &ReaderState,
    labels: &LabelSchema,
    (start, end): (usize, usize),
    commands: &mut Vec<Command>,
) {
    ui.heading("Selected text");
    let text = crate::model::slice_chars(&reader.article.text, start, end);
    let shown: String = text.chars().take(120).collect();
    let more = if shown.len() < text.len() { "…" } else { "" };
    ui.label(format!("\u{201c}{shown}{more}\u{201d}"));
    ui.weak(format!(
        "code points {start}\u{2013}{end}; press a label key or click a label"
    ));
    ui.horizontal_wrapped(|ui| {
        for label in &labels.labels {
            let text = match label.shortcut {
                Some(key) => format!("{key} {}", label.name),
                None => label.name.clone(),
            };
            if ui.button(text).on_hover_text(&label.description).clicked() {
                commands.push(Command::Annotate {
                    label: label.name.clone(),
                    start,
                    end,
                });
            }
        }
    });
}

fn selected_ui(
    ui: &mut egui::Ui,
    reader: &mut ReaderState,
    labels: &LabelSchema,
    commands: &mut Vec<Command>,
) {
    if let Some((start, end)) = reader.selection {
        selection_ui(ui, reader, labels, (start, end), commands);
        ui.separator();
    }
    ui.heading("Annotation");
    let Some(selected) = reader
        .selected
        .and_then(|id| reader.annotations.iter().find(|a| a.id == id))
        .cloned()
    else {
        ui.label("Select text and press a label key (1–9) to annotate it, or click a highlight.");
        return;
    };
    if reader.draft.as_ref().is_none_or(|d| d.id != selected.id) {
        reader.draft = Some(AnnotationDraft::of(&selected));
    }
    let Some(draft) = reader.draft.as_mut() else {
        return;
    };
    ui.label(RichText::new(format!("\u{201c}{}\u{201d}", selected.text)).strong());
    ui.label(format!(
        "[{}, {}) · {} · by {}",
        selected.start, selected.end, selected.status, selected.annotator
    ));
    let mut commit = false;
    egui::Grid::new("annotation-fields")
        .num_columns(2)
        .show(ui, |ui| {
            let name = ui.label("Label");
            egui::ComboBox::new("annotation-label", "")
                .selected_text(&draft.label)
                .show_ui(ui, |ui| {
                    for label in &labels.labels {
                        commit |= ui
                            .selectable_value(&mut draft.label, label.name.clone(), &label.name)
                            .changed();
                    }
                })
                .response
                .labelled_by(name.id);
            ui.end_row();
            ui.label("Status");
            ui.horizontal(|ui| {
                commit |= ui
                    .selectable_value(&mut draft.status, AnnotationStatus::Accepted, "accepted")
                    .changed();
                commit |= ui
                    .selectable_value(&mut draft.status, AnnotationStatus::Suggested, "suggested")
                    .changed();
            });
            ui.end_row();
            match draft.label.as_str() {
                "CASUALTY" => {
                    for key in ["count", "low", "high"] {
                        commit |= number_field(ui, &mut draft.attrs, key);
                    }
                    commit |= choice_field(ui, &mut draft.attrs, "outcome", OUTCOMES);
                    commit |= choice_field(ui, &mut draft.attrs, "victims", VICTIMS);
                    commit |= choice_field(ui, &mut draft.attrs, "qualifier", QUALIFIERS);
                    commit |= text_field(ui, &mut draft.attrs, "claimed_by");
                    for (key, label) in [("date", "DATE"), ("place", "LOC"), ("actor", "ORG")] {
                        commit |= link_field(ui, &mut draft.attrs, key, label, &reader.annotations);
                    }
                }
                "DATE" => {
                    commit |= text_field(ui, &mut draft.attrs, "value");
                    commit |= choice_field(ui, &mut draft.attrs, "precision", PRECISIONS);
                    commit |= text_field(ui, &mut draft.attrs, "anchor");
                }
                "LOC" => {
                    commit |= text_field(ui, &mut draft.attrs, "canonical");
                    commit |= text_field(ui, &mut draft.attrs, "country_code");
                }
                _ => {
                    commit |= text_field(ui, &mut draft.attrs, "canonical");
                }
            }
        });
    if commit && *draft != AnnotationDraft::of(&selected) {
        commands.push(Command::UpdateAnnotation {
            id: draft.id,
            label: draft.label.clone(),
            attrs: draft.attrs.clone(),
            status: draft.status,
        });
    }
    ui.horizontal(|ui| {
        if selected.status == AnnotationStatus::Suggested && ui.button("Accept (Enter)").clicked() {
            commands.push(Command::AcceptSelected);
        }
        if ui.button("Delete (Del)").clicked() {
            commands.push(Command::DeleteAnnotation(selected.id));
        }
    });
}

/// A whole-number attribute; empty removes it. Returns whether to save.
fn number_field(ui: &mut egui::Ui, attrs: &mut crate::model::AnnotationAttrs, key: &str) -> bool {
    let name = ui.label(key);
    let mut text = attrs.get(key).map(value_text).unwrap_or_default();
    let response = ui
        .add(
            egui::TextEdit::singleline(&mut text)
                .desired_width(80.0)
                .id_salt(("attr", key)),
        )
        .labelled_by(name.id);
    ui.end_row();
    if response.changed() {
        match text.trim() {
            "" => {
                attrs.remove(key);
            }
            t => match t.parse::<u64>() {
                Ok(n) => {
                    attrs.insert(key.to_owned(), Value::from(n));
                }
                Err(_) => {
                    attrs.insert(key.to_owned(), Value::String(t.to_owned()));
                }
            },
        }
    }
    response.lost_focus() || (response.changed() && !response.has_focus())
}

fn text_field(ui: &mut egui::Ui, attrs: &mut crate::model::AnnotationAttrs, key: &str) -> bool {
    let name = ui.label(key);
    let mut text = attrs.get(key).map(value_text).unwrap_or_default();
    let response = ui
        .add(
            egui::TextEdit::singleline(&mut text)
                .desired_width(160.0)
                .id_salt(("attr", key)),
        )
        .labelled_by(name.id);
    ui.end_row();
    if response.changed() {
        if text.is_empty() {
            attrs.remove(key);
        } else {
            attrs.insert(key.to_owned(), Value::String(text));
        }
    }
    response.lost_focus()
}

fn choice_field(
    ui: &mut egui::Ui,
    attrs: &mut crate::model::AnnotationAttrs,
    key: &str,
    choices: &[&str],
) -> bool {
    let name = ui.label(key);
    let current = attrs.get(key).map(value_text).unwrap_or_default();
    let mut chosen = current.clone();
    egui::ComboBox::new(("attr", key), "")
        .selected_text(if current.is_empty() {
            "—"
        } else {
            current.as_str()
        })
        .show_ui(ui, |ui| {
            ui.selectable_value(&mut chosen, String::new(), "—");
            for choice in choices {
                ui.selectable_value(&mut chosen, (*choice).to_owned(), *choice);
            }
        })
        .response
        .labelled_by(name.id);
    ui.end_row();
    if chosen == current {
        return false;
    }
    if chosen.is_empty() {
        attrs.remove(key);
    } else {
        attrs.insert(key.to_owned(), Value::String(chosen));
    }
    true
}

/// A link to another annotation of the article (stored as its id).
fn link_field(
    ui: &mut egui::Ui,
    attrs: &mut crate::model::AnnotationAttrs,
    key: &str,
    label: &str,
    annotations: &[Annotation],
) -> bool {
    let name = ui.label(key);
    let current = attrs.get(key).and_then(Value::as_i64);
    let mut chosen = current;
    let describe = |id: Option<i64>| {
        id.and_then(|id| annotations.iter().find(|a| a.id.0 == id))
            .map_or_else(|| "—".to_owned(), |a| format!("{} #{}", a.text, a.id))
    };
    egui::ComboBox::new(("link", key), "")
        .selected_text(describe(current))
        .show_ui(ui, |ui| {
            ui.selectable_value(&mut chosen, None, "—");
            for a in annotations.iter().filter(|a| a.label == label) {
                ui.selectable_value(&mut chosen, Some(a.id.0), format!("{} #{}", a.text, a.id));
            }
        })
        .response
        .labelled_by(name.id);
    ui.end_row();
    if chosen == current {
        return false;
    }
    match chosen {
        Some(id) => attrs.insert(key.to_owned(), Value::from(id)),
        None => attrs.remove(key),
    };
    true
}

fn value_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn annotation_list_ui(
    ui: &mut egui::Ui,
    reader: &ReaderState,
    labels: &LabelSchema,
    commands: &mut Vec<Command>,
) {
    suggestions_ui(ui, reader, labels, commands);
    ui.heading(format!("All annotations ({})", reader.annotations.len()));
    let row_height = ui.text_style_height(&egui::TextStyle::Body) + 4.0;
    egui::ScrollArea::vertical()
        .id_salt("annotation-list")
        .max_height(220.0)
        .auto_shrink([false, true])
        .show_rows(ui, row_height, reader.annotations.len(), |ui, rows| {
            for annotation in reader.annotations.get(rows).unwrap_or_default() {
                let color = labels
                    .find(&annotation.label)
                    .map_or(egui::Color32::GRAY, |l| theme::label_color(&l.color));
                let selected = reader.selected == Some(annotation.id);
                let mut text =
                    RichText::new(format!("{:<9} {}", annotation.label, annotation.text))
                        .color(color);
                if annotation.status == AnnotationStatus::Suggested {
                    text = text.italics();
                }
                if ui.selectable_label(selected, text).clicked() {
                    commands.push(Command::JumpToAnnotation(annotation.id));
                }
            }
        });
}

/// Suggestions of the open article by label, each with "accept all" and "reject all".
fn suggestions_ui(
    ui: &mut egui::Ui,
    reader: &ReaderState,
    labels: &LabelSchema,
    commands: &mut Vec<Command>,
) {
    let mut by_label: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for annotation in &reader.annotations {
        if annotation.status == AnnotationStatus::Suggested {
            *by_label.entry(annotation.label.as_str()).or_default() += 1;
        }
    }
    ui.horizontal(|ui| {
        ui.heading("Suggestions");
        if ui
            .button("Suggest")
            .on_hover_text("Propose dates, casualty figures and entities for this article")
            .clicked()
        {
            commands.push(Command::Suggest { all: false });
        }
    });
    if by_label.is_empty() {
        ui.weak("None waiting. Enter accepts the selected one, Backspace rejects it.");
        return;
    }
    egui::Grid::new("suggestions-by-label")
        .num_columns(3)
        .show(ui, |ui| {
            for (label, count) in by_label {
                let color = labels
                    .find(label)
                    .map_or(egui::Color32::GRAY, |l| theme::label_color(&l.color));
                ui.label(RichText::new(format!("{label} ({count})")).color(color));
                if ui
                    .small_button("Accept all")
                    .on_hover_text(format!("Accept every suggested {label} of this article"))
                    .clicked()
                {
                    commands.push(Command::ReviewLabel {
                        label: label.to_owned(),
                        accept: true,
                    });
                }
                if ui
                    .small_button("Reject all")
                    .on_hover_text(format!("Reject every suggested {label} of this article"))
                    .clicked()
                {
                    commands.push(Command::ReviewLabel {
                        label: label.to_owned(),
                        accept: false,
                    });
                }
                ui.end_row();
            }
        });
    ui.separator();
}

fn metadata_ui(ui: &mut egui::Ui, reader: &mut ReaderState, commands: &mut Vec<Command>) {
    ui.heading("Article");
    let draft = &mut reader.meta_draft;
    let mut commit = false;
    egui::Grid::new("article-fields")
        .num_columns(2)
        .show(ui, |ui| {
            for (name, value) in [
                ("Title", &mut draft.title),
                ("Published", &mut draft.published),
                ("URL", &mut draft.url),
                ("Outlet", &mut draft.source),
            ] {
                let label = ui.label(name);
                commit |= ui
                    .add(
                        egui::TextEdit::singleline(value)
                            .desired_width(200.0)
                            .id_salt(("meta", name)),
                    )
                    .labelled_by(label.id)
                    .lost_focus();
                ui.end_row();
            }
        });
    let published = parse_draft_date(&draft.published);
    if let Err(e) = &published {
        ui.colored_label(theme::error_color(crate::app::state::ThemeChoice::Light), e);
    }
    ui.label(format!(
        "id {} · {} · sha256 {}…",
        reader.article.id,
        reader.article.origin_format,
        reader.article.content_sha256.get(..12).unwrap_or_default()
    ));
    let stored = crate::app::state::MetaDraft::of(&reader.article);
    if commit
        && *draft != stored
        && let Ok(published) = published
    {
        let optional = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_owned());
        commands.push(Command::UpdateArticle(ArticleMeta {
            id: reader.article.id,
            title: draft.title.trim().to_owned(),
            published,
            url: optional(&draft.url),
            source: optional(&draft.source),
        }));
    }
}

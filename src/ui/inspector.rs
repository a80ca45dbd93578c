//! The inspector: the selected annotation's label and attributes, the article's
//! annotations, and its metadata. Edits are saved as they are made (each one undoable).

use egui::RichText;
use serde_json::Value;

use crate::app::command::Command;
use crate::app::state::{AnnotationDraft, MetaDraft, ReaderState, ThemeChoice};
use crate::model::{Annotation, AnnotationStatus, ArticleMeta, LabelSchema, PartialDate, attrs};

use super::theme;

mod place;

/// Draws the inspector for the open article.
pub(crate) fn inspector_ui(
    ui: &mut egui::Ui,
    reader: &mut ReaderState,
    labels: &LabelSchema,
    theme_choice: ThemeChoice,
    commands: &mut Vec<Command>,
) {
    // Both ways: wide content scrolls inside the panel instead of widening it (a wider
    // inspector would narrow the reader and move its text under the pointer).
    egui::ScrollArea::both()
        .id_salt("inspector")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            selected_ui(ui, reader, labels, theme_choice, commands);
            ui.separator();
            annotation_list_ui(ui, reader, labels, commands);
            ui.separator();
            metadata_ui(ui, reader, theme_choice, commands);
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

/// The selected annotation's text, span, status, author and (for the tagger's) confidence.
fn selected_header_ui(ui: &mut egui::Ui, selected: &Annotation) {
    ui.label(RichText::new(format!("\u{201c}{}\u{201d}", selected.text)).strong());
    ui.label(format!(
        "[{}, {}) · {} · by {}",
        selected.span.start(),
        selected.span.end(),
        selected.status,
        selected.annotator
    ));
    if let Some(confidence) = tagger_confidence(selected) {
        ui.label(format!("tagger confidence {confidence:.2}"))
            .on_hover_text(
                "How sure the entity tagger is of this span and label (0 to 1): the archive's \
             model once it learned from accepted spans, else the bundled one",
            );
    }
}

fn selected_ui(
    ui: &mut egui::Ui,
    reader: &mut ReaderState,
    labels: &LabelSchema,
    theme_choice: ThemeChoice,
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
    selected_header_ui(ui, &selected);
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
            commit |= attribute_fields_ui(ui, draft, &reader.annotations, &reader.article.text);
        });
    // A count that is not a whole number is never saved: it stays in the field, marked.
    let bad_numbers: Vec<&str> = attrs::FIGURES
        .into_iter()
        .filter(|k| draft.attrs.get(*k).is_some_and(Value::is_string))
        .collect();
    if !bad_numbers.is_empty() {
        ui.colored_label(
            theme::error_color(theme_choice),
            format!(
                "{} must be a whole number (not saved)",
                bad_numbers.join(", ")
            ),
        );
    }
    // Likewise a place's coordinates out of range or a malformed country code.
    let bad_place = if draft.label == "LOC" {
        place::bad_place_values(&draft.attrs)
    } else {
        Vec::new()
    };
    for reason in &bad_place {
        ui.colored_label(
            theme::error_color(theme_choice),
            format!("{reason} (not saved)"),
        );
    }
    if commit
        && bad_numbers.is_empty()
        && bad_place.is_empty()
        && *draft != AnnotationDraft::of(&selected)
    {
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

/// The fields of the label's attributes (a figure's count, outcome, victims, claimant and
/// links; a date's value; a place's canonical name). Returns whether one changed.
fn attribute_fields_ui(
    ui: &mut egui::Ui,
    draft: &mut AnnotationDraft,
    annotations: &[Annotation],
    text: &str,
) -> bool {
    let mut changed = false;
    match draft.label.as_str() {
        "CASUALTY" => {
            for key in attrs::FIGURES {
                changed |= number_field(ui, &mut draft.attrs, key);
            }
            changed |= choice_field(ui, &mut draft.attrs, attrs::OUTCOME, attrs::OUTCOMES);
            changed |= choice_field(ui, &mut draft.attrs, attrs::VICTIMS, attrs::VICTIM_KINDS);
            changed |= choice_field(ui, &mut draft.attrs, attrs::QUALIFIER, attrs::QUALIFIERS);
            changed |= text_field(ui, &mut draft.attrs, attrs::CLAIMED_BY);
            for (key, label) in attrs::CLAIM_LINK_LABELS {
                changed |= link_field(
                    ui,
                    &mut draft.attrs,
                    LinkField {
                        key,
                        label,
                        claim_status: draft.status,
                    },
                    annotations,
                    text,
                );
            }
        }
        "DATE" => {
            changed |= text_field(ui, &mut draft.attrs, attrs::VALUE);
            changed |= choice_field(ui, &mut draft.attrs, attrs::PRECISION, attrs::PRECISIONS);
            changed |= text_field(ui, &mut draft.attrs, attrs::ANCHOR);
        }
        "LOC" => {
            changed |= place::place_fields_ui(ui, &mut draft.attrs, text_field);
        }
        _ => {
            changed |= text_field(ui, &mut draft.attrs, attrs::CANONICAL);
        }
    }
    changed
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

/// Which link a picker edits, and the status of the claim it belongs to (for its hint).
struct LinkField<'a> {
    key: &'a str,
    label: &'a str,
    claim_status: AnnotationStatus,
}

/// A link to another annotation of the article (stored as its id). Each entry says where
/// its span is (line and the words around it) and shows its sentence on hover, since two
/// "Thursday"s look alike otherwise.
fn link_field(
    ui: &mut egui::Ui,
    attrs: &mut crate::model::AnnotationAttrs,
    field: LinkField<'_>,
    annotations: &[Annotation],
    text: &str,
) -> bool {
    let key = field.key;
    let name = ui.label(key);
    let current = attrs.get(key).and_then(Value::as_i64);
    let mut chosen = current;
    let target = |id: Option<i64>| id.and_then(|id| annotations.iter().find(|a| a.id.0 == id));
    let selected_text = target(current).map_or_else(|| "—".to_owned(), |a| link_entry(text, a));
    let combo = egui::ComboBox::new(("link", key), "")
        .selected_text(selected_text)
        .width(200.0)
        // Long entries are cut, never widening the inspector (which would reflow the text).
        .truncate()
        .show_ui(ui, |ui| {
            ui.selectable_value(&mut chosen, None, "—");
            for a in annotations.iter().filter(|a| a.label == field.label) {
                ui.selectable_value(&mut chosen, Some(a.id.0), link_entry(text, a))
                    .on_hover_text(sentence_of(text, a.span.start(), a.span.end()));
            }
        })
        .response
        .labelled_by(name.id);
    if let Some(a) = target(current) {
        let _ = combo.on_hover_text(sentence_of(text, a.span.start(), a.span.end()));
    }
    ui.end_row();
    if let Some(a) = target(current)
        && a.status == AnnotationStatus::Suggested
    {
        ui.label("");
        ui.weak(link_hint(field.claim_status));
        ui.end_row();
    }
    if chosen == current {
        return false;
    }
    match chosen {
        Some(id) => attrs.insert(key.to_owned(), Value::from(id)),
        None => attrs.remove(key),
    };
    true
}

/// What happens to a link whose target is still a suggestion.
fn link_hint(claim_status: AnnotationStatus) -> &'static str {
    match claim_status {
        // Accepting a claim accepts the suggestions it links to (service::annotating).
        AnnotationStatus::Suggested => "suggested: accepting this claim accepts it too",
        _ => "suggested: accept it to keep it in exports",
    }
}

/// A picker entry: the span text, its line, and a few words around it,
/// e.g. `Thursday · line 3 · …said Thursday's strikes killed…` (plus "suggested").
fn link_entry(text: &str, a: &Annotation) -> String {
    let line = 1 + text
        .chars()
        .take(a.span.start())
        .filter(|&c| c == '\n')
        .count();
    let status = if a.status == AnnotationStatus::Suggested {
        " · suggested"
    } else {
        ""
    };
    format!(
        "{} · line {line} · {}{status}",
        a.text,
        context_words(text, a.span.start(), a.span.end(), 3)
    )
}

/// Up to `words` words on each side of `[start, end)` (code points), on one line.
fn context_words(text: &str, start: usize, end: usize, words: usize) -> String {
    let chars: Vec<char> = text.chars().collect();
    let take_words = |mut i: usize, step_back: bool| {
        let mut seen = 0;
        let mut in_word = false;
        loop {
            let next = if step_back {
                i.checked_sub(1)
            } else {
                (i < chars.len()).then_some(i)
            };
            let Some(at) = next else { break };
            let Some(&c) = chars.get(at) else { break };
            if c == '\n' {
                break;
            }
            if c.is_whitespace() {
                if in_word {
                    seen += 1;
                    in_word = false;
                    if seen == words {
                        break;
                    }
                }
            } else {
                in_word = true;
            }
            i = if step_back { at } else { at + 1 };
        }
        i
    };
    let from = take_words(start.min(chars.len()), true);
    let to = take_words(end.min(chars.len()), false);
    let mut out = String::new();
    if from > 0 && chars.get(from - 1).is_some_and(|&c| c != '\n') {
        out.push('…');
    }
    out.extend(chars.get(from..to).unwrap_or_default().iter());
    if to < chars.len() && chars.get(to).is_some_and(|&c| c != '\n') {
        out.push('…');
    }
    out.trim().to_owned()
}

/// The sentence around `[start, end)`: from the previous sentence end (or line break) to the
/// next one.
fn sentence_of(text: &str, start: usize, end: usize) -> String {
    let chars: Vec<char> = text.chars().collect();
    let ends_sentence = |c: char| matches!(c, '.' | '!' | '?' | '\n' | '。' | '؟' | '۔');
    let mut from = start.min(chars.len());
    while from > 0 && chars.get(from - 1).is_some_and(|&c| !ends_sentence(c)) {
        from -= 1;
    }
    let mut to = end.min(chars.len());
    while to < chars.len() && chars.get(to).is_some_and(|&c| !ends_sentence(c)) {
        to += 1;
    }
    if to < chars.len() && chars.get(to).is_some_and(|&c| c != '\n') {
        to += 1;
    }
    chars
        .get(from..to)
        .unwrap_or_default()
        .iter()
        .collect::<String>()
        .trim()
        .to_owned()
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
                let confidence = tagger_confidence(annotation)
                    .map_or_else(String::new, |c| format!("  ({c:.2})"));
                let mut text = RichText::new(format!(
                    "{:<9} {}{confidence}",
                    annotation.label, annotation.text
                ))
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

/// The entity tagger's confidence in an annotation it proposed (0 to 1).
fn tagger_confidence(annotation: &Annotation) -> Option<f64> {
    annotation
        .attrs
        .get(attrs::CONFIDENCE)
        .and_then(Value::as_f64)
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

fn metadata_ui(
    ui: &mut egui::Ui,
    reader: &mut ReaderState,
    theme_choice: ThemeChoice,
    commands: &mut Vec<Command>,
) {
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
    let published = PartialDate::parse_optional(&draft.published).map_err(|e| e.to_string());
    if let Err(e) = &published {
        ui.colored_label(theme::error_color(theme_choice), e);
    }
    ui.label(format!(
        "id {} · {} · sha256 {}…",
        reader.article.id,
        reader.article.origin_format,
        reader.article.content_sha256.get(..12).unwrap_or_default()
    ));
    let stored = MetaDraft::of(&reader.article);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AnnotationId, ArticleId, CharSpan};

    fn span(text: &str, needle: &str, nth: usize) -> Annotation {
        let byte = text.match_indices(needle).nth(nth).unwrap().0;
        let start = text[..byte].chars().count();
        Annotation {
            id: AnnotationId(7),
            uid: String::new(),
            article_id: ArticleId(1),
            label: "DATE".to_owned(),
            span: CharSpan::ordered(start, start + needle.chars().count()).unwrap(),
            text: needle.to_owned(),
            attrs: Default::default(),
            status: AnnotationStatus::Suggested,
            annotator: "rules".to_owned(),
            coder: String::new(),
            created_at: String::new(),
            updated_at: String::new(),
        }
    }

    #[test]
    fn link_entries_say_where_each_span_is_not_its_id() {
        let text = "Iran said Thursday's strikes killed nine people.\n\
                    Officials met on Thursday in Tehran. Talks went on.";
        let first = link_entry(text, &span(text, "Thursday", 0));
        let second = link_entry(text, &span(text, "Thursday", 1));
        assert_eq!(
            first,
            "Thursday · line 1 · Iran said Thursday's strikes killed… · suggested"
        );
        assert_eq!(
            second,
            "Thursday · line 2 · Officials met on Thursday in Tehran. Talks… · suggested"
        );
        assert!(!first.contains('#') && first != second);
        assert_eq!(
            sentence_of(
                text,
                span(text, "Thursday", 1).span.start(),
                span(text, "Thursday", 1).span.end()
            ),
            "Officials met on Thursday in Tehran."
        );
    }
}

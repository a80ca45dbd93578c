//! The reader: the article text with annotation highlights, selection and label keys.
//!
//! The text is one read-only `TextEdit` (selection and cursors count characters, which are
//! our code point offsets) with a layouter that returns a cached galley: the `LayoutJob` is
//! rebuilt only when the article, its annotations, the selection, the width or the theme
//! change, never per frame.

use std::sync::Arc;

use egui::text::{ByteIndex, CCursor, CCursorRange, LayoutJob, LayoutSection};
use egui::{Align, Color32, FontId, Galley, Stroke, TextFormat};

use crate::app::command::Command;
use crate::app::snap_to_words;
use crate::app::state::{ReaderState, ThemeChoice};
use crate::model::{AnnotationId, AnnotationStatus, ArticleId, LabelSchema};

use super::theme;

/// What the cached galley was built from.
#[derive(Debug, Clone, Copy, PartialEq)]
struct LayoutKey {
    article: ArticleId,
    revision: u64,
    selected: Option<AnnotationId>,
    wrap_width: f32,
    theme: ThemeChoice,
    dark_text: bool,
}

/// The laid-out text of the open article.
#[derive(Default)]
pub struct ReaderCache {
    key: Option<LayoutKey>,
    galley: Option<Arc<Galley>>,
    /// How many times the layout was rebuilt (benchmarks and tests read it).
    pub layouts_built: u64,
    /// The reader text field's id, so shortcuts can tell it from other text fields.
    pub text_id: Option<egui::Id>,
}

impl ReaderCache {
    /// Forgets the layout (label colours or fonts changed).
    pub fn invalidate(&mut self) {
        self.key = None;
        self.galley = None;
    }

    fn galley(
        &mut self,
        ui: &egui::Ui,
        key: LayoutKey,
        build: impl FnOnce() -> LayoutJob,
    ) -> Arc<Galley> {
        if self.key == Some(key)
            && let Some(galley) = &self.galley
        {
            return Arc::clone(galley);
        }
        let galley = ui.ctx().fonts_mut(|fonts| fonts.layout_job(build()));
        self.key = Some(key);
        self.galley = Some(Arc::clone(&galley));
        self.layouts_built += 1;
        galley
    }
}

/// Font size of the reader.
const READER_FONT_SIZE: f32 = 16.0;

/// Builds the highlighted layout: each run of text between span boundaries gets the
/// background of its innermost annotation and an underline for any other covering one;
/// suggestions are underlined and faint, accepted spans filled.
fn layout_job(
    reader: &ReaderState,
    labels: &LabelSchema,
    theme_choice: ThemeChoice,
    text_color: Color32,
    wrap_width: f32,
) -> LayoutJob {
    let text = &reader.article.text;
    // Code point offset -> byte offset, once per layout.
    let mut byte_at: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
    byte_at.push(text.len());
    let byte = |char_index: usize| byte_at.get(char_index).copied().unwrap_or(text.len());
    let mut bounds: Vec<usize> = vec![0, byte_at.len() - 1];
    for a in &reader.annotations {
        bounds.push(a.start);
        bounds.push(a.end);
    }
    bounds.sort_unstable();
    bounds.dedup();
    let font = FontId::proportional(READER_FONT_SIZE);
    let plain = TextFormat {
        font_id: font.clone(),
        color: text_color,
        line_height: Some(READER_FONT_SIZE * 1.5),
        ..TextFormat::default()
    };
    let mut job = LayoutJob {
        text: text.clone(),
        wrap: egui::text::TextWrapping {
            max_width: wrap_width,
            ..Default::default()
        },
        ..LayoutJob::default()
    };
    // Annotations sorted by start; `open` holds those covering the current run.
    let mut by_start: Vec<usize> = (0..reader.annotations.len()).collect();
    by_start.sort_by_key(|&i| reader.annotations.get(i).map(|a| a.start));
    let mut next = 0;
    let mut open: Vec<usize> = Vec::new();
    for pair in bounds.windows(2) {
        let &[run_start, run_end] = pair else {
            continue;
        };
        open.retain(|&i| reader.annotations.get(i).is_some_and(|a| a.end > run_start));
        while let Some(&i) = by_start.get(next) {
            match reader.annotations.get(i) {
                Some(a) if a.start <= run_start => {
                    if a.end > run_start {
                        open.push(i);
                    }
                    next += 1;
                }
                _ => break,
            }
        }
        let mut format = plain.clone();
        let innermost = open
            .iter()
            .filter_map(|&i| reader.annotations.get(i))
            .min_by_key(|a| (a.end - a.start, a.id));
        if let Some(inner) = innermost {
            let color = labels
                .find(&inner.label)
                .map_or(Color32::GRAY, |l| theme::label_color(&l.color));
            format.background = match inner.status {
                // The app never hands rejected annotations to the reader.
                AnnotationStatus::Accepted | AnnotationStatus::Rejected => {
                    theme::accepted_fill(color, theme_choice)
                }
                AnnotationStatus::Suggested => theme::suggested_fill(color),
            };
            if inner.status == AnnotationStatus::Suggested {
                format.underline = Stroke::new(1.5, color);
            }
            if Some(inner.id) == reader.selected
                || open
                    .iter()
                    .filter_map(|&i| reader.annotations.get(i))
                    .any(|a| Some(a.id) == reader.selected)
            {
                format.background = theme::selected_fill(theme_choice);
            }
            // An outer span of another label shows as an underline in its colour.
            if let Some(outer) = open
                .iter()
                .filter_map(|&i| reader.annotations.get(i))
                .find(|a| a.id != inner.id)
            {
                let outer_color = labels
                    .find(&outer.label)
                    .map_or(Color32::GRAY, |l| theme::label_color(&l.color));
                format.underline = Stroke::new(2.0, outer_color);
            }
        }
        job.sections.push(LayoutSection {
            leading_space: 0.0,
            byte_range: ByteIndex(byte(run_start))..ByteIndex(byte(run_end)),
            format,
        });
    }
    job
}

/// Draws the open article; pushes commands for label keys and clicks on highlights.
pub(crate) fn reader_ui(
    ui: &mut egui::Ui,
    reader: &mut ReaderState,
    labels: &LabelSchema,
    theme_choice: ThemeChoice,
    keys_enabled: bool,
    cache: &mut ReaderCache,
    commands: &mut Vec<Command>,
) {
    ui.heading(&reader.article.title);
    ui.horizontal_wrapped(|ui| {
        let weak = theme::weak_color(ui.visuals());
        if let Some(published) = reader.article.published {
            ui.colored_label(weak, published.to_string());
        }
        if let Some(source) = &reader.article.source {
            ui.colored_label(weak, source);
        }
        ui.colored_label(weak, format!("{} annotations", reader.annotations.len()));
    });
    legend_ui(ui, labels, reader, commands);
    ui.separator();

    let text_color = ui.visuals().text_color();
    let scroll_to = reader.scroll_to.take();
    let scroll = egui::ScrollArea::vertical()
        .id_salt(("reader", reader.article.id))
        .auto_shrink([false, false]);
    let mut cache_text_id = None;
    let selection = scroll.show(ui, |ui| {
        let key_base = (
            reader.article.id,
            reader.revision,
            reader.selected,
            theme_choice,
            text_color,
        );
        let state: &ReaderState = reader;
        let mut layouter = |ui: &egui::Ui, _text: &dyn egui::TextBuffer, wrap_width: f32| {
            let key = LayoutKey {
                article: key_base.0,
                revision: key_base.1,
                selected: key_base.2,
                wrap_width,
                theme: key_base.3,
                dark_text: key_base.4 == Color32::WHITE,
            };
            cache.galley(ui, key, || {
                layout_job(state, labels, theme_choice, text_color, wrap_width)
            })
        };
        let mut text: &str = &state.article.text;
        let output = egui::TextEdit::multiline(&mut text)
            .id_salt("reader-text")
            .desired_width(f32::INFINITY)
            .frame(egui::Frame::NONE)
            .layouter(&mut layouter)
            .show(ui);
        let response = &output.response.response;
        cache_text_id = Some(response.id);
        let range = output
            .cursor_range
            .map(|r: CCursorRange| r.as_sorted_char_range());
        let alt = ui.input(|i| i.modifiers.alt);
        let selection = range.as_ref().and_then(|r| {
            let (start, end) = (r.start.0, r.end.0);
            (end > start).then(|| {
                if alt {
                    (start, end)
                } else {
                    snap_to_words(&state.article.text, start, end)
                }
            })
        });
        // A click (not a drag) on a highlight selects its annotation. The cursor state only
        // catches up next frame, so read the position under the pointer from the galley.
        let clicked_at = response
            .clicked()
            .then(|| response.interact_pointer_pos())
            .flatten()
            .filter(|_| range.as_ref().is_none_or(|r| r.start == r.end))
            .map(|pos| {
                output
                    .galley
                    .cursor_from_pos(pos - output.galley_pos)
                    .index
                    .0
            });
        if let Some(at) = clicked_at {
            let hit = state
                .annotations
                .iter()
                .filter(|a| a.start <= at && at < a.end)
                .min_by_key(|a| a.end - a.start)
                .map(|a| a.id);
            commands.push(Command::SelectAnnotation(hit));
        }
        if let Some((start, end)) = selection {
            response.context_menu(|ui| {
                ui.label(format!(
                    "Label \u{201c}{}\u{201d} as",
                    crate::model::slice_chars(&state.article.text, start, end)
                ));
                for label in &labels.labels {
                    if ui.button(&label.name).clicked() {
                        commands.push(Command::Annotate {
                            label: label.name.clone(),
                            start,
                            end,
                        });
                        ui.close();
                    }
                }
            });
        }
        if let Some(at) = scroll_to {
            let rect = output
                .galley
                .pos_from_cursor(CCursor::new(at))
                .translate(output.galley_pos.to_vec2());
            ui.scroll_to_rect(rect, Some(Align::Center));
        }
        if let Some((start, end)) = selection {
            let hint = format!(
                "{} selected: press a label key ({}), Alt keeps the exact range",
                end - start,
                labels
                    .labels
                    .iter()
                    .filter_map(|l| l.shortcut.map(|k| format!("{k} {}", l.name)))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            response.clone().on_hover_text(hint);
        }
        selection
    });
    reader.selection = selection.inner;
    cache.text_id = cache_text_id;
    if keys_enabled && reader.selection.is_some() {
        for label in &labels.labels {
            let Some(shortcut) = label.shortcut else {
                continue;
            };
            let Some(key) = key_for_char(shortcut) else {
                continue;
            };
            if ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, key)) {
                commands.push(Command::AnnotateSelectionWithShortcut(shortcut));
            }
        }
    }
}

/// The key that types a shortcut character (digits and letters).
pub(crate) fn key_for_char(c: char) -> Option<egui::Key> {
    egui::Key::from_name(&c.to_ascii_uppercase().to_string())
}

/// The label palette: one chip per label with its key and count. With text selected, a
/// click on a chip labels the selection (the mouse way to do what the keys do).
fn legend_ui(
    ui: &mut egui::Ui,
    labels: &LabelSchema,
    reader: &ReaderState,
    commands: &mut Vec<Command>,
) {
    ui.horizontal_wrapped(|ui| {
        for label in &labels.labels {
            let count = reader
                .annotations
                .iter()
                .filter(|a| a.label == label.name)
                .count();
            let color = theme::label_color(&label.color);
            let text = match label.shortcut {
                Some(key) => format!("{key} {} ({count})", label.name),
                None => format!("{} ({count})", label.name),
            };
            let chip = egui::Button::new(text)
                .fill(color.gamma_multiply(0.35))
                .corner_radius(4.0);
            let response = ui.add(chip).on_hover_text(if reader.selection.is_some() {
                format!("Label the selection {}: {}", label.name, label.description)
            } else {
                label.description.clone()
            });
            if response.clicked()
                && let Some((start, end)) = reader.selection
            {
                commands.push(Command::Annotate {
                    label: label.name.clone(),
                    start,
                    end,
                });
            }
        }
        ui.label("· filled = accepted, underlined = suggested");
    });
}

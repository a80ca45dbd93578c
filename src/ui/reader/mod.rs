//! The reader: the article text with annotation highlights, selection and label keys.
//!
//! The text is laid out by `text_layout` (every word a galley, lines in bidi order) and
//! drawn here; the pointer is mapped to code point offsets by the same layout, so what is
//! under the pointer is what is selected, in Arabic script as in Latin. The layout is
//! rebuilt only when the article or the width changes; the highlights when the annotations,
//! the selected annotation or the theme change; never per frame.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use egui::{Align, Color32, Galley, Rect, Sense, Stroke, vec2};

use crate::app::command::Command;
use crate::app::state::{ReaderState, ThemeChoice};
use crate::model::{AnnotationId, ArticleId, LabelSchema};

use super::text_layout::{Shaper, TextLayout, piece_job};
use super::theme;

mod find_bar;
mod gestures;
mod highlights;

use find_bar::find_bar_ui;
use gestures::{context_menu, interact, label_keys};
use highlights::paint;

/// What the laid-out text was built from.
#[derive(Debug, Clone, Copy, PartialEq)]
struct LayoutKey {
    article: ArticleId,
    text_len: usize,
    width: f32,
    pixels_per_point: f32,
}

/// What the highlights were built from.
#[derive(Debug, Clone, PartialEq)]
struct DecorationKey {
    layout: u64,
    revision: u64,
    selected: Option<AnnotationId>,
    theme: ThemeChoice,
    terms: Vec<String>,
    find: String,
    find_current: usize,
}

/// One highlight rectangle (relative to the text's top left).
#[derive(Debug, Clone, Copy)]
struct Decoration {
    rect: Rect,
    fill: Color32,
    /// Underline: colour, width, dashed.
    underline: Option<(Color32, f32, bool)>,
    /// Outline of the selected annotation.
    outline: Option<Stroke>,
}

/// Where the text was drawn in the last frame (screen coordinates): the layout file of the
/// real-window tests is written from it.
#[derive(Debug, Clone, PartialEq)]
pub struct DrawnText {
    /// The open article.
    pub article: ArticleId,
    /// The visible words: code points and their rectangle on screen.
    pub words: Vec<(Range<usize>, Rect)>,
    /// The selection as it will be stored.
    pub selection: Option<(usize, usize)>,
    /// The entries of the open context menu and their rectangles on screen.
    pub menu: Vec<(String, Rect)>,
}

/// Find-in-article matches of (article, needle): code point ranges.
type FindMatches = ((ArticleId, String), Vec<(usize, usize)>);

/// The laid-out text of the open article.
#[derive(Default)]
pub struct ReaderCache {
    key: Option<LayoutKey>,
    layout: Option<TextLayout>,
    /// Shaped words of the open article (their widths; never drawn, see `text_layout`).
    words: HashMap<String, Arc<Galley>>,
    decorations: Option<(DecorationKey, Vec<Decoration>)>,
    /// Find-in-article matches: (article, needle) -> code point ranges.
    find_matches: Option<FindMatches>,
    /// How many times the layout was rebuilt (benchmarks and tests read it).
    pub layouts_built: u64,
    /// What the last frame drew.
    pub drawn: Option<DrawnText>,
}

impl ReaderCache {
    /// Forgets the layout (label colours or fonts changed).
    pub fn invalidate(&mut self) {
        self.key = None;
        self.layout = None;
        self.decorations = None;
    }

    fn layout(&mut self, ui: &egui::Ui, reader: &ReaderState, width: f32) -> Option<&TextLayout> {
        let ctx = ui.ctx();
        let key = LayoutKey {
            article: reader.article.id,
            text_len: reader.article.text.len(),
            width: width.round(),
            pixels_per_point: ctx.pixels_per_point(),
        };
        if self
            .key
            .is_some_and(|k| k.article != key.article || k.pixels_per_point != key.pixels_per_point)
        {
            self.words.clear();
        }
        if self.key != Some(key) || self.layout.is_none() {
            let mut shape = |text: String| ctx.fonts_mut(|f| f.layout_job(piece_job(text)));
            let mut shaper = Shaper::new(&mut shape, &mut self.words);
            self.layout = Some(TextLayout::new(
                &reader.article.text,
                key.width,
                &mut shaper,
            ));
            self.key = Some(key);
            self.layouts_built += 1;
            self.decorations = None;
        }
        self.layout.as_ref()
    }
}

/// Draws the open article; pushes commands for label keys and clicks on highlights.
#[expect(
    clippy::too_many_arguments,
    reason = "the reader draws from several parts of the state"
)]
pub(crate) fn reader_ui(
    ui: &mut egui::Ui,
    reader: &mut ReaderState,
    labels: &LabelSchema,
    theme_choice: ThemeChoice,
    search_terms: &[String],
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
        ui.colored_label(weak, plural(reader.annotations.len(), "annotation"));
    });
    legend_ui(ui, labels, reader, commands);
    let find_scroll = find_bar_ui(ui, reader, cache);
    ui.separator();

    let scroll_to = reader.scroll_to.take().or(find_scroll);
    let article_id = reader.article.id;
    egui::ScrollArea::vertical()
        .id_salt(("reader", article_id))
        .auto_shrink([false, false])
        .show(ui, |ui| {
            let width = ui.available_width();
            let height = cache
                .layout(ui, reader, width)
                .map_or(0.0, TextLayout::height);
            let (rect, response) =
                ui.allocate_exact_size(vec2(width, height + 8.0), Sense::click_and_drag());
            let origin = rect.min;
            let alt = ui.input(|i| i.modifiers.alt);
            interact(ui, &response, origin, reader, cache, alt, commands);
            paint(
                ui,
                origin,
                reader,
                labels,
                theme_choice,
                search_terms,
                cache,
            );
            let menu = context_menu(&response, reader, labels, commands);
            if let Some(at) = scroll_to
                && let Some(layout) = &cache.layout
            {
                ui.scroll_to_rect(
                    layout.rect_of(at).translate(origin.to_vec2()),
                    Some(Align::Center),
                );
            }
            if let Some(layout) = &cache.layout {
                let clip = ui.clip_rect();
                let rows = layout.rows_between(clip.top() - origin.y, clip.bottom() - origin.y);
                let words = layout
                    .words(rows)
                    .into_iter()
                    .map(|(chars, r)| (chars, r.translate(origin.to_vec2())))
                    .filter(|(_, r)| clip.intersects(*r))
                    .collect();
                let drawn = DrawnText {
                    article: article_id,
                    words,
                    selection: reader.selection,
                    menu,
                };
                if cache.drawn.as_ref() != Some(&drawn) {
                    cache.drawn = Some(drawn);
                }
            }
        });
    if keys_enabled && reader.selection.is_some() {
        label_keys(ui, reader, labels, commands);
    }
}

/// "1 annotation", "2 annotations".
pub(crate) fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
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
        ui.label("· filled = accepted, dashed underline = suggested, outlined = selected");
    });
}

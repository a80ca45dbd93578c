//! The adjudication view: the unit shown, in the text around it, once per coder in bands one
//! above the other (each coder's spans filled in their label colours, the spans of
//! disagreements underlined, the unit outlined), then the adjudicated layer; and its keys.
//!
//! The bands lay the text out with the reader's `text_layout`, so right-to-left text and
//! code point offsets are the reader's.

use std::collections::HashMap;
use std::sync::Arc;

use egui::{Galley, Key, Modifiers, Pos2, Sense, Stroke, vec2};

use crate::app::command::Command;
use crate::app::state::{AdjudicationView, ThemeChoice, UnitView};
use crate::model::{Annotation, ArticleId, LabelSchema, slice_chars};

use super::text_layout::{Shaper, TextLayout, piece_job};
use super::theme;

/// Code points of context shown on each side of the unit (cut at a space).
const CONTEXT_CHARS: usize = 160;

/// The laid-out text around the unit shown.
#[derive(Default)]
pub struct AdjudicationCache {
    key: Option<(ArticleId, usize, usize, u32, u32)>,
    layout: Option<TextLayout>,
    words: HashMap<String, Arc<Galley>>,
}

/// Draws the view and turns its keys into commands.
pub(crate) fn adjudication_ui(
    ui: &mut egui::Ui,
    view: &mut AdjudicationView,
    labels: &LabelSchema,
    theme_choice: ThemeChoice,
    keys_enabled: bool,
    cache: &mut AdjudicationCache,
    commands: &mut Vec<Command>,
) {
    ui.heading(format!("Adjudicating article {}", view.article_id));
    let weak = theme::weak_color(ui.visuals());
    ui.colored_label(
        weak,
        "1–9 / a b: take that coder's · t: take all · x: reject all · g: accept every agreement · \
         e then a label key: relabel the taken span · n ] / p [: next / previous disagreement · \
         Esc or Ctrl+J: close",
    );
    let open = view.open_disagreements();
    let status = match view.unit() {
        Some(unit) => format!(
            "unit {} of {} [{}, {}) · {} · {} · {} open",
            unit.number,
            view.units.len(),
            unit.start,
            unit.end,
            if unit.agreement {
                "agreement"
            } else {
                "disagreement"
            },
            unit.state,
            crate::model::plural(open, "disagreement", "disagreements"),
        ),
        None => "neither coder marked a span in this article".to_owned(),
    };
    ui.label(status);
    if view.pending {
        ui.colored_label(weak, "writing…");
    }
    match &view.message {
        Some(Ok(message)) => {
            ui.colored_label(weak, message);
        }
        Some(Err(message)) => {
            ui.colored_label(theme::error_color(theme_choice), message);
        }
        None => {}
    }
    ui.separator();
    if let Some(unit) = view.unit().cloned() {
        egui::ScrollArea::vertical()
            .id_salt(("adjudication", view.article_id))
            .auto_shrink([false, false])
            .show(ui, |ui| {
                bands_ui(ui, view, &unit, labels, theme_choice, cache);
            });
    }
    if keys_enabled {
        keys(ui, view, labels, commands);
    }
}

fn bands_ui(
    ui: &mut egui::Ui,
    view: &AdjudicationView,
    unit: &UnitView,
    labels: &LabelSchema,
    theme_choice: ThemeChoice,
    cache: &mut AdjudicationCache,
) {
    let (from, to) = context(&view.text, unit.start, unit.end);
    let width = ui.available_width();
    let ctx = ui.ctx().clone();
    let key = (
        view.article_id,
        from,
        to,
        width.round().to_bits(),
        ctx.pixels_per_point().to_bits(),
    );
    if cache.key != Some(key) || cache.layout.is_none() {
        let mut shape = |text: String| ctx.fonts_mut(|f| f.layout_job(piece_job(text)));
        let mut shaper = Shaper::new(&mut shape, &mut cache.words);
        let window = slice_chars(&view.text, from, to);
        cache.layout = Some(TextLayout::new(window, width, &mut shaper));
        cache.key = Some(key);
    }
    let Some(layout) = &cache.layout else {
        return;
    };
    for (position, coder) in view.coders.iter().enumerate() {
        let spans: Vec<(&Annotation, bool)> = view
            .units
            .iter()
            .flat_map(|u| {
                u.spans
                    .get(position)
                    .into_iter()
                    .flatten()
                    .map(move |a| (a, !u.agreement))
            })
            .collect();
        ui.strong(format!("{} · {coder}", position + 1));
        band(ui, layout, (from, to), &spans, unit, labels, theme_choice);
        ui.add_space(6.0);
    }
    let result: Vec<(&Annotation, bool)> = view
        .units
        .iter()
        .flat_map(|u| u.result.iter().map(|a| (a, false)))
        .collect();
    ui.strong("adjudicated");
    band(ui, layout, (from, to), &result, unit, labels, theme_choice);
}

/// One band: the window of text with `spans` filled (underlined when `true`: part of a
/// disagreement) and the unit outlined.
fn band(
    ui: &mut egui::Ui,
    layout: &TextLayout,
    (from, to): (usize, usize),
    spans: &[(&Annotation, bool)],
    unit: &UnitView,
    labels: &LabelSchema,
    theme_choice: ThemeChoice,
) {
    let (rect, _) = ui.allocate_exact_size(
        vec2(ui.available_width(), layout.height() + 4.0),
        Sense::hover(),
    );
    let shift = rect.min.to_vec2();
    let painter = ui.painter_at(rect.expand(2.0));
    let local = |start: usize, end: usize| {
        let start = start.clamp(from, to) - from;
        let end = end.clamp(from, to) - from;
        (start < end).then_some(start..end)
    };
    for (span, disagreement) in spans {
        let Some(range) = local(span.span.start(), span.span.end()) else {
            continue;
        };
        let color = labels
            .find(&span.label)
            .map_or(egui::Color32::GRAY, |l| theme::label_color(&l.color));
        for r in layout.range_rects(range) {
            let r = r.translate(shift);
            painter.rect_filled(r, 2.0, theme::accepted_fill(color, theme_choice));
            if *disagreement {
                let y = r.bottom() - 1.0;
                painter.line_segment(
                    [Pos2::new(r.left(), y), Pos2::new(r.right(), y)],
                    Stroke::new(2.0, theme::error_color(theme_choice)),
                );
            }
        }
    }
    let text_color = ui.visuals().text_color();
    let rows = layout.rows_between(0.0, layout.height());
    for (text, at) in layout.drawn(rows) {
        let galley = ui.fonts_mut(|f| f.layout_job(piece_job(text.to_owned())));
        painter.galley(at + shift, galley, text_color);
    }
    if let Some(range) = local(unit.start, unit.end) {
        for r in layout.range_rects(range) {
            painter.rect_stroke(
                r.translate(shift).expand(1.0),
                2.0,
                theme::selected_outline(theme_choice),
                egui::StrokeKind::Outside,
            );
        }
    }
    for (span, _) in spans {
        if local(span.span.start(), span.span.end()).is_some() {
            let label_rect = layout
                .range_rects(local(span.span.start(), span.span.end()).unwrap_or(0..0))
                .first()
                .map(|r| r.translate(shift));
            if let Some(r) = label_rect {
                painter.text(
                    Pos2::new(r.left(), r.top()),
                    egui::Align2::LEFT_BOTTOM,
                    &span.label,
                    egui::FontId::proportional(9.0),
                    theme::weak_color(ui.visuals()),
                );
            }
        }
    }
}

/// The code points shown around `[start, end)`: up to [`CONTEXT_CHARS`] on each side, cut
/// at a space or a line break.
fn context(text: &str, start: usize, end: usize) -> (usize, usize) {
    let chars: Vec<char> = text.chars().collect();
    let len = chars.len();
    let mut from = start.saturating_sub(CONTEXT_CHARS);
    while from > 0 && from < start && !chars.get(from - 1).is_some_and(|c| c.is_whitespace()) {
        from += 1;
    }
    let mut to = (end + CONTEXT_CHARS).min(len);
    while to < len && to > end && !chars.get(to).is_some_and(|c| c.is_whitespace()) {
        to -= 1;
    }
    (from.min(start), to.max(end).min(len))
}

/// The view's keys: what the view does with a key is in the help line it draws.
fn keys(
    ui: &egui::Ui,
    view: &mut AdjudicationView,
    labels: &LabelSchema,
    commands: &mut Vec<Command>,
) {
    let pressed = |key: Key| ui.input_mut(|i| i.consume_key(Modifiers::NONE, key));
    if pressed(Key::Escape) {
        if view.editing {
            view.editing = false;
            view.message = None;
        } else {
            commands.push(Command::ToggleAdjudication);
        }
        return;
    }
    if view.editing {
        for label in &labels.labels {
            if let Some(shortcut) = label.shortcut
                && super::reader::key_for_char(shortcut).is_some_and(pressed)
            {
                commands.push(Command::RelabelAdjudicated(shortcut));
                return;
            }
        }
        return;
    }
    const DIGITS: [Key; 9] = [
        Key::Num1,
        Key::Num2,
        Key::Num3,
        Key::Num4,
        Key::Num5,
        Key::Num6,
        Key::Num7,
        Key::Num8,
        Key::Num9,
    ];
    for (position, key) in DIGITS.iter().enumerate() {
        if pressed(*key) {
            commands.push(Command::AdjudicateTake(position));
        }
    }
    let bound = [
        (Key::A, Command::AdjudicateTake(0)),
        (Key::B, Command::AdjudicateTake(1)),
        (Key::T, Command::AdjudicateTakeAll),
        (Key::X, Command::AdjudicateReject),
        (Key::Delete, Command::AdjudicateReject),
        (Key::G, Command::AcceptAgreements),
        (Key::E, Command::AdjudicateEdit),
        (Key::N, Command::StepDisagreement(true)),
        (Key::CloseBracket, Command::StepDisagreement(true)),
        (Key::P, Command::StepDisagreement(false)),
        (Key::OpenBracket, Command::StepDisagreement(false)),
    ];
    for (key, command) in bound {
        if pressed(key) {
            commands.push(command);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_context_is_cut_at_spaces_and_holds_the_unit() {
        let text = "one two three four five";
        assert_eq!(context(text, 8, 13), (0, 23));
        let long = format!("{} target {}", "word ".repeat(100), "word ".repeat(100));
        let start = 500;
        let (from, to) = context(&long, start, start + 6);
        assert!(from <= start && to >= start + 6);
        assert!(long.chars().nth(from - 1).unwrap().is_whitespace());
        assert!(long.chars().nth(to).unwrap().is_whitespace());
    }
}

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

use egui::{Align, Color32, Galley, Pos2, Rect, Sense, Stroke, vec2};

use crate::app::command::Command;
use crate::app::state::{FindBar, ReaderState, SelectionDrag, ThemeChoice};
use crate::model::{AnnotationId, AnnotationStatus, ArticleId, LabelSchema, snap_to_words};

use super::text_layout::{Shaper, TextLayout, piece_job};
use super::theme;

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

/// Pointer gestures on the text: press and drag select (snapped to words unless Alt is
/// held), double-click selects a word, triple-click a paragraph, Shift+click extends, a
/// click on a highlight selects its annotation. Secondary clicks leave the selection alone
/// (they open the context menu).
fn interact(
    ui: &egui::Ui,
    response: &egui::Response,
    origin: Pos2,
    reader: &mut ReaderState,
    cache: &ReaderCache,
    alt: bool,
    commands: &mut Vec<Command>,
) {
    let Some(layout) = &cache.layout else {
        return;
    };
    let text = &reader.article.text;
    let (pressed, down, released, latest, shift, press_origin, release_at) = ui.input(|i| {
        (
            i.pointer.primary_pressed(),
            i.pointer.primary_down(),
            i.pointer.primary_released(),
            i.pointer.interact_pos(),
            i.modifiers.shift,
            i.pointer.press_origin(),
            // Where the button went up: a frame may also hold moves made after it.
            i.events.iter().rev().find_map(|e| match e {
                egui::Event::PointerButton {
                    pos,
                    button: egui::PointerButton::Primary,
                    pressed: false,
                    ..
                } => Some(*pos),
                _ => None,
            }),
        )
    });
    let pos = if released {
        release_at.or(latest)
    } else {
        latest
    };
    let local = |p: Pos2| p - origin.to_vec2();
    let snap = |anchor: usize, head: usize, exact: bool| {
        let (start, end) = (anchor.min(head), anchor.max(head));
        if end <= start {
            None
        } else if exact {
            Some((start, end))
        } else {
            let (s, e) = snap_to_words(text, start, end);
            (e > s).then_some((s, e))
        }
    };
    // The press counts where the button went down (a busy frame may also hold the moves
    // made after it), on the text and with nothing drawn above it there.
    let pressed_at = press_origin.or(pos).filter(|&p| {
        response.rect.contains(p)
            && ui.clip_rect().contains(p)
            && ui.ctx().layer_id_at(p) == Some(ui.layer_id())
    });
    if pressed && let Some(p) = pressed_at {
        {
            // Clicking the text leaves any text field, so label keys reach the reader.
            if let Some(focused) = ui.memory(|m| m.focused()) {
                ui.memory_mut(|m| m.surrender_focus(focused));
            }
            let at = layout.boundary_at(local(p));
            let anchor = match (shift, reader.selection) {
                (true, Some((s, e))) => {
                    if at <= s {
                        e
                    } else {
                        s
                    }
                }
                _ => at,
            };
            reader.selecting = Some(SelectionDrag {
                anchor,
                head: at,
                exact: alt,
            });
            reader.selection = snap(anchor, at, alt);
        }
    }
    // A right-click on a highlight with no text selected selects its annotation, so the
    // menu acts on it.
    let secondary = ui.input(|i| i.pointer.secondary_pressed());
    if secondary
        && reader.selection.is_none()
        && let Some(p) = press_origin.or(pos).filter(|&p| response.rect.contains(p))
        && let Some(at) = layout.char_at(local(p))
        && let Some(hit) = reader
            .annotations
            .iter()
            .filter(|a| a.start <= at && at < a.end)
            .min_by_key(|a| a.end - a.start)
    {
        reader.selected = Some(hit.id);
    }
    if let Some(drag) = &mut reader.selecting {
        if let Some(p) = pos {
            drag.head = layout.boundary_at(local(p));
            drag.exact |= alt;
            // Dragging past the top or bottom scrolls.
            let clip = ui.clip_rect();
            if down && p.y < clip.top() {
                ui.scroll_with_delta(vec2(0.0, (clip.top() - p.y).min(40.0)));
            } else if down && p.y > clip.bottom() {
                ui.scroll_with_delta(vec2(0.0, -(p.y - clip.bottom()).min(40.0)));
            }
        }
        let drag = *drag;
        reader.selection = snap(drag.anchor, drag.head, drag.exact);
        if !down || released {
            reader.selecting = None;
            // A click, not a drag: select the annotation under the pointer (or none).
            let moved = press_origin
                .zip(pos)
                .is_some_and(|(a, b)| a.distance(b) > 3.0);
            if drag.anchor == drag.head && !moved && !shift {
                reader.selection = None;
                let at = pos.and_then(|p| layout.char_at(local(p)));
                let hit = at.and_then(|at| {
                    reader
                        .annotations
                        .iter()
                        .filter(|a| a.start <= at && at < a.end)
                        .min_by_key(|a| a.end - a.start)
                        .map(|a| a.id)
                });
                commands.push(Command::SelectAnnotation(hit));
            }
        }
    }
    if response.double_clicked()
        && let Some(at) = pos.and_then(|p| layout.char_at(local(p)))
    {
        reader.selecting = None;
        reader.selection = snap(at, at + 1, false)
            .filter(|_| text.chars().nth(at).is_some_and(|c| !c.is_whitespace()));
    }
    if response.triple_clicked()
        && let Some(at) = pos.and_then(|p| layout.char_at(local(p)))
    {
        reader.selecting = None;
        reader.selection = Some(paragraph_around(text, at)).filter(|(s, e)| e > s);
    }
}

/// The paragraph (between line breaks) around code point `at`, without its edges' spaces.
fn paragraph_around(text: &str, at: usize) -> (usize, usize) {
    let chars: Vec<char> = text.chars().collect();
    let mut start = at.min(chars.len());
    while start > 0 && chars.get(start - 1).is_some_and(|&c| c != '\n') {
        start -= 1;
    }
    let mut end = at.min(chars.len());
    while chars.get(end).is_some_and(|&c| c != '\n') {
        end += 1;
    }
    while start < end && chars.get(start).is_some_and(|c| c.is_whitespace()) {
        start += 1;
    }
    while end > start && chars.get(end - 1).is_some_and(|c| c.is_whitespace()) {
        end -= 1;
    }
    (start, end)
}

/// Label keys with a selection: a real key press sends a key event and a text event; both
/// are taken here, so no other widget sees the digit and one press makes one annotation.
/// A keyboard layout that sends only the text (the digit on a shifted key) works too.
fn label_keys(
    ui: &egui::Ui,
    reader: &ReaderState,
    labels: &LabelSchema,
    commands: &mut Vec<Command>,
) {
    let pressed = ui.input_mut(|i| {
        let mut found = None;
        for label in &labels.labels {
            let Some(shortcut) = label.shortcut else {
                continue;
            };
            let by_key =
                key_for_char(shortcut).is_some_and(|key| i.consume_key(egui::Modifiers::NONE, key));
            let text = shortcut.to_string();
            let before = i.events.len();
            i.events
                .retain(|e| !matches!(e, egui::Event::Text(t) if *t == text));
            let by_text = i.events.len() < before;
            if (by_key || by_text) && found.is_none() {
                found = Some(shortcut);
            }
        }
        found
    });
    if let Some(shortcut) = pressed {
        commands.push(Command::AnnotateSelectionWithShortcut(shortcut));
    }
    // Copy the selected text.
    let copy = ui.input_mut(|i| {
        let before = i.events.len();
        i.events.retain(|e| !matches!(e, egui::Event::Copy));
        i.events.len() < before
    });
    if copy && let Some((start, end)) = reader.selection {
        ui.ctx()
            .copy_text(crate::model::slice_chars(&reader.article.text, start, end).to_owned());
    }
}

/// The context menu: label the selection, or act on the annotation under the pointer.
fn context_menu(
    response: &egui::Response,
    reader: &ReaderState,
    labels: &LabelSchema,
    commands: &mut Vec<Command>,
) -> Vec<(String, Rect)> {
    let mut entries = Vec::new();
    let selection = reader.selection;
    let selected = reader
        .selected
        .and_then(|id| reader.annotations.iter().find(|a| a.id == id));
    response.context_menu(|ui| {
        if let Some((start, end)) = selection {
            ui.label(format!(
                "Label \u{201c}{}\u{201d} as",
                crate::model::slice_chars(&reader.article.text, start, end)
            ));
            for label in &labels.labels {
                let text = match label.shortcut {
                    Some(key) => format!("{key}  {}", label.name),
                    None => label.name.clone(),
                };
                let button = ui.button(text);
                entries.push((label.name.clone(), button.rect));
                if button.clicked() {
                    commands.push(Command::Annotate {
                        label: label.name.clone(),
                        start,
                        end,
                    });
                    ui.close();
                }
            }
        } else if let Some(annotation) = selected {
            ui.label(format!(
                "{} \u{201c}{}\u{201d}",
                annotation.label, annotation.text
            ));
            let mut entry = |ui: &mut egui::Ui, text: &str, name: &str, command: Command| {
                let button = ui.button(text);
                entries.push((name.to_owned(), button.rect));
                if button.clicked() {
                    commands.push(command);
                    ui.close();
                }
            };
            if annotation.status == AnnotationStatus::Suggested {
                entry(ui, "Accept (Enter)", "Accept", Command::AcceptSelected);
                entry(ui, "Reject (Backspace)", "Reject", Command::RejectSelected);
            }
            entry(ui, "Delete (Del)", "Delete", Command::DeleteSelected);
        } else {
            ui.label("Select text to label it, or click a highlight to select it.");
        }
    });
    entries
}

/// Paints highlights, the selection and the text of the visible rows.
fn paint(
    ui: &egui::Ui,
    origin: Pos2,
    reader: &ReaderState,
    labels: &LabelSchema,
    theme_choice: ThemeChoice,
    search_terms: &[String],
    cache: &mut ReaderCache,
) {
    let find = reader
        .find
        .as_ref()
        .map(|f| f.query.clone())
        .unwrap_or_default();
    let key = DecorationKey {
        layout: cache.layouts_built,
        revision: reader.revision,
        selected: reader.selected,
        theme: theme_choice,
        terms: search_terms.to_vec(),
        find: find.clone(),
        find_current: reader.find.as_ref().map_or(0, |f| f.current),
    };
    if cache.decorations.as_ref().is_none_or(|(k, _)| *k != key) {
        let find_ranges = find_matches(cache, reader, &find);
        let decorations = cache.layout.as_ref().map_or_else(Vec::new, |layout| {
            decorations(
                layout,
                reader,
                labels,
                theme_choice,
                search_terms,
                (&find_ranges, key.find_current),
            )
        });
        cache.decorations = Some((key, decorations));
    }
    let Some(layout) = &cache.layout else {
        return;
    };
    let painter = ui.painter();
    let clip = ui.clip_rect();
    let shift = origin.to_vec2();
    let visible = |r: &Rect| clip.intersects(r.translate(shift));
    let decorations = cache.decorations.as_ref().map_or(&[][..], |(_, d)| d);
    for d in decorations.iter().filter(|d| visible(&d.rect)) {
        if d.fill != Color32::TRANSPARENT {
            painter.rect_filled(d.rect.translate(shift), 2.0, d.fill);
        }
    }
    if let Some((start, end)) = reader.selection {
        let fill = theme::selection_fill(theme_choice);
        for rect in layout.range_rects(start..end) {
            if visible(&rect) {
                painter.rect_filled(rect.translate(shift), 0.0, fill);
            }
        }
    }
    let text_color = ui.visuals().text_color();
    let rows = layout.rows_between(clip.top() - origin.y, clip.bottom() - origin.y);
    for (text, at) in layout.drawn(rows) {
        let galley = ui.fonts_mut(|f| f.layout_job(piece_job(text.to_owned())));
        painter.galley(at + shift, galley, text_color);
    }
    for d in decorations.iter().filter(|d| visible(&d.rect)) {
        let rect = d.rect.translate(shift);
        if let Some((color, width, dashed)) = d.underline {
            let y = rect.bottom() - 3.0;
            let points = [egui::pos2(rect.left(), y), egui::pos2(rect.right(), y)];
            let stroke = Stroke::new(width, color);
            if dashed {
                painter.extend(egui::Shape::dashed_line(&points, stroke, 4.0, 3.0));
            } else {
                painter.line_segment(points, stroke);
            }
        }
        if let Some(stroke) = d.outline {
            painter.rect_stroke(rect.expand(1.0), 3.0, stroke, egui::StrokeKind::Outside);
        }
    }
}

/// The highlight rectangles: search terms and find matches, then each run between span
/// boundaries in its innermost annotation's style (accepted filled, suggested faint with a
/// dashed underline, an outer span of another label as a solid underline), and an outline
/// around the selected annotation that keeps its fill visible.
fn decorations(
    layout: &TextLayout,
    reader: &ReaderState,
    labels: &LabelSchema,
    theme_choice: ThemeChoice,
    search_terms: &[String],
    (find, current): (&[(usize, usize)], usize),
) -> Vec<Decoration> {
    let mut out = Vec::new();
    let plain = |rect, fill| Decoration {
        rect,
        fill,
        underline: None,
        outline: None,
    };
    for (start, end) in term_matches(&reader.article.text, search_terms) {
        for rect in layout.range_rects(start..end) {
            out.push(plain(rect, theme::match_fill(theme_choice)));
        }
    }
    for (k, &(start, end)) in find.iter().enumerate() {
        let fill = if k == current {
            theme::find_current_fill(theme_choice)
        } else {
            theme::find_fill(theme_choice)
        };
        for rect in layout.range_rects(start..end) {
            out.push(plain(rect, fill));
        }
    }
    let annotations = &reader.annotations;
    let mut bounds: Vec<usize> = annotations.iter().flat_map(|a| [a.start, a.end]).collect();
    bounds.sort_unstable();
    bounds.dedup();
    let color_of = |label: &str| {
        labels
            .find(label)
            .map_or(Color32::GRAY, |l| theme::label_color(&l.color))
    };
    // A sweep over the runs between span boundaries: `open` holds the spans covering the
    // current run (linear in the spans, however many there are).
    let mut by_start: Vec<&crate::model::Annotation> = annotations.iter().collect();
    by_start.sort_by_key(|a| (a.start, a.id));
    let mut next = 0;
    let mut open: Vec<&crate::model::Annotation> = Vec::new();
    for pair in bounds.windows(2) {
        let &[run_start, run_end] = pair else {
            continue;
        };
        open.retain(|a| a.end > run_start);
        while let Some(a) = by_start.get(next).filter(|a| a.start <= run_start) {
            if a.end > run_start {
                open.push(a);
            }
            next += 1;
        }
        let Some(inner) = open.iter().min_by_key(|a| (a.end - a.start, a.id)) else {
            continue;
        };
        let color = color_of(&inner.label);
        let (fill, mut underline) = match inner.status {
            AnnotationStatus::Suggested => (
                theme::suggested_fill(color),
                Some((theme::suggested_line(color), 2.0, true)),
            ),
            AnnotationStatus::Accepted | AnnotationStatus::Rejected => {
                (theme::accepted_fill(color, theme_choice), None)
            }
        };
        if let Some(outer) = open.iter().find(|a| a.id != inner.id) {
            underline = Some((color_of(&outer.label), 2.0, false));
        }
        for rect in layout.range_rects(run_start..run_end) {
            out.push(Decoration {
                rect,
                fill,
                underline,
                outline: None,
            });
        }
    }
    if let Some(selected) = reader
        .selected
        .and_then(|id| annotations.iter().find(|a| a.id == id))
    {
        for rect in layout.range_rects(selected.start..selected.end) {
            out.push(Decoration {
                rect,
                fill: Color32::TRANSPARENT,
                underline: None,
                outline: Some(theme::selected_outline(theme_choice)),
            });
        }
    }
    out
}

/// Where the search's words occur in the text, as whole words, ignoring case.
fn term_matches(text: &str, terms: &[String]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    if terms.is_empty() {
        return out;
    }
    let chars: Vec<char> = text.chars().map(fold_char).collect();
    for term in terms {
        let needle: Vec<char> = term.chars().map(fold_char).collect();
        for (start, end) in occurrences(&chars, &needle) {
            let before = start.checked_sub(1).and_then(|k| chars.get(k));
            let after = chars.get(end);
            let boundary = |c: Option<&char>| c.is_none_or(|c| !c.is_alphanumeric());
            if boundary(before) && boundary(after) {
                out.push((start, end));
            }
        }
    }
    out
}

/// Lower case, one code point for one (so offsets stay put).
fn fold_char(c: char) -> char {
    let mut lower = c.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(l), None) => l,
        _ => c,
    }
}

/// Start and end of every occurrence of `needle` in `haystack` (at most 10,000).
fn occurrences(haystack: &[char], needle: &[char]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let Some(&first) = needle.first() else {
        return out;
    };
    let n = needle.len();
    let mut k = 0;
    while k + n <= haystack.len() && out.len() < 10_000 {
        if haystack.get(k) == Some(&first) && haystack.get(k..k + n) == Some(needle) {
            out.push((k, k + n));
            k += n;
        } else {
            k += 1;
        }
    }
    out
}

fn find_matches(
    cache: &mut ReaderCache,
    reader: &ReaderState,
    needle: &str,
) -> Vec<(usize, usize)> {
    let key = (reader.article.id, needle.to_owned());
    if let Some((k, matches)) = &cache.find_matches
        && *k == key
    {
        return matches.clone();
    }
    let matches = if needle.trim().is_empty() {
        Vec::new()
    } else {
        let chars: Vec<char> = reader.article.text.chars().map(fold_char).collect();
        let needle: Vec<char> = needle.chars().map(fold_char).collect();
        occurrences(&chars, &needle)
    };
    cache.find_matches = Some((key, matches.clone()));
    matches
}

/// The find bar (Ctrl+F): a field, the count, previous and next. Returns where to scroll.
fn find_bar_ui(
    ui: &mut egui::Ui,
    reader: &mut ReaderState,
    cache: &mut ReaderCache,
) -> Option<usize> {
    let mut scroll = None;
    let mut close = false;
    let mut find = reader.find.take()?;
    let matches = find_matches(cache, reader, &find.query);
    ui.horizontal_wrapped(|ui| {
        ui.label("Find in article:");
        let field = ui.add(
            egui::TextEdit::singleline(&mut find.query)
                .id_salt("find-in-article")
                .desired_width(220.0)
                .hint_text("text to find"),
        );
        if find.focus {
            field.request_focus();
            find.focus = false;
        }
        let (enter, shift, escape) = ui.input(|i| {
            (
                i.key_pressed(egui::Key::Enter),
                i.modifiers.shift,
                i.key_pressed(egui::Key::Escape),
            )
        });
        let count = matches.len();
        let mut step = |forward: bool, find: &mut FindBar| {
            if count > 0 {
                find.current = if forward {
                    (find.current + 1) % count
                } else {
                    (find.current + count - 1) % count
                };
                scroll = matches.get(find.current).map(|m| m.0);
            }
        };
        if field.lost_focus() && enter {
            step(!shift, &mut find);
            field.request_focus();
        }
        if field.changed() {
            find.current = 0;
        }
        if ui
            .button("\u{25b2}")
            .on_hover_text("Previous (Shift+Enter)")
            .clicked()
        {
            step(false, &mut find);
        }
        if ui
            .button("\u{25bc}")
            .on_hover_text("Next (Enter)")
            .clicked()
        {
            step(true, &mut find);
        }
        if find.query.is_empty() {
            ui.weak("");
        } else if count == 0 {
            ui.label("not found");
        } else {
            ui.label(format!("{} of {count}", find.current.min(count - 1) + 1));
        }
        if ui.button("Close").on_hover_text("Esc").clicked() || (escape && field.has_focus()) {
            close = true;
        }
    });
    if !close {
        reader.find = Some(find);
    }
    scroll
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_terms_match_whole_words_ignoring_case() {
        let text = "Iran struck; IRAN said Iranians were safe.";
        let found = term_matches(text, &["iran".to_owned()]);
        assert_eq!(found, vec![(0, 4), (13, 17)]);
    }

    #[test]
    fn paragraphs_end_at_line_breaks() {
        let text = "First line.\n  Second paragraph here.  \nThird";
        let at = text.find("paragraph").unwrap_or(0);
        let (s, e) = paragraph_around(text, at);
        assert_eq!(
            crate::model::slice_chars(text, s, e),
            "Second paragraph here."
        );
    }
}

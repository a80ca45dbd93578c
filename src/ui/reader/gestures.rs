//! The reader's gestures: pointer presses, drags and clicks mapped to a selection through
//! the layout, label keys and copy with a selection, and the context menu.

use egui::{Pos2, Rect, vec2};

use crate::app::command::Command;
use crate::app::state::{ReaderState, SelectionDrag};
use crate::model::{AnnotationStatus, LabelSchema, snap_to_words};

use super::{ReaderCache, key_for_char};

/// What the primary button and the pointer did this frame.
struct PointerInput {
    pressed: bool,
    down: bool,
    released: bool,
    latest: Option<Pos2>,
    shift: bool,
    press_origin: Option<Pos2>,
    /// Where the button went up: a frame may also hold moves made after it.
    release_at: Option<Pos2>,
    secondary: bool,
}

impl PointerInput {
    fn read(ui: &egui::Ui) -> Self {
        ui.input(|i| Self {
            pressed: i.pointer.primary_pressed(),
            down: i.pointer.primary_down(),
            released: i.pointer.primary_released(),
            latest: i.pointer.interact_pos(),
            shift: i.modifiers.shift,
            press_origin: i.pointer.press_origin(),
            release_at: i.events.iter().rev().find_map(|e| match e {
                egui::Event::PointerButton {
                    pos,
                    button: egui::PointerButton::Primary,
                    pressed: false,
                    ..
                } => Some(*pos),
                _ => None,
            }),
            secondary: i.pointer.secondary_pressed(),
        })
    }

    /// Where the pointer is for this frame's gestures: where the button went up on a
    /// release.
    fn position(&self) -> Option<Pos2> {
        if self.released {
            self.release_at.or(self.latest)
        } else {
            self.latest
        }
    }
}

/// The selection from `anchor` to `head`: snapped to words unless `exact`; `None` when
/// empty.
fn snap(text: &str, anchor: usize, head: usize, exact: bool) -> Option<(usize, usize)> {
    let (start, end) = (anchor.min(head), anchor.max(head));
    if end <= start {
        None
    } else if exact {
        Some((start, end))
    } else {
        let (s, e) = snap_to_words(text, start, end);
        (e > s).then_some((s, e))
    }
}

/// The innermost annotation under code point `at`.
fn annotation_at(reader: &ReaderState, at: usize) -> Option<&crate::model::Annotation> {
    reader
        .annotations
        .iter()
        .filter(|a| a.span.start() <= at && at < a.span.end())
        .min_by_key(|a| a.span.end() - a.span.start())
}

/// Pointer gestures on the text: press and drag select (snapped to words unless Alt is
/// held), double-click selects a word, triple-click a paragraph, Shift+click extends, a
/// click on a highlight selects its annotation. Secondary clicks leave the selection alone
/// (they open the context menu).
pub(super) fn interact(
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
    let input = PointerInput::read(ui);
    let pos = input.position();
    let local = |p: Pos2| p - origin.to_vec2();
    // The press counts where the button went down (a busy frame may also hold the moves
    // made after it), on the text and with nothing drawn above it there.
    let pressed_at = input.press_origin.or(pos).filter(|&p| {
        response.rect.contains(p)
            && ui.clip_rect().contains(p)
            && ui.ctx().layer_id_at(p) == Some(ui.layer_id())
    });
    if input.pressed
        && let Some(p) = pressed_at
    {
        start_selection(ui, reader, layout.boundary_at(local(p)), input.shift, alt);
    }
    // A right-click on a highlight with no text selected selects its annotation, so the
    // menu acts on it.
    if input.secondary
        && reader.selection.is_none()
        && let Some(p) = input
            .press_origin
            .or(pos)
            .filter(|&p| response.rect.contains(p))
        && let Some(at) = layout.char_at(local(p))
        && let Some(hit) = annotation_at(reader, at)
    {
        reader.selected = Some(hit.id);
    }
    if reader.selecting.is_some() {
        let head = pos.map(|p| (p, layout.boundary_at(local(p))));
        let under = pos.and_then(|p| layout.char_at(local(p)));
        follow_drag(ui, reader, &input, head, under, alt, commands);
    }
    if response.double_clicked()
        && let Some(at) = pos.and_then(|p| layout.char_at(local(p)))
    {
        let text = &reader.article.text;
        reader.selecting = None;
        reader.selection = snap(text, at, at + 1, false)
            .filter(|_| text.chars().nth(at).is_some_and(|c| !c.is_whitespace()));
    }
    if response.triple_clicked()
        && let Some(at) = pos.and_then(|p| layout.char_at(local(p)))
    {
        reader.selecting = None;
        reader.selection = Some(paragraph_around(&reader.article.text, at)).filter(|(s, e)| e > s);
    }
}

/// A primary press on the text at boundary `at`: a new selection, or with Shift one that
/// extends the current one from its far end.
fn start_selection(ui: &egui::Ui, reader: &mut ReaderState, at: usize, shift: bool, alt: bool) {
    // Clicking the text leaves any text field, so label keys reach the reader.
    if let Some(focused) = ui.memory(|m| m.focused()) {
        ui.memory_mut(|m| m.surrender_focus(focused));
    }
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
    reader.selection = snap(&reader.article.text, anchor, at, alt);
}

/// A selection being dragged: its head follows the pointer (`head`: the pointer and the
/// boundary there), dragging past the edges scrolls, and the release ends it; a release
/// without movement is a click that selects the annotation under the pointer (`under`).
fn follow_drag(
    ui: &egui::Ui,
    reader: &mut ReaderState,
    input: &PointerInput,
    head: Option<(Pos2, usize)>,
    under: Option<usize>,
    alt: bool,
    commands: &mut Vec<Command>,
) {
    let Some(drag) = &mut reader.selecting else {
        return;
    };
    if let Some((p, boundary)) = head {
        drag.head = boundary;
        drag.exact |= alt;
        // Dragging past the top or bottom scrolls.
        let clip = ui.clip_rect();
        if input.down && p.y < clip.top() {
            ui.scroll_with_delta(vec2(0.0, (clip.top() - p.y).min(40.0)));
        } else if input.down && p.y > clip.bottom() {
            ui.scroll_with_delta(vec2(0.0, -(p.y - clip.bottom()).min(40.0)));
        }
    }
    let drag = *drag;
    reader.selection = snap(&reader.article.text, drag.anchor, drag.head, drag.exact);
    if input.down && !input.released {
        return;
    }
    reader.selecting = None;
    // A click, not a drag: select the annotation under the pointer (or none).
    let moved = input
        .press_origin
        .zip(head.map(|(p, _)| p))
        .is_some_and(|(a, b)| a.distance(b) > 3.0);
    if drag.anchor == drag.head && !moved && !input.shift {
        reader.selection = None;
        let hit = under.and_then(|at| annotation_at(reader, at).map(|a| a.id));
        commands.push(Command::SelectAnnotation(hit));
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
pub(super) fn label_keys(
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
pub(super) fn context_menu(
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

#[cfg(test)]
mod tests {
    use super::*;

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

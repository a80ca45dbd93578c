//! The reader's find bar (Ctrl+F) and the matching it shares with the search-term
//! highlights: case folded code point by code point, so offsets stay put.

use crate::app::state::{FindBar, ReaderState};

use super::ReaderCache;

pub(super) fn find_matches(
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
pub(super) fn find_bar_ui(
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

/// Lower case, one code point for one (so offsets stay put).
pub(super) fn fold_char(c: char) -> char {
    let mut lower = c.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(l), None) => l,
        _ => c,
    }
}

/// Start and end of every occurrence of `needle` in `haystack` (at most 10,000).
pub(super) fn occurrences(haystack: &[char], needle: &[char]) -> Vec<(usize, usize)> {
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

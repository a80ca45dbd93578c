//! The reader's highlights: search terms, find matches, annotation runs by a sweep over
//! the spans and the selected annotation's outline, built once per (layout, annotations,
//! selection, theme, terms, find) and painted for the visible rows.

use egui::{Color32, Pos2, Rect, Stroke};

use crate::app::state::{ReaderState, ThemeChoice};
use crate::model::{AnnotationStatus, LabelSchema};

use super::find_bar::{find_matches, fold_char, occurrences};
use super::{Decoration, DecorationKey, ReaderCache, TextLayout};
use crate::ui::text_layout::piece_job;
use crate::ui::theme;

/// Paints highlights, the selection and the text of the visible rows.
pub(super) fn paint(
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
    let mut bounds: Vec<usize> = annotations
        .iter()
        .flat_map(|a| [a.span.start(), a.span.end()])
        .collect();
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
    by_start.sort_by_key(|a| (a.span.start(), a.id));
    let mut next = 0;
    let mut open: Vec<&crate::model::Annotation> = Vec::new();
    for pair in bounds.windows(2) {
        let &[run_start, run_end] = pair else {
            continue;
        };
        open.retain(|a| a.span.end() > run_start);
        while let Some(a) = by_start.get(next).filter(|a| a.span.start() <= run_start) {
            if a.span.end() > run_start {
                open.push(a);
            }
            next += 1;
        }
        let Some(inner) = open
            .iter()
            .min_by_key(|a| (a.span.end() - a.span.start(), a.id))
        else {
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
        for rect in layout.range_rects(selected.span.start()..selected.span.end()) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_terms_match_whole_words_ignoring_case() {
        let text = "Iran struck; IRAN said Iranians were safe.";
        let found = term_matches(text, &["iran".to_owned()]);
        assert_eq!(found, vec![(0, 4), (13, 17)]);
    }
}

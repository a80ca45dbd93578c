//! The reader's own text layout: every word shaped once, lines broken at the reader's
//! width, each line put in visual order by the Unicode bidirectional algorithm, and screen
//! points mapped to code point offsets and back.
//!
//! egui 0.37 shapes right-to-left script (harfrust reverses a run's glyphs) but keeps runs
//! in logical order and counts its cursors as if glyph `i` were character `i`; in Arabic
//! script its `cursor_from_pos` names other words than the ones under the pointer. Here
//! each word is its own galley at a position this module chose, so the word under the
//! pointer is exactly the word whose offsets are returned.

use std::ops::Range;

use egui::{Pos2, Rect, pos2};

mod shaping;

use shaping::shape_pieces;
pub(crate) use shaping::{Shaper, piece_job};

/// Font size of the reader.
pub(crate) const FONT_SIZE: f32 = 16.0;
/// Height of a line of the reader.
pub(crate) const LINE_HEIGHT: f32 = FONT_SIZE * 1.5;

/// What a piece of text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PieceKind {
    /// Letters, digits, punctuation: drawn.
    Word,
    /// Spaces and tabs: take room, draw nothing.
    Space,
    /// A line break in the text: ends a row.
    Newline,
}

/// A piece of text shaped as one unit: a word (or the part of a word in one direction),
/// a run of spaces, one line break.
#[derive(Debug, Clone)]
struct Piece {
    /// Code points of the article.
    chars: Range<usize>,
    kind: PieceKind,
    /// Bidi embedding level (odd: right to left).
    level: u8,
    /// Level of its paragraph.
    para: u8,
    /// Drawn right to left: its first code point is at its right end.
    rtl: bool,
    /// The text drawn (brackets mirrored in right-to-left runs); empty for spaces. Shaped
    /// again each frame it is visible (egui's cache makes that cheap), because a galley
    /// kept across frames points into a font atlas that egui may rebuild (it does when the
    /// theme changes).
    shown: String,
    width: f32,
    /// Left and right edge of each code point (logical order), from the piece's left edge.
    char_x: Vec<(f32, f32)>,
    /// Row and left edge, set by line breaking.
    row: usize,
    x: f32,
}

/// A row of the laid-out text.
#[derive(Debug, Clone)]
struct Row {
    /// Pieces (indices into `pieces`) from left to right.
    visual: Vec<usize>,
}

/// The text of an article laid out for one width.
pub(crate) struct TextLayout {
    pieces: Vec<Piece>,
    rows: Vec<Row>,
    /// Number of code points of the text.
    len: usize,
    /// Width the rows were broken at.
    pub width: f32,
}

impl TextLayout {
    /// Lays `text` out in rows at most `width` wide (a word wider than that gets a row of
    /// its own).
    pub(crate) fn new(text: &str, width: f32, shaper: &mut Shaper<'_>) -> Self {
        let width = width.max(40.0);
        let pieces = shape_pieces(text, width, shaper);
        let mut layout = Self {
            pieces,
            rows: Vec::new(),
            len: text.chars().count(),
            width,
        };
        layout.break_rows();
        layout
    }

    /// Height of all rows.
    pub(crate) fn height(&self) -> f32 {
        self.rows.len().max(1) as f32 * LINE_HEIGHT
    }

    /// Breaks the pieces into rows and places them.
    fn break_rows(&mut self) {
        let mut row_pieces: Vec<usize> = Vec::new();
        let mut x = 0.0;
        let count = self.pieces.len();
        let mut i = 0;
        while i < count {
            let Some(piece) = self.pieces.get(i) else {
                break;
            };
            let kind = piece.kind;
            let piece_width = piece.width;
            if kind == PieceKind::Word
                && x + piece_width > self.width
                && has_word(&self.pieces, &row_pieces)
            {
                self.finish_row(std::mem::take(&mut row_pieces));
                x = 0.0;
            }
            row_pieces.push(i);
            x += piece_width;
            if kind == PieceKind::Newline {
                self.finish_row(std::mem::take(&mut row_pieces));
                x = 0.0;
            }
            i += 1;
        }
        self.finish_row(row_pieces);
    }

    /// Orders a row's pieces visually (rules L1 and L2 of the bidi algorithm) and places
    /// them: left-aligned in a left-to-right paragraph, right-aligned in a right-to-left one.
    fn finish_row(&mut self, logical: Vec<usize>) {
        let row_index = self.rows.len();
        let Some(&first) = logical.first() else {
            if self.rows.is_empty() || self.len == 0 {
                self.rows.push(Row { visual: Vec::new() });
            }
            return;
        };
        let para = self.pieces.get(first).map_or(0, |p| p.para);
        // L1: trailing white space and the line break take the paragraph's level.
        let mut levels: Vec<u8> = logical
            .iter()
            .map(|&i| self.pieces.get(i).map_or(para, |p| p.level))
            .collect();
        for (slot, &i) in levels.iter_mut().zip(&logical).rev() {
            match self.pieces.get(i).map(|p| p.kind) {
                Some(PieceKind::Space | PieceKind::Newline) => *slot = para,
                _ => break,
            }
        }
        // L2: from the highest level down to the lowest odd one, reverse every run at
        // that level or above.
        let mut visual = logical;
        let highest = levels.iter().copied().max().unwrap_or(0);
        let lowest_odd = levels
            .iter()
            .copied()
            .filter(|l| l % 2 == 1)
            .min()
            .unwrap_or(highest + 1);
        let mut level = highest;
        while level >= lowest_odd && level > 0 {
            let mut k = 0;
            while k < visual.len() {
                if levels.get(k).is_some_and(|&l| l >= level) {
                    let start = k;
                    while levels.get(k).is_some_and(|&l| l >= level) {
                        k += 1;
                    }
                    if let Some(run) = visual.get_mut(start..k) {
                        run.reverse();
                    }
                    if let Some(run) = levels.get_mut(start..k) {
                        run.reverse();
                    }
                } else {
                    k += 1;
                }
            }
            level -= 1;
        }
        let total: f32 = visual
            .iter()
            .filter_map(|&i| self.pieces.get(i))
            .map(|p| p.width)
            .sum();
        let mut x = if para % 2 == 1 {
            (self.width - total).max(0.0)
        } else {
            0.0
        };
        for &i in &visual {
            if let Some(piece) = self.pieces.get_mut(i) {
                piece.row = row_index;
                piece.x = x.round();
                x += piece.width;
            }
        }
        self.rows.push(Row { visual });
    }

    fn row_at(&self, y: f32) -> Option<usize> {
        if self.rows.is_empty() {
            return None;
        }
        let row = (y / LINE_HEIGHT).floor().max(0.0) as usize;
        Some(row.min(self.rows.len() - 1))
    }

    /// The code point drawn under `pos` (relative to the text's top left), if any.
    pub(crate) fn char_at(&self, pos: Pos2) -> Option<usize> {
        if pos.y < 0.0 || pos.y >= self.height() {
            return None;
        }
        let row = self.rows.get(self.row_at(pos.y)?)?;
        let piece = row
            .visual
            .iter()
            .filter_map(|&i| self.pieces.get(i))
            .find(|p| p.kind != PieceKind::Newline && p.x <= pos.x && pos.x < p.x + p.width)?;
        let local = pos.x - piece.x;
        piece
            .char_x
            .iter()
            .position(|&(left, right)| left <= local && local < right)
            .or_else(|| nearest_char(&piece.char_x, local))
            .map(|k| piece.chars.start + k)
    }

    /// The boundary between code points nearest to `pos`: where a selection starts or ends.
    pub(crate) fn boundary_at(&self, pos: Pos2) -> usize {
        if pos.y < 0.0 {
            return 0;
        }
        if pos.y >= self.height() {
            return self.len;
        }
        let Some(row) = self.row_at(pos.y).and_then(|r| self.rows.get(r)) else {
            return 0;
        };
        let placed: Vec<&Piece> = row
            .visual
            .iter()
            .filter_map(|&i| self.pieces.get(i))
            .collect();
        let Some(piece) = placed
            .iter()
            .find(|p| p.kind != PieceKind::Newline && p.x <= pos.x && pos.x < p.x + p.width)
            .or_else(|| {
                placed
                    .iter()
                    .filter(|p| p.kind != PieceKind::Newline)
                    .min_by(|a, b| {
                        let da = distance_to(a, pos.x);
                        let db = distance_to(b, pos.x);
                        da.total_cmp(&db)
                    })
            })
        else {
            // An empty line: its line break, or the end of the text.
            return placed.first().map_or(self.len, |p| p.chars.start);
        };
        let local = pos.x - piece.x;
        let Some(k) = piece
            .char_x
            .iter()
            .position(|&(left, right)| left <= local && local < right)
            .or_else(|| nearest_char(&piece.char_x, local))
        else {
            return piece.chars.start;
        };
        let (left, right) = piece.char_x.get(k).copied().unwrap_or((0.0, 0.0));
        let in_left_half = local < (left + right) / 2.0;
        let before = in_left_half != piece.rtl;
        piece.chars.start + k + usize::from(!before)
    }

    /// Rectangles (relative to the text's top left) covering code points `range`, one per
    /// piece run on a row, merged where they touch.
    pub(crate) fn range_rects(&self, range: Range<usize>) -> Vec<Rect> {
        let mut rects: Vec<(usize, Rect)> = Vec::new();
        if range.start >= range.end {
            return Vec::new();
        }
        let first = self.pieces.partition_point(|p| p.chars.end <= range.start);
        for piece in self.pieces.iter().skip(first) {
            if piece.chars.start >= range.end {
                break;
            }
            if piece.kind == PieceKind::Newline {
                continue;
            }
            let from = range.start.max(piece.chars.start) - piece.chars.start;
            let to = range.end.min(piece.chars.end) - piece.chars.start;
            let Some(extents) = piece.char_x.get(from..to) else {
                continue;
            };
            let left = extents.iter().map(|e| e.0).fold(f32::INFINITY, f32::min);
            let right = extents
                .iter()
                .map(|e| e.1)
                .fold(f32::NEG_INFINITY, f32::max);
            if !(left.is_finite() && right.is_finite()) {
                continue;
            }
            let y = piece.row as f32 * LINE_HEIGHT;
            let rect = Rect::from_min_max(
                pos2(piece.x + left, y),
                pos2(piece.x + right.max(left + 1.0), y + LINE_HEIGHT),
            );
            rects.push((piece.row, rect));
        }
        // Pieces of one row are in logical order here; sort by x to merge neighbours (pieces
        // sit on whole pixels, so neighbours may be a pixel apart: no seams).
        rects.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.min.x.total_cmp(&b.1.min.x)));
        let mut merged: Vec<(usize, Rect)> = Vec::with_capacity(rects.len());
        for (row, rect) in rects {
            match merged.last_mut() {
                Some((last_row, last)) if *last_row == row && rect.min.x <= last.max.x + 2.0 => {
                    *last = last.union(rect);
                }
                _ => merged.push((row, rect)),
            }
        }
        merged.into_iter().map(|(_, r)| r).collect()
    }

    /// Where code point `at` is drawn (for scrolling to it).
    pub(crate) fn rect_of(&self, at: usize) -> Rect {
        let end = (at + 1).min(self.len.max(1));
        self.range_rects(at.min(end.saturating_sub(1))..end)
            .first()
            .copied()
            .unwrap_or_else(|| Rect::from_min_max(pos2(0.0, 0.0), pos2(1.0, LINE_HEIGHT)))
    }

    /// The drawn pieces of rows `rows`: text and top left.
    pub(crate) fn drawn(&self, rows: Range<usize>) -> impl Iterator<Item = (&str, Pos2)> {
        let rows = rows.start.min(self.rows.len())..rows.end.min(self.rows.len());
        rows.filter_map(|r| self.rows.get(r))
            .flat_map(|row| row.visual.iter())
            .filter_map(|&i| self.pieces.get(i))
            .filter(|p| p.kind == PieceKind::Word)
            .map(|p| (p.shown.as_str(), pos2(p.x, p.row as f32 * LINE_HEIGHT)))
    }

    /// Rows that intersect `[top, bottom)` (relative to the text's top).
    pub(crate) fn rows_between(&self, top: f32, bottom: f32) -> Range<usize> {
        let first = (top / LINE_HEIGHT).floor().max(0.0) as usize;
        let last = ((bottom / LINE_HEIGHT).ceil().max(0.0) as usize).min(self.rows.len());
        first.min(last)..last
    }

    /// The words drawn on rows `rows`: code points and rectangle (what the layout file of
    /// the real-window tests lists).
    pub(crate) fn words(&self, rows: Range<usize>) -> Vec<(Range<usize>, Rect)> {
        let mut words = Vec::new();
        let rows = rows.start.min(self.rows.len())..rows.end.min(self.rows.len());
        for row in rows.filter_map(|r| self.rows.get(r)) {
            for piece in row.visual.iter().filter_map(|&i| self.pieces.get(i)) {
                // Invisible pieces (format characters) cannot be pointed at.
                if piece.kind == PieceKind::Word && piece.width > 0.0 {
                    let y = piece.row as f32 * LINE_HEIGHT;
                    words.push((
                        piece.chars.clone(),
                        Rect::from_min_max(
                            pos2(piece.x, y),
                            pos2(piece.x + piece.width, y + LINE_HEIGHT),
                        ),
                    ));
                }
            }
        }
        words.sort_by_key(|(chars, _)| chars.start);
        words
    }
}

fn has_word(pieces: &[Piece], row: &[usize]) -> bool {
    row.iter()
        .filter_map(|&i| pieces.get(i))
        .any(|p| p.kind == PieceKind::Word)
}

fn distance_to(piece: &Piece, x: f32) -> f32 {
    if x < piece.x {
        piece.x - x
    } else {
        (x - (piece.x + piece.width)).max(0.0)
    }
}

fn nearest_char(char_x: &[(f32, f32)], local: f32) -> Option<usize> {
    char_x
        .iter()
        .enumerate()
        .min_by(|(_, a), (_, b)| {
            let da = (local - (a.0 + a.1) / 2.0).abs();
            let db = (local - (b.0 + b.1) / 2.0).abs();
            da.total_cmp(&db)
        })
        .map(|(k, _)| k)
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    /// Lays `text` out with egui's own fonts (the bundled Arabic-script font included).
    fn layout(text: &str, width: f32) -> TextLayout {
        let ctx = egui::Context::default();
        crate::ui::install_fonts(&ctx);
        let mut layout = None;
        // Fonts are ready from the second pass on.
        for _ in 0..2 {
            let mut output = ctx.run_ui(egui::RawInput::default(), |ui| {
                let mut shape = |t: String| ui.fonts_mut(|f| f.layout_job(piece_job(t)));
                let mut cache = HashMap::new();
                let mut shaper = Shaper::new(&mut shape, &mut cache);
                layout = Some(TextLayout::new(text, width, &mut shaper));
            });
            output.textures_delta.clear();
        }
        layout.unwrap_or_else(|| unreachable!("run_ui runs the closure"))
    }

    fn word_at(text: &str, layout: &TextLayout, word: &str) -> Range<usize> {
        let start = text[..text.find(word).unwrap_or(0)].chars().count();
        let range = start..start + word.chars().count();
        layout
            .words(0..usize::MAX)
            .into_iter()
            .find(|(chars, _)| chars.start <= range.start && range.end <= chars.end)
            .map(|(chars, _)| chars)
            .unwrap_or(0..0)
    }

    #[test]
    fn a_point_on_a_word_gives_that_words_offsets_in_urdu() {
        let text = "اسلام آباد میں حکام نے کہا کہ پاکستان نے جوابی کارروائی کی۔\nماحولیاتی تبدیلی پر بات ہوئی";
        let layout = layout(text, 300.0);
        for (range, rect) in layout.words(0..usize::MAX) {
            let word: String = text.chars().skip(range.start).take(range.len()).collect();
            let at = layout.char_at(rect.center());
            assert!(
                at.is_some_and(|a| range.contains(&a)),
                "{word:?} at {rect:?} maps to {at:?}, not into {range:?}"
            );
        }
        // The first word of a right-to-left paragraph is at the right end of its row.
        let first = word_at(text, &layout, "اسلام");
        let rects = layout.range_rects(first);
        let last = word_at(text, &layout, "کہا");
        let last_rects = layout.range_rects(last);
        assert!(
            rects[0].min.x > last_rects[0].min.x,
            "{rects:?} {last_rects:?}"
        );
    }

    #[test]
    fn left_to_right_boundaries_and_wrapping() {
        let text = "Iran said nine people were killed, including four children.";
        let layout = layout(text, 120.0);
        assert!(layout.rows.len() > 2);
        let nine = word_at(text, &layout, "nine");
        let rect = layout.range_rects(nine.clone())[0];
        assert_eq!(
            layout.boundary_at(pos2(rect.min.x + 1.0, rect.center().y)),
            nine.start
        );
        assert_eq!(
            layout.boundary_at(pos2(rect.max.x - 1.0, rect.center().y)),
            nine.end
        );
        assert_eq!(layout.boundary_at(pos2(-5.0, -5.0)), 0);
        assert_eq!(layout.boundary_at(pos2(0.0, 1e6)), text.chars().count());
    }

    #[test]
    fn mixed_paragraphs_keep_every_code_point_once() {
        let text = "BBC: «پاکستان» said 2024 (۱۴۰۲) 👍🏽 done\n\n\tنو افراد ہلاک (9)";
        let layout = layout(text, 200.0);
        let mut seen = vec![0; text.chars().count()];
        for piece in &layout.pieces {
            for k in piece.chars.clone() {
                seen[k] += 1;
            }
        }
        assert!(seen.iter().all(|&n| n == 1), "{seen:?}");
        assert!(layout.range_rects(0..text.chars().count()).len() >= 3);
    }

    #[test]
    fn hostile_texts_lay_out_and_map_back() {
        for text in [
            "",
            "\n\n\n",
            "line one\r\nline two\r\n",
            "\u{202e}reversed override\u{202c} and \u{200b}zero width",
            "e\u{301}te\u{301} cafe\u{301}",
            &"边境村庄发生袭击".repeat(200),
            &"https://example.org/a-very-long-path-without-any-space".repeat(20),
        ] {
            let layout = layout(text, 300.0);
            let n = text.chars().count();
            let mut seen = vec![0; n];
            for piece in &layout.pieces {
                for k in piece.chars.clone() {
                    seen[k] += 1;
                }
                assert!(
                    piece.kind != PieceKind::Word || piece.width <= 300.0 + 1.0 || piece.rtl,
                    "a word piece wider than the line in {text:?}"
                );
            }
            assert!(seen.iter().all(|&c| c == 1), "{text:?}");
            for (range, rect) in layout.words(0..usize::MAX) {
                let at = layout.char_at(rect.center());
                assert!(at.is_some_and(|a| range.contains(&a)), "{text:?}");
            }
            assert_eq!(layout.boundary_at(pos2(1e4, 1e9)), n);
        }
    }
}

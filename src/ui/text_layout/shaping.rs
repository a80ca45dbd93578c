//! Shaping for the reader's layout: the text cut into runs of one bidi level, each word
//! part shaped once (`Shaper`, over egui's fonts) with the left and right edge of each of
//! its code points.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use egui::{Color32, FontId, Galley};
use unicode_segmentation::UnicodeSegmentation as _;

use super::{FONT_SIZE, Piece, PieceKind};

/// Characters of right-to-left scripts (Hebrew, Arabic, Syriac, Thaana, N'Ko and their
/// presentation forms): what the shaper lays out right to left.
fn is_rtl_script(c: char) -> bool {
    matches!(c as u32,
        0x0590..=0x08FF | 0xFB1D..=0xFDFF | 0xFE70..=0xFEFF | 0x10800..=0x10FFF | 0x1E800..=0x1EFFF)
}

/// Joiners and combining marks stay with the letters around them.
fn is_joining(c: char) -> bool {
    matches!(c, '\u{200c}' | '\u{200d}' | '\u{034f}')
        || matches!(c as u32, 0x0300..=0x036F | 0x064B..=0x065F | 0x0670 | 0x06D6..=0x06ED)
}

/// Mirrored glyphs of brackets drawn on their own in a right-to-left run.
fn mirrored(c: char) -> char {
    match c {
        '(' => ')',
        ')' => '(',
        '[' => ']',
        ']' => '[',
        '{' => '}',
        '}' => '{',
        '<' => '>',
        '>' => '<',
        '\u{ab}' => '\u{bb}',
        '\u{bb}' => '\u{ab}',
        '\u{2039}' => '\u{203a}',
        '\u{203a}' => '\u{2039}',
        other => other,
    }
}

/// Shapes text: one call per distinct string (words repeat, so a cache pays off).
pub(crate) struct Shaper<'a> {
    fonts: &'a mut dyn FnMut(String) -> Arc<Galley>,
    cache: &'a mut HashMap<String, Arc<Galley>>,
}

impl<'a> Shaper<'a> {
    /// A shaper over a layout function (`Fonts::layout_job` of `piece_job`) and a cache of
    /// what it shaped before.
    pub(crate) fn new(
        fonts: &'a mut dyn FnMut(String) -> Arc<Galley>,
        cache: &'a mut HashMap<String, Arc<Galley>>,
    ) -> Self {
        Self { fonts, cache }
    }

    fn shape(&mut self, text: &str) -> Arc<Galley> {
        if let Some(galley) = self.cache.get(text) {
            return Arc::clone(galley);
        }
        let galley = (self.fonts)(text.to_owned());
        self.cache.insert(text.to_owned(), Arc::clone(&galley));
        galley
    }
}

/// The layout job of one piece: the reader font, no wrapping, colour chosen when painted.
pub(crate) fn piece_job(text: String) -> egui::text::LayoutJob {
    let mut job = egui::text::LayoutJob::simple_singleline(
        text,
        FontId::proportional(FONT_SIZE),
        Color32::PLACEHOLDER,
    );
    job.break_on_newline = false;
    job
}

/// A run of one kind and one bidi level: its code points, its bytes, its kind, its level
/// and its paragraph's level.
struct Run {
    chars: Range<usize>,
    bytes: Range<usize>,
    kind: PieceKind,
    level: u8,
    para: u8,
}

/// Cuts the text into runs of one kind and one level (logical order).
fn runs_of(text: &str) -> Vec<Run> {
    let bidi = unicode_bidi::BidiInfo::new(text, None);
    let level_at = |byte: usize| bidi.levels.get(byte).map_or(0, |l| l.number());
    let para_at = |byte: usize| {
        let k = bidi.paragraphs.partition_point(|p| p.range.end <= byte);
        bidi.paragraphs.get(k).map_or(0, |p| p.level.number())
    };
    let mut runs: Vec<Run> = Vec::new();
    for (char_index, (byte, c)) in text.char_indices().enumerate() {
        let kind = if c == '\n' {
            PieceKind::Newline
        } else if c.is_whitespace() {
            PieceKind::Space
        } else {
            PieceKind::Word
        };
        let level = level_at(byte);
        let end_byte = byte + c.len_utf8();
        match runs.last_mut() {
            Some(run) if run.kind == kind && run.level == level && kind != PieceKind::Newline => {
                run.chars.end = char_index + 1;
                run.bytes.end = end_byte;
            }
            _ => runs.push(Run {
                chars: char_index..char_index + 1,
                bytes: byte..end_byte,
                kind,
                level,
                para: para_at(byte),
            }),
        }
    }
    runs
}

/// Cuts the text into pieces (logical order) and shapes each.
pub(super) fn shape_pieces(text: &str, width: f32, shaper: &mut Shaper<'_>) -> Vec<Piece> {
    let runs = runs_of(text);
    let mut pieces = Vec::with_capacity(runs.len());
    for run in runs {
        let Run {
            chars,
            bytes,
            kind,
            level,
            para,
        } = run;
        let run_text = text.get(bytes).unwrap_or_default();
        let odd = level % 2 == 1;
        match kind {
            PieceKind::Newline => pieces.push(Piece {
                chars,
                kind,
                level,
                para,
                rtl: odd,
                shown: String::new(),
                width: 0.0,
                char_x: vec![(0.0, 0.0)],
                row: 0,
                x: 0.0,
            }),
            PieceKind::Space => {
                let galley = shaper.shape(&run_text.replace('\t', "    "));
                let width = galley.rect.width();
                let n = chars.len();
                pieces.push(Piece {
                    char_x: even_split(width, n, odd),
                    chars,
                    kind,
                    level,
                    para,
                    rtl: odd,
                    shown: String::new(),
                    width,
                    row: 0,
                    x: 0.0,
                });
            }
            PieceKind::Word => word_run_pieces(
                run_text,
                chars.start,
                (level, para),
                width,
                shaper,
                &mut pieces,
            ),
        }
    }
    pieces
}

/// The pieces of a run of word characters: parts the shaper lays out in the direction of
/// the level go whole; a character the shaper would turn the other way goes alone.
fn word_run_pieces(
    run_text: &str,
    mut start: usize,
    (level, para): (u8, u8),
    width: f32,
    shaper: &mut Shaper<'_>,
    pieces: &mut Vec<Piece>,
) {
    let odd = level % 2 == 1;
    let mut part = String::new();
    let mut part_len = 0;
    for c in run_text.chars() {
        let with_level = if odd {
            is_rtl_script(c) || (is_joining(c) && part_len > 0)
        } else {
            !is_rtl_script(c)
        };
        if with_level {
            part.push(c);
            part_len += 1;
            continue;
        }
        if part_len > 0 {
            word_pieces(&part, start, (level, para), width, shaper, pieces);
            start += part_len;
            part.clear();
            part_len = 0;
        }
        let shown = if odd { mirrored(c) } else { c };
        word_pieces(
            &shown.to_string(),
            start,
            (level, para),
            width,
            shaper,
            pieces,
        );
        start += 1;
    }
    if part_len > 0 {
        word_pieces(&part, start, (level, para), width, shaper, pieces);
    }
}

/// Shapes one word part starting at code point `start`; a part wider than `width` is cut
/// at code points into rows' worth (left to right text only; others overflow).
fn word_pieces(
    part: &str,
    start: usize,
    (level, para): (u8, u8),
    width: f32,
    shaper: &mut Shaper<'_>,
    out: &mut Vec<Piece>,
) {
    let n = part.chars().count();
    let rtl = level % 2 == 1 && n > 1;
    let galley = shaper.shape(part);
    let piece_width = galley.rect.width();
    let char_x = char_extents(&galley, part, rtl);
    if !rtl && piece_width > width && n > 1 {
        // Cut where the next code point would pass the width.
        let mut cuts = vec![0];
        let mut offset = 0.0;
        for (k, &(left, right)) in char_x.iter().enumerate() {
            if right - offset > width && k > cuts.last().copied().unwrap_or(0) {
                cuts.push(k);
                offset = left;
            }
        }
        cuts.push(n);
        let chars: Vec<char> = part.chars().collect();
        for pair in cuts.windows(2) {
            let &[from, to] = pair else {
                continue;
            };
            let chunk: String = chars.get(from..to).unwrap_or_default().iter().collect();
            word_pieces(
                &chunk,
                start + from,
                (level, para),
                f32::INFINITY,
                shaper,
                out,
            );
        }
        return;
    }
    out.push(Piece {
        chars: start..start + n,
        kind: PieceKind::Word,
        level,
        para,
        rtl,
        shown: part.to_owned(),
        width: piece_width,
        char_x,
        row: 0,
        x: 0.0,
    });
}

/// Each code point's left and right edge in a shaped piece. With one glyph per code point,
/// from the glyphs: in order for left to right text; for right to left text the shaper
/// puts grapheme clusters in reverse order, each cluster's code points in order. Otherwise
/// the width is shared out evenly.
fn char_extents(galley: &Galley, part: &str, rtl: bool) -> Vec<(f32, f32)> {
    let n = part.chars().count();
    let width = galley.rect.width();
    let glyphs: Vec<&egui::epaint::text::Glyph> = galley
        .rows
        .iter()
        .flat_map(|r| r.row.glyphs.iter())
        .collect();
    if glyphs.len() != n {
        return even_split(width, n, rtl);
    }
    let extent = |g: &egui::epaint::text::Glyph| (g.pos.x, g.pos.x + g.advance_width);
    if !rtl {
        return glyphs.iter().map(|g| extent(g)).collect();
    }
    // Logical index of each glyph, in visual order.
    let mut order: Vec<usize> = Vec::with_capacity(n);
    let mut clusters: Vec<Range<usize>> = Vec::new();
    let mut at = 0;
    for grapheme in part.graphemes(true) {
        let len = grapheme.chars().count();
        clusters.push(at..at + len);
        at += len;
    }
    for cluster in clusters.iter().rev() {
        order.extend(cluster.clone());
    }
    let first_of_last = clusters.last().and_then(|c| part.chars().nth(c.start));
    if glyphs.first().map(|g| g.chr) != first_of_last {
        return even_split(width, n, rtl);
    }
    let mut extents = vec![(0.0, 0.0); n];
    for (glyph, &logical) in glyphs.iter().zip(&order) {
        if let Some(slot) = extents.get_mut(logical) {
            *slot = extent(glyph);
        }
    }
    extents
}

fn even_split(width: f32, n: usize, rtl: bool) -> Vec<(f32, f32)> {
    let n = n.max(1);
    let step = width / n as f32;
    (0..n)
        .map(|k| {
            let k = if rtl { n - 1 - k } else { k };
            (k as f32 * step, (k + 1) as f32 * step)
        })
        .collect()
}

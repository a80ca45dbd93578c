//! Colours and fonts: the only place that picks a colour (label colours come from the schema).

use egui::{Color32, FontData, FontDefinitions, FontFamily, Visuals};

use crate::app::state::ThemeChoice;

/// The Arabic-script font shipped in `assets/fonts` (Noto Naskh Arabic UI, OFL 1.1): egui's
/// default fonts have no Arabic, Persian or Urdu glyphs.
const ARABIC_FONT: &[u8] = include_bytes!("../../assets/fonts/NotoNaskhArabicUI-Regular.ttf");
/// Monochrome emoji (Noto Emoji, OFL 1.1), as egui shipped it until 0.31.
const EMOJI_FONT: &[u8] = include_bytes!("../../assets/fonts/NotoEmoji-Regular.ttf");

/// Adds the Arabic-script and emoji fonts as fallbacks to both font families (see
/// `assets/fonts/README.md`). Characters no font has are drawn as boxes, never a crash.
pub fn install_fonts(ctx: &egui::Context) {
    let mut fonts = FontDefinitions::default();
    for (name, data) in [
        ("noto-naskh-arabic", ARABIC_FONT),
        ("noto-emoji", EMOJI_FONT),
    ] {
        fonts.font_data.insert(
            name.to_owned(),
            std::sync::Arc::new(FontData::from_static(data)),
        );
        for family in [FontFamily::Proportional, FontFamily::Monospace] {
            fonts
                .families
                .entry(family)
                .or_default()
                .push(name.to_owned());
        }
    }
    ctx.set_fonts(fonts);
    ctx.set_missing_glyph_policy(egui::epaint::text::MissingGlyphPolicy::Tofu);
}

/// The egui visuals of a theme.
pub(crate) fn visuals(theme: ThemeChoice) -> Visuals {
    match theme {
        ThemeChoice::Light => Visuals::light(),
        ThemeChoice::Dark => Visuals::dark(),
    }
}

/// A label's colour from its `#rrggbb` (grey if malformed).
pub(crate) fn label_color(hex: &str) -> Color32 {
    Color32::from_hex(hex).unwrap_or(Color32::GRAY)
}

/// Background of an accepted span: the label colour, light enough to read text on.
pub(crate) fn accepted_fill(color: Color32, theme: ThemeChoice) -> Color32 {
    match theme {
        ThemeChoice::Light => color.gamma_multiply(0.35),
        ThemeChoice::Dark => color.gamma_multiply(0.55),
    }
}

/// Background of a suggested span: fainter than accepted, and underlined in `suggested_line`.
pub(crate) fn suggested_fill(color: Color32) -> Color32 {
    color.gamma_multiply(0.12)
}

/// The dashed underline of a suggested span: the label colour at full strength.
pub(crate) fn suggested_line(color: Color32) -> Color32 {
    color
}

/// The outline around the selected annotation (its fill stays visible inside).
pub(crate) fn selected_outline(theme: ThemeChoice) -> egui::Stroke {
    match theme {
        ThemeChoice::Light => egui::Stroke::new(2.0, Color32::from_rgb(0x1a, 0x1a, 0x1a)),
        ThemeChoice::Dark => egui::Stroke::new(2.0, Color32::from_rgb(0xf0, 0xf0, 0xf0)),
    }
}

/// The text selection in the reader: translucent, so highlights show through.
pub(crate) fn selection_fill(theme: ThemeChoice) -> Color32 {
    match theme {
        ThemeChoice::Light => Color32::from_rgba_unmultiplied(0x33, 0x77, 0xff, 0x70),
        ThemeChoice::Dark => Color32::from_rgba_unmultiplied(0x55, 0x99, 0xff, 0x80),
    }
}

/// The find bar's current match: stronger than the others.
pub(crate) fn find_current_fill(theme: ThemeChoice) -> Color32 {
    match theme {
        ThemeChoice::Light => Color32::from_rgb(0xff, 0x70, 0x00),
        ThemeChoice::Dark => Color32::from_rgb(0xd0, 0x70, 0x00),
    }
}

/// Matches of the find bar in the reader.
pub(crate) fn find_fill(theme: ThemeChoice) -> Color32 {
    match theme {
        ThemeChoice::Light => Color32::from_rgb(0xff, 0xb3, 0x47),
        ThemeChoice::Dark => Color32::from_rgb(0x8a, 0x55, 0x00),
    }
}

/// Highlight of matched words in snippets.
pub(crate) fn match_fill(theme: ThemeChoice) -> Color32 {
    match theme {
        ThemeChoice::Light => Color32::from_rgb(0xff, 0xee, 0x99),
        ThemeChoice::Dark => Color32::from_rgb(0x66, 0x55, 0x11),
    }
}

/// Text colour for errors.
pub(crate) fn error_color(theme: ThemeChoice) -> Color32 {
    match theme {
        ThemeChoice::Light => Color32::from_rgb(0xb0, 0x1c, 0x1c),
        ThemeChoice::Dark => Color32::from_rgb(0xff, 0x80, 0x80),
    }
}

/// Text colour for quiet details (dates, outlets).
pub(crate) fn weak_color(visuals: &Visuals) -> Color32 {
    visuals.weak_text_color()
}

/// The timeline's bars and the map's circles.
pub(crate) fn event_fill(theme: ThemeChoice) -> Color32 {
    match theme {
        ThemeChoice::Light => Color32::from_rgba_unmultiplied(200, 40, 40, 170),
        ThemeChoice::Dark => Color32::from_rgba_unmultiplied(240, 90, 80, 170),
    }
}

/// The timeline's low–high band.
pub(crate) fn event_band(theme: ThemeChoice) -> Color32 {
    match theme {
        ThemeChoice::Light => Color32::from_rgb(90, 90, 90),
        ThemeChoice::Dark => Color32::from_rgb(200, 200, 200),
    }
}

/// The map's country borders and coasts.
pub(crate) fn map_outline(theme: ThemeChoice) -> egui::Stroke {
    match theme {
        ThemeChoice::Light => egui::Stroke::new(1.0, Color32::from_rgb(120, 130, 140)),
        ThemeChoice::Dark => egui::Stroke::new(1.0, Color32::from_rgb(110, 120, 130)),
    }
}

/// The map's sea.
pub(crate) fn map_sea(theme: ThemeChoice) -> Color32 {
    match theme {
        ThemeChoice::Light => Color32::from_rgb(232, 240, 248),
        ThemeChoice::Dark => Color32::from_rgb(24, 32, 44),
    }
}

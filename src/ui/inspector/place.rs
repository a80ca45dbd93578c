//! The inspector's fields of a place (LOC): canonical name, country code, first-level region,
//! latitude and longitude (checked as numbers in range) and UCDP's place precision.

use serde_json::Value;

use crate::model::{AnnotationAttrs, attrs};

/// The coordinate keys with their valid range.
const COORDINATES: [(&str, f64); 2] = [(attrs::LAT, 90.0), (attrs::LON, 180.0)];

/// The fields of a LOC annotation. Returns whether to save.
pub(super) fn place_fields_ui(
    ui: &mut egui::Ui,
    attributes: &mut AnnotationAttrs,
    text_field: impl Fn(&mut egui::Ui, &mut AnnotationAttrs, &str) -> bool,
) -> bool {
    let mut changed = text_field(ui, attributes, attrs::CANONICAL);
    changed |= country_code_field(ui, attributes);
    changed |= text_field(ui, attributes, attrs::ADM1);
    for (key, limit) in COORDINATES {
        changed |= coordinate_field(ui, attributes, key, limit);
    }
    changed |= where_prec_field(ui, attributes);
    if changed {
        // What is about to be saved: typed coordinates become numbers.
        for (key, limit) in COORDINATES {
            if let Some(number) = attributes
                .get(key)
                .and_then(|v| coordinate(v, limit))
                .and_then(serde_json::Number::from_f64)
            {
                attributes.insert(key.to_owned(), Value::Number(number));
            }
        }
    }
    changed
}

/// The place attributes that hold something other than what they must (a latitude that is
/// not a number between -90 and 90, a country code that is not two letters), each with why.
/// Such a draft is not saved.
pub(super) fn bad_place_values(attributes: &AnnotationAttrs) -> Vec<String> {
    let mut bad = Vec::new();
    for (key, limit) in COORDINATES {
        if let Some(value) = attributes.get(key)
            && coordinate(value, limit).is_none()
        {
            bad.push(format!("{key} must be a number from -{limit} to {limit}"));
        }
    }
    if let Some(code) = attributes.get(attrs::COUNTRY_CODE)
        && !code
            .as_str()
            .is_some_and(|c| c.len() == 2 && c.chars().all(|c| c.is_ascii_uppercase()))
    {
        bad.push(format!(
            "{} must be two letters (ISO 3166-1, e.g. SY)",
            attrs::COUNTRY_CODE
        ));
    }
    bad
}

/// A coordinate (a number, or the text of one being typed) within `[-limit, limit]`.
fn coordinate(value: &Value, limit: f64) -> Option<f64> {
    let number = match value {
        Value::String(s) => s.trim().parse::<f64>().ok(),
        other => other.as_f64(),
    };
    number.filter(|v| v.is_finite() && v.abs() <= limit)
}

fn shown(value: Option<&Value>) -> String {
    match value {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

/// A latitude or longitude. While it is typed the draft holds the text as it is ("27." stays
/// "27."); [`place_fields_ui`] turns it into a number when the draft is saved, and anything
/// that is not a number in range is reported by [`bad_place_values`] and not saved.
fn coordinate_field(
    ui: &mut egui::Ui,
    attributes: &mut AnnotationAttrs,
    key: &str,
    limit: f64,
) -> bool {
    let name = ui.label(key);
    let mut text = shown(attributes.get(key));
    let response = ui
        .add(
            egui::TextEdit::singleline(&mut text)
                .desired_width(100.0)
                .id_salt(("attr", key)),
        )
        .labelled_by(name.id)
        .on_hover_text(format!("decimal degrees, -{limit} to {limit} (WGS 84)"));
    ui.end_row();
    if response.changed() {
        match text.trim() {
            "" => {
                attributes.remove(key);
            }
            t => {
                attributes.insert(key.to_owned(), Value::String(t.to_owned()));
            }
        }
    }
    response.lost_focus() || (response.changed() && !response.has_focus())
}

/// The country code, upper-cased as it is typed.
fn country_code_field(ui: &mut egui::Ui, attributes: &mut AnnotationAttrs) -> bool {
    let key = attrs::COUNTRY_CODE;
    let name = ui.label(key);
    let mut text = shown(attributes.get(key));
    let response = ui
        .add(
            egui::TextEdit::singleline(&mut text)
                .desired_width(40.0)
                .char_limit(2)
                .id_salt(("attr", key)),
        )
        .labelled_by(name.id)
        .on_hover_text("ISO 3166-1 alpha-2 country code, e.g. SY");
    ui.end_row();
    if response.changed() {
        let code = text.trim().to_uppercase();
        if code.is_empty() {
            attributes.remove(key);
        } else {
            attributes.insert(key.to_owned(), Value::String(code));
        }
    }
    response.lost_focus()
}

/// UCDP's place precision, chosen by name and stored as its number.
fn where_prec_field(ui: &mut egui::Ui, attributes: &mut AnnotationAttrs) -> bool {
    let key = attrs::WHERE_PREC;
    let name = ui.label(key);
    let current = attributes.get(key).and_then(Value::as_u64);
    let mut chosen = current;
    let title = |prec: Option<u64>| match prec {
        None => "—".to_owned(),
        Some(p) => attrs::WHERE_PRECS
            .iter()
            .find(|(n, _)| u64::from(*n) == p)
            .map_or_else(|| p.to_string(), |(n, what)| format!("{n} {what}")),
    };
    egui::ComboBox::new(("attr", key), "")
        .selected_text(title(current))
        .width(200.0)
        .truncate()
        .show_ui(ui, |ui| {
            ui.selectable_value(&mut chosen, None, "—");
            for (n, _) in attrs::WHERE_PRECS {
                let value = Some(u64::from(*n));
                ui.selectable_value(&mut chosen, value, title(value));
            }
        })
        .response
        .labelled_by(name.id);
    ui.end_row();
    if chosen == current {
        return false;
    }
    match chosen {
        Some(p) => attributes.insert(key.to_owned(), Value::from(p)),
        None => attributes.remove(key),
    };
    true
}

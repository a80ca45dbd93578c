//! The values coders give matched spans: which attributes are compared with which metric,
//! and how a stored attribute reads as a number or a category.

use serde_json::Value;

use super::alpha::Metric;
use crate::model::{AnnotationAttrs, attrs};

/// The attributes whose agreement is measured: label, attribute key and the metrics α is
/// computed with. Casualty figures are counts (interval, and ratio since zero means none);
/// outcomes, victims, claimants and date values are categories.
pub const COMPARED: [(&str, &str, &[Metric]); 7] = [
    ("CASUALTY", attrs::COUNT, &[Metric::Interval, Metric::Ratio]),
    ("CASUALTY", attrs::LOW, &[Metric::Interval, Metric::Ratio]),
    ("CASUALTY", attrs::HIGH, &[Metric::Interval, Metric::Ratio]),
    ("CASUALTY", attrs::OUTCOME, &[Metric::Nominal]),
    ("CASUALTY", attrs::VICTIMS, &[Metric::Nominal]),
    ("CASUALTY", attrs::CLAIMED_BY, &[Metric::Nominal]),
    ("DATE", attrs::VALUE, &[Metric::Nominal]),
];

/// The attribute `key` as text for a category (`None` when absent, null or empty): strings
/// as they are (trimmed), numbers and booleans in their JSON form.
pub fn category(attrs: &AnnotationAttrs, key: &str) -> Option<String> {
    match attrs.get(key)? {
        Value::Null => None,
        Value::String(s) => Some(s.trim().to_owned()).filter(|s| !s.is_empty()),
        other => Some(other.to_string()),
    }
}

/// The attribute `key` as a number (`None` when absent or not a number): JSON numbers, and
/// strings that read as one (`"9"`), as some imports store them.
pub fn number(attrs: &AnnotationAttrs, key: &str) -> Option<f64> {
    match attrs.get(key)? {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse::<f64>().ok(),
        _ => None,
    }
    .filter(|n| n.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_read_as_numbers_and_categories() {
        let mut map = AnnotationAttrs::new();
        map.insert(attrs::COUNT.into(), Value::from(9));
        map.insert(attrs::LOW.into(), Value::from(" 7 "));
        map.insert(attrs::HIGH.into(), Value::from("many"));
        map.insert(attrs::OUTCOME.into(), Value::from(" killed"));
        map.insert(attrs::VICTIMS.into(), Value::Null);
        assert_eq!(number(&map, attrs::COUNT), Some(9.0));
        assert_eq!(number(&map, attrs::LOW), Some(7.0));
        assert_eq!(number(&map, attrs::HIGH), None);
        assert_eq!(category(&map, attrs::OUTCOME).as_deref(), Some("killed"));
        assert_eq!(category(&map, attrs::VICTIMS), None);
        assert_eq!(category(&map, attrs::COUNT).as_deref(), Some("9"));
    }
}

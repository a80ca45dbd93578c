//! The attribute schema of annotations: the keys that CASUALTY, DATE and LOC annotations
//! carry, the values the app offers for them, which keys link to other annotations, and typed
//! views that read and write them over the stored JSON map ([`AnnotationAttrs`]).
//!
//! Every other module names an attribute through this file, so a misspelt key is a compile
//! error rather than a value silently dropped from one export.

use serde_json::Value;

use super::{AnnotationAttrs, AnnotationId};

// --- CASUALTY: a claim about people killed, injured, ...

/// The figure a claim gives (`nine people killed` → 9).
pub const COUNT: &str = "count";
/// The lower end of a range or of a vague figure (`at least 9` → 9).
pub const LOW: &str = "low";
/// The upper end of a range or of a vague figure (`up to 12` → 12).
pub const HIGH: &str = "high";
/// What happened to them: one of [`OUTCOMES`] (or the coder's own word).
pub const OUTCOME: &str = "outcome";
/// Who they were: one of [`VICTIMS`] (or the coder's own word).
pub const VICTIMS: &str = "victims";
/// How the figure is given: one of [`QUALIFIERS`].
pub const QUALIFIER: &str = "qualifier";
/// Who makes the claim (`Iran said ...` → `Iran`).
pub const CLAIMED_BY: &str = "claimed_by";
/// Link to the claim's DATE annotation(s).
pub const DATE: &str = "date";
/// Link to the claim's LOC annotation(s).
pub const PLACE: &str = "place";
/// Link to the claim's actors (ORG annotations).
pub const ACTOR: &str = "actor";
/// Link from a sub-count (`including four children`) to the claim it is part of.
pub const PART_OF: &str = "part_of";

// --- DATE: a date expression normalised to a calendar value

/// The calendar value (`2024-01-18`, `2024-W03`, `2024-01`, `2024`).
pub const VALUE: &str = "value";
/// How precise the value is: one of [`PRECISIONS`].
pub const PRECISION: &str = "precision";
/// The date a relative expression was resolved against (the publication date).
pub const ANCHOR: &str = "anchor";

// --- LOC: a place of the gazetteer

/// The gazetteer's name of the place.
pub const CANONICAL: &str = "canonical";
/// ISO 3166-1 alpha-2 code of the place's country.
pub const COUNTRY_CODE: &str = "country_code";
/// Latitude of the place, in decimal degrees (WGS 84).
pub const LAT: &str = "lat";
/// Longitude of the place, in decimal degrees (WGS 84).
pub const LON: &str = "lon";
/// The place's first-level region (province, governorate, state), by name.
pub const ADM1: &str = "adm1";
/// How precise the place is, UCDP's `where_prec`: one of [`WHERE_PRECS`].
pub const WHERE_PREC: &str = "where_prec";
/// How sure a suggester is of a suggestion, 0 to 1 (the tagger's span confidence, or the
/// share of a learned text's accepted annotations with its label).
pub const CONFIDENCE: &str = "confidence";
/// UCDP's place precisions (`where_prec`) with what each means.
pub const WHERE_PRECS: &[(u8, &str)] = &[
    (1, "exact place (town, village)"),
    (2, "within about 25 km of a known point"),
    (3, "second-order region (district)"),
    (4, "first-order region (province)"),
    (5, "larger area (several regions, a front line)"),
    (6, "country"),
    (7, "sea or airspace"),
];

/// Keys whose values point at other annotations of the same article by id (one id or an
/// array of them): a casualty claim's date, place and actors, a sub-count's total. Values
/// that are not ids (`"place": "Quetta"`) are literals.
pub const LINKS: [&str; 4] = [DATE, PLACE, ACTOR, PART_OF];

/// The links of a casualty claim to the annotations that say when, where and who: accepting
/// a claim accepts them, the events table joins them, brat writes them as relations.
pub const CLAIM_LINKS: [&str; 3] = [DATE, PLACE, ACTOR];

/// Each of [`CLAIM_LINKS`] with the label of the annotations it points at.
pub const CLAIM_LINK_LABELS: [(&str, &str); 3] = [(DATE, "DATE"), (PLACE, "LOC"), (ACTOR, "ORG")];

/// The figures of a claim, which must be whole numbers.
pub const FIGURES: [&str; 3] = [COUNT, LOW, HIGH];

/// Outcomes the app offers for a claim.
pub const OUTCOMES: &[&str] = &[
    "killed",
    "injured",
    "missing",
    "abducted",
    "arrested",
    "displaced",
];

/// Kinds of victims the app offers for a claim.
pub const VICTIM_KINDS: &[&str] = &[
    "people",
    "civilians",
    "children",
    "women",
    "soldiers",
    "police",
    "militants",
    "journalists",
    "aid workers",
];

/// How a figure can be given.
pub const QUALIFIERS: &[&str] = &["exact", "at least", "up to", "about", "vague"];

/// Precisions of a DATE value, finest first.
pub const PRECISIONS: &[&str] = &["day", "week", "month", "year"];

// ---

/// One value of a link attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkTarget<'a> {
    /// An annotation id (a JSON number, or a string of digits).
    Id(i64),
    /// Anything else typed in place of an id (`date=2024-01-18`, `place=Quetta`).
    Literal(&'a str),
}

/// The targets of a link attribute's value: one value or an array of them. Values that are
/// neither ids nor non-empty strings are skipped.
pub fn link_targets(value: &Value) -> Vec<LinkTarget<'_>> {
    let items = match value {
        Value::Array(items) => items.as_slice(),
        single => std::slice::from_ref(single),
    };
    items
        .iter()
        .filter_map(|item| match item {
            Value::Number(n) => n.as_i64().map(LinkTarget::Id),
            Value::String(s) => match s.trim().parse::<i64>() {
                Ok(id) => Some(LinkTarget::Id(id)),
                Err(_) if !s.trim().is_empty() => Some(LinkTarget::Literal(s)),
                Err(_) => None,
            },
            _ => None,
        })
        .collect()
}

/// A whole number as stored: a JSON integer, or a string of digits (imports and the
/// command line may give either).
fn whole_number(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A read-only view of a CASUALTY annotation's attributes, by name.
#[derive(Debug, Clone, Copy)]
pub struct CasualtyAttrs<'a>(&'a AnnotationAttrs);

impl<'a> CasualtyAttrs<'a> {
    /// Views `attrs` as a casualty claim's.
    pub fn of(attrs: &'a AnnotationAttrs) -> Self {
        Self(attrs)
    }

    /// The stored value of `key` (one of this file's constants), exactly as stored.
    pub fn raw(self, key: &str) -> Option<&'a Value> {
        self.0.get(key)
    }

    /// The figure, if it is a whole number.
    pub fn count(self) -> Option<i64> {
        self.raw(COUNT).and_then(whole_number)
    }

    /// The lower end, if it is a whole number.
    pub fn low(self) -> Option<i64> {
        self.raw(LOW).and_then(whole_number)
    }

    /// The upper end, if it is a whole number.
    pub fn high(self) -> Option<i64> {
        self.raw(HIGH).and_then(whole_number)
    }

    /// A text attribute (outcome, victims, qualifier, claimant), if it is a string.
    fn text(self, key: &str) -> Option<&'a str> {
        self.raw(key).and_then(Value::as_str)
    }

    /// What happened to them.
    pub fn outcome(self) -> Option<&'a str> {
        self.text(OUTCOME)
    }

    /// Who they were.
    pub fn victims(self) -> Option<&'a str> {
        self.text(VICTIMS)
    }

    /// How the figure is given.
    pub fn qualifier(self) -> Option<&'a str> {
        self.text(QUALIFIER)
    }

    /// Who makes the claim.
    pub fn claimed_by(self) -> Option<&'a str> {
        self.text(CLAIMED_BY)
    }

    /// The targets of one link (`DATE`, `PLACE`, `ACTOR` or `PART_OF`).
    pub fn links(self, key: &str) -> Vec<LinkTarget<'a>> {
        self.raw(key).map(link_targets).unwrap_or_default()
    }

    /// The claim this sub-count is part of, if it names one by id.
    pub fn part_of(self) -> Option<AnnotationId> {
        self.links(PART_OF)
            .into_iter()
            .find_map(|target| match target {
                LinkTarget::Id(id) => Some(AnnotationId(id)),
                LinkTarget::Literal(_) => None,
            })
    }

    /// The figures ([`FIGURES`]) that are set but are not whole numbers, by key.
    pub fn bad_figures(self) -> Vec<&'static str> {
        FIGURES
            .into_iter()
            .filter(|key| {
                self.raw(key)
                    .is_some_and(|value| !value.is_null() && whole_number(value).is_none())
            })
            .collect()
    }
}

/// What a suggester or a coder says about a claim, written into an annotation's attributes
/// by [`CasualtyClaim::write`]: each field set is stored under its key, the others are left
/// as they are.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CasualtyClaim {
    /// [`COUNT`].
    pub count: Option<u64>,
    /// [`LOW`].
    pub low: Option<u64>,
    /// [`HIGH`].
    pub high: Option<u64>,
    /// [`QUALIFIER`].
    pub qualifier: Option<String>,
    /// [`OUTCOME`].
    pub outcome: Option<String>,
    /// [`VICTIMS`].
    pub victims: Option<String>,
    /// [`CLAIMED_BY`].
    pub claimed_by: Option<String>,
}

impl CasualtyClaim {
    /// Stores the fields that are set into `attrs`, in the schema's key names.
    pub fn write(&self, attrs: &mut AnnotationAttrs) {
        let numbers = [(COUNT, self.count), (LOW, self.low), (HIGH, self.high)];
        for (key, value) in numbers {
            if let Some(value) = value {
                attrs.insert(key.to_owned(), Value::from(value));
            }
        }
        let texts = [
            (QUALIFIER, &self.qualifier),
            (OUTCOME, &self.outcome),
            (VICTIMS, &self.victims),
            (CLAIMED_BY, &self.claimed_by),
        ];
        for (key, value) in texts {
            if let Some(value) = value {
                attrs.insert(key.to_owned(), Value::from(value.as_str()));
            }
        }
    }
}

/// A read-only view of a DATE annotation's attributes, by name.
#[derive(Debug, Clone, Copy)]
pub struct DateAttrs<'a>(&'a AnnotationAttrs);

impl<'a> DateAttrs<'a> {
    /// Views `attrs` as a date's.
    pub fn of(attrs: &'a AnnotationAttrs) -> Self {
        Self(attrs)
    }

    /// The stored value of `key` (one of this file's constants), exactly as stored.
    pub fn raw(self, key: &str) -> Option<&'a Value> {
        self.0.get(key)
    }

    /// The calendar value, if it is a string.
    pub fn value(self) -> Option<&'a str> {
        self.raw(VALUE).and_then(Value::as_str)
    }

    /// The precision, if it is a string.
    pub fn precision(self) -> Option<&'a str> {
        self.raw(PRECISION).and_then(Value::as_str)
    }

    /// The date it was resolved against, if it is a string.
    pub fn anchor(self) -> Option<&'a str> {
        self.raw(ANCHOR).and_then(Value::as_str)
    }
}

/// A normalised date as a suggester gives it, written by [`DateValue::write`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateValue {
    /// [`VALUE`].
    pub value: String,
    /// [`PRECISION`].
    pub precision: String,
    /// [`ANCHOR`], when the expression was relative.
    pub anchor: Option<String>,
}

impl DateValue {
    /// Stores the value, its precision and (if any) its anchor into `attrs`.
    pub fn write(&self, attrs: &mut AnnotationAttrs) {
        attrs.insert(VALUE.to_owned(), Value::from(self.value.as_str()));
        attrs.insert(PRECISION.to_owned(), Value::from(self.precision.as_str()));
        if let Some(anchor) = &self.anchor {
            attrs.insert(ANCHOR.to_owned(), Value::from(anchor.as_str()));
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn attrs(value: Value) -> AnnotationAttrs {
        match value {
            Value::Object(map) => map,
            _ => AnnotationAttrs::new(),
        }
    }

    #[test]
    fn a_claim_reads_back_what_was_written_under_the_schema_keys() {
        let claim = CasualtyClaim {
            count: Some(9),
            low: Some(9),
            high: Some(9),
            qualifier: Some("exact".into()),
            outcome: Some("killed".into()),
            victims: Some("people".into()),
            claimed_by: Some("Iran".into()),
        };
        let mut stored = AnnotationAttrs::new();
        claim.write(&mut stored);
        assert_eq!(
            Value::Object(stored.clone()),
            json!({"count": 9, "low": 9, "high": 9, "qualifier": "exact", "outcome": "killed",
                   "victims": "people", "claimed_by": "Iran"})
        );
        let view = CasualtyAttrs::of(&stored);
        assert_eq!(
            (view.count(), view.outcome(), view.claimed_by()),
            (Some(9), Some("killed"), Some("Iran"))
        );
        assert!(view.bad_figures().is_empty());
    }

    #[test]
    fn figures_given_as_digits_count_and_others_are_named() {
        let stored = attrs(
            json!({"count": "12", "low": "about ten", "high": null, "part_of": "7",
                                  "place": [3, "Quetta", ""]}),
        );
        let view = CasualtyAttrs::of(&stored);
        assert_eq!(view.count(), Some(12));
        assert_eq!(view.bad_figures(), ["low"]);
        assert_eq!(view.part_of(), Some(AnnotationId(7)));
        assert_eq!(
            view.links(PLACE),
            [LinkTarget::Id(3), LinkTarget::Literal("Quetta")]
        );
    }

    #[test]
    fn reads_links_as_ids_or_literals() {
        assert_eq!(link_targets(&json!(12)), [LinkTarget::Id(12)]);
        assert_eq!(
            link_targets(&json!([3, " 4 ", "BLA", "", null])),
            [
                LinkTarget::Id(3),
                LinkTarget::Id(4),
                LinkTarget::Literal("BLA")
            ]
        );
    }

    #[test]
    fn a_date_writes_its_anchor_only_when_relative() {
        let mut stored = AnnotationAttrs::new();
        DateValue {
            value: "2024-01-18".into(),
            precision: "day".into(),
            anchor: None,
        }
        .write(&mut stored);
        assert_eq!(
            Value::Object(stored.clone()),
            json!({"value": "2024-01-18", "precision": "day"})
        );
        let view = DateAttrs::of(&stored);
        assert_eq!(
            (view.value(), view.precision(), view.anchor()),
            (Some("2024-01-18"), Some("day"), None)
        );
    }
}

//! Events: one incident built from one or more CASUALTY claims, possibly from several
//! articles, with every derived field traced to the spans it rests on, and the UCDP and
//! ACLED vocabularies those fields are coded in.
//!
//! Owns: the plain event values. Must not touch files, SQLite, tantivy, egui or threads;
//! deriving the fields from claims is the service's job.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{AnnotationId, ArticleId};

/// Archive-local identity of an event.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct EventId(pub i64);

impl fmt::Display for EventId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// Review state of an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum EventStatus {
    /// Proposed by grouping claims, not yet confirmed by a coder.
    #[default]
    Suggested,
    /// Confirmed (or built) by a coder.
    Accepted,
}

impl EventStatus {
    /// The name used in storage, the command line and exports.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Suggested => "suggested",
            Self::Accepted => "accepted",
        }
    }
}

impl fmt::Display for EventStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for EventStatus {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "suggested" => Ok(Self::Suggested),
            "accepted" => Ok(Self::Accepted),
            other => Err(format!(
                "unknown event status '{other}': expected 'suggested' or 'accepted'"
            )),
        }
    }
}

/// A span a value rests on: which annotation of which article, and its uid so the
/// reference survives bundles and re-imports.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Evidence {
    /// Article the annotation is in.
    pub article_id: ArticleId,
    /// The annotation.
    pub annotation_id: AnnotationId,
    /// The annotation's uid ([`super::annotation_uid`]).
    pub uid: String,
}

/// A value with the spans it came from and whether a coder set it by hand (a value set by
/// hand survives recomputation from the claims; its `from` may be empty).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Traced<T> {
    /// The value, `None` when nothing says it.
    pub value: Option<T>,
    /// The spans it rests on, sorted and without duplicates.
    pub from: Vec<Evidence>,
    /// Whether a coder set it by hand.
    pub by_hand: bool,
}

impl<T> Default for Traced<T> {
    fn default() -> Self {
        Self {
            value: None,
            from: Vec::new(),
            by_hand: false,
        }
    }
}

impl<T> Traced<T> {
    /// A derived value resting on `from` (sorted and deduplicated here).
    pub fn derived(value: T, mut from: Vec<Evidence>) -> Self {
        from.sort();
        from.dedup();
        Self {
            value: Some(value),
            from,
            by_hand: false,
        }
    }

    /// A value a coder set by hand (`None` clears it by hand: nothing derived fills it).
    pub fn by_hand(value: Option<T>) -> Self {
        Self {
            value,
            from: Vec::new(),
            by_hand: true,
        }
    }
}

/// An article an event is reported in, as UCDP's `source_*` and ACLED's `source` columns
/// need it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct EventSource {
    /// The article.
    pub article_id: ArticleId,
    /// Outlet or feed name.
    pub outlet: Option<String>,
    /// Headline.
    pub headline: Option<String>,
    /// Where it was published online.
    pub url: Option<String>,
    /// Publication date, when known to the day.
    pub published: Option<NaiveDate>,
}

/// One incident: the claims it groups and its fields, each traced to its evidence.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Event {
    /// Identity in this archive.
    pub id: EventId,
    /// Review state.
    pub status: EventStatus,
    /// The coder layer it was built from (`None` for the layer of an archive without coders).
    pub coder: Option<String>,
    /// The CASUALTY annotations it groups, sorted.
    pub claims: Vec<Evidence>,
    /// UCDP `type_of_violence`: one of [`TYPES_OF_VIOLENCE`].
    pub violence: Traced<u8>,
    /// ACLED `event_type`: one of [`ACLED_EVENT_TYPES`].
    pub event_type: Traced<String>,
    /// ACLED `sub_event_type`: one of the sub-types of [`ACLED_EVENT_TYPES`].
    pub sub_event_type: Traced<String>,
    /// First day.
    pub date_start: Traced<NaiveDate>,
    /// Last day.
    pub date_end: Traced<NaiveDate>,
    /// UCDP `date_prec`: one of [`DATE_PRECISIONS`].
    pub date_prec: Traced<u8>,
    /// Location name.
    pub place: Traced<String>,
    /// Country name.
    pub country: Traced<String>,
    /// ISO 3166-1 alpha-2 code of the country.
    pub country_code: Traced<String>,
    /// First-level administrative region.
    pub adm1: Traced<String>,
    /// Latitude, decimal degrees (WGS 84).
    pub lat: Traced<f64>,
    /// Longitude, decimal degrees (WGS 84).
    pub lon: Traced<f64>,
    /// UCDP `where_prec`: one of [`WHERE_PRECISIONS`].
    pub where_prec: Traced<u8>,
    /// UCDP `side_a` / ACLED `actor1`.
    pub side_a: Traced<String>,
    /// UCDP `side_b` / ACLED `actor2`.
    pub side_b: Traced<String>,
    /// UCDP `best`: the most reliable figure of deaths.
    pub deaths_best: Traced<u32>,
    /// UCDP `low`: the lowest figure across sources.
    pub deaths_low: Traced<u32>,
    /// UCDP `high`: the highest figure across sources.
    pub deaths_high: Traced<u32>,
    /// UCDP `deaths_civilians`: civilians among the dead, where claims say so.
    pub deaths_civilians: Traced<u32>,
    /// ACLED `fatalities`: one conservative figure, the lowest credible.
    pub fatalities: Traced<u32>,
    /// The articles it is reported in, sorted by article id.
    pub sources: Vec<EventSource>,
}

// --- Fields by name: the store keeps one row per field, the command line sets them by name.

/// A traced field of an [`Event`], by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventField {
    /// [`Event::violence`].
    Violence,
    /// [`Event::event_type`].
    EventType,
    /// [`Event::sub_event_type`].
    SubEventType,
    /// [`Event::date_start`].
    DateStart,
    /// [`Event::date_end`].
    DateEnd,
    /// [`Event::date_prec`].
    DatePrec,
    /// [`Event::place`].
    Place,
    /// [`Event::country`].
    Country,
    /// [`Event::country_code`].
    CountryCode,
    /// [`Event::adm1`].
    Adm1,
    /// [`Event::lat`].
    Lat,
    /// [`Event::lon`].
    Lon,
    /// [`Event::where_prec`].
    WherePrec,
    /// [`Event::side_a`].
    SideA,
    /// [`Event::side_b`].
    SideB,
    /// [`Event::deaths_best`].
    DeathsBest,
    /// [`Event::deaths_low`].
    DeathsLow,
    /// [`Event::deaths_high`].
    DeathsHigh,
    /// [`Event::deaths_civilians`].
    DeathsCivilians,
    /// [`Event::fatalities`].
    Fatalities,
}

impl EventField {
    /// Every field, in the order they are listed and stored.
    pub const ALL: [Self; 20] = [
        Self::Violence,
        Self::EventType,
        Self::SubEventType,
        Self::DateStart,
        Self::DateEnd,
        Self::DatePrec,
        Self::Place,
        Self::Country,
        Self::CountryCode,
        Self::Adm1,
        Self::Lat,
        Self::Lon,
        Self::WherePrec,
        Self::SideA,
        Self::SideB,
        Self::DeathsBest,
        Self::DeathsLow,
        Self::DeathsHigh,
        Self::DeathsCivilians,
        Self::Fatalities,
    ];

    /// The name used in storage, on the command line and in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Violence => "violence",
            Self::EventType => "event_type",
            Self::SubEventType => "sub_event_type",
            Self::DateStart => "date_start",
            Self::DateEnd => "date_end",
            Self::DatePrec => "date_prec",
            Self::Place => "place",
            Self::Country => "country",
            Self::CountryCode => "country_code",
            Self::Adm1 => "adm1",
            Self::Lat => "lat",
            Self::Lon => "lon",
            Self::WherePrec => "where_prec",
            Self::SideA => "side_a",
            Self::SideB => "side_b",
            Self::DeathsBest => "deaths_best",
            Self::DeathsLow => "deaths_low",
            Self::DeathsHigh => "deaths_high",
            Self::DeathsCivilians => "deaths_civilians",
            Self::Fatalities => "fatalities",
        }
    }
}

impl fmt::Display for EventField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for EventField {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|field| field.as_str() == s)
            .ok_or_else(|| {
                let names: Vec<&str> = Self::ALL.iter().map(|f| f.as_str()).collect();
                format!(
                    "unknown event field '{s}': expected one of {}",
                    names.join(", ")
                )
            })
    }
}

/// One field's value as JSON (null when unknown), its evidence and whether it was set by
/// hand: what the store keeps per field and `events list --json` prints.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldValue {
    /// The value: a number, a string (`2024-01-18` for dates) or null.
    pub value: Value,
    /// The spans it rests on.
    pub from: Vec<Evidence>,
    /// Whether a coder set it by hand.
    pub by_hand: bool,
}

/// A value type a traced field can hold, to and from its JSON form and the text a coder
/// types.
trait FieldType: Sized {
    fn to_json(&self) -> Value;
    fn from_json(value: &Value) -> Option<Self>;
    fn parse_text(text: &str) -> Result<Self, String>;
}

impl FieldType for u8 {
    fn to_json(&self) -> Value {
        Value::from(*self)
    }
    fn from_json(value: &Value) -> Option<Self> {
        value.as_u64().and_then(|n| u8::try_from(n).ok())
    }
    fn parse_text(text: &str) -> Result<Self, String> {
        text.trim()
            .parse()
            .map_err(|_| format!("'{text}' is not a whole number from 0 to 255"))
    }
}

impl FieldType for u32 {
    fn to_json(&self) -> Value {
        Value::from(*self)
    }
    fn from_json(value: &Value) -> Option<Self> {
        value.as_u64().and_then(|n| u32::try_from(n).ok())
    }
    fn parse_text(text: &str) -> Result<Self, String> {
        text.trim()
            .parse()
            .map_err(|_| format!("'{text}' is not a whole number of people"))
    }
}

impl FieldType for f64 {
    fn to_json(&self) -> Value {
        serde_json::Number::from_f64(*self).map_or(Value::Null, Value::Number)
    }
    fn from_json(value: &Value) -> Option<Self> {
        value.as_f64().filter(|n| n.is_finite())
    }
    fn parse_text(text: &str) -> Result<Self, String> {
        text.trim()
            .parse::<f64>()
            .ok()
            .filter(|n| n.is_finite())
            .ok_or_else(|| format!("'{text}' is not a decimal number"))
    }
}

impl FieldType for String {
    fn to_json(&self) -> Value {
        Value::from(self.as_str())
    }
    fn from_json(value: &Value) -> Option<Self> {
        value.as_str().map(str::to_owned)
    }
    fn parse_text(text: &str) -> Result<Self, String> {
        let text = text.trim();
        if text.is_empty() {
            return Err("an empty text: use 'none' to clear the value".into());
        }
        Ok(text.to_owned())
    }
}

impl FieldType for NaiveDate {
    fn to_json(&self) -> Value {
        Value::from(self.format("%Y-%m-%d").to_string())
    }
    fn from_json(value: &Value) -> Option<Self> {
        value
            .as_str()
            .and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
    }
    fn parse_text(text: &str) -> Result<Self, String> {
        NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
            .map_err(|_| format!("'{text}' is not a date in the form YYYY-MM-DD"))
    }
}

/// A traced value in its JSON form.
fn to_field<T: FieldType>(traced: &Traced<T>) -> FieldValue {
    FieldValue {
        value: traced
            .value
            .as_ref()
            .map_or(Value::Null, FieldType::to_json),
        from: traced.from.clone(),
        by_hand: traced.by_hand,
    }
}

/// A traced value read back from its JSON form.
fn from_field<T: FieldType>(field: &FieldValue) -> Traced<T> {
    Traced {
        value: T::from_json(&field.value),
        from: field.from.clone(),
        by_hand: field.by_hand,
    }
}

/// Calls `$body` with the traced field `$field` of `$event` bound to `$traced`.
macro_rules! with_field {
    ([$($m:tt)?] $event:expr, $field:expr, $traced:ident => $body:expr) => {
        match $field {
            EventField::Violence => { let $traced = &$($m)? $event.violence; $body }
            EventField::EventType => { let $traced = &$($m)? $event.event_type; $body }
            EventField::SubEventType => { let $traced = &$($m)? $event.sub_event_type; $body }
            EventField::DateStart => { let $traced = &$($m)? $event.date_start; $body }
            EventField::DateEnd => { let $traced = &$($m)? $event.date_end; $body }
            EventField::DatePrec => { let $traced = &$($m)? $event.date_prec; $body }
            EventField::Place => { let $traced = &$($m)? $event.place; $body }
            EventField::Country => { let $traced = &$($m)? $event.country; $body }
            EventField::CountryCode => { let $traced = &$($m)? $event.country_code; $body }
            EventField::Adm1 => { let $traced = &$($m)? $event.adm1; $body }
            EventField::Lat => { let $traced = &$($m)? $event.lat; $body }
            EventField::Lon => { let $traced = &$($m)? $event.lon; $body }
            EventField::WherePrec => { let $traced = &$($m)? $event.where_prec; $body }
            EventField::SideA => { let $traced = &$($m)? $event.side_a; $body }
            EventField::SideB => { let $traced = &$($m)? $event.side_b; $body }
            EventField::DeathsBest => { let $traced = &$($m)? $event.deaths_best; $body }
            EventField::DeathsLow => { let $traced = &$($m)? $event.deaths_low; $body }
            EventField::DeathsHigh => { let $traced = &$($m)? $event.deaths_high; $body }
            EventField::DeathsCivilians => { let $traced = &$($m)? $event.deaths_civilians; $body }
            EventField::Fatalities => { let $traced = &$($m)? $event.fatalities; $body }
        }
    };
}

impl Event {
    /// One field's value, evidence and by-hand flag in their JSON form.
    pub fn field(&self, field: EventField) -> FieldValue {
        with_field!([] self, field, traced => to_field(traced))
    }

    /// Stores a field read back from its JSON form (a value of the wrong type reads as
    /// unknown).
    pub fn set_field(&mut self, field: EventField, value: &FieldValue) {
        with_field!([mut] self, field, traced => *traced = from_field(value));
    }

    /// Sets a field by hand from the text a coder typed (`none` clears it by hand),
    /// checking the value against the field's type and vocabulary.
    pub fn set_by_hand(&mut self, field: EventField, text: &str) -> Result<(), String> {
        let cleared = text.trim().eq_ignore_ascii_case("none");
        let mut changed = self.clone();
        with_field!([mut] changed, field, traced => {
            let value = if cleared { None } else { Some(FieldType::parse_text(text)?) };
            *traced = Traced::by_hand(value);
        });
        if !cleared {
            check_vocabulary(field, &changed.field(field).value)?;
        }
        *self = changed;
        Ok(())
    }

    /// Whether `field` was set by hand.
    pub fn is_by_hand(&self, field: EventField) -> bool {
        self.field(field).by_hand
    }

    /// Every field, in [`EventField::ALL`] order.
    pub fn fields(&self) -> Vec<(EventField, FieldValue)> {
        EventField::ALL
            .into_iter()
            .map(|field| (field, self.field(field)))
            .collect()
    }
}

/// Checks a by-hand value against its field's vocabulary or range.
fn check_vocabulary(field: EventField, value: &Value) -> Result<(), String> {
    let code_in = |codes: &[(u8, &str)], what: &str| -> Result<(), String> {
        let code = value.as_u64().unwrap_or(0);
        if codes.iter().any(|(c, _)| u64::from(*c) == code) {
            return Ok(());
        }
        let known: Vec<String> = codes.iter().map(|(c, n)| format!("{c} ({n})")).collect();
        Err(format!(
            "{code} is not a {what}: expected {}",
            known.join(", ")
        ))
    };
    match field {
        EventField::Violence => code_in(&TYPES_OF_VIOLENCE, "UCDP type of violence"),
        EventField::DatePrec => code_in(&DATE_PRECISIONS, "UCDP date precision"),
        EventField::WherePrec => code_in(&WHERE_PRECISIONS, "UCDP place precision"),
        EventField::EventType => {
            let name = value.as_str().unwrap_or_default();
            if acled_event_type(name).is_some() {
                return Ok(());
            }
            let known: Vec<&str> = ACLED_EVENT_TYPES.iter().map(|(t, _)| *t).collect();
            Err(format!(
                "'{name}' is not an ACLED event type: expected one of {}",
                known.join(", ")
            ))
        }
        EventField::SubEventType => {
            let name = value.as_str().unwrap_or_default();
            if acled_parent_type(name).is_some() {
                return Ok(());
            }
            Err(format!(
                "'{name}' is not an ACLED sub-event type (e.g. 'Air/drone strike', 'Armed clash')"
            ))
        }
        EventField::Lat if !value.as_f64().is_some_and(|n| n.abs() <= 90.0) => {
            Err(format!("{value} is not a latitude from -90 to 90"))
        }
        EventField::Lon if !value.as_f64().is_some_and(|n| n.abs() <= 180.0) => {
            Err(format!("{value} is not a longitude from -180 to 180"))
        }
        EventField::CountryCode
            if !value
                .as_str()
                .is_some_and(|c| c.len() == 2 && c.bytes().all(|b| b.is_ascii_uppercase())) =>
        {
            Err(format!(
                "{value} is not an ISO 3166-1 alpha-2 country code (two capital letters)"
            ))
        }
        _ => Ok(()),
    }
}

// --- Vocabularies

/// UCDP `type_of_violence` codes with their names.
pub const TYPES_OF_VIOLENCE: [(u8, &str); 3] = [
    (1, "state-based conflict"),
    (2, "non-state conflict"),
    (3, "one-sided violence"),
];

/// UCDP `date_prec` codes with their meaning.
pub const DATE_PRECISIONS: [(u8, &str); 5] = [
    (1, "exact day"),
    (2, "within 2-6 days"),
    (3, "week"),
    (4, "month (8-30 days)"),
    (5, "year (more than a month)"),
];

/// UCDP `where_prec` codes with their meaning.
pub const WHERE_PRECISIONS: [(u8, &str); 7] = [
    (1, "exact place"),
    (2, "within 25 km of a place"),
    (3, "second-level region"),
    (4, "first-level region"),
    (5, "part of a country larger than a region"),
    (6, "country"),
    (7, "international waters or airspace"),
];

/// ACLED event types, each with its sub-event types.
pub const ACLED_EVENT_TYPES: [(&str, &[&str]); 6] = [
    (
        "Battles",
        &[
            "Armed clash",
            "Government regains territory",
            "Non-state actor overtakes territory",
        ],
    ),
    (
        "Explosions/Remote violence",
        &[
            "Chemical weapon",
            "Air/drone strike",
            "Suicide bomb",
            "Shelling/artillery/missile attack",
            "Remote explosive/landmine/IED",
            "Grenade",
        ],
    ),
    (
        "Violence against civilians",
        &[
            "Sexual violence",
            "Attack",
            "Abduction/forced disappearance",
        ],
    ),
    (
        "Protests",
        &[
            "Peaceful protest",
            "Protest with intervention",
            "Excessive force against protesters",
        ],
    ),
    ("Riots", &["Violent demonstration", "Mob violence"]),
    (
        "Strategic developments",
        &[
            "Agreement",
            "Arrests",
            "Change to group/activity",
            "Disrupted weapons use",
            "Headquarters or base established",
            "Looting/property destruction",
            "Non-violent transfer of territory",
            "Other",
        ],
    ),
];

/// The ACLED event type named `name` (exact spelling), with its sub-event types.
pub fn acled_event_type(name: &str) -> Option<(&'static str, &'static [&'static str])> {
    ACLED_EVENT_TYPES.into_iter().find(|(t, _)| *t == name)
}

/// The ACLED event type a sub-event type belongs to.
pub fn acled_parent_type(sub_event_type: &str) -> Option<&'static str> {
    ACLED_EVENT_TYPES
        .into_iter()
        .find(|(_, subs)| subs.contains(&sub_event_type))
        .map(|(t, _)| t)
}

/// The name of a UCDP `type_of_violence` code.
pub fn violence_name(code: u8) -> Option<&'static str> {
    TYPES_OF_VIOLENCE
        .into_iter()
        .find(|(c, _)| *c == code)
        .map(|(_, n)| n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn evidence(id: i64) -> Evidence {
        Evidence {
            article_id: ArticleId(1),
            annotation_id: AnnotationId(id),
            uid: format!("uid{id}"),
        }
    }

    #[test]
    fn every_field_goes_to_json_and_back() {
        let mut event = Event {
            violence: Traced::derived(3, vec![evidence(2), evidence(1), evidence(2)]),
            date_start: Traced::derived(
                NaiveDate::from_ymd_opt(2024, 1, 18).unwrap(),
                vec![evidence(4)],
            ),
            lat: Traced::derived(27.37, vec![evidence(5)]),
            place: Traced::by_hand(Some("Saravan".into())),
            ..Event::default()
        };
        assert_eq!(event.violence.from, [evidence(1), evidence(2)]);
        let copy_fields = event.fields();
        let mut copy = Event::default();
        for (field, value) in &copy_fields {
            copy.set_field(*field, value);
        }
        assert_eq!(copy, event);
        assert_eq!(
            event.field(EventField::DateStart).value,
            Value::from("2024-01-18")
        );
        assert!(event.is_by_hand(EventField::Place));
        event.set_by_hand(EventField::Place, "none").unwrap();
        assert_eq!(event.place, Traced::by_hand(None));
    }

    #[test]
    fn by_hand_values_are_checked_against_their_vocabulary() {
        let mut event = Event::default();
        event.set_by_hand(EventField::Violence, "3").unwrap();
        assert_eq!(event.violence.value, Some(3));
        let err = event.set_by_hand(EventField::Violence, "4").unwrap_err();
        assert!(err.contains("1 (state-based conflict)"), "{err}");
        assert!(event.set_by_hand(EventField::DeathsBest, "nine").is_err());
        assert!(
            event
                .set_by_hand(EventField::DateStart, "18/01/2024")
                .is_err()
        );
        assert!(event.set_by_hand(EventField::Lat, "91").is_err());
        assert!(event.set_by_hand(EventField::CountryCode, "iran").is_err());
        event
            .set_by_hand(EventField::SubEventType, "Air/drone strike")
            .unwrap();
        assert!(
            event
                .set_by_hand(EventField::EventType, "Air strikes")
                .is_err()
        );
        assert_eq!(
            acled_parent_type("Air/drone strike"),
            Some("Explosions/Remote violence")
        );
        assert_eq!("fatalities".parse(), Ok(EventField::Fatalities));
        assert!("deaths".parse::<EventField>().is_err());
    }
}

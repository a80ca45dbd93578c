//! What the events views draw: one event as plain data (`EventPoint`), with the evidence
//! spans it rests on. The service makes them; the table, the timeline and the map read them.

use chrono::NaiveDate;

use super::ArticleId;

/// A span an event rests on, so a click can open the article at it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvidenceSpan {
    /// The article the span is in.
    pub article_id: ArticleId,
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
}

/// One event (today: one casualty claim) as the views need it, whatever it was built from.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EventPoint {
    /// Stable id (today the claim's annotation id), unique among the points of one list.
    pub id: i64,
    /// One line that names the event: "9 killed · Saravan, IR".
    pub title: String,
    /// First day.
    pub date_start: Option<NaiveDate>,
    /// Last day (the same as the first for a one-day event).
    pub date_end: Option<NaiveDate>,
    /// UCDP `date_prec`: 1 day … 5 year or more.
    pub date_prec: Option<u8>,
    /// The place as named.
    pub place: Option<String>,
    /// ISO 3166-1 alpha-2 code.
    pub country_code: Option<String>,
    /// Latitude in degrees, where known.
    pub lat: Option<f64>,
    /// Longitude in degrees, where known.
    pub lon: Option<f64>,
    /// UCDP `where_prec`: 1 exact place … 6 country.
    pub where_prec: Option<u8>,
    /// UCDP `type_of_violence` (1 state-based, 2 non-state, 3 one-sided), where known.
    pub violence: Option<u8>,
    /// Side A (who acted or claimed), where known.
    pub side_a: Option<String>,
    /// Side B, where known.
    pub side_b: Option<String>,
    /// Best estimate of deaths.
    pub best: Option<u32>,
    /// Lowest estimate.
    pub low: Option<u32>,
    /// Highest estimate.
    pub high: Option<u32>,
    /// How many sources (articles) report it.
    pub n_sources: u32,
    /// The spans it rests on, the first one the one a click opens.
    pub evidence: Vec<EvidenceSpan>,
    /// The event's review state; `None` for a casualty claim in no event yet.
    pub status: Option<super::EventStatus>,
}

impl EventPoint {
    /// The best estimate, else the lowest, else the highest, else 0: what a bar or a circle
    /// counts.
    pub fn deaths(&self) -> u32 {
        self.best.or(self.low).or(self.high).unwrap_or(0)
    }

    /// The lowest estimate, else [`Self::deaths`].
    pub fn deaths_low(&self) -> u32 {
        self.low.unwrap_or_else(|| self.deaths())
    }

    /// The highest estimate, else [`Self::deaths`].
    pub fn deaths_high(&self) -> u32 {
        self.high.unwrap_or_else(|| self.deaths())
    }

    /// The position, when both coordinates are known and on the globe.
    pub fn position(&self) -> Option<(f64, f64)> {
        let (lon, lat) = (self.lon?, self.lat?);
        ((-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat)).then_some((lon, lat))
    }

    /// The type of violence in words.
    pub fn violence_name(&self) -> &'static str {
        match self.violence {
            Some(1) => "state-based",
            Some(2) => "non-state",
            Some(3) => "one-sided",
            _ => "",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deaths_fall_back_from_best_to_low_to_high() {
        let mut point = EventPoint {
            high: Some(11),
            ..EventPoint::default()
        };
        assert_eq!(
            (point.deaths(), point.deaths_low(), point.deaths_high()),
            (11, 11, 11)
        );
        point.low = Some(9);
        assert_eq!(
            (point.deaths(), point.deaths_low(), point.deaths_high()),
            (9, 9, 11)
        );
        point.best = Some(10);
        assert_eq!(point.deaths(), 10);
    }

    #[test]
    fn a_position_needs_both_coordinates_on_the_globe() {
        let mut point = EventPoint {
            lon: Some(62.3),
            ..EventPoint::default()
        };
        assert_eq!(point.position(), None);
        point.lat = Some(27.4);
        assert_eq!(point.position(), Some((62.3, 27.4)));
        point.lat = Some(95.0);
        assert_eq!(point.position(), None);
    }
}

//! Adjudication's values: where an adjudicated annotation came from (provenance) and how a
//! unit of the coders' spans was resolved, as the store keeps them and exports write them.

use serde::{Deserialize, Serialize};

use super::AnnotationId;

/// One coder's annotation an adjudicated annotation was taken from.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ProvenanceSource {
    /// The coder whose layer it is in.
    pub coder: String,
    /// Its id in this archive.
    pub id: i64,
    /// Its global id (the `uid` the coder's layer exports with); empty in provenance
    /// recorded before uids.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub uid: String,
}

/// Where an annotation of the adjudicated layer came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Provenance {
    /// The adjudicated annotation.
    pub annotation_id: AnnotationId,
    /// Who adjudicated (the coder name the adjudicator worked as).
    pub by: String,
    /// The coders' annotations it was taken from (one, or several that agreed), by coder.
    pub from: Vec<ProvenanceSource>,
    /// Whether the adjudicator changed its label, boundaries or attributes after taking it.
    pub edited: bool,
    /// When it was adjudicated, RFC 3339 UTC.
    pub at: String,
    /// The unit it resolves: the coders' annotation ids of the unit, ascending, as
    /// `12,15` (see `service::adjudication`).
    pub unit: String,
}

impl Provenance {
    /// The coders it came from, comma-separated, each once, by name.
    pub fn from_coders(&self) -> String {
        let mut coders: Vec<&str> = self.from.iter().map(|s| s.coder.as_str()).collect();
        coders.sort_unstable();
        coders.dedup();
        coders.join(",")
    }
}

/// What the adjudicator decided for a unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UnitDecision {
    /// One coder's span(s) were taken.
    Take(String),
    /// Every coder's spans were taken (identical spans once).
    All,
    /// The coders agreed and their spans were taken once ("accept all agreements").
    Agreement,
    /// Nothing was taken: the unit is resolved as empty.
    Reject,
}

impl UnitDecision {
    /// The form the store keeps: `take:NAME`, `all`, `agreement`, `reject`.
    pub fn as_stored(&self) -> String {
        match self {
            Self::Take(coder) => format!("take:{coder}"),
            Self::All => "all".to_owned(),
            Self::Agreement => "agreement".to_owned(),
            Self::Reject => "reject".to_owned(),
        }
    }

    /// Reads [`Self::as_stored`]'s form.
    pub fn from_stored(text: &str) -> Option<Self> {
        match text {
            "all" => Some(Self::All),
            "agreement" => Some(Self::Agreement),
            "reject" => Some(Self::Reject),
            other => other
                .strip_prefix("take:")
                .map(|coder| Self::Take(coder.to_owned())),
        }
    }
}

impl std::fmt::Display for UnitDecision {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Take(coder) => write!(f, "took {coder}'s"),
            Self::All => f.write_str("took every coder's"),
            Self::Agreement => f.write_str("accepted the agreement"),
            Self::Reject => f.write_str("rejected all"),
        }
    }
}

/// A unit the adjudicator resolved, as the store keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitResolution {
    /// The unit: its coders' annotation ids, ascending, comma-separated.
    pub unit: String,
    /// The fingerprint of the unit's inputs when it was resolved (the article's content
    /// hash and each input's coder, label, boundaries and compared attributes): a unit whose
    /// fingerprint differs now is open again.
    pub fingerprint: String,
    /// What was decided.
    pub decision: UnitDecision,
    /// Who decided.
    pub by: String,
    /// When, RFC 3339 UTC.
    pub at: String,
}

impl UnitResolution {
    /// The coders' annotation ids the unit was made of.
    pub fn inputs(&self) -> Vec<i64> {
        unit_ids(&self.unit)
    }
}

/// The ids of a unit key (`12,15`).
pub fn unit_ids(unit: &str) -> Vec<i64> {
    unit.split(',')
        .filter_map(|id| id.trim().parse().ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decisions_read_back_what_is_stored() {
        for decision in [
            UnitDecision::Take("عائشہ".to_owned()),
            UnitDecision::All,
            UnitDecision::Agreement,
            UnitDecision::Reject,
        ] {
            assert_eq!(
                UnitDecision::from_stored(&decision.as_stored()),
                Some(decision)
            );
        }
        assert_eq!(UnitDecision::from_stored("maybe"), None);
        assert_eq!(unit_ids("3,12, 15"), [3, 12, 15]);
    }
}

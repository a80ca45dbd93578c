//! The search panel's filters (label, review state, outlet, publication dates) as one query
//! in the index's syntax, so every edge that filters searches the same way.

use super::typed_query::complete_typed_query;

/// Review-state filter of a search.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum StateFilter {
    /// No annotations yet.
    Unannotated,
    /// Suggestions wait for review.
    HasSuggestions,
    /// Annotated and reviewed.
    Done,
}

impl StateFilter {
    /// How the search panel names it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unannotated => "unannotated",
            Self::HasSuggestions => "has suggestions",
            Self::Done => "done",
        }
    }

    /// The query term that selects it (`state:suggested`).
    pub fn query_term(self) -> &'static str {
        match self {
            Self::Unannotated => "state:unannotated",
            Self::HasSuggestions => "state:suggested",
            Self::Done => "state:done",
        }
    }
}

/// What narrows a search besides its words; empty bounds mean open-ended.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SearchFilters<'a> {
    /// Only articles with this label.
    pub label: Option<&'a str>,
    /// Only articles in this review state.
    pub state: Option<StateFilter>,
    /// Only articles from this outlet.
    pub source: Option<&'a str>,
    /// Published on or after (YYYY, YYYY-MM or YYYY-MM-DD).
    pub from: &'a str,
    /// Published on or before.
    pub to: &'a str,
}

impl SearchFilters<'_> {
    /// The query for `typed` with the filters folded in, and what is unfinished in the typed
    /// part (searched as if it were finished, so typing a phrase shows no parser error).
    pub fn query(&self, typed: &str) -> (String, Option<&'static str>) {
        let typed = complete_typed_query(typed.trim());
        let mut parts = Vec::new();
        if !typed.query.trim().is_empty() {
            parts.push(format!("({})", typed.query.trim()));
        }
        if let Some(label) = self.label {
            parts.push(format!("label:{label}"));
        }
        if let Some(state) = self.state {
            parts.push(state.query_term().to_owned());
        }
        if let Some(source) = self.source {
            parts.push(format!("source:\"{}\"", source.replace('"', " ")));
        }
        let from = self.from.trim();
        let to = self.to.trim();
        if !from.is_empty() || !to.is_empty() {
            let bound = |t: &str| {
                if t.is_empty() {
                    "*".to_owned()
                } else {
                    t.to_owned()
                }
            };
            parts.push(format!("published:[{} TO {}]", bound(from), bound(to)));
        }
        (parts.join(" AND "), typed.unfinished)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_are_joined_to_the_typed_words() {
        let filters = SearchFilters {
            label: Some("CASUALTY"),
            state: Some(StateFilter::HasSuggestions),
            source: Some("The \"Dawn\""),
            from: " 2024 ",
            to: "",
        };
        let (query, unfinished) = filters.query("\"nine people");
        assert_eq!(
            query,
            "(\"nine people\") AND label:CASUALTY AND state:suggested AND source:\"The  Dawn \" AND published:[2024 TO *]"
        );
        assert_eq!(unfinished, Some("phrase not closed yet"));
        assert_eq!(SearchFilters::default().query("  "), (String::new(), None));
    }
}

//! Annotations: labelled spans of an article's text with attributes.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::{ArticleId, CharSpan, attrs};

/// Archive-local identity of an annotation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct AnnotationId(pub i64);

impl fmt::Display for AnnotationId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// Attribute values keyed by name (sorted, so exports are stable).
pub type AnnotationAttrs = serde_json::Map<String, serde_json::Value>;

/// Review state of an annotation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum AnnotationStatus {
    /// Proposed by a suggester, not yet reviewed.
    Suggested,
    /// Made or confirmed by a person.
    #[default]
    Accepted,
    /// A suggestion a person said no to: kept so that suggesting again does not bring it
    /// back; hidden in the reader and left out of exports unless asked for.
    Rejected,
}

impl AnnotationStatus {
    /// The name used in storage and exports.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Suggested => "suggested",
            Self::Accepted => "accepted",
            Self::Rejected => "rejected",
        }
    }
}

impl fmt::Display for AnnotationStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for AnnotationStatus {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "suggested" => Ok(Self::Suggested),
            "accepted" => Ok(Self::Accepted),
            "rejected" => Ok(Self::Rejected),
            other => Err(format!(
                "unknown status '{other}': expected 'suggested', 'accepted' or 'rejected'"
            )),
        }
    }
}

/// A stored annotation; its span is in code points of the article text.
#[derive(Debug, Clone, PartialEq)]
pub struct Annotation {
    /// Identity in this archive.
    pub id: AnnotationId,
    /// Identity on every laptop ([`super::annotation_uid`]), kept through edits.
    pub uid: String,
    /// Article whose text the span points into.
    pub article_id: ArticleId,
    /// Label name from the schema.
    pub label: String,
    /// Where it is in the article text (ordered and non-empty; whether it still fits the
    /// text is checked where the text is read with it).
    pub span: CharSpan,
    /// The covered text, `article.text[start:end]`.
    pub text: String,
    /// Label attributes (DATE value, CASUALTY count, ...).
    pub attrs: AnnotationAttrs,
    /// Review state.
    pub status: AnnotationStatus,
    /// Who made it: a user name, a suggester name or an import source.
    pub annotator: String,
    /// Whose layer it is in: a coder's name, `""` for the layer of an archive nobody named
    /// a coder in, or [`super::ADJUDICATED`].
    pub coder: String,
    /// Creation time, RFC 3339 UTC.
    pub created_at: String,
    /// Last change, RFC 3339 UTC.
    pub updated_at: String,
}

/// An annotation to add together with others of the same article, some of whose attributes
/// point at annotations added before it in the same list (a casualty claim's `date` and
/// `place`): the store fills them with the ids it gives those.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkedAnnotation {
    /// The annotation.
    pub annotation: NewAnnotation,
    /// `(attribute, index)`: set `attribute` to the id of the list's `index`th annotation,
    /// which comes earlier in the list.
    pub links: Vec<(String, usize)>,
}

/// An annotation to add; the archive validates it against the text and the schema.
#[derive(Debug, Clone, PartialEq)]
pub struct NewAnnotation {
    /// The id the source asked for; used when free.
    pub requested_id: Option<AnnotationId>,
    /// Label name from the schema.
    pub label: String,
    /// Where it goes in the article text (ordered and non-empty; the archive checks that
    /// it fits the text).
    pub span: CharSpan,
    /// Span text the source claims; checked against the article text when present.
    pub expected_text: Option<String>,
    /// Attributes.
    pub attrs: AnnotationAttrs,
    /// Review state.
    pub status: AnnotationStatus,
    /// Who made it.
    pub annotator: String,
    /// Whose layer it goes in (see [`Annotation::coder`]); left empty, the archive puts it
    /// in the layer of the coder who adds it.
    pub coder: String,
}

// ---

/// Rewrites the annotation ids in the link attributes ([`attrs::LINKS`]; values that are not
/// ids, `"place": "Quetta"`, are literals and never remapped) through `map`,
/// so links keep pointing at the same spans when an import gives them other ids. An id that
/// `map` does not know is removed (an attribute left without targets goes too); literals
/// stay. Returns each removed `(attribute, id)`, in attribute order.
pub fn remap_links(
    attrs: &mut AnnotationAttrs,
    map: impl Fn(i64) -> Option<i64>,
) -> Vec<(&'static str, i64)> {
    let mut dropped = Vec::new();
    for key in attrs::LINKS {
        let Some(value) = attrs.get_mut(key) else {
            continue;
        };
        let keep = match value {
            serde_json::Value::Array(items) => {
                items.retain_mut(|item| remap_link_value(item, &map, key, &mut dropped));
                !items.is_empty()
            }
            single => remap_link_value(single, &map, key, &mut dropped),
        };
        if !keep {
            attrs.remove(key);
        }
    }
    dropped
}

/// Every link target of `attrs` (each item of a list, or the one value), to read or
/// rewrite in place: what bundles, team pushes and replicas map between ids and uids.
pub fn link_targets_mut(attrs: &mut AnnotationAttrs) -> Vec<&mut serde_json::Value> {
    attrs
        .iter_mut()
        .filter(|(key, _)| attrs::LINKS.contains(&key.as_str()))
        .flat_map(|(_, value)| match value {
            serde_json::Value::Array(items) => items.iter_mut().collect::<Vec<_>>(),
            single => vec![single],
        })
        .collect()
}

/// The attributes with each link target naming an id that `uid_of` knows written as that
/// uid instead (a literal, or an id it does not know, stays as it is).
pub fn links_with_uids<E>(
    attrs: &AnnotationAttrs,
    mut uid_of: impl FnMut(i64) -> Result<Option<String>, E>,
) -> Result<AnnotationAttrs, E> {
    let mut out = attrs.clone();
    for item in link_targets_mut(&mut out) {
        if let Some(id) = link_target_id(item)
            && let Some(uid) = uid_of(id)?
        {
            *item = serde_json::Value::from(uid);
        }
    }
    Ok(out)
}

/// The annotation id a link target names: a number, or a number written as text.
pub fn link_target_id(value: &serde_json::Value) -> Option<i64> {
    match value {
        serde_json::Value::Number(n) => n.as_i64(),
        serde_json::Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// One link target: an id is rewritten (false when `map` does not know it), a literal kept.
fn remap_link_value(
    value: &mut serde_json::Value,
    map: &impl Fn(i64) -> Option<i64>,
    key: &'static str,
    dropped: &mut Vec<(&'static str, i64)>,
) -> bool {
    let (id, as_string) = match value {
        serde_json::Value::Number(number) => match number.as_i64() {
            Some(id) => (id, false),
            None => return true,
        },
        serde_json::Value::String(text) => match text.trim().parse::<i64>() {
            Ok(id) => (id, true),
            Err(_) => return true,
        },
        _ => return true,
    };
    let Some(new_id) = map(id) else {
        dropped.push((key, id));
        return false;
    };
    *value = if as_string {
        serde_json::Value::String(new_id.to_string())
    } else {
        serde_json::Value::from(new_id)
    };
    true
}

#[cfg(test)]
mod link_tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn links_are_remapped_and_unknown_ids_dropped() {
        let serde_json::Value::Object(mut attrs) = json!({
            "date": 3, "place": "Quetta", "actor": [4, "BLA", "9"], "part_of": 8, "count": 3
        }) else {
            panic!("an object");
        };
        let dropped = remap_links(&mut attrs, |id| match id {
            3 => Some(103),
            4 => Some(104),
            _ => None,
        });
        assert_eq!(dropped, [("actor", 9), ("part_of", 8)]);
        assert_eq!(
            serde_json::Value::Object(attrs),
            json!({"date": 103, "place": "Quetta", "actor": [104, "BLA"], "count": 3})
        );
    }
}

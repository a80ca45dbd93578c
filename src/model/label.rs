//! The label schema: which labels exist, their colours and shortcuts.

use serde::{Deserialize, Serialize};

/// One label a span can carry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabelDef {
    /// Short upper-case name used in exports (`PER`, `CASUALTY`).
    pub name: String,
    /// What the label is for.
    pub description: String,
    /// Display colour as `#rrggbb`.
    pub color: String,
    /// Keyboard shortcut in the reader, if any.
    pub shortcut: Option<char>,
}

/// The labels of one archive, in display order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LabelSchema {
    /// Labels in display order.
    pub labels: Vec<LabelDef>,
}

impl LabelSchema {
    /// The label with this name, if defined.
    pub fn find(&self, name: &str) -> Option<&LabelDef> {
        self.labels.iter().find(|l| l.name == name)
    }

    /// Names joined for error messages.
    pub fn names(&self) -> String {
        self.labels
            .iter()
            .map(|l| l.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// How much of the archive carries a label: what renaming or removing it touches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LabelUsage {
    /// Annotations with the label, accepted or suggested.
    pub annotations: u64,
    /// Articles those annotations are in.
    pub articles: u64,
    /// Rejected suggestions with the label (hidden, kept so they are not suggested again).
    pub rejected: u64,
}

impl LabelUsage {
    /// "12 annotations in 5 articles (and 2 rejected suggestions)": what a change of the
    /// label touches, said before it happens.
    pub fn describe(&self) -> String {
        let mut text = format!(
            "{} in {}",
            super::plural(self.annotations, "annotation", "annotations"),
            super::plural(self.articles, "article", "articles")
        );
        if self.rejected > 0 {
            text.push_str(&format!(
                " (and {})",
                super::plural(self.rejected, "rejected suggestion", "rejected suggestions")
            ));
        }
        text
    }
}

/// A label taken out of the schema with the annotations that carried it, kept so that the
/// removal can be undone exactly (same position, same annotation ids).
#[derive(Debug, Clone, PartialEq)]
pub struct RemovedLabel {
    /// The label as it was.
    pub label: LabelDef,
    /// Its place in the schema's display order.
    pub position: i64,
    /// Every annotation that carried it, rejected ones included.
    pub annotations: Vec<super::Annotation>,
}

/// The default schema of a new archive (see `docs/formats.md`).
pub fn default_labels() -> Vec<LabelDef> {
    let def = |name: &str, description: &str, color: &str, shortcut: char| LabelDef {
        name: name.to_owned(),
        description: description.to_owned(),
        color: color.to_owned(),
        shortcut: Some(shortcut),
    };
    vec![
        def("PER", "Person", "#4e79a7", '1'),
        def("ORG", "Organisation, armed group, ministry", "#f28e2b", '2'),
        def("LOC", "Place, country, region", "#59a14f", '3'),
        def(
            "DATE",
            "Date, normalised to a calendar value",
            "#b07aa1",
            '4',
        ),
        def(
            "CASUALTY",
            "Casualty figure: count, outcome, victims, claimant",
            "#e15759",
            '5',
        ),
    ]
}

/// Checks a label name: 1 to 64 ASCII letters, digits, `_`, `-` or `.`, starting with a
/// letter. Case is kept (datasets such as WNUT-17 use `person`, `creative-work`), and the
/// characters are those every export format can carry (brat forbids spaces, CoNLL tabs).
pub fn validate_label_name(name: &str) -> Result<(), String> {
    let valid_chars = name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    let starts_with_letter = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic());
    if (1..=64).contains(&name.len()) && valid_chars && starts_with_letter {
        Ok(())
    } else {
        Err(format!(
            "label name '{name}' is not valid: use 1 to 64 letters, digits, '_', '-' or '.', starting with a letter"
        ))
    }
}

/// A colour for a label added without one (an import meeting a new label): picked from a
/// fixed palette by the name, so the same label gets the same colour in every archive.
pub fn default_label_color(name: &str) -> String {
    const PALETTE: [&str; 10] = [
        "#76b7b2", "#edc948", "#ff9da7", "#9c755f", "#bab0ac", "#8cd17d", "#d37295", "#a0cbe8",
        "#f1ce63", "#86bcb6",
    ];
    let hash = name.bytes().fold(0usize, |h, b| {
        h.wrapping_mul(31).wrapping_add(usize::from(b))
    });
    PALETTE[hash % PALETTE.len()].to_owned()
}

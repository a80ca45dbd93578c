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

    /// The label other than `name` that `key` already types, if any: one key labels one
    /// label.
    pub fn key_holder(&self, key: char, name: &str) -> Option<&LabelDef> {
        self.labels
            .iter()
            .find(|l| l.shortcut == Some(key) && l.name != name)
    }

    /// Whether the label `name` may take `key` (no key is always free).
    pub fn check_key(&self, key: Option<char>, name: &str) -> Result<(), String> {
        match key.and_then(|key| self.key_holder(key, name).map(|other| (key, other))) {
            Some((key, other)) => Err(format!(
                "key {key} already labels {}: choose another key",
                other.name
            )),
            None => Ok(()),
        }
    }

    /// Whether a new label `name` with `key` may join the schema: a valid name not taken
    /// yet, and a free key.
    pub fn check_new(&self, name: &str, key: Option<char>) -> Result<(), String> {
        validate_label_name(name)?;
        if self.find(name).is_some() {
            return Err(format!("label {name} already exists"));
        }
        self.check_key(key, name)
    }

    /// Whether the label `from` may become `to` with `key`: a new name must be valid and
    /// not taken, and the key free.
    pub fn check_change(&self, from: &str, to: &str, key: Option<char>) -> Result<(), String> {
        if to != from {
            validate_label_name(to)?;
            if self.find(to).is_some() {
                return Err(format!("label {to} already exists"));
            }
        }
        self.check_key(key, from)
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

/// The longest label name, in code points.
const MAX_LABEL_CHARS: usize = 64;

/// Checks a label name: 1 to 64 letters and digits of any script (`PER`, `人名`, `مکان`,
/// `व्यक्ति`), combining marks, `_`, `-` or `.`, and a zero-width (non-)joiner inside
/// (Persian and Urdu spelling needs U+200C), starting with a letter. Case is kept (datasets
/// such as WNUT-17 use `person`, `creative-work`). No spaces, tabs or other punctuation:
/// brat's `.ann` lines and CoNLL's tag column end a label at a space, so a name with one
/// could not be exported there (importers map spaces in a dataset's labels to `_`, see
/// [`label_name_without_spaces`]).
pub fn validate_label_name(name: &str) -> Result<(), String> {
    let count = name.chars().count();
    let valid_chars = name.chars().all(is_label_char);
    let starts_with_letter = name.chars().next().is_some_and(char::is_alphabetic);
    if (1..=MAX_LABEL_CHARS).contains(&count) && valid_chars && starts_with_letter {
        Ok(())
    } else {
        Err(format!(
            "label name '{name}' is not valid: use 1 to {MAX_LABEL_CHARS} letters or digits (any script), '_', '-' or '.', starting with a letter; no spaces (brat and CoNLL cannot carry them: use '_')"
        ))
    }
}

/// Checks a label colour: `#rrggbb`.
pub fn validate_label_color(color: &str) -> Result<(), String> {
    let color_ok = color.len() == 7
        && color.starts_with('#')
        && color.chars().skip(1).all(|c| c.is_ascii_hexdigit());
    if color_ok {
        Ok(())
    } else {
        Err(format!("colour '{color}' is not of the form #rrggbb"))
    }
}

fn is_label_char(c: char) -> bool {
    use icu_properties::CodePointMapData;
    use icu_properties::props::{GeneralCategory, GeneralCategoryGroup};
    c.is_alphanumeric()
        || matches!(c, '_' | '-' | '.' | '\u{200C}' | '\u{200D}')
        || GeneralCategoryGroup::Mark.contains(CodePointMapData::<GeneralCategory>::new().get(c))
}

/// A dataset's label with its whitespace runs replaced by `_` (`نام شخص` becomes
/// `نام_شخص`), or `None` when it has no whitespace inside. Label names cannot hold spaces
/// (see [`validate_label_name`]); this is the one mapping importers apply, reported.
pub fn label_name_without_spaces(label: &str) -> Option<String> {
    let label = label.trim();
    label
        .contains(char::is_whitespace)
        .then(|| label.split_whitespace().collect::<Vec<_>>().join("_"))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_label_needs_a_free_name_and_a_free_key() {
        let schema = LabelSchema {
            labels: default_labels(),
        };
        assert_eq!(schema.check_new("WEAPON", Some('0')), Ok(()));
        assert_eq!(
            schema.check_new("PER", None),
            Err("label PER already exists".to_owned())
        );
        assert_eq!(
            schema.check_new("WEAPON", Some('2')),
            Err("key 2 already labels ORG: choose another key".to_owned())
        );
        assert!(schema.check_new("two words", None).is_err());
        assert_eq!(
            schema.check_change("ORG", "ORG", Some('2')),
            Ok(()),
            "its own key"
        );
        assert!(schema.check_change("ORG", "LOC", None).is_err());
        assert_eq!(
            schema.key_holder('3', "ORG").map(|l| l.name.as_str()),
            Some("LOC")
        );
        assert_eq!(validate_label_color("#59a14f"), Ok(()));
        assert!(validate_label_color("green").is_err());
    }

    #[test]
    fn label_names_of_any_script_are_valid_and_spaces_are_not() {
        for name in [
            "PER",
            "creative-work",
            "B.x",
            "人名",
            "مکان",
            "نام_شخص",
            "نام\u{200C}شخص",
            "व्यक्ति",
            "Ödön",
            "ชื่อ",
        ] {
            assert_eq!(validate_label_name(name), Ok(()), "{name}");
        }
        for name in [
            "",
            "a b",
            "نام شخص",
            "1PER",
            "_x",
            "a\tb",
            "a/b",
            "\u{200C}a",
        ] {
            assert!(validate_label_name(name).is_err(), "{name:?}");
        }
        assert!(validate_label_name(&"名".repeat(64)).is_ok());
        assert!(validate_label_name(&"名".repeat(65)).is_err());
        assert_eq!(
            label_name_without_spaces(" نام  شخص ").as_deref(),
            Some("نام_شخص")
        );
        assert_eq!(label_name_without_spaces("PER"), None);
    }
}

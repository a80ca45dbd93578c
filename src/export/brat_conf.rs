//! brat's configuration files for an exported folder: `annotation.conf` (entity types, and
//! the relations and attributes the `.ann` files use) and `visual.conf` (display names and label colours).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use crate::model::{LabelSchema, default_label_color};

/// Values listed per attribute in `annotation.conf`; more distinct values than this (free
/// text such as canonical names) are left out of the list, not out of the `.ann` files.
const MAX_LISTED_VALUES: usize = 1000;

/// What the configuration needs, gathered while the `.ann` files are written.
pub(super) struct BratConf {
    /// Schema labels in display order: name, description, colour.
    schema: Vec<(String, String, String)>,
    /// Labels met in annotations but missing from the schema.
    other_labels: BTreeSet<String>,
    /// Attribute names with the values seen, sorted.
    attributes: BTreeMap<String, AttributeValues>,
    /// Relation types (link keys) with the labels seen at each end.
    relations: BTreeMap<String, (BTreeSet<String>, BTreeSet<String>)>,
}

#[derive(Default)]
struct AttributeValues {
    values: BTreeSet<String>,
    overflowed: bool,
}

impl BratConf {
    pub(super) fn new(labels: &LabelSchema) -> Self {
        Self {
            schema: labels
                .labels
                .iter()
                .map(|l| (l.name.clone(), l.description.clone(), l.color.clone()))
                .collect(),
            other_labels: BTreeSet::new(),
            attributes: BTreeMap::new(),
            relations: BTreeMap::new(),
        }
    }

    /// Notes an `R` line: a link `key` from a `from` span to a `to` span.
    pub(super) fn saw_relation(&mut self, key: &str, from: &str, to: &str) {
        if !self.relations.contains_key(key) {
            self.relations.insert(key.to_owned(), Default::default());
        }
        if let Some((froms, tos)) = self.relations.get_mut(key) {
            if !froms.contains(from) {
                froms.insert(from.to_owned());
            }
            if !tos.contains(to) {
                tos.insert(to.to_owned());
            }
        }
    }

    /// Notes a label used by an annotation.
    pub(super) fn saw_label(&mut self, label: &str) {
        if !self.schema.iter().any(|(name, ..)| name == label) && !self.other_labels.contains(label)
        {
            self.other_labels.insert(label.to_owned());
        }
    }

    /// Notes an `A` line's attribute name and value.
    pub(super) fn saw_attribute(&mut self, key: &str, value: &str) {
        if !self.attributes.contains_key(key) {
            self.attributes
                .insert(key.to_owned(), AttributeValues::default());
        }
        let Some(seen) = self.attributes.get_mut(key) else {
            return;
        };
        if seen.values.contains(value) {
            return;
        }
        if seen.values.len() < MAX_LISTED_VALUES {
            seen.values.insert(value.to_owned());
        } else {
            seen.overflowed = true;
        }
    }

    fn labels(&self) -> impl Iterator<Item = (&str, &str, String)> {
        let schema = self
            .schema
            .iter()
            .map(|(name, description, color)| (name.as_str(), description.as_str(), color.clone()));
        let others = self
            .other_labels
            .iter()
            .map(|name| (name.as_str(), "", default_label_color(name)));
        schema.chain(others)
    }

    /// `annotation.conf`.
    pub(super) fn annotation_conf(&self) -> String {
        let mut conf = String::from(
            "# brat configuration written by annalist: the archive's labels and the attributes\n\
             # this export uses. Offsets in the .ann files count Unicode code points.\n\
             [entities]\n",
        );
        for (name, ..) in self.labels() {
            conf.push_str(name);
            conf.push('\n');
        }
        conf.push_str(
            "[relations]\n\
             # Annalist spans may nest and overlap: allow every overlap.\n\
             <OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>\n",
        );
        for (key, (froms, tos)) in &self.relations {
            let join = |labels: &BTreeSet<String>| {
                labels
                    .iter()
                    .map(String::as_str)
                    .collect::<Vec<_>>()
                    .join("|")
            };
            let _ = writeln!(conf, "{key}\tArg1:{}, Arg2:{}", join(froms), join(tos));
        }
        conf.push_str("[events]\n[attributes]\n");
        for (key, seen) in &self.attributes {
            if seen.overflowed {
                let _ = writeln!(
                    conf,
                    "# {key}: more than {MAX_LISTED_VALUES} distinct values, the first {MAX_LISTED_VALUES} in sort order listed"
                );
            }
            let values: Vec<&str> = seen.values.iter().map(String::as_str).collect();
            let _ = writeln!(conf, "{key}\tArg:<ENTITY>, Value:{}", values.join("|"));
        }
        conf
    }

    /// `visual.conf`.
    pub(super) fn visual_conf(&self) -> String {
        let mut conf = String::from("[labels]\n");
        for (name, description, _) in self.labels() {
            let description = display_name(description);
            if description.is_empty() {
                let _ = writeln!(conf, "{name}");
            } else {
                let _ = writeln!(conf, "{name} | {description} | {name}");
            }
        }
        conf.push_str(
            "[drawing]\n\
             SPAN_DEFAULT\tfgColor:black, bgColor:lightgreen, borderColor:darken\n\
             ARC_DEFAULT\tcolor:black, arrowHead:triangle-5\n\
             ATTRIBUTE_DEFAULT\tglyph:*\n",
        );
        for (name, _, color) in self.labels() {
            if is_hex_color(&color) {
                let _ = writeln!(conf, "{name}\tbgColor:{color}");
            }
        }
        conf
    }
}

/// A description usable between `|` separators on one line.
fn display_name(description: &str) -> String {
    description
        .chars()
        .map(|c| {
            if c == '|' || c.is_whitespace() || c.is_control() {
                ' '
            } else {
                c
            }
        })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn is_hex_color(color: &str) -> bool {
    color.len() == 7
        && color.starts_with('#')
        && color.chars().skip(1).all(|c| c.is_ascii_hexdigit())
}

//! brat standoff documents: `X.ann` (annotations) read together with `X.txt` (the text its
//! offsets count in) as one article.
//!
//! `T` lines become spans (a discontinuous one as its outer range), `A` lines attributes and
//! `#` `AnnotatorNotes` either what Annalist's own brat export keeps there (a JSON object of
//! `id`, `status`, `annotator` and `attrs`) or a free note (`attrs["note"]`). Other relations,
//! events, modifiers and normalisations (`R`, `E`, `M`, `N`, `*` lines) are counted and left
//! out, but for `R` relations named after a link attribute (`date`, `place`, `actor`,
//! `part_of`, as Annalist's brat export writes them), which become that link.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use serde_json::{Map, Value};

use crate::model::{AnnotationId, AnnotationStatus, ArticleId, NewAnnotation, NewArticle};

use super::batch::{Batch, Place};
use super::encoding::decode_text;
use super::files::read_regular;
use super::json_fields::integer;
use super::plain::title_from_text;
use super::spans::{SourceText, default_annotator, line_place, typed_value};
use super::{Format, ImportError};

/// The keys of the note Annalist's brat export writes.
const NOTE_KEYS: [&str; 5] = ["annotator", "attrs", "coder", "id", "status"];

/// Imports one brat document. `bytes` is the `.ann` file and the text is read from the
/// `.txt` beside it; when the batch's path is the `.txt` itself (`--format brat` on a text
/// file), the `.ann` beside it is read instead, and a missing one means no annotations.
pub(crate) fn import(bytes: &[u8], batch: &mut Batch<'_>) -> Result<(), ImportError> {
    let path = batch.path();
    let named_txt = path
        .extension()
        .is_some_and(|extension| extension.eq_ignore_ascii_case("txt"));
    let limit = batch.options().file_limit();
    let companion = |error: ImportError| ImportError::BratCompanion {
        path: path.to_path_buf(),
        reason: error.to_string(),
    };
    let (ann_bytes, txt_bytes) = if named_txt {
        let ann_path = path.with_extension("ann");
        match read_regular(&ann_path, limit) {
            Ok(ann) => (ann, bytes.to_vec()),
            Err(ImportError::Read { source, .. })
                if source.kind() == std::io::ErrorKind::NotFound =>
            {
                batch.warn(
                    Place::File,
                    format!(
                        "no brat annotations beside the text; imported without annotations: {}",
                        ann_path.display()
                    ),
                );
                (Vec::new(), bytes.to_vec())
            }
            Err(error) => return Err(companion(error)),
        }
    } else {
        let text_path = path.with_extension("txt");
        let text = match read_regular(&text_path, limit) {
            Ok(text) => text,
            Err(ImportError::Read { source, .. }) => {
                return Err(ImportError::BratText {
                    path: path.to_path_buf(),
                    text_path,
                    source,
                });
            }
            Err(error) => return Err(companion(error)),
        };
        (bytes.to_vec(), text)
    };
    let (raw_text, _) = decode_text(&txt_bytes, None);
    let has_bom = encoding_rs::Encoding::for_bom(&txt_bytes).is_some();
    let mut article = NewArticle::new(&title_from_text(&raw_text), &raw_text, "");
    article.requested_id = article_id_from_stem(path);
    // Offsets count in the file as brat read it: with its BOM and CRs.
    let raw_with_bom = if has_bom {
        format!("\u{feff}{raw_text}")
    } else {
        raw_text
    };
    let source = SourceText::new(&raw_with_bom, &article.text);
    let (ann, _) = decode_text(&ann_bytes, None);
    let annotator = default_annotator(batch, Format::Brat);
    article.annotations = Standoff::parse(&ann, &source, &annotator, batch);
    batch.push(article, Place::File);
    Ok(())
}

/// `place Arg1:T3 Arg2:T1` when the relation's type is a link attribute (`date`, `place`,
/// `actor`, `part_of`); other relations are left out.
fn link_relation(body: &str, place: Place) -> Option<RelationLine<'_>> {
    let mut fields = body.split_ascii_whitespace();
    let kind = fields.next()?;
    let key = crate::model::attrs::LINKS
        .into_iter()
        .find(|key| *key == kind)?;
    let (mut from, mut to) = (None, None);
    for field in fields {
        match field.split_once(':') {
            Some(("Arg1", id)) => from = Some(id),
            Some(("Arg2", id)) => to = Some(id),
            _ => return None,
        }
    }
    Some(RelationLine {
        place,
        key,
        from: from?,
        to: to?,
    })
}

/// `Some(7)` for `7.ann`: Annalist's export names files by article id.
fn article_id_from_stem(path: &Path) -> Option<ArticleId> {
    path.file_stem()?
        .to_str()?
        .parse::<i64>()
        .ok()
        .map(ArticleId)
}

// ---

/// The annotations of one `.ann` file while it is read.
struct Standoff {
    /// Text-bound annotations in file order, with their brat id.
    entities: Vec<(String, NewAnnotation)>,
    /// Position in `entities` by brat id.
    by_id: HashMap<String, usize>,
    /// `T` ids that were skipped (already reported), so lines about them are not.
    skipped: HashSet<String>,
    /// Relation, event, modifier and normalisation lines left out.
    left_out: usize,
}

/// An `R` line whose type is a link attribute (`R1\tplace Arg1:T3 Arg2:T1`): the claim
/// `T3` has its place in `T1`.
struct RelationLine<'a> {
    place: Place,
    key: &'static str,
    from: &'a str,
    to: &'a str,
}

/// An `A` line, applied after every `T` and note is known.
struct AttributeLine<'a> {
    place: Place,
    key: &'a str,
    target: &'a str,
    value: Option<&'a str>,
}

/// A `#` line.
struct NoteLine<'a> {
    place: Place,
    target: &'a str,
    text: &'a str,
}

impl Standoff {
    fn parse(
        ann: &str,
        source: &SourceText<'_>,
        annotator: &str,
        batch: &mut Batch<'_>,
    ) -> Vec<NewAnnotation> {
        let mut standoff = Self {
            entities: Vec::new(),
            by_id: HashMap::new(),
            skipped: HashSet::new(),
            left_out: 0,
        };
        let mut attributes = Vec::new();
        let mut notes = Vec::new();
        let mut relations = Vec::new();
        for (index, line) in ann.split('\n').enumerate() {
            let place = line_place(index);
            let line = line.strip_suffix('\r').unwrap_or(line);
            if line.trim().is_empty() {
                continue;
            }
            let mut fields = line.splitn(3, '\t');
            let id = fields.next().unwrap_or_default().trim();
            let body = fields.next();
            let tail = fields.next();
            let parsed = match (id.chars().next(), body) {
                (Some('T'), Some(body)) => {
                    standoff.text_bound(id, body, tail, source, annotator, place, batch)
                }
                (Some('A'), Some(body)) => attribute_line(body, place).map(|attribute| {
                    attributes.push(attribute);
                }),
                (Some('#'), Some(body)) => note_line(body, tail, place).map(|note| {
                    notes.push(note);
                }),
                (Some('R'), Some(body)) if link_relation(body, place).is_some() => {
                    relations.extend(link_relation(body, place));
                    Ok(())
                }
                (Some('R' | 'E' | 'M' | 'N' | '*'), Some(_)) => {
                    standoff.left_out += 1;
                    Ok(())
                }
                _ => Err(
                    "not a brat standoff line: expected an id (T, A, #, R, E, M or N), a tab and fields"
                        .to_owned(),
                ),
            };
            if let Err(reason) = parsed {
                batch.warn(place, reason);
            }
        }
        for note in notes {
            standoff.apply_note(&note, batch);
        }
        for attribute in attributes {
            standoff.apply_attribute(&attribute, batch);
        }
        // What a note or an `A` line set wins over relations (Annalist's export writes both).
        let preset: HashSet<(String, &str)> = relations
            .iter()
            .filter(|relation| {
                standoff
                    .by_id
                    .get(relation.from)
                    .and_then(|&index| standoff.entities.get(index))
                    .is_some_and(|(_, annotation)| annotation.attrs.contains_key(relation.key))
            })
            .map(|relation| (relation.from.to_owned(), relation.key))
            .collect();
        for relation in relations {
            if !preset.contains(&(relation.from.to_owned(), relation.key)) {
                standoff.apply_relation(&relation, batch);
            }
        }
        if standoff.left_out > 0 {
            batch.warn(
                Place::File,
                format!(
                    "relations are not imported: {} relation, event, modifier or normalisation lines left out",
                    standoff.left_out
                ),
            );
        }
        standoff
            .entities
            .into_iter()
            .map(|(_, annotation)| annotation)
            .collect()
    }

    /// `T1\tLABEL start end[;start end...]\ttext`.
    #[expect(
        clippy::too_many_arguments,
        reason = "one call site; the context is the line"
    )]
    fn text_bound(
        &mut self,
        id: &str,
        body: &str,
        text: Option<&str>,
        source: &SourceText<'_>,
        annotator: &str,
        place: Place,
        batch: &mut Batch<'_>,
    ) -> Result<(), String> {
        let skip = |this: &mut Self, reason: String| {
            this.skipped.insert(id.to_owned());
            Err(format!("{id} skipped: {reason}"))
        };
        let Some((label, ranges)) = body.trim().split_once(' ') else {
            return skip(self, format!("expected 'LABEL start end', found '{body}'"));
        };
        let mut fragments = Vec::new();
        for range in ranges.split(';') {
            let offsets: Vec<Option<usize>> = range
                .split_ascii_whitespace()
                .map(|offset| offset.parse().ok())
                .collect();
            match offsets.as_slice() {
                [Some(start), Some(end)] => fragments.push((*start, *end)),
                _ => {
                    return skip(
                        self,
                        format!("offsets '{ranges}' are not 'start end' pairs of integers"),
                    );
                }
            }
        }
        let start = fragments.iter().map(|&(start, _)| start).min().unwrap_or(0);
        let end = fragments.iter().map(|&(_, end)| end).max().unwrap_or(0);
        let given = if fragments.len() > 1 {
            batch.warn(
                place,
                format!(
                    "{id} is discontinuous ({} fragments): imported as its outer range [{start}, {end}), without a text check",
                    fragments.len()
                ),
            );
            None
        } else {
            text.map(str::to_owned)
        };
        let (span, expected_text) = match source.place(start, end, given) {
            Ok(placed) => placed,
            Err(reason) => return skip(self, reason),
        };
        if self.by_id.contains_key(id) {
            return skip(
                self,
                "the id is used twice; the first one is kept".to_owned(),
            );
        }
        self.by_id.insert(id.to_owned(), self.entities.len());
        self.entities.push((
            id.to_owned(),
            NewAnnotation {
                requested_id: None,
                label: label.to_owned(),
                span,
                expected_text,
                attrs: Map::new(),
                status: AnnotationStatus::Accepted,
                annotator: annotator.to_owned(),
                coder: String::new(),
            },
        ));
        Ok(())
    }

    /// The annotation a line refers to. `None` after a warning (or silently when the
    /// target was skipped already, or is a relation or event, which are left out).
    fn target(
        &mut self,
        target: &str,
        place: Place,
        batch: &mut Batch<'_>,
    ) -> Option<&mut NewAnnotation> {
        if let Some(&index) = self.by_id.get(target) {
            return self
                .entities
                .get_mut(index)
                .map(|(_, annotation)| annotation);
        }
        if self.skipped.contains(target) {
            return None;
        }
        if target.starts_with('T') {
            batch.warn(
                place,
                format!("refers to {target}, which is not in this file; ignored"),
            );
        } else {
            self.left_out += 1;
        }
        None
    }

    /// Links the relation's first argument to its second through the attribute named by
    /// its type (a second relation of the same type makes it a list). A
    /// target without an id of its own gets a placeholder (negative, so never stored as
    /// an id) that the archive maps to the id it gives.
    fn apply_relation(&mut self, relation: &RelationLine<'_>, batch: &mut Batch<'_>) {
        let Some(&to) = self.by_id.get(relation.to) else {
            if !self.skipped.contains(relation.to) {
                batch.warn(
                    relation.place,
                    format!(
                        "{} link to {}, which is not a text-bound annotation of this file; ignored",
                        relation.key, relation.to
                    ),
                );
            }
            return;
        };
        let Some(&from) = self.by_id.get(relation.from) else {
            if !self.skipped.contains(relation.from) {
                batch.warn(
                    relation.place,
                    format!(
                        "{} link from {}, which is not a text-bound annotation of this file; ignored",
                        relation.key, relation.from
                    ),
                );
            }
            return;
        };
        let target_id = {
            let Some((_, target)) = self.entities.get_mut(to) else {
                return;
            };
            let placeholder = -i64::try_from(to).unwrap_or(i64::MAX) - 1;
            target
                .requested_id
                .get_or_insert(AnnotationId(placeholder))
                .0
        };
        let Some((_, source)) = self.entities.get_mut(from) else {
            return;
        };
        let target = Value::from(target_id);
        match source.attrs.remove(relation.key) {
            None => {
                source.attrs.insert(relation.key.to_owned(), target);
            }
            Some(Value::Array(mut items)) => {
                items.push(target);
                source
                    .attrs
                    .insert(relation.key.to_owned(), Value::Array(items));
            }
            Some(earlier) => {
                source
                    .attrs
                    .insert(relation.key.to_owned(), Value::Array(vec![earlier, target]));
            }
        }
    }

    fn apply_note(&mut self, note: &NoteLine<'_>, batch: &mut Batch<'_>) {
        let place = note.place;
        let Some(annotation) = self.target(note.target, place, batch) else {
            return;
        };
        let Some(saved) = saved_note(note.text) else {
            let text = note.text.trim();
            if text.is_empty() {
                return;
            }
            let joined = match annotation.attrs.get("note").and_then(Value::as_str) {
                Some(earlier) => format!("{earlier}\n{text}"),
                None => text.to_owned(),
            };
            annotation.attrs.insert("note".to_owned(), joined.into());
            return;
        };
        if let Some(id) = saved.get("id").and_then(integer) {
            annotation.requested_id = Some(AnnotationId(id));
        }
        if let Some(Value::Object(attrs)) = saved.get("attrs") {
            annotation.attrs.extend(attrs.clone());
        }
        if let Some(annotator) = saved
            .get("annotator")
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|annotator| !annotator.is_empty())
        {
            annotator.clone_into(&mut annotation.annotator);
        }
        if let Some(coder) = saved.get("coder").and_then(Value::as_str) {
            match crate::model::Coder::new(coder) {
                Ok(coder) => annotation.coder = coder.to_string(),
                Err(_) if coder == crate::model::ADJUDICATED => {
                    coder.clone_into(&mut annotation.coder)
                }
                Err(reason) => batch.warn(
                    place,
                    format!("'coder': {reason}; put in the importing coder's layer"),
                ),
            }
        }
        if let Some(status) = saved.get("status").and_then(Value::as_str) {
            match status.parse() {
                Ok(status) => annotation.status = status,
                Err(reason) => batch.warn(place, format!("{reason}; kept 'accepted'")),
            }
        }
    }

    /// Sets an attribute. A value the note already holds in its own type (`"9"` as a
    /// string, `33.5` as a number) is kept when the `A` line writes it the same way; a value
    /// changed in brat wins.
    fn apply_attribute(&mut self, attribute: &AttributeLine<'_>, batch: &mut Batch<'_>) {
        let Some(annotation) = self.target(attribute.target, attribute.place, batch) else {
            return;
        };
        let unchanged = annotation
            .attrs
            .get(attribute.key)
            .is_some_and(|saved| written_as(saved, attribute.value));
        if unchanged {
            return;
        }
        let value = attribute.value.map_or(Value::Bool(true), typed_value);
        annotation.attrs.insert(attribute.key.to_owned(), value);
    }
}

/// `Key T1 Value` or `Key T1` (a binary attribute).
fn attribute_line(body: &str, place: Place) -> Result<AttributeLine<'_>, String> {
    let parts: Vec<&str> = body.split_ascii_whitespace().collect();
    match parts.as_slice() {
        [key, target] => Ok(AttributeLine {
            place,
            key,
            target,
            value: None,
        }),
        [key, target, value] => Ok(AttributeLine {
            place,
            key,
            target,
            value: Some(value),
        }),
        _ => Err(format!(
            "attribute not understood: expected 'Key T1 Value', found '{body}'"
        )),
    }
}

/// `AnnotatorNotes T1` and the note text.
fn note_line<'a>(
    body: &'a str,
    text: Option<&'a str>,
    place: Place,
) -> Result<NoteLine<'a>, String> {
    match body.split_ascii_whitespace().collect::<Vec<_>>().as_slice() {
        [_, target] => Ok(NoteLine {
            place,
            target,
            text: text.unwrap_or_default(),
        }),
        _ => Err(format!(
            "note not understood: expected 'AnnotatorNotes T1', found '{body}'"
        )),
    }
}

/// The note of Annalist's brat export: a JSON object with only `id`, `status`, `annotator`,
/// `coder` and `attrs`, each of its type. Anything else is a free note.
fn saved_note(text: &str) -> Option<Map<String, Value>> {
    let Ok(Value::Object(note)) = serde_json::from_str::<Value>(text.trim()) else {
        return None;
    };
    let own_keys = !note.is_empty() && note.keys().all(|key| NOTE_KEYS.contains(&key.as_str()));
    let typed = note.get("attrs").is_none_or(Value::is_object)
        && note.get("status").is_none_or(Value::is_string)
        && note.get("annotator").is_none_or(Value::is_string)
        && note.get("coder").is_none_or(Value::is_string)
        && note.get("id").is_none_or(|id| integer(id).is_some());
    (own_keys && typed).then_some(note)
}

/// Whether an `A` line's raw value is how brat shows `saved`.
fn written_as(saved: &Value, raw: Option<&str>) -> bool {
    match (saved, raw) {
        (Value::String(text), Some(raw)) => text == raw,
        (Value::Number(number), Some(raw)) => number.to_string() == raw,
        (Value::Bool(flag), Some(raw)) => flag.to_string() == raw,
        (Value::Bool(true), None) => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use serde_json::json;

    use super::*;
    use crate::import::{FileOutcome, ImportOptions, read_file};
    use crate::model::slice_chars;

    const TEXT: &str = "پاکستان اور ایران\n👨‍👩‍👧 北京 Balochistan\n";

    fn document(dir: &Path, stem: &str, text: &[u8], ann: &str) -> PathBuf {
        std::fs::write(dir.join(format!("{stem}.txt")), text).unwrap();
        let ann_path = dir.join(format!("{stem}.ann"));
        std::fs::write(&ann_path, ann).unwrap();
        ann_path
    }

    fn warnings(outcome: &FileOutcome) -> Vec<(Option<u64>, &str)> {
        outcome
            .warnings
            .iter()
            .map(|w| (w.line, w.reason.as_str()))
            .collect()
    }

    #[test]
    fn standoff_spans_attributes_and_notes() {
        assert_eq!(slice_chars(TEXT, 0, 7), "پاکستان");
        assert_eq!(slice_chars(TEXT, 18, 23), "👨‍👩‍👧");
        assert_eq!(slice_chars(TEXT, 24, 26), "北京");
        let ann = [
            "T1\tLOC 0 7\tپاکستان",
            "T2\tPER 18 23\t👨‍👩‍👧",
            "T3\tLOC 24 26\t北京",
            "T4\tLOC 12 17;27 38\tایران Balochistan",
            "T5\tLOC x y\tbad",
            "T6\tLOC 30 60\tzzz",
            "A1\tcount T1 9",
            "A2\tNegated T2",
            "A3\tcanonical T3 Beijing",
            "A4\tlat T1 33.5",
            "A5\tx T99",
            "#1\tAnnotatorNotes T1\t{\"annotator\":\"maria\",\"attrs\":{\"claimed_by\":\"Iran\",\"count\":\"9\",\"lat\":33.5},\"id\":17,\"status\":\"suggested\"}",
            "#2\tAnnotatorNotes T2\tfamily of three",
            "#3\tAnnotatorNotes T3\t{\"comment\": \"not ours\"}",
            "R1\tLocatedIn Arg1:T3 Arg2:T1",
            "E1\tAttack:T1",
            "garbage line",
            "A6\tcount T5 3",
            "",
        ]
        .join("\n");
        let dir = tempfile::tempdir().unwrap();
        let path = document(dir.path(), "42", TEXT.as_bytes(), &ann);
        let outcome = read_file(&path, &ImportOptions::default()).unwrap();
        assert_eq!(outcome.format, Format::Brat);
        assert_eq!(
            warnings(&outcome),
            [
                (
                    Some(4),
                    "T4 is discontinuous (2 fragments): imported as its outer range [12, 38), without a text check"
                ),
                (
                    Some(5),
                    "T5 skipped: offsets 'x y' are not 'start end' pairs of integers"
                ),
                (
                    Some(6),
                    "T6 skipped: span [30, 60) is outside the text, which has 39 code points"
                ),
                (
                    Some(17),
                    "not a brat standoff line: expected an id (T, A, #, R, E, M or N), a tab and fields"
                ),
                (
                    Some(11),
                    "refers to T99, which is not in this file; ignored"
                ),
                (
                    None,
                    "relations are not imported: 2 relation, event, modifier or normalisation lines left out"
                ),
            ]
        );
        let article = &outcome.articles[0];
        assert_eq!(article.requested_id, Some(ArticleId(42)));
        assert_eq!(article.title, "پاکستان اور ایران");
        assert_eq!(article.text, TEXT);
        assert_eq!(article.origin_format, "brat");
        let [pakistan, family, beijing, outer] = article.annotations.as_slice() else {
            panic!("{:?}", article.annotations);
        };
        assert_eq!(pakistan.requested_id, Some(AnnotationId(17)));
        assert_eq!(pakistan.status, AnnotationStatus::Suggested);
        assert_eq!(pakistan.annotator, "maria");
        assert_eq!(pakistan.expected_text.as_deref(), Some("پاکستان"));
        // The note's types survive the A lines that write the same values.
        assert_eq!(
            Value::Object(pakistan.attrs.clone()),
            json!({"claimed_by": "Iran", "count": "9", "lat": 33.5})
        );
        assert_eq!((family.span.start(), family.span.end()), (18, 23));
        assert_eq!(family.annotator, "brat:42.ann");
        assert_eq!(family.status, AnnotationStatus::Accepted);
        assert_eq!(
            Value::Object(family.attrs.clone()),
            json!({"Negated": true, "note": "family of three"})
        );
        assert_eq!(
            Value::Object(beijing.attrs.clone()),
            json!({"canonical": "Beijing", "note": "{\"comment\": \"not ours\"}"})
        );
        assert_eq!(
            (outer.label.as_str(), outer.span.start(), outer.span.end()),
            ("LOC", 12, 38)
        );
        assert_eq!(outer.expected_text, None);
    }

    #[test]
    fn attributes_changed_in_brat_win_and_are_typed() {
        let ann = "T1\tLOC 0 7\tپاکستان\nA1\tcount T1 12\nA2\tdisputed T1 false\nA3\tvictims T1 children\n#1\tAnnotatorNotes T1\t{\"attrs\":{\"count\":9}}\n";
        let dir = tempfile::tempdir().unwrap();
        let path = document(dir.path(), "doc", TEXT.as_bytes(), ann);
        let outcome = read_file(&path, &ImportOptions::default()).unwrap();
        let article = &outcome.articles[0];
        assert_eq!(article.requested_id, None);
        assert_eq!(
            Value::Object(article.annotations[0].attrs.clone()),
            json!({"count": 12, "disputed": false, "victims": "children"})
        );
    }

    #[test]
    fn crlf_text_is_normalised_and_offsets_are_mapped_to_it() {
        let dir = tempfile::tempdir().unwrap();
        // brat counted the CR: "Gaza" is at [7, 11) in the file, [6, 10) once normalised.
        let path = document(
            dir.path(),
            "1",
            b"Title\r\nGaza strike\r\n",
            "T1\tLOC 7 11\tGaza\n",
        );
        let outcome = read_file(&path, &ImportOptions::default()).unwrap();
        let article = &outcome.articles[0];
        assert_eq!(article.text, "Title\nGaza strike\n");
        assert_eq!(article.annotations[0].span.start(), 6);
        assert_eq!(article.annotations[0].span.end(), 10);
        assert_eq!(
            article.annotations[0].expected_text.as_deref(),
            Some("Gaza")
        );
        assert!(outcome.warnings.is_empty(), "{:?}", outcome.warnings);
    }

    #[test]
    fn empty_annotations_missing_text_and_forced_text() {
        let dir = tempfile::tempdir().unwrap();
        let path = document(dir.path(), "7", "نص بلا تعليقات".as_bytes(), "");
        let outcome = read_file(&path, &ImportOptions::default()).unwrap();
        assert_eq!(outcome.articles.len(), 1);
        assert!(outcome.articles[0].annotations.is_empty());
        assert!(outcome.warnings.is_empty());

        let lonely = dir.path().join("lonely.ann");
        std::fs::write(&lonely, "T1\tLOC 0 1\tx\n").unwrap();
        let err = read_file(&lonely, &ImportOptions::default()).unwrap_err();
        assert!(matches!(err, ImportError::BratText { .. }), "{err}");
        assert_eq!(err.path(), lonely);
        assert!(
            err.to_string().contains("cannot read ") && err.to_string().contains("lonely.txt"),
            "{err}"
        );

        let forced = ImportOptions {
            format: Some(Format::Brat),
            ..ImportOptions::default()
        };
        std::fs::write(dir.path().join("8.txt"), TEXT).unwrap();
        std::fs::write(dir.path().join("8.ann"), "T1\tLOC 24 26\t北京\n").unwrap();
        let outcome = read_file(&dir.path().join("8.txt"), &forced).unwrap();
        assert_eq!(outcome.format, Format::Brat);
        assert_eq!(outcome.articles[0].annotations[0].label, "LOC");
        std::fs::write(dir.path().join("9.txt"), TEXT).unwrap();
        let outcome = read_file(&dir.path().join("9.txt"), &forced).unwrap();
        assert_eq!(outcome.articles.len(), 1);
        assert!(
            outcome.warnings[0]
                .reason
                .contains("imported without annotations")
        );
    }
}

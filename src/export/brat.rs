//! The `brat` export: a folder with `<id>.txt` (the text exactly) and `<id>.ann` (standoff
//! annotations and the links between them) per article, plus `annotation.conf` and `visual.conf` written at the end.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::brat_conf::BratConf;
use super::values::CodePoints;
use super::{RecordSink, WrittenFile};
use crate::model::attrs::{self, LinkTarget, link_targets};
use crate::model::{Annotation, Article, LabelSchema, content_sha256};

/// Writes one `.txt` and one `.ann` per article into a folder that was empty.
pub(super) struct BratSink {
    dir: PathBuf,
    conf: BratConf,
    /// Files written since [`RecordSink::take_files`] last took them.
    written: Vec<WrittenFile>,
}

impl BratSink {
    /// Creates the folder, or takes an existing empty one: files of an earlier export would
    /// mix with this one.
    pub(super) fn create(dir: PathBuf, labels: &LabelSchema) -> io::Result<Self> {
        empty_folder(&dir, "brat")?;
        Ok(Self {
            dir,
            conf: BratConf::new(labels),
            written: Vec::new(),
        })
    }

    fn write_file(&mut self, name: &str, contents: &str) -> io::Result<()> {
        let path = self.dir.join(name);
        let write = || -> io::Result<()> {
            let mut out = BufWriter::new(File::create_new(&path)?);
            out.write_all(contents.as_bytes())?;
            out.flush()
        };
        write().map_err(|e| with_path(e, "cannot write the brat file", &path))?;
        self.written.push(WrittenFile {
            name: name.to_owned(),
            sha256: content_sha256(contents),
        });
        Ok(())
    }
}

impl RecordSink for BratSink {
    fn write(&mut self, article: &Article, annotations: &[Annotation]) -> io::Result<()> {
        let ann = standoff(article, annotations, &mut self.conf);
        self.write_file(&format!("{}.txt", article.id), &article.text)?;
        self.write_file(&format!("{}.ann", article.id), &ann)
    }

    fn finish(self: Box<Self>) -> io::Result<()> {
        self.finish_listing().map(|_| ())
    }

    fn take_files(&mut self) -> Vec<WrittenFile> {
        std::mem::take(&mut self.written)
    }

    fn finish_listing(mut self: Box<Self>) -> io::Result<Vec<WrittenFile>> {
        let annotation_conf = self.conf.annotation_conf();
        self.write_file("annotation.conf", &annotation_conf)?;
        let visual_conf = self.conf.visual_conf();
        self.write_file("visual.conf", &visual_conf)?;
        Ok(std::mem::take(&mut self.written))
    }
}

/// Takes `dir` for a folder export of `format`: creates it, or takes it when it exists and
/// is empty (files of an earlier export would mix with the new one).
pub(super) fn empty_folder(dir: &Path, format: &str) -> io::Result<()> {
    if dir.exists() {
        let mut entries = std::fs::read_dir(dir)
            .map_err(|e| with_path(e, &format!("cannot read the {format} export folder"), dir))?;
        if entries.next().is_some() {
            return Err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                format!(
                    "the {format} export folder is not empty: choose a new or empty folder: {}",
                    dir.display()
                ),
            ));
        }
        return Ok(());
    }
    std::fs::create_dir_all(dir)
        .map_err(|e| with_path(e, &format!("cannot create the {format} export folder"), dir))
}

fn with_path(error: io::Error, what: &str, path: &Path) -> io::Error {
    io::Error::new(error.kind(), format!("{what}: {error}: {}", path.display()))
}

// ---

/// The `.ann` file of one article: per annotation a `T` line, `A` lines for the attributes
/// brat can hold, and an `AnnotatorNotes` line with everything (attrs, status, annotator,
/// archive id), numbered in annotation order; then an `R` line per link (`date`, `place`,
/// `actor`) to an annotation of the same article, so brat draws the claim's arcs.
pub(super) fn standoff(
    article: &Article,
    annotations: &[Annotation],
    conf: &mut BratConf,
) -> String {
    let text = CodePoints::new(&article.text);
    // Spans of line breaks only have no fragment: brat cannot show them (the native export
    // keeps them).
    let entities: Vec<(&Annotation, Vec<(usize, usize)>)> = annotations
        .iter()
        .map(|a| (a, fragments(&text, a.span.start(), a.span.end())))
        .filter(|(_, fragments)| !fragments.is_empty())
        .collect();
    let numbers: HashMap<i64, (usize, &str)> = entities
        .iter()
        .enumerate()
        .map(|(index, (a, _))| (a.id.0, (index + 1, a.label.as_str())))
        .collect();
    let mut ann = String::new();
    let mut relations = String::new();
    let (mut attribute, mut relation) = (0, 0);
    for (index, (annotation, fragments)) in entities.iter().enumerate() {
        let entity = index + 1;
        conf.saw_label(&annotation.label);
        let ranges: Vec<String> = fragments.iter().map(|(s, e)| format!("{s} {e}")).collect();
        let pieces: Vec<&str> = fragments.iter().map(|&(s, e)| text.slice(s, e)).collect();
        let _ = writeln!(
            ann,
            "T{entity}\t{} {}\t{}",
            annotation.label,
            ranges.join(";"),
            pieces.join(" ")
        );
        for (key, value) in &annotation.attrs {
            if attrs::CLAIM_LINKS.contains(&key.as_str()) {
                for target in link_targets(value) {
                    let LinkTarget::Id(id) = target else {
                        continue;
                    };
                    let Some(&(other, other_label)) = numbers.get(&id) else {
                        continue;
                    };
                    relation += 1;
                    conf.saw_relation(key, &annotation.label, other_label);
                    let _ = writeln!(relations, "R{relation}\t{key} Arg1:T{entity} Arg2:T{other}");
                }
                // A literal typed in place of a link is an attribute like any other.
                if !matches!(link_targets(value).as_slice(), [LinkTarget::Literal(_)]) {
                    continue;
                }
            }
            let Some(value) = attribute_value(key, value) else {
                continue;
            };
            attribute += 1;
            conf.saw_attribute(key, &value);
            let _ = writeln!(ann, "A{attribute}\t{key} T{entity} {value}");
        }
        let _ = writeln!(
            ann,
            "#{entity}\tAnnotatorNotes T{entity}\t{}",
            note(annotation)
        );
    }
    ann.push_str(&relations);
    ann
}

/// Characters a `.ann` line cannot hold: Python's `str.splitlines` (which brat reads with)
/// breaks lines at all of them, and the tab separates fields.
fn breaks_line(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r' | '\t' | '\u{b}' | '\u{c}' | '\u{1c}'
            ..='\u{1e}' | '\u{85}' | '\u{2028}' | '\u{2029}'
    )
}

/// The span as brat fragments: maximal runs without line-breaking characters. A span that
/// crosses a line becomes brat's discontinuous form, its text the pieces joined by a space.
fn fragments(text: &CodePoints<'_>, start: usize, end: usize) -> Vec<(usize, usize)> {
    let mut fragments = Vec::new();
    let mut fragment_start = None;
    let end = end.min(text.len());
    for (index, c) in (start..end).zip(text.slice(start, end).chars()) {
        match (breaks_line(c), fragment_start) {
            (true, Some(s)) => {
                fragments.push((s, index));
                fragment_start = None;
            }
            (false, None) => fragment_start = Some(index),
            _ => {}
        }
    }
    if let Some(s) = fragment_start {
        fragments.push((s, end));
    }
    fragments
}

/// An attribute as brat can hold it: a number, a boolean, or a string without whitespace,
/// control characters or the `|` and `,` that separate values in `annotation.conf`. Others
/// live in the note only.
fn attribute_value(key: &str, value: &Value) -> Option<String> {
    let plain = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| !c.is_whitespace() && !c.is_control() && !matches!(c, '|' | ',' | ':'))
    };
    if !plain(key) {
        return None;
    }
    match value {
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::String(s) if plain(s) => Some(s.clone()),
        _ => None,
    }
}

/// The note: compact JSON of everything the archive knows about the annotation, so nothing
/// is lost. Line separators that JSON leaves raw are escaped so the note stays on its line.
fn note(annotation: &Annotation) -> String {
    let mut note = Map::new();
    note.insert("annotator".into(), annotation.annotator.clone().into());
    if !annotation.coder.is_empty() {
        note.insert("coder".into(), annotation.coder.clone().into());
    }
    note.insert("attrs".into(), Value::Object(annotation.attrs.clone()));
    note.insert("id".into(), annotation.id.0.into());
    note.insert("status".into(), annotation.status.as_str().into());
    Value::Object(note)
        .to_string()
        .replace('\u{85}', "\\u0085")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

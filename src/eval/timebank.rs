//! Date-suggester quality: `find_dates` against the DATE timexes of TimeML (`.tml`) files such
//! as TimeBank, scored by strict and relaxed span match and by value, TempEval-3 style.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::model::{PartialDate, parse_loose_date};
use crate::suggest::dates::{DateMention, find_dates};

/// Errors of the TimeBank benchmark.
#[derive(Debug, thiserror::Error)]
pub enum TimebankError {
    /// The folder or a file could not be read.
    #[error("cannot read {1}")]
    Io(#[source] std::io::Error, PathBuf),
    /// The folder holds no `.tml` file.
    #[error("no .tml files in {0}")]
    Empty(PathBuf),
}

/// Result alias of this module.
pub type Result<T> = std::result::Result<T, TimebankError>;

/// One gold TIMEX3 of a TimeML document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoldTimex {
    /// First code point in the plain text of `<TEXT>`.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    /// `DATE`, `TIME`, `DURATION` or `SET`.
    pub kind: String,
    /// The normalised value (`1998-01-08`, `PRESENT_REF`, ...).
    pub value: String,
}

/// A TimeML document read for evaluation: its creation time, the plain text and the timexes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimemlDoc {
    /// The document creation time (the value of the `CREATION_TIME` timex), if readable.
    pub dct: Option<PartialDate>,
    /// The tag-stripped, entity-decoded content of `<TEXT>`.
    pub text: String,
    /// Timexes inside `<TEXT>`, in order.
    pub timexes: Vec<GoldTimex>,
}

/// Reads the parts of a TimeML file the date benchmark needs. Tolerant: a file without
/// `<TEXT>` gives an empty text.
pub fn read_timeml(xml: &str) -> TimemlDoc {
    let dct = xml
        .find("functionInDocument=\"CREATION_TIME\"")
        .and_then(|at| {
            let open = xml.get(..at)?.rfind("<TIMEX3")?;
            let close = open + xml.get(open..)?.find('>')?;
            attribute(xml.get(open..close)?, "value")
        })
        .and_then(|v| parse_loose_date(&v));
    let body = xml
        .find("<TEXT>")
        .and_then(|at| {
            let rest = xml.get(at + "<TEXT>".len()..)?;
            Some(rest.get(..rest.find("</TEXT>")?).unwrap_or(rest))
        })
        .unwrap_or("");
    let (text, timexes) = strip_tags(body);
    TimemlDoc { dct, text, timexes }
}

fn attribute(tag: &str, name: &str) -> Option<String> {
    let key = format!(" {name}=\"");
    let at = tag.find(&key)? + key.len();
    let rest = tag.get(at..)?;
    Some(decode_entities(rest.get(..rest.find('"')?)?))
}

fn decode_entities(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

fn strip_tags(body: &str) -> (String, Vec<GoldTimex>) {
    let mut text = String::with_capacity(body.len());
    let mut count = 0;
    let mut timexes = Vec::new();
    let mut open: Option<(usize, String, String)> = None;
    let mut rest = body;
    while let Some(c) = rest.chars().next() {
        if c == '<' {
            let Some(close) = rest.find('>') else { break };
            let tag = rest.get(1..close).unwrap_or("");
            if tag.starts_with("TIMEX3") {
                let kind = attribute(tag, "type").unwrap_or_default();
                let value = attribute(tag, "value").unwrap_or_default();
                open = Some((count, kind, value));
            } else if tag.starts_with("/TIMEX3")
                && let Some((start, kind, value)) = open.take()
            {
                timexes.push(GoldTimex {
                    start,
                    end: count,
                    kind,
                    value,
                });
            }
            rest = rest.get(close + 1..).unwrap_or("");
            continue;
        }
        if c == '&'
            && let Some(semi) = rest.find(';').filter(|&s| s <= 6)
        {
            let decoded = decode_entities(rest.get(..=semi).unwrap_or(""));
            count += decoded.chars().count();
            text.push_str(&decoded);
            rest = rest.get(semi + 1..).unwrap_or("");
            continue;
        }
        text.push(c);
        count += 1;
        rest = rest.get(c.len_utf8()..).unwrap_or("");
    }
    (text, timexes)
}

// ---

/// Counts of one file or of the whole run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Gold DATE timexes.
    pub gold: usize,
    /// Dates the suggester found.
    pub system: usize,
    /// Pairs with exactly the same span.
    pub strict: usize,
    /// Pairs with overlapping spans (one-to-one).
    pub relaxed: usize,
    /// Overlapping pairs whose values are equal.
    pub value: usize,
}

impl Counts {
    fn add(&mut self, other: Self) {
        self.gold += other.gold;
        self.system += other.system;
        self.strict += other.strict;
        self.relaxed += other.relaxed;
        self.value += other.value;
    }

    /// Precision, recall and F1 when `matched` pairs count as right.
    pub fn prf(&self, matched: usize) -> (f64, f64, f64) {
        let ratio = |a: usize, b: usize| {
            if b == 0 { 0.0 } else { as_f64(a) / as_f64(b) }
        };
        let p = ratio(matched, self.system);
        let r = ratio(matched, self.gold);
        let f = if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        };
        (p, r, f)
    }

    /// Share of relaxed-matched pairs whose value is right.
    pub fn value_accuracy(&self) -> f64 {
        if self.relaxed == 0 {
            0.0
        } else {
            as_f64(self.value) / as_f64(self.relaxed)
        }
    }
}

fn as_f64(n: usize) -> f64 {
    u32::try_from(n).map_or(f64::MAX, f64::from)
}

/// One mismatch, for the verbose report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Miss {
    /// `missed` (gold only), `spurious` (system only), `value` (overlap, other value) or
    /// `span` (overlap, other span, right value).
    pub kind: &'static str,
    /// Gold text and value, if any.
    pub gold: Option<(String, String)>,
    /// System text and value, if any.
    pub system: Option<(String, String)>,
}

/// The score of one file.
#[derive(Debug, Clone, PartialEq)]
pub struct FileScore {
    /// File name.
    pub file: String,
    /// Its counts.
    pub counts: Counts,
    /// What went wrong, in text order.
    pub misses: Vec<Miss>,
}

/// Scores of a whole TimeBank run.
#[derive(Debug, Clone, PartialEq)]
pub struct TimebankReport {
    /// One entry per file, sorted by name.
    pub files: Vec<FileScore>,
    /// Sum over all files.
    pub total: Counts,
    /// Sum over all files of what the suggester proposes: the same dates without the vague
    /// references (`now`, `recently`: PRESENT_REF, PAST_REF, FUTURE_REF), which it leaves
    /// out as noise for annotators although TimeBank marks them.
    pub suggested: Counts,
    /// Print every file's scores and misses.
    pub verbose: bool,
}

/// Scores `find_dates` on every `.tml` file of `dir` (DATE timexes only, the DCT as the
/// publication date).
pub fn timebank_benchmark(dir: &Path, verbose: bool) -> Result<TimebankReport> {
    let entries = std::fs::read_dir(dir).map_err(|e| TimebankError::Io(e, dir.to_owned()))?;
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "tml"))
        .collect();
    paths.sort();
    if paths.is_empty() {
        return Err(TimebankError::Empty(dir.to_owned()));
    }
    let mut files = Vec::with_capacity(paths.len());
    let mut total = Counts::default();
    let mut suggested = Counts::default();
    for path in paths {
        let xml = std::fs::read_to_string(&path).map_err(|e| TimebankError::Io(e, path.clone()))?;
        let doc = read_timeml(&xml);
        let found = find_dates(&doc.text, doc.dct);
        let score = score_file(&path, &doc, &found);
        total.add(score.counts);
        files.push(score);
        let proposed: Vec<DateMention> = found
            .into_iter()
            .filter(|d| !crate::suggest::is_vague_date(d))
            .collect();
        suggested.add(score_file(&path, &doc, &proposed).counts);
    }
    Ok(TimebankReport {
        files,
        total,
        suggested,
        verbose,
    })
}

fn score_file(path: &Path, doc: &TimemlDoc, found: &[DateMention]) -> FileScore {
    let gold: Vec<&GoldTimex> = doc.timexes.iter().filter(|t| t.kind == "DATE").collect();
    let slice = |s: usize, e: usize| doc.text.chars().skip(s).take(e - s).collect::<String>();
    let mut used = vec![false; found.len()];
    let mut counts = Counts {
        gold: gold.len(),
        system: found.len(),
        ..Counts::default()
    };
    let mut misses = Vec::new();
    for g in &gold {
        let pair = found.iter().enumerate().find(|(k, m)| {
            !used.get(*k).copied().unwrap_or(true) && m.start < g.end && g.start < m.end
        });
        let gold_side = Some((slice(g.start, g.end), g.value.clone()));
        let Some((k, m)) = pair else {
            misses.push(Miss {
                kind: "missed",
                gold: gold_side,
                system: None,
            });
            continue;
        };
        if let Some(u) = used.get_mut(k) {
            *u = true;
        }
        counts.relaxed += 1;
        let exact = m.start == g.start && m.end == g.end;
        let same_value = m.value == g.value;
        counts.strict += usize::from(exact);
        counts.value += usize::from(same_value);
        if !exact || !same_value {
            misses.push(Miss {
                kind: if same_value { "span" } else { "value" },
                gold: gold_side,
                system: Some((slice(m.start, m.end), m.value.clone())),
            });
        }
    }
    for (m, _) in found.iter().zip(&used).filter(|(_, u)| !**u) {
        misses.push(Miss {
            kind: "spurious",
            gold: None,
            system: Some((slice(m.start, m.end), m.value.clone())),
        });
    }
    FileScore {
        file: path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        counts,
        misses,
    }
}

impl fmt::Display for TimebankReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let t = &self.total;
        if self.verbose {
            for file in &self.files {
                let (_, _, relaxed) = file.counts.prf(file.counts.relaxed);
                writeln!(
                    f,
                    "{}  gold {} system {} relaxed F1 {relaxed:.3} values {}/{}",
                    file.file,
                    file.counts.gold,
                    file.counts.system,
                    file.counts.value,
                    file.counts.relaxed
                )?;
                for miss in &file.misses {
                    let side = |s: &Option<(String, String)>| {
                        s.as_ref()
                            .map_or("-".to_owned(), |(text, value)| format!("{text:?}={value}"))
                    };
                    writeln!(
                        f,
                        "  {:<9} gold {}  system {}",
                        miss.kind,
                        side(&miss.gold),
                        side(&miss.system)
                    )?;
                }
            }
            writeln!(f)?;
        }
        writeln!(
            f,
            "TimeBank DATE timexes: {} files, gold {}, system {}",
            self.files.len(),
            t.gold,
            t.system
        )?;
        writeln!(
            f,
            "{:<16} {:>9} {:>9} {:>9}",
            "", "precision", "recall", "F1"
        )?;
        for (name, matched) in [
            ("strict span", t.strict),
            ("relaxed span", t.relaxed),
            ("value", t.value),
        ] {
            let (p, r, f1) = t.prf(matched);
            writeln!(f, "{name:<16} {p:>9.3} {r:>9.3} {f1:>9.3}")?;
        }
        writeln!(
            f,
            "value accuracy (of relaxed matches): {:.3} ({}/{})",
            t.value_accuracy(),
            t.value,
            t.relaxed
        )?;
        let s = &self.suggested;
        let (p, r, f1) = s.prf(s.relaxed);
        let (_, _, value_f1) = s.prf(s.value);
        writeln!(
            f,
            "as suggested (without vague references such as \"now\"): system {}, relaxed P {p:.3} R {r:.3} F1 {f1:.3}, value F1 {value_f1:.3}, value accuracy {:.3}",
            s.system,
            s.value_accuracy()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"<?xml version="1.0" ?>
<TimeML>
<DOCID>T1</DOCID>
<DCT><TIMEX3 tid="t0" type="DATE" value="1998-01-08" temporalFunction="false" functionInDocument="CREATION_TIME">19980108</TIMEX3></DCT>
<TEXT>
AT&amp;T <EVENT eid="e1" class="OCCURRENCE">said</EVENT> <TIMEX3 tid="t1" type="DATE" value="1998-01-07" temporalFunction="true" functionInDocument="NONE" anchorTimeID="t0">Wednesday</TIMEX3> it lost money in <TIMEX3 tid="t2" type="DURATION" value="P1W" temporalFunction="false" functionInDocument="NONE">a week</TIMEX3>, café prices <TIMEX3 tid="t3" type="DATE" value="PRESENT_REF" temporalFunction="true" functionInDocument="NONE">now</TIMEX3>.
</TEXT>
<TLINK lid="l1" relType="BEFORE" eventInstanceID="ei1" relatedToTime="t0"/>
</TimeML>
"#;

    #[test]
    fn reads_dct_plain_text_and_timex_offsets() {
        let doc = read_timeml(SAMPLE);
        assert_eq!(
            doc.dct.map(|d| d.to_string()).as_deref(),
            Some("1998-01-08")
        );
        assert!(doc.text.starts_with("\nAT&T said Wednesday it lost"));
        assert_eq!(doc.timexes.len(), 3);
        let slice = |t: &GoldTimex| {
            doc.text
                .chars()
                .skip(t.start)
                .take(t.end - t.start)
                .collect::<String>()
        };
        assert_eq!(slice(&doc.timexes[0]), "Wednesday");
        assert_eq!(doc.timexes[0].value, "1998-01-07");
        assert_eq!(doc.timexes[1].kind, "DURATION");
        // "café" has a non-ASCII letter before the timex: offsets are in code points.
        assert_eq!(slice(&doc.timexes[2]), "now");
        assert_eq!(doc.timexes[2].value, "PRESENT_REF");
    }

    #[test]
    fn scores_only_dates_with_strict_relaxed_and_value_matches() {
        let doc = read_timeml(SAMPLE);
        let found = find_dates(&doc.text, doc.dct);
        let score = score_file(Path::new("t1.tml"), &doc, &found);
        assert_eq!(score.counts.gold, 2);
        assert_eq!(score.counts.relaxed, 2, "{:?}", score.misses);
        assert_eq!(score.counts.value, 2, "{:?}", score.misses);
    }
}

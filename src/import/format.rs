//! The import formats and how a file's format is guessed from its name, then its content.

use std::fmt;
use std::path::Path;
use std::str::FromStr;

use super::bytes::contains;

/// Which importer reads a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Plain text: one article per file, first non-empty line is the title.
    Text,
    /// A saved web page: the article is extracted, boilerplate dropped.
    Html,
    /// RSS 0.9x/1.0/2.0 or Atom: one article per item.
    Feed,
    /// A JSON array of records, or one record object.
    Json,
    /// One JSON record per line.
    Jsonl,
    /// CSV with a header row; one article per row.
    Csv,
    /// brat standoff: `X.ann` read together with its text `X.txt`; one article per pair.
    Brat,
    /// doccano sequence-labelling JSONL (or a JSON array of the same records).
    Doccano,
    /// A Label Studio JSON export: an array of tasks with annotations and predictions.
    LabelStudio,
    /// CoNLL-style token-per-line BIO/IOB1/IOB2 files: one article per `-DOCSTART-`
    /// document, or per sentence when the file has no `-DOCSTART-` lines.
    Conll,
}

impl Format {
    /// Every format, in the order they are listed to users.
    pub const ALL: [Self; 10] = [
        Self::Text,
        Self::Html,
        Self::Feed,
        Self::Json,
        Self::Jsonl,
        Self::Csv,
        Self::Brat,
        Self::Doccano,
        Self::LabelStudio,
        Self::Conll,
    ];

    /// The name used on the command line and stored as an article's `origin_format`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Text => "text",
            Self::Html => "html",
            Self::Feed => "feed",
            Self::Json => "json",
            Self::Jsonl => "jsonl",
            Self::Csv => "csv",
            Self::Brat => "brat",
            Self::Doccano => "doccano",
            Self::LabelStudio => "label-studio",
            Self::Conll => "conll",
        }
    }

    /// The format a file name promises (`x.html.gz` counts as `x.html`); `None` when the
    /// extension is not one the importers know. doccano and Label Studio files are `.jsonl`
    /// and `.json`: their content tells them apart (see the JSON importer).
    pub fn from_path(path: &Path) -> Option<Self> {
        let name = path.file_name()?.to_str()?.to_ascii_lowercase();
        let name = name.strip_suffix(".gz").unwrap_or(&name);
        let (_, extension) = name.rsplit_once('.')?;
        match extension {
            "txt" | "text" => Some(Self::Text),
            "html" | "htm" | "xhtml" => Some(Self::Html),
            "xml" | "rss" | "atom" | "rdf" => Some(Self::Feed),
            "json" => Some(Self::Json),
            "jsonl" | "ndjson" => Some(Self::Jsonl),
            "csv" => Some(Self::Csv),
            "ann" => Some(Self::Brat),
            "conll" | "iob" | "iob2" | "bio" => Some(Self::Conll),
            _ => None,
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Format {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim().to_ascii_lowercase();
        Self::ALL
            .into_iter()
            .find(|format| format.as_str() == wanted)
            .ok_or_else(|| {
                let names = Self::ALL.map(Self::as_str).join(", ");
                format!("unknown format '{s}': expected one of {names}")
            })
    }
}

/// The format of an (already unzipped) file: by extension, else by a look at the content.
/// A `.txt` file whose lines are CoNLL token/tag columns (CoNLL-2003's `train.txt`) is CoNLL.
pub(crate) fn detect(name: &Path, bytes: &[u8]) -> Format {
    match Format::from_path(name) {
        Some(Format::Text) if looks_like_conll(bytes) => Format::Conll,
        Some(format) => format,
        None => sniff(bytes),
    }
}

/// Guesses from the first bytes: CoNLL token/tag columns, markup is a feed or a page,
/// brackets are JSON, else text.
fn sniff(bytes: &[u8]) -> Format {
    if looks_like_conll(bytes) {
        return Format::Conll;
    }
    let head = bytes.get(..4096).unwrap_or(bytes);
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let start = head
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(head.len());
    let head = head.get(start..).unwrap_or_default().to_ascii_lowercase();
    match head.first() {
        Some(b'<') => {
            let is_feed = [&b"<rss"[..], b"<feed", b"<rdf:rdf"]
                .iter()
                .any(|tag| contains(&head, tag));
            if is_feed { Format::Feed } else { Format::Html }
        }
        Some(b'[' | b'{') => Format::Json,
        _ => Format::Text,
    }
}

// --- JSON dialects

/// How many records decide a JSON file's dialect (doccano, Label Studio or plain records).
pub(crate) const SAMPLE_RECORDS: usize = 20;

/// The reader a JSON file's records call for, and a note for the user when the sample was
/// not unanimous or had malformed spans (which format was assumed, and how to choose).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Dialect {
    /// `Doccano`, `LabelStudio`, or `plain` as given.
    pub(crate) format: Format,
    /// Said once for the file when in doubt.
    pub(crate) note: Option<String>,
}

/// Decides by the shape of the first [`SAMPLE_RECORDS`] records (keys present, span lists
/// shaped like spans), never by one value: a malformed span in the first record does not
/// turn a doccano file into plain records. Label Studio tasks are looked for when
/// `tasks_possible` (JSON arrays and objects, not lines). A majority decides.
pub(crate) fn judge_records<'a>(
    records: impl IntoIterator<Item = &'a serde_json::Map<String, serde_json::Value>>,
    tasks_possible: bool,
    plain: Format,
) -> Dialect {
    let (mut total, mut tasks, mut doccano, mut spans, mut malformed) = (0, 0, 0, 0, 0);
    for record in records.into_iter().take(SAMPLE_RECORDS) {
        total += 1;
        if tasks_possible && super::label_studio::looks_like_task(record) {
            tasks += 1;
        } else if let Some(shape) = super::doccano::record_shape(record) {
            doccano += 1;
            spans += shape.spans;
            malformed += shape.malformed;
        }
    }
    let choose = format!(
        "pass --format {} to read them otherwise",
        if plain == Format::Json {
            "json"
        } else {
            "jsonl"
        }
    );
    if tasks > 0 && tasks * 2 > total {
        let note = (tasks < total).then(|| {
            format!(
                "read as Label Studio tasks: {tasks} of {total} records sampled have a data object with a text; {choose}"
            )
        });
        return Dialect {
            format: Format::LabelStudio,
            note,
        };
    }
    if doccano > 0 && doccano * 2 >= total {
        let note = (doccano < total || malformed > 0).then(|| {
            let mut note = format!(
                "read as doccano: {doccano} of {total} records sampled have a text and a label, labels or entities span list"
            );
            if malformed > 0 {
                note.push_str(&format!(
                    " ({malformed} of {spans} spans sampled malformed, each skipped with its line)"
                ));
            }
            note.push_str(&format!("; {choose}"));
            note
        });
        return Dialect {
            format: Format::Doccano,
            note,
        };
    }
    let note = (doccano + tasks > 0).then(|| {
        let (count, name) = if tasks > doccano {
            (tasks, "label-studio")
        } else {
            (doccano, "doccano")
        };
        format!(
            "read as plain records: only {count} of {total} records sampled look like {name}; pass --format {name} to read them as {name}"
        )
    });
    Dialect {
        format: plain,
        note,
    }
}

/// How many leading bytes the CoNLL sniffer reads.
pub(crate) const CONLL_SNIFF_BYTES: usize = 8192;

/// True when the first lines are CoNLL columns: at least three token lines, and (but for one
/// in twenty) every non-blank line is `-DOCSTART-` or has two or more columns of which the
/// last is a tag (`O`, `B-X`, `I-X`, `E-X`, `S-X`). The last line of the sample may be cut
/// and is not judged.
pub(crate) fn looks_like_conll(bytes: &[u8]) -> bool {
    let head = bytes.get(..CONLL_SNIFF_BYTES).unwrap_or(bytes);
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let Ok(head) = std::str::from_utf8(head)
        .or_else(|error| std::str::from_utf8(head.get(..error.valid_up_to()).unwrap_or_default()))
    else {
        return false;
    };
    let mut lines: Vec<&str> = head.split('\n').collect();
    if bytes.len() > head.len() {
        lines.pop();
    }
    let (mut tagged, mut other) = (0usize, 0usize);
    for line in lines {
        let fields: Vec<&str> = line.split_ascii_whitespace().collect();
        match fields.as_slice() {
            [] => {}
            [first, ..] if *first == "-DOCSTART-" => {}
            [_, .., tag] if is_conll_tag(tag) => tagged += 1,
            _ => other += 1,
        }
    }
    tagged >= 3 && other * 20 <= tagged
}

/// `O`, or a one-letter position (`B`, `I`, `E`, `S`, `L`, `U`), a hyphen and a label.
pub(crate) fn is_conll_tag(tag: &str) -> bool {
    if tag == "O" {
        return true;
    }
    let mut chars = tag.chars();
    matches!(chars.next(), Some('B' | 'I' | 'E' | 'S' | 'L' | 'U'))
        && chars.next() == Some('-')
        && chars.next().is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_unknown_names_are_refused() {
        for format in Format::ALL {
            assert_eq!(format.as_str().parse::<Format>(), Ok(format));
        }
        assert_eq!("JSONL".parse::<Format>(), Ok(Format::Jsonl));
        let err = "docx".parse::<Format>().unwrap_err();
        assert!(err.contains("'docx'") && err.contains("csv"), "{err}");
        assert!(
            err.contains("label-studio") && err.contains("conll"),
            "{err}"
        );
        assert_eq!("label-studio".parse::<Format>(), Ok(Format::LabelStudio));
        assert_eq!("Brat".parse::<Format>(), Ok(Format::Brat));
    }

    #[test]
    fn extensions_decide_and_gz_is_looked_through() {
        let of = |name: &str| Format::from_path(Path::new(name));
        assert_eq!(of("a/b.TXT"), Some(Format::Text));
        assert_eq!(of("page.html.gz"), Some(Format::Html));
        assert_eq!(of("x.xhtml"), Some(Format::Html));
        assert_eq!(of("feed.xml"), Some(Format::Feed));
        assert_eq!(of("feed.rdf.gz"), Some(Format::Feed));
        assert_eq!(of("d.ndjson"), Some(Format::Jsonl));
        assert_eq!(of("d.csv"), Some(Format::Csv));
        assert_eq!(of("brat/12.ann"), Some(Format::Brat));
        assert_eq!(of("wnut17train.conll"), Some(Format::Conll));
        assert_eq!(of("x.IOB"), Some(Format::Conll));
        assert_eq!(of("x.bio"), Some(Format::Conll));
        assert_eq!(of("README.md"), None);
        assert_eq!(of("archive.gz"), None);
        assert_eq!(of("noext"), None);
    }

    #[test]
    fn content_decides_when_the_name_does_not() {
        let sniffed = |bytes: &[u8]| detect(Path::new("download"), bytes);
        assert_eq!(
            sniffed(b"  <?xml version='1.0'?><rss version='2.0'>"),
            Format::Feed
        );
        assert_eq!(sniffed(b"<!DOCTYPE html><html><p>x</p>"), Format::Html);
        assert_eq!(sniffed(b"\xEF\xBB\xBF[{\"text\":\"a\"}]"), Format::Json);
        assert_eq!(sniffed(b"Headline\n\nBody"), Format::Text);
        let conll = b"Empire\tB-location\nState\tI-location\n=\tO\n\n[\tO\n";
        assert_eq!(sniffed(conll), Format::Conll);
        assert_eq!(
            detect(Path::new("emerging.test.annotated"), conll),
            Format::Conll
        );
        // CoNLL-2003 is often `train.txt`: its columns win over the extension.
        let conll2003 = b"-DOCSTART- -X- -X- O\n\nEU NNP B-NP B-ORG\nrejects VBZ B-VP O\nGerman JJ B-NP B-MISC\n";
        assert_eq!(detect(Path::new("train.txt"), conll2003), Format::Conll);
        let prose = b"Iran said Thursday's strikes killed nine people.\nPakistan O\nsaid O\n";
        assert_eq!(detect(Path::new("a.txt"), prose), Format::Text);
    }

    #[test]
    fn conll_tags_are_o_or_a_position_and_a_label() {
        for tag in [
            "O",
            "B-PER",
            "I-creative-work",
            "E-x",
            "S-LOC",
            "L-a",
            "U-b",
        ] {
            assert!(is_conll_tag(tag), "{tag}");
        }
        for tag in ["o", "B-", "B", "PER", "X-PER", "B_PER", "-DOCSTART-"] {
            assert!(!is_conll_tag(tag), "{tag}");
        }
    }
}

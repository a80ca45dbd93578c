//! Named-entity quality on CoNLL column files: reading them (IOB1 or IOB2, `-DOCSTART-`
//! lines, blank lines between sentences), tagging them with the tagger, and exact-span
//! precision, recall and F1 per label and micro, with conlleval's chunk rules.
//!
//! Owns: the CoNLL reader, the scorer and the predictions file. Must not: write to the
//! store; it reads files and calls the tagger.

use std::collections::BTreeMap;
use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::suggest::tagger::{
    ModelInfo, TagWord, TaggerError, TaggerModel, TrainingSentence, base_model, conll_hints,
    to_iob2,
};

pub use crate::suggest::tagger::{FORMAT_VERSION, TaggerModel as Model};

/// What went wrong reading a CoNLL file or tagging it.
#[derive(Debug, thiserror::Error)]
pub enum NerError {
    /// The file could not be read or written.
    #[error("{source}: {}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A line that is not `TOKEN ... TAG`.
    #[error("{}:{line}: {reason}", path.display())]
    Line {
        /// The file.
        path: PathBuf,
        /// Line number, from 1.
        line: usize,
        /// Why.
        reason: String,
    },
    /// Training or the bundled model failed.
    #[error(transparent)]
    Tagger(#[from] TaggerError),
    /// The bundled model is damaged.
    #[error("the bundled tagger model could not be read")]
    NoBaseModel,
}

/// Result alias of this module.
pub type Result<T> = std::result::Result<T, NerError>;

/// One sentence of a CoNLL file: its tokens and their tags as written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConllSentence {
    /// First column of each line.
    pub tokens: Vec<String>,
    /// Last column of each line.
    pub tags: Vec<String>,
}

/// Whether `tag` is `O`, `B-X` or `I-X`.
fn valid_tag(tag: &str) -> bool {
    tag == "O"
        || tag
            .split_once('-')
            .is_some_and(|(p, label)| matches!(p, "B" | "I") && !label.is_empty())
}

/// Reads a CoNLL column file: token in the first column, tag in the last; blank lines end
/// sentences; `-DOCSTART-` lines are skipped. A bad line is an error naming file and line.
pub fn read_conll(path: &Path) -> Result<Vec<ConllSentence>> {
    let bytes = std::fs::read(path).map_err(|source| NerError::Io {
        path: path.to_owned(),
        source,
    })?;
    let text = String::from_utf8(bytes).map_err(|e| NerError::Line {
        path: path.to_owned(),
        line: 1 + e
            .as_bytes()
            .iter()
            .take(e.utf8_error().valid_up_to())
            .filter(|&&b| b == b'\n')
            .count(),
        reason: "not UTF-8".into(),
    })?;
    parse_conll(&text, path)
}

/// Parses CoNLL text (`path` names it in errors).
pub fn parse_conll(text: &str, path: &Path) -> Result<Vec<ConllSentence>> {
    let mut out = Vec::new();
    let mut current = ConllSentence::default();
    for (index, line) in text.lines().enumerate() {
        // A byte order mark (WNUT-17's dev file has one on its last line) is no token.
        let line = line.replace('\u{feff}', "");
        let columns: Vec<&str> = line.split_whitespace().collect();
        let Some(&first) = columns.first() else {
            if !current.tokens.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            continue;
        };
        if first == "-DOCSTART-" {
            if !current.tokens.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            continue;
        }
        let bad = |reason: String| NerError::Line {
            path: path.to_owned(),
            line: index + 1,
            reason,
        };
        let [.., tag] = columns.as_slice() else {
            continue;
        };
        if columns.len() < 2 {
            return Err(bad(format!(
                "one column ({first:?}); expected a token and a tag"
            )));
        }
        if !valid_tag(tag) {
            return Err(bad(format!(
                "tag {tag:?} is not O, B-LABEL or I-LABEL (IOB1 or IOB2)"
            )));
        }
        current.tokens.push(first.to_owned());
        current.tags.push((*tag).to_owned());
    }
    if !current.tokens.is_empty() {
        out.push(current);
    }
    Ok(out)
}

/// `tag` with its label renamed, or `O` when the label is not among `renames`.
fn rename(tag: &str, renames: &[(String, String)]) -> String {
    let (prefix, label) = split(tag);
    renames
        .iter()
        .find(|(from, _)| from == label)
        .map_or_else(|| "O".to_owned(), |(_, to)| format!("{prefix}-{to}"))
}

// ---------------------------------------------------------------------------------------------
// Scoring, as conlleval counts chunks.

fn split(tag: &str) -> (&str, &str) {
    tag.split_once('-').unwrap_or((tag, ""))
}

fn end_of_chunk(previous: &str, tag: &str) -> bool {
    let ((p, p_type), (t, t_type)) = (split(previous), split(tag));
    matches!((p, t), ("B" | "I", "B" | "O")) || (p != "O" && p_type != t_type)
}

fn start_of_chunk(previous: &str, tag: &str) -> bool {
    let ((p, p_type), (t, t_type)) = (split(previous), split(tag));
    matches!((p, t), ("B" | "I" | "O", "B") | ("O", "I")) || (t != "O" && p_type != t_type)
}

/// The chunks `(start, end, label)` of one sentence's tags, IOB1 or IOB2, as conlleval
/// reads them.
pub fn chunks(tags: &[String]) -> Vec<(usize, usize, String)> {
    let mut out = Vec::new();
    let mut open: Option<(usize, String)> = None;
    let mut previous = "O";
    for (i, tag) in tags.iter().map(String::as_str).chain(["O"]).enumerate() {
        if end_of_chunk(previous, tag)
            && let Some((start, label)) = open.take()
        {
            out.push((start, i, label));
        }
        if start_of_chunk(previous, tag) && tag != "O" {
            open = Some((i, split(tag).1.to_owned()));
        }
        previous = tag;
    }
    out
}

/// Counts and scores of one label (or of all: micro).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Scores {
    /// Gold chunks.
    pub gold: u64,
    /// Predicted chunks.
    pub predicted: u64,
    /// Predicted chunks with the gold span and label.
    pub correct: u64,
    /// correct / predicted.
    pub precision: f64,
    /// correct / gold.
    pub recall: f64,
    /// Harmonic mean of the two.
    pub f1: f64,
}

impl Scores {
    fn finish(mut self) -> Self {
        let ratio = |a: u64, b: u64| if b == 0 { 0.0 } else { a as f64 / b as f64 };
        self.precision = ratio(self.correct, self.predicted);
        self.recall = ratio(self.correct, self.gold);
        let sum = self.precision + self.recall;
        self.f1 = if sum > 0.0 {
            2.0 * self.precision * self.recall / sum
        } else {
            0.0
        };
        self
    }
}

/// What `eval ner` reports.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct NerReport {
    /// The test file.
    pub file: String,
    /// Sentences and tokens scored.
    pub sentences: u64,
    /// Tokens scored.
    pub tokens: u64,
    /// What the model was trained on.
    pub model: ModelInfo,
    /// Per label, sorted.
    pub labels: BTreeMap<String, Scores>,
    /// All labels together.
    pub micro: Scores,
}

/// Scores predicted against gold tags, sentence by sentence.
pub fn score(
    gold: &[Vec<String>],
    predicted: &[Vec<String>],
) -> (BTreeMap<String, Scores>, Scores) {
    let mut labels: BTreeMap<String, Scores> = BTreeMap::new();
    let mut micro = Scores::default();
    for (g, p) in gold.iter().zip(predicted) {
        let g = chunks(g);
        let p = chunks(p);
        for (_, _, label) in &g {
            labels.entry(label.clone()).or_default().gold += 1;
            micro.gold += 1;
        }
        for chunk in &p {
            let entry = labels.entry(chunk.2.clone()).or_default();
            entry.predicted += 1;
            micro.predicted += 1;
            if g.contains(chunk) {
                entry.correct += 1;
                micro.correct += 1;
            }
        }
    }
    let labels = labels.into_iter().map(|(k, v)| (k, v.finish())).collect();
    (labels, micro.finish())
}

/// The model's tags for each sentence's tokens.
pub fn predict(model: &TaggerModel, sentences: &[ConllSentence]) -> Vec<Vec<String>> {
    sentences
        .iter()
        .map(|sentence| {
            let tokens: Vec<&str> = sentence.tokens.iter().map(String::as_str).collect();
            let hints = conll_hints(&tokens);
            let words: Vec<TagWord<'_>> = tokens
                .iter()
                .zip(hints)
                .map(|(text, hint)| TagWord { text, hint })
                .collect();
            model
                .tag_words(&words)
                .into_iter()
                .map(|(t, _)| t)
                .collect()
        })
        .collect()
}

/// Training sentences from CoNLL sentences (tags made IOB2, the rules' hints added).
pub fn training_sentences(sentences: &[ConllSentence]) -> Vec<TrainingSentence> {
    sentences
        .iter()
        .map(|s| {
            let tokens: Vec<&str> = s.tokens.iter().map(String::as_str).collect();
            let mut tags = s.tags.clone();
            to_iob2(&mut tags);
            TrainingSentence {
                hints: conll_hints(&tokens),
                words: s.tokens.clone(),
                tags,
            }
        })
        .collect()
}

/// Trains a model on CoNLL files (read in order, sentences together).
pub fn train_on(paths: &[PathBuf], source: &str) -> Result<TaggerModel> {
    train_mapped(paths, &[], source)
}

/// Trains a model on CoNLL files with labels renamed by `renames` (`person` → `PER`); with
/// renames, tags of labels not named become `O`.
pub fn train_mapped(
    paths: &[PathBuf],
    renames: &[(String, String)],
    source: &str,
) -> Result<TaggerModel> {
    let mut sentences = Vec::new();
    for path in paths {
        let mut read = read_conll(path)?;
        if !renames.is_empty() {
            for sentence in &mut read {
                for tag in &mut sentence.tags {
                    *tag = rename(tag, renames);
                }
            }
        }
        sentences.extend(training_sentences(&read));
    }
    let info = ModelInfo {
        source: source.to_owned(),
        ..ModelInfo::default()
    };
    TaggerModel::train(&sentences, None, info, &mut |_, _| true)?.ok_or(NerError::NoBaseModel)
}

/// `annalist eval ner`: tags `file` with the bundled model, or with one trained on `train`
/// first, scores it, and writes `token gold predicted` lines to `predictions` when given.
pub fn ner_benchmark(
    file: &Path,
    train: Option<&Path>,
    predictions: Option<&Path>,
) -> Result<NerReport> {
    let test = read_conll(file)?;
    let trained;
    let model = match train {
        Some(train) => {
            trained = train_on(&[train.to_owned()], &train.display().to_string())?;
            &trained
        }
        None => base_model().ok_or(NerError::NoBaseModel)?,
    };
    let predicted = predict(model, &test);
    if let Some(out) = predictions {
        write_predictions(out, &test, &predicted)?;
    }
    let gold: Vec<Vec<String>> = test.iter().map(|s| s.tags.clone()).collect();
    let (labels, micro) = score(&gold, &predicted);
    Ok(NerReport {
        file: file.display().to_string(),
        sentences: test.len() as u64,
        tokens: test.iter().map(|s| s.tokens.len() as u64).sum(),
        model: model.info().clone(),
        labels,
        micro,
    })
}

/// Writes `token gold predicted` per line, a blank line after each sentence (what
/// conlleval and seqeval read), as the exports write a file: into a temporary file beside
/// `path`, renamed over it when complete, so a failure leaves an earlier file whole. A link
/// (renaming would replace it, following it would write where the user did not name) and a
/// device, pipe, socket or folder are refused.
fn write_predictions(path: &Path, test: &[ConllSentence], predicted: &[Vec<String>]) -> Result<()> {
    let io = |source| NerError::Io {
        path: path.to_owned(),
        source,
    };
    if let Ok(meta) = std::fs::symlink_metadata(path) {
        let refused = if meta.file_type().is_symlink() {
            Some("the predictions path is a link; name a plain file")
        } else if !meta.is_file() {
            Some("the predictions path is a folder, device, pipe or socket, not a file")
        } else {
            None
        };
        if let Some(reason) = refused {
            return Err(io(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                reason,
            )));
        }
    }
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let temp = tempfile::Builder::new()
        .prefix(".annalist-")
        .suffix(".tmp")
        // 0666 less the umask, as a plain `File::create` would make it, not tempfile's 0600.
        .permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666))
        .tempfile_in(folder)
        .map_err(io)?;
    let mut out = std::io::BufWriter::new(temp.as_file());
    for (sentence, tags) in test.iter().zip(predicted) {
        for ((token, gold), tag) in sentence.tokens.iter().zip(&sentence.tags).zip(tags) {
            writeln!(out, "{token} {gold} {tag}").map_err(io)?;
        }
        writeln!(out).map_err(io)?;
    }
    out.flush().map_err(io)?;
    drop(out);
    temp.as_file().sync_all().map_err(io)?;
    temp.persist(path).map(drop).map_err(|e| io(e.error))
}

impl fmt::Display for NerReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{}: {} sentences, {} tokens; model: {} ({} sentences)",
            self.file, self.sentences, self.tokens, self.model.source, self.model.sentences
        )?;
        writeln!(
            f,
            "| label | gold | predicted | correct | precision | recall | F1 |"
        )?;
        writeln!(f, "|---|---|---|---|---|---|---|")?;
        let row = |f: &mut fmt::Formatter<'_>, name: &str, s: &Scores| {
            writeln!(
                f,
                "| {name} | {} | {} | {} | {:.3} | {:.3} | {:.3} |",
                s.gold, s.predicted, s.correct, s.precision, s.recall, s.f1
            )
        };
        for (label, scores) in &self.labels {
            row(f, label, scores)?;
        }
        row(f, "micro", &self.micro)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn predictions_replace_only_the_plain_file_named() {
        let dir = tempfile::tempdir().unwrap();
        let test = [ConllSentence {
            tokens: vec!["Iran".into(), "said".into()],
            tags: vec!["B-LOC".into(), "O".into()],
        }];
        let predicted = [vec!["B-ORG".to_owned(), "O".to_owned()]];
        let write = |path: &Path| write_predictions(path, &test, &predicted);
        // An earlier file is replaced whole, and no temporary is left beside it.
        let out = dir.path().join("predictions.conll");
        std::fs::write(&out, "old").unwrap();
        write(&out).unwrap();
        assert_eq!(
            std::fs::read_to_string(&out).unwrap(),
            "Iran B-LOC B-ORG\nsaid O O\n\n"
        );
        // A link is refused: neither it nor the file it points to changes.
        let target = dir.path().join("archive.sqlite");
        std::fs::write(&target, "the archive").unwrap();
        let link = dir.path().join("link.conll");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let error = write(&link).unwrap_err().to_string();
        assert!(error.contains("is a link"), "{error}");
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "the archive");
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        // A folder and a device are refused.
        let folder = dir.path().join("folder");
        std::fs::create_dir(&folder).unwrap();
        assert!(write(&folder).is_err());
        assert!(folder.is_dir());
        let error = write(Path::new("/dev/null")).unwrap_err().to_string();
        assert!(error.contains("device"), "{error}");
        let left: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| name.starts_with(".annalist-"))
            .collect();
        assert!(left.is_empty(), "{left:?}");
    }

    fn tags(text: &str) -> Vec<String> {
        text.split(' ').map(str::to_owned).collect()
    }

    #[test]
    fn chunks_follow_conlleval_for_iob1_and_iob2() {
        assert_eq!(
            chunks(&tags("B-PER I-PER O B-LOC")),
            [(0, 2, "PER".into()), (3, 4, "LOC".into())]
        );
        // IOB1: an I- opens a chunk; a B- splits two chunks of one label.
        assert_eq!(
            chunks(&tags("I-PER I-PER B-PER O I-LOC")),
            [
                (0, 2, "PER".into()),
                (2, 3, "PER".into()),
                (4, 5, "LOC".into())
            ]
        );
        // A label change inside ends one chunk and opens another.
        assert_eq!(
            chunks(&tags("B-ORG I-LOC")),
            [(0, 1, "ORG".into()), (1, 2, "LOC".into())]
        );
    }

    #[test]
    fn scores_are_exact_span_per_label_and_micro() {
        let gold = vec![tags("B-PER I-PER O B-LOC"), tags("B-ORG O")];
        let predicted = vec![tags("B-PER O O B-LOC"), tags("B-ORG O")];
        let (labels, micro) = score(&gold, &predicted);
        assert_eq!((micro.gold, micro.predicted, micro.correct), (3, 3, 2));
        assert!((micro.f1 - 2.0 / 3.0).abs() < 1e-9);
        assert_eq!(labels["PER"].correct, 0);
        assert_eq!(labels["LOC"].f1, 1.0);
    }

    #[test]
    fn the_reader_takes_docstart_blank_lines_and_names_a_bad_line() {
        let text = "-DOCSTART- -X- O O\n\nIran NNP B-LOC\nsaid VBD O\n\t\nHamas NNP I-ORG\n";
        let sentences = parse_conll(text, Path::new("t.conll")).unwrap();
        assert_eq!(sentences.len(), 2);
        assert_eq!(sentences[0].tokens, ["Iran", "said"]);
        assert_eq!(sentences[1].tags, ["I-ORG"]);
        let error = parse_conll("Iran B-LOC\nsaid\n", Path::new("t.conll")).unwrap_err();
        assert_eq!(
            error.to_string(),
            "t.conll:2: one column (\"said\"); expected a token and a tag"
        );
        let error = parse_conll("Iran X-LOC\n", Path::new("t.conll")).unwrap_err();
        assert!(
            error.to_string().starts_with("t.conll:1: tag \"X-LOC\""),
            "{error}"
        );
    }
}

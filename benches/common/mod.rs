//! What the benchmarks share: real sentences to build articles from, a deterministic random
//! source, and a synthetic archive of any size.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use annalist::import::{FileOutcome, Format};
use annalist::model::{AnnotationStatus, CharSpan, NewAnnotation, NewArticle, PartialDate};
use annalist::service::Archive;

/// Sentences of real news text (the BBC corpus, or `ANNALIST_BENCH_CORPUS`).
pub(crate) fn sentences() -> anyhow::Result<Vec<String>> {
    let corpus = std::env::var_os("ANNALIST_BENCH_CORPUS").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora/bbc-news/bbc"),
        PathBuf::from,
    );
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(&corpus).sort_by_file_name() {
        let entry = entry?;
        if entry.path().extension().is_none_or(|e| e != "txt") {
            continue;
        }
        let bytes = std::fs::read(entry.path())?;
        let text = String::from_utf8_lossy(&bytes);
        out.extend(
            text.split(". ")
                .map(|s| s.trim().replace('\n', " "))
                .filter(|s| s.split(' ').count() > 4)
                .map(|s| format!("{s}.")),
        );
    }
    anyhow::ensure!(
        !out.is_empty(),
        "no sentences found in {}",
        corpus.display()
    );
    Ok(out)
}

/// A small deterministic generator (no dependency, same numbers every run).
pub(crate) struct Lcg(pub(crate) u64);

impl Lcg {
    /// A number in `0..n`.
    pub(crate) fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        usize::try_from(self.0 >> 33).unwrap_or(0) % n.max(1)
    }
}

/// Builds an archive of `n` articles of 8 to 27 real sentences each, published over 25
/// years by 40 outlets, with `annotations` spans per article (every fourth suggested) on
/// words of the text. When `rare` is `Some((word, every))`, every `every`th article also
/// names `word` (a place the corpus never mentions, for learning benches). Returns how long
/// it took.
pub(crate) fn build_archive(
    dir: &Path,
    n: usize,
    annotations: usize,
    rare: Option<(&str, usize)>,
) -> anyhow::Result<Duration> {
    let sentences = sentences()?;
    let mut rng = Lcg(11);
    let labels = ["PER", "ORG", "LOC", "DATE", "CASUALTY"];
    let started = Instant::now();
    let mut archive = Archive::open(dir)?;
    let batch = 5_000;
    for first in (0..n).step_by(batch) {
        let mut articles = Vec::new();
        for i in first..(first + batch).min(n) {
            let mut text = format!("Synthetic article {i}\n\n");
            for _ in 0..(8 + rng.next(20)) {
                text.push_str(&sentences[rng.next(sentences.len())]);
                text.push(' ');
            }
            if let Some((word, every)) = rare
                && i % every.max(1) == 0
            {
                text.push_str(&format!("Officials in {word} said the road was closed. "));
            }
            let mut article = NewArticle::new(&format!("Synthetic article {i}"), &text, "bench");
            article.published = PartialDate::from_parts(
                2000 + i32::try_from(i % 25).unwrap_or(0),
                Some(1 + u32::try_from(i % 12).unwrap_or(0)),
                Some(1 + u32::try_from(i % 28).unwrap_or(0)),
            );
            article.source = Some(format!("Outlet {}", i % 40));
            let words = if annotations > 0 {
                word_spans(&article.text)
            } else {
                Vec::new()
            };
            for k in 0..annotations.min(words.len()) {
                let (start, end) = words[rng.next(words.len())];
                let Ok(span) = CharSpan::ordered(start, end) else {
                    continue;
                };
                article.annotations.push(NewAnnotation {
                    requested_id: None,
                    label: labels[k % labels.len()].to_owned(),
                    span,
                    expected_text: None,
                    attrs: Default::default(),
                    status: if k % 4 == 3 {
                        AnnotationStatus::Suggested
                    } else {
                        AnnotationStatus::Accepted
                    },
                    annotator: "bench".to_owned(),
                    coder: String::new(),
                });
            }
            articles.push(article);
        }
        archive.import_parsed(FileOutcome {
            path: PathBuf::from("bench"),
            format: Format::Jsonl,
            articles,
            warnings: Vec::new(),
        })?;
    }
    archive.sync_index()?;
    Ok(started.elapsed())
}

/// `[start, end)` of every word (letters and digits) in code points.
pub(crate) fn word_spans(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.chars().chain(std::iter::once(' ')).enumerate() {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    out
}

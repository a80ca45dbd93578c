//! `annalist agree` over many articles, in-process: 1,000 articles × 3 coders by default
//! (the goal of issue #15 is under 2 s).
//!
//! Run: `cargo bench --bench agree` or `cargo bench --bench agree -- N`; builds a synthetic
//! archive first (BBC sentences, about 24 spans per coder and article over LOC, ORG, DATE
//! and CASUALTY with counts and outcomes; coders b and c leave out, shorten and recount some
//! of coder a's spans; every tenth article is coded by a and b only).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use annalist::import::{FileOutcome, Format};
use annalist::model::{AnnotationAttrs, AnnotationStatus, NewAnnotation, NewArticle, attrs};
use annalist::service::{AgreementOptions, Archive};

#[expect(
    dead_code,
    reason = "the agree bench uses the sentence source and the generator, not the archive builder"
)]
mod common;

const ROUNDS: usize = 5;
const CODERS: [&str; 3] = ["a", "b", "c"];
const LABELS: [&str; 4] = ["LOC", "ORG", "DATE", "CASUALTY"];

/// A coder's span (the one place this bench makes annotations).
fn coded(
    coder: &str,
    label: &str,
    start: usize,
    end: usize,
    count: usize,
) -> Option<NewAnnotation> {
    let mut values = AnnotationAttrs::new();
    if label == "CASUALTY" {
        values.insert(attrs::COUNT.into(), count.into());
        values.insert(attrs::OUTCOME.into(), "killed".into());
    }
    Some(NewAnnotation {
        requested_id: None,
        label: label.to_owned(),
        span: annalist::model::CharSpan::ordered(start, end).ok()?,
        expected_text: None,
        attrs: values,
        status: AnnotationStatus::Accepted,
        annotator: coder.to_owned(),
        coder: coder.to_owned(),
    })
}

fn article(i: usize, sentences: &[String], rng: &mut common::Lcg) -> NewArticle {
    let mut text = format!("Synthetic article {i}\n\n");
    for _ in 0..(8 + rng.next(20)) {
        text.push_str(&sentences[rng.next(sentences.len())]);
        text.push(' ');
    }
    let mut article = NewArticle::new(&format!("Synthetic article {i}"), &text, "bench");
    let words = common::word_spans(&article.text);
    // Coder a's spans: one in every tenth word pair, none overlapping.
    let mut gold = Vec::new();
    for (k, pair) in words.chunks(10).enumerate() {
        if let [first, second, ..] = pair {
            gold.push((
                LABELS[k % LABELS.len()],
                first.0,
                second.1,
                1 + rng.next(50),
            ));
        }
    }
    for (c, coder) in CODERS.iter().enumerate() {
        if c == 2 && i.is_multiple_of(10) {
            continue;
        }
        for &(label, start, end, count) in &gold {
            if c > 0 && rng.next(10) == 0 {
                continue;
            }
            let end = if c > 0 && rng.next(8) == 0 {
                (start + 1).max(end - 2)
            } else {
                end
            };
            let count = if c > 0 && rng.next(5) == 0 {
                count + 1
            } else {
                count
            };
            article
                .annotations
                .extend(coded(coder, label, start, end, count));
        }
    }
    article
}

fn main() -> anyhow::Result<()> {
    let n: usize = std::env::args()
        .skip(1)
        .find(|a| a != "--bench")
        .map_or(Ok(1000), |s| s.parse())?;
    let sentences = common::sentences()?;
    let dir = tempfile::tempdir()?;
    let archive_dir = dir.path().join("archive");
    let mut archive = Archive::open(&archive_dir)?;
    let mut rng = common::Lcg(15);
    let started = Instant::now();
    let articles = (0..n).map(|i| article(i, &sentences, &mut rng)).collect();
    archive.import_parsed(FileOutcome {
        path: PathBuf::from("bench"),
        format: Format::Jsonl,
        articles,
        warnings: Vec::new(),
    })?;
    archive.sync_index()?;
    eprintln!(
        "built {n} articles in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let mut times: Vec<Duration> = Vec::with_capacity(ROUNDS);
    let mut last = None;
    for _ in 0..ROUNDS {
        let started = Instant::now();
        let report = archive.agreement(&AgreementOptions::default())?;
        times.push(started.elapsed());
        last = Some(report);
    }
    times.sort();
    let report = last.ok_or_else(|| anyhow::anyhow!("no round ran"))?;
    let spans: usize = report.labels_all_coders.iter().map(|l| l.units).sum();
    let tokens = report.pairs.first().map_or(0, |p| p.tokens);
    println!("| articles | coders | tokens (a~b) | spans (α_u units) | agree p50 | max |");
    println!("|---|---|---|---|---|---|");
    println!(
        "| {} | {} | {tokens} | {spans} | {:.0} ms | {:.0} ms |",
        report.articles,
        report.coders.len(),
        times[ROUNDS / 2].as_secs_f64() * 1e3,
        times[ROUNDS - 1].as_secs_f64() * 1e3
    );
    Ok(())
}

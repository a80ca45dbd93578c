//! Tagger benchmarks: the suggester with and without the entity tagger over the 2,127 BBC
//! articles (goal: under 5 s with it), and retraining the archive's model on 1,000
//! articles with accepted PER/ORG/LOC spans (goal: under 30 s).
//!
//! Run: `cargo bench --bench tagger` (BBC from `../shared/corpora/bbc-news/bbc`).

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use annalist::import::ImportOptions;
use annalist::model::AnnotationStatus;
use annalist::service::{Archive, ReviewScope};
use annalist::suggest::{propose, propose_with, tagger};

const RUNS: usize = 3;
/// Articles imported for the retraining: about 1,000 of them hold an accepted PER, ORG or
/// LOC span (the others none).
const TRAIN_ARTICLES: usize = 1_025;

fn bbc_texts(corpus: &PathBuf) -> anyhow::Result<Vec<(PathBuf, String)>> {
    let mut texts = Vec::new();
    for topic in std::fs::read_dir(corpus)? {
        let topic = topic?.path();
        if !topic.is_dir() {
            continue;
        }
        for file in std::fs::read_dir(&topic)? {
            let file = file?.path();
            let bytes = std::fs::read(&file)?;
            texts.push((file, String::from_utf8_lossy(&bytes).into_owned()));
        }
    }
    texts.sort();
    Ok(texts)
}

fn median(mut times: Vec<f64>) -> f64 {
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

fn main() -> anyhow::Result<()> {
    let corpus = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora/bbc-news/bbc");
    let texts = bbc_texts(&corpus)?;
    let model = tagger::base_model().ok_or_else(|| anyhow::anyhow!("no base model"))?;
    println!("| measure | value |");
    println!("|---|---|");
    let (mut rules, mut with_tagger) = (Vec::new(), Vec::new());
    let mut counts = (0usize, 0usize);
    for _ in 0..RUNS {
        let started = Instant::now();
        counts.0 = texts.iter().map(|(_, t)| propose(t, None).len()).sum();
        rules.push(started.elapsed().as_secs_f64());
        let started = Instant::now();
        counts.1 = texts
            .iter()
            .map(|(_, t)| propose_with(t, None, Some(model)).len())
            .sum();
        with_tagger.push(started.elapsed().as_secs_f64());
    }
    println!(
        "| propose over the BBC corpus ({} articles), rules only, median of {RUNS} | {:.2} s ({} proposals) |",
        texts.len(),
        median(rules),
        counts.0
    );
    println!(
        "| propose over the BBC corpus, rules and the tagger, median of {RUNS} | {:.2} s ({} proposals) |",
        median(with_tagger),
        counts.1
    );

    // Retraining: 1,000 BBC articles whose suggested PER/ORG/LOC spans are all accepted.
    let dir = tempfile::tempdir()?;
    let mut archive = Archive::open(&dir.path().join("archive"))?;
    let files: Vec<PathBuf> = texts
        .iter()
        .take(TRAIN_ARTICLES)
        .map(|(p, _)| p.clone())
        .collect();
    archive.import(
        &files,
        &ImportOptions::default(),
        &mut |_| {},
        &AtomicBool::new(false),
    )?;
    archive.suggest(None, &mut |_, _| true)?;
    for label in ["PER", "ORG", "LOC"] {
        let scope = ReviewScope {
            label: Some(label.to_owned()),
            ..ReviewScope::default()
        };
        archive.review_suggestions(&scope, AnnotationStatus::Accepted)?;
    }
    let started = Instant::now();
    let training = archive.train_tagger(&mut |_, _| true)?;
    let elapsed = started.elapsed().as_secs_f64();
    println!(
        "| retrain on {} articles ({} sentences, {} accepted spans; held-out F1 {:.3}) | {elapsed:.1} s (two trainings: nine tenths, then all) |",
        training.articles,
        training.sentences,
        training.spans,
        training.held_out_f1.unwrap_or(0.0)
    );
    Ok(())
}

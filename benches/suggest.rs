//! Suggestion benchmarks: the whole BBC corpus through the suggester, and learning one
//! accepted place name across a large archive.
//!
//! Run: `cargo bench --bench suggest` (BBC from `../shared/corpora/bbc-news/bbc`, then a
//! 100,000-article synthetic archive where every 1,000th article names "Saravan") or
//! `cargo bench --bench suggest -- N` for another archive size.
//!
//! `cargo bench --bench suggest -- long [MB...]` suggests one long article (1, 10 and 50 MB
//! by default) made of the BBC corpus's texts end to end: the whole job, found, linked,
//! stored and indexed; the time per MB stays flat when the work is linear in the text.

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use annalist::import::ImportOptions;
use annalist::model::ArticleId;
use annalist::service::{Archive, manual_annotation};

mod common;

const RARE: &str = "Saravan";
const EVERY: usize = 1_000;
const RUNS: usize = 3;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    if args.first().map(String::as_str) == Some("long") {
        let sizes = args[1..]
            .iter()
            .map(|s| s.parse())
            .collect::<Result<Vec<usize>, _>>()?;
        return long_articles(if sizes.is_empty() {
            &[1, 10, 50]
        } else {
            &sizes
        });
    }
    let n: usize = args.first().map_or(Ok(100_000), |s| s.parse())?;

    // 1. The BBC corpus: import once per run, then time the suggestion of every article.
    let corpus = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora/bbc-news/bbc");
    println!("| measure | value |");
    println!("|---|---|");
    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..RUNS {
        let dir = tempfile::tempdir()?;
        let mut archive = Archive::open(&dir.path().join("archive"))?;
        archive.import(
            std::slice::from_ref(&corpus),
            &ImportOptions::default(),
            &mut |_| {},
            &AtomicBool::new(false),
        )?;
        let started = Instant::now();
        let report = archive.suggest(None, &mut |_, _| true)?;
        times.push(started.elapsed());
        last = Some(report);
    }
    times.sort();
    let report = last.unwrap_or_default();
    println!(
        "| suggest the BBC corpus ({} articles), median of {RUNS} | {:.2} s ({:.0} articles/s, {} suggestions) |",
        report.articles,
        times[RUNS / 2].as_secs_f64(),
        report.articles as f64 / times[RUNS / 2].as_secs_f64(),
        report.suggested
    );

    // 2. Learning: accept one "Saravan" as LOC, time until every other one is suggested.
    let dir = tempfile::tempdir()?;
    let archive_dir = dir.path().join("archive");
    let built = common::build_archive(&archive_dir, n, 0, Some((RARE, EVERY)))?;
    eprintln!("built {n} articles in {:.1} s", built.as_secs_f64());
    let mut archive = Archive::open(&archive_dir)?;
    let first = ArticleId(1);
    let text = archive.article(first)?.text;
    let at = text
        .find(RARE)
        .ok_or_else(|| anyhow::anyhow!("no {RARE} in article 1"))?;
    let start = text[..at].chars().count();
    archive.add_annotation(
        first,
        manual_annotation(
            "LOC",
            annalist::model::CharSpan::ordered(start, start + RARE.len())?,
            Default::default(),
            "bench",
        ),
    )?;
    archive.sync_index()?;
    let started = Instant::now();
    let learned = archive
        .learn_from(RARE, annalist::service::LearnScope::Bounded)?
        .created
        .len();
    let elapsed = started.elapsed();
    anyhow::ensure!(
        learned as usize == n.div_ceil(EVERY) - 1,
        "learned {learned} suggestions, expected {}",
        n.div_ceil(EVERY) - 1
    );
    println!(
        "| learn \"{RARE}\" as LOC across {n} articles ({learned} other occurrences) | {:.0} ms (stored and indexed) |",
        elapsed.as_secs_f64() * 1e3
    );
    Ok(())
}

/// One article of `mb` MB per size, suggested in a fresh archive.
fn long_articles(sizes: &[usize]) -> anyhow::Result<()> {
    let corpus = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora/bbc-news/bbc");
    let mut texts = Vec::new();
    for topic in std::fs::read_dir(&corpus)? {
        let topic = topic?.path();
        if !topic.is_dir() {
            continue;
        }
        for file in std::fs::read_dir(topic)? {
            let bytes = std::fs::read(file?.path())?;
            texts.push(String::from_utf8_lossy(&bytes).into_owned());
        }
    }
    texts.sort();
    anyhow::ensure!(!texts.is_empty(), "no texts under {}", corpus.display());
    println!("| article | suggest (found, linked, stored, indexed) | per MB | suggestions |");
    println!("|---|---|---|---|");
    for &mb in sizes {
        let mut text = format!("One long article of {mb} MB\n\n");
        for piece in texts.iter().cycle() {
            if text.len() >= mb * 1_000_000 {
                break;
            }
            text.push_str(piece);
            text.push_str("\n\n");
        }
        let dir = tempfile::tempdir()?;
        let file = dir.path().join("long.txt");
        std::fs::write(&file, &text)?;
        drop(text);
        let mut archive = Archive::open(&dir.path().join("archive"))?;
        let options = ImportOptions {
            max_file_bytes: Some(u64::MAX),
            ..ImportOptions::default()
        };
        archive.import(
            std::slice::from_ref(&file),
            &options,
            &mut |_| {},
            &AtomicBool::new(false),
        )?;
        let started = Instant::now();
        let report = archive.suggest(Some(&[ArticleId(1)]), &mut |_, _| true)?;
        let elapsed = started.elapsed().as_secs_f64();
        anyhow::ensure!(report.articles == 1, "the article was not imported");
        println!(
            "| {mb} MB | {elapsed:.1} s | {:.2} s | {} |",
            elapsed / mb as f64,
            report.suggested
        );
    }
    Ok(())
}

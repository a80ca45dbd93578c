//! `annalist bundle import` at scale, in-process: 100,000 annotations of one coder over
//! 1,000 articles (100 each) by default, merged into an archive holding the same texts (the
//! goal of issue #15 is under 10 s), then merged again (every version unchanged).
//!
//! Run: `cargo bench --bench bundle` or `cargo bench --bench bundle -- ARTICLES PER_ARTICLE`.

use std::path::PathBuf;
use std::time::Instant;

use annalist::import::{FileOutcome, Format};
use annalist::model::{
    AnnotationAttrs, AnnotationStatus, CharSpan, Coder, NewAnnotation, NewArticle,
};
use annalist::service::Archive;

const LABELS: [&str; 4] = ["LOC", "ORG", "PER", "DATE"];

/// Article `i`: words `w{i}x{k}`, and `per_article` spans of coder `a` on every other word
/// when `coded`.
fn article(i: usize, per_article: usize, coded: bool) -> NewArticle {
    let mut text = format!("Synthetic article {i}\n\n");
    let mut spans = Vec::new();
    for k in 0..per_article * 2 {
        let start = text.chars().count();
        let word = format!("w{i}x{k}");
        text.push_str(&word);
        text.push(' ');
        if k % 2 == 0 {
            spans.push((LABELS[k / 2 % LABELS.len()], start, start + word.len()));
        }
    }
    let mut article = NewArticle::new(&format!("Synthetic article {i}"), &text, "bench");
    if coded {
        for (label, start, end) in spans {
            let Ok(span) = CharSpan::ordered(start, end) else {
                continue;
            };
            article.annotations.push(NewAnnotation {
                requested_id: None,
                label: label.to_owned(),
                span,
                expected_text: None,
                attrs: AnnotationAttrs::new(),
                status: AnnotationStatus::Accepted,
                annotator: "a".to_owned(),
                coder: "a".to_owned(),
            });
        }
    }
    article
}

fn build(
    dir: &std::path::Path,
    n: usize,
    per_article: usize,
    coded: bool,
) -> anyhow::Result<Archive> {
    let mut archive = Archive::open(dir)?;
    archive.import_parsed(FileOutcome {
        path: PathBuf::from("bench"),
        format: Format::Jsonl,
        articles: (0..n).map(|i| article(i, per_article, coded)).collect(),
        warnings: Vec::new(),
    })?;
    archive.sync_index()?;
    Ok(archive)
}

fn main() -> anyhow::Result<()> {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .map(|s| s.parse())
        .collect::<Result<_, _>>()?;
    let n = args.first().copied().unwrap_or(1000);
    let per_article = args.get(1).copied().unwrap_or(100);
    let dir = tempfile::tempdir()?;
    let started = Instant::now();
    let mut laptop = build(&dir.path().join("laptop"), n, per_article, true)?;
    let mut target = build(&dir.path().join("target"), n, per_article, false)?;
    eprintln!(
        "built two archives of {n} articles in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let bundle = dir.path().join("a.bundle");
    let started = Instant::now();
    let exported = laptop.export_bundle(
        &Coder::new("a").map_err(anyhow::Error::msg)?,
        &bundle,
        false,
    )?;
    let export_s = started.elapsed().as_secs_f64();
    let bytes = std::fs::metadata(&bundle)?.len();
    let started = Instant::now();
    let first = target.import_bundles(std::slice::from_ref(&bundle))?;
    let first_s = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let again = target.import_bundles(std::slice::from_ref(&bundle))?;
    let again_s = started.elapsed().as_secs_f64();
    anyhow::ensure!(
        first.added == exported.annotations && again.unchanged == exported.annotations,
        "the merge did not take every annotation: {first}{again}"
    );
    println!(
        "| articles | annotations | bundle | export | merge (all new) | merge again (all unchanged) |"
    );
    println!("|---|---|---|---|---|---|");
    println!(
        "| {n} | {} | {:.1} MB | {export_s:.2} s | {first_s:.2} s | {again_s:.2} s |",
        exported.annotations,
        bytes as f64 / 1e6
    );
    Ok(())
}

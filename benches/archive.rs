//! Archive benchmark: import+index throughput on the BBC corpus and search latency.
//!
//! Run: `cargo bench --bench archive` (reads `../shared/corpora/bbc-news/bbc`, or the
//! folder in `ANNALIST_BENCH_CORPUS`). Prints a Markdown table for `docs/benchmarks.md`.

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use annalist::import::ImportOptions;
use annalist::service::Archive;

mod disk;
use disk::dir_bytes;

const IMPORT_RUNS: usize = 3;
const SEARCH_ROUNDS: usize = 50;

fn main() -> anyhow::Result<()> {
    let corpus = std::env::var_os("ANNALIST_BENCH_CORPUS").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora/bbc-news/bbc"),
        PathBuf::from,
    );
    anyhow::ensure!(
        corpus.is_dir(),
        "corpus folder missing: {}",
        corpus.display()
    );
    let bytes: u64 = dir_bytes(&corpus);

    let mut import_times = Vec::new();
    let mut articles = 0;
    let mut kept = None;
    for _ in 0..IMPORT_RUNS {
        let dir = tempfile::tempdir()?;
        let started = Instant::now();
        let mut archive = Archive::open(&dir.path().join("archive"))?;
        let report = archive.import(
            std::slice::from_ref(&corpus),
            &ImportOptions::default(),
            &mut |_| {},
            &AtomicBool::new(false),
        )?;
        import_times.push(started.elapsed());
        articles = report.imported;
        kept = Some((dir, archive));
    }
    let Some((_dir, mut archive)) = kept else {
        anyhow::bail!("no import run");
    };
    let import_median = median(&mut import_times);
    println!("| measure | value |");
    println!("|---|---|");
    println!(
        "| corpus | {} ({articles} articles, {:.1} MB) |",
        corpus.display(),
        bytes as f64 / 1e6
    );
    println!(
        "| import + index, median of {IMPORT_RUNS} | {:.2} s ({:.0} articles/s, {:.1} MB/s) |",
        import_median.as_secs_f64(),
        articles as f64 / import_median.as_secs_f64(),
        bytes as f64 / 1e6 / import_median.as_secs_f64()
    );

    let queries: &[(&str, &[&str])] = &[
        (
            "term",
            &["economy", "election", "film", "mobile", "chelsea"],
        ),
        (
            "two terms (AND)",
            &[
                "oil prices",
                "labour election",
                "music award",
                "broadband users",
            ],
        ),
        (
            "phrase",
            &["\"prime minister\"", "\"interest rates\"", "\"world cup\""],
        ),
        (
            "boolean",
            &[
                "(blair OR brown) AND tax",
                "game NOT football",
                "euro OR dollar",
            ],
        ),
        ("field", &["title:yukos", "title:oscar AND film"]),
    ];
    println!();
    println!("| query class | queries | top-20 with snippets, p50 | p99 | mean hits |");
    println!("|---|---|---|---|---|");
    for (class, list) in queries {
        let mut times = Vec::new();
        let mut total_hits = 0;
        for _ in 0..SEARCH_ROUNDS {
            for query in *list {
                let started = Instant::now();
                let page = archive.search(query, 20, 0)?;
                times.push(started.elapsed());
                total_hits += page.total;
            }
        }
        let n = times.len();
        times.sort();
        let p = |q: f64| times[((n as f64 * q) as usize).min(n - 1)];
        println!(
            "| {class} | {} | {:.3} ms | {:.3} ms | {} |",
            list.len(),
            p(0.5).as_secs_f64() * 1e3,
            p(0.99).as_secs_f64() * 1e3,
            total_hits / n
        );
    }
    Ok(())
}

fn median(times: &mut [Duration]) -> Duration {
    times.sort();
    times[times.len() / 2]
}

//! Facet counts (labels, outlets, years) of queries over a large archive, in-process.
//!
//! Run: `cargo bench --bench facets` (100,000 articles) or `cargo bench --bench facets --
//! 1000000`; builds the synthetic archive (BBC sentences, 2 annotations per article, 40
//! outlets, 25 years) in a temporary folder first.

use std::time::Instant;

use annalist::service::Archive;

mod common;

const ROUNDS: usize = 30;

fn main() -> anyhow::Result<()> {
    let n: usize = std::env::args()
        .skip(1)
        .find(|a| a != "--bench")
        .map_or(Ok(100_000), |s| s.parse())?;
    let dir = tempfile::tempdir()?;
    let archive_dir = dir.path().join("archive");
    let built = common::build_archive(&archive_dir, n, 2, None)?;
    eprintln!("built {n} articles in {:.1} s", built.as_secs_f64());
    let mut archive = Archive::open(&archive_dir)?;
    println!("| query ({n} articles) | matches | facet counts p50 | p99 |");
    println!("|---|---|---|---|");
    for query in [
        "",
        "said",
        "government",
        "\"prime minister\"",
        "label:LOC AND economy",
    ] {
        let mut times = Vec::with_capacity(ROUNDS);
        let mut total = 0;
        for _ in 0..ROUNDS {
            let started = Instant::now();
            let facets = archive.facets(query)?;
            times.push(started.elapsed());
            total = facets.total;
        }
        times.sort();
        let at = |q: f64| times[((ROUNDS as f64 * q) as usize).min(ROUNDS - 1)];
        println!(
            "| `{}` | {total} | {:.1} ms | {:.1} ms |",
            if query.is_empty() { "(all)" } else { query },
            at(0.5).as_secs_f64() * 1e3,
            at(0.99).as_secs_f64() * 1e3
        );
    }
    Ok(())
}
